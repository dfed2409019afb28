"""The window on a team (PostgreSQL) database, callers taking turns with Next Contact, and one
window seeing what another caller marked."""

from datetime import datetime

import pytest
from menu_clicks import right_click
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from shown_window import show_window

from contactdesk.gui.campaign_list import STATUS_LABELS
from contactdesk.gui.contacts_model import STATUS_COLUMN
from contactdesk.gui.main_window import MainWindow
from contactdesk.gui.settings import AppSettings
from contactdesk.gui.team_mode import NOT_ON_A_SERVER_YET, UNAVAILABLE_TIP, unavailable_text
from contactdesk.gui.worker import running_tasks
from contactdesk.store.models import Contact
from pg_server import ENGINES
from team_data import NEW_YORK_MORNING, NEW_YORK_NIGHT, add_campaign

pytestmark = pytest.mark.usefixtures("isolated_gui")
POLL_MS = 200  # the windows here ask for changes five times a second


@pytest.fixture
def team_db(tmp_path, monkeypatch, request):
    """A database with two campaigns, on the engine of ``request.param`` (default: PostgreSQL)."""
    from contactdesk.store import close_db, init_db

    engine = getattr(request, "param", "postgresql")
    location = str(tmp_path / "team.sqlite3") if engine == "sqlite" else request.getfixturevalue("pg_database_uri")
    monkeypatch.setenv("CONTACTDESK_DB", location)
    init_db(location)
    add_campaign("Autumn callers", 3, first_number=2125551000, name="Autumn")
    spring = add_campaign("Spring outreach", 300)
    yield location, spring
    close_db()


@pytest.fixture
def open_window(qtbot, team_db, monkeypatch, tmp_path):
    """``open_window(caller)``: a window on the team database, as that caller, at 10:00 in New York."""
    monkeypatch.setattr("contactdesk.gui.calling_now.utc_now", lambda: datetime.fromisoformat(NEW_YORK_MORNING))
    location, _spring = team_db
    windows = []

    def make(caller: str = "ann") -> MainWindow:
        # Each caller's own settings, as on their own computer.
        settings = AppSettings(QSettings(str(tmp_path / f"{caller}.ini"), QSettings.Format.IniFormat))
        settings.set_caller_name(caller)
        window = MainWindow(settings, db_path=location)
        window.watch.timer.setInterval(POLL_MS)
        windows.append(show_window(qtbot, window, (1200, 760)))
        return window

    yield make
    for window in windows:
        window.close()
    qtbot.waitUntil(lambda: running_tasks() == [], timeout=10_000)


def click_campaign(qtbot, window, name: str) -> None:
    view = window.campaign_view
    row = next(r for r, s in enumerate(window.campaign_model.summaries()) if s.name == name)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(view.model().index(row)).center())
    qtbot.waitUntil(lambda: window.contacts.summary().name == name and not window.contacts.model.is_loading())


def click_row(qtbot, window, row: int) -> None:
    view = window.contacts.view
    qtbot.waitUntil(lambda: window.contacts.model.is_row_loaded(row))
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(view.model().index(row, 0)).center()
    )


def status_shown(window, row: int) -> str:
    model = window.contacts.model
    return model.data(model.index(row, STATUS_COLUMN))


def press_next(qtbot, window) -> str:
    """Ctrl+Enter in ``window``; the number of the contact it selects."""
    panel = window.contacts
    window.activateWindow()  # the keys go to the window in front, as on a desktop
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    panel.view.setFocus()
    before = panel.marking.selected_ranges()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.marking.selected_ranges() not in ([], before))
    ((row, _),) = panel.marking.selected_ranges()
    return panel.model.contact(row).phone_number


@pytest.mark.postgresql
def test_the_window_works_on_a_team_database(qtbot, open_window, team_db):
    window = open_window("ann")
    assert window.statusBar().db_label.text().startswith("Team database: postgresql://")
    click_campaign(qtbot, window, "Autumn callers")
    assert window.contacts.model.total() == 3
    click_campaign(qtbot, window, "Spring outreach")
    assert window.contacts.model.total() == 300

    QTest.mouseClick(window.contacts.search, Qt.MouseButton.LeftButton)
    QTest.keyClicks(QApplication.focusWidget(), "Contact 12")  # "Contact 12" and "Contact 120" to "Contact 129"
    qtbot.waitUntil(lambda: window.contacts.model.total() == 11 and not window.contacts.model.is_loading())
    assert window.contacts.count_label.text() == "11 of 300 contacts match"

    click_row(qtbot, window, 0)
    right_click(qtbot, window.contacts, "Mark Selected as", "Completed", row=0)
    qtbot.waitUntil(lambda: status_shown(window, 0) == STATUS_LABELS["completed"])
    marked = Contact.get(Contact.name == "Contact 12")
    assert (marked.status, marked.marked_by) == ("completed", "ann")
    # The campaign counts are read again on the worker.
    qtbot.waitUntil(lambda: window.campaign_model.summary_by_id(team_db[1]).by_status["completed"] == 1)


@pytest.mark.postgresql
def test_what_a_team_database_cannot_do_yet_is_greyed_and_says_one_line(qtbot, open_window, tmp_path, isolated_gui):
    window = open_window()
    actions = {
        "import": [window.menus.import_action],
        "dnc": [window.dnc.import_list_action, window.dnc.list_action],
        "history": [window.dnc.history_action],
        "backup": [window.backups.backup_action, window.backups.restore_action],
    }
    assert set(NOT_ON_A_SERVER_YET) <= set(actions)
    for feature, its_actions in actions.items():
        for action in its_actions:
            assert action.isEnabled() == (feature not in NOT_ON_A_SERVER_YET), action.text()
            if feature in NOT_ON_A_SERVER_YET:
                assert action.statusTip() == UNAVAILABLE_TIP
    isolated_gui.expect("Not on a team database yet")
    if "import" in NOT_ON_A_SERVER_YET:
        # A file dropped or named anyway: one line, no wizard, nothing imported.
        csv = tmp_path / "more.csv"
        csv.write_text("phone\n2125559999\n", encoding="utf-8")
        window.import_files(0, [csv])
        assert window.wizard is None
    else:  # backups stay with pg_dump: reached anyway, it says so
        window.backups.restore()
    [(kind, _title, text)] = isolated_gui.shown
    first_feature = "import" if "import" in NOT_ON_A_SERVER_YET else "backup"
    assert kind == "info" and text == unavailable_text(first_feature)
    assert "does not work on a team (PostgreSQL) database yet" in text and "Traceback" not in text


@pytest.mark.parametrize("team_db", ENGINES, indirect=True)
def test_two_windows_pressing_next_get_different_contacts(qtbot, open_window, team_db):
    ann, bob = open_window("ann"), open_window("bob")
    for window in (ann, bob):
        click_campaign(qtbot, window, "Spring outreach")
    taken = [press_next(qtbot, ann), press_next(qtbot, bob), press_next(qtbot, ann), press_next(qtbot, bob)]
    assert len(set(taken)) == 4
    holders = {Contact.get(Contact.phone_number == number).claimed_by for number in taken}
    assert holders == {"ann", "bob"}


@pytest.mark.parametrize("team_db", ENGINES, indirect=True)
def test_a_contact_marked_elsewhere_shows_here_and_the_selection_and_scroll_stay(qtbot, open_window, team_db):
    window = open_window("ann")
    click_campaign(qtbot, window, "Spring outreach")
    view = window.contacts.view
    view.scrollTo(view.model().index(150, 0), view.ScrollHint.PositionAtTop)
    click_row(qtbot, window, 152)
    scrolled = view.verticalScrollBar().value()
    assert scrolled > 0

    # Another caller (another program, its own connection) marks the contact in row 153.
    other = Contact.get(Contact.name == "Contact 153")
    _mark_from_another_connection(team_db[0], other.id)

    qtbot.waitUntil(lambda: status_shown(window, 153) == STATUS_LABELS["failed"], timeout=5 * POLL_MS + 3000)
    assert window.contacts.marking.selected_ranges() == [(152, 152)]
    assert view.verticalScrollBar().value() == scrolled
    spring = window.campaign_model.summary_by_id(team_db[1])
    assert spring.by_status["failed"] == 1


def _mark_from_another_connection(location: str, contact_id: int) -> None:
    from datetime import UTC

    if location.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute(
                "UPDATE contact SET status = 'failed', marked_by = 'bob', marked_at = %s WHERE id = %s",
                (datetime.now(UTC).replace(tzinfo=None), contact_id),
            )
    else:
        import sqlite3

        conn = sqlite3.connect(location)
        with conn:
            conn.execute("UPDATE contact SET status = 'failed', marked_by = 'bob' WHERE id = ?", (contact_id,))
        conn.close()


@pytest.mark.postgresql
def test_at_night_callable_now_shows_no_contact_on_a_team_database(qtbot, open_window, monkeypatch):
    window = open_window()
    click_campaign(qtbot, window, "Spring outreach")
    panel = window.contacts
    monkeypatch.setattr("contactdesk.gui.calling_now.utc_now", lambda: datetime.fromisoformat(NEW_YORK_NIGHT))
    panel.calling.timer.timeout.emit()
    qtbot.waitUntil(lambda: panel.calling.windows() is not None and panel.calling.callable_location_ids() == ())
    QTest.mouseClick(panel.callable_filter, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.contact_filter().callable_location_ids == () and not panel.model.is_loading())
    assert panel.model.total() == 0
    assert panel.stack.currentWidget() is panel.empty  # "No contacts match", not an error


@pytest.mark.parametrize("team_db", ENGINES, indirect=True)
def test_when_a_row_leaves_the_filtered_list_the_selected_contact_stays_selected(qtbot, open_window, team_db):
    window = open_window("ann")
    click_campaign(qtbot, window, "Spring outreach")
    panel, view = window.contacts, window.contacts.view
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("pending"))
    if panel.callable_filter.isChecked():
        QTest.mouseClick(panel.callable_filter, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.contact_filter().statuses == ("pending",) and not panel.model.is_loading())
    view.scrollTo(view.model().index(150, 0), view.ScrollHint.PositionAtTop)
    click_row(qtbot, window, 152)
    scrolled = view.verticalScrollBar().value()

    # Another caller marks a contact above it: it leaves the pending list, and the rows below move up.
    _mark_from_another_connection(team_db[0], Contact.get(Contact.name == "Contact 100").id)

    qtbot.waitUntil(lambda: panel.model.total() == 299, timeout=5 * POLL_MS + 3000)
    qtbot.waitUntil(lambda: panel.marking.selected_ranges() == [(151, 151)])
    assert panel.model.contact(151).name == "Contact 152"
    assert view.verticalScrollBar().value() == scrolled


@pytest.mark.postgresql
def test_marking_all_matching_on_a_team_database_records_who(qtbot, open_window, isolated_gui):
    window = open_window("ann")
    click_campaign(qtbot, window, "Spring outreach")
    panel = window.contacts
    QTest.mouseClick(panel.search, Qt.MouseButton.LeftButton)
    QTest.keyClicks(QApplication.focusWidget(), "CONTACT 2")  # any case: "Contact 2", "Contact 20"…
    qtbot.waitUntil(lambda: panel.model.total() == 111 and not panel.model.is_loading())
    click_row(qtbot, window, 0)
    assert panel.marking.do_not_call_action.isEnabled() == ("dnc" not in NOT_ON_A_SERVER_YET)
    isolated_gui.expect("Mark contacts", True)
    right_click(qtbot, panel, "Mark All 111 Matching as", "Skipped", row=0)
    qtbot.waitUntil(lambda: window.campaign_model.summaries()[1].by_status.get("skipped") == 111)
    marked = Contact.select().where(Contact.status == "skipped")
    assert {(c.marked_by, c.name.startswith("Contact 2")) for c in marked} == {("ann", True)}
    assert Contact.select().where(Contact.marked_by.is_null(False)).count() == 111


def test_a_file_dropped_on_the_window_imports_into_the_team_database_and_can_be_undone(
    qtbot, open_window, tmp_path, monkeypatch
):
    from test_import_lists_and_modes import click, click_to_check, drop_files, next_button

    from contactdesk.gui import messages

    window = open_window("ann")
    click_campaign(qtbot, window, "Autumn callers")
    path = tmp_path / "autumn.csv"
    path.write_text("Full name,Mobile\nAnn Smith,(212) 736-5001\nBob Jones,212-736-5002\n", encoding="utf-8")

    drop_files(window, [path])
    wizard = window.wizard
    click_to_check(qtbot, wizard)
    with qtbot.waitSignal(wizard.imported, timeout=20_000):
        click(next_button(wizard))
    qtbot.waitUntil(lambda: wizard.results_dialog is not None and wizard.results_dialog.isVisible())
    dialog = wizard.results_dialog
    assert dialog.labels["total_contacts"].text() == "2"
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 2)
    from contactdesk.core.undo import import_history

    assert import_history(window.contacts.summary().id)[0]["started_by"] == "ann"  # this window's caller

    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok: True)
    button = dialog.undo_button
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Import undone", timeout=10_000)
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 3)  # the three it had before
    dialog.close()
