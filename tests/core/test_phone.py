import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contactdesk.core.phone import PhoneNormalizer, looks_like_phone, normalize_phone


@pytest.mark.parametrize("raw", ["5551234567", "1-555-123-4567", "(555) 123-4567", "+15551234567"])
def test_specification_table_gives_one_e164_number(raw):
    assert normalize_phone(raw).e164 == "+15551234567"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("212.555.0147", "+12125550147"),
        (" 212 555 0147 ", "+12125550147"),
        ("+1 (212) 555-0147", "+12125550147"),
        ("001 212 555 0147", None),  # international prefix from the US is 011, not 00
        ("011 44 20 7946 0958", "+442079460958"),
        ("+44 20 7946 0958", "+442079460958"),
        ("'+15551234567", "+15551234567"),  # as ContactDesk's own export writes it
    ],
)
def test_common_shapes(raw, expected):
    assert normalize_phone(raw).e164 == expected


def test_555_numbers_are_accepted_but_flagged_as_unassigned():
    phone = normalize_phone("(555) 123-4567")
    assert phone.e164 == "+15551234567"
    assert phone.assigned is False
    assert normalize_phone("(212) 555-0147").assigned is True


def test_strict_mode_rejects_unassigned_numbers():
    phone = normalize_phone("(555) 123-4567", strict=True)
    assert phone.e164 is None
    assert "not an assigned number" in phone.reason
    assert normalize_phone("(212) 555-0147", strict=True).e164 == "+12125550147"


@pytest.mark.parametrize(
    "raw, reason_part",
    [
        ("", "empty"),
        ("hello", "not a phone number"),
        ("123", "too short"),
        ("555-1234", "only dialable locally"),
        ("5.55123E+09", "scientific notation"),
        ("5,55123E+09", "scientific notation"),
        ("2125550147.0", "trailing .0"),
        ("1" * 30, "too long"),
        ("9" * 10_000, "text too long"),
    ],
)
def test_rejections_say_why(raw, reason_part):
    phone = normalize_phone(raw)
    assert phone.e164 is None
    assert reason_part in phone.reason


@pytest.mark.parametrize("raw", ["212-555-0147 x23", "212-555-0147 ext. 23", "(212) 555-0147 extension 23"])
def test_extension_is_split_off(raw):
    phone = normalize_phone(raw)
    assert phone.e164 == "+12125550147"
    assert phone.extension == "23"


def test_other_default_region():
    assert normalize_phone("020 7946 0958", region="GB").e164 == "+442079460958"
    assert normalize_phone("030 1234567", region="de").e164 == "+49301234567"


def test_unknown_region_is_refused():
    with pytest.raises(ValueError, match="Unknown country code"):
        PhoneNormalizer("XX")


def test_looks_like_phone_needs_seven_digits():
    assert looks_like_phone("(212) 555-0147")
    assert not looks_like_phone("12345")
    assert not looks_like_phone("Alice")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_a_number_or_a_reason(text):
    phone = normalize_phone(text)
    assert (phone.e164 is None) != (phone.reason is None)
    if phone.e164:
        assert phone.e164.startswith("+") and phone.e164[1:].isdigit()
        assert phonenumbers.is_possible_number(phonenumbers.parse(phone.e164))


# --- the North American fast path must agree with phonenumbers exactly ---

PUNCTUATION = st.sampled_from(
    ["", " ", "-", ".", "(", ")", "  ", ") ", " (", "--", "\u00a0", "\u2013", " \u2014 ", "\u2212", "/", "_"]
)
# What exports write after a number: extensions in many spellings, and near misses.
EXTENSION = st.one_of(
    st.just(""),
    st.builds(
        lambda marker, digits: marker + digits,
        st.sampled_from(
            ["x", " x", " x ", "X", " ext. ", " ext", "ext.", " Ext ", " EXT.", "#", " #", " # ", ",", " e"]
        ),
        st.text("0123456789", min_size=0, max_size=9),
    ),
)


@st.composite
def nanp_shaped_text(draw):
    """Numbers in the shapes people type, with random punctuation between digit groups."""
    area = draw(st.integers(0, 999))
    exchange = draw(st.integers(0, 999))
    line = draw(st.integers(0, 9999))
    digits = f"{area:03d}{exchange:03d}{line:04d}"
    prefix = draw(
        st.sampled_from(["", "1", "+1", "+ 1", "+", "1 ", "+1 ", "0", "11", "+11", "(+1)", "+(1)", "-+1", "1.", "+1."])
    )
    groups, cuts = [], sorted(draw(st.lists(st.integers(1, 9), max_size=4, unique=True)))
    start = 0
    for cut in [*cuts, 10]:
        groups.append(digits[start:cut])
        start = cut
    text = prefix + "".join(draw(PUNCTUATION) + group for group in groups) + draw(PUNCTUATION)
    return text + draw(EXTENSION)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None)
@given(text=nanp_shaped_text(), region=st.sampled_from(["US", "CA", "GB", "DE"]), strict=st.booleans())
def test_fast_path_equals_phonenumbers(text, region, strict):
    fast = PhoneNormalizer(region, strict).normalize(text)
    slow = PhoneNormalizer(region, strict, fast_path=False).normalize(text)
    assert fast == slow


@settings(max_examples=2000, deadline=None)
@given(nsn=st.integers(2_000_000_000, 9_999_999_999))
def test_fast_validity_equals_is_valid_number(nsn):
    from contactdesk.core.phone import _shared_nanp_validity

    answer = _shared_nanp_validity().is_valid(str(nsn))
    expected = phonenumbers.is_valid_number(phonenumbers.PhoneNumber(country_code=1, national_number=nsn))
    assert answer in (None, expected)


def test_fast_validity_defers_blocks_it_cannot_decide_by_prefix():
    from contactdesk.core.phone import _shared_nanp_validity

    # 246-521 (Barbados) is valid for some line numbers only: phonenumbers decides those.
    assert _shared_nanp_validity().is_valid("2465215556") is None
    for raw in ("246-521-5556", "+1 246 521 0000"):
        assert PhoneNormalizer().normalize(raw) == PhoneNormalizer(fast_path=False).normalize(raw)


FAST_SHAPES = {
    "2125550147": None,
    "(212) 555-0147": None,
    "1-212-555-0147": None,
    "+1 212 555 0147": None,
    "212.555.0147": None,
    "+12125550147": None,
    "1 (212) 555 0147": None,
    "+1.212.555.0147": None,
    "212\u00a0555\u20130147": None,
    "(212)555-0147 x123": "123",
    "212-555-0147 ext. 45": "45",
    "+1 212 555 0147 #12": "12",
}


@pytest.mark.parametrize(("text", "extension"), FAST_SHAPES.items())
def test_fast_path_answers_the_common_shapes_without_phonenumbers(text, extension, monkeypatch):
    import contactdesk.core.phone as phone

    def not_expected(*args, **kwargs):
        raise AssertionError(f"{text!r} went to phonenumbers")

    normalizer = PhoneNormalizer("US", strict=False)
    monkeypatch.setattr(phone.phonenumbers, "parse", not_expected)
    assert normalizer.normalize(text)[:2] == ("+12125550147", extension)


def test_fast_validity_decides_nearly_every_us_number_by_prefix():
    import random

    from contactdesk.core.phone import _shared_nanp_validity

    validity = _shared_nanp_validity()
    sample = [f"{random.Random(seed).randrange(2_000_000_000, 9_999_999_999)}" for seed in range(2_000)]
    undecided = sum(validity.is_valid(nsn) is None for nsn in sample)
    assert undecided <= len(sample) // 100


# --- numbers of other countries, and the default region's in other shapes: the same exactness ---

COUNTRY_CODES = st.sampled_from(
    ["44", "49", "33", "91", "1", "39", "7", "61", "352", "54", "55", "52", "375", "370", "800", "882", "999", "0", ""]
)
# BY, LT and RU have toll-free numbers that start with their national prefix 8, which stays.
EXAMPLE_REGIONS = ["GB", "DE", "FR", "IN", "IT", "US", "RU", "AU", "LU", "IM", "AR", "BR", "MX", "BY", "LT"]
EXAMPLE_TYPES = [
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
]


@st.composite
def national_digits(draw):
    """A national number: often a real example with its last digits changed, else any digits."""
    if draw(st.booleans()):
        example = phonenumbers.example_number_for_type(
            draw(st.sampled_from(EXAMPLE_REGIONS)), draw(st.sampled_from(EXAMPLE_TYPES))
        )
        nsn = phonenumbers.national_significant_number(example) if example else "2079460018"
        keep = draw(st.integers(0, len(nsn)))
        tail = draw(st.text("0123456789", min_size=0, max_size=len(nsn) - keep + 2))
        return nsn[:keep] + tail
    return draw(st.text("0123456789", min_size=1, max_size=16))


@st.composite
def world_shaped_text(draw):
    """Numbers written with a country code (+, 00, 011, 001) or in national form, with punctuation."""
    prefix = draw(st.sampled_from(["+", "00", "011", "001", "0", "", "+ ", "(+", "0 0"]))
    digits = draw(COUNTRY_CODES) + draw(st.sampled_from(["", "0", "(0)", "1"])) + draw(national_digits())
    groups, cuts = [], sorted(draw(st.lists(st.integers(1, max(1, len(digits) - 1)), max_size=4, unique=True)))
    start = 0
    for cut in [*cuts, len(digits)]:
        groups.append(digits[start:cut])
        start = cut
    text = prefix + "".join(draw(PUNCTUATION) + group for group in groups) + draw(PUNCTUATION)
    return text + draw(EXTENSION)


@pytest.mark.slow
@settings(max_examples=4000, deadline=None)
@given(
    text=world_shaped_text(), region=st.sampled_from(["US", "CA", "GB", "DE", "FR", "IN", "IT"]), strict=st.booleans()
)
def test_fast_path_equals_phonenumbers_for_numbers_of_other_countries(text, region, strict):
    fast = PhoneNormalizer(region, strict).normalize(text)
    slow = PhoneNormalizer(region, strict, fast_path=False).normalize(text)
    assert fast == slow


@settings(max_examples=2000, deadline=None)
@given(
    country_code=st.sampled_from([44, 49, 33, 91, 39, 7, 61, 352, 375, 370, 1]),
    nsn=st.one_of(national_digits(), st.text("0123456789", min_size=4, max_size=17)),
)
def test_fast_validity_of_other_countries_equals_is_valid_number(country_code, nsn):
    from contactdesk.core.world_numbers import CountryValidity, phone_number

    if not 4 <= len(nsn) <= 17:
        return
    answer = CountryValidity(country_code).is_valid(nsn)
    assert answer in (None, phonenumbers.is_valid_number(phone_number(country_code, nsn)))


INTERNATIONAL_SHAPES = {
    # default region US: other countries' numbers with their country code
    ("US", "+44 20 7946 0018"): ("+442079460018", None),
    ("US", "+49 30 123456"): ("+4930123456", None),
    ("US", "+33 1 42 68 30 24"): ("+33142683024", None),
    ("US", "+91 98765 43210"): ("+919876543210", None),
    ("US", "+44 20 7946 0018 x12"): ("+442079460018", None),
    ("US", "011 44 20 7946 0018"): ("+442079460018", None),
    # default region US: their national forms are not US numbers
    ("US", "020 7946 0018"): (None, "too long"),
    ("US", "030 123456"): (None, "too short"),
    ("US", "098765 43210"): (None, "too long"),
    ("US", "0044 20 7946 0018"): (None, "too long"),
    ("US", "001 212 555 0147"): (None, "too long"),  # 001 is not how the US dials abroad (011 is)
    ("US", "01 23 45 67 89"): ("+10123456789", None),  # ten digits: possible, not assigned
    ("US", "+44 (0)20 7946 0018"): ("+442079460018", None),  # the national prefix in brackets
    # other default regions: 00 is their international prefix
    ("GB", "0044 20 7946 0018"): ("+442079460018", None),
    ("GB", "001 212 555 0147"): ("+12125550147", None),
    ("DE", "00 49 30 123456"): ("+4930123456", None),
    ("DE", "+44 20 7946 0018"): ("+442079460018", None),
    # their own national numbers, national prefix 0 taken off
    ("GB", "020 7946 0018"): ("+442079460018", None),
    ("DE", "030 123456"): ("+4930123456", None),
}


@pytest.mark.parametrize(("region", "text"), INTERNATIONAL_SHAPES)
def test_fast_path_answers_international_shapes_without_parsing(region, text, monkeypatch):
    import contactdesk.core.phone as phone

    expected = INTERNATIONAL_SHAPES[(region, text)]
    assert PhoneNormalizer(region, fast_path=False).normalize(text)[::2] == expected  # phonenumbers' own answer

    def not_expected(*args, **kwargs):
        raise AssertionError(f"{text!r} went to phonenumbers.parse")

    normalizer = PhoneNormalizer(region)
    monkeypatch.setattr(phone.phonenumbers, "parse", not_expected)
    assert normalizer.normalize(text)[::2] == expected


# Where parse keeps a national prefix it could take off: the number fits the country only with it
# (BY, LT, RU toll-free numbers start with 8, their national prefix), or the rest is too short.
NATIONAL_PREFIX_CASES = [
    ("US", "+375 801 123 4567"),
    ("BY", "8 801 123 4567"),
    ("US", "+370 800 12345"),
    ("LT", "8 800 12345"),
    ("US", "+7 800 123 45 67"),
    ("RU", "8 800 123 45 67"),
    ("RU", "8 912 345 67 89"),
    ("US", "+44 (0)20 7946 0018"),
    ("US", "+44 180020 1234"),
    ("GB", "0 20 7946"),
    ("GB", "020 794"),
    ("DE", "0 30 12"),
    ("US", "+49 (0)30 123456"),
]


@pytest.mark.parametrize(("region", "text"), NATIONAL_PREFIX_CASES)
def test_fast_path_keeps_or_takes_off_the_national_prefix_as_phonenumbers_does(region, text):
    assert PhoneNormalizer(region).normalize(text) == PhoneNormalizer(region, fast_path=False).normalize(text)
