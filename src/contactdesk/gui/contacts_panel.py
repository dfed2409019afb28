"""The right side of the window: one campaign's contacts with search, status filter, marking,
export and a script preview. The filter bar, the marking and the export are their own modules;
this one shows the campaign and keeps them in step."""

import logging

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.campaign_hours import has_calling_hours
from ..core.campaigns import CampaignSummary
from ..core.contacts import ContactFilter, row_of_contact
from ..core.next_contact import claim_next_contact
from ..core.wording import plural, quoted, visible
from ..store.models import PENDING
from . import messages
from .calling_now import CallableNow
from .contact_marking import ContactMarking
from .contacts_export import ContactsExport
from .contacts_filter_bar import ContactsFilterBar
from .contacts_model import ContactsTableModel
from .contacts_table import ContactsTableView
from .empty_state import EmptyState
from .settings import AppSettings
from .template_preview import TemplatePreviewDialog
from .worker import TaskSlot

log = logging.getLogger(__name__)


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
        self.slot = TaskSlot(self)  # the running mark or export, one at a time
        self.slot.busy.connect(self._busy_changed)
        self._next_slot = TaskSlot(self)  # the newest "next contact to call" question
        self._reselect_slot = TaskSlot(self)  # finds the selected contact again after others' changes
        self._keep_place: tuple | None = None  # (filter, scroll value, selected contact id, row count)
        self.model = ContactsTableModel(self)
        self.apply_settings()
        self._fit_pending = False  # a campaign was chosen: narrow its empty columns once its rows arrive
        self._new_columns: tuple[int, int] | None = None  # variable columns added since the last load
        self.calling = CallableNow(self)
        self.template_dialog: TemplatePreviewDialog | None = None

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

        self.filter_bar = ContactsFilterBar()
        self.search = self.filter_bar.search
        self.status_filter = self.filter_bar.status_filter
        self.callable_filter = self.filter_bar.callable_filter

        self.view = ContactsTableView(self.model)
        self.view.customContextMenuRequested.connect(self._context_menu)

        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)

        self.marking = ContactMarking(self)
        self.exporting = ContactsExport(self, settings)
        self.export_action = self.exporting.export_action  # the window's File menu and toolbar show them
        self.export_filtered_action = self.exporting.export_filtered_action
        self._build_actions()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 4)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.stack, 1)

        self.filter_bar.changed.connect(self._apply_filter)
        self.filter_bar.statusChosen.connect(self._status_chosen)
        self.calling.ticked.connect(lambda: self.model.set_calling(self.calling.windows(), self.calling.now()))
        self.calling.locationsChanged.connect(self._apply_filter)
        self.statusesChanged.connect(self.calling.refresh)
        self.model.loaded.connect(self._loaded)
        # Template variables arrive on their own (before or after the rows): size their columns
        # now, and again once the rows that go with them are in.
        self.model.columnsInserted.connect(self._columns_arrived)
        self.model.loadingChanged.connect(self._loading_changed)
        self.model.loadFailed.connect(self._load_failed)
        self.model.sortRefused.connect(lambda reason: self.message.emit(reason, 5000))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.set_campaign(None)

    # Actions -------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.find_action = QAction("&Find Contacts", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        self.clear_filter_action = QAction("&Clear Search and Filter", self)
        self.clear_filter_action.triggered.connect(self.clear_filter)
        self.file_order_action = QAction("Sort in File &Order", self)
        self.file_order_action.triggered.connect(self.view.sort_in_file_order)
        self.next_action = QAction("&Next Contact to Call", self)
        # Ctrl+Enter first: the menu shows it, as Help does; Ctrl+Return (the main keyboard's Enter) works too.
        self.next_action.setShortcuts([QKeySequence("Ctrl+Enter"), QKeySequence("Ctrl+Return")])
        self.next_action.setStatusTip(
            "Take the next pending contact that may be called now: it is yours until you mark it (15 minutes at most)"
        )
        self.next_action.triggered.connect(self.select_next_contact)
        self.preview_action = QAction("&Preview Script…", self)
        self.preview_action.setStatusTip("Fill a call script's {placeholders} with the selected contact's fields")
        self.preview_action.triggered.connect(lambda _checked=False: self.show_template_preview())

    def actions_for_menu(self) -> list:
        return [
            self.next_action,
            None,
            self.find_action,
            self.clear_filter_action,
            None,
            self.marking.selected_menu,
            self.marking.all_menu,
            None,
            self.preview_action,
            None,
            self.file_order_action,
        ]

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.context_menu = menu  # the one on screen
        menu.addMenu(self.marking.selected_menu)
        menu.addMenu(self.marking.all_menu)
        menu.addAction(self.marking.do_not_call_action)
        menu.addSeparator()
        menu.addAction(self.preview_action)
        menu.addSeparator()
        menu.addAction(self.export_action)
        menu.addAction(self.export_filtered_action)
        menu.addSeparator()
        menu.addAction(self.file_order_action)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def show_template_preview(self) -> TemplatePreviewDialog:
        """One preview dialog, kept with what was typed in it; it follows the contact selected in the table."""
        if self.template_dialog is None:
            self.template_dialog = TemplatePreviewDialog(self.view, self)
        self.template_dialog.show()
        self.template_dialog.raise_()
        self.template_dialog.activateWindow()
        return self.template_dialog

    def run(self, work, busy_text: str, on_success, failure_title: str) -> None:
        """Run a mark or an export on the worker, with ``busy_text`` in the window while it lasts."""

        def failed(message: str, details: str) -> None:
            messages.error(self, failure_title, message, details)

        self.slot.start(work, on_success=on_success, on_failure=failed)
        self.busyChanged.emit(busy_text)

    def _busy_changed(self, busy: bool) -> None:
        if not busy:
            self.busyChanged.emit("")
        self._update_actions()

    def _update_actions(self) -> None:
        has_campaign = self._summary is not None
        idle = not self.slot.is_busy()
        matching = self.model.total()
        selected = bool(self.view.selectionModel().hasSelection()) if has_campaign else False
        self.marking.update_enabled(idle, selected, matching, has_campaign)
        has_contacts = has_campaign and self._summary.total_contacts > 0
        self.exporting.update_enabled(idle, has_contacts, has_campaign and self.is_filtered())
        self.clear_filter_action.setEnabled(has_campaign and self.is_filtered())
        self.find_action.setEnabled(has_campaign)
        self.next_action.setEnabled(has_campaign)
        self.preview_action.setEnabled(has_campaign)
        self.filter_bar.set_enabled_for(has_campaign)

    # The campaign shown ----------------------------------------------------------------------
    def campaign_id(self) -> int | None:
        return self._summary.id if self._summary else None

    def set_campaign(self, summary: CampaignSummary | None) -> None:
        switching = (summary is None) != (self._summary is None) or (
            summary is not None and self._summary is not None and summary.id != self._summary.id
        )
        self._summary = summary
        if switching:
            self.filter_bar.reset()
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
        self.filter_bar.show_counts(self._summary)
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

    def caller_name(self) -> str:
        """Who is calling in this window (Settings > Team): stored with claims and marks."""
        return self._settings.caller_name()

    def summary(self) -> CampaignSummary | None:
        return self._summary

    def is_filtered(self) -> bool:
        current = self.current_filter()
        return bool(current and (current.statuses or current.search or current.callable_location_ids is not None))

    def _apply_filter(self) -> None:
        self.filter_bar.search_timer.stop()
        wanted = self.current_filter()
        if wanted != self.model.contact_filter():
            self.model.set_filter(wanted)
        self._update_actions()

    def _status_chosen(self) -> None:
        """Pending contacts are shown callable-now first when the campaign has hours (the person may
        untick it); for another status the filter would hide every row, so it goes off."""
        status = self.status_filter.currentData()
        if status == PENDING:
            self.filter_bar.set_callable_only(self._campaign_has_hours())
        elif status:
            self.filter_bar.set_callable_only(False)
        self._apply_filter()

    def _campaign_has_hours(self) -> bool:
        return self._summary is not None and has_calling_hours(self._summary.id)

    def hours_changed(self) -> None:
        """The campaign's calling hours were saved: who is callable, and the filter's default, follow."""
        if self.status_filter.currentData() == PENDING:
            self.filter_bar.set_callable_only(self._campaign_has_hours())
            self._apply_filter()
        self.calling.hours_changed()

    def clear_filter(self) -> None:
        self.search.clear()
        self.status_filter.setCurrentIndex(0)
        self.callable_filter.setChecked(False)
        self._apply_filter()

    def select_next_contact(self) -> None:
        """Claim the next pending contact callable now, in import order, among the contacts the
        search and filter show, for this window's caller, and select it. Callers sharing the
        campaign never get the same contact; the one skipped stays claimed until its claim ends."""
        shown = self.model.contact_filter()
        if shown is None:
            return
        among = ContactFilter(shown.campaign_id, shown.statuses, shown.search, region=shown.region)
        caller, now = self.caller_name(), self.calling.now()
        order_by, descending = self.model.order()

        def work(report, cancelled):
            claimed = claim_next_contact(among.campaign_id, caller, now, among)
            if claimed is None:
                return None
            who = visible(claimed.row.name) or claimed.row.phone_number
            return who, row_of_contact(shown, claimed.row.id, order_by, descending)

        def arrived(found) -> None:
            if found is None:
                self.message.emit("No pending contact shown here may be called now.", 6000)
                return
            who, row = found
            if self.model.contact_filter() != shown or row is None or row >= self.model.rowCount():
                self.message.emit(f"{who} is yours to call (the list shown changed meanwhile).", 8000)
                return
            self.message.emit(f"{who} is yours to call until you mark a result.", 6000)
            index = self.model.index(row, 0)
            self.view.setCurrentIndex(index)
            self.view.select_rows(row, row)
            self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

        self._next_slot.start(
            work, on_success=arrived, on_failure=lambda message, _details: self.message.emit(message, 6000)
        )

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # Model feedback ----------------------------------------------------------------------------
    def _columns_arrived(self, _parent, first: int, last: int) -> None:
        self._new_columns = (first, last)
        if self.model.is_row_loaded(0):
            self.view.fit_columns(first, last)

    def refresh_in_place(self) -> None:
        """Another caller changed something: read the contacts shown again, keeping the person's
        place. When the rows keep their places the model keeps the selection and scroll itself;
        when rows came or went (a filtered status changed), the scroll position is put back and
        the selected contact is found again in its new row."""
        shown = self.model.contact_filter()
        if shown is None:
            return
        current = self.view.currentIndex()
        chosen = current.isValid() and self.view.selectionModel().isRowSelected(current.row())
        chosen_id = self.model.contact_id(current.row()) if chosen else None
        self._keep_place = (shown, self.view.verticalScrollBar().value(), chosen_id, self.model.total())
        self.model.refresh(keep_rows=True)

    def _put_back_place(self, count: int) -> None:
        place, self._keep_place = self._keep_place, None
        if place is None:
            return
        shown, scroll, chosen_id, before = place
        if self.model.contact_filter() != shown or count == before:
            return
        self.view.verticalScrollBar().setValue(scroll)
        if chosen_id is None:
            return
        order_by, descending = self.model.order()

        def found(row) -> None:
            if row is not None and self.model.contact_filter() == shown and row < self.model.rowCount():
                self.view.selectionModel().setCurrentIndex(
                    self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
                )
                self.view.select_rows(row, row)

        self._reselect_slot.start(
            lambda report, cancelled: row_of_contact(shown, chosen_id, order_by, descending), on_success=found
        )

    def _loaded(self, count: int) -> None:
        self._put_back_place(count)
        if self._fit_pending and count:
            self._fit_pending = False
            self.view.fit_columns()
        elif self._new_columns is not None and count:
            self.view.fit_columns(*self._new_columns)
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
            self.count_label.setText("Searching…" if self.is_filtered() else "Loading…")
            return
        shown, total = self.model.total(), self._summary.total_contacts
        if self.is_filtered():
            self.count_label.setText(f"{shown:,} of {plural(total, 'contact')} match")
        else:
            self.count_label.setText(plural(shown, "contact"))

    def _show_state(self) -> None:
        # Nothing to search in an empty campaign; but keep the bar while a filter hides everything.
        self.filter_bar.setVisible(
            self._summary is not None and (self._summary.total_contacts > 0 or self.is_filtered())
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
            if self.is_filtered():
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
