"""Hostile names and values are only ever data: every statement is parameterized, on both engines
(PostgreSQL's driver reads % in statements, so values full of % and ? must pass through as text)."""

import json

import pytest

from contactdesk.__main__ import main
from contactdesk.core import campaigns, contacts
from contactdesk.store import close_db, init_db
from contactdesk.store.models import Campaign, Contact
from team_data import NEW_YORK_MORNING, add_campaign

HOSTILE = [
    "Robert'); DROP TABLE contact; --",
    "%s %(name)s %% %",
    "? ?? '?'",
    '"contact"; DELETE FROM campaign',
    "back\\slash\\' and '' quotes",
    "$1 $$ dollar $$",
    "E'\\x41' ::text",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_campaign_names_and_values_are_stored_and_found_as_written(engine_db, hostile):
    campaign = add_campaign(
        hostile, 2, name=hostile, email=hostile, company=hostile, variables=json.dumps({hostile: 1})
    )

    assert [c.name for c in campaigns.list_campaigns()] == [hostile]
    found = contacts.fetch_contacts(contacts.ContactFilter(campaign, ("pending",), hostile), 0, 10)
    assert [(row.name, row.email, row.company, row.variables_dict()) for row in found] == [
        (hostile, hostile, hostile, {hostile: 1})
    ] * 2
    assert campaigns.rename_campaign(campaign, hostile + " 2").name == hostile + " 2"
    with pytest.raises(campaigns.CampaignError):
        campaigns.create_campaign(hostile + " 2")
    assert Contact.select().count() == 2 and Campaign.select().count() == 1


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_callers_and_searches_on_the_command_line(engine_db, hostile, capsys):
    campaign = add_campaign("Spring", 2)
    close_db()

    def cli(*args):
        code = main([*map(str, args), "--db", engine_db.location])
        close_db()
        return code, *capsys.readouterr()

    code, out, err = cli("contacts", "next", campaign, "--caller", hostile, "--at", NEW_YORK_MORNING, "--json")
    assert code == 0, err
    assert json.loads(out)["claimed_by"] == hostile
    code, out, err = cli("contacts", "mark", campaign, "failed", "2125550000", "--caller", hostile, "--json")
    assert (code, json.loads(out)["updated"]) == (0, 1), err
    code, out, err = cli("contacts", "list", campaign, "--search", hostile, "--json")
    assert (code, json.loads(out)) == (0, [])
    code, out, err = cli("campaign", "create", hostile, "--json")
    assert code == 0, err

    init_db(engine_db.location)
    assert Contact.get(Contact.phone_number == "+12125550000").marked_by == hostile
    assert sorted(c.name for c in Campaign.select()) == sorted(["Spring", " ".join(hostile.split())])
    assert Contact.select().count() == 2


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_column_names_and_values_are_imported_as_template_variables_and_nothing_else(
    engine_db, write_csv, hostile
):
    import csv
    import io

    from contactdesk.core.importer import import_file
    from contactdesk.store.models import ImportRun

    campaign = campaigns.create_campaign(hostile).id
    buffer = io.StringIO()
    columns = ["phone", hostile, hostile + " %s", "$1"]
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerow(["2125550101", hostile, "%s", "$1"])
    writer.writerow(["2125550102", "", hostile, ""])
    mapping = {"phone": "phone_number", hostile: hostile, hostile + " %s": hostile + " %s", "$1": "$1"}

    result = import_file(campaign, write_csv(buffer.getvalue()), mapping)

    assert result.success, result.message
    assert result.imported_count == 2
    stored = {c.phone_number: json.loads(c.variables) for c in Contact.select().order_by(Contact.id)}
    assert stored == {
        "+12125550101": {hostile: hostile, hostile + " %s": "%s", "$1": "$1"},
        "+12125550102": {hostile + " %s": hostile},
    }
    assert contacts.variable_names(campaign) == [hostile, hostile + " %s", "$1"]
    assert json.loads(ImportRun.get().mapping_json) == mapping
    # Nothing else happened: every table is there, with only what the import put in.
    assert [c.name for c in campaigns.list_campaigns()] == [hostile]
    assert Contact.select().count() == 2 and ImportRun.select().count() == 1
