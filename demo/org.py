"""The demo's org chart, planned in memory before anything is recorded.

Pure: a seeded ``random.Random`` decides the OPDs, their bidang and seksi, every ASN with a valid
NIP and a name of the matching sex, and the reporting lines (Sekda -> kepala OPD -> kepala
bidang/sekretaris -> kepala seksi/subbagian -> staff). Small demos keep fewer OPDs and trim each
one's structure so that most people are still staff, as in a real city.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from demo.catalog import BY_CODE, CATALOGUE, INSPECTING_OPD, OPD, STANDARD_ITEMS
from demo.words import person_name
from domain.nip import parse_nip

ROOT = "PEMKOT-SMG"
SEKDA, HEAD, DIVISION, SECTION, STAFF = range(5)  # levels of the reporting line
AGES = {SEKDA: (52, 58), HEAD: (47, 58), DIVISION: (42, 57), SECTION: (35, 56), STAFF: (23, 57)}
MIN_EMPLOYEES = 20
PPPK_SHARE = 0.12  # contract ASN, among staff only: they hold no structural post
PART_TIME_EVERY = 6  # of the NI PPPK numbers made, one in six is a part-time one (code 24)


@dataclass(frozen=True)
class UnitPlan:
    code: str
    name: str
    parent: str | None
    service_standard: tuple[str, ...] = ()
    place: str = ""


@dataclass
class Person:
    """An ASN as the demo knows them; a transfer changes ``unit``, ``opd`` and ``supervisor``."""

    nip: str
    name: str
    opd: str
    unit: str
    position: str
    level: int
    supervisor: str | None
    employment: str = "PNS"

    @property
    def is_head(self) -> bool:
        return self.level < STAFF


@dataclass
class OrgChart:
    year: int
    units: list[UnitPlan] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)  # supervisors before their staff
    heads: dict[str, str] = field(default_factory=dict)  # unit code -> the NIP of its head
    _by_nip: dict[str, Person] = field(default_factory=dict, repr=False)

    def add(self, person: Person) -> Person:
        self.people.append(person)
        self._by_nip[person.nip] = person
        if person.is_head:
            self.heads[person.unit] = person.nip
        return person

    def unit_name(self, code: str) -> str:
        return next(u.name for u in self.units if u.code == code)

    def person(self, nip: str) -> Person:
        return self._by_nip[nip]

    def sections(self, opd: str | None = None) -> list[str]:
        """Units whose staff report to a section head (the leaves of the chart)."""
        heads = [self.person(nip) for nip in self.heads.values()]
        return [p.unit for p in heads if p.level == SECTION and opd in (None, p.opd)]

    def in_opd(self, opd: str) -> list[Person]:
        return [p for p in self.people if p.opd == opd]


class NipMaker:
    """Distinct, valid numbers: a NIP (birth date, year and month of appointment, sex digit,
    sequence 001-999), or for a contract an NI PPPK, which has the PPPK code for the month: 21,
    or 24 for a part-time PPPK (one contract in PART_TIME_EVERY, by sequence number)."""

    def __init__(self, rng: random.Random, year: int) -> None:
        self.rng, self.year = rng, year
        self.used: set[str] = set()

    def make(self, level: int, sex: str, *, contract: bool = False) -> str:
        rng = self.rng
        birth = date(self.year - rng.randint(*AGES[level]), rng.randint(1, 12), rng.randint(1, 28))
        if contract:  # PPPK contracts began in 2019
            appointed = rng.randint(max(2019, birth.year + 20), self.year - 1)
        else:  # PNS are appointed in their twenties, and before the demo year
            appointed = min(birth.year + rng.randint(21, 30), self.year - 1)
        while True:  # the draws in the order they always were, so a seed's city is unchanged
            month = None if contract else f"{rng.randint(1, 12):02d}"
            sequence = rng.randint(1, 999)
            code = month or ("24" if sequence % PART_TIME_EVERY == 0 else "21")
            nip = f"{birth:%Y%m%d}{appointed:04d}{code}{sex}{sequence:03d}"
            if nip not in self.used:
                self.used.add(nip)
                return nip


def plan_org(rng: random.Random, *, employees: int, year: int, opds: int = 12) -> OrgChart:
    if employees < MIN_EMPLOYEES:
        raise ValueError(f"a demo city needs at least {MIN_EMPLOYEES} employees")
    chosen = CATALOGUE[:max(3, min(opds, len(CATALOGUE), employees // 15))]
    divisions, sections = _shape(employees / len(chosen))
    chart, nips = OrgChart(year), NipMaker(rng, year)
    chart.units.append(UnitPlan(ROOT, "Pemerintah Kota Semarang", None))
    for opd in chosen:  # the Sekretariat Daerah comes first, so the Sekda exists for the rest
        _plan_structure(rng, nips, chart, opd, divisions, sections)
    _plan_staff(rng, nips, chart, chosen, employees - len(chart.people))
    return chart


def _shape(per_opd: float) -> tuple[int, int]:
    """How many divisions per OPD and sections per division a city of this size keeps."""
    return max(1, min(5, round(per_opd / 10))), max(1, min(3, round(per_opd / 25)))


def _plan_structure(rng: random.Random, nips: NipMaker, chart: OrgChart, opd: OPD,
                    divisions: int, sections: int) -> None:
    standard = STANDARD_ITEMS if opd.place else ()
    chart.units.append(UnitPlan(opd.code, opd.name, ROOT, standard, opd.place))
    sekda = chart.heads.get("SETDA")
    head = chart.add(_official(rng, nips, opd, opd.code, opd.head, SEKDA if sekda is None else HEAD,
                               sekda))
    for d, division in enumerate(opd.divisions[:divisions], start=1):
        code = f"{opd.code}.{d}"
        chart.units.append(UnitPlan(code, division.name, opd.code))
        chief = chart.add(_official(rng, nips, opd, code, division.head, DIVISION, head.nip))
        for s, section in enumerate(division.sections[:sections], start=1):
            chart.units.append(UnitPlan(f"{code}.{s}", section, code))
            chart.add(_official(rng, nips, opd, f"{code}.{s}", f"Kepala {section}", SECTION,
                                chief.nip))


def _official(rng: random.Random, nips: NipMaker, opd: OPD, unit: str, position: str, level: int,
              supervisor: str | None) -> Person:
    sex = "1" if rng.random() < 0.65 else "2"
    name = person_name(rng, sex, senior=level <= DIVISION)
    return Person(nips.make(level, sex), name, opd.code, unit, position, level, supervisor)


def _plan_staff(rng: random.Random, nips: NipMaker, chart: OrgChart, opds: tuple[OPD, ...],
                total: int) -> None:
    for opd, count in zip(opds, _apportion(total, [o.weight for o in opds])):
        sections = chart.sections(opd.code)
        names = {u.code: u.name for u in chart.units}
        for i in range(count):  # every section gets someone before any gets a second
            unit = sections[i] if i < len(sections) else rng.choice(sections)
            chart.add(_staff(rng, nips, opd, unit, chart.heads[unit], opd.jobs_in(names[unit])))


def _staff(rng: random.Random, nips: NipMaker, opd: OPD, unit: str, supervisor: str,
           jobs: tuple[str, ...]) -> Person:
    sex = rng.choice("12")
    contract = rng.random() < PPPK_SHARE
    job = rng.choice(jobs)
    name = person_name(rng, sex, senior=False, doctor=job == "Dokter")
    nip = nips.make(STAFF, sex, contract=contract)
    return Person(nip, name, opd.code, unit, job, STAFF, supervisor, parse_nip(nip).asn_type)


def _apportion(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` by weight, largest remainders first, so the parts add up exactly."""
    exact = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: parts[i] - exact[i])
    for i in by_remainder[:total - sum(parts)]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class Move:
    """A mid-year transfer (mutasi or rotation) to a section, and the new direct supervisor."""

    nip: str
    opd: str
    unit: str
    position: str
    supervisor: str


def plan_moves(rng: random.Random, chart: OrgChart, *, share: float = 0.05) -> list[Move]:
    """Some staff rotate within their OPD, some move to another; BKPP's inspectors stay."""
    movable = [p for p in chart.people if p.level == STAFF and p.opd != INSPECTING_OPD]
    moves = []
    for person in rng.sample(movable, max(1, round(len(movable) * share))):
        sections = [u for u in chart.sections() if u != person.unit]
        nearby = [u for u in sections if chart.person(chart.heads[u]).opd == person.opd]
        elsewhere = rng.random() < 0.4 or not nearby
        options = [u for u in sections if u not in nearby] if elsewhere else nearby
        if not options:
            continue
        unit = rng.choice(options)
        opd = chart.person(chart.heads[unit]).opd
        jobs = BY_CODE[opd].jobs_in(chart.unit_name(unit))  # a teacher moves to a school
        position = person.position if person.position in jobs else rng.choice(jobs)
        moves.append(Move(person.nip, opd, unit, position, chart.heads[unit]))
    return moves
