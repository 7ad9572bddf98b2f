"""A period's calendar, by BKPP: set it, extend it by circular, close the period; read it."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ReadAccess, WriteAccess
from api.routes import READ, WRITE, permission
from api.schemas_in import CalendarIn, EmptyIn, ExtensionIn, Period
from api.schemas_out import PeriodCalendarOut

router = APIRouter(prefix="/periods", tags=["calendars"])


@router.post("/{period}/calendar", status_code=201, response_model=PeriodCalendarOut,
             responses=WRITE, openapi_extra=permission("calendars.write"))
def set_calendar(period: Period, body: CalendarIn, caller: WriteAccess):
    caller.authorise("calendars.write")
    return caller.run(caller.app.set_calendar, period, report_opens=body.report_opens,
                      report_due=body.report_due, rating_due=body.rating_due,
                      decision_target=body.decision_target,
                      body=body, render=PeriodCalendarOut.of, status=201,
                      location=f"/periods/{period}/calendar")


@router.get("/{period}/calendar", response_model=PeriodCalendarOut, responses=READ,
            openapi_extra=permission("calendars.read"))
def get_calendar(period: Period, caller: ReadAccess):
    caller.authorise("calendars.read")
    return caller.render(caller.app.period_calendar(period), PeriodCalendarOut.of)


@router.post("/{period}/extensions", response_model=PeriodCalendarOut, responses=WRITE,
             openapi_extra=permission("calendars.write"))
def grant_extension(period: Period, body: ExtensionIn, caller: WriteAccess):
    caller.authorise("calendars.write")
    return caller.run(caller.app.grant_extension, period, body.circular_number,
                      body.circular_date, report_due=body.report_due,
                      rating_due=body.rating_due, scope=body.scope, unit_code=body.unit_code,
                      evaluation_ids=[str(e) for e in body.evaluation_ids],
                      body=body, render=PeriodCalendarOut.of)


@router.post("/{period}/closure", response_model=PeriodCalendarOut, responses=WRITE,
             openapi_extra=permission("calendars.write"))
def close_period(period: Period, body: EmptyIn, caller: WriteAccess):
    caller.authorise("calendars.write")
    return caller.run(caller.app.close_period, period, body=body, render=PeriodCalendarOut.of)
