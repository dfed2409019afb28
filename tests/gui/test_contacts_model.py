"""The contacts table: a windowed model over SQLite, search, filter, sort, marking and export."""

import csv
import json
import time

import pytest
from menu_clicks import right_click
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from contactdesk.core.campaigns import campaign_summary, create_campaign
from contactdesk.core.contacts import ContactFilter, count_contacts
from contactdesk.gui import messages
from contactdesk.gui.contacts_model import BASE_COLUMNS, COLUMN_OF, LOADING_TEXT, ContactsTableModel
from contactdesk.gui.contacts_panel import ContactsPanel
from contactdesk.gui.settings import AppSettings
from contactdesk.gui.worker import running_tasks
from contactdesk.store import ImportRun, db

NAME, PHONE, STATUS = COLUMN_OF["name"], COLUMN_OF["phone_number"], COLUMN_OF["status"]
STATUS_CYCLE = ("pending", "completed", "failed", "skipped")
INSERT = (
    "INSERT INTO contact (campaign_id, phone_number, phone_raw, name, email, company, variables, status,"
    " source_row, created_at, updated_at) VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?)"
)


def add_contacts(
    campaign_id: int, count: int, status=lambda i: "pending", name=lambda i: f"Person {i:06d}", variables=lambda i: "{}"
) -> None:
    """Straight into SQLite: 100,000 rows in well under a second."""
    stamp = "2024-05-01 09:00:00"
    rows = [
        (
            campaign_id,
            f"+1202{i:07d}",
            name(i),
            f"p{i}@example.com",
            f"Company {i % 10}",
            variables(i),
            status(i),
            i + 2,
            stamp,
            stamp,
        )
        for i in range(count)
    ]
    with db.atomic():
        db.connection().executemany(INSERT, rows)


@pytest.fixture
def settle(qtbot):
    """Wait for the background reads a test started; every test must end with no thread running."""

    def wait():
        qtbot.waitUntil(lambda: running_tasks() == [], timeout=10_000)

    return wait


@pytest.fixture
def model(qtbot, db_path, settle):
    model = ContactsTableModel()
    yield model
    model.set_filter(None)
    settle()
    assert running_tasks() == []


@pytest.fixture
def panel(qtbot, db_path, settle):
    panel = ContactsPanel(AppSettings())
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    yield panel
    panel.set_campaign(None)
    settle()
    assert running_tasks() == []


def pick_status(panel, status: str) -> None:
    """Arrow keys in the status filter, as a keyboard user picks a status."""
    combo = panel.status_filter
    combo.setFocus()
    for _ in range(combo.count()):
        if combo.currentData() == status:
            return
        QTest.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"no status {status!r} in the filter")


def load(qtbot, model, contact_filter):
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_filter(contact_filter)
    return model.rowCount()


def served(qtbot, model, row, column=NAME):
    """data() for a row that may not be loaded yet: it is fetched on the worker and then served."""
    index = model.index(row, column)
    if model.contact(row) is None:
        assert model.data(model.index(row, 0)) == LOADING_TEXT  # the placeholder while it loads
        qtbot.waitUntil(lambda: model.contact(row) is not None, timeout=10_000)
    return model.data(index)


def test_a_campaign_of_100000_contacts_opens_fast_without_loading_every_row(qtbot, model, campaign):
    add_contacts(campaign.id, 100_000)
    started = time.monotonic()
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_filter(ContactFilter(campaign.id))
    first_data = model.data(model.index(0, NAME))
    elapsed = time.monotonic() - started

    assert model.rowCount() == 100_000
    assert first_data == "Person 000000"
    assert elapsed < 0.5, f"first data after {elapsed:.3f} s"
    assert served(qtbot, model, 99_999) == "Person 099999"
    assert served(qtbot, model, 99_999, NAME) == "Person 099999"
    assert not model.is_row_loaded(50_000)  # windows of rows, never the whole campaign


def test_rows_far_apart_are_fetched_and_the_cache_stays_small(qtbot, campaign, settle, db_path):
    add_contacts(campaign.id, 5_000)
    model = ContactsTableModel(page_size=50, max_pages=4)
    load(qtbot, model, ContactFilter(campaign.id))
    for row in (4_999, 1_000, 2_000, 3_000, 4_000):
        assert served(qtbot, model, row) == f"Person {row:06d}"
    loaded = [row for row in range(0, 5_000, 50) if model.is_row_loaded(row)]
    assert len(loaded) <= 4
    assert model.is_row_loaded(4_000) and not model.is_row_loaded(4_999)  # the oldest page went first
    model.set_filter(None)
    settle()


def test_search_and_status_filter_change_the_row_count(qtbot, model, campaign):
    add_contacts(
        campaign.id,
        1_000,
        status=lambda i: STATUS_CYCLE[i % 4],
        name=lambda i: "Alice Smith" if i % 100 == 0 else f"Person {i}",
    )
    assert load(qtbot, model, ContactFilter(campaign.id)) == 1_000
    assert load(qtbot, model, ContactFilter(campaign.id, ("failed",))) == 250
    assert load(qtbot, model, ContactFilter(campaign.id, (), "alice")) == 10
    assert load(qtbot, model, ContactFilter(campaign.id, ("pending",), "alice")) == 10  # i % 100 == 0 is pending
    assert load(qtbot, model, ContactFilter(campaign.id, ("completed",), "alice")) == 0
    assert load(qtbot, model, ContactFilter(campaign.id, (), "+1 202 000 099")) == 10  # by phone digits


def test_sorting_by_a_column_reorders_and_variables_cannot_be_sorted(qtbot, model, campaign):
    add_contacts(
        campaign.id,
        300,
        name=lambda i: f"Name {(i * 7919) % 300:03d}",
        variables=lambda i: json.dumps({"plan": f"plan {i}"}),
    )
    ImportRun.create(
        campaign=campaign.id,
        file_name="x.csv",
        mapping_json=json.dumps({"Phone": "phone_number", "Plan": "plan"}),
        variables_json=json.dumps(["plan"]),
    )
    load(qtbot, model, ContactFilter(campaign.id))
    plan = len(BASE_COLUMNS)  # the first variable's column, after the standard ones
    qtbot.waitUntil(lambda: model.columnCount() == plan + 1, timeout=5_000)
    assert model.headerData(plan, Qt.Orientation.Horizontal) == "plan"
    assert model.data(model.index(3, plan)) == "plan 3"

    with qtbot.waitSignal(model.loaded, timeout=5_000):
        model.sort(NAME, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, NAME)) == "Name 299"
    assert served(qtbot, model, 299, NAME) == "Name 000"
    with qtbot.waitSignal(model.loaded, timeout=5_000):
        model.sort(NAME, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, NAME)) == "Name 000"

    with qtbot.waitSignal(model.sortRefused, timeout=1_000) as refused:
        model.sort(plan, Qt.SortOrder.AscendingOrder)
    assert "plan" in refused.args[0]
    assert model.data(model.index(0, NAME)) == "Name 000"


def test_a_search_typed_while_a_slow_count_runs_shows_only_the_newest_result(qtbot, model, campaign, monkeypatch):
    import threading

    from contactdesk.gui import contacts_model

    add_contacts(campaign.id, 1_000, name=lambda i: "Alice Smith" if i % 100 == 0 else f"Person {i}")
    release = threading.Event()
    real_count = contacts_model.count_contacts

    def slow_first_count(contact_filter):
        if not contact_filter.search:
            release.wait(5)  # a count over many rows that cannot be interrupted
        return real_count(contact_filter)

    monkeypatch.setattr(contacts_model, "count_contacts", slow_first_count)
    counts = []
    model.loaded.connect(counts.append)
    model.set_filter(ContactFilter(campaign.id))
    model.set_filter(ContactFilter(campaign.id, (), "alice"))
    release.set()
    qtbot.waitUntil(lambda: bool(counts) and running_tasks() == [], timeout=10_000)
    assert counts == [10]  # the first search's 1,000 never showed
    assert model.rowCount() == 10
    assert model.data(model.index(0, NAME)) == "Alice Smith"


def test_pages_that_cannot_be_read_are_reported_once(qtbot, model, campaign, monkeypatch):
    from contactdesk.gui import contacts_model

    add_contacts(campaign.id, 2_000)
    load(qtbot, model, ContactFilter(campaign.id))
    attempts = []

    def broken(contact_filter, offset, limit, order_by="id", descending=False):
        attempts.append(offset)
        raise OSError("disk I/O error")

    monkeypatch.setattr(contacts_model, "fetch_contacts", broken)
    failures = []
    model.loadFailed.connect(failures.append)
    assert model.data(model.index(1_500, 0)) == LOADING_TEXT
    qtbot.waitUntil(lambda: bool(failures), timeout=5_000)
    model.data(model.index(900, 0))  # scrolled elsewhere: also unreadable
    qtbot.waitUntil(lambda: 800 in attempts, timeout=5_000)
    qtbot.waitUntil(lambda: running_tasks() == [], timeout=5_000)
    assert failures == ["disk I/O error"]  # one message, not one per page
    assert model.data(model.index(1_500, 0)) == LOADING_TEXT  # blank, and asked for again


def test_a_contacts_status_shows_as_a_word(qtbot, model, campaign):
    add_contacts(campaign.id, 4, status=lambda i: STATUS_CYCLE[i])
    load(qtbot, model, ContactFilter(campaign.id))
    assert [model.data(model.index(row, STATUS)) for row in range(4)] == ["Pending", "Completed", "Failed", "Skipped"]
    assert model.data(model.index(0, STATUS), Qt.ItemDataRole.DecorationRole) is not None


# The panel: marking, export, empty states ------------------------------------------------------
def show_campaign(qtbot, panel, campaign_id):
    with qtbot.waitSignal(panel.model.loaded, timeout=10_000):
        panel.set_campaign(campaign_summary(campaign_id))


def test_marking_the_selected_contacts_changes_the_database_and_the_counts(qtbot, panel, campaign):
    add_contacts(campaign.id, 50)
    show_campaign(qtbot, panel, campaign.id)
    panel.view.select_rows(0, 2)
    assert panel.marking.selected_actions["completed"].isEnabled()
    with qtbot.waitSignal(panel.statusesChanged, timeout=10_000):
        right_click(qtbot, panel, "Mark Selected as", "Completed", row=1)
    qtbot.waitUntil(lambda: not panel.model.is_loading())
    assert campaign_summary(campaign.id).by_status["completed"] == 3
    assert [panel.model.data(panel.model.index(row, STATUS)) for row in range(4)] == ["Completed"] * 3 + ["Pending"]
    assert panel.marking.selected_ranges() == [(0, 2)]  # the rows did not move: the selection stays


def test_marking_a_selection_larger_than_what_is_loaded(qtbot, panel, campaign):
    add_contacts(campaign.id, 100_000)
    show_campaign(qtbot, panel, campaign.id)
    panel.view.select_rows(10, 60_009)
    with qtbot.waitSignal(panel.statusesChanged, timeout=20_000):
        right_click(qtbot, panel, "Mark Selected as", "Failed", row=10)
    by_status = campaign_summary(campaign.id).by_status
    assert by_status["failed"] == 60_000
    assert count_contacts(ContactFilter(campaign.id, ("failed",), "+12020000009")) == 0  # row 9 untouched
    assert count_contacts(ContactFilter(campaign.id, ("failed",), "+12020000010")) == 1


def test_marking_all_matching_asks_first_with_the_count(qtbot, panel, campaign, monkeypatch):
    add_contacts(campaign.id, 1_000, status=lambda i: STATUS_CYCLE[i % 4])
    show_campaign(qtbot, panel, campaign.id)
    pick_status(panel, "pending")
    assert panel.callable_filter.isChecked()  # pending contacts open on "callable now": untick it to see all
    with qtbot.waitSignal(panel.model.loaded, timeout=5_000):
        QTest.mouseClick(panel.callable_filter, Qt.MouseButton.LeftButton, pos=panel.callable_filter.rect().center())
    qtbot.waitUntil(lambda: not panel.model.is_loading() and panel.model.rowCount() == 250)
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok: asked.append(text) or False)
    right_click(qtbot, panel, "Mark All 250 Matching as", "Skipped")
    assert "250 contacts" in asked[0] and "skipped" in asked[0]
    assert campaign_summary(campaign.id).by_status["skipped"] == 250  # declined: nothing changed

    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    with qtbot.waitSignal(panel.statusesChanged, timeout=10_000):
        right_click(qtbot, panel, "Mark All 250 Matching as", "Skipped")
    qtbot.waitUntil(lambda: not panel.model.is_loading() and panel.model.rowCount() == 0)
    assert campaign_summary(campaign.id).by_status == {
        "pending": 0,
        "completed": 250,
        "failed": 250,
        "skipped": 500,
        "do_not_call": 0,
    }
    assert panel.empty.isVisible() and panel.empty.title.text() == "No contacts match"


def test_export_writes_the_filtered_contacts_and_remembers_the_folder(qtbot, panel, campaign, tmp_path, monkeypatch):
    add_contacts(campaign.id, 200, status=lambda i: STATUS_CYCLE[i % 4])
    show_campaign(qtbot, panel, campaign.id)
    with qtbot.waitSignal(panel.model.loaded, timeout=5_000):
        pick_status(panel, "failed")
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    suggested = []
    monkeypatch.setattr(
        panel.exporting, "ask_save_path", lambda name: suggested.append(name) or str(out_dir / "failed")
    )
    with qtbot.waitSignal(panel.busyChanged, timeout=10_000, check_params_cb=lambda text: text == ""):
        right_click(qtbot, panel, "Export Filtered Contacts…")
    exported = out_dir / "failed.csv"
    with exported.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["phone_number", "name", "email", "company", "status"]
    assert len(rows) == 51 and {row[4] for row in rows[1:]} == {"failed"}
    assert suggested == ["Spring outreach (filtered).csv"]
    assert AppSettings().last_folder() == str(out_dir)


def test_export_failure_is_told_in_plain_words(qtbot, panel, campaign, tmp_path, monkeypatch):
    add_contacts(campaign.id, 5)
    show_campaign(qtbot, panel, campaign.id)
    errors = []
    monkeypatch.setattr(messages, "error", lambda parent, title, text, details=None, **kw: errors.append(text))
    monkeypatch.setattr(panel.exporting, "ask_save_path", lambda name: str(tmp_path / "missing" / "folder" / "out.csv"))
    with qtbot.waitSignal(panel.busyChanged, timeout=10_000, check_params_cb=lambda text: text == ""):
        right_click(qtbot, panel, "Export Campaign…")
    assert errors and errors[0].startswith("Cannot write") and "Traceback" not in errors[0]


def test_empty_states_say_what_to_do(qtbot, panel, db_path):
    assert panel.empty.isVisible()
    assert panel.empty.title.text() == "Create a campaign or drop a CSV file here"
    empty_campaign = create_campaign("Nobody yet")
    show_campaign(qtbot, panel, empty_campaign.id)
    assert panel.empty.isVisible() and panel.empty.title.text() == "Drop a CSV file here to import contacts"
    full = create_campaign("Some")
    add_contacts(full.id, 10)
    show_campaign(qtbot, panel, full.id)
    assert panel.view.isVisible()
    with qtbot.waitSignal(panel.model.loaded, timeout=5_000):
        qtbot.keyClicks(panel.search, "zebra")  # debounced: one load after typing stops
    assert panel.empty.title.text() == "No contacts match"
    assert panel.count_label.text() == "0 of 10 contacts match"
    with qtbot.waitSignal(panel.model.loaded, timeout=5_000):
        QTest.mouseClick(panel.empty.button, Qt.MouseButton.LeftButton)  # "Clear search and filter"
    assert panel.view.isVisible() and panel.model.rowCount() == 10


def test_export_asks_before_replacing_a_file_that_is_not_a_csv(qtbot, panel, campaign, tmp_path, monkeypatch):
    add_contacts(campaign.id, 3)
    show_campaign(qtbot, panel, campaign.id)
    document = tmp_path / "notes.odt"
    document.write_bytes(b"keep me")
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok: asked.append(text) or False)
    monkeypatch.setattr(panel.exporting, "ask_save_path", lambda name: str(document))
    right_click(qtbot, panel, "Export Campaign…")
    assert asked and "not a CSV file" in asked[0]
    assert document.read_bytes() == b"keep me"  # the person said no

    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok: True)
    with qtbot.waitSignal(panel.busyChanged, timeout=10_000, check_params_cb=lambda text: text == ""):
        right_click(qtbot, panel, "Export Campaign…")
    assert document.read_bytes().startswith("\ufeffphone_number".encode())


def test_export_onto_the_database_is_refused_with_a_message(qtbot, panel, campaign, db_path, monkeypatch):
    add_contacts(campaign.id, 3)
    show_campaign(qtbot, panel, campaign.id)
    errors = []
    monkeypatch.setattr(messages, "error", lambda parent, title, text, details=None, **kw: errors.append(text))
    monkeypatch.setattr(panel.exporting, "ask_save_path", lambda name: str(db_path))
    size = db_path.stat().st_size
    right_click(qtbot, panel, "Export Campaign…")
    assert errors and "is the ContactDesk database" in errors[0]
    assert db_path.stat().st_size == size
