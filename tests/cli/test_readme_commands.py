"""The README's command-line examples, run top to bottom as a person would paste them."""

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from contactdesk.cli import EXIT_FOR_STATUS
from contactdesk.core.result import ImportResult

README = Path(__file__).resolve().parents[2] / "README.md"

LEADS = (
    "Name,Mobile,Email,Notes\n"
    "Ann Smith,(212) 555-0147,ann@example.com,call after 5\n"
    "Bob Jones,+1 212 555 0199,bob@example.com,\n"
    "Cara Diaz,not a number,cara@example.com,\n"
)
UK = "name,phone\nAlice Brown,020 7123 4567\nOliver Green,0131 496 0123\n"


def command_line_block() -> list[str]:
    """The sh block of the section "The command line", one command a line."""
    section = README.read_text(encoding="utf-8").split("### The command line", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def section_of(heading: str) -> str:
    return README.read_text(encoding="utf-8").split("### The command line", 1)[1].split("## Packaging")[0]


@pytest.mark.slow
def test_the_readme_commands_work_top_to_bottom(tmp_path):
    (tmp_path / "leads.csv").write_text(LEADS, encoding="utf-8")
    (tmp_path / "uk.csv").write_text(UK, encoding="utf-8")
    env = {**os.environ, "CONTACTDESK_DB": str(tmp_path / "readme.sqlite3"), "QT_QPA_PLATFORM": "offscreen"}
    lines = command_line_block()
    assert len(lines) >= 8
    outputs = []
    for line in lines:
        words = shlex.split(line, comments=True)
        assert words[0] == "contactdesk", line
        proc = subprocess.run(
            [sys.executable, "-m", "contactdesk", *words[1:]],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, f"{line}\n{proc.stdout}\n{proc.stderr}"
        promised = re.search(r"# -> (\{.*\})\s*$", line)
        if promised:
            assert json.loads(proc.stdout) == json.loads(promised.group(1)), line
        outputs.append(proc.stdout)
    marked = next(out for line, out in zip(lines, outputs) if " contacts mark " in line)
    assert marked.startswith("Marked 2 contacts as completed")
    exported = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "+442071234567" in exported and "+12125550147" in exported  # the UK import kept the leads


def test_the_readme_lists_every_key_of_the_import_json():
    text = section_of("The command line")
    table = text.split("The import result (with `--json`)", 1)[1]
    listed = set(re.findall(r"^\| `(\w+)` \|", table, re.M))
    assert listed == set(ImportResult(success=True, message="").to_dict())


def test_the_readme_lists_every_exit_code():
    text = section_of("The command line")
    codes = {int(code) for code in re.findall(r"^\| (\d+) \|", text.split("Exit codes:", 1)[1], re.M)}
    assert set(EXIT_FOR_STATUS.values()) | {0, 1, 2, 141} <= codes
    assert re.search(r"^\| 4 \|.*not in the campaign", text, re.M)
