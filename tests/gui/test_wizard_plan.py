"""The wizard holds one import plan: each file is read once, each choice resolved once, in the
background, and the check and the import run the very same plan."""

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QWizard
from test_wizard import choose_target

from contactdesk.core import import_plan
from contactdesk.core.contacts import ContactFilter, fetch_contacts
from contactdesk.gui.wizard import import_session
from contactdesk.gui.wizard.import_wizard import ImportWizard
from contactdesk.gui.wizard.mapping_model import IGNORE, ColumnChoicesModel
from contactdesk.store.models import KEEP_PENDING, REPLACE

LIST = "Phone,Name,Plan\n+12127365001,Ann,Gold\n+12127365002,Bob,Silver\n"


def open_wizard(qtbot, campaign_id, paths, **kwargs) -> ImportWizard:
    wizard = ImportWizard(campaign_id, paths, **kwargs)
    qtbot.addWidget(wizard)
    wizard.open()
    qtbot.waitUntil(lambda: not wizard.is_busy())  # the files are read on the worker
    return wizard


@pytest.fixture
def counted(monkeypatch):
    """Every sniff, mapping resolution and run of the plan, as they happen."""
    calls = {"sniff": [], "resolve": [], "run": []}
    real_sniff, real_resolve, real_run = import_plan.sniff, import_plan.resolve_mapping, import_session.run_import

    def sniff(path, **options):
        calls["sniff"].append((Path(path).name, threading.current_thread()))
        return real_sniff(path, **options)

    def resolve_mapping(headers, column_targets=None, **options):
        calls["resolve"].append((tuple(headers), None if column_targets is None else dict(column_targets)))
        return real_resolve(headers, column_targets, **options)

    def run_import(plan, progress=None, should_cancel=None, *, dry_run=False, caller=None):
        calls["run"].append((plan, dry_run))
        return real_run(plan, progress, should_cancel, dry_run=dry_run, caller=caller)

    monkeypatch.setattr(import_plan, "sniff", sniff)
    monkeypatch.setattr(import_plan, "resolve_mapping", resolve_mapping)
    monkeypatch.setattr(import_session, "run_import", run_import)
    return calls


def test_one_import_reads_each_file_once_resolves_each_choice_once_and_runs_one_plan(
    qtbot, campaign, write_csv, counted
):
    first = write_csv(LIST, name="first.csv")
    second = write_csv("Phone,Name,Plan\n+12127365003,Cy,Gold\n", name="second.csv")
    wizard = open_wizard(qtbot, campaign.id, [first, second])
    wizard.next()  # the columns
    choose_target(wizard, "Plan", IGNORE)  # one choice, for both files (they have the same columns)
    wizard.next()  # the check
    qtbot.waitUntil(lambda: not wizard.check_page.is_running(), timeout=20_000)
    assert wizard.check_page.result["imported_count"] == 3
    with qtbot.waitSignal(wizard.imported, timeout=20_000):
        wizard.button(QWizard.WizardButton.NextButton).click()

    assert sorted(name for name, _ in counted["sniff"]) == ["first.csv", "second.csv"]
    assert all(thread is not threading.main_thread() for _, thread in counted["sniff"])
    detected, edited = None, {"Phone": "phone_number", "Name": "name", "Plan": None}
    headers = ("Phone", "Name", "Plan")
    assert counted["resolve"] == [(headers, detected), (headers, detected), (headers, edited), (headers, edited)]
    (checked, dry_run), (imported, real) = counted["run"]
    assert dry_run and not real
    assert imported is checked  # the import runs the plan the check showed
    contacts = fetch_contacts(ContactFilter(campaign.id), 0, 10, order_by="source_row")
    assert sorted(c.phone_number for c in contacts) == ["+12127365001", "+12127365002", "+12127365003"]
    assert all("Plan" not in (c.variables or "") for c in contacts)
    wizard.results_dialog.close()


def test_choosing_to_keep_the_pending_contacts_reads_nothing_again(qtbot, campaign, write_csv, counted):
    from contactdesk.core.importer import import_file

    assert import_file(campaign.id, write_csv("phone\n+12127365009\n")).success
    counted["sniff"].clear(), counted["resolve"].clear()
    wizard = open_wizard(qtbot, campaign.id, write_csv(LIST))
    wizard.next()
    wizard.next()
    page = wizard.check_page
    qtbot.waitUntil(lambda: not page.is_running(), timeout=20_000)
    radio = page.keep_radio
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(min(radio.width() // 2, 40), radio.height() // 2))
    qtbot.waitUntil(lambda: not page.is_running() and page.result is not None, timeout=20_000)
    assert page.result["mode"] == KEEP_PENDING
    assert len(counted["sniff"]) == 1 and len(counted["resolve"]) == 1
    assert [plan.mode for plan, _ in counted["run"]] == [REPLACE, KEEP_PENDING]
    assert counted["run"][0][0].sources == counted["run"][1][0].sources  # the same files, as read once


def test_the_file_is_read_in_the_background_while_the_window_answers(qtbot, campaign, write_csv, monkeypatch):
    real_sniff = import_plan.sniff
    seen = {}
    timer_fired = threading.Event()

    def slow_sniff(path, **options):
        # Reading stands still until the GUI thread's event loop has run a timer: on the GUI thread
        # itself that could never happen.
        seen["thread"] = threading.current_thread()
        seen["window answered"] = timer_fired.wait(5)
        return real_sniff(path, **options)

    monkeypatch.setattr(import_plan, "sniff", slow_sniff)
    wizard = ImportWizard(campaign.id, write_csv(LIST))
    qtbot.addWidget(wizard)
    QTimer.singleShot(50, timer_fired.set)
    wizard.open()
    assert wizard.is_busy()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # nothing to go on with yet
    assert wizard.preview_page.footer_label.text() == "Reading file0.csv…"
    qtbot.waitUntil(lambda: not wizard.is_busy(), timeout=10_000)
    assert seen == {"thread": seen["thread"], "window answered": True}
    assert seen["thread"] is not threading.main_thread()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert wizard.preview_page.model.rowCount() == 2


def test_without_a_phone_column_the_columns_page_shows_what_the_import_detects(qtbot, campaign, write_csv):
    # "Region" holds sales regions, not states: the import keeps it a template variable, and so
    # does the page (detection from the header alone would have called it the state).
    path = write_csv("Customer,Region,Ref\nAnn,East,A-1\nBob,West,B-2\n")
    wizard = open_wizard(qtbot, campaign.id, path)
    wizard.next()
    page = wizard.mapping_page
    row = page.model.row_of("Region")
    assert page.model.index(row, ColumnChoicesModel.TARGET).data() == "Template variable"
    assert page.model.index(page.model.row_of("Customer"), ColumnChoicesModel.TARGET).data() == "Name  · auto"
    assert page.status_label.text().startswith("Choose which column holds the phone numbers")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
