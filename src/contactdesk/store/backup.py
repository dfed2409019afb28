"""Copies of the database: made with SQLite's online backup, checked, restored.

Automatic copies (before a schema migration, before an import that replaces pending
contacts) go to a ``backups`` folder beside the database; the newest few of each kind
are kept. Every copy is readable by the user only.
"""

import logging
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import peewee as pw

from . import write_lock
from .foreign_wal import set_aside_foreign_wal
from .models import db
from .schema_check import schema_problems
from .search import add_fold_function

log = logging.getLogger(__name__)

KEEP_AUTOMATIC = 5
BACKUP_SUFFIX = ".sqlite3"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for people."""


def database_path() -> Path:
    from .connection import opened_path

    return opened_path() or Path(db.obj.database)


def backups_dir(database: Path | None = None) -> Path:
    database = database or database_path()
    return database.parent / "backups"


def _private_connection(path: Path, check_same_thread: bool = True) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    return sqlite3.connect(path, check_same_thread=check_same_thread)


def read_only_uri(path: Path) -> str:
    """A ``file:`` URI that opens ``path`` read-only; ``#``, ``?`` and ``%`` in names are quoted."""
    return Path(path).absolute().as_uri() + "?mode=ro"


def keeps_copies() -> bool:
    """Whether the open database is a file this program copies (before an import, on request); a
    team server (PostgreSQL) is backed up with the server's own tools."""
    from .server import is_server

    return not is_server()


def backup_database(reason: str = "manual", dest: Path | None = None, *, prune: bool = True) -> Path:
    """Copy the open database (consistent even while it is in use) and return the copy's path.

    The copy is read through a connection of its own, so the caller's connection may hold
    the write lock meanwhile.
    """
    return BackupInProgress(reason, dest, prune=prune).finish()


class BackupInProgress:
    """A copy of the database as it is when this object is made, written on a thread of its own.

    The copy's read snapshot is taken before the constructor returns, so what the caller writes
    afterwards (an import, in its own transaction) is not in it, and both run at once. ``finish``
    waits for the copy and returns its path, or raises BackupError and leaves no file;
    ``abandon`` waits and deletes it.
    """

    def __init__(self, reason: str = "manual", dest: Path | None = None, *, prune: bool = True):
        source = database_path()
        if dest is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            dest = backups_dir(source) / f"{source.stem}-{stamp}-{reason}{BACKUP_SUFFIX}"
        self.dest, self._reason, self._prune = Path(dest), reason, prune
        if self.dest.exists():
            raise BackupError(f"{self.dest} already exists; choose another name.")
        try:
            self._target = _private_connection(self.dest, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise BackupError(
                f"The backup could not be written to {self.dest}: {getattr(exc, 'strerror', None) or exc}."
            ) from None
        self._error: sqlite3.Error | None = None
        self._reader: sqlite3.Connection | None = None
        self._thread: threading.Thread | None = None
        try:
            self._reader = sqlite3.connect(read_only_uri(source), uri=True, check_same_thread=False)
            self._reader.execute("PRAGMA trusted_schema = OFF")
            # The snapshot begins with the first read of this transaction; the copy reads it whole.
            self._reader.execute("BEGIN")
            self._reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            self._error = exc
        else:
            self._thread = threading.Thread(target=self._copy, name="contactdesk-backup", daemon=True)
            self._thread.start()

    def _copy(self) -> None:
        try:
            self._reader.backup(self._target)  # SQLite copies without holding Python's GIL
            # A copy is one self-contained file: no -wal or -shm beside it.
            self._target.execute("PRAGMA journal_mode = delete")
        except sqlite3.Error as exc:
            self._error = exc

    def _wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self._target.close()

    def finish(self) -> Path:
        self._wait()
        if self._error is not None:
            self.dest.unlink(missing_ok=True)
            raise BackupError(f"The backup could not be written to {self.dest}: {self._error}.") from self._error
        if self._reason != "manual" and self._prune:
            prune_automatic(self._reason)
        log.info("database backed up to %s", self.dest)
        return self.dest

    def abandon(self) -> None:
        self._wait()
        self.dest.unlink(missing_ok=True)


def prune_automatic(reason: str) -> None:
    """Keep the newest KEEP_AUTOMATIC automatic copies of this kind."""
    kind = sorted(backups_dir().glob(f"*-{reason}{BACKUP_SUFFIX}"))
    for old in kind[:-KEEP_AUTOMATIC]:
        old.unlink(missing_ok=True)


def list_backups() -> list[Path]:
    folder = backups_dir()
    return sorted(folder.glob(f"*{BACKUP_SUFFIX}"), reverse=True) if folder.exists() else []


@dataclass
class CheckReport:
    path: Path
    ok: bool
    problems: list[str] = field(default_factory=list)
    campaigns: int = 0
    contacts: int = 0

    def to_dict(self) -> dict:
        return {
            "path": str(self.path),
            "ok": self.ok,
            "problems": self.problems,
            "campaigns": self.campaigns,
            "contacts": self.contacts,
        }


def check_file(path: Path) -> CheckReport:
    """Integrity and foreign keys of any ContactDesk database file, opened read-only."""
    path = Path(path)
    report = CheckReport(path, ok=False)
    if not path.is_file():
        report.problems.append(f"{path} does not exist.")
        return report
    set_aside_foreign_wal(path)
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        report.problems.append(f"cannot open: {exc}")
        return report
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA query_only = ON")
        schema = schema_problems(conn)
        if schema:
            report.problems.extend(schema)
            return report
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            report.problems.extend(integrity[:20])
        broken_links = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken_links:
            report.problems.append(f"{len(broken_links)} rows point at missing rows")
        report.campaigns = conn.execute("SELECT count(*) FROM campaign").fetchone()[0]
        report.contacts = conn.execute("SELECT count(*) FROM contact").fetchone()[0]
        report.ok = not report.problems
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"the file is damaged: {exc}")
    finally:
        conn.close()
    return report


# Children before parents when emptying, parents before children when filling.
_RESTORED_TABLES = ("schema_version", "campaign", "import_run", "contact", "mapping_preset")


def restore_database(backup: Path, wait_seconds: float | None = None) -> Path:
    """Replace the open database's content with ``backup``'s; returns the safety copy made first.

    The backup is copied and brought to the current schema on the side; then, holding the
    database's write lock (so no import can commit in between), the current state is copied
    and every table's rows are replaced in one transaction. A running import is waited for
    up to ``wait_seconds``, then the restore is refused and nothing changes.
    """
    from .connection import is_read_only, read_only_message

    if is_read_only():
        raise BackupError(read_only_message())
    backup = Path(backup)
    report = check_file(backup)
    if not report.ok:
        raise BackupError(f"{backup} cannot be restored: " + "; ".join(report.problems))
    wait = write_lock.WAIT_FOR_IMPORT_SECONDS if wait_seconds is None else wait_seconds
    live = database_path()
    staging = backups_dir(live) / f".restoring-{datetime.now():%Y%m%d-%H%M%S-%f}"
    try:
        _stage(backup, staging)
        return _replace_content(live, staging, wait, backup)
    finally:
        staging.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm", "-journal"):
            staging.with_name(staging.name + suffix).unlink(missing_ok=True)


def _stage(backup: Path, staging: Path) -> None:
    """A private copy of ``backup`` at the current schema (the user's file is never written)."""
    from .migrations import migrate

    source = sqlite3.connect(read_only_uri(backup), uri=True)
    target = _private_connection(staging)
    try:
        source.execute("PRAGMA trusted_schema = OFF")
        source.backup(target)
    except sqlite3.Error as exc:
        raise BackupError(f"{backup} could not be read: {exc}.") from exc
    finally:
        source.close()
        target.close()
    staged = pw.SqliteDatabase(str(staging), pragmas={"trusted_schema": 0, "journal_mode": "delete"})
    add_fold_function(staged)
    try:
        migrate(staged)
    except Exception as exc:
        raise BackupError(f"{backup} cannot be restored: {exc}") from exc
    finally:
        staged.close()


def _replace_content(live: Path, staging: Path, wait: float, backup: Path) -> Path:
    conn = db.connection()
    conn.execute("ATTACH DATABASE ? AS restored", (str(staging),))
    try:
        try:
            write_lock.begin_immediate(conn, wait)
        except write_lock.DatabaseBusy as exc:
            raise BackupError(str(exc)) from None
        try:
            # Nobody else can commit now, so this copy is exactly what is about to be replaced.
            safety = backup_database("before-restore", prune=False)
            # Filling tables without indexes and building them after is about twice as fast.
            indexes = conn.execute(
                "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            ).fetchall()
            for name, _sql in indexes:
                conn.execute(f'DROP INDEX main."{name}"')
            for table in reversed(_RESTORED_TABLES):
                conn.execute(f'DELETE FROM main."{table}"')
            for table in _RESTORED_TABLES:
                columns = ", ".join(f'"{row[1]}"' for row in conn.execute(f'PRAGMA main.table_info("{table}")'))
                conn.execute(f'INSERT INTO main."{table}" ({columns}) SELECT {columns} FROM restored."{table}"')
            for _name, sql in indexes:
                conn.execute(sql)
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise BackupError(f"The restore failed and the database was left as it was: {exc}.") from exc
            raise
    finally:
        conn.execute("DETACH DATABASE restored")
    prune_automatic("before-restore")
    log.info("database restored from %s (previous state saved as %s)", backup, safety)
    return safety


def move_aside(path: Path) -> Path:
    """Rename an unusable database file (and its WAL files) out of the way; never deletes it."""
    path = Path(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.unusable-{stamp}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    return target
