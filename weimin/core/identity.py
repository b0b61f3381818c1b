"""Identity numbers (no Django): the resident ID number of GB 11643-1999 and its masking.

Check character: ISO 7064 MOD 11-2 over the first 17 digits (GB 11643-1999).

Every typed number goes through ``fold_typed`` first (the one normalization): full-width characters,
as Chinese input methods type them, become their ASCII forms, spaces go, letters are upper-cased.
Only then are ASCII digits (and X, or the credit code's alphabet) accepted, so one person has one
number, one hash and one case lookup whatever keyboard typed it.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from datetime import date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"  # indexed by Σ(digit·weight) mod 11


class Sex(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class Problem(enum.StrEnum):
    """What is wrong with a typed number; ``core.inputs.number_problem`` says it in the visitor's language."""

    CHARACTERS = "characters"  # detail: chars (as ``shown``)
    LENGTH = "length"  # detail: length
    X_POSITION = "x_position"  # an X before the last character
    BIRTH_DATE = "birth_date"  # detail: digits (not a real date)
    BIRTH_IMPLAUSIBLE = "birth_implausible"  # detail: date (before 1880 or after today)
    AREA_CODE = "area_code"  # detail: digits (a credit code's area code)
    CHECK = "check"  # the check character does not match: a character is mistyped


class InvalidNumber(ValueError):
    """A typed number that cannot be right: its ``problem`` and the ``detail`` to name it. The right
    check character is never part of it (it would let anyone complete a guessed or made-up number)."""

    def __init__(self, problem: Problem, **detail):
        self.problem, self.detail = problem, detail
        super().__init__(", ".join([problem.value, *(f"{k}={v}" for k, v in detail.items())]))


class InvalidIdNumber(InvalidNumber):
    """A resident ID number that cannot be right."""


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    sex: Sex

    def age_on(self, day: date) -> int:
        had_birthday = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if had_birthday else 1)

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)


# Compatibility mappings that only change a character's width (ｘ → x, ３ → 3, the ideographic space).
# Other NFKC mappings (superscript ² → 2, circled ① → 1, mathematical 𝟐 → 2) are not how anyone types
# a number: those characters are refused rather than silently read as digits.
WIDTH_TAGS = ("<wide>", "<narrow>")
ID_CHARS = frozenset("0123456789X")


def fold_typed(value: str) -> str:
    """The one normalization of a typed number: NFKC on full- and half-width forms, spaces removed,
    upper case. Other characters are kept as typed (the parsers refuse them, naming them)."""
    folded = []
    for char in value or "":
        if char.isspace():
            continue
        if unicodedata.decomposition(char).startswith(WIDTH_TAGS):
            char = unicodedata.normalize("NFKC", char)
            if char.isspace():
                continue
        # Only ASCII letters are upper-cased: "ﬀ".upper() would be "FF", "ı".upper() an "I".
        folded.append(char.upper() if char.isascii() else char)
    return "".join(folded)


def shown(chars) -> str:
    """Characters for a message: ASCII as is, anything else by its code point (never a raw control
    character, surrogate or look-alike digit in an answer)."""
    return ", ".join(c if c.isascii() and c.isprintable() else f"U+{ord(c):04X}" for c in sorted(set(chars)))


def id_check_char(first17: str) -> str:
    return ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def parse_resident_id(value: str, today: date | None = None) -> ResidentId:
    """Validate an 18-character resident ID number; raise InvalidIdNumber naming the problem.

    With ``today``, a birth date after it is refused too.
    """
    number = fold_typed(value)
    bad = [c for c in number if c not in ID_CHARS]
    if bad:
        raise InvalidIdNumber(Problem.CHARACTERS, chars=shown(bad))
    if len(number) != 18:
        raise InvalidIdNumber(Problem.LENGTH, length=len(number))
    if "X" in number[:17]:
        raise InvalidIdNumber(Problem.X_POSITION)
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(Problem.BIRTH_DATE, digits=number[6:14]) from None
    if birth.year < 1880 or (today is not None and birth > today):
        raise InvalidIdNumber(Problem.BIRTH_IMPLAUSIBLE, date=birth.isoformat())
    if number[17] != id_check_char(number[:17]):
        raise InvalidIdNumber(Problem.CHECK)
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return ResidentId(number, birth, sex)


def mask_id_number(number: str) -> str:
    """First 6 and last 4 characters shown (个人信息保护法): 440307********1234."""
    number = number.strip()
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# Unified social credit code (统一社会信用代码), GB 32100-2015.
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I O S V Z
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class InvalidCreditCode(InvalidNumber):
    """A unified social credit code that cannot be right."""


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def parse_credit_code(value: str) -> str:
    """Validate an 18-character unified social credit code; return it normalised (``fold_typed``)."""
    code = fold_typed(value)
    bad = [c for c in code if c not in CREDIT_CHARSET]
    if bad:
        raise InvalidCreditCode(Problem.CHARACTERS, chars=shown(bad))
    if len(code) != 18:
        raise InvalidCreditCode(Problem.LENGTH, length=len(code))
    if not code[2:8].isdigit():
        raise InvalidCreditCode(Problem.AREA_CODE, digits=code[2:8])
    if code[17] != credit_check_char(code[:17]):
        raise InvalidCreditCode(Problem.CHECK)
    return code
