"""A person's access log: every journaled look at their file (UU PDP 27/2022's right of access;
docs/ACCESS-LOG.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from api.deps import ReadAccess
from api.policy import Subject
from api.problems import ProblemError
from api.routes import READ, permission
from api.schemas_in import NIP
from domain.base import WIB
from service.access_journal import GRANTED

router = APIRouter(tags=["employees"])
FLUSH_SECONDS = 5.0  # how long a reader waits for the looks queued before theirs
Before = Annotated[int | None, Query(ge=1, le=2**62, description=(
    "Show looks older than this one (a `seq`; the previous page's `next_before`)."))]
Limit = Annotated[int, Query(ge=1, le=200, description="At most this many looks per page.")]


class Look(BaseModel):
    """One look at the file: who (NIP or system identity), as what role, when (WIB), the
    outcome (refused: the policy turned them away), what they read, and why, if they said."""

    seq: int
    at: datetime
    actor: str
    role: str
    outcome: Literal["granted", "refused"]
    what: str
    record_id: str | None
    reason: str | None
    request_id: str | None


class AccessLog(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "nip": "199001012015031001", "next_before": None, "looks": [{
            "seq": 812, "at": "2025-02-03T10:15:00+07:00", "actor": "197501012000031002",
            "role": "auditor", "outcome": GRANTED, "what": "/evaluations/{evaluation_id}",
            "record_id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b",
            "reason": "Sampel audit kinerja 2024", "request_id": "9f1c…"}]}]})
    nip: str
    looks: list[Look]  # newest first
    next_before: int | None  # pass as ?before= for the next (older) page; None: no more


@router.get("/employees/{nip}/access-log", response_model=AccessLog,
            responses=READ,  # and 400, 503: declared for every journaled read (api/journal.py)
            openapi_extra=permission("access_log.read"))
def access_log(nip: NIP, caller: ReadAccess, before: Before = None, limit: Limit = 50
               ) -> AccessLog:
    """Every look at this person's file, newest first, this read included from the next one
    on. Looks refused by the policy are listed too (outcome `refused`)."""
    employee = caller.app.employee(nip)
    caller.authorise("access_log.read", Subject(nip=employee.nip))
    journal = caller.services.journal
    if not journal.flush(FLUSH_SECONDS):  # the looks made before this read, all of them
        raise ProblemError(503, "journal_behind", "the access journal is catching up; retry"
                                                  " shortly", retry_after=1)
    rows = journal.page(employee.nip, before=before, limit=limit + 1)
    looks = [_look(row) for row in rows[:limit]]
    return AccessLog(nip=employee.nip, looks=looks,
                     next_before=looks[-1].seq if len(rows) > limit else None)


def _look(row) -> Look:
    """A journal row as the person reads it: the moment, stored in UTC, shown in WIB."""
    at = datetime.fromisoformat(row["at"]).astimezone(WIB)
    return Look.model_validate({**dict(row), "at": at})
