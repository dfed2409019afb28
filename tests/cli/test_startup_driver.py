"""The PostgreSQL driver is loaded only when a team server is opened: a command on a database
file, or the window, starts without it (it was over a third of every start's imports), and
team mode works from a fresh process all the same."""

import json
import os
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

# What peewee knows of psycopg: its module's names, the psycopg adapters' attributes, a new
# adapter's, and the adapter a PostgreSQL database picks. Addresses are left out.
_PEEWEE_STATE = """
import json, sys
if sys.argv[1] == "peewee's own import":
    import peewee as pw
else:
    from contactdesk.store.driver import give_peewee_psycopg
    import peewee as pw
    assert pw.psycopg is None, "peewee was loaded with the driver"
    give_peewee_psycopg()

def shown(value):
    return repr(value).split(" at 0x")[0]

state = {name: shown(value) for name, value in vars(pw).items() if not name.startswith("__")}
for adapter in (pw._BasePsycopgAdapter, pw.Psycopg2Adapter, pw.Psycopg3Adapter):
    state.update({f"{adapter.__name__}.{name}": shown(value) for name, value in vars(adapter).items()})
state.update({f"adapter.{name}": shown(value) for name, value in vars(pw.Psycopg3Adapter()).items()})
state["picked"] = type(pw.PostgresqlDatabase("calls", prefer_psycopg3=True)._adapter).__name__
print(json.dumps(state))
"""


def run_python(code: str, *args) -> str:
    env = {**os.environ, "PYTHONHASHSEED": "0", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def run_fresh(*args) -> tuple[dict, str]:
    *printed, outcome = run_python(_RUN, *args).strip().splitlines()
    return json.loads(outcome), "\n".join(printed)


def test_a_command_on_a_file_starts_without_the_postgresql_driver(tmp_path):
    pytest.importorskip("psycopg")  # nothing to show when it is not installed
    db = tmp_path / "c.sqlite3"
    outcome, printed = run_fresh("--db", db, "campaign", "create", "Spring")
    assert outcome == {"code": 0, "psycopg": False}
    outcome, printed = run_fresh("--db", db, "campaign", "list")
    assert outcome == {"code": 0, "psycopg": False} and "Spring" in printed


def test_the_window_and_the_command_line_load_without_the_postgresql_driver():
    pytest.importorskip("psycopg")
    loaded = run_python(
        "import sys, contactdesk.cli, contactdesk.gui.app, contactdesk.gui.main_window; print('psycopg' in sys.modules)"
    )
    assert loaded.strip() == "False"


def test_peewee_knows_psycopg_as_its_own_import_would_have_told_it():
    pytest.importorskip("psycopg")
    own = json.loads(run_python(_PEEWEE_STATE, "peewee's own import"))
    handed = json.loads(run_python(_PEEWEE_STATE, "handed over when a server is opened"))
    assert own["picked"] == "Psycopg3Adapter"
    assert {name: value for name, value in handed.items() if own.get(name) != value} == {}
    assert own.keys() == handed.keys()


@pytest.mark.postgresql
def test_a_fresh_process_works_a_campaign_on_a_team_server(pg_database_uri):
    outcome, _ = run_fresh("--db", pg_database_uri, "campaign", "create", "Team spring")
    assert outcome == {"code": 0, "psycopg": True}
    outcome, printed = run_fresh("--db", pg_database_uri, "campaign", "list")
    assert outcome["code"] == 0 and "Team spring" in printed
