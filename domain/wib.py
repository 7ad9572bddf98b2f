"""Days as the rules count them: whole calendar days in Asia/Jakarta (WIB).

WIB is UTC+7 all year (Indonesia keeps no daylight saving), so a fixed offset is exact and
the domain needs no time-zone database (no I/O). Times are stored in UTC; a rule that counts
days converts the moment to its WIB day first, so 23:30 WIB is that day, not the next one
that UTC's date would say at 00:30 the morning after (and 06:00 WIB is not yesterday).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")


def wib_day(moment: datetime) -> date:
    """The calendar day in Asia/Jakarta on which ``moment`` (aware) falls."""
    return moment.astimezone(WIB).date()
