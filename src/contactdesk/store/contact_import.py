"""An import's writes to the contact table: the bulk insert, and the bulk delete of replaced contacts.

Both are literal SQLite SQL, because measured faster than building them through peewee (the
figures are next to them); a PostgreSQL engine would replace this module. Each batch of
rows is one bound statement ``INSERT … SELECT … FROM (VALUES (?, …), …)``: SQLite inserts
the whole batch without holding Python's GIL while the next batch is read on the other
core (core/batch_insert.py). Every function runs inside the caller's write transaction.
"""

import sqlite3
from dataclasses import dataclass
from functools import lru_cache

import peewee as pw

from . import archive, statements
from .bulk_delete import delete_rows
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


def rows_per_statement(conn: sqlite3.Connection) -> int:
    return max(1, min(MAX_BATCH_ROWS, (variable_limit(conn) - _SHARED_VALUES) // len(COLUMNS)))


@dataclass(frozen=True)
class BatchTarget:
    """Where an import's rows go, and which numbers the campaign already had before it."""

    campaign_id: int
    run_id: int
    stamp: str  # created_at and updated_at of every row
    keep_pending: bool  # the import keeps pending contacts: every earlier contact counts as already there
    existing_max_id: int  # contacts with an id up to this one were there before the import
    had_contacts: bool  # False: nothing to compare with, the cheaper statement


_PHONE = f"batch.{column('phone_number')}"
_SOURCE_ROW = f"batch.{column('source_row')}"
_INSERTED = (
    "campaign_id, phone_number, phone_raw, name, email, company, variables, location_id, search_text,"
    " status, source_row, import_run_id, created_at, updated_at"
)
_ROW_VALUES = ", ".join(f"batch.{column(name)}" for name in COLUMNS[:-1])


class BatchInsert:
    """The bulk insert of one file's batches into a campaign (see the module's docstring)."""

    def __init__(self, conn: sqlite3.Connection, target: BatchTarget):
        self.conn, self.target = conn, target
        # A number the campaign had before this import: after a replace, only call history is
        # left; when pending contacts are kept, every contact that was there before.
        if target.keep_pending:
            earlier, earlier_values = "kept.id <= ?", [target.existing_max_id]
        else:
            earlier, earlier_values = f"kept.status IN ({', '.join('?' * len(HISTORY_STATUSES))})", [*HISTORY_STATUSES]
        self._kept_before = (
            f"EXISTS (SELECT 1 FROM contact AS kept WHERE kept.campaign_id = ? AND kept.phone_number = {_PHONE}"
            f" AND {earlier})"
        )
        self._kept_values = [target.campaign_id, *earlier_values]
        self._head = [target.campaign_id, PENDING, target.run_id, target.stamp, target.stamp]

    @lru_cache(maxsize=4)  # noqa: B019 (one instance per file of an import)
    def _insert_sql(self, rows: int) -> str:
        # Measured, 100k rows, same run, 2 rounds: this statement 0.60-0.65 s; peewee's insert_many 6.5-7.1 s.
        return (
            f"INSERT OR IGNORE INTO contact ({_INSERTED})"
            f" SELECT ?, {_ROW_VALUES}, ?, {_SOURCE_ROW}, ?, ?, ?"
            f" FROM {values_table(rows)} AS batch"
            + (f" WHERE NOT {self._kept_before}" if self.target.had_contacts else "")
            + f" ORDER BY {_SOURCE_ROW}"  # file order: the first occurrence of a number wins
        )

    def count_already_there(self, values: list, rows: int) -> int:
        """How many rows of the batch have a number the campaign had before this import."""
        if not self.target.had_contacts:
            return 0
        sql = f"SELECT count(*) FROM {values_table(rows)} AS batch WHERE {self._kept_before}"
        return self.conn.execute(sql, [*values, *self._kept_values]).fetchone()[0]

    def insert(self, values: list, rows: int) -> int:
        """Insert the batch (a row with no number is skipped); returns how many rows went in."""
        tail = self._kept_values if self.target.had_contacts else []
        return self.conn.execute(self._insert_sql(rows), [*self._head, *values, *tail]).rowcount


def history_numbers_among(conn: sqlite3.Connection, campaign_id: int, phones) -> set[str]:
    """Which of these numbers the campaign has as call history (an import keeps those)."""
    query = Contact.select(Contact.phone_number).where(
        (Contact.campaign == campaign_id)
        & Contact.status.in_(HISTORY_STATUSES)
        & Contact.phone_number.in_(list(phones))
    )
    return {phone for (phone,) in statements.run(conn, query)}


def campaign_exists(conn: sqlite3.Connection, campaign_id: int) -> bool:
    query = Campaign.select(pw.SQL("1")).where(Campaign.id == campaign_id).limit(1)
    return statements.run(conn, query).fetchone() is not None


def count_campaign_contacts(conn: sqlite3.Connection, campaign_id: int) -> int:
    query = Contact.select(pw.fn.count(pw.SQL("*"))).where(Contact.campaign == campaign_id)
    return statements.run(conn, query).fetchone()[0]


def last_contact_id(conn: sqlite3.Connection) -> int:
    return statements.run(conn, Contact.select(pw.fn.coalesce(pw.fn.max(Contact.id), 0))).fetchone()[0]


# The contacts an import replaces; parameters: campaign id, then REPLACEABLE_STATUSES.
_REPLACEABLE = f"campaign_id = ? AND status IN ({', '.join('?' * len(REPLACEABLE_STATUSES))})"


def _replaceable(campaign_id: int) -> pw.Node:
    return (Contact.campaign == campaign_id) & Contact.status.in_(REPLACEABLE_STATUSES)


def has_replaceable(conn: sqlite3.Connection, campaign_id: int) -> bool:
    """Has the campaign contacts a replacing import would delete (pending, skipped)?"""
    query = Contact.select(pw.SQL("1")).where(_replaceable(campaign_id)).limit(1)
    return statements.run(conn, query).fetchone() is not None


def delete_replaceable(conn: sqlite3.Connection, campaign_id: int, run_id: int) -> int:
    """Delete the campaign's pending and skipped contacts, kept first in the import's archive
    so undoing the import can put them back; returns how many."""
    params = (campaign_id, *REPLACEABLE_STATUSES)
    query = Contact.select(pw.fn.count(pw.SQL("*"))).where(_replaceable(campaign_id))
    matching = statements.run(conn, query).fetchone()[0]
    if matching and matching == _count_all_contacts(conn):
        return archive.archive_every_contact(conn, run_id, campaign_id)
    if matching:
        archive.archive_replaced(conn, run_id, campaign_id, _REPLACEABLE, params)
    # Measured, 100k rows, same run, 2 rounds: delete_rows 0.17-0.23 s; peewee's delete() 0.30-0.45 s.
    return delete_rows(conn, "contact", _REPLACEABLE, params, matching=matching)


def _count_all_contacts(conn: sqlite3.Connection) -> int:
    return statements.run(conn, Contact.select(pw.fn.count(pw.SQL("*")))).fetchone()[0]


def _added_by(run_count: int) -> str:
    return f"campaign_id = ? AND import_run_id IN ({', '.join('?' * run_count)})"


def count_added(conn: sqlite3.Connection, campaign_id: int, run_ids: list[int]) -> tuple[int, int]:
    """Contacts of the campaign these runs added, and how many of them are call history."""
    query = Contact.select(
        pw.fn.count(pw.SQL("*")), pw.fn.coalesce(pw.fn.sum(Contact.status.in_(HISTORY_STATUSES)), 0)
    ).where((Contact.campaign == campaign_id) & Contact.import_run.in_(run_ids))
    return tuple(statements.run(conn, query).fetchone())


def delete_added_not_called(conn: sqlite3.Connection, campaign_id: int, run_ids: list[int], matching: int) -> int:
    """Delete the contacts these runs added that have no call result (an undo); ``matching``: how many."""
    where = f"{_added_by(len(run_ids))} AND status IN ({', '.join('?' * len(REPLACEABLE_STATUSES))})"
    params = (campaign_id, *run_ids, *REPLACEABLE_STATUSES)
    return delete_rows(conn, "contact", where, params, matching=matching)
