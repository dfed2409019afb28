import pytest

from contactdesk.__main__ import main
from contactdesk.store import close_db


@pytest.fixture
def cli(tmp_path, capsys):
    """Run `contactdesk ARGS --db tmp` in-process; returns (exit code, stdout, stderr).
    ``cli.db`` is the database file."""
    db = tmp_path / "cli.sqlite3"

    def run(*args):
        code = main([*map(str, args), "--db", str(db)])
        close_db()
        out, err = capsys.readouterr()
        return code, out, err

    run.db = db
    return run


@pytest.fixture
def engine_cli(engine_db, capsys):
    """As ``cli``, once on each engine (tests/pg_server.py): ``engine_cli.db`` is the --db value,
    ``engine_cli.engine`` "sqlite" or "postgresql". The test's database is also bound in-process."""

    def run(*args):
        code = main([*map(str, args), "--db", engine_db.location])
        close_db()
        out, err = capsys.readouterr()
        return code, out, err

    run.db, run.engine = engine_db.location, engine_db.engine
    return run
