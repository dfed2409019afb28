"""Exports never land on the database, its files or its backups, and never replace a non-CSV file silently."""

import os
import stat

import pytest

from contactdesk.__main__ import main
from contactdesk.store import close_db


@pytest.fixture
def run(tmp_path, capsys, write_csv):
    db = tmp_path / "data" / "contactdesk.sqlite3"

    def invoke(*args):
        code = main([*map(str, args), "--db", str(db)])
        close_db()
        out, err = capsys.readouterr()
        return code, out, err

    invoke.db = db
    invoke("campaign", "create", "Spring")
    invoke("import", 1, write_csv("phone,name\n2125550101,Ann\n"))
    return invoke


def test_exporting_onto_the_database_is_refused_and_the_database_survives(run):
    size = run.db.stat().st_size
    code, _, err = run("contacts", "export", 1, run.db)
    assert code == 3 and "is the ContactDesk database" in err
    assert run.db.stat().st_size == size
    assert run("campaign", "list")[0] == 0


@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
def test_exporting_onto_the_databases_wal_or_shm_is_refused(run, suffix):
    code, _, err = run("contacts", "export", 1, str(run.db) + suffix)
    assert code == 3 and "is the ContactDesk database" in err


def test_exporting_into_the_backups_folder_is_refused(run):
    run("db", "backup")
    existing = next((run.db.parent / "backups").iterdir())
    before = existing.read_bytes()
    code, _, err = run("contacts", "export", 1, existing)
    assert code == 3 and "backups folder" in err
    assert existing.read_bytes() == before


def test_an_existing_file_that_is_not_a_csv_is_replaced_only_with_force(run, tmp_path):
    report = tmp_path / "report.docx"
    report.write_bytes(b"my important document")
    code, _, err = run("contacts", "export", 1, report)
    assert code == 3 and "not a CSV file" in err and "--force" in err
    assert report.read_bytes() == b"my important document"
    code, _, _ = run("contacts", "export", 1, report, "--force")
    assert code == 0 and b"+12125550101" in report.read_bytes()


def test_an_existing_csv_is_replaced_whole_and_no_partial_file_is_left(run, tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("old export\n")
    code, _, _ = run("contacts", "export", 1, out)
    assert code == 0 and "+12125550101" in out.read_text(encoding="utf-8-sig")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out.csv")) == []


def test_an_export_is_readable_by_its_owner_only(run, tmp_path):
    out = tmp_path / "private.csv"
    assert run("contacts", "export", 1, out)[0] == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
