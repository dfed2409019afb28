"""The keyboard across the whole window once every feature is in: each Alt+letter once per menu and
per dialog page, every shortcut listed in Help, and Tab, Return and Escape in the newer dialogs."""

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QMenu,
    QWidget,
)

from contactdesk.core import dnc
from contactdesk.core.campaigns import create_campaign
from contactdesk.core.dnc_import import preview_list
from contactdesk.core.importer import import_file
from contactdesk.gui import messages
from contactdesk.gui.dnc_dialog import DoNotCallDialog
from contactdesk.gui.dnc_import_dialog import DncImportDialog
from contactdesk.gui.help_menu import SHORTCUTS
from contactdesk.gui.main_window import MainWindow
from contactdesk.gui.settings import AppSettings
from contactdesk.gui.wizard import ImportWizard
from contactdesk.gui.worker import running_tasks

FIRST = "phone,name\n2125550101,Ann\n2125550102,Bob\n2125550103,Cy\n"
SECOND = "phone,name\n2125550101,Ann\n2125550104,Dee\nnot a number,Eve\n"


@pytest.fixture
def window(qtbot, db_path, tmp_path):
    campaign = create_campaign("Spring outreach")
    import_file(campaign.id, write(tmp_path / "first.csv", FIRST))
    import_file(campaign.id, write(tmp_path / "second.csv", SECOND))
    dnc.add_numbers(["2125550190"], note="asked twice")
    main = MainWindow(AppSettings(), db_path=db_path)
    qtbot.addWidget(main)
    main.resize(1024, 640)
    main.show()
    qtbot.waitExposed(main)
    main.campaign_view.select_campaign(campaign.id)
    qtbot.waitUntil(lambda: not main.contacts.model.is_loading())
    main.campaign = campaign
    yield main
    main.close()
    qtbot.waitUntil(lambda: running_tasks() == [], timeout=10_000)


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def letter(text: str) -> str | None:
    match = re.search(r"&([^&\s])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def menu_letters(menu: QMenu) -> list[str]:
    return [
        found for action in menu.actions() if not action.isSeparator() and (found := letter(action.text())) is not None
    ]


def every_menu(window) -> list[tuple[str, QMenu]]:
    """The menu bar's menus and their submenus, with a path that names them."""
    found, todo = [], [(action.text(), action.menu()) for action in window.menuBar().actions()]
    while todo:
        name, menu = todo.pop()
        found.append((name, menu))
        todo += [(f"{name} > {a.text()}", a.menu()) for a in menu.actions() if a.menu() is not None]
    return found


def dialog_letters(dialog: QWidget) -> list[str]:
    """The Alt+letter of every control on screen in ``dialog`` (for a wizard: its current page and buttons)."""
    letters = []
    widgets = dialog.findChildren(QAbstractButton) + dialog.findChildren(QLabel) + dialog.findChildren(QGroupBox)
    for widget in widgets:
        if not widget.isVisible() or (isinstance(widget, QLabel) and widget.buddy() is None):
            continue
        found = letter(widget.title() if isinstance(widget, QGroupBox) else widget.text())
        if found:
            letters.append(found)
    return letters


def assert_unique(letters: list[str], where: str) -> None:
    assert len(letters) == len(set(letters)), (where, sorted(letters))


def press(key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifiers)
    QApplication.processEvents()


def wait_active(qtbot, dialog: QWidget) -> None:
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5_000)


# Menus and shortcuts ----------------------------------------------------------------------------
def test_each_menu_has_each_alt_letter_once(window):
    menus = every_menu(window)
    names = [name for name, _ in menus]
    assert {"&File", "&Campaign", "C&ontacts", "&Help"} <= set(names)
    assert len(menus) >= 6  # the two Mark submenus are walked too
    assert_unique([letter(a.text()) for a in window.menuBar().actions()], "menu bar")
    for name, menu in menus:
        assert_unique(menu_letters(menu), name)


def test_the_contacts_right_click_menu_has_each_alt_letter_once(qtbot, window):
    view = window.contacts.view
    shown = []
    original_popup = QMenu.popup
    QMenu.popup = lambda menu, *args: shown.append(menu)
    try:
        view.customContextMenuRequested.emit(view.viewport().rect().center())
    finally:
        QMenu.popup = original_popup
    [menu] = shown
    assert_unique(menu_letters(menu), "right-click menu")


def shortcut_names(action: QAction) -> list[str]:
    names = []
    for sequence in action.shortcuts():
        text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
        names.append({"Del": "Delete", "Ctrl+Return": "Ctrl+Enter"}.get(text, text))
    return names


def test_help_lists_every_shortcut_of_the_window(window):
    tokens = set()
    for keys, _does in SHORTCUTS:
        keys = keys.replace("Ctrl+1 … Ctrl+4", "Ctrl+1, Ctrl+2, Ctrl+3, Ctrl+4")
        tokens.update(re.split(r"(?<!\+), | or ", keys))  # "Ctrl+," is one key
    missing = {name for action in window.findChildren(QAction) for name in shortcut_names(action) if name not in tokens}
    assert missing == set()
    # The menus show the keys as Help writes them.
    assert window.contacts.next_action.shortcut().toString() == "Ctrl+Enter"
    assert window.menus.quit_action.shortcut().toString() == "Ctrl+Q"
    assert {"Ctrl+Enter", "Ctrl+Q"} <= tokens


# Dialogs: Alt+letters ---------------------------------------------------------------------------
def test_each_dialog_has_each_alt_letter_once(qtbot, window, data_dir):
    opened = {
        "settings": window.show_settings(),
        "shortcuts": window.help.show_shortcuts(),
        "import history": window.dnc.show_history(),
        "calling hours": window.campaigns.show_calling_hours(),
        "do-not-call list": window.dnc.show_list(),
        "import do-not-call list": DncImportDialog(
            preview_list(data_dir / "dnc_registry_ten_digit_lines_crlf.txt"), "Spring outreach", window
        ),
        "do not call": DoNotCallDialog(2, "Spring outreach", window),
    }
    for name, dialog in opened.items():
        dialog.show()
        qtbot.waitExposed(dialog)
        assert_unique(dialog_letters(dialog), name)
        dialog.done(0)


@pytest.mark.parametrize("files", [1, 3])
def test_each_wizard_page_and_the_results_have_each_alt_letter_once(qtbot, window, tmp_path, monkeypatch, files):
    monkeypatch.setattr(messages, "confirm", lambda *args: False)
    paths = [write(tmp_path / f"more{n}.csv", f"phone,name\n21255502{n}0,New {n}\nbad,Bad\n") for n in range(files)]
    wizard = ImportWizard(window.campaign.id, paths, parent=window)
    qtbot.addWidget(wizard)
    wizard.open()
    qtbot.waitUntil(lambda: not wizard.is_busy())  # the files are read on the worker
    for page in ("preview", "mapping", "check"):
        assert wizard.currentId() == wizard.page_ids()[page]
        if page == "check":
            qtbot.waitUntil(lambda: not wizard.check_page.is_running(), timeout=10_000)
            assert wizard.check_page.keep_radio.isVisible()  # the campaign has pending contacts
        assert_unique(dialog_letters(wizard), f"{page} page, {files} file(s)")
        if page != "check":
            wizard.next()
    invalid = wizard.check_page.show_invalid_rows()
    assert_unique(dialog_letters(invalid), "invalid rows")
    invalid.close()
    with qtbot.waitSignal(wizard.imported, timeout=10_000):
        wizard.next()
    assert_unique(dialog_letters(wizard), "import page")
    results = wizard.results_dialog
    qtbot.waitExposed(results)
    assert_unique(dialog_letters(results), "results")
    results.close()
    wizard.done(0)


# The newer dialogs: Tab, Return, Escape ---------------------------------------------------------
def open_history(qtbot, window):
    dialog = window.dnc.show_history()
    wait_active(qtbot, dialog)
    return dialog, dialog.table


def open_list(qtbot, window):
    dialog = window.dnc.show_list()
    wait_active(qtbot, dialog)
    return dialog, dialog.view


@pytest.mark.parametrize("opener", [open_history, open_list], ids=["import history", "do-not-call list"])
def test_tab_leaves_the_table_in_one_press(qtbot, window, opener):
    dialog, table = opener(qtbot, window)
    assert table.model().rowCount() >= 1
    table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table
    assert dialog.isAncestorOf(QApplication.focusWidget())
    press(Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is table
    dialog.done(0)


@pytest.mark.parametrize("opener", [open_history, open_list], ids=["import history", "do-not-call list"])
def test_return_in_the_table_closes_and_escape_closes(qtbot, window, opener):
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape):
        dialog, table = opener(qtbot, window)
        table.setFocus()
        qtbot.waitUntil(lambda t=table: QApplication.focusWidget() is t)
        with qtbot.waitSignal(dialog.finished, timeout=2_000):
            press(key)
        assert not dialog.isVisible()


def test_return_in_the_history_never_undoes(qtbot, window, monkeypatch):
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda *args: asked.append(args) or False)
    dialog, table = open_history(qtbot, window)
    assert dialog.undo_button.isEnabled()
    table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    press(Qt.Key.Key_Return)
    assert asked == []  # Close is the default: Return does not start an undo


def test_do_not_call_dialog_return_adds_and_escape_cancels(qtbot, window):
    for key, expected in ((Qt.Key.Key_Return, QDialog.DialogCode.Accepted), (Qt.Key.Key_Escape, 0)):
        dialog = DoNotCallDialog(2, "Spring outreach", window)
        dialog.show()
        wait_active(qtbot, dialog)
        assert QApplication.focusWidget() is dialog.note
        QTest.keyClicks(QApplication.focusWidget(), "asked on the phone")
        with qtbot.waitSignal(dialog.finished, timeout=2_000) as finished:
            press(key)
        assert finished.args == [expected]


def test_import_list_dialog_return_imports_and_escape_cancels(qtbot, window, data_dir):
    preview = preview_list(data_dir / "dnc_registry_ten_digit_lines_crlf.txt")
    for key, expected in ((Qt.Key.Key_Return, QDialog.DialogCode.Accepted), (Qt.Key.Key_Escape, 0)):
        dialog = DncImportDialog(preview, "Spring outreach", window)
        dialog.show()
        wait_active(qtbot, dialog)
        assert isinstance(QApplication.focusWidget(), QWidget)
        with qtbot.waitSignal(dialog.finished, timeout=2_000) as finished:
            press(key)
        assert finished.args == [expected]
