"""Reference cycles are collected on the window's thread, whichever thread made the garbage."""

import gc
import threading

from contactdesk.gui.main_thread_gc import MainThreadCollector


class _Cycle:
    """Garbage only the cycle collector can free; records the thread that freed it."""

    freed_on: list[str] = []

    def __init__(self):
        self.me = self

    def __del__(self):
        _Cycle.freed_on.append(threading.current_thread().name)


def test_garbage_made_on_a_worker_thread_is_collected_on_the_window_thread(qapp, qtbot):
    collector = MainThreadCollector(qapp)
    try:
        _Cycle.freed_on.clear()

        kept = []

        def work():
            _Cycle()
            # Far more new objects than the threshold that starts an automatic collection.
            kept.extend([] for _ in range(20 * gc.get_threshold()[0]))

        worker = threading.Thread(target=work, name="worker")
        worker.start()
        worker.join()
        assert _Cycle.freed_on == []  # nothing was collected on the worker

        qtbot.waitUntil(lambda: _Cycle.freed_on != [], timeout=5_000)
        assert _Cycle.freed_on == [threading.main_thread().name]
    finally:
        collector.stop()
    assert not gc.isenabled()  # the session's collector (conftest.py) still runs


def test_stopping_puts_automatic_collection_back_as_it_was(qapp):
    gc.enable()
    collector = MainThreadCollector(qapp)
    assert not gc.isenabled()
    collector.stop()
    assert gc.isenabled()
    gc.disable()
