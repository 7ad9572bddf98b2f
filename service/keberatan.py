"""Use cases for keberatan: the result received, filed by the ASN, explained by both sides,
decided with finality."""

from __future__ import annotations

from typing import Unpack
from uuid import UUID

from domain.errors import NotFoundError
from domain.evaluation import Evaluation
from domain.keberatan import Keberatan, keberatan_id
from domain.state import ActingCapacity
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
        record.decide(meta, outcome, subject, self.rules, results=results, behaviour=behaviour,
                      acting=self._authority_acting(record, subject))
        return self.save_changed(meta, request, record, subject)

    def keberatan(self, keberatan: UUID, *, version: int | None = None) -> Keberatan:
        return self.load(keberatan, Keberatan, version=version)

    def keberatan_on(self, evaluation: UUID) -> Keberatan:
        return self.keberatan(keberatan_id(evaluation))

    def _authority(self, subject: Evaluation) -> str | None:
        return self._authority_then(subject)[0]

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
