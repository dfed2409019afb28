"""A cheap "has anything been written?" number, for a window that shows what other callers do.

SQLite: ``PRAGMA data_version`` changes when another connection commits to the file (it is
per connection, so the window asks on one connection that stays open). PostgreSQL: the
snapshot's xmax (the next transaction id) moves only when some transaction that writes
commits or aborts; reading never moves it, so a window's own polling does not count. It may
also move for writes to other databases of the same server: then the window reads again for
nothing, which costs a refresh, never a missed change.
"""

from .models import db
from .server import is_server


def data_version() -> int:
    if is_server():
        return int(db.execute_sql("SELECT pg_snapshot_xmax(pg_current_snapshot())::text").fetchone()[0])
    return int(db.execute_sql("PRAGMA data_version").fetchone()[0])
