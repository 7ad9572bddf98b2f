"""Who looks at a person's file, and why: the rules for a stated (break-glass) reason.

A reason is free text a caller states when their duty, not a relationship, brings them to a
file (an auditor's sample, BKPP's investigation). It is kept in the access journal and shown
to the person whose file it is, so it must be readable text: normalised (NFC), bounded, with
no control characters and not only invisible ones.
"""

from __future__ import annotations

from domain.base import readable
from domain.errors import InvalidAccessReasonError
from domain.limits import MAX_ACCESS_REASON


def access_reason(text: str | None) -> str | None:
    """The reason as it is recorded, or None when none was stated (absent or blank)."""
    if text is None or not text.strip():
        return None
    return readable(text.strip(), "a stated reason", limit=MAX_ACCESS_REASON, multiline=False,
                    error=InvalidAccessReasonError)
