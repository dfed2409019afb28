"""The import_run rows: one per file of an import, written inside the import's transaction."""

from datetime import datetime

from . import statements
from .models import ImportRun

RUNNING, SUCCESS, UNDONE = "running", "success", "undone"

# The columns the undo and the import history read, in this order (see core/undo.py).
HISTORY_FIELDS = (
    "id",
    "file_name",
    "file_size",
    "file_sha256",
    "started_at",
    "finished_at",
    "mapping_json",
    "rows_read",
    "imported_count",
    "skipped_duplicates",
    "invalid_count",
    "suppressed_count",
    "removed_count",
    "total_contacts",
    "outcome",
    "undone_at",
    "archive_kept",
    "caller",
)


def start_run(conn, campaign_id: int, **values) -> int:
    """A new run recorded as running (the model's defaults for what is not given); returns its id."""
    query = ImportRun.insert(campaign=campaign_id, outcome=RUNNING, **values)
    return statements.inserted_id(statements.run(conn, query))


def update_run(conn, run_id: int, **values) -> None:
    """Set these fields of one run (names as in the ImportRun model)."""
    statements.run(conn, ImportRun.update(**values).where(ImportRun.id == run_id))


def finish_runs(conn, run_ids: list[int], finished_at: str, total_contacts: int) -> None:
    """The import's runs landed: their finish time and the campaign's contacts after them."""
    query = ImportRun.update(finished_at=finished_at, total_contacts=total_contacts, outcome=SUCCESS).where(
        ImportRun.id.in_(run_ids)
    )
    statements.run(conn, query)


def mark_undone(conn, run_id: int, undone_at: str) -> None:
    query = ImportRun.update(undone_at=undone_at, outcome=UNDONE).where(
        (ImportRun.id == run_id) & ImportRun.undone_at.is_null()
    )
    statements.run(conn, query)


def campaign_runs(conn, campaign_id: int) -> list[tuple]:
    """Every run of the campaign, oldest first, as tuples of HISTORY_FIELDS."""
    fields = [getattr(ImportRun, name) for name in HISTORY_FIELDS]
    query = ImportRun.select(*fields).where(ImportRun.campaign == campaign_id).order_by(ImportRun.id)
    # Times as text on both engines (PostgreSQL gives datetimes back), as SQLite stores them.
    return [tuple(_text(value) for value in row) for row in statements.run(conn, query).fetchall()]


def _text(value):
    return value.isoformat(sep=" ") if isinstance(value, datetime) else value


def produced_variables(campaign_id: int) -> list[str]:
    """The JSON lists of template variables the campaign's landed imports produced, oldest first."""
    query = (
        ImportRun.select(ImportRun.variables_json)
        .where((ImportRun.campaign == campaign_id) & (ImportRun.outcome == SUCCESS))
        .order_by(ImportRun.id)
    )
    return [run.variables_json for run in query]
