"""Schema versions. One numbered step per change; each step runs in its own transaction.

A database written by a newer ContactDesk (a version above the last step) is refused
rather than guessed at.
"""

import logging
from collections.abc import Callable
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
        backup_before_migration(found)
    for version, description, step in STEPS:
        if version <= found:
            continue
        log.info("migrating database to schema %d: %s", version, description)
        with database.atomic():
            step(database)
            database.execute_sql("DELETE FROM schema_version")
            database.execute_sql("INSERT INTO schema_version (version) VALUES (?)", (version,))
    return found


def backup_before_migration(version: int) -> Path:
    from .backup import backup_database  # the backup module needs the bound database

    return backup_database(f"schema{version}")
