"""Reading ahead on a second thread: order, errors, and the interpreter left as it was found."""

import sys

import pytest

from contactdesk.core.importer import import_file
from contactdesk.core.pipeline import in_background


def test_items_arrive_in_order_and_a_producer_error_reaches_the_consumer():
    def produce():
        yield from range(50)
        raise ValueError("row 51 cannot be read")

    received = []
    with pytest.raises(ValueError, match="row 51"):
        for item in in_background(produce, depth=2):
            received.append(item)
    assert received == list(range(50))


def test_the_switch_interval_is_short_only_while_a_producer_runs_even_two_at_once():
    before = sys.getswitchinterval()
    seen = []

    def produce():
        seen.append(sys.getswitchinterval())
        yield 1

    outer = in_background(produce)
    next(outer)
    inner = in_background(produce)
    assert list(inner) == [1]
    assert sys.getswitchinterval() < before  # the outer producer still runs
    outer.close()
    assert sys.getswitchinterval() == before
    assert seen and all(interval < before for interval in seen)


def test_an_import_that_fails_halfway_leaves_the_switch_interval_as_it_was(campaign, write_csv):
    before = sys.getswitchinterval()
    rows = "".join(f"212555{n:04d},Person {n}\n" for n in range(100, 9000))
    assert import_file(campaign.id, write_csv("phone,name\n" + rows)).success
    assert sys.getswitchinterval() == before

    unclosed = write_csv("phone,name\n" + rows + '2125559999,"never closed\n')
    assert not import_file(campaign.id, unclosed).success
    assert sys.getswitchinterval() == before
