"""Phone numbers to E.164, with a reason for every number that cannot be dialled.

The default rule accepts a number that is *possible* as a complete, dialable number
(phonenumbers calls 555 numbers possible but not valid, and the product's examples
use them). ``strict`` additionally demands ``is_valid_number``. Numbers that are
possible but not assigned are still counted, so the importer can warn about them.
"""

import re
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from .nanp import NanpValidity, nanp_nsn, without_separators
from .world_numbers import WorldNumbers

DEFAULT_REGION = "US"
MAX_PHONE_TEXT = 64  # longer text is not a phone number; don't hand it to the parser

_NOT_ASSIGNED = "not an assigned number (strict check)"
_SCIENTIFIC = re.compile(r"^\s*[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+\s*$")
_FLOAT_TAIL = re.compile(r"^\s*\+?\d{5,}[.,]0+\s*$")
# An extension after a number, in the spellings exports use ("x123", "ext. 45", "#12"); a
# short one, well inside what phonenumbers reads as an extension for every marker.
_EXTENSION_TAIL = re.compile(r"^(.*\d)\s*(?:x|X|ext\.?|Ext\.?|EXT\.?|#)\s*(\d{1,6})$")

_POSSIBILITY_REASONS = {
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "no area code: only dialable locally",
    ValidationResult.INVALID_COUNTRY_CODE: "unknown country code",
    ValidationResult.TOO_SHORT: "too short",
    ValidationResult.TOO_LONG: "too long",
    ValidationResult.INVALID_LENGTH: "wrong number of digits",
}


_PARSE_REASONS = {
    NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
    NumberParseException.TOO_SHORT_NSN: "too short",
    NumberParseException.TOO_LONG: "too long",
}


class Phone(NamedTuple):
    """The outcome for one value: either ``e164`` is set, or ``reason`` says why not."""

    e164: str | None
    extension: str | None = None
    reason: str | None = None
    assigned: bool = True  # False: possible but not an assigned range (e.g. 555)


# Builds a Phone from a full tuple in C: the fast path runs once per row of a file.
_new_phone = tuple.__new__
# Rejections are made once: a file of numbers from abroad has many.
_EMPTY = Phone(None, None, "empty")
_TEXT_TOO_LONG = Phone(None, None, "not a phone number (text too long)")
_NOT_ASSIGNED_PHONE = Phone(None, None, _NOT_ASSIGNED)
_NOT_POSSIBLE = {possibility: Phone(None, None, reason) for possibility, reason in _POSSIBILITY_REASONS.items()}
_NOT_DIALABLE = Phone(None, None, "not dialable")


def supported_regions() -> list[str]:
    return sorted(phonenumbers.SUPPORTED_REGIONS)


class UnknownRegion(ValueError):
    """A country code phonenumbers does not know; the message says which."""


def phone_settings(region: str | None, strict: object = False) -> tuple[str, bool]:
    """The one place the region and strictness of phone numbers are defaulted, normalized and checked.

    ('us', 0) -> ('US', False); no region -> DEFAULT_REGION; an unknown one raises UnknownRegion.
    """
    code = (region or DEFAULT_REGION).upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise UnknownRegion(f"Unknown country code for phone numbers: {region!r}.")
    return code, bool(strict)


_NANP_NATIONAL_REGIONS = ("US", "CA")  # NANP regions whose national prefix is 1
_nanp_validity: NanpValidity | None = None


def _shared_nanp_validity() -> NanpValidity:
    global _nanp_validity
    if _nanp_validity is None:
        _nanp_validity = NanpValidity()
    return _nanp_validity


class PhoneNormalizer:
    def __init__(self, region: str = DEFAULT_REGION, strict: bool = False, fast_path: bool = True):
        region, strict = phone_settings(region, strict)
        self.region = region
        self.strict = strict
        self._nanp = _shared_nanp_validity() if fast_path else None
        self._nanp_national = region in _NANP_NATIONAL_REGIONS
        self._world = WorldNumbers(region) if fast_path else None

    def normalize(self, raw: str) -> Phone:
        text = raw.strip()
        if not text:
            return _EMPTY
        if len(text) > MAX_PHONE_TEXT:
            return _TEXT_TOO_LONG
        nanp = self._nanp
        if nanp is None:
            return self._normalize_slowly(text)
        # The separators are taken out once; what is left decides the way: digits only, or digits
        # and an extension (to the North American fast path, else the world's), or phonenumbers.
        plus = text[:1] == "+"
        digits = without_separators(text[1:] if plus else text)
        extension = None
        if digits.isdigit() and digits.isascii():
            if "." in text and _FLOAT_TAIL.match(text):
                return self._normalize_slowly(text)
        else:
            if (parts := _EXTENSION_TAIL.match(text)) is None:
                return self._normalize_slowly(text)
            number, extension = parts.groups()
            plus = number[:1] == "+"
            digits = without_separators(number[1:] if plus else number)
            if not (digits.isdigit() and digits.isascii()):
                return self._normalize_slowly(text)
        if (nsn := nanp_nsn(plus, digits, self._nanp_national)) is not None:
            if (assigned := nanp.known(nsn[:4])) is None and (assigned := nanp.is_valid(nsn)) is None:
                return self._normalize_slowly(text)
            if self.strict and not assigned:
                return _NOT_ASSIGNED_PHONE
            return _new_phone(Phone, ("+1" + nsn, extension, None, assigned))
        if (answer := self._world.read_digits(plus, digits)) is None:
            return self._normalize_slowly(text)
        e164, possibility, assigned = answer
        if e164 is None:
            return _NOT_POSSIBLE.get(possibility, _NOT_DIALABLE)
        if self.strict and not assigned:
            return _NOT_ASSIGNED_PHONE
        return _new_phone(Phone, (e164, extension, None, assigned))

    def _normalize_slowly(self, text: str) -> Phone:
        if ("e" in text or "E" in text) and _SCIENTIFIC.match(text):
            return Phone(None, reason="spreadsheet scientific notation: digits were lost")
        if ("." in text or "," in text) and _FLOAT_TAIL.match(text):
            return Phone(None, reason="spreadsheet number format (trailing .0): re-export as text")
        try:
            number = phonenumbers.parse(text, self.region)
        except NumberParseException as exc:
            return Phone(None, reason=_PARSE_REASONS.get(exc.error_type, "not a phone number"))
        possibility = phonenumbers.is_possible_number_with_reason(number)
        if possibility != ValidationResult.IS_POSSIBLE:
            return Phone(None, reason=_POSSIBILITY_REASONS.get(possibility, "not dialable"))
        assigned = phonenumbers.is_valid_number(number)
        if self.strict and not assigned:
            return Phone(None, reason=_NOT_ASSIGNED)
        e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
        return Phone(e164, extension=number.extension or None, assigned=assigned)


def normalize_phone(raw: str, region: str = DEFAULT_REGION, strict: bool = False) -> Phone:
    return PhoneNormalizer(region, strict).normalize(raw)


def looks_like_phone(raw: str, region: str = DEFAULT_REGION) -> bool:
    """Used to find the phone column of a headerless file from its content."""
    text = raw.strip()
    if sum(ch.isdigit() for ch in text) < 7:
        return False
    return normalize_phone(text, region).e164 is not None


NATIONAL, INTERNATIONAL = "national", "international"
DISPLAY_STYLES = (NATIONAL, INTERNATIONAL)


@lru_cache(maxsize=8192)
def display_number(e164: str, region: str = DEFAULT_REGION, style: str = NATIONAL) -> str:
    """A stored E.164 number as people in ``region`` read it: "(212) 736-5001" at home, "+44 20 7946 0958"
    for a number abroad; ``INTERNATIONAL`` always with the country code. Only for showing: the
    stored, searched and exported value stays E.164."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    # Same country code, same way of dialling (the NANP's countries share +1, the UK's islands +44).
    national = style == NATIONAL and number.country_code == phonenumbers.country_code_for_region((region or "").upper())
    return phonenumbers.format_number(
        number, PhoneNumberFormat.NATIONAL if national else PhoneNumberFormat.INTERNATIONAL
    )


def example_number(region: str) -> str:
    """A typical local number of ``region``, written as people there do (for hints)."""
    example = phonenumbers.example_number_for_type(
        (region or DEFAULT_REGION).upper(), phonenumbers.PhoneNumberType.MOBILE
    )
    if example is None:
        return "(212) 555-0142"
    return phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL)
