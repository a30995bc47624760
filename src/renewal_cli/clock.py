"""Today in China: the clock, read only at the edges (the command line and the library API).

The rules never read it: they are given AS_OF. China has one time zone, so "today" is the date
in Asia/Shanghai whatever the machine's own zone (domain.md §3: a cron job at 00:30 Beijing time
on a UTC server already sees the new day).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def today_in_china(now: datetime | None = None) -> date:
    """Today's date in Asia/Shanghai (or the date of `now` there)."""
    moment = now if now is not None else datetime.now(tz=CHINA)
    return moment.astimezone(CHINA).date()
