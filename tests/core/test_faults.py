"""What happens to a person's data when things go wrong during an import."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from contactdesk.core.contacts import mark_phones
from contactdesk.core.importer import import_file
from contactdesk.store import db


def campaign_state(path, campaign_id=1):
    conn = sqlite3.connect(path)
    try:
        return sorted(
            conn.execute(
                "SELECT phone_number, name, status, variables FROM contact WHERE campaign_id = ?", (campaign_id,)
            )
        )
    finally:
        conn.close()


def integrity(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_disk_full_is_a_500_that_changes_nothing_and_the_app_stays_usable(campaign, write_csv, db_path):
    import_file(campaign.id, write_csv("phone,name\n2125550101,Ann\n2125550102,Bob\n"))
    mark_phones(campaign.id, "completed", ["2125550101"])
    before = campaign_state(db_path)
    conn = db.connection()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 20}")  # room for a few rows, not 20,000
    big = write_csv("phone,name,notes\n" + "".join(f"212555{n:04d},Person {n},{'x' * 80}\n" for n in range(2000, 9999)))
    result = import_file(campaign.id, big)
    assert result.status == 500 and not result.success
    assert "disk is full" in result.message and "Nothing was changed" in result.message
    assert campaign_state(db_path) == before
    assert integrity(db_path) == "ok"

    conn.execute("PRAGMA max_page_count = 1073741823")  # space again: the next import works
    assert import_file(campaign.id, write_csv("phone\n2125550199\n")).success


def test_a_locked_database_is_a_clear_500_not_a_traceback(campaign, write_csv, db_path):
    before = campaign_state(db_path)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program is writing
    try:
        db.connection().execute("PRAGMA busy_timeout = 200")
        result = import_file(campaign.id, write_csv("phone\n2125550101\n"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.status == 500
    assert "in use by another program" in result.message
    assert campaign_state(db_path) == before
    # Once the other program is done, importing works again.
    assert import_file(campaign.id, write_csv("phone\n2125550101\n")).imported_count == 1


KILL_TRIALS = 20


def import_and_kill(cli, source, env, after_seconds):
    """Start a CLI import of ``source`` into campaign 1 and kill -9 it after that long."""
    process = subprocess.Popen(
        [*cli, "import", "1", str(source)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(after_seconds)
    process.send_signal(signal.SIGKILL)
    process.wait()


def write_big_csv(path):
    with path.open("w") as handle:
        handle.write("phone,name,plan\n")
        for n in range(120_000):
            handle.write(f"({200 + n % 700}) {n // 700 % 800 + 200:03d}-{n % 10000:04d},Person {n},gold\n")
    return path


@pytest.mark.slow
def test_kill_during_import_leaves_before_or_after_never_a_mix(tmp_path):
    """kill -9 at random moments: the campaign holds exactly its old contacts or the complete import."""
    env = {**os.environ, "CONTACTDESK_DB": str(tmp_path / "kill.sqlite3")}
    cli = [sys.executable, "-m", "contactdesk"]

    def run(*args, **kwargs):
        return subprocess.run([*cli, *map(str, args)], env=env, capture_output=True, text=True, timeout=120, **kwargs)

    source = write_big_csv(tmp_path / "big.csv")
    first = tmp_path / "first.csv"
    first.write_text("phone,name\n" + "".join(f"21255501{n:02d},Old {n}\n" for n in range(50)))
    assert run("campaign", "create", "Big").returncode == 0
    assert run("import", 1, first).returncode == 0
    assert run("contacts", "mark", 1, "completed", "2125550101", "2125550102").returncode == 0
    db_file = tmp_path / "kill.sqlite3"
    before = campaign_state(db_file)

    reference_env = {**env, "CONTACTDESK_DB": str(tmp_path / "reference.sqlite3")}
    conn = sqlite3.connect(db_file)
    conn.execute(f"VACUUM INTO '{tmp_path / 'reference.sqlite3'}'")
    conn.close()
    started = time.monotonic()
    done = subprocess.run([*cli, "import", "1", str(source)], env=reference_env, capture_output=True, timeout=300)
    full_run = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    after = campaign_state(tmp_path / "reference.sqlite3")
    assert after != before

    rng = random.Random(20261129)
    outcomes = {"before": 0, "after": 0}
    for _ in range(KILL_TRIALS):
        import_and_kill(cli, source, env, after_seconds=rng.uniform(0.05, full_run * 1.1))
        assert integrity(db_file) == "ok"
        state = campaign_state(db_file)
        assert state in (before, after), "the campaign holds a mix of old and new contacts"
        outcomes["before" if state == before else "after"] += 1
        if state == after:  # start the next trial from the old contacts again
            conn = sqlite3.connect(db_file)
            conn.execute("DELETE FROM contact WHERE status = 'pending'")
            conn.executemany(
                "INSERT INTO contact (campaign_id, phone_number, phone_raw, name, email, company, variables,"
                " status, created_at, updated_at) VALUES (1, ?, '', ?, '', '', ?, ?, '', '')",
                [(p, n, v, s) for p, n, s, v in before if s == "pending"],
            )
            conn.commit()
            conn.close()
            assert campaign_state(db_file) == before
    assert outcomes["before"] > 0  # most kills land mid-import


@pytest.mark.slow
def test_kill_during_a_reimport_that_rebuilds_the_indexes_loses_nothing(tmp_path, schema_of):
    """Replacing every contact drops and rebuilds the contact indexes inside the transaction."""
    env = {**os.environ, "CONTACTDESK_DB": str(tmp_path / "kill.sqlite3")}
    cli = [sys.executable, "-m", "contactdesk"]
    db_file = tmp_path / "kill.sqlite3"
    source = write_big_csv(tmp_path / "big.csv")
    subprocess.run([*cli, "campaign", "create", "Big"], env=env, check=True, capture_output=True)
    started = time.monotonic()
    subprocess.run([*cli, "import", "1", str(source)], env=env, check=True, capture_output=True, timeout=300)
    full_run = time.monotonic() - started
    contacts, tables_and_indexes = campaign_state(db_file), schema_of(db_file)

    rng = random.Random(20261130)
    for _ in range(8):
        import_and_kill(cli, source, env, after_seconds=rng.uniform(0.05, full_run * 1.1))
        assert integrity(db_file) == "ok"
        assert schema_of(db_file) == tables_and_indexes
        assert campaign_state(db_file) == contacts
    # and the unique index still does its work
    done = subprocess.run([*cli, "import", "1", str(source)], env=env, capture_output=True, timeout=300)
    assert done.returncode == 0 and campaign_state(db_file) == contacts


def undo_and_kill(cli, env, after_seconds):
    """Start a CLI undo of campaign 1's latest import and kill -9 it after that long."""
    process = subprocess.Popen(
        [*cli, "undo", "1", "--yes"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(after_seconds)
    process.send_signal(signal.SIGKILL)
    process.wait()


def copy_database(source, target):
    """A consistent copy of ``source`` at ``target`` (no WAL left beside it)."""
    for suffix in ("", "-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    conn = sqlite3.connect(source)
    conn.execute(f"VACUUM INTO '{target}'")
    conn.close()


@pytest.mark.slow
def test_kill_during_an_undo_leaves_the_import_or_its_undo_never_a_mix(tmp_path):
    """kill -9 at random moments of an undo: the campaign is as after the import or as after the undo."""
    db_file = tmp_path / "kill.sqlite3"
    env = {**os.environ, "CONTACTDESK_DB": str(db_file)}
    cli = [sys.executable, "-m", "contactdesk"]

    def run(*args, environment=env):
        done = subprocess.run([*cli, *map(str, args)], env=environment, capture_output=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done

    first = write_big_csv(tmp_path / "first.csv")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(first.read_text().replace("Person", "Wrong").replace("gold", "tin"))
    run("campaign", "create", "Big")
    run("import", 1, first)
    run("contacts", "mark", 1, "completed", "(200) 200-0000")
    undone_state = campaign_state(db_file)
    run("import", 1, wrong)
    imported_state = campaign_state(db_file)
    pristine = tmp_path / "pristine.sqlite3"
    copy_database(db_file, pristine)

    reference = tmp_path / "reference.sqlite3"
    copy_database(pristine, reference)
    started = time.monotonic()
    run("undo", 1, "--yes", environment={**env, "CONTACTDESK_DB": str(reference)})
    full_run = time.monotonic() - started
    assert campaign_state(reference) == undone_state

    rng = random.Random(20261201)
    outcomes = {"imported": 0, "undone": 0}
    for _ in range(8):
        undo_and_kill(cli, env, after_seconds=rng.uniform(0.05, full_run * 1.1))
        assert integrity(db_file) == "ok"
        state = campaign_state(db_file)
        assert state in (imported_state, undone_state), "the campaign holds a mix of the import and its undo"
        outcomes["imported" if state == imported_state else "undone"] += 1
        if state == undone_state:  # start the next trial from the import again
            db_file.unlink()
            copy_database(pristine, db_file)
    assert outcomes["imported"] > 0  # most kills land mid-undo
    # and after all that, the undo still works
    run("undo", 1, "--yes")
    assert campaign_state(db_file) == undone_state


def server_campaign_state(uri, campaign_id=1):
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        contacts = conn.execute(
            "SELECT phone_number, name, status, variables FROM contact WHERE campaign_id = %s ORDER BY phone_number",
            (campaign_id,),
        ).fetchall()
        runs = conn.execute("SELECT id, outcome FROM import_run ORDER BY id").fetchall()
        archives = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'import_archive_%'"
        ).fetchone()[0]
        return contacts, runs, archives


def server_imports_running(uri) -> int:
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'contactdesk import by %%'"
        ).fetchone()[0]


@pytest.mark.slow
@pytest.mark.postgresql
def test_kill_during_an_import_into_a_server_database_leaves_the_campaign_as_before(tmp_path, pg_database_uri):
    """kill -9 of the importing program while its rows stream in, into a campaign with contacts
    (merged batch by batch) and into an empty one (one COPY into the contact table): the server
    rolls the transaction back, each campaign is as before, and the next import is not kept
    waiting by a stale lock."""
    env = {**os.environ, "CONTACTDESK_DB": pg_database_uri}
    cli = [sys.executable, "-m", "contactdesk"]

    def run(*args):
        return subprocess.run([*cli, *map(str, args)], env=env, capture_output=True, text=True, timeout=120)

    source = tmp_path / "big.csv"
    with source.open("w") as handle:
        handle.write("phone,name,plan\n")
        for n in range(60_000):
            handle.write(f"({200 + n % 700}) {n // 700 % 800 + 200:03d}-{n % 10000:04d},Person {n},gold\n")
    first = tmp_path / "first.csv"
    first.write_text("phone,name\n" + "".join(f"21255501{n:02d},Old {n}\n" for n in range(50)))
    assert run("campaign", "create", "Big").returncode == 0
    assert run("import", 1, first).returncode == 0
    assert run("contacts", "mark", 1, "completed", "2125550101", "2125550102").returncode == 0
    assert run("campaign", "create", "Empty").returncode == 0
    before = server_campaign_state(pg_database_uri)
    empty_before = server_campaign_state(pg_database_uri, campaign_id=2)

    rng = random.Random(20261202)
    for campaign_id in (1, 2, 1, 2):
        process = subprocess.Popen(
            [*cli, "import", str(campaign_id), str(source)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while not server_imports_running(pg_database_uri):  # its transaction has begun
            assert process.poll() is None and time.monotonic() < deadline, "the import did not start"
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.5))
        assert process.poll() is None, "the import finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait()
        while server_imports_running(pg_database_uri):  # the server notices the program is gone
            assert time.monotonic() < deadline + 30
            time.sleep(0.05)
        assert server_campaign_state(pg_database_uri) == before
        assert server_campaign_state(pg_database_uri, campaign_id=2) == empty_before

    done = run("import", 1, source)
    assert done.returncode == 0, done.stderr
    assert server_campaign_state(pg_database_uri) != before
    done = run("import", 2, source)
    assert done.returncode == 0, done.stderr
    assert len(server_campaign_state(pg_database_uri, campaign_id=2)[0]) == 60_000
