"""The renewal rules of domain.md §3 as pure functions: no I/O, no clock.

AS_OF and the policy always come in as arguments, so the same inputs give the same items on any
machine, on any day.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict

from renewal_cli.models import Action, Certificate, Flag, Kind, ScheduleItem, Scheme, Status
from renewal_cli.places import Scope, SplitBy
from renewal_cli.policy import Policy

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
    *,
    expires_on: date,
    deadline: date,
    filed_on: date | None,
    as_of: date,
    superseded: bool = False,
) -> tuple[Status, Action]:
    """Status and action of one certificate on AS_OF (filed_on already cut to what is known).

    A certificate whose next cycle is already in the register is superseded, whatever its
    dates say: that check comes first (domain.md §3).
    """
    if superseded:
        return Status.SUPERSEDED, Action.NONE
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


def schedule(
    certificate: Certificate,
    as_of: date,
    policy: Policy,
    successor: Certificate | None = None,
) -> ScheduleItem:
    """The renewal schedule item of one certificate on AS_OF (`successor`: its next cycle)."""
    rule = policy.rule(certificate.scheme)
    deadline = file_by(certificate.expires_on, rule.lead_months)
    filed = known_filing(certificate.filed_on, as_of, certificate.issued_on)
    status, action = status_on(
        expires_on=certificate.expires_on,
        deadline=deadline,
        filed_on=filed,
        as_of=as_of,
        superseded=successor is not None,
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
        rule=rule,
        superseded_by=successor.cert_id if successor is not None else None,
    )


def number_key(cert_id: str) -> str:
    """A certificate number as compared: case, full-width forms, spaces and hyphens ignored.

    `LB-45- 1`, `LB 45 1` and `lb-45-1` are one number typed three ways.
    """
    folded = unicodedata.normalize("NFKC", cert_id).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "-‐‑‒–—―－")


def _text_key(value: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", value or "").casefold().split())


def _lineage_keys(c: Certificate) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Two keys under which a later cycle of `c` is found: its number (organic numbers stay
    the same on re-certification) and its holder and product (green numbers change)."""
    same = (c.scheme.value, _text_key(c.grade), _text_key(c.base))
    return (*same, "#", number_key(c.cert_id)), (
        *same,
        "@",
        _text_key(c.enterprise),
        _text_key(c.product),
    )


def successors(certificates: Sequence[Certificate], as_of: date) -> dict[int, Certificate]:
    """For each certificate (by index) the later certificate that supersedes it on AS_OF.

    A later certificate has the same scheme, the same number or the same holder and product,
    the same grade and base, is issued later and expires later, and is issued on or before
    AS_OF. When several qualify, the earliest issued (the next cycle) is named.
    """
    by_key: dict[tuple[str, ...], list[int]] = {}
    for index, c in enumerate(certificates):
        if c.issued_on <= as_of:
            for key in _lineage_keys(c):
                by_key.setdefault(key, []).append(index)
    found: dict[int, Certificate] = {}
    for index, c in enumerate(certificates):
        best: Certificate | None = None
        for key in _lineage_keys(c):
            for other_index in by_key.get(key, ()):
                other = certificates[other_index]
                if (
                    other.issued_on > c.issued_on
                    and other.expires_on > c.expires_on
                    and (best is None or other.issued_on < best.issued_on)
                ):
                    best = other
        if best is not None:
            found[index] = best
    return found


class Selection(BaseModel):
    """Which items a command shows. Empty filter sets mean "any"."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    scope: Scope = Scope()
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
    if not selection.scope.contains(c.city, c.county):
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

    Every certificate is held once, because a row's next cycle may come later in the file.
    """
    held = list(certificates)
    later = successors(held, as_of)
    items = (schedule(c, as_of, policy, later.get(i)) for i, c in enumerate(held))
    return sorted((i for i in items if selected(i, selection)), key=order_key)


def group_by_place(items: Iterable[ScheduleItem], by: SplitBy) -> dict[str, list[ScheduleItem]]:
    """Items grouped by city or county name, places sorted, items in their given order.

    Splitting by county, items without a county (the city's own level) go under the city's name.
    """
    groups: dict[str, list[ScheduleItem]] = {}
    for item in items:
        c = item.certificate
        key = c.city if by is SplitBy.CITY or c.county is None else c.county
        groups.setdefault(key, []).append(item)
    return {key: groups[key] for key in sorted(groups)}
