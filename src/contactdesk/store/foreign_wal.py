"""A write-ahead log (-wal) left beside the database by another database's program.

SQLite applies whatever committed frames it finds in ``NAME-wal`` and, when the last
connection closes, copies them into NAME: a -wal from another database (a killed program,
a file copied by hand) would overwrite this one. Before the database is opened, a -wal that
cannot belong to it is renamed aside (kept, never deleted).

A -wal cannot belong to the database when its page size differs, or when reading the
database through it finds damage. That read (a quick check of the whole file) is done when
the -wal's last commit says the database is smaller than the file (ContactDesk never shrinks
its file), or when no other program has the database open (a -wal left by a killed program);
a -wal in use by a running ContactDesk is that program's own.

What cannot be told apart: a complete, healthy database in another database's -wal.
"""

import logging
import os
import sqlite3
import struct
import sys
from datetime import datetime
from pathlib import Path

if sys.platform != "win32":
    import fcntl

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


# struct flock on Linux: l_type, l_whence, l_start, l_len, l_pid (and padding to 32 bytes).
_FLOCK = "hhqqi4x"
_SHM_DMS_BYTE = 128  # SQLite's unix VFS: every connection holds a read lock on this byte of -shm


def _open_elsewhere(path: Path) -> bool:
    """Does another program have the database open? (Its SQLite holds a lock in the -shm file.)

    Asks without taking a lock. Only on Linux; elsewhere it answers yes, which only means the
    -wal is not read through in full unless it would shrink the file.
    """
    shm = path.with_name(path.name + "-shm")
    if not shm.exists():
        return False
    if sys.platform != "linux":
        return True
    from .connection import opened_path  # this process's own connection: its locks must stay

    if opened_path() is not None and opened_path().absolute() == path.absolute():
        return True
    fd = os.open(shm, os.O_RDONLY)
    try:
        query = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, _SHM_DMS_BYTE, 1, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
        return struct.unpack(_FLOCK, answer)[0] != fcntl.F_UNLCK
    except OSError:
        return True
    finally:
        os.close(fd)


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
        suspicious = commit_pages < file_pages or not _open_elsewhere(path)
        foreign = wal_page_size != page_size or (suspicious and _damaged_through(path))
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
