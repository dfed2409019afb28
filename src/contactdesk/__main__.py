"""Start-up in a fixed order: arguments, folders and logging, database, then Qt (only for the window)."""

import logging
import os
import sys
from pathlib import Path

from .log import setup_logging

log = logging.getLogger(__name__)


def _wants_cli(argv: list[str]) -> bool:
    from .cli import COMMANDS

    positionals = [
        arg
        for index, arg in enumerate(argv)
        if not arg.startswith("-") and (index == 0 or argv[index - 1] not in ("--db", "--campaign"))
    ]
    if positionals:
        first = Path(positionals[0])
        # A word that is neither a command nor a file is a mistyped command, not a file to open.
        return positionals[0] in COMMANDS or (first.suffix == "" and not first.exists())
    return any(arg in ("-h", "--help", "--version") for arg in argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in argv or "--verbose" in argv
    if _wants_cli(argv):
        setup_logging(verbose=verbose)
        from .cli import run_cli

        try:
            return run_cli(argv)
        except BrokenPipeError:
            # Output piped into `head` or similar that stopped reading: not an error.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 141
    setup_logging(verbose=verbose, to_stderr=verbose)
    try:
        from .gui.app import run_app
    except ImportError as exc:
        print(f"The desktop app cannot start: {exc}. The command-line tools work: contactdesk --help", file=sys.stderr)
        return 1
    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main())
