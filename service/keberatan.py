"""Use cases for keberatan: filed by the ASN, explained by both sides, decided with finality."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.evaluation import Evaluation
from domain.keberatan import Keberatan, keberatan_id
from service.core import Actor, Core, NotFoundError, StaleVersionError


class KeberatanUseCases(Core):
    def file_keberatan(self, actor: Actor, evaluation: UUID, grounds: str, *,
                       request_id: str | None = None) -> Keberatan:
        meta = self.meta(actor, request_id)
        subject = self.load(evaluation, Evaluation)
        authority = self._authority(subject, meta)
        keberatan = Keberatan.file(meta, subject, grounds, authority_nip=authority,
                                   rules=self.rules)
        self.create(keberatan, "a keberatan is already filed on this evaluation")
        return keberatan

    def record_explanation(self, actor: Actor, keberatan: UUID, party: str, text: str,
                           **request: Any) -> Keberatan:
        meta = self.meta(actor, request.get("request_id"))
        return self.change(keberatan, Keberatan, request.get("expected_version"),
                           lambda k: k.record_explanation(meta, party, text))

    def decide_keberatan(self, actor: Actor, keberatan: UUID, outcome: str, *, reason: str,
                         results: str | None = None, behaviour: str | None = None,
                         request_id: str | None = None,
                         expected_version: int | None = None) -> Keberatan:
        """The decision and, when upheld, the corrected outcome are saved in one transaction."""
        meta = self.meta(actor, request_id, reason)
        appeal = self.load(keberatan, Keberatan)
        if expected_version is not None and appeal.version != expected_version:
            raise StaleVersionError(f"version {expected_version} is stale")
        subject = self.load(UUID(appeal.evaluation_id), Evaluation)
        appeal.decide(meta, outcome, results=results, behaviour=behaviour)
        appeal.apply_to(meta, subject, self.rules)
        self.commit(appeal, subject)
        return appeal

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
