"""Both engines for the tests: SQLite files, and a real PostgreSQL server for the session.

The server is pgserver's PostgreSQL 16 (started once, in well under a second, with no system
install), or the one ``CONTACTDESK_TEST_PG=postgresql://…`` names (its user must be allowed to
create databases). Each test gets a database of its own, dropped afterwards.

A test opts in to both engines by taking ``engine_db`` (a bound, migrated database) or by
parametrizing over ``ENGINES`` itself; ``-m "not postgresql"`` leaves the server out.
"""

import itertools
import os
import shutil
import tempfile
import urllib.parse
from typing import NamedTuple

import pytest

ENGINES = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql))
_database_numbers = itertools.count(1)


class EngineDb(NamedTuple):
    engine: str  # "sqlite" or "postgresql"
    location: str  # what --db and CONTACTDESK_DB take: a file path or a postgresql:// URI


def database_uri(server_uri: str, name: str) -> str:
    """The URI of database ``name`` on the server of ``server_uri``."""
    parts = urllib.parse.urlsplit(server_uri)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def pg_server_uri():
    """A URI of the session's PostgreSQL server (its maintenance database)."""
    given = os.environ.get("CONTACTDESK_TEST_PG", "").strip()
    if given:
        yield given
        return
    pgserver = pytest.importorskip("pgserver", reason="the PostgreSQL tests need pgserver: pip install -e '.[test]'")
    # A short folder: the server's Unix socket lives in it, and socket paths are limited to ~100 bytes.
    folder = tempfile.mkdtemp(prefix="cdpg-")
    server = pgserver.get_server(folder, cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_database_uri(pg_server_uri):
    """A new, empty database on the session's server, for this test only."""
    psycopg = pytest.importorskip("psycopg")
    from psycopg import sql

    name = f"contactdesk_test_{os.getpid()}_{next(_database_numbers)}"
    with psycopg.connect(pg_server_uri, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        # A test database need not survive a power cut: commits do not wait for the disk.
        admin.execute(sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(sql.Identifier(name)))
    yield database_uri(pg_server_uri, name)
    with psycopg.connect(pg_server_uri, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(params=ENGINES)
def engine_db(request, tmp_path, monkeypatch):
    """A fresh database through the real init_db, bound for the test, once on each engine."""
    from contactdesk.store import close_db, init_db

    if request.param == "sqlite":
        location = str(tmp_path / "contactdesk.sqlite3")
    else:
        location = request.getfixturevalue("pg_database_uri")
    monkeypatch.setenv("CONTACTDESK_DB", location)
    init_db(location)
    yield EngineDb(request.param, location)
    close_db()


def execute_on(location: str, sql: str, params=None) -> list[tuple]:
    """Run one statement on the test's database from outside the program (``?`` marks values on
    a file, ``%s`` on a server); returns its rows, if any, and commits."""
    if location.startswith("postgresql"):
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    import sqlite3

    conn = sqlite3.connect(location)
    try:
        rows = conn.execute(sql, params or ()).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()
