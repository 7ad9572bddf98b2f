from datetime import date, timedelta

import pytest

from domain.errors import (
    InvalidStateError,
    InvalidValueError,
    NotAllowedError,
    UnknownReferenceError,
)
from domain.inspection import Inspection
from domain.organisation import Employee
from domain.values import ChecklistResult
from tests.domain.builders import T0, meta, staff, unit

INSPECTOR = meta("198501012010011003", "inspector", T0)


def test_the_reporting_line_on_any_past_day_is_recovered():
    worker, boss = staff(unit())
    other = Employee.register(meta(), "197801012003121004", "Agus", unit=unit(), position="Kabid",
                              effective_from=date(2024, 1, 1))
    worker.assign_supervisor(meta(), other, date(2024, 7, 1))
    assert worker.supervisor_on(date(2024, 6, 30)) == boss.nip
    assert worker.supervisor_on(date(2024, 7, 1)) == other.nip
    assert worker.supervisor_on(date(2023, 12, 31)) is None


def test_a_change_cannot_be_backdated_before_the_latest_one():
    worker, boss = staff(unit())
    with pytest.raises(InvalidStateError):
        worker.assign_supervisor(meta(), boss, date(2023, 6, 1))


def test_nobody_supervises_themself():
    worker, _ = staff(unit())
    with pytest.raises(NotAllowedError):
        worker.assign_supervisor(meta(), worker, date(2024, 2, 1))


def test_transfers_are_kept_with_their_dates():
    u = unit()
    worker, _ = staff(u)
    worker.transfer(meta(), u, "Kepala Seksi", date(2024, 9, 1), is_unit_head=True)
    assert (not worker.is_unit_head_on(date(2024, 8, 31))
            and worker.is_unit_head_on(date(2024, 9, 1)))


def test_an_unknown_employment_type_is_refused():
    with pytest.raises(InvalidValueError):
        Employee.register(meta(), "198001012005011001", "X", unit=unit(), position="p",
                          effective_from=date(2024, 1, 1), employment_type="honorer")


def inspection() -> Inspection:
    return Inspection.record(INSPECTOR, unit(), "Loket 1", T0 - timedelta(hours=1),
                             [ChecklistResult("Antrian tertib", "not_met", "antrian panjang")])


def test_an_inspection_checks_items_of_the_units_service_standard():
    with pytest.raises(UnknownReferenceError):
        Inspection.record(INSPECTOR, unit(), "Loket", T0, [ChecklistResult("Parkir luas", "met")])


def test_an_inspection_cannot_start_in_the_future():
    with pytest.raises(InvalidValueError):
        Inspection.record(INSPECTOR, unit(), "Loket", T0 + timedelta(hours=1), [])


def test_findings_get_follow_ups_that_are_resolved_before_closing():
    i = inspection()
    finding = i.record_finding(INSPECTOR, "Antrian tidak tertib", "major", item="Antrian tertib",
                               employee_ids=["e1"])
    follow_up = i.assign_follow_up(INSPECTOR, finding, "Pasang nomor antrian", date(2024, 2, 1))
    with pytest.raises(InvalidStateError, match="resolve"):
        i.close(INSPECTOR)
    i.resolve_follow_up(INSPECTOR, follow_up, "Sudah dipasang")
    i.close(INSPECTOR)
    assert i.closed and i.open_follow_ups() == []


def test_a_follow_up_names_an_existing_finding():
    with pytest.raises(UnknownReferenceError):
        inspection().assign_follow_up(INSPECTOR, "99", "x", date(2024, 2, 1))


def test_a_closed_inspection_takes_no_more_findings():
    i = inspection()
    i.close(INSPECTOR)
    with pytest.raises(InvalidStateError):
        i.record_finding(INSPECTOR, "x", "minor")


def test_severity_comes_from_the_scale():
    with pytest.raises(InvalidValueError):
        inspection().record_finding(INSPECTOR, "x", "catastrophic")
