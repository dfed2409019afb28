from hypothesis import given
from hypothesis import strategies as st

from contactdesk.core.templates import contact_values, render


def test_placeholders_are_replaced_by_values():
    values = contact_values("+12125550147", "Ann", "ann@example.com", "Acme", {"plan": "gold", "First Name": "Ann"})
    rendered = render("Hi {First Name}, your {plan} plan at {company}; call {phone_number}.", values)
    assert rendered.text == "Hi Ann, your gold plan at Acme; call +12125550147."
    assert rendered.missing == []


def test_format_tricks_stay_literal():
    values = {"name": "Ann"}
    for template in ("{name.__class__}", "{0}", "{name:>10}", "{name!r}", "{name[0]}", "{__import__('os')}"):
        assert render(template, values).text == template


def test_missing_variables_are_left_visible_and_listed():
    rendered = render("Hello {name}, {nickname}!", {"name": "Ann"})
    assert rendered.text == "Hello Ann, {nickname}!"
    assert rendered.missing == ["nickname"]


def test_double_braces_are_literal_braces():
    assert render("{{name}} is {name}", {"name": "Ann"}).text == "{name} is Ann"


@given(st.text(max_size=200))
def test_values_from_csv_cells_are_inserted_verbatim_and_never_evaluated(cell):
    assert render("<{note}>", {"note": cell}).text == f"<{cell}>"
