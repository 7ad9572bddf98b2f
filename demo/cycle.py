"""Each ASN's evaluations, told through the Application's own use cases.

``cast`` decides in advance what happens to each ASN in a period (their ratings, a revision,
a late rating, a keberatan and how it ends); the steps below then play it: open, plan and
agree, dialog kinerja, team review, report, rate, finalise, receive the result. Each step is
one person's moment in the year. Who rates is asked of the Application on the day: the
reporting line in force then (a transfer, a Plt), as the domain checks it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from functools import partial
from uuid import UUID

from demo.agenda import ADMIN, Demo
from demo.catalog import BY_CODE, TOP_RATER
from demo.org import DIVISION, SECTION, STAFF, OrgChart, Person
from demo.plans import Plan, city_plan, draft, evidence, expectations, realise
from demo.words import (
    ACHIEVEMENTS,
    CHALLENGES,
    CURVE_DEPARTURE,
    CURVE_REASONS,
    FOLLOW_UPS,
    NEXT_PLANS,
    RATING_REASONS,
    REPLIES,
    REVISION_REASONS,
    SUPERVISOR_COMMENTS,
    TEAM_RECOMMENDATIONS,
    UNIT_ACHIEVEMENT,
)
from domain.errors import CurveDepartureReasonRequiredError
from domain.evaluation import Evaluation, evaluation_id
from domain.organisation import employee_id
from domain.rules import BERAKHLAK
from service.core import Actor

# (results, behaviour) -> weight: mostly Baik, some Sangat Baik, a few Butuh Perbaikan or Kurang
PAIRS = {("above", "above"): 15, ("meets", "meets"): 50, ("above", "meets"): 12,
         ("meets", "above"): 10, ("below", "meets"): 6, ("below", "above"): 1,
         ("meets", "below"): 3, ("above", "below"): 0.5, ("below", "below"): 0.5}
SECOND_THOUGHT = {"above": "meets", "meets": "above", "below": "meets"}  # before a revision
WALIKOTA = Actor(TOP_RATER, "reviewer")
APPEAL_SHARE = 0.004  # of the ASN, per period, who file a keberatan
RECEIVED_SHARE = 0.6  # of the results, opened by the ASN within a week of finalisation


@dataclass
class Story:
    """What will happen to one ASN's evaluation for one period."""

    period: str
    nip: str
    results: str
    behaviour: str
    revised: str | None = None  # the dimension first rated otherwise, then revised with a reason
    reports: bool = True  # a few never report (long leave): their evaluation stays plan_agreed
    late: bool = False  # rated after the rating deadline
    dialog: bool = False
    team: bool = False
    keberatan: str | None = None  # "rejected" or "upheld"; "pending" awaits its decision
    report_on: date | None = None  # reported on this day (after noon), not spread over the window
    rate_on: date | None = None  # rated on this day, not spread over the rating window
    receive_on: date | None = None  # the result received on this day (a keberatan: filed)


def cast(rng: random.Random, chart: OrgChart, settled: set[str], period: str,
         appeals: float = APPEAL_SHARE) -> dict[str, Story]:
    """Every ASN's story for ``period``; only ``settled`` people (no mid-year move) may file a
    keberatan, because a keberatan hears the rater named when the evaluation opened."""
    stories = {person.nip: _story(rng, person, period) for person in chart.people}
    _choose_appeals(rng, chart, [s for s in stories.values() if s.nip in settled], appeals)
    return stories


def _story(rng: random.Random, person: Person, period: str) -> Story:
    pairs = [pair for pair in PAIRS if person.level == STAFF or "below" not in pair]
    results, behaviour = rng.choices(pairs, weights=[PAIRS[p] for p in pairs])[0]
    reports = person.level < STAFF or rng.random() > 0.01
    return Story(period, person.nip, results, behaviour,
                 revised=rng.choice(("results", "behaviour")) if rng.random() < 0.06 else None,
                 reports=reports, late=reports and rng.random() < 0.03,
                 dialog=rng.random() < 0.3, team=person.level >= SECTION and rng.random() < 0.05)


def _choose_appeals(rng: random.Random, chart: OrgChart, stories: list[Story],
                    share: float) -> None:
    """At least one rejected and one upheld; the Atasan Pejabat Penilai must exist."""
    eligible = [s for s in stories if s.reports and not s.late
                and (s.results, s.behaviour) != ("above", "above") and _has_authority(chart, s.nip)]
    chosen = rng.sample(eligible, min(len(eligible), max(2, round(len(chart.people) * share))))
    for n, story in enumerate(chosen):
        story.keberatan = ("rejected", "upheld")[n] if n < 2 else rng.choices(
            ("rejected", "upheld"), weights=(65, 35))[0]


def _has_authority(chart: OrgChart, nip: str) -> bool:
    rater = chart.person(nip).supervisor
    return rater is not None and chart.person(rater).supervisor is not None


def asn(nip: str) -> Actor:
    return Actor(nip, "asn")


def reviewer(nip: str) -> Actor:
    return Actor(nip, "reviewer")


def supervisor_of(demo: Demo, nip: str) -> str | None:
    """The direct supervisor on the demo's day, as the Application reads the line (a Plt in
    their tenure, the new supervisor after a transfer)."""
    supervisor: str | None = demo.app.employee(nip).supervisor_on(demo.day)
    return supervisor


def rater_of(demo: Demo, nip: str) -> Actor:
    """The direct supervisor on the day, or the regional head for the Sekda."""
    supervisor = supervisor_of(demo, nip)
    return reviewer(supervisor) if supervisor else WALIKOTA


def evaluation_of(demo: Demo, nip: str, period: str) -> UUID:
    return evaluation_id(employee_id(nip), period)


def open_evaluation(demo: Demo, period: str, person: Person) -> Evaluation:
    top_rater = TOP_RATER if person.supervisor is None else None
    return demo.call(demo.app.open_evaluation, ADMIN, person.nip, period, top_rater=top_rater)


def open_periodic(demo: Demo, period: str, person: Person) -> None:
    """A quarter's evaluation: opened on the year's agreed SKP, whose lines it evaluates."""
    open_evaluation(demo, period, person)
    demo.plans[(person.nip, period)] = demo.plans[(person.nip, period[:4])]


def agree_plan(demo: Demo, period: str, person: Person) -> None:
    """Draft the annual SKP, cascading from the day's supervisor's agreed SKP, and have that
    supervisor agree it."""
    supervisor = supervisor_of(demo, person.nip)
    upstream = demo.plans[(supervisor, period)].ids if supervisor else None
    plan = _annual_plan(demo, person, upstream)
    evaluation = evaluation_of(demo, person.nip, period)
    demo.call(demo.app.draft_plan, asn(person.nip), evaluation, plan.kind, list(plan.lines),
              expectations(demo.rng))
    demo.call(demo.app.agree_plan, rater_of(demo, person.nip), evaluation)
    demo.plans[(person.nip, period)] = plan


def _annual_plan(demo: Demo, person: Person, upstream: list[str] | None) -> Plan:
    if upstream is None:
        return city_plan()
    return draft(demo.rng, person.level, BY_CODE[person.opd].services, upstream)


def open_dialog(demo: Demo, story: Story) -> None:
    """Dialog kinerja: the supervisor asks, the ASN answers a few days later in the thread."""
    evaluation = evaluation_of(demo, story.nip, story.period)
    said = demo.call(demo.app.comment, rater_of(demo, story.nip), evaluation,
                     demo.rng.choice(SUPERVISOR_COMMENTS))
    thread = said.comment_ids[-1]
    demo.later(demo.rng.randint(1, 4), "dialog kinerja", lambda: _answer(demo, story, thread))


def _answer(demo: Demo, story: Story, thread: int) -> None:
    evaluation = evaluation_of(demo, story.nip, story.period)
    said = demo.call(demo.app.comment, asn(story.nip), evaluation, demo.rng.choice(REPLIES), thread)
    if demo.rng.random() < 0.4:
        demo.call(demo.app.comment, rater_of(demo, story.nip), evaluation,
                  demo.rng.choice(FOLLOW_UPS), said.comment_ids[-1])


def assign_team(demo: Demo, story: Story) -> None:
    """The head of the OPD names a tim penilai; each member reviews some weeks later."""
    person = demo.chart.person(story.nip)
    candidates = [p.nip for p in demo.chart.in_opd(person.opd) if p.level in (DIVISION, SECTION)
                  and p.nip not in (person.nip, person.supervisor)]
    members = demo.rng.sample(candidates, min(2, len(candidates)))
    if not members:
        return
    evaluation = evaluation_of(demo, story.nip, story.period)
    demo.call(demo.app.assign_team, reviewer(demo.chart.heads[person.opd]), evaluation, members)
    for member in members:
        demo.later(demo.rng.randint(20, 35), "tim penilai",
                   partial(_team_review, demo, evaluation, member))


def _team_review(demo: Demo, evaluation: UUID, member: str) -> None:
    demo.call(demo.app.record_team_review, reviewer(member), evaluation,
              demo.rng.choice(TEAM_RECOMMENDATIONS))


def submit_report(demo: Demo, story: Story) -> None:
    rng = demo.rng
    demo.call(demo.app.submit_report, asn(story.nip), evaluation_of(demo, story.nip, story.period),
              realise(rng, demo.plans[(story.nip, story.period)], story.results),
              rng.choice(ACHIEVEMENTS), rng.choice(CHALLENGES), rng.choice(NEXT_PLANS),
              evidence(rng, story.period, story.nip))


def rate_and_finalise(demo: Demo, story: Story) -> None:
    """Rate both dimensions (one perhaps revised, with a reason), then finalise."""
    person, rater = demo.chart.person(story.nip), rater_of(demo, story.nip)
    evaluation = evaluation_of(demo, story.nip, story.period)
    for dimension, rating in (("results", story.results), ("behaviour", story.behaviour)):
        basis = "unit_achievement" if person.is_head and dimension == "results" else "rater"
        first = SECOND_THOUGHT[rating] if story.revised == dimension else rating
        demo.call(demo.app.record_rating, rater, evaluation, dimension, first, basis=basis,
                  reason=_reason(dimension, first, basis), details=_details(demo, dimension, first))
        if first != rating:
            demo.call(demo.app.revise_rating, rater, evaluation, dimension, rating, basis=basis,
                      reason=demo.rng.choice(REVISION_REASONS),
                      details=_details(demo, dimension, rating))
    _finalise(demo, rater, evaluation, story)
    if story.receive_on is None and not story.keberatan and demo.rng.random() < RECEIVED_SHARE:
        demo.later(demo.rng.randint(1, 7), "hasil diterima", partial(receive, demo, story))


def receive(demo: Demo, story: Story) -> None:
    """The ASN opens their result: the keberatan window runs from today."""
    demo.call(demo.app.acknowledge_result, asn(story.nip),
              evaluation_of(demo, story.nip, story.period))


def _finalise(demo: Demo, rater: Actor, evaluation: UUID, story: Story) -> None:
    """Finalise; when the application says the predikat departs from the OPD's curve, the
    rater gives the reason it asks for."""
    try:
        demo.call(demo.app.finalise, rater, evaluation, curve_departure=_departure(demo, story))
    except CurveDepartureReasonRequiredError:
        demo.call(demo.app.finalise, rater, evaluation,
                  curve_departure=demo.rng.choice(CURVE_REASONS))


def _reason(dimension: str, rating: str, basis: str) -> str:
    if basis == "unit_achievement":
        return UNIT_ACHIEVEMENT[rating]
    return RATING_REASONS[dimension][rating]


def _details(demo: Demo, dimension: str, rating: str) -> dict[str, str] | None:
    """Behaviour is rated per BerAKHLAK value; a 'meets' may hide one value above it."""
    if dimension != "behaviour":
        return None
    details = dict.fromkeys(BERAKHLAK, rating)
    if rating == "meets" and demo.rng.random() < 0.3:
        details[demo.rng.choice(BERAKHLAK)] = "above"
    return details


def _departure(demo: Demo, story: Story) -> str:
    """A Sangat Baik in an OPD graded below Baik departs from the curve, so it says why."""
    graded = demo.org_predikat.get((demo.chart.person(story.nip).opd, story.period), "Baik")
    excellent = (story.results, story.behaviour) == ("above", "above")
    return CURVE_DEPARTURE if excellent and graded not in ("Istimewa", "Baik") else ""
