"""The one Application of kinerja-ledger: every use case, composed from one module per area."""

from __future__ import annotations

from domain.errors import NotFoundError
from service.commit import ConflictError, StaleVersionError
from service.core import Actor
from service.evaluations import EvaluationUseCases
from service.inspections import InspectionUseCases
from service.keberatan import KeberatanUseCases
from service.organisation import OrganisationUseCases
from service.surveys import SurveyUseCases


# Organisation last: the other areas build on its readers (``unit``, ``employee``).
class KinerjaApplication(EvaluationUseCases, InspectionUseCases, KeberatanUseCases,
                         SurveyUseCases, OrganisationUseCases):
    """Commands and queries for every role; ``api/`` and the CLI call only this."""

    name = "Kinerja"


__all__ = ["Actor", "ConflictError", "KinerjaApplication", "NotFoundError", "StaleVersionError"]
