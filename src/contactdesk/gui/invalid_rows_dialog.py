"""The rows of a CSV file whose phone number cannot be used: row, column, value, reason.

Takes the ``errors`` of an import result (plain dicts) to show them. Saving writes the
original rows, every column, plus the reason (``write_rows``, from the import's files), so
a person can fix the numbers in their spreadsheet and import that file again.
"""

import csv
import logging
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.export import neutralise
from . import messages
from .plain_text import tooltip

log = logging.getLogger(__name__)
_ROOT = QModelIndex()  # the default parent of a table model's items

CSV_COLUMNS = ("row", "column", "value", "reason")


class InvalidRowsModel(QAbstractTableModel):
    ROW, COLUMN, VALUE, REASON = range(4)
    HEADERS = ("Row", "Column", "Value", "Why it cannot be used")

    def __init__(self, errors: list[dict], parent=None):
        super().__init__(parent)
        self._errors = [dict(error) for error in errors]

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self._errors)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        error = self._errors[index.row()]
        key = CSV_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self.data(index, Qt.ItemDataRole.DisplayRole))
        if role == Qt.ItemDataRole.DisplayRole:
            value = error.get(key, "")
            if index.column() == self.ROW:
                row = f"{value:,}" if isinstance(value, int) else str(value)
                # Several files imported as one list: which file the row is in.
                return f"{error['file']}, row {row}" if error.get("file") else row
            if index.column() == self.VALUE and value == "":
                return "(empty)"
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.ROW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == self.VALUE and error.get("value") == "":
            return Qt.GlobalColor.gray
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def rows(self) -> list[dict]:
        return list(self._errors)


def write_invalid_rows_csv(errors: list[dict], path: str | os.PathLike) -> int:
    """Write the rows as CSV (formula-safe, UTF-8 with BOM so spreadsheets read accents)."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    try:
        private = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # contact data: user only
        with open(private, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(CSV_COLUMNS)
            for error in errors:
                writer.writerow([neutralise(str(error.get(key, ""))) for key in CSV_COLUMNS])
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return len(errors)


class InvalidRowsDialog(QDialog):
    """Non-blocking: show it with ``open()``."""

    def __init__(
        self,
        errors: list[dict],
        total_count: int | None = None,
        file_name: str = "",
        parent: QWidget | None = None,
        write_rows: Callable[[Path], int] | None = None,
    ):
        super().__init__(parent)
        # Writes the original rows with a reason to a path; without it, the listed rows are saved.
        self._write_rows = write_rows
        self.setObjectName("invalidRowsDialog")
        self.setWindowTitle("Rows with unusable phone numbers")
        self.resize(760, 480)
        self._file_name = file_name
        self.model = InvalidRowsModel(errors, self)
        total = len(errors) if total_count is None else max(total_count, len(errors))

        intro = QLabel(self._intro_text(total, len(errors), file_name))
        intro.setTextFormat(Qt.TextFormat.PlainText)  # shows the file name
        intro.setObjectName("invalidRowsIntro")
        intro.setWordWrap(True)
        intro.setAccessibleName("About these rows")

        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
        self.table.setObjectName("invalidRowsTable")
        self.table.setAccessibleName("Rows with unusable phone numbers")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(InvalidRowsModel.ROW, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(InvalidRowsModel.COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(InvalidRowsModel.VALUE, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(InvalidRowsModel.COLUMN, 140)
        self.table.setColumnWidth(InvalidRowsModel.VALUE, 200)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton("&Save as CSV…")
        self.save_button.setObjectName("saveInvalidRowsButton")
        self.save_button.setAccessibleName("Save these rows as a CSV file")
        self.save_button.setEnabled(bool(errors))
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.choose_save_path)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        close.setDefault(True)

        self.saved_label = QLabel()
        self.saved_label.setObjectName("invalidRowsSaved")
        self.saved_label.setAccessibleName("Where the rows were saved")
        self.saved_label.setWordWrap(True)
        self.saved_label.setTextFormat(Qt.TextFormat.PlainText)
        self.saved_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.saved_label.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.saved_label)
        layout.addWidget(buttons)
        self.file_dialog: QFileDialog | None = None

    @staticmethod
    def _intro_text(total: int, shown: int, file_name: str) -> str:
        where = f" of {file_name}" if file_name else ""
        if total == 0:
            return f"Every row{where} has a usable phone number."
        rows = "1 row" if total == 1 else f"{total:,} rows"
        text = f"{rows}{where} {'has' if total == 1 else 'have'} a phone number that cannot be used; "
        text += "they are not imported. Fix them in the file and import it again."
        if shown < total:
            text += f" The first {shown:,} are listed here."
        return text

    def suggested_file_name(self) -> str:
        stem = Path(self._file_name).stem if self._file_name else "contacts"
        return f"{stem} - invalid rows.csv"

    def choose_save_path(self) -> None:
        # Non-blocking (open(), not exec()), so nothing waits on a modal loop.
        dialog = QFileDialog(self, "Save invalid rows as CSV", self.suggested_file_name(), "CSV files (*.csv)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.fileSelected.connect(self.save_csv)
        self.file_dialog = dialog
        dialog.open()

    def save_csv(self, path: str | os.PathLike) -> bool:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if self._write_rows is not None:
                count = self._write_rows(Path(path))
            else:
                count = write_invalid_rows_csv(self.model.rows(), path)
        except (OSError, ValueError) as exc:
            log.warning("could not save invalid rows to %s: %s", path, exc)
            messages.error(
                self,
                "Could not save the file",
                f"The rows could not be saved to {Path(path).name}: {getattr(exc, 'strerror', None) or exc}.",
            )
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        log.info("saved %d invalid rows to %s", count, path)
        whole = " with all their columns and the reason" if self._write_rows is not None else ""
        self.saved_label.setText(
            f"Saved {count:,} row{'s' if count != 1 else ''}{whole} to {Path(path).resolve()}. "
            "Fix the numbers there and import the file again."
        )
        self.saved_label.show()
        return True
