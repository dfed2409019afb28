"""Schema versions. One numbered step per change; each step runs in its own transaction.

A database written by a newer ContactDesk (a version above the last step) is refused
rather than guessed at.
"""

import logging
from collections.abc import Callable
from pathlib import Path

import peewee as pw

from .search import fill_search_text_sql

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

_SCHEMA_3 = (
    # Whether an import replaced the pending and skipped contacts or kept them; earlier imports replaced.
    """ALTER TABLE "import_run" ADD COLUMN "mode" VARCHAR(255) NOT NULL DEFAULT 'replace'""",
)


_SCHEMA_4 = (
    # Accent- and case-free copy of name, email and company for search (see search.py);
    # empty for contacts that are plain ASCII, which LIKE already finds without it.
    """ALTER TABLE "contact" ADD COLUMN "search_text" TEXT NOT NULL DEFAULT ''""",
    fill_search_text_sql(),
)


_LOCATIONS = (
    # Where contacts are (see core/timezones.py): one row per distinct location, which
    # contacts refer to by id. An integer per contact keeps a million-row import as fast as
    # before; three text columns cost it about a seventh.
    'CREATE TABLE "location" ("id" INTEGER NOT NULL PRIMARY KEY, "time_zones" TEXT NOT NULL,'
    ' "state" TEXT NOT NULL, "source" TEXT NOT NULL)',
    'CREATE UNIQUE INDEX "location_key" ON "location" ("time_zones", "state", "source")',
    'ALTER TABLE "contact" ADD COLUMN "location_id" INTEGER',  # null: not known
    # The campaign's weekly calling hours as JSON; '' is the default (08:00-21:00 every day).
    """ALTER TABLE "campaign" ADD COLUMN "calling_hours" TEXT NOT NULL DEFAULT ''""",
)


def _locations(database: pw.Database) -> None:
    """The location table and columns, then the time zone and state of every stored contact from
    its number, grouped by number prefix in SQL (a million contacts take seconds, not minutes)."""
    _run_all(_LOCATIONS)(database)
    from ..core.timezones import LocationIds, NumberLocations  # no Qt; imported late: start-up stays light
    from .locations import fill_locations_from_numbers

    fill_locations_from_numbers(database, NumberLocations().locate_with_prefix, LocationIds())


def _run_all(statements: tuple[str, ...]) -> Callable[[pw.Database], None]:
    def step(database: pw.Database) -> None:
        for statement in statements:
            database.execute_sql(statement)

    return step


_DNC_TABLE = (
    'CREATE TABLE "dnc_entry" ("id" INTEGER NOT NULL PRIMARY KEY, "phone_number" VARCHAR(255) NOT NULL,'
    " \"campaign_id\" INTEGER, \"reason\" VARCHAR(255) NOT NULL CHECK (reason IN ('request', 'list', 'manual')),"
    ' "source" TEXT NOT NULL, "note" TEXT NOT NULL, "added_at" DATETIME NOT NULL, "expires_at" DATETIME,'
    ' FOREIGN KEY ("campaign_id") REFERENCES "campaign" ("id") ON DELETE CASCADE)',
    # One entry per number and scope (NULL campaign: all campaigns); serves the import's suppression join.
    'CREATE UNIQUE INDEX "dnc_entry_phone_scope" ON "dnc_entry" ("phone_number", coalesce("campaign_id", 0))',
    'ALTER TABLE "import_run" ADD COLUMN "suppressed_count" INTEGER NOT NULL DEFAULT 0',
    # Each imported list (a registry download): how old the list is, for the refresh warning.
    'CREATE TABLE "dnc_list_import" ("id" INTEGER NOT NULL PRIMARY KEY, "file_name" TEXT NOT NULL,'
    ' "campaign_id" INTEGER, "imported_at" DATETIME NOT NULL, "numbers" INTEGER NOT NULL,'
    ' "new_numbers" INTEGER NOT NULL, FOREIGN KEY ("campaign_id") REFERENCES "campaign" ("id") ON DELETE CASCADE)',
)
_OLD_STATUS_CHECK = "CHECK (status IN ('pending', 'skipped', 'completed', 'failed'))"
_DNC_STATUS_CHECK = "CHECK (status IN ('pending', 'skipped', 'completed', 'failed', 'do_not_call'))"


def _do_not_call(database: pw.Database) -> None:
    """The do-not-call list, and ``do_not_call`` as a contact status.

    SQLite cannot change a CHECK constraint in place: the contact table is rebuilt from its
    own recorded SQL (whatever columns earlier steps gave it), copied, and its indexes made
    again from their recorded SQL, all in this step's transaction.
    """
    for statement in _DNC_TABLE:
        database.execute_sql(statement)
    table_sql = database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'contact'"
    ).fetchone()[0]
    if _OLD_STATUS_CHECK not in table_sql:
        raise RuntimeError("the contact table's status check is not the expected one")
    new_sql = table_sql.replace(_OLD_STATUS_CHECK, _DNC_STATUS_CHECK).replace(
        'CREATE TABLE "contact"', 'CREATE TABLE "contact_rebuilt"', 1
    )
    dependents = [
        sql
        for (sql,) in database.execute_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'contact' AND type IN ('index', 'trigger')"
            " AND sql IS NOT NULL"
        ).fetchall()
    ]
    database.execute_sql(new_sql)
    database.execute_sql('INSERT INTO "contact_rebuilt" SELECT * FROM "contact"')
    database.execute_sql('DROP TABLE "contact"')
    database.execute_sql('ALTER TABLE "contact_rebuilt" RENAME TO "contact"')
    for sql in dependents:
        database.execute_sql(sql)


_UNDO_COLUMNS = (
    'ALTER TABLE "import_run" ADD COLUMN "undone_at" DATETIME',
    # 1 when the contacts the import replaced were kept in its archive table, so it can be undone.
    'ALTER TABLE "import_run" ADD COLUMN "archive_kept" INTEGER NOT NULL DEFAULT 0',
)


def _claims(database: pw.Database) -> None:
    """Team mode: who holds a contact now (a claim, which expires), and who marked its result and when.
    Times are UTC, so callers on computers in different time zones compare them rightly."""
    from .server import is_server

    timestamp = "TIMESTAMP" if is_server(database) else "DATETIME"
    for statement in (
        'ALTER TABLE "contact" ADD COLUMN "claimed_by" TEXT',
        f'ALTER TABLE "contact" ADD COLUMN "claimed_at" {timestamp}',
        'ALTER TABLE "contact" ADD COLUMN "marked_by" TEXT',
        f'ALTER TABLE "contact" ADD COLUMN "marked_at" {timestamp}',
    ):
        database.execute_sql(statement)


_IMPORT_CALLER = ('ALTER TABLE "import_run" ADD COLUMN "caller" TEXT NOT NULL DEFAULT \'\'',)

# Claimed contacts are few (a claim ends when its result is marked): a replacing import counts the
# ones it must leave alone here instead of reading every contact of the campaign.
_CLAIMS_INDEX = (
    'CREATE INDEX "contact_campaign_id_claimed_at" ON "contact" ("campaign_id", "claimed_at")'
    ' WHERE "claimed_at" IS NOT NULL',
)


# (version, description, step). Append only; never edit a released step.
STEPS: list[tuple[int, str, Callable[[pw.Database], None]]] = [
    (1, "campaigns, contacts, import runs, mapping presets", _run_all(_SCHEMA_1)),
    (2, "contacts by campaign index; variables of each import", _run_all(_SCHEMA_2)),
    (3, "import mode: replace or keep the pending contacts", _run_all(_SCHEMA_3)),
    (4, "search without accents", _run_all(_SCHEMA_4)),
    (5, "do-not-call list; do_not_call contact status", _do_not_call),
    (6, "undo an import: its state and whether its replaced contacts are archived", _run_all(_UNDO_COLUMNS)),
    (7, "time zone and state of each contact; calling hours of each campaign", _locations),
    (8, "claims and who marked each contact (team mode)", _claims),
    (9, "who started each import (team mode)", _run_all(_IMPORT_CALLER)),
    (10, "index of the claimed contacts", _run_all(_CLAIMS_INDEX)),
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
    from .server import is_server

    if is_server(database):
        from .pg_schema import migrate_server  # a new database starts at its baseline; later steps as here

        return migrate_server(database, _migrate)
    return _migrate(database, db_path)


def _migrate(database: pw.Database, db_path: Path | None = None) -> int:
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
            database.execute_sql(f"INSERT INTO schema_version (version) VALUES ({database.param})", (version,))
    return found


def backup_before_migration(version: int) -> Path:
    from .backup import backup_database  # the backup module needs the bound database

    return backup_database(f"schema{version}")
