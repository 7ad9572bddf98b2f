"""Request bodies: strict (unknown fields refused), bounded, each with an example."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Annotated, Literal, TypeAlias
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field
from pydantic.config import JsonValue

from domain import rules
from domain.asn import GOLONGAN
from domain.calendar import SCOPES
from domain.errors import InvalidNIPError
from domain.evaluation import BASES, OWN_RECEIPTS
from domain.inspection import SEVERITIES
from domain.keberatan import OUTCOMES, PARTIES
from domain.limits import (
    MAX_CODE,
    MAX_FIELD,
    MAX_ITEM,
    MAX_LINE,
    MAX_NOTE,
    MAX_REASON,
    MAX_TEXT,
    MAX_URI,
)
from domain.nip import DIGITS, parse_nip
from domain.nip import PATTERN as NIP_PATTERN
from domain.organisation import ACTING_KINDS, EMPLOYMENT_TYPES, LEAVE_KINDS, ORG_PREDIKAT
from domain.periods import FIRST_YEAR, LAST_YEAR
from domain.values import (
    ASPECTS,
    CHECKLIST_RESULTS,
    LINE_ID,
    LINE_KINDS,
    PLAN_TYPES,
    REVISION_CAUSES,
)


def _nip(value: str) -> str:
    try:
        return parse_nip(value).value
    except InvalidNIPError as e:
        raise ValueError(e.message) from None


NIP = Annotated[str, Field(min_length=DIGITS, max_length=DIGITS, pattern=NIP_PATTERN,
                           examples=["198001012005011001"]), AfterValidator(_nip)]
Code = Annotated[str, Field(min_length=1, max_length=MAX_CODE, pattern=r"^[A-Za-z0-9._-]+$")]
Line = Annotated[str, Field(min_length=1, max_length=MAX_LINE)]
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
OptionalText = Annotated[str, Field(max_length=MAX_TEXT)]
Reason = Annotated[str, Field(min_length=1, max_length=MAX_REASON)]
# A PP 30/2019 score: 0 to the scale's ceiling (the domain refuses more, score_out_of_range).
NumericScore = Annotated[float, Field(ge=0, le=rules.PP30_2019.bands.ceiling)]
PlanText = Annotated[str, Field(min_length=1, max_length=MAX_FIELD)]
Note = Annotated[str, Field(max_length=MAX_NOTE)]
RequiredNote = Annotated[str, Field(min_length=1, max_length=MAX_NOTE)]
Item = Annotated[str, Field(min_length=1, max_length=MAX_ITEM)]
LineId = Annotated[str, Field(pattern=LINE_ID)]
# The years of domain.periods (FIRST_YEAR-LAST_YEAR, checked by tests/api/test_openapi.py):
# JSON Schema bounds numbers only, so a date's bounds are declared as a pattern too.
YEARS = r"(20[0-9]{2}|2100)"
DAY_PATTERN = rf"^{YEARS}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
Day = Annotated[date, Field(ge=date(FIRST_YEAR, 1, 1), le=date(LAST_YEAR, 12, 31),
                            json_schema_extra={"pattern": DAY_PATTERN})]
MOMENT_PATTERN = (DAY_PATTERN.removesuffix("$")
                  + r"T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})$")
PERIOD_PATTERN = rf"^{YEARS}(-(S[12]|Q[1-4]|M(0?[1-9]|1[0-2])))?$"
Period = Annotated[str, Field(pattern=PERIOD_PATTERN, examples=["2024", "2024-Q1"])]
# The choices are the domain's own lists (the enums of the OpenAPI document follow them), so
# each Literal is built from one at import: pydantic reads it; mypy cannot (valid-type), and
# takes a field of such a type as Any.
Rating: TypeAlias = Literal[tuple(r.value for r in rules.Rating)]  # type: ignore[valid-type]  # see above
Dimension: TypeAlias = Literal[tuple(d.value for d in rules.Dimension)]  # type: ignore[valid-type]  # see above
BerAKHLAK: TypeAlias = Literal[rules.BERAKHLAK]  # type: ignore[valid-type]  # see above
Basis: TypeAlias = Literal[BASES]  # type: ignore[valid-type]  # see above
OrgPredikat: TypeAlias = Literal[ORG_PREDIKAT]  # type: ignore[valid-type]  # see above
EmploymentType: TypeAlias = Literal[EMPLOYMENT_TYPES]  # type: ignore[valid-type]  # see above
Golongan: TypeAlias = Literal[GOLONGAN]  # type: ignore[valid-type]  # see above
ActingKind: TypeAlias = Literal[ACTING_KINDS]  # type: ignore[valid-type]  # see above
LeaveKind: TypeAlias = Literal[LEAVE_KINDS]  # type: ignore[valid-type]  # see above
LineKind: TypeAlias = Literal[LINE_KINDS]  # type: ignore[valid-type]  # see above
Aspect: TypeAlias = Literal[ASPECTS]  # type: ignore[valid-type]  # see above
PlanType: TypeAlias = Literal[PLAN_TYPES]  # type: ignore[valid-type]  # see above
RevisionCause: TypeAlias = Literal[REVISION_CAUSES]  # type: ignore[valid-type]  # see above
Party: TypeAlias = Literal[PARTIES]  # type: ignore[valid-type]  # see above
Outcome: TypeAlias = Literal[OUTCOMES]  # type: ignore[valid-type]  # see above
OwnReceipt: TypeAlias = Literal[OWN_RECEIPTS]  # type: ignore[valid-type]  # see above
ChecklistResult: TypeAlias = Literal[CHECKLIST_RESULTS]  # type: ignore[valid-type]  # see above
Severity: TypeAlias = Literal[SEVERITIES]  # type: ignore[valid-type]  # see above
ExtensionScope: TypeAlias = Literal[SCOPES]  # type: ignore[valid-type]  # see above


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=MAX_TEXT)


def example(**values: JsonValue) -> ConfigDict:
    return ConfigDict(extra="forbid", str_max_length=MAX_TEXT,
                      json_schema_extra={"examples": [values]})


class UnitIn(Body):
    model_config = example(code="DISDUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil",
                           parent_code=None)
    code: Code
    name: Line
    parent_code: Code | None = None


class ServiceStandardIn(Body):
    model_config = example(items=["Antrian tertib", "Petugas ramah", "Biaya sesuai tarif"])
    items: list[Item] = Field(min_length=1, max_length=100)


class OrganisationPredikatIn(Body):
    """The penetapan: recorded by the official above the OPD's head, who is named."""

    model_config = example(period="2024", predikat="Baik", document_number="800/123/2025",
                           document_date="2025-01-15", head_nip="197001012000031001")
    period: Period
    predikat: OrgPredikat
    document_number: Annotated[str, Field(min_length=1, max_length=MAX_CODE)]
    document_date: Day
    head_nip: NIP
    reason: Note = ""  # required when the period already has a penetapan


class ContractIn(Body):
    """A PPPK's contract period (perjanjian kerja)."""

    start: Day
    end: Day


class EmployeeIn(Body):
    model_config = example(nip="198001012005011001", name="Budi Santoso", unit_code="DISDUKCAPIL",
                           position="Analis Kependudukan", effective_from="2024-01-01",
                           employment_type="PNS", golongan="III/b", contract=None,
                           is_unit_head=False, supervisor_nip="197501012000031002")
    nip: NIP
    name: Line
    unit_code: Code
    position: Line  # the jabatan
    effective_from: Day
    # The ASN type; when left out, the one the number's layout says (NIP: PNS; NI PPPK: its code).
    employment_type: EmploymentType | None = None
    golongan: Golongan | None = None  # a PNS's golongan ruang
    contract: ContractIn | None = None  # a PPPK's contract period, required for a PPPK
    is_unit_head: bool = False
    supervisor_nip: NIP | None = None


class TransferIn(Body):
    """A posting to another unit; with ``supervisor_nip``, under a new direct supervisor from
    the same day. Open evaluations of the year move with the ASN (``handover_note``: the
    SKP's hand-over)."""

    model_config = example(unit_code="DPMPTSP", position="Analis Perizinan",
                           effective_from="2024-07-01", is_unit_head=False,
                           supervisor_nip="197802022003121001",
                           handover_note="SKP semester I diserahterimakan")
    unit_code: Code
    position: Line
    effective_from: Day
    is_unit_head: bool = False
    supervisor_nip: NIP | None = None
    handover_note: Note = ""


class LeaveIn(Body):
    """A period without service (both days included), by decree (SK)."""

    model_config = example(kind="cuti_besar", start="2024-03-01", end="2024-05-29",
                           decree_number="800/45/BKPP/2024", decree_date="2024-02-20")
    kind: LeaveKind
    start: Day
    end: Day
    decree_number: Annotated[str, Field(min_length=1, max_length=MAX_CODE)]
    decree_date: Day


class SupervisorIn(Body):
    model_config = example(supervisor_nip="197501012000031002", effective_from="2024-07-01")
    supervisor_nip: NIP | None
    effective_from: Day


class ActingSupervisorIn(Body):
    """A Plt/Plh appointed to act as the ASN's direct supervisor, by a letter (surat perintah)."""

    model_config = example(acting_nip="197802022003121001", kind="Plh", start="2024-08-01",
                           end="2024-08-31", letter_number="800/123/2024",
                           letter_date="2024-07-29")
    acting_nip: NIP
    kind: ActingKind
    start: Day
    end: Day
    letter_number: Annotated[str, Field(min_length=1, max_length=MAX_CODE)]
    letter_date: Day


class EvaluationIn(Body):
    model_config = example(nip="198001012005011001", period="2024", top_rater=None)
    nip: NIP
    period: Period
    top_rater: Annotated[str, Field(pattern=r"^[A-Za-z0-9._:-]{1,60}$")] | None = None


class PlanLineIn(Body):
    id: LineId
    kind: LineKind
    supports: Annotated[str, Field(max_length=MAX_CODE)] = ""
    rhk: PlanText
    aspect: Aspect
    indicator: PlanText
    target: PlanText


class PlanIn(Body):
    model_config = example(plan_type="quantitative", lines=[{
        "id": "S1", "kind": "utama", "supports": "R1", "rhk": "Verifikasi berkas KTP-el",
        "aspect": "quantity", "indicator": "Berkas terverifikasi", "target": "500 berkas"}],
        behaviour_expectations={"akuntabel": "Menyelesaikan berkas tepat waktu"})
    plan_type: PlanType
    lines: list[PlanLineIn] = Field(min_length=1, max_length=100)
    behaviour_expectations: dict[BerAKHLAK, Annotated[str, Field(max_length=MAX_FIELD)]] = {}


class PlanRevisionIn(Body):
    """The SKP's new lines (all of them), why, and for which cause."""

    model_config = example(cause="changed_target", reason="Target dinaikkan oleh kepala dinas",
                           lines=[{"id": "S1", "kind": "utama", "supports": "R1",
                                   "rhk": "Verifikasi berkas KTP-el", "aspect": "quantity",
                                   "indicator": "Berkas terverifikasi", "target": "600 berkas"}],
                           behaviour_expectations=None)
    cause: RevisionCause
    reason: Reason
    lines: list[PlanLineIn] = Field(min_length=1, max_length=100)
    # None: the expectations stay as agreed
    behaviour_expectations: dict[BerAKHLAK, Annotated[str, Field(max_length=MAX_FIELD)]] | None \
        = None


class EvidenceIn(Body):
    uri: Annotated[str, Field(min_length=1, max_length=MAX_URI)]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class ReportEvidenceIn(EvidenceIn):
    line_id: LineId | None = None  # the plan line it proves; None: the report as a whole


class RealisationIn(Body):
    line_id: LineId
    value: PlanText
    note: Note = ""


class ReportIn(Body):
    model_config = example(realisations=[{"line_id": "S1", "value": "520 berkas", "note": ""}],
                           achievements="Target terlampaui", challenges="Server lambat",
                           next_plan="Digitalisasi arsip", evidence=[{
                               "uri": "https://arsip.semarangkota.go.id/skp/1.pdf",
                               "sha256": "a" * 64, "line_id": "S1"}])
    realisations: list[RealisationIn] = Field(max_length=100)
    achievements: OptionalText = ""
    challenges: OptionalText = ""
    next_plan: OptionalText = ""
    evidence: list[ReportEvidenceIn] = Field(default=[], max_length=50)


class FeedbackIn(Body):
    model_config = example(line_id="S1", text="Realisasi baik; lampirkan rekap bulan Desember.")
    line_id: LineId
    text: RequiredNote


class RatingIn(Body):
    model_config = example(dimension="results", rating="above", reason="Target terlampaui 4%",
                           details={}, basis="rater")
    dimension: Dimension
    rating: Rating
    reason: Reason
    details: dict[BerAKHLAK, Rating] = {}
    basis: Basis = "rater"


class RevisionIn(Body):
    model_config = example(rating="meets", reason="Setelah dialog kinerja", details={},
                           basis="rater")
    rating: Rating
    reason: Reason
    details: dict[BerAKHLAK, Rating] = {}
    basis: Basis = "rater"


class CommentIn(Body):
    model_config = example(text="Mohon lampirkan bukti verifikasi bulan Maret.", in_reply_to=None)
    text: Text
    in_reply_to: int | None = Field(default=None, ge=1, le=2**62)


class TeamIn(Body):
    model_config = example(members=["198501012010011003"])
    members: list[NIP] = Field(min_length=1, max_length=20)


class TeamReviewIn(Body):
    model_config = example(recommendation="Pertahankan penilaian", note="Bukti memadai")
    recommendation: RequiredNote
    note: OptionalText = ""


class FinaliseIn(Body):
    model_config = example(curve_departure="")
    curve_departure: Note = ""


class ReceiptIn(Body):
    """The ASN has their result: opened it, or acknowledged it in so many words."""

    model_config = example(how="acknowledged")
    how: OwnReceipt = "acknowledged"


class NoticeIn(Body):
    """A notice of the result was delivered to the ASN."""

    model_config = example(notice_ref="800/123/BKPP/2025")
    notice_ref: Line


class KeberatanIn(Body):
    model_config = example(grounds="Bukti capaian target tidak dipertimbangkan.")
    grounds: Text


class ExplanationIn(Body):
    model_config = example(party="rater", text="Penilaian sesuai bukti yang ada.")
    party: Party
    text: Text


class DecisionIn(Body):
    """Rejected sets no ratings; partly upheld and upheld set both, none lower than before
    (a PP 30/2019 result: both scores, ``skp_score`` and ``behaviour_score``, instead)."""

    model_config = example(outcome="upheld", reason="Bukti capaian kuat", results="above",
                           behaviour="above")
    outcome: Outcome
    reason: Reason
    results: Rating | None = None
    behaviour: Rating | None = None
    skp_score: NumericScore | None = None
    behaviour_score: NumericScore | None = None

    def scores(self) -> dict[str, float] | None:
        """The new scores of a numeric result, as the domain takes them (None: none sent)."""
        if self.skp_score is None and self.behaviour_score is None:
            return None
        return {key: value for key, value in (("skp", self.skp_score),
                                              ("behaviour", self.behaviour_score))
                if value is not None}


class AuthorityIn(Body):
    """BKPP names who decides a keberatan: never someone who took part in the evaluation."""

    model_config = example(nip="196801012000031009",
                           reason="Atasan pejabat penilai duduk dalam tim penilai")
    nip: NIP
    reason: Reason


class ChecklistIn(Body):
    item: Item
    result: ChecklistResult
    note: Note = ""
    evidence: list[EvidenceIn] = Field(default=[], max_length=20)


class InspectionIn(Body):
    model_config = example(unit_code="DISDUKCAPIL", place="Loket pelayanan 1",
                           started_at="2024-03-12T02:00:00Z", checklist=[{
                               "item": "Antrian tertib", "result": "not_met",
                               "note": "Antrian menumpuk", "evidence": []}])
    unit_code: Code
    place: Line
    started_at: Annotated[AwareDatetime, Field(ge=datetime(FIRST_YEAR, 1, 1, tzinfo=timezone.utc),
                                               json_schema_extra={"pattern": MOMENT_PATTERN})]
    checklist: list[ChecklistIn] = Field(max_length=100)


class FindingIn(Body):
    model_config = example(description="Petugas tidak berada di loket", severity="major",
                           item="Antrian tertib", nips=["198001012005011001"])
    description: Text
    severity: Severity
    item: Item | None = None
    nips: list[NIP] = Field(default=[], max_length=50)


class FollowUpIn(Body):
    model_config = example(finding_id="2", action="Pasang nomor antrian", due="2024-04-01",
                           assignee_nip="197501012000031002")
    finding_id: Annotated[str, Field(pattern=r"^[0-9]{1,18}$")]
    action: RequiredNote
    due: Day
    assignee_nip: NIP | None = None


class ResolutionIn(Body):
    model_config = example(resolution="Nomor antrian sudah dipasang", evidence=[])
    resolution: Text
    evidence: list[EvidenceIn] = Field(default=[], max_length=20)


class EmptyIn(Body):
    """A command with nothing to say but that it is given."""

    model_config = example()


class CalendarIn(Body):
    """BKPP's calendar of a period (PeriodCalendar): its report window and deadlines."""

    model_config = example(report_opens="2025-01-02", report_due="2025-01-10",
                           rating_due="2025-01-31", decision_target="2025-03-31")
    report_opens: Day
    report_due: Day
    rating_due: Day
    decision_target: Day


class ExtensionIn(Body):
    """An extension by circular; whom it names: the whole period, a unit, or evaluations."""

    model_config = example(circular_number="800/12/BKPP", circular_date="2025-01-08",
                           report_due="2025-01-17", rating_due="2025-02-07", scope="unit",
                           unit_code="DISDUKCAPIL", evaluation_ids=[])
    circular_number: Annotated[str, Field(min_length=1, max_length=MAX_CODE)]
    circular_date: Day
    report_due: Day
    rating_due: Day
    scope: ExtensionScope = "period"
    unit_code: Code | None = None
    evaluation_ids: list[UUID] = Field(default_factory=list, max_length=10_000)
