"""Contacts > Mark Selected as / Mark All Matching as / Do Not Call…: changing statuses of the
contacts the panel shows, on the worker, one change at a time. Each mark records who (the
window's caller name) and when, and ends the contacts' claims."""

from datetime import UTC, datetime

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from ..core.contacts import set_status_at_rows, set_status_by_ids, set_status_where
from ..core.dnc import mark_contact_ids
from ..core.wording import plural, quoted
from ..store.models import DO_NOT_CALL
from ..store.statuses import TABLE as STATUS_TABLE
from . import messages
from .campaign_list import STATUS_LABELS
from .dnc_dialog import ask_do_not_call
from .team_mode import available, refused

MARK_SHORTCUTS = {status.name: status.mark_key for status in STATUS_TABLE if status.mark_key}
EXACT_IDS_UP_TO = 20_000  # a bigger selection is marked by its row ranges, found by the database


def row_ranges(selection) -> list[tuple[int, int]]:
    """Selected rows as merged (first, last) ranges; never one index per row (Ctrl+A on a million)."""
    spans = sorted((r.top(), r.bottom()) for r in selection)
    merged: list[tuple[int, int]] = []
    for top, bottom in spans:
        if merged and top <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return merged


class ContactMarking(QObject):
    """The marking actions of ``panel`` (a ContactsPanel): its model, selection and task slot are used."""

    def __init__(self, panel):
        super().__init__(panel)
        self.panel = panel
        self.selected_menu = QMenu("Mark &Selected as", panel)
        self.all_menu = QMenu("Mark &All Matching as", panel)
        self.selected_actions: dict[str, QAction] = {}
        self.all_actions: dict[str, QAction] = {}
        for status in MARK_SHORTCUTS:  # in the order of their keys, Ctrl+1 to Ctrl+4
            action = QAction(STATUS_LABELS[status], panel)
            action.setShortcut(QKeySequence(MARK_SHORTCUTS[status]))
            action.triggered.connect(lambda _checked=False, s=status: self.mark_selected(s))
            self.selected_menu.addAction(action)
            self.selected_actions[status] = action
            every = QAction(STATUS_LABELS[status], panel)
            every.triggered.connect(lambda _checked=False, s=status: self.mark_all_matching(s))
            self.all_menu.addAction(every)
            self.all_actions[status] = every
        self.do_not_call_action = QAction("&Do Not Call…", panel)
        self.do_not_call_action.setStatusTip("Put the selected numbers on the do-not-call list")
        self.do_not_call_action.triggered.connect(lambda _checked=False: self.do_not_call_selected())
        self.selected_menu.addSeparator()
        self.selected_menu.addAction(self.do_not_call_action)

    def update_enabled(self, idle: bool, selected: bool, matching: int, has_campaign: bool) -> None:
        for action in self.selected_actions.values():
            action.setEnabled(idle and selected)
        for action in self.all_actions.values():
            action.setEnabled(idle and matching > 0)
        self.selected_menu.setEnabled(idle and selected)
        self.do_not_call_action.setEnabled(idle and selected and available("dnc"))
        self.all_menu.setEnabled(idle and matching > 0)
        self.all_menu.setTitle(f"Mark &All {matching:,} Matching as" if has_campaign else "Mark &All Matching as")

    def selected_ranges(self) -> list[tuple[int, int]]:
        return row_ranges(self.panel.view.selectionModel().selection())

    def mark_selected(self, status: str) -> None:
        model = self.panel.model
        contact_filter = model.contact_filter()
        ranges = self.selected_ranges()
        if contact_filter is None or not ranges or self.panel.slot.is_busy():
            return
        selected = sum(last - first + 1 for first, last in ranges)
        who = self._who()
        if selected >= model.total():
            self._run_mark(lambda: _where_marked(contact_filter, status, who), status, selected)
            return
        rows = (
            [row for first, last in ranges for row in range(first, last + 1)] if selected <= EXACT_IDS_UP_TO else None
        )
        ids = [model.contact_id(row) for row in rows] if rows is not None else None
        if ids is not None and None not in ids:
            # Exactly the contacts the person sees selected.
            self._run_mark(lambda: _ids_marked(contact_filter.campaign_id, ids, status, who), status, selected)
            return
        # Rows not loaded yet: the database finds them by their positions in the view's order.
        order = model.order()
        self._run_mark(lambda: set_status_at_rows(contact_filter, ranges, order, status, *who), status, selected)

    def do_not_call_selected(self) -> None:
        """The selected contacts' numbers go on the do-not-call list (asks for a note and the scope first)."""
        panel = self.panel
        contact_filter = panel.model.contact_filter()
        rows = [row for first, last in self.selected_ranges() for row in range(first, last + 1)]
        ids = [panel.model.contact_id(row) for row in rows[:EXACT_IDS_UP_TO]]
        if contact_filter is None or not ids or None in ids or panel.slot.is_busy() or refused(panel, "dnc"):
            return
        answer = ask_do_not_call(panel, len(ids), panel.summary().name)
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
        panel = self.panel
        contact_filter = panel.model.contact_filter()
        matching = panel.model.total()
        if contact_filter is None or not matching or panel.slot.is_busy():
            return
        scope = "matching the search and filter" if panel.is_filtered() else f"in {quoted(panel.summary().name)}"
        label = STATUS_LABELS[status].lower()
        if not messages.confirm(
            panel,
            "Mark contacts",
            f"Mark all {plural(matching, 'contact')} {scope} as {label}?",
            f"Mark {matching:,} as {label}",
        ):
            return
        who = self._who()
        self._run_mark(lambda: _where_marked(contact_filter, status, who), status, matching)

    def _who(self) -> tuple[str, datetime]:
        """The caller marking, and when (UTC)."""
        return self.panel.caller_name(), datetime.now(UTC)

    def _run_mark(self, change, status: str, how_many: int) -> None:
        panel = self.panel
        label = STATUS_LABELS[status].lower()
        # Rows keep their places unless the order or the filter depends on the status.
        keep_rows = panel.model.order()[0] != "status" and not panel.model.contact_filter().statuses

        def done(changed: int) -> None:
            panel.message.emit(
                f"Marked {plural(changed, 'contact')} as {label}." if changed else f"All of them were already {label}.",
                6000,
            )
            panel.model.refresh(keep_rows=keep_rows)
            panel.statusesChanged.emit()

        panel.run(
            lambda report, cancelled: change(),
            f"Marking {plural(how_many, 'contact')} as {label}…",
            done,
            "Cannot change the status",
        )


def _ids_marked(campaign_id: int, ids: list[int], status: str, who: tuple[str, datetime]) -> int:
    """The status change and who made it, in one transaction."""
    return set_status_by_ids(campaign_id, ids, status, *who)


def _where_marked(contact_filter, status: str, who: tuple[str, datetime]) -> int:
    return set_status_where(contact_filter, status, *who)
