"""File > Import Do-Not-Call List…, File > Do-Not-Call List… and Campaign > Import History…, for the main window."""

from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from ..core.dnc_import import ListPreview, import_list, preview_list
from . import messages
from .dnc_import_dialog import DncImportDialog
from .dnc_list_dialog import DncListDialog
from .import_history_dialog import ImportHistoryDialog
from .team_mode import refused
from .worker import TaskSlot


class DncActions:
    """``window`` is the main window: its current campaign, busy text and refresh are used."""

    def __init__(self, window: QWidget):
        self.window = window
        self.slot = TaskSlot(window)  # one list import at a time
        self.progress_dialog: QProgressDialog | None = None
        self.history_dialog: ImportHistoryDialog | None = None
        self.import_list_action = QAction("Import &Do-Not-Call List…", window)
        self.import_list_action.setStatusTip(
            "Add numbers no campaign may call: a registry file (one number per line, may be zipped) or a CSV"
        )
        self.import_list_action.triggered.connect(lambda _checked=False: self.import_list())
        self.list_action = QAction("Do-Not-Call &List…", window)
        self.list_action.setStatusTip("The numbers no campaign may call, and what expires soon")
        self.list_action.triggered.connect(lambda _checked=False: self.show_list())
        self.list_dialog: DncListDialog | None = None
        self.history_action = QAction("Import &History…", window)
        self.history_action.setStatusTip("The campaign's imports; undo the wrong one")
        self.history_action.triggered.connect(lambda _checked=False: self.show_history())

    def choose_list_file(self) -> Path | None:
        """Which list to import; a file dialog (tests replace this)."""
        path, _filter = QFileDialog.getOpenFileName(
            self.window,
            "Import a do-not-call list",
            self.window.settings.last_folder(),
            "Do-not-call lists (*.txt *.csv *.zip);;All files (*)",
        )
        return Path(path) if path else None

    def import_list(self) -> None:
        if self.slot.is_busy() or refused(self.window, "dnc"):
            return
        path = self.choose_list_file()
        if path is None:
            return
        self.window.settings.remember_folder_of(path)
        preview = preview_list(path)
        if not preview.ok:
            messages.warn(self.window, "This file cannot be imported as a list", preview.message)
            return
        summary = self.window.current_summary()
        options = self.ask_list_options(preview, summary.name if summary else None)
        if options is None:
            return
        campaign_id = summary.id if summary is not None and options else None

        def work(report, cancelled) -> dict:
            return import_list(
                path,
                campaign_id=campaign_id,
                progress=lambda n, done, total: report(n, done, total),
                should_cancel=cancelled,
            ).to_dict()

        progress_dialog = QProgressDialog(
            f"Adding {path.name} to the do-not-call list…", "Cancel", 0, 1000, self.window
        )
        progress_dialog.setWindowTitle("Import a do-not-call list")
        progress_dialog.setMinimumDuration(400)  # shown only if the import lasts
        progress_dialog.setAutoClose(False)
        progress_dialog.setAutoReset(False)
        self.progress_dialog = progress_dialog

        def progress(count: int, done: int, total: int) -> None:
            self.window.statusBar().set_busy(f"Adding {path.name} to the do-not-call list… {count:,} numbers")
            progress_dialog.setLabelText(f"Adding {path.name} to the do-not-call list… {count:,} numbers")
            progress_dialog.setValue(int(done * 1000 / total) if total else 0)

        def done(result: dict) -> None:
            if result["success"]:
                if self.list_dialog is not None and self.list_dialog.isVisible():
                    self.list_dialog.reload()
                self.window.refresh_campaigns()
                self.window.contacts.model.refresh(keep_rows=True)
                messages.info(self.window, "Do-not-call list imported", result["message"])
            else:
                messages.warn(self.window, "The list was not imported", result["message"])

        def failed(message: str, details: str) -> None:
            messages.error(self.window, "The list was not imported", message, details)

        def finished(busy: bool) -> None:
            if not busy:  # before the result is told: the progress dialog goes first
                self.slot.busy.disconnect(finished)
                progress_dialog.close()
                self.import_list_action.setEnabled(True)
                self.window.statusBar().set_busy("")

        self.import_list_action.setEnabled(False)
        self.window.statusBar().set_busy(f"Adding {path.name} to the do-not-call list…")
        self.slot.start(work, on_success=done, on_failure=failed, on_progress=progress)
        self.slot.busy.connect(finished)
        progress_dialog.canceled.connect(self.slot.cancel)

    def ask_list_options(self, preview: ListPreview, campaign_name: str | None) -> bool | None:
        """The preview, then: for this campaign only (True), all campaigns (False), or None to stop."""
        dialog = DncImportDialog(preview, campaign_name, self.window)
        if dialog.exec() != DncImportDialog.DialogCode.Accepted:
            return None
        return dialog.this_campaign_only.isChecked()

    def show_list(self) -> DncListDialog | None:
        if refused(self.window, "dnc"):
            return None
        settings = self.window.settings
        phone_display = (settings.region(), settings.phone_display())  # as the contacts table shows them
        if self.list_dialog is None:
            self.list_dialog = DncListDialog(self.window, import_list=self.import_list, phone_display=phone_display)
        else:
            self.list_dialog.phone_display = phone_display
            self.list_dialog.reload()
        self.list_dialog.open()
        return self.list_dialog

    def show_history(self) -> ImportHistoryDialog | None:
        summary = self.window.current_summary()
        if summary is None or refused(self.window, "history"):
            return None
        dialog = ImportHistoryDialog(summary.id, summary.name, self.window)
        dialog.undone.connect(self.window.after_undo)
        self.history_dialog = dialog
        dialog.open()
        return dialog
