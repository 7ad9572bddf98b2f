"""Checkpoint signing: after each commit and on a timer, never failing a committed write."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import PersistenceError

from ledger.checkpoints import Checkpointer, CheckpointRefusedError

log = logging.getLogger("kinerja.ledger")


class Signing(Application):
    """Signing checkpoints of the Merkle log with the operator's key, when one is set."""

    checkpointer: Checkpointer | None = None  # set by service.store.open_app when a key exists

    def sign_if_due(self, *, now: bool = False) -> None:
        """Timer-driven checkpoint: signs new events once the interval has passed (or now)."""
        if self.checkpointer:
            self._sign(self.checkpointer.checkpoint if now else self.checkpointer.tick)

    def _sign_appended(self, events: int) -> None:
        """After a commit of ``events`` events: sign when enough have been appended."""
        if self.checkpointer and events:
            self._sign(self.checkpointer.after_append, events)

    def _sign(self, step: Callable[..., Any], *args: Any) -> None:
        # The events are committed: a failure to sign must not turn them into an error for the
        # caller (who would retry and write twice). It is an alarm for the operator instead.
        try:
            step(*args)
        except CheckpointRefusedError:
            log.critical("checkpoint refused: the ledger may have been tampered with",
                         exc_info=True)
        except PersistenceError:
            log.error("checkpoint not written; will retry after the next commit", exc_info=True)
