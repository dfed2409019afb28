"""Turn the rows of a CSV file into contact values, ready to insert, with the counts of what was read."""

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from json.encoder import encode_basestring as encode_json_string
from operator import add, itemgetter

from .csvfile import MAX_VALUE_CHARS, CsvFormat, CsvReader, FileChangedError
from .mapping import COMPANY, EMAIL, NAME, ColumnMapping
from .phone import PhoneNormalizer
from .result import ERRORS_SHOWN, RowError

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


def _values_at(columns: list[int]) -> Callable[[list[str]], tuple[str, ...]] | None:
    """A function giving a row's values in ``columns`` as a tuple, taken in C (itemgetter)."""
    if not columns:
        return None
    if len(columns) == 1:
        (column,) = columns
        return lambda fields: (fields[column],)
    return itemgetter(*columns)


class ContactRows:
    """Each batch is a list of (phone_number, phone_raw, name, email, company, variables JSON, source_row)."""

    def __init__(self, path, fmt: CsvFormat, mapping: ColumnMapping, normalizer: PhoneNormalizer, batch_rows: int):
        self.path, self.format, self.mapping = path, fmt, mapping
        self.normalize = normalizer.normalize
        self.batch_rows = batch_rows
        self.stats = ReadStats()

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
        variable_values = _values_at([col for col, _ in variable_cols])
        extension_free = "extension" not in {name for _, name in mapping.variable_columns()}
        extension_key = encode_json_string("extension") + ":"
        errors = stats.errors
        batch: list[tuple] = []
        rows = 0
        digest = hashlib.sha256()
        with CsvReader(self.path, self.format, hasher=digest) as reader:
            stats.bytes_total = reader.bytes_total
            for row_number, fields in reader:
                rows += 1
                raw = fields[phone_col]
                e164, extension, reason, assigned = normalize(raw)
                if e164 is None:
                    stats.invalid += 1
                    if len(errors) < ERRORS_SHOWN:
                        errors.append(RowError(row_number, phone_header, raw[:MAX_ERROR_VALUE], reason))
                    continue
                if not assigned:
                    stats.unassigned += 1
                if variable_values is None:
                    parts = []
                else:
                    values = variable_values(fields)
                    if all(values):  # the common case, without a Python-level loop
                        parts = list(map(add, variable_keys, map(encode_json_string, values)))
                    else:
                        parts = [key + encode_json_string(value) for key, value in zip(variable_keys, values) if value]
                if extension and extension_free:
                    parts.append(extension_key + encode_json_string(extension))
                    stats.extensions += 1
                if name_col is not None:
                    name = fields[name_col]
                else:
                    name = " ".join(fields[col] for col in name_parts if fields[col]) if name_parts else ""
                batch.append(
                    (
                        e164,
                        raw,
                        name,
                        fields[email_col] if email_col is not None else "",
                        fields[company_col] if company_col is not None else "",
                        "{" + ",".join(parts) + "}" if parts else "{}",
                        row_number,
                    )
                )
                if len(batch) >= self.batch_rows:
                    stats.rows, stats.bytes_read = rows, reader.bytes_read
                    yield batch
                    batch = []
            for row_number, column, length in reader.too_long_rows:
                rows += 1
                stats.invalid += 1
                if len(errors) < ERRORS_SHOWN:
                    header = mapping.headers[column] if column < len(mapping.headers) else f"column {column + 1}"
                    errors.append(RowError(row_number, header, "", _too_long_reason(length, header)))
            if reader.too_long_rows:
                errors.sort(key=lambda error: error.row)
            stats.rows, stats.bytes_read = rows, reader.bytes_read
            stats.truncated_rows, stats.first_truncated_row = reader.truncated_rows, reader.first_truncated_row
            stats.decode_fallbacks = reader.decode_fallbacks
            stats.sha256 = digest.hexdigest()
            if reader.changed_since_opened():
                raise FileChangedError()
            if batch:
                yield batch
