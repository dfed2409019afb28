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
