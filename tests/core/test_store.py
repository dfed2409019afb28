import sqlite3

import pytest

from contactdesk.store import DatabaseError, close_db, init_db
from contactdesk.store.migrations import LATEST_VERSION, STEPS


def test_a_migrated_database_matches_a_new_one(tmp_path, schema_of):
    old = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(old)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    STEPS[0][2](type("Raw", (), {"execute_sql": lambda self, sql, params=(): conn.execute(sql, params)})())
    conn.execute("INSERT INTO schema_version VALUES (1)")
    conn.execute("INSERT INTO campaign (name, notes, created_at) VALUES ('Kept', '', '2026-01-01')")
    conn.execute(
        "INSERT INTO import_run (campaign_id, file_name, file_size, file_sha256, started_at, mapping_json,"
        " region, strict, rows_read, imported_count, skipped_duplicates, invalid_count, removed_count,"
        " total_contacts, outcome) VALUES (1, 'a.csv', 0, '', '2026-01-01', ?, 'US', 0, 0, 0, 0, 0, 0, 0,"
        " 'success')",
        ('{"Mobile": "phone_number", "Plan": "Plan", "Notes": null, "Who": "name"}',),
    )
    conn.commit()
    conn.close()

    init_db(old)
    close_db()
    new = tmp_path / "new.sqlite3"
    init_db(new)
    close_db()
    assert schema_of(old) == schema_of(new)
    conn = sqlite3.connect(old)
    assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == LATEST_VERSION
    assert conn.execute("SELECT name FROM campaign").fetchall() == [("Kept",)]
    # the variables of an import made before they were recorded are filled in from its mapping
    assert conn.execute("SELECT variables_json FROM import_run").fetchall() == [('["Plan"]',)]
    conn.close()
    backups = list((tmp_path / "backups").glob("*schema1*"))
    assert len(backups) == 1  # a copy was taken before migrating


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "future.sqlite3"
    init_db(path)
    close_db()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_version SET version = 999")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="newer ContactDesk"):
        init_db(path)


def test_a_damaged_database_is_reported_not_overwritten(tmp_path):
    path = tmp_path / "damaged.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(DatabaseError):
        init_db(path)
    assert path.read_bytes().startswith(b"SQLite format 3\x00\xff\xff")
