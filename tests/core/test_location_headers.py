"""State, postal-code and time-zone columns are found by their header in every language the vocabulary has."""

import pytest

from contactdesk.core.import_plan import plan_source, read_file
from contactdesk.core.mapping import resolve_mapping
from contactdesk.core.vocabulary import POSTAL_CODE, STATE, TIME_ZONE, location_kind


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("location_headers_german.csv", {"Bundesland": STATE, "PLZ": POSTAL_CODE, "Ort": "Ort"}),
        ("location_headers_french.csv", {"Région": STATE, "Code postal": POSTAL_CODE}),
        ("location_headers_spanish.csv", {"Estado": STATE, "Código postal": POSTAL_CODE, "Zona horaria": TIME_ZONE}),
        ("location_headers_spanish_provinces.csv", {"Provincia": STATE, "CP": POSTAL_CODE}),
    ],
)
def test_location_columns_named_in_other_languages_are_detected(data_dir, file_name, expected):
    source = plan_source(read_file(data_dir / file_name), region="US")
    assert source.problem is None
    targets = source.mapping.as_json_dict()
    assert {header: targets[header] for header in expected} == expected
    assert source.mapping.auto >= {header for header, target in expected.items() if target != header}


def test_a_sales_region_in_another_language_stays_a_template_variable():
    # Named like a state, but its values are no states: not taken (as in English).
    mapping = resolve_mapping(
        ["Telefon", "Region"], sample_rows=[["+12127365001", "Nord"], ["+12127365002", "Süd"]], region="US"
    )
    assert mapping.targets["Region"] == "Region"


def test_the_location_words_are_whole_headers():
    assert location_kind("Bundesland") == STATE
    assert location_kind("Code-Postal") == POSTAL_CODE
    assert location_kind("Bundesland Notizen") is None
