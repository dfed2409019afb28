"""The command line's do-not-call, undo and history commands (kept apart from cli.py to keep both small).

contactdesk dnc add NUMBER… [--campaign CID] [--note TEXT] [--region CC]
contactdesk dnc remove NUMBER…
contactdesk dnc list [--json]
contactdesk dnc import FILE [--campaign CID] [--json]
contactdesk dnc check NUMBER… --json
contactdesk undo CID [IMPORT_ID] [--yes] [--json]
contactdesk history CID [--json]
"""

import argparse
import json
import sys

from .cli_text import say, shown
from .core import dnc
from .core.dnc_import import import_list
from .core.phone import DEFAULT_REGION

EXIT_OK, EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_FAILED = 0, 3, 4, 5
COMMANDS = ("dnc", "undo", "history")
LIST_WARN_DAYS = 31


def add_commands(commands, common: argparse.ArgumentParser, parser_class) -> None:
    listing = commands.add_parser(
        "dnc", help="the do-not-call list: add, remove, list, import, check", parents=[common]
    )
    actions = listing.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=parser_class)
    add = actions.add_parser("add", help="put numbers on the list (a person's request: five years)", parents=[common])
    add.add_argument("numbers", nargs="+", metavar="NUMBER", help="phone numbers to list, written in any format")
    add.add_argument("--campaign", type=int, metavar="CID", help="for this campaign only (default: all campaigns)")
    add.add_argument("--note", default="", metavar="TEXT", help="why, as the person said it")
    add.add_argument("--region", default=DEFAULT_REGION, metavar="CC", help="country for numbers without +code")
    remove = actions.add_parser("remove", help="take numbers off the list", parents=[common])
    remove.add_argument("numbers", nargs="+", metavar="NUMBER", help="phone numbers to take off the list")
    remove.add_argument("--region", default=DEFAULT_REGION, metavar="CC", help=argparse.SUPPRESS)
    actions.add_parser("list", help="every number on the list", parents=[common])
    imp = actions.add_parser(
        "import", help="add a registry file (one number per line, may be zipped) or a CSV", parents=[common]
    )
    imp.add_argument("file", help="a text file of one number per line (may be zipped), or a CSV with a phone column")
    imp.add_argument("--campaign", type=int, metavar="CID", help="for this campaign only (default: all campaigns)")
    imp.add_argument("--region", default=DEFAULT_REGION, metavar="CC", help=argparse.SUPPRESS)
    check = actions.add_parser(
        "check", help="is each number on the list, for which scope, until when", parents=[common]
    )
    check.add_argument("numbers", nargs="+", metavar="NUMBER", help="phone numbers to look up")
    check.add_argument("--region", default=DEFAULT_REGION, metavar="CC", help=argparse.SUPPRESS)

    undo = commands.add_parser(
        "undo", help="undo an import: remove what it added, bring back what it replaced", parents=[common]
    )
    undo.add_argument("campaign_id", type=int, help="the campaign's id (see campaign list)")
    undo.add_argument("import_id", type=int, nargs="?", help="default: the campaign's latest import")
    undo.add_argument("--yes", action="store_true", help="do it (without --yes: say what would happen, change nothing)")

    history = commands.add_parser(
        "history", help="a campaign's imports and whether each can be undone", parents=[common]
    )
    history.add_argument("campaign_id", type=int, help="the campaign's id (see campaign list)")


def _emit_json(document) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _invalid(items: list[dict]) -> None:
    for item in items:
        say(f"not a phone number: {item['value']!r} ({item['reason']})")


def cmd_dnc(args) -> int:
    if args.action == "add":
        result = dnc.add_numbers(args.numbers, campaign_id=args.campaign, note=args.note, region=args.region)
        if args.json:
            _emit_json(result.to_dict())
        else:
            scope = "all campaigns" if args.campaign is None else f"campaign {args.campaign}"
            expires = f" until {result.expires[:10]}" if result.expires else ""
            print(f"Added {len(result.added):,} numbers to the do-not-call list for {scope}{expires}.")
            if result.marked:
                print(f"{result.marked:,} pending contacts are now marked do not call.")
            _invalid(result.invalid)
        return EXIT_BAD_INPUT if result.invalid else EXIT_OK
    if args.action == "remove":
        result = dnc.remove_numbers(args.numbers, region=args.region)
        if args.json:
            _emit_json(result.to_dict())
        else:
            print(f"Removed {len(result.removed):,} numbers from the do-not-call list.")
            for number in result.not_listed:
                say(f"not on the list: {number}")
            _invalid(result.invalid)
        return EXIT_BAD_INPUT if result.invalid else EXIT_NOT_FOUND if result.not_listed else EXIT_OK
    if args.action == "list":
        return _list(args)
    if args.action == "import":
        result = import_list(args.file, campaign_id=args.campaign, region=args.region)
        if args.json:
            _emit_json(result.to_dict())
        else:
            print(shown(result.message)) if result.success else say(result.message)
            for item in result.invalid[:20]:
                say(f"line {item['row']}: {item['value']!r}: {item['reason']}")
        if result.success:
            return EXIT_OK
        return EXIT_NOT_FOUND if "was not found" in result.message else EXIT_BAD_INPUT
    answers = dnc.check_numbers(args.numbers, region=args.region)
    if args.json:
        _emit_json(answers)
    else:
        for answer in answers:
            if answer["listed"]:
                until = f", until {answer['expires']}" if answer["expires"] else ", no expiry"
                print(f"{answer['phone_number']}: on the list ({answer['scope']}{until})")
            elif answer["phone_number"]:
                print(f"{answer['phone_number']}: not on the list")
            else:
                say(f"not a phone number: {answer['number']!r}")
    return EXIT_OK


def _list(args) -> int:
    entries = dnc.iter_entries()
    if args.json:
        # Streamed: a registry list can hold millions of numbers.
        sys.stdout.write("[")
        for index, entry in enumerate(entries):
            sys.stdout.write(("," if index else "") + "\n  " + json.dumps(entry.to_dict(), ensure_ascii=False))
        sys.stdout.write("\n]\n")
        return EXIT_OK
    count = 0
    for entry in entries:
        count += 1
        scope = "all campaigns" if entry.campaign_id is None else f"campaign {entry.campaign_id}"
        expires = entry.expires_at[:10] if entry.expires_at else "never"
        print(f"{entry.phone_number:<16} {scope:<14} {entry.reason:<8} expires {expires:<10} {shown(entry.note)}")
    if not count:
        say("The do-not-call list is empty. Add numbers with: contactdesk dnc add NUMBER")
    age = dnc.list_age_days()
    if age is not None and age > LIST_WARN_DAYS:
        say(f"warning: the imported do-not-call list is {age} days old; refresh your do-not-call list.")
    return EXIT_OK


def cmd_undo(args) -> int:
    from .core import undo

    plan = undo.plan_undo(args.campaign_id, args.import_id)
    if not args.yes:
        if args.json:
            _emit_json({**plan.to_dict(), "done": False})
        else:
            print(shown(plan.describe()))
            if plan.undoable:
                print(f"Nothing was changed. To undo it: contactdesk undo {args.campaign_id} {plan.import_id} --yes")
        return EXIT_OK if plan.undoable else EXIT_BAD_INPUT
    result = undo.run_undo(plan)
    if args.json:
        _emit_json(result.to_dict())
    else:
        print(shown(result.message)) if result.success else say(result.message)
    return EXIT_OK if result.success else EXIT_BAD_INPUT if result.refused else EXIT_FAILED


def cmd_history(args) -> int:
    from .core import undo

    runs = undo.import_history(args.campaign_id)
    if args.json:
        _emit_json(runs)
        return EXIT_OK
    if not runs:
        say("No imports into this campaign yet.")
    for run in runs:
        undoable = "can be undone" if run["undoable"] else run["why_not"]
        print(
            f"{run['import_id']:>5}  {run['started_at'][:16]}  {run['state']:<7} {run['imported_count']:>9,} imported"
            f"  {run['removed_count']:>9,} replaced  {shown(run['file_name'])}"
            + (f"  by {shown(run['started_by'])}" if run["started_by"] else "")
            + f"  ({undoable})"
        )
    return EXIT_OK


HANDLERS = {"dnc": cmd_dnc, "undo": cmd_undo, "history": cmd_history}
