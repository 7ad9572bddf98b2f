"""Who looks at a person's file, and why: the rules for a stated (break-glass) reason.

A reason is free text a caller states when their duty, not a relationship, brings them to a
file (an auditor's sample, BKPP's investigation). It is kept in the access journal and shown
to the person whose file it is, so it must be readable text: normalised (NFC), bounded, with
no control characters and not only invisible ones.
"""

from __future__ import annotations

import unicodedata

from domain.errors import InvalidAccessReasonError
from domain.limits import MAX_ACCESS_REASON

# Invisible characters: format marks (zero-width space and joiners, bidi controls), separators
# (spaces of every width) and the unassigned or private.
_INVISIBLE = {"Cf", "Zs", "Zl", "Zp", "Co", "Cn"}


def access_reason(text: str | None) -> str | None:
    """The reason as it is recorded, or None when none was stated (absent or blank)."""
    if text is None or not text.strip():
        return None
    reason = unicodedata.normalize("NFC", text.strip())
    if len(reason) > MAX_ACCESS_REASON:
        raise InvalidAccessReasonError(
            f"a stated reason is at most {MAX_ACCESS_REASON} characters")
    if any(unicodedata.category(c) == "Cc" for c in reason):
        raise InvalidAccessReasonError("a stated reason may not contain control characters")
    if all(unicodedata.category(c) in _INVISIBLE for c in reason):
        raise InvalidAccessReasonError("a stated reason must contain visible text")
    return reason
