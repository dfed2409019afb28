"""contactdesk contacts next / mark --caller: claims and results on the command line, on both engines."""

import getpass
import json

from contactdesk.store import claims
from contactdesk.store.models import Contact
from team_data import NEW_YORK_MORNING, NEW_YORK_NIGHT, add_campaign


def test_next_claims_a_different_contact_for_each_caller(engine_cli):
    campaign = add_campaign("Spring", 2)

    code, out, err = engine_cli("contacts", "next", campaign, "--caller", "Ann", "--at", NEW_YORK_MORNING, "--json")
    assert code == 0, err
    ann = json.loads(out)
    code, out, err = engine_cli("contacts", "next", campaign, "--caller", "Bob", "--at", NEW_YORK_MORNING, "--json")
    bob = json.loads(out)
    code, out, err = engine_cli("contacts", "next", campaign, "--caller", "Cid", "--at", NEW_YORK_MORNING, "--json")

    assert (ann["phone_number"], ann["claimed_by"], ann["callable"]) == ("+12125550000", "Ann", True)
    assert (bob["phone_number"], bob["claimed_by"]) == ("+12125550001", "Bob")
    assert (code, out.strip()) == (0, "null")
    assert "none was claimed" in err


def test_next_without_a_caller_claims_for_the_user(engine_cli):
    campaign = add_campaign("Spring", 1)

    code, out, _err = engine_cli("contacts", "next", campaign, "--at", NEW_YORK_MORNING, "--json")

    assert code == 0 and json.loads(out)["claimed_by"] == getpass.getuser()


def test_next_outside_calling_hours_claims_nothing(engine_cli):
    campaign = add_campaign("Spring", 1)

    code, out, _err = engine_cli("contacts", "next", campaign, "--at", NEW_YORK_NIGHT, "--json")

    assert (code, json.loads(out)) == (0, None)
    assert claims.claim_of(Contact.get().id)[0] is None


def test_mark_records_who_marked_and_ends_the_claim(engine_cli):
    campaign = add_campaign("Spring", 2)
    engine_cli("contacts", "next", campaign, "--caller", "Ann", "--at", NEW_YORK_MORNING)

    code, out, err = engine_cli("contacts", "mark", campaign, "completed", "(212) 555-0000", "--caller", "Ann Lee")

    assert code == 0, err
    contact = Contact.get(Contact.phone_number == "+12125550000")
    claimed_by, claimed_at, marked_by, marked_at = claims.claim_of(contact.id)
    assert (contact.status, claimed_by, claimed_at, marked_by) == ("completed", None, None, "Ann Lee")
    assert marked_at is not None
    untouched = Contact.get(Contact.phone_number == "+12125550001")
    assert claims.claim_of(untouched.id) == (None, None, None, None)


def test_next_on_a_missing_campaign_says_so(engine_cli):
    code, _out, err = engine_cli("contacts", "next", "42", "--json")

    assert code == 4 and "Campaign 42 was not found." in err


def test_a_bad_time_is_a_usage_error(engine_cli):
    campaign = add_campaign("Spring", 1)

    code, _out, err = engine_cli("contacts", "next", campaign, "--at", "tomorrow")

    assert code == 2 and "--at" in err
