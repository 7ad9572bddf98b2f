"""The views people work from, as queries over the stored view tables.

Figures, not judgements: every number here is a count or a share that can be traced back to
events (docs/PROJECTIONS.md says how each is computed).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from domain.curve import departures
from domain.skm import category, index
from projections.store import ViewStore

PREDIKAT = ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")
NEAR_DAYS = 7


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    size: int


class Queries:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def _docs(self, view: str, where: dict[str, Any], order: str = "key") -> list[dict]:
        clauses = [f"{column} = %s" for column, value in where.items() if value is not None]
        sql = f"SELECT doc FROM view_{view}"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        params = [value for value in where.values() if value is not None]
        return [orjson.loads(row["doc"]) for row in self.store.rows(sql + f" ORDER BY {order}", params)]

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
        appeals = {a["evaluation_id"]: a for a in self._docs("appeals", {})
                   if a["evaluation_id"] in {e["evaluation_id"] for e in found.items}}
        for item in found.items:
            item["keberatan"] = appeals.get(item["evaluation_id"], {}).get("outcome", "none")
        return found

    def history(self, nip: str) -> list[dict]:
        return self._docs("evaluations", {"nip": nip}, order="period")

    # -- the reviewer's queue ---------------------------------------------------------------

    def queue(self, reviewer: str, today: date) -> list[dict]:
        staff = {e["employee_id"] for e in self._docs("employees", {"supervisor_nip": reviewer})}
        tasks = []
        for ev in self._docs("evaluations", {}, order="key"):
            mine = ev["employee_id"] in staff or (ev["rater_nip"] == reviewer and not staff)
            task = _task(ev)
            if task and (mine or reviewer in ev["team"]):
                due = date.fromisoformat(ev["rating_due"])
                tasks.append({"evaluation_id": ev["evaluation_id"], "nip": ev["nip"],
                              "period": ev["period"], "task": task, "due": ev["rating_due"],
                              "overdue": today > due,
                              "near": 0 <= (due - today).days <= NEAR_DAYS})
        return sorted(tasks, key=lambda t: (t["due"], t["nip"]))

    # -- the unit dashboard -----------------------------------------------------------------

    def dashboard(self, unit: str, year: int) -> dict:
        evaluations = [e for e in self._docs("evaluations", {"unit_id": unit, "year": year})
                       if e["period"] == str(year)]
        counts = Counter(e["predikat"] for e in evaluations if e["predikat"])
        units = self._docs("units", {}, order="key")
        org = next((u["org_predikat"].get(str(year)) for u in units if u["unit_id"] == unit), None)
        total = sum(counts.values())
        return {"unit_id": unit, "year": year, "evaluations": len(evaluations),
                "finalised": sum(e["stage"] == "finalised" for e in evaluations),
                "not_finalised": [e["nip"] for e in evaluations if e["stage"] != "finalised"],
                "predikat": {p: counts.get(p, 0) for p in PREDIKAT},
                "shares": {p: round(counts.get(p, 0) / total, 4) if total else 0.0 for p in PREDIKAT},
                "organisation_predikat": org, "departures": departures(org, counts)}

    # -- inspections --------------------------------------------------------------------------

    def findings(self, *, unit: str | None = None, employee: str | None = None) -> list[dict]:
        inspections = {i["inspection_id"]: i for i in self._docs("inspections", {"unit_id": unit})}
        found = [f | {"unit_id": inspections[f["inspection_id"]]["unit_id"]}
                 for f in self._docs("findings", {}) if f["inspection_id"] in inspections]
        return [f for f in found if employee is None or employee in f["employee_ids"]]

    def findings_naming(self, employee_id: str) -> list[dict]:
        """The findings that name this employee (by id), whatever the unit: what an
        evaluation's timeline shows (replay.timeline). ``employees`` is ",id1,id2,"."""
        return [orjson.loads(row["doc"]) for row in self.store.rows(
            "SELECT doc FROM view_findings WHERE employees LIKE %s", (f"%,{employee_id},%",))]

    def open_follow_ups(self, today: date, *, unit: str | None = None) -> list[dict]:
        inspections = {i["inspection_id"]: i for i in self._docs("inspections", {"unit_id": unit})}
        return [f | {"unit_id": inspections[f["inspection_id"]]["unit_id"],
                     "age_days": (today - date.fromisoformat(f["assigned_at"][:10])).days}
                for f in self._docs("follow_ups", {"resolved": False})
                if f["inspection_id"] in inspections]

    def repeat_findings(self, *, unit: str | None = None) -> list[dict]:
        seen: dict[tuple, int] = Counter((f["unit_id"], f["item"]) for f in self.findings(unit=unit)
                                         if f["item"])
        return [{"unit_id": u, "item": item, "findings": n}
                for (u, item), n in sorted(seen.items()) if n > 1]

    # -- appeals ----------------------------------------------------------------------------

    def appeals(self, today: date, *, status: str | None = None) -> list[dict]:
        rows = self._docs("appeals", {"outcome": status}, order="key")
        for row in rows:
            if row["outcome"] == "open":
                row["overdue"] = today.isoformat() > row["decision_due"][:10]
        return rows

    def appeal_outcomes(self, by: str) -> dict[str, dict[str, int]]:
        """Outcomes per unit (``by="unit"``) or per reviewer (``by="reviewer"``)."""
        units = {e["evaluation_id"]: e["unit_id"] for e in self._docs("evaluations", {})}
        table: dict[str, Counter] = defaultdict(Counter)
        for a in self._docs("appeals", {}):
            group = units.get(a["evaluation_id"]) if by == "unit" else a["rater_nip"]
            table[group or "-"][a["outcome"]] += 1
        return {k: dict(v) for k, v in sorted(table.items())}

    # -- fairness signals -------------------------------------------------------------------

    def fairness(self, year: int) -> list[dict]:
        evaluations = [e for e in self._docs("evaluations", {"year": year}) if e["finalised_by"]]
        city = _shares(e["predikat_given"] for e in evaluations)
        by_unit: dict[str, list] = defaultdict(list)
        by_rater: dict[str, list] = defaultdict(list)
        for e in evaluations:
            by_unit[e["unit_id"]].append(e)
            by_rater[e["finalised_by"]].append(e)
        signals = []
        for rater, mine in sorted(by_rater.items()):
            units = {e["unit_id"] for e in mine}
            unit_pool = [e for u in units for e in by_unit[u]]
            signals.append({
                "reviewer": rater, "evaluations": len(mine),
                "shares": _shares(e["predikat_given"] for e in mine),
                "unit_shares": _shares(e["predikat_given"] for e in unit_pool),
                "city_shares": city,
                "revised": sum(e["revisions"] > 0 for e in mine),
                "overturned_on_appeal": sum(e["overturned"] for e in mine),
                "late_ratings": sum(e["late_ratings"] for e in mine)})
        return signals

    # -- public-service satisfaction --------------------------------------------------------

    def skm(self, *, unit: str | None = None, period: str | None = None) -> list[dict]:
        out = []
        for s in self._docs("surveys", {"unit_id": unit, "period": period}):
            value = index(s["totals"], s["counts"])
            out.append({"unit_id": s["unit_id"], "period": s["period"],
                        "responses": s["responses"],
                        "index": str(value) if value is not None else None,
                        "category": category(value) if value is not None else None})
        return out


def _task(ev: dict) -> str | None:
    if ev["stage"] == "planning" and ev["plan"] == "drafted":
        return "agree_plan"
    if ev["stage"] == "reported":
        return "finalise" if ev["results"] and ev["behaviour"] else "rate"
    return None


def _shares(predikats: Iterable[str]) -> dict[str, float]:
    counts = Counter(predikats)
    total = sum(counts.values())
    return {p: round(counts.get(p, 0) / total, 4) if total else 0.0 for p in PREDIKAT}
