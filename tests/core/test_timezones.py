"""Each contact's time zone and state: from the number's prefix, or from the file's columns."""

import sys
from pathlib import Path

import pytest

from contactdesk.core import timezones
from contactdesk.core.contacts import ContactFilter, iter_contacts
from contactdesk.core.importer import import_file
from contactdesk.core.timezones import LocationResolver, NumberLocations, npa_states


@pytest.fixture
def db_path(engine_db):
    """The import tests of this module run on both engines: a file, and a PostgreSQL server."""
    return engine_db.location


@pytest.fixture
def locate():
    return NumberLocations().locate


@pytest.mark.parametrize(
    "number, zones, state",
    [
        ("+12125550147", "America/New_York", "NY"),
        # Split area codes: the exchange decides, where area-code tables give one zone.
        ("+16052015555", "America/Chicago", "SD"),  # eastern South Dakota
        ("+16052095555", "America/Denver", "SD"),  # western South Dakota
        ("+18502005555", "America/Chicago", "FL"),  # the Florida panhandle
        ("+12702025555", "America/Chicago", "KY"),  # western Kentucky
        ("+18123855555", "America/Chicago", "IN"),  # south-western Indiana
        ("+19062655555", "America/Chicago", "MI"),  # the Upper Peninsula's west end
        ("+15413725555", "America/Denver", "OR"),  # Malheur County, Oregon
        ("+12082015555", "America/Denver", "ID"),  # southern Idaho
        ("+12082155555", "America/Los_Angeles", "ID"),  # northern Idaho
        # Arizona (no DST) and its Navajo Nation exchanges (DST): the latter stay uncertain.
        ("+16025550147", "America/Phoenix", "AZ"),
        ("+19282835555", "America/Denver America/Phoenix", "AZ"),
        ("+18085550147", "Pacific/Honolulu", "HI"),
        ("+19072095555", "America/Juneau", "AK"),
        ("+19075550147", "America/Adak America/Anchorage", "AK"),  # no exchange data: both Alaska zones
        ("+14165550147", "America/Toronto", "ON"),
        ("+17875550147", "America/Puerto_Rico", "PR"),
        ("+4930123456", "Europe/Berlin", ""),
    ],
)
def test_a_number_s_zone_and_state_come_from_its_prefix(locate, number, zones, state):
    location = locate(number)
    assert (location.time_zones, location.state, location.source) == (zones, state, "number")


def test_a_toll_free_number_has_every_zone_of_the_country_as_candidates(locate):
    location = locate("+18005550147")
    assert location.time_zone is None  # uncertain
    assert {"America/New_York", "America/Los_Angeles", "Pacific/Honolulu", "Pacific/Guam"} <= set(location.zones)
    assert locate("+18885550147") == location


def test_an_area_code_without_zone_data_gets_its_state_s_zones(locate):
    # phonenumbers has no zone for 208 as a whole; its state (Idaho) narrows it down.
    assert locate("+12085550147").zones == ["America/Boise", "America/Los_Angeles"]


def test_phonenumbers_is_asked_once_per_prefix_not_once_per_number(monkeypatch):
    data_lookups, parses = [], []
    zones_for_digits, number_type = timezones._zones_for_digits, timezones._number_type
    monkeypatch.setattr(timezones, "_zones_for_digits", lambda d: data_lookups.append(d) or zones_for_digits(d))
    monkeypatch.setattr(timezones, "_number_type", lambda e164: parses.append(e164) or number_type(e164))
    locations = NumberLocations()
    for line in range(1000):
        locations.locate(f"+1212555{line:04d}")
        locations.locate(f"+1605201{line:04d}")
        locations.locate(f"+4930{line:06d}")
    assert len(data_lookups) == 3  # New York's area code, one South Dakota exchange, Berlin
    assert len(parses) == 1  # only the Berlin number's kind needs parsing (North America's never does)


def test_columns_win_over_the_number_and_say_which_source_decided():
    resolve = LocationResolver().resolve
    # A New York number whose owner lives at a Beverly Hills ZIP.
    assert resolve("+12125550147", postal_code="90210") == ("America/Los_Angeles", "CA", "postal_code")
    assert resolve("+12125550147", state="Texas") == ("America/Chicago America/Denver", "TX", "state")
    assert resolve("+12125550147", time_zone="Pacific") == ("America/Los_Angeles", "NY", "time_zone")
    assert resolve("+12125550147", time_zone="America/Chicago") == ("America/Chicago", "NY", "time_zone")
    # The time zone beats the ZIP, the ZIP beats the state.
    assert resolve("+12125550147", time_zone="HST", postal_code="90210", state="FL").source == "time_zone"
    assert resolve("+12125550147", postal_code="90210", state="FL").state == "CA"
    # A column that says nothing usable leaves the number's answer.
    assert resolve("+12125550147", time_zone="soon", postal_code="n/a", state="??").source == "number"


def test_a_state_column_keeps_the_number_s_exchange_zone_when_the_number_is_from_that_state():
    resolve = LocationResolver().resolve
    # Florida has two zones; a panhandle number in Florida is known to be Central.
    assert resolve("+18502005555", state="FL") == ("America/Chicago", "FL", "state")
    # Indiana's own zone name and phonenumbers' America/New_York keep the same clock.
    assert resolve("+13175550147", state="Indiana").time_zones == "America/New_York"
    # A Florida number in Texas: Texas's zones.
    assert resolve("+18502005555", state="TX").time_zones == "America/Chicago America/Denver"


@pytest.mark.parametrize(
    "text, state",
    [("90210", "CA"), ("02134-1234", "MA"), ("2134", "MA"), ("99501", "AK"), ("96813", "HI"), ("85001", "AZ")]
    + [("K1A 0B1", "ON"), ("V6B1A1", "BC"), ("", ""), ("ABCDE", ""), ("123456", "")],
)
def test_postal_codes_give_states(text, state):
    assert timezones.state_from_postal_code(text) == state


def test_import_stores_the_zone_and_a_zip_column_overrides_the_area_code(campaign, data_dir):
    result = import_file(campaign.id, data_dir / "zip_column_overrides_area_code.csv")
    assert result.success, result.message
    assert result.mapping["ZIP"] == "postal_code"
    stored = {row.name: row.to_dict() for row in iter_contacts(ContactFilter(campaign.id))}
    beverly_hills = stored["New York number living in Beverly Hills"]
    assert (beverly_hills["time_zone"], beverly_hills["state"], beverly_hills["time_zone_source"]) == (
        "America/Los_Angeles",
        "CA",
        "postal_code",
    )
    no_zip = stored["New York number with no ZIP"]
    assert (no_zip["time_zone"], no_zip["state"], no_zip["time_zone_source"]) == ("America/New_York", "NY", "number")
    assert stored["LA number with ZIP+4 in Boston"]["time_zone"] == "America/New_York"
    assert stored["Florida panhandle number with a lost leading zero"]["state"] == "MA"


def test_import_reads_state_and_time_zone_columns(campaign, data_dir):
    result = import_file(campaign.id, data_dir / "state_and_time_zone_columns_semicolon.csv")
    assert result.success, result.message
    assert {result.mapping["state"], result.mapping["time zone"]} == {"state", "time_zone"}
    stored = {row.phone_number: row for row in iter_contacts(ContactFilter(campaign.id))}
    assert (stored["+12125550147"].time_zones, stored["+12125550147"].location_source) == (
        "America/Chicago",
        "time_zone",
    )
    assert (stored["+13105550148"].state, stored["+13105550148"].location_source) == ("TX", "state")
    assert stored["+16052015555"].time_zones == "America/Chicago"  # the exchange, within the state
    # Not a real zone: the number decides.
    assert (stored["+12085550149"].state, stored["+12085550149"].location_source) == ("ID", "number")


def test_the_area_code_table_is_phonenumbers_geocoding_data():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    try:
        from make_npa_states import npa_states as from_phonenumbers
    finally:
        sys.path.pop(0)
    assert npa_states() == from_phonenumbers()


def test_location_headers_are_recognised_only_when_their_values_say_so():
    from contactdesk.core.mapping import resolve_mapping

    headers = ["Phone", "Region", "Zip", "TZ"]
    sales_regions = [["2125550147", "East", "n/a", "soon"], ["2125550148", "West", "", "later"]]
    mapping = resolve_mapping(headers, sample_rows=sales_regions)
    assert mapping.targets == {"Phone": "phone_number", "Region": "Region", "Zip": "Zip", "TZ": "TZ"}
    states = [["2125550147", "TX", "73301", "Central"], ["2125550148", "California", "90210", "America/Denver"]]
    mapping = resolve_mapping(headers, sample_rows=states)
    assert mapping.targets == {"Phone": "phone_number", "Region": "state", "Zip": "postal_code", "TZ": "time_zone"}
