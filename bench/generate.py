"""Seeded CSV generator for the import benchmark.

Rows have mixed US phone shapes, ~5% numbers repeated in another shape, ~1% broken
numbers, and several custom columns (which become template variables).

    python bench/generate.py 1000000 /tmp/contacts-1m.csv
"""

import argparse
import csv
import random

FIRST = ["Ann", "Bob", "Carla", "Dev", "Eun", "Farid", "Gus", "Hana", "Ivo", "Jade", "Kofi", "Lena"]
LAST = ["Smith", "Garcia", "Okafor", "Nguyen", "Müller", "Rossi", "Kowalski", "Haddad", "Silva", "Tanaka"]
PLANS = ["bronze", "silver", "gold", "platinum"]
CITIES = ["Austin", "Boston", "Chicago", "Denver", "Miami", "Seattle", "Portland", "Atlanta"]
BROKEN = ["5.55123E+09", "555-1234", "12345", "n/a", "2125550147.0", "call me"]


def shape(rng: random.Random, area: int, exchange: int, line: int) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return f"{area}{exchange}{line:04d}"
    if kind == 1:
        return f"({area}) {exchange}-{line:04d}"
    if kind == 2:
        return f"1-{area}-{exchange}-{line:04d}"
    if kind == 3:
        return f"+1{area}{exchange}{line:04d}"
    if kind == 4:
        return f"{area}.{exchange}.{line:04d}"
    return f"+1 {area} {exchange} {line:04d}"


def rows(count: int, seed: int):
    rng = random.Random(seed)
    issued: list[tuple[int, int, int]] = []
    for index in range(count):
        roll = rng.random()
        if roll < 0.01:
            phone = rng.choice(BROKEN)
        elif roll < 0.06 and issued:
            phone = shape(rng, *rng.choice(issued))  # the same number again, likely another shape
        else:
            number = (rng.randrange(201, 990), rng.randrange(200, 1000), rng.randrange(10000))
            if len(issued) < 50_000:
                issued.append(number)
            else:
                issued[rng.randrange(len(issued))] = number
            phone = shape(rng, *number)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        yield [
            phone,
            f"{first} {last}",
            f"{first.lower()}.{last.lower()}{index}@example.com",
            f"{last} & Co",
            rng.choice(PLANS),
            rng.choice(CITIES),
            str(rng.randrange(18, 90)),
        ]


def generate(count: int, path: str, seed: int = 1) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["phone", "name", "email", "company", "plan", "city", "age"])
        writer.writerows(rows(count, seed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.rows, args.out, args.seed)


if __name__ == "__main__":
    main()
