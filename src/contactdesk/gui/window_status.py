"""The main window's status bar: what runs in the background, the campaign counts, and the database in use."""

from pathlib import Path

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from ..store.connection import is_read_only
from ..store.server import is_server_uri, shown_uri
from .plain_text import tooltip


def short_path(path: str) -> str:
    """A path as it fits the status bar: the home folder as ~, the middle of a long one left out."""
    home = str(Path.home())
    path = "~" + path[len(home) :] if home != "/" and path.startswith(home) else path
    return path if len(path) <= 60 else path[:22] + "…" + path[-36:]


class WindowStatusBar(QStatusBar):
    def __init__(self, db_path: Path | str | None, parent=None):
        super().__init__(parent)
        self.busy_label = QLabel()
        self.busy_label.setObjectName("busyText")
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setMaximumHeight(14)
        self.busy_bar.setTextVisible(False)
        for widget in (self.busy_label, self.busy_bar):
            widget.hide()
            self.addPermanentWidget(widget)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("campaignCounts")
        self.counts_label.setContentsMargins(8, 0, 12, 0)
        self.addPermanentWidget(self.counts_label)
        self.db_label = QLabel()
        self.db_label.setObjectName("databasePath")
        path = str(db_path) if db_path else "(no database)"
        read_only = " (read-only)" if is_read_only() else ""
        if is_server_uri(path):  # never a password on screen
            path = shown_uri(path)
            self.db_label.setText(f"Team database: {path if len(path) <= 60 else path[:59] + '…'}")
        else:
            self.db_label.setText(f"Database: {short_path(path)}{read_only}")
        self.db_label.setToolTip(tooltip(path))
        self.addPermanentWidget(self.db_label)

    def set_busy(self, text: str) -> None:
        """What runs in the background, with a moving bar; "" when nothing does."""
        self.busy_label.setText(text)
        self.busy_label.setVisible(bool(text))
        self.busy_bar.setVisible(bool(text))

    def set_counts(self, text: str) -> None:
        self.counts_label.setText(text)
