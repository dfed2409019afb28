"""Files shaped like real exports from contact managers and spreadsheets, through the CLI."""

import json

import pytest

from contactdesk.__main__ import main
from contactdesk.store import close_db


@pytest.fixture
def run(tmp_path, capsys):
    db = tmp_path / "exports.sqlite3"

    def invoke(*args):
        code = main([*map(str, args), "--db", str(db), "--json"])
        close_db()
        out, _ = capsys.readouterr()
        return code, json.loads(out)

    invoke("campaign", "create", "Exports")
    return invoke


def test_google_contacts_export(run, data_dir):
    code, result = run("import", 1, data_dir / "export_google_contacts.csv")
    assert code == 0, result["message"]
    assert result["mapping"]["Phone 1 - Value"] == "phone_number"
    assert result["mapping"]["E-mail 1 - Value"] == "email"
    assert result["mapping"]["Organization 1 - Name"] == "company"
    assert result["imported_count"] == 3
    _, contacts = run("contacts", "list", 1)
    by_phone = {c["phone_number"]: c for c in contacts}
    assert by_phone["+12125550147"]["name"] == "Ann Example"
    assert by_phone["+34612345678"]["company"] == "Díaz SL"
    assert by_phone["+16465550110"]["variables"]["Notes"] == "Met at the fair, call after 5"


def test_outlook_export_in_windows_1252_picks_the_phone_column_that_has_numbers(run, data_dir):
    code, result = run("import", 1, data_dir / "export_outlook_cp1252.csv")
    assert code == 0, result["message"]
    assert result["detected"]["encoding"] == "Windows-1252"
    assert result["mapping"]["Mobile Phone"] == "phone_number"  # not the mostly empty Business Phone
    assert result["imported_count"] == 2
    assert result["invalid_count"] == 1 and result["errors"][0]["reason"] == "empty"
    _, contacts = run("contacts", "list", 1)
    assert {c["name"] for c in contacts} == {"Dana Okafor", "Renée Nguyen"}  # from First + Last Name


def test_french_excel_export_with_sep_line(run, data_dir):
    code, result = run("import", 1, data_dir / "export_excel_semicolon_sep.csv", "--region", "FR")
    assert code == 0, result["message"]
    assert result["detected"]["delimiter"] == "semicolon"
    assert result["mapping"]["Téléphone"] == "phone_number"
    assert result["mapping"]["Société"] == "company"
    _, contacts = run("contacts", "list", 1)
    assert [c["phone_number"] for c in contacts] == ["+33612345678", "+33698765432"]
    assert contacts[0]["variables"] == {"Nom": "Élodie Martin", "Montant": "1 234,50"}
