import csv
import json
import os
import subprocess
import sys

import pytest

from contactdesk.__main__ import main
from contactdesk.store import close_db


@pytest.fixture
def cli(tmp_path, capsys):
    """Run `contactdesk ARGS --db tmp` in-process; returns (exit code, stdout, stderr)."""
    db = tmp_path / "cli.sqlite3"

    def run(*args, use_db=True):
        argv = [*map(str, args)] + (["--db", str(db)] if use_db else [])
        code = main(argv)
        close_db()
        out, err = capsys.readouterr()
        return code, out, err

    run.db = db
    return run


def test_campaign_create_and_list_json(cli):
    code, out, _ = cli("campaign", "create", "Spring", "--json")
    assert code == 0 and json.loads(out) == {"id": 1, "name": "Spring"}
    code, out, _ = cli("campaign", "list", "--json")
    assert json.loads(out) == [
        {
            "id": 1,
            "name": "Spring",
            "total_contacts": 0,
            "by_status": {"pending": 0, "skipped": 0, "completed": 0, "failed": 0, "do_not_call": 0},
        }
    ]


def test_duplicate_campaign_name_is_a_400(cli):
    cli("campaign", "create", "Spring")
    code, out, err = cli("campaign", "create", "spring", "--json")
    assert code == 3 and json.loads(out)["success"] is False and "already exists" in err


def test_import_json_mirrors_the_specification(engine_cli, write_csv):
    engine_cli("campaign", "create", "Spring")
    path = write_csv(
        "Phone Number,Full Name,E-mail,plan\n(555) 123-4567,Ann,a@x.com,gold\n5551234567,Dup,,\nbad,Bad,,\n",
        "leads.csv",
    )
    code, out, err = engine_cli("import", 1, path, "--json")
    result = json.loads(out)
    assert code == 0
    for key in ("success", "message", "imported_count", "total_contacts", "file_name", "import_date"):
        assert key in result
    assert (result["imported_count"], result["skipped_duplicates"], result["invalid_count"]) == (1, 1, 1)
    assert result["file_name"] == "leads.csv"
    assert result["errors"] == [{"row": 4, "column": "Phone Number", "value": "bad", "reason": "not a phone number"}]
    code, out, _ = engine_cli("contacts", "list", 1, "--json")
    listed = json.loads(out)
    calling_keys = ("time_zone", "time_zones", "state", "time_zone_source", "local_time", "callable", "window_opens_at")
    assert [{key: value for key, value in contact.items() if key not in calling_keys} for contact in listed] == [
        {
            "phone_number": "+15551234567",
            "name": "Ann",
            "email": "a@x.com",
            "company": "",
            "status": "pending",
            "variables": {"plan": "gold"},
        }
    ]
    assert set(calling_keys) <= set(listed[0])


def test_import_text_output_for_people(engine_cli, write_csv):
    engine_cli("campaign", "create", "Spring")
    code, out, err = engine_cli("import", 1, write_csv("phone\n2125550147\n2125550147\n"))
    assert code == 0
    assert "Imported 1 contact" in out and "1 duplicate skipped" in out


@pytest.mark.parametrize(
    "args, exit_code",
    [
        (("import", 1, "@EMPTY"), 3),
        (("import", 1, "@GOOD", "--mapping", "{oops"), 3),
        (("import", 1, "@GOOD", "--mapping", '{"Fax": "phone_number"}'), 3),
        (("import", 1, "@GOOD", "--mapping", "@/nonexistent/mapping.json"), 3),
        (("import", 42, "@GOOD"), 4),
        (("import", 1, "@GOOD", "--region", "XX"), 3),
        (("contacts", "list", 42), 4),
        (("contacts", "mark", 1, "done", "2125550147"), 2),
        (("import", "one", "@GOOD"), 2),
        (("frobnicate",), 2),
    ],
)
def test_error_paths_exit_codes_and_one_json_document(cli, write_csv, args, exit_code):
    cli("campaign", "create", "Spring")
    files = {"@EMPTY": write_csv(""), "@GOOD": write_csv("phone\n2125550147\n")}
    args = [files.get(a, a) if isinstance(a, str) else a for a in args]
    code, out, err = cli(*args, "--json")
    assert code == exit_code
    document = json.loads(out)
    assert document["success"] is False and document["message"]
    assert "Traceback" not in err


def test_mapping_from_a_file(engine_cli, write_csv, tmp_path):
    engine_cli("campaign", "create", "Spring")
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"Cell": "phone_number", "Notes": null}')
    code, out, _ = engine_cli(
        "import", 1, write_csv("Cell,Notes\n2125550147,x\n"), "--mapping", f"@{mapping}", "--json"
    )
    assert code == 0 and json.loads(out)["mapping"] == {"Cell": "phone_number", "Notes": None}


def test_dry_run_changes_nothing(engine_cli, write_csv):
    engine_cli("campaign", "create", "Spring")
    code, out, _ = engine_cli("import", 1, write_csv("phone\n2125550147\n"), "--dry-run", "--json")
    assert code == 0 and json.loads(out)["imported_count"] == 1
    _, out, _ = engine_cli("contacts", "list", 1, "--json")
    assert json.loads(out) == []


def test_mark_and_status_filter(engine_cli, write_csv):
    engine_cli("campaign", "create", "Spring")
    engine_cli("import", 1, write_csv("phone\n2125550147\n2125550199\n"))
    code, out, err = engine_cli("contacts", "mark", 1, "completed", "(212) 555-0147", "--json")
    assert code == 0 and json.loads(out)["updated"] == 1
    _, out, _ = engine_cli("contacts", "list", 1, "--status", "completed", "--json")
    assert [c["phone_number"] for c in json.loads(out)] == ["+12125550147"]
    _, out, _ = engine_cli("campaign", "list", "--json")
    assert json.loads(out)[0]["by_status"] == {
        "pending": 1,
        "skipped": 0,
        "completed": 1,
        "failed": 0,
        "do_not_call": 0,
    }


def test_mark_reports_unknown_numbers(cli, write_csv):
    cli("campaign", "create", "Spring")
    code, out, err = cli("contacts", "mark", 1, "failed", "2125550100")
    assert code == 4 and "not in the campaign: +12125550100" in err


def test_export_neutralises_formulas(cli, write_csv, tmp_path):
    cli("campaign", "create", "Spring")
    cli("import", 1, write_csv('phone,name,company\n2125550147,"=HYPERLINK(""http://x"")",@corp\n'))
    out_file = tmp_path / "out.csv"
    code, _, _ = cli("contacts", "export", 1, out_file)
    assert code == 0
    with out_file.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["phone_number", "name", "email", "company", "status"]
    # the number is a number (dialers read it), the formulas are text
    assert rows[1][:4] == ["+12125550147", '\'=HYPERLINK("http://x")', "", "'@corp"]


def test_export_writes_numbers_as_they_are_and_guards_everything_else(cli, write_csv, tmp_path):
    cli("campaign", "create", "Spring")
    source = (
        'phone,score,delta,ratio,note,sum\n2125550147,42,-3,+1.5e3,+1 (212) x,"-2+3"\n+442079460958,7,-0.5,1,@me,=1\n'
    )
    cli("import", 1, write_csv(source))
    out_file = tmp_path / "out.csv"
    assert cli("contacts", "export", 1, out_file)[0] == 0
    with out_file.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["phone_number"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"+12125550147", "+442079460958"}
    first, second = rows["+12125550147"], rows["+442079460958"]
    assert (first["score"], first["delta"], first["ratio"]) == ("42", "-3", "+1.5e3")
    assert (first["note"], first["sum"]) == ("'+1 (212) x", "'-2+3")
    assert (second["delta"], second["note"], second["sum"]) == ("-0.5", "'@me", "'=1")


def test_export_guards_header_cells_like_data_cells(cli, write_csv, tmp_path):
    cli("campaign", "create", "Spring")
    cli("import", 1, write_csv('phone,"=HYPERLINK(""http://x"",""y"")",@SUM(A1)\n2125550147,a,b\n'))
    out_file = tmp_path / "out.csv"
    assert cli("contacts", "export", 1, out_file)[0] == 0
    with out_file.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[5:] == ['\'=HYPERLINK("http://x","y")', "'@SUM(A1)"]


def test_exported_file_imports_back_unchanged(engine_cli, write_csv, tmp_path):
    engine_cli("campaign", "create", "One")
    engine_cli("campaign", "create", "Two")
    engine_cli("import", 1, write_csv("phone,name,plan\n2125550147,Ann,gold\n+442079460958,Bob,\n"))
    out_file = tmp_path / "out.csv"
    engine_cli("contacts", "export", 1, out_file)
    code, out, _ = engine_cli("import", 2, out_file, "--json")
    assert json.loads(out)["imported_count"] == 2
    _, one, _ = engine_cli("contacts", "list", 1, "--json")
    _, two, _ = engine_cli("contacts", "list", 2, "--json")

    def strip(rows):
        return [
            {k: v for k, v in r.items() if k != "variables"} | {"plan": r["variables"].get("plan")}
            for r in json.loads(rows)
        ]

    assert strip(one) == strip(two)


def test_db_from_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CONTACTDESK_DB", str(tmp_path / "nested" / "env.sqlite3"))
    assert main(["campaign", "create", "X"]) == 0
    close_db()
    assert (tmp_path / "nested" / "env.sqlite3").exists()


def test_not_a_database_is_refused_and_left_alone(tmp_path, capsys):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("my shopping list")
    code = main(["campaign", "list", "--db", str(bogus)])
    assert code == 5
    assert "not a ContactDesk database" in capsys.readouterr().err
    assert bogus.read_text() == "my shopping list"


def test_console_script_runs_without_traceback(tmp_path):
    env = {**os.environ, "CONTACTDESK_DB": str(tmp_path / "sub.sqlite3")}
    done = subprocess.run(
        [sys.executable, "-m", "contactdesk", "import", "7", str(tmp_path / "missing.csv"), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 4
    assert json.loads(done.stdout)["status"] == 404
    assert "Traceback" not in done.stderr
    version = subprocess.run(
        [sys.executable, "-m", "contactdesk", "--version"], capture_output=True, text=True, timeout=60
    )
    assert version.returncode == 0 and version.stdout.startswith("ContactDesk ")
