"""Who may do what, in one table: by role, and by relationship to the record at hand.

Each route names one permission. A user may act when their role is listed for it and, for that
role, at least one of the listed relationships holds between them and the record (a
``Subject``). The domain checks its own rules on top (e.g. only the supervisor on the day
rates); this table is the first gate, and tests walk every route against every role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    ASN = "asn"
    REVIEWER = "reviewer"  # a direct supervisor, or a member of a supervisory team
    INSPECTOR = "inspector"  # the civil-service agency (BKD/BKPP) inspector
    APPEAL_BOARD = "appeal_board"  # Atasan Pejabat Penilai deciding keberatan
    AUDITOR = "auditor"
    ADMIN = "admin"


class Scope(StrEnum):
    ANY = "any"  # no relationship needed
    SELF = "self"  # the record is the user's own (their evaluation, keberatan, file)
    SUPERVISOR = "supervisor"  # the user is the ASN's direct supervisor today
    TEAM = "team"  # the user sits on the evaluation's supervisory team
    RATER = "rater"  # the user is the evaluation's rater (who finalised, or named at opening)
    AUTHORITY = "authority"  # the user decides this keberatan
    ASSIGNEE = "assignee"  # the follow-up is assigned to the user


@dataclass(frozen=True)
class Subject:
    """What matters about a record for authorisation; unset fields never match."""

    nip: str | None = None
    supervisor: str | None = None
    team: frozenset[str] = field(default_factory=frozenset)
    rater: str | None = None
    authority: str | None = None
    assignees: frozenset[str] = field(default_factory=frozenset)
    # An evaluation's keberatan authority costs a read: looked up only when a scope asks.
    authority_lookup: Callable[[], str | None] | None = field(default=None, compare=False)

    def related(self, scope: Scope, nip: str) -> bool:
        if scope is Scope.AUTHORITY:
            authority = self.authority_lookup() if self.authority_lookup else self.authority
            return authority is not None and nip == authority
        return {
            Scope.ANY: True,
            Scope.SELF: nip == self.nip,
            Scope.SUPERVISOR: nip == self.supervisor,
            Scope.TEAM: nip in self.team,
            Scope.RATER: nip == self.rater,
            Scope.ASSIGNEE: nip in self.assignees,
        }[scope]


R = Role
S = Scope
Scopes = dict[Role, tuple[Scope, ...]]  # a permission's roles, each with its relationships
EVERYONE: Scopes = {role: (S.ANY,) for role in Role}

POLICY: dict[str, Scopes] = {
    # organisation: admins manage it; everyone signed in may look units up
    "units.read": EVERYONE,
    "units.write": {R.ADMIN: (S.ANY,)},
    # the penetapan of an OPD's predikat: the official above its head, not an admin
    "units.penetapan": {R.REVIEWER: (S.SUPERVISOR,)},
    "employees.read": {R.ADMIN: (S.ANY,), R.AUDITOR: (S.ANY,), R.INSPECTOR: (S.ANY,),
                       R.APPEAL_BOARD: (S.ANY,), R.REVIEWER: (S.SELF, S.SUPERVISOR),
                       R.ASN: (S.SELF,)},
    "employees.write": {R.ADMIN: (S.ANY,)},
    # leave and inactive periods, by decree: BKPP (its admins and inspectors) records them
    "leave.write": {R.ADMIN: (S.ANY,), R.INSPECTOR: (S.ANY,)},
    # who looked at a person's file (UU PDP 27/2022's right of access): the person, whatever
    # role their token holds, and those who answer for the journal
    "access_log.read": {**{role: (S.SELF,) for role in Role}, R.ADMIN: (S.ANY,),
                        R.AUDITOR: (S.ANY,)},
    # evaluations
    # need to know: an appeal-board member reads the files of the cases they decide
    "evaluations.read": {R.ASN: (S.SELF,), R.REVIEWER: (S.SUPERVISOR, S.TEAM, S.RATER),
                         R.APPEAL_BOARD: (S.AUTHORITY,), R.AUDITOR: (S.ANY,),
                         R.ADMIN: (S.ANY,)},
    "evaluations.open": {R.ADMIN: (S.ANY,)},
    "plans.draft": {R.ASN: (S.SELF,)},
    "plans.agree": {R.REVIEWER: (S.SUPERVISOR, S.RATER)},
    # a revision of the agreed SKP is agreed by the rater who makes it
    "plans.revise": {R.REVIEWER: (S.SUPERVISOR, S.RATER)},
    "feedback.give": {R.REVIEWER: (S.SUPERVISOR, S.RATER)},  # per line, on the report
    "reports.submit": {R.ASN: (S.SELF,)},
    "ratings.write": {R.REVIEWER: (S.SUPERVISOR, S.RATER)},  # the rater: top of a line
    "comments.write": {R.ASN: (S.SELF,), R.REVIEWER: (S.SUPERVISOR, S.TEAM, S.RATER)},
    "teams.assign": {R.ADMIN: (S.ANY,), R.REVIEWER: (S.SUPERVISOR,)},
    "teams.review": {R.REVIEWER: (S.TEAM,)},
    "evaluations.finalise": {R.REVIEWER: (S.SUPERVISOR, S.RATER)},
    # keberatan: the ASN files, both sides explain, the authority decides
    # the result reaches the ASN (the keberatan window runs from then): they open or
    # acknowledge it, or an admin records the notice delivered to them
    "results.acknowledge": {R.ASN: (S.SELF,)},
    "results.notify": {R.ADMIN: (S.ANY,)},
    "keberatan.file": {R.ASN: (S.SELF,)},
    "keberatan.read": {R.ASN: (S.SELF,), R.REVIEWER: (S.RATER,),
                       R.APPEAL_BOARD: (S.AUTHORITY,), R.AUDITOR: (S.ANY,), R.ADMIN: (S.ANY,)},
    "keberatan.explain": {R.ASN: (S.SELF,), R.REVIEWER: (S.RATER,),
                          R.APPEAL_BOARD: (S.AUTHORITY,)},
    "keberatan.decide": {R.APPEAL_BOARD: (S.AUTHORITY,)},
    # BKPP names who decides when no one up the line is free of the case (no one judges their
    # own case: the domain refuses anyone who took part)
    "keberatan.assign": {R.ADMIN: (S.ANY,)},
    # inspections by the agency's inspectors; the assignee resolves a follow-up
    "inspections.read": {R.INSPECTOR: (S.ANY,), R.AUDITOR: (S.ANY,), R.ADMIN: (S.ANY,)},
    "inspections.write": {R.INSPECTOR: (S.ANY,)},
    "inspections.resolve": {R.INSPECTOR: (S.ANY,), R.REVIEWER: (S.ASSIGNEE,)},
    # the findings that name an ASN: theirs to read, and their supervisor's
    # (an appeal board reads those of its cases in the evaluation's timeline)
    "findings.read": {R.ASN: (S.SELF,), R.REVIEWER: (S.SELF, S.SUPERVISOR), R.INSPECTOR: (S.ANY,),
                      R.AUDITOR: (S.ANY,), R.ADMIN: (S.ANY,)},
    # the ledger: leaves carry event state (personal data); hashes and checkpoints are public
    "ledger.read": {R.AUDITOR: (S.ANY,), R.ADMIN: (S.ANY,)},
    # each period's calendar: BKPP (the agency, as its inspectors) sets it, extends it by
    # circular and closes the period; everyone signed in may read the deadlines
    "calendars.read": EVERYONE,
    "calendars.write": {R.INSPECTOR: (S.ANY,)},
    # SKM survey responses are recorded by the agency
    "surveys.write": {R.ADMIN: (S.ANY,), R.INSPECTOR: (S.ANY,)},
    # views (projections)
    "views.summary": {R.ADMIN: (S.ANY,), R.AUDITOR: (S.ANY,)},
    "views.history": {R.ASN: (S.SELF,), R.REVIEWER: (S.SUPERVISOR,), R.ADMIN: (S.ANY,),
                      R.AUDITOR: (S.ANY,)},
    "views.queue": {R.REVIEWER: (S.SELF,), R.ADMIN: (S.ANY,)},
    "views.employees": {R.ADMIN: (S.ANY,), R.AUDITOR: (S.ANY,), R.INSPECTOR: (S.ANY,),
                        R.APPEAL_BOARD: (S.ANY,), R.REVIEWER: (S.SELF,)},  # SELF: own staff
    "views.dashboard": {R.ADMIN: (S.ANY,), R.AUDITOR: (S.ANY,), R.APPEAL_BOARD: (S.ANY,),
                        R.REVIEWER: (S.ANY,), R.INSPECTOR: (S.ANY,)},
    "views.inspections": {R.INSPECTOR: (S.ANY,), R.ADMIN: (S.ANY,), R.AUDITOR: (S.ANY,)},
    # an appeal-board member's list holds only the cases they decide (routes/views.py)
    "views.appeals": {R.APPEAL_BOARD: (S.ANY,), R.ADMIN: (S.ANY,), R.AUDITOR: (S.ANY,)},
    "views.fairness": {R.ADMIN: (S.ANY,), R.AUDITOR: (S.ANY,), R.APPEAL_BOARD: (S.ANY,)},
    "views.skm": EVERYONE,
    # replay: the appeal board (its cases) and auditors reconstruct history, the ASN their
    # own; nobody writes through it
    "replay.read": {R.ASN: (S.SELF,), R.APPEAL_BOARD: (S.AUTHORITY,), R.AUDITOR: (S.ANY,),
                    R.ADMIN: (S.ANY,)},
}


def allowed_role(permission: str, role: Role) -> bool:
    return role in POLICY[permission]


def allowed(permission: str, role: Role, nip: str, subject: Subject | None) -> bool:
    scopes = POLICY[permission].get(role, ())
    if subject is None:
        return S.ANY in scopes
    return any(subject.related(scope, nip) for scope in scopes)
