"""The benchmark script keeps working (a tiny run; the real one is `python bench/run.py`)."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_bench(script: str, *args: str) -> subprocess.CompletedProcess:
    """``python bench/SCRIPT ARGS...``, which must succeed; its output."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done


def test_benchmark_smoke(tmp_path):
    done = run_bench("run.py", "--rows", "2000", "--repeat", "1", "--work", str(tmp_path))
    assert "contactdesk import, empty campaign" in done.stdout
    assert "CPU s" in done.stdout  # steadier than wall time on a busy machine
    assert "contactdesk import, re-import" in done.stdout
    assert "straightforward importer" in done.stdout


def test_the_half_known_profile_imports_a_second_file_half_of_whose_rows_were_imported(tmp_path):
    done = run_bench("run.py", "--rows", "1000", "--repeat", "1", "--work", str(tmp_path), "--profile", "halfknown")
    assert "import of the first file, empty campaign" in done.stdout
    assert "second file, half known: pending replaced" in done.stdout
    assert "second file, half known: --keep-pending" in done.stdout
    with (
        open(tmp_path / "halfknown-1000-first.csv", newline="") as first,
        open(tmp_path / "halfknown-1000.csv") as second,
    ):
        earlier, later = list(csv.reader(first))[1:], list(csv.reader(second))[1:]
    assert len(later) == 1000
    assert sum(row in earlier for row in later) == 500


@pytest.mark.parametrize("profile", ["shapes", "international"])
def test_every_number_of_the_other_benchmark_files_is_read_without_the_slow_parser(profile, tmp_path, monkeypatch):
    """Extensions, spreadsheet spaces, 001/+1 forms, other countries' numbers in both forms: all fast."""
    import contactdesk.core.phone as phone

    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    from profiles import write_profile

    path = tmp_path / f"{profile}.csv"
    write_profile(profile, 3000, str(path))
    with open(path, newline="", encoding="utf-8") as handle:
        numbers = [row[0] for row in list(csv.reader(handle))[1:]]
    expected = [phone.PhoneNormalizer("US", fast_path=False).normalize(number) for number in numbers]
    parsed = []
    slow_parse = phone.phonenumbers.parse
    monkeypatch.setattr(phone.phonenumbers, "parse", lambda *args, **kwargs: parsed.append(args) or slow_parse(*args))
    assert [phone.PhoneNormalizer("US").normalize(number) for number in numbers] == expected
    assert parsed == []


@pytest.mark.slow
@pytest.mark.postgresql
def test_server_benchmark_smoke():
    pytest.importorskip("pgserver")
    done = run_bench("pg_bench.py", "--rows", "2000", "--repeat", "1")
    assert "psql \\copy into an unindexed table (reference)" in done.stdout
    assert "contactdesk import, re-import (all replaced)" in done.stdout
