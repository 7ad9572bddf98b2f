"""History under PP 30/2019 on both stores: `kinerja import-history`'s lines imported or
refused one by one, and the imported record replayed, listed, shown and disputed."""

from __future__ import annotations

import json
from datetime import date

from api.cli_history import import_lines
from domain.evaluation import Evaluation
from projections.queries import Queries
from projections.runner import Projector
from replay.asof import AsOf
from replay.timeline import Timelines
from service.application import Actor
from tests.service.scenario import ADMIN, new_nip


def line_since_2019(app) -> tuple[str, str]:
    """A head, a rater and an ASN on one line since 2019, in a new unit: the head and ASN."""
    code = f"H{new_nip()[-4:]}"
    app.establish_unit(ADMIN, code, f"Unit {code}")
    head, rater, asn = new_nip(1965), new_nip(1970), new_nip(1980)
    app.register_employee(ADMIN, head, "Kepala", unit_code=code, position="Kepala Dinas",
                          effective_from=date(2019, 1, 1), is_unit_head=True)
    app.register_employee(ADMIN, rater, "Kabid", unit_code=code, position="Kepala Bidang",
                          effective_from=date(2019, 1, 1), supervisor_nip=head)
    app.register_employee(ADMIN, asn, "Staf", unit_code=code, position="Analis",
                          effective_from=date(2019, 1, 1), supervisor_nip=rater)
    return head, asn


def record(nip: str, year: int = 2020, skp: float = 100, behaviour: float = 90,
           **more) -> str:
    return json.dumps({"nip": nip, "year": year, "skp": skp, "behaviour": behaviour,
                       "peer_input": False, "new_idea": False,
                       "source_ref": f"SKP-{year}/BKPP/{nip[-3:]}"} | more)


def test_each_line_is_imported_or_refused_by_itself(app, clock):
    _, asn = line_since_2019(app)
    before = app.recorder.max_notification_id() or 0
    reports = import_lines(app, [
        record(asn, 2020, skp=112, behaviour=100, new_idea=True),
        record(asn, 2021, skp=121),  # above the ceiling
        record(asn, 2022),  # the 2022 matrix year: not numeric
        "",  # blank lines are skipped
        record(asn, 2020),  # imported already
        "{not json",
        json.dumps({"nip": asn}),
    ])
    assert reports[0].startswith(f"line 1: imported {asn} 2020: Baik (108.4)")
    assert [r.split(": ")[1:3] for r in reports[1:]] == [
        ["refused", "score_out_of_range"], ["refused", "import_year_out_of_range"],
        ["refused", "conflict"], ["refused", "invalid_record"],
        ["refused", "invalid_record"]]
    assert [r.split(":")[0] for r in reports] == [f"line {n}" for n in (1, 2, 3, 5, 6, 7)]
    assert app.recorder.max_notification_id() == before + 1  # the refused recorded nothing


def test_an_imported_record_replays_and_is_listed_with_its_predikat(app, clock):
    _, asn = line_since_2019(app)
    import_lines(app, [record(asn, 2019, skp=60, behaviour=40)])
    evaluation = app.evaluation_of(asn, "2019")

    entries = Timelines(app, lambda _: []).evaluation(evaluation.id)
    assert [(e.topic, e.changes) for e in entries] == [
        ("kinerja/Evaluation/HistoryImported",
         [{"field": "predikat", "old": None, "new": "Kurang"}])]
    as_of = AsOf(app).record(evaluation.id, day=clock().date())
    assert as_of.outcome == evaluation.outcome and as_of.outcome["numeric"]["score"] == 54
    projector = Projector(app)
    projector.catch_up()
    (row,) = Queries(projector.store).evaluations(nip=asn).items
    assert (row["predikat"], row["predikat_label"], row["rule_version"], row["score"]) == (
        "Kurang", "Kurang", "pp30-2019/1", 54)


def test_a_keberatan_on_an_imported_record_is_decided_under_its_rules(app, clock):
    head, asn = line_since_2019(app)
    import_lines(app, [record(asn, 2021, skp=80, behaviour=80)])
    evaluation = app.evaluation_of(asn, "2021")
    app.record_notice_delivered(ADMIN, evaluation.id, "800/3/BKPP/2026")
    keberatan = app.file_keberatan(Actor(asn, "asn"), evaluation.id, "nilai tidak sesuai")
    assert keberatan.authority_nip == head and keberatan.predikat == "Cukup"
    app.decide_keberatan(Actor(head, "appeal_board"), keberatan.id, "rejected",
                         reason="sesuai dokumen SKP")
    assert app.evaluation(evaluation.id).predikat == "Cukup"


def test_an_upheld_keberatan_raises_an_imported_record_by_scores_and_the_views_follow(app,
                                                                                      clock):
    head, asn = line_since_2019(app)
    import_lines(app, [record(asn, 2021, skp=80, behaviour=80)])
    evaluation = app.evaluation_of(asn, "2021")
    keberatan = app.file_keberatan(Actor(asn, "asn"), evaluation.id, "nilai tidak sesuai")
    app.decide_keberatan(Actor(head, "appeal_board"), keberatan.id, "upheld",
                         reason="bukti capaian", scores={"skp": 95, "behaviour": 90})
    raised = app.evaluation(evaluation.id)
    assert (raised.predikat, raised.outcome["numeric"]["score"]) == ("Baik", 93.5)
    entries = Timelines(app, lambda _: []).evaluation(evaluation.id)
    (corrected,) = [e for e in entries if e.topic == Evaluation.OutcomeCorrected.TOPIC]
    assert {"field": "predikat", "old": "Cukup", "new": "Baik"} in corrected.changes
    projector = Projector(app)
    projector.catch_up()
    (row,) = Queries(projector.store).evaluations(nip=asn).items
    assert (row["predikat"], row["score"]) == ("Baik", 93.5)
