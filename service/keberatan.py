"""Use cases for keberatan: the result received, filed by the ASN, explained by both sides,
decided with finality."""

from __future__ import annotations

from typing import Unpack
from uuid import UUID

from domain.errors import NotFoundError
from domain.evaluation import Evaluation
from domain.keberatan import Keberatan, keberatan_id
from service.core import Actor, RequestOptions
from service.organisation import OrganisationUseCases


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
        keberatan = Keberatan.file(meta, subject, grounds,
                                   authority_nip=self._authority(subject), rules=self.rules)
        return self.create(keberatan, "a keberatan is already filed on this evaluation", request)

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
        record.decide(meta, outcome, subject, self.rules, results=results, behaviour=behaviour)
        return self.save_changed(meta, request, record, subject)

    def keberatan(self, keberatan: UUID, *, version: int | None = None) -> Keberatan:
        return self.load(keberatan, Keberatan, version=version)

    def keberatan_on(self, evaluation: UUID) -> Keberatan:
        return self.keberatan(keberatan_id(evaluation))

    def _authority(self, subject: Evaluation) -> str | None:
        """Atasan Pejabat Penilai: the supervisor of whoever finalised, by the reporting line
        in force on the day of the rating (not of filing: a later reorganisation does not
        hand the case to someone who was never above the rater)."""
        rated_on = subject.rated_on
        if subject.outcome is None or rated_on is None:
            return None  # Keberatan.file refuses an unfinalised evaluation
        try:
            return self.employee(subject.outcome["by"]).supervisor_on(rated_on)
        except NotFoundError:
            return None  # a rater outside the civil service (e.g. the regional head)
