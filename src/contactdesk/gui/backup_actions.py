"""File > Back Up Database… and File > Restore from Backup…, on the worker thread."""

import logging
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QWidget

from ..store import backup
from . import messages
from .worker import TaskHandle, run_task

log = logging.getLogger(__name__)


class BackupActions:
    """The two actions and what they do; ``refresh`` is called after a restore."""

    def __init__(self, window: QWidget, refresh):
        self.window = window
        self.refresh = refresh
        self.task: TaskHandle | None = None
        self.backup_action = QAction("&Back Up Database", window)  # no dialog first: it backs up at once
        self.backup_action.setStatusTip("Save a copy of all campaigns and contacts in the backups folder")
        self.backup_action.triggered.connect(lambda _checked=False: self.back_up())
        self.restore_action = QAction("&Restore from a Backup…", window)
        self.restore_action.setStatusTip("Replace all campaigns and contacts with a backup")
        self.restore_action.triggered.connect(lambda _checked=False: self.restore())

    def choose_backup(self) -> Path | None:
        """Which backup to restore; a file dialog in the backups folder (tests replace this)."""
        path, _filter = QFileDialog.getOpenFileName(
            self.window,
            "Restore from a backup",
            str(backup.backups_dir()),
            "ContactDesk databases (*.sqlite3);;All files (*)",
        )
        return Path(path) if path else None

    def back_up(self) -> None:
        if self.task is not None:
            return
        self._start(
            lambda report, cancelled: str(backup.backup_database("manual")),
            lambda path: messages.info(
                self.window, "Backup saved", f"All campaigns and contacts were copied to:\n{path}"
            ),
            "The backup could not be saved",
        )

    def restore(self) -> None:
        if self.task is not None:
            return
        chosen = self.choose_backup()
        if chosen is None:
            return
        report = backup.check_file(chosen)
        if not report.ok:
            messages.error(self.window, "This backup cannot be restored", f"{chosen}\n\n" + "\n".join(report.problems))
            return
        if not messages.confirm(
            self.window,
            "Restore from a backup?",
            f"All campaigns and contacts will be replaced by the backup {chosen.name} "
            f"({report.campaigns:,} campaigns, {report.contacts:,} contacts).\n\n"
            "The current state is backed up first, so this can be undone.",
            "Restore",
        ):
            return

        def done(safety: str) -> None:
            self.refresh()
            messages.info(
                self.window,
                "Backup restored",
                f"Restored from {chosen.name}.\n\nThe state before the restore was saved as:\n{safety}",
            )

        self._start(
            lambda report_, cancelled: str(backup.restore_database(chosen)), done, "The backup could not be restored"
        )

    def _start(self, work, on_success, failure_title: str) -> None:
        def failed(message: str, details: str) -> None:
            messages.error(self.window, failure_title, message, details)

        def finished() -> None:
            self.task = None
            self._enable(True)

        self._enable(False)
        self.task = run_task(work, on_success=on_success, on_failure=failed)
        self.task.done.connect(finished)

    def _enable(self, enabled: bool) -> None:
        self.backup_action.setEnabled(enabled)
        self.restore_action.setEnabled(enabled)
