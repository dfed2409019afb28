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


# --------------------------------------------------------------------------- the corpus
# tests/data/exports/SOURCES.md says where each file comes from and what was changed in it.
# (file, --region, expected phone column, imported numbers, some names, or the refusal's words)
CORPUS = [
    ("dolibarr_company_semicolon_field_codes.csv", "FR", "Phone (s.tel)", 1, ["MyBigCompanyImport1"], None),
    ("faker_persons_headerless_ph.csv", "PH", "column_11", 8, [], None),
    ("freshbooks_clients_short_numbers.csv", "US", "Phone", None, [], "no area code"),
    ("google_contacts_full_header_no_phone.csv", "US", "Phone 1 - Value", None, [], "None of the 3 rows"),
    ("google_contacts_simple_bd_placeholders.csv", "BD", "Phone Number", 17, ["Monir", "মিঠু", "সালমা আপু"], None),
    ("google_shared_contacts_outlook_style_long_numbers.csv", "US", "Mobile Phone", None, [], "too long"),
    ("hubspot_contacts_phone_and_mobile.csv", "US", "Phone Number", 9, ["Francisco Small", "Laura Smith"], None),
    ("hubspot_export_duplicate_headers_null.csv", "US", "Phone Number", 9, ["Sabina Cole", "Tracy Rhodes"], None),
    ("invoicely_clients.csv", "US", "Phone", 1, ["Alexander Hamilton"], None),
    ("invoiceninja_clients_title_rows.csv", "US", "Phone_2", 10, ["Ludwig Krajcik DVM", "Garry Rosenbaum"], None),
    ("invoiceninja_vendors_title_rows_unquoted.csv", "US", "Phone_2", 6, ["Dr. Claire Huel Sr."], None),
    ("krayin_persons_json_cells.csv", "US", "contact_numbers", 1, ["Wilson Fisk"], None),
    ("linkedin_connections_headerless_no_phone.csv", "US", None, None, [], "no header row"),
    ("members_export_uk_id_name_phone.csv", "GB", "phone", 12, ["Portal Admin", "Ada Okafor"], None),
    ("monica_single_contact_ragged.csv", "US", None, None, [], "No phone number column"),
    ("odoo_customers_contacts_zip_no_phone.csv", "US", None, None, [], "No phone number column"),
    ("odoo_res_partner_excel_unicode_text_utf16.txt", "US", "Mobile", 2, ["Bob", "Bill"], None),
    ("odoo_res_partner_phone_and_mobile.csv", "US", "Mobile", 2, ["Bob", "Bill"], None),
    ("outlook_csv_from_vcard_zh_tw.csv", "TW", "Other Phone", 1, ["小明 王"], None),
    ("outlook_de_field_names_cp1252.csv", "DE", "Telefongeschäftlich", 3, ["Jürgen Müller", "Özlem Yilmaz"], None),
    ("outlook_en_all_fields_quoted_crlf.csv", "US", "Mobile Phone", 2, ["Grace Example", "Omar Sample"], None),
    ("salesforce_contacts_no_phone_column.csv", "US", None, None, [], "No phone number column"),
    ("twenty_people_lowercase_no_phone.csv", "US", None, None, [], "No phone number column"),
    ("wave_clients_snake_case.csv", "US", "phone", 2, ["Homer Simpson", "Jessica Jones"], None),
    ("zoho_books_contacts.csv", "US", "Phone", 2, ["Jessica Jones", "Simpsons Baking Co"], None),
]


def test_the_corpus_lists_every_file_and_its_sources(data_dir):
    files = {path.name for path in (data_dir / "exports").iterdir() if path.name != "SOURCES.md"}
    assert files == {entry[0] for entry in CORPUS}
    assert len(files) >= 25
    sources = (data_dir / "exports" / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in sources for name in files)


@pytest.mark.parametrize(
    ("file", "region", "phone", "imported", "names", "refusal"), CORPUS, ids=[c[0] for c in CORPUS]
)
def test_real_export_imports_as_it_is(run, data_dir, file, region, phone, imported, names, refusal):
    code, result = run("import", 1, data_dir / "exports" / file, "--region", region)
    if phone is not None:
        assert [h for h, target in result["mapping"].items() if target == "phone_number"] == [phone]
    if refusal is not None:
        assert code == 3 and refusal in result["message"]
        return
    assert code == 0, result["message"]
    assert result["imported_count"] == imported
    _, contacts = run("contacts", "list", 1)
    shown = {contact["name"] for contact in contacts}
    assert set(names) <= shown


def test_first_and_last_name_targets_in_the_mapping_make_the_name(run, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Given,Family,Tel\nAnn,Example,2125550147\n")
    code, result = run("import", 1, path, "--mapping", '{"Given": "first_name", "Family": "last_name"}')
    assert code == 0 and result["mapping"] == {"Given": "first_name", "Family": "last_name", "Tel": "phone_number"}
    _, contacts = run("contacts", "list", 1)
    assert contacts[0]["name"] == "Ann Example"
    assert contacts[0]["variables"] == {"Given": "Ann", "Family": "Example"}  # still usable in a call script
