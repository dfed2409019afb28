"""File > Back Up Database… and File > Restore from Backup…, on the worker thread."""

import logging
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QWidget

from ..core.wording import plural
from ..store import backup
from . import messages
from .team_mode import available, refused
from .worker import TaskHandle, TaskSlot

log = logging.getLogger(__name__)


class BackupActions:
    """The two actions and what they do; ``refresh`` is called after a restore."""

    def __init__(self, window: QWidget, refresh):
        self.window = window
        self.refresh = refresh
        self.slot = TaskSlot(window)  # one backup or restore at a time
        self.slot.busy.connect(lambda busy: self._enable(not busy))
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

    @property
    def task(self) -> TaskHandle | None:
        return self.slot.task

    def back_up(self) -> None:
        if self.slot.is_busy() or refused(self.window, "backup"):
            return
        self._start(
            lambda report, cancelled: str(backup.backup_database("manual")),
            lambda path: messages.info(
                self.window, "Backup saved", f"All campaigns and contacts were copied to:\n{path}"
            ),
            "The backup could not be saved",
        )

    def restore(self) -> None:
        if self.slot.is_busy() or refused(self.window, "backup"):
            return
        chosen = self.choose_backup()
        if chosen is None:
            return
        # The integrity check reads the whole file: on the worker, with the window's busy state.
        self._start(
            lambda report_, cancelled: backup.check_file(chosen),
            lambda report: self._checked(chosen, report),
            "The backup could not be checked",
        )

    def _checked(self, chosen: Path, report) -> None:
        if not report.ok:
            messages.error(self.window, "This backup cannot be restored", f"{chosen}\n\n" + "\n".join(report.problems))
            return
        if not messages.confirm(
            self.window,
            "Restore from a backup?",
            f"All campaigns and contacts will be replaced by the backup {chosen.name} "
            f"({plural(report.campaigns, 'campaign')}, {plural(report.contacts, 'contact')}).\n\n"
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

        self.slot.start(work, on_success=on_success, on_failure=failed)

    def _enable(self, enabled: bool) -> None:
        enabled = enabled and available("backup")
        self.backup_action.setEnabled(enabled)
        self.restore_action.setEnabled(enabled)
