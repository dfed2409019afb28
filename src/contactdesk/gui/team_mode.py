"""What the window cannot do on a team (PostgreSQL) database yet: one list, one line to say so.

Those actions are greyed out on a server, and if one is reached another way (a dropped file,
the empty view's button) the person reads one line instead of a failure. Take a feature out
of ``NOT_ON_A_SERVER_YET`` the day it works on PostgreSQL.
"""

from ..store.server import is_server
from . import messages

NOT_ON_A_SERVER_YET = {
    # A server is backed up with the server's own tools (pg_dump), not from a desktop.
    "backup": "Backup and restore",
}
UNAVAILABLE_TIP = "Not available on a team database yet"


def available(feature: str) -> bool:
    """Whether ``feature`` (a key of NOT_ON_A_SERVER_YET) works on the database in use."""
    return feature not in NOT_ON_A_SERVER_YET or not is_server()


def unavailable_text(feature: str) -> str:
    return (
        f"{NOT_ON_A_SERVER_YET[feature]} does not work on a team (PostgreSQL) database yet; nothing was changed. "
        "Everything else does; back a team database up with pg_dump."
    )


def refused(parent, feature: str) -> bool:
    """True (after saying so in one line) when ``feature`` does not work on this database yet."""
    if available(feature):
        return False
    messages.info(parent, "Not on a team database yet", unavailable_text(feature))
    return True


def grey_out(feature: str, *actions) -> None:
    """On a server, ``actions`` of ``feature`` stay disabled, saying why when pointed at."""
    if available(feature):
        return
    for action in actions:
        action.setEnabled(False)
        action.setStatusTip(UNAVAILABLE_TIP)
        action.setToolTip(UNAVAILABLE_TIP)
