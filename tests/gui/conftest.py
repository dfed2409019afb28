import pytest

from contactdesk.gui import messages
from contactdesk.gui.settings import use_settings_folder
from contactdesk.gui.worker import running_tasks


@pytest.fixture
def isolated_gui(tmp_path):
    """Settings in the test's own folder; a message box no test expected fails the test
    instead of blocking it; no background task may outlive the test."""
    use_settings_folder(tmp_path / "settings")
    unexpected = []
    messages.record_instead_of_showing(unexpected)
    yield
    messages.record_instead_of_showing(None)
    assert running_tasks() == []
    assert unexpected == []


@pytest.fixture
def make_window(qtbot, db_path):
    """``make_window(size=None)``: a main window on the test's database, shown and loaded; every
    window made is closed after the test, and no background task may outlive it."""
    from contactdesk.gui.main_window import MainWindow
    from contactdesk.gui.settings import AppSettings

    windows = []

    def make(size: tuple[int, int] | None = None):
        window = MainWindow(AppSettings(), db_path=db_path)
        qtbot.addWidget(window)
        if size is not None:
            window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: not window.contacts.model.is_loading())
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
    qtbot.waitUntil(lambda: running_tasks() == [], timeout=10_000)
