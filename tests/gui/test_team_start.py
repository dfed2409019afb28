"""Starting the window on a team server: named with --db, or chosen in Settings."""

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from contactdesk.gui import excepthook
from contactdesk.gui.app import run_app
from contactdesk.gui.main_window import MainWindow
from contactdesk.gui.settings import AppSettings
from contactdesk.gui.worker import running_tasks
from contactdesk.store.team_connection import ServerChoice


@pytest.fixture
def started(qtbot, monkeypatch):
    """``started(argv)``: run_app for a moment; the exit code and the windows it opened."""
    opened = []
    real_init = MainWindow.__init__

    def remember(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        opened.append(self)

    monkeypatch.setattr(MainWindow, "__init__", remember)

    def start(argv):
        QTimer.singleShot(500, lambda: QApplication.exit(0))
        code = run_app(argv)
        qtbot.waitUntil(lambda: running_tasks() == [], timeout=10_000)
        return code, opened

    yield start
    for window in opened:
        window.close()
    excepthook.uninstall_excepthook()


@pytest.mark.postgresql
def test_the_window_opens_on_a_server_named_with_db(started, pg_database_uri, monkeypatch):
    monkeypatch.delenv("CONTACTDESK_DB", raising=False)
    code, [window] = started(["--db", pg_database_uri])
    assert code == 0
    assert window.statusBar().db_label.text().startswith("Team database: postgresql://")


def test_a_server_chosen_in_settings_that_cannot_be_reached_offers_this_computer_s_file(
    started, isolated_gui, monkeypatch
):
    monkeypatch.delenv("CONTACTDESK_DB", raising=False)
    AppSettings().set_database(True, ServerChoice("127.0.0.1", 1, "calls", "ann", "disable"))  # nothing listens there
    isolated_gui.expect("ContactDesk cannot open the team database", True)
    code, [window] = started([])
    assert code == 0
    [(kind, _title, text)] = isolated_gui.shown
    assert kind == "confirm" and "127.0.0.1" in text and "Open the database on this computer instead?" in text
    assert window.statusBar().db_label.text().startswith("Database: ")  # this computer's file
