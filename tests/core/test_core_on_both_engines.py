"""The core's campaign, contact and calling-hours functions, unchanged, on both engines."""

from contactdesk.core import campaign_hours, campaigns, contacts
from contactdesk.core.calling_hours import parse_instant
from contactdesk.store.models import Contact
from team_data import NEW_YORK_MORNING, NEW_YORK_NIGHT, add_campaign


def test_campaigns_are_created_listed_renamed_and_deleted(engine_db):
    spring = campaigns.create_campaign("Spring outreach").id
    campaigns.create_campaign("autumn")
    campaigns.rename_campaign(spring, "Summer outreach")

    assert [(c.name, c.total_contacts) for c in campaigns.list_campaigns()] == [
        ("autumn", 0),
        ("Summer outreach", 0),
    ]
    assert campaigns.unique_campaign_name("SUMMER outreach") == "SUMMER outreach (2)"
    assert campaigns.delete_campaign(spring) == 0
    assert [c.name for c in campaigns.list_campaigns()] == ["autumn"]


def test_contacts_are_counted_searched_paged_and_marked(engine_db):
    campaign = add_campaign("Spring", 5)
    Contact.update(name="Jürgen Müller", search_text="jurgen muller\n\n").where(
        Contact.phone_number == "+12125550003"
    ).execute()
    everyone = contacts.ContactFilter(campaign)

    assert contacts.count_contacts(everyone) == 5
    assert [r.phone_number for r in contacts.fetch_contacts(contacts.ContactFilter(campaign, (), "muller"), 0, 10)] == [
        "+12125550003"
    ]
    assert contacts.count_contacts(contacts.ContactFilter(campaign, (), "212 555 000")) == 5
    assert contacts.count_contacts(contacts.ContactFilter(campaign, (), "CONTACT")) == 4  # case does not matter
    assert [r.source_row for r in contacts.fetch_contacts(everyone, 1, 2, "name", descending=True)] == [6, 4]
    assert len(list(contacts.iter_contacts(everyone, page_size=2))) == 5

    marked = contacts.mark_phones(campaign, "completed", ["(212) 555-0001", "2125559999"])
    assert (marked.updated, marked.not_found) == (1, ["+12125559999"])
    ids = [r.id for r in contacts.fetch_contacts(everyone, 0, 5)]
    assert contacts.set_status_by_ids(campaign, ids[2:4], "failed") == 2
    assert contacts.set_status_where(contacts.ContactFilter(campaign, ("pending",)), "skipped") == 2
    summary = campaigns.campaign_summary(campaign)
    assert summary.by_status == {"pending": 0, "completed": 1, "failed": 2, "skipped": 2, "do_not_call": 0}
    assert contacts.next_contact_id(contacts.ContactFilter(campaign, ("failed",)), ids[3]) == ids[2]
    assert contacts.row_of_contact(everyone, ids[4]) == 4


def test_calling_hours_are_set_and_decide_who_is_callable(engine_db):
    campaign = add_campaign("Spring", 3)
    morning, night = parse_instant(NEW_YORK_MORNING), parse_instant(NEW_YORK_NIGHT)

    assert campaign_hours.callable_pending_count(campaign, morning) == 3
    assert campaign_hours.callable_pending_count(campaign, night) == 0
    campaign_hours.set_campaign_hours(campaign, ["mon closed"])

    assert campaign_hours.campaign_hours(campaign).specs()[0] == "mon closed"
    assert campaign_hours.callable_pending_count(campaign, morning) == 0
    assert campaign_hours.callable_pending_counts(morning) == {campaign: 0}


def test_rows_selected_in_a_sorted_filtered_view_are_marked_as_they_were_shown(engine_db):
    campaign = add_campaign("Spring", 8)
    pending = contacts.ContactFilter(campaign, ("pending",))
    shown = [r.phone_number for r in contacts.fetch_contacts(pending, 0, 8, "name", descending=True)]

    # Rows 0-1 and 4-5 of the pending contacts, newest name first; once marked they leave the
    # filter, so each range must be found before anything changes.
    changed = contacts.set_status_at_rows(pending, [(0, 1), (4, 5)], ("name", True), "completed", "ann")

    assert changed == 4
    done = Contact.select().where(Contact.status == "completed").order_by(Contact.name.desc())
    assert [(c.phone_number, c.marked_by) for c in done] == [(shown[i], "ann") for i in (0, 1, 4, 5)]


def test_many_separate_selected_rows_are_marked_as_they_were_shown(engine_db):
    campaign = add_campaign("Spring", 1_200)
    pending = contacts.ContactFilter(campaign, ("pending",))
    shown = [r.phone_number for r in contacts.fetch_contacts(pending, 0, 1_200, "name", descending=True)]
    every_other = [(row, row) for row in range(0, 1_200, 2)]  # 600 ranges: more than one SELECT may hold

    assert contacts.set_status_at_rows(pending, every_other, ("name", True), "failed", "ann") == 600

    failed = Contact.select().where((Contact.status == "failed") & (Contact.marked_by == "ann"))
    assert {c.phone_number for c in failed} == set(shown[::2])
