"""The import results dialog offers to undo the import it reports, with the history's confirmation."""

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from test_import_lists_and_modes import click, click_to_check, drop_files, next_button, window  # noqa: F401

from contactdesk.core.campaigns import create_campaign
from contactdesk.core.contacts import ContactFilter, fetch_contacts, mark_phones
from contactdesk.core.importer import import_file
from contactdesk.gui import messages
from contactdesk.gui.contacts_model import COLUMN_OF
from contactdesk.gui.results_dialog import ImportResultsDialog
from contactdesk.gui.worker import running_tasks

EARLIER = "phone,name\n3035550101,Old One\n3035550102,Old Two\n"
WRONG = "Full name,Mobile\nAnn Smith,(212) 736-5001\nBob Jones,212-736-5002\nCy Wong,212-736-5003\n"


def statuses(campaign_id) -> dict[str, tuple[str, str]]:
    return {c.phone_number: (c.name, c.status) for c in fetch_contacts(ContactFilter(campaign_id), 0, 1000)}


def import_through_the_wizard(qtbot, window, path: Path) -> ImportResultsDialog:  # noqa: F811
    drop_files(window, [path])
    wizard = window.wizard
    click_to_check(qtbot, wizard)
    with qtbot.waitSignal(wizard.imported, timeout=20_000):
        click(next_button(wizard))  # "Replace and import"
    qtbot.waitUntil(lambda: wizard.results_dialog is not None and wizard.results_dialog.isVisible())
    return wizard.results_dialog


def test_undo_this_import_from_the_results_brings_the_campaign_back(qtbot, window, tmp_path, monkeypatch):  # noqa: F811
    campaign = create_campaign("Spring")
    earlier = tmp_path / "earlier.csv"
    earlier.write_text(EARLIER)
    import_file(campaign.id, earlier)
    before = statuses(campaign.id)
    window.refresh_campaigns()
    window.campaign_view.select_campaign(campaign.id)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(WRONG)
    dialog = import_through_the_wizard(qtbot, window, wrong)
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 3)
    mark_phones(campaign.id, "completed", ["+12127365001"])  # called meanwhile: it must stay
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok: asked.append((title, text, ok)) or True)

    button = dialog.undo_button
    assert button.isVisible() and button.isEnabled() and not button.isDefault()
    assert button.text() == "&Undo this import…"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(button.width() // 2, button.height() // 2))

    qtbot.waitUntil(lambda: dialog.windowTitle() == "Import undone", timeout=10_000)
    qtbot.waitUntil(lambda: running_tasks() == [])
    # The history's question, word for word: what goes, what comes back, which called contacts stay.
    assert asked[0][0] == "Undo this import?" and asked[0][2] == "Undo Import"
    assert "1 of the 3 contacts has a call result and will be kept." in asked[0][1]
    assert "removes 2 contacts it added and brings back 2 contacts it replaced" in asked[0][1]
    assert statuses(campaign.id) == {**before, "+12127365001": ("Ann Smith", "completed")}
    # The dialog says what happened; the window shows the campaign as it is now.
    assert dialog.labels["message"].text().startswith("Undid import")
    assert "brought back 2 contacts" in dialog.labels["message"].text()
    assert not button.isVisible()
    assert dialog.labels["total_contacts"].text() == "3 (after the undo)"  # 2 brought back + the called one
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 3)
    model = window.contacts.model
    qtbot.waitUntil(
        lambda: (
            {model.data(model.index(row, COLUMN_OF["name"])) for row in range(3)} == {"Old One", "Old Two", "Ann Smith"}
        )
    )
    assert window.campaign_model.summary_by_id(campaign.id).total_contacts == 3
    assert window.statusBar().currentMessage().startswith("Undid import")
    dialog.close()


def test_saying_no_changes_nothing_and_the_button_stays(qtbot, window, tmp_path, monkeypatch):  # noqa: F811
    campaign = create_campaign("Spring")
    window.refresh_campaigns()
    window.campaign_view.select_campaign(campaign.id)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(WRONG)
    dialog = import_through_the_wizard(qtbot, window, wrong)
    after = statuses(campaign.id)
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok: False)

    QTest.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)

    assert statuses(campaign.id) == after and len(after) == 3
    assert dialog.undo_button.isVisible() and dialog.undo_button.isEnabled()
    assert dialog.windowTitle() == "Import finished"
    dialog.close()


@pytest.mark.parametrize(
    "result",
    [
        {"success": True, "dry_run": True, "campaign_id": 1, "import_id": None, "message": "Would import 3."},
        {"success": False, "campaign_id": 1, "import_id": None, "message": "Import failed."},
    ],
    ids=["dry_run", "failed"],
)
def test_no_undo_for_a_dry_run_or_a_failed_import(qtbot, result):
    dialog = ImportResultsDialog(result)
    qtbot.addWidget(dialog)
    dialog.open()
    assert not dialog.undo_button.isVisible()
