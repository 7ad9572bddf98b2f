"""One arranged store, and who holds which relationship to its records.

Arranged through the Application's own use cases (tests/service/scenario.py): reporting lines
head -> rater -> asn; the ASN's evaluation finalised with a supervisory team, a keberatan filed
on it; an inspection of the unit with a finding and a follow-up assigned to the rater.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from api.policy import Scope
from domain.values import ChecklistResult
from service.application import Actor
from tests.api.support import Api
from tests.service.scenario import ADMIN, Line, new_nip, reported, reporting_line

PERIOD = "2024"


@dataclass
class World:
    api: Api
    line: Line  # the ASN's line; ``other`` is a second line, unrelated to the first
    other: Line
    inspector: str
    evaluation: UUID
    keberatan: UUID
    inspection: UUID
    follow_up: str

    @classmethod
    def arrange(cls, api: Api, clock) -> World:
        k = api.kinerja
        line, other = reporting_line(k), reporting_line(k)
        evaluation = reported(k, clock, line).id
        k.assign_team(ADMIN, evaluation, [other.head])
        reviewer = line.actor("rater", "reviewer")
        for dimension in ("results", "behaviour"):
            k.record_rating(reviewer, evaluation, dimension, "meets", reason="sesuai bukti")
        k.finalise(reviewer, evaluation)
        keberatan = k.file_keberatan(line.actor("asn"), evaluation, "Bukti tidak dipertimbangkan")
        inspector = Actor(new_nip(1985), "inspector")
        inspection = k.record_inspection(inspector, line.unit, "Loket 1",
                                         clock.now - timedelta(hours=1),
                                         [ChecklistResult("Antrian tertib", "not_met")]).id
        k.record_finding(inspector, inspection, "Antrian menumpuk", "major",
                         item="Antrian tertib", nips=[line.asn])
        follow_ups = k.assign_follow_up(inspector, inspection, "2", "Pasang nomor antrian",
                                        date(2025, 2, 1), assignee_nip=line.rater).follow_ups
        return cls(api, line, other, inspector.id, evaluation, keberatan.id, inspection,
                   next(iter(follow_ups)))

    def path_values(self) -> dict[str, str]:
        """A value for every path parameter name the routes use (a new name fails loudly)."""
        return {"evaluation_id": str(self.evaluation), "keberatan_id": str(self.keberatan),
                "inspection_id": str(self.inspection), "follow_up_id": self.follow_up,
                "dimension": "results", "nip": self.line.asn, "code": self.line.unit,
                "unit_code": self.line.unit, "period": PERIOD, "record_id": str(self.evaluation),
                "unit_id": str(self.api.kinerja.unit(self.line.unit).id)}

    def holder(self, scope: Scope) -> str:
        """Who holds ``scope`` towards the records of ``path_values`` (``ANY``: a stranger)."""
        return {Scope.ANY: self.stranger, Scope.SELF: self.line.asn,
                Scope.SUPERVISOR: self.line.rater, Scope.TEAM: self.other.head,
                Scope.RATER: self.line.rater, Scope.AUTHORITY: self.line.head,
                Scope.ASSIGNEE: self.line.rater}[scope]

    @property
    def stranger(self) -> str:
        """An ASN of the other line: related to none of these records."""
        return self.other.asn
