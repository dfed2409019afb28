"""Overlap reading and writing: run a producer on a second thread, consume on this one.

SQLite releases the GIL while it inserts, so parsing the next batch in Python and
inserting the previous one in C run side by side on two cores.
"""

import queue
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")

_DONE = object()


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
