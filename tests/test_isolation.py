"""The test session never writes into the real user folders."""

from pathlib import Path

import platformdirs

from conftest import USER_FOLDERS


def test_user_data_and_log_folders_are_the_sessions_temporary_folder():
    for folder in (
        platformdirs.user_data_dir("ContactDesk", appauthor=False),
        platformdirs.user_log_dir("ContactDesk", appauthor=False),
        platformdirs.user_config_dir("ContactDesk", appauthor=False),
    ):
        assert Path(folder).is_relative_to(USER_FOLDERS)
