"""The stored views, each a keyed fold over the event log (see projections.view)."""

from projections.views.appeals import AppealsView
from projections.views.calendars import CalendarsView
from projections.views.evaluations import EvaluationsView
from projections.views.inspections import FindingsView, FollowUpsView, InspectionsView
from projections.views.organisation import EmployeesView, UnitsView
from projections.views.surveys import SurveysView

ALL = (UnitsView(), EmployeesView(), EvaluationsView(), AppealsView(), InspectionsView(),
       FindingsView(), FollowUpsView(), SurveysView(), CalendarsView())
BY_NAME = {view.name: view for view in ALL}
