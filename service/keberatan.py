"""Use cases for keberatan: the result received, filed by the ASN, explained by both sides,
decided with finality."""

from __future__ import annotations

from typing import Unpack
from uuid import UUID

from domain.conflict import involvement
from domain.errors import NotFoundError
from domain.evaluation import Evaluation
from domain.keberatan import Keberatan, keberatan_id
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
                         **request: Unpack[RequestOptions]) -> Keberatan:
        """The decision and, when it raises the result, the corrected outcome are saved in
        one transaction."""
        meta = self.meta(actor, request, reason)
        record = self.to_change(keberatan, Keberatan, request)
        subject = self.load(UUID(record.evaluation_id), Evaluation)
        record.decide(meta, outcome, subject, self.rules, results=results, behaviour=behaviour,
                      involved=self.involvement(subject.id))
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
        """Atasan Pejabat Penilai, the supervisor of whoever finalised, then each one's
        supervisor: by the reporting line in force on the day of the rating (not of filing: a
        later reorganisation does not hand the case to someone who was never above the
        rater)."""
        rated_on = subject.rated_on
        if subject.outcome is None or rated_on is None:
            return []  # Keberatan.file refuses an unfinalised evaluation
        chain: list[str] = []
        nip: str | None = subject.outcome["by"]
        while nip is not None and len(chain) < MAX_LINE_DEPTH:
            try:
                nip = self.employee(nip).supervisor_on(rated_on)
            except NotFoundError:
                break  # a rater outside the civil service (e.g. the regional head)
            if nip is None or nip in chain:
                break
            chain.append(nip)
        return chain
