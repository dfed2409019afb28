"""Tests for contactdesk.core.csv_reader: reading CSV files as people really have them."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contactdesk.core import csv_reader
from contactdesk.core.csv_reader import (
    DELIMITERS,
    ENCODINGS,
    CsvFileError,
    CsvFormat,
    CsvReader,
    SniffResult,
    sniff,
)

DATA = Path(__file__).resolve().parent.parent / "data"


def read_all(path, fmt: CsvFormat | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    fmt = fmt or sniff(path).format
    with CsvReader(path, fmt) as reader:
        return reader.headers, list(reader)


def write(tmp_path: Path, data: bytes, name: str = "contacts.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@contextlib.contextmanager
def chunk_size(n: int):
    """Make CsvReader decode n bytes at a time, to put chunk boundaries everywhere."""
    old = csv_reader._CHUNK_BYTES
    csv_reader._CHUNK_BYTES = n
    try:
        yield
    finally:
        csv_reader._CHUNK_BYTES = old


# --------------------------------------------------------------------------- public API


def test_combo_box_tables():
    assert DELIMITERS == {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
    for codec in ("utf-8", "utf-8-sig", "utf-16", "cp1252"):
        assert codec in ENCODINGS
        assert codecs.lookup(codec)  # every key is a real codec
    assert ENCODINGS["utf-8-sig"] == "UTF-8 with BOM"
    assert ENCODINGS["cp1252"] == "Windows-1252"


def test_describe():
    fmt = CsvFormat("cp1252", ";", True, header_row=3)
    assert fmt.describe() == {"encoding": "Windows-1252", "delimiter": "semicolon", "header": True, "header_row": 3}
    assert CsvFormat("utf-16", "\t", False).describe() == {
        "encoding": "UTF-16",
        "delimiter": "tab",
        "header": False,
        "header_row": None,
    }
    assert CsvFormat("utf-8", "|", True).describe()["delimiter"] == "pipe"
    assert CsvFormat("utf-8-sig", ",", True).describe()["encoding"] == "UTF-8 with BOM"


def test_format_is_frozen_and_sep_line_defaults_false():
    fmt = CsvFormat("utf-8", ",", True)
    assert fmt.sep_line is False
    with pytest.raises(AttributeError):
        fmt.delimiter = ";"  # type: ignore[misc]


def test_sniff_result_shape():
    result = sniff(DATA / "leading_zeros_and_plus.csv")
    assert isinstance(result, SniffResult)
    assert result.format == CsvFormat("utf-8", ",", True, False, header_row=1)
    assert result.headers == ["Name", "Phone", "Zip", "Customer no"]
    assert result.sample_row_numbers == [2, 3]
    assert result.warnings == []


# --------------------------------------------------------------------------- encodings


def test_utf8_bom_never_reaches_the_header():
    result = sniff(DATA / "utf8_bom.csv")
    assert result.format.encoding == "utf-8-sig"
    assert result.format.describe()["encoding"] == "UTF-8 with BOM"
    assert result.headers == ["Name", "Phone"]
    assert result.sample_rows == [["Zoë", "0301"]]


def test_forcing_utf8_on_a_bom_file_still_strips_the_bom(tmp_path):
    result = sniff(DATA / "utf8_bom.csv", encoding="utf-8")
    assert result.format.encoding == "utf-8"
    assert result.headers == ["Name", "Phone"]
    # headerless too: the BOM must not stick to the first value
    path = write(tmp_path, codecs.BOM_UTF8 + b"Ann,+49 170 1234567\n")
    assert read_all(path, CsvFormat("utf-8", ",", False))[1] == [(1, ["Ann", "+49 170 1234567"])]


def test_utf16_with_bom_little_and_big_endian(tmp_path):
    result = sniff(DATA / "utf16_bom.csv")
    assert result.format.encoding == "utf-16"
    assert result.format.describe() == {"encoding": "UTF-16", "delimiter": "tab", "header": True, "header_row": 1}
    assert result.headers == ["Name", "Phone"]
    assert result.sample_rows == [["Zoë", "+49 170 1234567"], ["李小龙", "0301"]]

    text = "Name,Phone\r\nZoë,0301\r\n"
    path = write(tmp_path, codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    result = sniff(path)
    assert result.format.encoding == "utf-16"
    assert result.sample_rows == [["Zoë", "0301"]]


@pytest.mark.parametrize("codec,label", [("utf-16-le", "little"), ("utf-16-be", "big")])
def test_utf16_without_bom_is_detected(tmp_path, codec, label):
    path = write(tmp_path, "Name,Phone\r\nZoë,0301\r\nBob,0302\r\n".encode(codec))
    result = sniff(path)
    assert result.format.encoding == codec
    assert result.headers == ["Name", "Phone"]
    assert result.sample_rows == [["Zoë", "0301"], ["Bob", "0302"]]
    assert any(f"UTF-16 ({label}-endian)" in w for w in result.warnings)


def test_plain_utf8(tmp_path):
    path = write(tmp_path, "Name,Phone\nZoë Ærø,0301\n".encode())
    result = sniff(path)
    assert result.format.encoding == "utf-8"
    assert result.format.describe()["encoding"] == "UTF-8"
    assert result.sample_rows == [["Zoë Ærø", "0301"]]
    assert result.warnings == []


def test_cp1252_with_a_warning():
    result = sniff(DATA / "semicolon_cp1252.csv")
    assert result.format.encoding == "cp1252"
    assert "The file is not UTF-8; it was read as Windows-1252." in result.warnings
    assert result.sample_rows[0][:3] == ["Jürgen Müßig", "030 1234567", "Bäckerei Größe GmbH"]
    assert result.sample_rows[2][0] == "Žofia Nowak"
    assert result.sample_rows[2][2] == "„Ü“ € Handel"


def test_utf8_sample_cut_inside_a_multibyte_character(tmp_path):
    # 'é' is two bytes in UTF-8; put its first byte last in the 64 KB sample.
    head = b"Name,Phone\n"
    filler = b"A," + b"1" * 20 + b"\n"
    body = head + filler * ((csv_reader.SAMPLE_BYTES - len(head)) // len(filler))
    body += b"x" * (csv_reader.SAMPLE_BYTES - 1 - len(body) - 2) + b",1"
    assert len(body) == csv_reader.SAMPLE_BYTES - 1
    data = body + "é\n".encode() + b"Zed,0301\n"
    assert data[csv_reader.SAMPLE_BYTES - 1] == 0xC3
    path = write(tmp_path, data)
    result = sniff(path)
    assert result.format.encoding == "utf-8"
    assert result.warnings == []
    rows = read_all(path, result.format)[1]
    assert rows[-2][1][1] == "1é"
    assert rows[-1][1] == ["Zed", "0301"]


def test_mostly_utf8_with_some_cp1252_stays_utf8():
    path = DATA / "mixed_utf8_cp1252.csv"
    result = sniff(path)
    assert result.format.encoding == "utf-8"
    assert any("not valid UTF-8" in w for w in result.warnings)
    with CsvReader(path, result.format) as reader:
        rows = [values for _, values in reader]
        assert reader.decode_fallbacks == 1
    assert [r[0] for r in rows] == ["Zoë Ærø", "Renée Côté", "José Núñez", "Müller"]


def test_invalid_bytes_after_the_sample_are_read_as_cp1252(tmp_path):
    filler = b"".join(b"Person %d,+49 170 %07d\n" % (i, i) for i in range(3000))
    assert len(filler) > csv_reader.SAMPLE_BYTES
    tail = "Müller,0301\nStraße ".encode("cp1252") + b"\x81,0302\n"
    path = write(tmp_path, b"Name,Phone\n" + filler + tail)
    result = sniff(path)
    assert result.format.encoding == "utf-8"  # the sample is clean
    with CsvReader(path, result.format) as reader:
        rows = list(reader)
        assert reader.decode_fallbacks == 3  # ü, ß and the undefined 0x81
    assert rows[-2] == (3002, ["Müller", "0301"])
    assert rows[-1] == (3003, ["Straße \x81", "0302"])


def test_fallback_error_handler_is_registered():
    assert b"M\xfcller".decode("utf-8", csv_reader.FALLBACK_ERRORS) == "Müller"
    assert b"\x80 \x81\x8d\x8f\x90\x9d".decode("cp1252", "contactdesk-cp1252") == "€ \x81\x8d\x8f\x90\x9d"


def test_forced_encoding_is_used_as_given():
    result = sniff(DATA / "mixed_utf8_cp1252.csv", encoding="cp1252")
    assert result.format.encoding == "cp1252"
    assert result.sample_rows[0][0] == "ZoÃ« Ã†rÃ¸"  # what the person asked for: mojibake
    assert sniff(DATA / "semicolon_cp1252.csv", encoding="Windows-1252").format.encoding == "cp1252"
    with pytest.raises(ValueError):
        sniff(DATA / "utf8_bom.csv", encoding="no-such-codec")


# --------------------------------------------------------------------------- delimiters


@pytest.mark.parametrize(
    "name,delimiter,label",
    [
        ("semicolon_cp1252.csv", ";", "semicolon"),  # decimal commas in every row
        ("tab_separated.tsv", "\t", "tab"),
        ("pipe_delimited.txt", "|", "pipe"),
        ("quoted_newlines.csv", ",", "comma"),
    ],
)
def test_delimiter_detection(name, delimiter, label):
    result = sniff(DATA / name)
    assert result.format.delimiter == delimiter
    assert result.format.describe()["delimiter"] == label
    assert len(result.headers) >= 2


def test_values_containing_other_candidates_stay_whole():
    assert sniff(DATA / "tab_separated.tsv").sample_rows == [
        ["Ann", "0301", "Acme, Inc."],
        ["Bob", "0302", "Beta; Gamma"],
    ]
    assert sniff(DATA / "pipe_delimited.txt").sample_rows[1] == ["Bob", "0302", "Beta; Gamma"]


def test_one_column_file_is_comma(tmp_path):
    path = write(tmp_path, b"Phone\n+49 170 1234567\n0301 22 33\n")
    result = sniff(path)
    assert result.format.delimiter == ","
    assert result.headers == ["Phone"]
    assert result.sample_rows == [["+49 170 1234567"], ["0301 22 33"]]


def test_forced_delimiter_overrides_detection():
    result = sniff(DATA / "sep_line_semicolon.csv", delimiter=",")
    assert result.format.delimiter == ","
    assert result.format.sep_line is True  # the hint line is still not a row
    assert result.headers == ["Name;Phone;City"]
    assert result.sample_rows[0] == ["Ann;0301;Berlin"]  # ', Mitte' cut: more values than columns
    with pytest.raises(ValueError):
        sniff(DATA / "utf8_bom.csv", delimiter='"')


def test_sep_line_sets_the_delimiter_and_is_skipped():
    result = sniff(DATA / "sep_line_semicolon.csv")
    assert result.format == CsvFormat("utf-8", ";", True, sep_line=True, header_row=1)
    assert result.headers == ["Name", "Phone", "City"]
    assert result.sample_rows == [["Ann", "0301", "Berlin, Mitte"], ["Bob", "0302", "Köln"]]
    assert result.sample_row_numbers == [2, 3]  # Excel hides the sep= line


@pytest.mark.parametrize(
    "first_line,delimiter",
    [
        (b"sep=,", ","),
        (b"sep=\t", "\t"),
        (b'"sep=|"', "|"),
        (b"SEP=;", ";"),
        (codecs.BOM_UTF8 + b"sep=;", ";"),
        (b"sep=;;;", ";"),  # re-saved with empty cells
    ],
)
def test_sep_line_variants(tmp_path, first_line, delimiter):
    rows = ["Name", "Phone"], ["Ann", "0301"], ["Bob", "0302"]
    body = "\r\n".join(delimiter.join(r) for r in rows).encode() + b"\r\n"
    path = write(tmp_path, first_line + b"\r\n" + body)
    result = sniff(path)
    assert result.format.delimiter == delimiter
    assert result.format.sep_line is True
    assert result.headers == ["Name", "Phone"]
    assert result.sample_rows == [["Ann", "0301"], ["Bob", "0302"]]
    assert result.sample_row_numbers == [2, 3]


# --------------------------------------------------------------------------- headers


def test_header_detected_from_known_words(tmp_path):
    path = write(tmp_path, b"E-Mail,Mobile Phone (work),Organisation\nx@y.de,0301,Acme\n")
    result = sniff(path)
    assert result.format.has_header is True
    assert result.headers == ["E-Mail", "Mobile Phone (work)", "Organisation"]


def test_headerless_file_with_phone_numbers():
    result = sniff(DATA / "headerless.csv")
    assert result.format.has_header is False
    assert result.format.describe()["header"] is False
    assert result.headers == ["column_1", "column_2", "column_3"]
    assert result.sample_rows[0] == ["Anna Schmidt", "+49 170 1234567", "anna@example.com"]
    assert result.sample_row_numbers == [1, 2, 3]  # no header: the first data row is row 1


def test_headerless_numbers_above_numbers(tmp_path):
    path = write(tmp_path, b"1,Ann,Berlin\n2,Bob,Hamburg\n3,Cy,Bonn\n")
    result = sniff(path)
    assert result.format.has_header is False
    assert result.sample_rows[0] == ["1", "Ann", "Berlin"]


def test_unknown_column_names_default_to_header(tmp_path):
    path = write(tmp_path, b"Kunde,Rufnummer\nAnn,0301\nBob,0302\n")
    result = sniff(path)
    assert result.format.has_header is True
    assert result.headers == ["Kunde", "Rufnummer"]


def test_forced_has_header(tmp_path):
    result = sniff(DATA / "leading_zeros_and_plus.csv", has_header=False)
    assert result.headers == ["column_1", "column_2", "column_3", "column_4"]
    assert result.sample_rows[0] == ["Name", "Phone", "Zip", "Customer no"]
    assert result.sample_row_numbers == [1, 2, 3]
    result = sniff(DATA / "headerless.csv", has_header=True)
    assert result.headers == ["Anna Schmidt", "+49 170 1234567", "anna@example.com"]
    assert result.sample_row_numbers == [2, 3]


def test_headerless_width_is_the_widest_of_the_first_rows(tmp_path):
    path = write(tmp_path, b"Ann,+49 170 1234567\nBob,+49 170 7654321,bob@example.com\n")
    headers, rows = read_all(path, CsvFormat("utf-8", ",", False))
    assert headers == ["column_1", "column_2", "column_3"]
    assert rows == [(1, ["Ann", "+49 170 1234567", ""]), (2, ["Bob", "+49 170 7654321", "bob@example.com"])]


def test_duplicate_and_empty_header_names_are_made_distinct():
    result = sniff(DATA / "duplicate_headers.csv")
    assert result.headers == ["Phone", "Name", "Phone_3", "column_4", "Phone_2", "phone_4"]
    assert len({h.casefold() for h in result.headers}) == len(result.headers)
    assert result.sample_rows == [["0301", "Ann", "0302", "x", "0303", "0304"]]
    assert "Column 4 has no name; it is shown as column_4." in result.warnings
    assert any('"Phone"; it is shown as "Phone_3"' in w for w in result.warnings)


def test_header_names_are_stripped(tmp_path):
    path = write(tmp_path, b'  Name  , "Phone " ,\t\n"Ann",0301,x\n')
    result = sniff(path)
    assert result.headers == ["Name", "Phone", "column_3"]


def test_simple_duplicate_gets_suffix_2(tmp_path):
    path = write(tmp_path, b"Name,Phone,Phone\nAnn,0301,0302\n")
    assert sniff(path).headers == ["Name", "Phone", "Phone_2"]


# --------------------------------------------------------------------------- quoting, line endings


def test_quoted_delimiters_newlines_and_doubled_quotes():
    result = sniff(DATA / "quoted_newlines.csv")
    assert result.headers == ["Name", "Phone", "Notes"]
    assert result.sample_rows == [
        ["Smith, Anna", "+4917012345", "line one\r\nline two"],
        ["Bob", "030 1234", 'He said "call me" later'],
        ["Cy\nLee", "0171", "a\nb\nc"],
        ["Dee", "0172", "plain"],
    ]
    # a record with quoted line breaks is ONE spreadsheet row
    assert result.sample_row_numbers == [2, 3, 4, 5]


def test_old_mac_cr_line_endings():
    headers, rows = read_all(DATA / "cr_line_endings.csv")
    assert headers == ["Name", "Phone"]
    assert rows == [(2, ["Ann", "0301"]), (3, ["Bob", "0302\rext. 5"]), (4, ["Cy", "0303"])]


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_all_line_endings_read_the_same(tmp_path, newline):
    text = newline.join(["Name,Phone", "Ann,0301", '"Bob', 'Jones",0302', "Cy,0303"]) + newline
    headers, rows = read_all(write(tmp_path, text.encode()))
    assert [n for n, _ in rows] == [2, 3, 4]
    assert rows[1][1] == ["Bob" + newline + "Jones", "0302"]


def test_last_line_without_line_ending(tmp_path):
    headers, rows = read_all(write(tmp_path, b"Name,Phone\nAnn,0301\nBob,0302"))
    assert rows == [(2, ["Ann", "0301"]), (3, ["Bob", "0302"])]


def test_space_after_delimiter_before_a_quote(tmp_path):
    headers, rows = read_all(write(tmp_path, b'Name, Phone\n"Smith, Ann", "0301, ext 5"\n'))
    assert rows == [(2, ["Smith, Ann", "0301, ext 5"])]


# --------------------------------------------------------------------------- blank rows, numbering


def test_blank_and_delimiter_only_rows_are_skipped_but_counted():
    path = DATA / "blank_and_delimiter_only_rows.csv"
    result = sniff(path)
    assert result.sample_rows == [["Ann", "0301"], ["Bob", "0302"], ["Cy", "0303"]]
    assert result.sample_row_numbers == [2, 7, 9]
    assert result.warnings == []  # ',,,,' has nothing beyond the last column
    assert read_all(path)[1] == [(2, ["Ann", "0301"]), (7, ["Bob", "0302"]), (9, ["Cy", "0303"])]


def test_blank_lines_before_the_header_count(tmp_path):
    result = sniff(write(tmp_path, b"\n\nName,Phone\nAnn,0301\n"))
    assert result.headers == ["Name", "Phone"]
    assert result.sample_row_numbers == [4]


# --------------------------------------------------------------------------- ragged rows


def test_short_rows_padded_and_long_rows_truncated():
    path = DATA / "ragged_rows.csv"
    result = sniff(path)
    assert result.headers == ["Name", "Phone", "Email"]
    assert result.sample_rows == [
        ["Ann", "0301", ""],
        ["Bob", "0302", "bob@example.com"],
        ["Cy", "0303", "cy@example.com"],
        ["Dee", "", ""],
    ]
    assert result.warnings == ["Row 3 has more values than there are columns; the extra values are ignored."]
    with CsvReader(path, result.format) as reader:
        assert all(len(values) == 3 for _, values in reader)
        assert reader.truncated_rows == 1
        assert reader.first_truncated_row == 3


# --------------------------------------------------------------------------- values


def test_leading_zeros_and_plus_survive():
    result = sniff(DATA / "leading_zeros_and_plus.csv")
    assert result.sample_rows == [
        ["Ann", "+49 170 1234567", "01067", "000123"],
        ["Bob", "00441234567890", "02115", "0042"],
    ]


def test_values_are_stripped_but_inner_spaces_kept(tmp_path):
    path = write(tmp_path, "Name,Phone\n  Ann  Lee \t, \u00a0+49 170 1 \n".encode())
    assert read_all(path)[1] == [(2, ["Ann  Lee", "+49 170 1"])]


def test_huge_field_beyond_csv_default_limit(tmp_path):
    notes = ("x" * 99 + ",\n") * 2000  # 200 KB in one quoted value, > csv's 128 KB default
    data = f'Name,Phone,Notes\nAnn,0301,"{notes}"\nBob,0302,short\n'.encode()
    path = write(tmp_path, data, "huge_field.csv")
    result = sniff(path)
    assert result.sample_rows[0] == ["Ann", "0301", notes.strip()]
    assert result.sample_row_numbers == [2, 3]
    with chunk_size(4096):  # the value also spans many decoding chunks
        assert read_all(path, result.format)[1][1] == (3, ["Bob", "0302", "short"])


def test_nul_bytes_are_dropped():
    headers, rows = read_all(DATA / "nul_bytes.csv")
    assert headers == ["Name", "Phone"]
    assert rows == [(2, ["Ann", "0301"]), (4, ["Bob", "0302"])]


# --------------------------------------------------------------------------- unclosed quote


def test_unclosed_quote_names_the_row():
    path = DATA / "unclosed_quote.csv"
    with pytest.raises(CsvFileError, match=r"Row 3 has a quotation mark \(\"\) that is never closed"):
        sniff(path)
    fmt = CsvFormat("utf-8", ",", True)
    with CsvReader(path, fmt) as reader:
        got = []
        with pytest.raises(CsvFileError, match="Row 3"):
            for item in reader:
                got.append(item)
    assert got == [(2, ["Ann", "0301"])]  # the rows before it are fine


def test_unclosed_quote_in_the_last_row_without_line_ending(tmp_path):
    with pytest.raises(CsvFileError, match="Row 2 "):
        sniff(write(tmp_path, b'Name,Phone\n"Ann'))


def test_quote_inside_an_unquoted_value_is_just_text(tmp_path):
    result = sniff(write(tmp_path, b'Name,Notes\nAnn,5" screen\nBob,ok\n'))
    assert result.sample_rows == [["Ann", '5" screen'], ["Bob", "ok"]]


# --------------------------------------------------------------------------- empty & errors


def test_missing_file():
    with pytest.raises(CsvFileError, match=r'"no-such-file.csv" does not exist'):
        sniff(DATA / "no-such-file.csv")
    with pytest.raises(CsvFileError, match="does not exist"):
        CsvReader(DATA / "no-such-file.csv", CsvFormat("utf-8", ",", True))


def test_folder_is_not_a_file(tmp_path):
    with pytest.raises(CsvFileError, match="folder"):
        sniff(tmp_path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path):
    path = write(tmp_path, b"Name\nAnn\n")
    path.chmod(0)
    try:
        with pytest.raises(CsvFileError, match="not allowed to read"):
            sniff(path)
    finally:
        path.chmod(0o600)


def test_zero_byte_file_is_empty(tmp_path):
    with pytest.raises(CsvFileError, match="empty"):
        sniff(write(tmp_path, b""))


def test_whitespace_only_file_is_empty():
    with pytest.raises(CsvFileError, match="The file is empty"):
        sniff(DATA / "whitespace_only.csv")
    with pytest.raises(CsvFileError, match="The file is empty"):
        CsvReader(DATA / "whitespace_only.csv", CsvFormat("utf-8", ",", True))


def test_header_only_file_is_empty():
    with pytest.raises(CsvFileError) as info:
        sniff(DATA / "header_only.csv")
    assert str(info.value) == "The file has a header row but no contacts."
    with CsvReader(DATA / "header_only.csv", CsvFormat("utf-8", ",", True)) as reader:
        assert reader.headers == ["Name", "Phone", "Email"]
        assert list(reader) == []


def test_single_unclear_row_is_shown_as_a_contact(tmp_path):
    path = write(tmp_path, b"Ann,Lee\n")
    result = sniff(path)
    assert result.format.has_header is False
    assert result.sample_rows == [["Ann", "Lee"]]
    with pytest.raises(CsvFileError, match="header row but no contacts"):
        sniff(path, has_header=True)


def _xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("contacts.csv", "Name\nAnn\n")
    return buf.getvalue()


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("contacts.xlsx", _xlsx_bytes(), "This is an Excel workbook (.xlsx); save it as CSV"),
        ("contacts.csv", _xlsx_bytes(), "This is an Excel workbook (.xlsx); save it as CSV"),
        ("renamed.xlsx", b"PK\x03\x04" + b"\0" * 60, "This is an Excel workbook (.xlsx); save it as CSV"),
        ("contacts.zip", _zip_bytes(), "This looks like a binary file, not a CSV text file"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel workbook (.xls)"),
        ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "This looks like a PDF"),
        ("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "This looks like a binary file, not a CSV text file"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\0\x10JFIF", "This looks like a binary file, not a CSV text file"),
        ("anim.gif", b"GIF89a\x01\0\x01\0", "This looks like a binary file, not a CSV text file"),
        ("blob.csv", bytes(range(256)) * 4, "This looks like a binary file, not a CSV text file"),
    ],
)
def test_binary_files_are_refused(tmp_path, name, data, message):
    with pytest.raises(CsvFileError) as info:
        sniff(write(tmp_path, data, name))
    assert message in str(info.value)


# --------------------------------------------------------------------------- streaming


def test_reader_streams_rows_with_progress(tmp_path):
    lines = ["Name,Phone"] + [f"Person {i},+49 170 {i:07d}" for i in range(2000)]
    path = write(tmp_path, ("\r\n".join(lines) + "\r\n").encode())
    fmt = sniff(path).format
    with chunk_size(1000), CsvReader(path, fmt) as reader:
        assert reader.bytes_total == path.stat().st_size
        it = iter(reader)
        assert next(it) == (2, ["Person 0", "+49 170 0000000"])
        assert 0 < reader.bytes_read < reader.bytes_total  # has not slurped the file
        rest = list(it)
        assert reader.bytes_read == reader.bytes_total
        assert reader.decode_fallbacks == 0
    assert len(rest) == 1999
    assert rest[-1] == (2001, ["Person 1999", "+49 170 0001999"])


def test_reader_context_manager_closes_the_file(tmp_path):
    path = write(tmp_path, b"Name\nAnn\n")
    with CsvReader(path, CsvFormat("utf-8", ",", True)) as reader:
        pass
    assert reader._file.closed


def test_iterating_twice_continues_where_it_stopped(tmp_path):
    path = write(tmp_path, b"Name\nAnn\nBob\nCy\n")
    with CsvReader(path, CsvFormat("utf-8", ",", True)) as reader:
        for item in reader:
            assert item == (2, ["Ann"])
            break
        assert list(reader) == [(3, ["Bob"]), (4, ["Cy"])]


def test_sample_size_limits_the_preview(tmp_path):
    lines = ["Name,Phone"] + [f"P{i},0301{i}" for i in range(300)]
    path = write(tmp_path, "\n".join(lines).encode())
    assert len(sniff(path).sample_rows) == 100
    result = sniff(path, sample_size=5)
    assert result.sample_row_numbers == [2, 3, 4, 5, 6]
    assert sniff(path, sample_size=0).sample_rows == []


# --------------------------------------------------------------------------- properties


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600), name=st.sampled_from(["x.csv", "x.xlsx", "x.txt"]))
def test_arbitrary_bytes_never_crash(tmp_path, data, name):
    path = tmp_path / name
    path.write_bytes(data)
    _sniff_and_read_or_csv_file_error(path)


def _sniff_and_read_or_csv_file_error(path: Path) -> None:
    """sniff() and a full CsvReader pass either work or raise CsvFileError, nothing else."""
    try:
        result = sniff(path)
    except CsvFileError:
        return
    assert len(set(result.headers)) == len(result.headers)
    assert all(len(r) == len(result.headers) for r in result.sample_rows)
    try:
        with chunk_size(7), CsvReader(path, result.format) as reader:
            for number, values in reader:
                assert number >= 1
                assert len(values) == len(reader.headers)
    except CsvFileError:
        pass


_cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=12).map(
    str.strip
)


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(_cell, min_size=3, max_size=3), min_size=1, max_size=15),
    delimiter=st.sampled_from(list(DELIMITERS)),
    newline=st.sampled_from(["\r\n", "\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    chunk=st.integers(min_value=1, max_value=64),
)
def test_written_rows_read_back(tmp_path, rows, delimiter, newline, encoding, chunk):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_ALL).writerows(
        [["Name", "Phone", "Email"], *rows]
    )
    path = tmp_path / "roundtrip.csv"
    path.write_bytes(buf.getvalue().encode(encoding))
    expected = [(n, r) for n, r in enumerate(rows, 2) if any(r)]
    fmt = CsvFormat(encoding, delimiter, True)
    with chunk_size(chunk), CsvReader(path, fmt) as reader:
        assert reader.headers == ["Name", "Phone", "Email"]
        assert list(reader) == expected
        assert reader.decode_fallbacks == 0


_csvish = st.lists(
    st.sampled_from(
        [
            b",",
            b";",
            b"\t",
            b"|",
            b'"',
            b'""',
            b"\r",
            b"\n",
            b"\r\n",
            b" ",
            b"Ann",
            b"0",
            b"Name",
            b"Phone",
            b"+49 170 1234567",
            b"a@b.de",
            b"\xc3\xa9",
            b"\xe9",
            b"\x81",
            b"\x00",
            b"sep=;",
            b"\xef\xbb\xbf",
            b"\xff\xfe",
            b"\xfe\xff",
            b"\xd0\xcf",
        ]
    ),
    max_size=80,
).map(b"".join)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_csvish)
def test_csv_like_bytes_never_crash(tmp_path, data):
    """Like test_arbitrary_bytes_never_crash, with bytes that mostly get past the binary check."""
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    _sniff_and_read_or_csv_file_error(path)


# ------------------------------------------------------------------ title rows above the header


def test_title_rows_above_the_column_names_are_skipped_and_reported():
    result = sniff(DATA / "title_rows_and_footer.csv")
    assert result.format.has_header is True
    assert result.format.header_row == 4
    assert result.headers == ["Name", "Balance", "First Name", "Last Name", "Phone"]
    assert result.sample_row_numbers[0] == 5  # the file's own row numbers
    assert result.warnings == [
        "Rows 1 to 3 above the column names were skipped (a title: 'Acme Books v4 - December 19, 2020');"
        " the column names are on row 4."
    ]


def test_a_chosen_header_row_is_read_as_column_names(tmp_path):
    result = sniff(DATA / "title_rows_and_footer.csv", header_row=3)
    assert result.format.header_row == 3
    assert result.headers[0] == "CLIENTS"
    assert result.sample_row_numbers[0] == 4
    with pytest.raises(CsvFileError, match="Row 99 is past the last row"):
        sniff(DATA / "title_rows_and_footer.csv", header_row=99)
    with pytest.raises(ValueError, match="from 1 on"):
        sniff(DATA / "title_rows_and_footer.csv", header_row=0)


@pytest.mark.parametrize(
    "text",
    [
        "Name,Phone\nAnn,2125550147\n",  # an ordinary header
        "2125550147\n2125550148\n2125550149\n",  # one column of numbers, no header
        "Ann,,\nBob,2125550148,x\nCem,2125550149,y\n",  # a sparse first contact is no title
    ],
)
def test_ordinary_files_have_no_title_rows(tmp_path, text):
    path = tmp_path / "plain.csv"
    path.write_text(text)
    result = sniff(path)
    assert not any("above the column names" in warning for warning in result.warnings)
    assert result.format.header_row in (None, 1)


def test_sniffing_and_mapping_a_wide_16_mb_export_is_quick(tmp_path):
    # The figure and the script that measures it: bench/detect_speed.py (about 5 ms here; the target is 0.3 s).
    import importlib.util
    import time

    from contactdesk.core.mapping import resolve_mapping

    spec = importlib.util.spec_from_file_location(
        "detect_speed", Path(__file__).parents[2] / "bench" / "detect_speed.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = tmp_path / "wide_export.csv"
    bench.write_file(path)
    assert path.stat().st_size >= 16 * 1024 * 1024
    sniff(path)  # warm-up: phonenumbers loads its metadata once per process
    started = time.perf_counter()
    sniffed = sniff(path)
    mapping = resolve_mapping(sniffed.headers, sample_rows=sniffed.sample_rows)
    elapsed = time.perf_counter() - started
    assert len(sniffed.headers) == 200 and mapping.headers[mapping.phone_column] == "Mobile Phone"
    assert elapsed < 1.0  # generous for a shared machine
