"""Turn the rows of a CSV file into contact values, ready to insert, with the counts of what was read."""

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from json.encoder import encode_basestring as encode_json_string
from operator import itemgetter

from ..store.search import fold_contact
from .csv_reader import MAX_VALUE_CHARS, CsvFormat, CsvReader, FileChangedError
from .mapping import COMPANY, EMAIL, NAME, POSTAL_CODE, STATE, TIME_ZONE, ColumnMapping
from .phone import PhoneNormalizer
from .result import ERRORS_SHOWN, RowError
from .timezones import SHORTEST_PREFIX, LocationIds, LocationResolver

MAX_ERROR_VALUE = 200


def _too_long_reason(length: int, header: str) -> str:
    size = f"{length / 1_000_000:,.0f} MB" if length >= 1_000_000 else f"{length:,} characters"
    return f"a value of {size} in column {header} (values are limited to {MAX_VALUE_CHARS // 1_000_000} MB)"


@dataclass
class ReadStats:
    """Counts kept by the reading side (which may run on another thread; plain ints only)."""

    rows: int = 0
    invalid: int = 0
    unassigned: int = 0
    extensions: int = 0
    errors: list[RowError] = field(default_factory=list)
    bytes_read: int = 0
    bytes_total: int = 0
    truncated_rows: int = 0
    first_truncated_row: int | None = None
    decode_fallbacks: int = 0
    sha256: str = ""  # of the whole file, once every row has been read
    nameless: int = 0  # rows read with a phone number but an empty name (while the file has name columns)
    footer_lines: list[tuple[int, str]] = field(default_factory=list)  # (row, text) of notes after the data

    def notes(self) -> list[str]:
        """What the reading noticed that a person should be told once, in plain words."""
        notes = []
        if self.footer_lines:
            rows = ", ".join(str(row) for row, _ in self.footer_lines[:5])
            first = self.footer_lines[0][1][:60]
            lines = "line" if len(self.footer_lines) == 1 else "lines"
            notes.append(f"Skipped {len(self.footer_lines)} {lines} after the contacts (row {rows}: {first!r}).")
        if self.nameless:
            notes.append(
                f"{self.nameless:,} contact{'s' if self.nameless != 1 else ''} without a name "
                "(the name columns are empty there); they are imported with an empty name."
            )
        return notes


# What encode_json_string escapes: a value without any of these is its JSON string between quotes.
_needs_escaping = re.compile(r'[\x00-\x1f\\"]').search

_MAX_FOOTER_LINES = 5
_TOTAL_WORDS = ("total", "totals", "sum", "summe", "gesamt", "totaal", "totale", "suma", "somme")


def _is_note_line(fields: list[str], phone_col: int) -> bool:
    """A line that is no contact: at most one filled cell that is not a number in the phone column
    ("3 record(s) downloaded", a single-cell note), or a totals line."""
    if len(fields) - fields.count("") <= 1:
        value = fields[phone_col]
        return not (value and sum(ch.isdigit() for ch in value) * 2 >= len(value))
    first_filled = fields[0] or next(filter(None, fields))
    return first_filled.casefold().rstrip(":").startswith(_TOTAL_WORDS)


def _values_at(columns: list[int]) -> Callable[[list[str]], tuple[str, ...]] | None:
    """A function giving a row's values in ``columns`` as a tuple, taken in C (itemgetter)."""
    if not columns:
        return None
    if len(columns) == 1:
        (column,) = columns
        return lambda fields: (fields[column],)
    return itemgetter(*columns)


# The values of a row: phone_number, phone_raw, name, email, company, variables JSON,
# location_id, search_text, source_row (store/contact_import.py's COLUMNS).
ROW_WIDTH = 9


class ContactRows:
    """Each batch is one flat list of its rows' values, ROW_WIDTH per row: the list the insert
    binds (a tuple per row, then a flat copy, cost the reading thread 5 % more)."""

    def __init__(
        self,
        path,
        fmt: CsvFormat,
        mapping: ColumnMapping,
        normalizer: PhoneNormalizer,
        batch_rows: int,
        location_ids: LocationIds | None = None,
    ):
        self.path, self.format, self.mapping = path, fmt, mapping
        self.normalize = normalizer.normalize
        self.batch_rows = batch_rows
        self.stats = ReadStats()
        self.locations = LocationResolver()
        self.location_ids = location_ids or LocationIds()  # its .new: rows the location table needs

    def batches(self) -> Iterator[list[tuple]]:
        mapping, stats = self.mapping, self.stats
        normalize = self.normalize
        phone_col = mapping.phone_column
        phone_header = mapping.headers[phone_col]
        name_col, email_col, company_col = (mapping.column_of(f) for f in (NAME, EMAIL, COMPANY))
        name_parts = mapping.name_parts
        # Variables JSON is assembled from pre-encoded keys: json.dumps per row costs 4x more.
        variable_cols = [(col, encode_json_string(name) + ":") for col, name in mapping.variable_columns()]
        variable_keys = [key for _, key in variable_cols]
        # Every value present (the common case): the row's JSON is one format of the encoded values.
        variables_template = "{" + ",".join(key.replace("%", "%%") + "%s" for key in variable_keys) + "}"
        # and when no value needs escaping in JSON (most files), the values are put between quotes as they are.
        quoted_template = "{" + ",".join(key.replace("%", "%%") + '"%s"' for key in variable_keys) + "}"
        variable_values = _values_at([col for col, _ in variable_cols])
        # One variable column (a country, a plan): formatted without a tuple per row.
        single_variable = variable_cols[0][0] if len(variable_cols) == 1 else None
        extension_free = "extension" not in {name for _, name in mapping.variable_columns()}
        extension_key = encode_json_string("extension") + ":"
        errors = stats.errors
        # Location: a dict look-up by number prefix per row; the file's own columns, when mapped, win.
        locate_with_prefix = self.locations.numbers.locate_with_prefix
        id_of = self.location_ids.id_of
        id_by_prefix: dict[str, int | None] = {}  # prefixes of SHORTEST_PREFIX characters that decide
        unseen = object()
        location_columns = [mapping.column_of(f) for f in (TIME_ZONE, POSTAL_CODE, STATE)]
        location_mask = [col is not None for col in location_columns]
        location_values = (
            _values_at([col if col is not None else phone_col for col in location_columns])
            if any(location_mask)
            else None
        )
        resolve = self.locations.resolve
        batch: list = []  # the batch's rows one after the other, ROW_WIDTH values each
        batch_values = self.batch_rows * ROW_WIDTH
        rows = 0
        nameless = 0
        has_names = name_col is not None or bool(name_parts)
        # Lines that look like notes are held back: after the last contact they are a footer (skipped),
        # before another contact they are ordinary invalid rows.
        held: list[tuple[int, str, str, str]] = []

        def release_held() -> None:
            for held_row, held_raw, held_reason, _ in held:
                stats.invalid += 1
                if len(errors) < ERRORS_SHOWN:
                    errors.append(RowError(held_row, phone_header, held_raw[:MAX_ERROR_VALUE], held_reason))
            held.clear()

        digest = hashlib.sha256()
        with CsvReader(self.path, self.format, hasher=digest) as reader:
            stats.bytes_total = reader.bytes_total
            for row_number, fields in reader:
                rows += 1
                raw = fields[phone_col]
                e164, extension, reason, assigned = normalize(raw)
                if e164 is None:
                    if _is_note_line(fields, phone_col):
                        held.append(
                            (row_number, raw, reason, next(value for value in fields if value) if any(fields) else "")
                        )
                        continue
                    if held:
                        release_held()
                    stats.invalid += 1
                    if len(errors) < ERRORS_SHOWN:
                        errors.append(RowError(row_number, phone_header, raw[:MAX_ERROR_VALUE], reason))
                    continue
                if held:
                    release_held()
                if not assigned:
                    stats.unassigned += 1
                if variable_values is None:
                    variables = "{}"
                    if extension and extension_free:
                        variables = "{" + extension_key + encode_json_string(extension) + "}"
                        stats.extensions += 1
                elif single_variable is not None and fields[single_variable] and not (extension and extension_free):
                    variables = variables_template % encode_json_string(fields[single_variable])
                else:
                    values = variable_values(fields)
                    if all(values):
                        if _needs_escaping("".join(values)):
                            variables = variables_template % tuple(map(encode_json_string, values))
                        else:
                            variables = quoted_template % values
                        if extension and extension_free:
                            variables = f"{variables[:-1]},{extension_key}{encode_json_string(extension)}}}"
                            stats.extensions += 1
                    else:
                        parts = [key + encode_json_string(value) for key, value in zip(variable_keys, values) if value]
                        if extension and extension_free:
                            parts.append(extension_key + encode_json_string(extension))
                            stats.extensions += 1
                        variables = "{" + ",".join(parts) + "}" if parts else "{}"
                if location_values is None:
                    location_id = id_by_prefix.get(e164[:SHORTEST_PREFIX], unseen)
                    if location_id is unseen:  # a new prefix, or one that a longer prefix decides
                        prefix, location = locate_with_prefix(e164)
                        location_id = id_of(location)
                        if len(prefix) == SHORTEST_PREFIX:
                            id_by_prefix[prefix] = location_id
                else:
                    values = location_values(fields)
                    location_id = id_of(
                        resolve(e164, *(value if used else "" for value, used in zip(values, location_mask)))
                    )
                # The full name wins; where it is empty, first and last name make it; nothing is invented.
                name = fields[name_col] if name_col is not None else ""
                if not name and name_parts:
                    name = " ".join(fields[col] for col in name_parts if fields[col])
                if not name and has_names:
                    nameless += 1
                email = fields[email_col] if email_col is not None else ""
                company = fields[company_col] if company_col is not None else ""
                # Folded for search only when not plain ASCII (see store/search.py): a str check per row,
                # instead of a second pass over the new contacts in SQLite.
                text = name + email + company
                batch.extend(
                    (
                        e164,
                        raw,
                        name,
                        email,
                        company,
                        variables,
                        location_id,
                        "" if text.isascii() else fold_contact(name, email, company),
                        row_number,
                    )
                )
                if len(batch) >= batch_values:
                    stats.rows, stats.bytes_read = rows, reader.bytes_read
                    yield batch
                    batch = []
            if held and (len(held) == rows or len(held) > _MAX_FOOTER_LINES):
                release_held()  # no contact before them, or too many to be a footer: ordinary invalid rows
            stats.footer_lines = [(row, text) for row, _, _, text in held]
            rows -= len(held)  # a footer is not a row of contacts
            for row_number, column, length in reader.too_long_rows:
                rows += 1
                stats.invalid += 1
                if len(errors) < ERRORS_SHOWN:
                    header = mapping.headers[column] if column < len(mapping.headers) else f"column {column + 1}"
                    errors.append(RowError(row_number, header, "", _too_long_reason(length, header)))
            if reader.too_long_rows:
                errors.sort(key=lambda error: error.row)
            stats.rows, stats.bytes_read = rows, reader.bytes_read
            stats.nameless = nameless
            stats.truncated_rows, stats.first_truncated_row = reader.truncated_rows, reader.first_truncated_row
            stats.decode_fallbacks = reader.decode_fallbacks
            stats.sha256 = digest.hexdigest()
            if reader.changed_since_opened():
                raise FileChangedError()
            if batch:
                yield batch
