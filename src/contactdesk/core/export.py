"""Write contacts to CSV that opens safely in a spreadsheet.

Cells (header cells too) starting with = + - @, tab or CR are prefixed with an apostrophe so
a spreadsheet shows them as text instead of running them as formulas; E.164 phone numbers and
cells that are only a number are written as they are.

An export never lands on the database, its companion files or its backups, and never
replaces a file that is not a CSV unless told to (``overwrite=True``).
"""

import csv
import os
import re
import tempfile
from pathlib import Path

from ..store.backup import backups_dir, database_path
from ..store.connection import SQLITE_MAGIC
from .contacts import ContactFilter, iter_contacts, variable_names

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BASE_COLUMNS = ("phone_number", "name", "email", "company", "status")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")


class ExportRefused(Exception):
    """The destination must not be written; ``needs_confirmation`` when asking (or --force) allows it."""

    def __init__(self, message: str, *, needs_confirmation: bool = False):
        super().__init__(message)
        self.needs_confirmation = needs_confirmation


# A phone number in E.164 form, or a cell that is only a number, is not a formula: dialers and
# CRMs must read it as it is.
_PLAIN_NUMBER = re.compile(r"\+[1-9]\d{1,14}|[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(cell: str) -> str:
    if not cell.startswith(_FORMULA_STARTS) or _PLAIN_NUMBER.fullmatch(cell):
        return cell
    return "'" + cell


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_destination(out_path: Path, *, overwrite: bool = False) -> None:
    """Raise ExportRefused when writing ``out_path`` would destroy something."""
    target = Path(out_path).absolute()
    database = database_path().absolute()
    protected = [database.with_name(database.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
    if any(target == path or _same_file(target, path) for path in protected):
        raise ExportRefused(f"{target} is the ContactDesk database (or one of its files); choose another file.")
    backups = backups_dir(database).resolve()
    if target.resolve() == backups or backups in target.resolve().parents:
        raise ExportRefused(f"{target} is in the backups folder; choose a file outside {backups}.")
    if target.is_dir():
        raise ExportRefused(f"{target} is a folder; choose a file name.")
    if overwrite or not target.exists():
        return
    if target.suffix.lower() not in CSV_SUFFIXES or _is_sqlite(target):
        raise ExportRefused(
            f"{target} already exists and is not a CSV file; it was left untouched.", needs_confirmation=True
        )


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def export_contacts(contact_filter: ContactFilter, out_path: str | os.PathLike, *, overwrite: bool = False) -> int:
    """Write the matching contacts; returns how many. The file appears whole or not at all.

    Raises ExportRefused (see check_destination) before writing anything.
    """
    out_path = Path(out_path)
    check_destination(out_path, overwrite=overwrite)
    variables = [name for name in variable_names(contact_filter.campaign_id) if name not in BASE_COLUMNS]
    # A new private file beside the destination (mkstemp: mode 0600), renamed over it when complete.
    fd, partial_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".partial", dir=out_path.parent or ".")
    partial = Path(partial_name)
    count = 0
    try:
        with open(fd, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([neutralise(name) for name in BASE_COLUMNS + tuple(variables)])
            for contact in iter_contacts(contact_filter):
                values = contact.variables_dict() if variables else {}
                row = [contact.phone_number, contact.name, contact.email, contact.company, contact.status]
                row.extend(str(values.get(name, "")) for name in variables)
                writer.writerow([neutralise(cell) for cell in row])
                count += 1
        os.replace(partial, out_path)
    finally:
        partial.unlink(missing_ok=True)
    return count
