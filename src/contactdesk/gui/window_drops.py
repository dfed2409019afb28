"""Files dragged onto the main window: the highlight while hovering, and the import after the drop.

Local files and folders are always taken: what cannot be imported (a workbook, a folder, a
picture) is explained after the drop, in the same words as for a file chosen in the dialog.
"""

from PySide6.QtCore import QEvent, QObject

from ..core.wording import plural, quoted
from .drop_target import DropOverlay, check_drop


class WindowDrops(QObject):
    """Watches ``window``'s drag events (an event filter, so the window class stays about windows)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.overlay = DropOverlay(window.centralWidget())
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.window:
            return False
        kind = event.type()
        if kind == QEvent.Type.DragEnter:
            self._enter(event)
        elif kind == QEvent.Type.DragMove:
            event.acceptProposedAction() if check_drop(event.mimeData()).droppable else event.ignore()
        elif kind == QEvent.Type.DragLeave:
            self._end_drag()
            event.accept()
        elif kind == QEvent.Type.Drop:
            self._drop(event)
        else:
            return False
        return True

    def hover_message(self, paths) -> str:
        what = paths[0].name if len(paths) == 1 else plural(len(paths), "file")
        window = self.window
        summary = window.current_summary()
        if summary is None and window.campaign_model.rowCount() == 1:
            summary = window.campaign_model.summary(0)
        if summary is not None:
            return f"Drop to import {what} into {quoted(summary.name)}"
        return f"Drop to create a campaign and import {what}"

    def _status(self, text: str, ms: int = 0) -> None:
        self.window.statusBar().showMessage(text, ms)

    def _enter(self, event) -> None:
        check = check_drop(event.mimeData())
        if not check.droppable:
            event.ignore()
            self._status(check.reason, 8000)
            return
        event.acceptProposedAction()
        message = self.hover_message(check.paths) if check.ok else check.reason
        self.overlay.show_message(message)
        self._status(message)

    def _end_drag(self) -> None:
        self.overlay.hide()
        self.window.statusBar().clearMessage()

    def _drop(self, event) -> None:
        self._end_drag()
        check = check_drop(event.mimeData())
        if not check.droppable:
            event.ignore()
            self._status(check.reason, 8000)
            return
        event.acceptProposedAction()
        self.window.import_files(0, check.dropped())
