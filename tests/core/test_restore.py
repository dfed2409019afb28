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
