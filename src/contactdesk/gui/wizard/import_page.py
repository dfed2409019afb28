"""Page 4: the real import, on the worker, with progress, speed, time left and Cancel.

A cancel (status 499) or any failure leaves the database as it was: the importer runs in
one transaction and rolls it back. The page says so in plain words.
"""

import logging
import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ...core.result import CANCELLED, OK
from ...core.wording import quoted
from ..worker import TaskSlot
from .import_session import ImportSession
from .outcome_text import CANCELLED_TEXT as CANCELLED_TEXT  # the wizard's tests read it here
from .outcome_text import FAILED_TEXT, PROGRESS_STEPS, failure_text, format_duration, time_left_text
from .styles import CANCELLED_STYLE, ERROR_STYLE

log = logging.getLogger(__name__)

RUNNING_SUBTITLE = "This can take a while for a big file. If you cancel, nothing is changed."


class ImportPage(QWizardPage):
    started = Signal()
    ended = Signal()  # without success: cancelled or failed (the wizard lets the person go back)
    succeeded = Signal(dict)

    def __init__(self, session: ImportSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("importPage")
        self.setTitle("Importing the contacts")
        self.setSubTitle(RUNNING_SUBTITLE)
        self.setFinalPage(True)
        self._slot = TaskSlot(self)
        self._started_at = 0.0
        self.result: dict | None = None
        self.outcome: str | None = None  # None while running; "success", "cancelled", "failed"

        self.headline = QLabel()
        self.headline.setTextFormat(Qt.TextFormat.PlainText)  # may show file and campaign names
        self.headline.setObjectName("importHeadline")
        self.headline.setAccessibleName("Import status")
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.headline.setFont(font)

        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("importProgress")
        self.progress_bar.setAccessibleName("Import progress")
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setFormat("%p%")
        self.progress_bar.setMinimumHeight(24)

        self.detail_label = QLabel()
        self.detail_label.setTextFormat(Qt.TextFormat.PlainText)  # may show file and campaign names
        self.detail_label.setObjectName("importDetail")
        self.detail_label.setAccessibleName("Rows read, speed and time left")

        self.cancel_button = QPushButton("&Cancel import")
        self.cancel_button.setObjectName("cancelImportButton")
        self.cancel_button.setAccessibleName("Cancel the import")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel_import)

        self.message_label = QLabel()
        self.message_label.setObjectName("importMessage")
        self.message_label.setAccessibleName("Import result")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()

        self.progress_row = QWidget()
        row = QHBoxLayout(self.progress_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.detail_label, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addSpacing(12)
        layout.addWidget(self.headline)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.progress_row)
        layout.addWidget(self.message_label)
        layout.addStretch(1)

    # -- QWizardPage -----------------------------------------------------------------------

    def initializePage(self) -> None:
        self._reset()
        self.start_import()

    def cleanupPage(self) -> None:  # Back, after a cancel or a failure
        self.stop_task()
        self._set_wizard_cancel_text("Cancel")
        self._reset()

    def isComplete(self) -> bool:
        return self.outcome == "success"

    def _reset(self) -> None:
        self.result, self.outcome = None, None
        self.progress_bar.setValue(0)
        self.progress_bar.show()
        self.progress_row.show()
        self.setSubTitle(RUNNING_SUBTITLE)
        self.detail_label.clear()
        self.message_label.hide()
        self.message_label.clear()

    # -- the import ------------------------------------------------------------------------

    def is_running(self) -> bool:
        return self._slot.is_busy()

    def start_import(self) -> None:
        campaign = self.session.campaign_name
        self.headline.setText(
            f"Importing {self.session.files_text()}" + (f" into {quoted(campaign)}…" if campaign else "…")
        )
        self.detail_label.setText("Starting…")
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("&Cancel import")
        self.cancel_button.show()
        self._started_at = time.monotonic()
        self._slot.start(
            self.session.import_work(self.session.plan(), dry_run=False),
            on_success=self._finished,
            on_failure=self._crashed,
            on_progress=self._progress,
        )
        self.started.emit()
        self.completeChanged.emit()
        self.cancel_button.setFocus()

    def cancel_import(self) -> None:
        if not self._slot.is_busy():
            return
        log.info("import cancelled by the person")
        self._slot.cancel()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self.detail_label.setText("Cancelling: undoing what was imported so far…")

    def stop_task(self) -> None:
        """Cancel and wait for the thread; its result is then ignored (the wizard is closing)."""
        self._slot.stop()

    def _progress(self, rows: int, bytes_done: int, bytes_total: int) -> None:
        if self._slot.cancelled:  # the detail line says "Cancelling…" until the end
            return
        fraction = bytes_done / bytes_total if bytes_total else 0.0
        self.progress_bar.setValue(min(PROGRESS_STEPS, int(fraction * PROGRESS_STEPS)))
        elapsed = max(time.monotonic() - self._started_at, 1e-3)
        text = f"{rows:,} rows read"
        if elapsed >= 0.5 and rows:
            text += f"  ·  {rows / elapsed:,.0f} rows a second"
            if 0 < fraction < 1:
                text += f"  ·  {time_left_text(elapsed * (1 - fraction) / fraction)}"
        self.detail_label.setText(text)

    def _finished(self, result: dict) -> None:
        self.result = result
        self.cancel_button.hide()
        if result.get("success") and result.get("status") == OK:
            self.outcome = "success"
            self.progress_bar.setValue(PROGRESS_STEPS)
            self.headline.setText("Import finished.")
            self.detail_label.setText(
                f"{int(result.get('rows_read') or 0):,} rows read in "
                f"{format_duration(float(result.get('elapsed_seconds') or 0))}."
            )
            self.completeChanged.emit()
            self.succeeded.emit(result)
            return
        self.outcome = "cancelled" if result.get("status") == CANCELLED else "failed"
        self._show_end(failure_text(result))

    def _crashed(self, message: str, details: str) -> None:
        log.error("import crashed: %s\n%s", message, details)
        self.result = None
        self.outcome = "failed"
        self.cancel_button.hide()
        self._show_end(f"{FAILED_TEXT}\n\n{message}")

    def _show_end(self, text: str) -> None:
        self.progress_bar.hide()
        self.progress_row.hide()
        self.detail_label.clear()
        cancelled = self.outcome == "cancelled"
        self.headline.setText("Import cancelled." if cancelled else "The import did not happen.")
        self.setSubTitle("Click Back to try again, or Close.")
        self.message_label.setText(text)
        self.message_label.setStyleSheet(CANCELLED_STYLE if cancelled else ERROR_STYLE)
        self.message_label.show()
        self._set_wizard_cancel_text("&Close")
        self.ended.emit()  # first: the wizard lets the person go back, then recomputes its buttons
        self.completeChanged.emit()

    def _set_wizard_cancel_text(self, text: str) -> None:
        wizard = self.wizard()
        if wizard is not None:
            wizard.setButtonText(QWizard.WizardButton.CancelButton, text)
