"""Undo an import and a campaign's import history: contactdesk undo / history."""

import json

import pytest

from contactdesk.store import archive as archive_store
from contactdesk.store import close_db
from pg_server import execute_on


@pytest.fixture
def cli(engine_cli):
    """Every test of this module runs on both engines (a file, and a PostgreSQL server)."""
    return engine_cli


@pytest.fixture
def write(tmp_path):
    def write_file(name: str, text: str):
        path = tmp_path / name
        path.write_text(text)
        return path

    return write_file


FIRST = (
    "phone,name,email,plan,notes\n"
    "2125550101,Ann,ann@example.com,gold,first\n"
    "2125550102,Bob,,silver,\n"
    "2125550103,Cy,cy@example.com,,x\n"
    "2125550104,Dee,,gold,\n"
    "2125550105,Eve,,bronze,late\n"
)
WRONG_FILE = "phone,name,company\n2125550103,Cy Again,Acme\n2125550190,Wrong One,Acme\n2125550191,Wrong Two,\n"


def listing(cli) -> str:
    code, out, err = cli("contacts", "list", 1, "--json", "--at", "2026-03-02T15:00:00Z")
    assert code == 0, err
    return out


def stored(db) -> list[tuple]:
    """Every column a person's data is in, the originating import and the row of the file included."""
    return execute_on(
        db,
        "SELECT id, phone_number, phone_raw, name, email, company, variables, status, source_row, import_run_id,"
        " created_at, updated_at FROM contact ORDER BY id",
    )


@pytest.fixture
def campaign(cli, write):
    assert cli("campaign", "create", "Spring")[0] == 0
    assert cli("import", 1, write("first.csv", FIRST))[0] == 0
    assert cli("contacts", "mark", 1, "completed", "2125550101")[0] == 0
    assert cli("contacts", "mark", 1, "skipped", "2125550104")[0] == 0


def test_undo_brings_a_replaced_campaign_back_exactly(cli, write, campaign):
    before, before_rows = listing(cli), stored(cli.db)
    code, out, _ = cli("import", 1, write("wrong.csv", WRONG_FILE), "--json")
    assert code == 0 and json.loads(out)["removed_count"] == 4
    assert listing(cli) != before

    code, out, err = cli("undo", 1, "--yes", "--json")

    assert code == 0, err
    result = json.loads(out)
    assert result["done"] and (result["removed_count"], result["restored_count"], result["kept_count"]) == (3, 4, 0)
    assert listing(cli) == before  # the contacts list JSON, byte for byte
    assert stored(cli.db) == before_rows  # and every stored column, ids and originating import included


def test_without_yes_it_says_what_would_happen_and_changes_nothing(cli, write, campaign):
    cli("import", 1, write("wrong.csv", WRONG_FILE))
    after_import = stored(cli.db)

    code, out, _ = cli("undo", 1)

    assert code == 0
    assert "removes 3 contacts it added and brings back 4 contacts it replaced" in out
    assert "Nothing was changed" in out
    assert stored(cli.db) == after_import


def test_contacts_called_since_the_import_are_kept_and_the_confirmation_says_so_first(cli, write, campaign):
    cli("import", 1, write("wrong.csv", WRONG_FILE))
    cli("contacts", "mark", 1, "failed", "2125550190")
    cli("dnc", "add", "2125550191")

    code, out, _ = cli("undo", 1, "--json")
    plan = json.loads(out)
    assert plan["message"].startswith("2 of the 3 contacts have call results and will be kept.")
    assert (plan["added"], plan["kept"], plan["restore"]) == (3, 2, 4)

    code, out, _ = cli("undo", 1, "--yes", "--json")
    assert code == 0 and json.loads(out)["kept_count"] == 2
    statuses = {row["phone_number"]: row["status"] for row in json.loads(listing(cli))}
    assert statuses == {
        "+12125550101": "completed",
        "+12125550102": "pending",
        "+12125550103": "pending",  # Cy as the first file had it
        "+12125550104": "skipped",
        "+12125550105": "pending",
        "+12125550190": "failed",
        "+12125550191": "do_not_call",
    }


def test_an_earlier_import_cannot_be_undone_while_a_later_one_replaced_its_contacts(cli, write, campaign):
    cli("import", 1, write("wrong.csv", WRONG_FILE))
    code, out, _ = cli("history", 1, "--json")
    history = json.loads(out)
    assert [(run["import_id"], run["state"], run["undoable"]) for run in history] == [
        (2, "landed", True),
        (1, "landed", False),
    ]
    assert "undo import 2 first" in history[1]["why_not"]
    before = stored(cli.db)

    code, out, err = cli("undo", 1, 1, "--yes")

    assert code == 3 and "cannot be undone" in err and "undo import 2 first" in err
    assert stored(cli.db) == before
    assert cli("undo", 1, 2, "--yes")[0] == 0
    code, out, _ = cli("history", 1, "--json")
    history = json.loads(out)
    assert [(run["state"], run["undoable"]) for run in history] == [("undone", False), ("landed", True)]
    assert cli("undo", 1, 1, "--yes")[0] == 0
    assert json.loads(listing(cli)) == [row for row in json.loads(listing(cli)) if row["status"] != "pending"]


def test_history_lists_each_import_with_its_counts_and_state(cli, write, campaign):
    cli("dnc", "add", "2125550191")
    cli("import", 1, write("wrong.csv", WRONG_FILE))
    code, out, _ = cli("history", 1, "--json")
    latest = json.loads(out)[0]
    assert latest["file_name"] == "wrong.csv" and len(latest["sha256"]) == 64
    assert (latest["imported_count"], latest["suppressed_count"], latest["removed_count"]) == (2, 1, 4)
    assert latest["state"] == "landed" and latest["undoable"] and latest["replaced_contacts"] == "kept"
    assert cli("history", 9)[0] == 4
    assert cli("undo", 9)[0] == 4


def test_archives_beyond_the_last_ten_imports_are_pruned(cli, write, campaign):
    for n in range(11):
        cli("import", 1, write(f"round{n}.csv", f"phone\n21255502{n:02d}\n"))
    code, out, _ = cli("history", 1, "--json")
    history = json.loads(out)
    assert len(history) == 12
    assert [run["replaced_contacts"] for run in history[:10]] == ["kept"] * 10
    assert history[10]["replaced_contacts"] == "pruned" and not history[10]["undoable"]
    catalog = (
        "SELECT name FROM sqlite_master WHERE name"
        if cli.engine == "sqlite"
        else "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name"
    )
    tables = {row[0] for row in execute_on(cli.db, f"{catalog} LIKE 'import_archive_%'")}
    assert len(tables) == 10 and archive_store.table_name(2) not in tables


def test_an_import_older_than_ninety_days_cannot_be_undone(cli, write, campaign):
    cli("import", 1, write("wrong.csv", WRONG_FILE))
    execute_on(cli.db, "UPDATE import_run SET started_at = '2020-01-01 10:00:00.000000'")
    code, out, _ = cli("history", 1, "--json")
    latest = json.loads(out)[0]
    assert latest["replaced_contacts"] == "pruned" and not latest["undoable"]
    assert "90 days" in latest["why_not"]
    assert cli("undo", 1, "--yes")[0] == 3


def test_a_replaced_contact_put_on_the_list_since_comes_back_as_do_not_call(cli, write, campaign):
    cli("import", 1, write("wrong.csv", WRONG_FILE))
    assert cli("dnc", "add", "2125550105")[0] == 0  # Eve, replaced by the wrong file, asks not to be called

    assert cli("undo", 1, "--yes")[0] == 0

    statuses = {row["phone_number"]: row["status"] for row in json.loads(listing(cli))}
    assert statuses["+12125550105"] == "do_not_call" and statuses["+12125550102"] == "pending"


def test_files_imported_together_are_one_entry_of_the_history_and_one_undo(cli, write, campaign):
    from contactdesk.core.import_plan import FileChoice, build_plan
    from contactdesk.core.importer import run_import
    from contactdesk.store import init_db

    before = stored(cli.db)
    init_db(cli.db)  # the window imports several dropped files as one list
    files = [FileChoice(write("crm.csv", WRONG_FILE)), FileChoice(write("event.csv", "phone\n2125550192\n"))]
    together = run_import(build_plan(1, files))
    close_db()
    assert together.success and [f["import_id"] for f in together.files] == [2, 3]

    code, out, _ = cli("history", 1)
    assert code == 0 and out.count("crm.csv, event.csv") == 1 and len(out.splitlines()) == 2
    code, out, _ = cli("history", 1, "--json")
    latest = json.loads(out)[0]
    assert (latest["import_ids"], latest["imported_count"], latest["undoable"]) == ([2, 3], 4, True)
    assert [f["file_name"] for f in latest["files"]] == ["crm.csv", "event.csv"]

    code, out, _ = cli("undo", 1, 3)  # the second file's id: the same import
    assert code == 0 and "Undoing import 2 (2 files imported together: crm.csv, event.csv)" in out
    assert "removes 4 contacts it added and brings back 4 contacts it replaced" in out
    assert "contactdesk undo 1 2 --yes" in out

    code, out, err = cli("undo", 1, "--yes", "--json")
    assert code == 0, err
    assert (json.loads(out)["removed_count"], json.loads(out)["restored_count"]) == (4, 4)
    assert stored(cli.db) == before
    code, out, _ = cli("history", 1, "--json")
    assert [(entry["import_ids"], entry["state"]) for entry in json.loads(out)] == [([2, 3], "undone"), ([1], "landed")]
