"""Hand batches of rows from the reading thread to the database, one bound statement per batch.

The reading thread makes each batch one flat list of values; the importing connection
binds the list to one statement (store/contact_import.py) and SQLite inserts the whole batch
without holding Python's GIL, while the next batch is read on the other core. Binding a
batch at once matters: a statement per row (``executemany``) hands the GIL back and forth
with the reading thread for every row, and JSON text costs SQLite more to take apart than
the insert itself.

Under a low variable limit (SQLite before 3.32) batches are small, and the rows are read on
the importing thread instead of a second one: slower, with the same result.
"""

from collections.abc import Callable, Iterable, Iterator

from .pipeline import in_background

MIN_THREADED_ROWS = 1000  # fewer rows per statement than this: read on the importing thread

Batches = Callable[[], Iterable[list]]


def bound_batches(batches: Batches, rows_per_batch: int, row_width: int, depth: int = 2) -> Iterator[tuple[list, int]]:
    """Each batch as (its values in one flat list, its row count), read ahead on a second
    thread unless the batches are too small for that. Closing the iterator stops that thread."""

    def counted() -> Iterator[tuple[list, int]]:
        for values in batches():
            yield values, len(values) // row_width

    return in_background(counted, depth=depth) if rows_per_batch >= MIN_THREADED_ROWS else counted()
