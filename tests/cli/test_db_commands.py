import json
import os
import sqlite3
import stat

import pytest

from contactdesk.__main__ import main
from contactdesk.store import close_db


@pytest.fixture
def run(tmp_path, capsys):
    db = tmp_path / "data" / "contactdesk.sqlite3"

    def invoke(*args, as_json=True):
        code = main([*map(str, args), "--db", str(db)] + (["--json"] if as_json else []))
        close_db()
        out, err = capsys.readouterr()
        return code, (json.loads(out) if as_json and out.strip() else out), err

    invoke.db = db
    return invoke


def contact_names(db):
    conn = sqlite3.connect(db)
    try:
        return sorted(row[0] for row in conn.execute("SELECT name FROM contact"))
    finally:
        conn.close()


def test_backup_and_restore_bring_back_earlier_contacts(run, write_csv, tmp_path):
    run("campaign", "create", "Spring")
    run("import", 1, write_csv("phone,name\n2125550101,Ann\n"))
    code, made, _ = run("db", "backup", tmp_path / "copy.sqlite3")
    assert code == 0 and (tmp_path / "copy.sqlite3").exists()
    run("import", 1, write_csv("phone,name\n2125550102,Bob\n"))
    assert contact_names(run.db) == ["Bob"]

    code, restored, _ = run("db", "restore", tmp_path / "copy.sqlite3")
    assert code == 0
    assert contact_names(run.db) == ["Ann"]
    assert os.path.exists(restored["previous_state"])  # the state before the restore was kept
    assert contact_names(restored["previous_state"]) == ["Bob"]


def test_import_that_replaces_pending_contacts_is_backed_up_first(run, write_csv):
    run("campaign", "create", "Spring")
    run("import", 1, write_csv("phone,name\n2125550101,Ann\n"))
    _, before, _ = run("db", "backups")
    assert before == []  # the first import replaced nothing
    run("import", 1, write_csv("phone,name\n2125550102,Bob\n"))
    _, after, _ = run("db", "backups")
    assert len(after) == 1 and "before-import" in after[0]["file"]
    assert contact_names(after[0]["file"]) == ["Ann"]


def test_automatic_backups_keep_only_the_newest(run, write_csv):
    run("campaign", "create", "Spring")
    for n in range(8):
        run("import", 1, write_csv(f"phone\n21255501{n:02d}\n"))
    _, listed, _ = run("db", "backups")
    assert len(listed) == 5


def test_files_are_private(run, write_csv):
    run("campaign", "create", "Spring")
    run("import", 1, write_csv("phone\n2125550101\n"))
    run("import", 1, write_csv("phone\n2125550102\n"))
    _, listed, _ = run("db", "backups")
    for path in [run.db, listed[0]["file"]]:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_check_reports_a_healthy_database(run):
    run("campaign", "create", "Spring")
    code, report, _ = run("db", "check")
    assert code == 0 and report["ok"] and report["campaigns"] == 1


def test_restore_refuses_a_file_that_is_not_a_contactdesk_database(run, tmp_path):
    run("campaign", "create", "Spring")
    bogus = tmp_path / "bogus.sqlite3"
    sqlite3.connect(bogus).execute("CREATE TABLE x (y)").connection.close()
    code, out, err = run("db", "restore", bogus)
    assert code == 5 and "not a ContactDesk database" in err
    code, listed, _ = run("campaign", "list")
    assert [c["name"] for c in listed] == ["Spring"]


def test_a_failed_import_keeps_every_automatic_backup(run, write_csv):
    run("campaign", "create", "Spring")
    for n in range(6):
        run("import", 1, write_csv(f"phone\n21255501{n:02d}\n"))
    _, before, _ = run("db", "backups")
    assert len(before) == 5
    code, _, _ = run("import", 1, write_csv("phone\nnot a number\nnor this\n"))
    assert code == 3
    _, after, _ = run("db", "backups")
    assert after == before  # the failed import neither added one nor pruned the oldest
    run("import", 1, write_csv("phone\n2125550199\n"))
    _, later, _ = run("db", "backups")
    assert len(later) == 5 and later[1:] == before[:4]
