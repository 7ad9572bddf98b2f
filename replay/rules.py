"""The predikat under the rules in force then, and under today's, side by side."""

from __future__ import annotations

from typing import Any

from domain.errors import DomainError
from domain.rules import RuleBook


def then_and_now(record: Any, rules: RuleBook) -> list[dict[str, Any]]:
    """For the decision and every correction: the recorded predikat, the predikat recomputed
    under its recorded rule version, and under the latest rule set, flagged where they differ."""
    outcomes = [*getattr(record, "corrections", []), *([record.outcome] if record.outcome else [])]
    today = rules.latest()
    rows = []
    for outcome in outcomes:
        then = rules.version(outcome["rule_version"])
        rows.append({
            "version": outcome["version"], "recorded": outcome["predikat"],
            "rule_version_then": then.version,
            "predikat_then": _predikat(then, outcome), "rule_version_now": today.version,
            "predikat_now": _predikat(today, outcome),
        })
        rows[-1]["differs"] = rows[-1]["predikat_then"] != rows[-1]["predikat_now"]
        rows[-1]["reproduced"] = rows[-1]["predikat_then"] == outcome["predikat"]
    return rows


def _predikat(ruleset: Any, outcome: dict) -> str | None:
    try:
        return ruleset.predikat(outcome["results"], outcome["behaviour"]).value
    except DomainError:
        return None  # e.g. the numeric rules of PP 30/2019 do not read ratings
