"""Issue 9, item 7: one normalization of typed ID, credit-code and phone numbers (core.identity.fold_typed).

Full-width characters (as Chinese input methods type them) are the same number as ASCII ones; any
other digit — Arabic-Indic, Devanagari, superscript, circled, mathematical — is refused with a reason
naming the character, never a ValueError from the check-digit code."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weimin.core.errors import InvalidInput
from weimin.core.identity import (
    InvalidCreditCode,
    InvalidIdNumber,
    fold_typed,
    id_check_char,
    parse_credit_code,
    parse_resident_id,
)
from weimin.core.inputs import phone_number, resident_id

ADULT = "34052419800101001X"
FULL_WIDTH = str.maketrans("0123456789Xx ", "０１２３４５６７８９Ｘｘ\u3000")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def test_full_width_digits_are_the_same_number():
    assert parse_resident_id(ADULT.translate(FULL_WIDTH)).number == ADULT
    assert parse_resident_id("３４０５ ２４１９\u3000８００１ ０１００ １ｘ").number == ADULT
    assert parse_credit_code("９１４４０３００ｍａ５ｆ３ｘ１２３１") == "91440300MA5F3X1231"
    assert phone_number("１３８ ００１３ ８０００") == "13800138000"


@pytest.mark.parametrize("table", [ARABIC_INDIC, DEVANAGARI, SUPERSCRIPT], ids=["arabic", "devanagari", "superscript"])
def test_other_digits_are_refused_naming_the_character(table):
    with pytest.raises(InvalidIdNumber, match=r"chars=U\+"):
        parse_resident_id(ADULT[:16] + ADULT[16:17].translate(table) + ADULT[17])


def test_a_superscript_two_no_longer_crashes_the_check_digit():
    """Issue 9, item 8: '²'.isdigit() is True and int('²') raises ValueError."""
    with pytest.raises(InvalidIdNumber, match="U\\+00B2"):
        parse_resident_id("34052419800101002²")
    with pytest.raises(InvalidInput) as refused:
        resident_id("3405241980010100²X", date(2017, 12, 8))
    assert refused.value.field == "id_number"


def test_look_alikes_outside_the_width_forms_are_refused():
    for text in ("①", "𝟏", "¹", "\u0660", "\ud800", "\x00", "ı"):  # circled, bold, superscript, …
        assert fold_typed(text) == text  # kept as typed: the parser names it
        with pytest.raises(InvalidCreditCode, match="characters"):
            parse_credit_code("91440300MA5F3X123" + text)
    with pytest.raises(InvalidInput) as refused:
        phone_number("١٣٨٠٠١٣٨٠٠٠")
    assert refused.value.field == "phone"


ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)  # lone surrogates and NUL included


@given(ANY_TEXT | st.text(alphabet="0123456789Xx０１２３４５６７８９²¹³ \u3000٣", max_size=20))
def test_the_parsers_raise_nothing_but_their_domain_error(text):
    for parse, error in ((parse_resident_id, InvalidIdNumber), (parse_credit_code, InvalidCreditCode)):
        try:
            parse(text)
        except error as exc:
            str(exc).encode("utf-8")  # the reason can be sent as is (no lone surrogate in it)
    for check in (lambda t: resident_id(t, date(2017, 12, 8)), phone_number):
        try:
            check(text)
        except InvalidInput as exc:
            assert exc.field in {"id_number", "phone"}


@given(
    st.text(alphabet="0123456789Xx０１２３４５６７８９Ｘｘ \u3000٠١٢३४²①𝟐", max_size=24),
)
def test_only_ascii_digits_and_x_come_out(text):
    try:
        number = parse_resident_id(text).number
    except InvalidIdNumber:
        return
    assert number.isascii() and len(number) == 18 and set(number) <= set("0123456789X")


@given(area=st.integers(110000, 659999), birth=st.dates(date(1900, 1, 1), date(2017, 12, 8)), seq=st.integers(0, 999))
def test_a_full_width_number_is_the_same_person(area, birth, seq):
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    number = first17 + id_check_char(first17)
    assert parse_resident_id(number.translate(FULL_WIDTH)) == parse_resident_id(number)
