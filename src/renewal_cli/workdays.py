"""Working days: the last working day on or before a deadline (`submit_by`).

China's official holidays and make-up working days (调休) come from the maintained
`chinesecalendar` package, never from a table of our own. A year the package does not cover yet
falls back to weekends only; `uncovered_years` names such years so the caller can warn once.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    """Whether offices are open on `day` (weekends only for a year the package lacks)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


@lru_cache(maxsize=256)
def covered(year: int) -> bool:
    """Whether the holiday data knows `year`."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=8192)
def submit_by(file_by: date) -> date:
    """The last working day on or before `file_by` (a filing must reach an open office)."""
    day = file_by
    while not is_workday(day):
        day -= ONE_DAY
    return day
