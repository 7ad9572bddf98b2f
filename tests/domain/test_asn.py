"""The ASN's standing at registration: the type agrees with the number's layout; a PNS has a
golongan (with its pangkat), a PPPK a contract period, never the other's."""

from __future__ import annotations

from datetime import date

import pytest

from domain.asn import PANGKAT, layout_type
from domain.errors import AsnTypeMismatchError, InvalidValueError
from domain.nip import PNS, PPPK, PPPK_PART_TIME
from domain.organisation import Employee
from tests.domain.builders import meta, unit

PNS_NIP = "198001012005011001"
PPPK_NI = "199009132025212014"  # code 21 in digits 13-14
PART_TIME_NI = "199009132025242014"  # code 24: PPPK paruh waktu
CONTRACT = (date(2025, 3, 1), date(2030, 2, 28))


def register(nip: str, **standing) -> Employee:
    return Employee.register(meta(), nip, "Dewi Lestari", unit=unit(), position="Perawat",
                             effective_from=date(2025, 3, 1), **standing)


def recorded(employee: Employee) -> dict:
    (event,) = employee.collect_events()
    return {name: getattr(event, name) for name in (
        "employment_type", "golongan", "pangkat", "contract_start", "contract_end")}


def test_a_pns_is_recorded_with_golongan_and_its_pangkat():
    employee = register(PNS_NIP, golongan="III/b")
    assert recorded(employee) == {"employment_type": PNS, "golongan": "III/b",
                                  "pangkat": "Penata Muda Tingkat I", "contract_start": None,
                                  "contract_end": None}
    assert (employee.golongan, employee.pangkat, employee.contract) == (
        "III/b", "Penata Muda Tingkat I", None)


@pytest.mark.parametrize("nip, kind", [(PPPK_NI, PPPK), (PART_TIME_NI, PPPK_PART_TIME)])
def test_a_pppk_is_recorded_with_the_contract_period_and_the_type_its_number_says(nip, kind):
    employee = register(nip, contract=CONTRACT)  # no type given: the layout says it
    assert recorded(employee) == {"employment_type": kind, "golongan": None, "pangkat": None,
                                  "contract_start": CONTRACT[0], "contract_end": CONTRACT[1]}
    assert employee.contract == {"start": "2025-03-01", "end": "2030-02-28"}


@pytest.mark.parametrize("nip, kind", [
    (PNS_NIP, PPPK), (PNS_NIP, PPPK_PART_TIME), (PPPK_NI, PNS), (PPPK_NI, PPPK_PART_TIME),
    (PART_TIME_NI, PPPK), (PART_TIME_NI, PNS)])
def test_a_type_the_numbers_layout_does_not_say_is_refused(nip, kind):
    contract = None if kind == PNS else CONTRACT
    with pytest.raises(AsnTypeMismatchError, match="digits 13-14") as refused:
        register(nip, employment_type=kind, contract=contract)
    assert refused.value.code == "asn_type_mismatch"


@pytest.mark.parametrize("nip, standing, words", [
    (PNS_NIP, {"employment_type": "honorer"}, "ASN type is one of"),
    (PNS_NIP, {"golongan": "III/z"}, "golongan is one of"),
    (PNS_NIP, {"contract": CONTRACT}, "a PNS has no contract"),
    (PPPK_NI, {"contract": CONTRACT, "golongan": "III/a"}, "a PPPK has no pangkat"),
    (PPPK_NI, {}, "gives the contract period"),
    (PPPK_NI, {"contract": (date(2026, 1, 1), date(2026, 1, 1))}, "ends"),
    (PPPK_NI, {"contract": (date(2024, 12, 1), date(2026, 1, 1))}, "digits 9-12"),
])
def test_each_rule_of_the_standing_has_a_failing_example(nip, standing, words):
    with pytest.raises(InvalidValueError, match=words):
        register(nip, **standing)


def test_every_golongan_names_its_pangkat_in_order():
    assert list(PANGKAT)[0] == "I/a" and list(PANGKAT)[-1] == "IV/e" and len(PANGKAT) == 17
    assert PANGKAT["IV/b"] == "Pembina Tingkat I"  # as printed on SKP forms [S28]


def test_the_layout_type_of_a_stored_number_reads_only_its_code():
    assert layout_type(PPPK_NI) == PPPK and layout_type(PART_TIME_NI) == PPPK_PART_TIME
    assert layout_type(PNS_NIP) is None
