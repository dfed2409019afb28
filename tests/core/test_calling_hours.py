"""Calling windows at fixed instants: campaign hours, state rules, DST, uncertain zones."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from contactdesk.core.calling_hours import (
    CallingWindows,
    HoursError,
    WeeklyHours,
    parse_instant,
    parse_spec,
    state_rules,
)
from contactdesk.core.timezones import NumberLocations

EASTERN, PACIFIC = "America/New_York", "America/Los_Angeles"


def at(text: str) -> datetime:
    return parse_instant(text)


def local(zone: str, text: str) -> datetime:
    """A wall-clock time in a zone ('2026-07-06 20:30')."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def test_at_8_05_in_new_york_pacific_contacts_wait_until_11_00_eastern():
    windows = CallingWindows()
    now = at("2026-07-06T08:05:00-04:00")  # a Monday
    assert windows.status(EASTERN, "NY", now).callable
    pacific = windows.status(PACIFIC, "CA", now)
    assert not pacific.callable
    assert pacific.local_time.isoformat() == "2026-07-06T05:05:00-07:00"
    assert pacific.opens_at == at("2026-07-06T11:00:00-04:00")
    assert pacific.to_dict()["window_opens_at"] == "2026-07-06T08:00:00-07:00"  # in the contact's own zone
    assert pacific.describe(now) == "opens in 2 h 55 min"


def test_across_the_spring_dst_change():
    windows = CallingWindows()
    # 12:30 UTC is 07:30 EST on Saturday 7 March 2026, and 08:30 EDT on Sunday 8 March.
    before, after = at("2026-03-07T12:30:00Z"), at("2026-03-08T12:30:00Z")
    assert not windows.status(EASTERN, "NY", before).callable
    assert windows.status(EASTERN, "NY", before).opens_at == at("2026-03-07T13:00:00Z")
    assert windows.status(EASTERN, "NY", after).callable
    assert windows.status(EASTERN, "NY", after).local_time.isoformat() == "2026-03-08T08:30:00-04:00"
    # Before the change the window closes at 02:00 UTC (21:00 EST); after it, at 01:00 UTC (21:00 EDT).
    assert windows.status(EASTERN, "NY", at("2026-03-08T01:30:00Z")).callable  # Sat 20:30 EST
    assert not windows.status(EASTERN, "NY", at("2026-03-09T01:30:00Z")).callable  # Sun 21:30 EDT


def test_arizona_keeps_its_clock_when_the_rest_of_the_west_changes():
    windows = CallingWindows()
    # 15:30 UTC: 08:30 in Phoenix on both days; Los Angeles goes from 07:30 PST to 08:30 PDT.
    before, after = at("2026-03-07T15:30:00Z"), at("2026-03-08T15:30:00Z")
    assert windows.status("America/Phoenix", "AZ", before).callable
    assert windows.status("America/Phoenix", "AZ", after).callable
    assert not windows.status(PACIFIC, "CA", before).callable
    assert windows.status(PACIFIC, "CA", after).callable


def test_hawaii():
    windows = CallingWindows()
    assert not windows.status("Pacific/Honolulu", "HI", at("2026-07-06T17:30:00Z")).callable  # 07:30 HST
    assert windows.status("Pacific/Honolulu", "HI", at("2026-07-06T18:30:00Z")).callable  # 08:30 HST
    assert not windows.status("Pacific/Honolulu", "HI", at("2026-07-07T07:30:00Z")).callable  # 21:30 HST


def test_alaska_uncertain_between_its_two_zones_is_callable_only_when_both_are_open():
    windows = CallingWindows()
    alaska = NumberLocations().locate("+19075550147")
    assert alaska.zones == ["America/Adak", "America/Anchorage"]
    # 16:30 UTC in July: 08:30 in Anchorage, 07:30 on Adak.
    status = windows.status(alaska.time_zones, alaska.state, at("2026-07-06T16:30:00Z"))
    assert not status.callable
    assert status.local_time is None and status.opens_at == at("2026-07-06T17:00:00Z")
    assert windows.status(alaska.time_zones, alaska.state, at("2026-07-06T17:30:00Z")).callable
    # 05:30 UTC next day: 21:30 in Anchorage, 20:30 on Adak.
    assert not windows.status(alaska.time_zones, alaska.state, at("2026-07-07T05:30:00Z")).callable


def test_a_toll_free_number_alone_is_never_callable():
    windows = CallingWindows()
    toll_free = NumberLocations().locate("+18005550147")
    start = at("2026-07-06T00:00:00Z")
    for quarter in range(4 * 24 * 8):
        status = windows.status(toll_free.time_zones, toll_free.state, start + timedelta(minutes=15 * quarter))
        assert not status.callable
    assert status.describe(start) == "time zone uncertain"


def test_an_unknown_zone_is_never_callable():
    status = CallingWindows().status("", "", at("2026-07-06T16:00:00Z"))
    assert not status.callable and status.to_dict() == {"local_time": None, "callable": False, "window_opens_at": None}


# (state, zone, local wall-clock time, callable) for each state rule; 2026-07-06 is a Monday.
RULE_CASES = [
    ("FL", EASTERN, "2026-07-06 20:30", False),
    ("FL", EASTERN, "2026-07-06 19:30", True),
    ("OK", "America/Chicago", "2026-07-06 20:30", False),
    ("MD", EASTERN, "2026-07-06 20:30", False),
    ("WA", PACIFIC, "2026-07-06 20:30", False),
    ("WA", PACIFIC, "2026-07-05 19:30", True),
    ("AL", "America/Chicago", "2026-07-05 10:00", False),  # Sunday
    ("AL", "America/Chicago", "2026-07-04 19:30", True),  # Saturday
    ("AL", "America/Chicago", "2026-07-04 20:30", False),
    ("LA", "America/Chicago", "2026-07-05 10:00", False),
    ("LA", "America/Chicago", "2026-07-06 20:30", False),
    ("MS", "America/Chicago", "2026-07-05 10:00", False),
    ("MS", "America/Chicago", "2026-07-06 10:00", True),
    ("TX", "America/Chicago", "2026-07-06 08:30", False),  # before 09:00 on a weekday
    ("TX", "America/Chicago", "2026-07-06 20:30", True),
    ("TX", "America/Chicago", "2026-07-05 11:30", False),  # Sunday before noon
    ("TX", "America/Chicago", "2026-07-05 12:30", True),
    ("RI", EASTERN, "2026-07-06 18:30", False),
    ("RI", EASTERN, "2026-07-06 17:30", True),
    ("RI", EASTERN, "2026-07-04 17:30", False),  # Saturday after 17:00
    ("RI", EASTERN, "2026-07-04 10:30", True),
    ("RI", EASTERN, "2026-07-05 12:00", False),  # Sunday
    ("NY", EASTERN, "2026-07-06 20:30", True),  # no stricter rule: the federal 21:00
    ("NY", EASTERN, "2026-07-05 08:30", True),
]


@pytest.mark.parametrize("state, zone, wall_clock, expected", RULE_CASES)
def test_each_state_rule(state, zone, wall_clock, expected):
    assert CallingWindows().status(zone, state, local(zone, wall_clock)).callable is expected


def test_every_shipped_rule_is_tested_and_says_its_source_date_and_status():
    rules = state_rules()
    assert set(rules) == {case[0] for case in RULE_CASES} - {"NY"}
    for rule in rules.values():
        assert rule.source and rule.date and rule.status in ("verified", "unverified")


def test_campaign_hours_narrow_the_window_and_state_rules_narrow_it_further():
    hours = WeeklyHours.parse(["mon-fri 09:00-20:00", "sat-sun closed"])
    windows = CallingWindows(hours)
    assert not windows.status(EASTERN, "NY", local(EASTERN, "2026-07-06 08:30")).callable
    assert not windows.status(EASTERN, "NY", local(EASTERN, "2026-07-04 12:00")).callable  # Saturday closed
    # Rhode Island closes at 18:00 on weekdays, inside the campaign's 20:00.
    assert not windows.status(EASTERN, "RI", local(EASTERN, "2026-07-06 18:30")).callable
    status = windows.status(EASTERN, "NY", local(EASTERN, "2026-07-04 12:00"))
    assert status.opens_at == local(EASTERN, "2026-07-06 09:00")
    assert status.describe(local(EASTERN, "2026-07-04 12:00")) == "closed today"


def test_hours_specs_read_and_write():
    hours = WeeklyHours.parse(["mon-fri 09:00-20:00", "sun closed", "sat 10-17"])
    assert hours.specs() == ["mon-fri 09:00-20:00", "sat 10:00-17:00", "sun closed"]
    assert WeeklyHours.from_json(hours.to_json()) == hours
    assert WeeklyHours().specs() == ["daily 08:00-21:00"]
    assert WeeklyHours.from_json("not json") == WeeklyHours()
    assert parse_spec("Saturday-Monday 9:30-24:00") == ([5, 6, 0], (570, 1440))


@pytest.mark.parametrize(
    "spec, says",
    [("funday 09:00-10:00", "Unknown day"), ("mon 10:00-09:00", "closes before it opens"), ("mon", "Cannot read")]
    + [("mon 25:00-26:00", "not a time of day"), ("mon 9", "Cannot read the hours")],
)
def test_unreadable_hours_say_how_to_write_them(spec, says):
    with pytest.raises(HoursError, match=says) as caught:
        parse_spec(spec)
    assert "mon-fri 09:00-20:00" in str(caught.value)


@pytest.mark.parametrize("text", ["2026-07-06T08:05:00", "tomorrow", ""])
def test_an_instant_needs_an_offset(text):
    with pytest.raises(HoursError):
        parse_instant(text)
