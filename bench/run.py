"""Import benchmark: ContactDesk against SQLite's own CSV import and a straightforward importer.

Prints a table of median wall times over --repeat runs, the ratio to `sqlite3 .import`
on the same file, the median CPU time (user + system: steadier than wall time when other
work shares the machine), and each command's peak memory (RSS). Every command runs as its own
process, so start-up time is included, as a person would see it.

    python bench/run.py                       # 100k and 1M rows, 3 runs each
    python bench/run.py --rows 10000 --repeat 1   # the quick smoke CI runs
    python bench/run.py --gui                 # also the window's stall and view timings
    python bench/run.py --profile shapes quoting international windows   # files of other makes
    python bench/run.py --rows 100000 --dnc-list 3000000   # imports checked against a do-not-call list
    python bench/run.py --rows 300000 --profile halfknown   # a second file, half of it imported before

The halfknown profile imports a first file into an empty campaign, then a second file of the same
size, half of whose rows are the first file's; that second import is timed twice, on copies of the
same database: as it runs by default (the first file's pending contacts replaced, archived for
undo) and with --keep-pending (the known numbers skipped as already in the campaign). The
reference is sqlite3 .import of the second file.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from profiles import HALF_KNOWN, PROFILES, first_file, profile_file  # noqa: E402

PYTHON = sys.executable


def timed(command: list[str], env: dict | None = None) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (MiB) and CPU seconds (user + system, all threads) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {process.stderr.read().decode()[-500:]}")
    return elapsed, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def contactdesk(*args: str) -> list[str]:
    return [PYTHON, "-m", "contactdesk", *args]


class Measure:
    def __init__(self, label: str):
        self.label = label
        self.times: list[float] = []
        self.rss: list[int] = []
        self.cpu: list[float] = []

    def add(self, sample: tuple[float, int, float]) -> None:
        self.times.append(sample[0])
        self.rss.append(sample[1])
        self.cpu.append(sample[2])

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def dnc_template(entries: int, work: Path) -> Path:
    """A database with one campaign and a do-not-call list of ``entries`` numbers, made once."""
    from generate_dnc import generate as generate_list

    template = work / f"dnc-{entries}.sqlite3"
    if not template.exists():
        registry = work / f"dnc-{entries}.txt"
        generate_list(entries, str(registry))
        subprocess.run(
            contactdesk("campaign", "create", "Bench", "--db", str(template)), check=True, capture_output=True
        )
        subprocess.run(
            contactdesk("dnc", "import", str(registry), "--db", str(template)), check=True, capture_output=True
        )
    return template


def sqlite_import(profile: str, data: Path) -> list[str]:
    """sqlite3's commands that load the file into a table t, each value in its own column."""
    if profile == "windows":  # semicolons: read as one column by --csv, which would flatter the reference
        return [".mode csv", ".separator ;", f".import {data} t"]
    return [f".import --csv {data} t"]


def bench_size(
    rows: int, repeat: int, work: Path, naive: bool, profile: str = "benchmark", dnc_list: int = 0
) -> list[Measure]:
    data = profile_file(work, profile, rows)
    template = dnc_template(dnc_list, work) if dnc_list else None
    sqlite = Measure("sqlite3 .import (reference)")
    first = Measure("contactdesk import, empty campaign")
    again = Measure("contactdesk import, re-import (all replaced)")
    plain = Measure("straightforward importer")
    if profile == HALF_KNOWN:
        first = Measure("import of the first file, empty campaign")
        again = Measure("second file, half known: pending replaced")
        kept = Measure("second file, half known: --keep-pending")
        earlier = first_file(data)
    has_sqlite = shutil.which("sqlite3") is not None
    for run in range(repeat):
        if has_sqlite:
            target = work / f"ref-{run}.sqlite3"
            target.unlink(missing_ok=True)
            sqlite.add(timed(["sqlite3", str(target), *sqlite_import(profile, data)]))
            target.unlink()
        db = work / f"cd-{run}.sqlite3"
        for leftover in work.glob(f"cd-{run}.sqlite3*"):
            leftover.unlink()
        shutil.rmtree(work / "backups", ignore_errors=True)
        if template is not None:
            shutil.copyfile(template, db)
        else:
            subprocess.run(contactdesk("campaign", "create", "Bench", "--db", str(db)), check=True, capture_output=True)
        if profile == HALF_KNOWN:
            first.add(timed(contactdesk("import", "1", str(earlier), "--db", str(db))))
            other = work / f"cd-{run}-kept.sqlite3"
            for leftover in work.glob(f"cd-{run}-kept.sqlite3*"):
                leftover.unlink()
            for suffix in ("", "-wal"):  # the same database, whatever is still in its write-ahead log
                if Path(f"{db}{suffix}").exists():
                    shutil.copyfile(f"{db}{suffix}", f"{other}{suffix}")
            again.add(timed(contactdesk("import", "1", str(data), "--db", str(db))))
            kept.add(timed(contactdesk("import", "1", str(data), "--keep-pending", "--db", str(other))))
            for leftover in work.glob(f"cd-{run}-kept.sqlite3*"):
                leftover.unlink()
        else:
            first.add(timed(contactdesk("import", "1", str(data), "--db", str(db))))
            again.add(timed(contactdesk("import", "1", str(data), "--db", str(db))))
        for leftover in work.glob(f"cd-{run}.sqlite3*"):
            leftover.unlink()
        if naive:
            db = work / f"naive-{run}.sqlite3"
            plain.add(timed([PYTHON, str(HERE / "naive_import.py"), str(db), str(data)]))
            for leftover in work.glob(f"naive-{run}.sqlite3*"):
                leftover.unlink()
    if profile == HALF_KNOWN:
        return [m for m in (sqlite, first, again, kept) if m.times]
    return [m for m in (sqlite, first, again, plain) if m.times]


def print_table(rows: int, measures: list[Measure], profile: str = "benchmark") -> None:
    reference = measures[0].median if measures[0].label.startswith("sqlite3") else None
    print(f"\n{rows:,} rows, profile {profile}")
    print(f"| {'command':<46} | {'median s':>9} | {'x sqlite3':>9} | {'CPU s':>7} | {'peak RSS MiB':>12} |")
    print(f"|{'-' * 48}|{'-' * 11}|{'-' * 11}|{'-' * 9}|{'-' * 14}|")
    for m in measures:
        ratio = f"{m.median / reference:.1f}" if reference else "n/a"
        cpu = statistics.median(m.cpu)
        print(f"| {m.label:<46} | {m.median:>9.2f} | {ratio:>9} | {cpu:>7.2f} | {max(m.rss):>12} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--naive-max-rows",
        type=int,
        default=100_000,
        help="run the straightforward importer only up to this size (it is slow)",
    )
    parser.add_argument(
        "--profile", nargs="+", default=["benchmark"], choices=sorted(PROFILES), help="shapes of file to import"
    )
    parser.add_argument("--gui", action="store_true", help="also measure the window (offscreen)")
    parser.add_argument(
        "--dnc-list",
        type=int,
        default=0,
        metavar="N",
        help="import into a database whose do-not-call list has N numbers",
    )
    parser.add_argument("--work", type=Path, help="folder for data and databases (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="contactdesk-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; data in {work}")
    for profile in args.profile:
        for rows in args.rows:
            naive = profile == "benchmark" and rows <= args.naive_max_rows
            measures = bench_size(rows, args.repeat, work, naive=naive, profile=profile, dnc_list=args.dnc_list)
            print_table(rows, measures, profile)
    if args.gui:
        from gui_bench import run_gui_bench

        run_gui_bench(max(args.rows), work)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
