"""The window's do-not-call action, the do-not-call list import and a campaign's import history with Undo."""

import zipfile

import pytest
from menu_clicks import right_click
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from contactdesk.core import dnc
from contactdesk.core.campaigns import create_campaign
from contactdesk.core.contacts import ContactFilter, iter_contacts
from contactdesk.core.importer import import_file
from contactdesk.gui import messages
from contactdesk.gui.contacts_model import STATUS_COLUMN
from contactdesk.gui.dnc_dialog import DoNotCallDialog
from contactdesk.gui.dnc_import_dialog import DncImportDialog
from contactdesk.gui.main_window import MainWindow
from contactdesk.gui.settings import AppSettings
from contactdesk.gui.worker import running_tasks

FIRST = "phone,name\n2125550101,Ann\n2125550102,Bob\n2125550103,Cy\n"
WRONG = "phone,name\n2125550190,Wrong One\n2125550191,Wrong Two\n"


@pytest.fixture
def window(qtbot, db_path):
    main = MainWindow(AppSettings(), db_path=db_path)
    qtbot.addWidget(main)
    main.resize(1024, 640)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(lambda: not main.contacts.model.is_loading())
    yield main
    main.close()
    qtbot.waitUntil(lambda: running_tasks() == [], timeout=10_000)


def contacts_of(campaign_id) -> dict[str, tuple[str, str]]:
    return {row.phone_number: (row.name, row.status) for row in iter_contacts(ContactFilter(campaign_id))}


def click_row(view, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())


def answer_dialog(qtbot, note: str, this_campaign_only: bool, seen: list):
    """Fill in the "Do not call" dialog as a person does, once it is on screen."""

    def fill():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DoNotCallDialog):
            QTimer.singleShot(20, fill)
            return
        seen.append(dialog)
        QTest.keyClicks(dialog.note, note)
        if this_campaign_only:
            QTest.keyClick(dialog.note, Qt.Key.Key_Tab)  # to the check box, as a keyboard user goes
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
            assert dialog.this_campaign_only.isChecked()
        QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(20, fill)


def test_do_not_call_from_the_contacts_view_lists_the_number_and_marks_the_contact(qtbot, window, tmp_path):
    campaign = create_campaign("Spring")
    other = create_campaign("Summer")
    source = tmp_path / "first.csv"
    source.write_text(FIRST)
    import_file(campaign.id, source)
    import_file(other.id, source)
    window.refresh_campaigns()
    window.campaign_view.select_campaign(campaign.id)
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 3)
    click_row(window.contacts.view, 1)
    assert window.contacts.marking.do_not_call_action.isEnabled()
    seen = []
    answer_dialog(qtbot, "asked on the phone", this_campaign_only=False, seen=seen)

    # Right-click the selected contact and choose "Do Not Call…" in the menu.
    view = window.contacts.view
    where = view.visualRect(view.model().index(1, 0)).center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, view.viewport().mapToGlobal(where))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    menu = QApplication.activePopupWidget()
    item = next(action for action in menu.actions() if action.text() == "&Do Not Call…")
    QTest.mouseClick(
        menu, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, menu.actionGeometry(item).center()
    )

    qtbot.waitUntil(lambda: contacts_of(campaign.id)["+12125550102"][1] == "do_not_call")
    qtbot.waitUntil(lambda: running_tasks() == [])
    assert seen
    assert contacts_of(other.id)["+12125550102"][1] == "do_not_call"  # all campaigns
    [answer] = dnc.check_numbers(["2125550102"])
    assert answer["listed"] and answer["scope"] == "all" and answer["note"] == "asked on the phone"
    qtbot.waitUntil(lambda: window.contacts.model.data(window.contacts.model.index(1, STATUS_COLUMN)) == "Do not call")


def test_this_campaign_only_scope(qtbot, window, tmp_path):
    campaign = create_campaign("Spring")
    other = create_campaign("Summer")
    source = tmp_path / "first.csv"
    source.write_text(FIRST)
    import_file(campaign.id, source)
    import_file(other.id, source)
    window.refresh_campaigns()
    window.campaign_view.select_campaign(campaign.id)
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 3)
    click_row(window.contacts.view, 0)
    answer_dialog(qtbot, "", this_campaign_only=True, seen=[])

    right_click(qtbot, window.contacts, "Do Not Call…")

    qtbot.waitUntil(lambda: contacts_of(campaign.id)["+12125550101"][1] == "do_not_call")
    qtbot.waitUntil(lambda: running_tasks() == [])
    assert contacts_of(other.id)["+12125550101"][1] == "pending"
    assert dnc.check_numbers(["2125550101"])[0]["scope"] == f"campaign {campaign.id}"


def test_import_history_undo_brings_the_campaign_back(qtbot, window, tmp_path, monkeypatch):
    campaign = create_campaign("Spring")
    first, wrong = tmp_path / "first.csv", tmp_path / "wrong.csv"
    first.write_text(FIRST)
    wrong.write_text(WRONG)
    import_file(campaign.id, first)
    before = contacts_of(campaign.id)
    import_file(campaign.id, wrong)
    window.refresh_campaigns()
    window.campaign_view.select_campaign(campaign.id)
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok: asked.append((title, text, ok)) or True)

    window.dnc.history_action.trigger()  # Campaign > Import History…
    dialog = window.dnc.history_dialog
    qtbot.waitExposed(dialog)
    assert dialog.table.rowCount() == 2
    headers = [dialog.table.horizontalHeaderItem(column).text() for column in range(dialog.table.columnCount())]
    newest = {header: dialog.table.item(0, column).text() for column, header in enumerate(headers)}
    assert newest["File"] == "wrong.csv" and "can be undone" in newest["State"]
    QTest.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: contacts_of(campaign.id) == before)
    qtbot.waitUntil(lambda: running_tasks() == [])
    assert asked and asked[0][2] == "Undo Import"
    assert "removes 2 contacts it added and brings back 3 contacts it replaced" in asked[0][1]
    qtbot.waitUntil(lambda: dialog.table.item(0, headers.index("State")).text() == "Undone")
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 3)
    dialog.close()


def test_import_do_not_call_list_from_the_file_menu(qtbot, window, tmp_path, data_dir, monkeypatch):
    campaign = create_campaign("Spring")
    source = tmp_path / "first.csv"
    source.write_text(FIRST)
    import_file(campaign.id, source)
    window.refresh_campaigns()
    shown = []
    monkeypatch.setattr(messages, "info", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(window.dnc, "choose_list_file", lambda: data_dir / "dnc_registry_ten_digit_lines_crlf.txt")
    file_menu = window.menuBar().actions()[0].menu()
    assert window.dnc.import_list_action in file_menu.actions()
    previews = []

    def answer(this_campaign_only: bool):
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DncImportDialog):
            QTimer.singleShot(20, lambda: answer(this_campaign_only))
            return
        previews.append(dialog.findChild(QLabel, "dncImportSample").text())
        if this_campaign_only:
            QTest.keyClick(dialog.this_campaign_only, Qt.Key.Key_Space)
        QTest.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(20, lambda: answer(False))
    window.dnc.import_list_action.trigger()  # File > Import Do-Not-Call List…

    qtbot.waitUntil(lambda: bool(shown))
    qtbot.waitUntil(lambda: running_tasks() == [])
    assert previews[0].splitlines()[:2] == ["+12125550101", "+13125550188"]
    assert "Added 4 new numbers" in shown[0] and "for all campaigns" in shown[0]
    assert contacts_of(campaign.id)["+12125550101"][1] == "do_not_call"

    zipped = tmp_path / "area-718.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("718.txt", "7185550100\n7185550101\n")
    monkeypatch.setattr(window.dnc, "choose_list_file", lambda: zipped)
    window.campaign_view.select_campaign(campaign.id)
    QTimer.singleShot(20, lambda: answer(True))
    window.dnc.import_list_action.trigger()
    qtbot.waitUntil(lambda: len(shown) == 2)
    qtbot.waitUntil(lambda: running_tasks() == [])
    assert "for campaign" in shown[1]
    assert dnc.check_numbers(["7185550101"])[0]["scope"] == f"campaign {campaign.id}"


def test_a_file_that_is_not_a_list_is_refused_before_anything_happens(qtbot, window, tmp_path, monkeypatch):
    warned = []
    monkeypatch.setattr(messages, "warn", lambda parent, title, text: warned.append(text))
    monkeypatch.setattr(window.dnc, "choose_list_file", lambda: tmp_path / "missing.txt")
    window.dnc.import_list_action.trigger()
    assert warned and "missing.txt cannot be read" in warned[0]
    assert dnc.count_entries() == 0


def test_do_not_call_dialog_cancel_changes_nothing(qtbot, window, tmp_path):
    campaign = create_campaign("Spring")
    source = tmp_path / "first.csv"
    source.write_text(FIRST)
    import_file(campaign.id, source)
    window.refresh_campaigns()
    window.campaign_view.select_campaign(campaign.id)
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 3)
    click_row(window.contacts.view, 0)

    def cancel():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DoNotCallDialog):
            QTimer.singleShot(20, cancel)
            return
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()

    QTimer.singleShot(20, cancel)
    right_click(qtbot, window.contacts, "Do Not Call…")
    assert dnc.count_entries() == 0
    assert contacts_of(campaign.id)["+12125550101"][1] == "pending"


def test_the_results_dialog_counts_numbers_on_the_list_and_lists_them(qtbot, db_path, tmp_path):
    from contactdesk.gui.results_dialog import ImportResultsDialog

    campaign = create_campaign("Spring")
    dnc.add_numbers(["2125550102"], note="angry")
    source = tmp_path / "first.csv"
    source.write_text(FIRST)
    result = import_file(campaign.id, source).to_dict()
    dialog = ImportResultsDialog(result)
    qtbot.addWidget(dialog)
    dialog.open()
    assert "1 number is on your do-not-call list" in dialog.labels["message"].text()
    assert dialog.labels["suppressed_count"].text() == "1 number, not imported"
    assert dialog.invalid_rows_button.isVisible()  # no invalid rows, but the listed one is shown there
    QTest.mouseClick(dialog.invalid_rows_button, Qt.MouseButton.LeftButton)
    rows = dialog.invalid_rows_dialog
    assert rows is not None and rows.isVisible()
    dialog.close()


def test_the_list_view_shows_each_entry_and_what_expires_soon(qtbot, window, data_dir, monkeypatch):
    from contactdesk.store import db

    dnc.add_numbers(["2125550101"], note="asked twice")
    dnc.add_numbers(["2125550102"], note="leaving soon")
    db.execute_sql("UPDATE dnc_entry SET expires_at = datetime('now', 'localtime', '+10 days')"
                   " WHERE phone_number = '+12125550102'")  # fmt: skip
    file_menu = window.menuBar().actions()[0].menu()
    assert window.dnc.list_action in file_menu.actions()

    dialog = window.dnc.show_list()  # File > Do-Not-Call List…
    qtbot.waitExposed(dialog)
    model = dialog.view.model()
    assert model.rowCount() == 2
    # The number reads as in the contacts table; what is stored is in its tooltip.
    assert [model.index(0, c).data() for c in (0, 1, 3)] == ["(212) 555-0101", "All campaigns", "asked twice"]
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "+12125550101"
    assert "1 entry expires within 30 days" in dialog.summary.text()
    assert model.index(1, 5).data(Qt.ItemDataRole.ToolTipRole) == "Stops suppressing within 30 days"
    assert not dialog.warning.isVisible()

    db.execute_sql("INSERT INTO dnc_list_import (file_name, campaign_id, imported_at, numbers, new_numbers)"
                   " VALUES ('old.txt', NULL, '2020-01-01 00:00:00', 1, 1)")  # fmt: skip
    dialog.reload()
    assert dialog.warning.isVisible() and "refresh your do-not-call list" in dialog.warning.text()
    dialog.close()


def test_an_empty_import_history_says_how_to_import(qtbot, window):
    campaign = create_campaign("Nothing yet")
    window.refresh_campaigns()
    window.campaign_view.select_campaign(campaign.id)
    window.dnc.history_action.trigger()  # Campaign > Import History…
    dialog = window.dnc.history_dialog
    qtbot.waitExposed(dialog)
    assert dialog.table.rowCount() == 0
    assert "File > Import Contacts (Ctrl+I)" in dialog.detail.text()
    assert not dialog.undo_button.isEnabled()
    dialog.close()


def test_the_list_import_names_the_csv_column_in_the_windows_quotes(qtbot, window, tmp_path):
    from contactdesk.core.dnc_import import preview_list

    path = tmp_path / "opt_outs.csv"
    path.write_text("Name,Mobile Phone\nAnn,2125550101\nBob,2125550102\n", encoding="utf-8")
    dialog = DncImportDialog(preview_list(path), "Spring outreach", window)
    dialog.show()
    qtbot.waitExposed(dialog)
    intro = dialog.findChild(QLabel, "dncImportIntro").text()
    assert "the column “Mobile Phone”" in intro and "'" not in intro
    dialog.done(0)


def test_the_campaigns_tooltip_counts_its_do_not_call_contacts(qtbot, window, tmp_path):
    campaign = create_campaign("Tooltips")
    path = tmp_path / "four.csv"
    path.write_text(FIRST + "2125550104,Dee\n", encoding="utf-8")
    import_file(campaign.id, path)
    dnc.mark_contacts(campaign.id, ["2125550101"], note="asked")
    window.refresh_campaigns()
    model = window.campaign_view.model()
    row = next(r for r in range(model.rowCount()) if model.index(r).data() == "Tooltips")
    tip = model.index(row).data(Qt.ItemDataRole.ToolTipRole)
    assert "Do not call: 1 (25%)" in tip and "Pending: 3 (75%)" in tip
