"""Restoring a backup: never loses an import that is running, never trusts the file."""

import sqlite3
import threading
import time

import pytest

from contactdesk.core.campaigns import create_campaign
from contactdesk.core.importer import import_file
from contactdesk.store import backup


def names(path):
    conn = sqlite3.connect(path)
    try:
        return sorted(row[0] for row in conn.execute("SELECT name FROM contact"))
    finally:
        conn.close()


def add_contact_sql(name, phone):
    return (
        "INSERT INTO contact (campaign_id, phone_number, phone_raw, name, email, company, variables, status,"
        f" created_at, updated_at) VALUES (1, '{phone}', '', '{name}', '', '', '{{}}', 'pending', '', '')"
    )


@pytest.fixture
def old_backup(campaign, write_csv, tmp_path):
    import_file(campaign.id, write_csv("phone,name\n2125550101,Old\n"))
    return backup.backup_database("manual", tmp_path / "old.sqlite3")


def test_restore_during_an_import_keeps_the_import_in_the_safety_copy(old_backup, db_path):
    # Another program is importing: it holds the write lock and commits a little later.
    importer = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    importer.execute("BEGIN IMMEDIATE")
    importer.execute(add_contact_sql("Imported meanwhile", "+12125550199"))

    def commit_later():
        time.sleep(0.6)
        importer.execute("COMMIT")

    thread = threading.Thread(target=commit_later)
    thread.start()
    try:
        safety = backup.restore_database(old_backup, wait_seconds=10)
    finally:
        thread.join()
        importer.close()
    assert names(db_path) == ["Old"]
    # The import that committed while the restore waited is in the copy made before the restore.
    assert "Imported meanwhile" in names(safety)


def test_restore_is_refused_while_an_import_holds_the_database(old_backup, db_path):
    importer = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    importer.execute("BEGIN IMMEDIATE")
    importer.execute(add_contact_sql("Running import", "+12125550199"))
    try:
        with pytest.raises(backup.BackupError, match="An import is running"):
            backup.restore_database(old_backup, wait_seconds=0.3)
        importer.execute("COMMIT")
    finally:
        importer.close()
    assert "Running import" in names(db_path)
    assert not [p for p in backup.list_backups() if "before-restore" in p.name]


def test_restore_replaces_every_campaign_and_contact(old_backup, db_path, write_csv):
    create_campaign("Later")
    import_file(1, write_csv("phone,name\n2125550102,New\n"))
    backup.restore_database(old_backup)
    assert names(db_path) == ["Old"]
    conn = sqlite3.connect(db_path)
    assert [row[0] for row in conn.execute("SELECT name FROM campaign")] == ["Spring outreach"]
    conn.close()


def tamper(path, *statements):
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


HISTORY_WIPER = (
    "CREATE TRIGGER wipe AFTER INSERT ON contact BEGIN DELETE FROM contact WHERE status IN ('completed', 'failed'); END"
)


def test_a_backup_with_a_trigger_of_its_own_is_refused_and_changes_nothing(old_backup, db_path, write_csv):
    tamper(old_backup, HISTORY_WIPER)
    import_file(1, write_csv("phone,name\n2125550102,Current\n"))
    with pytest.raises(backup.BackupError, match="SQL that ContactDesk never makes.*trigger 'wipe'"):
        backup.restore_database(old_backup)
    assert names(db_path) == ["Current"]
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0] == 0
    conn.close()


def test_a_backup_with_a_view_is_refused(old_backup):
    tamper(old_backup, "CREATE VIEW everyone AS SELECT * FROM contact")
    with pytest.raises(backup.BackupError, match="view 'everyone'"):
        backup.restore_database(old_backup)


def test_a_backup_made_by_a_newer_contactdesk_is_refused_and_the_database_keeps_working(old_backup, db_path):
    tamper(old_backup, "UPDATE schema_version SET version = 99")
    with pytest.raises(backup.BackupError, match="made by a newer ContactDesk"):
        backup.restore_database(old_backup)
    assert names(db_path) == ["Old"]


def test_tables_that_only_look_like_contactdesks_fail_the_check(tmp_path):
    fake = tmp_path / "fake.sqlite3"
    tamper(
        fake,
        *(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY)" for name in ("campaign", "contact", "import_run")),
        "CREATE TABLE schema_version (version INTEGER NOT NULL)",
        "INSERT INTO schema_version VALUES (2)",
    )
    report = backup.check_file(fake)
    assert not report.ok and "differ from what ContactDesk" in " ".join(report.problems)


def test_opening_a_database_with_a_foreign_trigger_is_refused_untouched(db_path):
    from contactdesk.store import DatabaseError, close_db, init_db

    close_db()
    tamper(db_path, HISTORY_WIPER)
    with pytest.raises(DatabaseError, match="trigger 'wipe'"):
        init_db(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall() == [("wipe",)]
    conn.close()


def test_every_connection_has_trusted_schema_off(campaign, db_path):
    from contactdesk.store import db

    assert db.execute_sql("PRAGMA trusted_schema").fetchone()[0] == 0


def test_an_older_version_backup_is_restored_and_upgraded(db_path, tmp_path):
    from contactdesk.store.migrations import _SCHEMA_1, LATEST_VERSION

    old = tmp_path / "version1.sqlite3"
    tamper(
        old,
        *_SCHEMA_1,
        "CREATE TABLE schema_version (version INTEGER NOT NULL)",
        "INSERT INTO schema_version VALUES (1)",
        "INSERT INTO campaign (name, notes, created_at) VALUES ('From 2025', '', '')",
    )
    backup.restore_database(old)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT name FROM campaign").fetchall() == [("From 2025",)]
    assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == LATEST_VERSION
    conn.close()


@pytest.mark.parametrize("folder", ["with#hash", "with?question", "100% sure"])
def test_check_backup_and_restore_work_in_folders_with_uri_characters(tmp_path, folder, write_csv):
    from contactdesk.store import close_db, init_db

    path = tmp_path / folder / "contactdesk.sqlite3"
    init_db(path)
    try:
        create_campaign("Spring")
        import_file(1, write_csv("phone,name\n2125550101,Ann\n"))
        report = backup.check_file(path)
        assert report.ok and report.contacts == 1
        copy = backup.backup_database("manual")
        import_file(1, write_csv("phone,name\n2125550102,Bob\n"))
        backup.restore_database(copy)
        assert names(path) == ["Ann"]
    finally:
        close_db()
    stray = [p.name for p in tmp_path.rglob("*") if p.is_file() and p.stat().st_size == 0 and "csv" not in p.name]
    assert stray == []


def test_a_backup_with_4_kib_pages_restores_into_a_16_kib_page_database(old_backup, db_path):
    conn = sqlite3.connect(old_backup)
    conn.execute("PRAGMA journal_mode = delete")
    conn.execute("PRAGMA page_size = 4096")
    conn.execute("VACUUM")
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096
    conn.close()
    live = sqlite3.connect(db_path)
    assert live.execute("PRAGMA page_size").fetchone()[0] == 16384
    live.close()
    backup.restore_database(old_backup)
    assert names(db_path) == ["Old"]
