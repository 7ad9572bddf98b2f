"""The views people work from, as queries over the stored view tables.

Figures, not judgements: every number here is a count or a share that can be traced back to
events (docs/PROJECTIONS.md says how each is computed). What each query returns is declared
here (a view's document, or a ``TypedDict`` of the query's own), and the API derives its
response models from these declarations (api/schemas_views.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict

import orjson

from domain.calendar import dues_in_force
from domain.curve import BP, SB, SK, B, K, departures
from domain.evaluation import EXCUSED, FINALISED, PLANNING, REPORTED
from domain.organisation import ancestry, in_force, leave_on, opd_of, tenure_on
from domain.periods import parse_period
from domain.rules import label_of
from domain.skm import CATEGORY_LABELS, ELEMENTS, WEIGHTING, category, index, nrr
from domain.state import ActingState, LeaveState
from projections.store import ViewStore
from projections.views.appeals import OPEN, AppealDoc
from projections.views.calendars import CalendarDoc
from projections.views.evaluations import DRAFTED, EvaluationDoc
from projections.views.inspections import FindingDoc, FollowUpDoc
from projections.views.organisation import EmployeeDoc, UnitDoc

# The predikats a dashboard counts, best first (domain.rules.Predikat less the older system's).
PREDIKAT = tuple(p.value for p in (SB, B, BP, K, SK))
NEAR_DAYS = 7
NO_KEBERATAN = "none"  # an evaluation's ``keberatan`` when none was filed
AGREE_PLAN, RATE, FINALISE = "agree_plan", "rate", "finalise"  # a reviewer's tasks


class EmployeeOnDay(EmployeeDoc):
    """An employee as on a day: the posting and the reporting line in force then (never one
    that starts later), with the dated histories they were read from."""

    on: str  # the day asked, ISO
    unit_id: str | None  # None: not yet posted on that day
    position: str | None  # the jabatan then
    is_unit_head: bool
    supervisor_nip: str | None  # who rates as direct supervisor then: a Plt/Plh in tenure, or
    # the atasan langsung by the line
    acting_tenure: ActingState | None  # the Plt/Plh tenure in force then, if any
    on_leave: LeaveState | None  # the leave or inactive period covering that day, if any


class LabelledEvaluation(EvaluationDoc):
    """An evaluation's row with its predikat also as its rule set writes it."""

    predikat_label: str | None  # e.g. "Kurang/Misconduct" for the stored "Kurang" (2022 matrix)


class EvaluationRow(LabelledEvaluation):
    """An evaluation's row as the summary lists it."""

    keberatan: str  # the outcome of its keberatan (appeals.OPEN or decided), or NO_KEBERATAN


class Task(TypedDict):
    """One thing a reviewer has to do on an evaluation."""

    evaluation_id: str
    nip: str
    period: str
    task: str  # AGREE_PLAN, RATE or FINALISE
    due: str
    overdue: bool
    near: bool  # due within NEAR_DAYS


class CurveDeparture(TypedDict):
    """A finalisation that departed from its OPD's curve, with the reason its rater gave."""

    evaluation_id: str
    nip: str
    unit_id: str | None
    predikat: str | None  # the one the rater finalised
    departures: list[str]  # as Evaluation.Finalised recorded them (none before they were)
    reason: str
    finalised_by: str | None
    finalised_at: str | None


class DashboardFigures(TypedDict):
    """A unit's year (its sub-units rolled up into it): how far its evaluations are, and its
    OPD's predikats against the curve."""

    unit_id: str
    year: int
    opd_id: str  # the OPD the unit rolls up to (domain.organisation.opd_of)
    evaluations: int
    finalised: int
    # None: withheld from a reader who may not see the people (projections/disclosure.py)
    not_finalised: list[str] | None  # NIPs
    predikat: dict[str, int | None]  # each of PREDIKAT -> how many (None: a small cell withheld)
    shares: dict[str, float | None]  # each of PREDIKAT -> its share, to 4 places
    organisation_predikat: str | None  # the OPD's for the year, as UnitState.org_predikat's
    departures: list[str]  # the OPD's distribution, from the curve its predikat selects
    curve_departures: list[CurveDeparture] | None  # every finalisation of the OPD that departed


class FindingRow(FindingDoc):
    """A finding with its inspection's unit."""

    unit_id: str


class FollowUpRow(FollowUpDoc):
    """An open follow-up with its inspection's unit and its age."""

    unit_id: str
    age_days: int  # since it was assigned


class RepeatFinding(TypedDict):
    """A checklist item found wanting in a unit more than once."""

    unit_id: str
    item: str
    findings: int


class FairnessSignal(TypedDict):
    """How a reviewer's predikats compare with their units' and the city's."""

    reviewer: str
    evaluations: int
    shares: dict[str, float]
    unit_shares: dict[str, float]
    city_shares: dict[str, float]
    revised: int
    overturned_on_appeal: int
    late_ratings: int


class ElementFigures(TypedDict):
    """One SKM element's answers: how many, their sum, and their mean (NRR)."""

    answers: int
    total: int
    nrr: str | None  # domain.skm.nrr, to two places, as text; None before any answer


class SkmPoint(TypedDict):
    """A survey's index and category: one period of a unit's trend."""

    period: str
    responses: int
    index: str | None  # domain.skm.index, as text; None until every element has answers
    category: str | None  # domain.skm.category of the index: A, B, C or D (mutu pelayanan)
    category_label: str | None  # its kinerja unit: Sangat Baik, Baik, Kurang Baik, Tidak Baik


class SkmRow(SkmPoint):
    """A survey's figures, computed from the raw totals when read."""

    unit_id: str
    elements: dict[str, ElementFigures]  # by element name (domain.skm.ELEMENTS)
    weighting: str  # domain.skm.WEIGHTING: each NRR weighs exactly 1/9 in the index


class SkmTrend(TypedDict):
    """A service unit's SKM, period by period: the OPD dashboard's part beside performance."""

    unit_id: str
    code: str
    name: str
    periods: list[SkmPoint]  # in order of time


@dataclass(frozen=True)
class Page:
    items: list[EvaluationRow]
    total: int
    page: int
    size: int


class Queries:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def _docs(self, view: str, where: dict[str, Any], order: str = "key") -> list[Any]:
        """The view's documents, as JSON read back: of its declared ``document`` type (which
        tests/projections/test_declared.py holds the handlers to), not checked here."""
        clauses = [f"{column} = %s" for column, value in where.items() if value is not None]
        sql = f"SELECT doc FROM view_{view}"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        params = [value for value in where.values() if value is not None]
        rows = self.store.rows(sql + f" ORDER BY {order}", params)
        return [orjson.loads(row["doc"]) for row in rows]

    def page(self, view: str, where: dict[str, Any], page: int, size: int,
             order: str = "key") -> Page:
        docs = self._docs(view, where, order)
        start = (page - 1) * size
        return Page(docs[start:start + size], len(docs), page, size)

    # -- evaluation summary and the ASN's history -------------------------------------------

    def evaluations(self, *, unit: str | None = None, period: str | None = None,
                    stage: str | None = None, nip: str | None = None, page: int = 1,
                    size: int = 50) -> Page:
        found = self.page("evaluations", {"unit_id": unit, "period": period, "stage": stage,
                                          "nip": nip}, page, size)
        self._bring_dues_in_force(found.items)
        appeals = {a["evaluation_id"]: a for a in self._docs("appeals", {})
                   if a["evaluation_id"] in {e["evaluation_id"] for e in found.items}}
        for item in found.items:
            item["keberatan"] = appeals.get(item["evaluation_id"], {}).get("outcome", NO_KEBERATAN)
            item["predikat_label"] = _label(item)
        return found

    def history(self, nip: str) -> list[LabelledEvaluation]:
        found = self._docs("evaluations", {"nip": nip}, order="period")
        self._bring_dues_in_force(found)
        return [doc | {"predikat_label": _label(doc)} for doc in found]

    def _bring_dues_in_force(self, rows: Iterable[EvaluationDoc]) -> None:
        """Give the rows the dues in force: an extension BKPP granted that names an open
        evaluation moves its dues at once, before the evaluation records it at its next
        command (as ``CalendarUseCases.bring_dues_in_force`` then does)."""
        calendars: dict[str, CalendarDoc] = {c["period"]: c for c in self._docs("calendars", {})}
        for row in rows:
            _extend(row, calendars.get(row["period"]))

    # -- employees as on a day -----------------------------------------------------------------

    def employee_on(self, nip: str, day: date) -> EmployeeOnDay | None:
        found = self._docs("employees", {"nip": nip})
        return as_on(found[0], day) if found else None

    def employees_on(self, day: date, *, supervisor: str | None = None,
                     unit: str | None = None) -> list[EmployeeOnDay]:
        """The employees whose line (or posting) on ``day`` is under ``supervisor`` (in
        ``unit``): the filter columns list everyone ever named, the day decides."""
        where = {"supervisor_nip": supervisor, "unit_id": unit}
        clauses = [f"{column} LIKE %s" for column, value in where.items() if value]
        sql = "SELECT doc FROM view_employees"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        docs = [orjson.loads(row["doc"]) for row in self.store.rows(
            sql + " ORDER BY nip", [f"%,{value},%" for value in where.values() if value])]
        rows = [as_on(doc, day) for doc in docs]
        return [r for r in rows if supervisor in (None, r["supervisor_nip"])
                and unit in (None, r["unit_id"])]

    # -- the reviewer's queue ---------------------------------------------------------------

    def queue(self, reviewer: str, today: date) -> list[Task]:
        # The rater is the supervisor on the day, or (none then) the rater named at opening: as
        # Evaluation._require_supervisor decides, so the queue lists what the reviewer may do.
        line = {e["employee_id"]: e["supervisor_nip"] for e in self.employees_on(today)}
        tasks: list[Task] = []
        evaluations: list[EvaluationDoc] = self._docs("evaluations", {}, order="key")
        self._bring_dues_in_force(evaluations)
        for ev in evaluations:
            mine = (line.get(ev["employee_id"]) or ev["rater_nip"]) == reviewer
            task = _task(ev)
            if task and (mine or reviewer in ev["team"]):
                due = date.fromisoformat(ev["rating_due"])
                tasks.append({"evaluation_id": ev["evaluation_id"], "nip": ev["nip"],
                              "period": ev["period"], "task": task, "due": ev["rating_due"],
                              "overdue": today > due,
                              "near": 0 <= (due - today).days <= NEAR_DAYS})
        return sorted(tasks, key=lambda t: (t["due"], t["nip"]))

    # -- the unit dashboard -----------------------------------------------------------------

    def dashboard(self, unit: str, year: int) -> DashboardFigures:
        """The unit's year, its sub-units' evaluations rolled up into it; the curve is judged
        on the whole OPD the unit belongs to (an OPD's dashboard: its own)."""
        parents = {u["unit_id"]: u["parent_id"] for u in self._docs("units", {})}
        # An excused evaluation is none: the period had no service (docs/DOMAIN.md §5).
        of_year = [e for e in self._docs("evaluations", {"year": year})
                   if e["period"] == str(year) and e["stage"] != EXCUSED]
        evaluations = _within(unit, parents, of_year)
        counts = Counter(e["predikat"] for e in evaluations if e["predikat"])
        predikat: dict[str, int | None] = {p: counts.get(p, 0) for p in PREDIKAT}
        opd = opd_of(unit, parents)
        org, departing, departed = self._curve(opd, year, _within(opd, parents, of_year))
        return {"unit_id": unit, "year": year, "opd_id": opd, "evaluations": len(evaluations),
                "finalised": sum(e["stage"] == FINALISED for e in evaluations),
                "not_finalised": [e["nip"] for e in evaluations if e["stage"] != FINALISED],
                "predikat": predikat, "shares": dict(_shares(counts)),
                "organisation_predikat": org,
                "departures": departing, "curve_departures": departed}

    def _curve(self, opd: str, year: int, evaluations: list[EvaluationDoc]
               ) -> tuple[str | None, list[str], list[CurveDeparture]]:
        """The OPD's organisation predikat for the year, how its whole distribution departs
        from the pattern, and every finalisation that departed, with the reason given."""
        units = self._docs("units", {"key": opd})
        org = units[0]["org_predikat"].get(str(year)) if units else None
        counts = Counter(e["predikat"] for e in evaluations if e["predikat"])
        departed: list[CurveDeparture] = [
            {"evaluation_id": e["evaluation_id"], "nip": e["nip"], "unit_id": e["unit_id"],
             "predikat": e["predikat_given"], "departures": e.get("departures", []),
             "reason": e.get("curve_departure", ""), "finalised_by": e["finalised_by"],
             "finalised_at": e["finalised_at"]}
            for e in evaluations if e.get("departures") or e.get("curve_departure")]
        return org, departures(org, counts), departed

    # -- inspections --------------------------------------------------------------------------

    def findings(self, *, unit: str | None = None,
                 employee: str | None = None) -> list[FindingRow]:
        inspections = {i["inspection_id"]: i for i in self._docs("inspections", {"unit_id": unit})}
        found: list[FindingRow] = [f | {"unit_id": inspections[f["inspection_id"]]["unit_id"]}
                 for f in self._docs("findings", {}) if f["inspection_id"] in inspections]
        return [f for f in found if employee is None or employee in f["employee_ids"]]

    def findings_naming(self, employee_id: str) -> list[FindingDoc]:
        """The findings that name this employee (by id), whatever the unit: what an
        evaluation's timeline shows (replay.timeline). ``employees`` is ",id1,id2,"."""
        return [orjson.loads(row["doc"]) for row in self.store.rows(
            "SELECT doc FROM view_findings WHERE employees LIKE %s", (f"%,{employee_id},%",))]

    def findings_about(self, employee_id: str) -> list[FindingRow]:
        """The findings naming this employee, with their inspection's unit: what the ASN and
        their supervisor read (oldest first)."""
        units = {i["inspection_id"]: i["unit_id"] for i in self._docs("inspections", {})}
        rows: list[FindingRow] = [{**f, "unit_id": units[f["inspection_id"]]}
                                  for f in self.findings_naming(employee_id)]
        return sorted(rows, key=lambda f: (f["at"], f["inspection_id"], int(f["finding_id"])))

    def open_follow_ups(self, today: date, *, unit: str | None = None) -> list[FollowUpRow]:
        inspections = {i["inspection_id"]: i for i in self._docs("inspections", {"unit_id": unit})}
        return [f | {"unit_id": inspections[f["inspection_id"]]["unit_id"],
                     "age_days": (today - date.fromisoformat(f["assigned_at"][:10])).days}
                for f in self._docs("follow_ups", {"resolved": False})
                if f["inspection_id"] in inspections]

    def repeat_findings(self, *, unit: str | None = None) -> list[RepeatFinding]:
        seen = Counter((f["unit_id"], f["item"]) for f in self.findings(unit=unit) if f["item"])
        return [{"unit_id": u, "item": item, "findings": n}
                for (u, item), n in sorted(seen.items()) if n > 1]

    # -- appeals ----------------------------------------------------------------------------

    def appeals(self, today: date, *, status: str | None = None) -> list[AppealDoc]:
        rows: list[AppealDoc] = self._docs("appeals", {"outcome": status}, order="key")
        for row in rows:
            if row["outcome"] == OPEN:
                row["overdue"] = today.isoformat() > row["decision_due"][:10]
        return rows

    def appeal_outcomes(self, by: str) -> dict[str, dict[str, int]]:
        """Outcomes per unit (``by="unit"``) or per reviewer (``by="reviewer"``)."""
        units = {e["evaluation_id"]: e["unit_id"] for e in self._docs("evaluations", {})}
        table: dict[str, Counter[str]] = defaultdict(Counter)
        for a in self._docs("appeals", {}):
            group = units.get(a["evaluation_id"]) if by == "unit" else a["rater_nip"]
            table[group or "-"][a["outcome"]] += 1
        return {k: dict(v) for k, v in sorted(table.items())}

    # -- fairness signals -------------------------------------------------------------------

    def fairness(self, year: int) -> list[FairnessSignal]:
        evaluations: list[EvaluationDoc] = [e for e in self._docs("evaluations", {"year": year})
                                            if e["finalised_by"]]
        city = _shares_of(e["predikat_given"] for e in evaluations)
        by_unit: dict[str | None, list[EvaluationDoc]] = defaultdict(list)
        by_rater: dict[str, list[EvaluationDoc]] = defaultdict(list)
        for e in evaluations:
            by_unit[e["unit_id"]].append(e)
            by_rater[e["finalised_by"] or ""].append(e)  # all are: finalised_by filtered above
        signals: list[FairnessSignal] = []
        for rater, mine in sorted(by_rater.items()):
            units = {e["unit_id"] for e in mine}
            unit_pool = [e for u in units for e in by_unit[u]]
            signals.append({
                "reviewer": rater, "evaluations": len(mine),
                "shares": _shares_of(e["predikat_given"] for e in mine),
                "unit_shares": _shares_of(e["predikat_given"] for e in unit_pool),
                "city_shares": city,
                "revised": sum(e["revisions"] > 0 for e in mine),
                "overturned_on_appeal": sum(e["overturned"] for e in mine),
                "late_ratings": sum(e["late_ratings"] for e in mine)})
        return signals

    # -- public-service satisfaction --------------------------------------------------------

    def skm(self, *, unit: str | None = None, period: str | None = None) -> list[SkmRow]:
        return [skm_figures(s["unit_id"], s["period"], s["totals"], s["counts"], s["responses"])
                for s in self._docs("surveys", {"unit_id": unit, "period": period})]

    def skm_trend(self, unit: str, year: int) -> list[SkmTrend]:
        """The SKM of the unit and of every unit under it, each period of ``year`` or before in
        order of time; a unit without a survey is left out."""
        units = {u["unit_id"]: u for u in self._docs("units", {}, order="code")}
        served = _unit_and_below(unit, units)
        surveys: dict[str, list[SkmPoint]] = defaultdict(list)
        for s in sorted(self._docs("surveys", {}), key=lambda s: _in_time(s["period"])):
            if s["unit_id"] in served and parse_period(s["period"]).year <= year:
                row = skm_figures(s["unit_id"], s["period"], s["totals"], s["counts"],
                                  s["responses"])
                surveys[s["unit_id"]].append({
                    "period": row["period"], "responses": row["responses"],
                    "index": row["index"], "category": row["category"],
                    "category_label": row["category_label"]})
        return [{"unit_id": u, "code": units[u]["code"], "name": units[u]["name"],
                 "periods": surveys[u]} for u in units if u in surveys]


def skm_figures(unit_id: str, period: str, totals: list[int], counts: list[int],
                responses: int) -> SkmRow:
    """A survey's figures from its per-element totals and counts (in ELEMENTS order)."""
    value = index(totals, counts)
    letter = None if value is None else category(value)
    return {"unit_id": unit_id, "period": period, "responses": responses,
            "elements": {name: {"answers": c, "total": t, "nrr": _text(nrr(t, c))}
                         for name, t, c in zip(ELEMENTS, totals, counts)},
            "weighting": WEIGHTING, "index": _text(value), "category": letter,
            "category_label": None if letter is None else CATEGORY_LABELS[letter]}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _in_time(period: str) -> tuple[date, date]:
    found = parse_period(period)
    return found.start, found.end


def _unit_and_below(unit: str, units: dict[str, UnitDoc]) -> set[str]:
    """The unit and every unit whose chain of parents leads to it."""
    found = {unit} if unit in units else set()
    grew = True
    while grew:
        below = {u for u, doc in units.items() if doc["parent_id"] in found} - found
        found, grew = found | below, bool(below)
    return found


def _extend(row: EvaluationDoc, calendar: CalendarDoc | None) -> None:
    """An open evaluation's row with the dues of the last extension naming it, if later."""
    if calendar is None or row["stage"] == FINALISED:
        return
    report, rating, circular = dues_in_force(calendar["report_due"], calendar["rating_due"],
                                             calendar["extensions"], row["evaluation_id"],
                                             row["unit_id"])
    if circular is not None:
        row["report_due"] = max(row["report_due"], report.isoformat())
        row["rating_due"] = max(row["rating_due"], rating.isoformat())
        row["extended_by"] = circular


def _label(doc: EvaluationDoc) -> str | None:
    return label_of(doc["predikat"], doc["rule_version"])


def as_on(doc: EmployeeDoc, day: date) -> EmployeeOnDay:
    """The employee as on ``day``: the posting and the line in force then (``in_force``)."""
    post, line = in_force(doc["postings"], day), in_force(doc["reporting_line"], day)
    tenure = tenure_on(doc["acting"], day)
    supervisor = tenure["acting_nip"] if tenure else line["supervisor_nip"] if line else None
    row: EmployeeOnDay = {
        **doc, "on": day.isoformat(), "unit_id": post["unit_id"] if post else None,
        "position": post["position"] if post else None,
        "is_unit_head": bool(post and post["is_unit_head"]),
        "supervisor_nip": supervisor, "acting_tenure": tenure,
        "on_leave": leave_on(doc["leave"], day)}
    return row


def _task(ev: EvaluationDoc) -> str | None:
    if ev["stage"] == PLANNING and ev["plan"] == DRAFTED:
        return AGREE_PLAN
    if ev["stage"] == REPORTED:
        return FINALISE if ev["results"] and ev["behaviour"] else RATE
    return None


def _shares_of(predikats: Iterable[str | None]) -> dict[str, float]:
    return _shares(Counter(predikats))


def _shares(counts: Counter[str | None] | Counter[str]) -> dict[str, float]:
    total = sum(counts.values())
    return {p: round(counts.get(p, 0) / total, 4) if total else 0.0 for p in PREDIKAT}


def _within(unit: str, parents: dict[str, str | None],
            evaluations: list[EvaluationDoc]) -> list[EvaluationDoc]:
    """The evaluations of the unit and of every unit below it."""
    below = {u for u in parents if unit in ancestry(u, parents)}
    return [e for e in evaluations if e["unit_id"] in below]
