"""The contacts an import replaced, kept in an archive table of that import so it can be undone.

Each import that replaces contacts gets ``import_archive_<import id>``: the replaced rows
exactly as they were (same columns as ``contact``, id included), copied with one
``INSERT … SELECT`` just before they are deleted, in the import's transaction. When the
import replaces every contact the database holds, the contact table itself is renamed to be
the archive and an empty one takes its place: nothing is copied or deleted. No index:
the table is only ever read whole. Pruning is a ``DROP TABLE``: archives of imports older
than ``KEEP_DAYS`` or beyond the ``KEEP_IMPORTS`` latest of their campaign go.

The same on a PostgreSQL server (the tables are in the connection's current schema); only
the catalog look-ups and the insert that skips taken ids are written per engine.
"""

from datetime import timedelta

from . import statements
from .models import local_now

KEEP_DAYS = 90
KEEP_IMPORTS = 10
PREFIX = "import_archive_"


def table_name(run_id: int) -> str:
    return f"{PREFIX}{int(run_id)}"


def _tables_named(conn, pattern: str) -> list[str]:
    """The tables whose name is LIKE ``pattern``."""
    if statements.is_sqlite(conn):
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ?"
    else:
        sql = (
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_name LIKE %s"
        )
    return [name for (name,) in conn.execute(sql, (pattern,)).fetchall()]


def exists(conn, run_id: int) -> bool:
    name = table_name(run_id)
    return name in _tables_named(conn, name)


def columns(conn, table: str) -> list[str]:
    if statements.is_sqlite(conn):
        return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND table_name = %s ORDER BY ordinal_position",
        (table,),
    )
    return [name for (name,) in rows]


def _set_kept(conn, run_id: int, kept: bool) -> None:
    mark = statements.marker(conn)
    conn.execute(f"UPDATE import_run SET archive_kept = {mark} WHERE id = {mark}", (kept, run_id))


def archive_replaced(conn, run_id: int, campaign_id: int, where: str, params: tuple) -> int:
    """Copy the contacts ``where`` selects into the import's archive; returns how many. In a transaction."""
    if not statements.in_transaction(conn):
        raise RuntimeError("archive_replaced needs an open transaction")
    table = table_name(run_id)
    # A new import's id is unused, so a table by that name belongs to a deleted campaign's import.
    conn.execute(f'DROP TABLE IF EXISTS "{table}"')
    conn.execute(f'CREATE TABLE "{table}" AS SELECT * FROM contact WHERE 1 = 0')
    copied = conn.execute(f'INSERT INTO "{table}" SELECT * FROM contact WHERE {where}', params).rowcount
    _set_kept(conn, run_id, True)
    prune(conn, campaign_id)
    return copied


def archive_every_contact(conn, run_id: int, campaign_id: int) -> int:
    """The import replaces every contact of the database: the contact table becomes its archive
    and a new, empty one (made from the same recorded SQL) takes its place; returns how many
    contacts were archived. In a transaction.

    Measured, 939,989 contacts, 2 rounds, commit included: 0.33-0.35 s; copying them into the
    archive and deleting them, 1.94-1.96 s."""
    if not conn.in_transaction:
        raise RuntimeError("archive_every_contact needs an open transaction")
    table = table_name(run_id)
    conn.execute(f'DROP TABLE IF EXISTS "{table}"')  # as in archive_replaced
    archived = conn.execute("SELECT count(*) FROM contact").fetchone()[0]
    (table_sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'contact'").fetchone()
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contact' AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in indexes:  # the archive is read whole: its indexes would only take space
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute(f'ALTER TABLE contact RENAME TO "{table}"')
    # Like a copied archive, it must not follow its campaign's or imports' rows (ON DELETE).
    _set_table_sql(conn, table, _without_constraints(conn, table))
    conn.execute(table_sql)
    for _, sql in indexes:
        conn.execute(sql)
    conn.execute("UPDATE import_run SET archive_kept = 1 WHERE id = ?", (run_id,))
    prune(conn, campaign_id)
    return archived


def _without_constraints(conn, table: str) -> str:
    """The table's CREATE statement with its columns exactly as they are (types, NOT NULL,
    defaults, the integer primary key: the stored rows read the same) and no CHECK or FOREIGN KEY."""
    definitions = []
    for _cid, name, declared, not_null, default, primary_key in conn.execute(f'PRAGMA table_info("{table}")'):
        definition = f'"{name}" {declared}' + (" NOT NULL" if not_null else "")
        definition += (f" DEFAULT {default}" if default is not None else "") + (" PRIMARY KEY" if primary_key else "")
        definitions.append(definition)
    return f'CREATE TABLE "{table}" ({", ".join(definitions)})'


def _set_table_sql(conn, table: str, sql: str) -> None:
    """SQLite's documented way to remove CHECK and FOREIGN KEY constraints from a table (its ALTER
    TABLE page, "making other kinds of table schema changes"): the recorded SQL is rewritten and the
    schema version raised, so every connection reads the schema again. In the caller's transaction."""
    (version,) = conn.execute("PRAGMA schema_version").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (sql, table))
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")


def drop_campaign_archives(conn, campaign_id: int) -> None:
    """Drop the archives of a campaign about to be deleted: its imports can no longer be undone."""
    mark = statements.marker(conn)
    for (run_id,) in conn.execute(
        f"SELECT id FROM import_run WHERE campaign_id = {mark} AND archive_kept = {mark}", (campaign_id, True)
    ).fetchall():
        drop(conn, run_id)


def cutoff() -> str:
    """Archives of imports that started before this (local time text) are no longer kept."""
    return (local_now() - timedelta(days=KEEP_DAYS)).isoformat(sep=" ")


def group_runs(runs: list[tuple[int, str, int]]) -> list[list[int]]:
    """Runs (id, started_at, removed_count), in id order, grouped into imports.

    Files imported together as one list are recorded in one transaction, one run each, one
    after the other (consecutive ids) with the import's one start stamp (to the microsecond);
    only the first file's run replaces contacts."""
    imports: list[list[int]] = []
    previous: tuple[int, str, int] | None = None
    for run in runs:
        run_id, started_at, removed_count = run
        if (
            previous is not None
            and run_id == previous[0] + 1
            and str(started_at) == str(previous[1])
            and not removed_count
        ):
            imports[-1].append(run_id)
        else:
            imports.append([run_id])
        previous = run
    return imports


def prune(conn, campaign_id: int) -> list[int]:
    """Drop the archives this campaign no longer keeps, and those of deleted campaigns; returns their imports."""
    cutoff_text = cutoff()
    mark = statements.marker(conn)
    runs = conn.execute(
        f"SELECT id, started_at FROM import_run WHERE campaign_id = {mark} AND archive_kept = {mark} ORDER BY id DESC",
        (campaign_id, True),
    ).fetchall()
    every_run = conn.execute(
        f"SELECT id, started_at, removed_count FROM import_run WHERE campaign_id = {mark} ORDER BY id", (campaign_id,)
    ).fetchall()
    # The last imports, counting the files imported together as one.
    latest = {run_id for group in group_runs(every_run)[-KEEP_IMPORTS:] for run_id in group}
    dropped = [run_id for run_id, started in runs if run_id not in latest or _text(started) < cutoff_text]
    for run_id in dropped:
        drop(conn, run_id)
    # Archives whose import is gone (its campaign was deleted).
    known = {row[0] for row in conn.execute("SELECT id FROM import_run")}
    for name in _tables_named(conn, PREFIX + "%"):
        suffix = name.removeprefix(PREFIX)
        if suffix.isdigit() and int(suffix) not in known:
            conn.execute(f'DROP TABLE "{name}"')
    return dropped


def _text(stamp) -> str:
    # SQLite gives stored times back as text, PostgreSQL as datetimes.
    return stamp if isinstance(stamp, str) else stamp.isoformat(sep=" ")


def drop(conn, run_id: int) -> None:
    conn.execute(f'DROP TABLE IF EXISTS "{table_name(run_id)}"')
    _set_kept(conn, run_id, False)


def count(conn, run_id: int) -> int:
    return conn.execute(f'SELECT count(*) FROM "{table_name(run_id)}"').fetchone()[0]


def holds_contacts_of(conn, run_id: int, origin_run_id: int) -> bool:
    """Did import ``run_id`` replace contacts that import ``origin_run_id`` had added?"""
    found = conn.execute(
        f'SELECT 1 FROM "{table_name(run_id)}" WHERE import_run_id = {statements.marker(conn)} LIMIT 1',
        (origin_run_id,),
    )
    return found.fetchone() is not None


def origins(conn, run_id: int) -> set[int]:
    """The imports whose contacts import ``run_id`` replaced (one read of its archive)."""
    rows = conn.execute(f'SELECT DISTINCT import_run_id FROM "{table_name(run_id)}"')
    return {row[0] for row in rows if row[0] is not None}


def conflicts_with_later(conn, run_id: int, campaign_id: int, after: int | None = None) -> int | None:
    """A later import whose contact has the number of one this import replaced (its id), or None.

    ``after``: the last run of this import, when its files were imported together (their own
    contacts are undone with it)."""
    mark = statements.marker(conn)
    found = conn.execute(
        f'SELECT contact.import_run_id FROM "{table_name(run_id)}" AS archived'
        f" JOIN contact ON contact.campaign_id = {mark} AND contact.phone_number = archived.phone_number"
        f" WHERE contact.import_run_id > {mark} LIMIT 1",
        (campaign_id, run_id if after is None else max(run_id, after)),
    ).fetchone()
    return found[0] if found else None


def restore(conn, run_id: int) -> int:
    """Put the archived contacts back, as they were; returns how many. In a transaction.

    Each keeps its id when that id is free, so the campaign lists in the same order as
    before the import; a number that has a contact again (one with a call result, kept)
    is not brought back twice.
    """
    table = table_name(run_id)
    contact_columns = columns(conn, "contact")
    shared = [name for name in contact_columns if name in set(columns(conn, table))]
    listed = ", ".join(f'"{name}"' for name in shared)
    without_id = ", ".join(f'"{name}"' for name in shared if name != "id")
    # SQLite: INSERT OR IGNORE; PostgreSQL: ON CONFLICT DO NOTHING (either key: id, or campaign and number).
    insert, skip_taken = (
        ("INSERT OR IGNORE", "") if statements.is_sqlite(conn) else ("INSERT", " ON CONFLICT DO NOTHING")
    )
    restored = conn.execute(f'{insert} INTO contact ({listed}) SELECT {listed} FROM "{table}"{skip_taken}').rowcount
    # The ones whose id was taken meanwhile come back under a new id.
    restored += conn.execute(
        f'{insert} INTO contact ({without_id}) SELECT {without_id} FROM "{table}" AS archived'
        " WHERE NOT EXISTS (SELECT 1 FROM contact WHERE contact.campaign_id = archived.campaign_id"
        f" AND contact.phone_number = archived.phone_number){skip_taken}"
    ).rowcount
    return restored
