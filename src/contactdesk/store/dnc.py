"""The do-not-call list's SQL: entries in bulk, the import's suppression join, marking contacts.

An entry suppresses a number for every campaign (``campaign_id`` NULL) or for one campaign,
until ``expires_at`` (NULL: never). Times are local wall-clock text, as ``local_now_text``
writes them, so they compare as strings (on PostgreSQL as timestamps; read back as text).

A batch of numbers is a ``VALUES`` table of bound values on SQLite, one bound array on
PostgreSQL (``unnest``); both name their column ``column1``.
"""

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import peewee as pw

from . import statements
from .models import DO_NOT_CALL, HISTORY_STATUSES, PENDING, Contact, DncEntry, DncListImport

# Numbers per upsert statement (one bound value each, plus the six shared ones).
ROWS_PER_STATEMENT = 20_000
_ENTRY_COLUMNS = "phone_number, campaign_id, reason, source, note, added_at, expires_at"


def active_match(phone_sql: str, campaign_sql: str, now_sql: str, alias: str = "dnc") -> str:
    """SQL condition: ``alias`` is an entry that suppresses ``phone_sql`` in ``campaign_sql`` now."""
    return (
        f"{alias}.phone_number = {phone_sql}"
        f" AND ({alias}.campaign_id IS NULL OR {alias}.campaign_id = {campaign_sql})"
        f" AND ({alias}.expires_at IS NULL OR {alias}.expires_at > {now_sql})"
    )


def listed_sql(phone_sql: str, campaign_sql: str, now_sql: str) -> str:
    """SQL condition: ``phone_sql`` is on the list for ``campaign_sql`` (one index probe)."""
    return f"EXISTS (SELECT 1 FROM dnc_entry AS dnc WHERE {active_match(phone_sql, campaign_sql, now_sql)})"


def listed_among(conn, phones: list[str], campaign_id: int, now: str) -> dict[str, tuple[str, str]]:
    """The numbers of a batch that the list suppresses in the campaign now, each with (reason, note);
    not those the campaign keeps as call history (an import leaves them as they are, unsuppressed).

    The engine checks them through the (phone, scope) index: one probe per number, and one in
    the campaign's (campaign, phone) index per listed number."""
    mark = statements.marker(conn)
    match = active_match("batch.column1", mark, mark)
    not_history = (
        f"NOT EXISTS (SELECT 1 FROM contact AS kept WHERE kept.campaign_id = {mark}"
        f" AND kept.phone_number = dnc.phone_number"  # the listed entry's: looked up only for a match
        f" AND kept.status IN ({statements.markers(conn, len(HISTORY_STATUSES))}))"
    )
    table, values = _phones_table(conn, phones, "batch")
    params = [*values, campaign_id, now, campaign_id, *HISTORY_STATUSES]
    if statements.is_sqlite(conn):
        # One statement, one row with all the matches in it: after each step of SQLite this thread
        # waits for the GIL from the reading thread (up to its switch interval).
        sql = (
            "SELECT json_group_array(json_array(batch.column1, dnc.reason, dnc.note))"
            f" FROM {table} JOIN dnc_entry AS dnc ON {match} WHERE {not_history}"
        )
        (found,) = conn.execute(sql, params).fetchone()
        return {phone: (reason, note) for phone, reason, note in json.loads(found)}
    sql = (
        f"SELECT batch.column1, dnc.reason, dnc.note FROM {table} JOIN dnc_entry AS dnc ON {match} WHERE {not_history}"
    )
    return {phone: (reason, note) for phone, reason, note in conn.execute(sql, params)}


def _phones_table(conn, phones: list[str], alias: str) -> tuple[str, list]:
    """A table ``alias`` of the numbers with one column, ``column1``, and the values it binds."""
    if statements.is_sqlite(conn):
        return f"{_values_table(len(phones))} AS {alias}", phones
    return f"unnest(%s::text[]) AS {alias} (column1)", [list(phones)]


# Numbers are told apart by their first characters ("+1212"): a batch's numbers whose start no
# listed number has are not looked up at all.
PREFIX_LENGTH = 5
MAX_PREFIXES = 20_000  # more than this: every number is looked up


def listed_prefixes(conn) -> frozenset[str] | None:
    """The first PREFIX_LENGTH characters of every number on the list (any scope, even expired),
    found by skipping through the (phone, scope) index: one probe per prefix, not per entry.
    None when there are more than MAX_PREFIXES of them."""
    prefixes: set[str] = set()
    after = ""
    first_from = f"SELECT min(phone_number) FROM dnc_entry WHERE phone_number >= {statements.marker(conn)}"
    while True:
        (number,) = conn.execute(first_from, (after,)).fetchone()
        if number is None:
            return frozenset(prefixes)
        prefix = number[:PREFIX_LENGTH]
        prefixes.add(prefix)
        if not prefix or len(prefixes) > MAX_PREFIXES:
            return None
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # the first text after every one starting with prefix


@lru_cache(maxsize=8)
def _values_table(rows: int) -> str:
    return f"(VALUES {', '.join(['(?)'] * rows)})"


def has_active_entries(conn, campaign_id: int, now: str) -> bool:
    query = (
        DncEntry.select(pw.SQL("1"))
        .where(
            (DncEntry.campaign.is_null() | (DncEntry.campaign == campaign_id))
            & (DncEntry.expires_at.is_null() | (DncEntry.expires_at > now))
        )
        .limit(1)
    )
    return statements.run(conn, query).fetchone() is not None


@dataclass(frozen=True)
class EntryDetails:
    """What every entry of one add shares."""

    campaign_id: int | None
    reason: str
    source: str
    note: str
    added_at: str
    expires_at: str | None


def _upsert_sql(conn, rows: int) -> str:
    sqlite = statements.is_sqlite(conn)
    phones = _values_table(rows) if sqlite else "unnest(%s::text[]) AS batch_numbers (column1)"
    shared = "?, ?, ?, ?, ?, ?" if sqlite else "%s::integer, %s, %s, %s, %s::timestamp, %s::timestamp"
    later = "max" if sqlite else "greatest"
    # Adding a number again refreshes it: the new reason, source and date; the later expiry
    # (never beats any date); the note typed before stays unless a new one is given. An entry
    # that would not change is not written: refreshing a 3-million-number list that changed a
    # little rewrites only what changed. ("WHERE true" tells SQLite's parser that the ON
    # CONFLICT belongs to the INSERT.)
    return (
        f"INSERT INTO dnc_entry ({_ENTRY_COLUMNS}) SELECT column1, {shared} FROM {phones} WHERE true"
        ' ON CONFLICT ("phone_number", coalesce("campaign_id", 0)) DO UPDATE SET'
        " reason = excluded.reason, source = excluded.source, added_at = excluded.added_at,"
        " note = CASE WHEN excluded.note != '' THEN excluded.note ELSE dnc_entry.note END,"
        " expires_at = CASE WHEN excluded.expires_at IS NULL OR dnc_entry.expires_at IS NULL THEN NULL"
        f" ELSE {later}(excluded.expires_at, dnc_entry.expires_at) END"
        " WHERE dnc_entry.reason != excluded.reason OR dnc_entry.source != excluded.source"
        " OR (excluded.note != '' AND excluded.note != dnc_entry.note)"
        " OR (dnc_entry.expires_at IS NOT NULL AND (excluded.expires_at IS NULL OR excluded.expires_at > dnc_entry.expires_at))"
    )


def rows_per_statement(conn) -> int:
    if not statements.is_sqlite(conn):
        return ROWS_PER_STATEMENT  # one bound array, whatever its length
    return max(1, min(ROWS_PER_STATEMENT, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - 6))


def upsert_entries(conn, phones: Iterable[str], details: EntryDetails) -> int:
    """Add (or refresh) one entry per E.164 number; returns how many numbers were written."""
    shared = [details.campaign_id, details.reason, details.source, details.note, details.added_at, details.expires_at]
    per_statement = rows_per_statement(conn)
    written = 0
    batch: list = []
    for phone in phones:
        batch.append(phone)
        if len(batch) >= per_statement:
            written += _write(conn, shared, batch)
            batch = []
    if batch:
        written += _write(conn, shared, batch)
    return written


def upsert_batch(conn, phones: list[str], details: EntryDetails) -> int:
    """One batch of at most ``rows_per_statement`` numbers (the list importer's unit of progress)."""
    shared = [details.campaign_id, details.reason, details.source, details.note, details.added_at, details.expires_at]
    return _write(conn, shared, phones) if phones else 0


def _write(conn, shared: list, phones: list[str]) -> int:
    if statements.is_sqlite(conn):
        conn.execute(_upsert_sql(conn, len(phones)), shared + phones)
    else:
        # PostgreSQL refuses to update one row twice in a statement: each number once.
        conn.execute(_upsert_sql(conn, len(phones)), [*shared, list(dict.fromkeys(phones))])
    return len(phones)


def mark_pending_contacts(conn, phone: str, campaign_id: int | None, stamp: str) -> int:
    """Set ``do_not_call`` on the pending contacts with this number (in one campaign, or all)."""
    mark = statements.marker(conn)
    if campaign_id is not None:
        where, params = f"campaign_id = {mark} AND phone_number = {mark}", (campaign_id, phone)
    else:
        # The campaign ids let SQLite use the (campaign, phone) index instead of reading every contact.
        where, params = f"campaign_id IN (SELECT id FROM campaign) AND phone_number = {mark}", (phone,)
    return conn.execute(
        f"UPDATE contact SET status = {mark}, updated_at = {mark} WHERE {where} AND status = {mark}",
        (DO_NOT_CALL, stamp, *params, PENDING),
    ).rowcount


def mark_all_listed_pending(conn, stamp: str, now: str, campaign_id: int | None = None) -> int:
    """Set ``do_not_call`` on every pending contact (of one campaign, or all) whose number the
    list suppresses (one pass)."""
    mark = statements.marker(conn)
    campaign, params = (f"campaign_id = {mark} AND ", (campaign_id,)) if campaign_id is not None else ("", ())
    return conn.execute(
        f"UPDATE contact SET status = {mark}, updated_at = {mark} WHERE {campaign}status = {mark}"
        f" AND {listed_sql('contact.phone_number', 'contact.campaign_id', mark)}",
        (DO_NOT_CALL, stamp, *params, PENDING, now),
    ).rowcount


def mark_contact_do_not_call(conn, campaign_id: int, phone: str, stamp: str) -> bool:
    """Set ``do_not_call`` on the campaign's contact with this number, whatever its status; False: none."""
    query = Contact.update(status=DO_NOT_CALL, updated_at=stamp).where(
        (Contact.campaign == campaign_id) & (Contact.phone_number == phone)
    )
    return bool(statements.run(conn, query).rowcount)


def delete_entries(conn, phone: str) -> int:
    return statements.run(conn, DncEntry.delete().where(DncEntry.phone_number == phone)).rowcount


@dataclass(frozen=True)
class Entry:
    phone_number: str
    campaign_id: int | None
    campaign_name: str | None
    reason: str
    source: str
    note: str
    added_at: str
    expires_at: str | None

    @property
    def scope(self) -> str:
        return "all" if self.campaign_id is None else f"campaign {self.campaign_id}"

    def to_dict(self) -> dict:
        return {
            "phone_number": self.phone_number,
            "scope": self.scope,
            "campaign_id": self.campaign_id,
            "campaign": self.campaign_name,
            "reason": self.reason,
            "source": self.source,
            "note": self.note,
            "added": self.added_at[:19],
            "expires": self.expires_at[:10] if self.expires_at else None,
        }


_SELECT_ENTRIES = (
    "SELECT dnc.phone_number, dnc.campaign_id, campaign.name, dnc.reason, dnc.source, dnc.note, dnc.added_at,"
    " dnc.expires_at FROM dnc_entry AS dnc LEFT JOIN campaign ON campaign.id = dnc.campaign_id"
)


def entries_after(conn, after: tuple[str, int], limit: int) -> list[Entry]:
    """Up to ``limit`` entries after (number, campaign id or 0), by number: one index range."""
    mark = statements.marker(conn)
    rows = conn.execute(
        f"{_SELECT_ENTRIES} WHERE (dnc.phone_number, coalesce(dnc.campaign_id, 0)) > ({mark}, {mark})"
        f" ORDER BY dnc.phone_number, coalesce(dnc.campaign_id, 0) LIMIT {mark}",
        (*after, limit),
    ).fetchall()
    return [_entry(row) for row in rows]


def iter_entries(conn, page_size: int = 5000) -> Iterator[Entry]:
    """Every entry, by number, a page at a time (a registry list can hold millions)."""
    after = ("", -1)
    while page := entries_after(conn, after, page_size):
        yield from page
        after = (page[-1].phone_number, page[-1].campaign_id or 0)


def count_expiring(conn, now: str, until: str) -> int:
    query = DncEntry.select(pw.fn.count(pw.SQL("*"))).where(
        (DncEntry.expires_at > now) & (DncEntry.expires_at <= until)
    )
    return statements.run(conn, query).fetchone()[0]


def entries_for(conn, phone: str) -> list[Entry]:
    rows = conn.execute(
        f"{_SELECT_ENTRIES} WHERE dnc.phone_number = {statements.marker(conn)} ORDER BY dnc.campaign_id", (phone,)
    )
    return [_entry(row) for row in rows]


def _text(stamp):
    # SQLite gives stored times back as text, PostgreSQL as datetimes.
    return stamp.isoformat(sep=" ") if isinstance(stamp, datetime) else stamp


def _entry(row) -> Entry:
    *head, added_at, expires_at = row
    return Entry(*head, _text(added_at), _text(expires_at))


def record_list_import(conn, file_name: str, campaign_id: int | None, imported_at: str, numbers: int, new: int) -> None:
    query = DncListImport.insert(
        file_name=file_name, campaign=campaign_id, imported_at=imported_at, numbers=numbers, new_numbers=new
    )
    statements.run(conn, query)


def last_list_import(conn) -> str | None:
    return _text(statements.run(conn, DncListImport.select(pw.fn.max(DncListImport.imported_at))).fetchone()[0])


def count_entries(conn) -> int:
    return statements.run(conn, DncEntry.select(pw.fn.count(pw.SQL("*")))).fetchone()[0]
