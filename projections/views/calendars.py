"""One row per period BKPP has set a calendar for: its report and rating deadlines and the
extensions it granted by circular (the calendar itself: ``GET /periods/{period}/calendar``).

The evaluations view keeps each evaluation's dues as its own events recorded them, and an
extension reaches an evaluation only at its next report, rating or finalisation; the queries
read the dues in force from these rows (``domain.calendar.dues_in_force``), so an extension
shows from the moment BKPP grants it.
"""

from typing import TypedDict

from domain.calendar import PeriodCalendar
from domain.evaluation import Evaluation
from domain.inspection import Inspection
from domain.keberatan import Keberatan
from domain.organisation import Employee, Unit
from domain.skm import Survey
from domain.state import ExtensionState
from projections.view import Doc
from projections.views.base import EventView, on


class CalendarDoc(TypedDict):
    """One period's calendar, as ``CalendarsView`` writes it (ISO dates, as the state)."""

    period: str
    report_due: str
    rating_due: str
    extensions: list[ExtensionState]


class CalendarsView(EventView):
    name = "calendars"
    document = CalendarDoc
    columns = {"period": "text"}
    # Its closure and report window change no due: commands read them from the calendar.
    ignores = (PeriodCalendar.PeriodClosed, Unit, Employee, Evaluation, Keberatan, Inspection,
               Survey)

    @on(PeriodCalendar.CalendarSet)
    def on_CalendarSet(self, doc: Doc, e) -> Doc:
        return {"period": e.period, "report_due": e.report_due.isoformat(),
                "rating_due": e.rating_due.isoformat(), "extensions": []}

    @on(PeriodCalendar.ExtensionGranted)
    def on_ExtensionGranted(self, doc: Doc, e) -> Doc:
        return doc | {"extensions": [*doc["extensions"], e.entry()]}
