"""Several files dropped at once are one import; replacing pending contacts is said first; presets that fit."""

import time
from pathlib import Path

import pytest
from drag_events import drag_enter_event, drop_event
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWizard

from contactdesk.core.campaigns import create_campaign
from contactdesk.core.contacts import ContactFilter, fetch_contacts
from contactdesk.core.importer import import_file
from contactdesk.core.presets import list_presets, save_preset
from contactdesk.gui import messages
from contactdesk.gui.main_window import MainWindow
from contactdesk.gui.settings import AppSettings
from contactdesk.gui.worker import running_tasks
from contactdesk.store import ImportRun

CRM = "Full name,Mobile\nAnn Smith,(212) 736-5001\nBob Jones,212-736-5002\n"
CRM_AGAIN = "Full name,Mobile\nBob Later,212-736-5002\nCara Diaz,212-736-5003\n"  # Bob is in the first file
SHOP = "Phone;Customer;Plan\n+1 212 736 5004;Dev Patel;Gold\nnot a number;Eve;Silver\n"
EARLIER = "phone,name\n3035550101,Old One\n3035550102,Old Two\n"


@pytest.fixture
def window(qtbot, db_path):
    window = MainWindow(AppSettings(), db_path=db_path)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    yield window
    if window.wizard is not None:
        window.wizard.reject()
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "importResultsDialog" and widget.isVisible():
            widget.close()
    window.close()
    qtbot.waitUntil(lambda: running_tasks() == [], timeout=10_000)


def drop_files(widget, paths) -> None:
    """A real drag and drop of several files, as a file manager sends it."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPoint(widget.width() * 3 // 4, widget.height() // 2)
    QApplication.sendEvent(widget, drag_enter_event(pos, mime))
    QApplication.sendEvent(widget, drop_event(pos, mime))
    wizard = getattr(widget.window(), "wizard", None)
    if wizard is not None:  # the files are read on the worker, as a person waits for the preview
        deadline = time.monotonic() + 10
        while wizard.is_busy() and time.monotonic() < deadline:
            QTest.qWait(5)


def click(button) -> None:
    """A mouse click on the button's label (a radio button's label is not as wide as the button)."""
    assert button.isVisible() and button.isEnabled(), button.text()
    pos = QPoint(min(button.width() // 2, 40), button.height() // 2)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)


def next_button(wizard):
    return wizard.button(QWizard.WizardButton.NextButton)


def click_to_check(qtbot, wizard) -> None:
    click(next_button(wizard))  # preview -> mapping
    click(next_button(wizard))  # mapping -> check
    assert wizard.currentPage() is wizard.check_page
    qtbot.waitUntil(lambda: not wizard.check_page.is_running(), timeout=20_000)


def names_by_phone(campaign_id) -> dict:
    return {c.phone_number: c.name for c in fetch_contacts(ContactFilter(campaign_id), 0, 1000)}


def test_three_dropped_files_are_one_list_with_one_check_and_one_import(qtbot, window, db_path, tmp_path):
    campaign = create_campaign("Spring")
    window.refresh_campaigns()
    window.campaign_view.select_campaign(campaign.id)
    import_file(campaign.id, _write(tmp_path, "earlier.csv", EARLIER))
    paths = [
        _write(tmp_path, "crm.csv", CRM),
        _write(tmp_path, "crm 2.csv", CRM_AGAIN),
        _write(tmp_path, "shop.csv", SHOP),
    ]
    drop_files(window, paths)
    wizard = window.wizard
    assert wizard is not None and wizard.session.paths == paths  # one wizard for the three files
    preview = wizard.preview_page
    assert [preview.file_combo.itemText(i) for i in range(3)] == [
        "File 1 of 3: crm.csv",
        "File 2 of 3: crm 2.csv",
        "File 3 of 3: shop.csv",
    ]
    click(next_button(wizard))
    mapping = wizard.mapping_page
    # Two sets of columns: the two CRM files share one mapping, the shop file has its own.
    assert mapping.columns_combo.isVisible() and mapping.columns_combo.count() == 2
    assert mapping.columns_combo.itemText(0) == "Columns of files 1 and 2 of 3 (crm.csv, crm 2.csv)"
    click(next_button(wizard))
    check = wizard.check_page
    qtbot.waitUntil(lambda: not check.is_running(), timeout=20_000)
    assert check.values["imported_count"].text() == "4"  # the files' totals
    assert "1 repeated in the files" in check.values["skipped_duplicates"].text()
    assert check.values["invalid_count"].text() == "1"
    files = check.files_label.text().splitlines()
    assert files[0].startswith("File 1 of 3: crm.csv: 2 rows, 2 new")
    assert files[1].startswith("File 2 of 3: crm 2.csv: 2 rows, 1 new, 1 duplicate")
    assert files[2].startswith("File 3 of 3: shop.csv: 2 rows, 1 new") and "1 invalid" in files[2]
    assert check.headline.text().endswith("Replace 2 pending contacts with 4 from 3 files")
    with qtbot.waitSignal(wizard.imported, timeout=20_000) as imported:
        click(next_button(wizard))  # "Replace and import"
    result = imported.args[0]
    names = names_by_phone(campaign.id)
    assert len(names) == 4 and names["+12127365002"] == "Bob Jones"  # the first file wins
    assert "+13035550101" not in names  # the earlier pending contacts were replaced, once
    assert [run.file_name for run in ImportRun.select().order_by(ImportRun.id)][1:] == [
        "crm.csv",
        "crm 2.csv",
        "shop.csv",
    ]
    qtbot.waitUntil(lambda: wizard.results_dialog is not None and wizard.results_dialog.isVisible())
    dialog = wizard.results_dialog
    assert dialog.labels["backup_path"].text() == result["backup_path"] and Path(result["backup_path"]).is_file()
    assert dialog.labels["files"].text().startswith("File 1 of 3: crm.csv")


def test_replacing_is_the_headline_and_adding_keeps_the_pending_contacts(qtbot, window, tmp_path):
    campaign = create_campaign("Spring")
    import_file(campaign.id, _write(tmp_path, "earlier.csv", EARLIER))
    window.refresh_campaigns()
    window.campaign_view.select_campaign(campaign.id)
    drop_files(window, [_write(tmp_path, "google_contacts.csv", CRM)])
    wizard = window.wizard
    click_to_check(qtbot, wizard)
    check = wizard.check_page
    assert check.headline.text().endswith("Replace 2 pending contacts with 2 from google_contacts.csv")
    assert "#fff4e5" in check.headline.styleSheet()  # shown as a warning
    assert next_button(wizard).text().replace("&", "") == "Replace and import"
    assert check.replace_radio.isChecked()
    click(check.keep_radio)  # "Add to the campaign (keep pending contacts)"
    qtbot.waitUntil(lambda: not check.is_running() and check.result is not None, timeout=20_000)
    assert "Replace" not in check.headline.text()
    assert check.headline.text().startswith("Add 2 contacts from google_contacts.csv")
    assert check.values["total_contacts"].text() == "4"
    assert next_button(wizard).text().replace("&", "") == "Import"
    with qtbot.waitSignal(wizard.imported, timeout=20_000) as imported:
        click(next_button(wizard))
    assert imported.args[0]["mode"] == "keep_pending" and imported.args[0]["backup_path"] is None
    assert set(names_by_phone(campaign.id)) >= {"+13035550101", "+13035550102", "+12127365001"}
    assert ImportRun.select().order_by(ImportRun.id.desc()).get().mode == "keep_pending"
    qtbot.waitUntil(lambda: wizard.results_dialog is not None and wizard.results_dialog.isVisible())
    assert "backup_path" not in wizard.results_dialog.labels
    assert wizard.results_dialog.labels["removed_count"].text() == "0: the pending contacts were kept"


def test_a_new_campaign_offers_no_mode_and_says_import(qtbot, window, tmp_path):
    campaign = create_campaign("Empty")
    window.refresh_campaigns()
    window.campaign_view.select_campaign(campaign.id)
    drop_files(window, [_write(tmp_path, "leads.csv", CRM)])
    click_to_check(qtbot, window.wizard)
    assert not window.wizard.check_page.replace_radio.isVisible()
    assert next_button(window.wizard).text().replace("&", "") == "Import"


def test_a_preset_saved_for_these_columns_is_used_and_said_so(qtbot, window, tmp_path):
    campaign = create_campaign("Spring")
    save_preset("CRM export", {"Full name": "name", "Mobile": "phone_number", "Plan": None})
    window.refresh_campaigns()
    window.campaign_view.select_campaign(campaign.id)
    drop_files(window, [_write(tmp_path, "crm.csv", "Full name,Mobile,Plan\nAnn,212-736-5001,Gold\n")])
    wizard = window.wizard
    click(next_button(wizard))
    mapping = wizard.mapping_page
    assert mapping.preset_banner.isVisible()
    assert mapping.preset_banner.text().startswith("Using preset “CRM export”")
    assert mapping.session.column_targets["Plan"] is None  # the preset ignores Plan; detection would keep it
    click(mapping.auto_button)
    assert not mapping.preset_banner.isVisible()
    assert mapping.session.column_targets["Plan"] == "Plan"


def test_presets_are_renamed_and_deleted_with_the_buttons(qtbot, window, tmp_path, monkeypatch):
    campaign = create_campaign("Spring")
    save_preset("Old name", {"Mobile": "phone_number"})
    monkeypatch.setattr(messages, "ask_text", lambda parent, title, label, text="": "New name")
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok_label: True)
    window.refresh_campaigns()
    window.campaign_view.select_campaign(campaign.id)
    drop_files(window, [_write(tmp_path, "crm.csv", CRM)])
    wizard = window.wizard
    wizard.activateWindow()  # the person works in the wizard's window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=5_000)
    click(next_button(wizard))
    mapping = wizard.mapping_page
    assert not mapping.rename_preset_button.isEnabled()  # no preset chosen yet
    QTest.mouseClick(mapping.preset_combo.lineEdit(), Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() in (mapping.preset_combo, mapping.preset_combo.lineEdit())
    QTest.keyClicks(QApplication.focusWidget(), "Old name")
    click(mapping.rename_preset_button)
    assert list_presets() == ["New name"]
    assert mapping.preset_combo.currentText() == "New name"
    click(mapping.delete_preset_button)
    assert list_presets() == []
    assert mapping.preset_combo.count() == 0


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_saving_the_invalid_rows_writes_them_whole_and_says_where(qtbot, window, tmp_path):
    import csv

    campaign = create_campaign("Spring")
    window.refresh_campaigns()
    window.campaign_view.select_campaign(campaign.id)
    drop_files(window, [_write(tmp_path, "shop.csv", SHOP)])
    wizard = window.wizard
    click_to_check(qtbot, wizard)
    check = wizard.check_page
    click(check.invalid_rows_button)
    rows = check.invalid_rows_dialog
    qtbot.waitUntil(rows.isVisible)
    click(rows.save_button)
    chooser = rows.file_dialog
    qtbot.waitUntil(chooser.isVisible)
    chooser.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is chooser, timeout=5_000)
    out = tmp_path / "to fix.csv"
    focused = QApplication.focusWidget()
    focused.selectAll()
    QTest.keyClicks(focused, str(out))
    QTest.keyClick(focused, Qt.Key.Key_Return)
    qtbot.waitUntil(out.exists)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["Phone", "Customer", "Plan", "Why it was not imported"],
            ["not a number", "Eve", "Silver", "not a phone number"],
        ]
    assert rows.saved_label.isVisible() and str(out) in rows.saved_label.text()
    rows.close()


def test_each_set_of_columns_keeps_its_own_mapping(qtbot, window, tmp_path):
    campaign = create_campaign("Spring")
    window.refresh_campaigns()
    window.campaign_view.select_campaign(campaign.id)
    paths = [_write(tmp_path, "crm.csv", CRM), _write(tmp_path, "shop.csv", SHOP)]
    drop_files(window, paths)
    wizard = window.wizard
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=5_000)
    click(next_button(wizard))
    mapping = wizard.mapping_page
    combo = mapping.columns_combo
    assert combo.currentText() == "Columns of file 1 of 2 (crm.csv)"
    combo.setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)  # the shop file's columns
    assert combo.currentText() == "Columns of file 2 of 2 (shop.csv)"
    assert mapping.model.headers() == ["Phone", "Customer", "Plan"]
    mapping.model.set_kind(mapping.model.row_of("Plan"), "ignore")  # what the cell's combo box does
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)  # back to the CRM file: its mapping is as it was
    assert mapping.model.headers() == ["Full name", "Mobile"]
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert mapping.session.column_targets["Plan"] is None  # the shop file's choice was kept
    click(next_button(wizard))
    qtbot.waitUntil(lambda: not wizard.check_page.is_running(), timeout=20_000)
    with qtbot.waitSignal(wizard.imported, timeout=20_000) as imported:
        click(next_button(wizard))
    assert imported.args[0]["files"][1]["mapping"] == {"Phone": "phone_number", "Customer": "name", "Plan": None}


def test_an_unreadable_second_file_is_shown_and_blocks_next(qtbot, window, tmp_path):
    campaign = create_campaign("Spring")
    window.refresh_campaigns()
    window.campaign_view.select_campaign(campaign.id)
    drop_files(window, [_write(tmp_path, "crm.csv", CRM), _write(tmp_path, "empty.csv", "")])
    wizard = window.wizard
    preview = wizard.preview_page
    assert preview.file_combo.currentText() == "File 2 of 2: empty.csv"  # the problem is shown first
    assert preview.error_label.isVisible()
    assert not next_button(wizard).isEnabled()
