"""An existing database gets each stored contact's time zone and state when it is upgraded."""

import sqlite3
import time

import pytest

from contactdesk.core.timezones import NumberLocations
from contactdesk.store import close_db, init_db
from contactdesk.store.migrations import STEPS

NUMBERS = [
    "+12125550147",  # New York
    "+16052015555",  # South Dakota, Central exchange
    "+16052095555",  # South Dakota, Mountain exchange
    "+16059995555",  # South Dakota, exchange without data: uncertain
    "+18005550147",  # toll-free
    "+19075550147",  # Alaska
    "+18085550147",  # Hawaii
    "+4930123456",  # Berlin
    "+447911123456",  # a UK mobile
]


def _schema_2_database(path, numbers) -> None:
    """A database as ContactDesk left it before schema 3, with these contacts."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    raw = type("Raw", (), {"execute_sql": lambda self, sql, params=(): conn.execute(sql, params)})()
    for _, _, step in STEPS[:2]:
        step(raw)
    conn.execute("INSERT INTO schema_version VALUES (2)")
    conn.execute("INSERT INTO campaign (name, notes, created_at) VALUES ('Old', '', '2026-01-01')")
    conn.executemany(
        "INSERT INTO contact (campaign_id, phone_number, phone_raw, name, email, company, variables, status,"
        " created_at, updated_at) VALUES (1, ?, '', '', '', '', '{}', 'pending', '2026-01-01', '2026-01-01')",
        [(number,) for number in numbers],
    )
    conn.commit()
    conn.close()


def _stored(path) -> dict[str, tuple]:
    conn = sqlite3.connect(path)
    try:
        return {
            number: (zones, state, source)
            for number, zones, state, source in conn.execute(
                "SELECT phone_number, location.time_zones, location.state, location.source"
                " FROM contact LEFT JOIN location ON location.id = contact.location_id"
            )
        }
    finally:
        conn.close()


def test_the_upgrade_fills_each_contact_s_zone_and_state_as_an_import_would(tmp_path):
    path = tmp_path / "old.sqlite3"
    _schema_2_database(path, NUMBERS)
    init_db(path)
    close_db()
    locate = NumberLocations().locate
    assert _stored(path) == {number: tuple(locate(number)) for number in NUMBERS}
    assert _stored(path)["+16052015555"] == ("America/Chicago", "SD", "number")
    assert _stored(path)["+16052095555"] == ("America/Denver", "SD", "number")
    assert _stored(path)["+18005550147"][0] == "+1"  # every North American zone


@pytest.mark.slow
def test_the_upgrade_groups_by_prefix_and_takes_about_a_second_for_200k_contacts(tmp_path):
    path = tmp_path / "big.sqlite3"
    # Random exchanges in every area code, split area codes included.
    numbers = [f"+1{201 + (i * 7919) % 789}{200 + (i * 104729) % 800}{i % 10000:04d}" for i in range(200_000)]
    _schema_2_database(path, sorted(set(numbers)))
    started = time.perf_counter()
    init_db(path)
    elapsed = time.perf_counter() - started
    close_db()
    stored = _stored(path)
    locate = NumberLocations().locate
    assert all(stored[number] == tuple(locate(number)) for number in numbers[::997])
    assert elapsed < 6, f"the upgrade took {elapsed:.1f} s"
