"""For test_hostile_input.py: what every error answer must be, the schemathesis checks built on
it, who may call each operation, and the arranged store the hand-written attacks run against.

``answered_as_a_problem`` is the rule (RFC 9457 problem+json, a stable code, the status it
says); ``FuzzTally`` counts what the fuzzers sent and what came back; ``Arena`` is the World
of tests/api plus evaluations waiting at each stage whose free text a request can carry.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.policy import POLICY
from tests.api.routes import Route
from tests.api.support import ADMIN as ADMIN_TOKEN_HOLDER
from tests.api.support import Api, Caller
from tests.api.world import World
from tests.service.scenario import (
    ADMIN,
    WALIKOTA,
    Line,
    agreed_plans,
    reported,
    reporting_line,
)

PROBLEM = "application/problem+json"
CODE = re.compile(r"^[a-z][a-z0-9_]{2,48}$")
GENERIC = {"http_error", "internal_error"}  # a code that says nothing but "an error"


def answered_as_a_problem(status: int, content_type: str | None, body: Any) -> None:
    """An error answer: problem+json, with the status it was sent with and a stable code."""
    assert content_type == PROBLEM, f"{status} answered as {content_type}"
    assert isinstance(body, dict), body
    assert body.get("status") == status, body
    assert isinstance(body.get("code"), str) and CODE.match(body["code"]), body
    assert body["code"] not in GENERIC, body
    assert body.get("title") and body.get("detail") and body.get("type"), body


@dataclass
class FuzzTally:
    """What the fuzzers sent, by the class of the status that came back."""

    statuses: Counter = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def reached_a_handler(self) -> int:
        """Answers past parsing and authorisation: a success or a rule of the domain."""
        return sum(n for s, n in self.statuses.items() if s < 300 or s in (404, 409, 412))


def checks(tally: FuzzTally) -> list:
    """Every schemathesis check this suite applies to every response."""

    def problem_json(ctx, response, case) -> None:
        tally.statuses[response.status_code] += 1
        if response.status_code >= 400:
            answered_as_a_problem(response.status_code, response.headers.get(
                "content-type", [None])[0], response.json())

    def invalid_data_is_refused(ctx, response, case) -> bool | None:
        if response.status_code == 413:  # refused before it was read: too large to be valid
            return None
        return negative_data_rejection(ctx, response, case)

    return [not_a_server_error, status_code_conformance, content_type_conformance,
            response_headers_conformance, response_schema_conformance, invalid_data_is_refused,
            problem_json]


def caller_for(route: Route, world: World) -> tuple[str, str] | None:
    """(nip, role) of someone the policy lets call ``route`` on the world's records (the first
    role it lists, holding that role's first relationship); None for public routes."""
    if route.permission == "public":
        return None
    if route.permission == "authenticated":
        return world.line.asn, "asn"
    role, scopes = next(iter(POLICY[route.permission].items()))
    return world.holder(scopes[0]), role.value


def without_view_waits(document: dict) -> dict:
    """The document less the views' ``after`` (wait until the projections reach a position):
    no projection runs here, so any position ahead is a deliberate 503 after two seconds."""
    for methods in document["paths"].values():
        for operation in methods.values():
            operation["parameters"] = [p for p in operation.get("parameters", [])
                                       if not (p["in"] == "query" and p["name"] == "after")]
    return document


@dataclass
class Arena:
    """The World, an identity provider's key the service trusts, and three more lines whose
    evaluations wait for a plan (``opened``), a report (``agreed``) and a finalisation
    (``reported``: rated, with ``world.other.head`` on its team)."""

    world: World
    idp_key: Any  # Ed25519PrivateKey
    opened: UUID
    agreed: UUID
    reported: UUID
    lines: dict[str, Line]  # by the stage their evaluation waits at

    @classmethod
    def arrange(cls, api: Api, clock, idp_key: Any) -> Arena:
        world, k = World.arrange(api, clock), api.kinerja
        lines = {stage: reporting_line(k) for stage in ("opened", "agreed", "reported")}
        opened = k.open_evaluation(ADMIN, lines["opened"].asn, "2024", top_rater=WALIKOTA).id
        agreed = agreed_plans(k, lines["agreed"]).id
        done = reported(k, clock, lines["reported"]).id
        k.assign_team(ADMIN, done, [world.other.head])
        rater = lines["reported"].actor("rater", "reviewer")
        for dimension in ("results", "behaviour"):
            k.record_rating(rater, done, dimension, "meets", reason="sesuai bukti")
        return cls(world, idp_key, opened, agreed, done, lines)

    @property
    def api(self) -> Api:
        return self.world.api

    def worlds(self) -> list[World]:
        """The World, and the World as seen from each staged line (its evaluation, its
        people): path values and who holds which relationship to them."""
        stages = {"opened": self.opened, "agreed": self.agreed, "reported": self.reported}
        return [self.world, *(replace(self.world, line=self.lines[stage], evaluation=evaluation)
                              for stage, evaluation in stages.items())]

    def who(self, name: str) -> Caller:
        """A caller by what they are to the arranged records."""
        w = self.world
        nip, role = {
            "admin": (ADMIN_TOKEN_HOLDER, "admin"), "asn": (w.line.asn, "asn"),
            "stranger": (w.stranger, "asn"),
            "inspector": (w.inspector, "inspector"), "board": (w.line.head, "appeal_board"),
            "planner": (self.lines["opened"].asn, "asn"),
            "reporter": (self.lines["agreed"].asn, "asn"),
            "team": (w.other.head, "reviewer"),
            "rater": (self.lines["reported"].rater, "reviewer")}[name]
        return self.api.as_(nip, role)

    def path(self, template: str) -> str:
        w = self.world
        return template.format(
            evaluation=w.evaluation, keberatan=w.keberatan, inspection=w.inspection,
            follow_up=w.follow_up, unit=w.line.unit, asn=w.line.asn, opened=self.opened,
            agreed=self.agreed, reported=self.reported,
            unit_id=self.api.kinerja.unit(w.line.unit).id)

    def written(self) -> tuple[int, int]:
        """The log's head and the ledger's size: both unchanged means nothing was written."""
        return self.api.position(), self.api.kinerja.ledger.size()
