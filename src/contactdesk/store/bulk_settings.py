"""The connection's settings for one bulk write (an import, an undo); the old ones come back."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

BULK_CACHE_KIB = -48_000  # negative: KiB, as SQLite reads it


@contextmanager
def bulk_write_settings(conn) -> Iterator[None]:
    """A bigger page cache and no per-row foreign-key checks, restored whatever happens (SQLite;
    a PostgreSQL server keeps its own settings).

    The cache keeps the (campaign, phone) index in memory while rows go in in file order,
    which is random order for that index. Every written row refers to a campaign and an
    import that the caller's transaction has checked: checking them again for each row
    costs a tenth of an import.
    """
    if not isinstance(conn, sqlite3.Connection):
        yield
        return
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    try:
        conn.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
        conn.execute("PRAGMA foreign_keys = OFF")
        yield
    finally:
        try:
            conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")
        finally:
            conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
