"""The one write transaction: all or nothing, the write lock taken at once, nesting as savepoints."""

import sqlite3

import pytest

from contactdesk.core.campaigns import create_campaign, list_campaigns
from contactdesk.store.transaction import write_transaction


def names() -> list[str]:
    return [summary.name for summary in list_campaigns()]


def test_a_failure_inside_leaves_nothing_written(db_path):
    with pytest.raises(RuntimeError), write_transaction():
        create_campaign("Spring")
        raise RuntimeError("disk trouble")
    assert names() == []


def test_a_dry_run_writes_nothing_and_a_normal_one_keeps_everything(db_path):
    with write_transaction(commit=False):
        create_campaign("Trial")
    with write_transaction():
        create_campaign("Spring")
        create_campaign("Autumn")
    assert names() == ["Autumn", "Spring"]


def test_a_failing_inner_part_is_undone_alone(db_path):
    with write_transaction():
        create_campaign("Outer")
        with pytest.raises(ValueError), write_transaction():
            create_campaign("Inner")
            raise ValueError("refused")
    assert names() == ["Outer"]


def test_the_write_lock_is_taken_when_the_transaction_starts(db_path):
    other = sqlite3.connect(db_path, timeout=0)
    try:
        with write_transaction():
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again once it ended
        other.execute("ROLLBACK")
    finally:
        other.close()
