"""History under the old rules (PP 30/2019 art. 41): 2019-2021 records imported with their
scores, the predikat their rule set gives, the 120 ceiling; shown and disputed under them."""

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import (
    DecisionLowersResultError,
    DecisionNotRaisedError,
    ImportYearError,
    InvalidValueError,
    ScoreOutOfRangeError,
)
from domain.evaluation import FINALISED, Evaluation
from domain.keberatan import Keberatan
from domain.organisation import Employee
from domain.periods import parse_period
from domain.rules import PERMENPANRB_6_2022, PP30_2019, Predikat, Rating, RuleBook, label_of
from tests.domain.builders import (
    AT_REPORT,
    HEAD_NIP,
    RATER_NIP,
    RULES,
    asn,
    evaluation,
    head,
    meta,
    took_part,
    unit,
)

IMPORTED_AT = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
BANDS = PP30_2019.bands


def worker_since_2019() -> Employee:
    u = unit()
    boss = Employee.register(meta(), HEAD_NIP, "Siti Rahayu", unit=u, position="Kepala Bidang",
                             effective_from=date(2019, 1, 1))
    worker = Employee.register(meta(), "198001012005011001", "Budi Santoso", unit=u,
                               position="Analis", effective_from=date(2019, 1, 1))
    worker.assign_supervisor(meta(), boss, date(2019, 1, 1))
    return worker


def imported(skp: float = 100, behaviour: float = 90, *, year: str = "2020",
             peer_input: bool = False, new_idea: bool = False,
             rules: RuleBook = RULES) -> Evaluation:
    return Evaluation.import_history(
        meta(at=IMPORTED_AT), worker_since_2019(), parse_period(year), rules,
        rater_nip=RATER_NIP, skp=skp, behaviour=behaviour, peer_input=peer_input,
        new_idea=new_idea, source_ref="SKP-2020/BKPP/0042")


def test_an_import_records_the_scores_weighting_and_predikat_under_pp30():
    ev = imported(112, 100, new_idea=True)
    (event,) = ev.collect_events()
    assert type(event) is Evaluation.HistoryImported
    assert event.rule_version == PP30_2019.version and event.predikat == Predikat.BAIK
    assert event.score == pytest.approx(108.4)  # 112 * 0.7 + 100 * 0.3
    assert event.skp_weight == 0.7 and event.new_idea is True
    assert ev.stage == FINALISED and ev.outcome is not None
    assert ev.outcome["numeric"]["source_ref"] == "SKP-2020/BKPP/0042"


def test_sangat_baik_needs_110_and_the_new_idea():
    assert imported(120, 110, new_idea=True).predikat == Predikat.SANGAT_BAIK
    assert imported(120, 110, new_idea=False).predikat == Predikat.BAIK


def test_peer_input_weights_60_40_and_kurang_reads_plainly():
    ev = imported(100, 40, peer_input=True)
    assert ev.outcome is not None and ev.outcome["numeric"]["score"] == pytest.approx(76)
    assert ev.predikat == Predikat.CUKUP
    assert label_of(imported(60, 40).predikat, PP30_2019.version) == "Kurang"


@pytest.mark.parametrize(("skp", "behaviour"), [(121, 100), (100, 120.5), (-1, 80)])
def test_a_score_off_the_scale_is_refused(skp, behaviour):
    with pytest.raises(ScoreOutOfRangeError) as refused:
        imported(skp, behaviour)
    assert refused.value.code == "score_out_of_range"


@pytest.mark.parametrize("year", ["2018", "2022", "2024", "2020-Q1"])
def test_only_the_years_pp30_scored_are_imported(year):
    with pytest.raises(ImportYearError):
        imported(year=year)


def test_the_ceiling_holds_on_the_outcome_even_with_looser_score_limits():
    # A rule book whose bands weight beyond 1 would compute an outcome above 120: refused.
    odd = replace(PP30_2019, bands=replace(BANDS, skp_weight=1.2))
    with pytest.raises(ScoreOutOfRangeError, match="the outcome"):
        imported(110, 0, rules=RuleBook((odd, PERMENPANRB_6_2022)))


def test_the_import_years_are_a_setting_of_the_rule_book():
    wider = replace(PP30_2019, effective_from=date(2014, 1, 1),
                    bands=replace(BANDS, years=(2015, 2021)))
    assert imported(year="2016", rules=RuleBook((wider, PERMENPANRB_6_2022))).period == "2016"


scores = st.floats(0, 120, allow_nan=False)


@given(skp=scores, behaviour=scores, peer_input=st.booleans(), new_idea=st.booleans())
def test_any_scores_in_range_give_the_band_of_their_outcome(skp, behaviour, peer_input,
                                                             new_idea):
    ev = imported(skp, behaviour, peer_input=peer_input, new_idea=new_idea)
    assert ev.outcome is not None
    score = ev.outcome["numeric"]["score"]
    assert 0 <= score <= BANDS.ceiling
    expected = (Predikat.SANGAT_BAIK if score >= BANDS.sangat_baik_min and new_idea
                else Predikat.BAIK if score >= BANDS.baik_min
                else Predikat.CUKUP if score >= BANDS.cukup_min
                else Predikat.KURANG if score >= BANDS.kurang_min else Predikat.SANGAT_KURANG)
    assert ev.predikat == expected


@given(off=st.one_of(st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False),
                     st.floats(min_value=120.000001, allow_nan=False, allow_infinity=False)),
       inside=scores, skp_first=st.booleans())
def test_any_score_off_the_scale_is_refused(off, inside, skp_first):
    skp, behaviour = (off, inside) if skp_first else (inside, off)
    with pytest.raises(ScoreOutOfRangeError):
        imported(skp, behaviour)


# ---- disputed under the rules of its time ----------------------------------------------

def test_a_keberatan_is_filed_on_an_imported_record_and_may_be_rejected():
    ev = imported(80, 80)
    ev.receive_result(meta(at=IMPORTED_AT), "notice", RULES, notice_ref="BKPP/800/77")
    assert ev.receipt is not None and ev.receipt["keberatan_until"] == "2026-03-16"
    k = Keberatan.file(asn(IMPORTED_AT), ev, "nilai SKP tidak sesuai", chain=[HEAD_NIP],
                       involved=took_part(ev), rules=RULES)
    assert k.predikat == Predikat.CUKUP
    k.decide(head(IMPORTED_AT, "nilai sesuai dokumen"), "rejected", ev, RULES,
             involved=took_part(ev))
    assert k.decision is not None and ev.predikat == Predikat.CUKUP


def _filed_on_import(ev):
    return Keberatan.file(asn(IMPORTED_AT), ev, "nilai SKP tidak sesuai", chain=[HEAD_NIP],
                          involved=took_part(ev), rules=RULES)


def test_an_upheld_keberatan_on_a_numeric_record_raises_it_by_new_scores():
    ev = imported(80, 80)  # 80: Cukup
    k = _filed_on_import(ev)
    k.decide(head(IMPORTED_AT, "bukti capaian baru"), "upheld", ev, RULES,
             involved=took_part(ev), scores={"skp": 95, "behaviour": 90})
    assert k.decision is not None and k.decision["scores"] == {"skp": 95, "behaviour": 90}
    assert ev.predikat == Predikat.BAIK and ev.outcome["rule_version"] == PP30_2019.version
    numeric = ev.outcome["numeric"]
    assert (numeric["skp"], numeric["behaviour"], numeric["score"]) == (95, 90, 93.5)
    assert numeric["source_ref"] == "SKP-2020/BKPP/0042"  # the source still names it
    assert ev.corrections[0]["numeric"]["score"] == 80  # the decided outcome stays in history


@pytest.mark.parametrize("outcome, scores, results, error", [
    ("upheld", {"skp": 70, "behaviour": 95}, None, DecisionLowersResultError),
    ("upheld", {"skp": 80, "behaviour": 80}, None, DecisionNotRaisedError),
    ("upheld", {"skp": 82, "behaviour": 80}, None, DecisionNotRaisedError),  # still Cukup
    ("upheld", {"skp": 130, "behaviour": 80}, None, ScoreOutOfRangeError),
    ("upheld", {"skp": 95}, None, InvalidValueError),
    ("upheld", None, "above", InvalidValueError),  # numbers, not ratings
    ("rejected", {"skp": 95, "behaviour": 90}, None, InvalidValueError),
])
def test_each_rule_of_raising_a_numeric_record_has_a_failing_example(outcome, scores, results,
                                                                     error):
    ev = imported(80, 80)
    k = _filed_on_import(ev)
    with pytest.raises(error):
        k.decide(head(IMPORTED_AT, "x"), outcome, ev, RULES, involved=took_part(ev),
                 scores=scores, results=results, behaviour=results)
    assert k.decision is None and ev.predikat == Predikat.CUKUP


def test_a_partly_upheld_numeric_keberatan_raises_a_score_not_the_predikat():
    ev = imported(80, 80)
    k = _filed_on_import(ev)
    k.decide(head(IMPORTED_AT, "sebagian"), "partly_upheld", ev, RULES,
             involved=took_part(ev), scores={"skp": 84, "behaviour": 80})
    assert ev.predikat == Predikat.CUKUP and ev.outcome["numeric"]["score"] == 82.8


def test_a_decision_reads_the_rule_set_of_the_result_not_todays():
    # A later rule set (in force before the decision) would give Baik for above/above.
    stricter = replace(PERMENPANRB_6_2022, version="later/1", effective_from=date(2025, 1, 9),
                       matrix={**PERMENPANRB_6_2022.matrix,
                               (Rating.ABOVE, Rating.ABOVE): Predikat.BAIK})
    rules = RuleBook((PP30_2019, PERMENPANRB_6_2022, stricter))
    ev = evaluation("finalised")  # finalised 2025-01-08 under permenpanrb-6-2022/1: Baik
    at = AT_REPORT + timedelta(days=5)
    k = Keberatan.file(asn(at), ev, "kinerja melebihi", chain=[HEAD_NIP],
                       involved=took_part(ev), rules=rules)
    k.decide(head(at, "terbukti"), "upheld", ev, rules,
             involved=took_part(ev), results="above", behaviour="above")
    assert ev.outcome is not None
    assert ev.outcome["rule_version"] == PERMENPANRB_6_2022.version
    assert ev.predikat == Predikat.SANGAT_BAIK
