"""The state of each aggregate, declared once: what its events' ``apply`` bodies assign.

Each aggregate inherits its ``*State`` class, so its attributes are typed where they are read;
the nested JSON values it holds are ``TypedDict``s. The API derives its response models from
these declarations (``api/derive.py``), and ``tests/domain/test_state.py`` checks that each
declaration names exactly the keys a snapshot of the aggregate holds.

The state classes carry annotations only: the library makes an aggregate a dataclass, and
annotations on the aggregate itself would become parameters of its ``__init__``; a plain base
class lends its annotations to type checkers without that. Dates and times are ISO text here,
as every value is JSON (``domain/base.py``).
"""


from typing import NotRequired, TypedDict  # evaluated at once: NotRequired is seen only so


class EvidenceJSON(TypedDict):
    """A ``values.Evidence`` as the state keeps it."""

    uri: str
    sha256: str


class PlanLineJSON(TypedDict):
    """A ``values.PlanLine`` as the state keeps it."""

    id: str
    kind: str
    supports: str
    rhk: str
    aspect: str
    indicator: str
    target: str


class RealisationJSON(TypedDict):
    """A ``values.Realisation`` as the state keeps it."""

    line_id: str
    value: str
    note: str


class ChecklistJSON(TypedDict):
    """A ``values.ChecklistResult`` as the state keeps it."""

    item: str
    result: str
    note: str
    evidence: list[EvidenceJSON]


# ---- Unit and Employee ------------------------------------------------------------------

class UnitState:
    code: str
    name: str
    parent_id: str | None
    service_standard: list[str]
    org_predikat: dict[str, str]  # period (a year's key: annual) -> organisation predikat


# "from" is a keyword, hence the functional form.
PostingState = TypedDict("PostingState", {
    "from": str, "unit_id": str, "position": str, "is_unit_head": bool})
LineEntryState = TypedDict("LineEntryState", {
    "from": str, "supervisor_id": str | None, "supervisor_nip": str | None})


class ContractState(TypedDict):
    """A PPPK's contract period (perjanjian kerja), ISO dates."""

    start: str
    end: str


class ActingState(TypedDict):
    """A Plt/Plh tenure: who acts as this ASN's direct supervisor, from start to end (both
    days included), and by which appointment letter (surat perintah). ISO dates."""

    kind: str  # Plt (the post is vacant) or Plh (its holder is temporarily absent)
    acting_id: str
    acting_nip: str
    start: str
    end: str
    letter_number: str
    letter_date: str


class LeaveState(TypedDict):
    """A leave or inactive period (cuti besar, CLTN, tugas belajar, pemberhentian sementara):
    the ASN does not serve from start to end (both days included), under a decree (SK). ISO
    dates."""

    kind: str  # domain.organisation.LEAVE_KINDS
    start: str
    end: str
    decree_number: str
    decree_date: str


class ActingCapacity(TypedDict):
    """The capacity of an act by a Plt/Plh, written on the act: the tenure it fell in (its
    kind, appointment letter and days, ISO dates) and whom the acting official stood in for
    (the atasan langsung by the line that day; None: none on the line, a vacant post)."""

    kind: str  # Plt or Plh
    letter_number: str
    letter_date: str
    start: str
    end: str
    in_place_of: str | None  # a NIP


# An ActingCapacity as an event's field: events are read back through pydantic (ledger/codec.py),
# which on Python 3.11 reads no typing.TypedDict.
ActingJSON = dict[str, str | None]


class EmployeeState:
    nip: str
    name: str
    employment_type: str  # the ASN type: PNS, PPPK or PPPK paruh waktu (domain.asn.ASN_TYPES)
    golongan: str | None  # a PNS's golongan ruang (III/a); None for a PPPK or when not given
    pangkat: str | None  # its pangkat (Penata Muda)
    contract: ContractState | None  # a PPPK's contract period; None for a PNS
    postings: list[PostingState]  # ordered by date
    reporting_line: list[LineEntryState]  # ordered by date
    acting: list[ActingState]  # Plt/Plh tenures, ordered as appointed; never overlapping
    leave: list[LeaveState]  # leave and inactive periods, ordered by start; never overlapping


# ---- Evaluation -------------------------------------------------------------------------

class SkpRefState(TypedDict):
    """The annual SKP a periodic evaluation evaluates: its record, period and version."""

    evaluation_id: str
    period: str
    version: int  # of the annual evaluation's event that agreed or last revised the SKP


class PlanRevisionState(TypedDict):
    """One revision of an agreed SKP (``REVISION_CAUSES``), agreed by the rater on the day."""

    cause: str
    reason: str
    by: str
    at: str
    version: int


class PlanState(TypedDict):
    type: str
    lines: list[PlanLineJSON]
    behaviour_expectations: dict[str, str]
    drafted_version: int
    agreed_version: int | None  # the agreement in force: the last revision's, once revised
    # A periodic evaluation's plan is the year's SKP, adopted (absent on one with its own plan,
    # as periodic evaluations had before the annual SKP).
    skp: NotRequired[SkpRefState]
    revisions: NotRequired[list[PlanRevisionState]]  # an annual SKP's, once revised
    agreed_acting: NotRequired[ActingCapacity]  # only when a Plt/Plh agreed it


class LineEvidenceJSON(TypedDict):
    """A ``values.LineEvidence`` as the state keeps it."""

    uri: str
    sha256: str
    # None: evidence of the report as a whole. Absent in snapshots taken before evidence named
    # its line (none of those named one).
    line_id: NotRequired[str | None]


class FeedbackState(TypedDict):
    """The rater's feedback (umpan balik) on one line's realisation: words, never a rating."""

    text: str
    by: str
    at: str
    version: int


class ReportState(TypedDict):
    realisations: list[RealisationJSON]
    achievements: str
    challenges: str
    next_plan: str
    evidence: list[LineEvidenceJSON]
    version: int
    feedback: NotRequired[dict[str, FeedbackState]]  # by plan line id, the latest of each


class RatingState(TypedDict):
    rating: str
    by: str
    basis: str
    details: dict[str, str]
    late: bool
    version: int  # of the event that recorded or last revised it
    revisions: int
    at: str
    acting: NotRequired[ActingCapacity]  # only on a rating by a Plt/Plh, in that capacity


class TeamReviewState(TypedDict):
    by: str
    recommendation: str
    note: str
    version: int


class NumericOutcome(TypedDict):
    """How a PP 30/2019 (numeric) outcome was scored, as its source document gives it."""

    skp: float
    behaviour: float
    skp_weight: float  # 0.7, or 0.6 with peer and subordinate input (art. 41)
    peer_input: bool
    new_idea: bool  # the innovation Sangat Baik requires
    score: float  # the weighted outcome, 0-120
    source_ref: str


class OutcomeState(TypedDict):
    predikat: str
    rule_version: str
    results: str
    behaviour: str
    by: str
    at: str
    version: int
    keberatan_id: NotRequired[str]  # only on an outcome an upheld keberatan set
    from_period: NotRequired[str]  # an annual outcome taken from its final period's evaluation
    numeric: NotRequired[NumericOutcome]  # only on an imported PP 30/2019 outcome
    acting: NotRequired[ActingCapacity]  # only on one a Plt/Plh finalised or decided


class ReceiptState(TypedDict):
    """The first receipt of the result: it starts the keberatan window (PP 30/2019 art. 59)."""

    how: str  # RECEIPT_WAYS: the ASN opened or acknowledged it, or a notice was delivered
    notice_ref: str | None  # the delivered notice's reference
    by: str
    at: str
    received_on: str  # the day of receipt in Asia/Jakarta: day 0 of the window
    keberatan_until: str  # the last day (Asia/Jakarta) a keberatan is filed in time
    version: int


class InactiveSpanState(TypedDict):
    """The part of an evaluation's period that a leave or inactive period covers (the leave
    clipped to the period), and the decree it comes from. ISO dates, both days included."""

    kind: str
    start: str
    end: str
    decree_number: str


class PreviousRaterState(TypedDict):
    """Who rated the evaluation before a mid-year transfer moved it, in which unit, until
    which day (the day before the transfer took effect), and the SKP's hand-over note."""

    nip: str | None
    unit_id: str | None
    until: str
    handover_note: str


class CommentEntry(TypedDict):
    """One comment of the thread, read from its event (not state: ``Evaluation`` says why)."""

    id: int  # the version of the event that added it
    by: str
    role: str
    text: str
    in_reply_to: int | None
    at: str


class EvaluationState:
    employee_id: str
    nip: str
    period: str
    unit_id: str | None
    rater_nip: str | None
    is_unit_head: bool
    report_due: str
    rating_due: str
    stage: str
    plan: PlanState | None
    report: ReportState | None
    ratings: dict[str, RatingState]  # by dimension
    comment_ids: list[int]  # the thread itself: the application's ``comments``
    team: list[str]
    team_reviews: list[TeamReviewState]
    outcome: OutcomeState | None
    corrections: list[OutcomeState]  # earlier outcomes, oldest first
    receipt: ReceiptState | None  # None until the ASN has the finalised result
    inactive: list[InactiveSpanState]  # the period's days without service, in order of time
    active_days: int | None  # days served in the period once leave shortened it (0: excused);
    # None: no leave falls in the period
    previous_raters: list[PreviousRaterState]  # before each mid-year transfer, oldest first


# ---- Keberatan --------------------------------------------------------------------------

class ExplanationState(TypedDict):
    party: str
    by: str
    text: str
    at: str


class DecisionState(TypedDict):
    outcome: str
    results: str | None
    behaviour: str | None
    overdue: bool
    by: str
    reason: str
    at: str
    version: int
    acting: NotRequired[ActingCapacity]  # only when a Plt/Plh decided it, in that capacity
    scores: NotRequired[dict[str, float]]  # a PP 30/2019 result raised: its new scores


class PassedOverState(TypedDict):
    nip: str
    why: str


class KeberatanState:
    evaluation_id: str
    nip: str
    rater_nip: str | None
    authority_nip: str | None  # None until BKPP assigns one, when everyone in line took part
    passed_over: list[PassedOverState]
    grounds: str
    predikat: str
    decision_due: str
    filed_at: str
    explanations: list[ExplanationState]
    decision: DecisionState | None


# ---- Inspection -------------------------------------------------------------------------

class FindingState(TypedDict):
    item: str | None
    description: str
    severity: str
    employee_ids: list[str]
    at: str


class ResolutionState(TypedDict):
    text: str
    evidence: list[EvidenceJSON]
    by: str
    at: str


class FollowUpState(TypedDict):
    finding_id: str
    action: str
    due: str
    assignee_nip: str | None
    assigned_at: str
    resolution: ResolutionState | None


class InspectionState:
    unit_id: str
    place: str
    started_at: str
    inspector: str
    checklist: list[ChecklistJSON]
    findings: dict[str, FindingState]  # by the version of the event that recorded it
    follow_ups: dict[str, FollowUpState]  # likewise
    closed: bool


# ---- Survey -----------------------------------------------------------------------------

class SurveyState:
    unit_id: str
    period: str
    totals: list[int]  # sum of the answers, per element in domain.skm.ELEMENTS order
    counts: list[int]  # number of answers, per element
    responses: int


# ---- PeriodCalendar ---------------------------------------------------------------------

class ExtensionState(TypedDict):
    """One extension by circular (surat edaran), ISO dates; whom it names by ``scope``."""

    circular_number: str
    circular_date: str
    report_due: str
    rating_due: str
    scope: str  # "period", "unit" or "evaluations"
    unit_id: str | None
    evaluation_ids: list[str]


class PeriodCalendarState:
    period: str
    report_opens: str
    report_due: str
    rating_due: str
    decision_target: str
    extensions: list[ExtensionState]
    closed: bool
