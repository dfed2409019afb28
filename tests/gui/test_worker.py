"""gui/worker.py: results, failures, throttled progress, cancel, and plenty of signals.

The signal-volume tests exist because PySide6 6.12.0 on CPython 3.11 aborted the
interpreter ("Fatal Python error: bool_dealloc") after a few hundred Signal.emit()
calls: a release like that must fail here, not in a person's import.
"""

import threading
import time

import pytest
import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from contactdesk.gui import worker
from contactdesk.gui.worker import run_task, running_tasks, stop_all_tasks

MANY = 20_000


@pytest.fixture(autouse=True)
def no_thread_left():
    yield
    assert running_tasks() == []


def _run(qtbot, work, **callbacks):
    handle = run_task(work, **callbacks)
    with qtbot.waitSignal(handle.done, timeout=10_000):
        pass
    return handle


def test_result_comes_back_on_the_gui_thread(qtbot):
    seen = {}
    gui_thread = threading.get_ident()

    def work(report, cancelled):
        seen["work_thread"] = threading.get_ident()
        return {"answer": 42}

    def on_success(result):
        seen["result"] = result
        seen["callback_thread"] = threading.get_ident()

    handle = _run(qtbot, work, on_success=on_success)
    assert seen["result"] == {"answer": 42}
    assert seen["work_thread"] != gui_thread
    assert seen["callback_thread"] == gui_thread
    assert not handle.is_running()


def test_exception_becomes_a_failure_with_details(qtbot):
    failures = []

    def work(report, cancelled):
        raise ValueError("the disk is on fire")

    _run(
        qtbot,
        work,
        on_success=lambda r: pytest.fail("no success expected"),
        on_failure=lambda message, details: failures.append((message, details)),
    )
    assert failures[0][0] == "the disk is on fire"
    assert "ValueError" in failures[0][1] and "Traceback" in failures[0][1]


def test_exception_without_text_is_named(qtbot):
    failures = []

    def work(report, cancelled):
        raise KeyError()

    _run(qtbot, work, on_failure=lambda message, details: failures.append(message))
    assert failures == ["KeyError"]


def test_progress_is_throttled_and_the_last_report_arrives(qtbot):
    reports = []

    def work(report, cancelled):
        for i in range(1, MANY + 1):
            report(i, MANY, True)
        return "done"

    results = []
    _run(qtbot, work, on_success=results.append, on_progress=lambda *values: reports.append(values))
    assert results == ["done"]
    # Far fewer than 20,000 reports reach the GUI, but the final state always does.
    assert 1 <= len(reports) < 200
    assert reports[-1] == (MANY, MANY, True)
    assert [r[0] for r in reports] == sorted(r[0] for r in reports)


def test_progress_arrives_before_success_and_done_fires_last(qtbot):
    events = []

    def work(report, cancelled):
        report(1)
        time.sleep(0.15)
        report(2)
        return "ok"

    handle = run_task(
        work, on_success=lambda r: events.append("success"), on_progress=lambda n: events.append(f"progress {n}")
    )
    handle.done.connect(lambda: events.append("done"))
    qtbot.waitUntil(lambda: "done" in events, timeout=10_000)
    assert events == ["progress 1", "progress 2", "success", "done"]


def test_cancel_is_seen_by_the_work(qtbot):
    started = threading.Event()

    def work(report, cancelled):
        started.set()
        deadline = time.monotonic() + 10
        while not cancelled():
            if time.monotonic() > deadline:
                return "never cancelled"
            time.sleep(0.005)
        return "stopped"

    results = []
    handle = run_task(work, on_success=results.append)
    assert started.wait(5)
    assert handle.is_running()
    assert running_tasks() == [handle]
    handle.cancel()
    assert handle.cancelled
    with qtbot.waitSignal(handle.done, timeout=10_000):
        pass
    assert results == ["stopped"]


def test_stop_all_tasks_cancels_and_waits(qtbot):
    def work(report, cancelled):
        while not cancelled():
            time.sleep(0.005)
        return "stopped"

    handles = [run_task(work) for _ in range(3)]
    try:
        started = time.monotonic()
        stop_all_tasks(timeout_ms=400)
        # The work stops within milliseconds of the cancel, so waiting must not take long.
        assert all(handle.thread.isFinished() for handle in handles)
        assert time.monotonic() - started < 1.0
    finally:
        for handle in handles:
            handle.wait(5_000)
        # The callbacks still run on the GUI thread, after which nothing is listed as running.
        qtbot.waitUntil(lambda: running_tasks() == [], timeout=5_000)


def test_stop_returns_quickly_and_the_result_still_arrives(qtbot):
    def work(report, cancelled):
        while not cancelled():
            time.sleep(0.005)
        return "stopped"

    results = []
    handle = run_task(work, on_success=results.append)
    started = time.monotonic()
    assert handle.stop(5_000)
    assert time.monotonic() - started < 1.0
    with qtbot.waitSignal(handle.done, timeout=5_000):
        pass
    assert results == ["stopped"]  # the result of the cancelled work is still delivered


def test_worker_closes_its_database_connection(qtbot, db_path, monkeypatch):
    from contactdesk.core.campaigns import list_campaigns
    from contactdesk.store.models import db

    closed = []
    real_close = type(db.obj)._close
    monkeypatch.setattr(type(db.obj), "_close", lambda self, conn: closed.append(conn) or real_close(self, conn))
    seen = {}

    def work(report, cancelled):
        seen["names"] = [c.name for c in list_campaigns()]
        seen["connection"] = db.obj.connection()

    _run(qtbot, work)
    assert seen["names"] == []
    # The thread's own connection was closed when the thread ended: no file handle is left open.
    assert any(conn is seen["connection"] for conn in closed)
    # The GUI thread's connection is separate and still usable.
    assert list_campaigns() == []


def test_callbacks_run_after_the_thread_has_ended(qtbot):
    states = []

    def on_success(result):
        states.append((handle.thread.isFinished(), handle.is_running()))

    handle = run_task(lambda report, cancelled: None, on_success=on_success)
    with qtbot.waitSignal(handle.done, timeout=10_000):
        pass
    assert states == [(True, False)]


# ---------------------------------------------------------------------- signal volume


class _Emitter(QObject):
    flag = Signal(bool)
    pair = Signal(int, bool)
    value = Signal(object)
    text = Signal(str)


class _Receiver(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0
        self.true_count = 0
        self.last = None

    @Slot(bool)
    def on_flag(self, flag):
        self.count += 1
        self.true_count += flag is True

    @Slot(int, bool)
    def on_pair(self, number, flag):
        self.count += 1
        self.last = (number, flag)

    @Slot(object)
    def on_value(self, value):
        self.count += 1
        self.last = value

    @Slot(str)
    def on_text(self, text):
        self.count += 1
        self.last = text


def _connect(emitter, receiver):
    emitter.flag.connect(receiver.on_flag)
    emitter.pair.connect(receiver.on_pair)
    emitter.value.connect(receiver.on_value)
    emitter.text.connect(receiver.on_text)


def _emit_all(emitter, count):
    for i in range(count):
        emitter.flag.emit(i % 2 == 0)
        emitter.pair.emit(i, i % 3 == 0)
        emitter.value.emit((i, True, None))
        emitter.text.emit("row")


def test_many_signals_in_thread(qtbot):
    emitter, receiver = _Emitter(), _Receiver()
    _connect(emitter, receiver)
    _emit_all(emitter, MANY)
    assert receiver.count == 4 * MANY
    assert receiver.true_count == MANY // 2
    assert receiver.last == "row"


def test_many_signals_in_thread_to_python_callables(qtbot):
    emitter = _Emitter()
    seen = []
    emitter.flag.connect(seen.append)
    emitter.value.connect(lambda value: seen.append(value))
    for i in range(MANY):
        emitter.flag.emit(False)
        emitter.value.emit(i)
    assert len(seen) == 2 * MANY
    assert seen[-2:] == [False, MANY - 1]


class _ThreadEmitter(QObject):
    flag = Signal(bool)
    pair = Signal(int, bool)
    value = Signal(object)
    text = Signal(str)
    finished = Signal()

    @Slot()
    def run(self):
        _emit_all(self, MANY)
        self.finished.emit()


def test_many_signals_across_threads(qtbot):
    thread = QThread()
    emitter = _ThreadEmitter()
    emitter.moveToThread(thread)
    receiver = _Receiver()  # lives on the GUI thread: every connection is queued
    _connect(emitter, receiver)
    thread.started.connect(emitter.run)
    emitter.finished.connect(thread.quit)
    thread.start()
    try:
        qtbot.waitUntil(lambda: receiver.count == 4 * MANY, timeout=60_000)
    finally:
        thread.quit()
        thread.wait(10_000)
    assert receiver.true_count == MANY // 2
    assert receiver.last == "row"
    assert thread.isFinished()


def test_many_reports_and_tasks_through_run_task(qtbot, monkeypatch):
    # Without throttling every report is a cross-thread emit of a tuple holding bools.
    monkeypatch.setattr(worker, "PROGRESS_INTERVAL_S", 0.0)
    reports = []

    def work(report, cancelled):
        for i in range(MANY):
            report(i, i % 2 == 0, cancelled())
        return True

    results = []
    _run(qtbot, work, on_success=results.append, on_progress=lambda *values: reports.append(values))
    assert results == [True]
    assert len(reports) == MANY
    assert reports[-1] == (MANY - 1, False, False)

    # And many short tasks one after another: each one is a thread and a handful of signals.
    outcomes = []
    for i in range(200):
        _run(qtbot, lambda report, cancelled, i=i: (report(i, True), i)[1], on_success=outcomes.append)
    assert outcomes == list(range(200))


# TaskSlot: one task at a time, only the newest one's result ---------------------------------------
def test_a_new_task_in_a_slot_drops_the_old_ones_result(qtbot):
    slot = worker.TaskSlot()
    results, busy = [], []
    slot.busy.connect(busy.append)
    release = threading.Event()

    def slow(report, cancelled):
        release.wait(5)
        return "old"

    old = slot.start(slow, on_success=results.append)
    new = slot.start(lambda report, cancelled: "new", on_success=results.append)
    release.set()
    for handle in (old, new):
        if handle.is_running():
            with qtbot.waitSignal(handle.done, timeout=5_000):
                pass
    qtbot.waitUntil(lambda: not slot.is_busy())
    assert results == ["new"]
    assert old.cancelled  # the old task was told to stop
    assert busy == [True, False]


def test_a_slot_reports_failures_and_progress_of_its_current_task(qtbot):
    slot = worker.TaskSlot()
    failures, progress = [], []

    def failing(report, cancelled):
        report(1, 2)
        raise ValueError("the file is gone")

    handle = slot.start(
        failing, on_failure=lambda message, details: failures.append(message), on_progress=lambda *v: progress.append(v)
    )
    with qtbot.waitSignal(handle.done, timeout=5_000):
        pass
    assert failures == ["the file is gone"]
    assert progress == [(1, 2)]


def test_nothing_reaches_an_owner_that_is_gone(qtbot):
    owner = QObject()
    slot = worker.TaskSlot(owner)
    results = []
    release = threading.Event()
    handle = slot.start(lambda report, cancelled: release.wait(5) and "late", on_success=results.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(slot))
    release.set()
    with qtbot.waitSignal(handle.done, timeout=5_000):
        pass
    assert results == []


def test_stopping_a_slot_waits_for_the_thread_and_drops_the_result(qtbot):
    slot = worker.TaskSlot()
    results = []

    def until_cancelled(report, cancelled):
        while not cancelled():
            time.sleep(0.005)
        return "stopped"

    handle = slot.start(until_cancelled, on_success=results.append)
    assert slot.stop(5_000)
    assert handle.thread.isFinished() and not slot.is_busy()
    with qtbot.waitSignal(handle.done, timeout=5_000):
        pass
    assert results == []


def test_a_slot_is_idle_when_its_result_arrives_so_the_next_task_can_start(qtbot):
    slot = worker.TaskSlot()
    busy, seen, results = [], [], []
    slot.busy.connect(busy.append)

    def first_done(result):
        seen.append(slot.is_busy())
        results.append(result)
        slot.start(lambda report, cancelled: "second", on_success=results.append)

    handle = slot.start(lambda report, cancelled: "first", on_success=first_done)
    with qtbot.waitSignal(handle.done, timeout=5_000):
        pass
    qtbot.waitUntil(lambda: not slot.is_busy() and len(results) == 2, timeout=5_000)
    assert seen == [False]
    assert results == ["first", "second"]
    assert busy == [True, False, True, False]
