"""`contactdesk selftest`: the desktop import path, run headless, must pass, and say why when it cannot."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def private_home(tmp_path) -> dict:
    """An environment whose home, data and log folders are all temporary."""
    env = dict(os.environ)
    env.pop("CONTACTDESK_DB", None)
    env.pop("QT_QPA_PLATFORM", None)  # the selftest must pick the offscreen platform itself
    home = tmp_path / "home"
    home.mkdir()
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        TMPDIR=str(tmp_path),
        PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")])),
    )
    return env


@pytest.mark.slow
def test_selftest_passes_as_a_program_and_prints_one_json_document(private_home, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "contactdesk", "selftest", "--json"],
        check=False,
        env=private_home,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    document = json.loads(done.stdout)
    assert document["success"] is True
    assert document["result"]["imported_count"] == 185
    assert document["result"]["skipped_duplicates"] == 7 and document["result"]["invalid_count"] == 8
    assert document["result"]["contacts_in_database"] == 185
    assert document["result"]["platform"] == "offscreen"
    assert document["qt"]
    names = [step["name"] for step in document["steps"]]
    assert names[:4] == ["qt", "setup", "main window", "drop"]
    assert "results dialog" in names and all(step["ok"] for step in document["steps"])
    assert not list(tmp_path.glob("contactdesk-selftest-*"))  # cleaned up
    assert not (Path(private_home["HOME"]) / "config" / "ContactDesk").exists()  # no settings of the person touched


def test_selftest_in_process_reports_each_step_and_keeps_files_on_request(qapp, capsys, tmp_path, monkeypatch):
    from contactdesk.gui.selftest import run_selftest
    from contactdesk.gui.worker import running_tasks

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    assert run_selftest(as_json=False, keep=True) == 0
    out = capsys.readouterr().out
    assert "[ok] drop: selftest contacts.csv dropped on the window (drop highlight shown)" in out
    assert "Selftest passed" in out
    [kept] = tmp_path.glob("contactdesk-selftest-*")
    assert (kept / "selftest contacts.csv").exists() and (kept / "selftest.sqlite3").exists()
    assert running_tasks() == []


def test_selftest_fails_with_a_reason_when_no_wizard_opens(qapp, capsys, tmp_path, monkeypatch):
    from contactdesk.gui import selftest
    from contactdesk.gui.main_window import MainWindow

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.setattr(selftest, "WAIT_FOR_WIZARD_S", 0.5)
    monkeypatch.setattr(MainWindow, "open_import_wizard", lambda self, campaign_id, path: None)
    assert selftest.run_selftest(as_json=True, keep=False) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["success"] is False
    assert document["message"] == "selftest: timed out after 0.5 s waiting for the import wizard to open"
    assert not list(tmp_path.glob("contactdesk-selftest-*"))
