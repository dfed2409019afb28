"""Run a peewee-built statement on a raw connection, inside the caller's transaction.

Peewee writes the SQL from the models (no column list copied by hand); running it on the
sqlite3 connection keeps database errors as ``sqlite3.Error``, which callers turn into
messages for people, and keeps the statement in the caller's write transaction.
"""

import sqlite3
from datetime import datetime

import peewee as pw


def run(conn: sqlite3.Connection, query: pw.Query) -> sqlite3.Cursor:
    sql, params = query.sql()
    return conn.execute(sql, [_stored(value) for value in params])


def _stored(value):
    # Local wall-clock text, as local_now_text() writes it (no reliance on sqlite3's adapters).
    return value.isoformat(sep=" ") if isinstance(value, datetime) else value
