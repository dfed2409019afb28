"""One schema, two engines: a PostgreSQL database gets the tables, columns, keys, checks and
indexes an SQLite file gets from the migrations."""

import re
import sqlite3

import pytest

from contactdesk.store import close_db, init_db
from contactdesk.store.migrations import LATEST_VERSION

pytestmark = pytest.mark.postgresql

# The SQLite type each PostgreSQL type stands for (peewee's field types on each engine).
_SQLITE_TYPE = {
    "integer": "INTEGER",
    "bigint": "INTEGER",
    "boolean": "INTEGER",
    "text": "TEXT",
    "character varying(255)": "VARCHAR(255)",
    "timestamp without time zone": "DATETIME",
}


def _default(value):
    """A column default, written the same for both engines: '[]', 0, false -> 0..."""
    if value is None:
        return None
    value = re.sub(r"::[a-z ]+$", "", str(value))
    return {"false": "0", "true": "1"}.get(value.lower(), value)


def _check(text: str) -> tuple[str, tuple[str, ...]]:
    """A CHECK as (column, allowed values), however the engine rewrote it."""
    column = re.search(r"\(*\s*(\w+)\)?(?:::text)?\s*(?:IN|=)", text).group(1)
    return column, tuple(sorted(re.findall(r"'([^']*)'", text)))


def sqlite_schema(path) -> dict:
    conn = sqlite3.connect(path)
    schema = {}
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_version'"):
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        indexes = {}
        for _seq, name, unique, *_ in conn.execute(f'PRAGMA index_list("{table}")'):
            if name.startswith("sqlite_autoindex"):
                continue
            columns = tuple(col[2] or "<expression>" for col in conn.execute(f'PRAGMA index_info("{name}")'))
            indexes[name] = (columns, bool(unique))
        schema[table] = {
            "columns": {
                c[1]: (c[2], bool(c[3]), _default(c[4]), bool(c[5]))
                for c in conn.execute(f'PRAGMA table_info("{table}")')
            },
            "foreign_keys": sorted(
                (f[3], f[2], f[4], f[6]) for f in conn.execute(f'PRAGMA foreign_key_list("{table}")')
            ),
            "checks": sorted(_check(check) for check in re.findall(r"CHECK \((.*?)\)\)?,", sql)),
            "indexes": indexes,
        }
    conn.close()
    return schema


def postgresql_schema(database) -> dict:
    def rows(sql, *params):
        return database.execute_sql(sql, params).fetchall()

    schema = {}
    tables = rows(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> %s", "schema_version"
    )
    for (table,) in tables:
        primary = {
            name
            for (name,) in rows(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
                table,
            )
        }
        columns = {}
        for name, nullable, default, type_name in rows(
            "SELECT c.column_name, c.is_nullable, c.column_default, format_type(a.atttypid, a.atttypmod)"
            " FROM information_schema.columns c JOIN pg_attribute a ON a.attrelid = %s::regclass"
            " AND a.attname = c.column_name WHERE c.table_schema = current_schema() AND c.table_name = %s",
            table,
            table,
        ):
            serial = default is not None and default.startswith("nextval(")
            columns[name] = (
                _SQLITE_TYPE[type_name],
                nullable == "NO",
                None if serial else _default(default),
                name in primary,
            )
        foreign_keys = sorted(
            (column, target, target_column, {"c": "CASCADE", "n": "SET NULL", "a": "NO ACTION"}[action])
            for column, target, target_column, action in rows(
                "SELECT a.attname, t.relname, ta.attname, con.confdeltype FROM pg_constraint con"
                " JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]"
                " JOIN pg_class t ON t.oid = con.confrelid"
                " JOIN pg_attribute ta ON ta.attrelid = con.confrelid AND ta.attnum = con.confkey[1]"
                " WHERE con.conrelid = %s::regclass AND con.contype = 'f'",
                table,
            )
        )
        checks = sorted(
            _check(text)
            for (text,) in rows(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'c'",
                table,
            )
        )
        indexes = {}
        for name, unique, keys in rows(
            "SELECT c.relname, i.indisunique, i.indkey::int[] FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE i.indrelid = %s::regclass AND NOT i.indisprimary",
            table,
        ):
            names = []
            for key in keys:
                if key == 0:
                    names.append("<expression>")
                else:
                    names.append(
                        rows(
                            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum = %s", table, key
                        )[0][0]
                    )
            if name == "contact_campaign_id_status":
                # Carries the id explicitly, as SQLite's index carries the row id implicitly.
                assert names.pop() == "id"
            indexes[name] = (tuple(names), unique)
        schema[table] = {"columns": columns, "foreign_keys": foreign_keys, "checks": checks, "indexes": indexes}
    return schema


def test_postgresql_gets_the_schema_the_sqlite_migrations_build(tmp_path, pg_database_uri):
    init_db(tmp_path / "migrated.sqlite3")
    close_db()
    from_sqlite = sqlite_schema(tmp_path / "migrated.sqlite3")
    database = init_db(pg_database_uri)
    try:
        from_postgresql = postgresql_schema(database)
        version = database.execute_sql("SELECT max(version) FROM schema_version").fetchone()[0]
    finally:
        close_db()

    assert version == LATEST_VERSION
    assert sorted(from_postgresql) == sorted(from_sqlite)
    for table in from_sqlite:
        assert from_postgresql[table] == from_sqlite[table], table
    assert from_sqlite["contact"]["checks"] == [
        ("status", ("completed", "do_not_call", "failed", "pending", "skipped"))
    ]
    assert "claimed_by" in from_postgresql["contact"]["columns"]


def test_opening_a_server_database_twice_migrates_once(pg_database_uri):
    init_db(pg_database_uri)
    close_db()
    database = init_db(pg_database_uri)
    try:
        assert database.execute_sql("SELECT count(*), max(version) FROM schema_version").fetchone() == (
            1,
            LATEST_VERSION,
        )
    finally:
        close_db()
