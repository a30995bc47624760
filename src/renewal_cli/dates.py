"""Calendar arithmetic of the rules: anniversaries, validity, "N months before".

Pure functions on calendar dates (no clock, no time zone). "N months before" clamps to the
month's end, as python-dateutil's relativedelta does: 2024-05-31 − 3 months = 2024-02-29
(`months_before` does that sum itself: a relativedelta costs about 15 µs to build and apply, and
a national register meets thousands of distinct expiry days).
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from functools import lru_cache

ONE_DAY = timedelta(days=1)


def months_before(day: date, months: int) -> date:
    """`day` minus `months` calendar months, the day clamped to the month's end (what
    `day - relativedelta(months=months)` gives)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    if day.day <= 28:  # every month has it: no need to look up the month's length
        return date(year, month, day.day)
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def anniversary(day: date, years: int) -> date:
    """The `years`-th anniversary of `day`; 29 February's is 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return date(day.year + years, 3, 1)


@lru_cache(maxsize=8192)  # registers repeat dates
def expiry_from_issue(issued_on: date, validity_years: int) -> date:
    """Last valid day: the day before the N-th anniversary (issue and expiry both inclusive).

    Issued 2021-03-05 for 3 years → 2024-03-04; issued 2020-02-29 → 2023-02-28 (the
    anniversary is 1 March), not 02-27 as a month-end clamp would give.
    """
    return anniversary(issued_on, validity_years) - ONE_DAY


@lru_cache(maxsize=8192)  # registers repeat dates
def issue_from_expiry(expires_on: date, validity_years: int) -> date:
    """The issue date of a certificate expiring on `expires_on`: the day after it, N years
    earlier, clamped to the month's end (expires 2024-02-28 → issued 2021-02-28)."""
    return months_before(expires_on + ONE_DAY, 12 * validity_years)


@lru_cache(maxsize=8192)  # registers repeat dates
def file_by(expires_on: date, lead_months: int) -> date:
    """Last day to file: expiry minus the lead, clamped to the month's end (2024-05-31 → 02-29)."""
    return months_before(expires_on, lead_months)


@lru_cache(maxsize=8192)  # one AS_OF a run and registers repeat dates: the loops run once each
def next_anniversary(start: date, on_or_after: date, every: int = 1) -> tuple[date, int]:
    """The first every-th anniversary of `start` on or after `on_or_after` (never `start`
    itself), with its number of years."""
    years = max(every, (on_or_after.year - start.year) // every * every)
    while anniversary(start, years) < on_or_after:
        years += every
    while years - every >= every and anniversary(start, years - every) >= on_or_after:
        years -= every
    return anniversary(start, years), years
