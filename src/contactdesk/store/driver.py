"""peewee without the PostgreSQL driver until a team server is opened.

peewee imports psycopg (or psycopg2) as it loads, when one is installed: over a third of the
start-up imports of every command and of the window, for a driver only team mode uses.
Importing this module (store/__init__.py does, first) loads peewee with the drivers hidden;
``give_peewee_psycopg`` hands psycopg to it when a team server is opened, as peewee's own
import would have.
"""

import sys
from types import ModuleType

_DRIVERS = ("psycopg2cffi", "psycopg2", "psycopg")
_ABSENT = object()


def load_peewee() -> ModuleType:
    """peewee, imported with the drivers that are not loaded yet hidden (unless it is imported already)."""
    if "peewee" not in sys.modules:
        # A driver already loaded costs nothing more: peewee may take it as usual.
        hidden = {name: sys.modules.get(name, _ABSENT) for name in _DRIVERS if sys.modules.get(name) is None}
        sys.modules.update(dict.fromkeys(hidden))  # None in sys.modules: importing it raises ImportError
        try:
            import peewee  # noqa: F401
        finally:
            for name, before in hidden.items():
                if before is _ABSENT:
                    sys.modules.pop(name, None)
                else:
                    sys.modules[name] = before  # None: it was hidden before, and stays so
    return sys.modules["peewee"]


def give_peewee_psycopg() -> None:
    """Set what peewee's import sets when psycopg is there (its module names and adapter's
    transaction states); nothing when peewee found it itself. psycopg must be installed."""
    import peewee as pw

    if pw.psycopg is not None:
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    pw.psycopg, pw.TransactionStatus, pw.Json_pg3, pw.Jsonb_pg3 = psycopg, TransactionStatus, Json, Jsonb
    adapter = pw.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN


# For a module that may be imported before the store (cli.py): peewee through here, so it loads as above.
peewee = load_peewee()
