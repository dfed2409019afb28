"""A write-ahead log (-wal) left beside the database by another database's program.

SQLite applies whatever committed frames it finds in ``NAME-wal`` and, when the last
connection closes, copies them into NAME: a -wal from another database (a killed program,
a file copied by hand) would overwrite this one. Before the database is opened, a -wal that
cannot belong to it is renamed aside (kept, never deleted).

A -wal cannot belong to the database when its page size differs, or when its last commit
says the database is smaller than the file (ContactDesk never shrinks its file) and reading
the database through it finds damage.
"""

import logging
import sqlite3
import struct
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)

_WAL_HEADER = 32
_FRAME_HEADER = 24
_WAL_MAGICS = (0x377F0682, 0x377F0683)


def _db_page_size(path: Path) -> int | None:
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100:
        return None
    size = struct.unpack(">H", header[16:18])[0]
    return 65536 if size == 1 else size


def _last_commit_pages(wal: Path) -> tuple[int, int | None] | None:
    """(page size, database pages after the last commit) from a WAL's header and frames."""
    with wal.open("rb") as handle:
        header = handle.read(_WAL_HEADER)
        if len(header) < _WAL_HEADER:
            return None
        magic, _version, page_size, _sequence, salt1, salt2 = struct.unpack(">6I", header[:24])
        if magic not in _WAL_MAGICS:
            return None
        last_commit = None
        offset = _WAL_HEADER
        while True:
            handle.seek(offset)
            frame = handle.read(_FRAME_HEADER)
            if len(frame) < _FRAME_HEADER:
                break
            _page, pages_after_commit, frame_salt1, frame_salt2 = struct.unpack(">4I", frame[:16])
            if (frame_salt1, frame_salt2) != (salt1, salt2):
                break  # frames from before the log was last restarted: SQLite ignores them too
            if pages_after_commit:
                last_commit = pages_after_commit
            offset += _FRAME_HEADER + page_size
    return page_size, last_commit


def _damaged_through(path: Path) -> bool:
    """Read the database through its -wal without ever writing (read-only: no checkpoint)."""
    uri = path.absolute().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return True
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        return conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"
    except sqlite3.DatabaseError:
        return True
    finally:
        conn.close()


def set_aside_foreign_wal(path: Path) -> Path | None:
    """Rename a -wal (and -shm) that is not this database's; returns where it went, or None."""
    path = Path(path)
    wal = path.with_name(path.name + "-wal")
    try:
        if not path.is_file() or not wal.is_file() or wal.stat().st_size <= _WAL_HEADER:
            return None
        page_size = _db_page_size(path)
        found = _last_commit_pages(wal)
        if page_size is None or found is None:
            return None
        wal_page_size, commit_pages = found
        if commit_pages is None:
            return None  # nothing committed: SQLite applies nothing
        file_pages = path.stat().st_size // page_size
        foreign = wal_page_size != page_size or (commit_pages < file_pages and _damaged_through(path))
        if not foreign:
            return None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = wal.with_name(f"{wal.name}.foreign-{stamp}")
        wal.rename(kept)
        shm = path.with_name(path.name + "-shm")
        if shm.exists():
            shm.rename(shm.with_name(f"{shm.name}.foreign-{stamp}"))
    except OSError as exc:
        log.warning("could not look at %s: %s", wal, exc)
        return None
    log.warning(
        "%s belongs to another database (it would have overwritten this one); it was kept as %s", wal.name, kept
    )
    return kept
