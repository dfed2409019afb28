"""Start the desktop app: ``contactdesk [--db PATH] [--campaign ID] [-v] [FILE ...]``."""

import argparse
import logging
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
from ..store.server import is_server_uri
from . import messages
from .display_check import missing_display
from .excepthook import install_excepthook, route_qt_messages_to_log
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
        "--db", metavar="PATH", help="database file (default: $CONTACTDESK_DB, else the user data folder)"
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


WINDOW_NOT_ON_A_SERVER_YET = (
    "The window does not work on a team (PostgreSQL) database yet; the command line does: contactdesk --help"
)


def open_database(db_path: Path) -> bool:
    """Open (or create) the database; on failure explain, and offer a fresh file when the old one is unusable."""
    try:
        init_db(db_path)
        return True
    except DatabaseError as exc:
        log.error("cannot open the database: %s", exc)
        if not exc.unusable:
            messages.error(
                None,
                "ContactDesk cannot open its database",
                f"{exc}\n\nYou can start ContactDesk with another database file: contactdesk --db PATH",
                wait=True,
            )
            return False
        problem = exc
    if not messages.confirm(
        None,
        "ContactDesk cannot open its database",
        f"{problem}\n\nStart with a new, empty database? The old file is kept: it is renamed "
        "with today's date, and its backups stay in the backups folder.",
        "Start a new database",
    ):
        return False
    try:
        kept = move_aside(db_path)
        init_db(db_path)
    except (OSError, DatabaseError) as exc:
        messages.error(
            None, "ContactDesk cannot open its database", f"A new database could not be started: {exc}", wait=True
        )
        return False
    log.warning("started a new database; the unusable file was kept as %s", kept)
    messages.info(None, "A new database was started", f"The old file was kept as:\n{kept}")
    return True


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

    if is_server_uri(resolve_db_path(args.db)):
        print(WINDOW_NOT_ON_A_SERVER_YET, file=sys.stderr)
        return 1
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

    db_path = resolve_db_path(args.db)
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
    if not open_database(db_path):
        route_qt_messages_to_log(False)
        return 1

    window = MainWindow(AppSettings(), db_path=db_path, log_path=log_path)
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
    log.info("ContactDesk %s started with database %s", __version__, db_path)
    try:
        return app.exec()
    finally:
        channel.close()
        stop_all_tasks()
        route_qt_messages_to_log(False)
        close_db()
