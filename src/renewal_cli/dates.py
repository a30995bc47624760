"""Calendar arithmetic of the rules: anniversaries, validity, "N months before".

Pure functions on calendar dates (no clock, no time zone). "N months before" clamps to the
month's end (python-dateutil relativedelta): 2024-05-31 − 3 months = 2024-02-29.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

ONE_DAY = timedelta(days=1)


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


@lru_cache(maxsize=8192)  # registers repeat dates; relativedelta is slow
def issue_from_expiry(expires_on: date, validity_years: int) -> date:
    """The issue date of a certificate expiring on `expires_on`: the day after it, N years
    earlier, clamped to the month's end (expires 2024-02-28 → issued 2021-02-28)."""
    return (expires_on + ONE_DAY) - relativedelta(years=validity_years)


@lru_cache(maxsize=8192)  # registers repeat dates; relativedelta is slow
def file_by(expires_on: date, lead_months: int) -> date:
    """Last day to file: expiry minus the lead, clamped to the month's end (2024-05-31 → 02-29)."""
    return expires_on - relativedelta(months=lead_months)


def next_anniversary(start: date, on_or_after: date, every: int = 1) -> tuple[date, int]:
    """The first every-th anniversary of `start` on or after `on_or_after` (never `start`
    itself), with its number of years."""
    years = max(every, (on_or_after.year - start.year) // every * every)
    while anniversary(start, years) < on_or_after:
        years += every
    while years - every >= every and anniversary(start, years - every) >= on_or_after:
        years -= every
    return anniversary(start, years), years
