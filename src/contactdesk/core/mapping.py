"""Which CSV column feeds which contact field.

Auto-detection reads the header (insensitive to case, spaces, underscores, hyphens and
dots); ``column_targets`` ({"CSV column": target}) overrides it for the columns it
names. Every column not mapped to a standard field, and not ignored, becomes a
template variable keyed by its header.
"""

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .phone import DEFAULT_REGION, PhoneNormalizer
from .vocabulary import (
    BARE_NAME,
    COMPANY,
    EMAIL,
    FIRST_NAME,
    LAST_NAME,
    LOCATION_KINDS,
    NAME,
    PHONE,
    POSTAL_CODE,
    STATE,
    TIME_ZONE,
    classify,
    header_words,
    is_id_like,
    location_kind,
)

STANDARD_FIELDS = (PHONE, NAME, FIRST_NAME, LAST_NAME, EMAIL, COMPANY)
NAME_PART_FIELDS = (FIRST_NAME, LAST_NAME)
FIELD_LABELS = {
    PHONE: "Phone number",
    NAME: "Name",
    FIRST_NAME: "First name",
    LAST_NAME: "Last name",
    EMAIL: "Email",
    COMPANY: "Company",
}

# --- where the contact is (calling hours): these columns win over the number's time zone ---
# Their header words, in every language, are in vocabulary.py.
LOCATION_FIELDS = LOCATION_KINDS
STANDARD_FIELDS += LOCATION_FIELDS
FIELD_LABELS |= {STATE: "State", POSTAL_CODE: "ZIP / postal code", TIME_ZONE: "Time zone"}
# --- end of the location fields ---

MAX_VARIABLE_NAME = 64
_BAD_VARIABLE_CHARS = re.compile(r"[{}\x00-\x1f]")
# Detection reads values only this far, so a file of 200,000 columns is decided in linear time.
_VALUE_ROWS = 50  # sample rows whose values are read
_VALUE_PHONE_CANDIDATES = 50  # phone-named columns compared by their values
_VALUE_COLUMNS = 1_000  # columns searched for phone numbers when no header names one
FROM_VALUES_SHARE = 0.8  # share of a column's values that must be formatted, dialable numbers
_PHONE_FORMATTING = re.compile(r"[\s\-().+/]")
# Nothing but a number as people write one (an extension allowed): not text that contains digits.
_PHONE_TEXT = re.compile(r"\s*\+?[\d\s\-()./]+(?:\s*(?:x|ext\.?|extension|#)\s*\d+)?\s*", re.IGNORECASE)


def header_key(header: str) -> str:
    """A header folded as the vocabulary reads it: 'Phone_Number' and 'phone number' are one key."""
    return " ".join(header_words(header))


class MappingError(Exception):
    """A bad mapping (a 400): the message names the problem.

    ``draft``: when only the phone column is missing, what each column was detected as, so a
    page can show it and ask for the phone column."""

    def __init__(self, message: str, draft: "ColumnMapping | None" = None):
        super().__init__(message)
        self.draft = draft


@dataclass
class ColumnMapping:
    headers: list[str]
    targets: dict[str, str | None]  # header -> standard field, variable name, or None (ignored)
    auto: set[str] = field(default_factory=set)  # headers whose target was detected, not given
    name_parts: list[int] = field(default_factory=list)  # the first-name and last-name columns, in that order
    from_values: set[str] = field(default_factory=set)  # headers detected from their values, not their name
    warnings: list[str] = field(default_factory=list)  # what detection decided that a person should know

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
        """(column, variable name): every template variable, and the first and last names and the
        location columns keyed by their header as well (so "Hi {First Name}" keeps working in a
        call script)."""
        variables = []
        for index, header in enumerate(self.headers):
            target = self.targets.get(header)
            if target in NAME_PART_FIELDS or target in LOCATION_FIELDS:
                variables.append((index, header))
            elif target and target not in STANDARD_FIELDS:
                variables.append((index, target))
        return variables

    def as_json_dict(self) -> dict[str, str | None]:
        """The full mapping in ``column_targets`` form, for the result and for presets."""
        return {header: self.targets.get(header) for header in self.headers}


@dataclass
class _Detection:
    targets: dict[str, str]  # header -> standard field
    from_values: str | None = None  # the phone column found from its values
    closest: list[tuple[str, float]] = field(default_factory=list)  # columns nearest to phone numbers


def _holds_locations(target: str, values: Sequence[str]) -> bool:
    """Whether a state, postal-code or time-zone column's values mostly say so ("Region: East" does not)."""
    from .timezones import state_from_postal_code, state_from_text, zones_from_text

    read = {STATE: state_from_text, POSTAL_CODE: state_from_postal_code, TIME_ZONE: zones_from_text}[target]
    return not values or sum(bool(read(value)) for value in values) * 2 >= len(values)


def _filled(index: int, sample_rows: Sequence[Sequence[str]]) -> list[str]:
    """The non-empty sample values of one column (from the first rows only)."""
    return [row[index] for row in sample_rows[:_VALUE_ROWS] if index < len(row) and row[index].strip()]


def _dialable_count(index: int, sample_rows, normalizer: PhoneNormalizer) -> tuple[int, int]:
    """(values that are dialable numbers, of those the ones in an assigned range) in one column."""
    dialable = assigned = 0
    for value in _filled(index, sample_rows):
        if sum(ch.isdigit() for ch in value) >= 7:
            phone = normalizer.normalize(value)
            if phone.e164 is not None:
                dialable += 1
                assigned += phone.assigned
    return dialable, assigned


def _formatted_phone_share(values: list[str], normalizer: PhoneNormalizer) -> float:
    """Share of values that are dialable AND written like phone numbers: separators, a '+', or
    10 to 15 digits, so a column of 7-digit customer numbers is not taken for phones."""
    hits = 0
    for value in values:
        digits = sum(ch.isdigit() for ch in value)
        if digits < 7 or not _PHONE_TEXT.fullmatch(value):
            continue
        if not (_PHONE_FORMATTING.search(value.strip()) or 10 <= digits <= 15):
            continue
        if normalizer.normalize(value).e164 is not None:
            hits += 1
    return hits / len(values)


def _best_phone(candidates: list[tuple[int, int]], sample_rows, normalizer: PhoneNormalizer) -> int:
    """The phone column among several named like one: the values decide, then the header."""
    candidates = sorted(candidates, key=lambda c: (-c[0], c[1]))  # (strength, index): strongest, then first
    if len(candidates) == 1 or not sample_rows:
        return candidates[0][1]
    compared = candidates[:_VALUE_PHONE_CANDIDATES]
    best = max(compared, key=lambda c: (*_dialable_count(c[1], sample_rows, normalizer), c[0], -c[1]))
    return best[1]


def _phone_from_values(headers, sample_rows, normalizer, taken: set[int]) -> tuple[int | None, list]:
    """With no phone header: the one column whose values are unmistakably phone numbers, and the
    columns whose values come closest (for the message when there is none)."""
    shares: list[tuple[float, int]] = []
    for index in range(min(len(headers), _VALUE_COLUMNS)):
        values = _filled(index, sample_rows) if index not in taken else []
        if values:
            share = _formatted_phone_share(values, normalizer)
            if share > 0:
                shares.append((share, index))
    shares.sort(key=lambda s: (-s[0], s[1]))
    # An ID, postal-code or date column is named for what it is: it is suggested, never taken.
    sure = [index for share, index in shares if share >= FROM_VALUES_SHARE and not is_id_like(headers[index])]
    closest = [(headers[index], share) for share, index in shares[:3]]
    return (sure[0] if len(sure) == 1 else None), closest


def _detect(headers: Sequence[str], sample_rows, region: str, skip: frozenset[str] = frozenset()) -> _Detection:
    """Detect standard fields from the headers (one pass), then the phone column from values if needed.
    ``skip``: fields the person mapped explicitly (nothing is detected for them)."""
    by_kind: dict[str, list[tuple[int, int]]] = {}
    for index, header in enumerate(headers):
        found = classify(header)
        if found is not None:
            kind, strength = found
            by_kind.setdefault(kind, []).append((strength, index))
    normalizer = PhoneNormalizer(region)
    detection = _Detection({})
    chosen: dict[str, int] = {}
    for kind in (EMAIL, COMPANY, NAME, FIRST_NAME, LAST_NAME, BARE_NAME):
        candidates = by_kind.get(kind)
        if candidates and kind not in skip:
            chosen[kind] = max(candidates, key=lambda c: (c[0], -c[1]))[1]  # strongest, then first
    _resolve_bare_name(chosen, skip)
    if PHONE not in skip:
        phones = by_kind.get(PHONE)
        if phones:
            chosen[PHONE] = _best_phone(phones, sample_rows, normalizer)
        elif sample_rows:
            taken = {index for kind, index in chosen.items() if kind in (EMAIL,)}
            index, detection.closest = _phone_from_values(headers, sample_rows, normalizer, taken)
            if index is not None:
                chosen = {kind: column for kind, column in chosen.items() if column != index}
                chosen[PHONE] = index
                detection.from_values = headers[index]
    _detect_locations(headers, sample_rows, chosen, skip)
    detection.targets = {headers[index]: kind for kind, index in chosen.items()}
    return detection


def _detect_locations(headers: Sequence[str], sample_rows, chosen: dict[str, int], skip: frozenset[str]) -> None:
    """State, postal-code and time-zone columns: named so, and holding such values (a sales
    "Region: East" stays a template variable)."""
    used = set(chosen.values())
    for index, header in enumerate(headers):
        target = location_kind(header)
        if target is None or target in chosen or target in skip or index in used:
            continue
        if _holds_locations(target, _filled(index, sample_rows)):
            chosen[target] = index
            used.add(index)


def _resolve_bare_name(chosen: dict[str, int], skip: frozenset[str]) -> None:
    """A bare "Nom"/"Nombre"/"Nome"/"Naam" is the first name next to a last-name column, the last
    name next to a first-name column, and the full name otherwise."""
    bare = chosen.pop(BARE_NAME, None)
    if bare is None:
        return
    has_first, has_last = FIRST_NAME in chosen or FIRST_NAME in skip, LAST_NAME in chosen or LAST_NAME in skip
    if has_last and not has_first:
        chosen[FIRST_NAME] = bare
    elif has_first and not has_last:
        chosen[LAST_NAME] = bare
    elif NAME not in chosen and NAME not in skip:
        chosen[NAME] = bare


def auto_detect(
    headers: Sequence[str], sample_rows: Sequence[Sequence[str]] = (), region: str = DEFAULT_REGION
) -> dict[str, str]:
    """header -> standard field for the headers whose name says so (see vocabulary.py).

    One column per field: the strongest match, then the first. For the phone, when several
    columns are named like one (Business Phone, Home Phone, Mobile Phone...), the one whose
    sample values hold the most dialable numbers is chosen; when none is, a column whose
    values are unmistakably phone numbers is.
    """
    return _detect(headers, sample_rows, region).targets


def parse_column_targets(value) -> dict[str, str | None] | None:
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


class _ColumnNames:
    """Finds a column by its exact name, else by its name ignoring case and surrounding spaces
    (when that is unambiguous), in constant time per lookup."""

    def __init__(self, headers: Sequence[str]):
        self.exact = set(headers)
        self.folded: dict[str, str | None] = {}
        for header in headers:
            key = header.strip().casefold()
            self.folded[key] = None if key in self.folded else header  # None: two columns fold alike

    def find(self, name: str) -> str | None:
        if name in self.exact:
            return name
        return self.folded.get(name.strip().casefold())


def _quote_list(names: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(repr(_short(name)) for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def guess_phone_column(headers: Sequence[str], sample_rows: Sequence[Sequence[str]], region: str) -> str | None:
    """The column whose sample values mostly parse as phone numbers (for headerless files)."""
    best, best_score = None, (0.5, 0.0)
    normalizer = PhoneNormalizer(region)
    for index in range(min(len(headers), _VALUE_COLUMNS)):
        values = _filled(index, sample_rows)
        if not values:
            continue
        dialable, assigned = _dialable_count(index, sample_rows, normalizer)
        # Most dialable values; between equals, the one whose numbers are really in service.
        score = (dialable / len(values), assigned / len(values))
        if score > best_score:
            best, best_score = headers[index], score
    return best


def _guess_email_column(headers: Sequence[str], sample_rows: Sequence[Sequence[str]]) -> str | None:
    for index in range(min(len(headers), _VALUE_COLUMNS)):
        values = _filled(index, sample_rows)
        if values and sum("@" in value and "." in value for value in values) / len(values) > 0.8:
            return headers[index]
    return None


def resolve_mapping(
    headers: Sequence[str],
    column_targets=None,
    *,
    has_header: bool = True,
    sample_rows: Sequence[Sequence[str]] = (),
    region: str = DEFAULT_REGION,
) -> ColumnMapping:
    """Combine auto-detection and the given mapping into one complete mapping, or raise MappingError.

    The given mapping always wins: detection only fills the fields it leaves open.
    """
    headers = list(headers)
    given = parse_column_targets(column_targets) or {}
    names = _ColumnNames(headers) if given else None
    explicit: dict[str, str | None] = {}
    for name, target in given.items():
        column = names.find(str(name))
        if column is None:
            raise MappingError(
                f"The mapping names a column the file does not have: {str(name)[:80]!r}. "
                f"The file's columns are {_quote_list(headers)}."
            )
        explicit[column] = _check_target(column, target)

    sources: dict[str, list[str]] = {}
    for column, target in explicit.items():
        if target in STANDARD_FIELDS:
            sources.setdefault(target, []).append(column)
    for standard, columns in sources.items():
        if len(columns) > 1:
            raise MappingError(f"Two columns are mapped to {standard}: {_quote_list(columns)}. Map only one of them.")

    explicit_fields = frozenset(sources)
    detection = _Detection({})
    if has_header:
        detection = _detect(headers, sample_rows, region, skip=explicit_fields)
    else:
        if PHONE not in explicit_fields and (phone := guess_phone_column(headers, sample_rows, region)) is not None:
            detection.targets[phone] = PHONE
        if EMAIL not in explicit_fields and (email := _guess_email_column(headers, sample_rows)) is not None:
            detection.targets.setdefault(email, EMAIL)

    targets: dict[str, str | None] = {}
    auto: set[str] = set()
    detected = detection.targets
    for header in headers:
        if header in explicit:
            targets[header] = explicit[header]
        elif header in detected:
            targets[header] = detected[header]
            auto.add(header)
        else:
            targets[header] = header  # a template variable, keyed by its header

    mapping = ColumnMapping(headers=headers, targets=targets, auto=auto)
    variable_sources: dict[str, str] = {}
    for index, target in mapping.variable_columns():
        header = headers[index]
        if target in variable_sources:
            raise MappingError(
                f"Two columns are mapped to the template variable {target!r}: "
                f"{variable_sources[target]!r} and {header!r}."
            )
        variable_sources[target] = header

    if mapping.column_of(PHONE) is None:
        raise MappingError(_no_phone_message(headers, has_header, sample_rows, region, detection.closest), mapping)
    phone_header = headers[mapping.phone_column]
    if detection.from_values == phone_header and phone_header in auto:
        mapping.from_values.add(phone_header)
        mapping.warnings.append(
            f"Phone numbers taken from {_short(phone_header)!r} because its values are phone numbers "
            "(no column is named like a phone column)."
        )
    mapping.name_parts = [index for part in NAME_PART_FIELDS if (index := mapping.column_of(part)) is not None]
    return mapping


def _no_phone_message(headers, has_header, sample_rows, region, closest) -> str:
    message = "No phone number column: "
    if not has_header:
        return message + "the file has no header row and no column holds mostly phone numbers."
    message += f"none of the columns ({_quote_list(headers)}) is named like a phone column."
    if len(closest) == 1 or (len(closest) > 1 and closest[0][1] >= FROM_VALUES_SHARE > closest[1][1]):
        message += f" Column {_short(closest[0][0])!r} holds phone numbers; map it to phone_number."
    elif closest:
        listed = ", ".join(f"{_short(name)!r} ({share:.0%} of its values)" for name, share in closest)
        message += (
            f" The columns whose values look most like phone numbers are {listed}; "
            "map the one that holds the numbers to phone_number."
        )
    else:
        message += " Map the column that holds the numbers to phone_number."
    return message
