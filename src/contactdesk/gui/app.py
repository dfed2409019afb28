"""Start the desktop app: ``contactdesk [--db PATH] [--campaign ID] [-v] [FILE ...]``."""

import argparse
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from .. import __version__
from ..assets import APP_ID, app_icon_files
from ..log import log_file_path
from ..store import DatabaseError, close_db, init_db, resolve_db_path
from ..store.backup import move_aside
from ..store.connection import is_read_only, read_only_message
from ..store.paths import ENV_VAR, default_db_path
from ..store.server import is_server_uri, shown_uri
from . import messages
from .display_check import missing_display
from .excepthook import install_excepthook, route_qt_messages_to_log
from .main_thread_gc import MainThreadCollector
from .main_window import MainWindow
from .settings import APPLICATION, ORGANIZATION, AppSettings
from .single_instance import InstanceChannel
from .worker import stop_all_tasks

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contactdesk",
        description="ContactDesk: offline calling campaigns. Without a command, opens the window.",
        epilog="Command-line tools: contactdesk campaign|import|contacts|selftest --help",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="database file or postgresql:// URI (default: $CONTACTDESK_DB, else the choice in Settings, "
        "else the user data folder)",
    )
    parser.add_argument("--campaign", metavar="ID", type=int, help="campaign to import the FILEs into")
    parser.add_argument("-v", "--verbose", action="store_true", help="more detail in the log")
    parser.add_argument("--version", action="version", version=f"ContactDesk {__version__}")
    parser.add_argument("files", nargs="*", metavar="FILE", help="CSV files to import, together as one list")
    return parser


def open_files(window: MainWindow, campaign_id: int | None, files: list[str]) -> None:
    """FILEs named on the command line: into --campaign, else the selected or only campaign,
    else a new campaign named after the first file (after asking)."""
    paths = [Path(name).expanduser() for name in files]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        messages.warn(
            window,
            "File not found",
            "These files do not exist or are not files:\n" + "\n".join(str(p) for p in missing),
        )
    paths = [p for p in paths if p.is_file()]
    if not paths:
        return
    if campaign_id is not None and window.campaign_model.row_of(campaign_id) < 0:
        messages.warn(
            window,
            "Campaign not found",
            f"Campaign {campaign_id} was not found, so {paths[0].name} was not imported.\n\n"
            "Choose a campaign and use File > Import Contacts.",
        )
        return
    window.import_files(campaign_id or 0, paths)


def chosen_database(cli_value: str | None, settings: AppSettings) -> Path | str:
    """--db, else $CONTACTDESK_DB, else the team server chosen in Settings, else this computer's file."""
    if cli_value or os.environ.get(ENV_VAR, "").strip():
        return resolve_db_path(cli_value)
    return settings.server_uri() or default_db_path()


def open_database(db_path: Path | str, chosen_in_settings: bool = False) -> Path | str | None:
    """Open (or create) the database and return where it is; on failure explain, and offer a fresh
    file when the old one is unusable, or this computer's file when the team server of Settings fails."""
    try:
        init_db(db_path)
        return db_path
    except DatabaseError as exc:
        log.error("cannot open the database: %s", exc)
        if is_server_uri(db_path):
            return _server_failed(exc, chosen_in_settings)
        if not exc.unusable:
            messages.error(
                None,
                "ContactDesk cannot open its database",
                f"{exc}\n\nYou can start ContactDesk with another database file: contactdesk --db PATH",
                wait=True,
            )
            return None
        problem = exc
    if not messages.confirm(
        None,
        "ContactDesk cannot open its database",
        f"{problem}\n\nStart with a new, empty database? The old file is kept: it is renamed "
        "with today's date, and its backups stay in the backups folder.",
        "Start a new database",
    ):
        return None
    try:
        kept = move_aside(db_path)
        init_db(db_path)
    except (OSError, DatabaseError) as exc:
        messages.error(
            None, "ContactDesk cannot open its database", f"A new database could not be started: {exc}", wait=True
        )
        return None
    log.warning("started a new database; the unusable file was kept as %s", kept)
    messages.info(None, "A new database was started", f"The old file was kept as:\n{kept}")
    return db_path


def _server_failed(problem: DatabaseError, chosen_in_settings: bool) -> Path | None:
    """The team server cannot be used: chosen on the command line, say so and stop; chosen in
    Settings, offer this computer's file for now (Settings can then be corrected)."""
    if not chosen_in_settings:
        messages.error(None, "ContactDesk cannot open its database", str(problem), wait=True)
        return None
    if not messages.confirm(
        None,
        "ContactDesk cannot open the team database",
        f"{problem}\n\nOpen the database on this computer instead? Settings > Team still names the server "
        "for the next start.",
        "Open this computer's database",
    ):
        return None
    return open_database(default_db_path())


def _another_launch(window: MainWindow, message: dict) -> None:
    """Someone ran contactdesk again (e.g. "Open with ContactDesk"): come forward, open its files."""
    window.showNormal() if window.isMinimized() else window.show()
    window.raise_()
    window.activateWindow()
    files = [name for name in message.get("files") or [] if isinstance(name, str)]
    campaign = message.get("campaign")
    if files:
        open_files(window, campaign if isinstance(campaign, int) else None, files)


def run_app(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version or a usage error: argparse already printed it
        return int(exc.code or 0)

    if QApplication.instance() is None and (reason := missing_display()):
        print(reason, file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "contactdesk"])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # Wayland matches the window to the installed .desktop file by this
    icon = QIcon()
    for path in app_icon_files():
        icon.addFile(str(path))
    if not icon.isNull():
        app.setWindowIcon(icon)
    log_path = log_file_path()
    install_excepthook(log_path)
    route_qt_messages_to_log()
    collector = MainThreadCollector(app)
    try:
        return _run_window(app, args, log_path)
    finally:
        collector.stop()


def _run_window(app: QApplication, args: argparse.Namespace, log_path: Path) -> int:
    """Hand the files to a window already open on the database, or open the window and run it."""
    settings = AppSettings()
    db_path = chosen_database(args.db, settings)
    channel = InstanceChannel(db_path)
    if channel.hand_over(
        {"files": [str(Path(f).expanduser().resolve()) for f in args.files], "campaign": args.campaign}
    ):
        print(
            "ContactDesk is already open with this database; it was brought to the front"
            + (" with the files to import." if args.files else "."),
            file=sys.stderr,
        )
        route_qt_messages_to_log(False)
        return 0
    from_settings = not args.db and not os.environ.get(ENV_VAR, "").strip()
    db_path = open_database(db_path, chosen_in_settings=from_settings and is_server_uri(db_path))
    if db_path is None:
        route_qt_messages_to_log(False)
        return 1

    window = MainWindow(settings, db_path=db_path, log_path=log_path)
    if args.campaign is not None:
        window.campaign_view.select_campaign(args.campaign)
    window.show()
    if is_read_only():
        messages.warn(window, "The database is read-only", read_only_message())
    channel.listen()
    channel.received.connect(lambda message: _another_launch(window, message))
    app.aboutToQuit.connect(stop_all_tasks)
    if args.files:
        QTimer.singleShot(0, lambda: open_files(window, args.campaign, args.files))
    log.info("ContactDesk %s started with database %s", __version__, shown_uri(str(db_path)))
    try:
        return app.exec()
    finally:
        window.watch.stop()
        channel.close()
        stop_all_tasks()
        route_qt_messages_to_log(False)
        close_db()
