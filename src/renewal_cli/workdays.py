"""Working days: the last working day on or before a deadline (`submit_by`).

China's official holidays and make-up working days (调休) come from the maintained
`chinesecalendar` package, never from a table of our own. A year the package does not cover yet
falls back to weekends only; `uncovered_years` names such years so the caller can warn once.

A day is judged on the package's public tables (`holidays`, `workdays`) as its is_workday judges
it: that function works out the years it covers anew on every call (a min and a max over every
holiday, about 10 µs), and a national register has thousands of distinct deadlines.
tests/test_fast_paths.py holds the two equal on every day of the covered years and around them.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache, lru_cache

import chinese_calendar

ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    """Whether offices are open on `day` (weekends only for a year the package lacks)."""
    if not covered(day.year):
        return day.weekday() < 5
    return day in chinese_calendar.workdays or (
        day.weekday() < 5 and day not in chinese_calendar.holidays
    )


@lru_cache(maxsize=256)
def covered(year: int) -> bool:
    """Whether the holiday data knows `year` (the years from its first holiday to its last)."""
    first, last = _covered_years()
    return first <= year <= last


@cache
def _covered_years() -> tuple[int, int]:
    return min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year


@lru_cache(maxsize=8192)
def submit_by(file_by: date) -> date:
    """The last working day on or before `file_by` (a filing must reach an open office)."""
    day = file_by
    while not is_workday(day):
        day -= ONE_DAY
    return day
