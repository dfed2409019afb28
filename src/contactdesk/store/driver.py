"""peewee without the PostgreSQL driver until a team server is opened.

peewee imports psycopg (or psycopg2) as it loads, when one is installed: three quarters of
the start-up imports of every command and of the window, for a driver only team mode uses.
Importing this module (store/__init__.py does, first) loads peewee with the drivers hidden;
``give_peewee_psycopg`` hands psycopg to it when a team server is opened, as peewee's own
import would have.
"""

import sys

_DRIVERS = ("psycopg2cffi", "psycopg2", "psycopg")


def load_peewee() -> None:
    """Import peewee with the drivers hidden (unless something imported it already)."""
    if "peewee" in sys.modules:
        return
    hidden = {name: sys.modules.get(name) for name in _DRIVERS}
    sys.modules.update(dict.fromkeys(_DRIVERS))  # None in sys.modules: importing it raises ImportError
    try:
        import peewee  # noqa: F401
    finally:
        for name, module in hidden.items():
            if module is None:
                del sys.modules[name]
            else:
                sys.modules[name] = module


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


load_peewee()
