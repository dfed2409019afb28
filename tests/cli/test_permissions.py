"""A database the user may read but not write, or not read at all: plain words, the file untouched."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from contactdesk.store import close_db, init_db
from contactdesk.store.migrations import _SCHEMA_1

NOBODY = 65534


def public_folder() -> Path:
    """A folder another user can enter (pytest's own folders are private to their owner)."""
    folder = Path(tempfile.mkdtemp(prefix="contactdesk-perm-"))
    folder.chmod(0o777)
    return folder


def remove_folder(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o777)
    shutil.rmtree(folder, ignore_errors=True)


def run_cli_as_other_user(*args, env_home: Path) -> subprocess.CompletedProcess:
    """``contactdesk ARGS`` as an ordinary user (dropping root when the tests run as root)."""
    command = [sys.executable, "-m", "contactdesk", *map(str, args)]
    if os.geteuid() == 0:
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    env = {
        **os.environ,
        "HOME": str(env_home),
        "XDG_DATA_HOME": str(env_home / "data"),
        "XDG_STATE_HOME": str(env_home / "state"),
        "XDG_CACHE_HOME": str(env_home / "cache"),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def folder():
    made = public_folder()
    yield made
    remove_folder(made)


def make_database(path: Path, rows: int = 3) -> None:
    init_db(path)
    close_db()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO campaign (name, notes, created_at) VALUES ('Spring', '', '')")
    conn.executemany(
        "INSERT INTO contact (campaign_id, phone_number, phone_raw, name, email, company, variables, status,"
        " created_at, updated_at) VALUES (1, ?, '', ?, '', '', '{}', 'pending', '', '')",
        [(f"+1212555{n:04d}", f"Person {n}") for n in range(rows)],
    )
    conn.commit()
    conn.execute("PRAGMA journal_mode = delete")  # no -wal/-shm left beside it
    conn.close()


def make_version_1_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    for statement in _SCHEMA_1:
        conn.execute(statement)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (1)")
    conn.execute("INSERT INTO campaign (name, notes, created_at) VALUES ('Spring', '', '')")
    conn.commit()
    conn.close()


def lock_folder(data: Path, database: Path) -> None:
    database.chmod(0o444)
    data.chmod(0o555)


def test_a_read_only_database_is_browsed_and_exported_and_imports_say_why_not(folder):
    data = folder / "data"
    data.mkdir(mode=0o777)
    database = data / "contacts.sqlite3"
    make_database(database)
    lock_folder(data, database)
    before = database.read_bytes()

    listed = run_cli_as_other_user("campaign", "list", "--json", "--db", database, env_home=folder)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)[0]["total_contacts"] == 3
    assert "read-only" in listed.stderr

    out = folder / "out.csv"
    exported = run_cli_as_other_user("contacts", "export", 1, out, "--db", database, env_home=folder)
    assert exported.returncode == 0, exported.stderr
    assert "+12125550000" in out.read_text(encoding="utf-8-sig")

    source = folder / "new.csv"
    source.write_text("phone\n2125550199\n")
    source.chmod(0o644)
    imported = run_cli_as_other_user("import", 1, source, "--db", database, env_home=folder)
    assert imported.returncode == 5 and "read-only" in imported.stdout + imported.stderr
    assert "damaged" not in imported.stdout + imported.stderr
    for change in (
        ("campaign", "create", "Autumn"),
        ("campaign", "rename", 1, "Summer"),
        ("contacts", "mark", 1, "completed", "+12125550000"),
        ("db", "restore", database),
    ):
        refused = run_cli_as_other_user(*change, "--json", "--db", database, env_home=folder)
        assert refused.returncode == 5, change
        assert "read-only" in json.loads(refused.stdout)["message"] and "Traceback" not in refused.stderr
    assert database.read_bytes() == before and sorted(os.listdir(data)) == ["contacts.sqlite3"]


def test_a_read_only_database_that_needs_an_upgrade_is_not_called_damaged(folder):
    data = folder / "data"
    data.mkdir(mode=0o777)
    database = data / "contacts.sqlite3"
    make_version_1_database(database)
    lock_folder(data, database)
    result = run_cli_as_other_user("campaign", "list", "--db", database, env_home=folder)
    assert result.returncode == 5
    assert "read-only" in result.stderr and "damaged" not in result.stderr and "Traceback" not in result.stderr
    assert sorted(os.listdir(data)) == ["contacts.sqlite3"]  # never renamed


def test_a_database_the_user_cannot_read_is_a_message_and_exit_5(folder):
    data = folder / "data"
    data.mkdir(mode=0o777)
    database = data / "contacts.sqlite3"
    make_database(database)
    database.chmod(0o000)
    result = run_cli_as_other_user("campaign", "list", "--db", database, env_home=folder)
    assert result.returncode == 5
    assert "not allowed to read the database" in result.stderr and "Traceback" not in result.stderr


def test_a_backup_into_a_folder_that_cannot_be_written_is_a_message(folder):
    data = folder / "data"
    data.mkdir(mode=0o777)
    database = data / "contacts.sqlite3"
    make_database(database)
    lock_folder(data, database)
    result = run_cli_as_other_user("db", "backup", "--db", database, env_home=folder)
    assert result.returncode == 5
    assert "could not be written" in result.stderr and "Traceback" not in result.stderr


def test_a_read_only_database_from_before_calling_hours_is_refused_clearly_and_never_upgraded(folder, old_database):
    data = folder / "data"
    data.mkdir(mode=0o777)
    database = data / "contacts.sqlite3"
    conn = old_database(database, 6)  # before step 7, which fills every contact's time zone and state
    conn.execute("INSERT INTO campaign (name, notes, created_at) VALUES ('Spring', '', '')")
    conn.execute(
        "INSERT INTO contact (campaign_id, phone_number, phone_raw, name, email, company, variables, status,"
        " created_at, updated_at) VALUES (1, '+12125550101', '', 'Ann', '', '', '{}', 'pending', '', '')"
    )
    conn.commit()
    conn.execute("PRAGMA journal_mode = delete")
    conn.close()
    lock_folder(data, database)
    before = database.read_bytes()
    for command in (("campaign", "list"), ("contacts", "list", 1, "--at", "2026-07-06T12:00:00Z"), ("history", 1)):
        result = run_cli_as_other_user(*command, "--json", "--db", database, env_home=folder)
        assert result.returncode == 5, command
        refusal = json.loads(result.stdout)
        assert refusal["error"] == "read_only" and "read-only" in refusal["message"]
        assert "earlier ContactDesk (schema 6" in refusal["message"] and "Traceback" not in result.stderr
    assert "damaged" not in result.stderr
    assert database.read_bytes() == before and sorted(os.listdir(data)) == ["contacts.sqlite3"]  # never renamed
