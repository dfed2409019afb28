"""Where the database file lives: --db, else $CONTACTDESK_DB, else the user data folder."""

import os
from pathlib import Path

import platformdirs

APP_NAME = "ContactDesk"
DB_FILE_NAME = "contactdesk.sqlite3"
ENV_VAR = "CONTACTDESK_DB"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILE_NAME


def resolve_db_path(cli_value: str | os.PathLike | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    return default_db_path()


def user_log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
