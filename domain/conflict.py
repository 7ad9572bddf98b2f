"""No one judges their own case: who took part in an evaluation, and who may decide on it.

A keberatan is decided by the Atasan Pejabat Penilai (PP 30/2019 art. 59). Natural justice, and
UU 30/2014 on conflicts of interest (Pasal 42-43: an official with a conflict of interest may not
decide), add that whoever took part in the result cannot sit in judgement of it: the ASN, anyone
who rated or revised a rating, finalised it, sat on its supervisory team or wrote a team review.
Such an authority passes the case to the next one up the reporting line; with none left, BKPP
assigns one. The record says who was passed over and why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from domain.evaluation import Evaluation
from domain.state import PassedOverState as PassedOver

# How each kind of event involves people in the evaluation: (nip, how) pairs.
Involving = Callable[[Any], Iterable[tuple[str, str]]]
INVOLVING: Mapping[type, Involving] = {
    Evaluation.Opened: lambda e: [(e.nip, "the evaluated ASN")],
    Evaluation.HistoryImported: lambda e: [(e.nip, "the evaluated ASN"),
                                           *([(e.rater_nip, "rated it")] if e.rater_nip else [])],
    Evaluation.RatingRecorded: lambda e: [(e.actor, "rated it")],
    Evaluation.RatingRevised: lambda e: [(e.actor, "revised a rating")],
    Evaluation.Finalised: lambda e: [(e.actor, "finalised it")],
    Evaluation.TeamAssigned: lambda e: [(nip, "sat on its supervisory team")
                                        for nip in e.members],
    Evaluation.TeamReviewRecorded: lambda e: [(e.actor, "wrote a team review")],
}


def involvement(events: Iterable[object]) -> dict[str, list[str]]:
    """Each person who took part in the evaluation these events record, with how (in order,
    without repeats)."""
    involved: dict[str, list[str]] = {}
    for event in events:
        for nip, how in _involving(event):
            ways = involved.setdefault(nip, [])
            if how not in ways:
                ways.append(how)
    return involved


def impartial(chain: Iterable[str], involved: Mapping[str, list[str]]
              ) -> tuple[str | None, list[PassedOver]]:
    """The first authority up ``chain`` (the Atasan Pejabat Penilai, then each one's
    supervisor) who took no part, and those passed over on the way; None when every one took
    part (then BKPP assigns one)."""
    passed: list[PassedOver] = []
    for nip in chain:
        if nip not in involved:
            return nip, passed
        passed.append({"nip": nip, "why": "; ".join(involved[nip])})
    return None, passed


def _involving(event: object) -> Iterable[tuple[str, str]]:
    for kind in type(event).__mro__:
        if kind in INVOLVING:
            return INVOLVING[kind](event)
    return ()
