"""The import results dialog and the invalid-rows dialog, from plain result dicts."""

import csv

import pytest
from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtWidgets import QFileDialog, QLabel

from contactdesk.gui import messages
from contactdesk.gui.invalid_rows_dialog import InvalidRowsDialog
from contactdesk.gui.results_dialog import ImportResultsDialog, format_import_date


def result_dict(**changes) -> dict:
    result = {
        "success": True,
        "message": "Imported 1,204 contacts from march.csv into 'Spring outreach'. 7 duplicates skipped.",
        "imported_count": 1204,
        "total_contacts": 1310,
        "file_name": "march.csv",
        "import_date": "2025-03-14T16:05:09+01:00",
        "status": 200,
        "duplicates_in_file": 5,
        "duplicates_in_campaign": 2,
        "skipped_duplicates": 7,
        "invalid_count": 2,
        "removed_count": 40,
        "kept_count": 106,
        "unassigned_count": 0,
        "warnings": ["The file is not UTF-8; it was read as Windows-1252."],
        "errors": [
            {"row": 12, "column": "Mobile", "value": '=HYPERLINK("http://x")', "reason": "not a phone number"},
            {"row": 40, "column": "Mobile", "value": "", "reason": "empty"},
        ],
        "error_count": 2,
    }
    result.update(changes)
    return result


@pytest.fixture(autouse=True)
def recorded_errors(monkeypatch):
    shown = []
    monkeypatch.setattr(messages, "error", lambda parent, title, text, details=None, **kw: shown.append((title, text)))
    return shown


def open_results(qtbot, result) -> ImportResultsDialog:
    dialog = ImportResultsDialog(result)
    qtbot.addWidget(dialog)
    dialog.open()  # non-blocking: the test goes on at once
    return dialog


def test_results_dialog_shows_the_numbers(qtbot):
    dialog = open_results(qtbot, result_dict())
    assert dialog.isVisible()
    assert dialog.objectName() == "importResultsDialog"
    assert dialog.windowTitle() == "Import finished"
    text = {key: label.text() for key, label in dialog.labels.items()}
    assert text["message"].startswith("Imported 1,204 contacts")
    assert text["imported_count"] == "1,204"
    assert text["total_contacts"] == "1,310"
    assert text["file_name"] == "march.csv"
    assert text["skipped_duplicates"] == "7  (5 repeated in the file, 2 already in the campaign)"
    assert text["invalid_count"] == "2"
    assert text["removed_count"] == "40 pending or skipped contacts"
    assert text["kept_count"] == "106 completed, failed or do-not-call contacts"
    assert "Windows-1252" in text["warnings"]
    assert text["import_date"] == format_import_date("2025-03-14T16:05:09+01:00")
    assert "2025" in text["import_date"] and "T16" not in text["import_date"]  # for people, not ISO
    assert dialog.close_button.isDefault()
    assert dialog.invalid_rows_button.isVisibleTo(dialog) and dialog.invalid_rows_button.isEnabled()


def test_labels_and_buttons_have_accessible_names(qtbot):
    dialog = open_results(qtbot, result_dict())
    for key in ("imported_count", "total_contacts", "skipped_duplicates", "invalid_count", "import_date"):
        assert dialog.labels[key].accessibleName()
    assert dialog.close_button.accessibleName() == "Close"
    assert "invalid" in dialog.invalid_rows_button.accessibleName()


def test_import_date_is_written_the_locale_way():
    when = QDateTime.fromString("2025-03-14T16:05:09+01:00", Qt.DateFormat.ISODate).toLocalTime()
    expected_date = QLocale().toString(when.date(), QLocale.FormatType.LongFormat)
    assert format_import_date("2025-03-14T16:05:09+01:00").startswith(expected_date)
    assert format_import_date("") == "unknown"
    assert format_import_date("yesterday") == "yesterday"


def test_no_invalid_rows_means_no_button_and_no_warnings_box(qtbot):
    dialog = open_results(
        qtbot,
        result_dict(
            invalid_count=0,
            errors=[],
            error_count=0,
            warnings=[],
            duplicates_in_file=0,
            duplicates_in_campaign=0,
            skipped_duplicates=0,
        ),
    )
    assert not dialog.invalid_rows_button.isVisibleTo(dialog)
    assert not dialog.invalid_rows_button.isEnabled()
    assert "warnings" not in dialog.labels
    assert dialog.labels["skipped_duplicates"].text() == "0"


def test_a_failed_result_says_so(qtbot):
    dialog = open_results(qtbot, {"success": False, "status": 404, "message": "Campaign 3 was not found."})
    assert dialog.windowTitle() == "Import failed"
    assert dialog.labels["message"].text() == "Campaign 3 was not found."
    assert dialog.labels["imported_count"].text() == "0"


def test_invalid_rows_can_be_seen_and_saved_formula_safe(qtbot, tmp_path):
    results = open_results(qtbot, result_dict())
    rows = results.show_invalid_rows()
    assert rows.isVisible() and results.isVisible()  # opened without blocking
    assert rows.model.rowCount() == 2
    assert [rows.model.index(1, c).data() for c in range(4)] == ["40", "Mobile", "(empty)", "empty"]
    assert "2 rows of march.csv" in rows.findChild(QLabel, "invalidRowsIntro").text()

    # "Save as CSV…" opens a file dialog that does not block; choosing a file writes it.
    rows.save_button.click()
    assert isinstance(rows.file_dialog, QFileDialog) and rows.file_dialog.isVisible()
    assert rows.file_dialog.selectedFiles()[0].endswith("march - invalid rows.csv")
    out = tmp_path / "bad rows.csv"
    rows.file_dialog.fileSelected.emit(str(out))
    rows.file_dialog.close()
    with out.open(encoding="utf-8-sig", newline="") as handle:
        saved = list(csv.reader(handle))
    assert saved == [
        ["row", "column", "value", "reason"],
        ["12", "Mobile", '\'=HYPERLINK("http://x")', "not a phone number"],  # a spreadsheet shows it as text
        ["40", "Mobile", "", "empty"],
    ]


def test_saving_where_it_cannot_write_says_so(qtbot, tmp_path, recorded_errors):
    dialog = InvalidRowsDialog(result_dict()["errors"], 2, "march.csv")
    qtbot.addWidget(dialog)
    assert not dialog.save_csv(tmp_path / "no such folder" / "rows.csv")
    assert recorded_errors and recorded_errors[0][0] == "Could not save the file"
    assert "rows.csv" in recorded_errors[0][1]
    assert not list(tmp_path.rglob("*.partial"))


def test_only_the_first_rows_are_listed_when_there_are_many(qtbot):
    errors = [{"row": n, "column": "Phone", "value": "x", "reason": "not a phone number"} for n in range(2, 1002)]
    dialog = InvalidRowsDialog(errors, 25_000, "huge.csv")
    qtbot.addWidget(dialog)
    intro = dialog.findChild(QLabel, "invalidRowsIntro")
    assert dialog.model.rowCount() == 1000
    assert "25,000 rows of huge.csv" in intro.text() and "The first 1,000 are listed" in intro.text()
