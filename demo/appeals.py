"""Keberatan in the demo: the result received, a keberatan filed within the window from then,
explained by both sides, decided with reasons.

PP 30/2019 art. 59: the ASN objects to the Atasan Pejabat Penilai, who hears the rater and the
ASN and decides, finally. An upheld keberatan sets new ratings, which the Application carries
into the evaluation as an ``OutcomeCorrected`` event. A "pending" keberatan is filed and
explained, and its decision falls after the demo's day: the appeal board has it waiting.
"""

from __future__ import annotations

from uuid import UUID

from demo.agenda import Demo
from demo.cycle import Story, asn, evaluation_of, receive, reviewer
from demo.words import ASN_EXPLANATIONS, DECISIONS, GROUNDS, RATER_EXPLANATIONS
from service.core import Actor

FILED_AFTER_RECEIPT = 3  # days: a pending keberatan is filed this long after the result came


def receive_and_object(demo: Demo, story: Story) -> None:
    """The ASN opens the result, and files a keberatan some days later, within the window."""
    receive(demo, story)
    demo.later(FILED_AFTER_RECEIPT, "keberatan", lambda: _file(demo, story))


def file_keberatan(demo: Demo, story: Story) -> None:
    """The ASN acknowledges the result, then files on it within the window that opens."""
    receive(demo, story)
    _file(demo, story)


def _file(demo: Demo, story: Story) -> None:
    appeal = demo.call(demo.app.file_keberatan, asn(story.nip),
                       evaluation_of(demo, story.nip, story.period), demo.rng.choice(GROUNDS))
    authority = Actor(appeal.authority_nip, "appeal_board")
    rater = reviewer(appeal.rater_nip)  # who rated, though the line may have changed since
    demo.later(demo.rng.randint(2, 3), "keberatan",
               lambda: _hear(demo, story, appeal.id, rater, authority))


def _hear(demo: Demo, story: Story, appeal: UUID, rater: Actor, authority: Actor) -> None:
    """The authority asks both sides to explain, then decides some days later."""
    rng = demo.rng
    demo.call(demo.app.record_explanation, rater, appeal, "rater",
              rng.choice(RATER_EXPLANATIONS))
    demo.call(demo.app.record_explanation, asn(story.nip), appeal, "asn",
              rng.choice(ASN_EXPLANATIONS))
    if story.keberatan != "pending":
        demo.later(rng.randint(3, 5), "keberatan", lambda: _decide(demo, story, appeal, authority))


def _decide(demo: Demo, story: Story, appeal: UUID, authority: Actor) -> None:
    outcome = story.keberatan
    assert outcome is not None  # only a story with a keberatan files one (demo.year)
    results, behaviour = corrected(story) if outcome == "upheld" else (None, None)
    demo.call(demo.app.decide_keberatan, authority, appeal, outcome,
              reason=DECISIONS[outcome], results=results, behaviour=behaviour)


def corrected(story: Story) -> tuple[str, str]:
    """What an upheld keberatan sets: what was below becomes meets; else both become above."""
    if "below" not in (story.results, story.behaviour):
        return "above", "above"
    return _met(story.results), _met(story.behaviour)


def _met(rating: str) -> str:
    return "meets" if rating == "below" else rating
