"""Where a contact is: its IANA time zone(s) and (North American) state, and which source said so.

From the number: phonenumbers' time-zone data, which goes down to the exchange (NPA-NXX) for
area codes that span two zones. phonenumbers is asked once per number prefix, never once per
row: the answer for a prefix is kept in a dict, so an import pays a dict look-up per row.
The state of a number is its area code's, from a table shipped as data
(``resources/data/npa_states.csv``, made from phonenumbers' geocoding data by
``tools/make_npa_states.py``), which is smaller and faster to load than the geocoder.

From the file: a time-zone column, else a ZIP/postal-code column, else a state column wins
over the number (a mobile number keeps the zone where it was issued; its owner moves).

A location with several zones is *uncertain*: a contact there is callable only when the
window is open in every one of them.
"""

import csv
import re
import zoneinfo
from datetime import UTC, datetime
from functools import cache, lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneNumberType
from phonenumbers.timezone import time_zones_for_number
from phonenumbers.tzdata import TIMEZONE_DATA, TIMEZONE_LONGEST_PREFIX

from ..assets import get_asset

# Which source decided a contact's location (stored on the contact).
FROM_TIME_ZONE, FROM_POSTAL_CODE, FROM_STATE, FROM_NUMBER = "time_zone", "postal_code", "state", "number"
LOCATION_SOURCES = (FROM_TIME_ZONE, FROM_POSTAL_CODE, FROM_STATE, FROM_NUMBER)


class Location(NamedTuple):
    # IANA names separated by spaces: one is certain, several uncertain, none unknown. "+1" stands
    # for every zone of country code 1 (a toll-free number's): 42 names would take 800 bytes a row.
    time_zones: str
    state: str  # two letters, or ""
    source: str  # one of LOCATION_SOURCES, or "" when nothing is known

    @property
    def zones(self) -> list[str]:
        return expand_zones(self.time_zones)

    @property
    def time_zone(self) -> str | None:
        """The zone when there is exactly one."""
        zones = self.zones
        return zones[0] if len(zones) == 1 else None


UNKNOWN = Location("", "", "")


@lru_cache(maxsize=1024)
def _expanded(time_zones: str) -> tuple[str, ...]:
    zones: list[str] = []
    for word in time_zones.split():
        zones.extend(TIMEZONE_DATA.get(word[1:], ()) if word.startswith("+") else (word,))
    return tuple(zones)


def expand_zones(time_zones: str) -> list[str]:
    """The candidate zones of a stored ``time_zones`` ("+1" stands for all of country code 1's)."""
    return list(_expanded(time_zones)) if "+" in time_zones else time_zones.split()


def _compact(zones: tuple[str, ...], digits: str) -> str:
    """Zones as stored: a whole country's list of zones as its country code."""
    if len(zones) > 1:
        for length in (1, 2, 3):
            if TIMEZONE_DATA.get(digits[:length]) == zones and int(digits[:length]) in COUNTRY_CODE_TO_REGION_CODE:
                return "+" + digits[:length]
    return " ".join(zones)


_GEOGRAPHIC = (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
_UNKNOWN_ZONE = "Etc/Unknown"
# Prefixes of the time-zone data that longer entries refine: an answer needs more digits.
_REFINED = frozenset(key[:length] for key in TIMEZONE_DATA for length in range(1, len(key)))
# The shortest prefix looked at: "+" and four digits, which for North America is the area
# code, and which decides the kind of number (toll-free, mobile...) in most numbering plans.
SHORTEST_PREFIX = _SHORTEST_KEY = 5
_LONGEST_KEY = 1 + TIMEZONE_LONGEST_PREFIX
_LONGER = object()  # in the prefix cache: this prefix is not enough, look at a longer one


def _data_rows(name: str) -> list[list[str]]:
    with get_asset(f"data/{name}").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle) if row and not row[0].startswith("#")]
    return rows[1:]  # the header row


@cache
def npa_states() -> dict[str, str]:
    return {npa: state for npa, state in _data_rows("npa_states.csv")}


@cache
def state_time_zones() -> dict[str, tuple[str, ...]]:
    return {state: tuple(zones.split()) for state, zones in _data_rows("state_time_zones.csv")}


@cache
def _zip3_states() -> dict[str, str]:
    table = {}
    for first, last, state in _data_rows("zip3_states.csv"):
        for prefix in range(int(first), int(last) + 1):
            table[f"{prefix:03d}"] = state
    return table


class LocationIds:
    """The id of each location in the location table, and the locations that need a new row.

    Filled from the table when an import starts; new ids are handed out in memory (on the
    reading thread) and their rows written by the importer, in the import's transaction."""

    def __init__(self, known: dict[Location, int] | None = None):
        self.ids: dict[Location, int] = dict(known or {})
        self.next_id = max(self.ids.values(), default=0) + 1
        self.new: list[tuple[int, str, str, str]] = []

    def id_of(self, location: Location) -> int | None:
        found = self.ids.get(location)
        if found is None:
            if not location.source:
                return None  # nothing known: no row
            found = self.ids[location] = self.next_id
            self.next_id += 1
            self.new.append((found, *location))
        return found


class NumberLocations:
    """The location of E.164 numbers, answered once per prefix."""

    def __init__(self):
        # prefix -> Location, or a marker that a longer prefix decides. Read directly by the
        # importer's row loop (see contact_rows.py): most rows are answered by their first
        # SHORTEST_PREFIX characters.
        self.by_prefix: dict[str, object] = {}
        self._geographic: dict[str, bool] = {}

    def locate(self, e164: str) -> Location:
        hit = self.by_prefix.get(e164[:_SHORTEST_KEY])
        if hit is not None and hit is not _LONGER:
            return hit  # the common case: one dict look-up
        return self.locate_with_prefix(e164)[1]

    def locate_with_prefix(self, e164: str) -> tuple[str, Location]:
        """The location, and the shortest prefix of the number that decides it."""
        by_prefix = self.by_prefix
        for length in range(_SHORTEST_KEY, _LONGEST_KEY + 1):
            prefix = e164[:length]
            hit = by_prefix.get(prefix)
            if hit is None:
                hit = by_prefix[prefix] = self._answer(prefix, e164)
            if hit is not _LONGER:
                return prefix, hit
        return prefix, hit  # not reached: the longest key is never refined

    def _answer(self, prefix: str, e164: str):
        digits = prefix[1:]
        if digits in _REFINED and len(prefix) < min(len(e164), _LONGEST_KEY):
            return _LONGER
        state = npa_states().get(digits[1:4], "") if digits.startswith("1") else ""
        if self._is_geographic(e164):
            zones, matched = _zones_for_digits(digits)
            if matched == "1" and state:
                # No data for the area code: its state narrows every North American zone down.
                zones = state_time_zones().get(state, zones)
        else:  # toll-free and the like: the whole country's zones (phonenumbers' answer)
            zones = _country_zones(e164)
        zones = tuple(zone for zone in zones if zone != _UNKNOWN_ZONE)
        return Location(_compact(zones, digits), state, FROM_NUMBER if zones or state else "")

    def _is_geographic(self, e164: str) -> bool:
        if e164.startswith("+1"):
            # North America: toll-free and other non-geographic area codes have no time-zone
            # data, so the data's answer is already the country's zones; no need to parse.
            return True
        key = e164[:_SHORTEST_KEY]
        known = self._geographic.get(key)
        if known is None:
            kind = _number_type(e164)
            known = self._geographic[key] = kind in _GEOGRAPHIC or kind == PhoneNumberType.UNKNOWN
        return known


def _number_type(e164: str) -> int:
    try:
        return phonenumbers.number_type(phonenumbers.parse(e164))
    except phonenumbers.NumberParseException:
        return PhoneNumberType.UNKNOWN


def _zones_for_digits(digits: str) -> tuple[tuple[str, ...], str]:
    """phonenumbers' time-zone data for the longest matching prefix, and that prefix."""
    for length in range(min(len(digits), TIMEZONE_LONGEST_PREFIX), 0, -1):
        zones = TIMEZONE_DATA.get(digits[:length])
        if zones is not None:
            return zones, digits[:length]
    return (), ""


def _country_zones(e164: str) -> tuple[str, ...]:
    try:
        return tuple(time_zones_for_number(phonenumbers.parse(e164)))
    except phonenumbers.NumberParseException:
        return ()


# --- what the file says -------------------------------------------------------------------

_STATE_NAMES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
    "connecticut": "CT", "delaware": "DE", "district of columbia": "DC", "washington dc": "DC", "florida": "FL",
    "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA",
    "kansas": "KS", "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD", "massachusetts": "MA",
    "michigan": "MI", "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
    "nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM",
    "new york": "NY", "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK",
    "oregon": "OR", "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
    "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
    "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY", "puerto rico": "PR", "guam": "GU",
    "virgin islands": "VI", "american samoa": "AS", "northern mariana islands": "MP",
    "alberta": "AB", "british columbia": "BC", "manitoba": "MB", "new brunswick": "NB",
    "newfoundland and labrador": "NL", "newfoundland": "NL", "nova scotia": "NS", "ontario": "ON",
    "prince edward island": "PE", "quebec": "QC", "québec": "QC", "saskatchewan": "SK", "yukon": "YT",
    "northwest territories": "NT", "nunavut": "NU",
}  # fmt: skip
# Canadian postal codes: the first letter is the province (X is shared by NT and NU).
_POSTAL_LETTER_PROVINCES = {
    "A": "NL", "B": "NS", "C": "PE", "E": "NB", "G": "QC", "H": "QC", "J": "QC", "K": "ON", "L": "ON",
    "M": "ON", "N": "ON", "P": "ON", "R": "MB", "S": "SK", "T": "AB", "V": "BC", "X": "NT", "Y": "YT",
}  # fmt: skip
# Time-zone words people write instead of IANA names. MST alone may be Arizona (no DST).
_ZONE_WORDS = {
    "eastern": ("America/New_York",), "et": ("America/New_York",), "est": ("America/New_York",),
    "edt": ("America/New_York",), "central": ("America/Chicago",), "ct": ("America/Chicago",),
    "cst": ("America/Chicago",), "cdt": ("America/Chicago",), "mountain": ("America/Denver",),
    "mt": ("America/Denver",), "mdt": ("America/Denver",), "mst": ("America/Denver", "America/Phoenix"),
    "arizona": ("America/Phoenix",), "pacific": ("America/Los_Angeles",), "pt": ("America/Los_Angeles",),
    "pst": ("America/Los_Angeles",), "pdt": ("America/Los_Angeles",), "alaska": ("America/Anchorage",),
    "akst": ("America/Anchorage",), "akdt": ("America/Anchorage",), "hawaii": ("Pacific/Honolulu",),
    "hst": ("Pacific/Honolulu",), "atlantic": ("America/Halifax",), "ast": ("America/Halifax",),
    "newfoundland": ("America/St_Johns",), "nst": ("America/St_Johns",),
}  # fmt: skip
_WORD_NOISE = re.compile(r"[\s._\-]+|\btime\b|\bzone\b|\bstandard\b|\bdaylight\b|\bus/")
_NOT_ZIP = re.compile(r"[^\d]")


@lru_cache(maxsize=4096)
def state_from_text(text: str) -> str:
    """A state or province from a code ("ny", "N.Y.") or a name ("New York"); "" if neither."""
    cleaned = " ".join(text.replace(".", " ").split()).casefold()
    if not cleaned:
        return ""
    code = cleaned.replace(" ", "").upper()
    if len(code) == 2 and code in state_time_zones():
        return code
    return _STATE_NAMES.get(cleaned, "")


@lru_cache(maxsize=16384)
def state_from_postal_code(text: str) -> str:
    """The state of a US ZIP code (5 digits, ZIP+4, or with its leading zeros lost) or the
    province of a Canadian postal code; "" when it is neither."""
    text = text.strip().upper()
    if not text:
        return ""
    if text[0].isalpha():
        if re.fullmatch(r"[A-Z]\d[A-Z] ?\d[A-Z]\d", text):
            return _POSTAL_LETTER_PROVINCES.get(text[0], "")
        return ""
    digits = _NOT_ZIP.sub("", text.split("-")[0])
    if not 3 <= len(digits) <= 5 or len(digits) != len(text.split("-")[0].strip()):
        return ""
    return _zip3_states().get(digits.zfill(5)[:3], "")


@lru_cache(maxsize=4096)
def zones_from_text(text: str) -> tuple[str, ...]:
    """IANA zones from an IANA name ("America/Chicago") or a common word ("Central", "EST")."""
    stripped = text.strip()
    if not stripped:
        return ()
    if "/" in stripped and not stripped.casefold().startswith("us/"):
        return (stripped,) if _is_zone(stripped) else ()
    word = _WORD_NOISE.sub("", stripped.casefold())
    return _ZONE_WORDS.get(word, ())


def _is_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


@lru_cache(maxsize=1024)
def same_clock(first: str, second: str) -> bool:
    """Whether two zones show the same time all this year (America/Indiana/Indianapolis and
    America/New_York do); checked at each month's middle."""
    if first == second:
        return True
    year = datetime.now(UTC).year
    one, two = zoneinfo.ZoneInfo(first), zoneinfo.ZoneInfo(second)
    for month in range(1, 13):
        instant = datetime(year, month, 15, 12, tzinfo=UTC)
        if instant.astimezone(one).utcoffset() != instant.astimezone(two).utcoffset():
            return False
    return True


class LocationResolver:
    """A row's location from its number and its time-zone, postal-code and state values.

    Answers are kept per distinct combination, so a file with these columns still costs a
    dict look-up per row once its values repeat.
    """

    def __init__(self, numbers: NumberLocations | None = None):
        self.numbers = numbers or NumberLocations()
        self._answers: dict[tuple, Location] = {}

    def resolve(self, e164: str, time_zone: str = "", postal_code: str = "", state: str = "") -> Location:
        by_number = self.numbers.locate(e164)
        if not (time_zone or postal_code or state):
            return by_number
        key = (by_number, time_zone, postal_code, state)
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = _combine(by_number, time_zone, postal_code, state)
        return answer


def _combine(by_number: Location, time_zone: str, postal_code: str, state_text: str) -> Location:
    postal_state = state_from_postal_code(postal_code) if postal_code else ""
    column_state = state_from_text(state_text) if state_text else ""
    state = postal_state or column_state
    zones = zones_from_text(time_zone) if time_zone else ()
    if zones:
        return Location(" ".join(zones), state or by_number.state, FROM_TIME_ZONE)
    if not state:
        return by_number
    source = FROM_POSTAL_CODE if postal_state else FROM_STATE
    state_zones = state_time_zones().get(state, ())
    number_zones = by_number.zones
    if len(number_zones) <= len(state_zones) and (
        by_number.state == state
        and number_zones
        and all(any(same_clock(zone, other) for other in state_zones) for zone in number_zones)
    ):
        # The number is from this state: its exchange-level zone is the finer answer.
        return Location(by_number.time_zones, state, source)
    return Location(" ".join(state_zones), state, source)
