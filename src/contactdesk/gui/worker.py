"""The one way ContactDesk runs work off the GUI thread.

``run_task`` starts ``work(report, cancelled)`` on a QThread through a worker object.
The work never touches a widget: it returns plain data, and calls ``report(*values)``
with plain values as often as it likes; the GUI hears at most ~10 reports a second
(the last one is always delivered). Results come back through queued signals.

``TaskSlot`` is what a window, page or model holds: one task at a time, and starting a
new one drops the old one's result, so no caller keeps tokens or generation counters.
"""

import logging
import threading
import time
import traceback
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QThread, Signal, Slot

from ..store.models import db

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.1


class _Worker(QObject):
    progress = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str, str)  # message for people, technical details

    def __init__(self, work: Callable, cancel_event: threading.Event):
        super().__init__()
        self._work = work
        self._cancel_event = cancel_event
        self._last_report = 0.0
        self._pending: tuple | None = None

    def _report(self, *values) -> None:
        now = time.monotonic()
        if now - self._last_report >= PROGRESS_INTERVAL_S:
            self._last_report = now
            self._pending = None
            self.progress.emit(values)
        else:
            self._pending = values

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(self._report, self._cancel_event.is_set)
            if self._pending is not None:
                self.progress.emit(self._pending)
            self.succeeded.emit(result)
        except Exception as exc:  # reported to the GUI, never raised into Qt
            log.exception("background task failed")
            self.failed.emit(str(exc) or exc.__class__.__name__, traceback.format_exc())
        finally:
            # peewee keeps one connection per thread; this thread is about to end.
            if db.obj is not None and not db.obj.is_closed():
                db.obj.close()
            # End this thread's event loop now, so a GUI thread blocked in wait() (closing
            # the window mid-task) is not waiting for its own queued result handler.
            QThread.currentThread().quit()


class TaskHandle(QObject):
    """A running task. Its callbacks run on the GUI thread after the worker thread has ended,
    so nobody (a test, or the window closing) sees a thread still running after ``done``."""

    done = Signal()

    def __init__(self, work: Callable, on_success, on_failure, on_progress, parent: QObject | None = None):
        super().__init__(parent)
        self.cancel_event = threading.Event()
        self.thread = QThread()
        self.worker = _Worker(work, self.cancel_event)
        self.worker.moveToThread(self.thread)
        self._on_success, self._on_failure, self._on_progress = on_success, on_failure, on_progress
        self._outcome: tuple | None = None
        self.started_at = time.monotonic()
        # The handle lives on the GUI thread, so these connections are queued to it.
        self.thread.started.connect(self.worker.run)
        self.worker.progress.connect(self._progress)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)
        self.thread.finished.connect(self._thread_finished)

    def start(self) -> None:
        _live_tasks.add(self)
        self.thread.start()

    @Slot(object)
    def _progress(self, values) -> None:
        if self._on_progress is not None and self._outcome is None:
            self._on_progress(*values)

    @Slot(object)
    def _succeeded(self, result) -> None:
        self._outcome = ("ok", result)
        self.thread.quit()

    @Slot(str, str)
    def _failed(self, message: str, details: str) -> None:
        self._outcome = ("error", message, details)
        self.thread.quit()

    @Slot()
    def _thread_finished(self) -> None:
        self.thread.wait()
        _live_tasks.discard(self)
        self.worker.deleteLater()
        outcome = self._outcome
        try:
            if outcome and outcome[0] == "ok":
                if self._on_success is not None:
                    self._on_success(outcome[1])
            elif outcome and self._on_failure is not None:
                self._on_failure(outcome[1], outcome[2])
        finally:
            self.done.emit()

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def is_running(self) -> bool:
        return self in _live_tasks

    def wait(self, msecs: int = 30_000) -> bool:
        return self.thread.wait(msecs)

    def stop(self, msecs: int = 30_000) -> bool:
        """Cancel and wait for the thread (closing a page or a window mid-task)."""
        self.cancel()
        return self.wait(msecs)


_live_tasks: set[TaskHandle] = set()  # keeps handles alive while their thread runs


def run_task(
    work: Callable,
    *,
    on_success: Callable[[object], None] | None = None,
    on_failure: Callable[[str, str], None] | None = None,
    on_progress: Callable[..., None] | None = None,
    parent: QObject | None = None,
) -> TaskHandle:
    """Run ``work(report, cancelled)`` on a worker thread; see the module's docstring."""
    handle = TaskHandle(work, on_success, on_failure, on_progress, parent)
    handle.start()
    return handle


def running_tasks() -> list[TaskHandle]:
    return list(_live_tasks)


def stop_all_tasks(timeout_ms: int = 10_000) -> bool:
    """Cancel every task, wait for its thread, and let its callbacks run; True when none is left."""
    deadline = time.monotonic() + timeout_ms / 1000
    for task in list(_live_tasks):
        task.cancel()
    for task in list(_live_tasks):
        task.wait(max(0, int((deadline - time.monotonic()) * 1000)))
    # A handle leaves the list in its queued slot on this thread, once its thread has ended.
    while _live_tasks and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 50)
        QThread.msleep(5)
    if _live_tasks:
        log.warning("%d background tasks did not end within %.0f s", len(_live_tasks), timeout_ms / 1000)
    return not _live_tasks


class TaskSlot(QObject):
    """One background task at a time for its owner (a page, a model, a window).

    ``start`` cancels the task before it and drops that task's result and progress: only the
    newest task's callbacks run, and none runs once the slot (or its owner) is gone. ``busy``
    says when the slot goes from idle to running and back, for a busy indicator; the slot is
    idle again before the result or failure callback runs.
    """

    busy = Signal(bool)

    def __init__(self, owner: QObject | None = None):
        super().__init__(owner)
        self._task: TaskHandle | None = None

    def start(
        self,
        work: Callable,
        *,
        on_success: Callable[[object], None] | None = None,
        on_failure: Callable[[str, str], None] | None = None,
        on_progress: Callable[..., None] | None = None,
    ) -> TaskHandle:
        was_busy = self._detach() is not None
        handle: TaskHandle | None = None

        def current() -> bool:
            return shiboken6.isValid(self) and handle is not None and handle is self._task

        def settle(callback, *outcome) -> None:
            # The thread has ended: the owner hears its result with the slot already idle, so
            # it can read ``is_busy`` or start the next task from its callback.
            if not current():
                return
            self._task = None
            self.busy.emit(False)
            if callback is not None:
                callback(*outcome)

        handle = run_task(
            work,
            on_success=lambda result: settle(on_success, result),
            on_failure=lambda message, details: settle(on_failure, message, details),
            on_progress=lambda *values: current() and on_progress is not None and on_progress(*values),
        )
        handle.done.connect(lambda: self._finished(handle))
        self._task = handle
        if not was_busy:
            self.busy.emit(True)
        return handle

    def _finished(self, handle: TaskHandle) -> None:
        if shiboken6.isValid(self) and handle is self._task:
            self._task = None
            self.busy.emit(False)

    def is_busy(self) -> bool:
        return self._task is not None

    @property
    def task(self) -> TaskHandle | None:
        return self._task

    @property
    def cancelled(self) -> bool:
        return self._task is not None and self._task.cancelled

    def cancel(self) -> None:
        """Ask the running task to stop; its result (usually "cancelled") is still delivered."""
        if self._task is not None:
            self._task.cancel()

    def _detach(self) -> TaskHandle | None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
        return task

    def drop(self) -> None:
        """Cancel the running task without waiting; nothing of it reaches the owner any more."""
        if self._detach() is not None:
            self.busy.emit(False)

    def stop(self, msecs: int = 30_000) -> bool:
        """Drop the running task and wait for its thread (the owner is closing)."""
        task, self._task = self._task, None
        if task is None:
            return True
        self.busy.emit(False)
        return task.stop(msecs)
