"""Turn the rows of a CSV file into contact values, ready to insert, with the counts of what was read."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from json.encoder import encode_basestring as encode_json_string

from .csvfile import CsvFormat, CsvReader
from .mapping import COMPANY, EMAIL, NAME, ColumnMapping
from .phone import PhoneNormalizer
from .result import ERRORS_SHOWN, RowError

MAX_ERROR_VALUE = 200


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
        extension_free = "extension" not in {name for _, name in mapping.variable_columns()}
        extension_key = encode_json_string("extension") + ":"
        errors = stats.errors
        batch: list[tuple] = []
        rows = 0
        with CsvReader(self.path, self.format) as reader:
            stats.bytes_total = reader.bytes_total
            for row_number, fields in reader:
                rows += 1
                raw = fields[phone_col]
                phone = normalize(raw)
                if phone.e164 is None:
                    stats.invalid += 1
                    if len(errors) < ERRORS_SHOWN:
                        errors.append(RowError(row_number, phone_header, raw[:MAX_ERROR_VALUE], phone.reason))
                    continue
                if not phone.assigned:
                    stats.unassigned += 1
                parts = [key + encode_json_string(fields[col]) for col, key in variable_cols if fields[col]]
                if phone.extension and extension_free:
                    parts.append(extension_key + encode_json_string(phone.extension))
                    stats.extensions += 1
                if name_col is not None:
                    name = fields[name_col]
                else:
                    name = " ".join(fields[col] for col in name_parts if fields[col]) if name_parts else ""
                batch.append((
                    phone.e164, raw, name,
                    fields[email_col] if email_col is not None else "",
                    fields[company_col] if company_col is not None else "",
                    "{" + ",".join(parts) + "}" if parts else "{}",
                    row_number,
                ))
                if len(batch) >= self.batch_rows:
                    stats.rows, stats.bytes_read = rows, reader.bytes_read
                    yield batch
                    batch = []
            stats.rows, stats.bytes_read = rows, reader.bytes_read
            stats.truncated_rows, stats.first_truncated_row = reader.truncated_rows, reader.first_truncated_row
            stats.decode_fallbacks = reader.decode_fallbacks
            if batch:
                yield batch
