"""Calling hours in the window: who is callable now, refreshed as the clock moves.

Once a minute (and when the campaign, its contacts or their statuses change) the worker
groups the pending contacts by location (time zones and state: a handful of groups, not a
row per contact) and works out which groups are callable now, for the campaign shown and for
the campaign list's counts. The contacts view repaints its local-time column without reading
any row again; its "Callable now" filter reloads only when the callable groups change.
"""

import logging
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.calling_hours import CallingWindows
from ..core.campaign_hours import callable_location_ids, callable_pending_counts, calling_windows
from ..core.campaigns import CampaignNotFound
from .worker import TaskSlot

log = logging.getLogger(__name__)

TICK_MS = 60_000


def utc_now() -> datetime:
    """The one clock of the window's calling hours: every "now" below comes from it (tests replace it)."""
    return datetime.now(UTC)


class CallableNow(QObject):
    """The calling-hours state of the contacts panel, one instant at a time."""

    ticked = Signal()  # a new instant: local times and marks change
    locationsChanged = Signal()  # the callable groups of the campaign shown changed
    countsChanged = Signal(object)  # {campaign id: its pending contacts callable now}

    def __init__(self, parent=None):
        super().__init__(parent)
        self._now = utc_now()
        self._campaign_id: int | None = None
        self._windows: CallingWindows | None = None
        self._locations: tuple[int, ...] | None = None  # ids of the callable locations
        self._slot = TaskSlot(self)  # a newer refresh drops the older one's result
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def now(self) -> datetime:
        return self._now

    def windows(self) -> CallingWindows | None:
        return self._windows

    def callable_location_ids(self) -> tuple[int, ...]:
        """The callable locations of the campaign shown; empty until known."""
        return self._locations or ()

    def set_campaign(self, campaign_id: int | None) -> None:
        if campaign_id == self._campaign_id:
            return
        self._campaign_id = campaign_id
        self._windows, self._locations = None, None
        self.refresh()

    def hours_changed(self) -> None:
        """The campaign's hours were saved: read them again, and redraw the local-time marks when they arrive."""
        self._windows = None
        self.refresh()

    def tick(self) -> None:
        self._now = utc_now()
        self.ticked.emit()
        self.refresh()

    def refresh(self) -> None:
        """Work out again who is callable (after an import, a status change, a new minute)."""
        campaign_id, now = self._campaign_id, self._now

        def work(report, cancelled):
            windows = None
            locations = ()
            if campaign_id is not None:
                try:
                    windows = calling_windows(campaign_id)
                    locations = tuple(callable_location_ids(campaign_id, now, windows))
                except CampaignNotFound:
                    windows = None
            return windows, locations, callable_pending_counts(now)

        self._slot.start(
            work, on_success=self._arrived, on_failure=lambda message, _details: log.error("callable now: %s", message)
        )

    def _arrived(self, result) -> None:
        windows, locations, counts = result
        self.countsChanged.emit(counts)
        first = self._windows is None
        self._windows = windows
        if first:
            self.ticked.emit()  # the local-time column can be drawn now
        if locations != self._locations:
            self._locations = locations
            self.locationsChanged.emit()
