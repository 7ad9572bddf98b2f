"""NIP: the 18-digit number of an ASN.

Layout: birth date (YYYYMMDD), month of first appointment (YYYYMM), sex (1 male, 2 female),
and a 3-digit sequence number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.errors import InvalidNIPError

DIGITS = 18
SEXES = {"1": "male", "2": "female"}
MIN_APPOINTMENT_AGE = 15  # nobody is appointed as a child; catches swapped fields


@dataclass(frozen=True)
class NIP:
    value: str
    birth_date: date
    appointed: tuple[int, int]  # (year, month)
    sex: str
    sequence: int

    def __str__(self) -> str:
        return self.value


def parse_nip(text: str) -> NIP:
    """Parse and validate a NIP, or raise InvalidNIPError saying what is wrong."""
    value = text.strip().replace(" ", "") if isinstance(text, str) else ""
    if len(value) != DIGITS or not value.isascii() or not value.isdigit():
        raise InvalidNIPError(f"a NIP has exactly {DIGITS} digits")
    birth = _birth_date(value[0:8])
    year, month = int(value[8:12]), int(value[12:14])
    if not 1 <= month <= 12:
        raise InvalidNIPError(f"appointment month {value[12:14]} is not a month")
    if year - birth.year < MIN_APPOINTMENT_AGE:
        raise InvalidNIPError("the appointment date is too soon after the birth date")
    if value[14] not in SEXES:
        raise InvalidNIPError("the sex digit (15th) must be 1 or 2")
    sequence = int(value[15:18])
    if sequence == 0:
        raise InvalidNIPError("the sequence number (last 3 digits) cannot be 000")
    return NIP(value, birth, (year, month), SEXES[value[14]], sequence)


def is_valid_nip(text: str) -> bool:
    try:
        parse_nip(text)
    except InvalidNIPError:
        return False
    return True


def _birth_date(digits: str) -> date:
    try:
        birth = date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidNIPError(f"birth date {digits} is not a real date") from None
    if birth.year < 1900:
        raise InvalidNIPError(f"birth year {birth.year} is not plausible")
    return birth
