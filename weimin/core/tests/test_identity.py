from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weimin.core.identity import InvalidIdNumber, Sex, id_check_char, mask_id_number, parse_resident_id


@pytest.mark.parametrize(
    ("number", "birth", "sex"),
    [("11010519491231002X", date(1949, 12, 31), Sex.FEMALE), ("34052419800101001X", date(1980, 1, 1), Sex.MALE)],
)
def test_published_valid_examples(number, birth, sex):
    person = parse_resident_id(number)
    assert (person.birth_date, person.sex) == (birth, sex)


def test_lower_case_x_and_spaces_are_accepted():
    assert parse_resident_id(" 11010519491231002x ").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("340524198001010013", "^check$"),
        ("3405241980010100", "length=16"),
        ("34052419800101001Y", "characters, chars=Y"),
        ("340524198002300012", "birth_date, digits=19800230"),
        ("340524203001010018", "birth_implausible"),
    ],
)
def test_invalid_numbers_say_why(number, reason):
    with pytest.raises(InvalidIdNumber, match=reason):
        parse_resident_id(number, today=date(2017, 12, 8))


def test_age_on_a_day():
    person = parse_resident_id("11010519491231002X")
    assert person.age_on(date(2017, 12, 30)) == 67
    assert person.age_on(date(2009, 12, 30)) == 59
    assert person.age_on(date(2009, 12, 31)) == 60


def test_masking_shows_first_six_and_last_four():
    assert mask_id_number("440307199001011234") == "440307********1234"
    assert mask_id_number("12345") == "*****"


@given(
    area=st.integers(110000, 659999),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2017, 12, 8)),
    sequence=st.integers(0, 999),
)
def test_generated_numbers_validate_and_any_single_change_is_caught(area, birth, sequence):
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    number = first17 + id_check_char(first17)
    person = parse_resident_id(number)
    assert person.birth_date == birth
    assert person.sex == (Sex.MALE if sequence % 2 else Sex.FEMALE)
    wrong = "0" if number[17] != "0" else "1"
    with pytest.raises(InvalidIdNumber):
        parse_resident_id(number[:17] + wrong)
    # MOD 11-2 catches every single-digit substitution in the body.
    position = sequence % 17
    digit = str((int(number[position]) + 1 + area % 9) % 10)
    if digit != number[position]:
        with pytest.raises(InvalidIdNumber):
            parse_resident_id(number[:position] + digit + number[position + 1 :])
