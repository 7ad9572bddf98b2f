"""The organisation's curve: the penetapan of an OPD's predikat by the official above its head,
sub-units rolling up to their OPD, and a finalisation that departs from the pattern saying why.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.curve import CURVES, Standing, departures
from domain.errors import (
    CurveDepartureReasonRequiredError,
    InvalidValueError,
    NotAllowedError,
    ReasonRequiredError,
)
from domain.organisation import Employee, Unit, opd_of
from domain.periods import parse_period
from domain.rules import Predikat
from tests.domain.builders import (
    AT_REPORT,
    CHIEF_NIP,
    RATER_NIP,
    RULES,
    T0,
    evaluation,
    led,
    meta,
    official,
    rater,
    unit,
)

YEAR = parse_period("2024")
DAY = T0.date()
PREDIKATS = [p.value for p in (Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN,
                               Predikat.KURANG, Predikat.SANGAT_KURANG)]


def penetapan(u: Unit, chief: Employee, by=None, *, parent: Unit | None = None,
              day: date = DAY, period=YEAR, predikat: str = "Baik") -> None:
    u.set_organisation_predikat(by or official(), period, predikat,
                                document_number="800/12/2024", document_date=day, head=chief,
                                parent=parent)


# ---- the penetapan ------------------------------------------------------------------------

def test_the_official_above_the_head_sets_the_predikat_for_a_period_under_a_document():
    u = unit()
    chief, _ = led(u)
    penetapan(u, chief, period=parse_period("2024-S1"), predikat="Istimewa")
    (event,) = [e for e in u.collect_events() if isinstance(e, Unit.OrganisationPredikatSet)]
    assert (event.period, event.predikat, event.document_number, event.document_date,
            event.head_nip, event.actor) == ("2024-S1", "Istimewa", "800/12/2024", T0.date(),
                                             CHIEF_NIP, official().actor)
    assert u.org_predikat == {"2024-S1": "Istimewa"}


@pytest.mark.parametrize("who", [meta(), meta(CHIEF_NIP, "reviewer"), rater()],
                         ids=["an admin", "the head themself", "someone else"])
def test_nobody_but_the_official_above_the_head_sets_it(who):
    u = unit()
    chief, _ = led(u)
    with pytest.raises(NotAllowedError):
        penetapan(u, chief, who)


def test_a_head_with_no_official_above_them_leaves_nobody_to_set_it():
    u = unit()
    chief = Employee.register(meta(), CHIEF_NIP, "Kepala", unit=u, position="Kepala Dinas",
                              effective_from=date(2024, 1, 1), is_unit_head=True)
    with pytest.raises(NotAllowedError, match="no official above"):
        penetapan(u, chief)


def test_the_head_named_must_head_the_unit_on_the_documents_date():
    u = unit()
    chief, _ = led(u)
    with pytest.raises(InvalidValueError, match="does not head"):
        penetapan(u, chief, day=date(2023, 12, 31))
    _, sekda = led(u)
    with pytest.raises(InvalidValueError, match="does not head"):
        penetapan(u, sekda)


def test_a_sub_unit_rolls_up_to_its_opd_and_gets_no_predikat_of_its_own():
    city = Unit.establish(meta(), "PEMKOT", "Pemerintah Kota")
    opd = Unit.establish(meta(), "DINKES", "Dinas Kesehatan", city)
    section = Unit.establish(meta(), "DINKES.1", "Bidang Pelayanan", opd)
    chief, _ = led(section)
    with pytest.raises(InvalidValueError, match="sub-unit"):
        penetapan(section, chief, parent=opd)
    chief, _ = led(opd)
    penetapan(opd, chief, parent=city)
    assert opd.org_predikat == {"2024": "Baik"}


def test_a_document_dated_after_today_in_jakarta_is_refused():
    u = unit()
    chief, _ = led(u)
    late_evening = T0.replace(hour=18)  # 01:00 WIB on 9 January
    penetapan(u, chief, official(late_evening), day=date(2024, 1, 9))
    with pytest.raises(InvalidValueError, match="after today"):
        penetapan(u, chief, official(late_evening, "ralat"), day=date(2024, 1, 10))


def test_a_second_penetapan_for_the_period_says_why():
    u = unit()
    chief, _ = led(u)
    penetapan(u, chief)
    with pytest.raises(ReasonRequiredError):
        penetapan(u, chief, predikat="Istimewa")
    penetapan(u, chief, official(reason="Ralat keputusan"), predikat="Istimewa")
    assert u.org_predikat == {"2024": "Istimewa"}


def test_an_organisation_predikat_is_one_of_the_five():
    u = unit()
    chief, _ = led(u)
    with pytest.raises(InvalidValueError):
        penetapan(u, chief, predikat="Luar Biasa")


# ---- roll-up --------------------------------------------------------------------------------

def test_every_unit_rolls_up_to_its_ancestor_just_below_the_city():
    parents = {"city": None, "opd": "city", "division": "opd", "section": "division"}
    assert [opd_of(u, parents) for u in parents] == ["city", "opd", "opd", "opd"]
    assert opd_of("standalone", {"standalone": None}) == "standalone"


# ---- departures at finalisation -----------------------------------------------------------

def test_the_first_finalisations_of_an_opd_do_not_depart_for_being_first():
    assert Standing("Baik", {}, still_open=9).departing("Baik") == []


def test_a_finalisation_departs_once_no_open_evaluation_can_mend_the_pattern():
    # Baik: at most 70% Baik. Of 10, the 8th Baik is beyond mending.
    assert Standing("Baik", {"Baik": 6}, still_open=3).departing("Baik") == []
    assert Standing("Baik", {"Baik": 7}, still_open=2).departing("Baik") == [
        "Baik: 80% is above the 70% allowed"]
    # ... and the last one, if none is Butuh Perbaikan or Kurang.
    assert Standing("Baik", {"Sangat Baik": 5}, still_open=0).departing("Sangat Baik") == [
        "Butuh Perbaikan or Kurang: some are expected, there are none"]


def test_only_a_predikat_that_takes_part_in_the_breach_departs():
    # Already 20% Sangat Baik in an OPD graded Butuh Perbaikan: one more Butuh Perbaikan is
    # no part of that breach, another Sangat Baik is.
    standing = Standing("Butuh Perbaikan", {"Sangat Baik": 2, "Butuh Perbaikan": 7},
                        still_open=0)
    assert standing.departing("Butuh Perbaikan") == []
    assert standing.departing("Sangat Baik") == ["Sangat Baik: 30% is above the 10% allowed"]


def test_no_organisation_predikat_means_nothing_departs():
    assert Standing(None, {"Baik": 99}, still_open=0).departing("Baik") == []


def test_a_departing_finalisation_without_a_reason_is_refused_with_a_stable_code():
    ev = evaluation("rated")  # above/meets: Baik
    curve = Standing("Baik", {"Baik": 3}, still_open=0)
    with pytest.raises(CurveDepartureReasonRequiredError) as refused:
        ev.finalise(rater(AT_REPORT + timedelta(days=2)), RATER_NIP, RULES, curve=curve)
    assert refused.value.code == "curve_departure_reason_required"
    assert "Baik: 100% is above the 70% allowed" in refused.value.message
    assert not ev.is_finalised


def test_with_a_reason_the_departure_and_the_reason_are_recorded():
    ev = evaluation("rated")
    curve = Standing("Baik", {"Baik": 3}, still_open=0)
    ev.finalise(rater(AT_REPORT + timedelta(days=2)), RATER_NIP, RULES, curve=curve,
                curve_departure="Seluruh staf melampaui target")
    final = ev.collect_events()[-1]
    assert final.curve_departure == "Seluruh staf melampaui target"
    assert final.departures == ["Baik: 100% is above the 70% allowed",
                                "Butuh Perbaikan or Kurang: some are expected, there are none"]


def test_a_finalisation_within_the_pattern_records_no_departure():
    ev = evaluation("rated")
    ev.finalise(rater(AT_REPORT + timedelta(days=2)), RATER_NIP, RULES,
                curve=Standing("Baik", {"Kurang": 1}, still_open=5))
    assert ev.collect_events()[-1].departures == []


# ---- the property: for any order of finalisations ------------------------------------------

def _bound(message: str) -> str:
    return message.split(":")[0]  # the predikats a bound is about: one bound per pattern


@given(graded=st.sampled_from(sorted(CURVES)),
       finalisations=st.lists(st.sampled_from(PREDIKATS), min_size=1, max_size=12))
def test_every_departure_of_the_final_distribution_is_recorded_and_none_other(
        graded, finalisations):
    """Finalising an OPD's evaluations one by one, in any order, giving a reason only when
    refused: every bound the final distribution breaches was recorded by some finalisation
    (with its reason), and no finalisation recorded a bound the final distribution keeps."""
    done: Counter[str] = Counter()
    recorded: set[str] = set()
    for n, predikat in enumerate(finalisations):
        standing = Standing(graded, dict(done), still_open=len(finalisations) - n - 1)
        recorded |= {_bound(d) for d in standing.departing(predikat)}
        done[predikat] += 1
    assert recorded == {_bound(d) for d in departures(graded, done)}
