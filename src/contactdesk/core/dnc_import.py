"""Import a do-not-call list: a registry file of one number per line, or a CSV with a phone column.

National registries deliver one 10-digit number per line, often zipped, millions of lines
per area code. Those lines are found with one regular expression per chunk of the file and
written in large upsert statements, all in one transaction; a line the fast path does not
recognise goes through the phone normalizer like any contact's number. A CSV file's phone
column is found exactly as a contact import finds it.
"""

import os
import re
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..store import dnc as dnc_store
from ..store.connection import is_read_only, read_only_message
from ..store.models import local_now, local_now_text
from ..store.transaction import database_failures, write_transaction
from .csv_reader import CsvFileError, CsvReader, sniff
from .dnc import LIST, DncError, check_campaign, expiry_for, normalizer
from .mapping import MappingError, resolve_mapping
from .phone import DEFAULT_REGION
from .result import ERRORS_SHOWN
from .wording import plural

CHUNK_BYTES = 4 << 20
SNIFF_BYTES = 64 << 10
# A registry line: a 10-digit North American number (optionally with its leading 1).
_NANP_LINE = re.compile(rb"^[ \t]*1?([2-9][0-9]{2}[2-9][0-9]{6})[ \t]*\r?$", re.MULTILINE)
_NONBLANK_LINE = re.compile(rb"^[ \t]*[^\s]", re.MULTILINE)
_NUMBER_ONLY_LINE = re.compile(r"^\s*\+?[\d\s().\-]+\s*$")

ProgressCallback = Callable[[int, int, int], None]  # (numbers, bytes done, bytes total)


class ListCancelled(Exception):
    pass


@dataclass
class ListImportResult:
    success: bool
    message: str
    file_name: str = ""
    format: str = ""  # "lines" or "csv"
    scope: str = "all"
    lines_read: int = 0
    added_count: int = 0  # numbers written (new or refreshed)
    new_count: int = 0  # numbers that were not on the list before
    invalid_count: int = 0
    invalid: list[dict] = field(default_factory=list)  # row, value, reason (the first 1,000)
    marked_contacts: int = 0  # pending contacts set to do_not_call
    elapsed_seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def import_list(
    path: str | os.PathLike,
    *,
    campaign_id: int | None = None,
    region: str = DEFAULT_REGION,
    progress: ProgressCallback | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> ListImportResult:
    """Put every number of the file on the list (for all campaigns, or one); never raises for a bad file."""
    path = Path(path)
    started = time.monotonic()
    result = ListImportResult(
        False, "", file_name=path.name, scope="all" if campaign_id is None else f"campaign {campaign_id}"
    )
    if is_read_only():
        result.message = f"{read_only_message()} The do-not-call list was not changed."
        return result
    try:
        normalize = normalizer(region).normalize
        check_campaign(campaign_id)
        with _unzipped(path) as readable:
            result.format = "lines" if _is_number_per_line(readable) else "csv"
            numbers = (
                _lines(readable, region, normalize, result)
                if result.format == "lines"
                else _csv(readable, region, normalize, result)
            )
            _write(numbers, campaign_id, path.name, result, progress, should_cancel, readable.stat().st_size)
    except DncError as exc:
        result.message = str(exc)
        return result
    except ListCancelled:
        result.message = "Cancelled; the do-not-call list was not changed."
        return result
    except (CsvFileError, MappingError, zipfile.BadZipFile) as exc:
        result.message = f"{path.name}: {exc} The do-not-call list was not changed."
        return result
    except (OSError, *database_failures()) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        result.message = f"{path.name} could not be imported: {reason}. The do-not-call list was not changed."
        return result
    result.success = True
    result.elapsed_seconds = round(time.monotonic() - started, 3)
    result.message = (
        f"Added {plural(result.new_count, 'new number')} from {path.name} to the do-not-call list"
        + (" for all campaigns" if campaign_id is None else f" for campaign {campaign_id}")
        + (f"; {plural(result.invalid_count, 'line')} without a usable number" if result.invalid_count else "")
        + (
            f"; {plural(result.marked_contacts, 'pending contact')} marked do not call"
            if result.marked_contacts
            else ""
        )
        + "."
    )
    return result


@dataclass
class ListPreview:
    """What a list file holds, read from its head, before anything is imported."""

    file_name: str
    ok: bool
    message: str = ""
    format: str = ""  # "lines" or "csv"
    phone_column: str = ""  # a CSV's phone column
    numbers: list[str] = field(default_factory=list)  # the first numbers, as they will be listed
    zipped_member: str = ""


def preview_list(path: str | os.PathLike, region: str = DEFAULT_REGION, count: int = 8) -> ListPreview:
    """The format and first numbers of a list file; never raises for a bad file."""
    path = Path(path)
    preview = ListPreview(path.name, False)
    try:
        normalize = normalizer(region).normalize
        with _unzipped(path) as readable:
            if readable != path:
                preview.zipped_member = readable.name
            preview.format = "lines" if _is_number_per_line(readable) else "csv"
            if preview.format == "csv":
                sniffed, mapping = _sniff_phone_column(readable, region)
                preview.phone_column = mapping.headers[mapping.phone_column]
                values = [row[mapping.phone_column] for row in sniffed.sample_rows]
            else:
                with readable.open("rb") as handle:
                    head = handle.read(SNIFF_BYTES).decode("utf-8", "replace").splitlines()
                values = [line.strip() for line in head if line.strip()]
            for value in values:
                phone = normalize(value)
                preview.numbers.append(phone.e164 or f"{value} (not a number)")
                if len(preview.numbers) >= count:
                    break
    except (DncError, CsvFileError, MappingError, zipfile.BadZipFile) as exc:
        preview.message = f"{path.name}: {exc}"
        return preview
    except OSError as exc:
        preview.message = f"{path.name} cannot be read: {exc.strerror or exc}."
        return preview
    preview.ok = True
    return preview


@contextmanager
def _unzipped(path: Path) -> Iterator[Path]:
    """The file itself, or the largest file inside it when it is a zip archive."""
    if not zipfile.is_zipfile(path):
        yield path
        return
    with zipfile.ZipFile(path) as archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if not members:
            raise DncError(f"{path.name} is an empty zip archive.")
        biggest = max(members, key=lambda info: info.file_size)
        with tempfile.TemporaryDirectory(prefix="contactdesk-dnc-") as folder:
            target = Path(folder) / Path(biggest.filename).name
            with archive.open(biggest) as source, target.open("wb") as out:
                while chunk := source.read(CHUNK_BYTES):
                    out.write(chunk)
            yield target


def _is_number_per_line(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    text = head.decode("latin-1")
    lines = [line for line in text.splitlines()[:-1] or text.splitlines() if line.strip()]
    return bool(lines) and all(_NUMBER_ONLY_LINE.match(line) for line in lines)


def _note_invalid(result: ListImportResult, row: int, value: str, reason: str | None) -> None:
    result.invalid_count += 1
    if len(result.invalid) < ERRORS_SHOWN:
        result.invalid.append({"row": row, "value": value, "reason": reason or "not a phone number"})


def _lines(path: Path, region: str, normalize, result: ListImportResult) -> Iterator[tuple[list[str], int]]:
    """Batches of E.164 numbers, with the bytes read so far."""
    fast = region.upper() in ("US", "CA")
    done, line_number, carry = 0, 0, b""
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(CHUNK_BYTES)
            data = carry + chunk
            if chunk:
                cut = data.rfind(b"\n") + 1
                data, carry = data[:cut], data[cut:]
            else:
                carry = b""
            if not data:
                if not chunk:
                    break
                continue
            done += len(data)
            lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
            found = _NANP_LINE.findall(data) if fast else []
            nonblank = len(_NONBLANK_LINE.findall(data))
            if fast and len(found) == nonblank:
                result.lines_read += len(found)
                line_number += lines
                yield [f"+1{digits.decode()}" for digits in found], done
            else:
                numbers = []
                for raw_line in data.splitlines():
                    line_number += 1
                    text = raw_line.decode("utf-8", "replace").strip()
                    if not text:
                        continue
                    result.lines_read += 1
                    phone = normalize(text)
                    if phone.e164 is None:
                        _note_invalid(result, line_number, text, phone.reason)
                    else:
                        numbers.append(phone.e164)
                yield numbers, done
            if not chunk:
                break


def _sniff_phone_column(path: Path, region: str):
    """How a CSV list file is written, and its columns as detected (the phone column among them)."""
    sniffed = sniff(path)
    mapping = resolve_mapping(
        sniffed.headers, None, has_header=sniffed.format.has_header, sample_rows=sniffed.sample_rows, region=region
    )
    return sniffed, mapping


def _csv(path: Path, region: str, normalize, result: ListImportResult) -> Iterator[tuple[list[str], int]]:
    sniffed, mapping = _sniff_phone_column(path, region)
    column = mapping.phone_column
    with CsvReader(path, sniffed.format) as reader:
        numbers: list[str] = []
        for row, values in reader:
            result.lines_read += 1
            phone = normalize(values[column])
            if phone.e164 is None:
                _note_invalid(result, row, values[column], phone.reason)
            else:
                numbers.append(phone.e164)
            if len(numbers) >= 20_000:
                yield numbers, reader.bytes_read
                numbers = []
        yield numbers, reader.bytes_read


def _write(numbers, campaign_id, source, result, progress, should_cancel, total_bytes) -> None:
    added = local_now()
    details = dnc_store.EntryDetails(campaign_id, LIST, source, "", added.isoformat(sep=" "), expiry_for(LIST, added))
    with write_transaction() as conn:
        per_statement = dnc_store.rows_per_statement(conn)
        before = dnc_store.count_entries(conn)
        for batch, done in numbers:
            for start in range(0, len(batch), per_statement):
                result.added_count += dnc_store.upsert_batch(conn, batch[start : start + per_statement], details)
            if should_cancel is not None and should_cancel():
                raise ListCancelled()
            if progress is not None:
                progress(result.added_count, done, total_bytes)
        result.new_count = dnc_store.count_entries(conn) - before
        dnc_store.record_list_import(conn, source, campaign_id, details.added_at, result.added_count, result.new_count)
        result.marked_contacts = dnc_store.mark_all_listed_pending(conn, local_now_text(), local_now_text())
