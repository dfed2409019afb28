"""The command-line front end: a thin layer over core/ and store/.

``--json`` prints exactly one JSON document on stdout; messages go to stderr.
Exit codes: 0 success, 2 usage error, 3 bad file or mapping (400), a file that changed during
its import, a refused export destination, 4 not found (404), 5 processing or database failure
(500): also an import kept the database busy too long, or the database is read-only, unreadable,
damaged or newer, 130 interrupted.
"""

import argparse
import json
import sqlite3
import sys
from pathlib import Path

from . import cli_dnc, cli_team
from .cli_text import say, shown
from .core import campaign_hours, campaigns, contacts, dnc
from .core.calling_hours import HoursError, state_rules
from .core.export import ExportRefused, export_contacts
from .core.import_plan import prepare_import
from .core.importer import run_import
from .core.phone import DEFAULT_REGION, UnknownRegion, phone_settings
from .core.result import BAD_REQUEST, CANCELLED, FAILED, NOT_FOUND, OK
from .store import STATUSES, DatabaseError, backup, db, init_db, resolve_db_path, write_lock
from .store.connection import ReadOnlyDatabaseError, is_read_only, read_only_message, require_writable
from .store.driver import peewee as pw
from .store.models import DO_NOT_CALL, KEEP_PENDING, REPLACE

EXIT_OK, EXIT_USAGE, EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_FAILED, EXIT_INTERRUPTED = 0, 2, 3, 4, 5, 130
EXIT_FOR_STATUS = {
    OK: EXIT_OK,
    BAD_REQUEST: EXIT_BAD_INPUT,
    NOT_FOUND: EXIT_NOT_FOUND,
    FAILED: EXIT_FAILED,
    CANCELLED: EXIT_INTERRUPTED,
}
COMMANDS = ("campaign", "import", "contacts", "selftest", "db", *cli_dnc.COMMANDS)


class UsageError(Exception):
    pass


class CommandError(Exception):
    """A failure with an exit code; the message is for people."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{self.prog}: {message}")


def _common() -> argparse.ArgumentParser:
    parent = _Parser(add_help=False)
    parent.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database file (default: $CONTACTDESK_DB, else the user data folder)",
    )
    parent.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document on stdout"
    )
    return parent


USAGE = """contactdesk [--db PATH] [--campaign ID] [-v] [FILE ...]
       contactdesk [--db PATH] [--json] [-v] COMMAND ..."""
DESCRIPTION = """Offline calling campaigns: import contacts from CSV files.

With no command, contactdesk opens the window:
  FILE ...        CSV files to import, together as one list (the import wizard opens on them)
  --campaign ID   the campaign to import the FILEs into (default: the selected one)"""


class _ShowVersion(argparse.Action):
    """``--version``: the version is looked up only when asked for (see the package's __init__)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help="show the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        from . import __version__

        print(f"ContactDesk {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = _Parser(
        prog="contactdesk",
        usage=USAGE,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action=_ShowVersion)
    parser.add_argument("-v", "--verbose", action="store_true", help="more detail in the log")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser, prog="contactdesk")

    campaign = commands.add_parser("campaign", help="create and list campaigns", parents=[common])
    campaign_cmds = campaign.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    create = campaign_cmds.add_parser("create", help="create a campaign", parents=[common])
    create.add_argument("name", help="the new campaign's name")
    campaign_cmds.add_parser("list", help="list campaigns with their contact counts", parents=[common])
    rename = campaign_cmds.add_parser("rename", help="rename a campaign", parents=[common])
    rename.add_argument("campaign_id", type=int, help="the campaign's id (see campaign list)")
    rename.add_argument("name", help="the new name")
    delete = campaign_cmds.add_parser("delete", help="delete a campaign and its contacts", parents=[common])
    delete.add_argument("campaign_id", type=int, help="the campaign's id (see campaign list)")
    hours = campaign_cmds.add_parser("hours", help="show or set a campaign's calling hours", parents=[common])
    hours.add_argument("campaign_id", type=int, help="the campaign's id (see campaign list)")
    hours.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="SPEC",
        help="change the hours of some days, e.g. 'mon-fri 09:00-20:00' or 'sun closed' (repeatable)",
    )

    imp = commands.add_parser("import", help="import a CSV file into a campaign", parents=[common])
    imp.add_argument("campaign_id", type=int, help="the campaign to import into (see campaign list)")
    imp.add_argument("file", help="the CSV file (comma, semicolon, tab or pipe separated)")
    imp.add_argument(
        "--mapping", metavar="JSON", help='column mapping as JSON, or @file.json: {"Mobile": "phone_number"}'
    )
    imp.add_argument(
        "--region", default=DEFAULT_REGION, metavar="CC", help="country for numbers without +code (default US)"
    )
    imp.add_argument("--strict", action="store_true", help="reject numbers that are not assigned (such as 555 numbers)")
    imp.add_argument("--dry-run", action="store_true", help="check the file and report, changing nothing")
    imp.add_argument(
        "--keep-pending",
        action="store_true",
        help="add to the campaign, keeping its pending and skipped contacts (default: the import replaces them)",
    )
    imp.add_argument(
        "--header-row",
        type=int,
        metavar="N",
        help="the row that holds the column names (default: detected; rows above it are skipped)",
    )
    cli_team.add_caller_option(imp)

    cont = commands.add_parser("contacts", help="list, mark and export contacts", parents=[common])
    cont_cmds = cont.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    listing = cont_cmds.add_parser("list", help="list a campaign's contacts", parents=[common])
    listing.add_argument("campaign_id", type=int, help="the campaign's id (see campaign list)")
    listing.add_argument("--status", choices=STATUSES)
    listing.add_argument("--search", default="", help="text in phone, name, email or company")
    listing.add_argument(
        "--region", default=DEFAULT_REGION, metavar="CC", help="country of digits searched without +code (default US)"
    )
    listing.add_argument(
        "--at", metavar="TIME", help="local times and calling windows at TIME (ISO 8601 with offset or Z; default now)"
    )
    listing.add_argument(
        "--callable-now", action="store_true", help="only the contacts that may be called at TIME (or now)"
    )
    mark = cont_cmds.add_parser("mark", help="set the status of contacts by phone number", parents=[common])
    mark.add_argument("campaign_id", type=int, help="the campaign's id (see campaign list)")
    mark.add_argument("status", choices=STATUSES, help="the new status: %(choices)s")
    mark.add_argument("phones", nargs="+", metavar="PHONE", help="phone numbers, written in any format")
    mark.add_argument(
        "--region", default=DEFAULT_REGION, metavar="CC", help="country for numbers without +code (default US)"
    )
    mark.add_argument("--note", default="", metavar="TEXT", help="with do_not_call: the note kept on the list")
    cli_team.add_caller_option(mark)
    cli_team.add_next_command(cont_cmds, common)
    export = cont_cmds.add_parser("export", help="export a campaign's contacts to CSV", parents=[common])
    export.add_argument("campaign_id", type=int, help="the campaign's id (see campaign list)")
    export.add_argument("out", help="the CSV file to write")
    export.add_argument("--status", choices=STATUSES)
    export.add_argument("--search", default="", help="text in phone, name, email or company")
    export.add_argument(
        "--region", default=DEFAULT_REGION, metavar="CC", help="country of digits searched without +code (default US)"
    )
    export.add_argument("--force", action="store_true", help="replace an existing file that is not a CSV file")

    database = commands.add_parser("db", help="back up, restore and check the database", parents=[common])
    db_cmds = database.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    backup = db_cmds.add_parser("backup", help="copy the database (safe while the app is open)", parents=[common])
    backup.add_argument("file", nargs="?", help="where to write the copy (default: the backups folder)")
    restore = db_cmds.add_parser(
        "restore", help="replace the database with a backup (the current state is backed up first)", parents=[common]
    )
    restore.add_argument("file", help="the backup to restore (see db backups)")
    db_cmds.add_parser("check", help="check the database's integrity", parents=[common])
    db_cmds.add_parser("backups", help="list the backups", parents=[common])

    selftest = commands.add_parser(
        "selftest", help="run the desktop app's import path headless and report", parents=[common]
    )
    selftest.add_argument("--keep", action="store_true", help="keep the temporary folder")
    cli_dnc.add_commands(commands, common, _Parser)
    return parser


def _emit_json(document) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _configure_output(as_json: bool) -> None:
    """Never fail on a character the console cannot show; JSON is always UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if as_json and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")


def changes_the_database(args) -> bool:
    """Does this command write? Those wait (visibly, for a limited time) for a running import,
    and are refused at once on a read-only database."""
    action = getattr(args, "action", None)
    if args.command == "campaign":
        return action in ("create", "rename", "delete") or (action == "hours" and bool(args.set))
    if args.command == "contacts":
        return action in ("mark", "next")
    if args.command == "db":
        return action == "restore"
    if args.command == "dnc":
        return action in ("add", "remove", "import")
    if args.command == "undo":
        return args.yes
    return args.command == "import"  # a dry run too: it runs the import in a transaction it rolls back


def _before_a_change(args) -> None:
    cli_team.refuse_what_a_server_cannot_do_yet(args, CommandError)
    if not changes_the_database(args):
        return
    require_writable()
    write_lock.wait_for_writers(
        db.connection(), write_lock.WAIT_FOR_IMPORT_SECONDS, on_wait=lambda: say("waiting for the running import…")
    )


def _read_mapping(value: str | None):
    if value is None or not value.startswith("@"):
        return value
    path = Path(value[1:]).expanduser()
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(
            f"Cannot read the mapping file {path}: {getattr(exc, 'strerror', None) or exc}.", EXIT_BAD_INPUT
        ) from None


def _progress_printer():
    if not sys.stderr.isatty():
        return None

    def show(rows: int, done: int, total: int) -> None:
        share = f"{done * 100 // total}%" if total else ""
        print(f"\rImporting… {share} {rows:,} rows", end="", file=sys.stderr, flush=True)

    return show


def cmd_import(args) -> int:
    mapping = _read_mapping(args.mapping)
    progress = _progress_printer()
    try:
        # The same plan the wizard builds from the person's choices, here from the flags.
        plan = prepare_import(
            args.campaign_id,
            args.file,
            mapping,
            region=args.region,
            strict=args.strict,
            mode=KEEP_PENDING if args.keep_pending else REPLACE,
            header_row=args.header_row,
        )
        result = run_import(plan, progress, dry_run=args.dry_run, caller=cli_team.caller_of(args))
    finally:
        if progress:
            print("\r\033[K", end="", file=sys.stderr)
    if args.json:
        _emit_json(result.to_dict())
    else:
        print(shown(result.message))
        if result.success:
            dry = result.dry_run
            print(f"  {'would import:' if dry else 'imported:':<23}{result.imported_count:,}")
            print(
                f"  duplicates skipped:    {result.skipped_duplicates:,}"
                f" ({result.duplicates_in_file:,} repeated in the file,"
                f" {result.duplicates_in_campaign:,} already in the campaign)"
            )
            print(f"  invalid rows:          {result.invalid_count:,}")
            if result.mode == KEEP_PENDING:
                print(f"  kept (already in the campaign): {result.kept_count:,}")
            else:
                print(f"  {'would replace' if dry else 'replaced'} (pending/skipped removed): {result.removed_count:,}")
            print(f"  contacts in the campaign {'after' if dry else 'now'}: {result.total_contacts:,}")
            if result.backup_path:
                print(f"  backup before the import: {result.backup_path}")
            detected = result.detected
            print(
                f"  file: {result.file_name} ({detected.get('encoding')}, {detected.get('delimiter')}, "
                + (f"column names on row {detected.get('header_row')})" if detected.get("header") else "no header)")
            )
            for error in result.errors[:20]:
                print(f"  row {error.row}: {error.value!r} in {error.column!r}: {error.reason}")
            if result.error_count > 20:
                print(f"  … and {result.error_count - 20:,} more invalid rows (use --json to see them)")
        for warning in result.warnings:
            say(f"warning: {warning}")
    return EXIT_FOR_STATUS.get(result.status, EXIT_FAILED)


def cmd_campaign(args) -> int:
    if args.action == "create":
        summary = campaigns.create_campaign(args.name)
        if args.json:
            _emit_json({"id": summary.id, "name": summary.name})
        else:
            print(f"Created campaign {summary.id}: {shown(summary.name)}")
    elif args.action == "list":
        summaries = campaigns.list_campaigns()
        if args.json:
            _emit_json([summary.to_dict() for summary in summaries])
        elif not summaries:
            say("No campaigns yet. Create one with: contactdesk campaign create NAME")
        else:
            print(f"{'ID':>5}  {'CONTACTS':>9}  {'PENDING':>8} {'COMPLETED':>9} {'FAILED':>7} {'SKIPPED':>7}  NAME")
            for s in summaries:
                b = s.by_status
                print(
                    f"{s.id:>5}  {s.total_contacts:>9,}  {b['pending']:>8,} {b['completed']:>9,} "
                    f"{b['failed']:>7,} {b['skipped']:>7,}  {shown(s.name)}"
                )
    elif args.action == "rename":
        summary = campaigns.rename_campaign(args.campaign_id, args.name)
        _emit_json(summary.to_dict()) if args.json else print(f"Renamed campaign {summary.id} to {shown(summary.name)}")
    elif args.action == "hours":
        return _campaign_hours(args)
    elif args.action == "delete":
        removed = campaigns.delete_campaign(args.campaign_id)
        if args.json:
            _emit_json({"id": args.campaign_id, "deleted_contacts": removed})
        else:
            print(f"Deleted campaign {args.campaign_id} and its {removed:,} contacts")
    return EXIT_OK


def _campaign_hours(args) -> int:
    hours = (
        campaign_hours.set_campaign_hours(args.campaign_id, args.set)
        if args.set
        else campaign_hours.campaign_hours(args.campaign_id)
    )
    rules = [rule.to_dict() for rule in state_rules().values()]
    if args.json:
        _emit_json(
            {"campaign_id": args.campaign_id, "hours": hours.to_dict(), "specs": hours.specs(), "state_rules": rules}
        )
        return EXIT_OK
    print(f"Calling hours of campaign {args.campaign_id}, in each contact's local time:")
    for spec in hours.specs():
        print(f"  {spec}")
    print("Stricter state rules also apply (not legal advice; 'unverified': statute text not checked):")
    for rule in rules:
        print(f"  {rule['state']}: {', '.join(rule['hours'])} ({rule['status']})")
    return EXIT_OK


def cmd_contacts(args) -> int:
    campaigns.get_campaign(args.campaign_id)
    if args.action == "next":
        return cli_team.cmd_next(args, UsageError)
    if args.action == "mark":
        caller = cli_team.caller_of(args)
        if args.status == DO_NOT_CALL:  # as the window's "Do not call…": on the list for every campaign
            result = dnc.mark_contacts(args.campaign_id, args.phones, note=args.note, region=args.region, caller=caller)
        else:
            result = contacts.mark_phones(args.campaign_id, args.status, args.phones, region=args.region, caller=caller)
        if args.json:
            _emit_json(result.to_dict())
        else:
            print(f"Marked {result.updated:,} contacts as {result.status}.")
            for number in result.not_found:
                say(f"not in the campaign: {number}")
            for item in result.invalid:
                say(f"not a phone number: {item['value']!r} ({item['reason']})")
        return (
            EXIT_OK
            if not result.invalid and not result.not_found
            else EXIT_NOT_FOUND
            if not result.invalid
            else EXIT_BAD_INPUT
        )
    statuses = (args.status,) if args.status else ()
    try:
        region, _strict = phone_settings(args.region)
    except UnknownRegion as exc:
        say(str(exc))
        return EXIT_BAD_INPUT
    contact_filter = contacts.ContactFilter(args.campaign_id, statuses, args.search, region=region)
    if args.action == "export":
        try:
            count = export_contacts(contact_filter, args.out, overwrite=args.force)
        except ExportRefused as exc:
            hint = " Add --force to replace it." if exc.needs_confirmation else ""
            raise CommandError(f"{exc}{hint}", EXIT_BAD_INPUT) from None
        except OSError as exc:
            raise CommandError(f"Cannot write {args.out}: {exc.strerror or exc}.", EXIT_FAILED) from None
        if args.json:
            _emit_json({"exported": count, "file": str(Path(args.out).resolve())})
        else:
            print(f"Exported {count:,} contacts to {args.out}")
        return EXIT_OK
    at = cli_team.at_option(args.at, "contacts list", UsageError)
    windows = campaign_hours.calling_windows(args.campaign_id)
    rows = ((row, windows.status(row.time_zones, row.state, at)) for row in contacts.iter_contacts(contact_filter))
    if args.callable_now:
        rows = ((row, status) for row, status in rows if status.callable)
    if args.json:
        # Streamed: a campaign can hold a million contacts.
        sys.stdout.write("[")
        for index, (row, status) in enumerate(rows):
            document = row.to_dict() | status.to_dict()
            sys.stdout.write(("," if index else "") + "\n  " + json.dumps(document, ensure_ascii=False))
        sys.stdout.write("\n]\n")
    else:
        count = 0
        for row, status in rows:
            count += 1
            local = status.local_time.strftime("%a %H:%M") if status.local_time else "?"
            name, email, company = (shown(value)[:30] for value in (row.name, row.email, row.company))
            print(
                f"{row.phone_number:<16} {row.status:<10} {local:<9} {status.describe(at)[:22]:<22}"
                f" {name:<30} {email:<30} {company}"
            )
        if not count:
            say("No contacts.")
    return EXIT_OK


def cmd_db(args) -> int:
    if args.action == "backup":
        path = backup.backup_database("manual", Path(args.file).expanduser() if args.file else None)
        _emit_json({"backup": str(path)}) if args.json else print(f"Backed up to {path}")
    elif args.action == "restore":
        safety = backup.restore_database(Path(args.file).expanduser())
        if args.json:
            _emit_json({"restored": str(Path(args.file).resolve()), "previous_state": str(safety)})
        else:
            print(f"Restored from {args.file}. The previous state was saved as {safety}")
    elif args.action == "check":
        report = backup.check_file(backup.database_path())
        if args.json:
            _emit_json(report.to_dict())
        elif report.ok:
            print(
                f"The database is fine: {report.campaigns:,} campaigns, {report.contacts:,} contacts ({report.path})."
            )
        else:
            print(f"The database has problems ({report.path}):")
            for problem in report.problems:
                print(f"  {problem}")
        return EXIT_OK if report.ok else EXIT_FAILED
    elif args.action == "backups":
        paths = backup.list_backups()
        if args.json:
            _emit_json([{"file": str(p), "size": p.stat().st_size} for p in paths])
        elif not paths:
            say("No backups yet.")
        else:
            for path in paths:
                print(path)
    return EXIT_OK


def cmd_selftest(args) -> int:
    from .gui.selftest import run_selftest  # imports Qt; only this command needs it

    return run_selftest(as_json=args.json, keep=args.keep)


HANDLERS = {
    "campaign": cmd_campaign,
    "import": cmd_import,
    "contacts": cmd_contacts,
    "db": cmd_db,
    "selftest": cmd_selftest,
    **cli_dnc.HANDLERS,
}


def _database_trouble(exc: Exception) -> str:
    if write_lock.is_busy_error(exc) or "locked" in str(exc) or "busy" in str(exc):
        return "The database is in use by another program (an import?); try again when it has finished."
    if is_read_only() or "readonly" in str(exc):
        return read_only_message()
    return f"The database could not be used: {exc}."


def run_cli(argv: list[str]) -> int:
    """Run a command; never lets a traceback reach the user for their own mistakes."""
    wants_json = "--json" in argv
    _configure_output(wants_json)
    try:
        args = build_parser().parse_args(argv)
        args.json = getattr(args, "json", False)
        if args.command is None:
            raise UsageError("contactdesk: a command is needed (see contactdesk --help)")
        if args.command != "selftest":
            init_db(resolve_db_path(getattr(args, "db", None)))
            _before_a_change(args)
        return HANDLERS[args.command](args)
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE, wants_json, "usage")
    except (campaigns.CampaignReadOnly, ReadOnlyDatabaseError) as exc:
        return _fail(str(exc), EXIT_FAILED, wants_json, "read_only")
    except (campaigns.CampaignError, contacts.StatusError, HoursError) as exc:
        return _fail(str(exc), EXIT_BAD_INPUT, wants_json, "bad_request")
    except dnc.DncCampaignNotFound as exc:
        return _fail(str(exc), EXIT_NOT_FOUND, wants_json, "not_found")
    except dnc.DncError as exc:
        return _fail(str(exc), EXIT_BAD_INPUT, wants_json, "bad_request")
    except campaigns.CampaignNotFound as exc:
        return _fail(str(exc), EXIT_NOT_FOUND, wants_json, "not_found")
    except (DatabaseError, backup.BackupError) as exc:
        return _fail(str(exc), EXIT_FAILED, wants_json, "database")
    except write_lock.DatabaseBusy as exc:
        return _fail(str(exc), EXIT_FAILED, wants_json, "busy")
    except (pw.OperationalError, sqlite3.OperationalError) as exc:
        return _fail(_database_trouble(exc), EXIT_FAILED, wants_json, "database")
    except CommandError as exc:
        return _fail(str(exc), exc.exit_code, wants_json, "error")
    except cli_team.server_errors() as exc:
        return _fail(cli_team.server_trouble(exc), EXIT_FAILED, wants_json, "database")
    except KeyboardInterrupt:
        return _fail("Interrupted; nothing was changed.", EXIT_INTERRUPTED, wants_json, "interrupted")


def _fail(message: str, code: int, wants_json: bool, kind: str) -> int:
    if wants_json:
        _emit_json({"success": False, "error": kind, "message": message})
    say(message)
    return code
