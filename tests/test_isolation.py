"""The test session never writes into the real user folders."""

import os
import tempfile
from pathlib import Path

import platformdirs


def test_user_data_log_and_config_folders_are_a_temporary_folder():
    temporary = Path(tempfile.gettempdir())
    for folder in (
        platformdirs.user_data_dir("ContactDesk", appauthor=False),
        platformdirs.user_log_dir("ContactDesk", appauthor=False),
        platformdirs.user_config_dir("ContactDesk", appauthor=False),
    ):
        assert Path(folder).is_relative_to(temporary)
        assert not Path(folder).is_relative_to(Path.home()) or Path.home().is_relative_to(temporary)
    assert "CONTACTDESK_DB" not in os.environ
