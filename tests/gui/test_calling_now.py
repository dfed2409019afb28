"""The window's calling hours: the local-time column, "Callable now", Next Contact, the list's counts."""

from datetime import datetime

import pytest
from menu_clicks import choose
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from contactdesk.core.campaign_hours import campaign_hours, set_campaign_hours
from contactdesk.core.campaigns import create_campaign
from contactdesk.core.contacts import mark_phones
from contactdesk.core.importer import import_file
from contactdesk.gui import calling_hours_dialog, calling_now
from contactdesk.gui.campaign_list import CALLABLE_ROLE
from contactdesk.gui.contacts_model import CALLING_COLUMN, COLUMN_OF
from contactdesk.gui.main_window import MainWindow
from contactdesk.gui.settings import AppSettings
from contactdesk.gui.worker import running_tasks

NAME_COLUMN = COLUMN_OF["name"]

NAMES = ["Eastern", "Pacific", "Eastern South Dakota", "Western South Dakota", "Toll free", "Alaska", "Hawaii"]
NAMES.append("Phoenix")


class Clock:
    def __init__(self, text: str):
        self.now = datetime.fromisoformat(text)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fixed = Clock("2026-07-06T08:05:00-04:00")  # a Monday, 08:05 in New York
    monkeypatch.setattr(calling_now, "utc_now", fixed)
    return fixed


@pytest.fixture
def window(qtbot, db_path, data_dir, clock):
    campaign = create_campaign("Calls")
    assert import_file(campaign.id, data_dir / "time_zones_of_us_area_codes.csv").success
    window = MainWindow(AppSettings(), db_path=db_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    model = window.contacts.model
    qtbot.waitUntil(lambda: model.rowCount() == len(NAMES) and bool(model.data(model.index(0, CALLING_COLUMN))))
    yield window
    window.close()
    qtbot.waitUntil(lambda: running_tasks() == [], timeout=10_000)


def calling_text(window, row: int) -> str:
    model = window.contacts.model
    return model.data(model.index(row, CALLING_COLUMN))


def test_the_contacts_view_shows_each_contact_s_local_time_and_window(window):
    model = window.contacts.model
    assert model.headerData(CALLING_COLUMN, Qt.Orientation.Horizontal) == "Local time"
    assert calling_text(window, 0) == "08:05 · callable"
    assert calling_text(window, 1) == "05:05 · opens in 2 h 55 min"  # Pacific: at 11:00 Eastern
    assert calling_text(window, 4) == "? · time zone uncertain"  # toll-free
    assert model.data(model.index(0, CALLING_COLUMN), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(1, CALLING_COLUMN), Qt.ItemDataRole.ForegroundRole) is None
    assert "America/Chicago, SD (from its number)" in model.data(
        model.index(2, CALLING_COLUMN), Qt.ItemDataRole.ToolTipRole
    )


def test_the_campaign_list_says_how_many_pending_contacts_are_callable_now(qtbot, window):
    index = window.campaign_model.index(0)
    qtbot.waitUntil(lambda: index.data(CALLABLE_ROLE) == 1)


def test_callable_now_filter_shows_only_contacts_that_may_be_called(qtbot, window):
    panel = window.contacts
    box = panel.callable_filter
    with qtbot.waitSignal(panel.model.loaded, timeout=5_000):
        QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    assert box.isChecked() and panel.model.rowCount() == 1
    assert panel.model.data(panel.model.index(0, NAME_COLUMN)) == "Eastern"
    assert "1 of 8 contacts match" in panel.count_label.text()


def test_the_minute_tick_updates_local_times_without_reloading_and_the_filter_follows(qtbot, window, clock):
    panel = window.contacts
    model = panel.model
    clock.now = datetime.fromisoformat("2026-07-06T11:05:00-04:00")
    with qtbot.assertNotEmitted(model.loaded, wait=300):
        panel.calling.timer.timeout.emit()  # the minute went by
    assert calling_text(window, 1) == "08:05 · callable"
    with qtbot.waitSignal(model.loaded, timeout=5_000):
        QTest.mouseClick(panel.callable_filter, Qt.MouseButton.LeftButton, pos=panel.callable_filter.rect().center())
    assert [model.data(model.index(row, NAME_COLUMN)) for row in range(model.rowCount())] == [
        "Eastern",
        "Pacific",
        "Eastern South Dakota",
        "Western South Dakota",
        "Phoenix",
    ]
    # Later still: Eastern closes at 21:00 and leaves the filtered list by itself.
    clock.now = datetime.fromisoformat("2026-07-06T21:30:00-04:00")
    with qtbot.waitSignal(model.loaded, timeout=5_000):
        panel.calling.timer.timeout.emit()
    shown = [model.data(model.index(row, NAME_COLUMN)) for row in range(model.rowCount())]
    assert "Eastern" not in shown and "Pacific" in shown and "Hawaii" in shown


def test_ctrl_enter_takes_the_next_contact_that_may_be_called_in_import_order(qtbot, window, clock):
    panel = window.contacts
    clock.now = datetime.fromisoformat("2026-07-06T11:05:00-04:00")
    panel.calling.timer.timeout.emit()
    qtbot.waitUntil(lambda: calling_text(window, 1) == "08:05 · callable")
    qtbot.waitUntil(lambda: len(panel.calling.callable_location_ids()) == 5)
    panel.view.setFocus()
    visited = []
    assert panel.marking.selected_ranges() == []
    for _ in range(5):
        before = panel.marking.selected_ranges()
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda before=before: panel.marking.selected_ranges() != before)
        ((row, _),) = panel.marking.selected_ranges()
        assert panel.view.currentIndex().row() == row
        visited.append(panel.model.data(panel.model.index(row, NAME_COLUMN)))
    # Toll-free, Alaska (07:05) and Hawaii (05:05) are skipped.
    assert visited == ["Eastern", "Pacific", "Eastern South Dakota", "Western South Dakota", "Phoenix"]
    # Each one stays claimed for this caller until it is marked (or for 15 minutes): none is offered twice.
    with qtbot.waitSignal(panel.message) as said:
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert said.args[0] == "No pending contact shown here may be called now."
    assert visited[-1] == panel.model.data(panel.model.index(panel.view.currentIndex().row(), NAME_COLUMN))


def test_the_callable_count_stays_readable_in_a_narrow_campaign_list(qtbot, db_path, tmp_path, clock):
    path = tmp_path / "two_thousand.csv"
    path.write_text("phone\n" + "".join(f"21255{n:05d}\n" for n in range(2_000)), encoding="utf-8")
    campaign = create_campaign("November leads – Ça va")
    assert import_file(campaign.id, path).success
    mark_phones(campaign.id, "failed", [f"21255{n:05d}" for n in range(150)])
    window = MainWindow(AppSettings(), db_path=db_path)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    view = window.campaign_view
    qtbot.waitUntil(lambda: view.model().index(0).data(CALLABLE_ROLE) == 1_850, timeout=10_000)
    view.viewport().repaint()
    caption = view.itemDelegate().painted_captions[0]
    assert "1,850 callable now" in caption and "…" not in caption
    window.close()
    qtbot.waitUntil(lambda: running_tasks() == [], timeout=10_000)


# Campaign > Calling Hours… and the filter's default ------------------------------------------------
def open_hours(qtbot, window):
    choose(qtbot, window, "Campaign", "Calling Hours…")
    dialog = window.campaigns.hours_dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def press(key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifiers)


def test_calling_hours_are_edited_per_weekday_and_the_window_follows(qtbot, window):
    assert "&Calling Hours…" in [action.text() for action in window.menuBar().actions()[1].menu().actions()]
    dialog = open_hours(qtbot, window)
    assert "FL, MD, OK, WA: daily 08:00-20:00\n" in dialog.findChild(QLabel, "stateRulesNote").text()
    assert QApplication.focusWidget() is dialog.rows[0].open and dialog.rows[0].open.isChecked()
    press(Qt.Key.Key_Space)  # Monday: closed
    assert not dialog.rows[0].start.isEnabled()
    press(Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # Alt+S: Saturday closed too
    qtbot.waitUntil(lambda: not dialog.rows[5].open.isChecked())
    press(Qt.Key.Key_Tab)  # on to Sunday: Saturday's times are off
    assert QApplication.focusWidget() is dialog.rows[6].open
    press(Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)  # Alt+U: Sunday
    qtbot.waitUntil(lambda: not dialog.rows[6].open.isChecked())
    press(Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.rows[6].open.isChecked())
    dialog.rows[6].start.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.rows[6].start)
    QTest.keyClicks(QApplication.focusWidget(), "1200")  # Sunday from noon
    with qtbot.waitSignal(dialog.accepted, timeout=2_000):
        press(Qt.Key.Key_Return)  # OK

    assert campaign_hours(1).specs() == ["mon closed", "tue-fri 08:00-21:00", "sat closed", "sun 12:00-21:00"]
    # Monday 08:05 in New York: nobody may be called now, and the window says so at once.
    qtbot.waitUntil(
        lambda: calling_text(window, 0).startswith("08:05 · ") and "callable" not in calling_text(window, 0)
    )
    qtbot.waitUntil(lambda: window.campaign_model.index(0).data(CALLABLE_ROLE) == 0)
    assert "calling hours" in window.statusBar().currentMessage()


def test_escape_cancels_and_a_day_ending_before_it_starts_is_refused(qtbot, window, monkeypatch):
    warned = []
    monkeypatch.setattr(calling_hours_dialog.messages, "warn", lambda parent, title, text: warned.append(text))
    dialog = open_hours(qtbot, window)
    press(Qt.Key.Key_Space)
    with qtbot.waitSignal(dialog.rejected, timeout=2_000):
        press(Qt.Key.Key_Escape)
    assert campaign_hours(1).specs() == ["daily 08:00-21:00"]

    dialog = open_hours(qtbot, window)
    dialog.rows[1].end.setFocus()  # Tuesday "until"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.rows[1].end)
    QTest.keyClicks(QApplication.focusWidget(), "0700")
    press(Qt.Key.Key_Return)
    assert warned == ["On Tuesday the calls end before they start."]
    assert dialog.isVisible() and campaign_hours(1).specs() == ["daily 08:00-21:00"]
    dialog.reject()


def choose_status(qtbot, window, label: str) -> None:
    combo = window.contacts.status_filter
    combo.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is combo)
    wanted = next(i for i in range(combo.count()) if combo.itemText(i).startswith(label))
    for _ in range(combo.count()):  # arrow keys, as a person picks from a closed list
        if combo.currentIndex() == wanted:
            break
        press(Qt.Key.Key_Down if combo.currentIndex() < wanted else Qt.Key.Key_Up)
    assert combo.currentIndex() == wanted


def test_callable_now_starts_on_for_pending_contacts_when_the_campaign_has_hours(qtbot, window):
    panel = window.contacts
    assert not panel.callable_filter.isChecked()  # all statuses: every contact shows
    choose_status(qtbot, window, "Pending")
    assert panel.callable_filter.isChecked()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert panel.model.data(panel.model.index(0, NAME_COLUMN)) == "Eastern"
    QTest.mouseClick(panel.callable_filter, Qt.MouseButton.LeftButton, pos=panel.callable_filter.rect().center())
    qtbot.waitUntil(lambda: panel.model.rowCount() == len(NAMES))  # the person can still see them all
    choose_status(qtbot, window, "Completed")
    assert not panel.callable_filter.isChecked()


def test_callable_now_stays_off_for_a_campaign_closed_every_day(qtbot, window):
    set_campaign_hours(1, ["daily closed"])
    choose_status(qtbot, window, "Pending")
    assert not window.contacts.callable_filter.isChecked()
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == len(NAMES))


def test_local_times_stay_in_view_after_the_settings_are_saved(qtbot, window):
    from PySide6.QtWidgets import QDialogButtonBox

    from contactdesk.gui.settings_dialog import SettingsDialog

    assert calling_text(window, 0) == "08:05 · callable"
    QTest.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)  # Ctrl+, opens the settings
    qtbot.waitUntil(lambda: window.findChild(SettingsDialog, "settingsDialog") is not None)
    dialog = window.findChild(SettingsDialog, "settingsDialog")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    # Not blank until the next minute's refresh: saving the settings keeps the campaign's calling hours.
    assert calling_text(window, 0) == "08:05 · callable"
    assert calling_text(window, 1) == "05:05 · opens in 2 h 55 min"
