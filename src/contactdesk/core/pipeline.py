"""Overlap reading and writing: run a producer on a second thread, consume on this one.

SQLite releases the GIL while it inserts, so parsing the next batch in Python and
inserting the previous one in C run side by side on two cores.
"""

import queue
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

_DONE = object()

# The consumer takes the GIL back after each SQLite step, waiting up to the interpreter's
# switch interval (5 ms by default) for the producer to let go of it: with a few statements
# per batch (a do-not-call list) those waits made the consumer the slower side. Measured on a
# 1M-row re-import with a 3M-number list: 1 ms halved them.
_QUICK_SWITCH_SECONDS = 0.001
_switch_lock = threading.Lock()
_producers = 0
_saved_switch = 0.0


@contextmanager
def _quick_handoffs() -> Iterator[None]:
    """The shorter switch interval while any producer runs; the interpreter's own after the last."""
    global _producers, _saved_switch
    with _switch_lock:
        if _producers == 0:
            _saved_switch = sys.getswitchinterval()
            sys.setswitchinterval(min(_saved_switch, _QUICK_SWITCH_SECONDS))
        _producers += 1
    try:
        yield
    finally:
        with _switch_lock:
            _producers -= 1
            if _producers == 0:
                sys.setswitchinterval(_saved_switch)


class _Failure:
    def __init__(self, error: BaseException):
        self.error = error


def in_background(produce: Callable[[], Iterator[T]], depth: int = 4) -> Iterator[T]:
    """Yield what ``produce()`` yields, computed ahead on another thread (at most ``depth`` items).

    An exception in the producer is raised here, in the consumer. Closing the generator
    (a ``break``, an exception, a cancel) stops the producer and waits for its thread.
    """
    handoff: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in produce():
                if not put(item):
                    return
        except BaseException as error:  # handed to the consumer, which raises it
            put(_Failure(error))
            return
        put(_DONE)

    thread = threading.Thread(target=run, name="contactdesk-reader", daemon=True)
    with _quick_handoffs():
        thread.start()
        try:
            while True:
                item = handoff.get()
                if item is _DONE:
                    return
                if isinstance(item, _Failure):
                    raise item.error
                yield item
        finally:
            stop.set()
            thread.join()
