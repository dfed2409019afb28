"""The right side of the window: one campaign's contacts with search, status filter, marking and export."""

import logging
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.campaign_hours import has_calling_hours
from ..core.campaigns import CampaignSummary
from ..core.contacts import (
    ContactFilter,
    fetch_contacts,
    next_contact_id,
    row_of_contact,
    set_status_by_ids,
    set_status_where,
)
from ..core.dnc import mark_contact_ids
from ..core.export import ExportRefused, check_destination, export_contacts
from ..core.wording import plural, quoted, visible
from ..store.models import DO_NOT_CALL, PENDING
from ..store.statuses import TABLE as STATUS_TABLE
from . import messages
from .calling_now import CallableNow
from .campaign_list import STATUS_LABELS
from .contacts_model import ContactsTableModel
from .dnc_dialog import ask_do_not_call
from .settings import AppSettings
from .worker import run_task

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250
COLUMN_WIDTHS = (190, 150, 120, 140, 210, 160)  # name, phone, status, local time, email, company
VARIABLE_WIDTH = 140
MARK_SHORTCUTS = {status.name: status.mark_key for status in STATUS_TABLE if status.mark_key}


def _row_ranges(selection) -> list[tuple[int, int]]:
    """Selected rows as merged (first, last) ranges; never one index per row (Ctrl+A on a million)."""
    spans = sorted((r.top(), r.bottom()) for r in selection)
    merged: list[tuple[int, int]] = []
    for top, bottom in spans:
        if merged and top <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return merged


class EmptyState(QWidget):
    """A centred message with up to two buttons, shown instead of an empty table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("contactsEmptyState")
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # may show file and campaign names
        self.title.setObjectName("emptyTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.hint = QLabel()
        self.hint.setTextFormat(Qt.TextFormat.PlainText)  # may show file and campaign names
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.button = QPushButton()
        self.second_button = QPushButton()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.button, self.second_button):
            button.setMinimumWidth(170)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addSpacing(6)
        layout.addWidget(self.hint)
        layout.addSpacing(14)
        layout.addLayout(buttons)
        layout.addStretch(3)
        self._actions = [None, None]
        self.button.clicked.connect(lambda: self._run(0))
        self.second_button.clicked.connect(lambda: self._run(1))

    def _run(self, which: int) -> None:
        if self._actions[which] is not None:
            self._actions[which]()

    def show_state(self, title: str, hint: str, *buttons: tuple[str, object]) -> None:
        """``buttons``: up to two (text, action) pairs."""
        self.title.setText(title)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        for index, button in enumerate((self.button, self.second_button)):
            text, action = buttons[index] if index < len(buttons) else ("", None)
            button.setText(text)
            button.setAccessibleName(text)
            button.setVisible(bool(text))
            self._actions[index] = action


class ContactsPanel(QWidget):
    statusesChanged = Signal()  # contacts were marked: campaign counts changed
    message = Signal(str, int)  # text for the status bar, milliseconds
    busyChanged = Signal(str)  # what runs in the background ("" when idle)
    importRequested = Signal()
    newCampaignRequested = Signal()

    def __init__(self, settings: AppSettings, parent=None):
        super().__init__(parent)
        self.setObjectName("contactsPanel")
        self._settings = settings
        self._summary: CampaignSummary | None = None
        self._task = None  # the running mark or export, one at a time
        self.model = ContactsTableModel(self)
        self.apply_settings()
        self._fit_pending = False  # a campaign was chosen: narrow its empty columns once its rows arrive
        self._new_columns: tuple[int, int] | None = None  # variable columns added since the last load
        self.calling = CallableNow(self)

        self.title = QLabel("")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # may show file and campaign names
        self.title.setObjectName("campaignTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.count_label = QLabel("")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)  # may show file and campaign names
        self.count_label.setObjectName("contactsCount")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.search = QLineEdit()
        self.search.setObjectName("contactsSearch")
        self.search.setAccessibleName("Search contacts")
        self.search.setPlaceholderText("Search phone, name, email or company  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.setAccessibleName("Show contacts with status")
        self.status_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_filter.addItem("All statuses", "")
        for status in STATUS_TABLE:
            self.status_filter.addItem(status.label, status.name)
        self.callable_filter = QCheckBox("Callable now")
        self.callable_filter.setObjectName("callableFilter")
        self.callable_filter.setToolTip("Only pending contacts whose calling window is open now, in their local time")

        self.view = QTableView()
        self.view.setObjectName("contactsView")
        self.view.setAccessibleName("Contacts")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)  # Tab moves on to the next control; arrows move in the table
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        rows = self.view.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: a million stay cheap
        rows.setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.view.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # file order until a column is clicked
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.sortIndicatorChanged.connect(self._sort_changed)
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)

        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)

        self._build_actions()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.count_label)
        self.filter_bar = QWidget()
        bar = QHBoxLayout(self.filter_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.callable_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 4)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.stack, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_filter)
        self.status_filter.currentIndexChanged.connect(lambda _index: self._status_chosen())
        self.callable_filter.toggled.connect(lambda _on: self._apply_filter())
        self.calling.ticked.connect(lambda: self.model.set_calling(self.calling.windows(), self.calling.now()))
        self.calling.locationsChanged.connect(self._apply_filter)
        self.statusesChanged.connect(self.calling.refresh)
        self.model.loaded.connect(self._loaded)
        # Template variables arrive on their own (before or after the rows): size their columns
        # now, and again once the rows that go with them are in.
        self.model.columnsInserted.connect(self._columns_arrived)
        self.model.loadingChanged.connect(self._loading_changed)
        self.model.loadFailed.connect(self._load_failed)
        self.model.sortRefused.connect(self._sort_refused)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.set_campaign(None)

    # Actions -------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.find_action = QAction("&Find Contacts", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        self.mark_menu = QMenu("Mark &Selected as", self)
        self.mark_all_menu = QMenu("Mark &All Matching as", self)
        self.mark_selected_actions: dict[str, QAction] = {}
        self.mark_all_actions: dict[str, QAction] = {}
        for status in MARK_SHORTCUTS:  # in the order of their keys, Ctrl+1 to Ctrl+4
            action = QAction(STATUS_LABELS[status], self)
            action.setShortcut(QKeySequence(MARK_SHORTCUTS[status]))
            action.triggered.connect(lambda _checked=False, s=status: self.mark_selected(s))
            self.mark_menu.addAction(action)
            self.mark_selected_actions[status] = action
            every = QAction(STATUS_LABELS[status], self)
            every.triggered.connect(lambda _checked=False, s=status: self.mark_all_matching(s))
            self.mark_all_menu.addAction(every)
            self.mark_all_actions[status] = every
        self.do_not_call_action = QAction("&Do Not Call…", self)
        self.do_not_call_action.setStatusTip("Put the selected numbers on the do-not-call list")
        self.do_not_call_action.triggered.connect(lambda _checked=False: self.do_not_call_selected())
        self.mark_menu.addSeparator()
        self.mark_menu.addAction(self.do_not_call_action)
        self.export_action = QAction("&Export Campaign…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(lambda: self.export(filtered=False))
        self.export_filtered_action = QAction("Export &Filtered Contacts…", self)
        self.export_filtered_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.export_filtered_action.triggered.connect(lambda: self.export(filtered=True))
        self.clear_filter_action = QAction("&Clear Search and Filter", self)
        self.clear_filter_action.triggered.connect(self.clear_filter)
        self.file_order_action = QAction("Sort in File &Order", self)
        self.file_order_action.triggered.connect(self.sort_in_file_order)
        self.next_action = QAction("&Next Contact to Call", self)
        # Ctrl+Enter first: the menu shows it, as Help does; Ctrl+Return (the main keyboard's Enter) works too.
        self.next_action.setShortcuts([QKeySequence("Ctrl+Enter"), QKeySequence("Ctrl+Return")])
        self.next_action.setStatusTip("Select the next pending contact that may be called now, in import order")
        self.next_action.triggered.connect(self.select_next_contact)

    def actions_for_menu(self) -> list:
        return [
            self.next_action,
            None,
            self.find_action,
            self.clear_filter_action,
            None,
            self.mark_menu,
            self.mark_all_menu,
            None,
            self.file_order_action,
        ]

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        menu.addMenu(self.mark_menu)
        menu.addMenu(self.mark_all_menu)
        menu.addAction(self.do_not_call_action)
        menu.addSeparator()
        menu.addAction(self.export_action)
        menu.addAction(self.export_filtered_action)
        menu.addSeparator()
        menu.addAction(self.file_order_action)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def _update_actions(self) -> None:
        has_campaign = self._summary is not None
        idle = self._task is None
        matching = self.model.total()
        selected = bool(self.view.selectionModel().hasSelection()) if has_campaign else False
        for action in self.mark_selected_actions.values():
            action.setEnabled(idle and selected)
        for action in self.mark_all_actions.values():
            action.setEnabled(idle and matching > 0)
        self.mark_menu.setEnabled(idle and selected)
        self.do_not_call_action.setEnabled(idle and selected)
        self.mark_all_menu.setEnabled(idle and matching > 0)
        self.mark_all_menu.setTitle(f"Mark &All {matching:,} Matching as" if has_campaign else "Mark &All Matching as")
        has_contacts = has_campaign and self._summary.total_contacts > 0
        self.export_action.setEnabled(idle and has_contacts)
        self.export_filtered_action.setEnabled(idle and has_campaign and self._is_filtered())
        self.clear_filter_action.setEnabled(has_campaign and self._is_filtered())
        self.find_action.setEnabled(has_campaign)
        self.next_action.setEnabled(has_campaign)
        self.callable_filter.setEnabled(has_campaign)
        self.search.setEnabled(has_campaign)
        self.status_filter.setEnabled(has_campaign)

    # The campaign shown ----------------------------------------------------------------------
    def campaign_id(self) -> int | None:
        return self._summary.id if self._summary else None

    def set_campaign(self, summary: CampaignSummary | None) -> None:
        switching = (summary is None) != (self._summary is None) or (
            summary is not None and self._summary is not None and summary.id != self._summary.id
        )
        self._summary = summary
        if switching:
            self._search_timer.stop()
            for widget in (self.search, self.status_filter):
                widget.blockSignals(True)
            self.search.clear()
            self.status_filter.setCurrentIndex(0)
            for widget in (self.search, self.status_filter):
                widget.blockSignals(False)
        self.update_summary(summary)
        self.calling.set_campaign(summary.id if summary else None)
        if switching or summary is None:
            self._fit_pending = summary is not None
            self.model.set_filter(self.current_filter())
        self._show_state()

    def apply_settings(self) -> None:
        """How numbers are shown follows the settings (the default country, national or international)."""
        self.model.set_phone_display(self._settings.region(), self._settings.phone_display())

    def update_summary(self, summary: CampaignSummary | None) -> None:
        """New counts for the campaign shown (after an import or a status change elsewhere)."""
        if summary is not None and self._summary is not None and summary.id == self._summary.id:
            self._summary = summary
        self.title.setText(visible(self._summary.name) if self._summary else "")
        for index in range(1, self.status_filter.count()):
            status = self.status_filter.itemData(index)
            count = self._summary.by_status.get(status, 0) if self._summary else 0
            self.status_filter.setItemText(
                index, f"{STATUS_LABELS[status]} ({count:,})" if self._summary else STATUS_LABELS[status]
            )
        self._update_count_label()
        self._update_actions()

    def current_filter(self) -> ContactFilter | None:
        if self._summary is None:
            return None
        status = self.status_filter.currentData()
        locations = self.calling.callable_location_ids() if self.callable_filter.isChecked() else None
        statuses = (status,) if status else ()
        # Digits typed without a country code are read as a number of the default region.
        region = self._settings.region()
        return ContactFilter(self._summary.id, statuses, self.search.text().strip(), locations, region)

    def _is_filtered(self) -> bool:
        current = self.current_filter()
        return bool(current and (current.statuses or current.search or current.callable_location_ids is not None))

    def _apply_filter(self) -> None:
        self._search_timer.stop()
        wanted = self.current_filter()
        if wanted != self.model.contact_filter():
            self.model.set_filter(wanted)
        self._update_actions()

    def _status_chosen(self) -> None:
        """Pending contacts are shown callable-now first when the campaign has hours (the person may
        untick it); for another status the filter would hide every row, so it goes off."""
        status = self.status_filter.currentData()
        if status == PENDING:
            self._set_callable_filter(self._campaign_has_hours())
        elif status:
            self._set_callable_filter(False)
        self._apply_filter()

    def _set_callable_filter(self, on: bool) -> None:
        self.callable_filter.blockSignals(True)  # one reload, by the caller
        self.callable_filter.setChecked(on)
        self.callable_filter.blockSignals(False)

    def _campaign_has_hours(self) -> bool:
        return self._summary is not None and has_calling_hours(self._summary.id)

    def hours_changed(self) -> None:
        """The campaign's calling hours were saved: who is callable, and the filter's default, follow."""
        if self.status_filter.currentData() == PENDING:
            self._set_callable_filter(self._campaign_has_hours())
            self._apply_filter()
        self.calling.hours_changed()

    def clear_filter(self) -> None:
        self.search.clear()
        self.status_filter.setCurrentIndex(0)
        self.callable_filter.setChecked(False)
        self._apply_filter()

    def select_next_contact(self) -> None:
        """Select the next pending contact callable now after the current one, in import order,
        among the contacts the search and filter show."""
        shown = self.model.contact_filter()
        if shown is None:
            return
        current = self.view.currentIndex()
        chosen = current.isValid() and self.view.selectionModel().isRowSelected(current.row())
        after = (self.model.contact_id(current.row()) if chosen else None) or 0  # none chosen: from the start
        wanted = ContactFilter(
            shown.campaign_id, shown.statuses, shown.search, self.calling.callable_location_ids(), shown.region
        )
        order_by, descending = self.model.order()

        def work(report, cancelled):
            found = next_contact_id(wanted, after)
            return None if found is None else row_of_contact(shown, found, order_by, descending)

        def arrived(row) -> None:
            if self.model.contact_filter() != shown:
                return  # the list changed meanwhile
            if row is None or row >= self.model.rowCount():
                self.message.emit("No pending contact shown here may be called now.", 6000)
                return
            index = self.model.index(row, 0)
            self.view.setCurrentIndex(index)
            self.select_rows(row, row)
            self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

        run_task(work, on_success=arrived, on_failure=lambda message, _details: self.message.emit(message, 6000))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # Model feedback ----------------------------------------------------------------------------
    def _columns_arrived(self, _parent, first: int, last: int) -> None:
        self._new_columns = (first, last)
        if self.model.is_row_loaded(0):
            self.fit_columns(first, last)

    def _loaded(self, count: int) -> None:
        if self._fit_pending and count:
            self._fit_pending = False
            self.fit_columns()
        elif self._new_columns is not None and count:
            self.fit_columns(*self._new_columns)
        self._new_columns = None
        self._show_state()
        self._update_count_label()
        self._update_actions()

    def _loading_changed(self, loading: bool) -> None:
        self._update_count_label()

    def _load_failed(self, message: str) -> None:
        messages.error(self, "Cannot show the contacts", f"The contacts could not be read from the database: {message}")

    def _update_count_label(self) -> None:
        if self._summary is None:
            self.count_label.setText("")
            return
        if self.model.is_loading():
            self.count_label.setText("Searching…" if self._is_filtered() else "Loading…")
            return
        shown, total = self.model.total(), self._summary.total_contacts
        if self._is_filtered():
            self.count_label.setText(f"{shown:,} of {plural(total, 'contact')} match")
        else:
            self.count_label.setText(plural(shown, "contact"))

    def _show_state(self) -> None:
        # Nothing to search in an empty campaign; but keep the bar while a filter hides everything.
        self.filter_bar.setVisible(
            self._summary is not None and (self._summary.total_contacts > 0 or self._is_filtered())
        )
        if self._summary is None:
            self.empty.show_state(
                "Create a campaign or drop a CSV file here",
                "A campaign holds the contacts you call. Drop a CSV file on this window "
                "to create one named after the file and import it.",
                ("New campaign…", self.newCampaignRequested.emit),
                ("Import a CSV file…", self.importRequested.emit),
            )
            self.stack.setCurrentWidget(self.empty)
        elif self.model.total() == 0 and not self.model.is_loading():
            if self._is_filtered():
                self.empty.show_state(
                    "No contacts match",
                    "Nothing in this campaign matches the search or status filter.",
                    ("Clear search and filter", self.clear_filter),
                )
            else:
                self.empty.show_state(
                    "Drop a CSV file here to import contacts",
                    f"{quoted(self._summary.name)} has no contacts yet. You can also use File > Import Contacts (Ctrl+I).",
                    ("Import a CSV file…", self.importRequested.emit),
                )
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.view)

    def fit_columns(self, first: int = 3, last: int | None = None) -> None:
        """Columns empty in the first rows shrink to their title, so the ones with values fit.
        From ``first`` (3: name, phone and status keep their widths) to ``last``."""
        header = self.view.horizontalHeader()
        rows = min(self.model.rowCount(), self.model.page_size)
        last = self.model.columnCount() - 1 if last is None else last
        for column in range(first, last + 1):
            empty = not any(self.model.index(row, column).data() for row in range(rows))
            if empty:
                width = header.sectionSizeFromContents(column).width() + 12
            else:
                width = COLUMN_WIDTHS[column] if column < len(COLUMN_WIDTHS) else VARIABLE_WIDTH
            header.resizeSection(column, width)

    # Sorting ---------------------------------------------------------------------------------
    def sort_state(self) -> str:
        """The sort order to remember: "name:asc", "status:desc"; "" for the order of the file."""
        key, descending = self.model.order()
        return "" if key == "id" else f"{key}:{'desc' if descending else 'asc'}"

    def restore_sort(self, state: str) -> None:
        key, _, direction = (state or "").partition(":")
        column = next((i for i in range(self.model.columnCount()) if self.model.column_key(i) == key), -1)
        if column < 0:
            return
        order = Qt.SortOrder.DescendingOrder if direction == "desc" else Qt.SortOrder.AscendingOrder
        self.view.horizontalHeader().setSortIndicator(column, order)  # sorts the model too

    def _sort_changed(self, column: int, order) -> None:
        if column < 0:
            return
        self.model.sort(column, order)

    def _sort_refused(self, reason: str) -> None:
        header = self.view.horizontalHeader()
        header.blockSignals(True)
        descending = self.model.order()[1]
        header.setSortIndicator(
            self.model.sort_column(), Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        )
        header.blockSignals(False)
        self.message.emit(reason, 5000)

    def sort_in_file_order(self) -> None:
        header = self.view.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        self.model.set_order("id", False)

    # Marking -----------------------------------------------------------------------------------
    def selected_row_ranges(self) -> list[tuple[int, int]]:
        return _row_ranges(self.view.selectionModel().selection())

    def select_rows(self, first: int, last: int) -> None:
        """Select rows ``first``..``last`` (for keyboard users and tests)."""
        selection_model = self.view.selectionModel()
        top_left = self.model.index(first, 0)
        bottom_right = self.model.index(last, self.model.columnCount() - 1)
        selection_model.select(QItemSelection(top_left, bottom_right), QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def mark_selected(self, status: str) -> None:
        contact_filter = self.model.contact_filter()
        ranges = self.selected_row_ranges()
        if contact_filter is None or not ranges or self._task is not None:
            return
        selected = sum(last - first + 1 for first, last in ranges)
        if selected >= self.model.total():
            self._run_mark(lambda: set_status_where(contact_filter, status), status, selected)
            return
        rows = [row for first, last in ranges for row in range(first, last + 1)] if selected <= 20_000 else None
        ids = [self.model.contact_id(row) for row in rows] if rows is not None else None
        if ids is not None and None not in ids:
            # Exactly the contacts the person sees selected.
            self._run_mark(lambda: set_status_by_ids(contact_filter.campaign_id, ids, status), status, selected)
            return
        order_by, descending = self.model.order()

        def by_ranges():
            # Rows not loaded yet: look their ids up, a window at a time, on the worker.
            found = []
            for first, last in ranges:
                offset = first
                while offset <= last:
                    limit = min(5000, last - offset + 1)
                    found.extend(c.id for c in fetch_contacts(contact_filter, offset, limit, order_by, descending))
                    offset += limit
            return set_status_by_ids(contact_filter.campaign_id, found, status)

        self._run_mark(by_ranges, status, selected)

    def do_not_call_selected(self) -> None:
        """The selected contacts' numbers go on the do-not-call list (asks for a note and the scope first)."""
        contact_filter = self.model.contact_filter()
        rows = [row for first, last in self.selected_row_ranges() for row in range(first, last + 1)]
        ids = [self.model.contact_id(row) for row in rows[:20_000]]
        if contact_filter is None or not ids or None in ids or self._task is not None:
            return
        answer = ask_do_not_call(self, len(ids), self._summary.name)
        if answer is None:
            return
        note, this_campaign_only = answer
        campaign_id = contact_filter.campaign_id
        self._run_mark(
            lambda: mark_contact_ids(campaign_id, ids, note=note, this_campaign_only=this_campaign_only).updated,
            DO_NOT_CALL,
            len(ids),
        )

    def mark_all_matching(self, status: str) -> None:
        contact_filter = self.model.contact_filter()
        matching = self.model.total()
        if contact_filter is None or not matching or self._task is not None:
            return
        scope = "matching the search and filter" if self._is_filtered() else f"in {quoted(self._summary.name)}"
        label = STATUS_LABELS[status].lower()
        if not messages.confirm(
            self,
            "Mark contacts",
            f"Mark all {plural(matching, 'contact')} {scope} as {label}?",
            f"Mark {matching:,} as {label}",
        ):
            return
        self._run_mark(lambda: set_status_where(contact_filter, status), status, matching)

    def _run_mark(self, change, status: str, how_many: int) -> None:
        label = STATUS_LABELS[status].lower()
        # Rows keep their places unless the order or the filter depends on the status.
        keep_rows = self.model.order()[0] != "status" and not self.model.contact_filter().statuses

        def done(changed: int) -> None:
            self.message.emit(
                f"Marked {plural(changed, 'contact')} as {label}." if changed else f"All of them were already {label}.",
                6000,
            )
            self.model.refresh(keep_rows=keep_rows)
            self.statusesChanged.emit()

        self._start(
            lambda report, cancelled: change(),
            f"Marking {plural(how_many, 'contact')} as {label}…",
            done,
            "Cannot change the status",
        )

    def _start(self, work, busy_text: str, on_success, failure_title: str) -> None:
        def failed(message: str, details: str) -> None:
            messages.error(self, failure_title, message, details)

        self._task = run_task(work, on_success=on_success, on_failure=failed)
        self._task.done.connect(self._task_done)
        self.busyChanged.emit(busy_text)
        self._update_actions()

    def _task_done(self) -> None:
        self._task = None
        self.busyChanged.emit("")
        self._update_actions()

    # Export ------------------------------------------------------------------------------------
    def ask_save_path(self, suggested: str) -> str | None:
        """Where to export; a file dialog (tests replace this)."""
        start = str(Path(self._settings.last_folder()) / suggested)
        path, _filter = QFileDialog.getSaveFileName(self, "Export contacts", start, "CSV files (*.csv);;All files (*)")
        return path or None

    def export(self, filtered: bool) -> None:
        if self._summary is None or self._task is not None:
            return
        contact_filter = self.current_filter() if filtered else ContactFilter(self._summary.id)
        base = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in self._summary.name).strip() or "contacts"
        suggested = f"{base} (filtered).csv" if filtered and self._is_filtered() else f"{base}.csv"
        chosen = self.ask_save_path(suggested)
        if not chosen:
            return
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".csv")
        self._settings.remember_folder_of(path)
        overwrite = False
        try:
            check_destination(path)
        except ExportRefused as refused:
            if not refused.needs_confirmation:
                messages.error(self, "Export not written", str(refused))
                return
            if not messages.confirm(
                self, "Replace a file that is not a CSV file?", f"{refused}\n\nReplace it with the export?", "Replace"
            ):
                return
            overwrite = True

        def done(count: int) -> None:
            self.message.emit(f"Exported {plural(count, 'contact')} to {path}", 10_000)

        def work(report, cancelled) -> int:
            try:
                return export_contacts(contact_filter, path, overwrite=overwrite)
            except ExportRefused as exc:
                raise OSError(str(exc)) from exc
            except OSError as exc:
                raise OSError(f"Cannot write {path}: {(exc.strerror or str(exc)).lower()}.") from exc

        self._start(work, f"Exporting to {path.name}…", done, "Export failed")
