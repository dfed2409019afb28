"""Finding the contacts callable at an instant: counts, the filter, the next one in import order."""

from contactdesk.core.calling_hours import parse_instant
from contactdesk.core.campaign_hours import (
    callable_location_ids,
    callable_pending_count,
    callable_pending_counts,
    set_campaign_hours,
)
from contactdesk.core.contacts import (
    ContactFilter,
    count_contacts,
    fetch_contacts,
    next_contact_id,
    row_of_contact,
    set_status_where,
)
from contactdesk.core.importer import import_file

# 11:05 in New York on a Monday: Eastern, Pacific (08:05), both South Dakotas and Phoenix are open.
LATE_MORNING = parse_instant("2026-07-06T11:05:00-04:00")
OPEN_THEN = ["Eastern", "Pacific", "Eastern South Dakota", "Western South Dakota", "Phoenix"]


def _names(contact_filter: ContactFilter) -> list[str]:
    return [row.name for row in fetch_contacts(contact_filter, 0, 100)]


def test_the_callable_filter_counts_and_next_contact(campaign, data_dir):
    assert import_file(campaign.id, data_dir / "time_zones_of_us_area_codes.csv").success
    ids = tuple(callable_location_ids(campaign.id, LATE_MORNING))
    callable_now = ContactFilter(campaign.id, callable_location_ids=ids)
    assert _names(callable_now) == OPEN_THEN
    assert callable_pending_count(campaign.id, LATE_MORNING) == 5
    assert callable_pending_counts(LATE_MORNING) == {campaign.id: 5}
    assert count_contacts(ContactFilter(campaign.id, callable_location_ids=())) == 0

    # Next, in import order, wrapping round; a completed contact is no longer pending.
    everyone = {row.name: row.id for row in fetch_contacts(ContactFilter(campaign.id), 0, 100)}
    assert next_contact_id(callable_now, 0) == everyone["Eastern"]
    assert next_contact_id(callable_now, everyone["Western South Dakota"]) == everyone["Phoenix"]
    assert next_contact_id(callable_now, everyone["Phoenix"]) == everyone["Eastern"]
    set_status_where(ContactFilter(campaign.id, search="Pacific"), "completed")
    assert next_contact_id(callable_now, everyone["Eastern"]) == everyone["Eastern South Dakota"]
    assert callable_pending_count(campaign.id, LATE_MORNING) == 4

    # The row of a contact in the list as it is sorted (by name, descending here).
    by_name = ContactFilter(campaign.id)
    names = [row.name for row in fetch_contacts(by_name, 0, 100, "name", True)]
    assert row_of_contact(by_name, everyone["Hawaii"], "name", True) == names.index("Hawaii")
    assert row_of_contact(by_name, everyone["Hawaii"]) == 6  # import order
    assert row_of_contact(callable_now, everyone["Hawaii"]) is None  # not in that list


def test_campaign_hours_change_who_is_callable(campaign, data_dir):
    assert import_file(campaign.id, data_dir / "time_zones_of_us_area_codes.csv").success
    set_campaign_hours(campaign.id, ["mon 12:00-17:00"])
    # 11:05 Eastern: nobody's local time is past noon yet.
    assert callable_pending_count(campaign.id, LATE_MORNING) == 0
