"""The command line for calling hours: contacts list --at/--callable-now, campaign hours."""

import json

import pytest


@pytest.fixture
def imported(cli, data_dir):
    cli("campaign", "create", "Spring")
    code, _, err = cli("import", 1, data_dir / "time_zones_of_us_area_codes.csv")
    assert code == 0, err
    return cli


def listed(cli, *args) -> dict[str, dict]:
    code, out, err = cli("contacts", "list", 1, *args, "--json")
    assert code == 0, err
    return {contact["name"]: contact for contact in json.loads(out)}


def test_at_8_05_in_new_york_only_the_eastern_contacts_are_callable(imported):
    contacts = listed(imported, "--at", "2026-07-06T08:05:00-04:00")
    eastern, pacific = contacts["Eastern"], contacts["Pacific"]
    assert (eastern["time_zone"], eastern["time_zones"], eastern["state"]) == (
        "America/New_York",
        ["America/New_York"],
        "NY",
    )
    assert (eastern["local_time"], eastern["callable"], eastern["window_opens_at"]) == (
        "2026-07-06T08:05:00-04:00",
        True,
        None,
    )
    assert (pacific["local_time"], pacific["callable"], pacific["window_opens_at"]) == (
        "2026-07-06T05:05:00-07:00",
        False,
        "2026-07-06T08:00:00-07:00",  # 11:00 in New York
    )
    assert contacts["Eastern South Dakota"]["time_zone"] == "America/Chicago"
    assert contacts["Western South Dakota"]["time_zone"] == "America/Denver"
    toll_free = contacts["Toll free"]
    assert toll_free["time_zone"] is None and len(toll_free["time_zones"]) > 20 and toll_free["state"] is None
    assert toll_free["callable"] is False and toll_free["local_time"] is None
    alaska = contacts["Alaska"]
    assert alaska["time_zone"] is None and alaska["time_zones"] == ["America/Adak", "America/Anchorage"]

    callable_now = listed(imported, "--at", "2026-07-06T12:05:00Z", "--callable-now")
    assert list(callable_now) == ["Eastern"]
    # Z and an offset name the same instant.
    assert listed(imported, "--at", "2026-07-06T08:05:00-04:00", "--callable-now") == callable_now


def test_by_evening_in_new_york_the_west_and_hawaii_are_callable(imported):
    callable_now = listed(imported, "--at", "2026-07-06T21:30:00-04:00", "--callable-now")
    # 21:30 in New York is 20:30 in Chicago (eastern South Dakota) and earlier further west.
    assert set(callable_now) == {
        "Pacific",
        "Eastern South Dakota",
        "Western South Dakota",
        "Alaska",
        "Hawaii",
        "Phoenix",
    }


def test_campaign_hours_show_set_and_apply(imported):
    code, out, _ = imported("campaign", "hours", 1, "--json")
    shown = json.loads(out)
    assert code == 0 and shown["specs"] == ["daily 08:00-21:00"]
    assert {rule["state"] for rule in shown["state_rules"]} >= {"FL", "TX", "RI"}
    assert all(rule["status"] in ("verified", "unverified") and rule["source"] for rule in shown["state_rules"])
    code, out, _ = imported("campaign", "hours", 1, "--set", "mon-fri 09:00-20:00", "--set", "sun closed", "--json")
    assert code == 0
    assert json.loads(out)["hours"]["mon"] == ["09:00", "20:00"] and json.loads(out)["hours"]["sun"] is None
    # 08:05 in New York is now before the campaign's 09:00.
    assert listed(imported, "--at", "2026-07-06T08:05:00-04:00")["Eastern"]["window_opens_at"] == (
        "2026-07-06T09:00:00-04:00"
    )
    code, out, _ = imported("campaign", "hours", 1)
    assert "mon-fri 09:00-20:00" in out and "sun closed" in out and "not legal advice" in out


def test_bad_hours_and_times_are_refused_and_change_nothing(imported):
    code, _, err = imported("campaign", "hours", 1, "--set", "mon-fri 09:00-20:00", "--set", "funday 1-2")
    assert code == 3 and "Unknown day 'funday'" in err and "Traceback" not in err
    code, out, _ = imported("campaign", "hours", 1, "--json")
    assert json.loads(out)["specs"] == ["daily 08:00-21:00"]
    code, _, err = imported("contacts", "list", 1, "--at", "2026-07-06 08:05")
    assert code == 2 and "no offset" in err
    code, _, err = imported("campaign", "hours", 99)
    assert code == 4 and "not found" in err


def test_mapping_accepts_the_location_targets(cli, write_csv):
    cli("campaign", "create", "Spring")
    path = write_csv("Mobile,Where,Postcode,Zone\n2125550147,Texas,,\n2125550148,,90210,\n2125550149,,,Mountain\n")
    mapping = json.dumps({"Where": "state", "Postcode": "postal_code", "Zone": "time_zone"})
    code, out, err = cli("import", 1, path, "--mapping", mapping, "--json")
    assert code == 0, err
    contacts = {c["phone_number"]: c for c in json.loads(cli("contacts", "list", 1, "--json")[1])}
    assert (contacts["+12125550147"]["state"], contacts["+12125550147"]["time_zone_source"]) == ("TX", "state")
    assert contacts["+12125550148"]["time_zone"] == "America/Los_Angeles"
    assert contacts["+12125550149"]["time_zone"] == "America/Denver"
