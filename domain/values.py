"""Value objects carried by events: SKP plan lines, realisations, evidence, checklist results.

Each validates itself through ``checked()``, called by commands; events hold them as given.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, overload
from urllib.parse import urlsplit

from domain.base import text
from domain.errors import InvalidValueError
from domain.limits import MAX_CODE, MAX_FIELD, MAX_NOTE, MAX_URI
from domain.state import (
    ChecklistJSON,
    EvidenceJSON,
    LineEvidenceJSON,
    PlanLineJSON,
    RealisationJSON,
)

ASPECTS = ("quantity", "quality", "time", "cost")
LINE_KINDS = ("utama", "tambahan")
PLAN_TYPES = ("quantitative", "narrative")
# Why an agreed SKP is revised (issue 14): a new assignment, a transfer, a changed target.
REVISION_CAUSES = ("new_assignment", "transfer", "changed_target")
EVIDENCE_SCHEMES = ("https", "http", "s3", "urn")
CHECKLIST_RESULTS = ("met", "not_met", "not_applicable")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
LINE_ID = rf"^[A-Za-z0-9._-]{{1,{MAX_CODE}}}$"
_LINE_ID = re.compile(LINE_ID)


# One overload per value object, so the state's TypedDicts are checked where they are built.
# (asdict keeps a ChecklistResult's evidence a tuple; it is a list once the state is JSON.)
@overload
def as_json(value: LineEvidence) -> LineEvidenceJSON: ...
@overload
def as_json(value: Evidence) -> EvidenceJSON: ...
@overload
def as_json(value: PlanLine) -> PlanLineJSON: ...
@overload
def as_json(value: Realisation) -> RealisationJSON: ...
@overload
def as_json(value: ChecklistResult) -> ChecklistJSON: ...
def as_json(value: Evidence | LineEvidence | PlanLine | Realisation | ChecklistResult) -> Any:
    """A value object as the state keeps it: the ``*JSON`` TypedDict of domain/state.py."""
    return asdict(value)


@dataclass(frozen=True)
class Evidence:
    uri: str
    sha256: str

    def checked(self) -> Evidence:
        parts = urlsplit(text(self.uri, "evidence uri", limit=MAX_URI))
        if parts.scheme not in EVIDENCE_SCHEMES:
            raise InvalidValueError(f"evidence uri scheme is one of {', '.join(EVIDENCE_SCHEMES)}")
        if not _SHA256.match(self.sha256 or ""):
            raise InvalidValueError("evidence sha256 is 64 lowercase hex digits")
        return self


@dataclass(frozen=True)
class LineEvidence(Evidence):
    """Evidence of a report (bukti dukung), for the plan line it names; ``None``: for the
    report as a whole (as all evidence was before it named a line)."""

    line_id: str | None = None

    @classmethod
    def of(cls, evidence: Evidence) -> LineEvidence:
        """Evidence as given: report-level unless it names a line."""
        return evidence if isinstance(evidence, LineEvidence) else cls(evidence.uri,
                                                                        evidence.sha256)


@dataclass(frozen=True)
class PlanLine:
    """One SKP line: the supervisor's result it supports, the ASN's result (RHK), its indicator."""

    id: str
    kind: str  # utama (main) or tambahan (additional)
    supports: str  # the supervisor's RHK id this line cascades from ("" at the top of a line)
    rhk: str  # rencana hasil kerja
    aspect: str
    indicator: str  # indikator kinerja individu (IKI)
    target: str

    def checked(self) -> PlanLine:
        if not _LINE_ID.match(self.id or ""):
            raise InvalidValueError("a plan line id is 1-40 letters, digits, '.', '_' or '-'")
        if self.kind not in LINE_KINDS:
            raise InvalidValueError("a plan line is utama or tambahan")
        if self.aspect not in ASPECTS:
            raise InvalidValueError(f"aspect is one of {', '.join(ASPECTS)}")
        text(self.supports, "supports", required=False, limit=MAX_CODE)
        for name in ("rhk", "indicator", "target"):
            text(getattr(self, name), name, limit=MAX_FIELD)
        return self


@dataclass(frozen=True)
class Realisation:
    line_id: str
    value: str
    note: str = ""

    def checked(self) -> Realisation:
        text(self.value, "realisation value", limit=MAX_FIELD)
        text(self.note, "realisation note", required=False, limit=MAX_NOTE)
        return self


@dataclass(frozen=True)
class ChecklistResult:
    item: str
    result: str  # met, not_met, not_applicable
    note: str = ""
    evidence: tuple[Evidence, ...] = ()

    def checked(self) -> ChecklistResult:
        if self.result not in CHECKLIST_RESULTS:
            raise InvalidValueError("a checklist result is met, not_met or not_applicable")
        text(self.note, "checklist note", required=False, limit=MAX_NOTE)
        for e in self.evidence:
            e.checked()
        return self


def distinct(ids: list[str], what: str) -> None:
    if len(set(ids)) != len(ids):
        raise InvalidValueError(f"{what} must be distinct")
