"""When a contact may be called: the campaign's weekly hours, narrowed by its state's rule,
in the contact's own time zone.

The campaign's hours default to 08:00-21:00 every day (the federal window, 47 CFR
64.1200(c)(1)). States with stricter rules are a table shipped as data
(``resources/data/state_calling_rules.json``), each rule with its source, its date and
whether its hours were read in the statute text. A contact whose time zone is uncertain is
callable only when the window is open in every one of its candidate zones on the same day; a contact
whose zone is unknown is never callable. Nothing here is legal advice.
"""

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from ..assets import get_asset
from .timezones import expand_zones

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MINUTES_PER_DAY = 24 * 60
Span = tuple[int, int] | None  # minutes after midnight, [opens, closes); None: closed all day
DEFAULT_SPAN: Span = (8 * 60, 21 * 60)


class HoursError(ValueError):
    """Calling hours that cannot be read; the message says how to write them."""


_DAY_GROUPS = {"daily": range(7), "everyday": range(7), "weekdays": range(5), "weekends": range(5, 7)}
_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?")
_HOW = "Write hours like 'mon-fri 09:00-20:00', 'sat 10:00-17:00', 'sun closed' or 'daily 08:00-21:00'."


_DAY_WORDS = {
    **{abbr: i for i, abbr in enumerate(DAYS)},
    **{name.lower(): i for i, name in enumerate(DAY_NAMES)},
    **{"tues": 1, "weds": 2, "thur": 3, "thurs": 3},
}


def _day(word: str) -> int:
    if word not in _DAY_WORDS:
        raise HoursError(f"Unknown day {word!r}. {_HOW}")
    return _DAY_WORDS[word]


def _days(text: str) -> list[int]:
    days: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if part in _DAY_GROUPS:
            days.extend(_DAY_GROUPS[part])
            continue
        first, _, last = part.partition("-")
        start = _day(first)
        end = _day(last) if last else start
        days.extend((start + offset) % 7 for offset in range((end - start) % 7 + 1))
    return days


def _minutes(text: str, *, closing: bool) -> int:
    match = _TIME.fullmatch(text.strip())
    if not match:
        raise HoursError(f"Unknown time {text.strip()!r}. {_HOW}")
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    value = hours * 60 + minutes
    if minutes > 59 or value > MINUTES_PER_DAY or (value == MINUTES_PER_DAY and not closing):
        raise HoursError(f"{text.strip()!r} is not a time of day. {_HOW}")
    return value


def parse_spec(spec: str) -> tuple[list[int], Span]:
    """'mon-fri 09:00-20:00' -> ([0, 1, 2, 3, 4], (540, 1200)); 'sun closed' -> ([6], None)."""
    words = spec.strip().casefold().replace("every day", "everyday").replace("–", "-").split()
    if len(words) != 2:
        raise HoursError(f"Cannot read {spec!r}. {_HOW}")
    days_text, span_text = words
    days = _days(days_text)
    if span_text == "closed":
        return days, None
    opens, sep, closes = span_text.partition("-")
    if not sep:
        raise HoursError(f"Cannot read the hours in {spec!r}. {_HOW}")
    span = (_minutes(opens, closing=False), _minutes(closes, closing=True))
    if span[0] >= span[1]:
        raise HoursError(f"In {spec!r} the window closes before it opens. {_HOW}")
    return days, span


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _span_text(span: Span) -> str:
    return "closed" if span is None else f"{_clock(span[0])}-{_clock(span[1])}"


def _intersect(first: Span, second: Span) -> Span:
    if first is None or second is None:
        return None
    opens, closes = max(first[0], second[0]), min(first[1], second[1])
    return (opens, closes) if opens < closes else None


@dataclass(frozen=True)
class WeeklyHours:
    days: tuple[Span, ...] = (DEFAULT_SPAN,) * 7  # Monday first

    @classmethod
    def parse(cls, specs: Iterable[str], base: "WeeklyHours | None" = None) -> "WeeklyHours":
        """``base`` (default: every day 08:00-21:00) with each spec applied in turn."""
        days = list((base or cls()).days)
        for spec in specs:
            numbers, span = parse_spec(spec)
            for day in numbers:
                days[day] = span
        return cls(tuple(days))

    def intersect(self, other: "WeeklyHours") -> "WeeklyHours":
        return WeeklyHours(tuple(_intersect(a, b) for a, b in zip(self.days, other.days)))

    def specs(self) -> list[str]:
        """The hours as specs, runs of days with the same hours together: ['mon-fri 09:00-20:00', ...]."""
        specs, start = [], 0
        for day in range(1, 8):
            if day == 7 or self.days[day] != self.days[start]:
                days = DAYS[start] if day - 1 == start else f"{DAYS[start]}-{DAYS[day - 1]}"
                specs.append(f"{'daily' if (start, day) == (0, 7) else days} {_span_text(self.days[start])}")
                start = day
        return specs

    def to_json(self) -> str:
        return json.dumps({day: None if span is None else list(span) for day, span in zip(DAYS, self.days)})

    @classmethod
    def from_json(cls, text: str | None) -> "WeeklyHours":
        """Stored hours; empty or unreadable text gives the default hours."""
        try:
            stored = json.loads(text) if text else {}
        except ValueError:
            stored = {}
        if not isinstance(stored, dict):
            return cls()
        days = []
        for day in DAYS:
            value = stored.get(day, DEFAULT_SPAN)
            ok = isinstance(value, list | tuple) and len(value) == 2 and all(isinstance(v, int) for v in value)
            days.append(tuple(value) if ok and 0 <= value[0] < value[1] <= MINUTES_PER_DAY else None)
        return cls(tuple(days))

    def to_dict(self) -> dict:
        return {day: None if span is None else [_clock(span[0]), _clock(span[1])] for day, span in zip(DAYS, self.days)}


@dataclass(frozen=True)
class StateRule:
    state: str
    hours: WeeklyHours
    source: str
    date: str
    status: str  # "verified" or "unverified"

    def to_dict(self) -> dict:
        return {
            "state": self.state,
            "hours": self.hours.specs(),
            "source": self.source,
            "date": self.date,
            "status": self.status,
        }


@cache
def state_rules() -> dict[str, StateRule]:
    data = json.loads(get_asset("data/state_calling_rules.json").read_text(encoding="utf-8"))
    return {
        rule["state"]: StateRule(
            rule["state"], WeeklyHours.parse(rule["hours"]), rule["source"], rule["date"], rule["status"]
        )
        for rule in data["rules"]
    }


@dataclass(frozen=True)
class CallStatus:
    callable: bool
    local_time: datetime | None  # in the contact's zone; None when the zone is uncertain or unknown
    opens_at: datetime | None  # when not callable: the next opening, if within a week
    closes_at: datetime | None  # when callable: when the window closes
    opens_today: bool = False  # the next opening is on the contact's current day
    zones: int = 1  # how many candidate zones: 0 unknown, 2 or more uncertain

    def to_dict(self) -> dict:
        return {
            "local_time": _iso(self.local_time),
            "callable": self.callable,
            "window_opens_at": _iso(self.opens_at),
        }

    def describe(self, at: datetime) -> str:
        """'callable', 'opens in 2 h 10 min', 'closed today', 'time zone unknown'..."""
        if self.callable:
            return "callable"
        if self.opens_at is None:
            if not self.zones:
                return "time zone unknown"
            return "time zone uncertain" if self.zones > 1 else "closed all week"
        if self.opens_today:
            return f"opens in {duration_text(self.opens_at - at)}"
        return "closed today"


def duration_text(delta: timedelta) -> str:
    minutes = max(1, -(-int(delta.total_seconds()) // 60))  # rounded up: never "opens in 0 min"
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


UNKNOWN_ZONE = CallStatus(False, None, None, None, zones=0)
_DAYS_AHEAD = 8  # a window that does not open within a week is reported as closed


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _windows_in(place: ZoneInfo, hours: WeeklyHours, at: datetime) -> list[tuple[datetime, datetime, date]]:
    """The open windows around ``at`` in one zone, as UTC intervals with their local day, in order."""
    today = at.astimezone(place).date()
    intervals = []
    for offset in range(-1, _DAYS_AHEAD):
        day = today + timedelta(days=offset)
        span = hours.days[day.weekday()]
        if span is None:
            continue
        opens = datetime.combine(day, time(span[0] // 60, span[0] % 60), place)
        closes = datetime.combine(day + timedelta(days=span[1] // MINUTES_PER_DAY), _time_of(span[1]), place)
        intervals.append((opens.astimezone(UTC), closes.astimezone(UTC), day))
    return intervals


def _time_of(minutes: int) -> time:
    minutes %= MINUTES_PER_DAY
    return time(minutes // 60, minutes % 60)


def _overlap(first: list, second: list) -> list[tuple[datetime, datetime, date]]:
    """Where windows of two zones overlap on the same local day (candidate zones hours apart,
    as a toll-free number's are, never share a day's window: such a contact is never callable)."""
    result, i, j = [], 0, 0
    while i < len(first) and j < len(second):
        opens, closes = max(first[i][0], second[j][0]), min(first[i][1], second[j][1])
        if opens < closes and first[i][2] == second[j][2]:
            result.append((opens, closes, first[i][2]))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return result


class CallingWindows:
    """Whether contacts are callable at an instant, for one campaign's hours.

    Answers are kept per (time zones, state, instant): a list of a million contacts at one
    instant costs a dict look-up per contact.
    """

    def __init__(self, hours: WeeklyHours | None = None, rules: dict[str, StateRule] | None = None):
        self.hours = hours or WeeklyHours()
        self.rules = state_rules() if rules is None else rules
        self._effective: dict[str, WeeklyHours] = {}
        self._answers: dict[tuple[str, str, datetime], CallStatus] = {}

    def effective_hours(self, state: str) -> WeeklyHours:
        hours = self._effective.get(state)
        if hours is None:
            rule = self.rules.get(state)
            hours = self._effective[state] = self.hours.intersect(rule.hours) if rule else self.hours
        return hours

    def status(self, time_zones: str, state: str, at: datetime) -> CallStatus:
        key = (time_zones, state, at)
        answer = self._answers.get(key)
        if answer is None:
            if len(self._answers) > 100_000:
                self._answers.clear()
            answer = self._answers[key] = self._status(expand_zones(time_zones), state, at)
        return answer

    def _status(self, zone_names: Sequence[str], state: str, at: datetime) -> CallStatus:
        if not zone_names:
            return UNKNOWN_ZONE
        if at.tzinfo is None:
            raise ValueError("the instant needs a time zone")
        hours = self.effective_hours(state)
        zones = [zone(name) for name in zone_names]
        windows = _windows_in(zones[0], hours, at)
        for other in zones[1:]:
            windows = _overlap(windows, _windows_in(other, hours, at))
        shown_in = zones[0] if len(zones) == 1 else None
        local = at.astimezone(shown_in) if shown_in else None
        instant = at.astimezone(UTC)
        for opens, closes, _ in windows:
            if closes <= instant:
                continue
            if opens <= instant:
                return CallStatus(True, local, None, closes.astimezone(shown_in or UTC), zones=len(zones))
            # "Today" is the contact's day (the first candidate zone's, when uncertain).
            today = instant.astimezone(zones[0]).date() == opens.astimezone(zones[0]).date()
            return CallStatus(False, local, opens.astimezone(shown_in or UTC), None, today, len(zones))
        return CallStatus(False, local, None, None, zones=len(zones))


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with an offset or Z ('2026-03-08T13:05:00-05:00', '2026-03-08T18:05Z')."""
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise HoursError(f"{text!r} is not an ISO 8601 time, like 2026-03-08T08:05:00-05:00.") from None
    if moment.tzinfo is None:
        raise HoursError(f"{text!r} has no offset; add one (like -05:00) or Z for UTC.")
    return moment
