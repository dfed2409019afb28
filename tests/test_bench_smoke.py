"""The benchmark script keeps working (a tiny run; the real one is `python bench/run.py`)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_smoke(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--rows", "2000", "--repeat", "1", "--work", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "contactdesk import, empty campaign" in done.stdout
    assert "contactdesk import, re-import" in done.stdout
    assert "straightforward importer" in done.stdout


@pytest.mark.slow
@pytest.mark.postgresql
def test_server_benchmark_smoke():
    pytest.importorskip("pgserver")
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "pg_bench.py"), "--rows", "2000", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "psql \\copy into an unindexed table (reference)" in done.stdout
    assert "contactdesk import, re-import (all replaced)" in done.stdout
