"""Histories for the view tests, made through the application's own commands."""

from __future__ import annotations

import random
from datetime import date, timedelta

from domain.errors import DomainError
from domain.skm import ELEMENTS
from domain.values import ChecklistResult, PlanLine
from service.core import Actor
from tests.domain.builders import answers
from tests.service.scenario import (
    ADMIN,
    appoint,
    graded,
    new_nip,
    rated_and_finalised,
    reported,
    reporting_line,
    with_plh,
)


def random_history(app, clock, seed: int, lines: int = 3) -> None:
    """A few reporting lines taken through random parts of the cycle, with keberatan,
    revisions, comments, inspections and SKM responses; rejected commands are fine."""
    rng = random.Random(seed)
    for _ in range(lines):
        line = reporting_line(app)
        evaluation = reported(app, clock, line)
        _extended(app, evaluation)
        graded(app, line, rng.choice(["Baik", "Istimewa"]))
        stage = rng.choice(["reported", "finalised", "finalised"])
        if stage == "finalised":
            rated_and_finalised(app, line, evaluation, rng.choice(["above", "meets", "below"]),
                                rng.choice(["above", "meets", "below"]))
        for _ in range(rng.randint(0, 3)):
            _attempt(app.comment, line.actor("asn"), evaluation.id, "catatan")
        if stage == "finalised" and rng.random() < 0.7:
            clock.advance(days=2)
            if rng.random() < 0.5:  # the ASN received the result first (or filing is the receipt)
                app.acknowledge_result(line.actor("asn"), evaluation.id)
            k = app.file_keberatan(line.actor("asn"), evaluation.id, "keberatan")
            outcome = rng.choice(["rejected", "partly_upheld", "upheld"])
            raised = "above" if outcome != "rejected" else None
            _attempt(app.decide_keberatan, line.actor("head", "appeal_board"), k.id, outcome,
                     reason="putusan", results=raised, behaviour=raised)
        _inspect(app, clock, line, rng)
        app.record_survey_responses(ADMIN, line.unit, "2024",
                                    [answers(*(rng.randint(1, 4) for _ in ELEMENTS))
                                     for _ in range(5)])
        _history(app, line, seed)
        _leave_and_move(app, line)
        _periodic(app, line)
    _acting(app, clock)


def _periodic(app, line) -> None:
    """A quarter on the rater's agreed SKP, which the head then revises: the quarter adopts
    the revision. Draws nothing from the history's generator."""
    annual = app.evaluation_of(line.rater, "2024")
    app.open_evaluation(ADMIN, line.rater, "2024-Q1")
    app.revise_plan(line.actor("head", "reviewer"), annual.id, "changed_target",
                    [PlanLine("rater-1", "utama", "head-1", "Hasil", "quantity", "IKI", "12")],
                    reason="target naik")


def _acting(app, clock) -> None:
    """A Plh rating and finalising in the tenure, and a Plt above the rater then deciding the
    keberatan (no draw from the generator)."""
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    plt = appoint(app, line, "Plt", line.rater, date(2025, 1, 1), date(2025, 3, 31))
    rated_and_finalised(app, with_plh(app, line), evaluation)
    k = app.file_keberatan(line.actor("asn"), evaluation.id, "keberatan")
    app.decide_keberatan(Actor(plt, "appeal_board"), k.id, "rejected", reason="putusan")


def _extended(app, evaluation) -> None:
    """BKPP's calendar of 2024 (set once) and an extension naming this evaluation, which it
    records at its rating; no draw from the history's generator."""
    _attempt(app.set_calendar, ADMIN, "2024", report_opens=date(2025, 1, 2),
             report_due=date(2025, 1, 10), rating_due=date(2025, 1, 31),
             decision_target=date(2025, 3, 31))
    app.grant_extension(ADMIN, "2024", f"800/{evaluation.nip[-3:]}/2025", date(2025, 1, 6),
                        report_due=date(2025, 1, 20), rating_due=date(2025, 2, 14),
                        scope="evaluations", evaluation_ids=[str(evaluation.id)])


def _history(app, line, seed: int) -> None:
    """A 2021 record under PP 30/2019; its scores follow the seed but draw nothing from the
    history's generator (the other choices stay as they were). The line starts in 2024, so
    no authority was above the rater then: a keberatan on it is refused (tests/service)."""
    app.import_history(ADMIN, line.asn, 2021, skp=float(60 + seed % 61),
                       behaviour=float(110 - seed % 50), peer_input=seed % 2 == 0,
                       new_idea=seed % 3 == 0, source_ref="SKP-2021/BKPP", rater_nip=line.rater)


def _leave_and_move(app, line) -> None:
    """Leave that excuses the ASN's second quarter and shortens the third, then a move under
    the head from August (drawing nothing from the history's generator)."""
    for quarter in ("2024-Q2", "2024-Q3"):
        app.open_evaluation(ADMIN, line.asn, quarter)
    app.record_leave(ADMIN, line.asn, kind="cuti_besar", start=date(2024, 4, 1),
                     end=date(2024, 7, 15), decree_number="800/9/BKPP",
                     decree_date=date(2024, 3, 20))
    app.transfer_employee(ADMIN, line.asn, unit_code=line.unit, position="Analis Madya",
                          effective_from=date(2024, 8, 1), supervisor_nip=line.head,
                          handover_note="SKP diserahterimakan")


def _inspect(app, clock, line, rng) -> None:
    inspector = line.actor("head").__class__(new_nip(1985), "inspector")
    inspection = app.record_inspection(inspector, line.unit, "Loket",
                                       clock.now - timedelta(hours=1),
                                       [ChecklistResult("Antrian tertib", "not_met")])
    app.record_finding(inspector, inspection.id, "Antrian kacau", "major", item="Antrian tertib",
                       nips=[line.asn])
    app.assign_follow_up(inspector, inspection.id, "2", "Tertibkan", clock.now.date(), line.rater)
    if rng.random() < 0.5:
        app.resolve_follow_up(line.actor("rater", "reviewer"), inspection.id, "3", "Selesai")


def _attempt(command, *args, **kwargs) -> None:
    try:
        command(*args, **kwargs)
    except DomainError:
        pass  # a random history may ask for what the rules refuse; nothing is written then
