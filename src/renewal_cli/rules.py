"""The renewal rules of domain.md §3 as pure functions: no I/O, no clock.

AS_OF and the policy always come in as arguments, so the same inputs give the same items on any
machine, on any day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict

from renewal_cli.models import Action, Certificate, Flag, Kind, ScheduleItem, Scheme, Status
from renewal_cli.policy import Policy

ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=8192)  # registers repeat dates; relativedelta is slow
def expiry_from_issue(issued_on: date, validity_years: int) -> date:
    """Last valid day: validity runs from issue to expiry, both inclusive."""
    return issued_on + relativedelta(years=validity_years) - ONE_DAY


@lru_cache(maxsize=8192)  # registers repeat dates; relativedelta is slow
def issue_from_expiry(expires_on: date, validity_years: int) -> date:
    """The issue date a certificate expiring on `expires_on` would have had."""
    return expires_on + ONE_DAY - relativedelta(years=validity_years)


@lru_cache(maxsize=8192)  # registers repeat dates; relativedelta is slow
def file_by(expires_on: date, lead_months: int) -> date:
    """Last day to file: expiry minus the lead, clamped to the month's end (2024-05-31 → 02-29)."""
    return expires_on - relativedelta(months=lead_months)


def known_filing(filed_on: date | None, as_of: date, issued_on: date) -> date | None:
    """The filing that counts on AS_OF for this certificate, if any.

    A filing dated after AS_OF is not yet known on AS_OF. One dated before the certificate was
    issued belongs to the previous certificate (a register row kept across cycles), so it
    cannot renew this one.
    """
    if filed_on is None or filed_on > as_of or filed_on < issued_on:
        return None
    return filed_on


def status_on(
    *, expires_on: date, deadline: date, filed_on: date | None, as_of: date
) -> tuple[Status, Action]:
    """Status and action of one certificate on AS_OF (filed_on already cut to what is known)."""
    if filed_on is not None:
        if filed_on <= deadline:
            return Status.FILED, Action.NONE
        return Status.LATE, Action.NEW_APPLICATION
    if as_of <= deadline:
        return Status.PENDING, Action.RENEW
    if as_of <= expires_on:
        return Status.LATE, Action.NEW_APPLICATION
    return Status.EXPIRED, Action.NEW_APPLICATION


def flags_for(certificate: Certificate, policy: Policy) -> tuple[Flag, ...]:
    """The plan year's flags; the plan asks them of green food only."""
    if certificate.scheme is not Scheme.GREEN:
        return ()
    flags: list[Flag] = []
    if certificate.issued_on.year == policy.cohort_issue_year:
        flags.append(Flag.PLAN_COHORT)
    if policy.next_h1_from <= certificate.expires_on <= policy.next_h1_to:
        flags.append(Flag.NEXT_H1)
    return tuple(flags)


def schedule(certificate: Certificate, as_of: date, policy: Policy) -> ScheduleItem:
    """The renewal schedule item of one certificate on AS_OF."""
    deadline = file_by(certificate.expires_on, policy.rule(certificate.scheme).lead_months)
    filed = known_filing(certificate.filed_on, as_of, certificate.issued_on)
    status, action = status_on(
        expires_on=certificate.expires_on, deadline=deadline, filed_on=filed, as_of=as_of
    )
    # Every field is computed here from validated values: skip re-validation (hot path).
    return ScheduleItem.model_construct(
        certificate=certificate,
        as_of=as_of,
        plan_year=policy.plan_year,
        file_by=deadline,
        filed_on=filed,
        days_left=(deadline - as_of).days,
        status=status,
        action=action,
        flags=flags_for(certificate, policy),
        kind=Kind.RENEWAL,
    )


class Selection(BaseModel):
    """Which items a command shows. Empty filter sets mean "any"."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    cities: frozenset[str] = frozenset()
    counties: frozenset[str] = frozenset()
    schemes: frozenset[Scheme] = frozenset()
    statuses: frozenset[Status] = frozenset()
    flags: frozenset[Flag] = frozenset()
    within: int = 120
    expired_within: int = 365
    all: bool = False


def in_window(item: ScheduleItem, selection: Selection) -> bool:
    """The default selection: what needs attention now (ignored under --all)."""
    as_of = item.as_of
    if item.status is Status.PENDING:
        return item.file_by <= as_of + timedelta(days=selection.within)
    if item.status is Status.LATE:
        return as_of <= item.certificate.expires_on
    if item.status is Status.EXPIRED:
        return as_of - timedelta(days=selection.expired_within) <= item.certificate.expires_on
    return False


def selected(item: ScheduleItem, selection: Selection) -> bool:
    """Whether `item` is shown: the window (unless --all), narrowed by every filter."""
    c = item.certificate
    if selection.cities and c.city not in selection.cities:
        return False
    if selection.counties and c.county not in selection.counties:
        return False
    if selection.schemes and c.scheme not in selection.schemes:
        return False
    if selection.statuses and item.status not in selection.statuses:
        return False
    if selection.flags and not selection.flags.intersection(item.flags):
        return False
    return selection.all or in_window(item, selection)


def order_key(item: ScheduleItem) -> tuple[date, str, str, str]:
    """Items are listed by file-by day, then city, county and certificate number."""
    c = item.certificate
    return (item.file_by, c.city, c.county or "", c.cert_id)


def select(
    certificates: Iterable[Certificate], as_of: date, policy: Policy, selection: Selection
) -> list[ScheduleItem]:
    """Schedule every certificate and keep the selected items, in order.

    Certificates are consumed one at a time, so only the selected items are held in memory.
    """
    items = (schedule(c, as_of, policy) for c in certificates)
    return sorted((i for i in items if selected(i, selection)), key=order_key)
