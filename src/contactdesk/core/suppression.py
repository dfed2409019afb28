"""Leave numbers on the do-not-call list out of an import, inside its transaction.

The list is checked by SQLite, per batch, through the (phone, scope) index of the list:
one index probe per row, with nothing of the list held in Python. With no entry in force
for the campaign the import runs exactly as it would without a list.
"""

import sqlite3

from ..store import dnc as dnc_store
from ..store.models import local_now_text
from . import batch_insert
from .mapping import ColumnMapping
from .result import ERRORS_SHOWN, RowError
from .wording import plural

_REASONS = {"request": "the person asked not to be called", "list": "on an imported list", "manual": "added by hand"}


def summary(suppressed: int, dry_run: bool) -> str:
    verb = "will not be" if dry_run else "were not"
    return f"{plural(suppressed, 'number is', 'numbers are')} on your do-not-call list and {verb} imported."


def reason_text(reason: str, note: str) -> str:
    text = f"on the do-not-call list ({_REASONS.get(reason, reason)}"
    return text + (f": {note})" if note else ")")


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

    def _listed(self, phone_sql: str) -> str:
        return dnc_store.listed_sql(phone_sql, str(self.campaign_id), f"'{self.now}'")

    def insert_conditions(self, phone_sql: str) -> list[str]:
        return [f"NOT {self._listed(phone_sql)}"] if self.active else []

    def note_batch(self, rows: int, values: list, kept_in_history: str | None) -> int:
        """How many rows of the batch the list leaves out (call history kept is counted elsewhere)."""
        if not self.active:
            return 0
        phone = f"batch.{batch_insert.column('phone_number')}"
        source_row = f"batch.{batch_insert.column('source_row')}"
        raw = f"batch.{batch_insert.column('phone_raw')}"
        match = dnc_store.active_match(phone, str(self.campaign_id), f"'{self.now}'")
        sql = (
            f"SELECT {source_row}, {raw}, dnc.reason, dnc.note FROM {batch_insert.values_table(rows)} AS batch"
            f" JOIN dnc_entry AS dnc ON {match}"
            + (f" WHERE NOT {kept_in_history}" if kept_in_history else "")
            + f" GROUP BY {source_row}"
        )
        found = self.conn.execute(sql, values).fetchall()
        room = ERRORS_SHOWN - len(self.errors)
        for row, value, reason, note in found[: max(room, 0)]:
            self.errors.append(RowError(row, self.phone_header, value, reason_text(reason, note)))
        return len(found)

    def merged_errors(self, invalid: list[RowError]) -> list[RowError]:
        """Invalid and suppressed rows together, in file order."""
        return sorted([*invalid, *self.errors], key=lambda error: error.row)[:ERRORS_SHOWN]

    def record(self, run_id: int, suppressed: int) -> None:
        if suppressed:
            self.conn.execute("UPDATE import_run SET suppressed_count = ? WHERE id = ?", (suppressed, run_id))
