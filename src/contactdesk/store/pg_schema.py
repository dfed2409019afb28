"""The schema on a PostgreSQL server, as SQLite reaches it at BASELINE_VERSION, made in one step.

A team database is new: it never held the shapes of earlier versions, so the SQLite-only
steps (a table rebuild to change a CHECK, the accent-folding fill, filling locations from
stored numbers) have nothing to do there. It starts at BASELINE_VERSION with the same tables,
columns, indexes and constraints (tests/core/test_schema_engines.py compares them); every
step after it runs on both engines.

The types are PostgreSQL's own where peewee's fields expect them (BOOLEAN, TIMESTAMP, BIGINT,
SERIAL); the names, nullability, defaults, keys and checks are SQLite's.
"""

BASELINE_VERSION = 7

BASELINE = (
    'CREATE TABLE "campaign" ("id" SERIAL NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL,'
    ' "notes" TEXT NOT NULL, "created_at" TIMESTAMP NOT NULL, "calling_hours" TEXT NOT NULL DEFAULT \'\')',
    'CREATE UNIQUE INDEX "campaign_name" ON "campaign" ("name")',
    'CREATE TABLE "import_run" ("id" SERIAL NOT NULL PRIMARY KEY, "campaign_id" INTEGER NOT NULL,'
    ' "file_name" TEXT NOT NULL, "file_size" BIGINT NOT NULL, "file_sha256" VARCHAR(255) NOT NULL,'
    ' "started_at" TIMESTAMP NOT NULL, "finished_at" TIMESTAMP, "mapping_json" TEXT NOT NULL,'
    ' "region" VARCHAR(255) NOT NULL, "strict" BOOLEAN NOT NULL, "rows_read" INTEGER NOT NULL,'
    ' "imported_count" INTEGER NOT NULL, "skipped_duplicates" INTEGER NOT NULL, "invalid_count" INTEGER NOT NULL,'
    ' "removed_count" INTEGER NOT NULL, "total_contacts" INTEGER NOT NULL, "outcome" VARCHAR(255) NOT NULL,'
    " \"variables_json\" TEXT NOT NULL DEFAULT '[]', \"mode\" VARCHAR(255) NOT NULL DEFAULT 'replace',"
    ' "suppressed_count" INTEGER NOT NULL DEFAULT 0, "undone_at" TIMESTAMP,'
    ' "archive_kept" BOOLEAN NOT NULL DEFAULT FALSE,'
    ' FOREIGN KEY ("campaign_id") REFERENCES "campaign" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "import_run_campaign_id" ON "import_run" ("campaign_id")',
    'CREATE TABLE "contact" ("id" SERIAL NOT NULL PRIMARY KEY, "campaign_id" INTEGER NOT NULL,'
    ' "phone_number" VARCHAR(255) NOT NULL, "phone_raw" TEXT NOT NULL, "name" TEXT NOT NULL,'
    ' "email" TEXT NOT NULL, "company" TEXT NOT NULL, "variables" TEXT NOT NULL,'
    " \"status\" VARCHAR(255) NOT NULL CHECK (status IN ('pending', 'skipped', 'completed', 'failed', 'do_not_call')),"
    ' "source_row" INTEGER, "import_run_id" INTEGER, "created_at" TIMESTAMP NOT NULL,'
    ' "updated_at" TIMESTAMP NOT NULL, "search_text" TEXT NOT NULL DEFAULT \'\', "location_id" INTEGER,'
    ' FOREIGN KEY ("campaign_id") REFERENCES "campaign" ("id") ON DELETE CASCADE,'
    ' FOREIGN KEY ("import_run_id") REFERENCES "import_run" ("id") ON DELETE SET NULL)',
    'CREATE UNIQUE INDEX "contact_campaign_id_phone_number" ON "contact" ("campaign_id", "phone_number")',
    # Ends with the id, as every SQLite index ends with the row id: "next contact" walks it in id order.
    'CREATE INDEX "contact_campaign_id_status" ON "contact" ("campaign_id", "status", "id")',
    'CREATE INDEX "contact_campaign_id" ON "contact" ("campaign_id")',
    'CREATE TABLE "mapping_preset" ("id" SERIAL NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL,'
    ' "mapping_json" TEXT NOT NULL, "updated_at" TIMESTAMP NOT NULL)',
    'CREATE UNIQUE INDEX "mapping_preset_name" ON "mapping_preset" ("name")',
    'CREATE TABLE "dnc_entry" ("id" SERIAL NOT NULL PRIMARY KEY, "phone_number" VARCHAR(255) NOT NULL,'
    " \"campaign_id\" INTEGER, \"reason\" VARCHAR(255) NOT NULL CHECK (reason IN ('request', 'list', 'manual')),"
    ' "source" TEXT NOT NULL, "note" TEXT NOT NULL, "added_at" TIMESTAMP NOT NULL, "expires_at" TIMESTAMP,'
    ' FOREIGN KEY ("campaign_id") REFERENCES "campaign" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "dnc_entry_phone_scope" ON "dnc_entry" ("phone_number", coalesce("campaign_id", 0))',
    'CREATE TABLE "dnc_list_import" ("id" SERIAL NOT NULL PRIMARY KEY, "file_name" TEXT NOT NULL,'
    ' "campaign_id" INTEGER, "imported_at" TIMESTAMP NOT NULL, "numbers" INTEGER NOT NULL,'
    ' "new_numbers" INTEGER NOT NULL, FOREIGN KEY ("campaign_id") REFERENCES "campaign" ("id") ON DELETE CASCADE)',
    'CREATE TABLE "location" ("id" SERIAL NOT NULL PRIMARY KEY, "time_zones" TEXT NOT NULL,'
    ' "state" TEXT NOT NULL, "source" TEXT NOT NULL)',
    'CREATE UNIQUE INDEX "location_key" ON "location" ("time_zones", "state", "source")',
)


# Any constant, the same in every ContactDesk: the advisory lock that lets one program at a
# time migrate a server database (several callers may start at once on a new database).
_MIGRATION_LOCK = 0x436F6E74  # "Cont"


def migrate_server(database, run_steps) -> int:
    """Bring a server database to the latest version: the baseline on a new one, then the steps
    after it (``run_steps``, as on SQLite), holding the migration lock; returns the version found."""
    database.execute_sql("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
    try:
        if not database.execute_sql("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()[0]:
            _refuse_foreign_tables(database)  # before writing anything into someone else's database
        database.execute_sql("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        found = database.execute_sql("SELECT max(version) FROM schema_version").fetchone()[0] or 0
        if not found:
            with database.atomic():
                for statement in BASELINE:
                    database.execute_sql(statement)
                database.execute_sql("INSERT INTO schema_version (version) VALUES (%s)", (BASELINE_VERSION,))
        run_steps(database)
        return found
    finally:
        database.execute_sql("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))


class ForeignDatabase(Exception):
    """The server database holds tables, but not ContactDesk's."""


def _refuse_foreign_tables(database) -> None:
    tables = [
        name
        for (name,) in database.execute_sql(
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
        ).fetchall()
    ]
    if tables:
        raise ForeignDatabase(
            "not a ContactDesk database (it has tables but no ContactDesk schema version: "
            + ", ".join(sorted(tables)[:10])
            + "); choose an empty database"
        )
