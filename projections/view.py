"""A view is a keyed fold: each event touches some documents (by key) and folds into them.

Documents are plain JSON values, stored one row per key with a few columns pulled out of the
document for filtering. Because ``apply`` is a pure function of (document, event), a view
computed in the database must equal the same fold done in memory: that is how it is tested.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

Doc = dict[str, Any]


class View:
    name: ClassVar[str]  # table view_<name>
    columns: ClassVar[dict[str, str]] = {}  # filter columns: name -> "text" | "int" | "bool"
    topics: ClassVar[frozenset[str]] = frozenset()  # topics of the events it folds; others skipped

    def keys(self, event: Any) -> Iterable[str]:
        """The documents this event touches."""
        raise NotImplementedError

    def apply(self, key: str, doc: Doc | None, event: Any) -> Doc | None:
        """The document after the event (None removes it). Must not mutate ``doc``'s caller
        copy in ways that matter: the runner hands each key's latest document back in."""
        raise NotImplementedError

    def row(self, doc: Doc) -> dict[str, Any]:
        """The filter columns of a document (defaults: the same-named fields)."""
        return {name: doc.get(name) for name in self.columns}


def fold(view: View, events: Iterable[Any]) -> dict[str, Doc]:
    """The plain in-memory fold: the reference the stored view must equal."""
    docs: dict[str, Doc] = {}
    for event in events:
        if view.topics and type(event).TOPIC not in view.topics:
            continue
        for key in view.keys(event):
            doc = view.apply(key, docs.get(key), event)
            if doc is None:
                docs.pop(key, None)
            else:
                docs[key] = doc
    return docs
