"""Issue 10, point 6: "身份证号码无效：check character is 1, expected 9。" — half English, and it gave
away the right check digit. Every reason is Chinese now and none names the expected character."""

from datetime import date

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from weimin.core.errors import InvalidInput
from weimin.core.identity import CREDIT_CHARSET, credit_check_char, id_check_char, parse_credit_code
from weimin.core.inputs import number_problem, resident_id

ADULT = "34052419800101001X"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("340524198001010011", "身份证号码无效：最后一位与前面的数字不符，请逐位核对是否输错。"),
        ("3405241980010100", "身份证号码无效：应为 18 位，现为 16 位。"),
        ("34052419800101001Y", "身份证号码无效：只能由数字 0–9 组成（最后一位可以是 X），不能含有 Y。"),
        ("3405241980X1010019", "身份证号码无效：只有最后一位可以是 X。"),
        ("340524198002300012", "身份证号码无效：其中的出生日期（19800230）不是有效日期。"),
        ("340524203001010018", "身份证号码无效：其中的出生日期（2030-01-01）不合理。"),
    ],
)
def test_id_number_errors_are_chinese(number, message):
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as refused:
        resident_id(number, date(2017, 12, 8))
    assert refused.value.message == message and refused.value.field == "id_number"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_no_error_tells_the_right_check_character(first17, last):
    if last == id_check_char(first17):
        return
    with translation.override("zh-hans"):
        try:
            resident_id(first17 + last, date(2017, 12, 8))
        except InvalidInput as refused:
            assert "check" not in refused.message and "expected" not in refused.message
            if "最后一位" in refused.message:  # the check failed: the reason names no character at all
                assert not any(c.isdigit() or c == "X" for c in refused.message)


def test_credit_code_errors_are_chinese_without_the_check_character():
    code = "91350100M000100Y4"
    wrong = next(c for c in CREDIT_CHARSET if c != credit_check_char(code))
    with translation.override("zh-hans"):
        with pytest.raises(ValueError) as bad:
            parse_credit_code(code + wrong)
        reason = number_problem(bad.value)
    assert reason == "最后一位与前面的数字不符，请逐位核对是否输错"
