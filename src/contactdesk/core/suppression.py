"""Leave numbers on the do-not-call list out of an import, inside its transaction.

The list is checked by SQLite, per batch, through the (phone, scope) index of the list:
one index probe per row, with nothing of the list held in Python. With no entry in force
for the campaign the import runs exactly as it would without a list.
"""

import sqlite3
from functools import lru_cache

from ..store import dnc as dnc_store
from ..store.models import HISTORY_STATUSES, local_now_text
from . import batch_insert
from .mapping import ColumnMapping
from .result import ERRORS_SHOWN, RowError
from .wording import plural

_REASONS = {"request": "the person asked not to be called", "list": "on an imported list", "manual": "added by hand"}


def summary(suppressed: int, dry_run: bool) -> str:
    one, many = ("will not be", "will not be") if dry_run else ("was not", "were not")
    verb = one if suppressed == 1 else many
    return f"{plural(suppressed, 'number is', 'numbers are')} on your do-not-call list and {verb} imported."


def reason_text(reason: str, note: str) -> str:
    text = f"on the do-not-call list ({_REASONS.get(reason, reason)}"
    return text + (f": {note})" if note else ")")


@lru_cache(maxsize=8)
def _listed_sql(rows: int, campaign_id: int, now: str) -> str:
    match = dnc_store.active_match("batch.column1", str(campaign_id), f"'{now}'")
    phones = ", ".join(["(?)"] * rows)
    return (
        f"SELECT batch.column1, dnc.reason, dnc.note FROM (VALUES {phones}) AS batch JOIN dnc_entry AS dnc ON {match}"
    )


class Suppression:
    def __init__(self, conn: sqlite3.Connection, campaign_id: int, mapping: ColumnMapping | None):
        self.conn = conn
        self.campaign_id = int(campaign_id)
        self.phone_header = mapping.headers[mapping.phone_column] if mapping is not None else ""
        self.active = False
        self.now = ""
        self.errors: list[RowError] = []

    def start(self) -> None:
        """Inside the import's transaction: is any entry in force for this campaign?"""
        self.now = local_now_text()
        self.active = dnc_store.has_active_entries(self.conn, self.campaign_id, self.now)

    def note_batch(self, rows: int, values: list) -> tuple[int, list]:
        """How many rows of the batch the list leaves out, and the batch's values to insert.

        Numbers kept as call history are not counted (the import keeps them anyway). Only the
        batch's numbers are bound here, one value of each row. A listed row goes to the
        insert with no number: the importer's INSERT OR IGNORE skips a row that breaks the
        NOT NULL constraint, so the rows keep their places and the statement its text.
        """
        if not self.active:
            return 0, values
        width = len(batch_insert.COLUMNS)
        phones = values[0::width]
        listed = {
            phone: (reason, note)
            for phone, reason, note in self.conn.execute(_listed_sql(rows, self.campaign_id, self.now), phones)
        }
        if not listed:
            return 0, values
        history = ", ".join("?" * len(HISTORY_STATUSES))
        kept = self.conn.execute(
            f"SELECT phone_number FROM contact WHERE campaign_id = ? AND status IN ({history})"
            f" AND phone_number IN ({', '.join('?' * len(listed))})",
            (self.campaign_id, *HISTORY_STATUSES, *listed),
        )
        for (phone,) in kept.fetchall():
            del listed[phone]
        raw_at, row_at = batch_insert.COLUMNS.index("phone_raw"), batch_insert.COLUMNS.index("source_row")
        suppressed = 0
        kept_values = values
        for index, phone in enumerate(phones):
            entry = listed.get(phone)
            if entry is None:
                continue
            suppressed += 1
            if kept_values is values:
                kept_values = list(values)
            kept_values[index * width] = None
            if len(self.errors) < ERRORS_SHOWN:
                start = index * width
                self.errors.append(
                    RowError(values[start + row_at], self.phone_header, values[start + raw_at], reason_text(*entry))
                )
        return suppressed, kept_values

    def merged_errors(self, invalid: list[RowError]) -> list[RowError]:
        """Invalid and suppressed rows together, in file order."""
        return sorted([*invalid, *self.errors], key=lambda error: error.row)[:ERRORS_SHOWN]

    def record(self, run_id: int, suppressed: int) -> None:
        if suppressed:
            self.conn.execute("UPDATE import_run SET suppressed_count = ? WHERE id = ?", (suppressed, run_id))
