"""The import wizard on real files and a real database: preview, mapping, check, import."""

import csv
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QWizard

from contactdesk.core.campaigns import delete_campaign
from contactdesk.core.contacts import ContactFilter, count_contacts, fetch_contacts, set_status_where
from contactdesk.core.importer import import_file
from contactdesk.core.presets import list_presets, load_preset
from contactdesk.gui.wizard import ImportWizard
from contactdesk.gui.wizard import import_session as import_session_module
from contactdesk.gui.wizard.import_page import CANCELLED_TEXT
from contactdesk.gui.wizard.mapping_model import IGNORE, VARIABLE, ColumnChoicesModel

CONTACTS_CSV = (
    "Full name,Mobile,Email,Company,Plan\n"
    "Ann Smith,(212) 736-5001,ann@example.com,Acme,Gold\n"
    "Bob Jones,212-736-5002,bob@example.com,Beta,Silver\n"
    "Cara Diaz,not a number,cara@example.com,Acme,Gold\n"
    "Ann Again,+1 212 736 5001,ann2@example.com,Acme,Bronze\n"
    "Dev Patel,2127365004,dev@example.com,Gamma,\n"
)


@pytest.fixture(autouse=True)
def closing_asks_before_discarding_changes(isolated_gui):
    """The wizards of these tests are closed when the test ends; after a change, closing asks first."""
    isolated_gui.expect("Discard your changes?", answer=True)


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    """200,000 rows: long enough that an import can be cancelled while it runs."""
    path = tmp_path_factory.mktemp("big") / "big_list.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("phone,name,plan\n")
        handle.writelines(f"+1212{2000000 + i:07d},Person {i},Gold\n" for i in range(200_000))
    return path


def open_wizard(qtbot, campaign_id, path, **kwargs) -> ImportWizard:
    wizard = ImportWizard(campaign_id, path, **kwargs)
    qtbot.addWidget(wizard)
    wizard.open()  # as the main window does: window-modal, and it does not block
    qtbot.waitUntil(lambda: not wizard.is_busy())  # the files are read on the worker
    assert wizard.isVisible()
    return wizard


def next_button(wizard):
    return wizard.button(QWizard.WizardButton.NextButton)


def choose_target(wizard, header: str, kind: str) -> None:
    """Pick a target the way a person does: open the cell's combo box and choose an entry."""
    page = wizard.mapping_page
    index = page.model.index(page.model.row_of(header), ColumnChoicesModel.TARGET)
    page.table.setCurrentIndex(index)
    page.table.edit(index)
    editor = page.table.indexWidget(index)
    assert isinstance(editor, QComboBox)
    position = editor.findData(kind)
    editor.setCurrentIndex(position)
    editor.activated.emit(position)


def rename_variable(wizard, header: str, name: str) -> None:
    page = wizard.mapping_page
    index = page.model.index(page.model.row_of(header), ColumnChoicesModel.VARIABLE_NAME)
    page.table.edit(index)
    editor = page.table.indexWidget(index)
    editor.setText(name)
    page.table.commitData(editor)
    page.table.closeEditor(editor, page.table.itemDelegate().EndEditHint.NoHint)


def target_text(wizard, header: str) -> str:
    page = wizard.mapping_page
    return page.model.index(page.model.row_of(header), ColumnChoicesModel.TARGET).data()


def go_to_check(qtbot, wizard) -> None:
    ids = wizard.page_ids()
    if wizard.currentId() == ids["preview"]:
        wizard.next()
    assert wizard.currentId() == ids["mapping"]
    wizard.next()
    assert wizard.currentId() == ids["check"]
    qtbot.waitUntil(lambda: not wizard.check_page.is_running(), timeout=20_000)


def run_import(qtbot, wizard) -> dict:
    with qtbot.waitSignal(wizard.imported, timeout=20_000) as blocker:
        wizard.next()
    qtbot.waitUntil(lambda: not wizard.import_page.is_running(), timeout=5_000)
    return blocker.args[0]


def contacts(campaign_id) -> list:
    return fetch_contacts(ContactFilter(campaign_id), 0, 1000, order_by="source_row")


def close_results(wizard) -> None:
    if wizard.results_dialog is not None:
        wizard.results_dialog.close()


# ---------------------------------------------------------------------------- the whole path


def test_wizard_imports_a_real_file_end_to_end(qtbot, campaign, write_csv):
    path = write_csv(CONTACTS_CSV, name="march contacts.csv")
    wizard = open_wizard(qtbot, campaign.id, path)
    assert wizard.objectName() == "importWizard"
    assert "Spring outreach" in wizard.windowTitle()
    preview = wizard.preview_page
    assert "march contacts.csv" in preview.file_label.text()
    assert preview.model.rowCount() == 5
    assert preview.model.headerData(1, Qt.Orientation.Horizontal) == "Mobile"
    assert preview.delimiter_combo.currentData() == ","
    assert preview.header_check.isChecked()

    wizard.next()
    mapping = wizard.mapping_page
    assert mapping.table.objectName() == "mappingTable"
    assert mapping.model.rowCount() == 5
    assert target_text(wizard, "Mobile").startswith("Phone number") and "auto" in target_text(wizard, "Mobile")
    assert next_button(wizard).isEnabled()

    wizard.next()
    qtbot.waitUntil(lambda: not wizard.check_page.is_running(), timeout=10_000)
    assert wizard.check_page.values["imported_count"].text() == "3"
    assert count_contacts(ContactFilter(campaign.id)) == 0  # the check changed nothing

    result = run_import(qtbot, wizard)
    assert result["success"] is True and result["status"] == 200
    assert result["imported_count"] == 3
    assert result["duplicates_in_file"] == 1 and result["invalid_count"] == 1
    assert result["total_contacts"] == 3

    rows = contacts(campaign.id)
    assert [row.phone_number for row in rows] == ["+12127365001", "+12127365002", "+12127365004"]
    assert rows[0].name == "Ann Smith" and rows[0].email == "ann@example.com" and rows[0].company == "Acme"
    assert rows[0].variables_dict() == {"Plan": "Gold"}

    dialog = wizard.results_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.objectName() == "importResultsDialog"
    assert dialog.labels["imported_count"].text() == "3"
    assert dialog.labels["total_contacts"].text() == "3"
    assert dialog.labels["file_name"].text() == "march contacts.csv"
    assert dialog.labels["invalid_count"].text() == "1"
    assert dialog.invalid_rows_button.isEnabled()
    assert not wizard.isVisible()  # the results dialog takes over from the wizard
    close_results(wizard)


# ---------------------------------------------------------------------------- preview page


def test_overriding_the_delimiter_changes_the_columns(qtbot, campaign, write_csv):
    path = write_csv("phone;name;note\n+12127365001;Ann;likes tea, not coffee\n+12127365002;Bob;x, y\n")
    wizard = open_wizard(qtbot, campaign.id, path)
    preview = wizard.preview_page
    assert preview.delimiter_combo.currentData() == ";"
    assert preview.model.columnCount() == 3

    position = preview.delimiter_combo.findData(",")
    preview.delimiter_combo.setCurrentIndex(position)
    preview.delimiter_combo.activated.emit(position)
    qtbot.waitUntil(lambda: not wizard.is_busy())
    assert wizard.session.read_options == {"delimiter": ","}
    # Split at the commas now: the header row has no comma, so it is one column, and the
    # rows' extra values are reported.
    assert preview.model.columnCount() == 1
    assert preview.model.headerData(0, Qt.Orientation.Horizontal) == "phone;name;note"
    assert preview.model.index(0, 0).data() == "+12127365001;Ann;likes tea"
    assert "more values than there are columns" in preview.note_label.text()
    assert preview.note_label.isVisibleTo(preview)

    # Back to semicolons: three columns again, and the mapping page follows the file as read now.
    position = preview.delimiter_combo.findData(";")
    preview.delimiter_combo.setCurrentIndex(position)
    preview.delimiter_combo.activated.emit(position)
    qtbot.waitUntil(lambda: not wizard.is_busy())
    assert preview.model.columnCount() == 3
    assert not preview.note_label.isVisibleTo(preview)
    wizard.next()
    assert wizard.mapping_page.model.headers() == ["phone", "name", "note"]


def test_header_and_encoding_overrides(qtbot, campaign, write_csv):
    path = write_csv("Phone,Name\n+12127365001,Jürgen Müller\n")
    wizard = open_wizard(qtbot, campaign.id, path)
    preview = wizard.preview_page
    assert preview.encoding_combo.currentData() == "utf-8"
    assert preview.model.rowCount() == 1

    qtbot.mouseClick(preview.header_check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.is_busy())
    assert not preview.header_check.isChecked()
    assert preview.model.rowCount() == 2  # the first row is now a contact
    assert preview.model.index(0, 0).data() == "Phone"

    position = preview.encoding_combo.findData("cp1252")
    preview.encoding_combo.setCurrentIndex(position)
    preview.encoding_combo.activated.emit(position)
    qtbot.waitUntil(lambda: not wizard.is_busy())
    assert preview.model.index(1, 1).data() == "JÃ¼rgen MÃ¼ller"  # what a wrong guess looks like
    assert not preview.header_check.isChecked()  # the person's earlier choice still holds


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "The file is empty"),
        (b"PK\x03\x04\x14\x00\x06\x00xl/workbook.xml" + bytes(range(256)), "Excel workbook"),
        (bytes(range(256)) * 40, "binary file"),
    ],
    ids=["empty", "xlsx", "binary"],
)
def test_unreadable_file_shows_a_plain_message_and_blocks_next(qtbot, campaign, write_csv, content, expected):
    wizard = open_wizard(qtbot, campaign.id, write_csv(content))
    preview = wizard.preview_page
    assert preview.error_label.isVisible()
    assert expected in preview.error_label.text()
    assert "Traceback" not in preview.error_label.text()
    assert not preview.isComplete()
    assert not next_button(wizard).isEnabled()
    assert wizard.currentId() == wizard.page_ids()["preview"]


# ---------------------------------------------------------------------------- mapping page


def test_next_is_disabled_until_a_phone_column_is_mapped(qtbot, campaign, write_csv):
    path = write_csv("Who,Number to dial,Notes\nAnn,212-736-5001,vip\nBob,212-736-5002,\n")
    wizard = open_wizard(qtbot, campaign.id, path)
    wizard.next()
    page = wizard.mapping_page
    assert not page.isComplete()
    assert not next_button(wizard).isEnabled()
    assert "Choose which column holds the phone numbers" in page.status_label.text()
    assert "Number to dial" in page.status_label.text()  # it says which column looks right

    choose_target(wizard, "Number to dial", "phone_number")
    assert page.isComplete()
    assert next_button(wizard).isEnabled()
    assert "Phone numbers come from “Number to dial”" in page.status_label.text()

    choose_target(wizard, "Number to dial", IGNORE)
    assert not next_button(wizard).isEnabled()


def test_mapping_edits_change_what_is_imported(qtbot, campaign, write_csv):
    path = write_csv(
        "Name,Mobile,Home phone,Plan,Region\n"
        "Ann,212-736-5001,212-736-6001,Gold,East\n"
        "Bob,212-736-5002,212-736-6002,Silver,West\n"
    )
    wizard = open_wizard(qtbot, campaign.id, path)
    wizard.next()
    page = wizard.mapping_page
    assert target_text(wizard, "Mobile").startswith("Phone number")

    choose_target(wizard, "Home phone", "phone_number")
    # Phone numbers moved to "Home phone"; "Mobile" became a template variable, no silent duplicate.
    assert page.model.rows_with("phone_number") == [page.model.row_of("Home phone")]
    assert page.model.choices()[page.model.row_of("Mobile")].kind == VARIABLE
    assert "“Mobile” became a template variable" in page.note_label.text()
    assert "auto" not in target_text(wizard, "Home phone")

    choose_target(wizard, "Plan", IGNORE)
    rename_variable(wizard, "Region", "territory")
    assert page.model.column_targets() == {
        "Name": "name",
        "Mobile": "Mobile",
        "Home phone": "phone_number",
        "Plan": None,
        "Region": "territory",
    }
    assert '"Plan": null' in page.mapping_json() and '"Region": "territory"' in page.mapping_json()

    go_to_check(qtbot, wizard)
    run_import(qtbot, wizard)
    rows = contacts(campaign.id)
    assert [row.phone_number for row in rows] == ["+12127366001", "+12127366002"]
    assert rows[0].variables_dict() == {"Mobile": "212-736-5001", "territory": "East"}
    close_results(wizard)


def test_a_bad_variable_name_is_explained_and_blocks_next(qtbot, campaign, write_csv):
    path = write_csv("Phone,Plan,Tier\n212-736-5001,Gold,1\n")
    wizard = open_wizard(qtbot, campaign.id, path)
    wizard.next()
    page = wizard.mapping_page
    rename_variable(wizard, "Tier", "Plan")
    assert not next_button(wizard).isEnabled()
    assert "Two columns are mapped to the template variable 'Plan'" in page.status_label.text()
    rename_variable(wizard, "Tier", "{tier}")
    assert "without braces" in page.status_label.text()
    rename_variable(wizard, "Tier", "tier")
    assert next_button(wizard).isEnabled()


def test_one_click_on_the_target_cell_opens_the_choice(qtbot, campaign, write_csv):
    wizard = open_wizard(qtbot, campaign.id, write_csv(CONTACTS_CSV))
    wizard.next()
    table = wizard.mapping_page.table
    index = wizard.mapping_page.model.index(4, ColumnChoicesModel.TARGET)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    editor = table.indexWidget(index)
    assert isinstance(editor, QComboBox)
    assert [editor.itemText(i) for i in range(editor.count())] == [
        "Phone number",
        "Name",
        "First name",
        "Last name",
        "Email",
        "Company",
        "State",
        "ZIP / postal code",
        "Time zone",
        "Template variable",
        "Ignore",
    ]
    assert editor.currentData() == VARIABLE
    editor.hidePopup()


def test_preset_saved_and_loaded_on_another_file(qtbot, campaign, write_csv, isolated_gui):
    first = write_csv("Cell,Customer,Plan,Fax\n212-736-5001,Ann,Gold,x\n", name="first.csv")
    wizard = open_wizard(qtbot, campaign.id, first)
    wizard.next()
    page = wizard.mapping_page
    choose_target(wizard, "Cell", "phone_number")
    choose_target(wizard, "Customer", "name")
    choose_target(wizard, "Fax", IGNORE)
    page.preset_combo.setEditText("CRM export")
    qtbot.mouseClick(page.save_preset_button, Qt.MouseButton.LeftButton)
    assert list_presets() == ["CRM export"]
    assert load_preset("CRM export") == {"Cell": "phone_number", "Customer": "name", "Plan": "Plan", "Fax": None}
    assert "Saved" in page.note_label.text()

    # Saving again under the same name asks first.
    isolated_gui.expect("Replace preset?", answer=True)
    assert page.save_preset("CRM export")
    assert isolated_gui.titles == ["Replace preset?"]
    wizard.close()

    # A file from the same source, with one column less and one more.
    second = write_csv("customer,Cell,Plan,Owner\nBob,212-736-5002,Silver,Dana\n", name="second.csv")
    wizard = open_wizard(qtbot, campaign.id, second)
    wizard.next()
    page = wizard.mapping_page
    assert page.preset_combo.findText("CRM export") >= 0
    page.preset_combo.setCurrentIndex(page.preset_combo.findText("CRM export"))
    assert page.load_preset_button.isEnabled()
    qtbot.mouseClick(page.load_preset_button, Qt.MouseButton.LeftButton)
    assert page.model.column_targets() == {
        "customer": "name",
        "Cell": "phone_number",
        "Plan": "Plan",
        "Owner": "Owner",
    }
    assert "Loaded the preset “CRM export”" in page.note_label.text()
    assert "This file has no column “Fax”" in page.note_label.text()
    assert next_button(wizard).isEnabled()


def test_loading_a_preset_that_names_another_phone_column_moves_it(qtbot, campaign, write_csv):
    from contactdesk.core.presets import save_preset

    save_preset("Office line", {"Office": "phone_number"})
    wizard = open_wizard(qtbot, campaign.id, write_csv("Mobile,Office\n212-736-5001,212-736-6001\n"))
    wizard.next()
    page = wizard.mapping_page
    assert page.load_preset("Office line")
    assert page.model.column_targets() == {"Mobile": "Mobile", "Office": "phone_number"}
    assert page.loaded_preset_missing == []


# ---------------------------------------------------------------------------- check page


@pytest.fixture
def campaign_with_history(campaign, write_csv):
    """Three earlier contacts: two still pending, one already called (completed)."""
    earlier = write_csv(
        "Phone,Name\n212-736-5001,Ann\n212-736-7001,Old one\n212-736-7002,Old two\n", name="earlier.csv"
    )
    assert import_file(campaign.id, earlier).success
    set_status_where(ContactFilter(campaign.id, search="Ann"), "completed")
    return campaign


def snapshot(campaign_id):
    return sorted((row.phone_number, row.name, row.status) for row in contacts(campaign_id))


def test_check_page_shows_the_dry_run_and_changes_nothing(qtbot, campaign_with_history, write_csv, tmp_path):
    campaign = campaign_with_history
    before = snapshot(campaign.id)
    path = write_csv(CONTACTS_CSV + "Eve Unassigned,555-555-0100,eve@example.com,Delta,Gold\n")
    wizard = open_wizard(qtbot, campaign.id, path)
    wizard.next()
    wizard.next()
    page = wizard.check_page
    # The dry run is on the worker; its result arrives through the event loop, so it is still running.
    assert page.is_running()
    assert page.progress_bar.isVisibleTo(page)
    assert not next_button(wizard).isEnabled()
    qtbot.waitUntil(lambda: not page.is_running(), timeout=10_000)

    values = {key: label.text() for key, label in page.values.items()}
    # Ann (212-736-5001) is already called in the campaign; row 5 repeats her; row 4 is not a number.
    assert values["imported_count"] == "3"
    # Both of Ann's rows are skipped as already called: that check comes before the file's own repeats.
    assert values["skipped_duplicates"].startswith("2 ")
    assert "0 repeated in the file, 2 already in the campaign" in values["skipped_duplicates"]
    assert values["invalid_count"] == "1"
    assert values["removed_count"].startswith("2 pending or skipped contacts")
    assert values["kept_count"] == "1 completed, failed or do-not-call contact"
    assert values["total_contacts"] == "4"
    assert "not assigned to any carrier" in page.warnings_label.text()  # the 555 number
    # The campaign's pending contacts go: that is the headline, and the button says it.
    assert page.headline.text().endswith("Replace 2 pending contacts with 3 from file0.csv")
    assert next_button(wizard).isEnabled()
    assert next_button(wizard).text().replace("&", "") == "Replace and import"
    assert snapshot(campaign.id) == before

    dialog = page.show_invalid_rows()
    assert dialog.model.rowCount() == 1
    assert [dialog.model.index(0, c).data() for c in range(4)] == ["4", "Mobile", "not a number", "not a phone number"]
    out = tmp_path / "invalid.csv"
    assert dialog.save_csv(out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        # The original row, every column, and why: fix it and import the file again.
        assert list(csv.reader(handle)) == [
            ["Full name", "Mobile", "Email", "Company", "Plan", "Why it was not imported"],
            ["Cara Diaz", "not a number", "cara@example.com", "Acme", "Gold", "not a phone number"],
        ]
    assert dialog.saved_label.text().startswith(f"Saved 1 row with all their columns and the reason to {out}")
    dialog.close()


def test_going_back_and_changing_the_mapping_reruns_the_check(qtbot, campaign, write_csv):
    path = write_csv("Mobile,Backup\n212-736-5001,212-736-6001\n212-736-5002,nope\n212-736-5003,nope\n")
    wizard = open_wizard(qtbot, campaign.id, path)
    go_to_check(qtbot, wizard)
    assert wizard.check_page.values["imported_count"].text() == "3"
    assert wizard.check_page.values["invalid_count"].text() == "0"
    assert not wizard.check_page.invalid_rows_button.isVisibleTo(wizard.check_page)

    wizard.back()
    choose_target(wizard, "Backup", "phone_number")
    go_to_check(qtbot, wizard)
    assert wizard.check_page.values["imported_count"].text() == "1"
    assert wizard.check_page.values["invalid_count"].text() == "2"
    assert wizard.check_page.invalid_rows_button.isVisibleTo(wizard.check_page)


def test_check_reports_a_file_without_usable_numbers(qtbot, campaign, write_csv):
    wizard = open_wizard(qtbot, campaign.id, write_csv("Phone,Name\nnope,Ann\nnever,Bob\n"))
    go_to_check(qtbot, wizard)
    page = wizard.check_page
    assert page.error_label.isVisibleTo(page)
    assert "None of the 2 rows has a usable phone number" in page.error_label.text()
    assert not next_button(wizard).isEnabled()


# ---------------------------------------------------------------------------- import page


@pytest.mark.slow
def test_cancel_during_import_rolls_back(qtbot, campaign_with_history, big_csv):
    campaign = campaign_with_history
    before = snapshot(campaign.id)
    imported = []
    wizard = open_wizard(qtbot, campaign.id, big_csv)
    wizard.imported.connect(imported.append)
    go_to_check(qtbot, wizard)
    assert wizard.check_page.values["imported_count"].text() == "200,000"

    page = wizard.import_page
    wizard.next()
    assert wizard.currentId() == wizard.page_ids()["import"]
    assert page.is_running()
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    qtbot.waitUntil(lambda: "rows read" in page.detail_label.text(), timeout=10_000)  # the first progress
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.is_running(), timeout=10_000)
    assert page.outcome == "cancelled"
    assert page.message_label.text() == CANCELLED_TEXT == "Import cancelled; nothing was changed."
    assert page.result["status"] == 499
    assert snapshot(campaign.id) == before
    assert imported == [] and wizard.results_dialog is None
    assert wizard.isVisible()
    assert wizard.button(QWizard.WizardButton.BackButton).isEnabled()  # the person may try again

    # Back (the unchanged check is not run again) and import again; this time the wizard's Cancel.
    wizard.back()
    assert wizard.check_page.isComplete()
    wizard.next()
    qtbot.waitUntil(lambda: "rows read" in page.detail_label.text(), timeout=10_000)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    assert wizard.isVisible()  # Cancel during the import cancels the import, not the window
    qtbot.waitUntil(lambda: not page.is_running(), timeout=10_000)
    assert page.message_label.text() == CANCELLED_TEXT
    assert snapshot(campaign.id) == before

    # A third try, then the window is closed while the import runs: it stops and waits.
    wizard.back()
    wizard.next()
    assert page.is_running()
    wizard.close()
    assert not wizard.isVisible()
    assert not page.is_running()
    assert snapshot(campaign.id) == before
    assert imported == []


def test_closing_the_wizard_during_the_check_stops_it(qtbot, campaign_with_history, big_csv):
    before = snapshot(campaign_with_history.id)
    wizard = open_wizard(qtbot, campaign_with_history.id, big_csv)
    wizard.next()
    wizard.next()
    assert wizard.check_page.is_running()
    qtbot.waitUntil(lambda: "rows read" in wizard.check_page.progress_label.text(), timeout=10_000)
    started = time.monotonic()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    assert time.monotonic() - started < 2  # cancelled, not waited out
    assert not wizard.isVisible()
    assert not wizard.check_page.is_running()
    assert snapshot(campaign_with_history.id) == before


def test_campaign_deleted_before_the_import(qtbot, campaign, write_csv):
    imported = []
    wizard = open_wizard(qtbot, campaign.id, write_csv(CONTACTS_CSV))
    wizard.imported.connect(imported.append)
    go_to_check(qtbot, wizard)
    delete_campaign(campaign.id)
    wizard.next()
    page = wizard.import_page
    qtbot.waitUntil(lambda: not page.is_running(), timeout=10_000)
    assert page.outcome == "failed"
    assert "The campaign was deleted meanwhile" in page.message_label.text()
    assert page.result["status"] == 404
    assert imported == [] and wizard.results_dialog is None
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert wizard.button(QWizard.WizardButton.CancelButton).text().replace("&", "") == "Close"


def test_campaign_deleted_before_the_check(qtbot, campaign, write_csv):
    wizard = open_wizard(qtbot, campaign.id, write_csv(CONTACTS_CSV))
    delete_campaign(campaign.id)
    go_to_check(qtbot, wizard)
    assert "The campaign was deleted meanwhile" in wizard.check_page.error_label.text()
    assert not next_button(wizard).isEnabled()


def test_import_failure_says_nothing_was_changed(qtbot, campaign, write_csv, monkeypatch):
    real_run_import = import_session_module.run_import

    def failing_run_import(plan, progress=None, should_cancel=None, *, dry_run=False, caller=None):
        if dry_run:
            return real_run_import(plan, progress, should_cancel, dry_run=True)
        plan.path.unlink()  # the file vanished between the check and the import
        return real_run_import(plan, progress, should_cancel)

    monkeypatch.setattr(import_session_module, "run_import", failing_run_import)
    imported = []
    wizard = open_wizard(qtbot, campaign.id, write_csv(CONTACTS_CSV))
    wizard.imported.connect(imported.append)
    go_to_check(qtbot, wizard)
    wizard.next()
    page = wizard.import_page
    qtbot.waitUntil(lambda: not page.is_running(), timeout=10_000)
    assert page.result["status"] == 500
    assert page.message_label.text().startswith("The import failed and nothing was changed.")
    assert imported == []
    assert count_contacts(ContactFilter(campaign.id)) == 0


def test_a_crash_in_the_work_becomes_a_plain_message(qtbot, campaign, write_csv, monkeypatch):
    def crash(plan, *args, **kwargs):
        raise RuntimeError("disk I/O error")

    wizard = open_wizard(qtbot, campaign.id, write_csv(CONTACTS_CSV))
    wizard.next()
    monkeypatch.setattr(import_session_module, "run_import", crash)
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.check_page.is_running(), timeout=10_000)
    assert wizard.check_page.error_label.text() == "The file could not be checked: disk I/O error"
    assert not next_button(wizard).isEnabled()


# ---------------------------------------------------------------------------- keyboard


def test_the_wizard_works_from_the_keyboard(qtbot, campaign, write_csv):
    wizard = open_wizard(qtbot, campaign.id, write_csv(CONTACTS_CSV))
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=5_000)
    preview = wizard.preview_page
    assert next_button(wizard).isDefault()
    qtbot.keyClick(wizard, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # &Separator
    assert preview.delimiter_combo.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert preview.header_check.hasFocus()

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # the default button: Next
    assert wizard.currentId() == wizard.page_ids()["mapping"]
    table = wizard.mapping_page.table
    assert table.hasFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_F2)  # opens the choice; Return would mean Next
    assert wizard.currentId() == wizard.page_ids()["mapping"]
    editor = table.indexWidget(table.currentIndex())
    assert isinstance(editor, QComboBox)
    qtbot.waitUntil(lambda: editor.view().isVisible(), timeout=2_000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: table.hasFocus(), timeout=2_000)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert wizard.mapping_page.preset_combo.hasFocus() or wizard.mapping_page.preset_combo.lineEdit().hasFocus()

    qtbot.keyClick(wizard, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # &Next (an animated click)
    qtbot.waitUntil(lambda: wizard.currentId() == wizard.page_ids()["check"], timeout=2_000)
    qtbot.waitUntil(lambda: not wizard.check_page.is_running(), timeout=10_000)
    with qtbot.waitSignal(wizard.imported, timeout=10_000):
        qtbot.keyClick(wizard, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # &Import
    qtbot.waitUntil(lambda: not wizard.import_page.is_running(), timeout=5_000)
    assert count_contacts(ContactFilter(campaign.id)) == 3
    assert wizard.results_dialog.close_button.isDefault()
    close_results(wizard)
