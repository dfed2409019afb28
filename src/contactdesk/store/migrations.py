"""Schema versions. One numbered step per change; each step runs in its own transaction.

A database written by a newer ContactDesk (a version above the last step) is refused
rather than guessed at.
"""

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import peewee as pw

from .models import ALL_MODELS

log = logging.getLogger(__name__)


def _step_1_initial(database: pw.Database) -> None:
    database.create_tables(ALL_MODELS)


# (version, description, step). Append only; never edit a released step.
STEPS: list[tuple[int, str, Callable[[pw.Database], None]]] = [
    (1, "campaigns, contacts, import runs", _step_1_initial),
]
LATEST_VERSION = STEPS[-1][0]


class SchemaTooNewError(Exception):
    pass


def current_version(database: pw.Database) -> int:
    database.execute_sql("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = database.execute_sql("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(database: pw.Database, db_path: Path | None = None) -> int:
    """Bring the schema to LATEST_VERSION; returns the version found before."""
    found = current_version(database)
    if found > LATEST_VERSION:
        raise SchemaTooNewError(
            f"This database was written by a newer ContactDesk (schema {found}; "
            f"this version knows up to {LATEST_VERSION}). Update ContactDesk to open it."
        )
    if found and found < LATEST_VERSION and db_path is not None:
        backup_before_migration(database, db_path, found)
    for version, description, step in STEPS:
        if version <= found:
            continue
        log.info("migrating database to schema %d: %s", version, description)
        with database.atomic():
            step(database)
            database.execute_sql("DELETE FROM schema_version")
            database.execute_sql("INSERT INTO schema_version (version) VALUES (?)", (version,))
    return found


def backup_before_migration(database: pw.Database, db_path: Path, version: int) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = db_path.with_name(f"{db_path.stem}.schema{version}.{stamp}.bak")
    dest = sqlite3.connect(target)
    try:
        database.connection().backup(dest)
    finally:
        dest.close()
    log.info("backed up database to %s before migrating", target)
    return target
