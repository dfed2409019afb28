"""Unexpected errors: logged with their traceback, shown to the person in plain words with copyable details.

Installed for the GUI thread (sys.excepthook: PySide calls it for exceptions in slots) and for
other threads (threading.excepthook). A relay QObject carries the report to the GUI thread.
"""

import logging
import sys
import threading
import traceback
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QtMsgType, Signal, Slot, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from . import messages

log = logging.getLogger(__name__)

TITLE = "ContactDesk hit a problem"


class _Relay(QObject):
    report = Signal(str, str)  # summary, details

    def __init__(self, log_path: Path | None):
        super().__init__()
        self.log_path = log_path
        self.dialog = None
        self.suppressed = 0
        self.report.connect(self._show)

    @Slot(str, str)
    def _show(self, summary: str, details: str) -> None:
        if self.dialog is not None and shiboken6.isValid(self.dialog) and self.dialog.isVisible():
            self.suppressed += 1  # one box at a time; the rest are in the log
            return
        where = f"\n\nThe details were written to the log file:\n{self.log_path}" if self.log_path else ""
        text = (
            f"Something unexpected went wrong: {summary}\n\n"
            "Your saved data is not affected. If this keeps happening, please send the details "
            f"to the ContactDesk developers.{where}"
        )
        parent = QApplication.activeWindow()
        self.dialog = messages.error(parent, TITLE, text, details)


_relay: _Relay | None = None
_previous: tuple | None = None


def _summary(exc_type, exc_value) -> str:
    text = str(exc_value).strip().splitlines()[0] if str(exc_value).strip() else ""
    return f"{exc_type.__name__}: {text}" if text else exc_type.__name__


def _handle(exc_type, exc_value, exc_tb, where: str) -> None:
    details = "".join(traceback.format_exception(exc_type, exc_value, exc_tb))
    log.critical("unhandled exception in %s\n%s", where, details)
    if _relay is not None:
        try:
            _relay.report.emit(_summary(exc_type, exc_value), details)  # queued when not on the GUI thread
        except RuntimeError:  # the relay is gone (the app is shutting down): the log has it
            pass


def _excepthook(exc_type, exc_value, exc_tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc_value, exc_tb)
        return
    _handle(exc_type, exc_value, exc_tb, "the main thread")


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    _handle(args.exc_type, args.exc_value, args.exc_traceback, f"thread {args.thread.name if args.thread else '?'}")


def install_excepthook(log_path: Path | None) -> None:
    """Needs a QApplication. Safe to call twice."""
    global _relay, _previous
    if _relay is None:
        _previous = (sys.excepthook, threading.excepthook)
        _relay = _Relay(log_path)
    _relay.log_path = log_path
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook


def uninstall_excepthook() -> None:
    global _relay, _previous
    if _previous is not None:
        sys.excepthook, threading.excepthook = _previous
    _relay, _previous = None, None


def current_dialog():
    """The error box on screen, if any (for tests)."""
    dialog = _relay.dialog if _relay is not None else None
    return dialog if dialog is not None and shiboken6.isValid(dialog) else None


# Qt's warnings are mostly chatter about the platform ("This plugin does not support ..."):
# they belong in the log, not on the person's terminal, so they are logged as info.
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.INFO,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_qt_log = logging.getLogger("qt")


def _qt_message(kind, context, message: str) -> None:
    _qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), message)


def route_qt_messages_to_log(enable: bool = True) -> None:
    """Turn it off again before the interpreter shuts down: Qt may still talk while Python is gone."""
    qInstallMessageHandler(_qt_message if enable else None)
