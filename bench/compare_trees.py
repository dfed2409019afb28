"""Two source trees of ContactDesk timed against each other: import and re-import, in pairs.

Each pair runs sqlite3 .import, then both trees' import into an empty campaign and re-import
of the same file (the order of the trees alternates from pair to pair), each as its own
process with PYTHONPATH pointing at that tree. On a machine shared with other work, pairs
taken close together compare better than separate runs.

    git archive main src | tar -x -C /tmp/main-tree
    python bench/compare_trees.py /tmp/main-tree/src src --rows 200000 --pairs 4
    python bench/compare_trees.py /tmp/main-tree/src src --rows 200000 --dnc-list 1000000
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from profiles import PROFILES, profile_file  # noqa: E402
from run import dnc_template, timed  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path, help="a tree's src folder (the one holding contactdesk/)")
    parser.add_argument("second", type=Path)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--profile", default="benchmark", choices=sorted(PROFILES))
    parser.add_argument("--dnc-list", type=int, default=0, metavar="N", help="a do-not-call list of N numbers")
    parser.add_argument("--work", type=Path, help="folder for data and databases (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="contactdesk-compare-"))
    work.mkdir(parents=True, exist_ok=True)
    data = profile_file(work, args.profile, args.rows)
    template = dnc_template(args.dnc_list, work) if args.dnc_list else None
    trees = {str(tree): {**os.environ, "PYTHONPATH": str(tree.resolve())} for tree in (args.first, args.second)}
    samples: dict[tuple[str, str], list] = {(tree, kind): [] for tree in trees for kind in ("import", "re-import")}
    reference = []
    for pair in range(args.pairs):
        target = work / "reference.sqlite3"
        target.unlink(missing_ok=True)
        reference.append(timed(["sqlite3", str(target), f".import --csv {data} t"]))
        target.unlink()
        order = list(trees.items()) if pair % 2 == 0 else list(reversed(trees.items()))
        for number, (tree, env) in enumerate(order):
            database = work / f"tree-{number}.sqlite3"
            for leftover in work.glob(f"tree-{number}.sqlite3*"):
                leftover.unlink()
            shutil.rmtree(work / "backups", ignore_errors=True)
            command = [sys.executable, "-m", "contactdesk"]
            if template is not None:
                shutil.copyfile(template, database)
            else:
                create = [*command, "campaign", "create", "Bench", "--db", str(database)]
                subprocess.run(create, env=env, check=True, capture_output=True)
            for kind in ("import", "re-import"):
                samples[(tree, kind)].append(timed([*command, "import", "1", str(data), "--db", str(database)], env))
    base = statistics.median(sample[0] for sample in reference)
    print(f"{args.rows:,} rows, profile {args.profile}, do-not-call list {args.dnc_list:,}, {args.pairs} pairs")
    print(f"sqlite3 .import: median {base:.2f} s")
    for (tree, kind), runs in samples.items():
        wall = statistics.median(run[0] for run in runs)
        cpu = statistics.median(run[2] for run in runs)
        print(
            f"{tree}  {kind:<9}  wall {wall:6.2f} s ({wall / base:4.1f}x)  CPU {cpu:6.2f} s"
            f"  peak RSS {max(run[1] for run in runs)} MiB  (CPU of each: {', '.join(f'{r[2]:.2f}' for r in runs)})"
        )
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
