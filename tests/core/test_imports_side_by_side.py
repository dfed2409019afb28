"""Imports while others work: two imports into one campaign at once, and contacts a caller holds
during a re-import. On both engines (a file, and a PostgreSQL server)."""

import threading
from datetime import UTC, datetime, timedelta

import pytest

from contactdesk.core.campaigns import create_campaign
from contactdesk.core.importer import import_file
from contactdesk.store import Contact, ImportRun, claims
from contactdesk.store.models import KEEP_PENDING


def numbers(start: int, count: int) -> str:
    return "phone\n" + "".join(f"212555{n:04d}\n" for n in range(start, start + count))


class PausedImport(threading.Thread):
    """An import on a thread of its own that stops inside its transaction until released."""

    def __init__(self, campaign_id: int, path, caller: str):
        super().__init__(daemon=True)
        self.campaign_id, self.path, self.caller = campaign_id, path, caller
        self.inside, self.release = threading.Event(), threading.Event()
        self.result = None

    def _progress(self, rows, done, total):
        self.inside.set()
        assert self.release.wait(30)

    def run(self):
        from contactdesk.store.models import db

        try:
            self.result = import_file(
                self.campaign_id, self.path, mode=KEEP_PENDING, caller=self.caller, progress=self._progress
            )
        finally:
            self.inside.set()
            db.close()


def test_a_second_import_into_a_campaign_waits_on_a_file_or_is_refused_on_a_server(engine_db, write_csv):
    campaign = create_campaign("Spring").id
    first = PausedImport(campaign, write_csv(numbers(0, 50)), caller="Ann Ökland")
    first.start()
    assert first.inside.wait(30)

    if engine_db.engine == "postgresql":
        second = import_file(campaign, write_csv(numbers(100, 30)), mode=KEEP_PENDING, caller="Bob")
        assert not second.success and second.status == 500
        assert second.message.startswith("An import into this campaign is running (started by Ann Ökland at 20")
        assert second.message.endswith("); nothing was changed.")
        first.release.set()
        first.join(30)
        second = import_file(campaign, write_csv(numbers(100, 30)), mode=KEEP_PENDING, caller="Bob")
    else:
        # SQLite lets one writer at a time: the second import waits for the first to finish.
        waiting = threading.Timer(0.3, first.release.set)
        waiting.start()
        second = import_file(campaign, write_csv(numbers(100, 30)), mode=KEEP_PENDING, caller="Bob")
        first.join(30)
        waiting.join()

    assert first.result.success and second.success, (first.result.message, second.message)
    assert (first.result.imported_count, second.imported_count) == (50, 30)
    assert Contact.select().where(Contact.campaign == campaign).count() == 80
    assert [run.outcome for run in ImportRun.select().order_by(ImportRun.id)] == ["success", "success"]


@pytest.mark.postgresql
def test_imports_into_two_campaigns_of_a_server_run_side_by_side(pg_database_uri, write_csv):
    from contactdesk.store import close_db, init_db
    from contactdesk.store.models import Location

    init_db(pg_database_uri)
    try:
        spring, autumn = create_campaign("Spring").id, create_campaign("Autumn").id
        first = PausedImport(spring, write_csv(numbers(0, 20)), caller="Ann")  # New York numbers
        first.start()
        assert first.inside.wait(30)
        # Meanwhile Los Angeles numbers land in another campaign, and take the first new location's id.
        other = import_file(autumn, write_csv(numbers(0, 20).replace("212555", "213555")), caller="Bob")
        first.release.set()
        first.join(30)

        assert other.success and first.result.success, first.result.message
        located = Contact.select(Contact.campaign, Location.state).join(Location, on=Contact.location_id == Location.id)
        assert sorted(set(located.tuples())) == [(spring, "NY"), (autumn, "CA")]
        assert Contact.select().count() == 40
    finally:
        close_db()


def test_a_reimport_keeps_the_contacts_callers_hold_now_and_says_so(engine_db, write_csv):
    campaign = create_campaign("Spring").id
    assert import_file(campaign, write_csv(numbers(0, 4))).imported_count == 4
    held = claims.claim_next(campaign, "Ann", datetime.now(UTC))
    walked_away = Contact.select().where(Contact.id != held).order_by(Contact.id).first()
    long_ago = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=claims.CLAIM_MINUTES + 5)
    Contact.update(claimed_by="Bob", claimed_at=long_ago).where(Contact.id == walked_away.id).execute()
    held_number = Contact.get_by_id(held).phone_number

    result = import_file(campaign, write_csv("phone\n" + held_number + "\n2125559999\n"))

    assert result.success
    assert result.removed_count == 3 and result.claimed_kept_count == 1
    assert "1 pending contact was kept: a caller holds it right now." in result.message
    assert (result.imported_count, result.duplicates_in_campaign) == (1, 1)
    kept = Contact.get_by_id(held)
    assert (kept.claimed_by, kept.status, kept.phone_number) == ("Ann", "pending", held_number)
    assert sorted(c.phone_number for c in Contact.select()) == sorted([held_number, "+12125559999"])


@pytest.mark.postgresql
def test_the_command_line_names_who_is_importing_into_the_campaign(pg_database_uri, write_csv):
    import os
    import subprocess
    import sys

    from contactdesk.store import close_db, init_db

    init_db(pg_database_uri)
    try:
        campaign = create_campaign("Spring").id
        first = PausedImport(campaign, write_csv(numbers(0, 20)), caller="Ann")
        first.start()
        assert first.inside.wait(30)
        env = {**os.environ, "CONTACTDESK_DB": pg_database_uri}
        refused = subprocess.run(
            [sys.executable, "-m", "contactdesk", "import", str(campaign), str(write_csv(numbers(100, 5)))],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        first.release.set()
        first.join(30)
    finally:
        close_db()

    assert refused.returncode == 5
    assert refused.stdout.startswith("An import into this campaign is running (started by Ann at ")
    assert "Traceback" not in refused.stderr
    assert first.result.success and first.result.imported_count == 20
