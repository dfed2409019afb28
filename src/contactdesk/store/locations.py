"""SQL for contacts' locations and campaigns' calling hours.

Filling the locations of stored contacts groups them by number prefix in SQL: Python sees
one row per distinct prefix (about a thousand for North American numbers), never one per
contact, and each length of prefix is written by one UPDATE.
"""

from collections.abc import Callable

import peewee as pw

from .models import PENDING, db

# A location (time zones, state, source) per group of contacts.
LocationGroup = tuple[str, str, str]


def fill_locations_from_numbers(
    database: pw.Database, locate_with_prefix: Callable[[str], tuple[str, tuple]], where: str = "1", params=()
) -> int:
    """Set time_zones, state and location_source of the contacts matching ``where`` from
    their numbers. ``locate_with_prefix(e164)`` gives (the prefix that decides, location)."""
    database.execute_sql("DROP TABLE IF EXISTS temp.number_location")
    database.execute_sql(
        "CREATE TEMP TABLE number_location (prefix TEXT PRIMARY KEY, time_zones TEXT, state TEXT, source TEXT)"
    )
    database.execute_sql("DROP TABLE IF EXISTS temp.open_prefix")
    database.execute_sql("CREATE TEMP TABLE open_prefix (prefix TEXT PRIMARY KEY)")
    length, lengths = 5, set()
    scope = where
    while True:
        # One representative number per prefix of this length, among the contacts not yet decided.
        groups = database.execute_sql(
            f"SELECT substr(phone_number, 1, {length}), min(phone_number) FROM contact WHERE {scope} GROUP BY 1",
            params,
        ).fetchall()
        if not groups:
            break
        answered, open_prefixes = [], []
        for prefix, number in groups:
            decided_by, location = locate_with_prefix(number)
            if len(decided_by) <= length or len(number) <= length:
                answered.append((prefix, *location))
            else:
                open_prefixes.append((prefix,))
        if answered:
            lengths.add(length)
            _insert_many(database, answered)
        if not open_prefixes or length >= 16:
            break
        database.execute_sql("DELETE FROM open_prefix")
        _insert_many(database, open_prefixes, table="open_prefix")
        scope = f"({where}) AND substr(phone_number, 1, {length}) IN (SELECT prefix FROM open_prefix)"
        length += 1
    changed = 0
    for size in sorted(lengths):
        changed += database.execute_sql(
            "UPDATE contact SET time_zones = found.time_zones, state = found.state, location_source = found.source"
            f" FROM number_location AS found WHERE found.prefix = substr(contact.phone_number, 1, {size})"
            f" AND length(found.prefix) = {size} AND ({where})",
            params,
        ).rowcount
    database.execute_sql("DROP TABLE temp.number_location")
    database.execute_sql("DROP TABLE temp.open_prefix")
    return changed


def _insert_many(database: pw.Database, rows: list[tuple], table: str = "number_location") -> None:
    width = len(rows[0])
    step = max(1, 30_000 // width)
    for start in range(0, len(rows), step):
        chunk = rows[start : start + step]
        database.execute_sql(
            f"INSERT OR REPLACE INTO {table} VALUES " + ", ".join(["(" + ", ".join("?" * width) + ")"] * len(chunk)),
            [value for row in chunk for value in row],
        )


def read_calling_hours(campaign_id: int) -> str | None:
    """The campaign's stored hours (JSON text; "" means the default), None if no such campaign."""
    row = db.execute_sql("SELECT calling_hours FROM campaign WHERE id = ?", (campaign_id,)).fetchone()
    return None if row is None else row[0]


def write_calling_hours(campaign_id: int, hours_json: str) -> bool:
    with db.atomic():
        return (
            db.execute_sql("UPDATE campaign SET calling_hours = ? WHERE id = ?", (hours_json, campaign_id)).rowcount > 0
        )


def pending_location_groups(campaign_id: int) -> list[tuple[str, str, int]]:
    """(time_zones, state, how many) of the campaign's pending contacts: a handful of groups."""
    return db.execute_sql(
        "SELECT time_zones, state, count(*) FROM contact WHERE campaign_id = ? AND status = ? GROUP BY 1, 2",
        (campaign_id, PENDING),
    ).fetchall()


def pending_location_groups_by_campaign() -> dict[int, list[tuple[str, str, int]]]:
    groups: dict[int, list[tuple[str, str, int]]] = {}
    for campaign_id, zones, state, count in db.execute_sql(
        "SELECT campaign_id, time_zones, state, count(*) FROM contact WHERE status = ? GROUP BY 1, 2, 3", (PENDING,)
    ):
        groups.setdefault(campaign_id, []).append((zones, state, count))
    return groups
