"""The new changes (do-not-call list, undo, calling hours) on a database opened read-only: the
read-only message, and nothing is tried (the window calls these directly, without the command line's check)."""

import pytest

from contactdesk.core import campaign_hours, dnc, undo
from contactdesk.core.dnc_import import import_list
from contactdesk.core.importer import import_file
from contactdesk.store import connection
from contactdesk.store.connection import ReadOnlyDatabaseError


@pytest.fixture
def read_only(campaign, write_csv, monkeypatch):
    assert import_file(campaign.id, write_csv("phone\n2125550101\n2125550102\n")).success
    assert import_file(campaign.id, write_csv("phone\n2125550103\n")).success
    dnc.add_numbers(["2125550199"])
    monkeypatch.setitem(connection._opened, "read_only", True)
    return campaign


@pytest.mark.parametrize(
    "change",
    [
        lambda cid: dnc.add_numbers(["2125550102"]),
        lambda cid: dnc.remove_numbers(["2125550199"]),
        lambda cid: dnc.mark_contacts(cid, ["2125550103"]),
        lambda cid: campaign_hours.set_campaign_hours(cid, ["sun closed"]),
    ],
    ids=["dnc add", "dnc remove", "mark do not call", "campaign hours"],
)
def test_a_change_to_a_read_only_database_raises_the_read_only_message(read_only, change):
    with pytest.raises(ReadOnlyDatabaseError, match="is read-only"):
        change(read_only.id)


def test_undo_and_a_list_import_on_a_read_only_database_say_so_and_change_nothing(read_only, write_csv):
    plan = undo.plan_undo(read_only.id)
    assert plan.undoable
    result = undo.run_undo(plan)
    assert not result.success and "is read-only" in result.message and not result.refused
    assert undo.import_history(read_only.id)[0]["state"] == "landed"
    listed = import_list(write_csv("2125550177\n2125550178\n"))
    assert not listed.success and "is read-only" in listed.message
    assert [entry.phone_number for entry in dnc.iter_entries()] == ["+12125550199"]


def test_a_read_only_database_from_before_calling_hours_is_not_migrated(tmp_path, old_database, monkeypatch):
    path = tmp_path / "old.sqlite3"
    conn = old_database(path, 6)
    conn.execute("INSERT INTO campaign (name, notes, created_at) VALUES ('Spring', '', '')")
    conn.commit()
    conn.execute("PRAGMA journal_mode = delete")
    conn.close()
    before = path.read_bytes()
    monkeypatch.setattr(connection, "_cannot_write", lambda _path: True)  # the tests run as root
    with pytest.raises(ReadOnlyDatabaseError, match=r"read-only and was made by an earlier ContactDesk \(schema 6"):
        connection.init_db(path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["old.sqlite3"]
