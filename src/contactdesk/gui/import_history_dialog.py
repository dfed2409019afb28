"""A campaign's import history: each import with its counts and state, and Undo on the one that can be."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import undo
from ..core.wording import plural
from ..store.archive import KEEP_DAYS, KEEP_IMPORTS
from .undo_import import confirm_and_undo
from .worker import TaskSlot

COLUMNS = (
    ("started_at", "Date"),
    ("file_name", "File"),
    ("started_by", "By"),
    ("file_size", "Size"),
    ("imported_count", "Imported"),
    ("skipped_duplicates", "Duplicates"),
    ("invalid_count", "Invalid"),
    ("suppressed_count", "Do not call"),
    ("removed_count", "Replaced"),
    ("state", "State"),
)


def _size(count: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:,} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return ""


class ImportHistoryDialog(QDialog):
    undone = Signal(dict)  # the undo's result, as plain data

    def __init__(self, campaign_id: int, campaign_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("importHistoryDialog")
        self.setWindowTitle(f"Import history – {campaign_name}")
        self.campaign_id = campaign_id
        self.undo_slot = TaskSlot(self)  # the undo, while it runs
        self.undo_slot.busy.connect(lambda busy: busy or self.reload())
        self.runs: list[dict] = []
        self.resize(860, 420)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("importHistoryTable")
        self.table.setHorizontalHeaderLabels([title for _, title in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table in one press; arrows move inside it
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table)
        self.detail = QLabel()
        self.detail.setObjectName("importHistoryDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail)
        kept = QLabel(
            f"To undo an import, the contacts it replaced are kept for {KEEP_DAYS} days and for the last "
            f"{KEEP_IMPORTS} imports of a campaign; older ones are pruned and cannot be brought back."
        )
        kept.setWordWrap(True)
        kept.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(kept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.undo_button = buttons.addButton("&Undo Import…", QDialogButtonBox.ButtonRole.ActionRole)
        self.undo_button.setObjectName("undoImportButton")
        self.undo_button.clicked.connect(self.undo_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.runs = undo.import_history(self.campaign_id)
        self.table.setRowCount(len(self.runs))
        for row, run in enumerate(self.runs):
            for column, (key, _) in enumerate(COLUMNS):
                value = run[key]
                if key == "started_at":
                    text = str(value)[:16]
                elif key == "file_size":
                    text = _size(int(value))
                elif key == "state":
                    text = (
                        "Undone" if value == "undone" else ("Landed · can be undone" if run["undoable"] else "Landed")
                    )
                else:
                    text = f"{value:,}" if isinstance(value, int) else str(value)
                item = QTableWidgetItem(text)
                if isinstance(value, int) and key != "file_size":
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if self.runs:
            self.table.selectRow(0)
        self._selection_changed()

    def selected_run(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.runs[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        run = self.selected_run()
        self.undo_button.setEnabled(run is not None and run["undoable"] and not self.undo_slot.is_busy())
        if run is None:
            self.detail.setText(
                "No imports into this campaign yet. Drop a CSV file on the window, or use File > Import Contacts "
                "(Ctrl+I)."
                if not self.runs
                else ""
            )
            return
        why = "" if run["undoable"] else f"\nCannot be undone: {run['why_not']}."
        mapping = ", ".join(f"{column} → {target or 'ignored'}" for column, target in run["mapping"].items())
        self.detail.setText(
            f"{run['file_name']} · sha256 {run['sha256'][:16]}… · "
            f"{plural(run['total_contacts'], 'contact')} in the campaign after it.\nColumns: {mapping}{why}"
        )

    def undo_selected(self) -> None:
        run = self.selected_run()
        if run is None or not run["undoable"] or self.undo_slot.is_busy():
            return
        self.undo_button.setEnabled(False)
        if not confirm_and_undo(self, self.undo_slot, self.campaign_id, run["import_id"], self.undone.emit):
            self.reload()  # refused or not wanted: show the history as it is now
