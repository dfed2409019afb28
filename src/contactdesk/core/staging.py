"""Move batches of rows from the reading thread into the importing connection.

Each batch is bound, on the thread that read it, into a small in-memory SQLite database;
its serialized image is then attached to the importing connection as schema ``staged``,
where one ``INSERT … SELECT FROM staged.rows`` takes the whole batch. SQLite runs that
statement without Python's GIL, so the next batch is read meanwhile on the other core;
binding on the reading thread keeps the two threads from handing the GIL back and forth
for every row (as ``executemany`` on the importing connection would), and nothing has
to be taken apart again (JSON text costs SQLite more to split than the insert itself).

Without ``sqlite3.Connection.serialize`` (SQLite built without it), batches are bound
on the importing connection instead, without a reading thread.
"""

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from itertools import chain

from .pipeline import in_background

SCHEMA = "staged"
COLUMNS = ("phone_number", "phone_raw", "name", "email", "company", "variables", "source_row")
_CREATE = f"CREATE TABLE {{schema}}.rows ({', '.join(COLUMNS)})"
_ROW = f"({', '.join('?' * len(COLUMNS))})"
_FILL_ONE = f"INSERT INTO {{schema}}.rows VALUES {_ROW}"
# Rows bound per INSERT: one statement per 100 rows binds a third faster than one per row.
# 100 rows of 7 values stay under the 999 variables older SQLite builds allow.
ROWS_PER_INSERT = 100
_FILL_MANY = f"INSERT INTO {{schema}}.rows VALUES {', '.join([_ROW] * ROWS_PER_INSERT)}"
CAN_SERIALIZE = hasattr(sqlite3.Connection, "serialize")

Batches = Callable[[], Iterable[list[tuple]]]


def attach(conn: sqlite3.Connection) -> None:
    """Give ``conn`` the empty ``staged`` schema. Outside a transaction (SQLite's rule)."""
    conn.execute(f"ATTACH DATABASE ':memory:' AS {SCHEMA}")
    conn.execute(_CREATE.format(schema=SCHEMA))


def detach(conn: sqlite3.Connection) -> None:
    """Remove the ``staged`` schema if it is there. Outside a transaction."""
    if any(name == SCHEMA for _, name, _ in conn.execute("PRAGMA database_list")):
        conn.execute(f"DETACH DATABASE {SCHEMA}")


def _fill(conn: sqlite3.Connection, schema: str, rows: list[tuple]) -> None:
    conn.execute(f"DELETE FROM {schema}.rows")
    whole = len(rows) - len(rows) % ROWS_PER_INSERT
    fill_many = _FILL_MANY.format(schema=schema)
    for start in range(0, whole, ROWS_PER_INSERT):
        conn.execute(fill_many, list(chain.from_iterable(rows[start:start + ROWS_PER_INSERT])))
    conn.executemany(_FILL_ONE.format(schema=schema), rows[whole:])


def _images(batches: Batches) -> Iterator[tuple[bytes, int]]:
    # The thread may end without closing the generator; whoever collects it closes this.
    packer = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        packer.execute(_CREATE.format(schema="main"))
        for rows in batches():
            packer.execute("BEGIN")
            _fill(packer, "main", rows)
            packer.execute("COMMIT")
            yield packer.serialize(), len(rows)
    finally:
        packer.close()


def staged_batches(conn: sqlite3.Connection, batches: Batches, depth: int = 2) -> Iterator[int]:
    """Load each batch into ``staged.rows`` of the attached ``conn`` and yield its row count.

    The rows stay there until the next batch replaces them. Closing the iterator stops
    the reading thread.
    """
    if not CAN_SERIALIZE:
        for rows in batches():
            _fill(conn, SCHEMA, rows)
            yield len(rows)
        return
    images = in_background(lambda: _images(batches), depth=depth)
    try:
        for image, size in images:
            conn.deserialize(image, name=SCHEMA)
            yield size
    finally:
        images.close()
