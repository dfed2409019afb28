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
    assert result["mapping"]["Nom"] == "name"  # a bare "Nom" with no "Prénom" beside it is the full name
    assert contacts[0]["name"] == "Élodie Martin"
    assert contacts[0]["variables"] == {"Montant": "1 234,50"}


def test_invoicing_export_with_title_rows_above_the_header_and_a_footer(run, data_dir):
    code, result = run("import", 1, data_dir / "title_rows_and_footer.csv")
    assert code == 0, result["message"]
    assert result["detected"]["header_row"] == 4
    assert result["mapping"]["Phone"] == "phone_number"
    assert result["mapping"]["First Name"] == "first_name" and result["mapping"]["Last Name"] == "last_name"
    assert result["imported_count"] == 2
    # Only the real contact with a bad number is invalid, with the file's own row number; the title
    # rows and the "3 record(s) downloaded" footer are reported once as skipped.
    assert result["invalid_count"] == 1 and result["errors"][0]["row"] == 6
    assert any("Rows 1 to 3 above the column names were skipped" in w for w in result["warnings"])
    assert "Skipped 1 line after the contacts (row 9: '3 record(s) downloaded')." in result["warnings"]
    _, contacts = run("contacts", "list", 1)
    # The full name wins; where it is empty, first and last name make it.
    assert [c["name"] for c in contacts] == ["Ann Example", "Cem Yilmaz"]


def test_header_row_can_be_chosen_on_the_command_line(run, data_dir):
    code, result = run("import", 1, data_dir / "title_rows_and_footer.csv", "--header-row", "4", "--dry-run")
    assert code == 0 and result["detected"]["header_row"] == 4 and result["imported_count"] == 2
    code, result = run("import", 1, data_dir / "title_rows_and_footer.csv", "--header-row", "99")
    assert code == 3 and "Row 99 is past the last row" in result["message"]


def test_contacts_without_a_name_are_counted_not_invented(run, tmp_path):
    path = tmp_path / "companies.csv"
    path.write_text("Name,Company,Phone\nAnn Example,Acme,2125550147\n,Globex,2125550148\n,Initech,2125550149\n")
    code, result = run("import", 1, path)
    assert code == 0 and result["imported_count"] == 3
    assert any(w.startswith("2 contacts without a name") for w in result["warnings"])
    _, contacts = run("contacts", "list", 1)
    assert sorted(c["name"] for c in contacts) == ["", "", "Ann Example"]
