"""An import's writes on a PostgreSQL server: rows streamed with COPY, in the import's one transaction.

Into a campaign that has no contact when the file's import starts (a first import, or a
re-import that replaced every contact), each batch of rows streams with ``COPY contact … FROM
STDIN`` straight into the contact table, in file order; the first occurrence of a number wins, as on
SQLite, because later ones are left out here (the campaign has no other number to collide with,
and no other import can run into it: see the lock below). The server stores and indexes the
rows while the next ones are read, on the other core.

Into a campaign that has contacts, each batch is streamed into ``import_batch``, a temporary
table of this connection that goes away with the transaction, and merged into the contact
table with ``INSERT … SELECT … ON CONFLICT (campaign_id, phone_number) DO NOTHING`` in file
order. Either way a failure, a cancel, a dry run or a killed program leaves nothing.

Two imports into one campaign never run at once: the import holds a transaction-scoped
advisory lock keyed by the campaign, and names its caller in its session's application_name,
so a second one is refused at once with who started the first and when.
"""

from datetime import datetime
from urllib.parse import quote, unquote

from .contact_import import COLUMNS, BatchTarget
from .models import PENDING

# Rows per COPY and merge: also how often progress and cancel are checked (100 times per million
# rows). Measured, 200k rows, same run: 4,000 rows per COPY 1.03-1.16 s of COPY and TRUNCATE,
# 10,000 rows 0.69-0.75 s; the merge into the indexed contact table costs 3-4 times more either way.
ROWS_PER_COPY = 10_000

_BATCH_TABLE = "import_batch"
_BATCH_TYPES = {"location_id": "INTEGER", "source_row": "INTEGER"}  # the others are text
_CREATE_BATCH_TABLE = (
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {_BATCH_TABLE} ("
    + ", ".join(f"{name} {_BATCH_TYPES.get(name, 'TEXT')}" for name in COLUMNS)
    + ") ON COMMIT DROP"
)
_COPY = f"COPY {_BATCH_TABLE} ({', '.join(COLUMNS)}) FROM STDIN"
_INSERTED = (
    "campaign_id, phone_number, phone_raw, name, email, company, variables, location_id, search_text,"
    " status, source_row, import_run_id, created_at, updated_at"
)
_ROW_VALUES = ", ".join(f"batch.{name}" for name in COLUMNS[:-1])
# A number the campaign had before this import and still has (see contact_import.BatchTarget).
_KEPT_BEFORE = (
    "EXISTS (SELECT 1 FROM contact AS kept WHERE kept.campaign_id = %s AND kept.phone_number = batch.phone_number"
    " AND kept.id <= %s)"
)


def server_batch_writer(conn, target: BatchTarget):
    """The writer of one file's batches (contact_import.BatchInsert's methods) for this campaign."""
    if target.empty_campaign:
        return StreamIntoContact(conn, target)
    return ServerBatchInsert(conn, target)


# The row values in COLUMNS' order, then the values shared by every row.
_STREAM = f"COPY contact ({', '.join(COLUMNS)}, campaign_id, status, import_run_id, created_at, updated_at) FROM STDIN"


class StreamIntoContact:
    """The bulk insert of one file's batches into a campaign without contacts: a COPY per batch."""

    def __init__(self, conn, target: BatchTarget):
        self.conn = conn
        self._shared = [target.campaign_id, PENDING, target.run_id, target.stamp, target.stamp]
        # Numbers written so far, as integers: half the memory of the strings (a million: ~64 MB).
        self._written: set = set()

    def count_already_there(self, values: list, rows: int) -> int:
        return 0  # the campaign had no contact

    def insert(self, values: list, rows: int) -> int:
        """Stream the batch's rows whose number is new (a row without one is left out); how many.

        A COPY per batch rather than one for the file: the server checks the foreign keys of a
        statement's rows when it ends, and meanwhile the next batch is read (measured, 1M rows:
        17.7-18.5 s a COPY per 10,000 rows, 21.5-22.1 s one COPY)."""
        written, shared = self._written, self._shared
        width = len(COLUMNS)
        count = 0
        with self.conn.cursor() as cursor, cursor.copy(_STREAM) as copy:
            write_row = copy.write_row
            for start in range(0, len(values), width):
                phone = values[start]
                if phone is None:
                    continue
                try:
                    key = int(phone)  # an E.164 number: "+" and digits
                except ValueError:
                    key = phone
                if key in written:
                    continue
                written.add(key)
                write_row(values[start : start + width] + shared)
                count += 1
        return count


class ServerBatchInsert:
    """The bulk insert of one file's batches into a campaign with contacts (see the module's docstring)."""

    def __init__(self, conn, target: BatchTarget):
        self.conn, self.target = conn, target
        self._copied: list | None = None
        self._kept_values = [target.campaign_id, target.existing_max_id]
        conn.execute(_CREATE_BATCH_TABLE)
        self._insert_sql = (
            f"INSERT INTO contact ({_INSERTED})"
            f" SELECT %s::integer, {_ROW_VALUES}, %s::text, batch.source_row, %s::integer,"
            " %s::timestamp, %s::timestamp"
            f" FROM {_BATCH_TABLE} AS batch"
            + (f" WHERE NOT {_KEPT_BEFORE}" if target.had_contacts else "")
            + " ORDER BY batch.source_row"  # file order: the first occurrence of a number wins
            + " ON CONFLICT (campaign_id, phone_number) DO NOTHING"
        )
        self._head = [target.campaign_id, PENDING, target.run_id, target.stamp, target.stamp]

    def _copy(self, values: list) -> None:
        self.conn.execute(f"TRUNCATE {_BATCH_TABLE}")
        width = len(COLUMNS)
        with self.conn.cursor() as cursor, cursor.copy(_COPY) as copy:
            write_row = copy.write_row
            for start in range(0, len(values), width):
                write_row(values[start : start + width])
        self._copied = values

    def count_already_there(self, values: list, rows: int) -> int:
        """Stream the batch to the server; how many of its rows have a number the campaign had before."""
        self._copy(values)
        if not self.target.had_contacts:
            return 0
        sql = f"SELECT count(*) FROM {_BATCH_TABLE} AS batch WHERE {_KEPT_BEFORE}"
        return self.conn.execute(sql, self._kept_values).fetchone()[0]

    def insert(self, values: list, rows: int) -> int:
        """Merge the batch (a row whose number was taken out is skipped); returns how many rows went in."""
        if values is not self._copied:
            self._drop_rows_without_number(values)
        tail = self._kept_values if self.target.had_contacts else []
        return self.conn.execute(self._insert_sql, [*self._head, *tail]).rowcount

    def _drop_rows_without_number(self, values: list) -> None:
        # The do-not-call check took numbers out after the batch was streamed (core/suppression.py).
        width, row_at = len(COLUMNS), COLUMNS.index("source_row")
        dropped = [values[start + row_at] for start in range(0, len(values), width) if values[start] is None]
        if dropped:
            self.conn.execute(f"DELETE FROM {_BATCH_TABLE} WHERE source_row = ANY(%s)", (dropped,))


# The advisory lock of an import into campaign N is (_IMPORT_LOCK, N): a constant of its own,
# apart from the migration lock (store/pg_schema.py).
_IMPORT_LOCK = 0x496D7072  # "Impr"
_APPLICATION = "contactdesk import by "  # + the caller, percent-encoded (the server keeps ASCII only)
_NAME_LIMIT = 63  # PostgreSQL keeps this many bytes of an application_name


class ImportRunning(Exception):
    """Another import into the campaign holds its lock; who started it and when, when the server says."""

    def __init__(self, caller: str | None, started_at: datetime | None):
        self.caller, self.started_at = caller, started_at
        who = caller or "another caller"
        when = f" at {started_at.astimezone().strftime('%Y-%m-%d %H:%M:%S')}" if started_at else ""
        super().__init__(f"An import into this campaign is running (started by {who}{when}); nothing was changed.")


def lock_campaign(conn, campaign_id: int, caller: str) -> None:
    """Inside the import's transaction: take the campaign's import lock, or raise ImportRunning."""
    locked = conn.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (_IMPORT_LOCK, int(campaign_id))).fetchone()[0]
    if not locked:
        raise ImportRunning(*_lock_holder(conn, campaign_id))
    encoded = quote(caller, safe=" @.-_")[: _NAME_LIMIT - len(_APPLICATION)]
    cut = encoded.find("%", len(encoded) - 2)
    if cut >= 0:  # never cut a %XX in half
        encoded = encoded[:cut]
    conn.execute("SELECT set_config('application_name', %s, true)", (_APPLICATION + encoded,))


def _lock_holder(conn, campaign_id: int) -> tuple[str | None, datetime | None]:
    """The caller and start of the transaction holding the campaign's import lock (None: not visible)."""
    found = conn.execute(
        "SELECT activity.application_name, activity.xact_start FROM pg_locks AS lock"
        " JOIN pg_stat_activity AS activity ON activity.pid = lock.pid"
        " WHERE lock.locktype = 'advisory' AND lock.granted AND lock.classid = %s AND lock.objid = %s"
        " AND lock.objsubid = 2 LIMIT 1",
        (_IMPORT_LOCK, int(campaign_id)),
    ).fetchone()
    if found is None:
        return None, None
    application, started_at = found
    caller = (
        unquote(application.removeprefix(_APPLICATION))
        if application and application.startswith(_APPLICATION)
        else None
    )
    return caller or None, started_at
