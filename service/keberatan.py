"""Use cases for keberatan: the result received, filed by the ASN, explained by both sides,
decided with finality."""

from __future__ import annotations

from datetime import date
from typing import Unpack, cast
from uuid import UUID

from domain.conflict import involvement
from domain.errors import NotFoundError
from domain.evaluation import Evaluation
from domain.keberatan import Keberatan, keberatan_id
from domain.state import ActingCapacity
from service.core import Actor, RequestOptions
from service.organisation import OrganisationUseCases

MAX_LINE_DEPTH = 12  # more levels than any city's reporting line; a guard against loops


class KeberatanUseCases(OrganisationUseCases):
    def acknowledge_result(self, actor: Actor, evaluation: UUID, how: str = "acknowledged",
                           **request: Unpack[RequestOptions]) -> Evaluation:
        """The ASN opened or acknowledged their result: the keberatan window starts today."""
        return self.change(actor, evaluation, Evaluation, request, Evaluation.receive_result,
                           how, self.rules)

    def record_notice_delivered(self, actor: Actor, evaluation: UUID, notice_ref: str,
                                **request: Unpack[RequestOptions]) -> Evaluation:
        """A notice of the result was delivered to the ASN (recorded by who delivered it)."""
        return self.change(actor, evaluation, Evaluation, request, Evaluation.receive_result,
                           "notice", self.rules, notice_ref)

    def file_keberatan(self, actor: Actor, evaluation: UUID, grounds: str,
                       **request: Unpack[RequestOptions]) -> Keberatan:
        meta = self.meta(actor, request)
        subject = self.load(evaluation, Evaluation)
        keberatan = Keberatan.file(meta, subject, grounds, chain=self._authorities(subject),
                                   involved=self.involvement(evaluation), rules=self.rules)
        return self.create(keberatan, "a keberatan is already filed on this evaluation", request)

    def assign_keberatan_authority(self, actor: Actor, keberatan: UUID, nip: str, *,
                                   reason: str, **request: Unpack[RequestOptions]) -> Keberatan:
        """BKPP names who decides (the case's own line is not free of it, or cannot act)."""
        self.employee(nip)  # a registered ASN
        meta = self.meta(actor, request, reason)
        record = self.to_change(keberatan, Keberatan, request)
        record.assign_authority(meta, nip, self.involvement(UUID(record.evaluation_id)))
        return self.save_changed(meta, request, record)

    def record_explanation(self, actor: Actor, keberatan: UUID, party: str, text: str,
                           **request: Unpack[RequestOptions]) -> Keberatan:
        return self.change(actor, keberatan, Keberatan, request, Keberatan.record_explanation,
                           party, text)

    def decide_keberatan(self, actor: Actor, keberatan: UUID, outcome: str, *, reason: str,
                         results: str | None = None, behaviour: str | None = None,
                         scores: dict[str, float] | None = None,
                         **request: Unpack[RequestOptions]) -> Keberatan:
        """The decision and, when it raises the result, the corrected outcome are saved in
        one transaction. ``scores`` raise a PP 30/2019 result (``skp``, ``behaviour``)."""
        meta = self.meta(actor, request, reason)
        record = self.to_change(keberatan, Keberatan, request)
        subject = self.load(UUID(record.evaluation_id), Evaluation)
        record.decide(meta, outcome, subject, self.rules, results=results, behaviour=behaviour,
                      involved=self.involvement(subject.id), scores=scores,
                      acting=self._authority_acting(record, subject))
        return self.save_changed(meta, request, record, subject)

    def keberatan(self, keberatan: UUID, *, version: int | None = None) -> Keberatan:
        return self.load(keberatan, Keberatan, version=version)

    def keberatan_on(self, evaluation: UUID) -> Keberatan:
        return self.keberatan(keberatan_id(evaluation))

    def involvement(self, evaluation: UUID) -> dict[str, list[str]]:
        """Who took part in the evaluation, and how, read from its events."""
        stored = self.recorder.select_events(evaluation)
        return involvement(self.mapper.to_domain_event(s) for s in stored)

    def _authorities(self, subject: Evaluation) -> list[str]:
        """The Atasan Pejabat Penilai (``_authority_then``), then each one's supervisor, by the
        reporting line in force on the day of the rating: whom a keberatan passes up to when
        those below took part in the evaluation."""
        first, _ = self._authority_then(subject)
        chain = [first] if first is not None and subject.rated_on is not None else []
        while chain and len(chain) < MAX_LINE_DEPTH:
            try:
                above = self.employee(chain[-1]).supervisor_on(cast(date, subject.rated_on))
            except NotFoundError:
                break  # above the civil service (e.g. the regional head)
            if above is None or above in chain:
                break
            chain.append(above)
        return chain

    def _authority_acting(self, record: Keberatan, subject: Evaluation) -> ActingCapacity | None:
        """The capacity in which the deciding authority was above the rater on the day of the
        rating, if a Plt/Plh (and still the one the filing named)."""
        authority, acting = self._authority_then(subject)
        return acting if authority == record.authority_nip else None

    def _authority_then(self, subject: Evaluation) -> tuple[str | None, ActingCapacity | None]:
        """Atasan Pejabat Penilai: the supervisor of the pejabat penilai by the reporting line
        in force on the day of the rating (not of filing: a later reorganisation does not
        hand the case to someone who was never above the rater), a Plt/Plh then included,
        with their capacity. The pejabat penilai is whoever finalised or, when a Plt/Plh
        finalised, the official they stood in for: the post's superior is its holder's, not
        the acting official's own. None: no finalised result, or a rater outside the civil
        service (e.g. the regional head)."""
        rated_on, outcome = subject.rated_on, subject.outcome
        if outcome is None or rated_on is None:
            return None, None  # Keberatan.file refuses an unfinalised evaluation
        acting = outcome.get("acting")
        official = acting["in_place_of"] if acting and acting["in_place_of"] else outcome["by"]
        try:
            rater = self.employee(official)
        except NotFoundError:
            return None, None
        return rater.supervisor_on(rated_on), rater.acting_on(rated_on)
