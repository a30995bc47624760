"""Year-end counts against the plan's targets: pure, no I/O, no clock.

For plan year Y, per city (or county, or scheme), from the register as it stands on AS_OF (a
certificate and its successor count once: a lineage is counted through its newest cycle issued
by 31 December; README "Year-end targets" gives the same definitions for officers):

- valid_dec31: certificates valid on 31 December of Y;
- at_risk: renewals pending on AS_OF (not filed, still in time) of certificates that expire
  before 31 December and whose renewed cycle would be valid on that day;
- valid_dec31_if_renewed: valid_dec31, plus those pending renewals, plus the renewals already
  filed in time whose new certificate is not in the register yet. So it is valid_dec31 +
  at_risk + the filed ones, never less than valid_dec31 + at_risk;
- target and gap (target - valid_dec31; positive means short of the target);
- lost: renewals late or expired with the certificate expiring in Y;
- open_after_deadline: renewals whose filing day falls in Y with no filing dated before the
  plan's "submit everything before" day (Y-10-01 in the 2024 plan), counted once that day has
  come (None before it: what will still be open then is not known yet);
- fee_relief: certificates held in the policy's fee-relief counties (a lineage once).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from renewal_cli.dates import expiry_from_issue
from renewal_cli.models import Certificate, ScheduleItem, Scheme, Status
from renewal_cli.obligations import fee_relief, renewal
from renewal_cli.places import Scope, guangxi
from renewal_cli.policy import Policy
from renewal_cli.rules import successors

TOTAL = "total"


class SummaryBy(StrEnum):
    """How the summary is grouped."""

    CITY = "city"
    COUNTY = "county"
    SCHEME = "scheme"


@dataclass
class SummaryRow:
    """One place's (or scheme's) year-end standing; `place` is TOTAL on the last row."""

    place: str
    target: int | None = None
    valid_dec31: int = 0
    valid_dec31_if_renewed: int = 0
    at_risk: int = 0
    lost: int = 0
    open_after_deadline: int | None = 0
    """None before the plan's "submit everything before" day: not known yet."""
    fee_relief: int = 0
    items: list[ScheduleItem] = field(default_factory=list, repr=False)

    @property
    def gap(self) -> int | None:
        """How many certificates short of the target (negative: above it)."""
        return None if self.target is None else self.target - self.valid_dec31

    def record(self) -> dict[str, object]:
        """The flat record shared by JSON and CSV."""
        return {
            "place": self.place,
            "target": self.target,
            "valid_dec31": self.valid_dec31,
            "valid_dec31_if_renewed": self.valid_dec31_if_renewed,
            "gap": self.gap,
            "at_risk": self.at_risk,
            "lost": self.lost,
            "open_after_deadline": self.open_after_deadline,
            "fee_relief": self.fee_relief,
        }


SUMMARY_KEYS = tuple(SummaryRow(place="").record())


def _group_of(by: SummaryBy) -> Callable[[Certificate], str]:
    if by is SummaryBy.COUNTY:
        return lambda c: c.county or c.city
    if by is SummaryBy.SCHEME:
        return lambda c: c.scheme.value
    return lambda c: c.city


def summarize(
    certificates: Sequence[Certificate],
    as_of: date,
    policy: Policy,
    by: SummaryBy,
    cities: Callable[[str], bool] = lambda _: True,
) -> list[SummaryRow]:
    """The summary rows (places sorted, the total last) of the certificates given; a city with
    a target gets a row even with no certificate, when `cities` keeps it."""
    held = [c for c in certificates if counted(c)]
    year_end = date(policy.plan_year, 12, 31)
    later_now = successors(held, as_of)
    later_at_end = successors(held, year_end)
    tally = Tally(as_of, policy, by, cities)
    for index, c in enumerate(held):
        item = tally.add(c, later_now.get(index), index in later_at_end)
        tally.row(c).items.append(item)
    return tally.rows()


def counted(c: Certificate) -> bool:
    """Whether a certificate counts in the summary: green food or organic, with both dates."""
    return c.scheme in (Scheme.GREEN, Scheme.ORGANIC) and bool(c.issued_on and c.expires_on)


class Tally:
    """The summary counted one certificate at a time (`summarize`, and a whole-register job's
    second pass, which holds no item): each certificate with its successor on AS_OF, if any,
    and whether it has one on 31 December."""

    def __init__(
        self,
        as_of: date,
        policy: Policy,
        by: SummaryBy,
        cities: Callable[[str], bool] = lambda _: True,
    ) -> None:
        self.as_of, self.policy = as_of, policy
        self.group = _group_of(by)
        self._rows: dict[str, SummaryRow] = {}
        if by is SummaryBy.CITY:
            for city, target in policy.targets.items():
                if cities(city):
                    self._rows[city] = SummaryRow(place=city, target=target)

    def row(self, c: Certificate) -> SummaryRow:
        place = self.group(c)
        row = self._rows.get(place)
        if row is None:
            row = self._rows[place] = SummaryRow(place=place)
        return row

    def add(self, c: Certificate, successor: Certificate | None, renewed: bool) -> ScheduleItem:
        """Count a certificate (`counted`); `renewed`: it has a successor on 31 December. The
        certificate's renewal item is given back, not kept."""
        row = self.row(c)
        item = renewal(c, self.as_of, self.policy, successor)
        _count(row, c, item, not renewed, self.policy)
        if not renewed:  # a lineage once, through its newest cycle
            row.fee_relief += fee_relief(c.county, self.policy)
        return item

    def rows(self) -> list[SummaryRow]:
        """The rows, places sorted, the total last."""
        ordered = sorted(self._rows.values(), key=_place_order)
        out = [*ordered, _total(ordered)]
        if self.as_of < self.policy.submit_all_before:
            for row in out:
                row.open_after_deadline = None
        return out


def summarize_scope(
    certificates: Sequence[Certificate],
    as_of: date,
    policy: Policy,
    by: SummaryBy,
    scope: Scope,
    schemes: frozenset[Scheme] = frozenset(),
) -> list[SummaryRow]:
    """`summarize` of the certificates in `scope` (and of `schemes`, when given), with a row
    for each city of the scope that has a target: what `renewal summary` and the report show."""
    places = guangxi()
    chosen = [
        c
        for c in certificates
        if scope.contains(c.city, c.county) and (not schemes or c.scheme in schemes)
    ]
    return summarize(chosen, as_of, policy, by, cities=lambda city: scope.touches(city, places))


def _place_order(row: SummaryRow) -> tuple[int, str]:
    """Cities and counties in the national code order (南宁 first), schemes in enum order."""
    places = guangxi()
    if row.place in places.cities:
        return (int(places.cities[row.place].code), row.place)
    if row.place in places.counties:
        return (int(places.counties[row.place].code), row.place)
    return (list(Scheme).index(Scheme(row.place)) if row.place in set(Scheme) else 0, row.place)


def _count(
    row: SummaryRow,
    c: Certificate,
    item: ScheduleItem,
    newest: bool,
    policy: Policy,
) -> None:
    """Count a certificate; `newest`: no successor by 31 December (a lineage counts once,
    through its newest cycle by then)."""
    assert c.issued_on is not None and c.expires_on is not None
    year_end = date(policy.plan_year, 12, 31)
    if newest and c.issued_on <= year_end <= c.expires_on:
        row.valid_dec31 += 1
        row.valid_dec31_if_renewed += 1
    elif (
        newest
        and item.status in (Status.PENDING, Status.FILED)
        and _renewal_reaches(c, year_end, policy)
    ):
        # Renewed in time, its next cycle would be valid on 31 December; a filed one is not
        # at risk, but its new certificate is not in the register yet.
        row.valid_dec31_if_renewed += 1
        if item.status is Status.PENDING:
            row.at_risk += 1
    if item.status in (Status.LATE, Status.EXPIRED) and c.expires_on.year == policy.plan_year:
        row.lost += 1
    filed_before = item.filed_on is not None and item.filed_on < policy.submit_all_before
    if (
        item.file_by.year == policy.plan_year
        and not filed_before
        and item.status is not Status.SUPERSEDED
        and row.open_after_deadline is not None
    ):
        row.open_after_deadline += 1


def _renewal_reaches(c: Certificate, year_end: date, policy: Policy) -> bool:
    """Whether `c` expires before `year_end` and a renewal in time (its next cycle starting
    the day after the expiry) would be valid on that day."""
    assert c.expires_on is not None
    years = policy.rule(c.scheme).validity_years
    if years is None or c.expires_on >= year_end:
        return False
    return year_end <= expiry_from_issue(c.expires_on + timedelta(days=1), years)


def _total(rows: Sequence[SummaryRow]) -> SummaryRow:
    targets = [r.target for r in rows if r.target is not None]
    total = SummaryRow(place=TOTAL, target=sum(targets) if targets else None)
    for r in rows:
        total.valid_dec31 += r.valid_dec31
        total.valid_dec31_if_renewed += r.valid_dec31_if_renewed
        total.at_risk += r.at_risk
        total.lost += r.lost
        if total.open_after_deadline is not None and r.open_after_deadline is not None:
            total.open_after_deadline += r.open_after_deadline
        total.fee_relief += r.fee_relief
    return total
