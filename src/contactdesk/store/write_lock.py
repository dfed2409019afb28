"""Taking the database's write lock, waiting a bounded time for an import that holds it."""

import sqlite3
import time
from collections.abc import Callable

# How long a restore or a change from the command line waits for a running import.
WAIT_FOR_IMPORT_SECONDS = 60.0
_POLL_SECONDS = 0.05


class DatabaseBusy(Exception):
    """Another program (usually an import) kept the write lock for the whole wait; for people."""


def is_busy_error(exc: BaseException) -> bool:
    text = str(exc)
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def begin_immediate(conn: sqlite3.Connection, wait_seconds: float, on_wait: Callable[[], None] | None = None) -> None:
    """``BEGIN IMMEDIATE`` on ``conn``; ``on_wait`` is called once if the lock is not free at once.

    Raises DatabaseBusy when the lock stays taken for ``wait_seconds``.
    """
    previous = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")  # polled here, so the wait can be announced
    try:
        deadline = time.monotonic() + wait_seconds
        announced = False
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not is_busy_error(exc):
                    raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    "An import is running on this database; try again when it has finished. Nothing was changed."
                )
            if not announced and on_wait is not None:
                on_wait()
                announced = True
            time.sleep(_POLL_SECONDS)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(previous)}")


def wait_for_writers(conn: sqlite3.Connection, wait_seconds: float, on_wait=None) -> None:
    """Return once no other program holds the write lock (taking and releasing it)."""
    if not isinstance(conn, sqlite3.Connection):
        return  # a PostgreSQL server has no database-wide write lock: writers lock only the rows they change
    begin_immediate(conn, wait_seconds, on_wait)
    conn.execute("ROLLBACK")
