"""A -wal left beside the database by another database's program never overwrites it."""

import json
import shutil
import sqlite3

from contactdesk.__main__ import main
from contactdesk.store import close_db


def cli(db, *args, capsys):
    code = main([*map(str, args), "--db", str(db), "--json"])
    close_db()
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def contact_count(db):
    conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM contact").fetchone()[0]
    finally:
        conn.close()


def test_another_databases_wal_is_set_aside_and_the_database_keeps_its_contacts(tmp_path, write_csv, capsys):
    mine, other = tmp_path / "B.sqlite3", tmp_path / "A.sqlite3"
    rows = "".join(f"212{n // 10000 + 200:03d}{n % 10000:04d},Person {n}\n" for n in range(20_000))
    cli(mine, "campaign", "create", "Mine", capsys=capsys)
    assert cli(mine, "import", 1, write_csv("phone,name\n" + rows), capsys=capsys)[0] == 0
    cli(other, "campaign", "create", "Other", capsys=capsys)
    size_before = mine.stat().st_size
    assert not (tmp_path / "B.sqlite3-wal").exists()

    # A program of the other database is killed with committed changes still in its -wal.
    writer = sqlite3.connect(other, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("INSERT INTO campaign (name, notes, created_at) VALUES ('x', '', '')")
    shutil.copy(tmp_path / "A.sqlite3-wal", tmp_path / "B.sqlite3-wal")
    writer.close()

    code, report, err = cli(mine, "db", "check", capsys=capsys)
    assert code == 0 and report["ok"] and report["contacts"] == 20_000
    assert "belongs to another database" in err
    assert mine.stat().st_size >= size_before
    assert contact_count(mine) == 20_000
    kept = list(tmp_path.glob("B.sqlite3-wal.foreign-*"))
    assert len(kept) == 1 and kept[0].stat().st_size > 0  # kept, never deleted


def test_the_databases_own_wal_is_applied(tmp_path, write_csv, capsys):
    mine = tmp_path / "B.sqlite3"
    cli(mine, "campaign", "create", "Mine", capsys=capsys)
    writer = sqlite3.connect(mine, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("INSERT INTO campaign (name, notes, created_at) VALUES ('Second', '', '')")
    shutil.copy(tmp_path / "B.sqlite3-wal", tmp_path / "saved-wal")
    writer.close()
    # as after a kill: the database without the last commit, its -wal beside it
    conn = sqlite3.connect(mine)
    conn.execute("PRAGMA journal_mode = delete")
    conn.execute("DELETE FROM campaign WHERE name = 'Second'")
    conn.commit()
    conn.execute("PRAGMA journal_mode = wal")
    conn.close()
    shutil.copy(tmp_path / "saved-wal", tmp_path / "B.sqlite3-wal")
    code, listed, _ = cli(mine, "campaign", "list", capsys=capsys)
    assert code == 0 and {c["name"] for c in listed} == {"Mine", "Second"}
    assert not list(tmp_path.glob("*.foreign-*"))


def test_a_bigger_databases_wal_left_by_a_killed_program_is_set_aside(tmp_path, write_csv, capsys):
    mine, other = tmp_path / "B.sqlite3", tmp_path / "A.sqlite3"
    cli(mine, "campaign", "create", "Mine", capsys=capsys)
    cli(mine, "import", 1, write_csv("phone,name\n2125550101,Ann\n"), capsys=capsys)
    rows = "".join(f"212{n // 10000 + 200:03d}{n % 10000:04d},Person {n}\n" for n in range(20_000))
    cli(other, "campaign", "create", "Other", capsys=capsys)
    cli(other, "import", 1, write_csv("phone,name\n" + rows), capsys=capsys)
    assert other.stat().st_size > 4 * mine.stat().st_size

    writer = sqlite3.connect(other, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE contact SET status = 'completed' WHERE id % 7 = 0")
    shutil.copy(tmp_path / "A.sqlite3-wal", tmp_path / "B.sqlite3-wal")
    writer.close()

    code, listed, err = cli(mine, "campaign", "list", capsys=capsys)
    assert code == 0 and [c["name"] for c in listed] == ["Mine"] and listed[0]["total_contacts"] == 1
    assert "belongs to another database" in err
    assert len(list(tmp_path.glob("B.sqlite3-wal.foreign-*"))) == 1


def test_the_wal_of_a_running_program_is_left_alone(tmp_path, write_csv, capsys):
    import subprocess
    import sys

    mine = tmp_path / "B.sqlite3"
    cli(mine, "campaign", "create", "Mine", capsys=capsys)
    # Another program has the database open, with a commit still in its -wal.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            f"c = sqlite3.connect({str(mine)!r}, isolation_level=None)\n"
            "c.execute('PRAGMA wal_autocheckpoint = 0')\n"
            "c.execute(\"INSERT INTO campaign (name, notes, created_at) VALUES ('Second', '', '')\")\n"
            "print('ready', flush=True)\n"
            "sys.stdin.readline()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        code, listed, _ = cli(mine, "campaign", "list", capsys=capsys)
    finally:
        holder.communicate("\n", timeout=10)
    assert code == 0 and {c["name"] for c in listed} == {"Mine", "Second"}
    assert not list(tmp_path.glob("*.foreign-*"))
