"""What the wizard shows of column detection: the row with the column names, first and last
names as targets of their own, and a phone column found from its values."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from contactdesk.gui import messages
from contactdesk.gui.wizard import ImportWizard
from contactdesk.gui.wizard.mapping_model import ColumnChoicesModel


def open_wizard(qtbot, campaign_id, path) -> ImportWizard:
    wizard = ImportWizard(campaign_id, path)
    qtbot.addWidget(wizard)
    wizard.open()
    qtbot.waitUntil(lambda: not wizard.is_busy())  # the files are read on the worker
    return wizard


def target_text(wizard, header: str) -> str:
    page = wizard.mapping_page
    return page.model.index(page.model.row_of(header), ColumnChoicesModel.TARGET).data()


def type_into_focus(text: str, then=Qt.Key.Key_Tab) -> None:
    widget = QApplication.focusWidget()
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(widget, text)
    QTest.keyClick(QApplication.focusWidget(), then)


def test_preview_shows_the_row_with_the_column_names_and_lets_the_person_change_it(
    qtbot, campaign, data_dir, monkeypatch
):
    wizard = open_wizard(qtbot, campaign.id, data_dir / "title_rows_and_footer.csv")
    preview = wizard.preview_page
    assert preview.header_check.isChecked() and preview.header_check.text() == "&Column names on row"
    assert preview.header_row_spin.value() == 4
    assert preview.model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    assert preview.model.headerData(0, Qt.Orientation.Vertical) == "5"  # the file's own row numbers
    assert "Rows 1 to 3 above the column names were skipped" in preview.note_label.text()

    preview.header_row_spin.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    type_into_focus("3")
    qtbot.waitUntil(lambda: not wizard.is_busy())
    assert wizard.session.read_options["header_row"] == 3
    assert preview.model.headerData(0, Qt.Orientation.Horizontal) == "CLIENTS"

    assert wizard.currentId() == wizard.page_ids()["preview"]
    preview.header_row_spin.setFocus()
    QTest.keyClick(preview.header_row_spin, Qt.Key.Key_Up)  # back to row 4 with the arrow key
    qtbot.waitUntil(lambda: not wizard.is_busy())
    assert preview.model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    wizard.next()
    assert target_text(wizard, "First Name") == "First name  · auto"
    assert target_text(wizard, "Last Name") == "Last name  · auto"
    assert target_text(wizard, "Name") == "Name  · auto"
    # The row was chosen by hand: closing now asks before discarding that choice.
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok_label: asked.append(title) or True)
    wizard.reject()
    assert asked == ["Discard your changes?"] and not wizard.isVisible()


def test_mapping_page_marks_a_phone_column_found_from_its_values(qtbot, campaign, write_csv):
    path = write_csv("Kunde,Kontakt\nAnn,+49 30 1234567\nBob,+49 170 1234567\nCem,+49 89 7654321\n")
    wizard = open_wizard(qtbot, campaign.id, path)
    wizard.next()
    page = wizard.mapping_page
    assert target_text(wizard, "Kontakt") == "Phone number · detected from values"
    assert page.note_label.isVisibleTo(page)
    assert "Phone numbers taken from 'Kontakt' because its values are phone numbers" in page.note_label.text()
    assert page.isComplete()
