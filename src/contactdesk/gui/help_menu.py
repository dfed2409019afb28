"""Help: the keyboard shortcuts (the same table as the README's), the folder of the log file, and About."""

import html
import platform
from pathlib import Path

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from .. import __version__
from ..store.server import shown_uri

# (keys, what they do); README.md's keys table lists the same rows (a test compares them).
SHORTCUTS = (
    ("Ctrl+N", "new campaign"),
    ("Ctrl+I", "import a CSV file"),
    ("Ctrl+E", "export the campaign"),
    ("Ctrl+Shift+E", "export the contacts matching the search and filter"),
    ("Ctrl+F", "search the contacts"),
    ("Ctrl+Enter", "select the next pending contact that may be called now, in import order"),
    ("Ctrl+1 … Ctrl+4", "mark the selected contacts pending, completed, failed, skipped"),
    ("Home, End", "in the contacts: the first or the last contact; Shift or Ctrl+Shift selects up to it"),
    ("F2", "rename the campaign"),
    ("Delete", "delete the campaign (in the campaign list; asks first, saying how many contacts go)"),
    ("Ctrl+,", "settings: default country, how numbers are shown, strict validation, where the database is"),
    ("Return", "in the import wizard: Next, then Import (unless a list is open)"),
    ("Space, F2 or Alt+Down", "in the column table of the wizard: open the choice of the current column"),
    ("Escape", "close the wizard or a dialog (the wizard asks first if you changed the mapping)"),
    ("Ctrl+Q", "quit"),
)


class ShortcutsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.table = QTableWidget(len(SHORTCUTS), 2)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels(["Keys", "Does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        for row, (keys, does) in enumerate(SHORTCUTS):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(does))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        # Every row in view without scrolling: the table's own length, plus the header and buttons.
        table_height = self.table.verticalHeader().length() + self.table.horizontalHeader().height() + 4
        width = self.table.horizontalHeader().length() + 40
        self.resize(min(max(width, 560), 900), table_height + buttons.sizeHint().height() + 40)

    def rows(self) -> list[tuple[str, str]]:
        return [(self.table.item(r, 0).text(), self.table.item(r, 1).text()) for r in range(self.table.rowCount())]


class HelpMenu:
    """Fills the window's Help menu; ``open_folder`` is replaced in tests."""

    def __init__(self, window, menu: QMenu, log_path: Path | None, db_path: Path | str | None):
        self.window = window
        self.log_path = log_path
        self.db_path = db_path
        self.shortcuts_action = QAction("&Keyboard Shortcuts", window)
        self.shortcuts_action.triggered.connect(lambda _checked=False: self.show_shortcuts())
        self.log_folder_action = QAction("Open the &Log Folder", window)
        self.log_folder_action.setStatusTip(str(log_path.parent) if log_path else "")
        self.log_folder_action.setEnabled(log_path is not None)
        self.log_folder_action.triggered.connect(lambda _checked=False: self.open_log_folder())
        menu.addAction(self.shortcuts_action)
        menu.addAction(self.log_folder_action)
        menu.addSeparator()
        self.about_action = QAction("&About ContactDesk", window)
        self.about_action.triggered.connect(lambda _checked=False: self.show_about())
        menu.addAction(self.about_action)

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_log_folder(self) -> bool:
        return self.log_path is not None and self.open_folder(self.log_path.parent)

    def open_folder(self, folder: Path) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self.window)
        box.setObjectName("aboutBox")
        box.setWindowTitle("About ContactDesk")
        box.setIcon(QMessageBox.Icon.Information)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<h3>ContactDesk {__version__}</h3>"
            "<p>Run calling campaigns offline: import contacts from CSV files and keep track of "
            "who was called.</p>"
        )
        lines = [f"Qt {qVersion()} · PySide6 {PYSIDE_VERSION} · Python {platform.python_version()}"]
        if self.db_path:
            lines.append(f"Database: {shown_uri(str(self.db_path))}")
        if self.log_path:
            lines.append(f"Log file: {self.log_path}")
        box.setInformativeText("<br>".join(html.escape(line) for line in lines))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box
