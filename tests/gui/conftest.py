import time

import pytest
from PySide6.QtWidgets import QApplication
from shown_window import show_window

from contactdesk.gui import messages
from contactdesk.gui.main_thread_gc import MainThreadCollector
from contactdesk.gui.settings import use_settings_folder
from contactdesk.gui.worker import running_tasks


class MessageBoxes:
    """The message boxes a test made ContactDesk show (recorded, never shown).

    ``expect(title, answer)`` says a box with that title may appear, and what a question
    (``confirm``, ``ask_text``) is answered; any other box fails the test."""

    def __init__(self):
        self.shown: list[tuple[str, str, str]] = []  # (kind, title, text), in order
        self.answers: dict[str, object] = {}

    def expect(self, title: str, answer: object = True) -> None:
        self.answers[title] = answer

    def show_for_real(self) -> None:
        """For a test of a box itself: boxes are shown from now on (the test closes them)."""
        messages.record_instead_of_showing(None)

    @property
    def titles(self) -> list[str]:
        return [title for _, title, _ in self.shown]

    def unexpected(self) -> list[tuple[str, str, str]]:
        return [box for box in self.shown if box[1] not in self.answers]


@pytest.fixture(scope="session", autouse=True)
def collector_on_the_window_thread(qapp):
    """As in the app: a Qt object left in a reference cycle by one test is collected on the
    window's thread, never by a worker thread of a later test (which can freeze both)."""
    collector = MainThreadCollector(qapp)
    yield collector
    collector.stop()


@pytest.fixture(autouse=True)
def isolated_gui(tmp_path, monkeypatch):
    """Every GUI test: settings in the test's own folder; a message box the test did not expect
    fails it instead of blocking it; no background task may outlive the test."""
    use_settings_folder(tmp_path / "settings")
    boxes = MessageBoxes()
    messages.record_instead_of_showing(boxes.shown)
    real_confirm, real_ask_text = messages.confirm, messages.ask_text
    monkeypatch.setattr(
        messages,
        "confirm",
        lambda parent, title, text, ok_label: boxes.answers.get(title, real_confirm(parent, title, text, ok_label)),
    )
    monkeypatch.setattr(
        messages,
        "ask_text",
        lambda parent, title, label, text="": boxes.answers.get(title, real_ask_text(parent, title, label, text)),
    )
    yield boxes
    messages.record_instead_of_showing(None)
    # Let finished tasks deliver their queued results, then nothing may be left running.
    deadline = time.monotonic() + 5
    while running_tasks() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    assert running_tasks() == []
    assert boxes.unexpected() == []


@pytest.fixture
def make_window(qtbot, db_path):
    """``make_window(size=None)``: a main window on the test's database, shown and loaded; every
    window made is closed after the test, and no background task may outlive it."""
    from contactdesk.gui.main_window import MainWindow
    from contactdesk.gui.settings import AppSettings

    windows = []

    def make(size: tuple[int, int] | None = None):
        window = show_window(qtbot, MainWindow(AppSettings(), db_path=db_path), size)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
    qtbot.waitUntil(lambda: running_tasks() == [], timeout=10_000)
