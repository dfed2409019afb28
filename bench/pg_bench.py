"""Import benchmark on a team server: ContactDesk into a local PostgreSQL against psql's \\copy.

Starts a PostgreSQL 16 of its own (pgserver, from the test extra) in a temporary folder, and in
each round, on a fresh database each time, times:

- ``psql -c "\\copy t from FILE csv header"`` of the benchmark file into an unindexed table of
  text columns (the reference: the server's own bulk load, nothing checked);
- ``contactdesk import`` of the same file into an empty campaign, and again (all replaced);
- ``psql -c "\\copy floor_contact from ROWS"``: the rows that first import stored, already
  normalised, into an empty table made like ``contact`` (its indexes, checks and foreign
  keys). No importer that keeps this schema can store them faster: the floor.

Every command runs as its own process (start-up included, as a person would see it). The table
gives the median wall time, the ratio to psql, and the CPU time (user + system) of the command
itself and of the server's processes during it.

    python bench/pg_bench.py --rows 200000 --repeat 3
    python bench/pg_bench.py --rows 1000000 --repeat 3
"""

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from profiles import write_profile  # noqa: E402

PYTHON = sys.executable
_TICKS = os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(folder: Path) -> float:
    """CPU seconds (user + system) used so far by the server's processes, ended backends included."""
    postmaster = int((folder / "postmaster.pid").read_text().split()[0])
    fields = Path(f"/proc/{postmaster}/stat").read_text().rsplit(")", 1)[1].split()
    # utime, stime of the postmaster, and cutime, cstime: its backends that have ended.
    own = sum(int(value) for value in fields[11:15])
    running = 0
    for child in Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split():
        try:
            child_fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        running += int(child_fields[11]) + int(child_fields[12])
    return (own + running) / _TICKS


class Measure:
    def __init__(self, label: str):
        self.label = label
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.server_cpu: list[float] = []

    def run(self, command: list[str], folder: Path, env: dict | None = None) -> None:
        server_before = server_cpu_seconds(folder)
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        self.wall.append(time.perf_counter() - started)
        time.sleep(0.05)  # the backend of a finished command ends, its CPU is then counted
        self.server_cpu.append(server_cpu_seconds(folder) - server_before)
        self.cpu.append(usage.ru_utime + usage.ru_stime)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {process.stderr.read().decode()[-500:]}")


def database_uri(server_uri: str, name: str) -> str:
    parts = urllib.parse.urlsplit(server_uri)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import pgserver
    import psycopg

    work = Path(tempfile.mkdtemp(prefix="cdpgb-"))
    data = work / f"benchmark-{args.rows}.csv"
    write_profile("benchmark", args.rows, str(data))
    with data.open(newline="", encoding="utf-8") as handle:
        width = len(next(csv.reader(handle)))
    server = pgserver.get_server(work / "pg", cleanup_mode="stop")
    psql = str(Path(pgserver.__file__).parent / "pginstall" / "bin" / "psql")
    reference = Measure("psql \\copy into an unindexed table (reference)")
    first = Measure("contactdesk import, empty campaign")
    again = Measure("contactdesk import, re-import (all replaced)")
    floor = Measure("psql \\copy of the stored rows into a copy of contact")
    try:
        uri = server.get_uri()
        for run in range(args.repeat):
            with psycopg.connect(uri, autocommit=True) as admin:
                for name in (f"reference_{run}", f"contactdesk_{run}"):
                    admin.execute(f"DROP DATABASE IF EXISTS {name}")
                    admin.execute(f"CREATE DATABASE {name}")
            plain = database_uri(uri, f"reference_{run}")
            with psycopg.connect(plain, autocommit=True) as conn:
                conn.execute(f"CREATE TABLE t ({', '.join(f'c{n} text' for n in range(width))})")
            reference.run([psql, "-q", plain, "-c", f"\\copy t from '{data}' csv header"], work / "pg")
            target = database_uri(uri, f"contactdesk_{run}")
            env = {**os.environ, "CONTACTDESK_DB": target}
            subprocess.run(
                [PYTHON, "-m", "contactdesk", "campaign", "create", "Bench"], env=env, check=True, capture_output=True
            )
            first.run([PYTHON, "-m", "contactdesk", "import", "1", str(data)], work / "pg", env)
            stored = work / "stored.tsv"
            subprocess.run([psql, "-q", target, "-c", f"\\copy contact to '{stored}'"], check=True)
            again.run([PYTHON, "-m", "contactdesk", "import", "1", str(data)], work / "pg", env)
            with psycopg.connect(target, autocommit=True) as conn:
                conn.execute("CREATE TABLE floor_contact (LIKE contact INCLUDING ALL)")
                for fk in ("(campaign_id) REFERENCES campaign (id)", "(import_run_id) REFERENCES import_run (id)"):
                    conn.execute(f"ALTER TABLE floor_contact ADD FOREIGN KEY {fk}")
            floor.run([psql, "-q", target, "-c", f"\\copy floor_contact from '{stored}'"], work / "pg")
    finally:
        server.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    base = statistics.median(reference.wall)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, PostgreSQL 16 (pgserver), {args.repeat} rounds")
    print(f"\n{args.rows:,} rows, profile benchmark")
    print(f"| {'command':<52} | {'median s':>8} | {'x psql':>6} | {'CPU s':>6} | {'server CPU s':>12} |")
    print(f"|{'-' * 54}|{'-' * 10}|{'-' * 8}|{'-' * 8}|{'-' * 14}|")
    for m in (reference, floor, first, again):
        wall = statistics.median(m.wall)
        cpu, server_cpu = statistics.median(m.cpu), statistics.median(m.server_cpu)
        print(f"| {m.label:<52} | {wall:>8.2f} | {wall / base:>6.1f} | {cpu:>6.2f} | {server_cpu:>12.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
