"""A fast path for North American numbers that gives exactly what phonenumbers gives.

Most rows of a US campaign file hold a ten-digit number in one of a few shapes
(``2125550147``, ``(212) 555-0147``, ``1-212-555-0147``, ``+1 212 555 0147``...). Parsing
each one with phonenumbers costs ~100 µs, mostly in ``is_valid_number``. Here:

- the shape is recognised with string operations only; anything else returns None and
  the caller uses phonenumbers;
- validity is looked up per number prefix. phonenumbers decides validity for +1 numbers
  with the NANP regions' metadata regexes (leading digits, and every number type's
  pattern). We expand those regexes into sequences of digit sets and call a prefix
  *uniform* when every regex accepts all of its completions or none of them; then
  phonenumbers' answer is the same for every number with that prefix. That answer
  depends only on which regexes match, so phonenumbers is asked once per set of
  matching regexes, and each prefix's answer is remembered. Prefixes of 4 to 6 digits
  are tried; a prefix that is not uniform even at 6 digits (rare: a few carrier blocks)
  returns None, and the caller asks phonenumbers for that number.

The equivalence is checked by a hypothesis property in the test suite.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumber
from phonenumbers.phonemetadata import PhoneMetadata

NSN_LENGTH = 10
_FIRST_PREFIX, _MAX_PREFIX = 4, 6
_DESC_FIELDS = (
    "general_desc",
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "personal_number",
    "voip",
    "pager",
    "uan",
    "voicemail",
)
_MAX_SEQUENCES = 200_000
_DIGITS = frozenset("0123456789")
_ALL, _NONE, _MIXED = "all", "none", "mixed"


class _Unsupported(Exception):
    """A regex construct this expander does not handle: the fast path switches itself off."""


# --- regex expansion ------------------------------------------------------------------


def _expand(pattern: str) -> list[tuple[frozenset, ...]]:
    """All sequences of digit sets the pattern can match (it has no * or +, so they are finite)."""
    parser = _Parser(pattern)
    sequences = parser.alternation()
    if parser.pos != len(pattern):
        raise _Unsupported(pattern)
    return sequences


class _Parser:
    def __init__(self, pattern: str):
        self.text = pattern
        self.pos = 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def alternation(self) -> list[tuple]:
        options = self.concatenation()
        while self.peek() == "|":
            self.pos += 1
            options = options + self.concatenation()
        return options

    def concatenation(self) -> list[tuple]:
        result: list[tuple] = [()]
        while self.peek() not in ("", "|", ")"):
            atom = self.quantified()
            result = [left + right for left in result for right in atom]
            if len(result) > _MAX_SEQUENCES:
                raise _Unsupported("too many alternatives")
        return result

    def quantified(self) -> list[tuple]:
        atom = self.atom()
        char = self.peek()
        if char == "?":
            self.pos += 1
            return [()] + atom
        if char == "{":
            end = self.text.index("}", self.pos)
            bounds = self.text[self.pos + 1 : end].split(",")
            self.pos = end + 1
            low = int(bounds[0])
            high = int(bounds[-1]) if bounds[-1] else None
            if high is None:
                raise _Unsupported("open repeat")
            out: list[tuple] = []
            for count in range(low, high + 1):
                repeated: list[tuple] = [()]
                for _ in range(count):
                    repeated = [left + right for left in repeated for right in atom]
                out.extend(repeated)
            return out
        if char in ("*", "+"):
            raise _Unsupported("unbounded repeat")
        return atom

    def atom(self) -> list[tuple]:
        char = self.peek()
        if char.isdigit():
            self.pos += 1
            return [(frozenset(char),)]
        if char == "\\":
            if self.text[self.pos : self.pos + 2] != "\\d":
                raise _Unsupported(self.text[self.pos : self.pos + 2])
            self.pos += 2
            return [(_DIGITS,)]
        if char == "[":
            return [(self.char_class(),)]
        if char == "(":
            if self.text.startswith("(?:", self.pos):
                self.pos += 3
            else:
                self.pos += 1
            inner = self.alternation()
            if self.peek() != ")":
                raise _Unsupported("unclosed group")
            self.pos += 1
            return inner
        raise _Unsupported(char or "end of pattern")

    def char_class(self) -> frozenset:
        self.pos += 1
        members: set[str] = set()
        if self.peek() == "^":
            raise _Unsupported("negated class")
        while self.peek() != "]":
            char = self.peek()
            if char == "\\" and self.text[self.pos : self.pos + 2] == "\\d":
                members |= _DIGITS
                self.pos += 2
                continue
            if not char.isdigit():
                raise _Unsupported(f"class member {char!r}")
            if self.text[self.pos + 1 : self.pos + 2] == "-" and self.text[self.pos + 2 : self.pos + 3].isdigit():
                members |= {str(d) for d in range(int(char), int(self.text[self.pos + 2]) + 1)}
                self.pos += 3
            else:
                members.add(char)
                self.pos += 1
        self.pos += 1
        return frozenset(members)


# --- prefix classification ------------------------------------------------------------


class _PatternIndex:
    """One regex's sequences, indexed by their first three digits (the area code)."""

    def __init__(self, pattern: str, prefix_match: bool, length: int = NSN_LENGTH):
        self.prefix_match = prefix_match  # leading_digits is matched at the start, not in full
        sequences = _expand(pattern)
        if not prefix_match:  # a full match: only the sequences as long as the numbers asked about
            sequences = [seq for seq in sequences if len(seq) == length]
        # Each sequence with the prefix length from which a prefix that fits it is accepted whatever
        # follows: the sequence's end for a prefix match, else where only "any digit" is left.
        self.by_area: dict[str, list[tuple[tuple, int]]] = {}
        self.short: list[tuple] = []  # prefix patterns shorter than an area code
        for seq in sequences:
            if len(seq) < 3:
                self.short.append(seq)
                continue
            settles = len(seq)
            if not prefix_match:
                while settles and seq[settles - 1] == _DIGITS:
                    settles -= 1
            for a in seq[0]:
                for b in seq[1]:
                    for c in seq[2]:
                        self.by_area.setdefault(a + b + c, []).append((seq, settles))

    def classify(self, prefix: str) -> str:
        if self.short:
            if any(all(prefix[i] in part for i, part in enumerate(seq)) for seq in self.short):
                return _ALL
        k = len(prefix)
        compatible = False
        for seq, settles in self.by_area.get(prefix[:3], ()):
            for i in range(3, min(len(seq), k)):
                if prefix[i] not in seq[i]:
                    break
            else:
                if settles <= k:
                    return _ALL
                compatible = True
        return _MIXED if compatible else _NONE


class NanpValidity:
    """``is_valid(nsn)`` for ten-digit +1 numbers, equal to phonenumbers.is_valid_number."""

    def __init__(self):
        self.enabled = True
        self._cache: dict[str, bool | None] = {}  # prefix -> answer, or None: look deeper
        # The answer learnt for a number's first four digits, or None: as is_valid, without its call.
        self.known = self._cache.get
        try:
            self._indexes = self._build()
        except (_Unsupported, ValueError):
            self.enabled = False
            self._indexes = []
        # A regex with no sequence for an area code (and no short prefix) rejects every
        # number there: only the others need classifying.
        self._general = [index for index in self._indexes if index.short]
        self._by_area: dict[str, list[_PatternIndex]] = {}
        # phonenumbers decides validity from which of these regexes match, so one answer
        # serves every prefix accepted by the same regexes: it is asked a few hundred
        # times instead of once per prefix.
        self._by_accepting: dict[frozenset[_PatternIndex], bool] = {}

    @staticmethod
    def _build() -> list[_PatternIndex]:
        indexes = []
        for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1]:
            metadata = PhoneMetadata.metadata_for_region(region)
            if metadata is None:
                continue
            if metadata.leading_digits:
                indexes.append(_PatternIndex(metadata.leading_digits, prefix_match=True))
            for name in _DESC_FIELDS:
                desc = getattr(metadata, name, None)
                if desc is not None and desc.national_number_pattern:
                    indexes.append(_PatternIndex(desc.national_number_pattern, prefix_match=False))
        return indexes

    def _accepting(self, prefix: str) -> frozenset[_PatternIndex] | None:
        """The regexes that accept every completion of ``prefix``, or None when one accepts only some.

        Regexes without a sequence for the area code (and no short prefix) accept none.
        """
        area = prefix[:3]
        relevant = self._by_area.get(area)
        if relevant is None:
            relevant = [index for index in self._indexes if area in index.by_area] + self._general
            self._by_area[area] = relevant
        accepting = []
        for index in relevant:
            verdict = index.classify(prefix)
            if verdict == _MIXED:
                return None
            if verdict == _ALL:
                accepting.append(index)
        return frozenset(accepting)

    def is_valid(self, nsn: str) -> bool | None:
        """True/False as phonenumbers would say, or None when only phonenumbers can tell."""
        if not self.enabled:
            return None
        cache = self._cache
        # Start at four digits: most area codes are decided there, and a prefix that is
        # uniform at three digits is uniform at four as well. That first look is written
        # out: it answers almost every number.
        answer = cache.get(nsn[:_FIRST_PREFIX])
        if answer is not None:
            return answer
        for k in range(_FIRST_PREFIX, _MAX_PREFIX + 1):
            prefix = nsn[:k]
            answer = cache[prefix] if prefix in cache else self._learn(prefix)
            if answer is not None:
                return answer
        return None

    def _learn(self, prefix: str) -> bool | None:
        if len(prefix) == _FIRST_PREFIX:
            # A whole area code is often decided at once: its four-digit prefixes need no look of their own.
            area = prefix[:3]
            answer = self._cache[area] if area in self._cache else self._learn(area)
            if answer is not None:
                self._cache[prefix] = answer
                return answer
        accepting = self._accepting(prefix)
        if accepting is None:
            answer = None
        elif accepting in self._by_accepting:
            answer = self._by_accepting[accepting]
        else:
            sample = PhoneNumber(country_code=1, national_number=int(prefix.ljust(NSN_LENGTH, "0")))
            answer = self._by_accepting[accepting] = phonenumbers.is_valid_number(sample)
        self._cache[prefix] = answer
        return answer


# Separators phonenumbers also ignores inside a number (its VALID_PUNCTUATION), deleted.
_WIDE_PUNCTUATION = "\u00a0\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def without_separators(text: str) -> str:
    """``text`` (stripped, after any leading +) without the separators phonenumbers ignores
    inside a number; a number written plainly is then ASCII digits only."""
    if text.isdigit():  # digits only is the most common shape: nothing to remove
        return text
    # str.replace is several times faster than str.translate for deleting a few characters
    # (measured: 0.6 µs against 1.1 µs for a number with no-break spaces; 5x for a column at once).
    digits = text.replace(" ", "").replace("-", "").replace("(", "").replace(")", "").replace(".", "")
    if not digits.isascii():  # spreadsheets write no-break spaces and dashes of other widths
        for separator in _WIDE_PUNCTUATION:
            digits = digits.replace(separator, "")
    return digits


def nanp_nsn(plus: bool, digits: str, allow_national: bool) -> str | None:
    """The ten-digit national number of ``digits`` (ASCII digits, written after a + or not) when
    they are a North American number, else None.

    ``allow_national``: the default region is in the NANP with national prefix 1 (US, CA), so
    numbers without +1 are read as North American.
    """
    size = len(digits)
    if size == 10:
        return digits if not plus and allow_national and digits[0] > "1" else None
    if size == 11 and digits[0] == "1" and digits[1] > "1" and (plus or allow_national):
        return digits[1:]
    return None
