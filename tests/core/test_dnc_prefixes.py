"""A do-not-call list costs an import only for the numbers that start like a listed one."""

import pytest

from contactdesk.core import dnc
from contactdesk.core.importer import import_file
from contactdesk.store import dnc as dnc_store
from contactdesk.store.models import db

LISTED = ["2125550102", "+442079460958", "+33142685300", "3125550199"]


def numbers_file(write_csv, numbers) -> object:
    return write_csv("phone\n" + "".join(f"{number}\n" for number in numbers))


def look_ups_during(action) -> int:
    """How many statements read the list's entries while ``action`` runs."""
    statements: list[str] = []
    conn = db.connection()
    conn.set_trace_callback(statements.append)
    try:
        action()
    finally:
        conn.set_trace_callback(None)
    return sum("JOIN dnc_entry AS dnc" in sql for sql in statements)


def test_the_prefixes_are_those_of_every_listed_number(db_path):
    dnc.add_numbers(LISTED)
    expected = {number[: dnc_store.PREFIX_LENGTH] for (number,) in db.execute_sql("SELECT phone_number FROM dnc_entry")}
    assert dnc_store.listed_prefixes(db.connection()) == expected == {"+1212", "+4420", "+3314", "+1312"}


def test_numbers_that_start_unlike_any_listed_one_are_not_looked_up(campaign, write_csv):
    dnc.add_numbers(LISTED)
    others = [f"+1415555{n:04d}" for n in range(5000)]  # another area code: several batches

    result = None

    def run():
        nonlocal result
        result = import_file(campaign.id, numbers_file(write_csv, others))

    assert look_ups_during(run) == 0
    assert result.imported_count == 5000 and result.suppressed_count == 0


@pytest.mark.parametrize("max_prefixes", [dnc_store.MAX_PREFIXES, 2])
def test_listed_numbers_are_left_out_with_or_without_the_prefix_filter(campaign, write_csv, monkeypatch, max_prefixes):
    monkeypatch.setattr(dnc_store, "MAX_PREFIXES", max_prefixes)  # 2: too many prefixes, every number looked up
    dnc.add_numbers(LISTED)
    dnc.add_numbers(["2125550177"], campaign_id=campaign.id)
    numbers = [*LISTED, "2125550177", "2125550103", "+442079460959", "+14155550100"]

    result = import_file(campaign.id, numbers_file(write_csv, numbers))

    assert result.suppressed_count == 5 and result.imported_count == 3
    kept = {phone for (phone,) in db.execute_sql("SELECT phone_number FROM contact")}
    assert kept == {"+12125550103", "+442079460959", "+14155550100"}
