"""The do-not-call list: adding numbers, what it does to contacts, and imports leaving listed numbers out."""

import sqlite3

import peewee as pw
import pytest

from contactdesk.core import dnc
from contactdesk.core.campaigns import create_campaign
from contactdesk.core.contacts import ContactFilter, iter_contacts, mark_phones
from contactdesk.core.importer import import_file
from contactdesk.store import close_db, init_db
from contactdesk.store.migrations import STEPS, current_version
from contactdesk.store.models import db


@pytest.fixture
def db_path(engine_db):
    """The tests of this module run on both engines: a file, and a PostgreSQL server (tests/pg_server.py)."""
    return engine_db.location


def statuses(campaign_id) -> dict[str, str]:
    return {row.phone_number: row.status for row in iter_contacts(ContactFilter(campaign_id))}


FILE = "phone,name\n2125550101,Ann\n2125550102,Bob\n2125550103,Cy\n"


def test_adding_a_number_marks_its_pending_contacts_in_every_campaign(campaign, write_csv):
    other = create_campaign("Autumn")
    import_file(campaign.id, write_csv(FILE))
    import_file(other.id, write_csv(FILE))
    mark_phones(other.id, "completed", ["2125550101"])

    result = dnc.add_numbers(["(212) 555-0101", "not a number"], note="asked on the phone")

    assert result.added == ["+12125550101"] and result.invalid[0]["value"] == "not a number"
    assert result.marked == 1
    assert statuses(campaign.id)["+12125550101"] == "do_not_call"
    assert statuses(other.id)["+12125550101"] == "completed"  # a call result stays what it was
    assert statuses(campaign.id)["+12125550102"] == "pending"
    [answer] = dnc.check_numbers(["212-555-0101"])
    assert answer["listed"] and answer["scope"] == "all" and answer["note"] == "asked on the phone"
    assert answer["expires"][:4] == str(int(result.expires[:4]))  # five years on
    assert int(answer["expires"][:4]) - int(answer["entries"][0]["added"][:4]) == 5


def test_one_campaign_scope_marks_and_suppresses_only_that_campaign(campaign, write_csv):
    other = create_campaign("Autumn")
    import_file(campaign.id, write_csv(FILE))
    import_file(other.id, write_csv(FILE))

    dnc.add_numbers(["2125550102"], campaign_id=campaign.id)

    assert statuses(campaign.id)["+12125550102"] == "do_not_call"
    assert statuses(other.id)["+12125550102"] == "pending"
    third = create_campaign("Winter")
    assert import_file(third.id, write_csv(FILE)).suppressed_count == 0
    assert import_file(campaign.id, write_csv(FILE)).suppressed_count == 0  # already history there: kept


def test_an_import_leaves_listed_numbers_out_and_says_which_rows(campaign, write_csv):
    dnc.add_numbers(["2125550102"], note="angry")
    dnc.add_numbers(["2125550103"], reason=dnc.LIST, source="registry.txt")

    result = import_file(campaign.id, write_csv(FILE + "2125550102,Bob again\nnope,Dan\n"))

    assert result.success and result.imported_count == 1
    assert result.suppressed_count == 3 and result.invalid_count == 1
    assert result.skipped_duplicates == 0
    assert set(statuses(campaign.id)) == {"+12125550101"}
    rows = [(error.row, error.reason) for error in result.errors]
    assert rows == [
        (3, "on the do-not-call list (the person asked not to be called: angry)"),
        (4, "on the do-not-call list (on an imported list)"),
        (5, "on the do-not-call list (the person asked not to be called: angry)"),
        (6, rows[3][1]),
    ]
    assert "3 numbers are on your do-not-call list" in result.message
    assert result.to_dict()["suppressed_count"] == 3
    stored = db.execute_sql(
        f"SELECT suppressed_count FROM import_run WHERE id = {db.param}", (result.import_id,)
    ).fetchone()
    assert stored == (3,)


def test_a_file_of_listed_numbers_only_is_not_an_error(campaign, write_csv):
    dnc.add_numbers(["2125550101"])
    result = import_file(campaign.id, write_csv("phone\n2125550101\nbad\n"))
    assert result.success and result.imported_count == 0 and result.suppressed_count == 1


def test_expired_entries_stop_suppressing(campaign, write_csv):
    dnc.add_numbers(["2125550101", "2125550102"])
    db.execute_sql("UPDATE dnc_entry SET expires_at = '2020-01-01 00:00:00' WHERE phone_number = '+12125550101'")

    result = import_file(campaign.id, write_csv(FILE))

    assert result.suppressed_count == 1
    assert set(statuses(campaign.id)) == {"+12125550101", "+12125550103"}
    assert [answer["listed"] for answer in dnc.check_numbers(["2125550101", "2125550102"])] == [False, True]


def test_do_not_call_contacts_are_history_that_a_reimport_keeps(campaign, write_csv):
    import_file(campaign.id, write_csv(FILE))
    dnc.add_numbers(["2125550101"])
    dnc.remove_numbers(["2125550101"])  # off the list again: the contact's status is still history

    again = import_file(campaign.id, write_csv(FILE))

    assert again.kept_count == 1 and again.duplicates_in_campaign == 1
    assert statuses(campaign.id)["+12125550101"] == "do_not_call"


def test_adding_again_refreshes_the_entry_and_keeps_one_per_scope(db_path):
    dnc.add_numbers(["2125550101"], note="first")
    dnc.add_numbers(["+1 212 555 0101"])
    dnc.add_numbers(["2125550101"], reason=dnc.LIST)
    entries = list(dnc.iter_entries())
    assert len(entries) == 1
    assert (entries[0].reason, entries[0].note, entries[0].expires_at) == ("list", "first", None)


def test_upgrading_a_database_keeps_its_contacts_and_indexes_and_allows_the_new_status(tmp_path):
    path = tmp_path / "old.sqlite3"
    database = pw.SqliteDatabase(str(path))
    current_version(database)
    for version, _, step in STEPS[:2]:
        step(database)
        database.execute_sql("DELETE FROM schema_version")
        database.execute_sql("INSERT INTO schema_version VALUES (?)", (version,))
    database.execute_sql("INSERT INTO campaign VALUES (1, 'Old', '', '2026-01-01')")
    database.execute_sql(
        "INSERT INTO contact (campaign_id, phone_number, phone_raw, name, email, company, variables, status,"
        " created_at, updated_at) VALUES (1, '+12125550101', '', 'Ann', '', '', '{}', 'completed', '', '')"
    )
    database.close()

    init_db(path)
    close_db()

    conn = sqlite3.connect(path)
    assert conn.execute("SELECT phone_number, name, status FROM contact").fetchall() == [
        ("+12125550101", "Ann", "completed")
    ]
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql NOT NULL")}
    assert {"contact_campaign_id_phone_number", "contact_campaign_id_status", "contact_campaign_id"} <= indexes
    conn.execute("UPDATE contact SET status = 'do_not_call'")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_a_cancelled_list_import_changes_nothing(campaign, write_csv, tmp_path):
    from contactdesk.core.dnc_import import import_list

    import_file(campaign.id, write_csv(FILE))
    registry = tmp_path / "registry.txt"
    registry.write_text("2125550101\n2125550102\n")

    result = import_list(registry, should_cancel=lambda: True)

    assert not result.success and "not changed" in result.message
    assert dnc.count_entries() == 0 and set(statuses(campaign.id).values()) == {"pending"}
