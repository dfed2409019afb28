"""Marking many selected contacts from the window: every selected row is marked, the window keeps
answering, and the campaign's counts follow."""

import time

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from contactdesk.core.contacts import ContactFilter, fetch_contacts
from contactdesk.gui.campaign_list import STATUS_LABELS
from contactdesk.gui.contacts_model import COLUMN_OF
from contactdesk.store import db

STATUS = COLUMN_OF["status"]
INSERT = (
    "INSERT INTO contact (campaign_id, phone_number, phone_raw, name, email, company, variables, status,"
    " source_row, created_at, updated_at) VALUES (?, ?, '', ?, '', '', '{}', ?, ?, ?, ?)"
)
COUNT = 30_000  # more than the window marks by the ids it has loaded (20,000)


def add_contacts(campaign_id: int, count: int) -> None:
    """Straight into SQLite; every third contact already completed, names out of file order."""
    stamp = "2024-05-01 09:00:00"
    rows = [
        (campaign_id, f"+1202{i:07d}", f"Person {(i * 7919) % count:06d}", "completed" if i % 3 == 0 else "pending")
        for i in range(count)
    ]
    with db.atomic():
        db.connection().executemany(INSERT, [(*row, i + 2, stamp, stamp) for i, row in enumerate(rows)])


def click_row(qtbot, view, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    view.scrollTo(view.model().index(row, 0))
    qtbot.waitUntil(lambda: view.model().is_row_loaded(row))
    point = view.visualRect(view.model().index(row, 0)).center()
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, point)


def status_shown(view, row: int) -> str:
    return view.model().data(view.model().index(row, STATUS))


def test_marking_many_selected_rows_of_a_sorted_list_marks_exactly_those_rows(qtbot, make_window, campaign):
    add_contacts(campaign.id, COUNT)
    window = make_window()
    panel, view = window.contacts, window.contacts.view
    qtbot.waitUntil(lambda: view.model().rowCount() == COUNT)
    view.horizontalHeader().setSortIndicator(COLUMN_OF["name"], Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not view.model().is_loading() and view.model().is_row_loaded(0))
    first, last = 3, 3 + 25_000 - 1
    shown_order = [c.id for c in fetch_contacts(ContactFilter(campaign.id), 0, COUNT, "name", True)]
    click_row(qtbot, view, first)
    click_row(qtbot, view, last, Qt.KeyboardModifier.ShiftModifier)
    assert panel.marking.selected_ranges() == [(first, last)]

    with qtbot.waitSignal(panel.statusesChanged, timeout=20_000):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)

    completed = STATUS_LABELS["completed"]
    qtbot.waitUntil(lambda: status_shown(view, last) == completed)  # the row in sight, read again
    marked = {row[0] for row in db.execute_sql("SELECT id FROM contact WHERE status = 'completed'")}
    already = {row[0] for row in db.execute_sql("SELECT id FROM contact WHERE source_row % 3 = 2")}
    assert marked == set(shown_order[first : last + 1]) | already
    # The campaign list's counts follow (read on the worker).
    qtbot.waitUntil(lambda: window.current_summary().by_status["completed"] == len(marked), timeout=10_000)
    assert "Marked 25,000 contacts as completed." in window.statusBar().currentMessage()


def test_the_window_does_not_freeze_when_the_header_paints_with_many_rows_selected(qtbot, make_window, campaign):
    add_contacts(campaign.id, COUNT)
    window = make_window()
    view = window.contacts.view
    qtbot.waitUntil(lambda: view.model().rowCount() == COUNT)
    click_row(qtbot, view, 0)
    click_row(qtbot, view, COUNT - 1, Qt.KeyboardModifier.ShiftModifier)
    assert window.contacts.marking.selected_ranges() == [(0, COUNT - 1)]

    started = time.perf_counter()
    view.horizontalHeader().repaint()  # as when the window is uncovered or a column resized
    painted = time.perf_counter() - started

    # Qt's answer to "is this whole column selected?" asked the model about each selected row, for
    # each column: 0.3 s for this paint with 30,000 rows selected (0.006 s now), seconds with more.
    assert painted < 0.1, painted


def test_home_and_end_go_to_the_first_and_last_contact_and_with_shift_select_to_it(qtbot, make_window, campaign):
    add_contacts(campaign.id, COUNT)
    window = make_window()
    view, marking = window.contacts.view, window.contacts.marking
    qtbot.waitUntil(lambda: view.model().rowCount() == COUNT)
    click_row(qtbot, view, 5)
    extend = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_End, extend)
    assert marking.selected_ranges() == [(5, COUNT - 1)]
    assert view.horizontalScrollBar().value() == 0  # the names stay in sight: End goes down, not right
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Home, extend)
    assert marking.selected_ranges() == [(0, 5)]

    # From the top without touching the mouse: Ctrl+Home, then Ctrl+Shift+End takes in every row.
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_End, extend)
    assert marking.selected_ranges() == [(0, COUNT - 1)]

    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Home)
    assert marking.selected_ranges() == [(0, 0)]
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_End)
    assert marking.selected_ranges() == [(COUNT - 1, COUNT - 1)] and view.currentIndex().row() == COUNT - 1
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Home, Qt.KeyboardModifier.ShiftModifier)
    assert marking.selected_ranges() == [(0, COUNT - 1)]
