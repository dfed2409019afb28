"""The person's preferences and window layout, kept in QSettings (an INI file per user)."""

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QWidget

from ..core.phone import DEFAULT_REGION, DISPLAY_STYLES, NATIONAL, UnknownRegion, phone_settings
from ..store.claims import default_caller
from ..store.team_connection import DEFAULT_PORT, SSL_MODES, ServerChoice

ORGANIZATION = APPLICATION = "ContactDesk"


def use_settings_folder(folder: str | Path) -> None:
    """Keep all settings under ``folder`` from now on (tests and the selftest: never the person's own)."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


class AppSettings:
    """Typed access to what ContactDesk remembers between runs."""

    def __init__(self, store: QSettings | None = None):
        # An explicit INI file (not the application's names), so use_settings_folder always applies.
        self._store = store or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
        )

    def sync(self) -> None:
        self._store.sync()

    # Import preferences -------------------------------------------------------------------
    def region(self) -> str:
        try:
            return phone_settings(str(self._store.value("import/region", DEFAULT_REGION) or ""))[0]
        except UnknownRegion:
            return DEFAULT_REGION

    def set_region(self, region: str) -> None:
        self._store.setValue("import/region", phone_settings(region)[0])  # UnknownRegion is a ValueError

    def strict(self) -> bool:
        return _as_bool(self._store.value("import/strict", False))

    def set_strict(self, strict: bool) -> None:
        self._store.setValue("import/strict", bool(strict))

    def phone_display(self) -> str:
        """How the contacts view shows numbers: ``national`` (as dialled in the default country) or ``international``."""
        value = str(self._store.value("view/phone_display", NATIONAL) or NATIONAL)
        return value if value in DISPLAY_STYLES else NATIONAL

    def set_phone_display(self, style: str) -> None:
        if style not in DISPLAY_STYLES:
            raise ValueError(f"Unknown way to show numbers: {style!r}.")
        self._store.setValue("view/phone_display", style)

    # Team mode -----------------------------------------------------------------------------
    # Where the data lives: "file" (this computer) or "server" (PostgreSQL); never a password.
    def uses_server(self) -> bool:
        return str(self._store.value("database/kind", "file") or "file") == "server"

    def server_choice(self) -> ServerChoice:
        try:
            port = int(self._store.value("database/port", DEFAULT_PORT))
        except (TypeError, ValueError):
            port = DEFAULT_PORT
        sslmode = str(self._store.value("database/sslmode", "prefer") or "prefer")
        default = ServerChoice()
        return ServerChoice(
            host=str(self._store.value("database/host", default.host) or ""),
            port=port if 0 < port < 65536 else DEFAULT_PORT,
            database=str(self._store.value("database/name", default.database) or ""),
            user=str(self._store.value("database/user", "") or ""),
            sslmode=sslmode if sslmode in SSL_MODES else "prefer",
        )

    def set_database(self, use_server: bool, choice: ServerChoice) -> None:
        self._store.setValue("database/kind", "server" if use_server else "file")
        self._store.setValue("database/host", choice.host.strip())
        self._store.setValue("database/port", int(choice.port))
        self._store.setValue("database/name", choice.database.strip())
        self._store.setValue("database/user", choice.user.strip())
        self._store.setValue("database/sslmode", choice.sslmode)

    def server_uri(self) -> str | None:
        """The team server chosen in Settings (None: this computer's file, or the fields are incomplete)."""
        choice = self.server_choice()
        return choice.uri() if self.uses_server() and choice.problem() is None else None

    def caller_name(self) -> str:
        """Who is calling: stored with claims and results (default: the operating system's user name)."""
        name = " ".join(str(self._store.value("team/caller", "") or "").split())
        return name or default_caller()

    def set_caller_name(self, name: str) -> None:
        self._store.setValue("team/caller", " ".join(name.split()))

    # Files ---------------------------------------------------------------------------------
    def last_folder(self) -> str:
        """The folder of the last file opened or saved, if it still exists; else the home folder."""
        folder = str(self._store.value("files/last_folder", "") or "")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def remember_folder_of(self, path: str | Path) -> None:
        path = Path(path)
        self._store.setValue("files/last_folder", str(path if path.is_dir() else path.parent))

    # Window layout -------------------------------------------------------------------------
    def last_campaign_id(self) -> int | None:
        value = self._store.value("window/last_campaign", None)
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def set_last_campaign_id(self, campaign_id: int | None) -> None:
        self._store.setValue("window/last_campaign", "" if campaign_id is None else int(campaign_id))

    def contacts_sort(self) -> str:
        return str(self._store.value("window/contacts_sort", "") or "")

    def set_contacts_sort(self, state: str) -> None:
        self._store.setValue("window/contacts_sort", state)

    def save_bytes(self, key: str, value: QByteArray) -> None:
        self._store.setValue(f"window/{key}", value)

    def load_bytes(self, key: str) -> QByteArray | None:
        value = self._store.value(f"window/{key}", None)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_geometry(self, key: str, widget: QWidget) -> None:
        self.save_bytes(f"{key}_geometry", widget.saveGeometry())

    def restore_geometry(self, key: str, widget: QWidget) -> bool:
        value = self.load_bytes(f"{key}_geometry")
        return bool(value) and widget.restoreGeometry(value)


def _as_bool(value) -> bool:
    # INI files give strings back ("true"/"false").
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
