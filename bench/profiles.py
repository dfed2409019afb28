"""Seeded files of other shapes than the benchmark's own, so speed is measured on what people have.

Each profile writes ``count`` rows; the importer is never told which profile a file is.
"halfknown" writes two files of the benchmark's make: the file imported first (see first_file)
and the one given, whose rows are half the first file's rows and half new numbers.

    python bench/profiles.py shapes 1000000 /tmp/shapes-1m.csv
    python bench/profiles.py halfknown 300000 /tmp/halfknown-300k.csv
"""

import argparse
import csv
import random
from pathlib import Path

from generate import CITIES, FIRST, LAST, PLANS
from generate import rows as benchmark_rows

NOTES = [
    'Asked us to call back "after lunch"',
    'Prefers email; said "don\'t call Fridays"',
    "Interested in the gold plan,\nfollow up next week",
    "Left a voicemail",
    "",
]


def _us_number(rng: random.Random) -> tuple[int, int, int]:
    return rng.randrange(201, 990), rng.randrange(200, 1000), rng.randrange(10000)


def _shaped(rng: random.Random, area: int, exchange: int, line: int) -> str:
    """The shapes real exports hold: extensions, country codes written many ways, spreadsheet spaces."""
    kind = rng.randrange(12)
    number = [
        f"({area}) {exchange}-{line:04d}",
        f"1 ({area}) {exchange} {line:04d}",
        f"+1.{area}.{exchange}.{line:04d}",
        f"001 {area} {exchange} {line:04d}",
        f"  {area}-{exchange}-{line:04d} ",
        f"{area}\u00a0{exchange}\u00a0{line:04d}",
        f"{area}\u2013{exchange}\u2013{line:04d}",
        f"{area}{exchange}{line:04d}",
        f"+1 {area} {exchange} {line:04d}",
        f"({area}){exchange}-{line:04d}",
        f"{area}.{exchange}.{line:04d}",
        f"1-{area}-{exchange}-{line:04d}",
    ][kind]
    if rng.random() < 0.11:
        number += rng.choice(
            [f" x{rng.randrange(1, 999)}", f" ext. {rng.randrange(1, 99)}", f" #{rng.randrange(1, 99)}"]
        )
    return number


def _person(rng: random.Random, index: int, comma_names: float = 0.0) -> tuple[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    name = f"{last}, {first}" if rng.random() < comma_names else f"{first} {last}"
    return name, f"{first.lower()}.{last.lower()}{index}@example.com"


def shapes(count: int, rng: random.Random):
    yield ["Phone", "Name", "Email", "Company", "Plan", "City", "Age"]
    for index in range(count):
        name, email = _person(rng, index)
        yield [_shaped(rng, *_us_number(rng)), name, email, "Acme", rng.choice(PLANS), rng.choice(CITIES), "42"]


def quoting(count: int, rng: random.Random):
    yield [
        "Full Name", "Mobile", "Email", "Company", "Notes", "Plan", "City", "Age",
        "Owner", "Source", "Score", "Last Contacted",
    ]  # fmt: skip
    for index in range(count):
        name, email = _person(rng, index, comma_names=0.2)
        area, exchange, line = _us_number(rng)
        notes = (
            "Long notes: " + "x" * 2048 if rng.random() < 0.01 else (rng.choice(NOTES) if rng.random() < 0.3 else "")
        )
        yield [
            name, f"({area}) {exchange}-{line:04d}", email, f"{rng.choice(LAST)}, Inc.", notes,
            rng.choice(PLANS), rng.choice(CITIES), str(rng.randrange(18, 90)), rng.choice(FIRST), "web",
            str(rng.randrange(100)), f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
        ]  # fmt: skip


_ABROAD = [
    ("+44 20 7946 {0:04d}", "020 7946 {0:04d}"),
    ("+49 30 1234{0:04d}", "030 1234{0:04d}"),
    ("+33 1 42 68 {1:02d} {2:02d}", "01 42 68 {1:02d} {2:02d}"),
    ("+91 98765 {0:04d}{3}", "098765 {0:04d}{3}"),
]


def international(count: int, rng: random.Random):
    yield ["phone", "name", "email", "company", "country"]
    for index in range(count):
        name, email = _person(rng, index)
        if rng.random() < 0.3:
            written = rng.choice(_ABROAD)[rng.randrange(2)]
            line = rng.randrange(10000)
            phone = written.format(line, line // 100, line % 100, rng.randrange(10))
            country = "abroad"
        else:
            phone = _shaped(rng, *_us_number(rng))
            country = "US"
        yield [phone, name, email, "Acme", country]


def windows(count: int, rng: random.Random):
    yield from benchmark_rows(count, rng.randrange(1 << 30))


HALF_KNOWN = "halfknown"


def first_file(path) -> Path:
    """Where the halfknown profile writes the file that is imported before ``path``."""
    path = Path(path)
    return path.with_name(f"{path.stem}-first{path.suffix}")


def _write_half_known(count: int, path: str, seed: int) -> None:
    """The first file: the benchmark's; the second: its every other row (same numbers, same shapes),
    and between them as many rows of new numbers, with their own repeats and broken numbers."""
    from generate import generate

    first = first_file(path)
    generate(count, str(first), seed)
    new = benchmark_rows(count // 2, seed + 1)
    with open(first, newline="", encoding="utf-8") as source, open(path, "w", encoding="utf-8", newline="") as out:
        reader, writer = csv.reader(source), csv.writer(out)
        writer.writerow(next(reader))
        for index, row in enumerate(reader):
            if index % 2 == 0:
                writer.writerow(row)
                fresh = next(new, None)
                if fresh is not None:
                    writer.writerow(fresh)


PROFILES = {
    "benchmark": None,
    "shapes": shapes,
    "quoting": quoting,
    "international": international,
    "windows": windows,
    HALF_KNOWN: None,
}


def profile_file(work: Path, profile: str, rows: int) -> Path:
    """``work``/PROFILE-ROWS.csv, written the first time it is asked for (seed 1, as every benchmark)."""
    data = work / f"{profile}-{rows}.csv"
    if not data.exists():
        write_profile(profile, rows, str(data))
    return data


def write_profile(profile: str, count: int, path: str, seed: int = 1) -> None:
    rng = random.Random(seed)
    if profile == "benchmark":
        from generate import generate

        generate(count, path, seed)
        return
    if profile == HALF_KNOWN:
        _write_half_known(count, path, seed)
        return
    if profile == "windows":  # Excel on Windows: cp1252, semicolons, CRLF
        with open(path, "w", encoding="cp1252", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(["Telefon", "Name", "E-Mail", "Firma", "Tarif", "Ort", "Alter"])
            writer.writerows(windows(count, rng))
        return
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        rows = PROFILES[profile](count, rng)
        writer.writerow(next(rows))
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", choices=sorted(PROFILES))
    parser.add_argument("rows", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_profile(args.profile, args.rows, args.out, args.seed)


if __name__ == "__main__":
    main()
