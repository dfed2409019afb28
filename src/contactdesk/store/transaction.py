"""One way to change the database: a write transaction, all or nothing.

``write_transaction()`` takes the write lock at once (``BEGIN IMMEDIATE`` on SQLite), so a
writer never fails half way through because another program started writing first; it
commits when the block ends and rolls back on any exception, a cancel or ``commit=False``
(a dry run). Inside another transaction it is a savepoint: a failure undoes only its part,
and the outer transaction decides. Peewee's own ``atomic()`` inside it nests as a savepoint.
"""

import itertools
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from .models import db
from .server import is_server

# What the store's functions take: the connection of the calling thread's transaction.
Connection = sqlite3.Connection

_savepoints = itertools.count(1)


def connection() -> Connection:
    """The calling thread's connection (each thread has its own)."""
    return db.obj.connection()


class _Outermost:
    """Peewee's transaction stack holds this while a write transaction is open."""


@contextmanager
def write_transaction(*, commit: bool = True) -> Iterator[Connection]:
    """The calling thread's connection inside a write transaction (see the module's docstring)."""
    database = db.obj
    if is_server(database):
        # PostgreSQL: peewee's transactions (savepoints when nested); row locks, not a file lock.
        with database.atomic() as transaction:
            yield database.connection()
            if not commit:
                transaction.rollback()
        return
    conn = database.connection()
    if conn.in_transaction:
        with _savepoint(conn):
            yield conn
        return
    # Raw statements on the connection: a busy or full database raises sqlite3 errors, which
    # callers turn into messages for people.
    conn.execute("BEGIN IMMEDIATE")
    database.push_transaction(_Outermost())
    try:
        yield conn
        conn.execute("COMMIT" if commit else "ROLLBACK")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        database.pop_transaction()


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    name = f"nested_{next(_savepoints)}"
    conn.execute(f'SAVEPOINT "{name}"')
    try:
        yield
    except BaseException:
        conn.execute(f'ROLLBACK TO "{name}"')
        conn.execute(f'RELEASE "{name}"')
        raise
    conn.execute(f'RELEASE "{name}"')


# What a failed statement raises on SQLite (the callers turn it into a message for people).
DatabaseFailure = sqlite3.Error


def database_failures() -> tuple[type[BaseException], ...]:
    """What a failed statement raises on either engine: sqlite3's errors, and psycopg's once a
    team server was opened (psycopg is not imported before: SQLite's start-up stays as quick)."""
    psycopg = sys.modules.get("psycopg")
    return (sqlite3.Error,) if psycopg is None else (sqlite3.Error, psycopg.Error)


def is_busy(exc: BaseException) -> bool:
    """Another program holds the database's write lock."""
    text = str(exc)
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "full" in str(exc)
