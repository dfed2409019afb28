"""Hand batches of rows from the reading thread to SQLite, one bound statement per batch.

The reading thread flattens each batch into one list of values; the importing connection
binds the list to ``… FROM (VALUES (?, …), (?, …), …)`` and SQLite inserts the whole batch
without holding Python's GIL, while the next batch is read on the other core. Binding a
batch at once matters: a statement per row (``executemany``) hands the GIL back and forth
with the reading thread for every row, and JSON text costs SQLite more to take apart than
the insert itself.

A statement may bind at most SQLite's variable limit (32,766 by default since SQLite 3.32,
999 before). Under a low limit the rows are read on the importing thread instead of a
second one: slower, with the same result.
"""

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import chain

from .pipeline import in_background

# The values of one row, in order; in the VALUES table they are column1, column2, ...
COLUMNS = (
    *("phone_number", "phone_raw", "name", "email", "company", "variables"),
    "location_id",  # where the contact is (core/timezones.py)
    "search_text",  # folded name/email/company for search, "" when plain ASCII (store/search.py)
    "source_row",  # last: the importer inserts the others in this order, then the fixed values
)
MAX_BATCH_ROWS = 4000  # at most; the default limit allows 3,640 rows of 9 values: progress ~275 times per million rows
MIN_THREADED_ROWS = 1000  # fewer rows per statement than this: read on the importing thread

Batches = Callable[[], Iterable[list[tuple]]]


def column(name: str) -> str:
    """The name of a row value in the VALUES table."""
    return f"column{COLUMNS.index(name) + 1}"


@lru_cache(maxsize=8)
def values_table(rows: int) -> str:
    """``(VALUES (?, ...), ...)`` for ``rows`` rows: a batch's table to select from."""
    row = f"({', '.join('?' * len(COLUMNS))})"
    return f"(VALUES {', '.join([row] * rows)})"


def rows_per_statement(conn: sqlite3.Connection) -> int:
    return min(MAX_BATCH_ROWS, variable_limit(conn) // len(COLUMNS))


def variable_limit(conn: sqlite3.Connection) -> int:
    return conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


def bound_batches(batches: Batches, rows_per_batch: int, depth: int = 2) -> Iterator[tuple[list, int]]:
    """Each batch as (its values in one flat list, its row count), read ahead on a second
    thread unless the batches are too small for that. Closing the iterator stops that thread."""

    def flattened() -> Iterator[tuple[list, int]]:
        for rows in batches():
            yield list(chain.from_iterable(rows)), len(rows)

    return in_background(flattened, depth=depth) if rows_per_batch >= MIN_THREADED_ROWS else flattened()
