"""Logging set-up: a rotating file in the user log folder, warnings to stderr for the CLI."""

import logging
import logging.handlers
import os
import sys
from pathlib import Path

from .store.paths import user_log_dir

LOG_FILE_NAME = "contactdesk.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _NoTracebackFormatter(logging.Formatter):
    """The console gets one line per problem; the traceback goes to the log file only."""

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return ""

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return super().format(record)


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """The log names files and numbers: readable by the user only, like the database (also after rotating)."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.chmod(self.baseFilename, 0o600)  # a log file from an earlier version
        except OSError:
            pass
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115 - the handler closes it


def log_file_path() -> Path:
    return user_log_dir() / LOG_FILE_NAME


def setup_logging(verbose: bool = False, to_stderr: bool = True) -> Path | None:
    """Configure the root logger once. Returns the log file, or None if it could not be opened."""
    root = logging.getLogger()
    if getattr(root, "_contactdesk_configured", False):
        return log_file_path()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    path: Path | None = log_file_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(handler)
    except OSError:
        path = None  # a read-only home must not stop the app
    if to_stderr:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.DEBUG if verbose else logging.WARNING)
        console.setFormatter(_NoTracebackFormatter("%(levelname)s: %(message)s"))
        root.addHandler(console)
    root._contactdesk_configured = True
    return path
