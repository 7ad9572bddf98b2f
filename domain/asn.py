"""Who an ASN is: PNS or PPPK (full or part-time), with a pangkat/golongan or a contract period.

The number already says which kind of ASN it belongs to (``domain/nip.py``): a NIP is a PNS's,
an NI PPPK carries its PPPK code. So the ASN type an admin gives must agree with the number's
layout; a PNS holds a pangkat/golongan (never a contract), a PPPK a contract period (never a
pangkat). Checked here, once, for the command that registers an employee.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.errors import AsnTypeMismatchError, InvalidValueError
from domain.nip import NIP, PNS, PPPK, PPPK_CODES, PPPK_PART_TIME
from domain.state import ContractState

ASN_TYPES = (PNS, PPPK, PPPK_PART_TIME)

# Golongan ruang -> pangkat, as PNS are ranked (I/a Juru Muda ... IV/e Pembina Utama), in order.
PANGKAT = {
    "I/a": "Juru Muda", "I/b": "Juru Muda Tingkat I", "I/c": "Juru", "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda", "II/b": "Pengatur Muda Tingkat I", "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda", "III/b": "Penata Muda Tingkat I", "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina", "IV/b": "Pembina Tingkat I", "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya", "IV/e": "Pembina Utama",
}
GOLONGAN = tuple(PANGKAT)


@dataclass(frozen=True)
class Standing:
    """What the registration records about the ASN's kind, as the event's fields."""

    employment_type: str
    golongan: str | None = None
    pangkat: str | None = None
    contract_start: date | None = None
    contract_end: date | None = None

    def fields(self) -> dict[str, object]:
        return dict(vars(self))


def layout_type(number: str) -> str | None:
    """The ASN type digits 13-14 of a stored number name, without validating the rest (None:
    a month, i.e. a NIP's layout, which older records also used for PPPK)."""
    return PPPK_CODES.get(number[12:14])


def standing(number: NIP, employment_type: str | None, golongan: str | None,
             contract: tuple[date, date] | None) -> Standing:
    """The checked standing of the holder of ``number``; ``employment_type`` defaults to what
    the number's layout says."""
    kind = employment_type or number.asn_type
    if kind not in ASN_TYPES:
        raise InvalidValueError(f"ASN type is one of {', '.join(ASN_TYPES)}")
    if kind != number.asn_type:
        raise AsnTypeMismatchError(
            f"{number.value} is laid out as the number of a {number.asn_type}"
            f" (digits 13-14: {number.value[12:14]}), not of a {kind}")
    if kind == PNS:
        return _pns(golongan, contract)
    return _pppk(kind, number, golongan, contract)


def _pns(golongan: str | None, contract: tuple[date, date] | None) -> Standing:
    if contract is not None:
        raise InvalidValueError("a PNS has no contract period (only a PPPK has one)")
    if golongan is not None and golongan not in PANGKAT:
        raise InvalidValueError(f"golongan is one of {', '.join(GOLONGAN)}")
    return Standing(PNS, golongan, PANGKAT[golongan] if golongan else None)


def _pppk(kind: str, number: NIP, golongan: str | None,
          contract: tuple[date, date] | None) -> Standing:
    if golongan is not None:
        raise InvalidValueError("a PPPK has no pangkat/golongan (only a PNS has one)")
    if contract is None:
        raise InvalidValueError("a PPPK's registration gives the contract period (start, end)")
    start, end = contract
    if end <= start:
        raise InvalidValueError(f"the contract ends ({end}) after it starts ({start})")
    if start.year < number.appointed[0]:
        raise InvalidValueError(f"the contract starts ({start}) before the first appointment as"
                                f" PPPK (digits 9-12: {number.appointed[0]})")
    return Standing(kind, contract_start=start, contract_end=end)


def contract_period(start: date | None, end: date | None) -> ContractState | None:
    """The contract period as the state keeps it (None: no contract, a PNS)."""
    return {"start": start.isoformat(), "end": end.isoformat()} if start and end else None
