"""Domain errors: one base class, each with a stable machine-readable ``code``."""

from __future__ import annotations


class DomainError(Exception):
    """A command broke a rule of the domain; nothing was recorded."""

    code = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(DomainError):
    """No record with that id (or not of the kind asked for)."""

    code = "not_found"


class InvalidNIPError(DomainError):
    code = "invalid_nip"


class InvalidValueError(DomainError):
    code = "invalid_value"


class InvalidPeriodError(DomainError):
    code = "invalid_period"


class InvalidStateError(DomainError):
    """The command does not fit the aggregate's current stage."""

    code = "invalid_state"


class ReasonRequiredError(DomainError):
    code = "reason_required"


class NotAllowedError(DomainError):
    """The actor may not do this (a domain rule, not an authentication failure)."""

    code = "not_allowed"


class DeadlinePassedError(DomainError):
    code = "deadline_passed"


class FinalisedError(DomainError):
    """Only an appeal decision may change a finalised evaluation."""

    code = "evaluation_finalised"


class AlreadyRatedError(DomainError):
    code = "already_rated"


class NotRatedError(DomainError):
    code = "not_rated"


class RatingUnchangedError(DomainError):
    code = "rating_unchanged"


class SupervisorPlanMissingError(DomainError):
    code = "supervisor_plan_missing"


class UnknownReferenceError(DomainError):
    """A command names something (a plan line, a finding, a comment) that does not exist."""

    code = "unknown_reference"


class NoRuleSetError(DomainError):
    code = "no_rule_set"


class AsnTypeMismatchError(DomainError):
    """The ASN type given is not the one the NIP or NI PPPK's layout says."""

    code = "asn_type_mismatch"


class UnknownElementError(DomainError):
    """An SKM response names something that is not one of the nine elements."""

    code = "unknown_skm_element"


class MissingElementError(DomainError):
    """An SKM response leaves out one of the nine elements."""

    code = "missing_skm_element"


class CurveDepartureReasonRequiredError(DomainError):
    """The finalisation would depart from the OPD's distribution pattern and says not why."""

    code = "curve_departure_reason_required"


class ResultAlreadyReceivedError(DomainError):
    """The first receipt of a result starts the keberatan window; a later one cannot move it."""

    code = "result_already_received"


class DecisionLowersResultError(DomainError):
    """A keberatan decision may raise the result or leave it; never lower it."""

    code = "decision_lowers_result"


class DecisionNotRaisedError(DomainError):
    """An upheld keberatan raises the predikat; a partly upheld one at least one rating."""

    code = "decision_not_raised"


class ScoreOutOfRangeError(DomainError):
    """A PP 30/2019 score below 0 or above the scale's ceiling (120)."""

    code = "score_out_of_range"


class ImportYearError(DomainError):
    """A historical record for a year its rule set did not score."""

    code = "import_year_out_of_range"


class PeriodClosedError(DomainError):
    """BKPP has closed the period: nothing more is accepted for it, late or not."""

    code = "period_closed"


class ReportWindowNotOpenError(DomainError):
    """A report before the day BKPP's calendar opens the report window."""

    code = "report_window_not_open"


class PeriodNotEndedError(DomainError):
    """A report or a finalisation before the period it is about has ended."""

    code = "period_not_ended"


class ExtensionShortensError(DomainError):
    """An extension moves a deadline later, never earlier than the calendar set it."""

    code = "extension_shortens"


class ConflictOfInterestError(DomainError):
    """Whoever took part in an evaluation cannot decide its keberatan (no one judges their own
    case)."""

    code = "conflict_of_interest"


class LeaveOverlapsError(DomainError):
    """A leave or inactive period of an ASN overlaps one already recorded."""

    code = "leave_overlaps"


class ExcusedError(DomainError):
    """The evaluation is excused (its whole period was without service): nothing more is
    recorded on it."""

    code = "evaluation_excused"


class SkpNotAgreedError(DomainError):
    """A periodic evaluation evaluates the year's SKP: there is none agreed to adopt yet."""

    code = "skp_not_agreed"


class PlanIsAnnualSkpError(DomainError):
    """A periodic evaluation's plan is the year's SKP: it is drafted and revised there."""

    code = "plan_is_annual_skp"


class FinalPeriodNotFinalisedError(DomainError):
    """The annual predikat is the final period's: that evaluation is not finalised yet."""

    code = "final_period_not_finalised"


class InvalidAccessReasonError(DomainError):
    """A stated reason for opening a file is too long, or is control or invisible text."""

    code = "invalid_access_reason"


class JournalUnavailableError(DomainError):
    """The access journal cannot take another look now: the read is refused rather than made
    without its record."""

    code = "journal_unavailable"
