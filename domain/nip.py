"""NIP and NI PPPK: the 18-digit numbers of an ASN, each read by its own layout.

- NIP (PNS): birth date (YYYYMMDD), year and month of appointment as CPNS (YYYYMM), sex
  (1 male, 2 female), a 3-digit sequence number.
- NI PPPK: birth date, year of first appointment as PPPK (YYYY), a 2-digit PPPK code where the
  NIP has its month ("21" PPPK, "24" part-time PPPK), sex, sequence.

The code and a month never collide (no month is 21 or 24), so the digits say which it is.
Errors name the digit group at fault, counted from 1 as people read them off a card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.errors import InvalidNIPError

DIGITS = 18
SEXES = {"1": "male", "2": "female"}
MIN_APPOINTMENT_AGE = 15  # nobody is appointed as a child; catches swapped fields
PNS, PPPK, PPPK_PART_TIME = "PNS", "PPPK", "PPPK paruh waktu"
PPPK_CODES = {"21": PPPK, "24": PPPK_PART_TIME}
# The layout as a regular expression, for schemas and their generated clients: what
# ``parse_nip`` accepts matches it (for births in 1900-2099); it cannot say that a day exists
# in its month, nor that the appointment came 15 years after the birth.
PATTERN = (r"^(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])"  # birth date
           r"(19|20)[0-9]{2}(0[1-9]|1[0-2]|21|24)"  # appointed: year, then month or PPPK code
           r"[12](00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})$")  # sex, sequence (not 000)


@dataclass(frozen=True)
class NIP:
    value: str
    birth_date: date
    appointed: tuple[int, int | None]  # (year, month); a PPPK number records no month
    sex: str
    sequence: int
    asn_type: str = PNS  # PNS, PPPK or PPPK paruh waktu, as the number's layout says

    def __str__(self) -> str:
        return self.value

    @property
    def is_pppk(self) -> bool:
        return self.asn_type != PNS


def parse_nip(text: str) -> NIP:
    """Parse and validate a NIP or NI PPPK, or raise InvalidNIPError saying which digits are
    wrong and why."""
    value = text.strip().replace(" ", "") if isinstance(text, str) else ""
    if len(value) != DIGITS or not value.isascii() or not value.isdigit():
        raise InvalidNIPError(f"a NIP or NI PPPK has exactly {DIGITS} digits")
    birth = _birth_date(value[0:8])
    year = int(value[8:12])
    asn_type, month = _type_and_month(value[12:14])
    if year - birth.year < MIN_APPOINTMENT_AGE:
        raise InvalidNIPError(
            f"digits 9-12: appointment year {year} is too soon after the birth date")
    if value[14] not in SEXES:
        raise InvalidNIPError("digit 15: the sex digit must be 1 or 2")
    sequence = int(value[15:18])
    if sequence == 0:
        raise InvalidNIPError("digits 16-18: the sequence number cannot be 000")
    return NIP(value, birth, (year, month), SEXES[value[14]], sequence, asn_type)


def is_valid_nip(text: str) -> bool:
    try:
        parse_nip(text)
    except InvalidNIPError:
        return False
    return True


def _type_and_month(digits: str) -> tuple[str, int | None]:
    """Digits 13-14: a PPPK code, or the month of appointment as CPNS."""
    if digits in PPPK_CODES:
        return PPPK_CODES[digits], None
    if not 1 <= int(digits) <= 12:
        raise InvalidNIPError(f"digits 13-14: {digits} is neither an appointment month (01-12)"
                              " nor a PPPK code (21, or 24 for part-time PPPK)")
    return PNS, int(digits)


def _birth_date(digits: str) -> date:
    try:
        birth = date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidNIPError(f"digits 1-8: birth date {digits} is not a real date") from None
    if birth.year < 1900:
        raise InvalidNIPError(f"digits 1-4: birth year {birth.year} is not plausible")
    return birth
