"""Undo of an import of several files (one list: a run per file, one transaction) and of an
import that kept the pending contacts."""

import sqlite3

from contactdesk.core import undo
from contactdesk.core.contacts import mark_phones
from contactdesk.core.import_plan import FileChoice, build_plan
from contactdesk.core.importer import import_file, run_import
from contactdesk.store.models import KEEP_PENDING

FIRST = "phone,name,email\n2125550101,Ann,ann@example.com\n2125550102,Bob,\n2125550103,Cara,cara@example.com\n"


def stored(db_path) -> list[tuple]:
    """Every contact as stored: id, number, fields, status, row of the file and originating import."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(
            "SELECT id, phone_number, phone_raw, name, email, company, variables, status, source_row, import_run_id,"
            " created_at, updated_at, location_id FROM contact ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def import_together(campaign_id, write_csv, *texts, mode="replace"):
    files = [FileChoice(write_csv(text, f"part{number}.csv")) for number, text in enumerate(texts, 1)]
    result = run_import(build_plan(campaign_id, files, mode=mode))
    assert result.success, result.message
    return result


def test_the_files_of_one_import_are_undone_together_and_the_replaced_contacts_come_back_once(
    campaign, write_csv, db_path
):
    import_file(campaign.id, write_csv(FIRST))
    mark_phones(campaign.id, "completed", ["2125550101"])
    before = stored(db_path)
    together = import_together(
        campaign.id, write_csv, "phone,name\n2125550103,Cara Later\n2125550104,Dev\n", "phone\n2125550105\n2125550106\n"
    )
    assert together.removed_count == 2 and [f["import_id"] for f in together.files] == [2, 3]
    mark_phones(campaign.id, "failed", ["2125550106"])  # called since: history, kept

    entry = undo.import_history(campaign.id)[0]
    assert (entry["import_id"], entry["import_ids"], entry["file_name"]) == (2, [2, 3], "part1.csv, part2.csv")
    assert (entry["imported_count"], entry["removed_count"], entry["undoable"]) == (4, 2, True)
    assert [f["imported_count"] for f in entry["files"]] == [2, 2]
    assert len(undo.import_history(campaign.id)) == 2  # the two files are one entry

    plan = undo.plan_undo(campaign.id)  # the latest import: both files
    assert (plan.import_id, plan.import_ids, plan.added, plan.kept, plan.restore) == (2, [2, 3], 4, 1, 2)
    assert "2 files imported together" in plan.describe()
    assert undo.plan_undo(campaign.id, 3).import_ids == [2, 3]  # the second file's id names the same import
    result = undo.run_undo(plan)
    assert result.success, result.message
    assert (result.removed_count, result.restored_count, result.kept_count) == (3, 2, 1)

    after = stored(db_path)
    called = [row for row in after if row[1] == "+12125550106"]
    assert [row for row in after if row[1] != "+12125550106"] == before  # exactly as before the import
    assert [row[7] for row in called] == ["failed"]
    history = undo.import_history(campaign.id)
    assert [(e["import_ids"], e["state"], e["undoable"]) for e in history] == [
        ([2, 3], "undone", False),
        ([1], "landed", True),
    ]
    assert history[0]["replaced_contacts"] == "restored"


def test_an_earlier_import_waits_for_the_whole_import_of_several_files(campaign, write_csv):
    import_file(campaign.id, write_csv(FIRST))
    import_together(campaign.id, write_csv, "phone\n2125550104\n", "phone\n2125550105\n")
    plan = undo.plan_undo(campaign.id, 1)
    assert not plan.undoable and "undo import 2 first" in plan.why_not


def test_undoing_an_import_that_kept_the_pending_contacts_removes_only_its_own(campaign, write_csv, db_path):
    import_file(campaign.id, write_csv(FIRST))
    mark_phones(campaign.id, "skipped", ["2125550102"])
    before = stored(db_path)
    kept = import_file(campaign.id, write_csv("phone,name\n2125550103,Cara Later\n2125550104,Dev\n"), mode=KEEP_PENDING)
    assert (kept.imported_count, kept.removed_count) == (1, 0)
    plan = undo.plan_undo(campaign.id)
    assert (plan.import_id, plan.added, plan.kept, plan.restore) == (2, 1, 0, 0)
    assert plan.describe() == "Undoing import 2 (" + kept.file_name + ") removes 1 contact it added."
    result = undo.run_undo(plan)
    assert result.success and (result.removed_count, result.restored_count) == (1, 0)
    assert stored(db_path) == before  # the pending and skipped contacts it kept are untouched
    assert undo.plan_undo(campaign.id).import_id == 1  # and the earlier import can still be undone


def test_undoing_several_files_that_kept_the_pending_contacts_removes_only_theirs(campaign, write_csv, db_path):
    import_file(campaign.id, write_csv(FIRST))
    before = stored(db_path)
    import_together(campaign.id, write_csv, "phone\n2125550105\n2125550101\n", "phone\n2125550106\n", mode=KEEP_PENDING)
    result = undo.run_undo(undo.plan_undo(campaign.id))
    assert result.success and (result.removed_count, result.restored_count) == (2, 0)
    assert stored(db_path) == before


def test_an_import_of_more_files_than_the_kept_imports_counts_once_and_can_be_undone(campaign, write_csv, db_path):
    import_file(campaign.id, write_csv(FIRST))
    before = stored(db_path)
    import_together(campaign.id, write_csv, *(f"phone\n21255502{n:02d}\n" for n in range(12)))  # 12 runs, 1 import
    entry = undo.import_history(campaign.id)[0]
    assert len(entry["import_ids"]) == 12 and entry["replaced_contacts"] == "kept" and entry["undoable"]
    result = undo.run_undo(undo.plan_undo(campaign.id))
    assert result.success and (result.removed_count, result.restored_count) == (12, 3)
    assert stored(db_path) == before
