"""Every command that changes the database, old and new, while an import holds the database and on a
read-only database: a visible wait then exit 5 ("busy"), or the read-only message and exit 5; never a traceback."""

import json
import os
import shutil
import sqlite3

import pytest
from test_permissions import lock_folder, public_folder, remove_folder, run_cli_as_other_user

from contactdesk.__main__ import main
from contactdesk.store import close_db, write_lock

LEADS = "phone,name\n2125550101,Ann\n2125550102,Bob\n"

# Each command that writes, with the arguments it needs in the database the fixture makes
# (campaign 1 with an import, +12125550199 on the do-not-call list, a backup and files beside it).
WRITE_COMMANDS = [
    ("campaign", "create", "Autumn"),
    ("campaign", "rename", 1, "Summer"),
    ("campaign", "delete", 1),
    ("campaign", "hours", 1, "--set", "sun closed"),
    ("import", 1, "{leads}"),
    ("contacts", "mark", 1, "completed", "2125550101"),
    ("contacts", "mark", 1, "do_not_call", "2125550101"),
    ("dnc", "add", "2125550102"),
    ("dnc", "remove", "2125550199"),
    ("dnc", "import", "{registry}"),
    ("undo", 1, "--yes"),
    ("db", "restore", "{backup}"),
]
IDS = [
    " ".join(str(part) for part in command[:2]) + (" " + command[3] if command[2:4] == (1, "do_not_call") else "")
    for command in WRITE_COMMANDS
]


def make_database(folder):
    """Campaign 1 with two imported contacts, a listed number, a backup, a CSV and a registry file."""
    database = folder / "contacts.sqlite3"
    files = {"leads": folder / "leads.csv", "registry": folder / "registry.txt", "backup": folder / "copy.sqlite3"}
    files["leads"].write_text(LEADS)
    files["registry"].write_text("2125550177\n2125550178\n")
    for args in (
        ("campaign", "create", "Spring"),
        ("import", 1, files["leads"]),
        ("dnc", "add", "2125550199"),
        ("db", "backup", files["backup"]),
    ):
        assert main([*map(str, args), "--db", str(database)]) == 0, args
        close_db()
    for path in files.values():
        path.chmod(0o644)
    return database, files


def arguments(command, files) -> list[str]:
    return [str(part).format(**{key: str(path) for key, path in files.items()}) for part in command]


@pytest.mark.parametrize("command", WRITE_COMMANDS, ids=IDS)
def test_every_write_command_waits_for_a_running_import_then_says_busy_exit_5(tmp_path, capsys, monkeypatch, command):
    database, files = make_database(tmp_path)
    capsys.readouterr()
    monkeypatch.setattr(write_lock, "WAIT_FOR_IMPORT_SECONDS", 0.4)
    other = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another program's import holds the write lock
    other.execute("INSERT INTO campaign (name, notes, created_at) VALUES ('Imported meanwhile', '', '')")
    try:
        code = main([*arguments(command, files), "--json", "--db", str(database)])
        close_db()
    finally:
        other.execute("ROLLBACK")
        other.close()
    out, err = capsys.readouterr()
    assert code == 5, out + err
    assert "waiting for the running import…" in err
    assert json.loads(out) == {
        "success": False,
        "error": "busy",
        "message": "An import is running on this database; try again when it has finished. Nothing was changed.",
    }
    assert "Traceback" not in out + err


@pytest.fixture(scope="module")
def read_only_database():
    """The database of the busy test in a folder of another user's that this user may only read."""
    folder = public_folder()
    data = folder / "data"
    data.mkdir(mode=0o777)
    database, files = make_database(data)
    for path in data.iterdir():
        if path.name != database.name and path.name not in {p.name for p in files.values()}:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    conn = sqlite3.connect(database)
    conn.execute("PRAGMA journal_mode = delete")  # no -wal/-shm left beside it
    conn.close()
    lock_folder(data, database)
    yield folder, database, files
    remove_folder(folder)


@pytest.mark.parametrize("command", WRITE_COMMANDS, ids=IDS)
def test_every_write_command_on_a_read_only_database_says_so_exit_5(read_only_database, command):
    folder, database, files = read_only_database
    before = database.read_bytes()
    listing = sorted(os.listdir(database.parent))
    refused = run_cli_as_other_user(*arguments(command, files), "--json", "--db", database, env_home=folder)
    assert refused.returncode == 5, refused.stdout + refused.stderr
    document = json.loads(refused.stdout)
    assert document["success"] is False and document["error"] == "read_only"
    assert "is read-only" in document["message"]
    assert "Traceback" not in refused.stderr
    assert database.read_bytes() == before and sorted(os.listdir(database.parent)) == listing
