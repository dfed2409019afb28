"""Run a peewee-built statement on a raw connection, inside the caller's transaction.

Peewee writes the SQL from the models (no column list copied by hand); running it on the
caller's connection keeps the statement in the caller's write transaction, and keeps database
errors as the driver's own (``sqlite3.Error``, or ``psycopg.Error`` on a team server), which
callers turn into messages for people.

Literal SQL written in the store marks its values with ``marker(conn)``: SQLite's ``?`` or
psycopg's ``%s``, so the same statement text is correct for the engine it runs on, with no
rewriting on the way.
"""

import sqlite3
from datetime import datetime

import peewee as pw


def run(conn, query: pw.Query):
    sql, params = query.sql()
    return conn.execute(sql, [_stored(value) for value in params])


def _stored(value):
    # Local wall-clock text, as local_now_text() writes it (no reliance on sqlite3's adapters).
    return value.isoformat(sep=" ") if isinstance(value, datetime) else value


def is_sqlite(conn) -> bool:
    """Whether ``conn`` is an SQLite connection (else a PostgreSQL one, psycopg 3)."""
    return isinstance(conn, sqlite3.Connection)


def marker(conn) -> str:
    """How a value is marked in literal SQL for this connection's driver."""
    return "?" if is_sqlite(conn) else "%s"


def markers(conn, count: int) -> str:
    """``count`` value markers, separated by commas."""
    return ", ".join([marker(conn)] * count)


def in_transaction(conn) -> bool:
    if is_sqlite(conn):
        return conn.in_transaction
    from psycopg.pq import TransactionStatus

    return conn.info.transaction_status != TransactionStatus.IDLE


def inserted_id(cursor) -> int:
    """The id of the row a peewee-built INSERT added (PostgreSQL: through its RETURNING clause)."""
    lastrowid = getattr(cursor, "lastrowid", None)
    return lastrowid if lastrowid is not None else cursor.fetchone()[0]
