"""The store writes its SQL for the engine it runs on: on a server every statement it sends
uses psycopg's placeholders (nothing rewrites SQLite's ``?`` on the way)."""

import re
from datetime import UTC, datetime

import pytest

from contactdesk.core import campaign_hours, dnc, undo
from contactdesk.core.campaigns import create_campaign
from contactdesk.core.contacts import ContactFilter, count_contacts, mark_phones
from contactdesk.core.importer import import_file
from contactdesk.store import claims, server
from contactdesk.store.locations import locations_by_id

_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")  # text and names, which may hold a ?
_QMARK = re.compile(r"\?")


@pytest.mark.postgresql
def test_migrations_import_undo_dnc_claims_and_hours_on_a_server_send_no_question_mark_placeholders(
    pg_database_uri, write_csv, monkeypatch
):
    from contactdesk.store import close_db, init_db

    sent = []
    original = server.ServerDatabase.execute_sql

    def recorded(self, sql, params=None):
        sent.append(sql)
        return original(self, sql, params)

    monkeypatch.setattr(server.ServerDatabase, "execute_sql", recorded)
    try:
        init_db(pg_database_uri)  # the migrations too
        campaign = create_campaign("Spring").id
        path = write_csv("phone,name\n2125550101,Ann\n2125550102,Bob\n2125550103,Cy\n")
        assert import_file(campaign, path).imported_count == 3
        assert dnc.add_numbers(["2125550103"]).marked == 1
        held = claims.claim_next(campaign, "Ann", datetime.now(UTC))
        assert held is not None and claims.claim_of(held)[0] == "Ann"
        assert claims.mark_result(held, "completed", "Ann", datetime.now(UTC))
        assert mark_phones(campaign, "failed", ["2125550102"]).updated == 1
        assert claims.record_marks(campaign, ["+12125550102"], "Ann", datetime.now(UTC)) == 1
        campaign_hours.set_campaign_hours(campaign, ["sun closed"])
        assert campaign_hours.campaign_hours(campaign).specs()
        assert locations_by_id([1])  # New York, from the import
        again = import_file(campaign, write_csv("phone\n2125550104\n"))
        assert again.success, again.message
        assert undo.run_undo(undo.plan_undo(campaign)).success
        assert len(undo.import_history(campaign)) == 2
        assert count_contacts(ContactFilter(campaign)) == 3
        assert dnc.remove_numbers(["2125550103"]).removed
    finally:
        monkeypatch.setattr(server.ServerDatabase, "execute_sql", original)
        close_db()
    assert sent and not [sql for sql in sent if _QMARK.search(_QUOTED.sub("", sql))]
