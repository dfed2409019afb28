"""One voice in the window: the check and the results use the same words and numbers; menus match
their keys; commands that cannot do anything are off; Help has the README's keys."""

import re
import time
from pathlib import Path

import pytest
from drag_events import drag_enter_event, drop_event
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from contactdesk.core.campaigns import create_campaign, list_campaigns
from contactdesk.core.csv_reader import sniff
from contactdesk.core.importer import import_file
from contactdesk.gui import messages
from contactdesk.gui.main_window import MainWindow
from contactdesk.gui.settings import AppSettings
from contactdesk.gui.wizard import ImportWizard
from contactdesk.gui.worker import running_tasks

README = Path(__file__).resolve().parents[2] / "README.md"
SHARED_KEYS = ("imported_count", "skipped_duplicates", "invalid_count", "removed_count", "kept_count")
HISTORY_CSV = "phone,name\n+12127365001,Ann\n+12127365002,Bob\n"
NEW_CSV = "phone,name\n+12127365001,Ann\n+12127365001,Ann again\n+12127365003,Cara\nnot a number,Dev\n"


@pytest.fixture
def window(qtbot, db_path):
    window = MainWindow(AppSettings(), db_path=db_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    qtbot.waitUntil(lambda: running_tasks() == [], timeout=10_000)


def test_the_check_and_the_results_use_the_same_words_and_numbers(qtbot, campaign, write_csv):
    import_file(campaign.id, write_csv(HISTORY_CSV))
    wizard = ImportWizard(campaign.id, write_csv(NEW_CSV))
    qtbot.addWidget(wizard)
    wizard.open()
    qtbot.waitUntil(lambda: not wizard.is_busy())  # the files are read on the worker
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.check_page.is_running(), timeout=10_000)
    checked = {key: wizard.check_page.values[key].text() for key in SHARED_KEYS}
    assert "None" not in checked.values()
    assert "already in the campaign" in checked["skipped_duplicates"]
    with qtbot.waitSignal(wizard.imported, timeout=10_000) as imported:
        wizard.next()
    results = wizard.results_dialog
    assert {key: results.labels[key].text() for key in SHARED_KEYS} == checked
    # One quote style for names, in the results as everywhere.
    assert "into “Spring outreach”" in imported.args[0]["message"]
    assert "“Spring outreach”" in results.result["message"] and "'" not in results.result["message"]
    results.close()


def test_zero_is_written_as_0_on_the_check_page(qtbot, campaign, write_csv):
    wizard = ImportWizard(campaign.id, write_csv("phone\n+12127365001\n"))
    qtbot.addWidget(wizard)
    wizard.open()
    qtbot.waitUntil(lambda: not wizard.is_busy())  # the files are read on the worker
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.check_page.is_running(), timeout=10_000)
    texts = [label.text() for label in wizard.check_page.values.values()]
    assert "None" not in texts
    assert wizard.check_page.values["invalid_count"].text() == "0"
    assert wizard.check_page.values["skipped_duplicates"].text() == "0"
    wizard.reject()


def test_menu_commands_read_in_one_voice(window):
    texts = [
        a.text() for menu in window.menuBar().findChildren(type(window.menuBar().addMenu("x"))) for a in menu.actions()
    ]
    assert "&Restore from a Backup…" in texts
    # An ellipsis only where a dialog opens before anything happens.
    assert "&Back Up Database" in texts
    contacts_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "C&ontacts")
    mark = next(a.menu() for a in contacts_menu.actions() if a.menu() and "Selected" in a.text())
    keys = [(a.text(), a.shortcut().toString()) for a in mark.actions() if a.shortcut().toString()]
    assert keys == [("Pending", "Ctrl+1"), ("Completed", "Ctrl+2"), ("Failed", "Ctrl+3"), ("Skipped", "Ctrl+4")]
    assert [a.text() for a in mark.actions()][:4] == [text for text, _key in keys]  # in that order, first


def test_export_is_off_for_an_empty_campaign(qtbot, db_path, write_csv, window):
    empty = create_campaign("Empty")
    full = create_campaign("Full")
    import_file(full.id, write_csv(HISTORY_CSV))
    window.refresh_campaigns()
    window.campaign_view.select_campaign(empty.id)
    assert not window.contacts.export_action.isEnabled()
    window.campaign_view.select_campaign(full.id)
    qtbot.waitUntil(lambda: not window.contacts.model.is_loading())
    assert window.contacts.export_action.isEnabled()


def test_cancelling_the_wizard_removes_the_campaign_made_for_the_file(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(messages, "confirm", lambda *args: True)  # "Create a campaign named after the file?"
    path = tmp_path / "march_leads.csv"
    path.write_text("phone\n+12127365001\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos = QPoint(window.width() // 2, window.height() // 2)
    QApplication.sendEvent(window, drag_enter_event(pos, mime))
    QApplication.sendEvent(window, drop_event(pos, mime))
    assert [c.name for c in list_campaigns()] == ["march leads"]
    wizard = window.wizard
    assert wizard is not None
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=5_000)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.wizard is None, timeout=5_000)
    deadline = time.monotonic() + 2
    while list_campaigns() and time.monotonic() < deadline:
        QApplication.processEvents()
    assert list_campaigns() == []
    assert window.campaign_model.rowCount() == 0


def readme_keys() -> list[str]:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| keys | does |") :].split("\n\n")[0]
    return [row.split("|")[1].strip() for row in table.splitlines()[2:]]


def test_help_lists_the_readmes_keys_and_opens_the_log_folder(qtbot, db_path, tmp_path):
    from contactdesk.gui.help_menu import SHORTCUTS, ShortcutsDialog

    log_path = tmp_path / "logs" / "contactdesk.log"
    window = MainWindow(AppSettings(), db_path=db_path, log_path=log_path)
    qtbot.addWidget(window)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    texts = [a.text() for a in help_menu.actions()]
    assert texts[:2] == ["&Keyboard Shortcuts", "Open the &Log Folder"]
    opened = []
    window.help.open_folder = opened.append
    help_menu.actions()[1].trigger()
    assert opened == [log_path.parent]
    help_menu.actions()[0].trigger()
    dialog = window.findChild(ShortcutsDialog)
    shown = [keys for keys, _does in dialog.rows()]
    assert shown == [keys for keys, _does in SHORTCUTS]
    assert readme_keys() == shown  # the README's table and the window's say the same
    dialog.close()
    window.close()


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("Latin-1", "Müller"),
        ("Windows-1250", "Łódź"),
        ("Windows-1251", "Москва"),
        ("Mac Roman", "Zoë"),
        ("UTF-16", "Zoë"),
    ],
)
def test_the_encoding_list_offers_the_common_ones(qtbot, campaign, tmp_path, encoding, text):
    codec = {
        "Latin-1": "latin-1",
        "Windows-1250": "cp1250",
        "Windows-1251": "cp1251",
        "Mac Roman": "mac_roman",
        "UTF-16": "utf-16",
    }[encoding]
    path = tmp_path / "people.csv"
    path.write_bytes(f"phone,name\n+12127365001,{text}\n".encode(codec))
    wizard = ImportWizard(campaign.id, path)
    qtbot.addWidget(wizard)
    wizard.open()
    qtbot.waitUntil(lambda: not wizard.is_busy())  # the files are read on the worker
    combo = wizard.preview_page.encoding_combo
    position = combo.findText(encoding)
    assert position >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(position)
    combo.activated.emit(position)
    qtbot.waitUntil(lambda: not wizard.is_busy())
    assert wizard.preview_page.model.index(0, 1).data() == text
    assert re.sub(r"\s", "", sniff(path, encoding=combo.currentData()).sample_rows[0][1]) == text
    wizard.done(0)  # not reject(): that would ask about the changed encoding


def test_the_check_shows_the_numbers_on_the_do_not_call_list_as_the_results_do(qtbot, campaign, write_csv):
    from contactdesk.core import dnc

    dnc.add_numbers(["2127365003"], note="asked on the phone")
    wizard = ImportWizard(campaign.id, write_csv(NEW_CSV))
    qtbot.addWidget(wizard)
    wizard.open()
    qtbot.waitUntil(lambda: not wizard.is_busy())  # the files are read on the worker
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.check_page.is_running(), timeout=10_000)
    checked = wizard.check_page.values["suppressed_count"]
    assert checked.isVisible() and checked.text() == "1 number, not imported"
    assert wizard.check_page.invalid_rows_button.isVisible()  # lists it, with the list entry's reason
    with qtbot.waitSignal(wizard.imported, timeout=10_000):
        wizard.next()
    results = wizard.results_dialog
    assert results.labels["suppressed_count"].text() == checked.text()
    results.close()


def test_the_check_has_no_do_not_call_row_when_no_number_is_on_the_list(qtbot, campaign, write_csv):
    wizard = ImportWizard(campaign.id, write_csv(NEW_CSV))
    qtbot.addWidget(wizard)
    wizard.open()
    qtbot.waitUntil(lambda: not wizard.is_busy())  # the files are read on the worker
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.check_page.is_running(), timeout=10_000)
    assert not wizard.check_page.values["suppressed_count"].isVisible()
    wizard.done(0)
