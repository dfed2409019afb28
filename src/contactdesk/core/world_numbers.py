"""A fast path for numbers of any country that gives exactly what phonenumbers gives.

The North American fast path (nanp.py) reads ten-digit numbers of the NANP. This one reads
the rest of the plain shapes: digits with spaces, dashes, dots or brackets, written

- with a country code: ``+44 20 7946 0018``, or after the default region's international
  dialling prefix (``0044 20 7946 0018`` from the UK, ``011 44 …`` from the US);
- nationally for the default region: ``020 7946 0018`` from the US is eleven digits, too
  long for a US number, and is turned away here without phonenumbers.

It follows phonenumbers.parse step by step and steps aside (returns None) wherever parse
would do more than split off the country code and a plain national prefix (``+44 (0)20 …``,
``020 …`` under a UK default): a carrier code or a prefix transform rule, a number starting
with the default region's country code, an international prefix that is a pattern rather
than digits, a non-geographic country code. What is left is decided by the country code and
the national significant number alone:

- whether the number is possible depends only on its length (``_test_number_length``), so
  phonenumbers is asked once per country code and length;
- whether it is valid depends only on which of the country's metadata regexes match it, so
  it is decided per prefix as nanp.NanpValidity does for +1, for each length separately.

The equivalence is checked by a hypothesis property in the test suite.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import PhoneNumber, ValidationResult
from phonenumbers.phonemetadata import PhoneMetadata
from phonenumbers.phonenumberutil import _match_national_number  # parse's own test, to decide as it does

from .nanp import _DESC_FIELDS, _PatternIndex, _Unsupported

_FIRST_PREFIX, _MAX_PREFIX = 4, 8
# Prefixes remembered per country code: enough for the numbers of any real file, and a bound on
# memory for a file of numbers that need long prefixes (beyond it, phonenumbers decides).
_MAX_LEARNT = 50_000
_MIN_NSN, _MAX_NSN = 4, 17  # phonenumbers takes 2 to 17 digits; the shortest are left to it
_COUNTRY_CODES = {str(code) for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE}


def phone_number(country_code: int, nsn: str) -> PhoneNumber:
    """The PhoneNumber that phonenumbers.parse builds for this national significant number."""
    number = PhoneNumber(country_code=country_code, national_number=int(nsn))
    if len(nsn) > 1 and nsn[0] == "0":  # kept as parse keeps it ("italian leading zero")
        number.italian_leading_zero = True
        zeros = 1
        while zeros < len(nsn) - 1 and nsn[zeros] == "0":
            zeros += 1
        if zeros != 1:
            number.number_of_leading_zeros = zeros
    return number


class CountryValidity:
    """``is_valid(nsn)`` for one country calling code, equal to phonenumbers.is_valid_number.

    As nanp.NanpValidity, for numbers of any length: a prefix is decided when each regex
    accepts all numbers of that length starting with it, or none; the answer is then
    phonenumbers' for any one of them.
    """

    def __init__(self, country_code: int):
        self.country_code = country_code
        self._patterns: list[tuple[str, bool]] | None = []
        for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ()):
            metadata = PhoneMetadata.metadata_for_region(region)
            if metadata is None:  # a non-geographic code: its metadata is elsewhere, not handled here
                self._patterns = None
                break
            if metadata.leading_digits:
                self._patterns.append((metadata.leading_digits, True))
            for name in _DESC_FIELDS:
                desc = getattr(metadata, name, None)
                if desc is not None and desc.national_number_pattern:
                    self._patterns.append((desc.national_number_pattern, False))
        self._indexes: dict[int, list[_PatternIndex] | None] = {}  # per length
        self._cache: dict[int, dict[str, bool | None]] = {}  # per length: prefix -> answer, or None: look deeper
        self._by_accepting: dict[tuple[int, frozenset[_PatternIndex]], bool] = {}
        self._learnt = 0

    def _indexes_for(self, length: int) -> list[_PatternIndex] | None:
        """The regexes' sequences of ``length`` digits; None when a regex is beyond the expander."""
        if length not in self._indexes:
            indexes = None
            if self._patterns is not None:
                try:
                    indexes = [_PatternIndex(pattern, prefix, length) for pattern, prefix in self._patterns]
                except (_Unsupported, ValueError):
                    pass
            self._indexes[length] = indexes
        return self._indexes[length]

    def is_valid(self, nsn: str) -> bool | None:
        """True/False as phonenumbers would say, or None when only phonenumbers can tell."""
        length = len(nsn)
        cache = self._cache.get(length)
        if cache is None:
            if self._indexes_for(length) is None:
                return None
            cache = self._cache[length] = {}
        answer = cache.get(nsn[:_FIRST_PREFIX])
        if answer is not None:
            return answer
        for k in range(_FIRST_PREFIX, min(length, _MAX_PREFIX) + 1):
            prefix = nsn[:k]
            answer = cache[prefix] if prefix in cache else self._learn(prefix, length, cache)
            if answer is not None:
                return answer
        return None

    def _learn(self, prefix: str, length: int, cache: dict[str, bool | None]) -> bool | None:
        if self._learnt >= _MAX_LEARNT:
            return None
        self._learnt += 1
        accepting = []
        answer: bool | None = None
        for index in self._indexes[length]:
            verdict = index.classify(prefix)
            if verdict == "mixed":
                break
            if verdict == "all":
                accepting.append(index)
        else:
            key = (length, frozenset(accepting))
            if key not in self._by_accepting:
                sample = phone_number(self.country_code, prefix.ljust(length, "0"))
                self._by_accepting[key] = phonenumbers.is_valid_number(sample)
            answer = self._by_accepting[key]
        cache[prefix] = answer
        return answer


class _Rules:
    """What parse does with the national number under one region's metadata: the national prefix."""

    def __init__(self, metadata: PhoneMetadata, main_region: bool):
        npp = metadata.national_prefix_for_parsing
        self.national_prefix = re.compile(npp) if npp else None
        # Most prefixes are digits ("0"): then a look at the number's start tells as much as the regex.
        self.national_digits = npp if npp and npp.isdigit() else None
        # A prefix is taken off here only without a transform rule, and only with the metadata that
        # is_possible_number uses too (parse tests the shortened number's length with this metadata).
        self.strips = main_region and not metadata.national_prefix_transform_rule
        self.general_desc = metadata.general_desc


class _Country:
    """What is learnt about one country calling code; it holds for every default region (shared)."""

    def __init__(self, country_code: int):
        self.country_code = country_code
        self.plus_code = f"+{country_code}"
        number_region = phonenumbers.region_code_for_country_code(country_code)
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, number_region)
        # How parse reads the national number after this code; None without metadata (parse must say).
        self.rules = _Rules(metadata, True) if metadata is not None else None
        self.validity = CountryValidity(country_code)
        self._possibility: dict[int, ValidationResult] = {}  # length -> possibility

    def possibility(self, nsn: str) -> ValidationResult:
        """phonenumbers.is_possible_number_with_reason: it depends on the country code and the length only."""
        possibility = self._possibility.get(len(nsn))
        if possibility is None:
            number = phone_number(self.country_code, nsn)
            possibility = self._possibility[len(nsn)] = phonenumbers.is_possible_number_with_reason(number)
        return possibility


_COUNTRIES: dict[int, _Country] = {}


def _country(country_code: int) -> _Country:
    country = _COUNTRIES.get(country_code)
    if country is None:
        country = _COUNTRIES[country_code] = _Country(country_code)
    return country


_UNSEEN = object()

# Lengths for which parse keeps a national prefix it could take off.
_KEEPS_PREFIX = (ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY, ValidationResult.INVALID_LENGTH)
_POSSIBLE = ValidationResult.IS_POSSIBLE


class WorldNumbers:
    """Reads plain-shaped numbers for one default region as phonenumbers.parse does, or returns None.

    ``read_digits(plus, digits)`` gives ``(e164, possibility, assigned)``: e164 is set when the number is possible.
    """

    def __init__(self, region: str):
        metadata = PhoneMetadata.metadata_for_region(region)
        self.country_code = metadata.country_code
        self._country_prefix = str(metadata.country_code)
        idd = metadata.international_prefix
        self._idd = re.compile(idd) if idd else None
        self._idd_digits = idd if idd and idd.isdigit() else None
        self._home = _Rules(metadata, phonenumbers.region_code_for_country_code(self.country_code) == region)
        self._home_country = _country(self.country_code)
        self._leads: dict[str, tuple[int, _Country] | None] = {}  # first three digits after a +

    def read_digits(self, plus: bool, digits: str) -> tuple[str | None, ValidationResult, bool] | None:
        """A number whose separators are taken out (nanp.without_separators): ASCII digits, after a + or not."""
        if plus:
            return self._international(digits)
        if self._idd is not None and self._idd.match(digits):
            idd = self._idd_digits
            # parse takes the prefix as international unless a 0 follows it
            if idd is None or digits[len(idd) : len(idd) + 1] in ("", "0"):
                return None
            return self._international(digits[len(idd) :])
        if digits.startswith(self._country_prefix):  # parse may read the region's own code here
            return None
        return self._national(self._home_country, digits, self._home)

    def _international(self, digits: str) -> tuple | None:
        if len(digits) <= 2 or digits[0] == "0":
            return None
        # The country code is in the first three digits: what they decide is looked up once.
        lead = self._leads.get(digits[:3], _UNSEEN)
        if lead is _UNSEEN:
            lead = self._leads[digits[:3]] = self._lead(digits[:3])
        if lead is None:
            return None
        size, country = lead
        return self._national(country, digits[size:], country.rules)

    def _lead(self, first_digits: str) -> tuple[int, _Country] | None:
        """(length, country) of the country code these digits start with; None when parse must say."""
        for size in (1, 2, 3):
            if first_digits[:size] in _COUNTRY_CODES:
                break
        else:
            return None  # unknown country code: phonenumbers says what is wrong
        country = _country(int(first_digits[:size]))
        return (size, country) if country.rules is not None else None

    def _national(self, country: _Country, nsn: str, rules: _Rules) -> tuple | None:
        if not _MIN_NSN <= len(nsn) <= _MAX_NSN:
            return None
        digits = rules.national_digits
        if digits is not None:
            prefix_end = len(digits) if nsn.startswith(digits) else None
        elif rules.national_prefix is not None and (found := rules.national_prefix.match(nsn)):
            prefix_end = found.end()
        else:
            prefix_end = None
        if prefix_end is not None:
            # As parse: take the prefix off unless only the longer number fits the country's
            # pattern, or the shorter one has a length no number there has.
            if not rules.strips:
                return None
            shorter = nsn[prefix_end:]
            if len(shorter) < _MIN_NSN:
                return None
            general = rules.general_desc
            if (
                not (
                    _match_national_number(nsn, general, False) and not _match_national_number(shorter, general, False)
                )
                and country.possibility(shorter) not in _KEEPS_PREFIX
            ):
                nsn = shorter
        possibility = country.possibility(nsn)
        if possibility != _POSSIBLE:
            return None, possibility, True
        assigned = country.validity.is_valid(nsn)
        if assigned is None:
            return None
        return country.plus_code + nsn, possibility, assigned
