"""What replay reads, and nothing more: the stored events, the records rebuilt from them, and
the findings view's answer to "which findings name this employee".

The service's application provides the records and ``projections.queries`` the findings; replay
names only these narrow interfaces, so it depends on neither the service nor a view's table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol
from uuid import UUID

from domain.rules import RuleBook
from ledger.log import MerkleLog
from projections.views.inspections import FindingDoc


class Records(Protocol):
    @property
    def recorder(self) -> Any:
        """The stored events (and through it, the ledger's tables)."""

    @property
    def mapper(self) -> Any:
        """Stored events to domain events; its ``cipher`` says whether they are enciphered."""

    @property
    def events(self) -> Any:
        """A record's domain events in order: ``get(id, gt=, lte=, desc=, limit=)``."""

    def load(self, record_id: UUID, kind: type | None = None, /, *,
             version: int | None = None) -> Any:
        """The record (as of ``version``); domain.errors.NotFoundError when there is none."""

    def employee(self, nip: str) -> Any:
        """The employee with this NIP (its ``name``); an error when there is none."""


class Dossiers(Records, Protocol):
    """What a dossier needs besides the records: the rules, and the ledger to prove with."""

    @property
    def rules(self) -> RuleBook: ...

    @property
    def ledger(self) -> MerkleLog: ...


# The findings that name an employee (by employee id), as the findings view keeps them.
FindingsAbout = Callable[[str], Iterable[FindingDoc]]
