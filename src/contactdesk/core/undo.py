"""Undo an import: remove the contacts it added and bring back the ones it replaced, exactly.

Contacts the import added that have a call result since (completed, failed, do_not_call)
are kept: they are history. An import cannot be undone when a later import that still
stands touched the same contacts (it replaced contacts this one added, or added a number
this one replaced), or when the contacts it replaced are no longer kept (see
store/archive.py). Like an import, an undo is one transaction: all or nothing.
"""

import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from ..store import archive
from ..store import dnc as dnc_store
from ..store.bulk_delete import delete_rows
from ..store.connection import is_read_only, read_only_message
from ..store.models import DO_NOT_CALL, HISTORY_STATUSES, PENDING, REPLACEABLE_STATUSES, db, local_now_text
from .campaigns import get_campaign
from .wording import plural

log = logging.getLogger(__name__)

UNDO_CACHE_KIB = -48_000  # negative: KiB, as SQLite reads it (the importer's figure)

_RUN_COLUMNS = (
    "id, file_name, file_size, file_sha256, started_at, finished_at, mapping_json, rows_read, imported_count,"
    " skipped_duplicates, invalid_count, suppressed_count, removed_count, total_contacts, outcome, undone_at,"
    " archive_kept"
)
_ADDED_NOT_CALLED = (
    f"campaign_id = ? AND import_run_id = ? AND status IN ({', '.join('?' * len(REPLACEABLE_STATUSES))})"
)


@dataclass
class _Run:
    id: int
    file_name: str
    file_size: int
    file_sha256: str
    started_at: str
    finished_at: str | None
    mapping_json: str
    rows_read: int
    imported_count: int
    skipped_duplicates: int
    invalid_count: int
    suppressed_count: int
    removed_count: int
    total_contacts: int
    outcome: str
    undone_at: str | None
    archive_kept: int

    @property
    def landed(self) -> bool:
        return self.outcome == "success" and self.undone_at is None


def _runs(conn: sqlite3.Connection, campaign_id: int) -> list[_Run]:
    rows = conn.execute(f"SELECT {_RUN_COLUMNS} FROM import_run WHERE campaign_id = ? ORDER BY id", (campaign_id,))
    return [_Run(*row) for row in rows]


class _Checker:
    """Why an import of a campaign cannot be undone (None: it can), reading each archive once."""

    def __init__(self, conn: sqlite3.Connection, campaign_id: int, runs: list[_Run]):
        self.conn, self.campaign_id, self.runs = conn, campaign_id, runs
        self._origins: dict[int, set[int]] = {}

    def _has_archive(self, run: _Run) -> bool:
        # An archive past its keeping time counts as pruned even before the next import drops it.
        fresh = str(run.started_at) >= archive.cutoff()
        return bool(run.archive_kept) and fresh and archive.exists(self.conn, run.id)

    def why_not(self, run: _Run) -> str | None:
        if run.undone_at is not None:
            return "already undone"
        if run.outcome != "success":
            return "it did not finish"
        if run.removed_count and not self._has_archive(run):
            return "the contacts it replaced are no longer kept (older than 90 days, or before the last 10 imports)"
        for later in (other for other in self.runs if other.id > run.id and other.landed):
            if later.removed_count and not self._has_archive(later):
                return f"import {later.id} came later and its replaced contacts are no longer kept"
            if later.removed_count:
                if later.id not in self._origins:
                    self._origins[later.id] = archive.origins(self.conn, later.id)
                if run.id in self._origins[later.id]:
                    return f"import {later.id} replaced contacts this import added; undo import {later.id} first"
        if run.removed_count and any(other.id > run.id and other.landed for other in self.runs):
            conflicting = archive.conflicts_with_later(self.conn, run.id, self.campaign_id)
            if conflicting is not None:
                return f"import {conflicting} added numbers this import replaced; undo import {conflicting} first"
        return None


@dataclass
class UndoPlan:
    campaign_id: int
    import_id: int | None
    file_name: str = ""
    added: int = 0  # contacts of the campaign that this import added
    kept: int = 0  # of those, the ones with a call result: they stay
    restore: int = 0  # contacts it replaced, to bring back
    undoable: bool = False
    why_not: str = ""

    def describe(self) -> str:
        if self.import_id is None:
            return self.why_not
        if not self.undoable:
            return f"Import {self.import_id} ({self.file_name}) cannot be undone: {self.why_not}."
        parts = []
        if self.kept:
            verb = "has a call result" if self.kept == 1 else "have call results"
            parts.append(f"{self.kept:,} of the {plural(self.added, 'contact')} {verb} and will be kept.")
        removed = self.added - self.kept
        parts.append(
            f"Undoing import {self.import_id} ({self.file_name}) removes {plural(removed, 'contact')} it added"
            + (f" and brings back {plural(self.restore, 'contact')} it replaced." if self.restore else ".")
        )
        return " ".join(parts)

    def to_dict(self) -> dict:
        return {**asdict(self), "message": self.describe()}


@dataclass
class UndoResult:
    success: bool
    message: str
    campaign_id: int
    import_id: int | None
    removed_count: int = 0
    restored_count: int = 0
    kept_count: int = 0
    refused: bool = False
    done: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def _latest_landed(runs: list[_Run]) -> _Run | None:
    landed = [run for run in runs if run.landed]
    return landed[-1] if landed else None


def _plan(conn: sqlite3.Connection, campaign_id: int, import_id: int | None) -> UndoPlan:
    runs = _runs(conn, campaign_id)
    run = _latest_landed(runs) if import_id is None else next((r for r in runs if r.id == import_id), None)
    if run is None:
        why = (
            "This campaign has no import to undo."
            if import_id is None
            else f"Import {import_id} is not an import of campaign {campaign_id}."
        )
        return UndoPlan(campaign_id, None, why_not=why)
    plan = UndoPlan(campaign_id, run.id, run.file_name)
    why = _Checker(conn, campaign_id, runs).why_not(run)
    if why is not None:
        plan.why_not = why
        return plan
    history = ", ".join(f"'{status}'" for status in HISTORY_STATUSES)
    plan.added, plan.kept = conn.execute(
        f"SELECT count(*), coalesce(sum(status IN ({history})), 0) FROM contact WHERE campaign_id = ? AND import_run_id = ?",
        (campaign_id, run.id),
    ).fetchone()
    plan.restore = archive.count(conn, run.id) if run.removed_count else 0
    plan.undoable = True
    return plan


def plan_undo(campaign_id: int, import_id: int | None = None) -> UndoPlan:
    """What undoing the import (default: the campaign's latest) would do; changes nothing."""
    get_campaign(campaign_id)  # CampaignNotFound for a campaign that does not exist
    return _plan(db.connection(), campaign_id, import_id)


def run_undo(plan: UndoPlan) -> UndoResult:
    """Undo the planned import in one transaction, checking again inside it; never raises for database trouble."""
    result = UndoResult(False, "", plan.campaign_id, plan.import_id)
    if not plan.undoable:
        result.message, result.refused = plan.describe(), True
        return result
    if is_read_only():
        result.message = f"{read_only_message()} Nothing was undone."
        return result
    conn = db.connection()
    try:
        with _undo_settings(conn):
            fresh = _transaction(conn, plan, result)
    except sqlite3.Error as exc:
        log.exception("undo of import %s failed", plan.import_id)
        busy = "locked" in str(exc) or "busy" in str(exc)
        reason = "the database is in use by another program" if busy else str(exc)
        result.message = f"The undo failed: {reason}. Nothing was changed."
        return result
    if fresh is None:
        return result
    result.kept_count = fresh.kept
    result.success = result.done = True
    result.message = (
        f"Undid import {fresh.import_id} ({fresh.file_name}): removed {plural(result.removed_count, 'contact')}"
        f", brought back {plural(result.restored_count, 'contact')}"
        + (f"; kept {plural(fresh.kept, 'contact')} with call results." if fresh.kept else ".")
    )
    return result


@contextmanager
def _undo_settings(conn: sqlite3.Connection) -> Iterator[None]:
    """As for an import: a bigger page cache for the (campaign, phone) index, and no per-row
    foreign-key checks (every restored row's campaign and import are checked to exist)."""
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    try:
        conn.execute(f"PRAGMA cache_size = {UNDO_CACHE_KIB}")
        conn.execute("PRAGMA foreign_keys = OFF")
        yield
    finally:
        try:
            conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")
        finally:
            conn.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _transaction(conn: sqlite3.Connection, plan: UndoPlan, result: UndoResult) -> UndoPlan | None:
    """The undo itself, all or nothing; None (and the reason in ``result``) when it is refused now."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        fresh = _plan(conn, plan.campaign_id, plan.import_id)
        if not fresh.undoable:
            conn.execute("ROLLBACK")
            result.message, result.refused = fresh.describe(), True
            return None
        result.removed_count = _undo(conn, fresh)
        result.restored_count = archive.restore(conn, fresh.import_id) if fresh.restore else 0
        # Numbers put on the do-not-call list since the import come back marked, never callable.
        stamp = local_now_text()
        if fresh.restore and dnc_store.has_active_entries(conn, plan.campaign_id, stamp):
            conn.execute(
                f"UPDATE contact SET status = '{DO_NOT_CALL}', updated_at = ? WHERE campaign_id = ?"
                f" AND status = '{PENDING}' AND {dnc_store.listed_sql('contact.phone_number', 'contact.campaign_id', '?')}",
                (stamp, plan.campaign_id, stamp),
            )
        conn.execute("UPDATE import_run SET undone_at = ?, outcome = 'undone' WHERE id = ?", (stamp, fresh.import_id))
        archive.drop(conn, fresh.import_id)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return fresh


def _undo(conn: sqlite3.Connection, plan: UndoPlan) -> int:
    params = (plan.campaign_id, plan.import_id, *REPLACEABLE_STATUSES)
    return delete_rows(conn, "contact", _ADDED_NOT_CALLED, params, matching=plan.added - plan.kept)


def import_history(campaign_id: int) -> list[dict]:
    """The campaign's imports, newest first, each with its counts, state and whether it can be undone."""
    get_campaign(campaign_id)
    conn = db.connection()
    runs = _runs(conn, campaign_id)
    checker = _Checker(conn, campaign_id, runs)
    history = []
    for run in reversed(runs):
        why = checker.why_not(run)
        try:
            mapping = json.loads(run.mapping_json)
        except ValueError:
            mapping = {}
        kept = checker._has_archive(run)
        history.append(
            {
                "import_id": run.id,
                "file_name": run.file_name,
                "file_size": run.file_size,
                "sha256": run.file_sha256,
                "started_at": run.started_at,
                "finished_at": run.finished_at,
                "rows_read": run.rows_read,
                "imported_count": run.imported_count,
                "skipped_duplicates": run.skipped_duplicates,
                "invalid_count": run.invalid_count,
                "suppressed_count": run.suppressed_count,
                "removed_count": run.removed_count,
                "total_contacts": run.total_contacts,
                "mapping": mapping,
                "state": "undone" if run.undone_at is not None else "landed",
                "undone_at": run.undone_at,
                "replaced_contacts": _replaced_state(run, kept),
                "undoable": why is None,
                "why_not": why or "",
            }
        )
    return history


def _replaced_state(run: _Run, kept: bool) -> str:
    """What became of the contacts the import replaced: kept (for an undo), restored, pruned or none."""
    if not run.removed_count:
        return "none"
    if run.undone_at is not None:
        return "restored"
    return "kept" if kept else "pruned"
