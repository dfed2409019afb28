"""ContactsTableModel: a campaign's contacts, read from SQLite a page at a time, never all at once.

rowCount is the filtered count; data() serves rows from a small LRU of pages. A page that is
not loaded yet shows as blank and is fetched on the worker (the newest requests first), so
scrolling through a million contacts never blocks the window; when it arrives the rows repaint.
Loads, template variables and pages each run in their own task slot: what is shown changes,
and the results still on their way are dropped.
"""

import logging
from collections import OrderedDict
from functools import lru_cache

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from ..core.calling_hours import CallingWindows, zone
from ..core.contacts import (
    SORTABLE_COLUMNS,
    ContactFilter,
    ContactRow,
    count_contacts,
    decode_variables,
    fetch_contacts,
    variable_names,
)
from ..core.phone import DEFAULT_REGION, NATIONAL, display_number
from ..core.templates import contact_values
from ..core.timezones import expand_zones
from ..core.wording import quoted, visible
from .campaign_list import STATUS_COLORS, STATUS_LABELS
from .plain_text import tooltip
from .worker import TaskSlot

log = logging.getLogger(__name__)

_ROOT = QModelIndex()  # the invisible root: the model is flat

PAGE_SIZE = 200
MAX_PAGES = 40  # 8,000 rows in memory at most
PAGES_PER_TASK = 2

# Who, how to reach them and where they stand first, so a narrow window still shows them;
# email, company and the file's own columns (template variables) after.
BASE_COLUMNS = (
    ("name", "Name"),
    ("phone_number", "Phone"),
    ("status", "Status"),
    ("calling", "Local time"),
    ("email", "Email"),
    ("company", "Company"),
)
COLUMN_OF = {key: column for column, (key, _title) in enumerate(BASE_COLUMNS)}
PHONE_COLUMN, STATUS_COLUMN = COLUMN_OF["phone_number"], COLUMN_OF["status"]
CALLING_COLUMN = COLUMN_OF["calling"]  # the contact's local time and calling window (not sortable)
CALLABLE_COLOR = QColor("#2f9e5b")
_SOURCES = {"number": "its number", "postal_code": "the ZIP column", "state": "the state column"}
_SOURCES["time_zone"] = "the time-zone column"
CONTACT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
LOADING_TEXT = "…"


_variables = lru_cache(maxsize=4096)(decode_variables)  # rows repaint often; decode each text once


class ContactsTableModel(QAbstractTableModel):
    loaded = Signal(int)  # a (re)load finished: the number of matching contacts
    loadingChanged = Signal(bool)
    loadFailed = Signal(str)
    sortRefused = Signal(str)

    def __init__(self, parent=None, *, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES):
        super().__init__(parent)
        self.page_size = page_size
        self.max_pages = max_pages
        self._filter: ContactFilter | None = None
        self._order: tuple[str, bool] = ("id", False)
        self._count = 0
        self._variables: list[str] = []
        self._pages: OrderedDict[int, list[ContactRow]] = OrderedDict()
        # Pages read before a refresh that kept the rows: still shown (no blank rows while
        # another caller's change comes in), and read again when the view asks for them.
        self._stale: set[int] = set()
        self._loading = False
        self._load_slot = TaskSlot(self)
        self._load_again: bool | None = None  # a load asked for while one runs: keep rows?
        self._variables_slot = TaskSlot(self)
        self._page_slot = TaskSlot(self)
        self._wanted: dict[int, int] = {}  # page -> request sequence (newest fetched first)
        self._failure_told = False  # one error message per load, however many pages fail
        self._sequence = 0
        self._pump_scheduled = False
        self._icons: dict[str, QIcon] = {}
        self._phone_display: tuple[str, str] = (DEFAULT_REGION, NATIONAL)
        self._windows: CallingWindows | None = None  # the campaign's calling hours (set_calling)
        self._now = None

    def set_phone_display(self, region: str, style: str) -> None:
        """Show numbers as people in ``region`` read them (``national``) or always with the country code."""
        if (region, style) != self._phone_display:
            self._phone_display = (region, style)
            if self._count:
                self.dataChanged.emit(self.index(0, PHONE_COLUMN), self.index(self._count - 1, PHONE_COLUMN))

    # Calling hours ---------------------------------------------------------------------------
    def set_calling(self, windows: CallingWindows | None, now) -> None:
        """The campaign's calling windows and the instant shown: repaints the local-time column
        of the rows on screen, reading nothing again."""
        self._windows, self._now = windows, now
        if self._count:
            self.dataChanged.emit(self.index(0, CALLING_COLUMN), self.index(self._count - 1, CALLING_COLUMN))

    def _calling(self, contact: ContactRow, role):
        if self._windows is None or self._now is None:
            return None
        status = self._windows.status(contact.time_zones, contact.state, self._now)
        pending = contact.status == "pending"
        if role == Qt.ItemDataRole.ForegroundRole:
            return CALLABLE_COLOR if pending and status.callable else None
        zones = expand_zones(contact.time_zones)
        if role == Qt.ItemDataRole.ToolTipRole:
            if not contact.location_source:
                return "Time zone unknown: never callable"
            names = " or ".join(zones) if len(zones) <= 3 else f"any of {len(zones)} zones"
            said = _SOURCES.get(contact.location_source, contact.location_source)
            state = f", {contact.state}" if contact.state else ""
            local = f"\nLocal time: {status.local_time:%A %H:%M}" if status.local_time else ""
            return f"Time zone: {names}{state} (from {said}){local}"
        if status.local_time is not None:
            local = f"{status.local_time:%H:%M}"
        elif 1 < len(zones) <= 3:  # uncertain between a few zones: each one's time
            local = "/".join(sorted({f"{self._now.astimezone(zone(name)):%H:%M}" for name in zones}))
        else:
            local = "?"
        return f"{local} · {status.describe(self._now)}" if pending else local

    # What is shown -------------------------------------------------------------------------
    def contact_filter(self) -> ContactFilter | None:
        return self._filter

    def set_filter(self, contact_filter: ContactFilter | None) -> None:
        """Show these contacts (None: nothing). Loads on the worker; ``loaded`` says when."""
        campaign_changed = (
            contact_filter is None or self._filter is None or contact_filter.campaign_id != self._filter.campaign_id
        )
        self._filter = contact_filter
        self._forget_requests()
        if contact_filter is None:
            self._load_slot.drop()
            self._load_again = None
            self._variables_slot.drop()
            self.beginResetModel()
            self._count, self._pages, self._variables = 0, OrderedDict(), []
            self._stale = set()
            self.endResetModel()
            self._set_loading(False)
            return
        if campaign_changed:
            self.beginResetModel()  # never show one campaign's rows under another's name
            self._count, self._pages, self._variables = 0, OrderedDict(), []
            self._stale = set()
            self.endResetModel()
            self._load_variables()
        self._load(keep_rows=False)

    def refresh(self, keep_rows: bool = True, variables: bool = False) -> None:
        """Read the same contacts again (after a status change or an import).

        ``keep_rows``: the rows did not move, so keep the selection and scroll position when
        the count is unchanged."""
        if self._filter is None:
            return
        self._forget_requests()
        if variables:
            self._load_variables()
        self._load(keep_rows=keep_rows)

    def order(self) -> tuple[str, bool]:
        return self._order

    def sort_column(self) -> int:
        return next((i for i, (key, _) in enumerate(BASE_COLUMNS) if key == self._order[0]), -1)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        key = self.column_key(column)
        if key is None or key not in SORTABLE_COLUMNS:
            title = self.headerData(column, Qt.Orientation.Horizontal)
            self.sortRefused.emit(f"Contacts cannot be sorted by {quoted(title)}.")
            return
        self.set_order(key, order == Qt.SortOrder.DescendingOrder)

    def set_order(self, order_by: str, descending: bool = False) -> None:
        """Sort by a column of core.contacts.SORTABLE_COLUMNS ("id" is the order of the file)."""
        if (order_by, descending) == self._order:
            return
        self._order = (order_by, descending)
        if self._filter is not None:
            self._forget_requests()
            self._load(keep_rows=False)

    def _forget_requests(self) -> None:
        """What is shown changes: pages on their way are dropped, and requests forgotten."""
        self._wanted.clear()
        self._page_slot.drop()
        self._failure_told = False

    def is_loading(self) -> bool:
        return self._loading

    def total(self) -> int:
        return self._count

    # Qt model -------------------------------------------------------------------------------
    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(BASE_COLUMNS) + len(self._variables)

    def column_key(self, column: int) -> str | None:
        if 0 <= column < len(BASE_COLUMNS):
            return BASE_COLUMNS[column][0]
        if 0 <= column - len(BASE_COLUMNS) < len(self._variables):
            return "var:" + self._variables[column - len(BASE_COLUMNS)]
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section < len(BASE_COLUMNS):
                return BASE_COLUMNS[section][1]
            if section - len(BASE_COLUMNS) < len(self._variables):
                return self._variables[section - len(BASE_COLUMNS)]
        if role == Qt.ItemDataRole.ToolTipRole and section == CALLING_COLUMN:
            return "The contact's local time, and whether the campaign's calling hours allow a call now"
        if role == Qt.ItemDataRole.ToolTipRole and section >= len(BASE_COLUMNS):
            return "A template variable from the imported file (not sortable)"
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.DecorationRole,
            Qt.ItemDataRole.ForegroundRole,
            CONTACT_ID_ROLE,
        ):
            return None
        contact = self.contact(index.row())
        if contact is None:
            return LOADING_TEXT if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 else None
        if role == CONTACT_ID_ROLE:
            return contact.id
        column = index.column()
        if column == CALLING_COLUMN:
            return self._calling(contact, role) if role != Qt.ItemDataRole.DecorationRole else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            return self._status_icon(contact.status) if column == STATUS_COLUMN else None
        if column == STATUS_COLUMN:
            return STATUS_LABELS.get(contact.status, contact.status)
        if column == PHONE_COLUMN:
            shown = display_number(contact.phone_number, *self._phone_display)
            if role == Qt.ItemDataRole.ToolTipRole:  # what is stored, searched and exported
                return None if shown == contact.phone_number else contact.phone_number
            return shown
        if column < len(BASE_COLUMNS):
            value = visible(getattr(contact, BASE_COLUMNS[column][0]))
        else:
            name = self.column_key(column)
            value = str(_variables(contact.variables).get(name[4:], "")) if name else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(value) if len(value) > 40 else None
        return value

    # Rows -----------------------------------------------------------------------------------
    def contact(self, row: int) -> ContactRow | None:
        """The contact at ``row`` if its page is loaded; otherwise asks for the page and returns None."""
        if not 0 <= row < self._count:
            return None
        page_number, offset = divmod(row, self.page_size)
        page = self._pages.get(page_number)
        if page is None or page_number in self._stale:
            self._want(page_number)
        if page is None:
            return None
        self._pages.move_to_end(page_number)
        return page[offset] if offset < len(page) else None

    def template_values(self, row: int) -> dict | None:
        """What a script template can use for the contact in ``row`` (None until its page is in)."""
        contact = self.contact(row)
        if contact is None:
            return None
        variables = _variables(contact.variables)
        return contact_values(contact.phone_number, contact.name, contact.email, contact.company, variables)

    def variable_names(self) -> list[str]:
        return list(self._variables)

    def contact_id(self, row: int) -> int | None:
        contact = self.contact(row)
        return contact.id if contact is not None else None

    def is_row_loaded(self, row: int) -> bool:
        return row // self.page_size in self._pages

    # Loading --------------------------------------------------------------------------------
    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loadingChanged.emit(loading)

    def _load(self, keep_rows: bool) -> None:
        self._set_loading(True)
        if self._load_slot.is_busy():
            # One load at a time: a count over a million rows cannot be interrupted, so the
            # newest request waits and the running one's result is dropped (see _superseded).
            self._load_again = bool(keep_rows and (self._load_again is not False))
            return
        contact_filter, (order_by, descending) = self._filter, self._order
        page_size = self.page_size

        def work(report, cancelled):
            count = count_contacts(contact_filter)
            first = fetch_contacts(contact_filter, 0, page_size, order_by, descending) if count else []
            return count, first

        self._load_slot.start(
            work,
            on_success=lambda result: self._loaded(keep_rows, result),
            on_failure=lambda message, details: self._load_failed(message),
        )

    def _superseded(self) -> bool:
        """A newer load was asked for while this one ran: start it, and drop this one's result."""
        keep, self._load_again = self._load_again, None
        if keep is None:
            return False
        self._load(keep_rows=keep)
        return True

    def _loaded(self, keep_rows: bool, result) -> None:
        if self._superseded():
            return
        count, first = result
        self._wanted.clear()
        if keep_rows and count == self._count and count:
            self._pages[0] = first
            self._stale = set(self._pages) - {0}
            self.dataChanged.emit(self.index(0, 0), self.index(count - 1, self.columnCount() - 1))
        else:
            self.beginResetModel()
            self._count = count
            self._pages = OrderedDict({0: first} if first else {})
            self._stale = set()
            self.endResetModel()
        self._set_loading(False)
        self.loaded.emit(count)

    def _load_failed(self, message: str) -> None:
        if self._superseded():
            return
        log.error("loading contacts failed: %s", message)
        self._set_loading(False)
        self.loadFailed.emit(message)

    def _load_variables(self) -> None:
        campaign_id = self._filter.campaign_id
        self._variables_slot.start(
            lambda report, cancelled: variable_names(campaign_id),
            on_success=lambda names: self._set_variables(list(names)),
            on_failure=lambda message, details: log.error("variables: %s", message),
        )

    def _set_variables(self, names: list[str]) -> None:
        if names == self._variables:
            return
        first = len(BASE_COLUMNS)
        if self._variables:
            self.beginRemoveColumns(QModelIndex(), first, first + len(self._variables) - 1)
            self._variables = []
            self.endRemoveColumns()
        if names:
            self.beginInsertColumns(QModelIndex(), first, first + len(names) - 1)
            self._variables = names
            self.endInsertColumns()

    def _want(self, page_number: int) -> None:
        self._sequence += 1
        self._wanted[page_number] = self._sequence
        if not self._pump_scheduled:
            self._pump_scheduled = True
            QTimer.singleShot(0, self._pump)

    def _pump(self) -> None:
        if not shiboken6.isValid(self):
            return
        self._pump_scheduled = False
        # While a (re)load runs, the rows on screen belong to the old filter or order: pages
        # are asked for again once the load has reset the view.
        if self._page_slot.is_busy() or not self._wanted or self._filter is None or self._loading:
            return
        # The newest requests are what is on screen now.
        pages = sorted(self._wanted, key=self._wanted.get, reverse=True)[:PAGES_PER_TASK]
        for page in pages:
            del self._wanted[page]
        contact_filter, (order_by, descending) = self._filter, self._order
        page_size = self.page_size

        def work(report, cancelled):
            fetched = {}
            for page in pages:
                if cancelled():
                    break
                fetched[page] = fetch_contacts(contact_filter, page * page_size, page_size, order_by, descending)
            return fetched

        self._page_slot.start(
            work,
            on_success=self._pages_arrived,
            on_failure=lambda message, details: self._pages_failed(message),
        )

    def _pages_arrived(self, fetched: dict[int, list[ContactRow]]) -> None:
        last_column = self.columnCount() - 1
        for page, rows in fetched.items():
            self._pages[page] = rows
            self._pages.move_to_end(page)
            self._stale.discard(page)
            if rows:
                start = page * self.page_size
                end = min(start + len(rows), self._count) - 1
                self.dataChanged.emit(self.index(start, 0), self.index(end, last_column))
        while len(self._pages) > self.max_pages:
            self._stale.discard(self._pages.popitem(last=False)[0])
        self._ask_again_for_waiting_pages()

    def _pages_failed(self, message: str) -> None:
        log.error("loading a page of contacts failed: %s", message)
        if not self._failure_told:  # the rows stay blank and are asked for again when scrolled to
            self._failure_told = True
            self.loadFailed.emit(message)
        self._ask_again_for_waiting_pages()

    def _ask_again_for_waiting_pages(self) -> None:
        # Requests that waited may be off screen by now. Ask the view to repaint them: the
        # rows still visible ask again (with a fresh sequence), the rest are forgotten.
        waiting, self._wanted = list(self._wanted), {}
        last_column = self.columnCount() - 1
        for page in waiting:
            start = page * self.page_size
            end = min(start + self.page_size, self._count) - 1
            if end >= start:
                self.dataChanged.emit(self.index(start, 0), self.index(end, last_column))
        if self._wanted and not self._pump_scheduled:
            self._pump_scheduled = True
            QTimer.singleShot(0, self._pump)

    def _status_icon(self, status: str) -> QIcon | None:
        icon = self._icons.get(status)
        if icon is None and status in STATUS_COLORS:
            pixmap = QPixmap(12, 12)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(STATUS_COLORS[status])
            painter.drawEllipse(QRectF(1, 1, 10, 10))
            painter.end()
            icon = self._icons[status] = QIcon(pixmap)
        return icon
