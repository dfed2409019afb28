"""File > Back Up Database… and Restore from Backup… in the window."""

import threading
import time

import pytest
from menu_clicks import choose

from contactdesk.core.campaigns import create_campaign, list_campaigns
from contactdesk.gui import messages
from contactdesk.gui.main_window import MainWindow
from contactdesk.gui.settings import AppSettings, use_settings_folder
from contactdesk.gui.worker import running_tasks
from contactdesk.store import backup


@pytest.fixture
def window(qtbot, db_path, tmp_path, monkeypatch):
    use_settings_folder(tmp_path / "settings")
    shown = []
    messages.record_instead_of_showing(shown)
    main = MainWindow(AppSettings(), db_path=db_path)
    qtbot.addWidget(main)
    main.show()  # its menus are clicked
    qtbot.waitExposed(main)
    main.shown = shown
    yield main
    qtbot.waitUntil(lambda: running_tasks() == [], timeout=10_000)
    messages.record_instead_of_showing(None)


def test_back_up_then_restore_brings_the_old_campaigns_back(qtbot, window, monkeypatch):
    create_campaign("Before the backup")
    choose(qtbot, window, "File", "Back Up Database")
    qtbot.waitUntil(lambda: window.backups.task is None, timeout=10_000)
    [(kind, title, text)] = window.shown
    assert (kind, title) == ("info", "Backup saved")
    [saved] = backup.list_backups()
    assert str(saved) in text

    create_campaign("After the backup")
    window.refresh_campaigns()
    monkeypatch.setattr(window.backups, "choose_backup", lambda: saved)
    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    choose(qtbot, window, "File", "Restore from a Backup…")
    qtbot.waitUntil(lambda: window.shown[-1][1] == "Backup restored", timeout=10_000)
    assert [c.name for c in list_campaigns()] == ["Before the backup"]
    assert [s.name for s in window.campaign_model.summaries()] == ["Before the backup"]  # the list shows it
    assert window.shown[-1][1] == "Backup restored"
    assert len(backup.list_backups()) == 2  # the state before the restore was kept


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(qtbot, window, tmp_path, monkeypatch):
    create_campaign("Kept")
    bogus = tmp_path / "holiday.sqlite3"
    bogus.write_text("not a database")
    monkeypatch.setattr(window.backups, "choose_backup", lambda: bogus)
    choose(qtbot, window, "File", "Restore from a Backup…")
    qtbot.waitUntil(lambda: window.backups.task is None and bool(window.shown), timeout=10_000)
    assert window.shown[-1][0:2] == ("error", "This backup cannot be restored")
    assert [c.name for c in list_campaigns()] == ["Kept"]


def test_the_actions_are_in_the_file_menu(window):
    file_menu = window.menuBar().actions()[0].menu()
    texts = [action.text() for action in file_menu.actions()]
    assert "&Back Up Database" in texts and "&Restore from a Backup…" in texts


def test_restore_while_another_import_holds_the_database_is_refused_and_the_import_kept(
    qtbot, window, db_path, monkeypatch
):
    import sqlite3

    from contactdesk.store import write_lock

    create_campaign("Before the backup")
    saved = backup.backup_database("manual")
    monkeypatch.setattr(write_lock, "WAIT_FOR_IMPORT_SECONDS", 0.3)
    importer = sqlite3.connect(db_path, isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")  # an import in another program, not yet committed
    importer.execute("INSERT INTO campaign (name, notes, created_at) VALUES ('Being imported', '', '')")
    monkeypatch.setattr(window.backups, "choose_backup", lambda: saved)
    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    try:
        window.backups.restore_action.trigger()
        qtbot.waitUntil(lambda: window.backups.task is None, timeout=10_000)
        importer.execute("COMMIT")
    finally:
        importer.close()
    kind, title, text = window.shown[-1]
    assert (kind, title) == ("error", "The backup could not be restored")
    assert "An import is running" in text
    assert sorted(c.name for c in list_campaigns()) == ["Before the backup", "Being imported"]


def test_the_backup_is_checked_off_the_window_s_thread_while_the_window_says_it_is_busy(qtbot, window, monkeypatch):
    create_campaign("Kept")
    choose(qtbot, window, "File", "Back Up Database")
    qtbot.waitUntil(lambda: window.backups.task is None, timeout=10_000)
    [saved] = backup.list_backups()
    checked_on = []
    real_check = backup.check_file

    def check_slowly(path):
        checked_on.append(threading.current_thread() is threading.main_thread())
        time.sleep(0.3)  # a big file: the window must stay responsive meanwhile
        return real_check(path)

    monkeypatch.setattr(backup, "check_file", check_slowly)
    monkeypatch.setattr(window.backups, "choose_backup", lambda: saved)
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok: asked.append(text) or False)
    choose(qtbot, window, "File", "Restore from a Backup…")
    assert not window.backups.restore_action.isEnabled()  # busy: the menu item waits for the check
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert checked_on == [False]
    assert "(1 campaign, 0 contacts)" in asked[0]
    assert window.backups.restore_action.isEnabled()
