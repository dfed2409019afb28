"""The main window: campaigns, dropping files, the import entry point, menus, settings, layout memory."""

import pytest
from drag_events import drag_enter_event, drop_event
from menu_clicks import choose
from PySide6.QtCore import QMimeData, QPoint, QSize, Qt, QTimer, QUrl, Signal, qVersion
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QToolButton

from contactdesk import __version__
from contactdesk.core.campaigns import create_campaign, list_campaigns
from contactdesk.gui import messages
from contactdesk.gui.main_window import MainWindow
from contactdesk.gui.settings import AppSettings
from contactdesk.store import db

INSERT = (
    "INSERT INTO contact (campaign_id, phone_number, phone_raw, name, email, company, variables, status,"
    " created_at, updated_at) VALUES (?, ?, '', ?, '', '', '{}', ?, '2024-05-01', '2024-05-01')"
)


def add_contacts(campaign_id: int, count: int, status: str = "pending") -> None:
    with db.atomic():
        db.connection().executemany(
            INSERT, [(campaign_id, f"+1303{campaign_id:02d}{i:05d}", f"Person {i}", status) for i in range(count)]
        )


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def opened(monkeypatch):
    """Replace the wizard: record (campaign id, file name) for every import the window opens."""
    calls = []
    monkeypatch.setattr(
        MainWindow, "open_import_wizard", lambda self, campaign_id, path: calls.append((campaign_id, path.name))
    )
    return calls


def csv_files(tmp_path, *names):
    paths = []
    for name in names:
        path = tmp_path / name
        path.write_text("phone,name\n+14155550100,Ann\n")
        paths.append(path)
    return paths


def mime_for(paths) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def drag_enter(widget, mime, pos=None) -> QDragEnterEvent:
    pos = pos or QPoint(widget.width() * 3 // 4, widget.height() // 2)
    event = drag_enter_event(pos, mime)
    QApplication.sendEvent(widget, event)
    return event


def drop(widget, paths, pos=None) -> QDropEvent:
    mime = mime_for(paths)
    pos = pos or QPoint(widget.width() * 3 // 4, widget.height() // 2)
    drag_enter(widget, mime, pos)
    event = drop_event(pos, mime)
    QApplication.sendEvent(widget, event)
    return event


# Dropping files -----------------------------------------------------------------------------------
def test_a_csv_dropped_on_the_window_opens_the_wizard_for_the_selected_campaign(make_window, tmp_path, opened):
    create_campaign("Alpha")
    beta = create_campaign("Beta")
    window = make_window()
    window.campaign_view.select_campaign(beta.id)
    event = drop(window, csv_files(tmp_path, "leads.csv"))
    assert event.isAccepted()
    assert opened == [(beta.id, "leads.csv")]


def test_files_dropped_while_a_wizard_is_open_wait_for_it_as_one_list(qtbot, campaign, window, tmp_path, monkeypatch):
    class FakeWizard(QDialog):
        imported = Signal(dict)

    shown = []

    def open_fake(self, campaign_id, path, *more):
        wizard = FakeWizard(self)
        shown.append((campaign_id, [p.name for p in (path, *more)]))
        wizard.open()
        return wizard

    monkeypatch.setattr(MainWindow, "open_import_wizard", open_fake)
    drop(window, csv_files(tmp_path, "one.csv", "two.tsv", "three.txt"))
    assert shown == [(campaign.id, ["one.csv", "two.tsv", "three.txt"])]  # one wizard, one list
    drop(window, csv_files(tmp_path, "four.csv", "five.csv"))
    assert len(shown) == 1  # waits for the open wizard
    window.wizard.reject()
    qtbot.waitUntil(lambda: len(shown) == 2)
    assert shown[-1] == (campaign.id, ["four.csv", "five.csv"])
    window.wizard.reject()
    qtbot.waitUntil(lambda: window.wizard is None)


def test_an_import_refreshes_the_campaign_list_and_the_contacts(qtbot, campaign, window, tmp_path, monkeypatch):
    class FakeWizard(QDialog):
        imported = Signal(dict)

    fakes = []
    monkeypatch.setattr(
        MainWindow, "open_import_wizard", lambda self, campaign_id, path: fakes.append(FakeWizard(self)) or fakes[-1]
    )
    drop(window, csv_files(tmp_path, "list.csv"))
    add_contacts(campaign.id, 12)  # what the import wrote
    with qtbot.waitSignal(window.contacts.model.loaded, timeout=5_000):
        fakes[0].imported.emit({"campaign_id": campaign.id, "message": "Imported 12 contacts from list.csv."})
    assert window.contacts.model.rowCount() == 12
    assert window.current_summary().total_contacts == 12
    assert window.statusBar().currentMessage() == "Imported 12 contacts from list.csv."
    fakes[0].reject()


def test_a_csv_dropped_on_a_campaign_row_goes_to_that_campaign(make_window, tmp_path, opened):
    alpha = create_campaign("Alpha")
    beta = create_campaign("Beta")
    window = make_window()
    window.campaign_view.select_campaign(beta.id)
    view = window.campaign_view
    drop(view.viewport(), csv_files(tmp_path, "april.csv"), view.visualRect(view.model().index(0)).center())
    assert opened == [(alpha.id, "april.csv")]
    assert window.current_campaign_id() == alpha.id


def test_a_picture_is_refused_with_a_reason_in_the_status_bar(campaign, window, tmp_path, opened, monkeypatch):
    warned = []
    monkeypatch.setattr(messages, "warn", lambda parent, title, text: warned.append(text))
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG")
    mime = mime_for([picture])
    enter = drag_enter(window, mime)
    assert enter.isAccepted()  # taken, so the drop can say why it is not imported
    assert (
        window.statusBar().currentMessage()
        == "photo.png cannot be imported: ContactDesk imports .csv, .tsv and .txt files."
    )
    drop(window, [picture])
    assert opened == []
    assert warned == ["photo.png cannot be imported: ContactDesk imports .csv, .tsv and .txt files."]


def test_the_window_highlights_while_a_csv_is_dragged_over_it(campaign, window, tmp_path):
    mime = mime_for(csv_files(tmp_path, "calls.csv"))
    assert drag_enter(window, mime).isAccepted()
    assert window.overlay.isVisible()
    assert window.overlay.message == "Drop to import calls.csv into “Spring outreach”"
    assert window.overlay.geometry() == window.centralWidget().geometry()  # over both panes
    assert window.splitter.count() == 2  # and not taken in as a third pane
    QApplication.sendEvent(window, QDragLeaveEvent())
    assert not window.overlay.isVisible()


def test_with_no_campaign_a_drop_offers_to_create_one_named_after_the_file(window, tmp_path, opened, monkeypatch):
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok: asked.append((text, ok)) or False)
    files = csv_files(tmp_path, "march_leads.csv")
    drop(window, files)
    assert "“march leads”" in asked[0][0] and asked[0][1] == "Create and import"
    assert list_campaigns() == [] and opened == []  # declined: nothing happens

    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    drop(window, files)
    [created] = list_campaigns()
    assert created.name == "march leads"
    assert opened == [(created.id, "march_leads.csv")]
    assert window.current_campaign_id() == created.id


def test_file_import_asks_for_files_and_remembers_the_folder(qtbot, campaign, window, tmp_path, opened, monkeypatch):
    folder = tmp_path / "incoming"
    folder.mkdir()
    [path] = csv_files(folder, "may.csv")
    monkeypatch.setattr(window, "ask_open_paths", lambda: [path])
    choose(qtbot, window, "File", "Import Contacts…")
    assert opened == [(campaign.id, "may.csv")]
    assert AppSettings().last_folder() == str(folder)


def test_the_wizard_gets_the_region_strictness_and_caller_from_the_settings(campaign, window, tmp_path, monkeypatch):
    from contactdesk.gui.wizard import import_wizard

    made = []

    class Recorder(QDialog):
        imported = Signal(dict)

        def __init__(self, campaign_id, path, *, region, strict, caller, parent):
            super().__init__(parent)
            made.append((campaign_id, path.name, region, strict, caller))

    monkeypatch.setattr(import_wizard, "ImportWizard", Recorder)
    settings = AppSettings()
    settings.set_region("GB")
    settings.set_strict(True)
    settings.set_caller_name("Ann Lee")
    drop(window, csv_files(tmp_path, "uk.csv"))
    assert made == [(campaign.id, "uk.csv", "GB", True, "Ann Lee")]
    window.wizard.reject()


def test_the_real_wizard_opens_for_a_drop(qtbot, campaign, window, tmp_path):
    drop(window, csv_files(tmp_path, "real.csv"))
    wizard = window.wizard
    assert wizard is not None and wizard.objectName() == "importWizard"
    assert "Spring outreach" in wizard.windowTitle()
    qtbot.waitUntil(lambda: not wizard.is_busy())
    wizard.reject()
    qtbot.waitUntil(lambda: window.wizard is None)


# Campaigns ----------------------------------------------------------------------------------------
def test_create_rename_and_delete_a_campaign(qtbot, window, monkeypatch):
    assert window.contacts.empty.title.text() == "Create a campaign or drop a CSV file here"
    monkeypatch.setattr(messages, "ask_text", lambda parent, title, label, text="": "Autumn drive")
    QTest.mouseClick(window.new_button, Qt.MouseButton.LeftButton)  # "+ New" above the campaign list
    assert window.current_summary().name == "Autumn drive"
    assert window.windowTitle() == "Autumn drive – ContactDesk"

    monkeypatch.setattr(messages, "ask_text", lambda parent, title, label, text="": "Autumn drive 2")
    choose(qtbot, window, "Campaign", "Rename Campaign…")
    assert [s.name for s in list_campaigns()] == ["Autumn drive 2"]
    assert window.contacts.title.text() == "Autumn drive 2"

    add_contacts(window.current_campaign_id(), 1_234)
    window.refresh_campaigns()
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok: asked.append(text) or False)
    choose(qtbot, window, "Campaign", "Delete Campaign…")
    assert "“Autumn drive 2”" in asked[0] and "1,234 contacts" in asked[0] and "cannot be undone" in asked[0]
    assert len(list_campaigns()) == 1  # declined

    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    with qtbot.waitSignal(window.campaignsRefreshed, timeout=10_000):
        choose(qtbot, window, "Campaign", "Delete Campaign…")
    assert list_campaigns() == []
    assert window.current_campaign_id() is None
    assert window.contacts.empty.isVisible()
    assert window.statusBar().currentMessage() == "Deleted campaign “Autumn drive 2” and 1,234 contacts."


def test_renaming_keeps_the_search_and_does_not_read_the_contacts_again(qtbot, campaign, make_window, monkeypatch):
    create_campaign("Beta")
    add_contacts(campaign.id, 30)
    window = make_window()
    window.campaign_view.select_campaign(campaign.id)
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 30)
    with qtbot.waitSignal(window.contacts.model.loaded, timeout=5_000):
        QTest.keyClicks(window.contacts.search, "Person 1")
    matching = window.contacts.model.rowCount()
    reloads = []
    window.contacts.model.loaded.connect(reloads.append)
    monkeypatch.setattr(messages, "ask_text", lambda *args, **kwargs: "Aardvark")  # moves to the top of the list
    choose(qtbot, window, "Campaign", "Rename Campaign…")
    qtbot.waitUntil(lambda: window.campaign_model.summary(0).name == "Aardvark")
    assert not window.contacts.model.is_loading()  # no new read of the contacts was started
    assert window.current_campaign_id() == campaign.id
    assert window.contacts.search.text() == "Person 1" and window.contacts.model.rowCount() == matching == 11
    assert reloads == []


def test_a_duplicate_name_is_explained(qtbot, campaign, window, monkeypatch):
    warned = []
    monkeypatch.setattr(messages, "ask_text", lambda *args, **kwargs: "spring OUTREACH")
    monkeypatch.setattr(messages, "warn", lambda parent, title, text: warned.append(text))
    choose(qtbot, window, "File", "New Campaign…")
    assert warned == ["A campaign named “spring OUTREACH” already exists."]
    assert len(list_campaigns()) == 1


def test_the_delete_key_deletes_a_campaign_only_from_the_campaign_list(qtbot, campaign, window, monkeypatch):
    add_contacts(campaign.id, 3)
    window.refresh_campaigns()
    window.contacts.model.refresh()
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 3)
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok: asked.append(title) or False)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    window.contacts.view.setFocus()
    QTest.keyClick(window.contacts.view, Qt.Key.Key_Delete)
    assert asked == []  # in the contacts table Delete never offers to delete the campaign
    window.campaign_view.setFocus()
    QTest.keyClick(window.campaign_view, Qt.Key.Key_Delete)
    assert asked == ["Delete campaign"]


def test_ctrl_f_focuses_the_search(qtbot, campaign, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    window.campaign_view.setFocus()
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.contacts.search.hasFocus()


def test_menus_hold_the_commands(window):
    titles = {action.text().replace("&", ""): action.menu() for action in window.menuBar().actions()}
    assert list(titles) == ["File", "Campaign", "Contacts", "Help"]
    file_items = [a.text().replace("&", "") for a in titles["File"].actions() if a.text()]
    assert file_items[:2] == ["New Campaign…", "Import Contacts…"] and "Settings…" in file_items
    assert window.menus.import_action.shortcut().toString() == "Ctrl+I"
    assert window.campaigns.new_action.shortcut().toString() == "Ctrl+N"
    assert window.campaigns.rename_action.shortcut().toString() == "F2"
    contacts_items = [a.text().replace("&", "") for a in titles["Contacts"].actions() if a.text()]
    assert "Find Contacts" in contacts_items and any(item.startswith("Mark Selected") for item in contacts_items)


def test_the_status_bar_shows_counts_and_the_database(campaign, window, db_path):
    add_contacts(campaign.id, 5)
    window.refresh_campaigns()
    assert window.statusBar().counts_label.text() == "1 campaign · 5 contacts"
    assert window.statusBar().db_label.toolTip() == f"<p>{db_path}</p>"  # escaped: shown exactly as written


# Settings, about, layout memory ------------------------------------------------------------------
def test_settings_dialog_saves_region_and_strictness(qtbot, window):
    dialog = window.show_settings()
    assert dialog.region_combo.currentData() == "US"
    assert dialog.region_combo.findText("United Kingdom (GB)") >= 0
    assert dialog.db_field.text() == str(window.db_path)
    dialog.region_combo.setCurrentIndex(dialog.region_combo.findData("GB"))
    dialog.strict_check.setChecked(True)
    dialog.accept()
    assert AppSettings().region() == "GB" and AppSettings().strict() is True


def test_settings_dialog_accepts_a_typed_country_name(window):
    dialog = window.show_settings()
    dialog.region_combo.setEditText("germany (de)")
    dialog.accept()
    assert AppSettings().region() == "DE"


def test_about_names_the_versions(qtbot, window):
    choose(qtbot, window, "Help", "About ContactDesk")
    box = window.findChild(QMessageBox, "aboutBox")
    assert __version__ in box.text()
    assert f"Qt {qVersion()}" in box.informativeText() and "PySide6" in box.informativeText()
    box.close()


def test_window_size_splitter_and_last_campaign_are_remembered(qtbot, make_window, db_path):
    create_campaign("Alpha")
    beta = create_campaign("Beta")
    first = make_window()
    first.move(0, 0)  # new windows cascade: one placed far down would be clamped smaller on restore
    first.resize(700, 520)  # within the 800x600 offscreen screen: restoreGeometry clamps
    first.splitter.setSizes([290, 410])  # the contacts side above its minimum width
    first.campaign_view.select_campaign(beta.id)
    sizes = first.splitter.sizes()
    first.close()

    second = make_window()
    assert second.size() == QSize(700, 520)
    # The splitter settles once the window has been laid out on screen (a few ms after show).
    qtbot.waitUntil(lambda: second.splitter.sizes() == sizes, timeout=2_000)
    assert second.current_campaign_id() == beta.id


# Choosing a campaign with the mouse ---------------------------------------------------------------
def click_campaign(window, campaign_id: int) -> None:
    view = window.campaign_view
    rect = view.visualRect(view.model().index(view.model().row_of(campaign_id)))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())


def test_clicking_a_campaign_shows_that_campaigns_contacts(qtbot, make_window):
    alpha = create_campaign("Alpha")
    beta = create_campaign("Beta")
    add_contacts(alpha.id, 3)
    add_contacts(beta.id, 5)
    window = make_window()
    for clicked, name, count in ((alpha, "Alpha", 3), (beta, "Beta", 5), (alpha, "Alpha", 3)):
        click_campaign(window, clicked.id)
        qtbot.waitUntil(
            lambda n=count: not window.contacts.model.is_loading() and window.contacts.model.rowCount() == n
        )
        assert window.contacts.title.text() == name
        assert window.contacts.campaign_id() == clicked.id
        assert window.current_campaign_id() == clicked.id  # what F2, Delete and Export act on
        assert window.windowTitle().startswith(name)


def test_the_toolbar_s_mark_button_marks_the_selected_contacts(qtbot, campaign, window):
    add_contacts(campaign.id, 5)
    window.refresh_campaigns()
    window.contacts.model.refresh()
    qtbot.waitUntil(lambda: window.contacts.model.is_row_loaded(0) and window.contacts.model.rowCount() == 5)
    button = window.findChild(QToolButton, "markSelectedButton")
    assert not button.isEnabled()  # nothing selected yet
    view = window.contacts.view
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(view.model().index(2, 0)).center())
    assert button.isEnabled()
    chosen = []

    def choose_completed():  # the button's menu is open (and waits) now
        menu = QApplication.activePopupWidget()
        if menu is None:
            QTimer.singleShot(10, choose_completed)
            return
        item = next(a for a in menu.actions() if a.text() == "Completed")
        chosen.append(item.text())
        QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(item).center())

    QTimer.singleShot(10, choose_completed)
    with qtbot.waitSignal(window.contacts.statusesChanged, timeout=10_000):
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert chosen == ["Completed"]
    qtbot.waitUntil(lambda: window.current_summary().by_status["completed"] == 1)  # counted on the worker
    qtbot.waitUntil(lambda: window.contacts.model.data(window.contacts.model.index(2, 2)) == "Completed")
