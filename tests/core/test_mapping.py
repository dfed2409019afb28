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


def test_name_is_made_from_first_and_last_name_when_no_column_is_the_name():
    mapping = resolve_mapping(["Phone", "First Name", "Last Name"])
    assert mapping.name_parts == [1, 2]
    assert mapping.variable_columns() == [(1, "First Name"), (2, "Last Name")]
    assert resolve_mapping(["Phone", "Name", "First Name"]).name_parts == []
