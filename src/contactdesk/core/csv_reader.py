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
from collections.abc import Iterator
from itertools import chain

from .csv_dialect import (
    DELIMITERS,
    ENCODINGS,
    FALLBACK_ERRORS,
    NOT_CSV,
    SAMPLE_BYTES,
    CsvFileError,
    CsvFormat,
    FileChangedError,
    SniffResult,
    binary_message,
    decode_counting,
    detect_delimiter,
    detect_encoding,
    detect_header,
    fallback_count,
    header_names,
    looks_binary,
    normalize_encoding,
    numbered_records,
    open_binary,
    read_error,
    sep_hint,
    title_rows,
    valid_delimiter,
)

__all__ = [
    "DELIMITERS",
    "ENCODINGS",
    "CsvFileError",
    "CsvFormat",
    "CsvReader",
    "FileChangedError",
    "MAX_VALUE_CHARS",
    "SniffResult",
    "sniff",
]

_CHUNK_BYTES = 256 * 1024  # how much CsvReader decodes at a time
_HEADERLESS_PEEK = 100  # rows read ahead to count the columns of a headerless file
_SNIFF_MAX_BYTES = 16 * 1024 * 1024  # sniff() never reads further than this for its preview
# A single value longer than this (in characters) makes its row invalid.
MAX_VALUE_CHARS = 1_000_000
# A line longer than this is cut: the reader keeps only its first _MAX_LINE_CHARS and last
# _LONG_LINE_TAIL characters, so memory stays bounded. Lines between the two limits are read
# whole (200,000 columns of short values make a line of about 3 MB) and their values measured.
_MAX_LINE_CHARS = 4 * MAX_VALUE_CHARS
_LONG_LINE_TAIL = 64 * 1024
_CUT = "\ue000"  # stands where a too-long line was cut (a private-use character)

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

    def __init__(self, path, fmt: CsvFormat, *, hasher=None, _max_bytes: int | None = None):
        if not valid_delimiter(fmt.delimiter):
            raise ValueError(f"unsupported delimiter: {fmt.delimiter!r}")
        self.path = os.fspath(path)
        self.format = fmt
        self.headers: list[str] = []
        self.raw_headers: list[str] = []  # header cells as in the file (cleaned), '' when empty
        self.header_row: int | None = None
        self.rows_above_header = 0  # non-blank rows skipped above the column names (a title)
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
        self._hasher = hasher  # e.g. hashlib.sha256(): fed every byte read, so the file is read once
        self._cut_sizes: list[int] = []  # lengths of lines cut short, not yet matched to their row
        self._long_lines_seen = False  # a line long enough to hold a value over MAX_VALUE_CHARS was read
        self.too_long_rows: list[tuple[int, int, int]] = []  # (row number, column index, length)
        self._file = open_binary(self.path)
        try:
            self._opened = os.fstat(self._file.fileno())
            self.bytes_total = self._opened.st_size
            self._decoder = codecs.getincrementaldecoder(normalize_encoding(fmt.encoding))(errors=FALLBACK_ERRORS)
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

    def changed_since_opened(self) -> bool:
        """True when the file is no longer the one that was opened, as it was then (call after reading it all)."""
        opened = self._opened
        now = os.fstat(self._file.fileno())
        try:
            at_path = os.stat(self.path)
        except OSError:
            return True  # deleted or moved away
        return (
            (now.st_size, now.st_mtime_ns) != (opened.st_size, opened.st_mtime_ns)
            or (at_path.st_dev, at_path.st_ino) != (opened.st_dev, opened.st_ino)
            or self._bytes_read != opened.st_size
        )

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
        hasher = self._hasher
        max_bytes = self._max_bytes
        parts: list[str] = []
        carried = 0  # characters in parts
        head: str | None = None  # the start of a line too long to keep whole
        skipped = 0  # characters of that line dropped so far
        first = True
        while True:
            try:
                data = read(_CHUNK_BYTES)
            except OSError as exc:
                raise read_error(self.path, exc) from None
            self._bytes_read += len(data)
            if hasher is not None:
                hasher.update(data)
            final = not data
            before = fallback_count()
            text = decode(data, final)
            fallbacks = fallback_count() - before
            if fallbacks:
                self.decode_fallbacks += fallbacks
            if "\0" in text:
                text = text.replace("\0", "")
            if not final and "\n" not in text and "\r" not in text:
                parts.append(text)  # one long line, carried on without quadratic copying
                carried += len(text)
                if carried > _MAX_LINE_CHARS + 2 * _LONG_LINE_TAIL:
                    joined = "".join(parts)
                    if head is None:
                        head, joined = joined[:_MAX_LINE_CHARS], joined[_MAX_LINE_CHARS:]
                    skipped += len(joined) - _LONG_LINE_TAIL
                    parts[:] = [joined[-_LONG_LINE_TAIL:]]
                    carried = _LONG_LINE_TAIL
            else:
                if parts:
                    parts.append(text)
                    text = "".join(parts)
                    parts.clear()
                if head is not None:
                    # The line ends in this text: keep its start and end around a cut mark.
                    self._cut_sizes.append(len(head) + skipped + len(text.split("\n", 1)[0]))
                    text = head + _CUT + text
                    head, skipped = None, 0
                lines = io.StringIO(text, newline="").readlines()
                if len(text) > MAX_VALUE_CHARS and max(map(len, lines), default=0) > MAX_VALUE_CHARS:
                    self._long_lines_seen = True  # from now on each row's longest value is measured
                carried = 0
                if not final and lines:
                    parts.append(lines.pop())
                    carried = len(parts[0])
                if first and lines:
                    first = False
                    if lines[0].startswith("\ufeff"):  # a BOM the chosen codec kept
                        lines[0] = lines[0][1:]
                    if self.format.sep_line and sep_hint(lines[0]) is not None:
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
            wanted = self.format.header_row
            while wanted is not None and first is not None and self._row < wanted:
                self.rows_above_header += 1  # a title or note above the column names
                first = self._next_nonblank()
            if first is None:
                raise CsvFileError(
                    f"Row {wanted} is past the last row of the file; choose the row that holds the column names."
                )
            self.raw_headers, self.headers = header_names(first)
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

    def _too_long(self, n: int, row: list[str]) -> bool:
        """Is this the row of a line that was cut short, or does it hold a value over
        MAX_VALUE_CHARS? Then it is recorded, not yielded."""
        if self._cut_sizes:
            for column, value in enumerate(row):
                if _CUT in value:
                    self.too_long_rows.append((n, column, self._cut_sizes.pop(0)))
                    return True
        if self._long_lines_seen:
            longest = max(map(len, row), default=0)
            if longest > MAX_VALUE_CHARS:
                column = next(index for index, value in enumerate(row) if len(value) == longest)
                self.too_long_rows.append((n, column, longest))
                return True
        return False

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
        cut = self._cut_sizes  # non-empty only near a line that was cut short
        too_long = self._too_long
        start = self._row + 1
        n = self._row
        try:
            # The hot path: keep it to one length check, a strip, and a blank check.
            for n, row in enumerate(reader, start):
                if len(row) == width:
                    row = [strip(value) for value in row]  # a comprehension: quicker than list(map()) for a row
                    if row[0] or any(row):
                        if (cut or self._long_lines_seen) and too_long(n, row):
                            continue
                        yield n, row
                elif (row := fit(n, row)) is not None:
                    if (cut or self._long_lines_seen) and too_long(n, row):
                        continue
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
    header_row: int | None = None,
    sample_size: int = 100,
) -> SniffResult:
    """Detect how to read ``path`` and preview its first ``sample_size`` data rows.

    A non-None ``encoding``, ``delimiter``, ``has_header`` or ``header_row`` (the row, as a
    spreadsheet numbers it, that holds the column names) is used as given instead of being
    detected. Title rows above the column names are detected and skipped.  Raises CsvFileError when the file is missing or unreadable, empty
    (including header-only), binary, or has a quoted value that is never closed within
    the preview; ValueError for an unknown encoding or an unusable delimiter.
    """
    path = os.fspath(path)
    if encoding is not None:
        encoding = normalize_encoding(encoding)
    if delimiter is not None and not valid_delimiter(delimiter):
        raise ValueError(f"unsupported delimiter: {delimiter!r}")
    if header_row is not None:
        if isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1:
            raise ValueError(f"The row with the column names must be a row number from 1 on, not {header_row!r}.")
        has_header = True

    with open_binary(path) as f:
        try:
            sample = f.read(SAMPLE_BYTES)
            whole = len(sample) < SAMPLE_BYTES or not f.read(1)
        except OSError as exc:
            raise read_error(path, exc) from None
    if not sample:
        raise CsvFileError("The file is empty (0 bytes).")
    message = binary_message(sample, path)
    if message:
        raise CsvFileError(message)

    warnings: list[str] = []
    if encoding is None:
        encoding, found = detect_encoding(sample, whole)
        warnings += found
    if not encoding.startswith(("utf-16", "utf-32")) and looks_binary(sample):
        raise CsvFileError(f"{NOT_CSV}.")

    text, _ = decode_counting(sample, encoding, whole)
    text = text.replace("\0", "").lstrip("\ufeff")
    first_line = io.StringIO(text, newline="").readline()
    hint = sep_hint(first_line) if (whole or first_line.endswith(("\n", "\r"))) else None
    body = text[len(first_line) :] if hint else text
    if delimiter is None:
        delimiter = hint or detect_delimiter(body, not whole)
    if header_row is None and has_header is not False:
        numbered = numbered_records(body, delimiter, not whole)
        records = [row for _, row in numbered]
        titles = title_rows(records)
        if titles:
            has_header, header_row = True, numbered[titles][0]
            first_title = next(cell for cell in records[0] if cell)
            rows = f"Row {numbered[0][0]}" if titles == 1 else f"Rows {numbered[0][0]} to {numbered[titles - 1][0]}"
            warnings.append(
                f"{rows} above the column names {'was' if titles == 1 else 'were'} skipped "
                f"(a title: {first_title[:60]!r}); the column names are on row {header_row}."
            )
        elif has_header is None:
            has_header, sure = detect_header(records)
            if not sure and len(records) == 1:
                has_header = False  # one row, not clearly names: show it as a contact
        if has_header and header_row is None and numbered:
            header_row = numbered[0][0]
    fmt = CsvFormat(encoding, delimiter, bool(has_header), hint is not None, header_row if has_header else None)

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
        'Row {row} is longer than 16 MB; a quotation mark (") is probably never closed. Fix that row and try again.'
    )
    if reader is None:  # the byte limit was reached before the first row ended
        raise CsvFileError(too_long.format(row=1))
    if not rows:
        if limited:
            raise CsvFileError(too_long.format(row=reader._row + 1))
        raise CsvFileError("The file has a header row but no contacts.")
    if limited:
        warnings.append(
            f'Row {reader._row + 1} is longer than 16 MB; a quotation mark (") may never be '
            "closed. Only the rows before it are shown."
        )

    if reader.decode_fallbacks and not any("Windows-1252" in w for w in warnings):
        label = ENCODINGS.get(encoding, encoding)
        warnings.append(
            f"Some characters are not valid {label}; they were read as Windows-1252. Check names with accents."
        )
    if reader.truncated_rows:
        more = reader.truncated_rows - 1
        warnings.append(
            f"Row {reader.first_truncated_row} has more values than there are columns; the extra "
            "values are ignored." + (f" {more} more of the first rows are like that." if more else "")
        )
    if fmt.has_header:
        warnings += _header_warnings(reader.raw_headers, reader.headers)

    del rows[sample_size:], numbers[sample_size:]
    return SniffResult(fmt, list(reader.headers), rows, numbers, warnings)


def _header_warnings(raw: list[str], names: list[str]) -> list[str]:
    warnings = []
    unnamed = [i for i, r in enumerate(raw, 1) if not r]
    if unnamed:
        shown = ", ".join(names[i - 1] for i in unnamed[:10])
        if len(unnamed) == 1:
            warnings.append(f"Column {unnamed[0]} has no name; it is shown as {shown}.")
        else:
            listed = ", ".join(map(str, unnamed[:10]))
            more = f" and {len(unnamed) - 10:,} more" if len(unnamed) > 10 else ""
            warnings.append(f"Columns {listed}{more} have no name; they are shown as {shown}{more and ', ...'}.")
    dups = [(i, r, name) for i, (r, name) in enumerate(zip(raw, names), 1) if r and r != name]
    for i, r, name in dups[:5]:
        warnings.append(f'Column {i} has the same name as an earlier column, "{r[:60]}"; it is shown as "{name[:60]}".')
    if len(dups) > 5:
        warnings.append(f"{len(dups) - 5:,} more columns repeat an earlier column's name.")
    return warnings
