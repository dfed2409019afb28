"""Callers never collide: claims of the next contact, their expiry, and who marked each result."""

from datetime import timedelta

from contactdesk.core.calling_hours import parse_instant
from contactdesk.core.next_contact import claim_next_contact
from contactdesk.store import claims
from contactdesk.store.models import Contact, DncEntry
from team_data import NEW_YORK_MORNING, NEW_YORK_NIGHT, add_campaign

MORNING = parse_instant(NEW_YORK_MORNING)


def phone(contact_id):
    return Contact.get_by_id(contact_id).phone_number


def test_two_callers_get_different_contacts(engine_db):
    campaign = add_campaign("Spring", 3)

    ann = claims.claim_next(campaign, "ann", MORNING)
    bob = claims.claim_next(campaign, "bob", MORNING)

    assert ann != bob
    assert claims.claim_of(ann)[0] == "ann" and claims.claim_of(bob)[0] == "bob"
    assert claims.claim_of(ann)[1] == "2026-07-06 14:00:00"  # UTC


def test_a_claim_left_for_15_minutes_goes_to_the_next_caller(engine_db):
    campaign = add_campaign("Spring", 2)
    first = claims.claim_next(campaign, "ann", MORNING)
    second = claims.claim_next(campaign, "bob", MORNING + timedelta(minutes=14))

    assert claims.claim_next(campaign, "cid", MORNING + timedelta(minutes=14, seconds=59)) is None
    assert claims.claim_next(campaign, "cid", MORNING + timedelta(minutes=15, seconds=1)) == first
    assert second != first


def test_a_marked_result_records_who_and_when_and_is_never_claimed_again(engine_db):
    campaign = add_campaign("Spring", 2)
    first = claims.claim_next(campaign, "ann", MORNING)

    assert claims.mark_result(first, "completed", "ann", MORNING + timedelta(minutes=3))

    contact = Contact.get_by_id(first)
    assert contact.status == "completed"
    assert claims.claim_of(first) == (None, None, "ann", "2026-07-06 14:03:00")
    assert claims.claim_next(campaign, "bob", MORNING) != first
    assert claims.claim_next(campaign, "cid", MORNING) is None


def test_next_again_moves_on_and_the_skipped_contact_stays_claimed_until_it_expires(engine_db):
    campaign = add_campaign("Spring", 3)
    first = claims.claim_next(campaign, "ann", MORNING)

    second = claims.claim_next(campaign, "ann", MORNING)  # another window with the same caller name, or a skip

    assert second != first
    assert claims.claim_of(first)[0] == "ann"
    assert claims.claim_next(campaign, "bob", MORNING) not in (first, second)
    assert claims.claim_next(campaign, "bob", MORNING + timedelta(minutes=16)) == first


def test_numbers_on_the_do_not_call_list_are_never_claimed(engine_db):
    campaign = add_campaign("Spring", 3)
    ids = [c.id for c in Contact.select(Contact.id).order_by(Contact.id)]
    DncEntry.create(phone_number=phone(ids[0]), reason="request")
    Contact.update(status="do_not_call").where(Contact.id == ids[1]).execute()

    assert claims.claim_next(campaign, "ann", MORNING) == ids[2]
    assert claims.claim_next(campaign, "bob", MORNING) is None


def test_only_contacts_that_may_be_called_now_are_claimed(engine_db):
    campaign = add_campaign("Spring", 1)

    assert claim_next_contact(campaign, "ann", parse_instant(NEW_YORK_NIGHT)) is None
    claimed = claim_next_contact(campaign, "ann", MORNING)

    assert claimed.to_dict() | {"id": 0} == {
        "id": 0,
        "phone_number": "+12125550000",
        "name": "Contact 0",
        "email": "",
        "company": "",
        "status": "pending",
        "variables": {},
        "time_zone": "America/New_York",
        "time_zones": ["America/New_York"],
        "state": "NY",
        "time_zone_source": "number",
        "source_row": 2,
        "claimed_by": "ann",
        "claimed_at": "2026-07-06 14:00:00",
        "local_time": "2026-07-06T10:00:00-04:00",
        "callable": True,
        "window_opens_at": None,
    }
