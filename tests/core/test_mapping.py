import pytest

from contactdesk.core.mapping import MappingError, auto_detect, header_key, resolve_mapping


@pytest.mark.parametrize(
    "header, target",
    [
        ("phone", "phone_number"),
        ("phone_number", "phone_number"),
        ("mobile", "phone_number"),
        ("cell", "phone_number"),
        ("name", "name"),
        ("full_name", "name"),
        ("contact_name", "name"),
        ("email", "email"),
        ("email_address", "email"),
        ("company", "company"),
        ("organization", "company"),
    ],
)
def test_specification_auto_mapping_table(header, target):
    assert auto_detect([header]) == {header: target}


@pytest.mark.parametrize(
    "header, target",
    [
        ("Phone Number", "phone_number"),
        ("PHONE-NUMBER", "phone_number"),
        ("Mobile Phone", "phone_number"),
        ("Cell Phone", "phone_number"),
        ("Telephone", "phone_number"),
        ("Tel", "phone_number"),
        ("E-mail", "email"),
        ("Email Address", "email"),
        ("Organisation", "company"),
        ("Company Name", "company"),
        ("Full Name", "name"),
        (" contact-name ", "name"),
    ],
)
def test_headers_people_export_are_recognised(header, target):
    assert auto_detect([header]) == {header: target}


def test_header_key_ignores_case_spaces_underscores_hyphens():
    assert header_key("Phone_Number") == header_key("phone number") == header_key("PHONE-NUMBER")


def test_first_matching_column_wins_and_the_other_becomes_a_variable():
    mapping = resolve_mapping(["Phone", "Mobile", "Name"])
    assert mapping.targets == {"Phone": "phone_number", "Mobile": "Mobile", "Name": "name"}
    assert mapping.auto == {"Phone", "Name"}


def test_other_columns_become_template_variables_keyed_by_header():
    mapping = resolve_mapping(["phone", "name", "Last Visit", "plan"])
    assert mapping.variable_columns() == [(2, "Last Visit"), (3, "plan")]


def test_user_mapping_overrides_detection():
    mapping = resolve_mapping(["Phone", "Mobile", "Notes"], '{"Mobile": "phone_number", "Notes": null}')
    assert mapping.phone_column == 1
    assert mapping.targets["Phone"] == "Phone"  # demoted to a variable
    assert mapping.targets["Notes"] is None
    assert "Mobile" not in mapping.auto


def test_user_mapping_can_rename_a_variable_and_ignore_with_empty_string():
    mapping = resolve_mapping(["phone", "Plan Name", "junk"], {"Plan Name": "plan", "junk": ""})
    assert mapping.variable_columns() == [(1, "plan")]


def test_mapping_column_names_match_case_insensitively():
    assert resolve_mapping(["Cellular"], {"cellular": "phone_number"}).phone_column == 0


@pytest.mark.parametrize(
    "headers, mapping, message",
    [
        (["phone"], "{not json", "not valid JSON"),
        (["phone"], "[1, 2]", "must be a JSON object"),
        (["phone"], '{"Fax": "phone_number"}', "does not have: 'Fax'"),
        (["a", "b"], '{"a": "phone_number", "b": "phone_number"}', "Two columns are mapped to phone_number"),
        (["phone", "x"], '{"x": 42}', "Unknown target for column 'x'"),
        (["phone", "x"], '{"x": "{evil}"}', "Unknown target"),
        (["name", "email"], None, "No phone number column"),
        (["phone", "a", "b"], '{"a": "plan", "b": "plan"}', "template variable 'plan'"),
    ],
)
def test_bad_mappings_name_the_problem(headers, mapping, message):
    with pytest.raises(MappingError, match=message.replace("(", r"\(").replace("[", r"\[")):
        resolve_mapping(headers, mapping)


def test_no_phone_header_suggests_the_column_that_holds_numbers():
    rows = [["Ann", "(212) 555-0147"], ["Bob", "212-555-0199"]]
    with pytest.raises(MappingError, match="Column 'Number' holds phone numbers"):
        resolve_mapping(["Who", "Number"], sample_rows=rows)


def test_headerless_file_finds_phone_and_email_columns_from_content():
    rows = [["Ann", "ann@example.com", "(212) 555-0147"], ["Bob", "bob@example.com", "212-555-0199"]]
    mapping = resolve_mapping(["column_1", "column_2", "column_3"], has_header=False, sample_rows=rows)
    assert mapping.phone_column == 2
    assert mapping.targets["column_2"] == "email"
    assert mapping.targets["column_1"] == "column_1"


def test_as_json_dict_round_trips_through_resolve():
    first = resolve_mapping(["Mobile", "Who", "Plan"], {"Who": "name", "Plan": None})
    again = resolve_mapping(["Mobile", "Who", "Plan"], first.as_json_dict())
    assert again.targets == first.targets


def test_several_phone_columns_choose_the_one_with_numbers():
    rows = [["", "(212) 555-0147"], ["", "646-555-0110"], ["(212) 555-0199", ""]]
    mapping = resolve_mapping(["Business Phone", "Mobile Phone"], sample_rows=rows)
    assert mapping.phone_column == 1
    assert mapping.targets["Business Phone"] == "Business Phone"


def test_first_and_last_name_are_targets_of_their_own_and_stay_template_variables():
    mapping = resolve_mapping(["Phone", "First Name", "Last Name"])
    assert mapping.targets == {"Phone": "phone_number", "First Name": "first_name", "Last Name": "last_name"}
    assert mapping.name_parts == [1, 2]
    # "Hi {First Name}" keeps working in a call script.
    assert mapping.variable_columns() == [(1, "First Name"), (2, "Last Name")]
    assert resolve_mapping(["Phone", "Name", "First Name"]).targets["Name"] == "name"


def test_first_name_and_last_name_can_be_given_in_the_mapping():
    mapping = resolve_mapping(["Tel", "Given", "Family"], {"Given": "first_name", "Family": "last_name"})
    assert mapping.name_parts == [1, 2]
    assert mapping.auto == {"Tel"}
    with pytest.raises(MappingError, match="Two columns are mapped to first_name"):
        resolve_mapping(["Tel", "A", "B"], {"A": "first_name", "B": "first_name"})


@pytest.mark.parametrize(
    "header",
    [
        "phone_work",
        "Work Phone",
        "Phone (Mobile)",
        "Contact Phone Number",
        "Primary Phone",
        "Phone 1 - Value",
        "TelefonZentrale",
        "Mobile Number",
        "WhatsApp",
        "Person - Phone - Work",
        "MobilePhone",
        # the languages contact exports come in
        "Telefon",
        "Handy",
        "Mobiltelefon",
        "Telefon geschäftlich",
        "Téléphone",
        "Portable",
        "Teléfono",
        "Móvil",
        "Celular",
        "Telefone",
        "Telefono",
        "Cellulare",
        "Telefoon",
        "Mobiel",
        "Telefon komórkowy",
    ],
)
def test_headers_that_name_a_phone_in_more_words_or_another_language(header):
    assert auto_detect(["Who", header]) == {header: "phone_number"}


@pytest.mark.parametrize(
    "header", ["Phone Type", "Phone 1 - Type", "Phone Label", "Fax", "Business Fax", "Phonetic First Name"]
)
def test_headers_about_a_phone_are_not_the_phone(header):
    assert "phone_number" not in auto_detect([header]).values()


@pytest.mark.parametrize(
    "headers, expected",
    [
        (
            ["Anrede", "Vorname", "Nachname", "Firma", "Telefon geschäftlich", "Mobiltelefon", "E-Mail-Adresse"],
            {
                "Vorname": "first_name",
                "Nachname": "last_name",
                "Firma": "company",
                "Mobiltelefon": "phone_number",  # with no values to compare, the plainer phone header
                "E-Mail-Adresse": "email",
            },
        ),
        (
            ["Prénom", "Nom", "Société", "Téléphone", "Courriel"],
            {
                "Prénom": "first_name",
                "Nom": "last_name",
                "Société": "company",
                "Téléphone": "phone_number",
                "Courriel": "email",
            },
        ),
        (
            ["Nombre", "Apellido(s)", "Empresa", "Teléfono", "Correo electrónico"],
            {
                "Nombre": "first_name",
                "Apellido(s)": "last_name",
                "Empresa": "company",
                "Teléfono": "phone_number",
                "Correo electrónico": "email",
            },
        ),
        (
            ["Nome", "Sobrenome", "Telefone"],
            {"Nome": "first_name", "Sobrenome": "last_name", "Telefone": "phone_number"},
        ),
        (
            ["Nome", "Cognome", "Azienda", "Cellulare"],
            {"Nome": "first_name", "Cognome": "last_name", "Azienda": "company", "Cellulare": "phone_number"},
        ),
        (
            ["Voornaam", "Achternaam", "Bedrijf", "Mobiel"],
            {"Voornaam": "first_name", "Achternaam": "last_name", "Bedrijf": "company", "Mobiel": "phone_number"},
        ),
        (
            ["Imię", "Nazwisko", "Firma", "Telefon komórkowy"],
            {"Imię": "first_name", "Nazwisko": "last_name", "Firma": "company", "Telefon komórkowy": "phone_number"},
        ),
        (["Nom", "Téléphone"], {"Nom": "name", "Téléphone": "phone_number"}),
        (
            ["Name", "Given Name", "Family Name", "Name Prefix", "Given Name Yomi", "E-mail 1 - Value"],
            {"Name": "name", "Given Name": "first_name", "Family Name": "last_name", "E-mail 1 - Value": "email"},
        ),
        (
            ["Organization - Name", "Person - Name", "Owner Name"],
            {"Organization - Name": "company", "Person - Name": "name"},
        ),
        (["E-mail Address", "E-mail Type", "E-mail Display Name"], {"E-mail Address": "email"}),
    ],
)
def test_whole_exports_in_eight_languages_map_their_columns(headers, expected):
    assert auto_detect(headers) == expected


def test_header_key_folds_accents_digits_and_camel_case():
    assert header_key("Téléphone 2") == header_key("telephone") == "telephone"
    assert header_key("TelefonZentrale") == "telefon zentrale"


def test_several_candidate_phone_columns_the_values_decide():
    headers = ["phone_work", "phone_home", "phone_other"]
    rows = [["", "(212) 555-0147", ""], ["", "646-555-0110", "x"], ["", "", ""]]
    assert auto_detect(headers, rows)["phone_home"] == "phone_number"


def test_an_id_or_zip_column_never_wins_over_a_phone_header():
    # A customer number like 1074956 is a possible German number; the header says what it is.
    headers = ["Kundennummer", "Nummer", "Postleitzahl", "Telefon"]
    rows = [["1074956", "1074957", "10115", "030 1234567"], ["1074958", "1074959", "80331", ""]]
    mapping = resolve_mapping(headers, sample_rows=rows, region="DE")
    assert mapping.phone_column == 3
    assert mapping.from_values == set() and mapping.warnings == []


def test_no_phone_header_but_unmistakable_values_take_that_column_and_say_so():
    rows = [["Ann", "+49 30 1234567"], ["Bob", "+49 170 1234567"], ["Cem", "(030) 7654321"]]
    mapping = resolve_mapping(["Kunde", "Kontakt"], sample_rows=rows, region="DE")
    assert mapping.phone_column == 1
    assert mapping.from_values == {"Kontakt"}
    assert mapping.warnings == [
        "Phone numbers taken from 'Kontakt' because its values are phone numbers (no column is named like a phone column)."
    ]


def test_unformatted_or_id_like_number_columns_are_suggested_not_taken():
    ids = [["Ann", "1074956"], ["Bob", "1074957"], ["Cem", "1074958"]]
    with pytest.raises(MappingError, match="No phone number column"):
        resolve_mapping(["Who", "Kunde Nr"], sample_rows=ids, region="DE")
    two = [["(212) 555-0147", "(646) 555-0110"], ["212-555-0199", "646-555-0111"]]
    with pytest.raises(MappingError, match=r"'A' \(100% of its values\), 'B' \(100% of its values\)"):
        resolve_mapping(["A", "B"], sample_rows=two)


def test_explicit_mapping_wins_over_detection_from_values_and_names():
    rows = [["+49 30 1234567", "Ann"]]
    mapping = resolve_mapping(["Kontakt", "Telefon"], {"Telefon": None, "Kontakt": "phone_number"}, sample_rows=rows)
    assert mapping.phone_column == 0 and mapping.targets["Telefon"] is None
    assert mapping.warnings == [] and mapping.auto == set()


def _seconds_to_map(columns: int) -> float:
    import time

    headers = [f"Phone {i}" for i in range(columns)]
    rows = [[f"(212) 555-{i % 10000:04d}" for i in range(columns)] for _ in range(3)]
    started = time.process_time()
    assert resolve_mapping(headers, sample_rows=rows).phone_column == 0
    mapping = resolve_mapping(headers, {header: None for header in headers[1:]}, sample_rows=rows)
    assert mapping.phone_column == 0
    return time.process_time() - started


def test_detection_and_mapping_are_linear_in_the_number_of_columns():
    # Ten times the columns: about ten times the CPU time when linear, a hundred when quadratic.
    small, large = _seconds_to_map(20_000), _seconds_to_map(200_000)
    assert large < 30 * max(small, 0.01)
