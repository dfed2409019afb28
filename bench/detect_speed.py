"""How long sniffing and column detection take on a wide, large export.

Writes a 200-column, 16 MB CSV (three phone-like columns among ids, dates, amounts and notes),
then times ``sniff`` + ``resolve_mapping`` as an import and the wizard run them. Prints the
median of several runs. Usage: ``python bench/detect_speed.py [--runs 7]``.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from contactdesk.core.csv_reader import sniff  # noqa: E402
from contactdesk.core.mapping import resolve_mapping  # noqa: E402

COLUMNS = 200
TARGET_BYTES = 16 * 1024 * 1024


def headers() -> list[str]:
    names = ["Customer ID", "First Name", "Last Name", "Company", "Email", "Work Phone", "Mobile Phone", "Fax"]
    names += [f"Custom Field {i}" for i in range(len(names), COLUMNS)]
    return names


def row(rng: random.Random, n: int) -> list[str]:
    cells = [
        str(1_000_000 + n),
        rng.choice(["Ann", "Bob", "Cem", "Dana"]),
        rng.choice(["Meier", "Okafor", "Nguyen"]),
        "Acme",
        f"user{n}@example.com",
        "" if n % 3 else f"(212) 555-{n % 10000:04d}",
        f"646-555-{n % 10000:04d}",
        f"212-555-{(n + 7) % 10000:04d}",
    ]
    cells += [f"v{rng.randrange(10**6)}" for _ in range(len(cells), COLUMNS)]
    return cells


def write_file(path: Path) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(headers()) + "\r\n")
        n = 0
        while handle.tell() < TARGET_BYTES:
            handle.write(",".join(row(rng, n)) + "\r\n")
            n += 1


def detect(path: Path) -> float:
    started = time.perf_counter()
    sniffed = sniff(path)
    mapping = resolve_mapping(
        sniffed.headers, None, has_header=sniffed.format.has_header, sample_rows=sniffed.sample_rows
    )
    elapsed = time.perf_counter() - started
    assert mapping.headers[mapping.phone_column] == "Mobile Phone", mapping.phone_column
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wide_export.csv"
        write_file(path)
        detect(path)  # warm-up: imports, phonenumbers metadata
        times = [detect(path) for _ in range(args.runs)]
        size = path.stat().st_size / 1024 / 1024
    print(
        f"{COLUMNS} columns, {size:.1f} MB: sniff + mapping median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.runs} runs)"
    )


if __name__ == "__main__":
    main()
