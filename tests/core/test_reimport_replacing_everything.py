"""A re-import that replaces every contact of the database: the old contacts are kept for undo
without being copied one by one, the database stays a sound ContactDesk file, and undo and
deleting the campaign work as after any other import."""

import sqlite3

from contactdesk.core import undo
from contactdesk.core.campaigns import create_campaign, delete_campaign
from contactdesk.core.contacts import mark_phones
from contactdesk.core.importer import import_file
from contactdesk.store import contact_import
from contactdesk.store.backup import check_file
from contactdesk.store.models import db, local_now_text
from contactdesk.store.transaction import write_transaction

ROWS = "phone,name,email,plan\n" + "".join(f"212555{n:04d},Name {n},n{n}@example.com,gold\n" for n in range(300))
OTHER_ROWS = "phone,name\n" + "".join(f"312555{n:04d},Other {n}\n" for n in range(300, 330))


def stored(db_path) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT * FROM contact ORDER BY id").fetchall()
    finally:
        conn.close()


def tables(db_path) -> set[str]:
    conn = sqlite3.connect(db_path)
    try:
        return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def test_replacing_every_contact_archives_them_without_copying_row_by_row(campaign, write_csv):
    assert import_file(campaign.id, write_csv(ROWS)).imported_count == 300
    conn = db.connection()
    with write_transaction(commit=False):
        run_id = conn.execute(
            "INSERT INTO import_run (campaign_id, file_name, file_size, file_sha256, started_at, mapping_json, region,"
            " strict, rows_read, imported_count, skipped_duplicates, invalid_count, removed_count, total_contacts,"
            " outcome) VALUES (?, 'x.csv', 0, '', ?, '{}', 'US', 0, 0, 0, 0, 0, 0, 0, 'running')",
            (campaign.id, local_now_text()),
        ).lastrowid
        changes = conn.total_changes
        assert contact_import.delete_replaceable(conn, campaign.id, run_id) == 300
        # Copying 300 rows and deleting them would be 600 row changes.
        assert conn.total_changes - changes < 10
        assert conn.execute(f"SELECT count(*) FROM import_archive_{run_id}").fetchone()[0] == 300
        assert conn.execute("SELECT count(*) FROM contact").fetchone()[0] == 0


def test_after_replacing_every_contact_the_file_is_sound_and_undo_brings_them_back_exactly(
    campaign, write_csv, db_path
):
    import_file(campaign.id, write_csv(ROWS))
    before = stored(db_path)
    again = import_file(campaign.id, write_csv(ROWS.replace("gold", "silver")))
    assert (again.removed_count, again.imported_count) == (300, 300)
    report = check_file(db_path)
    assert report.ok, report.problems
    assert report.contacts == 300

    result = undo.run_undo(undo.plan_undo(campaign.id))
    assert result.success, result.message
    assert stored(db_path) == before
    assert check_file(db_path).ok


def test_the_archive_keeps_the_replaced_contacts_whatever_happens_to_their_imports_rows(campaign, write_csv):
    import_file(campaign.id, write_csv(ROWS))
    again = import_file(campaign.id, write_csv(ROWS))
    archive_table = f"import_archive_{again.import_id}"
    (sql,) = db.execute_sql("SELECT sql FROM sqlite_master WHERE name = ?", (archive_table,)).fetchone()
    assert "REFERENCES" not in sql and "CHECK" not in sql  # no ON DELETE reaches it
    assert db.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)
    db.execute_sql("DELETE FROM import_run WHERE id = 1")  # the replaced contacts' import

    origins = db.execute_sql(f'SELECT DISTINCT import_run_id FROM "{archive_table}"').fetchall()
    assert origins == [(1,)]
    assert db.execute_sql(f'SELECT count(*) FROM "{archive_table}"').fetchone() == (300,)


def test_a_campaign_is_deleted_with_its_archives_after_replacing_every_contact(campaign, write_csv, db_path):
    import_file(campaign.id, write_csv(ROWS))
    import_file(campaign.id, write_csv(ROWS))
    assert any(name.startswith("import_archive_") for name in tables(db_path))

    assert delete_campaign(campaign.id) == 300

    assert not any(name.startswith("import_archive_") for name in tables(db_path))
    assert check_file(db_path).ok


def test_other_campaigns_and_call_history_are_kept_when_not_every_contact_is_replaced(campaign, write_csv, db_path):
    other = create_campaign("Other")
    import_file(other.id, write_csv(OTHER_ROWS))
    import_file(campaign.id, write_csv(ROWS))
    mark_phones(campaign.id, "completed", ["2125550007"])
    again = import_file(campaign.id, write_csv(ROWS))
    assert again.removed_count == 299
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM contact WHERE campaign_id = ?", (other.id,)).fetchone()[0] == 30
    assert conn.execute("SELECT status FROM contact WHERE phone_number = '+12125550007'").fetchone()[0] == "completed"
    conn.close()
    assert undo.run_undo(undo.plan_undo(campaign.id)).success
    assert len(stored(db_path)) == 330
