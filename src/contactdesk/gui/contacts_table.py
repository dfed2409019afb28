"""The contacts table: its look, the widths of its columns, selecting rows and the sort arrow."""

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from .contacts_model import ContactsTableModel

COLUMN_WIDTHS = (190, 150, 120, 140, 210, 160)  # name, phone, status, local time, email, company
VARIABLE_WIDTH = 140


class ContactsTableView(QTableView):
    def __init__(self, model: ContactsTableModel, parent=None):
        super().__init__(parent)
        self.setObjectName("contactsView")
        self.setAccessibleName("Contacts")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)  # Tab moves on to the next control; arrows move in the table
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)  # the panel builds the menu
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: a million stay cheap
        rows.setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # file order until a column is clicked
        header.setHighlightSections(False)
        # The header asks its selection model, each time it paints, whether each column is wholly
        # selected, which Qt answers by asking the model about every selected row: with 100,000 rows
        # selected, the window froze for seconds. Sections are never highlighted, so the header gets
        # a selection model of its own, always empty.
        header.setSelectionModel(QItemSelectionModel(model, header))
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.sortIndicatorChanged.connect(self._sort_changed)
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)
        model.sortRefused.connect(self._sort_refused)

    def moveCursor(self, action, modifiers):
        # A row per contact: Home and End go to the first and last contact, in the cursor's column.
        # Qt's table goes to the first or last column instead, scrolling the names out of sight.
        rows = self.model().rowCount()
        if action in (QAbstractItemView.CursorAction.MoveHome, QAbstractItemView.CursorAction.MoveEnd) and rows:
            row = 0 if action == QAbstractItemView.CursorAction.MoveHome else rows - 1
            return self.model().index(row, max(self.currentIndex().column(), 0))
        return super().moveCursor(action, modifiers)

    def selectionCommand(self, index, event=None):
        # Qt moves without selecting whenever Ctrl is held. Spreadsheets extend the selection on
        # Ctrl+Shift+Home/End (to the first or last row), and people bring that habit here.
        if (
            event is not None
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Home, Qt.Key.Key_End)
            and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            return QItemSelectionModel.SelectionFlag.SelectCurrent | QItemSelectionModel.SelectionFlag.Rows
        return super().selectionCommand(index, event)

    def select_rows(self, first: int, last: int) -> None:
        """Select rows ``first``..``last`` (for keyboard users and tests)."""
        selection_model = self.selectionModel()
        top_left = self.model().index(first, 0)
        bottom_right = self.model().index(last, self.model().columnCount() - 1)
        selection_model.select(QItemSelection(top_left, bottom_right), QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def fit_columns(self, first: int = 3, last: int | None = None) -> None:
        """Columns empty in the first rows shrink to their title, so the ones with values fit.
        From ``first`` (3: name, phone and status keep their widths) to ``last``."""
        header = self.horizontalHeader()
        rows = min(self.model().rowCount(), self.model().page_size)
        last = self.model().columnCount() - 1 if last is None else last
        for column in range(first, last + 1):
            empty = not any(self.model().index(row, column).data() for row in range(rows))
            if empty:
                width = header.sectionSizeFromContents(column).width() + 12
            else:
                width = COLUMN_WIDTHS[column] if column < len(COLUMN_WIDTHS) else VARIABLE_WIDTH
            header.resizeSection(column, width)

    def sort_state(self) -> str:
        """The sort order to remember: "name:asc", "status:desc"; "" for the order of the file."""
        key, descending = self.model().order()
        return "" if key == "id" else f"{key}:{'desc' if descending else 'asc'}"

    def restore_sort(self, state: str) -> None:
        key, _, direction = (state or "").partition(":")
        column = next((i for i in range(self.model().columnCount()) if self.model().column_key(i) == key), -1)
        if column < 0:
            return
        order = Qt.SortOrder.DescendingOrder if direction == "desc" else Qt.SortOrder.AscendingOrder
        self.horizontalHeader().setSortIndicator(column, order)  # sorts the model too

    def _sort_changed(self, column: int, order) -> None:
        if column < 0:
            return
        self.model().sort(column, order)

    def _sort_refused(self, _reason: str) -> None:
        """The model kept its order (a variable column): the arrow goes back to it."""
        header = self.horizontalHeader()
        header.blockSignals(True)
        descending = self.model().order()[1]
        header.setSortIndicator(
            self.model().sort_column(), Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        )
        header.blockSignals(False)

    def sort_in_file_order(self) -> None:
        header = self.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        self.model().set_order("id", False)
