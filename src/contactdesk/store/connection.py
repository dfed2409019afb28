"""Open, configure and migrate the database file."""

import logging
import os
import sqlite3
from pathlib import Path

import peewee as pw

from .foreign_wal import set_aside_foreign_wal
from .migrations import LATEST_VERSION, SchemaTooNewError, migrate, newer_version_message
from .models import db
from .schema_check import schema_problems, schema_version
from .search import add_fold_function
from .server import is_server_uri

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


# The file the model proxy is bound to, and whether it was opened read-only; or the server
# (its URI without a password) in team mode.
_opened = {"path": None, "read_only": False, "server": None}


def mark_opened(path: Path | None, *, read_only: bool, server: str | None = None) -> None:
    _opened.update(path=path, read_only=read_only, server=server)


def opened_path() -> Path | None:
    return _opened["path"]


def is_read_only() -> bool:
    """True when the database (or its folder) cannot be written: browsing and export work, changes do not."""
    return bool(_opened["read_only"])


def read_only_message() -> str:
    return (
        f"The database {_opened['path']} is read-only (the file or its folder cannot be written), so "
        "it was opened for viewing: browsing and export work; importing and other changes cannot be made."
    )


class ReadOnlyDatabaseError(DatabaseError):
    """A change was asked of a database that was opened read-only."""


def require_writable() -> None:
    """Raise ReadOnlyDatabaseError (a message for people) before a change to a read-only database."""
    if is_read_only():
        raise ReadOnlyDatabaseError(read_only_message())


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
        "trusted_schema": 0,  # SQL stored in the file (views, triggers) never calls functions with side effects
    }


def _read_only_pragmas() -> dict:
    return {"foreign_keys": 1, "busy_timeout": BUSY_TIMEOUT_MS, "cache_size": -16000, "trusted_schema": 0}


def _cannot_write(path: Path) -> bool:
    """The file exists but it, or the folder its -wal and -shm go in, cannot be written."""
    if not path.exists():
        return False
    companions_exist = all(path.with_name(path.name + s).exists() for s in ("-wal", "-shm"))
    folder_ok = companions_exist or os.access(path.parent, os.W_OK)
    return not (os.access(path, os.W_OK) and folder_ok)


def _check_existing_file(path: Path) -> None:
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseError(f"The database path {path} is a folder, not a file.")
    size = path.stat().st_size
    if size == 0:
        return
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseError(
            f"ContactDesk is not allowed to read the database {path} ({exc.strerror or exc}). "
            "It was left untouched; check the file's permissions or choose another database with --db."
        ) from None
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


def init_db(path: str | os.PathLike) -> pw.Database:
    """Bind the model proxy to the file at ``path``, creating and migrating it as needed; a
    ``postgresql://`` or ``postgres://`` URI opens that server database instead (store/server.py)."""
    if is_server_uri(path):
        from .server import open_server

        return open_server(path)
    path = Path(path).expanduser()
    _check_existing_file(path)
    read_only = _cannot_write(path)
    if not read_only:
        set_aside_foreign_wal(path)
        try:
            _create_private_file(path)
        except OSError as exc:
            raise DatabaseError(f"Cannot create the database at {path}: {exc.strerror}.") from exc
        database = pw.SqliteDatabase(str(path), pragmas=_pragmas(), timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        uri = path.absolute().as_uri() + "?mode=ro"
        database = pw.SqliteDatabase(uri, uri=True, pragmas=_read_only_pragmas(), timeout=BUSY_TIMEOUT_MS / 1000)
    add_fold_function(database)
    try:
        database.connect(reuse_if_open=True)
        database.execute_sql("PRAGMA schema_version").fetchone()  # forces a read of the header
        db.initialize(database)
        mark_opened(path, read_only=read_only)
        if read_only:
            _check_read_only_schema(database, path)
        _refuse_foreign_schema(database, path)  # before migrating: its triggers would run during the upgrade
        if not read_only:
            migrate(database, path)
    except SchemaTooNewError as exc:
        database.close()
        raise DatabaseError(str(exc)) from exc
    except DatabaseError:
        database.close()
        raise
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
    if read_only:
        log.warning("%s", read_only_message())
    log.debug("database open at %s", path)
    return database


def _check_read_only_schema(database: pw.SqliteDatabase, path: Path) -> None:
    """A read-only file is used as it is: only when it needs no upgrade."""
    row = database.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    found = database.execute_sql("SELECT max(version) FROM schema_version").fetchone()[0] if row else 0
    if found and found > LATEST_VERSION:
        raise SchemaTooNewError(newer_version_message(found))
    if found != LATEST_VERSION:
        # Never migrated here: the upgrade (step 7 alone fills every contact's location) cannot be written.
        raise ReadOnlyDatabaseError(
            f"The database {path} is read-only and was made by an earlier ContactDesk (schema {found or 0}; this "
            f"version uses {LATEST_VERSION}): it needs an upgrade, which cannot be written, so it cannot be opened, "
            "not even for viewing. It was left untouched; make the file and its folder writable, or open a copy."
        )


def _refuse_foreign_schema(database: pw.SqliteDatabase, path: Path) -> None:
    conn = database.connection()
    if schema_version(conn) is None and not conn.execute("SELECT 1 FROM sqlite_master").fetchone():
        return  # a new, empty file: the migrations make the schema
    problems = schema_problems(conn)
    if problems:
        raise DatabaseError(
            f"The database {path} cannot be used: " + "; ".join(problems) + ". It was left untouched.",
            unusable=problems[0].startswith("not a ContactDesk database"),
        )


def close_db() -> None:
    database = db.obj
    if database is not None and not database.is_closed():
        database.close()
