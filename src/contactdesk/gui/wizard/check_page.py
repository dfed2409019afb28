"""Page 3: a dry run of the real importer, so the person sees what will happen before it does.

The dry run does everything the import does inside a transaction and rolls it back, so
its counts are the import's counts, and the database is left exactly as it was.
"""

import logging
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ...core.campaigns import CampaignError, CampaignNotFound, campaign_summary
from ...core.result import NOT_FOUND, OK
from ...core.wording import plural
from ...store.models import KEEP_PENDING, PENDING, REPLACE, SKIPPED
from ..invalid_rows_dialog import InvalidRowsDialog
from ..results_dialog import files_text
from ..worker import TaskSlot
from .import_session import ImportSession
from .outcome_text import DELETED_TEXT, PROGRESS_STEPS, failure_text
from .styles import ERROR_STYLE, NOTE_STYLE, bullet_list_html

log = logging.getLogger(__name__)


RUNNING_SUBTITLE = "ContactDesk is trying the import without saving anything, so you can see what it will do."
DONE_SUBTITLE = (
    "ContactDesk tried the import without saving anything. Read the numbers below; if they look right, click {button}."
)
IMPORT_BUTTON, REPLACE_BUTTON = "&Import", "&Replace and import"
WARNING_STYLE = (
    "QLabel { background: #fff4e5; border: 1px solid #f5b971; border-radius: 4px; padding: 8px; color: #663c00; }"
)


class CheckPage(QWizardPage):
    def __init__(self, session: ImportSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("checkPage")
        self.setTitle("Check what the import will do")
        self.setSubTitle(DONE_SUBTITLE.format(button="Import"))
        self._set_import_button(IMPORT_BUTTON)
        self._slot = TaskSlot(self)  # one dry run at a time: a new one drops the old one's result
        self._checked_plan = None  # the plan whose dry run ``result`` is
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
        self._mode_box = self._build_mode_box()

        self.files_label = QLabel()
        self.files_label.setObjectName("checkFiles")
        self.files_label.setAccessibleName("Each file")
        self.files_label.setTextFormat(Qt.TextFormat.PlainText)
        self.files_label.setWordWrap(True)
        self.files_label.hide()

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
        self._row(form, "suppressed_count", "On your do-not-call list:")  # shown only when some are
        self._row(form, "removed_count", "Earlier contacts replaced:")
        self._row(form, "kept_count", "Call history kept:")
        self._row(form, "total_contacts", "Contacts in the campaign after:")
        self._form = form

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
        inner.addWidget(self._mode_box)
        inner.addWidget(self.progress_box)
        inner.addWidget(self.headline)
        inner.addWidget(self.error_label)
        inner.addWidget(self.summary)
        inner.addWidget(self.files_label)
        inner.addWidget(self.warnings_label)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.unchanged_label)

    def _build_mode_box(self) -> QGroupBox:
        box = QGroupBox()
        box.setObjectName("importModeBox")
        self.replace_radio = QRadioButton()
        self.replace_radio.setObjectName("replaceModeRadio")
        self.keep_radio = QRadioButton("&Add to the campaign (keep pending contacts)")
        self.keep_radio.setObjectName("keepPendingModeRadio")
        self.replace_radio.setChecked(True)
        self._modes = QButtonGroup(self)
        self._modes.addButton(self.replace_radio)
        self._modes.addButton(self.keep_radio)
        self.replace_radio.clicked.connect(lambda: self.set_mode(REPLACE))
        self.keep_radio.clicked.connect(lambda: self.set_mode(KEEP_PENDING))
        column = QVBoxLayout(box)
        column.addWidget(self.replace_radio)
        column.addWidget(self.keep_radio)
        box.hide()
        return box

    def _set_import_button(self, text: str) -> None:
        self.setButtonText(QWizard.WizardButton.NextButton, text)
        self.setButtonText(QWizard.WizardButton.CommitButton, text)

    def set_mode(self, mode: str) -> None:
        """Replace the pending contacts, or keep them; the check runs again."""
        if mode == self.session.mode:
            return
        self.session.set_mode(mode)
        (self.keep_radio if mode == KEEP_PENDING else self.replace_radio).setChecked(True)
        self.start_check()

    def _show_mode_choice(self) -> None:
        """The choice is offered only when the campaign has pending or skipped contacts to replace."""
        try:
            by_status = campaign_summary(self.session.campaign_id).by_status
        except (CampaignNotFound, CampaignError):
            by_status = {}
        pending, skipped = by_status.get(PENDING, 0), by_status.get(SKIPPED, 0)
        self.replaceable = (pending, skipped)
        what = self._replaceable_text(pending, skipped)
        self._mode_box.setTitle(f"The campaign has {what} from earlier imports")
        self.replace_radio.setText(f"Re&place them with the contacts from {self.session.files_text()} (the default)")
        self._mode_box.setVisible(pending + skipped > 0)

    @staticmethod
    def _replaceable_text(pending: int, skipped: int) -> str:
        if skipped and pending:
            return f"{plural(pending, 'pending contact')} and {skipped:,} skipped"
        return plural(skipped, "skipped contact") if skipped else plural(pending, "pending contact")

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
        self._show_mode_choice()
        if self.session.plan() is self._checked_plan and self.result is not None and self.result.get("success"):
            self._show_result(self.result)  # nothing changed since the last check
            return
        self.start_check()

    def cleanupPage(self) -> None:  # Back: a new mapping means a new check
        self.stop_task()

    def isComplete(self) -> bool:
        return not self._slot.is_busy() and self.error is None and bool(self.result and self.result.get("success"))

    # -- the dry run -----------------------------------------------------------------------

    def is_running(self) -> bool:
        return self._slot.is_busy()

    def start_check(self) -> None:
        self.stop_task()
        self.result, self.error, self._checked_plan = None, None, None
        self.progress_box.show()
        self.progress_bar.setValue(0)
        self.progress_label.setText(f"Reading {self.session.files_text()}…")
        self.headline.hide()
        self.error_label.hide()
        self.summary.hide()
        self.files_label.hide()
        self.warnings_label.hide()
        self.unchanged_label.setText("Nothing has been changed yet.")
        self.setSubTitle(RUNNING_SUBTITLE)
        plan = self.session.plan()
        started = time.monotonic()
        self._slot.start(
            self.session.import_work(plan, dry_run=True),
            on_success=lambda result: self._finished(plan, result),
            on_failure=self._crashed,
            on_progress=lambda rows, done, total: self._progress(started, rows, done, total),
        )
        self.completeChanged.emit()

    def stop_task(self) -> None:
        self._slot.stop()

    def _progress(self, started: float, rows: int, bytes_done: int, bytes_total: int) -> None:
        fraction = bytes_done / bytes_total if bytes_total else 0.0
        self.progress_bar.setValue(min(PROGRESS_STEPS, int(fraction * PROGRESS_STEPS)))
        self.progress_label.setText(f"Checking {self.session.files_text()}: {rows:,} rows read…")

    def _finished(self, plan, result: dict) -> None:
        self.result = result
        if result.get("success") and result.get("status") == OK:
            self._checked_plan = plan
            self._show_result(result)
        else:
            self._show_error(DELETED_TEXT if result.get("status") == NOT_FOUND else failure_text(result))
        self.completeChanged.emit()

    def _crashed(self, message: str, details: str) -> None:
        log.error("dry run crashed: %s\n%s", message, details)
        self._show_error(f"The file could not be checked: {message}")
        self.completeChanged.emit()

    # -- showing the outcome ---------------------------------------------------------------

    def _show_error(self, text: str) -> None:
        self.error = text
        self.setSubTitle("ContactDesk tried the import without saving anything, and found a problem.")
        self.progress_box.hide()
        self.summary.hide()
        self.files_label.hide()
        self.warnings_label.hide()
        self.headline.setStyleSheet("")
        self.headline.setText("The file cannot be imported as it is.")
        self.headline.show()
        self.error_label.setText(text)
        self.error_label.show()
        self.unchanged_label.setText("Nothing was changed. Go back to change the mapping, or cancel.")

    def _show_result(self, result: dict) -> None:
        self.error = None

        def number(key: str) -> int:
            return int(result.get(key) or 0)

        removed, kept = number("removed_count"), number("kept_count")
        replacing = removed > 0 and result.get("mode", REPLACE) == REPLACE
        button = REPLACE_BUTTON if replacing else IMPORT_BUTTON
        self._set_import_button(button)
        self.setSubTitle(DONE_SUBTITLE.format(button=button.replace("&", "")))
        self.progress_box.hide()
        self.error_label.hide()
        imported = number("imported_count")
        source = self.session.files_text()
        if replacing:
            # Replacing contacts is the headline, as a warning: it is what the person must not miss.
            pending, skipped = getattr(self, "replaceable", (removed, 0))
            what = (
                self._replaceable_text(pending, skipped)
                if pending + skipped == removed
                else plural(removed, "pending or skipped contact")
            )
            self.headline.setText(f"⚠  Replace {what} with {imported:,} from {source}")
            self.headline.setStyleSheet(WARNING_STYLE)
        else:
            message = (result.get("message") or "").split(". ")[0].rstrip(".") + "."
            if result.get("mode") == KEEP_PENDING:
                message = f"Add {plural(imported, 'contact')} from {source}; the {kept:,} contacts already in the campaign stay."
            self.headline.setText(message)
            self.headline.setStyleSheet("")
        self.headline.show()

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
        suppressed = number("suppressed_count")
        self.values["suppressed_count"].setText(f"{plural(suppressed, 'number')}, not imported")
        self._form.setRowVisible(self.values["suppressed_count"], suppressed > 0)
        # As on the results: the rows left out for the do-not-call list are listed with the invalid ones.
        self.invalid_rows_button.setVisible(invalid + suppressed > 0 and bool(result.get("errors")))
        keeping = result.get("mode") == KEEP_PENDING
        kept_label = self._form.labelForField(self.values["kept_count"])
        if kept_label is not None:
            kept_label.setText("Contacts kept:" if keeping else "Call history kept:")
        if self.session.several:
            self.values["skipped_duplicates"].setText(
                self.values["skipped_duplicates"].text().replace("repeated in the file", "repeated in the files")
            )
        # The same words as the results dialog, which says the same thing after the import.
        self.values["removed_count"].setText(
            "0: the pending contacts are kept" if keeping else plural(removed, "pending or skipped contact")
        )
        self.values["kept_count"].setText(
            plural(kept, "contact") + " already in the campaign"
            if keeping
            else plural(kept, "completed, failed or do-not-call contact")
        )
        self.values["total_contacts"].setText(f"{number('total_contacts'):,}")
        self.summary.show()
        self.files_label.setText(files_text(result))
        self.files_label.setVisible(bool(result.get("files")))
        warnings = list(result.get("warnings") or [])
        if warnings:
            self.warnings_label.setText(bullet_list_html(warnings))
            self.warnings_label.show()
        else:
            self.warnings_label.hide()
        self.unchanged_label.setText(
            f"Nothing has been changed yet. Click {button.replace('&', '')} to import the contacts."
        )

    def show_invalid_rows(self) -> InvalidRowsDialog | None:
        if not self.result:
            return None
        self.invalid_rows_dialog = InvalidRowsDialog(
            self.result.get("errors") or [],
            int(self.result.get("error_count") or self.result.get("invalid_count") or 0),
            self.result.get("file_name", ""),
            self,
            write_rows=self.session.invalid_rows_writer(),
        )
        self.invalid_rows_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.invalid_rows_dialog.open()
        return self.invalid_rows_dialog
