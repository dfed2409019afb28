"""Undo an import: remove the contacts it added and bring back the ones it replaced, exactly.

Contacts the import added that have a call result since (completed, failed, do_not_call)
are kept: they are history. An import cannot be undone when a later import that still
stands touched the same contacts (it replaced contacts this one added, or added a number
this one replaced), or when the contacts it replaced are no longer kept (see
store/archive.py). Like an import, an undo is one transaction: all or nothing.

Several files imported together as one list are one import: the import records a run per
file, all with the same start stamp and consecutive ids, and the first run's archive holds
the contacts the import replaced. They are undone together (any of their ids names the
import) and the history shows them as one entry.
"""

import json
import logging
from dataclasses import asdict, dataclass, field

from ..store import archive, contact_import, import_runs
from ..store import dnc as dnc_store
from ..store.bulk_settings import bulk_write_settings
from ..store.connection import is_read_only, read_only_message
from ..store.models import local_now_text
from ..store.transaction import Connection, connection, database_failures, is_busy, write_transaction
from .campaigns import get_campaign
from .wording import plural

log = logging.getLogger(__name__)


@dataclass
class _Run:  # the fields of import_runs.HISTORY_FIELDS
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
    caller: str

    @property
    def landed(self) -> bool:
        return self.outcome == "success" and self.undone_at is None


@dataclass
class _Import:
    """One import: the run of its file, or the runs of the files imported together as one list."""

    runs: list[_Run]

    @property
    def id(self) -> int:
        return self.runs[0].id

    @property
    def ids(self) -> list[int]:
        return [run.id for run in self.runs]

    @property
    def file_name(self) -> str:
        return ", ".join(run.file_name for run in self.runs)

    @property
    def undone_at(self) -> str | None:
        undone = [run.undone_at for run in self.runs]
        return None if None in undone else undone[0]

    @property
    def landed(self) -> bool:
        return any(run.landed for run in self.runs)

    @property
    def replacing(self) -> list[_Run]:
        """Its runs that replaced contacts (the first file's, when the import replaced any)."""
        return [run for run in self.runs if run.removed_count]


def _runs(conn: Connection, campaign_id: int) -> list[_Run]:
    return [_Run(**dict(zip(import_runs.HISTORY_FIELDS, row))) for row in import_runs.campaign_runs(conn, campaign_id)]


def _imports(runs: list[_Run]) -> list[_Import]:
    """The runs grouped into imports (see archive.group_runs)."""
    by_id = {run.id: run for run in runs}
    groups = archive.group_runs([(run.id, run.started_at, run.removed_count) for run in runs])
    return [_Import([by_id[run_id] for run_id in group]) for group in groups]


class _Checker:
    """Why an import of a campaign cannot be undone (None: it can), reading each archive once."""

    def __init__(self, conn: Connection, campaign_id: int, imports: list[_Import]):
        self.conn, self.campaign_id, self.imports = conn, campaign_id, imports
        self._import_of = {run.id: imp for imp in imports for run in imp.runs}
        self._origins: dict[int, set[int]] = {}

    def _has_archive(self, run: _Run) -> bool:
        # An archive past its keeping time counts as pruned even before the next import drops it.
        fresh = str(run.started_at) >= archive.cutoff()
        return bool(run.archive_kept) and fresh and archive.exists(self.conn, run.id)

    def why_not(self, imp: _Import) -> str | None:
        if imp.undone_at is not None:
            return "already undone"
        if any(run.outcome != "success" and run.undone_at is None for run in imp.runs):
            return "it did not finish"
        if any(not self._has_archive(run) for run in imp.replacing):
            return "the contacts it replaced are no longer kept (older than 90 days, or before the last 10 imports)"
        later_imports = [other for other in self.imports if other.id > imp.ids[-1] and other.landed]
        for later in later_imports:
            for later_run in (run for run in later.runs if run.landed and run.removed_count):
                if not self._has_archive(later_run):
                    return f"import {later.id} came later and its replaced contacts are no longer kept"
                if later_run.id not in self._origins:
                    self._origins[later_run.id] = archive.origins(self.conn, later_run.id)
                if self._origins[later_run.id] & set(imp.ids):
                    return f"import {later.id} replaced contacts this import added; undo import {later.id} first"
        if later_imports:
            for run in imp.replacing:
                conflicting = archive.conflicts_with_later(self.conn, run.id, self.campaign_id, after=imp.ids[-1])
                if conflicting is not None:
                    first = self._import_of[conflicting].id if conflicting in self._import_of else conflicting
                    return f"import {first} added numbers this import replaced; undo import {first} first"
        return None


@dataclass
class UndoPlan:
    campaign_id: int
    import_id: int | None
    file_name: str = ""
    import_ids: list[int] = field(default_factory=list)  # its files' runs: several for files imported together
    added: int = 0  # contacts of the campaign that this import added
    kept: int = 0  # of those, the ones with a call result: they stay
    restore: int = 0  # contacts it replaced, to bring back
    undoable: bool = False
    why_not: str = ""

    def describe(self) -> str:
        if self.import_id is None:
            return self.why_not
        if not self.undoable:
            return f"Import {self.import_id} ({self.what}) cannot be undone: {self.why_not}."
        parts = []
        if self.kept:
            verb = "has a call result" if self.kept == 1 else "have call results"
            parts.append(f"{self.kept:,} of the {plural(self.added, 'contact')} {verb} and will be kept.")
        removed = self.added - self.kept
        parts.append(
            f"Undoing import {self.import_id} ({self.what}) removes {plural(removed, 'contact')} it added"
            + (f" and brings back {plural(self.restore, 'contact')} it replaced." if self.restore else ".")
        )
        return " ".join(parts)

    @property
    def what(self) -> str:
        files = len(self.import_ids)
        return f"{files} files imported together: {self.file_name}" if files > 1 else self.file_name

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


def _plan(conn: Connection, campaign_id: int, import_id: int | None) -> UndoPlan:
    imports = _imports(_runs(conn, campaign_id))
    if import_id is None:
        landed = [imp for imp in imports if imp.landed]
        imp = landed[-1] if landed else None
    else:  # any of its files' ids names an import of several files
        imp = next((imp for imp in imports if import_id in imp.ids), None)
    if imp is None:
        why = (
            "This campaign has no import to undo."
            if import_id is None
            else f"Import {import_id} is not an import of campaign {campaign_id}."
        )
        return UndoPlan(campaign_id, None, why_not=why)
    plan = UndoPlan(campaign_id, imp.id, imp.file_name, imp.ids)
    why = _Checker(conn, campaign_id, imports).why_not(imp)
    if why is not None:
        plan.why_not = why
        return plan
    plan.added, plan.kept = contact_import.count_added(conn, campaign_id, imp.ids)
    plan.restore = sum(archive.count(conn, run.id) for run in imp.replacing if run.undone_at is None)
    plan.undoable = True
    return plan


def plan_undo(campaign_id: int, import_id: int | None = None) -> UndoPlan:
    """What undoing the import (default: the campaign's latest) would do; changes nothing."""
    get_campaign(campaign_id)  # CampaignNotFound for a campaign that does not exist
    return _plan(connection(), campaign_id, import_id)


def run_undo(plan: UndoPlan) -> UndoResult:
    """Undo the planned import in one transaction, checking again inside it; never raises for database trouble."""
    result = UndoResult(False, "", plan.campaign_id, plan.import_id)
    if not plan.undoable:
        result.message, result.refused = plan.describe(), True
        return result
    if is_read_only():
        result.message = f"{read_only_message()} Nothing was undone."
        return result
    conn = connection()
    try:
        with bulk_write_settings(conn):
            fresh = _transaction(conn, plan, result)
    except database_failures() as exc:
        log.exception("undo of import %s failed", plan.import_id)
        reason = "the database is in use by another program" if is_busy(exc) else str(exc)
        result.message = f"The undo failed: {reason}. Nothing was changed."
        return result
    if fresh is None:
        return result
    result.kept_count = fresh.kept
    result.success = result.done = True
    result.message = (
        f"Undid import {fresh.import_id} ({fresh.what}): removed {plural(result.removed_count, 'contact')}"
        f", brought back {plural(result.restored_count, 'contact')}"
        + (f"; kept {plural(fresh.kept, 'contact')} with call results." if fresh.kept else ".")
    )
    return result


def _transaction(conn: Connection, plan: UndoPlan, result: UndoResult) -> UndoPlan | None:
    """The undo itself, all or nothing; None (and the reason in ``result``) when it is refused now."""
    with write_transaction():
        fresh = _plan(conn, plan.campaign_id, plan.import_id)
        if not fresh.undoable:  # nothing was written: the transaction ends with no change
            result.message, result.refused = fresh.describe(), True
            return None
        result.removed_count = contact_import.delete_added_not_called(
            conn, fresh.campaign_id, fresh.import_ids, matching=fresh.added - fresh.kept
        )
        restored_from = [run_id for run_id in fresh.import_ids if fresh.restore and archive.exists(conn, run_id)]
        result.restored_count = sum(archive.restore(conn, run_id) for run_id in restored_from)
        # Numbers put on the do-not-call list since the import come back marked, never callable.
        stamp = local_now_text()
        if fresh.restore and dnc_store.has_active_entries(conn, plan.campaign_id, stamp):
            dnc_store.mark_all_listed_pending(conn, stamp, stamp, campaign_id=plan.campaign_id)
        for run_id in fresh.import_ids:
            import_runs.mark_undone(conn, run_id, stamp)
            archive.drop(conn, run_id)
    return fresh


def import_history(campaign_id: int) -> list[dict]:
    """The campaign's imports, newest first, each with its counts, state and whether it can be undone.

    Files imported together are one entry: their names joined, their counts added up, and each
    file's own counts under ``files``."""
    get_campaign(campaign_id)
    conn = connection()
    imports = _imports(_runs(conn, campaign_id))
    checker = _Checker(conn, campaign_id, imports)
    history = []
    for imp in reversed(imports):
        why = checker.why_not(imp)
        first = imp.runs[0]
        try:
            mapping = json.loads(first.mapping_json)
        except ValueError:
            mapping = {}
        replacing = imp.replacing
        kept = bool(replacing) and all(checker._has_archive(run) for run in replacing)
        undone_at = imp.undone_at
        history.append(
            {
                "import_id": imp.id,
                "import_ids": imp.ids,
                "file_name": imp.file_name,
                "file_size": sum(run.file_size for run in imp.runs),
                "sha256": first.file_sha256,
                "started_at": first.started_at,
                "started_by": first.caller,
                "finished_at": imp.runs[-1].finished_at,
                **{key: sum(getattr(run, key) for run in imp.runs) for key in _SUMMED},
                "total_contacts": imp.runs[-1].total_contacts,
                "mapping": mapping,
                "state": "undone" if undone_at is not None else "landed",
                "undone_at": undone_at,
                "replaced_contacts": _replaced_state(sum(run.removed_count for run in imp.runs), undone_at, kept),
                "undoable": why is None,
                "why_not": why or "",
                "files": [_file_entry(run) for run in imp.runs],
            }
        )
    return history


_SUMMED = (
    "rows_read",
    "imported_count",
    "skipped_duplicates",
    "invalid_count",
    "suppressed_count",
    "removed_count",
)


def _file_entry(run: _Run) -> dict:
    return {
        "import_id": run.id,
        "file_name": run.file_name,
        "file_size": run.file_size,
        "sha256": run.file_sha256,
        **{key: getattr(run, key) for key in _SUMMED},
    }


def _replaced_state(removed_count: int, undone_at: str | None, kept: bool) -> str:
    """What became of the contacts the import replaced: kept (for an undo), restored, pruned or none."""
    if not removed_count:
        return "none"
    if undone_at is not None:
        return "restored"
    return "kept" if kept else "pruned"
