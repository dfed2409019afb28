"""The status set is defined once: every place that lists statuses reads the one table."""

import sqlite3

from contactdesk.store import close_db, init_db
from contactdesk.store.models import HISTORY_STATUSES, REPLACEABLE_STATUSES, STATUSES
from contactdesk.store.statuses import BAR_ORDER, TABLE


def test_the_store_and_the_database_accept_exactly_the_tables_statuses(tmp_path):
    names = {status.name for status in TABLE}
    assert set(STATUSES) == names == set(BAR_ORDER)
    assert set(HISTORY_STATUSES) | set(REPLACEABLE_STATUSES) == names
    path = tmp_path / "db.sqlite3"
    init_db(path)
    close_db()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO campaign (id, name, notes, created_at) VALUES (1, 'C', '', '')")
    for number, status in enumerate([*names, "called"]):
        try:
            conn.execute(
                "INSERT INTO contact (campaign_id, phone_number, phone_raw, name, email, company, variables,"
                " status, created_at, updated_at) VALUES (1, ?, '', '', '', '', '{}', ?, '', '')",
                (f"+1212555{number:04d}", status),
            )
            accepted = True
        except sqlite3.IntegrityError:
            accepted = False
        assert accepted == (status in names), status
    conn.close()


def test_the_command_line_offers_the_tables_statuses():
    from contactdesk.cli import build_parser

    parser = build_parser()
    contacts = next(a for a in parser._subparsers._group_actions[0].choices["contacts"]._actions if a.dest == "action")
    mark = contacts.choices["mark"]
    status = next(a for a in mark._actions if a.dest == "status")
    assert set(status.choices) == {s.name for s in TABLE}
