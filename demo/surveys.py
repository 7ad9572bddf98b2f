"""SKM in the demo: the public's satisfaction with each service counter, surveyed each quarter
(PermenPANRB 14/2017) and recorded a week after the quarter ends.

Disdukcapil's story is e-Layanan: launched at the start of the demo's first year, it lifts
the index from category C (Kurang Baik) in the two quarters before to B and then A. The other
service units hold steady around B. Answers are drawn so that each response's mean comes
near the quarter's index; the index itself is computed by the domain from the answers.
"""

from __future__ import annotations

import random
from datetime import date
from functools import partial

from demo.agenda import ADMIN, Demo, PeriodDates
from demo.today import quarters
from domain.skm import ANSWERS, ELEMENTS

E_LAYANAN_OPD = "DISDUKCAPIL"
BEFORE, LAUNCHED, RISE, CEILING = 71.0, 78.0, 4.5, 92.0  # Disdukcapil's index, quarter by quarter
STEADY, SPREAD = 80.0, 3.0  # every other service unit's: Baik, give or take
HISTORY = 2  # quarters surveyed before the demo's first year, to show where e-Layanan began
RESPONDENTS = (40, 60)
RECORDED_AFTER = 7  # days after the quarter ends


def schedule_surveys(demo: Demo, first_day: date) -> None:
    """Every quarter that ended a week before today, from HISTORY quarters before the first
    year; those before ``first_day`` are entered on it, as the units' past surveys."""
    first_year = first_day.year
    counters = [u.code for u in demo.chart.units if u.service_standard]
    for n, quarter in enumerate(_surveyed(first_year, demo.today), start=-HISTORY):
        day = max(quarter.after_end(RECORDED_AFTER), first_day)
        for unit in counters:
            index = _disdukcapil(n) if unit == E_LAYANAN_OPD else None
            demo.agenda.on(day, "survei kepuasan",
                           partial(_record, demo, unit, quarter.key, index))


def _surveyed(first_year: int, today: date) -> list[PeriodDates]:
    earlier = [PeriodDates.of(f"{first_year - 1}-Q{q}") for q in range(5 - HISTORY, 5)]
    ended = [q for q in quarters(first_year, PeriodDates.of(f"{today.year}-Q4"))
             if q.after_end(RECORDED_AFTER) < today]
    return earlier + ended


def _disdukcapil(quarters_since_launch: int) -> float:
    if quarters_since_launch < 0:
        return BEFORE
    return min(CEILING, LAUNCHED + RISE * quarters_since_launch)


def _record(demo: Demo, unit: str, period: str, index: float | None) -> None:
    rng = demo.rng
    target = index if index is not None else STEADY + rng.uniform(-SPREAD, SPREAD)
    responses = [_response(rng, target / 25) for _ in range(rng.randint(*RESPONDENTS))]
    demo.call(demo.app.record_survey_responses, ADMIN, unit, period, responses)


def _response(rng: random.Random, mean: float) -> dict[str, int]:
    """Each element answered with one of the two whole answers around ``mean``, so that the
    answers average to it."""
    lowest, highest = ANSWERS
    low = max(lowest, min(highest - 1, int(mean)))
    return {element: low + (rng.random() < mean - low) for element in ELEMENTS}


