"""Open, configure and migrate the database file."""

import logging
import os
import sqlite3
from pathlib import Path

import peewee as pw

from .foreign_wal import set_aside_foreign_wal
from .migrations import SchemaTooNewError, migrate
from .models import db

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseError(Exception):
    """The database cannot be used; the message is for people.

    ``unusable`` is True when the file itself is not a (healthy) ContactDesk database, so
    starting over with a new file is the way out; False when it is in use, written by a
    newer version, or in a folder that cannot be written.
    """

    def __init__(self, message: str, *, unusable: bool = False):
        super().__init__(message)
        self.unusable = unusable


def _pragmas() -> dict:
    return {
        # Bigger pages make a million-row import about a tenth faster. Only a new (empty)
        # file takes this; an existing database keeps the page size it was made with.
        "page_size": 16384,
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": "normal",  # safe with WAL: a crash loses at most the last commit, never corrupts
        "busy_timeout": BUSY_TIMEOUT_MS,
        "cache_size": -16000,
    }


def _check_existing_file(path: Path) -> None:
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseError(f"The database path {path} is a folder, not a file.")
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise DatabaseError(
            f"{path} is not a ContactDesk database (it is not an SQLite file). "
            "It was left untouched; choose another database file.",
            unusable=True,
        )


def _create_private_file(path: Path) -> None:
    """Create the file readable by the user only, before SQLite creates it world-readable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


def init_db(path: str | os.PathLike) -> pw.SqliteDatabase:
    """Bind the model proxy to the file at ``path``, creating and migrating it as needed."""
    path = Path(path).expanduser()
    _check_existing_file(path)
    set_aside_foreign_wal(path)
    try:
        _create_private_file(path)
    except OSError as exc:
        raise DatabaseError(f"Cannot create the database at {path}: {exc.strerror}.") from exc
    database = pw.SqliteDatabase(str(path), pragmas=_pragmas(), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        database.connect(reuse_if_open=True)
        database.execute_sql("PRAGMA schema_version").fetchone()  # forces a read of the header
        db.initialize(database)
        migrate(database, path)
    except SchemaTooNewError as exc:
        database.close()
        raise DatabaseError(str(exc)) from exc
    except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
        database.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseError(
                f"The database {path} is in use by another program and did not become free "
                f"within {BUSY_TIMEOUT_MS // 1000} seconds. Close it there and try again."
            ) from exc
        raise DatabaseError(
            f"The database {path} is damaged and cannot be opened ({exc}). It was left untouched.", unusable=True
        ) from exc
    log.debug("database open at %s", path)
    return database


def close_db() -> None:
    database = db.obj
    if database is not None and not database.is_closed():
        database.close()
