"""Where the database file lives: --db, else $CONTACTDESK_DB, else the user data folder.

Either may instead be a PostgreSQL URI (team mode): it is returned as the text it is, never
made a path (``Path`` would fold its ``//``)."""

import os
from pathlib import Path

import platformdirs

APP_NAME = "ContactDesk"
DB_FILE_NAME = "contactdesk.sqlite3"
ENV_VAR = "CONTACTDESK_DB"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILE_NAME


def resolve_db_path(cli_value: str | os.PathLike | None = None) -> Path | str:
    from .server import is_server_uri

    if cli_value:
        return cli_value.strip() if is_server_uri(cli_value) else Path(cli_value).expanduser()
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return from_env if is_server_uri(from_env) else Path(from_env).expanduser()
    return default_db_path()


def user_log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
