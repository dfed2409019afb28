"""Put the contacts of one or more CSV files into a campaign: run a plan (see import_plan.py).

``run_import`` executes an ``ImportPlan`` in ONE transaction: unless the plan
keeps them, it deletes the campaign's pending and skipped contacts; it inserts the files'
rows in order (a number already in the campaign or in an earlier row or file is skipped:
the first occurrence wins) and records an ImportRun per file. Any failure, a cancel, or
a dry run rolls everything back.
"""

import json
import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ..store import contact_import, import_runs
from ..store.backup import BackupError, BackupInProgress, keeps_copies, prune_automatic
from ..store.bulk_settings import bulk_write_settings
from ..store.claims import default_caller
from ..store.locations import add_locations, known_locations
from ..store.models import REPLACE, local_now, local_now_text
from ..store.pg_import import ImportRunning
from ..store.transaction import Connection, connection, database_failures, is_busy, is_disk_full, write_transaction
from . import batch_insert, suppression
from .contact_rows import ROW_WIDTH, ContactRows, ReadStats
from .csv_reader import CsvFileError, FileChangedError
from .import_plan import ImportPlan, SourcePlan, prepare_import
from .phone import DEFAULT_REGION, PhoneNormalizer
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
from .timezones import LocationIds
from .wording import plural, quoted

log = logging.getLogger(__name__)

# progress(rows_done, bytes_done, bytes_total)
ProgressCallback = Callable[[int, int, int], None]
CancelCheck = Callable[[], bool]


class ImportCancelled(Exception):
    pass


def _failed(plan: ImportPlan, status: int, message: str, dry_run: bool = False) -> ImportResult:
    return ImportResult(
        success=False,
        message=message,
        status=status,
        file_name=plan.file_name,
        campaign_id=plan.campaign_id,
        import_date=_now_iso(),
        dry_run=dry_run,
        mode=plan.mode,
        detected=plan.format.describe() if plan.format else {},
        mapping=plan.mapping.as_json_dict() if plan.mapping else {},
        warnings=list(plan.warnings),
    )


def _now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class _WriteCounts:
    def __init__(self):
        self.inserted = 0
        self.in_file = 0
        self.in_campaign = 0
        self.suppressed = 0


class _SourceRun:
    """The reading side and the counts of one file of the import."""

    def __init__(self, source: SourcePlan, normalizer: PhoneNormalizer, batch_rows: int):
        self.source = source
        self.rows = ContactRows(source.path, source.format, source.mapping, normalizer, batch_rows)
        self.read: ReadStats = self.rows.stats
        self.counts = _WriteCounts()
        self.run_id: int | None = None
        self.suppression: suppression.Suppression | None = None


class _ImportRun:
    """One execution of a plan on the calling thread's connection."""

    def __init__(self, plan: ImportPlan, progress, should_cancel, dry_run: bool, caller: str):
        self.plan = plan
        self.caller = caller
        self.progress = progress
        self.should_cancel = should_cancel
        self.dry_run = dry_run
        self.conn: Connection = connection()
        # Rows per INSERT statement; also how often progress and cancel are checked.
        self.batch_rows = contact_import.rows_per_statement(self.conn)
        normalizer = PhoneNormalizer(plan.region, plan.strict)
        self.files = [_SourceRun(source, normalizer, self.batch_rows) for source in plan.sources]
        for file in self.files:
            file.suppression = suppression.Suppression(self.conn, plan.campaign_id, file.source.mapping)
        started = local_now()
        self.stamp = started.isoformat(sep=" ")  # the runs': the files of one import share it (store/archive.py)
        # The contacts' in whole seconds: each carries it twice, and at a million contacts the
        # microseconds alone are 28 MB more for the import to write (twice, with the WAL).
        self.contact_stamp = started.isoformat(sep=" ", timespec="seconds")
        self.history_count = 0
        self.claimed_kept = 0
        self.existing_max_id = 0
        self.backup: Path | None = None
        self._backup_job: BackupInProgress | None = None
        self._bytes_total = 0
        self._bytes_before = 0  # of the files already read
        self._reading = self.files[0]  # the file being read now

    def execute(self) -> ImportResult:
        conn = self.conn
        started = time.monotonic()
        if (
            not self.dry_run
            and not self.plan.keep_pending
            and keeps_copies()
            and contact_import.has_replaceable(conn, self.plan.campaign_id)
        ):
            # The import is about to delete pending contacts: keep a copy to go back to. It is
            # written while the import runs, from the database as it is now (see _finish_backup).
            try:
                # Older copies are pruned only once this import has succeeded: a failed one keeps them all.
                self._backup_job = BackupInProgress("before-import", prune=False)
            except BackupError as exc:
                raise ImportFailure(FAILED, f"Import failed: {exc} Nothing was changed.") from None
        try:
            with bulk_write_settings(conn):
                removed, total = self._transaction()
        except BaseException:
            # Nothing changed: the copy would only be clutter.
            if self._backup_job is not None:
                self._backup_job.abandon()
            if self.backup is not None:
                self.backup.unlink(missing_ok=True)
            raise
        if self.backup is not None:
            prune_automatic("before-import")
        return self._result(removed, total, time.monotonic() - started)

    def _transaction(self) -> tuple[int, int]:
        plan, conn = self.plan, self.conn
        with write_transaction(commit=not self.dry_run):
            try:
                contact_import.lock_campaign(conn, plan.campaign_id, self.caller)
            except ImportRunning as exc:
                raise ImportFailure(FAILED, str(exc)) from None
            if not contact_import.campaign_exists(conn, plan.campaign_id):
                raise ImportFailure(NOT_FOUND, f"Campaign {plan.campaign_id} was not found; it may have been deleted.")
            for file in self.files:  # first: a replaced contact is archived under the import's id
                self._start_file(file)
            removed = 0
            if not plan.keep_pending:
                self.claimed_kept = contact_import.count_claimed_now(conn, plan.campaign_id)
                removed = contact_import.delete_replaceable(conn, plan.campaign_id, self.files[0].run_id)
            self.history_count = contact_import.count_campaign_contacts(conn, plan.campaign_id)
            # Contacts with an id up to this one were in the campaign before this import.
            self.existing_max_id = contact_import.last_contact_id(conn)
            self._bytes_total = sum(_file_size(source.path) for source in plan.sources)
            # Locations: the reading side hands out ids; their new rows go in with the contacts.
            location_ids = LocationIds(known_locations(conn))
            for number, file in enumerate(self.files):
                file.rows.location_ids = location_ids
                file.suppression.start()
                self._import_file(file, removed if number == 0 else 0)
                self._bytes_before += file.read.bytes_total
            add_locations(conn, location_ids.new, [file.run_id for file in self.files])
            counts, read = self._counts(), self._read()
            if counts.inserted == 0 and read.invalid > 0 and counts.in_campaign == 0 and counts.suppressed == 0:
                mapping = plan.mapping
                raise ImportFailure(
                    BAD_REQUEST,
                    f"None of the {read.rows:,} rows has a usable phone number in column "
                    f"{mapping.headers[mapping.phone_column]!r}; nothing was changed." + _common_reason(read.errors),
                )
            total = contact_import.count_campaign_contacts(conn, plan.campaign_id)
            import_runs.finish_runs(conn, [file.run_id for file in self.files], local_now_text(), total)
            for file in self.files:
                file.suppression.record(file.run_id, file.counts.suppressed)
            self._finish_backup()
        return removed, total

    def _finish_backup(self) -> None:
        """Before the import commits, its copy of the database is complete; a failed copy fails it."""
        job, self._backup_job = self._backup_job, None
        if job is None:
            return
        try:
            self.backup = job.finish()
        except BackupError as exc:
            raise ImportFailure(FAILED, f"Import failed: {exc} Nothing was changed.") from None

    def _start_file(self, file: _SourceRun) -> None:
        """The file's import run, recorded as running (rolled back with everything on failure)."""
        plan, source = self.plan, file.source
        file.run_id = import_runs.start_run(
            self.conn,
            plan.campaign_id,
            file_name=source.file_name,
            file_size=source.path.stat().st_size,
            started_at=self.stamp,
            mapping_json=json.dumps(source.mapping.as_json_dict(), ensure_ascii=False),
            region=plan.region,
            strict=plan.strict,
            caller=self.caller,
            mode=plan.mode,
        )

    def _import_file(self, file: _SourceRun, removed: int) -> None:
        self._insert_rows(file)  # search_text comes with the rows (core/contact_rows.py)
        counts, read = file.counts, file.read
        import_runs.update_run(
            self.conn,
            file.run_id,
            file_sha256=read.sha256,
            rows_read=read.rows,
            imported_count=counts.inserted,
            skipped_duplicates=counts.in_file + counts.in_campaign,
            invalid_count=read.invalid,
            removed_count=removed,
            variables_json=json.dumps(self._variable_names(file), ensure_ascii=False),
        )

    def _counts(self) -> _WriteCounts:
        total = _WriteCounts()
        for file in self.files:
            total.inserted += file.counts.inserted
            total.in_file += file.counts.in_file
            total.in_campaign += file.counts.in_campaign
            total.suppressed += file.counts.suppressed
        return total

    def _read(self) -> ReadStats:
        """The read counts of all files together."""
        if len(self.files) == 1:
            return self.files[0].read
        total = ReadStats()
        for file in self.files:
            read = file.read
            total.rows += read.rows
            total.invalid += read.invalid
            total.unassigned += read.unassigned
            total.extensions += read.extensions
            total.truncated_rows += read.truncated_rows
            total.decode_fallbacks += read.decode_fallbacks
            total.errors.extend(read.errors[: ERRORS_SHOWN - len(total.errors)])
        return total

    @staticmethod
    def _variable_names(file: _SourceRun) -> list[str]:
        names = [name for _, name in file.source.mapping.variable_columns()]
        if file.read.extensions and "extension" not in names:
            names.append("extension")
        return names

    def _insert_rows(self, file: _SourceRun) -> None:
        """Insert every batch the file's reader produces, in file order (see batch_insert.py for how)."""
        target = contact_import.BatchTarget(
            campaign_id=int(self.plan.campaign_id),
            run_id=int(file.run_id),
            stamp=self.contact_stamp,
            keep_pending=self.plan.keep_pending,
            existing_max_id=int(self.existing_max_id),
            had_contacts=bool(self.history_count),
            # An earlier file of this import counts its rows in once they are in.
            empty_campaign=not self.history_count and not sum(f.counts.inserted for f in self.files),
        )
        writer = contact_import.batch_writer(self.conn, target)
        batches = batch_insert.bound_batches(file.rows.batches, self.batch_rows, ROW_WIDTH)
        counts = file.counts
        self._reading = file
        try:
            for values_of_batch, size in batches:
                in_campaign = writer.count_already_there(values_of_batch, size)
                suppressed, to_insert = file.suppression.note_batch(size, values_of_batch)
                inserted = writer.insert(to_insert, size)
                counts.inserted += inserted
                counts.in_campaign += in_campaign
                counts.suppressed += suppressed
                # Also a number from an earlier file of this import: the first file wins.
                counts.in_file += size - in_campaign - inserted - suppressed
                self._checkpoint()
        finally:
            batches.close()
        self._checkpoint()

    def _checkpoint(self) -> None:
        if self.should_cancel is not None and self.should_cancel():
            raise ImportCancelled()
        if self.progress is not None:
            rows = sum(f.read.rows for f in self.files)
            self.progress(rows, self._bytes_before + self._reading.read.bytes_read, self._bytes_total)

    def _result(self, removed: int, total: int, elapsed: float) -> ImportResult:
        plan, counts, read = self.plan, self._counts(), self._read()
        warnings = list(plan.warnings)
        for number, file in enumerate(self.files, 1):
            prefix = f"File {number} of {len(self.files)} ({file.source.file_name}): " if len(self.files) > 1 else ""
            warnings.extend(prefix + note for note in file.read.notes())
            truncated, first = file.read.truncated_rows, file.read.first_truncated_row
            if truncated and not any("more values than there are columns" in w for w in warnings):
                warnings.append(
                    f"{prefix}Row {first} has more values than there are columns; the extra values are ignored"
                    f" ({truncated:,} rows like that)."
                )
            if file.read.decode_fallbacks:
                warnings.append(
                    f"{prefix}{plural(file.read.decode_fallbacks, 'character was', 'characters were')} not valid "
                    f"{file.source.format.describe()['encoding']} and were read as Windows-1252; check names with accents."
                )
        if read.unassigned:
            warnings.append(
                f"{plural(read.unassigned, 'number is', 'numbers are')} possible but not assigned to any "
                "carrier (such as 555 numbers). "
                + ("They were imported." if not self.dry_run else "They will be imported.")
                + " Turn on strict validation to reject them."
            )
        skipped = counts.in_file + counts.in_campaign
        several = len(self.files) > 1
        errors = (
            [
                RowError(e.row, e.column, e.value, e.reason, file.source.file_name if several else "")
                for file in self.files
                for e in file.suppression.merged_errors(file.read.errors)
            ][:ERRORS_SHOWN]
            if several or counts.suppressed
            else read.errors
        )
        message = _success_message(plan, counts.inserted, read.invalid, skipped, removed, self.dry_run)
        if counts.suppressed:
            message += " " + suppression.summary(counts.suppressed, self.dry_run)
        if self.claimed_kept:
            message += " " + _claimed_kept_message(self.claimed_kept, self.dry_run)
        return ImportResult(
            success=True,
            message=message,
            imported_count=counts.inserted,
            total_contacts=total,
            file_name=plan.file_name,
            import_date=_now_iso(),
            campaign_id=plan.campaign_id,
            dry_run=self.dry_run,
            mode=plan.mode,
            rows_read=read.rows,
            skipped_duplicates=skipped,
            duplicates_in_file=counts.in_file,
            duplicates_in_campaign=counts.in_campaign,
            invalid_count=read.invalid,
            removed_count=removed,
            kept_count=self.history_count,
            claimed_kept_count=self.claimed_kept,
            unassigned_count=read.unassigned,
            warnings=warnings,
            errors=errors,
            error_count=read.invalid + counts.suppressed,
            suppressed_count=counts.suppressed,
            detected=plan.format.describe(),
            mapping=plan.mapping.as_json_dict(),
            import_id=None if self.dry_run else self.files[0].run_id,
            elapsed_seconds=round(elapsed, 3),
            backup_path=str(self.backup) if self.backup is not None else None,
            files=[self._file_summary(file) for file in self.files] if len(self.files) > 1 else [],
        )

    def _file_summary(self, file: _SourceRun) -> dict:
        return {
            "file_name": file.source.file_name,
            "rows_read": file.read.rows,
            "imported_count": file.counts.inserted,
            "skipped_duplicates": file.counts.in_file + file.counts.in_campaign,
            "invalid_count": file.read.invalid,
            "detected": file.source.format.describe(),
            "mapping": file.source.mapping.as_json_dict(),
            "import_id": None if self.dry_run else file.run_id,
        }


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _common_reason(errors) -> str:
    if not errors:
        return ""
    reason, _ = Counter(e.reason for e in errors).most_common(1)[0]
    first = next(e for e in errors if e.reason == reason)
    return f" Most common problem: {reason} (row {first.row}: {first.value[:40]!r})."


def _success_message(plan: ImportPlan, inserted: int, invalid: int, skipped: int, removed: int, dry_run: bool) -> str:
    verb = "Ready to import" if dry_run else "Imported"
    files = plan.file_name if len(plan.sources) <= 1 else f"{len(plan.sources)} files ({plan.file_name})"
    parts = [f"{verb} {plural(inserted, 'contact')} from {files} into {quoted(plan.campaign_name)}."]
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


def _claimed_kept_message(count: int, dry_run: bool) -> str:
    verb = "will be kept" if dry_run else ("was kept" if count == 1 else "were kept")
    held = "a caller holds it" if count == 1 else "callers hold them"
    return f"{plural(count, 'pending contact')} {verb}: {held} right now."


def run_import(
    plan: ImportPlan,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
    *,
    dry_run: bool = False,
    caller: str | None = None,
) -> ImportResult:
    """Execute a prepared plan. Never raises for a bad file or database trouble: it returns a result.

    ``caller``: who imports (default: the user name), named to anyone whose import into the
    same campaign is refused meanwhile."""
    if plan.failure is not None:
        return _failed(plan, plan.failure.status, plan.failure.message)
    try:
        return _ImportRun(plan, progress, should_cancel, dry_run, caller or default_caller()).execute()
    except ImportFailure as failure:
        return _failed(plan, failure.status, failure.message, dry_run)
    except ImportCancelled:
        return _failed(plan, CANCELLED, "Import cancelled; nothing was changed.", dry_run)
    except FileChangedError as exc:
        return _failed(plan, BAD_REQUEST, str(exc), dry_run)
    except CsvFileError as exc:
        return _failed(plan, BAD_REQUEST, f"{exc} Nothing was changed.", dry_run)
    except (*database_failures(), OSError) as exc:
        log.exception("import of %s failed", plan.path)
        return _failed(plan, FAILED, f"Import failed: {_describe_failure(exc)}. Nothing was changed.", dry_run)


def _describe_failure(exc: Exception) -> str:
    if is_busy(exc):
        return "the database is in use by another program"
    if is_disk_full(exc):
        return "the disk is full"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or exc.__class__.__name__


def import_file(
    campaign_id: int,
    path,
    column_targets=None,
    *,
    region=DEFAULT_REGION,
    strict=False,
    dry_run=False,
    progress=None,
    should_cancel=None,
    mode=REPLACE,
    caller=None,
    **read_options,
) -> ImportResult:
    """Prepare and run in one call (the CLI's path)."""
    plan = prepare_import(campaign_id, path, column_targets, region=region, strict=strict, mode=mode, **read_options)
    return run_import(plan, progress, should_cancel, dry_run=dry_run, caller=caller)
