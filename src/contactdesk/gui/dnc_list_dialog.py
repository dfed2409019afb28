"""The do-not-call list: every number with its scope, reason, note and expiry, read a page at a time."""

from datetime import timedelta

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ..core import dnc
from ..core.phone import DEFAULT_REGION, NATIONAL, display_number
from ..core.wording import plural
from ..store.models import local_now

PAGE_ROWS = 1000
SOON_DAYS = 30
LIST_WARN_DAYS = 31
COLUMNS = ("Number", "Scope", "Reason", "Note", "Added", "Expires")
_REASONS = {"request": "Person's request", "list": "Imported list", "manual": "Added by hand"}


class DncListModel(QAbstractTableModel):
    """Rows are fetched on demand (a national registry list can hold millions of numbers)."""

    def __init__(self, parent=None, phone_display: tuple[str, str] = (DEFAULT_REGION, NATIONAL)):
        super().__init__(parent)
        self.phone_display = phone_display  # (region, style): numbers read as in the contacts table
        self.entries = []
        self.total = dnc.count_entries()
        now = local_now()
        self.now_text = now.isoformat(sep=" ")
        self.soon_until = (now + timedelta(days=SOON_DAYS)).isoformat(sep=" ")

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self.entries) < self.total

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008
        last = self.entries[-1] if self.entries else None
        after = (last.phone_number, last.campaign_id or 0) if last else ("", -1)
        page = dnc.entries_after(after, PAGE_ROWS)
        if not page:
            self.total = len(self.entries)
            return
        self.beginInsertRows(QModelIndex(), len(self.entries), len(self.entries) + len(page) - 1)
        self.entries.extend(page)
        self.endInsertRows()

    def _expires_soon(self, entry) -> bool:
        return entry.expires_at is not None and self.now_text < entry.expires_at <= self.soon_until

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        entry, column = self.entries[index.row()], index.column()
        if column == 0 and role == Qt.ItemDataRole.ToolTipRole:  # what is stored and matched
            return entry.phone_number
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return display_number(entry.phone_number, *self.phone_display)
            if column == 1:
                return (
                    "All campaigns"
                    if entry.campaign_id is None
                    else (entry.campaign_name or f"Campaign {entry.campaign_id}")
                )
            if column == 2:
                return _REASONS.get(entry.reason, entry.reason) + (f" ({entry.source})" if entry.source else "")
            if column == 3:
                return entry.note
            if column == 4:
                return entry.added_at[:10]
            return entry.expires_at[:10] if entry.expires_at else "Never"
        if column == 5 and self._expires_soon(entry):
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#b35c00")
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Stops suppressing within {SOON_DAYS} days"
        return None


class DncListDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, import_list=None, phone_display=(DEFAULT_REGION, NATIONAL)):
        super().__init__(parent)
        self.phone_display = phone_display
        self.setObjectName("dncListDialog")
        self.setWindowTitle("Do-not-call list")
        self.resize(900, 520)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("dncListSummary")
        layout.addWidget(self.summary)
        self.warning = QLabel()
        self.warning.setObjectName("dncListWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(
            "QLabel { background: #fff8e1; border: 1px solid #f0d48a; border-radius: 4px; padding: 8px; color: #5d4300; }"
        )
        layout.addWidget(self.warning)
        self.view = QTableView()
        self.view.setObjectName("dncListView")
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table in one press; arrows move inside it
        layout.addWidget(self.view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        if import_list is not None:
            button = buttons.addButton("&Import List…", QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(import_list)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.model = DncListModel(self, self.phone_display)
        self.model.fetchMore()  # the first page at once; the view asks for more as it scrolls
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        for column, width in enumerate((140, 150, 200, 0, 100, 100)):
            if width:
                self.view.setColumnWidth(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        soon = dnc.expiring_within(SOON_DAYS)
        text = f"{plural(self.model.total, 'number')} on the list"
        if soon:
            text += (
                f" · {plural(soon, 'entry', 'entries')} {'expires' if soon == 1 else 'expire'} within {SOON_DAYS} days"
            )
        self.summary.setText(
            text
            if self.model.total
            else "The list is empty. Add numbers from a contact's “Do Not Call…” or import a list."
        )
        age = dnc.list_age_days()
        stale = age is not None and age > LIST_WARN_DAYS
        self.warning.setText(
            f"⚠ Your imported do-not-call list is {age} days old: registries change every month, "
            "so refresh your do-not-call list."
            if stale
            else ""
        )
        self.warning.setVisible(stale)
