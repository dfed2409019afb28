"""Page 3: a dry run of the real importer, so the person sees what will happen before it does.

The dry run does everything the import does inside a transaction and rolls it back, so
its counts are the import's counts, and the database is left exactly as it was.
"""

import logging
import time
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ...core.result import NOT_FOUND, OK
from ...core.wording import plural
from ..invalid_rows_dialog import InvalidRowsDialog
from ..worker import TaskHandle, run_task
from .import_page import DELETED_TEXT, PROGRESS_STEPS, failure_text
from .preview_page import ERROR_STYLE, NOTE_STYLE, bullet_list_html

if TYPE_CHECKING:
    from .import_wizard import ImportSession

log = logging.getLogger(__name__)


RUNNING_SUBTITLE = "ContactDesk is trying the import without saving anything, so you can see what it will do."
DONE_SUBTITLE = (
    "ContactDesk tried the import without saving anything. Read the numbers below; if they look right, click Import."
)


class CheckPage(QWizardPage):
    def __init__(self, session: "ImportSession", parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("checkPage")
        self.setTitle("Check what the import will do")
        self.setSubTitle(DONE_SUBTITLE)
        self.setButtonText(QWizard.WizardButton.NextButton, "&Import")
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self._task: TaskHandle | None = None
        self._token: object | None = None
        self._result_key: tuple | None = None
        self.result: dict | None = None
        self.error: str | None = None
        self.invalid_rows_dialog: InvalidRowsDialog | None = None
        self.values: dict[str, QLabel] = {}

        self.progress_label = QLabel("Checking the file…")
        self.progress_label.setTextFormat(Qt.TextFormat.PlainText)  # may show file and campaign names
        self.progress_label.setObjectName("checkProgressLabel")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("checkProgress")
        self.progress_bar.setAccessibleName("Check progress")
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.progress_box = QWidget()
        box = QVBoxLayout(self.progress_box)
        box.setContentsMargins(0, 12, 0, 0)
        box.addWidget(self.progress_label)
        box.addWidget(self.progress_bar)

        self.headline = QLabel()
        self.headline.setObjectName("checkHeadline")
        self.headline.setAccessibleName("Check result")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.headline.setFont(font)

        self.error_label = QLabel()
        self.error_label.setObjectName("checkError")
        self.error_label.setAccessibleName("Problem")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()

        self.summary = QWidget()
        self.summary.setObjectName("checkSummary")
        form = QFormLayout(self.summary)
        form.setContentsMargins(0, 0, 0, 0)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(8)
        self._row(form, "imported_count", "Contacts to import:")
        self._row(form, "skipped_duplicates", "Duplicates skipped:")
        self.invalid_rows_button = QPushButton("Show in&valid rows…")
        self.invalid_rows_button.setObjectName("checkInvalidRowsButton")
        self.invalid_rows_button.setAccessibleName("Show or save the rows with invalid numbers")
        self.invalid_rows_button.setAutoDefault(False)
        self.invalid_rows_button.clicked.connect(self.show_invalid_rows)
        invalid = QHBoxLayout()
        invalid.setContentsMargins(0, 0, 0, 0)
        invalid.setSpacing(16)
        invalid.addWidget(self._value("invalid_count", "Rows with an invalid phone number"))
        invalid.addWidget(self.invalid_rows_button)
        invalid.addStretch(1)
        form.addRow("Rows with an invalid number:", invalid)
        self._row(form, "removed_count", "Earlier contacts replaced:")
        self._row(form, "kept_count", "Call history kept:")
        self._row(form, "total_contacts", "Contacts in the campaign after:")

        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("checkWarnings")
        self.warnings_label.setAccessibleName("Warnings")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setTextFormat(Qt.TextFormat.RichText)
        self.warnings_label.setStyleSheet(NOTE_STYLE)
        self.warnings_label.hide()

        self.unchanged_label = QLabel("Nothing has been changed yet.")
        self.unchanged_label.setObjectName("checkUnchanged")
        self.unchanged_label.setStyleSheet("color: #5f6368;")

        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 8, 0)
        inner.setSpacing(12)
        inner.addWidget(self.progress_box)
        inner.addWidget(self.headline)
        inner.addWidget(self.error_label)
        inner.addWidget(self.summary)
        inner.addWidget(self.warnings_label)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.unchanged_label)

    def _value(self, key: str, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"check_{key}")
        label.setAccessibleName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        self.values[key] = label
        return label

    def _row(self, form: QFormLayout, key: str, text: str) -> None:
        form.addRow(text, self._value(key, text.rstrip(":")))

    # -- QWizardPage -----------------------------------------------------------------------

    def initializePage(self) -> None:
        key = self.session.import_key()
        if key == self._result_key and self.result is not None and self.result.get("success"):
            self._show_result(self.result)  # nothing changed since the last check
            return
        self.start_check()

    def cleanupPage(self) -> None:  # Back: a new mapping means a new check
        self.stop_task()

    def isComplete(self) -> bool:
        return self._task is None and self.error is None and bool(self.result and self.result.get("success"))

    # -- the dry run -----------------------------------------------------------------------

    def is_running(self) -> bool:
        return self._task is not None

    def start_check(self) -> None:
        self.stop_task()
        self.result, self.error, self._result_key = None, None, None
        self.progress_box.show()
        self.progress_bar.setValue(0)
        self.progress_label.setText(f"Reading {self.session.path.name}…")
        self.headline.hide()
        self.error_label.hide()
        self.summary.hide()
        self.warnings_label.hide()
        self.unchanged_label.setText("Nothing has been changed yet.")
        self.setSubTitle(RUNNING_SUBTITLE)
        key = self.session.import_key()
        token = self._token = object()
        started = time.monotonic()
        self._task = run_task(
            self.session.import_work(dry_run=True),
            on_success=lambda result: self._finished(token, key, result),
            on_failure=lambda message, details: self._crashed(token, message, details),
            on_progress=lambda rows, done, total: self._progress(token, started, rows, done, total),
        )
        self.completeChanged.emit()

    def stop_task(self) -> None:
        task, self._task, self._token = self._task, None, None
        if task is not None:
            task.stop()

    def _current(self, token: object) -> bool:
        return token is self._token and shiboken6.isValid(self)

    def _progress(self, token: object, started: float, rows: int, bytes_done: int, bytes_total: int) -> None:
        if not self._current(token):
            return
        fraction = bytes_done / bytes_total if bytes_total else 0.0
        self.progress_bar.setValue(min(PROGRESS_STEPS, int(fraction * PROGRESS_STEPS)))
        self.progress_label.setText(f"Checking {self.session.path.name}: {rows:,} rows read…")

    def _finished(self, token: object, key: tuple, result: dict) -> None:
        if not self._current(token):
            return
        self._task = None
        self.result = result
        if result.get("success") and result.get("status") == OK:
            self._result_key = key
            self._show_result(result)
        else:
            self._show_error(DELETED_TEXT if result.get("status") == NOT_FOUND else failure_text(result))
        self.completeChanged.emit()

    def _crashed(self, token: object, message: str, details: str) -> None:
        if not self._current(token):
            return
        log.error("dry run crashed: %s\n%s", message, details)
        self._task = None
        self._show_error(f"The file could not be checked: {message}")
        self.completeChanged.emit()

    # -- showing the outcome ---------------------------------------------------------------

    def _show_error(self, text: str) -> None:
        self.error = text
        self.setSubTitle("ContactDesk tried the import without saving anything, and found a problem.")
        self.progress_box.hide()
        self.summary.hide()
        self.warnings_label.hide()
        self.headline.setText("The file cannot be imported as it is.")
        self.headline.show()
        self.error_label.setText(text)
        self.error_label.show()
        self.unchanged_label.setText("Nothing was changed. Go back to change the mapping, or cancel.")

    def _show_result(self, result: dict) -> None:
        self.error = None
        self.setSubTitle(DONE_SUBTITLE)
        self.progress_box.hide()
        self.error_label.hide()
        message = (result.get("message") or "").split(". ")[0].rstrip(".") + "."
        self.headline.setText(message)
        self.headline.show()

        def number(key: str) -> int:
            return int(result.get(key) or 0)

        # The same words and numbers as the results dialog after the import.
        self.values["imported_count"].setText(f"{number('imported_count'):,}")
        in_file, in_campaign = number("duplicates_in_file"), number("duplicates_in_campaign")
        skipped = number("skipped_duplicates") or in_file + in_campaign
        self.values["skipped_duplicates"].setText(
            f"{skipped:,}  ({in_file:,} repeated in the file, {in_campaign:,} already in the campaign)"
            if skipped
            else "0"
        )
        invalid = number("invalid_count")
        self.values["invalid_count"].setText(f"{invalid:,}")
        self.invalid_rows_button.setVisible(invalid > 0 and bool(result.get("errors")))
        removed, kept = number("removed_count"), number("kept_count")
        self.values["removed_count"].setText(plural(removed, "pending or skipped contact"))
        self.values["kept_count"].setText(plural(kept, "completed or failed contact"))
        self.values["total_contacts"].setText(f"{number('total_contacts'):,}")
        self.summary.show()
        warnings = list(result.get("warnings") or [])
        if warnings:
            self.warnings_label.setText(bullet_list_html(warnings))
            self.warnings_label.show()
        else:
            self.warnings_label.hide()
        self.unchanged_label.setText("Nothing has been changed yet. Click Import to import the contacts.")

    def show_invalid_rows(self) -> InvalidRowsDialog | None:
        if not self.result:
            return None
        self.invalid_rows_dialog = InvalidRowsDialog(
            self.result.get("errors") or [],
            int(self.result.get("error_count") or self.result.get("invalid_count") or 0),
            self.result.get("file_name", ""),
            self,
        )
        self.invalid_rows_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.invalid_rows_dialog.open()
        return self.invalid_rows_dialog
