"""The do-not-call commands: contactdesk dnc add/remove/list/import/check and contacts mark … do_not_call."""

import json
import zipfile

import pytest

from pg_server import execute_on


@pytest.fixture
def cli(engine_cli):
    """Every test of this module runs on both engines (a file, and a PostgreSQL server)."""
    return engine_cli


@pytest.fixture
def campaign_with_contacts(cli, tmp_path):
    source = tmp_path / "leads.csv"
    source.write_text("phone,name\n2125550101,Ann\n2125550102,Bob\n2125550103,Cy\n")
    assert cli("campaign", "create", "Spring")[0] == 0
    assert cli("import", 1, source)[0] == 0
    return source


def listed(cli, *numbers) -> list[dict]:
    code, out, _ = cli("dnc", "check", *numbers, "--json")
    assert code == 0
    return json.loads(out)


def contacts(cli) -> dict[str, str]:
    code, out, _ = cli("contacts", "list", 1, "--json")
    return {row["phone_number"]: row["status"] for row in json.loads(out)}


def test_add_check_list_remove(cli, campaign_with_contacts):
    code, out, err = cli("dnc", "add", "(212) 555-0101", "+44 20 7946 0958", "--note", "asked twice", "--json")
    assert code == 0, err
    added = json.loads(out)
    assert added["added"] == ["+12125550101", "+442079460958"] and added["marked_contacts"] == 1
    assert contacts(cli)["+12125550101"] == "do_not_call"

    first, other = listed(cli, "212-555-0101", "2125550102")
    assert (first["listed"], first["scope"], first["note"]) == (True, "all", "asked twice")
    assert first["expires"] == added["expires"] and first["expires"] > "2030"
    assert (other["listed"], other["scope"], other["expires"]) == (False, None, None)

    code, out, _ = cli("dnc", "list", "--json")
    assert [entry["phone_number"] for entry in json.loads(out)] == ["+12125550101", "+442079460958"]

    assert cli("dnc", "remove", "2125550101")[0] == 0
    assert listed(cli, "2125550101")[0]["listed"] is False
    assert cli("dnc", "remove", "2125550101")[0] == 4  # not on the list any more


def test_one_campaign_scope_and_bad_input(cli, campaign_with_contacts):
    code, out, _ = cli("dnc", "add", "2125550102", "--campaign", 1, "--json")
    assert code == 0 and json.loads(out)["scope"] == "campaign 1"
    assert listed(cli, "2125550102")[0]["scope"] == "campaign 1"
    code, _, err = cli("dnc", "add", "2125550103", "--campaign", 99)
    assert code == 4 and "Campaign 99 was not found" in err and "Traceback" not in err
    code, _, err = cli("dnc", "add", "2125550103", "--region", "ZZ")
    assert code == 3 and "Unknown country code" in err
    assert listed(cli, "2125550103")[0]["listed"] is False


def test_contacts_mark_do_not_call_puts_the_number_on_the_list(cli, campaign_with_contacts):
    code, out, _ = cli("contacts", "mark", 1, "do_not_call", "2125550103", "--note", "rude", "--json")
    assert code == 0 and json.loads(out)["updated"] == 1
    assert contacts(cli)["+12125550103"] == "do_not_call"
    [answer] = listed(cli, "2125550103")
    assert answer["listed"] and answer["scope"] == "all" and answer["note"] == "rude"


def test_registry_file_of_ten_digit_lines_and_its_zip(cli, campaign_with_contacts, data_dir, tmp_path):
    registry = data_dir / "dnc_registry_ten_digit_lines_crlf.txt"
    code, out, err = cli("dnc", "import", registry, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["format"] == "lines" and result["new_count"] == 4 and result["invalid_count"] == 0
    assert result["marked_contacts"] == 1  # +12125550101 was pending in campaign 1
    assert [answer["listed"] for answer in listed(cli, "2125550101", "3125550188", "2125550102")] == [True, True, False]
    assert listed(cli, "2125550101")[0]["expires"] is None  # an imported list never expires

    zipped = tmp_path / "area-312.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("312.txt", "3125550100\n3125550101\n3125550102\n")
    code, out, err = cli("dnc", "import", zipped, "--campaign", 1, "--json")
    assert code == 0, err
    assert json.loads(out)["new_count"] == 3
    assert listed(cli, "3125550102")[0]["scope"] == "campaign 1"

    # and an import into the campaign leaves them out
    leads = tmp_path / "more.csv"
    leads.write_text("phone\n3125550100\n3125550199\n")
    code, out, _ = cli("import", 1, leads, "--json")
    assert json.loads(out)["suppressed_count"] == 1 and json.loads(out)["imported_count"] == 1


def test_csv_list_uses_the_contact_import_phone_detection(cli, campaign_with_contacts, tmp_path):
    source = tmp_path / "opt-outs.csv"
    source.write_text("Name;Mobile Phone;Date\nAnn;212-555-0102;2026-01-02\nBob;call me;2026-01-03\n")
    code, out, err = cli("dnc", "import", source, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["format"] == "csv" and result["new_count"] == 1
    assert result["invalid"] == [{"row": 3, "value": "call me", "reason": "not a phone number"}]
    assert contacts(cli)["+12125550102"] == "do_not_call"


def test_a_bad_list_file_changes_nothing(cli, campaign_with_contacts, tmp_path):
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    for path in (broken, empty, tmp_path / "missing.txt"):
        code, _, err = cli("dnc", "import", path)
        assert code == 3 and "Traceback" not in err and "not changed" in err, err
    code, out, _ = cli("dnc", "list", "--json")
    assert json.loads(out) == []


def test_importing_the_same_list_again_adds_nothing_and_an_old_list_is_called_out(cli, tmp_path, data_dir):
    registry = data_dir / "dnc_registry_ten_digit_lines_crlf.txt"
    assert cli("dnc", "import", registry)[0] == 0
    code, out, _ = cli("dnc", "import", registry, "--json")
    assert code == 0 and json.loads(out)["new_count"] == 0
    code, out, err = cli("dnc", "list")
    assert code == 0 and out.count("+1") == 4 and "refresh" not in err

    execute_on(cli.db, "UPDATE dnc_list_import SET imported_at = '2020-01-01 00:00:00'")
    code, out, err = cli("dnc", "list")
    assert "refresh your do-not-call list" in err
