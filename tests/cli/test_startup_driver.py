"""The PostgreSQL driver is loaded only when a team server is opened: a command on a database
file starts without it (it was three quarters of every start's imports), and team mode works
from a fresh process all the same."""

import json
import subprocess
import sys

import pytest

# Runs one command as `contactdesk` does, then says whether psycopg was loaded.
_RUN = """
import json, sys
from contactdesk.__main__ import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "psycopg": "psycopg" in sys.modules}))
"""


def run_fresh(*args) -> tuple[dict, str]:
    done = subprocess.run([sys.executable, "-c", _RUN, *map(str, args)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    *printed, outcome = done.stdout.strip().splitlines()
    return json.loads(outcome), "\n".join(printed)


def test_a_command_on_a_file_starts_without_the_postgresql_driver(tmp_path):
    pytest.importorskip("psycopg")  # nothing to show when it is not installed
    db = tmp_path / "c.sqlite3"
    outcome, printed = run_fresh("--db", db, "campaign", "create", "Spring")
    assert outcome == {"code": 0, "psycopg": False}
    outcome, printed = run_fresh("--db", db, "campaign", "list")
    assert outcome == {"code": 0, "psycopg": False} and "Spring" in printed


@pytest.mark.postgresql
def test_a_fresh_process_works_a_campaign_on_a_team_server(pg_database_uri):
    outcome, _ = run_fresh("--db", pg_database_uri, "campaign", "create", "Team spring")
    assert outcome == {"code": 0, "psycopg": True}
    outcome, printed = run_fresh("--db", pg_database_uri, "campaign", "list")
    assert outcome["code"] == 0 and "Team spring" in printed
