"""The team server chosen in Settings: its URI from the fields, its password in libpq's password
file, and a connection test.

Passwords never go into ContactDesk's settings file. They go where libpq itself looks for them:
the password file (``PGPASSFILE``, else ``~/.pgpass``; on Windows
``%APPDATA%\\postgresql\\pgpass.conf``), one ``host:port:database:user:password`` line, readable
by the user only. psql, pg_dump and every libpq program read the same file, and it needs no
keyring service (a headless machine has none).
"""

import os
import sys
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

SSL_MODES = ("disable", "prefer", "require", "verify-full")
DEFAULT_PORT = 5432
CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class ServerChoice:
    host: str = "localhost"
    port: int = DEFAULT_PORT
    database: str = "contactdesk"
    user: str = ""
    sslmode: str = "prefer"

    def problem(self) -> str | None:
        """What is missing for a connection, for people; None when the fields are complete."""
        if not self.host.strip():
            return "Enter the server's host name."
        if not self.database.strip():
            return "Enter the name of the database on the server."
        if not self.user.strip():
            return "Enter your user name on the server."
        if self.sslmode not in SSL_MODES:
            return f"TLS mode must be one of {', '.join(SSL_MODES)}."
        if not 0 < int(self.port) < 65536:
            return "The port is a number from 1 to 65535."
        return None

    def uri(self) -> str:
        """The libpq URI, without a password: libpq finds it in the password file."""
        host = self.host.strip()
        user = urllib.parse.quote(self.user.strip(), safe="")
        database = urllib.parse.quote(self.database.strip(), safe="")
        query = {"sslmode": self.sslmode}
        if host.startswith("/"):  # a Unix-socket folder goes in the query, not the authority
            query.update(host=host, port=str(int(self.port)))
            netloc = f"{user}@"
        else:
            shown_host = f"[{host}]" if ":" in host else urllib.parse.quote(host, safe="")
            netloc = f"{user}@{shown_host}:{int(self.port)}"
        return f"postgresql://{netloc}/{database}?{urllib.parse.urlencode(query)}"


def pgpass_path() -> Path:
    """The password file libpq reads (the same rule as libpq's)."""
    given = os.environ.get("PGPASSFILE", "").strip()
    if given:
        return Path(given).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", str(Path.home()))) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def _fields(line: str) -> list[str]:
    """A password-file line split at its unescaped colons (escapes kept)."""
    fields, current, escaped = [], "", False
    for char in line:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            current += char
            escaped = True
        elif char == ":":
            fields.append(current)
            current = ""
        else:
            current += char
    fields.append(current)
    return fields


def save_password(choice: ServerChoice, password: str) -> Path:
    """Keep ``password`` for this server, database and user in the password file (replacing the
    line for the same four, leaving every other line as it was); the file is made readable by the
    user only, as libpq requires. Returns the file's path."""
    path = pgpass_path()
    key = [_escaped(choice.host.strip()), str(int(choice.port)), _escaped(choice.database.strip())]
    key.append(_escaped(choice.user.strip()))
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    kept = [line for line in lines if _fields(line)[:4] != key]
    kept.append(":".join([*key, _escaped(password)]))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pgpass-")
    try:
        os.chmod(temporary, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write("\n".join(kept) + "\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


class ConnectionFailed(Exception):
    """The server's reason, in one line."""


def server_version(uri: str, password: str | None = None) -> str:
    """Connect to ``uri`` once and return the server's version ("16.4"); raises ConnectionFailed
    with the reason in one line (or that the team extra is missing)."""
    from .server import TEAM_EXTRA_MESSAGE

    try:
        import psycopg
    except ImportError:
        raise ConnectionFailed(TEAM_EXTRA_MESSAGE) from None
    extra = {"password": password} if password else {}
    try:
        with psycopg.connect(uri, connect_timeout=CONNECT_TIMEOUT_S, autocommit=True, **extra) as conn:
            return conn.info.parameter_status("server_version") or "?"
    except psycopg.Error as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        raise ConnectionFailed(" ".join(lines) or type(exc).__name__) from None
