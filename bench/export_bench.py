"""Export benchmark: `contacts export` against `sqlite3 -csv DB "select …" > out.csv` of the same contacts.

Imports the benchmark's file once, then times each export as its own process (start-up
included, as a person sees it): median wall time over --repeat runs, the ratio to sqlite3,
CPU time (user + system) and peak RSS. The first export is compared byte for byte with the
same contacts written cell by cell by the rule (json.loads and neutralise on every cell).

    python bench/export_bench.py --rows 200000
    python bench/export_bench.py --rows 1000000 --repeat 3
"""

import argparse
import codecs
import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from profiles import profile_file  # noqa: E402
from run import Measure, contactdesk, print_table, timed  # noqa: E402

# The columns an export writes, straight from the table (variables as their JSON text).
REFERENCE_SELECT = (
    "SELECT phone_number, name, email, company, status, variables FROM contact WHERE campaign_id = 1 ORDER BY id"
)


def _sqlite_export(database: Path, out: Path) -> list[str]:
    return ["sh", "-c", f'sqlite3 -csv "{database}" "{REFERENCE_SELECT}" > "{out}"']


def _by_the_rule(database: Path) -> bytes:
    """The export as the rule writes it, cell by cell, without any of the export's quicker paths."""
    from contactdesk.core.contacts import variable_names
    from contactdesk.core.export import BASE_COLUMNS, neutralise
    from contactdesk.store import init_db

    init_db(database)
    variables = [name for name in variable_names(1) if name not in BASE_COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(name) for name in (*BASE_COLUMNS, *variables)])
    connection = sqlite3.connect(database)
    for *base, text in connection.execute(REFERENCE_SELECT):
        try:
            values = json.loads(text or "{}")
        except ValueError:
            values = {}
        values = values if isinstance(values, dict) else {}
        writer.writerow([neutralise(cell) for cell in (*base, *(str(values.get(name, "")) for name in variables))])
    connection.close()
    return codecs.BOM_UTF8 + out.getvalue().encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", default="benchmark")
    parser.add_argument("--work", type=Path, help="folder for data and databases (default: a temporary one)")
    args = parser.parse_args()
    if shutil.which("sqlite3") is None:
        raise SystemExit("the sqlite3 command is needed as the reference")
    work = args.work or Path(tempfile.mkdtemp(prefix="contactdesk-export-"))
    work.mkdir(parents=True, exist_ok=True)
    data = profile_file(work, args.profile, args.rows)
    database = work / f"export-{args.profile}-{args.rows}.sqlite3"
    if not database.exists():
        subprocess.run(contactdesk("campaign", "create", "Bench", "--db", str(database)), check=True)
        subprocess.run(contactdesk("import", "1", str(data), "--db", str(database)), check=True, capture_output=True)
    reference, ours = Measure("sqlite3 -csv select > out.csv (reference)"), Measure("contactdesk contacts export")
    for run in range(args.repeat):
        out = work / f"out-{run}.csv"
        out.unlink(missing_ok=True)
        reference.add(timed(_sqlite_export(database, out)))
        out.unlink()
        exported = work / f"export-{run}.csv"
        exported.unlink(missing_ok=True)
        ours.add(timed(contactdesk("contacts", "export", "1", str(exported), "--db", str(database))))
        if run > 0:
            exported.unlink()
    print_table(args.rows, [reference, ours], f"{args.profile} (export)")
    # After the timings: the rule's copy held in this process would count in each child's peak RSS.
    exported = work / "export-0.csv"
    if exported.read_bytes() != _by_the_rule(database):
        raise SystemExit(f"{exported} differs from the contacts written cell by cell by the rule")
    exported.unlink()
    print("The export's bytes are those of the rule, cell by cell.")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
