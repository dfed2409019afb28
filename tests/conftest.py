import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# GUI tests run headless; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The tests never touch the user's real folders: data, config, state (the log) and cache all
# point at one temporary folder for the session, before anything asks platformdirs or Qt.
_USER_FOLDERS = Path(tempfile.mkdtemp(prefix="contactdesk-tests-"))
atexit.register(shutil.rmtree, _USER_FOLDERS, ignore_errors=True)
for _variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_variable] = str(_USER_FOLDERS / _variable.removeprefix("XDG_").removesuffix("_HOME").lower())
os.environ.pop("CONTACTDESK_DB", None)

DATA = Path(__file__).parent / "data"

# engine_db and the PostgreSQL server of the session (tests/pg_server.py).
pytest_plugins = ["pg_server"]


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def db_path(tmp_path, monkeypatch) -> Path:
    """A fresh database through the real init_db, bound for the test."""
    from contactdesk.store import close_db, init_db

    path = tmp_path / "contactdesk.sqlite3"
    monkeypatch.setenv("CONTACTDESK_DB", str(path))
    init_db(path)
    yield path
    close_db()


@pytest.fixture
def campaign(db_path):
    from contactdesk.core.campaigns import create_campaign

    return create_campaign("Spring outreach")


@pytest.fixture
def write_csv(tmp_path):
    """Write text (or bytes) to a CSV file in tmp_path and return its path."""
    counter = iter(range(10_000))

    def write(content, name: str | None = None, encoding: str = "utf-8") -> Path:
        path = tmp_path / (name or f"file{next(counter)}.csv")
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode(encoding))
        return path

    return write


def database_schema(path) -> list[tuple]:
    """Every table and index of the database file, with its SQL, in a stable order.

    Leaves out the archive tables imports make (one per import that replaced contacts).
    """
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return sorted(
            conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                " AND name NOT LIKE 'import_archive_%'"
            )
        )
    finally:
        conn.close()


@pytest.fixture
def schema_of():
    return database_schema


def database_at_version(path, version: int):
    """A database file as an earlier ContactDesk left it: the migration steps up to ``version``.

    Returns an open sqlite3 connection to it, for the test to fill with rows of that time."""
    import sqlite3

    import peewee as pw

    from contactdesk.store.migrations import STEPS
    from contactdesk.store.search import add_fold_function

    database = pw.SqliteDatabase(str(path))
    add_fold_function(database)  # step 4 fills the folded search text with it
    database.execute_sql("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    for number, _description, step in STEPS:
        if number <= version:
            with database.atomic():
                step(database)
    database.execute_sql("INSERT INTO schema_version (version) VALUES (?)", (version,))
    database.close()
    return sqlite3.connect(path)


@pytest.fixture
def old_database():
    """``old_database(path, version)``: see database_at_version."""
    return database_at_version
