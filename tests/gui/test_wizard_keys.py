"""The import wizard by keyboard alone: keys go to whatever has the focus, as a person's do."""

import re
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QTableView, QWizard

from contactdesk.core.contacts import ContactFilter, count_contacts
from contactdesk.gui import messages
from contactdesk.gui.wizard import ImportWizard
from contactdesk.gui.wizard.mapping_model import ColumnChoicesModel
from contactdesk.gui.worker import running_tasks

CONTACTS_CSV = (
    "Full name,Mobile,Email,Company,Plan\n"
    "Ann Smith,(212) 736-5001,ann@example.com,Acme,Gold\n"
    "Bob Jones,212-736-5002,bob@example.com,Beta,Silver\n"
    "Dev Patel,2127365004,dev@example.com,Gamma,\n"
)


@pytest.fixture
def asked(monkeypatch, isolated_gui):
    """Questions are recorded; the answer is whatever the test puts in ``answer``."""
    questions: list[str] = []
    answer = {"value": False}
    monkeypatch.setattr(
        messages, "confirm", lambda parent, title, text, ok_label: questions.append(text) or answer["value"]
    )
    yield questions, answer
    deadline = time.monotonic() + 5
    while running_tasks() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)


def open_wizard(qtbot, campaign, path) -> ImportWizard:
    wizard = ImportWizard(campaign.id, path)
    qtbot.addWidget(wizard)
    wizard.open()
    qtbot.waitUntil(lambda: not wizard.is_busy())  # the files are read on the worker
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=5_000)
    return wizard


def press(key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifiers)
    QApplication.processEvents()


def target_text(wizard, row: int) -> str:
    return wizard.mapping_page.model.index(row, ColumnChoicesModel.TARGET).data()


def to_mapping(qtbot, wizard) -> None:
    press(Qt.Key.Key_Return)
    assert wizard.currentId() == wizard.page_ids()["mapping"]


def test_return_means_next_on_every_page_and_import_on_the_check(qtbot, campaign, write_csv, asked):
    wizard = open_wizard(qtbot, campaign, write_csv(CONTACTS_CSV))
    to_mapping(qtbot, wizard)
    table = wizard.mapping_page.table
    assert QApplication.focusWidget() is table
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Return)  # no editor is open: Next, not "edit the cell"
    assert wizard.currentId() == wizard.page_ids()["check"]
    qtbot.waitUntil(lambda: not wizard.check_page.is_running(), timeout=10_000)
    with qtbot.waitSignal(wizard.imported, timeout=10_000):
        press(Qt.Key.Key_Return)  # Import
    assert count_contacts(ContactFilter(campaign.id)) == 3
    wizard.results_dialog.close()


def test_tab_into_the_mapping_table_and_open_a_choice_by_keyboard(qtbot, campaign, write_csv, asked):
    wizard = open_wizard(qtbot, campaign, write_csv(CONTACTS_CSV))
    to_mapping(qtbot, wizard)
    page = wizard.mapping_page
    table = page.table
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table
    table.setCurrentIndex(page.model.index(2, ColumnChoicesModel.COLUMN))
    press(Qt.Key.Key_Backtab)  # back into the table: lands on a choice, not on a file column
    assert QApplication.focusWidget() is table
    assert table.currentIndex().column() == ColumnChoicesModel.TARGET

    phone_row = page.model.row_of("Mobile")
    assert "auto" in target_text(wizard, phone_row)
    for opening in ((Qt.Key.Key_Space,), (Qt.Key.Key_F2,), (Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)):
        table.setCurrentIndex(page.model.index(phone_row, ColumnChoicesModel.TARGET))
        press(*opening)
        editor = table.indexWidget(table.currentIndex())
        assert isinstance(editor, QComboBox), opening
        qtbot.waitUntil(lambda editor=editor: editor.view().isVisible(), timeout=2_000)
        press(Qt.Key.Key_Return)  # takes the highlighted (unchanged) choice and closes the list
        qtbot.waitUntil(lambda: table.state() != QTableView.State.EditingState, timeout=2_000)
        assert wizard.currentId() == wizard.page_ids()["mapping"]  # Return went to the list, not Next
        assert "auto" in target_text(wizard, phone_row)  # an unchanged choice stays "auto"

    # A real change by keyboard: the company column becomes ignored.
    company_row = page.model.row_of("Company")
    table.setCurrentIndex(page.model.index(company_row, ColumnChoicesModel.TARGET))
    press(Qt.Key.Key_Space)
    editor = table.indexWidget(table.currentIndex())
    qtbot.waitUntil(lambda: editor.view().isVisible(), timeout=2_000)
    for _ in range(editor.count()):
        press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QTableView.State.EditingState, timeout=2_000)
    assert target_text(wizard, company_row) == "Ignore"


@pytest.mark.parametrize("make_table", ["preview", "mapping"])
def test_tab_leaves_a_table_in_one_press(qtbot, campaign, write_csv, asked, make_table):
    wide = ",".join(f"col{i}" for i in range(15)) + ",phone\n" + ",".join("x" * 15) + ",2127365001\n"
    wizard = open_wizard(qtbot, campaign, write_csv(wide))
    if make_table == "mapping":
        to_mapping(qtbot, wizard)
        table = wizard.mapping_page.table
    else:
        table = wizard.preview_page.table
        table.setFocus()
        table.setCurrentIndex(table.model().index(0, 0))
    assert QApplication.focusWidget() is table
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table
    press(Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is table
    press(Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is not table


def mnemonics_on_screen(wizard) -> list[str]:
    """The Alt+letter of every visible control of the wizard's current page and its buttons."""
    letters = []
    for widget in wizard.findChildren(QAbstractButton) + wizard.findChildren(QLabel):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel) and widget.buddy() is None:
            continue
        match = re.search(r"&([^&\s])", widget.text().replace("&&", ""))
        if match:
            letters.append(match.group(1).lower())
    return letters


def test_each_mnemonic_once_per_page(qtbot, campaign, write_csv, asked):
    wizard = open_wizard(qtbot, campaign, write_csv(CONTACTS_CSV))
    for page in ("preview", "mapping", "check"):
        assert wizard.currentId() == wizard.page_ids()[page]
        if page == "check":
            qtbot.waitUntil(lambda: not wizard.check_page.is_running(), timeout=10_000)
        letters = mnemonics_on_screen(wizard)
        assert len(letters) == len(set(letters)), (page, sorted(letters))
        if page != "check":
            wizard.next()
    # Alt+N on the preview page is Next, and nothing else.
    wizard.back()
    wizard.back()
    box = wizard.preview_page.header_check
    checked = box.isChecked()
    press(Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.currentId() == wizard.page_ids()["mapping"], timeout=2_000)
    assert box.isChecked() == checked


def test_escape_after_a_change_asks_before_discarding(qtbot, campaign, write_csv, asked):
    questions, answer = asked
    wizard = open_wizard(qtbot, campaign, write_csv(CONTACTS_CSV))
    to_mapping(qtbot, wizard)
    page = wizard.mapping_page
    row = page.model.row_of("Company")
    page.table.setCurrentIndex(page.model.index(row, ColumnChoicesModel.TARGET))
    press(Qt.Key.Key_Space)
    editor = page.table.indexWidget(page.table.currentIndex())
    qtbot.waitUntil(lambda: editor.view().isVisible(), timeout=2_000)
    for _ in range(editor.count()):
        press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.table.state() != QTableView.State.EditingState, timeout=2_000)
    assert target_text(wizard, row) == "Ignore"

    press(Qt.Key.Key_Escape)
    assert questions == ["Discard your changes to the mapping? The file has not been imported."]
    assert wizard.isVisible()  # answered "no": the wizard stays, with the change
    answer["value"] = True
    press(Qt.Key.Key_Escape)
    assert not wizard.isVisible()


def test_escape_without_a_change_closes_at_once(qtbot, campaign, write_csv, asked):
    questions, _answer = asked
    wizard = open_wizard(qtbot, campaign, write_csv(CONTACTS_CSV))
    to_mapping(qtbot, wizard)
    press(Qt.Key.Key_Escape)
    assert questions == []
    assert not wizard.isVisible()
    assert wizard.result() == QWizard.DialogCode.Rejected
