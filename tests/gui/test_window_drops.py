"""Dropping what cannot be imported: the same clear message after the drop as from the file dialog."""

import zipfile

import pytest
from drag_events import drag_enter_event, drop_event
from menu_clicks import choose
from PySide6.QtCore import QMimeData, QPoint, QPointF, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from contactdesk.gui import messages
from contactdesk.gui.main_window import MainWindow
from contactdesk.gui.settings import AppSettings
from contactdesk.gui.worker import running_tasks


@pytest.fixture
def window(qtbot, db_path, campaign, monkeypatch):
    window = MainWindow(AppSettings(), db_path=db_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    monkeypatch.setattr(MainWindow, "open_import_wizard", lambda self, campaign_id, path: window.opened.append(path))
    window.opened = []
    yield window
    window.close()
    qtbot.waitUntil(lambda: running_tasks() == [], timeout=10_000)


@pytest.fixture
def warned(monkeypatch):
    shown = []
    monkeypatch.setattr(messages, "warn", lambda parent, title, text: shown.append((title, text)))
    return shown


def drop_on(widget, paths, pos=None) -> tuple[QDragEnterEvent, QDropEvent]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = pos or QPoint(widget.width() * 3 // 4, widget.height() // 2)
    enter = drag_enter_event(pos, mime)
    QApplication.sendEvent(widget, enter)
    dropped = drop_event(pos, mime)
    QApplication.sendEvent(widget, dropped)
    return enter, dropped


def workbook(tmp_path):
    path = tmp_path / "Customers.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return path


def from_the_file_dialog(qtbot, window, monkeypatch, path, warned) -> tuple[str, str]:
    monkeypatch.setattr(window, "ask_open_paths", lambda: [path])
    choose(qtbot, window, "File", "Import Contacts…")
    return warned.pop()


def test_a_dropped_workbook_says_how_to_save_it_as_csv(qtbot, window, tmp_path, warned, monkeypatch):
    path = workbook(tmp_path)
    enter, dropped = drop_on(window, [path])
    assert window.opened == []
    [(title, text)] = warned  # after the drop, not only while hovering
    assert enter.isAccepted() and dropped.isAccepted()
    assert title == "This file cannot be imported"
    assert text.startswith("Customers.xlsx: This is an Excel workbook")
    assert "Save As > CSV" in text
    assert from_the_file_dialog(qtbot, window, monkeypatch, path, warned) == (title, text)


@pytest.mark.parametrize("what", ["folder", "picture"])
def test_a_dropped_folder_or_picture_is_explained_after_the_drop(qtbot, window, tmp_path, warned, monkeypatch, what):
    if what == "folder":
        path = tmp_path / "exports"
        path.mkdir()
        expected = "exports is a folder; choose or drop the CSV files in it instead."
    else:
        path = tmp_path / "photo.png"
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
        expected = "photo.png: This looks like a binary file, not a CSV text file (it is a PNG image)."
    drop_on(window, [path])
    assert warned == [("This file cannot be imported", expected)]
    assert window.opened == []
    assert from_the_file_dialog(qtbot, window, monkeypatch, path, warned) == ("This file cannot be imported", expected)


def test_a_drop_on_a_campaign_row_explains_too_and_imports_the_csv_beside_it(window, tmp_path, warned):
    good = tmp_path / "leads.csv"
    good.write_text("phone\n+14155550100\n")
    view = window.campaign_view
    row = view.visualRect(view.model().index(0)).center()
    drop_on(view.viewport(), [workbook(tmp_path), good], row)
    assert [p.name for p in window.opened] == ["leads.csv"]
    [(title, text)] = warned
    assert text.startswith("Customers.xlsx: This is an Excel workbook")


def test_hovering_a_workbook_says_why_before_the_drop(window, tmp_path, warned):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(workbook(tmp_path)))])
    enter = drag_enter_event(QPointF(300, 300), mime)
    QApplication.sendEvent(window, enter)
    assert "Customers.xlsx cannot be imported" in window.statusBar().currentMessage()
    assert window.overlay.isVisible()
    assert warned == []


def test_a_dropped_pipe_is_refused_without_waiting_for_it(window, tmp_path, warned):
    import os

    pipe = tmp_path / "contacts.fifo"
    os.mkfifo(pipe)
    drop_on(window, [pipe])  # reading it would wait for a writer that never comes
    assert warned == [
        (
            "This file cannot be imported",
            "contacts.fifo cannot be imported: it is not a file. ContactDesk imports .csv, .tsv and .txt files.",
        )
    ]
