"""The appeal board's dossier: the timeline, the record at the disputed point and now, the
diff, the rules then and now, and for every event cited its leaf and an inclusion proof against
a signed checkpoint — so ``kinerja verify --dossier`` can check it without the database."""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Any, cast
from uuid import UUID

from ledger.log import MerkleLog
from ledger.note import Checkpoint
from replay.asof import AsOf
from replay.diff import diff, state
from replay.rules import then_and_now
from replay.source import Dossiers, FindingsAbout
from replay.timeline import Timelines

FORMAT = "kinerja-dossier/1"


class DossierError(Exception):
    code = "dossier_unavailable"


def build(app: Dossiers, evaluation_id: UUID, *, findings: FindingsAbout, checkpoint_note: str,
          origin: str, verifier_keys: list[str], **point: Any) -> dict[str, Any]:
    """``point`` is one of version=, leaf=, moment=, day= (the disputed moment); ``findings``
    as for replay.timeline.Timelines."""
    as_of = AsOf(app)
    then_version = as_of.version(evaluation_id, **point) or app.load(evaluation_id).version
    then, now = app.load(evaluation_id, version=then_version), app.load(evaluation_id)
    timeline = Timelines(app, findings).evaluation(evaluation_id)
    size = _checkpoint_size(checkpoint_note)
    cited = sorted({e.leaf_index for e in timeline if e.leaf_index is not None})
    if cited and cited[-1] >= size:
        raise DossierError("the latest signed checkpoint does not cover every event: sign one "
                           "(kinerja checkpoint) and try again")
    return {
        "format": FORMAT, "origin": origin, "evaluation_id": str(evaluation_id),
        "generated_at": datetime.now(timezone.utc).isoformat(),
        "point": {k: str(v) for k, v in point.items() if v is not None} or {"now": True},
        "version_then": then.version, "version_now": now.version,
        "state_then": _plain(state(then)), "state_now": _plain(state(now)),
        "diff": diff(then, now), "rules": then_and_now(now, app.rules),
        "timeline": [e.as_dict() for e in timeline],
        "checkpoint": checkpoint_note, "verifier_keys": verifier_keys,
        "proofs": _proofs(app.ledger, cited, size),
    }


def _proofs(log: MerkleLog, indexes: list[int], size: int) -> list[dict[str, Any]]:
    """Every cited leaf (by index, ascending) and its inclusion proof: two statements however
    many events."""
    paths = log.inclusion_proofs(indexes, size)
    # A cited leaf's event is in the store (the timeline was read from it), so its bytes are
    # there: Leaf.leaf is None only for a leaf whose event is missing.
    return [{"leaf_index": leaf.index, "leaf": base64.b64encode(cast(bytes, leaf.leaf)).decode(),
             "hash": leaf.hash.hex(), "path": [h.hex() for h in paths[leaf.index]]}
            for leaf in log.leaves_at(indexes)]


def _checkpoint_size(note: str) -> int:
    return Checkpoint.parse(note[: note.find("\n\n") + 1]).size


def _plain(value: Any) -> Any:
    import orjson
    return orjson.loads(orjson.dumps(value))
