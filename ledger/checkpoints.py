"""Signing checkpoints: on demand, and after every N events or T seconds of new events.

Before signing, the new tree is proven consistent with the last signed checkpoint from the
stored hashes; if it is not (history rewritten, or the log truncated), nothing is signed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone

from ledger.keys import public_verifier
from ledger.log import MerkleLog, StoredCheckpoint
from ledger.merkle import ProofError, verify_consistency
from ledger.note import (
    Checkpoint,
    NoteError,
    Signer,
    Verifier,
    open_checkpoint,
    parse_verifier_key,
    sign_note,
)

INSERT = ("INSERT INTO ledger_checkpoints (tree_size, root, note, created_at)"
          " VALUES (%s, %s, %s, %s) ON CONFLICT (tree_size) DO NOTHING")


class CheckpointRefusedError(Exception):
    code = "checkpoint_refused"


class Checkpointer:
    def __init__(self, log: MerkleLog, signer: Signer, origin: str, *,
                 trusted: Sequence[Verifier] = (), every: int = 1000, seconds: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.log, self.signer, self.origin = log, signer, origin
        self.trusted = [*trusted, parse_verifier_key(public_verifier(signer))]
        self.every, self.seconds, self.clock = every, seconds, clock
        self._pending, self._last = 0, clock()

    def after_append(self, events: int) -> StoredCheckpoint | None:
        """Called after each commit: sign when enough events or enough time has passed."""
        self._pending += events
        due = self._pending >= self.every or self.clock() - self._last >= self.seconds
        return self.checkpoint() if due and self._pending else None

    def tick(self) -> StoredCheckpoint | None:
        """Called on a timer: sign what is new once the interval has passed, even with no writes."""
        return self.checkpoint() if self.clock() - self._last >= self.seconds else None

    def checkpoint(self) -> StoredCheckpoint | None:
        """Sign the current tree (None when the log is empty)."""
        size, root = self.log.root()
        self._pending, self._last = 0, self.clock()
        latest = self.log.latest_checkpoint()
        if size == 0 or (latest and latest.tree_size == size):
            return latest
        self._require_consistent(latest, size, root)
        note = sign_note(Checkpoint(self.origin, size, root).text(), self.signer.name,
                         self.signer.private_key)
        with self.log.db.writer() as w:
            w.execute(INSERT, (size, root, note, datetime.now(timezone.utc).isoformat()))
        return StoredCheckpoint(size, root, note)

    def _require_consistent(self, latest: StoredCheckpoint | None, size: int, root: bytes) -> None:
        if latest is None:
            return
        if latest.tree_size > size:
            raise CheckpointRefusedError(
                f"the log has {size} leaves but size {latest.tree_size} was signed: truncated")
        try:  # the root as signed, not as a table column says
            signed = open_checkpoint(latest.note, self.origin, self.trusted)
            proof = self.log.consistency_proof(signed.size, size)
            verify_consistency(signed.size, size, proof, signed.root, root)
        except (NoteError, ProofError) as e:
            raise CheckpointRefusedError(
                f"the log is not consistent with checkpoint {latest.tree_size}: {e}") from e
