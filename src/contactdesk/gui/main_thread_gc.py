"""Python's cycle collector runs on the window's thread only.

Automatic collection runs on whichever thread allocates when a generation fills up: a worker
reading contacts, an import's reading thread. A Qt object caught in a reference cycle (a closed
dialog whose slots refer back to it) is then destroyed on that thread; its destructor takes Qt's
locks and waits for the GIL while the window's thread holds the GIL and waits for those locks,
and the window freezes for good. So while the window runs, automatic collection is off and a
timer on the window's thread collects instead, a generation whenever its count passes the
threshold the automatic collector uses.
"""

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 500


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject):
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        self._frozen = False
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(CHECK_INTERVAL_MS)

    def collect_due(self) -> int | None:
        """Collect the oldest generation that is due (and the younger ones with it); which one, or None."""
        if not self._frozen:
            # What start-up left lives as long as the app: once the young garbage is gone, later
            # full collections need not look at it again. A 1M-row import right after start-up: the
            # window's longest stall 10-13 ms so, 30 ms without the freeze, 28-36 ms when this first
            # collection was a full one.
            gc.collect(1)
            gc.freeze()
            self._frozen = True
            return 1
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return generation
        return None

    def stop(self) -> None:
        """Automatic collection as it was before."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
