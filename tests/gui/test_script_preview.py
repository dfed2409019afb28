"""Contacts > Preview Script…: a call script filled with the selected contact's fields and columns."""

import pytest
from menu_clicks import choose, right_click
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from contactdesk.core.importer import import_file

pytestmark = pytest.mark.usefixtures("isolated_gui")

CUSTOMERS = "phone,name,plan,renewal\n+14155550100,Ann Lee,Gold,5 January\n+14155550101,Bob Ray,Basic,\n"


@pytest.fixture
def window(make_window, campaign, write_csv, qtbot):
    import_file(campaign.id, write_csv(CUSTOMERS))
    window = make_window((1024, 640))
    window.campaign_view.select_campaign(campaign.id)
    qtbot.waitUntil(lambda: window.contacts.model.is_row_loaded(0) and window.contacts.model.rowCount() == 2)
    return window


def click_row(window, row: int) -> None:
    view = window.contacts.view
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(view.model().index(row, 0)).center()
    )


def open_preview(qtbot, window):
    choose(qtbot, window, "Contacts", "Preview Script…")
    dialog = window.contacts.template_dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_the_script_is_filled_for_the_selected_contact_and_what_is_missing_is_named(qtbot, window):
    click_row(window, 1)
    dialog = open_preview(qtbot, window)
    assert dialog.contact_label.text() == "For Bob Ray ((415) 555-0101):"
    QTest.mouseClick(dialog.template_edit.viewport(), Qt.MouseButton.LeftButton)
    QTest.keyClicks(QApplication.focusWidget(), "Hi {name}, your {plan} plan renews on {renewal}. Thanks, ")
    # "Insert a field…": the first field after it is {name}, put where the cursor is.
    QTest.mouseClick(dialog.field_picker, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.field_picker.view().isVisible())
    QTest.keyClick(dialog.field_picker.view(), Qt.Key.Key_Down)
    QTest.keyClick(dialog.field_picker.view(), Qt.Key.Key_Return)
    assert dialog.template_edit.toPlainText().endswith("Thanks, {name}")
    assert dialog.result_view.toPlainText() == "Hi Bob Ray, your Basic plan renews on {renewal}. Thanks, Bob Ray"
    assert dialog.missing_label.isVisible() and dialog.missing_label.text() == "No value for this contact: {renewal}"

    click_row(window, 0)  # the preview follows the table
    assert dialog.contact_label.text() == "For Ann Lee ((415) 555-0100):"
    assert dialog.result_view.toPlainText() == "Hi Ann Lee, your Gold plan renews on 5 January. Thanks, Ann Lee"
    assert not dialog.missing_label.isVisible()


def test_a_misspelt_placeholder_is_named_and_the_preview_opens_from_the_right_click_menu(qtbot, window):
    click_row(window, 0)
    right_click(qtbot, window.contacts, "Preview Script…")
    dialog = window.contacts.template_dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.template_edit.setFocus()
    QTest.keyClicks(QApplication.focusWidget(), "Dear {nmae}")
    assert dialog.result_view.toPlainText() == "Dear {nmae}"
    assert dialog.missing_label.text() == "No value for this contact: {nmae}"


def test_with_no_contact_selected_the_preview_says_to_select_one(qtbot, window):
    dialog = open_preview(qtbot, window)
    assert dialog.contact_label.text() == "Select a contact in the table to see the script filled in."
    assert dialog.result_view.toPlainText() == ""
