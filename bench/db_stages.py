"""Where an import's database time goes, stage by stage, in one process.

Runs an import into an empty campaign, then a re-import of the same file (every pending
contact replaced, archived for undo), and prints each database stage's wall and CPU time
(the CPU time of the importing thread; the reader works on another thread meanwhile).

    python bench/db_stages.py --rows 200000                     # the benchmark's own file
    python bench/db_stages.py --rows 200000 --dnc-list 1000000  # with a do-not-call list
    python bench/db_stages.py --rows 1000000 --index-costs        # also: what each contact index costs

--index-costs inserts the imported contacts again, as the import does (file order, one
statement per batch), into empty tables with fewer and fewer of the contact indexes.
"""

import argparse
import contextlib
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from contactdesk.core import importer, suppression  # noqa: E402
from contactdesk.store import archive, contact_import, init_db  # noqa: E402
from contactdesk.store.models import db  # noqa: E402
from profiles import profile_file  # noqa: E402

_spent: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])


@contextlib.contextmanager
def _stage(name: str):
    wall, cpu = time.perf_counter(), time.thread_time()
    try:
        yield
    finally:
        _spent[name][0] += time.perf_counter() - wall
        _spent[name][1] += time.thread_time() - cpu


def _timed(owner, attribute: str, name: str) -> None:
    original = getattr(owner, attribute)

    def wrapper(*args, **kwargs):
        with _stage(name):
            return original(*args, **kwargs)

    setattr(owner, attribute, wrapper)


def _instrument() -> None:
    # The copy before a re-import is written alongside it; the import waits for it before committing.
    _timed(importer.BackupInProgress, "finish", "wait for the backup before re-import")
    _timed(archive, "archive_replaced", "archive copy")
    _timed(archive, "archive_every_contact", "archive (contact table renamed)")
    _timed(contact_import, "delete_rows", "delete replaced (incl. index rebuild)")
    _timed(contact_import.BatchInsert, "insert", "insert batches")
    _timed(contact_import.BatchInsert, "count_already_there", "count numbers already there")
    _timed(suppression.Suppression, "note_batch", "do-not-call check")
    original = importer.write_transaction

    @contextlib.contextmanager
    def transaction(**kwargs):
        context = original(**kwargs)
        conn = context.__enter__()
        try:
            yield conn
        except BaseException:
            if not context.__exit__(*sys.exc_info()):
                raise
        else:
            # Checkpoints are left to the end, so the commit is measured apart from them.
            conn.execute("PRAGMA wal_autocheckpoint = 0")
            with _stage("commit"):
                context.__exit__(None, None, None)
            with _stage("WAL checkpoint"):
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            conn.execute("PRAGMA wal_autocheckpoint = 1000")

    importer.write_transaction = transaction


def _run(label: str, campaign_id: int, data: Path) -> None:
    _spent.clear()
    wall, cpu = time.perf_counter(), time.process_time()
    result = importer.import_file(campaign_id, data)
    if not result.success:
        raise SystemExit(result.message)
    total_wall, total_cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"\n{label}: {result.imported_count:,} imported, {result.removed_count:,} replaced")
    print(f"| {'stage':<40} | {'wall s':>7} | {'CPU s':>7} |")
    print(f"|{'-' * 42}|{'-' * 9}|{'-' * 9}|")
    for name, (spent_wall, spent_cpu) in _spent.items():
        print(f"| {name:<40} | {spent_wall:>7.3f} | {spent_cpu:>7.3f} |")
    print(f"| {'whole import (both threads: CPU)':<40} | {total_wall:>7.3f} | {total_cpu:>7.3f} |")


def _index_costs(database: Path, work: Path) -> None:
    source = sqlite3.connect(database)
    (table_sql,) = source.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'contact'").fetchone()
    indexes = dict(source.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contact'"))
    names = ", ".join(contact_import.COLUMNS)
    rows = source.execute(f"SELECT {names} FROM contact ORDER BY id").fetchall()
    source.close()
    per_statement = contact_import.rows_per_statement(sqlite3.connect(":memory:"))
    unique = "contact_campaign_id_phone_number"
    variants = {
        "every index (as the schema has them)": list(indexes),
        "without (campaign)": [name for name in indexes if name != "contact_campaign_id"],
        "(campaign, phone) only": [unique],
        "no index": [],
    }
    print(f"\ninsert of {len(rows):,} contacts again, by the contact indexes present")
    print(f"| {'indexes':<40} | {'insert CPU s':>12} | {'commit CPU s':>12} |")
    print(f"|{'-' * 42}|{'-' * 14}|{'-' * 14}|")
    for label, present in variants.items():
        target = work / "indexes.sqlite3"
        for leftover in work.glob("indexes.sqlite3*"):
            leftover.unlink()
        conn = sqlite3.connect(target, isolation_level=None)
        for pragma in ("page_size = 16384", "journal_mode = wal", "synchronous = normal", "cache_size = -48000"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute(table_sql)
        for name in present:
            conn.execute(indexes[name])
        conn.execute("BEGIN IMMEDIATE")
        writer = contact_import.BatchInsert(
            conn, contact_import.BatchTarget(1, 1, "2026-01-01 00:00:00.000000", False, 0, False, True)
        )
        started = time.process_time()
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            writer.insert([value for row in batch for value in row], len(batch))
        inserted = time.process_time() - started
        started = time.process_time()
        conn.execute("COMMIT")
        print(f"| {label:<40} | {inserted:>12.3f} | {time.process_time() - started:>12.3f} |")
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--profile", default="benchmark")
    parser.add_argument("--dnc-list", type=int, default=0, metavar="N")
    parser.add_argument("--index-costs", action="store_true", help="also time the insert with fewer contact indexes")
    parser.add_argument("--work", type=Path, help="folder for data and databases (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="contactdesk-stages-"))
    work.mkdir(parents=True, exist_ok=True)
    data = profile_file(work, args.profile, args.rows)
    database = work / "stages.sqlite3"
    for leftover in work.glob("stages.sqlite3*"):
        leftover.unlink()
    shutil.rmtree(work / "backups", ignore_errors=True)
    if args.dnc_list:
        from run import dnc_template

        shutil.copyfile(dnc_template(args.dnc_list, work), database)
    else:
        command = [sys.executable, "-m", "contactdesk", "campaign", "create", "Bench", "--db", str(database)]
        subprocess.run(command, check=True, capture_output=True)
    init_db(database)
    _instrument()
    _run("import into an empty campaign", 1, data)
    _run("re-import, all pending replaced", 1, data)
    db.close()
    if args.index_costs:
        _index_costs(database, work)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
