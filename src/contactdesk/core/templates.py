"""Personalising a script with a contact's fields and template variables.

Only ``{name}`` placeholders are replaced, by plain text lookup. There is no attribute
access, indexing, format spec or expression: ``{name.__class__}``, ``{0}`` and
``{name:>10}`` stay as written. ``{{`` and ``}}`` give literal braces. A value from a
CSV cell is inserted as text and never interpreted.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_ \-]{0,63})\}")


@dataclass
class Rendered:
    text: str
    missing: list[str] = field(default_factory=list)  # placeholders with no value for this contact


def render(template: str, values: Mapping[str, object]) -> Rendered:
    missing: list[str] = []

    def replace(match: re.Match) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = match.group(1)
        if name in values and values[name] is not None:
            return str(values[name])
        missing.append(name)
        return token

    return Rendered(_PLACEHOLDER.sub(replace, template), missing)


def contact_values(phone_number: str, name: str, email: str, company: str, variables: Mapping[str, object]) -> dict:
    """The names a template can use for one contact: its variables, then the standard fields."""
    values = {str(key): value for key, value in variables.items()}
    values.update(phone_number=phone_number, name=name, email=email, company=company)
    return values
