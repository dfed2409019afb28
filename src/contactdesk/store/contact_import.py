"""An import's writes to the contact table: the bulk insert, and the bulk delete of replaced contacts.

Both are literal SQLite SQL, because measured faster than building them through peewee (the
figures are next to them); on a PostgreSQL server ``batch_writer`` hands out the COPY-based
writer of store/pg_import.py instead, with the same methods. Each batch of rows is one bound
statement ``INSERT … SELECT … FROM (VALUES (?, …), …)``: SQLite inserts the whole batch
without holding Python's GIL while the next batch is read on the other core
(core/batch_insert.py). Every function runs inside the caller's write transaction.

A replacing import never deletes a contact a caller claimed within the last 15 minutes
(store/claims.py): someone may be on the phone with that person; it stays as it is.
"""

import sqlite3
from dataclasses import dataclass
from functools import lru_cache

import peewee as pw

from . import archive, statements
from .bulk_delete import delete_rows
from .claims import live_claim_cutoff
from .models import HISTORY_STATUSES, PENDING, REPLACEABLE_STATUSES, Campaign, Contact

# The values of one row, in order; in the VALUES table they are column1, column2, ...
COLUMNS = (
    *("phone_number", "phone_raw", "name", "email", "company", "variables"),
    "location_id",  # where the contact is (core/timezones.py)
    "search_text",  # folded name/email/company for search, "" when plain ASCII (store/search.py)
    "source_row",  # last: the insert takes the others in this order, then the shared values
)
MAX_BATCH_ROWS = 4000  # at most; the default limit allows 3,639 rows of 9 values: progress ~275 times per million rows
# Values every statement binds besides its rows (campaign, status, import, two stamps, and the
# condition on earlier contacts: a campaign and up to three statuses).
_SHARED_VALUES = 5 + 1 + len(HISTORY_STATUSES)


def column(name: str) -> str:
    """The name of a row value in the VALUES table."""
    return f"column{COLUMNS.index(name) + 1}"


@lru_cache(maxsize=8)
def values_table(rows: int) -> str:
    """``(VALUES (?, ...), ...)`` for ``rows`` rows: a batch's table to select from."""
    row = f"({', '.join('?' * len(COLUMNS))})"
    return f"(VALUES {', '.join([row] * rows)})"


def variable_limit(conn: sqlite3.Connection) -> int:
    """How many values one statement may bind (32,766 by default since SQLite 3.32, 999 before)."""
    return conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


def rows_per_statement(conn) -> int:
    if not statements.is_sqlite(conn):
        from .pg_import import ROWS_PER_COPY

        return ROWS_PER_COPY
    return max(1, min(MAX_BATCH_ROWS, (variable_limit(conn) - _SHARED_VALUES) // len(COLUMNS)))


@dataclass(frozen=True)
class BatchTarget:
    """Where an import's rows go, and which numbers the campaign already had before it."""

    campaign_id: int
    run_id: int
    stamp: str  # created_at and updated_at of every row
    keep_pending: bool  # the import keeps pending contacts
    # Contacts with an id up to this one were there before the import and are still there (call
    # history, kept pending contacts, claimed ones): a number among them is already there.
    existing_max_id: int
    had_contacts: bool  # False: nothing to compare with, the cheaper statement
    # No contact at all when this file's rows go in (nor from an earlier file of the import).
    empty_campaign: bool


_PHONE = f"batch.{column('phone_number')}"
_SOURCE_ROW = f"batch.{column('source_row')}"
_INSERTED = (
    "campaign_id, phone_number, phone_raw, name, email, company, variables, location_id, search_text,"
    " status, source_row, import_run_id, created_at, updated_at"
)
_ROW_VALUES = ", ".join(f"batch.{column(name)}" for name in COLUMNS[:-1])
# A number the campaign had before this import and still has: after a replace, call history and
# claimed contacts; when pending contacts are kept, every earlier contact. Binds the campaign and
# BatchTarget.existing_max_id.
_KEPT_BEFORE = (
    f"EXISTS (SELECT 1 FROM contact AS kept WHERE kept.campaign_id = ? AND kept.phone_number = {_PHONE}"
    " AND kept.id <= ?)"
)


@lru_cache(maxsize=4)
def _count_kept_sql(rows: int) -> str:
    """Of ``rows`` numbers (a VALUES table of one column), how many the campaign had before the import."""
    numbers = f"(VALUES {', '.join(['(?)'] * rows)})"
    return f"SELECT count(*) FROM {numbers} AS batch WHERE {_KEPT_BEFORE}"


def _scans_values_in_order(conn: sqlite3.Connection, sql: str) -> bool:
    """Does SQLite's plan for ``sql`` read the VALUES rows one after the other, as written?

    So it does when the plan is one scan of the VALUES co-routine (plus the look-up of earlier
    numbers), with no sorting: a co-routine hands out its constant rows in order. Otherwise the
    statement needs ORDER BY, whose sort cost a tenth of the import's database time (1M rows).
    """
    plan = conn.execute(f"EXPLAIN QUERY PLAN {sql}", [None] * sql.count("?")).fetchall()
    outer = [detail for _, parent, _, detail in plan if parent == 0]
    return (
        outer[:2] == ["CO-ROUTINE batch", "SCAN batch"]
        and all(detail.startswith("CORRELATED SCALAR SUBQUERY") for detail in outer[2:])
        and any(detail.endswith("CONSTANT ROWS") for _, _, _, detail in plan)
        and not any("TEMP B-TREE" in detail for _, _, _, detail in plan)
    )


class BatchInsert:
    """The bulk insert of one file's batches into a campaign (see the module's docstring)."""

    def __init__(self, conn: sqlite3.Connection, target: BatchTarget):
        self.conn, self.target = conn, target
        self._kept_values = [target.campaign_id, target.existing_max_id]
        self._head = [target.campaign_id, PENDING, target.run_id, target.stamp, target.stamp]

    @lru_cache(maxsize=4)  # noqa: B019 (one instance per file of an import)
    def _insert_sql(self, rows: int) -> str:
        # Measured, 100k rows, same run, 2 rounds: this statement 0.60-0.65 s; peewee's insert_many 6.5-7.1 s.
        sql = (
            f"INSERT OR IGNORE INTO contact ({_INSERTED})"
            f" SELECT ?, {_ROW_VALUES}, ?, {_SOURCE_ROW}, ?, ?, ?"
            f" FROM {values_table(rows)} AS batch" + (f" WHERE NOT {_KEPT_BEFORE}" if self.target.had_contacts else "")
        )
        # The rows go in in file order: the first occurrence of a number wins, and ids follow the file.
        if _scans_values_in_order(self.conn, sql):
            return sql
        return sql + f" ORDER BY {_SOURCE_ROW}"

    def count_already_there(self, values: list, rows: int) -> int:
        """How many rows of the batch have a number the campaign had before this import."""
        if not self.target.had_contacts:
            return 0
        # Only the numbers are bound, not the whole rows: a ninth of the binding, which holds the GIL.
        phones = values[0 :: len(COLUMNS)]
        return self.conn.execute(_count_kept_sql(rows), [*phones, *self._kept_values]).fetchone()[0]

    def insert(self, values: list, rows: int) -> int:
        """Insert the batch (a row with no number is skipped); returns how many rows went in."""
        tail = self._kept_values if self.target.had_contacts else []
        return self.conn.execute(self._insert_sql(rows), [*self._head, *values, *tail]).rowcount


def batch_writer(conn, target: BatchTarget):
    """The writer of one file's batches for this connection's engine (same methods on both)."""
    if statements.is_sqlite(conn):
        return BatchInsert(conn, target)
    from .pg_import import server_batch_writer

    return server_batch_writer(conn, target)


def lock_campaign(conn, campaign_id: int, caller: str) -> None:
    """Inside the import's transaction: make sure no other import into the campaign runs at once.

    SQLite: the transaction's write lock already lets one writer at a time. PostgreSQL: the
    campaign's advisory lock; raises pg_import.ImportRunning (who started the other, when)."""
    if statements.is_sqlite(conn):
        return
    from .pg_import import lock_campaign as lock_on_server

    lock_on_server(conn, campaign_id, caller)


def campaign_exists(conn, campaign_id: int) -> bool:
    query = Campaign.select(pw.SQL("1")).where(Campaign.id == campaign_id).limit(1)
    return statements.run(conn, query).fetchone() is not None


def count_campaign_contacts(conn, campaign_id: int) -> int:
    query = Contact.select(pw.fn.count(pw.SQL("*"))).where(Contact.campaign == campaign_id)
    return statements.run(conn, query).fetchone()[0]


def last_contact_id(conn: sqlite3.Connection) -> int:
    return statements.run(conn, Contact.select(pw.fn.coalesce(pw.fn.max(Contact.id), 0))).fetchone()[0]


def _replaceable_sql(conn) -> str:
    """The contacts an import replaces: pending and skipped ones nobody holds a live claim on.
    Parameters: campaign id, REPLACEABLE_STATUSES, the claim cutoff (``_replaceable_params``)."""
    mark = statements.marker(conn)
    return (
        f"campaign_id = {mark} AND status IN ({statements.markers(conn, len(REPLACEABLE_STATUSES))})"
        f" AND (claimed_at IS NULL OR claimed_at < {mark})"
    )


def _replaceable_params(campaign_id: int, claim_cutoff: str) -> tuple:
    return (campaign_id, *REPLACEABLE_STATUSES, claim_cutoff)


def _replaceable(campaign_id: int, claim_cutoff: str) -> pw.Node:
    return (
        (Contact.campaign == campaign_id)
        & Contact.status.in_(REPLACEABLE_STATUSES)
        & (Contact.claimed_at.is_null() | (Contact.claimed_at < claim_cutoff))
    )


def has_replaceable(conn, campaign_id: int) -> bool:
    """Has the campaign contacts a replacing import would delete (pending, skipped, not claimed now)?"""
    query = Contact.select(pw.SQL("1")).where(_replaceable(campaign_id, live_claim_cutoff())).limit(1)
    return statements.run(conn, query).fetchone() is not None


def count_claimed_now(conn, campaign_id: int) -> int:
    """The campaign's pending and skipped contacts that callers hold a live claim on (a replace keeps them)."""
    return _count_claimed_since(conn, campaign_id, live_claim_cutoff())


def _count_claimed_since(conn, campaign_id: int, claim_cutoff: str) -> int:
    # Through the index of claimed contacts: a few rows, not the campaign's every contact.
    query = Contact.select(pw.fn.count(pw.SQL("*"))).where(
        (Contact.campaign == campaign_id)
        & (Contact.claimed_at >= claim_cutoff)
        & Contact.status.in_(REPLACEABLE_STATUSES)
    )
    return statements.run(conn, query).fetchone()[0]


def _count_replaceable(conn, campaign_id: int, claim_cutoff: str) -> int:
    """The contacts a replace deletes: those of a replaceable status, counted in the (campaign, status)
    index alone, less the claimed ones it keeps."""
    with_status = Contact.select(pw.fn.count(pw.SQL("*"))).where(
        (Contact.campaign == campaign_id) & Contact.status.in_(REPLACEABLE_STATUSES)
    )
    return statements.run(conn, with_status).fetchone()[0] - _count_claimed_since(conn, campaign_id, claim_cutoff)


def delete_replaceable(conn, campaign_id: int, run_id: int) -> int:
    """Delete the campaign's pending and skipped contacts (not those claimed now), kept first in
    the import's archive so undoing the import can put them back; returns how many."""
    cutoff = live_claim_cutoff()
    where, params = _replaceable_sql(conn), _replaceable_params(campaign_id, cutoff)
    matching = _count_replaceable(conn, campaign_id, cutoff)
    if matching and statements.is_sqlite(conn) and matching == _count_all_contacts(conn):
        return archive.archive_every_contact(conn, run_id, campaign_id)
    if matching:
        archive.archive_replaced(conn, run_id, campaign_id, where, params)
    # Measured, 100k rows, same run, 2 rounds: delete_rows 0.17-0.23 s; peewee's delete() 0.30-0.45 s.
    return delete_rows(conn, "contact", where, params, matching=matching)


def _count_all_contacts(conn) -> int:
    return statements.run(conn, Contact.select(pw.fn.count(pw.SQL("*")))).fetchone()[0]


def _added_by(conn, run_count: int) -> str:
    return f"campaign_id = {statements.marker(conn)} AND import_run_id IN ({statements.markers(conn, run_count)})"


def count_added(conn, campaign_id: int, run_ids: list[int]) -> tuple[int, int]:
    """Contacts of the campaign these runs added, and how many of them are call history."""
    is_history = pw.Case(None, [(Contact.status.in_(HISTORY_STATUSES), 1)], 0)
    query = Contact.select(pw.fn.count(pw.SQL("*")), pw.fn.coalesce(pw.fn.sum(is_history), 0)).where(
        (Contact.campaign == campaign_id) & Contact.import_run.in_(run_ids)
    )
    return tuple(statements.run(conn, query).fetchone())


def delete_added_not_called(conn, campaign_id: int, run_ids: list[int], matching: int) -> int:
    """Delete the contacts these runs added that have no call result (an undo); ``matching``: how many."""
    where = f"{_added_by(conn, len(run_ids))} AND status IN ({statements.markers(conn, len(REPLACEABLE_STATUSES))})"
    params = (campaign_id, *run_ids, *REPLACEABLE_STATUSES)
    return delete_rows(conn, "contact", where, params, matching=matching)
