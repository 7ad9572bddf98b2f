"""Use cases for keberatan: filed by the ASN, explained by both sides, decided with finality."""

from __future__ import annotations

from typing import Any, Unpack
from uuid import UUID

from domain.errors import NotFoundError
from domain.evaluation import Evaluation
from domain.keberatan import Keberatan, keberatan_id
from service.core import Actor, RequestOptions
from service.organisation import OrganisationUseCases


class KeberatanUseCases(OrganisationUseCases):
    def file_keberatan(self, actor: Actor, evaluation: UUID, grounds: str,
                       **request: Unpack[RequestOptions]) -> Keberatan:
        meta = self.meta(actor, request)
        subject = self.load(evaluation, Evaluation)
        keberatan = Keberatan.file(meta, subject, grounds,
                                   authority_nip=self._authority(subject, meta), rules=self.rules)
        return self.create(keberatan, "a keberatan is already filed on this evaluation", request)

    def record_explanation(self, actor: Actor, keberatan: UUID, party: str, text: str,
                           **request: Unpack[RequestOptions]) -> Keberatan:
        return self.change(actor, keberatan, Keberatan, request, Keberatan.record_explanation,
                           party, text)

    def decide_keberatan(self, actor: Actor, keberatan: UUID, outcome: str, *, reason: str,
                         results: str | None = None, behaviour: str | None = None,
                         **request: Unpack[RequestOptions]) -> Keberatan:
        """The decision and, when upheld, the corrected outcome are saved in one transaction."""
        meta = self.meta(actor, request, reason)
        record = self.to_change(keberatan, Keberatan, request)
        record.decide(meta, outcome, results=results, behaviour=behaviour)
        subject = self.load(UUID(record.evaluation_id), Evaluation)
        record.apply_to(meta, subject, self.rules)
        return self.save_changed(meta, request, record, subject)

    def keberatan(self, keberatan: UUID, *, version: int | None = None) -> Keberatan:
        return self.load(keberatan, Keberatan, version=version)

    def keberatan_on(self, evaluation: UUID) -> Keberatan:
        return self.keberatan(keberatan_id(evaluation))

    def _authority(self, subject: Evaluation, meta: Any) -> str | None:
        """Atasan Pejabat Penilai: the supervisor, on the day of filing, of whoever finalised."""
        if subject.outcome is None:
            return None  # Keberatan.file refuses an unfinalised evaluation
        try:
            return self.employee(subject.outcome["by"]).supervisor_on(meta.at.date())
        except NotFoundError:
            return None  # a rater outside the civil service (e.g. the regional head)
