"""Write a do-not-call registry file: one 10-digit number per line, sorted, as registries deliver them.

python bench/generate_dnc.py 3000000 dnc.txt         # about 33 MB, a few large area codes
python bench/generate_dnc.py 3000000 dnc.zip --zip
contactdesk dnc import dnc.txt                       # the list import being measured
"""

import argparse
import random
import zipfile
from pathlib import Path

AREA_CODES = (212, 213, 312, 415, 646, 718, 773, 818)


def lines(count: int, seed: int = 1):
    """``count`` distinct numbers, ascending, spread over the area codes' exchanges."""
    rng = random.Random(seed)
    per_area = -(-count // len(AREA_CODES))
    written = 0
    for area in AREA_CODES:
        # A registry holds about a third of an area code's 8 million numbers: step 1-5.
        number = area * 10_000_000 + 2_000_000
        for _ in range(min(per_area, count - written)):
            number += rng.randint(1, 5)
            yield f"{number}\n"
        written += min(per_area, count - written)


def generate(count: int, path: str, zipped: bool = False, seed: int = 1) -> None:
    text_path = Path(path).with_suffix(".txt") if zipped else Path(path)
    with text_path.open("w", newline="") as handle:
        buffer = []
        for line in lines(count, seed):
            buffer.append(line)
            if len(buffer) >= 100_000:
                handle.write("".join(buffer))
                buffer = []
        handle.write("".join(buffer))
    if zipped:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(text_path, text_path.name)
        text_path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("path")
    parser.add_argument("--zip", action="store_true", help="write a zip archive holding the text file")
    args = parser.parse_args()
    generate(args.count, args.path, args.zip)


if __name__ == "__main__":
    main()
