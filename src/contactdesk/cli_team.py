"""The command line's team-mode parts: ``contacts next`` and who marks a result (kept apart from cli.py).

contactdesk contacts next CID [--caller NAME] [--at TIME] [--json]
contactdesk contacts mark CID STATUS PHONE… [--caller NAME]
"""

import argparse
import json
import sys
from datetime import UTC, datetime

from .cli_text import say, shown
from .core.calling_hours import HoursError, parse_instant
from .core.next_contact import claim_next_contact
from .store import claims

EXIT_OK = 0


def add_next_command(actions, common: argparse.ArgumentParser) -> None:
    claim = actions.add_parser(
        "next",
        help="claim the next pending contact that may be called now (callers sharing a campaign never get the same)",
        parents=[common],
    )
    claim.add_argument("campaign_id", type=int, help="the campaign's id (see campaign list)")
    add_caller_option(claim)
    claim.add_argument(
        "--at", metavar="TIME", help="claim as at TIME (ISO 8601 with offset or Z; default now): calling hours, expiry"
    )


def add_caller_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--caller", metavar="NAME", help="who is calling, stored with claims and results (default: your user name)"
    )


def caller_of(args) -> str:
    name = " ".join((getattr(args, "caller", None) or "").split())
    return name or claims.default_caller()


def at_option(text: str | None, command: str, usage_error) -> datetime:
    """The moment an ``--at TIME`` option names (now without one); a bad one is a usage error."""
    if text is None:
        return datetime.now(UTC)
    try:
        return parse_instant(text)
    except HoursError as exc:
        raise usage_error(f"contactdesk {command}: --at: {exc}") from None


def cmd_next(args, usage_error) -> int:
    caller = caller_of(args)
    claimed = claim_next_contact(args.campaign_id, caller, at_option(args.at, "contacts next", usage_error))
    if args.json:
        json.dump(None if claimed is None else claimed.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    if claimed is None:
        say("No pending contact of this campaign may be called now; none was claimed.")
        return EXIT_OK
    if not args.json:
        row = claimed.row
        print(f"{row.phone_number}  {shown(row.name)}  (claimed by {shown(caller)} until it is marked)")
    return EXIT_OK


NOT_ON_A_SERVER_YET = (
    "contactdesk {command} does not work on a team (PostgreSQL) database yet; nothing was changed. "
    "Campaigns, contacts (list, search, mark, export, next), calling hours, import, undo, history and dnc do."
)


def refuse_what_a_server_cannot_do_yet(args, command_error) -> None:
    """One clear line, before anything runs, for the commands not made for a server yet."""
    from .store.models import db
    from .store.server import is_server, shown_uri

    if not is_server():
        return
    if args.command == "db" and args.action == "backup":
        raise command_error(
            "A team database is backed up with PostgreSQL's own tool; nothing was written. Run: "
            f"pg_dump --format=custom --file=contactdesk.dump '{shown_uri(db.obj.uri)}'",
            5,
        )
    if args.command == "db":
        raise command_error(
            NOT_ON_A_SERVER_YET.format(command=f"{args.command} {getattr(args, 'action', '')}".strip()), 5
        )


def server_errors() -> tuple[type[BaseException], ...]:
    """Errors a PostgreSQL server can raise through the store, for one clear line instead of a traceback."""
    from .store.server import is_server

    if not is_server():
        return ()
    import peewee as pw
    import psycopg

    return (pw.DatabaseError, psycopg.Error)


def server_trouble(exc: BaseException) -> str:
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return f"The team database could not do this: {first_line}. Nothing was changed."
