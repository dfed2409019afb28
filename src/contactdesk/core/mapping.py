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

# --- where the contact is (calling hours): these columns win over the number's time zone ---
STATE, POSTAL_CODE, TIME_ZONE = "state", "postal_code", "time_zone"
LOCATION_FIELDS = (STATE, POSTAL_CODE, TIME_ZONE)
_LOCATION_ALIASES = {
    STATE: ("state", "province", "region", "state/province", "state or province", "st", "state code"),
    POSTAL_CODE: ("zip", "zip code", "zipcode", "postal code", "postcode", "post code", "zip/postal code"),
    TIME_ZONE: ("time zone", "timezone", "tz", "time_zone"),
}
STANDARD_FIELDS += LOCATION_FIELDS
FIELD_LABELS |= {STATE: "State", POSTAL_CODE: "ZIP / postal code", TIME_ZONE: "Time zone"}
# --- end of the location fields ---

_ALIASES = {
    PHONE: (
        "phone",
        "phone_number",
        "mobile",
        "cell",
        "phone no",
        "phone #",
        "phonenum",
        "mobile phone",
        "mobile number",
        "mobile no",
        "cell phone",
        "cell number",
        "cellphone",
        "telephone",
        "telephone number",
        "tel",
        "tel no",
        "msisdn",
        "contact number",
        "primary phone",
        "work phone",
        "home phone",
        "business phone",
        "phone 1",
        "phone1",
        "handy",
        "phone 1 - value",
        "mobile phone number",
        "cell phone number",
        "main phone",
        "direct phone",
        "direct dial",
        "contact phone",
        "phone number 1",
        # common in exports made with a non-English spreadsheet or CRM
        "téléphone",
        "telephone portable",
        "portable",
        "telefon",
        "telefonnummer",
        "handynummer",
        "mobil",
        "teléfono",
        "telefono",
        "móvil",
        "celular",
        "numero de telefono",
        "número de teléfono",
    ),
    NAME: (
        "name",
        "full_name",
        "contact_name",
        "fullname",
        "contact",
        "customer name",
        "display name",
        "nom complet",
        "nombre completo",
        "nome completo",
        "vollständiger name",
    ),
    EMAIL: (
        "email",
        "email_address",
        "e-mail",
        "e-mail address",
        "mail",
        "email 1",
        "primary email",
        "e-mail 1 - value",
        "work email",
        "business email",
        "email address 1",
        "courriel",
        "correo electrónico",
        "correo",
        "e-mail-adresse",
    ),
    COMPANY: (
        "company",
        "organization",
        "organisation",
        "company name",
        "organization name",
        "organisation name",
        "account name",
        "business",
        "business name",
        "employer",
        "organization 1 - name",
        "société",
        "entreprise",
        "empresa",
        "firma",
        "unternehmen",
    ),
}
# When no column is the name, it is made of these (each kept as a variable as well).
_FIRST_NAMES = ("first name", "firstname", "given name", "forename", "first")
_LAST_NAMES = ("last name", "lastname", "surname", "family name", "last")

_KEY_NOISE = re.compile(r"[\s_\-.#]+")
MAX_VARIABLE_NAME = 64
_BAD_VARIABLE_CHARS = re.compile(r"[{}\x00-\x1f]")


def header_key(header: str) -> str:
    return _KEY_NOISE.sub("", header.casefold())


HEADER_ALIASES: dict[str, str] = {
    header_key(alias): target for target, aliases in _ALIASES.items() for alias in aliases
}
HEADER_ALIASES |= {header_key(alias): target for target, aliases in _LOCATION_ALIASES.items() for alias in aliases}
FIRST_NAME_KEYS = frozenset(header_key(alias) for alias in _FIRST_NAMES)
LAST_NAME_KEYS = frozenset(header_key(alias) for alias in _LAST_NAMES)


class MappingError(Exception):
    """A bad mapping (a 400): the message names the problem."""


@dataclass
class ColumnMapping:
    headers: list[str]
    targets: dict[str, str | None]  # header -> standard field, variable name, or None (ignored)
    auto: set[str] = field(default_factory=set)  # headers whose target was detected, not given
    name_parts: list[int] = field(default_factory=list)  # first/last-name columns, when no column is the name

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


def auto_detect(
    headers: Sequence[str], sample_rows: Sequence[Sequence[str]] = (), region: str = DEFAULT_REGION
) -> dict[str, str]:
    """header -> standard field for the headers whose name says so.

    The first such column wins, except for the phone: CRM exports often have several
    phone columns (Business Phone, Home Phone, Mobile Phone...), so the one whose sample
    values hold the most numbers is chosen.
    """
    found: dict[str, str] = {}
    taken: set[str] = set()
    phone_candidates = [h for h in headers if HEADER_ALIASES.get(header_key(h)) == PHONE]
    if len(phone_candidates) > 1 and sample_rows:
        best = max(phone_candidates, key=lambda h: _phone_share(headers.index(h), sample_rows, region))
        found[best] = PHONE
        taken.add(PHONE)
    for header in headers:
        target = HEADER_ALIASES.get(header_key(header))
        if target and target not in taken:
            if target in LOCATION_FIELDS and not _holds_locations(target, _filled(headers.index(header), sample_rows)):
                continue
            found[header] = target
            taken.add(target)
    return found


def _holds_locations(target: str, values: Sequence[str]) -> bool:
    """Whether a state, postal-code or time-zone column's values mostly say so ("Region: East" does not)."""
    from .timezones import state_from_postal_code, state_from_text, zones_from_text

    read = {STATE: state_from_text, POSTAL_CODE: state_from_postal_code, TIME_ZONE: zones_from_text}[target]
    return not values or sum(bool(read(value)) for value in values) * 2 >= len(values)


def _filled(index: int, sample_rows: Sequence[Sequence[str]]) -> list[str]:
    """The non-empty sample values of one column."""
    return [row[index] for row in sample_rows if index < len(row) and row[index].strip()]


def _phone_share(index: int, sample_rows: Sequence[Sequence[str]], region: str) -> int:
    return sum(looks_like_phone(value, region) for value in _filled(index, sample_rows))


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
        except ValueError:
            raise MappingError("The column mapping is not valid JSON: a number in it is too long.") from None
    if not isinstance(value, dict):
        raise MappingError('The column mapping must be a JSON object like {"Mobile": "phone_number"}.')
    return value


def _preview(value) -> str:
    try:
        return json.dumps(value)[:60]
    except (TypeError, ValueError, RecursionError):
        return f"a Python {type(value).__name__}"


def _short(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[:limit] + "…"


def _check_target(column: str, target) -> str | None:
    if target is None or target == "":
        return None
    if not isinstance(target, str):
        raise MappingError(
            f"Unknown target for column {column!r}: {_preview(target)}. Use one of "
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
    shown = ", ".join(repr(_short(name)) for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def guess_phone_column(headers: Sequence[str], sample_rows: Sequence[Sequence[str]], region: str) -> str | None:
    """The column whose sample values mostly parse as phone numbers (for headerless files)."""
    best, best_share = None, 0.5
    for index, header in enumerate(headers):
        values = _filled(index, sample_rows)
        if not values:
            continue
        share = sum(looks_like_phone(value, region) for value in values) / len(values)
        if share > best_share:
            best, best_share = header, share
    return best


def _guess_email_column(headers: Sequence[str], sample_rows: Sequence[Sequence[str]]) -> str | None:
    for index, header in enumerate(headers):
        values = _filled(index, sample_rows)
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
            raise MappingError(f"Two columns are mapped to {standard}: {_quote_list(sources)}. Map only one of them.")

    if has_header:
        detected = auto_detect(headers, sample_rows, region)
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
    if mapping.column_of(NAME) is None:
        mapping.name_parts = _name_part_columns(headers, targets)
    return mapping


def _name_part_columns(headers: Sequence[str], targets: dict[str, str | None]) -> list[int]:
    parts = []
    for keys in (FIRST_NAME_KEYS, LAST_NAME_KEYS):
        for index, header in enumerate(headers):
            if header_key(header) in keys and targets.get(header) not in (None, *STANDARD_FIELDS):
                parts.append(index)
                break
    return parts


def _no_phone_message(headers, has_header, sample_rows, region) -> str:
    message = "No phone number column: "
    if has_header:
        message += f"none of the columns ({_quote_list(headers)}) is named like a phone column."
        guess = guess_phone_column(headers, sample_rows, region)
        if guess is not None:
            message += f" Column {_short(guess)!r} holds phone numbers; map it to phone_number."
        else:
            message += " Map the column that holds the numbers to phone_number."
    else:
        message += "the file has no header row and no column holds mostly phone numbers."
    return message
