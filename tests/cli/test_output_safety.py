"""The command line while an import runs, on consoles that cannot show every character, and with
names that carry terminal escape sequences: plain words, never a traceback."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from contactdesk import cli
from contactdesk.__main__ import main
from contactdesk.store import close_db, write_lock


@pytest.fixture
def database(tmp_path, capsys):
    path = tmp_path / "contactdesk.sqlite3"
    main(["campaign", "create", "Spring", "--db", str(path)])
    close_db()
    capsys.readouterr()
    return path


def run(database, *args, capsys):
    code = main([*map(str, args), "--db", str(database)])
    close_db()
    out, err = capsys.readouterr()
    return code, out, err


def hold_write_lock(database):
    """Another program's import: it holds the write lock until released."""
    other = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO campaign (name, notes, created_at) VALUES ('Imported meanwhile', '', '')")
    return other


@pytest.mark.parametrize(
    "command",
    [("campaign", "create", "Autumn"), ("campaign", "rename", 1, "Summer"), ("campaign", "delete", 1)]
    + [("contacts", "mark", 1, "completed", "2125550101")],
)
def test_a_write_command_waits_visibly_then_says_the_import_is_running_exit_5(database, capsys, monkeypatch, command):
    monkeypatch.setattr(write_lock, "WAIT_FOR_IMPORT_SECONDS", 0.4)
    other = hold_write_lock(database)
    try:
        code, out, err = run(database, *command, capsys=capsys)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 5
    assert "waiting for the running import…" in err
    assert "An import is running on this database; try again when it has finished." in err
    assert "Traceback" not in err + out


def test_the_busy_refusal_is_json_under_json(database, capsys, monkeypatch):
    monkeypatch.setattr(write_lock, "WAIT_FOR_IMPORT_SECONDS", 0.3)
    other = hold_write_lock(database)
    try:
        code, out, _ = run(database, "campaign", "create", "Autumn", "--json", capsys=capsys)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 5 and json.loads(out) == {
        "success": False,
        "error": "busy",
        "message": "An import is running on this database; try again when it has finished. Nothing was changed.",
    }


def test_a_write_command_goes_ahead_once_the_import_has_finished(database, capsys, monkeypatch):
    monkeypatch.setattr(write_lock, "WAIT_FOR_IMPORT_SECONDS", 10)
    other = hold_write_lock(database)

    def finish():
        time.sleep(0.5)
        other.execute("COMMIT")

    finisher = threading.Thread(target=finish)
    finisher.start()
    try:
        code, out, err = run(database, "campaign", "create", "Autumn", capsys=capsys)
    finally:
        finisher.join()
        other.close()
    assert code == 0 and "waiting for the running import…" in err and "Created campaign" in out


def cli_process(database, *args, encoding):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "CONTACTDESK_DB": str(database)}
    return subprocess.run(
        [sys.executable, "-m", "contactdesk", *args], env=env, capture_output=True, timeout=60, check=False
    )


def test_a_console_that_cannot_show_an_emoji_gets_an_escape_not_a_crash(database):
    made = cli_process(database, "campaign", "create", "Spring 🌸", encoding="cp1252")
    assert made.returncode == 0, made.stderr
    listed = cli_process(database, "campaign", "list", encoding="cp1252")
    assert listed.returncode == 0 and b"Spring \\U0001f338" in listed.stdout
    assert b"Traceback" not in listed.stderr


def test_json_is_utf8_whatever_the_console(database):
    cli_process(database, "campaign", "create", "Spring 🌸", encoding="cp1252")
    listed = cli_process(database, "campaign", "list", "--json", encoding="cp1252")
    assert listed.returncode == 0
    assert "Spring 🌸" in [c["name"] for c in json.loads(listed.stdout.decode("utf-8"))]


def test_escape_sequences_in_names_and_cells_are_shown_not_run(database, capsys, write_csv):
    hostile = "\x1b]0;pwned\x07\x1b[2J"
    run(database, "campaign", "create", f"Evil{hostile}", capsys=capsys)
    code, out, err = run(
        database,
        "import",
        1,
        write_csv("phone,name\n2125550101,Ann\x1b[2J\n" + "".join(f"21255502{n:02d},Person {n}\n" for n in range(40))),
        capsys=capsys,
    )
    assert code == 0, out + err
    _, campaigns, _ = run(database, "campaign", "list", capsys=capsys)
    _, contacts, _ = run(database, "contacts", "list", 1, capsys=capsys)
    for shown in (campaigns, contacts):
        assert "\x1b" not in shown and "\x07" not in shown
    assert "Evil\\x1b]0;pwned\\x07" in campaigns
    assert "Ann\\x1b[2J" in contacts


def test_shown_leaves_ordinary_text_alone():
    assert cli.shown("Müller & Søn, 李小龍") == "Müller & Søn, 李小龍"
    assert cli.shown("a\u202eb") == "a\\u202eb"


def test_escape_sequences_in_the_new_commands_human_output_are_shown_not_run(database, capsys, tmp_path):
    hostile = "\x1b]0;pwned\x07\x1b[2J"
    source = tmp_path / f"leads{hostile}.csv"
    source.write_text(
        "phone,name\n2125550101,Ann\x1b[2J\n" + "".join(f"21255502{n:02d},Person {n}\n" for n in range(40))
    )
    code, out, err = run(database, "import", 1, source, capsys=capsys)
    assert code == 0, out + err
    assert run(database, "dnc", "add", "2125550201", "--note", f"rude{hostile}", capsys=capsys)[0] == 0
    outputs = [
        run(database, *command, capsys=capsys)
        for command in (
            ("dnc", "list"),
            ("history", 1),
            ("undo", 1),
            ("contacts", "list", 1, "--at", "2026-07-06T12:00:00Z"),
            ("campaign", "hours", 1),
            ("undo", 1, "--yes"),
        )
    ]
    for code, out, err in outputs:
        assert code == 0, err
        assert "\x1b" not in out + err and "\x07" not in out + err
    dnc_list, history, undo_plan, contacts, _, undone = (out for _, out, _ in outputs)
    assert "rude\\x1b]0;pwned\\x07" in dnc_list
    assert "leads\\x1b]0;pwned\\x07" in history and "leads\\x1b]0;pwned\\x07" in undo_plan
    assert "Ann\\x1b[2J" in contacts and "leads\\x1b]0;pwned\\x07" in undone
