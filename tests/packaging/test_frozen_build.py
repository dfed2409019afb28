"""The frozen app, built by packaging/build.sh, does what a user of the download would do.

Slow (about a minute with a warm pip cache, more on a fresh machine) and needs PyPI, so it is
skipped unless asked for:

    .venv/bin/python -m pytest -m frozen tests/packaging        (or CONTACTDESK_TEST_FROZEN=1)

build.sh itself runs packaging/smoke_test.py (the headless selftest, a --region GB import,
every region's metadata, the bundle's contents and libraries) and fails when any check does;
the tests here add what a person checks first.
"""

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.frozen

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dist" / "ContactDesk" / "contactdesk"
BUILD_TIMEOUT_S = 40 * 60
SIZE_LIMIT_MB = 150


def asked_for(config) -> bool:
    expression = config.option.markexpr or ""
    return os.environ.get("CONTACTDESK_TEST_FROZEN") == "1" or (
        "frozen" in expression and "not frozen" not in expression
    )


@pytest.fixture(scope="module")
def build_output(request) -> str:
    if not asked_for(request.config):
        pytest.skip("builds the frozen app (minutes, needs PyPI): python -m pytest -m frozen tests/packaging")
    if not sys.platform.startswith("linux"):
        pytest.skip("build.sh's frozen app is tested on Linux; see packaging/README.md for Windows and macOS")
    proc = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, "packaging/build.sh failed:\n" + "\n".join(output.splitlines()[-60:])
    return output


def frozen(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(APP), *args], capture_output=True, text=True, timeout=300, env=env, stdin=subprocess.DEVNULL, check=False
    )


def test_build_passes_its_smoke_tests(build_output):
    assert "Smoke tests passed." in build_output
    assert "[FAILED]" not in build_output


def test_frozen_version_is_the_project_version(build_output):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert frozen("--version").stdout.strip() == f"ContactDesk {version}"


def test_unpacked_app_is_smaller_than_150_mb(build_output):
    folder = APP.parent
    size = sum(path.lstat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())
    assert size < SIZE_LIMIT_MB * 1024 * 1024, f"{folder} holds {size / 1024 / 1024:.0f} MB"


def test_frozen_cli_imports_uk_and_german_numbers(build_output, tmp_path):
    env = dict(
        os.environ,
        CONTACTDESK_DB=str(tmp_path / "frozen.sqlite3"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    csv_path = tmp_path / "offices.csv"
    csv_path.write_text("Office,Phone\nLondon,020 7946 0958\nBerlin,+49 30 1234567\n", encoding="utf-8")
    campaign = json.loads(frozen("campaign", "create", "Europe", "--json", env=env).stdout)["id"]
    proc = frozen("import", str(campaign), str(csv_path), "--region", "GB", "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["imported_count"] == 2
    listed = json.loads(frozen("contacts", "list", str(campaign), "--json", env=env).stdout)
    assert sorted(row["phone_number"] for row in listed) == ["+442079460958", "+49301234567"]


@pytest.mark.postgresql
def test_frozen_cli_works_a_campaign_on_a_team_server(build_output, pg_database_uri, tmp_path):
    env = dict(
        os.environ,
        CONTACTDESK_DB=pg_database_uri,
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    created = frozen("campaign", "create", "Team", "--json", env=env)
    assert created.returncode == 0, created.stdout + created.stderr
    campaign = json.loads(created.stdout)["id"]
    listed = json.loads(frozen("campaign", "list", "--json", env=env).stdout)
    assert [row["name"] for row in listed] == ["Team"]
    nothing = frozen("contacts", "next", str(campaign), "--caller", "ann", "--json", env=env)
    assert (nothing.returncode, nothing.stdout.strip()) == (0, "null")
