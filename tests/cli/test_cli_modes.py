"""The import command's keep-pending mode, the dry run's wording, and the help texts."""

import argparse
import json
import re

import pytest

from contactdesk.__main__ import main
from contactdesk.cli import build_parser

FOUR = "phone,name\n2125550101,A\n2125550102,B\n2125550102,B again\n2125550103,C\n2125550104,D\n"


def test_dry_run_says_what_would_happen_not_what_happened(cli, write_csv):
    cli("campaign", "create", "Spring")
    code, out, _ = cli("import", "1", write_csv(FOUR), "--dry-run")
    assert code == 0
    assert re.search(r"^  would import: +4$", out, re.M)
    assert re.search(r"^  contacts in the campaign after: +4$", out, re.M)
    assert not re.search(r"^  imported:", out, re.M)
    code, out, _ = cli("import", "1", write_csv(FOUR))
    assert re.search(r"^  imported: +4$", out, re.M)
    assert re.search(r"^  contacts in the campaign now: +4$", out, re.M)


def test_keep_pending_adds_to_the_campaign(cli, write_csv):
    cli("campaign", "create", "Spring")
    cli("import", "1", write_csv(FOUR))
    code, out, _ = cli("import", "1", write_csv("phone\n2125550105\n2125550101\n"), "--keep-pending", "--json")
    result = json.loads(out)
    assert code == 0
    assert result["mode"] == "keep_pending"
    assert (result["imported_count"], result["removed_count"], result["total_contacts"]) == (1, 0, 5)
    code, out, _ = cli("import", "1", write_csv("phone\n2125550106\n"))
    assert "backup before the import: " in out  # replacing the 5 pending contacts kept a copy


def test_help_says_no_command_opens_the_window(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "With no command, contactdesk opens the window" in text
    assert "FILE ..." in text and "--campaign ID" in text
    assert "--keep-pending" in build_parser()._subparsers._group_actions[0].choices["import"].format_help()


def _positionals(parser: argparse.ArgumentParser, path=()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _positionals(sub, (*path, name))
        elif not action.option_strings:
            yield " ".join(path), action


def test_every_positional_argument_has_a_help_text():
    missing = [f"{where} {action.dest}" for where, action in _positionals(build_parser()) if not action.help]
    assert missing == []
