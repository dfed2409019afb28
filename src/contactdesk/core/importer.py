"""Put the contacts of a CSV file into a campaign: prepare (validate), then run.

``prepare_import`` is pure: it reads the head of the file, resolves the mapping and
returns a plan (with the failure, if any). ``run_import`` does the work in ONE
transaction: it deletes the campaign's pending and skipped contacts, inserts the
file's rows (a number already in the campaign is skipped; the first occurrence wins)
and records an ImportRun. Any failure, a cancel, or a dry run rolls everything back.
"""

import json
import logging
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..store.backup import BackupError, backup_database, prune_automatic
from ..store.bulk_delete import delete_rows
from ..store.connection import is_read_only, read_only_message
from ..store.models import (
    HISTORY_STATUSES,
    PENDING,
    REPLACEABLE_STATUSES,
    Campaign,
    db,
    local_now_text,
)
from . import batch_insert
from .contact_rows import ContactRows
from .csvfile import CsvFileError, CsvFormat, FileChangedError, sniff
from .mapping import ColumnMapping, MappingError, resolve_mapping
from .phone import DEFAULT_REGION, PhoneNormalizer, is_supported_region
from .result import (
    BAD_REQUEST,
    CANCELLED,
    FAILED,
    NOT_FOUND,
    ImportFailure,
    ImportResult,
)
from .wording import plural

log = logging.getLogger(__name__)

IMPORT_CACHE_KIB = -48_000  # negative: KiB, as SQLite reads it
# The contacts an import replaces; parameters: campaign id, then REPLACEABLE_STATUSES.
_REPLACEABLE = f"campaign_id = ? AND status IN ({', '.join('?' * len(REPLACEABLE_STATUSES))})"

# progress(rows_done, bytes_done, bytes_total)
ProgressCallback = Callable[[int, int, int], None]
CancelCheck = Callable[[], bool]


class ImportCancelled(Exception):
    pass


@dataclass
class ImportPlan:
    campaign_id: int
    path: Path
    region: str = DEFAULT_REGION
    strict: bool = False
    campaign_name: str = ""
    format: CsvFormat | None = None
    mapping: ColumnMapping | None = None
    warnings: list[str] = field(default_factory=list)
    failure: ImportFailure | None = None

    @property
    def file_name(self) -> str:
        return self.path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")

    def failure_result(self) -> ImportResult:
        assert self.failure is not None
        return _failed(self, self.failure.status, self.failure.message)


def _failed(plan: ImportPlan, status: int, message: str, dry_run: bool = False) -> ImportResult:
    return ImportResult(
        success=False,
        message=message,
        status=status,
        file_name=plan.file_name,
        campaign_id=plan.campaign_id,
        import_date=_now_iso(),
        dry_run=dry_run,
        detected=plan.format.describe() if plan.format else {},
        mapping=plan.mapping.as_json_dict() if plan.mapping else {},
        warnings=list(plan.warnings),
    )


def _now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def prepare_import(
    campaign_id: int,
    path: str | os.PathLike,
    column_mappings=None,
    *,
    region: str = DEFAULT_REGION,
    strict: bool = False,
    encoding: str | None = None,
    delimiter: str | None = None,
    has_header: bool | None = None,
) -> ImportPlan:
    plan = ImportPlan(
        campaign_id=campaign_id, path=Path(path), region=(region or DEFAULT_REGION).upper(), strict=strict
    )
    try:
        if not is_supported_region(plan.region):
            raise ImportFailure(BAD_REQUEST, f"Unknown country code for phone numbers: {region!r}.")
        if is_read_only():
            raise ImportFailure(FAILED, f"{read_only_message()} Nothing was imported.")
        campaign = Campaign.get_or_none(Campaign.id == campaign_id)
        if campaign is None:
            raise ImportFailure(NOT_FOUND, f"Campaign {campaign_id} was not found.")
        plan.campaign_name = campaign.name
        try:
            sniffed = sniff(plan.path, encoding=encoding, delimiter=delimiter, has_header=has_header)
        except CsvFileError as exc:
            raise ImportFailure(BAD_REQUEST, str(exc)) from None
        plan.format = sniffed.format
        plan.warnings.extend(sniffed.warnings)
        try:
            plan.mapping = resolve_mapping(
                sniffed.headers,
                column_mappings,
                has_header=sniffed.format.has_header,
                sample_rows=sniffed.sample_rows,
                region=plan.region,
            )
        except MappingError as exc:
            raise ImportFailure(BAD_REQUEST, str(exc)) from None
    except ImportFailure as failure:
        plan.failure = failure
    return plan


class _WriteCounts:
    def __init__(self):
        self.inserted = 0
        self.in_file = 0
        self.in_campaign = 0


class _ImportRun:
    """One execution of a plan on the calling thread's connection."""

    def __init__(self, plan: ImportPlan, progress, should_cancel, dry_run: bool):
        self.plan = plan
        self.progress = progress
        self.should_cancel = should_cancel
        self.dry_run = dry_run
        self.counts = _WriteCounts()
        self.conn: sqlite3.Connection = db.connection()
        # Rows per INSERT statement; also how often progress and cancel are checked.
        self.batch_rows = batch_insert.rows_per_statement(self.conn)
        self.rows = ContactRows(
            plan.path, plan.format, plan.mapping, PhoneNormalizer(plan.region, plan.strict), self.batch_rows
        )
        self.read = self.rows.stats
        self.stamp = local_now_text()
        self.history_count = 0
        self.backup: Path | None = None

    def execute(self) -> ImportResult:
        conn = self.conn
        started = time.monotonic()
        if not self.dry_run and self._has_replaceable_contacts():
            # The import is about to delete pending contacts: keep a copy to go back to.
            try:
                # Older copies are pruned only once this import has succeeded: a failed one keeps them all.
                self.backup = backup_database("before-import", prune=False)
            except BackupError as exc:
                raise ImportFailure(FAILED, f"Import failed: {exc} Nothing was changed.") from None
        try:
            with _import_settings(conn):
                removed, total, run_id = self._transaction()
        except BaseException:
            if self.backup is not None:  # nothing changed: the copy would only be clutter
                self.backup.unlink(missing_ok=True)
            raise
        if self.backup is not None:
            prune_automatic("before-import")
        return self._result(removed, total, run_id, time.monotonic() - started)

    def _transaction(self) -> tuple[int, int, int]:
        plan, conn = self.plan, self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            if conn.execute("SELECT 1 FROM campaign WHERE id = ?", (plan.campaign_id,)).fetchone() is None:
                raise ImportFailure(NOT_FOUND, f"Campaign {plan.campaign_id} was not found; it may have been deleted.")
            removed = self._delete_replaceable()
            self.history_count = conn.execute(
                "SELECT count(*) FROM contact WHERE campaign_id = ?", (plan.campaign_id,)
            ).fetchone()[0]
            run_id = conn.execute(
                "INSERT INTO import_run (campaign_id, file_name, file_size, file_sha256, started_at,"
                " mapping_json, region, strict, rows_read, imported_count, skipped_duplicates, invalid_count,"
                " removed_count, total_contacts, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 'running')",
                (
                    plan.campaign_id,
                    plan.file_name,
                    plan.path.stat().st_size,
                    "",
                    self.stamp,
                    json.dumps(plan.mapping.as_json_dict(), ensure_ascii=False),
                    plan.region,
                    int(plan.strict),
                ),
            ).lastrowid
            self._insert_rows(run_id)
            counts, read = self.counts, self.read
            if counts.inserted == 0 and read.invalid > 0 and counts.in_campaign == 0:
                raise ImportFailure(
                    BAD_REQUEST,
                    f"None of the {read.rows:,} rows has a usable phone number in column "
                    f"{plan.mapping.headers[plan.mapping.phone_column]!r}; nothing was changed."
                    + _common_reason(read.errors),
                )
            total = conn.execute("SELECT count(*) FROM contact WHERE campaign_id = ?", (plan.campaign_id,)).fetchone()[
                0
            ]
            conn.execute(
                "UPDATE import_run SET finished_at = ?, file_sha256 = ?, rows_read = ?, imported_count = ?,"
                " skipped_duplicates = ?, invalid_count = ?, removed_count = ?, total_contacts = ?, variables_json = ?,"
                " outcome = 'success' WHERE id = ?",
                (
                    local_now_text(),
                    read.sha256,
                    read.rows,
                    counts.inserted,
                    counts.in_file + counts.in_campaign,
                    read.invalid,
                    removed,
                    total,
                    json.dumps(self._variable_names(), ensure_ascii=False),
                    run_id,
                ),
            )
            conn.execute("ROLLBACK" if self.dry_run else "COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return removed, total, run_id

    def _variable_names(self) -> list[str]:
        names = [name for _, name in self.plan.mapping.variable_columns()]
        if self.read.extensions and "extension" not in names:
            names.append("extension")
        return names

    def _has_replaceable_contacts(self) -> bool:
        params = (self.plan.campaign_id, *REPLACEABLE_STATUSES)
        return self.conn.execute(f"SELECT 1 FROM contact WHERE {_REPLACEABLE} LIMIT 1", params).fetchone() is not None

    def _delete_replaceable(self) -> int:
        params = (self.plan.campaign_id, *REPLACEABLE_STATUSES)
        matching = self.conn.execute(f"SELECT count(*) FROM contact WHERE {_REPLACEABLE}", params).fetchone()[0]
        return delete_rows(self.conn, "contact", _REPLACEABLE, params, matching=matching)

    def _insert_rows(self, run_id: int) -> None:
        """Insert every batch the reader produces, in file order (see batch_insert.py for how)."""
        campaign, history = int(self.plan.campaign_id), _quoted(HISTORY_STATUSES)
        phone = f"batch.{batch_insert.column('phone_number')}"
        kept_in_history = (
            f"EXISTS (SELECT 1 FROM contact AS kept WHERE kept.campaign_id = {campaign}"
            f" AND kept.phone_number = {phone} AND kept.status IN ({history}))"
        )
        values = ", ".join(f"batch.{batch_insert.column(name)}" for name in batch_insert.COLUMNS[:-1])
        source_row = f"batch.{batch_insert.column('source_row')}"

        def insert_sql(rows: int) -> str:
            return (
                "INSERT OR IGNORE INTO contact (campaign_id, phone_number, phone_raw, name, email, company, variables,"
                " status, source_row, import_run_id, created_at, updated_at)"
                f" SELECT {campaign}, {values}, '{PENDING}', {source_row}, {int(run_id)}, '{self.stamp}', '{self.stamp}'"
                f" FROM {batch_insert.values_table(rows)} AS batch"
                + (f" WHERE NOT {kept_in_history}" if self.history_count else "")
                + f" ORDER BY {source_row}"  # file order: the first occurrence of a number wins
            )

        def count_kept_sql(rows: int) -> str:
            return f"SELECT count(*) FROM {batch_insert.values_table(rows)} AS batch WHERE {kept_in_history}"

        batches = batch_insert.bound_batches(self.rows.batches, self.batch_rows)
        counts, conn = self.counts, self.conn
        try:
            for values_of_batch, size in batches:
                in_campaign = (
                    conn.execute(count_kept_sql(size), values_of_batch).fetchone()[0] if self.history_count else 0
                )
                inserted = conn.execute(insert_sql(size), values_of_batch).rowcount
                counts.inserted += inserted
                counts.in_campaign += in_campaign
                counts.in_file += size - in_campaign - inserted
                self._checkpoint()
        finally:
            batches.close()
        self._checkpoint()

    def _checkpoint(self) -> None:
        if self.should_cancel is not None and self.should_cancel():
            raise ImportCancelled()
        if self.progress is not None:
            self.progress(self.read.rows, self.read.bytes_read, self.read.bytes_total)

    def _result(self, removed: int, total: int, run_id: int, elapsed: float) -> ImportResult:
        plan, counts = self.plan, self.counts
        warnings = list(plan.warnings)
        read = self.read
        truncated, first, decode_fallbacks = read.truncated_rows, read.first_truncated_row, read.decode_fallbacks
        if truncated and not any("more values than there are columns" in w for w in warnings):
            warnings.append(
                f"Row {first} has more values than there are columns; the extra values are ignored"
                f" ({truncated:,} rows like that)."
            )
        if decode_fallbacks:
            warnings.append(
                f"{plural(decode_fallbacks, 'character was', 'characters were')} not valid {plan.format.describe()['encoding']} "
                "and were read as Windows-1252; check names with accents."
            )
        if read.unassigned:
            warnings.append(
                f"{plural(read.unassigned, 'number is', 'numbers are')} possible but not assigned to any "
                "carrier (such as 555 numbers). "
                + ("They were imported." if not self.dry_run else "They will be imported.")
                + " Turn on strict validation to reject them."
            )
        skipped = counts.in_file + counts.in_campaign
        return ImportResult(
            success=True,
            message=_success_message(plan, counts.inserted, read.invalid, skipped, removed, self.dry_run),
            imported_count=counts.inserted,
            total_contacts=total,
            file_name=plan.file_name,
            import_date=_now_iso(),
            campaign_id=plan.campaign_id,
            dry_run=self.dry_run,
            rows_read=read.rows,
            skipped_duplicates=skipped,
            duplicates_in_file=counts.in_file,
            duplicates_in_campaign=counts.in_campaign,
            invalid_count=read.invalid,
            removed_count=removed,
            kept_count=self.history_count,
            unassigned_count=read.unassigned,
            warnings=warnings,
            errors=read.errors,
            error_count=read.invalid,
            detected=plan.format.describe(),
            mapping=plan.mapping.as_json_dict(),
            import_id=None if self.dry_run else run_id,
            elapsed_seconds=round(elapsed, 3),
        )


@contextmanager
def _import_settings(conn: sqlite3.Connection) -> Iterator[None]:
    """The connection's settings for one import; the previous ones come back whatever happens."""
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    try:
        # A bigger page cache keeps the (campaign, phone) index in memory while rows go in
        # in file order, which is random order for that index.
        conn.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
        # Every inserted row refers to the import's campaign and run, both checked inside
        # the transaction: checking them again for each row costs a tenth of the import.
        conn.execute("PRAGMA foreign_keys = OFF")
        yield
    finally:
        try:
            conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")
        finally:
            conn.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _common_reason(errors) -> str:
    if not errors:
        return ""
    reason, _ = Counter(e.reason for e in errors).most_common(1)[0]
    first = next(e for e in errors if e.reason == reason)
    return f" Most common problem: {reason} (row {first.row}: {first.value[:40]!r})."


def _quoted(words) -> str:
    return ", ".join(f"'{word}'" for word in words)


def _success_message(plan: ImportPlan, inserted: int, invalid: int, skipped: int, removed: int, dry_run: bool) -> str:
    verb = "Ready to import" if dry_run else "Imported"
    parts = [f"{verb} {plural(inserted, 'contact')} from {plan.file_name} into {plan.campaign_name!r}."]
    details = []
    if skipped:
        details.append(f"{plural(skipped, 'duplicate')} skipped")
    if invalid:
        details.append(f"{plural(invalid, 'row')} with an invalid phone number")
    if removed:
        details.append(
            f"{plural(removed, 'earlier pending or skipped contact')} {'will be ' if dry_run else ''}replaced"
        )
    if details:
        parts.append("; ".join(details).capitalize() + ".")
    return " ".join(parts)


def run_import(
    plan: ImportPlan,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Execute a prepared plan. Never raises for a bad file or database trouble: it returns a result."""
    if plan.failure is not None:
        return plan.failure_result()
    try:
        return _ImportRun(plan, progress, should_cancel, dry_run).execute()
    except ImportFailure as failure:
        return _failed(plan, failure.status, failure.message, dry_run)
    except ImportCancelled:
        return _failed(plan, CANCELLED, "Import cancelled; nothing was changed.", dry_run)
    except FileChangedError as exc:
        return _failed(plan, BAD_REQUEST, str(exc), dry_run)
    except CsvFileError as exc:
        return _failed(plan, BAD_REQUEST, f"{exc} Nothing was changed.", dry_run)
    except (sqlite3.Error, OSError) as exc:
        log.exception("import of %s failed", plan.path)
        return _failed(plan, FAILED, f"Import failed: {_describe_failure(exc)}. Nothing was changed.", dry_run)


def _describe_failure(exc: Exception) -> str:
    text = str(exc)
    if isinstance(exc, sqlite3.OperationalError):
        if "locked" in text or "busy" in text:
            return "the database is in use by another program"
        if "full" in text:
            return "the disk is full"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return text or exc.__class__.__name__


def import_file(
    campaign_id: int,
    path,
    column_mappings=None,
    *,
    region=DEFAULT_REGION,
    strict=False,
    dry_run=False,
    progress=None,
    should_cancel=None,
    **read_options,
) -> ImportResult:
    """Prepare and run in one call (the CLI's path)."""
    plan = prepare_import(campaign_id, path, column_mappings, region=region, strict=strict, **read_options)
    return run_import(plan, progress, should_cancel, dry_run=dry_run)
