"""Replace or keep the pending contacts; several files imported as one list."""

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from contactdesk.core.contacts import mark_phones
from contactdesk.core.import_plan import FileChoice, build_plan
from contactdesk.core.importer import import_file, run_import
from contactdesk.core.result import CANCELLED
from contactdesk.store import Contact, ImportRun, backup
from contactdesk.store.models import KEEP_PENDING

FIRST = "phone,name\n2125550101,Ann\n2125550102,Bob\n2125550103,Cara\n"
SECOND = "phone,name\n2125550103,Cara Later\n2125550104,Dev\n"


@pytest.fixture
def db_path(engine_db):
    """The tests of this module run on both engines: a file, and a PostgreSQL server (tests/pg_server.py)."""
    return engine_db.location


def phones_and_names(campaign_id):
    query = Contact.select().where(Contact.campaign == campaign_id).order_by(Contact.phone_number)
    return {c.phone_number: c.name for c in query}


def test_keep_pending_adds_to_the_campaign_and_replaces_nothing(campaign, write_csv):
    import_file(campaign.id, write_csv(FIRST))
    result = import_file(campaign.id, write_csv(SECOND), mode=KEEP_PENDING)
    assert result.success, result.message
    assert result.mode == "keep_pending"
    assert (result.imported_count, result.removed_count, result.total_contacts) == (1, 0, 4)
    assert (result.duplicates_in_campaign, result.duplicates_in_file) == (1, 0)  # Cara was there already
    assert result.kept_count == 3
    assert result.backup_path is None  # nothing removed, nothing to go back to
    assert phones_and_names(campaign.id)["+12125550103"] == "Cara"  # the contact already there stays
    assert ImportRun.select().order_by(ImportRun.id.desc()).get().mode == "keep_pending"


def test_keep_pending_counts_repeats_within_the_file_as_repeats(campaign, write_csv):
    import_file(campaign.id, write_csv(FIRST))
    mark_phones(campaign.id, "completed", ["2125550101"])
    result = import_file(
        campaign.id, write_csv("phone\n2125550109\n2125550109\n2125550101\n2125550102\n"), mode=KEEP_PENDING
    )
    assert (result.imported_count, result.duplicates_in_file, result.duplicates_in_campaign) == (1, 1, 2)
    assert result.total_contacts == 4


def test_the_default_still_replaces_and_says_where_the_backup_is(campaign, write_csv, engine_db):
    if engine_db.engine != "sqlite":
        pytest.skip("a server is backed up with pg_dump, not by the import")
    import_file(campaign.id, write_csv(FIRST))
    result = import_file(campaign.id, write_csv(SECOND))
    assert result.mode == "replace"
    assert (result.removed_count, result.total_contacts) == (3, 2)
    assert result.backup_path and Path(result.backup_path).is_file()
    assert ImportRun.select().order_by(ImportRun.id.desc()).get().mode == "replace"
    # The copy, written while the import ran, is the campaign as it was before it.
    with closing(sqlite3.connect(result.backup_path)) as copy:
        saved = copy.execute("SELECT phone_number, name FROM contact ORDER BY phone_number").fetchall()
    assert saved == [("+12125550101", "Ann"), ("+12125550102", "Bob"), ("+12125550103", "Cara")]


def test_a_copy_before_the_import_that_cannot_be_finished_fails_the_import_and_changes_nothing(
    campaign, write_csv, engine_db, monkeypatch
):
    if engine_db.engine != "sqlite":
        pytest.skip("a server is backed up with pg_dump, not by the import")
    import_file(campaign.id, write_csv(FIRST))
    before = sorted((c.phone_number, c.name, c.status) for c in Contact.select())
    backups = Path(engine_db.location).parent / "backups"
    copies_before = sorted(backups.glob("*")) if backups.exists() else []

    def copy_fills_the_disk(job):
        job._error = sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup.BackupInProgress, "_copy", copy_fills_the_disk)
    result = import_file(campaign.id, write_csv(SECOND))
    assert not result.success and "could not be written" in result.message and "Nothing was changed" in result.message
    assert sorted((c.phone_number, c.name, c.status) for c in Contact.select()) == before
    assert (sorted(backups.glob("*")) if backups.exists() else []) == copies_before


def test_several_files_are_one_list_and_the_first_occurrence_wins(campaign, write_csv):
    import_file(campaign.id, write_csv("phone\n2125550999\n"))  # pending: replaced once, not per file
    files = [
        FileChoice(write_csv(FIRST, "crm.csv")),
        FileChoice(write_csv(SECOND, "event.csv")),
        FileChoice(write_csv("Mobile;Full name;Notes\n2125550105;Eve;vip\nnope;Bad;\n", "shop.csv")),
    ]
    plan = build_plan(campaign.id, files)
    assert plan.failure is None
    result = run_import(plan)
    assert result.success, result.message
    assert result.imported_count == 5 and result.total_contacts == 5
    assert result.removed_count == 1
    assert result.duplicates_in_file == 1 and result.invalid_count == 1
    assert "from 3 files (crm.csv, event.csv, shop.csv)" in result.message
    names = phones_and_names(campaign.id)
    assert names["+12125550103"] == "Cara"  # the first file's row, not the second's
    assert names["+12125550101"] == "Ann"  # the second file did not replace the first
    assert [f["file_name"] for f in result.files] == ["crm.csv", "event.csv", "shop.csv"]
    assert [f["imported_count"] for f in result.files] == [3, 1, 1]
    assert result.files[2]["mapping"] == {"Mobile": "phone_number", "Full name": "name", "Notes": "Notes"}
    assert [(e.file, e.row) for e in result.errors] == [("shop.csv", 3)]
    runs = list(ImportRun.select().order_by(ImportRun.id))[1:]
    assert [run.file_name for run in runs] == ["crm.csv", "event.csv", "shop.csv"]
    assert all(run.total_contacts == 5 and run.outcome == "success" for run in runs)


def test_several_files_land_together_or_not_at_all(campaign, write_csv):
    import_file(campaign.id, write_csv(FIRST))
    before = phones_and_names(campaign.id)
    files = [FileChoice(write_csv("phone\n2125550201\n")), FileChoice(write_csv("phone\n2125550202\n"))]
    checks = []

    def cancel_in_the_second_file():
        checks.append(1)
        return len(checks) >= 3  # after the first file is in

    result = run_import(build_plan(campaign.id, files), should_cancel=cancel_in_the_second_file)
    assert result.status == CANCELLED
    assert phones_and_names(campaign.id) == before
    assert ImportRun.select().count() == 1


def test_a_bad_second_file_names_the_file(campaign, write_csv):
    files = [FileChoice(write_csv(FIRST, "good.csv")), FileChoice(write_csv("", "empty.csv"))]
    plan = build_plan(campaign.id, files)
    assert plan.failure is not None
    assert plan.failure.message.startswith("File 2 of 2 (empty.csv): ")


def test_presets_are_found_by_their_columns_renamed_and_deleted(db_path):
    from contactdesk.core.mapping import MappingError
    from contactdesk.core.presets import delete_preset, list_presets, preset_for_columns, rename_preset, save_preset

    save_preset("CRM export", {"Mobile": "phone_number", "Who": "name", "Notes": None})
    assert preset_for_columns(["Who", "Notes", "Mobile"]) == "CRM export"
    assert preset_for_columns(["Mobile", "Who"]) is None  # another set of columns
    assert rename_preset("CRM export", "  CRM   2026 ") == "CRM 2026"
    assert list_presets() == ["CRM 2026"]
    save_preset("Other", {"phone": "phone_number"})
    try:
        rename_preset("Other", "CRM 2026")
        raise AssertionError("renamed onto an existing preset")
    except MappingError as exc:
        assert "already a preset" in str(exc)
    assert delete_preset("CRM 2026") and list_presets() == ["Other"]


def test_invalid_rows_are_saved_whole_with_the_reason_and_import_again(campaign, write_csv, tmp_path):
    import csv

    from contactdesk.core.import_plan import prepare_import
    from contactdesk.core.invalid_rows import write_invalid_rows

    source = write_csv(
        "Name,Mobile,Plan,Notes\nAnn,212-736-5001,Gold,ok\nBob,not a number,Silver,call later\nCara,,Gold,\n"
    )
    out = tmp_path / "invalid.csv"
    assert write_invalid_rows(prepare_import(campaign.id, source), out) == 2
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Name", "Mobile", "Plan", "Notes", "Why it was not imported"]
    assert rows[1][:4] == ["Bob", "not a number", "Silver", "call later"] and rows[1][4]
    assert rows[2][:4] == ["Cara", "", "Gold", ""]
    # Fixed in a spreadsheet, the file imports again.
    out.write_text(out.read_text(encoding="utf-8-sig").replace("not a number", "212-736-5002"), encoding="utf-8")
    result = import_file(campaign.id, out, mode=KEEP_PENDING)
    assert result.imported_count == 1 and result.invalid_count == 1


def test_a_full_disk_during_the_second_file_leaves_the_first_file_out_too(campaign, write_csv, db_path, engine_db):
    if engine_db.engine != "sqlite":
        pytest.skip("fills an SQLite file")
    from contactdesk.store import db

    import_file(campaign.id, write_csv(FIRST))
    before = phones_and_names(campaign.id)
    conn = db.connection()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 20}")
    try:
        small = FileChoice(write_csv("phone\n2125550301\n"))
        big = FileChoice(write_csv("phone,notes\n" + "".join(f"212555{n:04d},{'x' * 80}\n" for n in range(2000, 9999))))
        result = run_import(build_plan(campaign.id, [small, big], mode=KEEP_PENDING))
    finally:
        conn.execute("PRAGMA max_page_count = 1073741823")
    assert result.status == 500 and "Nothing was changed" in result.message
    assert phones_and_names(campaign.id) == before
    assert ImportRun.select().count() == 1
