"""The figures of `renewal report`: the headline counts, the targets by place, the coming
months' deadlines, the plan year's months so far, the holders at risk and the items listed.

Pure: no I/O, no clock. Nothing here is counted a second way: the targets are the rows of
`summary.summarize_scope` (what `renewal summary` prints), and every other number counts the
items of `rules.select` (what `renewal due --all` lists for the same scope), narrowed by
`rules.selected` for the tables (what `renewal due` lists for the same options).

Which items each figure counts (the renewal of a certificate is kind renewal, or transfer for
an organic certificate of another body; both are called renewals below):
- valid today: renewals not superseded whose certificate runs on AS_OF (issue ≤ AS_OF ≤ expiry);
- due soon: renewals pending with the file-by day within 90 days of AS_OF;
- late now: renewals late, up to the expiry (`due --status late`);
- expired recently: renewals expired within the last 365 days (`due --status expired`);
- this year so far: renewals whose file-by day fell in the plan year before AS_OF, by status
  (filed in time, late, expired, superseded); the share filed in time leaves superseded ones out;
- the coming months: items of every kind, pending or filed, with the file-by day in AS_OF's
  month or the eleven after it, from AS_OF on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from renewal_cli.holders import Holder, group_by_holder
from renewal_cli.models import Certificate, Kind, ScheduleItem, Scheme, Status
from renewal_cli.places import Places, Scope
from renewal_cli.policy import Policy
from renewal_cli.rules import Selection, in_window, selected
from renewal_cli.yearend import SummaryBy, SummaryRow, summarize_scope

RENEWALS = frozenset({Kind.RENEWAL, Kind.TRANSFER})
SOON_DAYS = 90
RECENT_DAYS = 365
AT_RISK_DAYS = 30
MONTHS_AHEAD = 12
# Chart 3's statuses, in the order they are stacked.
YEAR_STATUSES = (Status.FILED, Status.LATE, Status.EXPIRED, Status.SUPERSEDED)


@dataclass(frozen=True)
class Source:
    """One register read: its name as given and its counts."""

    name: str
    rows: int
    certificates: int
    problems: int
    outside: int = 0
    """Rows of places outside the scope (only their place was checked)."""


@dataclass(frozen=True)
class Basis:
    """What reports are computed from: the certificates read (those in the request's scope
    and those outside it that share a number or a lineage with one in it) and every item of
    the request's scope and schemes, in `due`'s order (`rules.select` with --all)."""

    certificates: Sequence[Certificate]
    items: Sequence[ScheduleItem]


@dataclass(frozen=True)
class Headline:
    """The figures at the top of the page."""

    valid_today: int
    due_soon: int
    late_now: int
    expired_recently: int
    filed_in_time: int
    """Renewals of the plan year whose file-by day has passed, filed in time."""
    missed: int
    """The same, late or expired."""
    renewed: int
    """The same, superseded (the register holds the next certificate): not in the share."""

    @property
    def share(self) -> float | None:
        """Filed in time as a share of the renewals whose file-by day has passed."""
        judged = self.filed_in_time + self.missed
        return self.filed_in_time / judged if judged else None


Series = tuple[Kind | None, Status]
"""A stacked series: an item kind and status (None: every renewal kind)."""


@dataclass(frozen=True)
class Monthly:
    """Counts per month, one row of counts per series."""

    months: tuple[date, ...]
    """The first day of each month."""
    series: tuple[Series, ...]
    counts: tuple[tuple[int, ...], ...]

    @property
    def totals(self) -> tuple[int, ...]:
        """Each month's count, every series added."""
        return tuple(sum(column) for column in zip(*self.counts, strict=True)) or tuple(
            0 for _ in self.months
        )

    @property
    def total(self) -> int:
        return sum(self.totals)


@dataclass(frozen=True)
class Report:
    """Everything the page shows."""

    as_of: date
    policy: Policy
    scope: Scope
    schemes: frozenset[Scheme]
    sources: tuple[Source, ...]
    by: SummaryBy
    """The level of chart 1: cities for the region (or several cities), counties below."""
    places: tuple[SummaryRow, ...]
    """Chart 1's rows (no total), the largest gap first."""
    total: SummaryRow
    """The scope's year-end row: with the cities' target unless the scope names counties."""
    certificates: int
    """Certificates in the scope (green food and organic with dates)."""
    headline: Headline
    coming: Monthly
    year_so_far: Monthly
    holders: tuple[Holder, ...]
    items: tuple[ScheduleItem, ...]

    @property
    def empty(self) -> bool:
        """Nothing in the scope at all: no certificate and no item."""
        return not self.certificates and not self.items and not self.coming.total


def build_report(
    basis: Basis,
    *,
    selection: Selection,
    as_of: date,
    policy: Policy,
    sources: Sequence[Source] = (),
) -> Report:
    """The report of `selection`'s scope: figures and charts over every certificate and item
    of the scope and schemes, tables of the items the selection chooses."""
    scope, schemes = selection.scope, selection.schemes
    items = [i for i in basis.items if _in(i, scope, schemes)]
    by = level_below(scope)
    rows = summarize_scope(basis.certificates, as_of, policy, by, scope, schemes)
    total = rows[-1]
    if by is SummaryBy.COUNTY and not scope.counties:  # a city: its target is the city's
        total = summarize_scope(basis.certificates, as_of, policy, SummaryBy.CITY, scope, schemes)[
            -1
        ]
    listed = [i for i in items if selected(i, selection)]
    year = year_so_far(items, as_of, policy.plan_year)
    return Report(
        as_of=as_of,
        policy=policy,
        scope=scope,
        schemes=schemes,
        sources=tuple(sources),
        by=by,
        places=tuple(sorted(rows[:-1], key=_by_gap)),
        total=total,
        certificates=sum(1 for i in items if i.kind in RENEWALS),
        headline=headline(items, as_of, year),
        coming=coming(items, as_of),
        year_so_far=year,
        holders=tuple(group_by_holder(i for i in listed if at_risk(i))),
        items=tuple(listed),
    )


def _in(item: ScheduleItem, scope: Scope, schemes: frozenset[Scheme]) -> bool:
    c = item.certificate
    return scope.contains(c.city, c.county) and (not schemes or c.scheme in schemes)


def level_below(scope: Scope) -> SummaryBy:
    """Cities for the whole region or several cities; counties for one city or for counties."""
    if scope.counties or len(scope.cities) == 1:
        return SummaryBy.COUNTY
    return SummaryBy.CITY


def _by_gap(row: SummaryRow) -> tuple[bool, int, int]:
    """The largest gap to the target first; places without a target after them, those with
    the most hanging on pending renewals first. (sorted() keeps the code order of equals.)"""
    at_stake = row.valid_dec31_if_renewed - row.valid_dec31
    return (row.gap is None, -(row.gap or 0), -at_stake)


def headline(items: Iterable[ScheduleItem], as_of: date, year: Monthly) -> Headline:
    """The headline figures of the scope's items (see the module's docstring)."""
    soon = as_of + timedelta(days=SOON_DAYS)
    recent = Selection(expired_within=RECENT_DAYS)
    valid = due = late = expired = 0
    for item in items:
        if item.kind not in RENEWALS:
            continue
        c = item.certificate
        status = item.status
        if status is not Status.SUPERSEDED and c.issued_on and c.expires_on:
            valid += c.issued_on <= as_of <= c.expires_on
        if status is Status.PENDING:
            due += item.file_by <= soon
        elif status is Status.LATE:
            late += in_window(item, recent)
        elif status is Status.EXPIRED:
            expired += in_window(item, recent)
    by_status = dict(zip(year.series, (sum(row) for row in year.counts), strict=True))

    def count(status: Status) -> int:
        return by_status.get((None, status), 0)

    return Headline(
        valid_today=valid,
        due_soon=due,
        late_now=late,
        expired_recently=expired,
        filed_in_time=count(Status.FILED),
        missed=count(Status.LATE) + count(Status.EXPIRED),
        renewed=count(Status.SUPERSEDED),
    )


def at_risk(item: ScheduleItem) -> bool:
    """Late (up to its last day), or pending with the file-by day within 30 days."""
    if item.status is Status.LATE:
        return item.as_of <= item.last_day
    return item.status is Status.PENDING and item.days_left <= AT_RISK_DAYS


def month_start(day: date, ahead: int = 0) -> date:
    """The first day of `day`'s month, or of the month `ahead` months later."""
    index = day.year * 12 + day.month - 1 + ahead
    return date(index // 12, index % 12 + 1, 1)


def _monthly(
    keyed: Iterable[tuple[date, Series]], months: Sequence[date], order: Sequence[Series]
) -> Monthly:
    """Counts of (month, series) pairs, the series present in `order`'s order."""
    where = {month: n for n, month in enumerate(months)}
    counts: dict[Series, list[int]] = {}
    for month, series in keyed:
        counts.setdefault(series, [0] * len(months))[where[month]] += 1
    present = tuple(s for s in order if s in counts)
    return Monthly(tuple(months), present, tuple(tuple(counts[s]) for s in present))


def coming(items: Iterable[ScheduleItem], as_of: date) -> Monthly:
    """Deadlines (file-by days) from AS_OF to the end of the 12th month, by kind and status;
    superseded certificates have none left."""
    months = [month_start(as_of, n) for n in range(MONTHS_AHEAD)]
    end = month_start(as_of, MONTHS_AHEAD)
    keyed = (
        (month_start(i.file_by), (i.kind, i.status))
        for i in items
        if as_of <= i.file_by < end and i.status is not Status.SUPERSEDED
    )
    order = [(kind, status) for kind in Kind for status in Status]
    return _monthly(keyed, months, order)


def year_so_far(items: Iterable[ScheduleItem], as_of: date, plan_year: int) -> Monthly:
    """Renewals whose file-by day fell in the plan year before AS_OF, by month and status."""
    last = 12 if as_of.year > plan_year else as_of.month if as_of.year == plan_year else 0
    months = [date(plan_year, month, 1) for month in range(1, last + 1)]
    keyed = (
        (month_start(i.file_by), (None, i.status))
        for i in items
        if i.kind in RENEWALS and i.file_by.year == plan_year and i.file_by < as_of
    )
    return _monthly(keyed, months, [(None, status) for status in YEAR_STATUSES])


def narrowed(selection: Selection, place: str | None, places: Places) -> Selection:
    """`selection` for one place of it (a city or a county, as a mail batch names it); the
    selection itself for None or for the run's own label ("百色市、崇左市")."""
    if place is None or (place not in places.counties and place not in places.cities):
        return selection
    scope = selection.scope
    if place in places.counties:
        return replace(selection, scope=Scope(scope.cities, frozenset({place})))
    inside = frozenset(c for c in scope.counties if places.counties[c].city == place)
    return replace(selection, scope=Scope(frozenset({place}), inside))
