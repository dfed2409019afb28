"""The contacts view as a person reads it: numbers in their country's way, the key columns first,
search without accents, and the sort order kept across a restart."""

import pytest
from drag_events import drag_enter_event, drop_event
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from contactdesk.core.importer import import_file
from contactdesk.gui.settings_dialog import SettingsDialog


def column_titled(title: str) -> int:
    """The column with this title, as a person finds it (not by a constant of the code)."""
    from contactdesk.gui.contacts_model import BASE_COLUMNS

    return next(column for column, (_key, shown) in enumerate(BASE_COLUMNS) if shown == title)


NAME, PHONE, STATUS, EMAIL, COMPANY = (column_titled(t) for t in ("Name", "Phone", "Status", "Email", "Company"))
WIDE_CSV = (
    "name,phone,email,company,plan,city,notes,source,owner,score\n"
    "Jürgen Müller,+12127365001,,Acme,Gold,Berlin,called twice already,fair,Ann,7\n"
    "Ann Smith,+442079460958,,Beta,Silver,London,prefers mornings,web,Bob,9\n"
)


@pytest.fixture
def window(make_window, campaign, write_csv):
    import_file(campaign.id, write_csv(WIDE_CSV))
    return make_window((1024, 640))


def phone_texts(window) -> list[str]:
    model = window.contacts.model
    return [model.index(row, PHONE).data() for row in range(model.rowCount())]


def test_numbers_show_as_the_default_country_reads_them_and_a_setting_chooses(qtbot, window):
    assert phone_texts(window) == ["(212) 736-5001", "+44 20 7946 0958"]
    model = window.contacts.model
    assert model.index(0, PHONE).data(Qt.ItemDataRole.ToolTipRole) == "+12127365001"  # what is stored

    QTest.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)  # Ctrl+, opens the settings
    qtbot.waitUntil(lambda: window.findChild(SettingsDialog, "settingsDialog") is not None)
    dialog = window.findChild(SettingsDialog, "settingsDialog")
    combo = dialog.display_combo
    assert combo.itemText(0) == "As dialled in this country: (201) 555-0123"
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "International: +1 201-555-0123"
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert phone_texts(window) == ["+1 212-736-5001", "+44 20 7946 0958"]

    # The example follows the chosen country.
    dialog = window.show_settings()
    dialog.region_combo.setCurrentIndex(dialog.region_combo.findData("GB"))
    assert "07400 123456" in dialog.region_hint.text()
    assert dialog.display_combo.itemText(0) == "As dialled in this country: 07400 123456"
    dialog.accept()
    window.show_settings().accept()
    dialog = window.show_settings()
    dialog.display_combo.setCurrentIndex(0)
    dialog.accept()
    assert phone_texts(window) == ["+1 212-736-5001", "020 7946 0958"]


def test_at_1024_by_640_name_phone_and_status_are_in_view_and_empty_columns_are_narrow(window):
    view = window.contacts.view
    viewport = view.viewport().rect()
    for column in (NAME, PHONE, STATUS):
        cell = view.visualRect(window.contacts.model.index(0, column))
        assert viewport.contains(cell), (column, cell, viewport)
    assert (
        window.contacts.model.headerData(view.horizontalHeader().logicalIndexAt(5), Qt.Orientation.Horizontal) == "Name"
    )
    assert view.columnWidth(EMAIL) < 90  # no email in this file: the column shrinks to its title
    assert view.columnWidth(COMPANY) >= 100


def test_typing_a_name_without_accents_finds_it(qtbot, window):
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.contacts.search
    QTest.keyClicks(QApplication.focusWidget(), "MULLER")
    model = window.contacts.model
    qtbot.waitUntil(lambda: not model.is_loading() and model.rowCount() == 1, timeout=5_000)
    assert model.index(0, NAME).data() == "Jürgen Müller"


def test_a_number_typed_as_dialled_in_the_default_country_finds_it(qtbot, make_window, campaign, write_csv):
    from contactdesk.gui.settings import AppSettings

    import_file(campaign.id, write_csv(WIDE_CSV))
    AppSettings().set_region("GB")
    window = make_window((1024, 640))
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(QApplication.focusWidget(), "020 7946")
    model = window.contacts.model
    qtbot.waitUntil(lambda: not model.is_loading() and model.rowCount() == 1, timeout=5_000)
    assert model.index(0, NAME).data() == "Ann Smith"


def test_the_sort_arrow_and_order_come_back_after_a_restart(qtbot, make_window, campaign, write_csv):
    import_file(campaign.id, write_csv(WIDE_CSV))
    first = make_window((1024, 640))
    header = first.contacts.view.horizontalHeader()
    x = header.sectionViewportPosition(NAME) + header.sectionSize(NAME) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.waitUntil(lambda: not first.contacts.model.is_loading())
    assert first.contacts.model.order() == ("name", False)
    first.close()

    second = make_window((1024, 640))
    header = second.contacts.view.horizontalHeader()
    assert header.sortIndicatorSection() == NAME
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert second.contacts.model.order() == ("name", False)
    qtbot.waitUntil(lambda: second.contacts.model.index(0, NAME).data() == "Ann Smith", timeout=5_000)


def test_tab_leaves_the_contacts_table_in_one_press(qtbot, window):
    view = window.contacts.view
    view.setFocus()
    view.setCurrentIndex(window.contacts.model.index(0, NAME))
    assert QApplication.focusWidget() is view
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not view
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is view
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is not view


def test_columns_of_a_later_import_are_sized_too(qtbot, window, tmp_path):
    """An import adds the file's own columns to an open campaign: they fit their values or shrink."""
    path = tmp_path / "more.csv"
    path.write_text("phone,zone,blank\n+12127365009,North-North-West region,\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos = QPoint(window.width() // 2, window.height() // 2)
    QApplication.sendEvent(window, drag_enter_event(pos, mime))
    QApplication.sendEvent(window, drop_event(pos, mime))
    wizard = window.wizard
    qtbot.waitUntil(lambda: not wizard.is_busy())  # the file is read on the worker
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=5_000)
    # Each key when its page is on screen and ready, as a person waits to see it.
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Next: the columns
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page and wizard.mapping_page.isComplete())
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Next: the check
    qtbot.waitUntil(
        lambda: wizard.currentPage() is wizard.check_page and wizard.check_page.isComplete(), timeout=10_000
    )
    with qtbot.waitSignal(wizard.imported, timeout=10_000):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Import
    wizard.results_dialog.close()
    model, view = window.contacts.model, window.contacts.view
    qtbot.waitUntil(
        lambda: "zone" in [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    )
    titles = {model.headerData(c, Qt.Orientation.Horizontal): c for c in range(model.columnCount())}
    assert view.columnWidth(titles["zone"]) >= 120
    assert view.columnWidth(titles["blank"]) < 90
