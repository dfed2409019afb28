"""SQL for contacts' locations and campaigns' calling hours.

Filling the locations of stored contacts groups them by number prefix in SQL: Python sees
one row per distinct prefix (about a thousand for North American numbers), never one per
contact, and each length of prefix is written by one UPDATE.
"""

import peewee as pw

from . import statements
from .models import PENDING, db
from .transaction import write_transaction

# A location row: (time_zones, state, source), as core.timezones.Location.
LocationRow = tuple[str, str, str]


def known_locations(conn) -> dict[tuple[str, str, str], int]:
    """Every row of the location table: (time_zones, state, source) -> id. A few thousand at most."""
    return {(zones, state, source): id_ for id_, zones, state, source in conn.execute(_ALL_LOCATIONS)}


_ALL_LOCATIONS = "SELECT id, time_zones, state, source FROM location"


def add_locations(conn, rows: list[tuple[int, str, str, str]], run_ids: list[int] = ()) -> None:
    """New rows of the location table (id, time_zones, state, source), in the caller's transaction.

    On a PostgreSQL server another import may have added rows since this one read the table:
    ``run_ids`` names this import's runs, whose contacts are moved to the ids the rows get."""
    if not statements.is_sqlite(conn):
        _add_on_server(conn, rows, list(run_ids))
        return
    row = f"({statements.markers(conn, 4)})"
    for chunk in pw.chunked(rows, 5000):
        conn.execute(
            "INSERT INTO location (id, time_zones, state, source) VALUES " + ", ".join([row] * len(chunk)),
            [value for row in chunk for value in row],
        )


# The advisory lock that lets one import at a time add locations on a server (a few times ever:
# new kinds of location are rare once the first lists are in).
_LOCATIONS_LOCK = 0x4C6F6361  # "Loca"


def _add_on_server(conn, rows: list[tuple[int, str, str, str]], run_ids: list[int]) -> None:
    if not rows:
        return
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCATIONS_LOCK,))
    known = known_locations(conn)  # as committed now, other imports' rows included
    next_id = max(known.values(), default=0) + 1
    moved: list[tuple[int, int]] = []
    for wanted_id, *location in rows:
        found = known.get(tuple(location))
        if found is None:
            found = known[tuple(location)] = next_id
            next_id += 1
            conn.execute(
                "INSERT INTO location (id, time_zones, state, source) VALUES (%s, %s, %s, %s)", (found, *location)
            )
        if found != wanted_id:
            moved.append((wanted_id, found))
    if moved and run_ids:
        # One statement, so that ids that trade places are each moved once.
        conn.execute(
            "UPDATE contact SET location_id = moved.found FROM unnest(%s::integer[], %s::integer[]) AS moved (wanted, found)"
            " WHERE contact.import_run_id = ANY(%s) AND contact.location_id = moved.wanted",
            ([wanted for wanted, _ in moved], [found for _, found in moved], run_ids),
        )


def locations_by_id(ids) -> dict[int, LocationRow]:
    wanted = sorted({id_ for id_ in ids if id_ is not None})
    found: dict[int, LocationRow] = {}
    for chunk in pw.chunked(wanted, 500):
        for id_, zones, state, source in db.execute_sql(
            f"{_ALL_LOCATIONS} WHERE id IN ({', '.join([db.param] * len(chunk))})", chunk
        ):
            found[id_] = (zones, state, source)
    return found


def fill_locations_from_numbers(database: pw.Database, locate_with_prefix, location_ids) -> int:
    """Set location_id of every contact from its number.

    ``locate_with_prefix(e164)`` gives (the prefix that decides, location); ``location_ids`` is
    a core.timezones.LocationIds filled from the location table, whose new rows are written here.
    """
    database.execute_sql("DROP TABLE IF EXISTS temp.number_location")
    database.execute_sql("CREATE TEMP TABLE number_location (prefix TEXT PRIMARY KEY, location_id INTEGER)")
    database.execute_sql("DROP TABLE IF EXISTS temp.open_prefix")
    database.execute_sql("CREATE TEMP TABLE open_prefix (prefix TEXT PRIMARY KEY)")
    length, lengths, scope = 5, set(), "1"
    while True:
        # One representative number per prefix of this length, among the contacts not yet decided.
        groups = database.execute_sql(
            f"SELECT substr(phone_number, 1, {length}), min(phone_number) FROM contact WHERE {scope} GROUP BY 1"
        ).fetchall()
        if not groups:
            break
        answered, open_prefixes = [], []
        for prefix, number in groups:
            decided_by, location = locate_with_prefix(number)
            if len(decided_by) <= length or len(number) <= length:
                answered.append((prefix, location_ids.id_of(location)))
            else:
                open_prefixes.append((prefix,))
        if answered:
            lengths.add(length)
            _insert_many(database, answered)
        if not open_prefixes or length >= 16:
            break
        database.execute_sql("DELETE FROM open_prefix")
        _insert_many(database, open_prefixes, table="open_prefix")
        scope = f"substr(phone_number, 1, {length}) IN (SELECT prefix FROM open_prefix)"
        length += 1
    add_locations(database.connection(), location_ids.new)
    location_ids.new = []
    changed = 0
    for size in sorted(lengths):
        changed += database.execute_sql(
            "UPDATE contact SET location_id = found.location_id FROM number_location AS found"
            f" WHERE found.prefix = substr(contact.phone_number, 1, {size}) AND length(found.prefix) = {size}"
        ).rowcount
    database.execute_sql("DROP TABLE temp.number_location")
    database.execute_sql("DROP TABLE temp.open_prefix")
    return changed


def _insert_many(database: pw.Database, rows: list[tuple], table: str = "number_location") -> None:
    width = len(rows[0])
    step = max(1, 30_000 // width)
    for chunk in pw.chunked(rows, step):
        database.execute_sql(
            f"INSERT OR REPLACE INTO {table} VALUES " + ", ".join(["(" + ", ".join("?" * width) + ")"] * len(chunk)),
            [value for row in chunk for value in row],
        )


def read_calling_hours(campaign_id: int) -> str | None:
    """The campaign's stored hours (JSON text; "" means the default), None if no such campaign."""
    row = db.execute_sql(f"SELECT calling_hours FROM campaign WHERE id = {db.param}", (campaign_id,)).fetchone()
    return None if row is None else row[0]


def write_calling_hours(campaign_id: int, hours_json: str) -> bool:
    with write_transaction():
        return (
            db.execute_sql(
                f"UPDATE campaign SET calling_hours = {db.param} WHERE id = {db.param}", (hours_json, campaign_id)
            ).rowcount
            > 0
        )


def pending_location_groups(campaign_id: int) -> list[tuple[int | None, int]]:
    """(location id, how many) of the campaign's pending contacts: a handful of groups."""
    return db.execute_sql(
        f"SELECT location_id, count(*) FROM contact WHERE campaign_id = {db.param} AND status = {db.param} GROUP BY 1",
        (campaign_id, PENDING),
    ).fetchall()


def pending_location_groups_by_campaign() -> dict[int, list[tuple[int | None, int]]]:
    groups: dict[int, list[tuple[int | None, int]]] = {}
    for campaign_id, location_id, count in db.execute_sql(
        f"SELECT campaign_id, location_id, count(*) FROM contact WHERE status = {db.param} GROUP BY 1, 2", (PENDING,)
    ):
        groups.setdefault(campaign_id, []).append((location_id, count))
    return groups
