"""Write contacts to CSV that opens safely in a spreadsheet.

Cells starting with = + - @, tab or CR are prefixed with an apostrophe so a spreadsheet
shows them as text instead of running them as formulas. ContactDesk reads such numbers
back correctly (the phone parser ignores the apostrophe).
"""

import csv
import os
from pathlib import Path

from .contacts import ContactFilter, iter_contacts, variable_names

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BASE_COLUMNS = ("phone_number", "name", "email", "company", "status")


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def export_contacts(contact_filter: ContactFilter, out_path: str | os.PathLike) -> int:
    """Write the matching contacts; returns how many. The file appears whole or not at all."""
    out_path = Path(out_path)
    variables = [name for name in variable_names(contact_filter.campaign_id) if name not in BASE_COLUMNS]
    partial = out_path.with_name(out_path.name + ".partial")
    count = 0
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(BASE_COLUMNS + tuple(variables))
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
