"""Delete most of a table's rows without paying for each index entry one by one.

Removing a million entries from an index whose order is unrelated to the rows' (the
(campaign, phone) index) costs about four times more than building that index again
over the rows that stay. So when the rows to delete are at least half of the table,
its indexes are dropped, the rows deleted, and the indexes created again from their
own recorded SQL, all inside the caller's transaction: a rollback puts everything back.
"""

from . import statements

# Below this many rows the plain DELETE is quick enough that rebuilding is not worth it.
MIN_ROWS_TO_REBUILD = 20_000


def delete_rows(conn, table: str, where: str, params: tuple, *, matching: int) -> int:
    """``DELETE FROM table WHERE where``; returns the number of rows deleted.

    ``matching`` is how many rows the condition selects (the caller has usually counted
    them already); it decides whether rebuilding the indexes is the cheaper way.
    Must run inside a transaction. ``where`` marks its values as statements.marker(conn) says.
    A PostgreSQL server gets the plain DELETE (its indexes are not the caller's to drop).
    """
    if not statements.in_transaction(conn):
        raise RuntimeError("delete_rows needs an open transaction")
    delete_sql = f'DELETE FROM "{table}" WHERE {where}'
    if matching < MIN_ROWS_TO_REBUILD or not statements.is_sqlite(conn):
        return conn.execute(delete_sql, params).rowcount
    total = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    if matching * 2 < total:
        return conn.execute(delete_sql, params).rowcount
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    deleted = conn.execute(delete_sql, params).rowcount
    for _, sql in indexes:
        conn.execute(sql)
    return deleted
