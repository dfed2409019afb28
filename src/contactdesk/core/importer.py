"""Put the contacts of a CSV file into a campaign: prepare (validate), then run.

``prepare_import`` is pure: it reads the head of the file, resolves the mapping and
returns a plan (with the failure, if any). ``run_import`` does the work in ONE
transaction: it deletes the campaign's pending and skipped contacts, inserts the
file's rows (a number already in the campaign is skipped; the first occurrence wins)
and records an ImportRun. Any failure, a cancel, or a dry run rolls everything back.
"""

import hashlib
from collections import Counter
import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from json.encoder import encode_basestring as encode_json_string
from pathlib import Path

from ..store.backup import BackupError, backup_database
from ..store.models import HISTORY_STATUSES, PENDING, REPLACEABLE_STATUSES, Campaign, db
from .csvfile import CsvFileError, CsvFormat, CsvReader, sniff
from .mapping import COMPANY, EMAIL, NAME, ColumnMapping, MappingError, resolve_mapping
from .phone import DEFAULT_REGION, PhoneNormalizer, is_supported_region
from .result import (
    BAD_REQUEST,
    CANCELLED,
    ERRORS_SHOWN,
    FAILED,
    NOT_FOUND,
    ImportFailure,
    ImportResult,
    RowError,
)

log = logging.getLogger(__name__)

BATCH_ROWS = 2000
PROGRESS_EVERY_ROWS = 2000  # how often the progress callback and the cancel check run
MAX_ERROR_VALUE = 200
IMPORT_CACHE_KIB = -64_000  # negative: KiB, as SQLite reads it

# progress(rows_done, bytes_done, bytes_total)
ProgressCallback = Callable[[int, int, int], None]
CancelCheck = Callable[[], bool]

_INSERT_SQL = (
    "INSERT OR IGNORE INTO contact (campaign_id, phone_number, phone_raw, name, email, company,"
    " variables, status, source_row, import_run_id, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


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
    plan = ImportPlan(campaign_id=campaign_id, path=Path(path), region=(region or DEFAULT_REGION).upper(), strict=strict)
    try:
        if not is_supported_region(plan.region):
            raise ImportFailure(BAD_REQUEST, f"Unknown country code for phone numbers: {region!r}.")
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


def _file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class _Counts:
    def __init__(self):
        self.rows = 0
        self.inserted = 0
        self.in_file = 0
        self.in_campaign = 0
        self.invalid = 0
        self.unassigned = 0
        self.extensions = 0
        self.errors: list[RowError] = []


class _ImportRun:
    """One execution of a plan on the calling thread's connection."""

    def __init__(self, plan: ImportPlan, progress, should_cancel, dry_run: bool):
        self.plan = plan
        self.progress = progress
        self.should_cancel = should_cancel
        self.dry_run = dry_run
        self.counts = _Counts()
        self.conn: sqlite3.Connection = db.connection()
        self.stamp = datetime.now().astimezone().replace(tzinfo=None).isoformat(sep=" ")
        self.history_count = 0
        self.truncated: tuple[int, int | None] = (0, None)  # rows with more values than columns, the first
        self.backup: Path | None = None

    def execute(self) -> ImportResult:
        plan, conn = self.plan, self.conn
        started = time.monotonic()
        file_size = plan.path.stat().st_size
        digest = _file_digest(plan.path)
        if not self.dry_run and self._has_replaceable_contacts():
            # The import is about to delete pending contacts: keep a copy to go back to.
            try:
                self.backup = backup_database("before-import")
            except BackupError as exc:
                raise ImportFailure(FAILED, f"Import failed: {exc} Nothing was changed.") from None
        previous_cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        # A bigger page cache keeps the (campaign, phone) index in memory while rows go in
        # in file order, which is random order for that index.
        conn.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM campaign WHERE id = ?", (plan.campaign_id,)).fetchone() is None:
                raise ImportFailure(NOT_FOUND, f"Campaign {plan.campaign_id} was not found; it may have been deleted.")
            removed = conn.execute(
                f"DELETE FROM contact WHERE campaign_id = ? AND status IN ({_placeholders(REPLACEABLE_STATUSES)})",
                (plan.campaign_id, *REPLACEABLE_STATUSES),
            ).rowcount
            self.history_count = conn.execute(
                "SELECT count(*) FROM contact WHERE campaign_id = ?", (plan.campaign_id,)
            ).fetchone()[0]
            run_id = conn.execute(
                "INSERT INTO import_run (campaign_id, file_name, file_size, file_sha256, started_at,"
                " mapping_json, region, strict, rows_read, imported_count, skipped_duplicates, invalid_count,"
                " removed_count, total_contacts, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 'running')",
                (
                    plan.campaign_id, plan.file_name, file_size, digest, self.stamp,
                    json.dumps(plan.mapping.as_json_dict(), ensure_ascii=False), plan.region, int(plan.strict),
                ),
            ).lastrowid
            decode_fallbacks = self._insert_rows(run_id)
            counts = self.counts
            if counts.inserted == 0 and counts.invalid > 0 and counts.in_campaign == 0:
                raise ImportFailure(
                    BAD_REQUEST,
                    f"None of the {counts.rows:,} rows has a usable phone number in column "
                    f"{plan.mapping.headers[plan.mapping.phone_column]!r}; nothing was changed."
                    + _common_reason(counts.errors),
                )
            total = conn.execute("SELECT count(*) FROM contact WHERE campaign_id = ?", (plan.campaign_id,)).fetchone()[0]
            conn.execute(
                "UPDATE import_run SET finished_at = ?, rows_read = ?, imported_count = ?, skipped_duplicates = ?,"
                " invalid_count = ?, removed_count = ?, total_contacts = ?, variables_json = ?, outcome = 'success'"
                " WHERE id = ?",
                (
                    datetime.now().astimezone().replace(tzinfo=None).isoformat(sep=" "), counts.rows,
                    counts.inserted, counts.in_file + counts.in_campaign, counts.invalid, removed, total,
                    json.dumps(self._variable_names(), ensure_ascii=False), run_id,
                ),
            )
            conn.execute("ROLLBACK" if self.dry_run else "COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if self.backup is not None:  # nothing changed: the copy would only be clutter
                self.backup.unlink(missing_ok=True)
            raise
        finally:
            conn.execute(f"PRAGMA cache_size = {previous_cache}")
        return self._result(removed, total, run_id, decode_fallbacks, time.monotonic() - started)

    def _variable_names(self) -> list[str]:
        names = [name for _, name in self.plan.mapping.variable_columns()]
        if self.counts.extensions and "extension" not in names:
            names.append("extension")
        return names

    def _has_replaceable_contacts(self) -> bool:
        return self.conn.execute(
            f"SELECT 1 FROM contact WHERE campaign_id = ? AND status IN ({_placeholders(REPLACEABLE_STATUSES)}) LIMIT 1",
            (self.plan.campaign_id, *REPLACEABLE_STATUSES),
        ).fetchone() is not None

    def _insert_rows(self, run_id: int) -> int:
        plan, counts = self.plan, self.counts
        mapping = plan.mapping
        normalize = PhoneNormalizer(plan.region, plan.strict).normalize
        phone_col = mapping.phone_column
        phone_header = mapping.headers[phone_col]
        name_col, email_col, company_col = (mapping.column_of(f) for f in (NAME, EMAIL, COMPANY))
        name_parts = mapping.name_parts
        # Variables JSON is assembled from pre-encoded keys: json.dumps per row costs 4x more.
        variable_cols = [(col, encode_json_string(name) + ":") for col, name in mapping.variable_columns()]
        extension_free = "extension" not in {name for _, name in mapping.variable_columns()}
        extension_key = encode_json_string("extension") + ":"
        campaign_id, stamp = plan.campaign_id, self.stamp
        batch: list[tuple] = []
        errors = counts.errors
        next_report = PROGRESS_EVERY_ROWS
        with CsvReader(plan.path, plan.format) as reader:
            for row_number, fields in reader:
                counts.rows += 1
                if counts.rows >= next_report:
                    next_report += PROGRESS_EVERY_ROWS
                    self._checkpoint(reader)
                raw = fields[phone_col]
                phone = normalize(raw)
                if phone.e164 is None:
                    counts.invalid += 1
                    if len(errors) < ERRORS_SHOWN:
                        errors.append(RowError(row_number, phone_header, raw[:MAX_ERROR_VALUE], phone.reason))
                    continue
                if not phone.assigned:
                    counts.unassigned += 1
                parts = [key + encode_json_string(fields[col]) for col, key in variable_cols if fields[col]]
                if phone.extension and extension_free:
                    parts.append(extension_key + encode_json_string(phone.extension))
                    counts.extensions += 1
                batch.append((
                    campaign_id, phone.e164, raw,
                    fields[name_col] if name_col is not None
                    else " ".join(fields[col] for col in name_parts if fields[col]) if name_parts else "",
                    fields[email_col] if email_col is not None else "",
                    fields[company_col] if company_col is not None else "",
                    "{" + ",".join(parts) + "}" if parts else "{}",
                    PENDING, row_number, run_id, stamp, stamp,
                ))
                if len(batch) >= BATCH_ROWS:
                    self._flush(batch)
                    batch = []
            self._flush(batch)
            self._checkpoint(reader)
            self.truncated = (reader.truncated_rows, reader.first_truncated_row)
            return reader.decode_fallbacks

    def _checkpoint(self, reader: CsvReader) -> None:
        if self.should_cancel is not None and self.should_cancel():
            raise ImportCancelled()
        if self.progress is not None:
            self.progress(self.counts.rows, reader.bytes_read, reader.bytes_total)

    def _flush(self, batch: list[tuple]) -> None:
        if not batch:
            return
        counts = self.counts
        if self.history_count:
            # Numbers kept as call history (completed/failed) are skipped, and counted apart
            # from repeats within the file.
            numbers = list({row[1] for row in batch})
            kept: set[str] = set()
            for start in range(0, len(numbers), 500):
                chunk = numbers[start:start + 500]
                kept.update(
                    number for (number,) in self.conn.execute(
                        f"SELECT phone_number FROM contact WHERE campaign_id = ? AND status IN"
                        f" ({_placeholders(HISTORY_STATUSES)}) AND phone_number IN ({_placeholders(chunk)})",
                        (self.plan.campaign_id, *HISTORY_STATUSES, *chunk),
                    )
                )
            if kept:
                before = len(batch)
                batch = [row for row in batch if row[1] not in kept]
                counts.in_campaign += before - len(batch)
        inserted = self.conn.executemany(_INSERT_SQL, batch).rowcount
        counts.inserted += inserted
        counts.in_file += len(batch) - inserted

    def _result(self, removed: int, total: int, run_id: int, decode_fallbacks: int, elapsed: float) -> ImportResult:
        plan, counts = self.plan, self.counts
        warnings = list(plan.warnings)
        truncated, first = self.truncated
        if truncated and not any("more values than there are columns" in w for w in warnings):
            warnings.append(f"Row {first} has more values than there are columns; the extra values are ignored"
                            f" ({truncated:,} rows like that).")
        if decode_fallbacks:
            warnings.append(
                f"{_plural(decode_fallbacks, 'character was', 'characters were')} not valid {plan.format.describe()['encoding']} "
                "and were read as Windows-1252; check names with accents."
            )
        if counts.unassigned:
            warnings.append(
                f"{_plural(counts.unassigned, 'number is', 'numbers are')} possible but not assigned to any "
                "carrier (such as 555 numbers). "
                + ("They were imported." if not self.dry_run else "They will be imported.")
                + " Turn on strict validation to reject them."
            )
        skipped = counts.in_file + counts.in_campaign
        return ImportResult(
            success=True,
            message=_success_message(plan, counts, skipped, removed, self.dry_run),
            imported_count=counts.inserted,
            total_contacts=total,
            file_name=plan.file_name,
            import_date=_now_iso(),
            campaign_id=plan.campaign_id,
            dry_run=self.dry_run,
            rows_read=counts.rows,
            skipped_duplicates=skipped,
            duplicates_in_file=counts.in_file,
            duplicates_in_campaign=counts.in_campaign,
            invalid_count=counts.invalid,
            removed_count=removed,
            kept_count=self.history_count,
            unassigned_count=counts.unassigned,
            warnings=warnings,
            errors=counts.errors,
            error_count=counts.invalid,
            detected=plan.format.describe(),
            mapping=plan.mapping.as_json_dict(),
            import_id=None if self.dry_run else run_id,
            elapsed_seconds=round(elapsed, 3),
        )


def _common_reason(errors) -> str:
    if not errors:
        return ""
    reason, _ = Counter(e.reason for e in errors).most_common(1)[0]
    first = next(e for e in errors if e.reason == reason)
    return f" Most common problem: {reason} (row {first.row}: {first.value[:40]!r})."


def _placeholders(values) -> str:
    return ", ".join("?" * len(values))


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _success_message(plan: ImportPlan, counts: _Counts, skipped: int, removed: int, dry_run: bool) -> str:
    verb = "Ready to import" if dry_run else "Imported"
    parts = [f"{verb} {_plural(counts.inserted, 'contact')} from {plan.file_name} into {plan.campaign_name!r}."]
    details = []
    if skipped:
        details.append(f"{_plural(skipped, 'duplicate')} skipped")
    if counts.invalid:
        details.append(f"{_plural(counts.invalid, 'row')} with an invalid phone number")
    if removed:
        details.append(f"{_plural(removed, 'earlier pending or skipped contact')} {'will be ' if dry_run else ''}replaced")
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


def import_file(campaign_id: int, path, column_mappings=None, *, region=DEFAULT_REGION, strict=False,
                dry_run=False, progress=None, should_cancel=None, **read_options) -> ImportResult:
    """Prepare and run in one call (the CLI's path)."""
    plan = prepare_import(campaign_id, path, column_mappings, region=region, strict=strict, **read_options)
    return run_import(plan, progress, should_cancel, dry_run=dry_run)
