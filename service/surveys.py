"""Use case for the public-satisfaction survey (SKM): responses recorded in bulk."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Unpack

from domain.errors import NotFoundError
from domain.periods import parse_period
from domain.skm import Survey, survey_id
from service.core import Actor, RequestOptions
from service.organisation import OrganisationUseCases


class SurveyUseCases(OrganisationUseCases):
    def record_survey_responses(self, actor: Actor, unit_code: str, period: str,
                                responses: Sequence[Mapping[str, int]],
                                **request: Unpack[RequestOptions]) -> Survey:
        """Append a batch of responses (each answer by element name) to the unit's survey for
        the period (opened on first use)."""
        unit, key = self.unit(unit_code), parse_period(period).key
        try:
            survey = self.load(survey_id(unit.id, key), Survey)
        except NotFoundError:
            meta = self.meta(actor, request)
            survey = Survey.open(meta, unit, key)
            survey.record_responses(meta, responses)
            return self.create(survey, "the survey was opened by someone else; retry", request)
        return self.change(actor, survey.id, Survey, request, Survey.record_responses,
                           responses)

    def survey(self, unit_code: str, period: str) -> Survey:
        return self.load(survey_id(self.unit(unit_code).id, parse_period(period).key), Survey)
