"""An export writes the same file on SQLite and on a PostgreSQL server."""

from contactdesk.core.contacts import ContactFilter
from contactdesk.core.export import export_contacts
from contactdesk.store.models import Contact, ImportRun
from team_data import add_campaign


def test_an_export_pages_through_the_contacts_and_guards_formulas(engine_db, tmp_path):
    campaign = add_campaign("Spring", 2500, variables='{"plan": "gold"}')
    ImportRun.create(campaign=campaign, file_name="a.csv", variables_json='["plan"]')
    Contact.update(name="=SUM(A1)").where(Contact.phone_number == "+12125552400").execute()
    out = tmp_path / "out.csv"

    assert export_contacts(ContactFilter(campaign), out) == 2500

    lines = out.read_bytes().decode("utf-8-sig").split("\r\n")
    assert lines[0] == "phone_number,name,email,company,status,plan"
    assert lines[1] == "+12125550000,Contact 0,,,pending,gold"
    assert lines[2401] == "+12125552400,'=SUM(A1),,,pending,gold"
    assert lines[2500:] == ["+12125552499,Contact 2499,,,pending,gold", ""]
