"""Start-up (run_app), command-line files, and what a person sees when something goes wrong."""

import sys
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from contactdesk.core.campaigns import create_campaign
from contactdesk.gui import excepthook, messages
from contactdesk.gui.app import run_app
from contactdesk.gui.main_window import MainWindow
from contactdesk.gui.settings import use_settings_folder
from contactdesk.gui.worker import running_tasks


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    use_settings_folder(tmp_path / "settings")
    yield
    excepthook.uninstall_excepthook()
    assert running_tasks() == []


@pytest.fixture
def shown(monkeypatch):
    """Messages the app shows, recorded instead of waiting for a person."""
    seen = []
    messages.record_instead_of_showing(seen)
    yield seen
    messages.record_instead_of_showing(None)


def run_briefly(qtbot, argv, opened=None, monkeypatch=None):
    """run_app with its event loop ended after a moment (it would otherwise wait for the person)."""
    if opened is not None:
        monkeypatch.setattr(
            MainWindow,
            "open_import_wizard",
            lambda self, campaign_id, path, *more: opened.append((campaign_id, path.name, *(p.name for p in more))),
        )
    QTimer.singleShot(300, lambda: QApplication.exit(0))
    code = run_app(argv)
    qtbot.waitUntil(lambda: running_tasks() == [], timeout=10_000)
    return code


def test_a_file_that_is_not_a_database_gets_a_plain_message(qapp, tmp_path, shown):
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("these are my notes, not a database")
    assert run_app(["--db", str(bad)]) == 1  # the recorded question is answered "no"
    [(kind, title, text)] = shown
    assert kind == "confirm" and title == "ContactDesk cannot open its database"
    assert "is not a ContactDesk database" in text and "Start with a new, empty database?" in text
    assert "Traceback" not in text
    assert bad.read_text() == "these are my notes, not a database"  # left untouched


def test_starting_a_new_database_keeps_the_unusable_file_aside(qtbot, tmp_path, shown, monkeypatch):
    bad = tmp_path / "contactdesk.sqlite3"
    bad.write_bytes(b"PK\x03\x04 a zip file, saved here by mistake")
    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    assert run_briefly(qtbot, ["--db", str(bad)]) == 0
    [kept] = tmp_path.glob("contactdesk.sqlite3.unusable-*")
    assert kept.read_bytes().startswith(b"PK\x03\x04 a zip file")
    assert bad.read_bytes().startswith(b"SQLite format 3")
    assert any(title == "A new database was started" and str(kept) in text for _k, title, text in shown)


def test_a_database_in_use_elsewhere_is_not_offered_for_replacement(qapp, tmp_path, shown, monkeypatch):
    from contactdesk.store import DatabaseError

    def locked(path):
        raise DatabaseError("The database is in use by another program.")

    monkeypatch.setattr("contactdesk.gui.app.init_db", locked)
    assert run_app(["--db", str(tmp_path / "x.sqlite3")]) == 1
    [(kind, _title, text)] = shown
    assert kind == "error" and "in use by another program" in text


def test_a_read_only_database_opens_for_viewing_and_says_so(qtbot, tmp_path, shown, monkeypatch):
    from contactdesk.store import close_db, init_db

    path = tmp_path / "contactdesk.sqlite3"
    init_db(path)
    create_campaign("Spring")
    close_db()
    monkeypatch.setattr("contactdesk.store.connection._cannot_write", lambda p: True)
    assert run_briefly(qtbot, ["--db", str(path)]) == 0
    assert [(kind, title) for kind, title, _text in shown] == [("warn", "The database is read-only")]
    assert "browsing and export work" in shown[0][2]
    assert any(
        w.statusBar().db_label.text().endswith("(read-only)")
        for w in QApplication.topLevelWidgets()
        if isinstance(w, MainWindow)
    )
    assert sorted(p.name for p in tmp_path.iterdir() if "unusable" in p.name) == []


def test_creating_a_campaign_in_a_read_only_database_says_why_not(qtbot, tmp_path, shown, monkeypatch):
    from contactdesk.gui.settings import AppSettings
    from contactdesk.store import close_db, init_db

    path = tmp_path / "contactdesk.sqlite3"
    init_db(path)
    close_db()
    monkeypatch.setattr("contactdesk.store.connection._cannot_write", lambda p: True)
    init_db(path)
    try:
        window = MainWindow(AppSettings(), db_path=path)
        qtbot.addWidget(window)
        monkeypatch.setattr(messages, "ask_text", lambda *args, **kwargs: "Autumn")
        QTest.mouseClick(window.new_button, Qt.MouseButton.LeftButton)
    finally:
        close_db()
    [(kind, title, text)] = shown
    assert (kind, title) == ("warn", "Cannot create the campaign") and "read-only" in text


def test_a_read_only_database_that_needs_an_upgrade_is_never_renamed(qapp, tmp_path, shown, monkeypatch):
    import sqlite3

    from contactdesk.store.migrations import _SCHEMA_1

    path = tmp_path / "contactdesk.sqlite3"
    conn = sqlite3.connect(path)
    for statement in _SCHEMA_1:
        conn.execute(statement)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (1)")
    conn.commit()
    conn.close()
    monkeypatch.setattr("contactdesk.store.connection._cannot_write", lambda p: True)
    assert run_app(["--db", str(path)]) == 1
    [(kind, _title, text)] = shown
    assert kind == "error" and "read-only" in text and "damaged" not in text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("contactdesk")] == ["contactdesk.sqlite3"]


def test_a_second_launch_hands_its_file_to_the_first_window(qtbot, db_path, tmp_path, shown, monkeypatch):
    from contactdesk.gui.single_instance import InstanceChannel

    windows = []
    monkeypatch.setattr(MainWindow, "show", lambda self: windows.append(self))

    first = InstanceChannel(db_path)
    assert first.listen()
    received = []
    first.received.connect(received.append)
    csv_file = tmp_path / "more.csv"
    csv_file.write_text("phone\n2125550147\n")
    try:
        assert run_app(["--db", str(db_path), "--campaign", "3", str(csv_file)]) == 0  # returns at once
        qtbot.waitUntil(lambda: bool(received), timeout=5_000)
    finally:
        first.close()
    assert received == [{"files": [str(csv_file.resolve())], "campaign": 3}]
    assert windows == []  # the second launch opened no window of its own


def test_with_no_first_window_nothing_answers(qapp, tmp_path):
    from contactdesk.gui.single_instance import InstanceChannel

    assert InstanceChannel(tmp_path / "nobody.sqlite3").hand_over({"files": []}) is False


def test_a_different_database_is_a_different_instance(tmp_path):
    from contactdesk.gui.single_instance import channel_name

    assert channel_name(tmp_path / "a.sqlite3") != channel_name(tmp_path / "b.sqlite3")
    assert channel_name(tmp_path / "a.sqlite3") == channel_name(tmp_path / "." / "a.sqlite3")


def test_files_on_the_command_line_open_the_wizard_for_the_campaign(qtbot, db_path, tmp_path, shown, monkeypatch):
    create_campaign("Alpha")
    beta = create_campaign("Beta")
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (first, second):
        path.write_text("phone\n+14155550100\n")
    opened = []
    code = run_briefly(
        qtbot, ["--db", str(db_path), "--campaign", str(beta.id), str(first), str(second)], opened, monkeypatch
    )
    assert code == 0
    assert opened == [(beta.id, "a.csv", "b.csv")]  # one wizard, the files as one list
    assert shown == []


def test_an_unknown_campaign_or_a_missing_file_is_said_plainly(qtbot, db_path, tmp_path, shown, monkeypatch):
    create_campaign("Only")
    csv_file = tmp_path / "here.csv"
    csv_file.write_text("phone\n")
    opened = []
    run_briefly(
        qtbot,
        ["--db", str(db_path), "--campaign", "99", str(csv_file), str(tmp_path / "gone.csv")],
        opened,
        monkeypatch,
    )
    assert opened == []
    titles = [title for _kind, title, _text in shown]
    assert titles == ["File not found", "Campaign not found"]
    assert "gone.csv" in shown[0][2] and "Campaign 99 was not found" in shown[1][2]


def test_without_campaign_the_only_campaign_is_used(qtbot, db_path, tmp_path, shown, monkeypatch):
    only = create_campaign("Only")
    csv_file = tmp_path / "here.csv"
    csv_file.write_text("phone\n")
    opened = []
    run_briefly(qtbot, ["--db", str(db_path), str(csv_file)], opened, monkeypatch)
    assert opened == [(only.id, "here.csv")]


def test_a_usage_mistake_exits_with_2(qapp, capsys):
    assert run_app(["--campaign", "seven"]) == 2
    assert "invalid int value" in capsys.readouterr().err


# The exception hook --------------------------------------------------------------------------------
def _raise(exc):
    try:
        raise exc
    except Exception:
        return sys.exc_info()


def test_an_unexpected_error_shows_a_dialog_with_copyable_details(qtbot, tmp_path, caplog, isolated_gui):
    isolated_gui.show_for_real()
    log_file = tmp_path / "contactdesk.log"
    excepthook.install_excepthook(log_file)
    sys.excepthook(*_raise(ValueError("boom")))
    dialog = excepthook.current_dialog()
    assert dialog is not None and dialog.isVisible()
    text = dialog.message.text()
    assert "ValueError: boom" in text and str(log_file) in text and "Traceback" not in text
    assert not dialog.details.isVisible()  # the technical part only on request
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "Traceback (most recent call last)" in copied and "ValueError: boom" in copied
    assert "unhandled exception" in caplog.text
    dialog.close()


def test_an_error_in_another_thread_reaches_the_person_too(qtbot, tmp_path, isolated_gui):
    isolated_gui.show_for_real()
    excepthook.install_excepthook(tmp_path / "contactdesk.log")

    def fail():
        raise RuntimeError("disk went away")

    thread = threading.Thread(target=fail, name="exporter")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: excepthook.current_dialog() is not None)
    dialog = excepthook.current_dialog()
    assert "RuntimeError: disk went away" in dialog.message.text()
    sys.excepthook(*_raise(KeyError("second")))  # one box at a time
    assert excepthook.current_dialog() is dialog
    dialog.close()
