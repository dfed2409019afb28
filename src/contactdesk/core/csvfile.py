"""Reading contact CSV files the way spreadsheets and CRMs really write them.

``sniff(path)`` looks at the start of a file and works out how to read it: the text
encoding, the delimiter, whether the first row holds column names, and an optional
Excel ``sep=`` line.  It returns a preview (column names, the first rows, and
plain-language warnings).  Anything it detects can be forced instead, which is how the
GUI lets a person correct a wrong guess.

``CsvReader(path, fmt)`` then streams every data row without holding the file in
memory.  Rows come out as ``(row_number, values)``, where ``row_number`` is the row a
spreadsheet would show for that record and ``values`` always has ``len(headers)``
entries, all text, stripped of surrounding whitespace.

Everything that makes a file unreadable raises :class:`CsvFileError`, whose message is
meant to be shown to a person as is.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain

__all__ = [
    "DELIMITERS",
    "ENCODINGS",
    "CsvFileError",
    "CsvFormat",
    "CsvReader",
    "SniffResult",
    "sniff",
]

#: codec name -> label for a combo box.  The two BOM-less UTF-16 codecs only come out of
#: detection when a UTF-16 file has no byte order mark.
ENCODINGS: dict[str, str] = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 LE (no BOM)",
    "utf-16-be": "UTF-16 BE (no BOM)",
    "cp1252": "Windows-1252",
}

#: delimiter -> label for a combo box.
DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

SAMPLE_BYTES = 64 * 1024  # how much of the file sniff() looks at to detect the format
_CHUNK_BYTES = 256 * 1024  # how much CsvReader decodes at a time
_SAMPLE_RECORDS = 50  # records parsed per candidate delimiter
_HEADERLESS_PEEK = 100  # rows read ahead to count the columns of a headerless file
_SNIFF_MAX_BYTES = 16 * 1024 * 1024  # sniff() never reads further than this for its preview


class CsvFileError(Exception):
    """The file cannot be read as CSV.  ``str(exc)`` is a plain-language message for a person."""


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
_CP1252_CHARS = tuple(
    chr(b) if b in _CP1252_UNDEFINED else bytes((b,)).decode("cp1252") for b in range(256)
)
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


def _fallback_count() -> int:
    # Per thread, so that two readers decoding in two threads do not count each other's.
    return getattr(_fallback_state, "count", 0)


def _normalize_encoding(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise ValueError(f"unknown encoding: {encoding!r}") from None
    return {"utf-16le": "utf-16-le", "utf-16be": "utf-16-be"}.get(name, name)


def _valid_delimiter(ch: object) -> bool:
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

    def describe(self) -> dict:
        return {
            "encoding": ENCODINGS.get(self.encoding, self.encoding),
            "delimiter": DELIMITERS.get(self.delimiter, repr(self.delimiter)),
            "header": self.has_header,
        }


@dataclass
class SniffResult:
    format: CsvFormat
    headers: list[str]  # distinct column names; column_1, column_2, ... without a header row
    sample_rows: list[list[str]]  # up to sample_size data rows, each len(headers) long
    sample_row_numbers: list[int]  # spreadsheet row number of each sample row
    warnings: list[str] = field(default_factory=list)  # plain language


# ------------------------------------------------------------------------ opening files


def _open_binary(path: str):
    name = os.path.basename(path) or path
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


def _read_error(path: str, exc: OSError) -> CsvFileError:
    name = os.path.basename(path) or path
    return CsvFileError(f'The file "{name}" could not be read: {exc.strerror or exc}.')


_NOT_CSV = "This looks like a binary file, not a CSV text file"
_EXCEL_EXTS = (".xlsx", ".xlsm", ".xltx", ".xltm")


def _binary_message(sample: bytes, path: str) -> str | None:
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
        return f"{_NOT_CSV} (it is a ZIP archive)."
    if sample.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return (
            "This is an old-style Excel workbook (.xls); save it as CSV (in Excel: File > Save As "
            "> CSV UTF-8) and import that file."
        )
    if sample.startswith(b"%PDF-"):
        return "This looks like a PDF, not a CSV text file. Export the contacts as CSV instead."
    if sample.startswith(b"\x89PNG\r\n\x1a\n"):
        return f"{_NOT_CSV} (it is a PNG image)."
    if sample.startswith(b"\xff\xd8\xff"):
        return f"{_NOT_CSV} (it is a JPEG image)."
    if sample.startswith((b"GIF87a", b"GIF89a")):
        return f"{_NOT_CSV} (it is a GIF image)."
    return None


# Bytes that do not occur in text: C0 controls other than \t \n \v \f \r, and DEL.
_TEXT_BYTES = bytes(range(9, 14)) + bytes(range(32, 127)) + bytes(range(128, 256))


def _looks_binary(sample: bytes) -> bool:
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


def _decode_counting(data: bytes, encoding: str, final: bool) -> tuple[str, int]:
    decoder = codecs.getincrementaldecoder(encoding)(errors=FALLBACK_ERRORS)
    before = _fallback_count()
    text = decoder.decode(data, final)
    return text, _fallback_count() - before


def _detect_encoding(sample: bytes, whole: bool) -> tuple[str, list[str]]:
    """(codec, warnings) for a sample that starts the file."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", []
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", []
    bomless = _utf16_without_bom(sample)
    if bomless:
        endian = "little" if bomless.endswith("le") else "big"
        return bomless, [f"The file has no byte order mark; it was read as UTF-16 ({endian}-endian)."]
    # The sample may end in the middle of a character: only the whole file is final.
    text, bad = _decode_counting(sample, "utf-8", whole)
    if not bad:
        return "utf-8", []
    good_non_ascii = len(text) - len(text.encode("ascii", "ignore")) - bad
    if good_non_ascii > bad:
        # Mostly UTF-8 with a few Windows-1252 bytes, e.g. two exports pasted together.
        return "utf-8", [
            "Some characters in the file are not valid UTF-8; they were read as Windows-1252. "
            "Check names with accents."
        ]
    return "cp1252", ["The file is not UTF-8; it was read as Windows-1252."]


# ------------------------------------------------------------------ sep= line, delimiter

_SEP_RE = re.compile(r'"?sep=(.)"?\1*', re.IGNORECASE | re.DOTALL)


def _sep_hint(line: str) -> str | None:
    """The delimiter named by an Excel 'sep=X' line, else None."""
    m = _SEP_RE.fullmatch(line.lstrip("\ufeff").rstrip("\r\n").strip(" "))
    if m and _valid_delimiter(m.group(1)):
        return m.group(1)
    return None


_CANDIDATES = (",", ";", "\t", "|")


def _sample_records(body: str, delimiter: str, truncated: bool) -> list[list[str]]:
    """Up to _SAMPLE_RECORDS non-blank records of the sample text, values stripped."""
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, skipinitialspace=True)
    try:
        for row in reader:
            row = [c.strip() for c in row]
            if any(row):
                records.append(row)
                if len(records) > _SAMPLE_RECORDS:
                    return records[:_SAMPLE_RECORDS]
    except csv.Error:
        pass
    if truncated and len(records) > 1:
        records.pop()  # the sample may have cut it short
    return records


def _detect_delimiter(body: str, truncated: bool) -> str:
    """The candidate that splits the sample records into a consistent number (> 1) of fields."""
    best, best_score = ",", (0.0, 0)
    for delimiter in _CANDIDATES:
        if delimiter not in body:
            continue
        counts = [len(r) for r in _sample_records(body, delimiter, truncated)]
        if not counts:
            continue
        modal = max(set(counts), key=lambda c: (counts.count(c), c))
        if modal <= 1:
            continue
        # Most consistent wins; on a tie the one giving more columns; then , ; tab |.
        score = (counts.count(modal) / len(counts), modal)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --------------------------------------------------------------------------- headers

_HEADER_WORDS = frozenset(
    """
    name fullname contactname contact displayname nickname firstname lastname surname
    givenname familyname middlename salutation prefix suffix title jobtitle position role
    phone phonenumber phoneno phonenum phones telephone telephonenumber tel telno mobile
    mobilephone mobilenumber mobileno cell cellphone cellnumber cellular whatsapp fax
    homephone workphone businessphone primaryphone otherphone msisdn
    email emailaddress mail emails
    company companyname organization organisation org business employer department
    address street streetaddress address1 address2 city town state province region county
    zip zipcode postcode postalcode country language timezone
    notes note comment comments remarks description tags tag group groups label labels
    status source owner lead id contactid customerid number website url birthday
    dateofbirth dob gender age created updated
    vorname nachname telefon telefonnummer handy handynummer mobil firma strasse stra\u00dfe
    ort plz land anrede
    nom prenom pr\u00e9nom telephone t\u00e9l\u00e9phone portable courriel societe
    soci\u00e9t\u00e9 entreprise ville adresse
    nombre apellido apellidos telefono tel\u00e9fono celular correo correoelectronico
    empresa ciudad direccion direcci\u00f3n
    """.split()
)
_HEADER_PARTS = ("phone", "email", "mobile", "firstname", "lastname", "fullname")
_NON_WORD_RE = re.compile(r"[\W_]+")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _normalize_header(cell: str) -> str:
    return _NON_WORD_RE.sub("", cell.lower())


def _is_header_word(cell: str) -> bool:
    norm = _normalize_header(cell)
    if not norm:
        return False
    if norm in _HEADER_WORDS or norm.rstrip("0123456789") in _HEADER_WORDS:
        return True
    return "@" not in cell and any(part in norm for part in _HEADER_PARTS)


def _digits(cell: str) -> int:
    return sum(ch.isdigit() for ch in cell)


def _mostly_digits(cell: str) -> bool:
    chars = [ch for ch in cell if not ch.isspace()]
    digits = sum(ch.isdigit() for ch in chars)
    return digits > 0 and digits * 2 >= len(chars)


def _detect_header(records: list[list[str]]) -> tuple[bool, bool]:
    """(has_header, sure) for the first non-blank records of the file."""
    if not records:
        return True, False
    first, rest = records[0], records[1:]
    if any(_is_header_word(c) for c in first):
        return True, True
    if any(_digits(c) >= 7 or _EMAIL_RE.search(c) for c in first):
        return False, True  # a phone number or an e-mail address: contact data
    for j, cell in enumerate(first):
        if not _mostly_digits(cell):
            continue
        column = [r[j] for r in rest if j < len(r) and r[j]]
        if column and sum(map(_mostly_digits, column)) * 2 > len(column):
            return False, True  # a number above numbers: data, not a column name
    return True, False


def _distinct_names(names: list[str]) -> list[str]:
    """Make names distinct (case-insensitively): 'Phone', 'Phone' -> 'Phone', 'Phone_2'."""
    reserved = {n.casefold() for n in names}
    used: set[str] = set()
    out = []
    for name in names:
        key = name.casefold()
        if key in used:
            k = 2
            while f"{name}_{k}".casefold() in used or f"{name}_{k}".casefold() in reserved:
                k += 1
            name = f"{name}_{k}"
            key = name.casefold()
        used.add(key)
        out.append(name)
    return out


def _header_names(cells: list[str]) -> tuple[list[str], list[str]]:
    """(cleaned names as in the file, distinct names with column_N for empty ones)."""
    raw = [c.replace("\ufeff", "").replace("\0", "").strip() for c in cells]
    named = [c or f"column_{i}" for i, c in enumerate(raw, 1)]
    return raw, _distinct_names(named)


# --------------------------------------------------------------------------- reading


class _EndOfInput(Exception):
    """Raised by the line source after the last line (see CsvReader._end_of_input)."""


class _ByteLimit(Exception):
    """Raised by the line source when a preview read reaches its byte limit."""


_UNCLOSED_QUOTE = (
    'Row {row} has a quotation mark (") that is never closed, so everything after it was read '
    "as one value. Fix that row (or remove the quotation mark) and try again."
)


class CsvReader:
    """Streams data rows; never holds the file in memory.  Use as a context manager.

    Iterating yields ``(row_number, values)``: ``row_number`` is what a spreadsheet shows
    (header row 1, first data row 2; without a header the first data row is 1; a record
    with quoted line breaks is one row; blank rows are skipped but counted; a ``sep=``
    line is not counted), ``values`` has exactly ``len(headers)`` stripped strings.

    Raises CsvFileError when the file cannot be opened or has no non-blank row, and while
    iterating when a quoted value is never closed.  ``truncated_rows`` counts rows that had
    non-empty values beyond the last column (dropped); ``first_truncated_row`` is the first.
    """

    def __init__(self, path, fmt: CsvFormat, *, _max_bytes: int | None = None):
        if not _valid_delimiter(fmt.delimiter):
            raise ValueError(f"unsupported delimiter: {fmt.delimiter!r}")
        self.path = os.fspath(path)
        self.format = fmt
        self.headers: list[str] = []
        self.raw_headers: list[str] = []  # header cells as in the file (cleaned), '' when empty
        self.header_row: int | None = None
        self.decode_fallbacks = 0
        self.truncated_rows = 0
        self.first_truncated_row: int | None = None
        self._bytes_read = 0
        self._row = 0  # number of the last record taken from the csv reader
        self._blank_line = -1  # csv line_num after the last blank record seen by the slow path
        self._done = False
        self._pending: list[tuple[int, list[str]]] = []
        self._rows: Iterator[tuple[int, list[str]]] | None = None
        self._max_bytes = _max_bytes
        self._file = _open_binary(self.path)
        try:
            self.bytes_total = os.fstat(self._file.fileno()).st_size
            self._decoder = codecs.getincrementaldecoder(_normalize_encoding(fmt.encoding))(
                errors=FALLBACK_ERRORS
            )
            self._reader = csv.reader(
                chain.from_iterable(self._line_lists()),
                delimiter=fmt.delimiter,
                quotechar='"',
                doublequote=True,
                skipinitialspace=True,
                strict=False,
            )
            self._start()
        except BaseException:
            self._file.close()
            raise

    # -- public ------------------------------------------------------------------------

    @property
    def bytes_read(self) -> int:
        """Bytes taken from the file so far (read ahead by up to one chunk), for progress."""
        return self._bytes_read

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        if self._rows is None:
            self._rows = self._generate()
        return self._rows

    def close(self) -> None:
        self._done = True
        self._file.close()

    def __enter__(self) -> CsvReader:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- the line source -----------------------------------------------------------------

    def _line_lists(self) -> Iterator[list[str]]:
        """Lists of lines (each with its line ending) decoded chunk by chunk.

        Decoding a chunk at a time keeps NUL stripping and fallback counting off the
        per-row path.  The last, possibly incomplete, line of a chunk is carried over to
        the next, so a CR LF pair split between chunks stays one line ending.  After the
        last line comes one extra blank line, then _EndOfInput: that is how the end of the
        file inside a quoted value is told apart from a normal end (see _end_of_input).
        """
        read = self._file.read
        decode = self._decoder.decode
        max_bytes = self._max_bytes
        parts: list[str] = []
        first = True
        while True:
            try:
                data = read(_CHUNK_BYTES)
            except OSError as exc:
                raise _read_error(self.path, exc) from None
            self._bytes_read += len(data)
            final = not data
            before = _fallback_count()
            text = decode(data, final)
            fallbacks = _fallback_count() - before
            if fallbacks:
                self.decode_fallbacks += fallbacks
            if "\0" in text:
                text = text.replace("\0", "")
            if not final and "\n" not in text and "\r" not in text:
                parts.append(text)  # one long line, carried on without quadratic copying
            else:
                if parts:
                    parts.append(text)
                    text = "".join(parts)
                    parts.clear()
                lines = io.StringIO(text, newline="").readlines()
                if not final and lines:
                    parts.append(lines.pop())
                if first and lines:
                    first = False
                    if lines[0].startswith("\ufeff"):  # a BOM the chosen codec kept
                        lines[0] = lines[0][1:]
                    if self.format.sep_line and _sep_hint(lines[0]) is not None:
                        del lines[0]
                yield lines
                if final:
                    break
            if max_bytes is not None and self._bytes_read > max_bytes:
                raise _ByteLimit
        yield ["\n"]
        raise _EndOfInput

    # -- records ---------------------------------------------------------------------------

    def _end_of_input(self) -> None:
        """The line source is exhausted.  If the csv reader turned the extra blank line
        into a blank record, the file ended normally; if it swallowed it, the file ended
        inside a quoted value that opened on the record after the last one seen."""
        self._done = True
        if self._blank_line != self._reader.line_num:
            raise CsvFileError(_UNCLOSED_QUOTE.format(row=self._row + 1))

    def _next_nonblank(self) -> list[str] | None:
        if self._done:
            return None
        reader = self._reader
        try:
            while True:
                row = next(reader)
                self._row += 1
                row = [c.strip() for c in row]
                if any(row):
                    return row
                self._blank_line = reader.line_num
        except _EndOfInput:
            self._end_of_input()
        except StopIteration:
            self._done = True
        except csv.Error as exc:
            raise CsvFileError(f"Row {self._row + 1} cannot be read as CSV: {exc}.") from None
        return None

    def _start(self) -> None:
        first = self._next_nonblank()
        if first is None:
            raise CsvFileError("The file is empty: it has no rows with any values.")
        if self.format.has_header:
            self.raw_headers, self.headers = _header_names(first)
            self.header_row = self._row
            self._width = len(self.headers)
            return
        rows = [(self._row, first)]
        while len(rows) < _HEADERLESS_PEEK:
            row = self._next_nonblank()
            if row is None:
                break
            rows.append((self._row, row))
        self._width = max(len(r) for _, r in rows)
        self.headers = [f"column_{i}" for i in range(1, self._width + 1)]
        self.raw_headers = [""] * self._width
        for _, row in rows:
            row.extend([""] * (self._width - len(row)))
        self._pending = rows

    def _fit(self, n: int, row: list[str]) -> list[str] | None:
        """The slow path for records whose length is not the column count."""
        row = [c.strip() for c in row]
        if not any(row):
            self._blank_line = self._reader.line_num
            return None
        width = self._width
        if len(row) < width:
            row.extend([""] * (width - len(row)))
        else:
            if any(row[width:]):
                self.truncated_rows += 1
                if self.first_truncated_row is None:
                    self.first_truncated_row = n
            del row[width:]
        return row

    def _generate(self) -> Iterator[tuple[int, list[str]]]:
        if self._pending:
            pending, self._pending = self._pending, []
            yield from pending
        if self._done:
            return
        reader = self._reader
        width = self._width
        strip = str.strip
        fit = self._fit
        n = self._row
        try:
            # The hot path: keep it to one length check, a strip, and a blank check.
            for n, row in enumerate(reader, n + 1):  # noqa: B007 - n is used after the loop
                if len(row) == width:
                    row = list(map(strip, row))
                    if row[0] or any(row):
                        yield n, row
                elif (row := fit(n, row)) is not None:
                    yield n, row
        except _EndOfInput:
            self._row = n
            self._end_of_input()
        except csv.Error as exc:
            raise CsvFileError(f"Row {n + 1} cannot be read as CSV: {exc}.") from None
        finally:
            self._row = n


# --------------------------------------------------------------------------- sniff


def sniff(
    path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    has_header: bool | None = None,
    sample_size: int = 100,
) -> SniffResult:
    """Detect how to read ``path`` and preview its first ``sample_size`` data rows.

    A non-None ``encoding``, ``delimiter`` or ``has_header`` is used as given instead of
    being detected.  Raises CsvFileError when the file is missing or unreadable, empty
    (including header-only), binary, or has a quoted value that is never closed within
    the preview; ValueError for an unknown encoding or an unusable delimiter.
    """
    path = os.fspath(path)
    if encoding is not None:
        encoding = _normalize_encoding(encoding)
    if delimiter is not None and not _valid_delimiter(delimiter):
        raise ValueError(f"unsupported delimiter: {delimiter!r}")

    with _open_binary(path) as f:
        try:
            sample = f.read(SAMPLE_BYTES)
            whole = len(sample) < SAMPLE_BYTES or not f.read(1)
        except OSError as exc:
            raise _read_error(path, exc) from None
    if not sample:
        raise CsvFileError("The file is empty (0 bytes).")
    message = _binary_message(sample, path)
    if message:
        raise CsvFileError(message)

    warnings: list[str] = []
    if encoding is None:
        encoding, found = _detect_encoding(sample, whole)
        warnings += found
    if not encoding.startswith("utf-16") and _looks_binary(sample):
        raise CsvFileError(f"{_NOT_CSV}.")

    text, _ = _decode_counting(sample, encoding, whole)
    text = text.replace("\0", "").lstrip("\ufeff")
    first_line = io.StringIO(text, newline="").readline()
    hint = _sep_hint(first_line) if (whole or first_line.endswith(("\n", "\r"))) else None
    body = text[len(first_line) :] if hint else text
    if delimiter is None:
        delimiter = hint or _detect_delimiter(body, not whole)
    if has_header is None:
        records = _sample_records(body, delimiter, not whole)
        has_header, sure = _detect_header(records)
        if not sure and len(records) == 1:
            has_header = False  # one row, not clearly names: show it as a contact
    fmt = CsvFormat(encoding, delimiter, bool(has_header), hint is not None)

    rows: list[list[str]] = []
    numbers: list[int] = []
    wanted = max(sample_size, 1)  # always look for one data row: header-only is empty
    limited = False
    reader = None
    try:
        reader = CsvReader(path, fmt, _max_bytes=_SNIFF_MAX_BYTES)
        for n, row in reader:
            rows.append(row)
            numbers.append(n)
            if len(rows) >= wanted:
                break
    except _ByteLimit:
        limited = True
    finally:
        if reader is not None:
            reader.close()

    too_long = (
        'Row {row} is longer than 16 MB; a quotation mark (") is probably never closed. '
        "Fix that row and try again."
    )
    if reader is None:  # the byte limit was reached before the first row ended
        raise CsvFileError(too_long.format(row=1))
    if not rows:
        if limited:
            raise CsvFileError(too_long.format(row=reader._row + 1))
        raise CsvFileError("The file has a header row but no contacts.")
    if limited:
        warnings.append(
            f"Row {reader._row + 1} is longer than 16 MB; a quotation mark (\") may never be "
            "closed. Only the rows before it are shown."
        )

    if reader.decode_fallbacks and not any("Windows-1252" in w for w in warnings):
        label = ENCODINGS.get(encoding, encoding)
        warnings.append(
            f"Some characters are not valid {label}; they were read as Windows-1252. "
            "Check names with accents."
        )
    if reader.truncated_rows:
        more = reader.truncated_rows - 1
        warnings.append(
            f"Row {reader.first_truncated_row} has more values than there are columns; the extra "
            "values are ignored."
            + (f" {more} more of the first rows are like that." if more else "")
        )
    if fmt.has_header:
        warnings += _header_warnings(reader.raw_headers, reader.headers)

    del rows[sample_size:], numbers[sample_size:]
    return SniffResult(fmt, list(reader.headers), rows, numbers, warnings)


def _header_warnings(raw: list[str], names: list[str]) -> list[str]:
    warnings = []
    unnamed = [i for i, r in enumerate(raw, 1) if not r]
    if unnamed:
        shown = ", ".join(names[i - 1] for i in unnamed)
        if len(unnamed) == 1:
            warnings.append(f"Column {unnamed[0]} has no name; it is shown as {shown}.")
        else:
            listed = ", ".join(map(str, unnamed))
            warnings.append(f"Columns {listed} have no name; they are shown as {shown}.")
    for i, (r, name) in enumerate(zip(raw, names), 1):
        if r and r != name:
            warnings.append(
                f'Column {i} has the same name as an earlier column, "{r}"; it is shown as "{name}".'
            )
    return warnings
