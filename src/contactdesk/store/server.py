"""A shared PostgreSQL server as the database (team mode), chosen by a libpq URI.

``--db postgresql://user@host:5432/dbname`` (or ``postgres://``, or a Unix socket:
``postgresql://user@/dbname?host=/var/run/postgresql``) is handed to the driver exactly as
written; a URI is never taken as a file name. The driver (psycopg 3) comes with the ``team``
extra; without it the user gets one line saying how to install it.
"""

import logging
import re

import peewee as pw

log = logging.getLogger(__name__)

URI_SCHEMES = ("postgresql://", "postgres://")
TEAM_EXTRA_MESSAGE = 'Team mode needs the team extra: pip install "contactdesk[team]"'


class TeamExtraMissing(Exception):
    """psycopg is not installed; the message says how to get it."""

    def __init__(self):
        super().__init__(TEAM_EXTRA_MESSAGE)


def is_server_uri(location) -> bool:
    """Whether ``--db`` / ``CONTACTDESK_DB`` names a PostgreSQL server rather than a file."""
    return isinstance(location, str) and location.strip().lower().startswith(URI_SCHEMES)


def shown_uri(uri: str) -> str:
    """The URI as it may be shown or logged: any password replaced by ***."""
    return re.sub(r"^(\w+://[^:/@?]*):[^@/?]+@", r"\1:***@", uri.strip())


class ServerDatabase(pw.PostgresqlDatabase):
    """PostgreSQL through psycopg 3, connected with the user's URI as given.

    The store writes its literal SQL for the engine it runs on (``db.param`` or
    ``statements.marker``): ``%s`` here, ``?`` in a file; nothing is rewritten on the way.
    """

    def __init__(self, uri: str):
        from .driver import give_peewee_psycopg

        give_peewee_psycopg()  # before peewee picks its adapter
        self.uri = uri
        super().__init__(shown_uri(uri), prefer_psycopg3=True, autoconnect=True)

    def _connect(self):
        import psycopg

        conn = psycopg.connect(self.uri, autocommit=True)
        return conn

    def execute(self, query, **context_options):
        ctx = self.get_sql_context(**context_options)
        sql, params = ctx.sql(query).query()
        return self._execute_cursor(sql, params)


def require_driver() -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        # Installed but broken (a missing piece of it) reads the same to people; the log says which.
        log.info("psycopg cannot be imported: %s", exc)
        raise TeamExtraMissing() from None


def is_server(database=None) -> bool:
    """Whether the bound database (or ``database``) is a PostgreSQL server."""
    from .models import db

    return isinstance(database if database is not None else db.obj, pw.PostgresqlDatabase)


def open_server(uri: str) -> pw.PostgresqlDatabase:
    """Bind the model proxy to the server database at ``uri``, migrating it as needed.

    Raises connection.DatabaseError (a message for people) when it cannot be used."""
    from .connection import DatabaseError, mark_opened
    from .migrations import SchemaTooNewError
    from .models import db
    from .pg_schema import ForeignDatabase

    try:
        require_driver()
    except TeamExtraMissing as exc:
        raise DatabaseError(str(exc)) from None
    import psycopg

    database = ServerDatabase(uri.strip())
    where = shown_uri(uri)
    try:
        database.connect(reuse_if_open=True)
    except (pw.OperationalError, psycopg.OperationalError) as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        reason = " ".join(lines) if lines else type(exc).__name__
        raise DatabaseError(f"Cannot connect to the team database {where}: {reason}") from None
    except psycopg.ProgrammingError as exc:  # a URI libpq cannot read
        raise DatabaseError(f"{where} is not a PostgreSQL connection URI that works: {exc}") from None
    db.initialize(database)
    mark_opened(None, read_only=False, server=where)
    try:
        from .migrations import migrate

        migrate(database)
    except (SchemaTooNewError, ForeignDatabase) as exc:
        database.close()
        raise DatabaseError(f"The team database {where} cannot be used: {exc}.") from None
    except (pw.DatabaseError, psycopg.Error) as exc:
        database.close()
        raise DatabaseError(f"The team database {where} could not be prepared: {exc}".strip()) from None
    log.debug("team database open at %s", where)
    return database
