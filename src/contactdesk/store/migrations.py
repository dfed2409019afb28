"""Schema versions. One numbered step per change; each step runs in its own transaction.

A database written by a newer ContactDesk (a version above the last step) is refused
rather than guessed at.
"""

import logging
from collections.abc import Callable
from pathlib import Path

import peewee as pw

log = logging.getLogger(__name__)


# Steps are literal SQL, not the current models: a database must end up the same whether it
# was created today or migrated from any earlier version.
_SCHEMA_1 = (
    'CREATE TABLE "campaign" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL,'
    ' "notes" TEXT NOT NULL, "created_at" DATETIME NOT NULL)',
    'CREATE UNIQUE INDEX "campaign_name" ON "campaign" ("name")',
    'CREATE TABLE "import_run" ("id" INTEGER NOT NULL PRIMARY KEY, "campaign_id" INTEGER NOT NULL,'
    ' "file_name" TEXT NOT NULL, "file_size" INTEGER NOT NULL, "file_sha256" VARCHAR(255) NOT NULL,'
    ' "started_at" DATETIME NOT NULL, "finished_at" DATETIME, "mapping_json" TEXT NOT NULL,'
    ' "region" VARCHAR(255) NOT NULL, "strict" INTEGER NOT NULL, "rows_read" INTEGER NOT NULL,'
    ' "imported_count" INTEGER NOT NULL, "skipped_duplicates" INTEGER NOT NULL, "invalid_count" INTEGER NOT NULL,'
    ' "removed_count" INTEGER NOT NULL, "total_contacts" INTEGER NOT NULL, "outcome" VARCHAR(255) NOT NULL,'
    ' FOREIGN KEY ("campaign_id") REFERENCES "campaign" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "import_run_campaign_id" ON "import_run" ("campaign_id")',
    'CREATE TABLE "contact" ("id" INTEGER NOT NULL PRIMARY KEY, "campaign_id" INTEGER NOT NULL,'
    ' "phone_number" VARCHAR(255) NOT NULL, "phone_raw" TEXT NOT NULL, "name" TEXT NOT NULL,'
    ' "email" TEXT NOT NULL, "company" TEXT NOT NULL, "variables" TEXT NOT NULL,'
    " \"status\" VARCHAR(255) NOT NULL CHECK (status IN ('pending', 'skipped', 'completed', 'failed')),"
    ' "source_row" INTEGER, "import_run_id" INTEGER, "created_at" DATETIME NOT NULL,'
    ' "updated_at" DATETIME NOT NULL, FOREIGN KEY ("campaign_id") REFERENCES "campaign" ("id") ON DELETE CASCADE,'
    ' FOREIGN KEY ("import_run_id") REFERENCES "import_run" ("id") ON DELETE SET NULL)',
    'CREATE UNIQUE INDEX "contact_campaign_id_phone_number" ON "contact" ("campaign_id", "phone_number")',
    'CREATE INDEX "contact_campaign_id_status" ON "contact" ("campaign_id", "status")',
    'CREATE TABLE "mapping_preset" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL,'
    ' "mapping_json" TEXT NOT NULL, "updated_at" DATETIME NOT NULL)',
    'CREATE UNIQUE INDEX "mapping_preset_name" ON "mapping_preset" ("name")',
)

_SCHEMA_2 = (
    # Pages of a campaign in id (file) order without sorting the whole campaign.
    'CREATE INDEX "contact_campaign_id" ON "contact" ("campaign_id")',
    # The template variables an import produced (the file's columns plus "extension").
    """ALTER TABLE "import_run" ADD COLUMN "variables_json" TEXT NOT NULL DEFAULT '[]'""",
    # Earlier imports: their variables are the mapping's targets that are not standard fields.
    """UPDATE "import_run" SET "variables_json" = (
        SELECT json_group_array(target.value) FROM json_each("import_run"."mapping_json") AS target
        WHERE target.type = 'text' AND target.value NOT IN ('phone_number', 'name', 'email', 'company'))
    WHERE json_valid("mapping_json")""",
)


def _run_all(statements: tuple[str, ...]) -> Callable[[pw.Database], None]:
    def step(database: pw.Database) -> None:
        for statement in statements:
            database.execute_sql(statement)

    return step


# (version, description, step). Append only; never edit a released step.
STEPS: list[tuple[int, str, Callable[[pw.Database], None]]] = [
    (1, "campaigns, contacts, import runs, mapping presets", _run_all(_SCHEMA_1)),
    (2, "contacts by campaign index; variables of each import", _run_all(_SCHEMA_2)),
]
LATEST_VERSION = STEPS[-1][0]


class SchemaTooNewError(Exception):
    pass


def newer_version_message(found: int) -> str:
    return (
        f"This database was made by a newer ContactDesk (schema {found}; "
        f"this version knows up to {LATEST_VERSION}). Update ContactDesk to open it."
    )


def current_version(database: pw.Database) -> int:
    database.execute_sql("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = database.execute_sql("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(database: pw.Database, db_path: Path | None = None) -> int:
    """Bring the schema to LATEST_VERSION; returns the version found before."""
    found = current_version(database)
    if found > LATEST_VERSION:
        raise SchemaTooNewError(newer_version_message(found))
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
