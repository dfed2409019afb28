"""Which CSV column feeds which contact field.

Auto-detection reads the header (insensitive to case, spaces, underscores, hyphens and
dots); ``column_mappings`` ({"CSV column": target}) overrides it for the columns it
names. Every column not mapped to a standard field, and not ignored, becomes a
template variable keyed by its header.
"""

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .phone import DEFAULT_REGION, looks_like_phone

PHONE, NAME, EMAIL, COMPANY = "phone_number", "name", "email", "company"
STANDARD_FIELDS = (PHONE, NAME, EMAIL, COMPANY)
FIELD_LABELS = {PHONE: "Phone number", NAME: "Name", EMAIL: "Email", COMPANY: "Company"}

_ALIASES = {
    PHONE: (
        "phone", "phone_number", "mobile", "cell",
        "phone no", "phone #", "phonenum", "mobile phone", "mobile number", "mobile no",
        "cell phone", "cell number", "cellphone", "telephone", "telephone number", "tel",
        "tel no", "msisdn", "contact number", "primary phone", "work phone", "home phone",
        "business phone", "phone 1", "phone1", "handy",
    ),
    NAME: ("name", "full_name", "contact_name", "fullname", "contact", "customer name", "display name"),
    EMAIL: ("email", "email_address", "e-mail", "e-mail address", "mail", "email 1", "primary email"),
    COMPANY: (
        "company", "organization", "organisation", "company name", "organization name",
        "organisation name", "account name", "business", "business name", "employer",
    ),
}

_KEY_NOISE = re.compile(r"[\s_\-.#]+")
MAX_VARIABLE_NAME = 64
_BAD_VARIABLE_CHARS = re.compile(r"[{}\x00-\x1f]")


def header_key(header: str) -> str:
    return _KEY_NOISE.sub("", header.casefold())


HEADER_ALIASES: dict[str, str] = {
    header_key(alias): target for target, aliases in _ALIASES.items() for alias in aliases
}


class MappingError(Exception):
    """A bad mapping (a 400): the message names the problem."""


@dataclass
class ColumnMapping:
    headers: list[str]
    targets: dict[str, str | None]  # header -> standard field, variable name, or None (ignored)
    auto: set[str] = field(default_factory=set)  # headers whose target was detected, not given

    def column_of(self, standard_field: str) -> int | None:
        for index, header in enumerate(self.headers):
            if self.targets.get(header) == standard_field:
                return index
        return None

    @property
    def phone_column(self) -> int:
        index = self.column_of(PHONE)
        assert index is not None, "a resolved mapping always has a phone column"
        return index

    def variable_columns(self) -> list[tuple[int, str]]:
        return [
            (index, target)
            for index, header in enumerate(self.headers)
            if (target := self.targets.get(header)) and target not in STANDARD_FIELDS
        ]

    def as_json_dict(self) -> dict[str, str | None]:
        """The full mapping in ``column_mappings`` form, for the result and for presets."""
        return {header: self.targets.get(header) for header in self.headers}


def auto_detect(headers: Sequence[str]) -> dict[str, str]:
    """header -> standard field for the headers whose name says so; the first one wins."""
    found: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        target = HEADER_ALIASES.get(header_key(header))
        if target and target not in taken:
            found[header] = target
            taken.add(target)
    return found


def parse_column_mappings(value) -> dict[str, str | None] | None:
    """Accept a JSON text or an already-parsed object; None or '' means no mapping given."""
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise MappingError(f"The column mapping is not valid JSON: {exc.msg} at position {exc.pos}.") from None
        except RecursionError:
            raise MappingError("The column mapping is not valid JSON: it is nested too deeply.") from None
    if not isinstance(value, dict):
        raise MappingError('The column mapping must be a JSON object like {"Mobile": "phone_number"}.')
    return value


def _check_target(column: str, target) -> str | None:
    if target is None or target == "":
        return None
    if not isinstance(target, str):
        raise MappingError(
            f"Unknown target for column {column!r}: {json.dumps(target)[:60]}. Use one of "
            f"{', '.join(STANDARD_FIELDS)}, a template variable name, or null to ignore it."
        )
    stripped = target.strip()
    if stripped.casefold() in STANDARD_FIELDS:
        return stripped.casefold()
    if not stripped or len(stripped) > MAX_VARIABLE_NAME or _BAD_VARIABLE_CHARS.search(stripped):
        raise MappingError(
            f"Unknown target for column {column!r}: {target[:60]!r}. A template variable name is 1 to "
            f"{MAX_VARIABLE_NAME} characters without braces."
        )
    return stripped


def _match_column(name: str, headers: Sequence[str]) -> str | None:
    if name in headers:
        return name
    wanted = name.strip().casefold()
    matches = [header for header in headers if header.strip().casefold() == wanted]
    return matches[0] if len(matches) == 1 else None


def _quote_list(names: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(repr(name) for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def guess_phone_column(headers: Sequence[str], sample_rows: Sequence[Sequence[str]], region: str) -> str | None:
    """The column whose sample values mostly parse as phone numbers (for headerless files)."""
    best, best_share = None, 0.5
    for index, header in enumerate(headers):
        values = [row[index] for row in sample_rows if index < len(row) and row[index].strip()]
        if not values:
            continue
        share = sum(looks_like_phone(value, region) for value in values) / len(values)
        if share > best_share:
            best, best_share = header, share
    return best


def _guess_email_column(headers: Sequence[str], sample_rows: Sequence[Sequence[str]]) -> str | None:
    for index, header in enumerate(headers):
        values = [row[index] for row in sample_rows if index < len(row) and row[index].strip()]
        if values and sum("@" in value and "." in value for value in values) / len(values) > 0.8:
            return header
    return None


def resolve_mapping(
    headers: Sequence[str],
    column_mappings=None,
    *,
    has_header: bool = True,
    sample_rows: Sequence[Sequence[str]] = (),
    region: str = DEFAULT_REGION,
) -> ColumnMapping:
    """Combine auto-detection and the given mapping into one complete mapping, or raise MappingError."""
    headers = list(headers)
    given = parse_column_mappings(column_mappings) or {}
    explicit: dict[str, str | None] = {}
    for name, target in given.items():
        column = _match_column(str(name), headers)
        if column is None:
            raise MappingError(
                f"The mapping names a column the file does not have: {str(name)[:80]!r}. "
                f"The file's columns are {_quote_list(headers)}."
            )
        explicit[column] = _check_target(column, target)

    for standard in STANDARD_FIELDS:
        sources = [column for column, target in explicit.items() if target == standard]
        if len(sources) > 1:
            raise MappingError(
                f"Two columns are mapped to {standard}: {_quote_list(sources)}. Map only one of them."
            )

    if has_header:
        detected = auto_detect(headers)
    else:
        detected = {}
        if (phone := guess_phone_column(headers, sample_rows, region)) is not None:
            detected[phone] = PHONE
        if (email := _guess_email_column(headers, sample_rows)) is not None:
            detected.setdefault(email, EMAIL)

    explicit_fields = {target for target in explicit.values() if target in STANDARD_FIELDS}
    targets: dict[str, str | None] = {}
    auto: set[str] = set()
    for header in headers:
        if header in explicit:
            targets[header] = explicit[header]
        elif header in detected and detected[header] not in explicit_fields:
            targets[header] = detected[header]
            auto.add(header)
        else:
            targets[header] = header  # a template variable, keyed by its header

    variable_sources: dict[str, str] = {}
    for header, target in targets.items():
        if target and target not in STANDARD_FIELDS:
            if target in variable_sources:
                raise MappingError(
                    f"Two columns are mapped to the template variable {target!r}: "
                    f"{variable_sources[target]!r} and {header!r}."
                )
            variable_sources[target] = header

    mapping = ColumnMapping(headers=headers, targets=targets, auto=auto)
    if mapping.column_of(PHONE) is None:
        raise MappingError(_no_phone_message(headers, has_header, sample_rows, region))
    return mapping


def _no_phone_message(headers, has_header, sample_rows, region) -> str:
    message = "No phone number column: "
    if has_header:
        message += f"none of the columns ({_quote_list(headers)}) is named like a phone column."
        guess = guess_phone_column(headers, sample_rows, region)
        if guess is not None:
            message += f" Column {guess!r} holds phone numbers; map it to phone_number."
        else:
            message += " Map the column that holds the numbers to phone_number."
    else:
        message += "the file has no header row and no column holds mostly phone numbers."
    return message
