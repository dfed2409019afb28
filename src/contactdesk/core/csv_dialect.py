"""How a CSV file is written: its encoding, delimiter and header row, detected from its start.

The pieces ``csv_reader`` uses to sniff a file and to decode it: the format description,
the error for unreadable files, the cp1252 fallback for stray bytes, and the detectors.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import sys
import threading
from dataclasses import dataclass, field

from .vocabulary import is_header_cell

#: codec name -> label for a combo box.  The two BOM-less UTF-16 codecs only come out of
#: detection when a UTF-16 file has no byte order mark.
ENCODINGS: dict[str, str] = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
    "utf-16-le": "UTF-16 LE (no BOM)",
    "utf-16-be": "UTF-16 BE (no BOM)",
    "cp1252": "Windows-1252",
    "iso8859-1": "Latin-1",
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "mac-roman": "Mac Roman",
}

#: delimiter -> label for a combo box.
DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

SAMPLE_BYTES = 64 * 1024  # how much of the file sniff() looks at to detect the format
_SAMPLE_RECORDS = 50  # records parsed per candidate delimiter


class CsvFileError(Exception):
    """The file cannot be read as CSV.  ``str(exc)`` is a plain-language message for a person."""


class FileChangedError(CsvFileError):
    """The file was changed (truncated, appended to, rewritten or replaced) while it was read."""

    def __init__(self):
        super().__init__("The file changed while it was being imported; nothing was imported.")


# --------------------------------------------------------------------------- csv limits


def _raise_field_size_limit() -> None:
    # The default (128 KB) stops a notes field pasted from a long e-mail thread.
    for limit in (sys.maxsize, 2**31 - 1):
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # a C long is 32 bits on Windows
            continue


_raise_field_size_limit()


# ------------------------------------------------------------- decoding with a fallback

FALLBACK_ERRORS = "contactdesk-cp1252"
_CP1252_UNDEFINED = frozenset((0x81, 0x8D, 0x8F, 0x90, 0x9D))
_CP1252_CHARS = tuple(chr(b) if b in _CP1252_UNDEFINED else bytes((b,)).decode("cp1252") for b in range(256))
_fallback_state = threading.local()


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode the offending bytes as Windows-1252 (latin-1 where
    Windows-1252 leaves a byte undefined) and count one fallback per call."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _fallback_state.count = getattr(_fallback_state, "count", 0) + 1
    chars = _CP1252_CHARS
    return "".join([chars[b] for b in exc.object[exc.start : exc.end]]), exc.end


codecs.register_error(FALLBACK_ERRORS, _cp1252_fallback)


def fallback_count() -> int:
    # Per thread, so that two readers decoding in two threads do not count each other's.
    return getattr(_fallback_state, "count", 0)


def normalize_encoding(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise ValueError(f"unknown encoding: {encoding!r}") from None
    return {"utf-16le": "utf-16-le", "utf-16be": "utf-16-be"}.get(name, name)


def valid_delimiter(ch: object) -> bool:
    return (
        isinstance(ch, str)
        and len(ch) == 1
        and (ch == "\t" or (ch.isprintable() and not ch.isalnum() and not ch.isspace()))
        and ch != '"'
    )


# --------------------------------------------------------------------------- formats


@dataclass(frozen=True)
class CsvFormat:
    encoding: str  # Python codec used to decode: 'utf-8', 'utf-8-sig', 'utf-16', 'cp1252', ...
    delimiter: str  # ',', ';', '\t' or '|' (any other single punctuation character works too)
    has_header: bool
    sep_line: bool = False  # the first line is Excel's 'sep=X' hint (skipped, not a row)
    # The row that holds the column names, numbered as a spreadsheet shows it (a sep= line is not
    # counted); the rows above it (a title, blank lines) are skipped. None: the first non-blank row.
    header_row: int | None = None

    def describe(self) -> dict:
        return {
            "encoding": ENCODINGS.get(self.encoding, self.encoding),
            "delimiter": DELIMITERS.get(self.delimiter, repr(self.delimiter)),
            "header": self.has_header,
            "header_row": self.header_row if self.has_header else None,
        }


@dataclass
class SniffResult:
    format: CsvFormat
    headers: list[str]  # distinct column names; column_1, column_2, ... without a header row
    sample_rows: list[list[str]]  # up to sample_size data rows, each len(headers) long
    sample_row_numbers: list[int]  # spreadsheet row number of each sample row
    warnings: list[str] = field(default_factory=list)  # plain language


# ------------------------------------------------------------------------ opening files


def _not_a_regular_file(mode: int) -> str | None:
    for test, what in (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    ):
        if test(mode):
            return what
    return None


def open_binary(path: str):
    name = os.path.basename(path) or path
    try:
        # Looked at before opening: opening a named pipe waits for a writer, forever.
        what = _not_a_regular_file(os.stat(path).st_mode)
    except OSError:
        what = None  # open() below says what is wrong
    if what is not None:
        raise CsvFileError(f'"{name}" is {what}, not a file; ContactDesk imports only ordinary CSV files.')
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by the caller
    except FileNotFoundError:
        raise CsvFileError(f'The file "{name}" does not exist (it may have been moved or deleted).') from None
    except IsADirectoryError:
        raise CsvFileError(f'"{name}" is a folder, not a file.') from None
    except PermissionError:
        raise CsvFileError(f'ContactDesk is not allowed to read the file "{name}".') from None
    except OSError as exc:
        raise CsvFileError(f'The file "{name}" could not be opened: {exc.strerror or exc}.') from None


def read_error(path: str, exc: OSError) -> CsvFileError:
    name = os.path.basename(path) or path
    return CsvFileError(f'The file "{name}" could not be read: {exc.strerror or exc}.')


NOT_CSV = "This looks like a binary file, not a CSV text file"
_EXCEL_EXTS = (".xlsx", ".xlsm", ".xltx", ".xltm")


def binary_message(sample: bytes, path: str) -> str | None:
    """A message when the file is a well-known binary format, else None."""
    ext = os.path.splitext(path)[1].lower()
    if sample.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        if b"xl/" in sample or ext in _EXCEL_EXTS:
            return (
                "This is an Excel workbook (.xlsx); save it as CSV (in Excel: File > Save As > "
                "CSV UTF-8) and import that file."
            )
        if b"opendocument.spreadsheet" in sample or ext == ".ods":
            return (
                "This is an OpenDocument spreadsheet (.ods); save it as CSV (File > Save As > "
                "Text CSV) and import that file."
            )
        return f"{NOT_CSV} (it is a ZIP archive)."
    if sample.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return (
            "This is an old-style Excel workbook (.xls); save it as CSV (in Excel: File > Save As "
            "> CSV UTF-8) and import that file."
        )
    if sample.startswith(b"%PDF-"):
        return "This looks like a PDF, not a CSV text file. Export the contacts as CSV instead."
    if sample.startswith(b"\x89PNG\r\n\x1a\n"):
        return f"{NOT_CSV} (it is a PNG image)."
    if sample.startswith(b"\xff\xd8\xff"):
        return f"{NOT_CSV} (it is a JPEG image)."
    if sample.startswith((b"GIF87a", b"GIF89a")):
        return f"{NOT_CSV} (it is a GIF image)."
    return None


# Bytes that do not occur in text: C0 controls other than \t \n \v \f \r, and DEL.
_TEXT_BYTES = bytes(range(9, 14)) + bytes(range(32, 127)) + bytes(range(128, 256))


def looks_binary(sample: bytes) -> bool:
    """Random bytes are ~10% control characters; text has next to none.  Stray NULs are
    tolerated (they are dropped when reading), a file that is mostly NULs is not text."""
    head = sample[:8192]
    nuls = head.count(0)
    controls = len(head.translate(None, _TEXT_BYTES)) - nuls
    return controls * 20 > len(head) or nuls * 10 > len(head) * 3


def _utf16_without_bom(sample: bytes) -> str | None:
    head = sample[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zero_odd > 0.6 and zero_even < 0.1:
        return "utf-16-le"
    if zero_even > 0.6 and zero_odd < 0.1:
        return "utf-16-be"
    return None


def decode_counting(data: bytes, encoding: str, final: bool) -> tuple[str, int]:
    decoder = codecs.getincrementaldecoder(encoding)(errors=FALLBACK_ERRORS)
    before = fallback_count()
    text = decoder.decode(data, final)
    return text, fallback_count() - before


def detect_encoding(sample: bytes, whole: bool) -> tuple[str, list[str]]:
    """(codec, warnings) for a sample that starts the file."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", []
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", []
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", []
    bomless = _utf16_without_bom(sample)
    if bomless:
        endian = "little" if bomless.endswith("le") else "big"
        return bomless, [f"The file has no byte order mark; it was read as UTF-16 ({endian}-endian)."]
    # The sample may end in the middle of a character: only the whole file is final.
    text, bad = decode_counting(sample, "utf-8", whole)
    if not bad:
        return "utf-8", []
    good_non_ascii = len(text) - len(text.encode("ascii", "ignore")) - bad
    if good_non_ascii > bad:
        # Mostly UTF-8 with a few Windows-1252 bytes, e.g. two exports pasted together.
        return "utf-8", [
            "Some characters in the file are not valid UTF-8; they were read as Windows-1252. Check names with accents."
        ]
    return "cp1252", ["The file is not UTF-8; it was read as Windows-1252."]


# ------------------------------------------------------------------ sep= line, delimiter

_SEP_RE = re.compile(r'"?sep=(.)"?\1*', re.IGNORECASE | re.DOTALL)


def sep_hint(line: str) -> str | None:
    """The delimiter named by an Excel 'sep=X' line, else None."""
    m = _SEP_RE.fullmatch(line.lstrip("\ufeff").rstrip("\r\n").strip(" "))
    if m and valid_delimiter(m.group(1)):
        return m.group(1)
    return None


_CANDIDATES = (",", ";", "\t", "|")


def numbered_records(body: str, delimiter: str, truncated: bool) -> list[tuple[int, list[str]]]:
    """Up to _SAMPLE_RECORDS non-blank records of the sample text, values stripped, each with its
    row number as CsvReader counts rows (blank records counted, a record with line breaks is one)."""
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, skipinitialspace=True)
    try:
        for number, row in enumerate(reader, 1):
            row = [c.strip() for c in row]
            if any(row):
                records.append((number, row))
                if len(records) > _SAMPLE_RECORDS:
                    return records[:_SAMPLE_RECORDS]
    except csv.Error:
        pass
    if truncated and len(records) > 1:
        records.pop()  # the sample may have cut it short
    return records


def sample_records(body: str, delimiter: str, truncated: bool) -> list[list[str]]:
    """Up to _SAMPLE_RECORDS non-blank records of the sample text, values stripped."""
    return [row for _, row in numbered_records(body, delimiter, truncated)]


def detect_delimiter(body: str, truncated: bool) -> str:
    """The candidate that splits the sample records into a consistent number (> 1) of fields."""
    best, best_score = ",", (0.0, 0)
    blank_with = None  # a candidate that leaves nothing but blank records: a file of delimiters
    for delimiter in _CANDIDATES:
        if delimiter not in body:
            continue
        counts = [len(r) for r in sample_records(body, delimiter, truncated)]
        if not counts:
            blank_with = blank_with or delimiter
            continue
        modal = max(set(counts), key=lambda c: (counts.count(c), c))
        if modal <= 1:
            continue
        # Most consistent wins; on a tie the one giving more columns; then , ; tab |.
        score = (counts.count(modal) / len(counts), modal)
        if score > best_score:
            best, best_score = delimiter, score
    if best_score == (0.0, 0) and blank_with is not None:
        return blank_with
    return best


# --------------------------------------------------------------------------- headers

_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_MAX_TITLE_ROWS = 10  # rows above the column names that can be a title or a note


def _digits(cell: str) -> int:
    return sum(ch.isdigit() for ch in cell)


def _mostly_digits(cell: str) -> bool:
    chars = [ch for ch in cell if not ch.isspace()]
    digits = sum(ch.isdigit() for ch in chars)
    return digits > 0 and digits * 2 >= len(chars)


def detect_header(records: list[list[str]]) -> tuple[bool, bool]:
    """(has_header, sure) for the first non-blank records of the file."""
    if not records:
        return True, False
    first, rest = records[0], records[1:]
    if any(is_header_cell(c) for c in first):
        return True, True
    if any(_digits(c) >= 7 or (len(c) <= 254 and "@" in c and _EMAIL_RE.search(c)) for c in first):
        return False, True  # a phone number or an e-mail address: contact data
    for j, cell in enumerate(first):
        if not _mostly_digits(cell):
            continue
        column = [r[j] for r in rest if j < len(r) and r[j]]
        if column and sum(map(_mostly_digits, column)) * 2 > len(column):
            return False, True  # a number above numbers: data, not a column name
    return True, False


def _filled_count(row: list[str]) -> int:
    return sum(1 for cell in row if cell)


def _contact_data(cell: str) -> bool:
    """A phone number or an e-mail address (a title such as "Export - December 19, 2020" is neither)."""
    if "@" in cell:
        return len(cell) <= 254 and _EMAIL_RE.search(cell) is not None
    return _digits(cell) >= 7 and _mostly_digits(cell)


def _reads_like_column_names(row: list[str]) -> bool:
    filled = [cell for cell in row if cell]
    # Mostly distinct: exports repeat a name now and then ("Phone" for the client and for its contact).
    if len(filled) < 2 or len({cell.casefold() for cell in filled}) * 5 < len(filled) * 4:
        return False
    if any(_contact_data(cell) or _mostly_digits(cell) for cell in filled):
        return False
    return any(is_header_cell(cell) for cell in filled)


def title_rows(records: list[list[str]]) -> int:
    """How many of the first non-blank records are a title above the column names.

    A title row is mostly empty (one cell, or far fewer filled cells than the rows below) and
    holds no contact data; the column names are then a row of distinct text cells, at least one
    of them a known column name, followed by data rows.
    """
    for k in range(min(_MAX_TITLE_ROWS, len(records) - 2) + 1):
        row = records[k]
        below = sorted(_filled_count(r) for r in records[k + 1 : k + 11])
        if not below:
            return 0
        typical = below[len(below) // 2]
        if k > 0 and _filled_count(row) * 2 >= typical and _reads_like_column_names(row):
            return k
        sparse = _filled_count(row) <= 1 or _filled_count(row) * 3 <= typical
        if not sparse or any(_contact_data(cell) for cell in row) or typical < 2:
            return 0
    return 0


def _distinct_names(names: list[str]) -> list[str]:
    """Make names distinct (case-insensitively): 'Phone', 'Phone' -> 'Phone', 'Phone_2'."""
    reserved = {n.casefold() for n in names}
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    out = []
    for name in names:
        key = name.casefold()
        if key in used:
            k = next_suffix.get(key, 2)
            while f"{name}_{k}".casefold() in used or f"{name}_{k}".casefold() in reserved:
                k += 1
            next_suffix[key] = k + 1
            name = f"{name}_{k}"
            key = name.casefold()
        used.add(key)
        out.append(name)
    return out


def header_names(cells: list[str]) -> tuple[list[str], list[str]]:
    """(cleaned names as in the file, distinct names with column_N for empty ones)."""
    raw = [c.replace("\ufeff", "").replace("\0", "").strip() for c in cells]
    named = [c or f"column_{i}" for i, c in enumerate(raw, 1)]
    return raw, _distinct_names(named)
