"""How long each kind of free text may be: checked by the domain, declared by the API.

One place for both, so a request the API's schema accepts is never refused by a command for
its length (nor the other way round) because one copy of a number moved.
"""

from __future__ import annotations

MAX_TEXT = 10_000  # a long comment, not a document: documents are evidence (URI + hash)
MAX_REASON = 2_000  # why a change was made
MAX_NOTE = 2_000  # a note, an action, a recommendation: a paragraph
MAX_URI = 2_000
MAX_FIELD = 1_000  # one field of a plan line or a realisation, a behaviour expectation
MAX_ITEM = 500  # one item of a service standard (and of a checklist)
MAX_LINE = 300  # one line: a place (and, in the API, a name or a position)
MAX_NAME = 200  # a person's or a unit's name, a position
MAX_CODE = 40  # a unit code, a plan line id
MAX_ACCESS_REASON = 300  # why someone without a relationship opens a file (break-glass)
