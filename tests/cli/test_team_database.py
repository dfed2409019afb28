"""Choosing a team database: --db and CONTACTDESK_DB take a PostgreSQL URI, never a file name."""

import json
import sys

import pytest

from contactdesk.__main__ import main
from contactdesk.store import close_db
from contactdesk.store.server import TEAM_EXTRA_MESSAGE


def run(capsys, *args):
    code = main([*map(str, args)])
    close_db()
    return (code, *capsys.readouterr())


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_a_uri_is_never_taken_as_a_file_name(tmp_path, monkeypatch, capsys, scheme):
    monkeypatch.chdir(tmp_path)
    uri = f"{scheme}://nobody@/contacts?host={tmp_path}/no-server-here"

    code, out, err = run(capsys, "campaign", "list", "--db", uri)

    assert code == 5
    assert err.startswith(f"Cannot connect to the team database {uri}:")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []  # no file or folder named after the URI


def test_the_uri_can_come_from_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONTACTDESK_DB", f"postgresql://nobody@/contacts?host={tmp_path}/none")

    code, _out, err = run(capsys, "campaign", "list")

    assert code == 5 and "Cannot connect to the team database postgresql://nobody@/contacts" in err
    assert list(tmp_path.iterdir()) == []


def test_a_password_in_the_uri_is_never_shown(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "campaign", "list", "--json", "--db", f"postgresql://ann:s3cret@/x?host={tmp_path}")

    assert code == 5
    assert "s3cret" not in out + err
    assert "postgresql://ann:***@/x" in json.loads(out)["message"]


def test_without_the_driver_one_line_says_how_to_get_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as when the team extra is not installed

    code, out, err = run(capsys, "campaign", "list", "--db", f"postgresql://ann@/x?host={tmp_path}")

    assert code != 0
    assert err == TEAM_EXTRA_MESSAGE + "\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgresql
def test_commands_work_on_a_server_database(pg_database_uri, monkeypatch, capsys):
    code, out, err = run(capsys, "campaign", "create", "Spring outreach", "--json", "--db", pg_database_uri)
    assert code == 0, err
    monkeypatch.setenv("CONTACTDESK_DB", pg_database_uri)

    code, out, err = run(capsys, "campaign", "list", "--json")

    assert code == 0, err
    assert [(c["name"], c["total_contacts"]) for c in json.loads(out)] == [("Spring outreach", 0)]


@pytest.mark.postgresql
def test_import_into_a_server_database_lands(pg_database_uri, write_csv, capsys):
    run(capsys, "campaign", "create", "Spring", "--db", pg_database_uri)
    csv = write_csv("phone,name\n2125550100,Ann\n")

    code, out, err = run(capsys, "import", "1", csv, "--db", pg_database_uri)

    assert code == 0, err
    assert out.startswith("Imported 1 contact from")
    code, out, _err = run(capsys, "campaign", "list", "--json", "--db", pg_database_uri)
    assert json.loads(out)[0]["total_contacts"] == 1


@pytest.mark.postgresql
def test_a_server_database_with_other_tables_is_left_alone(pg_database_uri, capsys):
    import psycopg

    with psycopg.connect(pg_database_uri, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id int)")

    code, _out, err = run(capsys, "campaign", "list", "--db", pg_database_uri)

    assert code == 5
    assert "not a ContactDesk database" in err and "invoices" in err
    with psycopg.connect(pg_database_uri, autocommit=True) as conn:
        tables = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    assert tables == [("invoices",)]


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "command",
    [
        ["db", "check"],
        ["db", "backups"],
    ],
)
def test_commands_not_made_for_a_server_yet_say_so_in_one_line(pg_database_uri, capsys, command):
    run(capsys, "campaign", "create", "Spring", "--db", pg_database_uri)

    code, out, err = run(capsys, *command, "--db", pg_database_uri)

    assert code == 5
    assert err == (
        f"contactdesk {' '.join(command[:2])} does not work"
        " on a team (PostgreSQL) database yet; nothing was changed."
        " Campaigns, contacts (list, search, mark, export, next), calling hours, import, undo, history and dnc do.\n"
    )


@pytest.mark.postgresql
def test_db_backup_of_a_server_database_prints_the_pg_dump_command(pg_database_uri, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)

    code, out, err = run(capsys, "db", "backup", "--db", pg_database_uri)

    assert code == 5
    assert err.startswith("A team database is backed up with PostgreSQL's own tool; nothing was written. Run: pg_dump")
    assert f"'{pg_database_uri}'" in err
    assert list(tmp_path.iterdir()) == []


def test_the_window_on_a_server_it_cannot_reach_says_why_in_one_message(tmp_path, monkeypatch, capsys):
    from contactdesk.gui import excepthook, messages

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONTACTDESK_DB", f"postgresql://ann@/calls?host={tmp_path}")
    shown = []
    messages.record_instead_of_showing(shown)
    try:
        code, _out, _err = run(capsys)
    finally:
        messages.record_instead_of_showing(None)
        excepthook.uninstall_excepthook()

    assert code == 1
    [(kind, title, text)] = shown
    assert (kind, title) == ("error", "ContactDesk cannot open its database")
    assert text.startswith("Cannot connect to the team database postgresql://ann@/calls") and "Traceback" not in text
    assert list(tmp_path.iterdir()) == []
