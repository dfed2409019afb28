"""The bar above the contacts table: search, status filter and "Callable now"."""

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QWidget

from ..core.campaigns import CampaignSummary
from ..store.statuses import TABLE as STATUS_TABLE
from .campaign_list import STATUS_LABELS

SEARCH_DELAY_MS = 250


class ContactsFilterBar(QWidget):
    changed = Signal()  # the search (after a pause in typing), or "Callable now", changed
    statusChosen = Signal()  # another status was chosen in the filter

    def __init__(self, parent=None):
        super().__init__(parent)
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
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.callable_filter)

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.changed)
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self.search.returnPressed.connect(self.changed)
        self.status_filter.currentIndexChanged.connect(lambda _index: self.statusChosen.emit())
        self.callable_filter.toggled.connect(lambda _on: self.changed.emit())

    def set_enabled_for(self, has_campaign: bool) -> None:
        for widget in (self.search, self.status_filter, self.callable_filter):
            widget.setEnabled(has_campaign)

    def reset(self) -> None:
        """Another campaign: no search, all statuses, without a reload for each."""
        self.search_timer.stop()
        for widget in (self.search, self.status_filter):
            widget.blockSignals(True)
        self.search.clear()
        self.status_filter.setCurrentIndex(0)
        for widget in (self.search, self.status_filter):
            widget.blockSignals(False)

    def set_callable_only(self, on: bool) -> None:
        self.callable_filter.blockSignals(True)  # one reload, by the caller
        self.callable_filter.setChecked(on)
        self.callable_filter.blockSignals(False)

    def show_counts(self, summary: CampaignSummary | None) -> None:
        for index in range(1, self.status_filter.count()):
            status = self.status_filter.itemData(index)
            count = summary.by_status.get(status, 0) if summary else 0
            self.status_filter.setItemText(
                index, f"{STATUS_LABELS[status]} ({count:,})" if summary else STATUS_LABELS[status]
            )
