"""The rows of an import whose phone number cannot be used, written back as the file had them.

Every column of the original row is kept, and a column saying why is added, so a person
can fix the numbers in a spreadsheet and import the saved file again.
"""

import csv
import os
from pathlib import Path

from .csv_reader import CsvReader
from .export import neutralise
from .import_plan import ImportPlan
from .phone import PhoneNormalizer

REASON_COLUMN = "Why it was not imported"
FILE_COLUMN = "File"


def write_invalid_rows(plan: ImportPlan, out_path: str | os.PathLike) -> int:
    """Write the rows of the plan's files with an unusable phone number; returns how many.

    Several files with different columns share one header (each column once, in the order
    first seen) and a File column. The file appears whole or not at all.
    """
    if plan.failure is not None:
        raise ValueError(plan.failure.message)
    several = len(plan.sources) > 1
    columns: list[str] = []
    for source in plan.sources:
        columns.extend(header for header in source.mapping.headers if header not in columns)
    with_header = any(source.format.has_header for source in plan.sources)
    normalize = PhoneNormalizer(plan.region, plan.strict).normalize
    out_path = Path(out_path)
    partial = out_path.with_name(out_path.name + ".partial")
    count = 0
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            if with_header:
                writer.writerow(columns + [REASON_COLUMN] + ([FILE_COLUMN] if several else []))
            for source in plan.sources:
                position = [columns.index(header) for header in source.mapping.headers]
                phone_column = source.mapping.phone_column
                with CsvReader(source.path, source.format) as reader:
                    for _row_number, fields in reader:
                        e164, _extension, reason, _assigned = normalize(fields[phone_column])
                        if e164 is not None:
                            continue
                        row = [""] * len(columns)
                        for index, value in zip(position, fields):
                            row[index] = value
                        row.append(reason)
                        if several:
                            row.append(source.file_name)
                        writer.writerow([neutralise(cell) for cell in row])
                        count += 1
        os.replace(partial, out_path)
    finally:
        partial.unlink(missing_ok=True)
    return count
