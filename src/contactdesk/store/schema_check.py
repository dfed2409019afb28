"""Is a file's schema exactly what ContactDesk's migrations make? Checked before a file is used.

A restored or opened file could carry its own triggers or views (SQL that runs later, on
every import) or tables that only look like ours. Its tables, columns and indexes must be
exactly those the migrations produce for its version; anything else is refused.
"""

import sqlite3
from functools import cache

import peewee as pw

from .archive import PREFIX as ARCHIVE_PREFIX
from .migrations import LATEST_VERSION, STEPS, newer_version_message
from .search import add_fold_function

_SCHEMA_VERSION_TABLE = "CREATE TABLE schema_version (version INTEGER NOT NULL)"
_OBJECTS = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"


def _normalized(rows) -> frozenset[tuple[str, str, str, str]]:
    return frozenset((kind, name, table, " ".join((sql or "").split())) for kind, name, table, sql in rows)


@cache
def expected_schema(version: int) -> frozenset[tuple[str, str, str, str]]:
    """Every table and index the migrations make up to ``version``, as sqlite_master holds them."""
    database = pw.SqliteDatabase(":memory:")
    add_fold_function(database)
    try:
        database.execute_sql(_SCHEMA_VERSION_TABLE)
        for step_version, _description, step in STEPS:
            if step_version <= version:
                step(database)
        return _normalized(database.execute_sql(_OBJECTS).fetchall())
    finally:
        database.close()


def schema_version(conn: sqlite3.Connection) -> int | None:
    """The file's schema version; None when it has no version table (not a ContactDesk database)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone() is None:
        return None
    return conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0


def schema_problems(conn: sqlite3.Connection) -> list[str]:
    """Why the file's schema is not ContactDesk's (empty when it is); never runs the file's SQL."""
    version = schema_version(conn)
    if not version:
        return ["not a ContactDesk database (it has no ContactDesk schema version)"]
    if version > LATEST_VERSION:
        return [newer_version_message(version)]
    actual = _normalized(conn.execute(_OBJECTS).fetchall())
    expected = expected_schema(version)
    problems = []
    foreign = sorted(f"{kind} {name!r}" for kind, name, _t, _s in actual if kind in ("trigger", "view"))
    if foreign:
        problems.append("it contains SQL that ContactDesk never makes (" + ", ".join(foreign[:10]) + ")")
    extra = sorted(
        f"{kind} {name!r}"
        for kind, name, table, _s in actual - expected
        if kind in ("table", "index") and not (kind == "table" and _is_import_archive(conn, name))
    )
    missing = sorted(f"{kind} {name!r}" for kind, name, _t, _s in expected - actual)
    if missing or extra:
        if {name for _k, name, _t, _s in expected if _k == "table"} - {n for k, n, _t, _s in actual if k == "table"}:
            problems.insert(0, "not a ContactDesk database (tables are missing)")
        problems.append(
            f"its tables and indexes differ from what ContactDesk (schema {version}) makes"
            + (f"; different or missing: {', '.join(missing[:10])}" if missing else "")
            + (f"; not ContactDesk's: {', '.join(extra[:10])}" if extra else "")
        )
    return problems


def _is_import_archive(conn: sqlite3.Connection, name: str) -> bool:
    """An undo archive (store/archive.py): ``import_archive_<id>`` with the contact table's columns
    as they were when it was made (a later step may have added columns to contact since), and no
    index or trigger of its own (those are refused above and as extras)."""
    suffix = name.removeprefix(ARCHIVE_PREFIX)
    if name == suffix or not suffix.isdigit():
        return False

    def columns(table: str) -> list[str]:
        return [row[0] for row in conn.execute("SELECT name FROM pragma_table_info(?)", (table,))]

    archived, contact = columns(name), columns("contact")
    return bool(archived) and archived == contact[: len(archived)]
