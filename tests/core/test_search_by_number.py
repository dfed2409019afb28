"""Searching contacts by number: digits typed as people dial them at home find the stored number."""

from contactdesk.core.contacts import ContactFilter, count_contacts, fetch_contacts, phone_prefixes
from contactdesk.core.importer import import_file

CONTACTS_CSV = "name,phone\nLondon mobile,+447700900123\nNew York office,+12127365001\nMorocco office,+212522123456\n"


def names_found(campaign_id: int, text: str, region: str) -> list[str]:
    rows = fetch_contacts(ContactFilter(campaign_id, search=text, region=region), 0, 100, order_by="source_row")
    return [row.name for row in rows]


def test_a_british_number_typed_with_its_trunk_zero_is_found_with_default_region_gb(campaign, write_csv):
    import_file(campaign.id, write_csv(CONTACTS_CSV))
    assert names_found(campaign.id, "07700 900123", "GB") == ["London mobile"]
    assert names_found(campaign.id, "07700", "GB") == ["London mobile"]
    assert count_contacts(ContactFilter(campaign.id, search="07700 900123", region="GB")) == 1


def test_digits_are_not_read_as_a_north_american_number_when_the_default_region_is_gb(campaign, write_csv):
    import_file(campaign.id, write_csv(CONTACTS_CSV))
    # "212 736" is New York (+1 212 736...) only for US; for GB it means +212 736... (none here).
    assert names_found(campaign.id, "212 736", "GB") == []
    assert names_found(campaign.id, "212 736", "US") == ["New York office"]


def test_digits_with_their_country_code_and_with_a_plus_work_in_every_region(campaign, write_csv):
    import_file(campaign.id, write_csv(CONTACTS_CSV))
    for region in ("US", "GB"):
        assert names_found(campaign.id, "+44 7700", region) == ["London mobile"]
        assert names_found(campaign.id, "212 522", region) == ["Morocco office"]
    assert names_found(campaign.id, "+1 212", "GB") == ["New York office"]
    # The default region stays US: "212" finds both New York (+1 212) and Morocco (+212).
    assert [row.name for row in fetch_contacts(ContactFilter(campaign.id, search="212"), 0, 10)] == [
        "New York office",
        "Morocco office",
    ]


def test_the_region_is_read_in_any_case_like_everywhere_else():
    assert phone_prefixes("07700 900123", "gb") == phone_prefixes("07700 900123", "GB")
