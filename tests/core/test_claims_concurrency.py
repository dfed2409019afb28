"""Eight callers working one campaign at once: every contact is claimed once and marked once."""

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from contactdesk.store import close_db
from contactdesk.store.models import Contact
from team_data import add_campaign

WORKER = Path(__file__).parent.parent / "claim_worker.py"
CALLERS, CONTACTS = 8, 10_000


@pytest.mark.slow
def test_eight_processes_claim_and_mark_each_contact_exactly_once(engine_db):
    campaign = add_campaign("Everyone at once", CONTACTS)
    close_db()  # the workers have the database to themselves

    started = time.monotonic()
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), engine_db.location, str(campaign), f"caller {n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(CALLERS)
    ]
    claimed_by = {}
    for n, worker in enumerate(workers):
        out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err
        claimed_by[f"caller {n}"] = json.loads(out)
    elapsed = time.monotonic() - started

    claims = Counter(contact_id for ids in claimed_by.values() for contact_id in ids)
    assert len(claims) == CONTACTS and set(claims.values()) == {1}  # each contact claimed exactly once
    assert sum(1 for ids in claimed_by.values() if ids) > 1  # the callers really worked side by side
    marked = {
        contact.id: (contact.status, contact.marked_by, contact.claimed_by)
        for contact in Contact.select(Contact.id, Contact.status, Contact.marked_by, Contact.claimed_by)
    }
    expected = {contact_id: ("completed", caller, None) for caller, ids in claimed_by.items() for contact_id in ids}
    assert marked == expected  # one result each, by the caller who claimed it
    print(f"{engine_db.engine}: {CONTACTS:,} claims and results by {CALLERS} processes in {elapsed:.1f} s")
