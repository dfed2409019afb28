"""Seeing each other's work: every few seconds the window asks the database whether anything was
written (store/changes.py), and when so, reads the campaign list again off the window's thread
and says ``changed`` with it.

On a file the question is a pragma on the window's own open connection (a few microseconds,
so it is asked right here); on a server it is a round trip, asked on the worker.
"""

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.campaigns import list_campaigns
from ..store.changes import data_version
from ..store.driver import peewee as pw
from ..store.server import is_server
from .worker import TaskSlot

log = logging.getLogger(__name__)

POLL_MS = 3000


class ChangeWatch(QObject):
    changed = Signal(object)  # the campaign summaries, read again after someone wrote

    def __init__(self, parent: QObject | None = None, interval_ms: int = POLL_MS):
        super().__init__(parent)
        self._version: int | None = None
        self._slot = TaskSlot(self)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        """From now on: what is in the database now is what the window shows."""
        self._version = self._read_here()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._slot.drop()

    def _read_here(self) -> int | None:
        """Asked on this thread: on a file always; on a server once, as the window opens (it reads
        the campaign list on this thread then too), so a change made right after is not missed."""
        try:
            return data_version()
        except (pw.DatabaseError, pw.InterfaceError) as exc:
            log.warning("cannot ask the database for changes: %s", exc)
            return None

    def poll(self) -> None:
        window = self.parent()
        if window is not None and hasattr(window, "isVisible") and not window.isVisible():
            return  # a window not on screen has nobody to show changes to
        if self._slot.is_busy():
            return  # the last question is still on its way (a slow server): never pile them up
        known = self._version
        if not is_server():
            version = self._read_here()
            if version is None or version == known:
                return
            self._version = version
            self._slot.start(lambda report, cancelled: (version, list_campaigns()), on_success=self._arrived)
            return

        def ask(report, cancelled):
            version = data_version()
            return version, (list_campaigns() if known is not None and version != known else None)

        self._slot.start(
            ask, on_success=self._arrived, on_failure=lambda message, _details: log.warning("change poll: %s", message)
        )

    def _arrived(self, result) -> None:
        version, summaries = result
        self._version = version
        if summaries is not None:
            self.changed.emit(summaries)
