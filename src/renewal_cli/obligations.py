"""Obligations: one pure function per kind, certificate (or register row) → schedule items.

Every kind gives ScheduleItems with the shared statuses and the rule it was judged by, so every
output shows them alike. No I/O, no clock: AS_OF and the policy come in as arguments.

| kind | applies to | file_by |
|---|---|---|
| renewal | green food and organic certificates | expiry − 3 / 4 months |
| transfer | organic certificates of another body than COFCC (replaces the renewal) | expiry − 4 months |
| new_application | a planned organic application for an annual crop (sowing date, no certificate) | sowing − 1 month |
| annual_inspection | every green food certificate, once per certificate year | end of that year − lead |
| annual_confirmation | 名特优新, before each anniversary of the listing | anniversary − 30 days |
| quality_test | 名特优新, every third anniversary of the listing | that anniversary |
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from renewal_cli.dates import ONE_DAY, anniversary, file_by, next_anniversary
from renewal_cli.models import (
    Action,
    Certificate,
    Flag,
    Kind,
    Rule,
    RuleSource,
    ScheduleItem,
    Scheme,
    Status,
    WorkPlan,
)
from renewal_cli.places import guangxi
from renewal_cli.policy import Policy
from renewal_cli.workdays import submit_by

# COFCC (中绿华夏有机食品认证中心) as registers write it.
COFCC_NAMES = ("中绿华夏", "cofcc", "中绿华夏有机食品认证中心", "中绿华夏有机产品认证中心")


@lru_cache(maxsize=1024)  # a register names a few certifiers, on thousands of rows
def is_cofcc(certifier: str | None) -> bool:
    """Whether an organic certifier is COFCC (an empty cell is taken as COFCC, the default)."""
    if not certifier:
        return True
    key = "".join(certifier.split()).lower()
    return any(name in key for name in COFCC_NAMES)


def known_filing(filed_on: date | None, as_of: date, issued_on: date | None) -> date | None:
    """The filing that counts on AS_OF for this certificate, if any.

    A filing dated after AS_OF is not yet known on AS_OF. One dated before the certificate was
    issued belongs to the previous certificate (a register row kept across cycles), so it
    cannot renew this one.
    """
    if filed_on is None or filed_on > as_of or (issued_on and filed_on < issued_on):
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
    """Status and action of one obligation on AS_OF (filed_on already cut to what is known).

    `expires_on` is the last day the obligation can be met at all. A certificate whose next
    cycle is already in the register is superseded, whatever its dates say: that check comes
    first (domain.md §3).
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
    """The plan year's flags (green food) and fee relief (holders in the policy's tiers)."""
    return _flags(certificate, _plan(policy))


def _flags(certificate: Certificate, plan: _Plan) -> tuple[Flag, ...]:
    scheme, issued, expires = certificate.scheme, certificate.issued_on, certificate.expires_on
    green = scheme is Scheme.GREEN
    cohort = green and issued is not None and issued.year == plan.cohort_issue_year
    next_h1 = green and expires is not None and plan.next_h1_from <= expires <= plan.next_h1_to
    relief = certificate.county in plan.relief
    return _FLAG_SETS[scheme, cohort, next_h1, relief]


def _flag_set(scheme: Scheme, cohort: bool, next_h1: bool, relief: bool) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    if cohort:
        flags.append(Flag.PLAN_COHORT)
    if next_h1:
        flags.append(Flag.NEXT_H1)
    if relief and scheme is Scheme.GREEN:
        flags.append(Flag.FEE_WAIVER)
    elif relief and scheme is Scheme.ORGANIC:
        flags.append(Flag.FEE_DISCOUNT_35)
    return tuple(flags)


# Every item of a run shares one of these few tuples, looked up rather than built per item.
_FLAG_SETS = {
    (scheme, cohort, next_h1, relief): _flag_set(scheme, cohort, next_h1, relief)
    for scheme in Scheme
    for cohort in (False, True)
    for next_h1 in (False, True)
    for relief in (False, True)
}


def fee_relief(county: str | None, policy: Policy) -> bool:
    """Whether holders in `county` have fees waived or discounted under the policy's tiers."""
    return county in _plan(policy).relief


def listed_for_relief(county: str | None, plan: WorkPlan) -> bool:
    """Whether the work plan itself grants fee relief to holders in `county` (what a notice may
    promise, whatever a policy file changed)."""
    return county in _relief_counties(plan.fee_relief_tiers)


@lru_cache(maxsize=16)
def _relief_counties(tiers: tuple[str, ...]) -> frozenset[str]:
    """The counties whose holders have fees waived or discounted under `tiers`."""
    return frozenset(
        name
        for name, county in guangxi().counties.items()
        if (county.key_assistance and "key_assistance" in tiers)
        or county.former_poverty_tier in tiers
    )


@dataclass(frozen=True, slots=True)
class _Plan:
    """The rules every item of one policy shares, built once rather than once an item."""

    policy: Policy
    plan_year: int
    cohort_issue_year: int
    next_h1_from: date
    next_h1_to: date
    relief: frozenset[str]
    transfer: Rule | None
    annual_crop: Rule
    inspection: Rule
    inspection_lead: timedelta
    confirmation: Rule
    confirmation_lead: timedelta
    quality_test: Rule


def _make_plan(policy: Policy) -> _Plan:
    organic = policy.schemes.get(Scheme.ORGANIC)
    in_force, set_by = policy.plan, policy.set_by
    transfer = None
    if organic is not None:
        transfer = Rule(
            validity_years=organic.validity_years,
            lead_months=policy.transfer_lead_months,
            source=RuleSource.GUANGXI_PLAN_TRANSFER,
            plan=in_force,
            set_by=set_by("transfer_lead_months"),
        )
    return _Plan(
        policy=policy,
        plan_year=policy.plan_year,
        cohort_issue_year=policy.cohort_issue_year,
        next_h1_from=policy.next_h1_from,
        next_h1_to=policy.next_h1_to,
        relief=_relief_counties(policy.fee_relief_tiers),
        transfer=transfer,
        annual_crop=Rule(
            lead_months=policy.sowing_lead_months,
            source=RuleSource.GUANGXI_PLAN_ANNUAL_CROP,
            plan=in_force,
            set_by=set_by("sowing_lead_months"),
        ),
        inspection=Rule(
            lead_days=policy.inspection_lead_days,
            source=RuleSource.GREEN_INSPECTION,
            plan=in_force,
            set_by=set_by("inspection_lead_days"),
        ),
        inspection_lead=timedelta(days=policy.inspection_lead_days),
        confirmation=Rule(
            lead_days=policy.confirmation_lead_days,
            source=RuleSource.MINGTE_CONFIRMATION,
            plan=in_force,
            set_by=set_by("confirmation_lead_days"),
        ),
        confirmation_lead=timedelta(days=policy.confirmation_lead_days),
        quality_test=Rule(
            every_years=policy.quality_test_every_years,
            source=RuleSource.MINGTE_QUALITY_TEST,
            plan=in_force,
            set_by=set_by("quality_test_every_years"),
        ),
    )


def rules_of(policy: Policy) -> dict[str, Rule | None]:
    """Each kind's rule under `policy`, as `renewal rules` lists them (renewals by scheme;
    transfer is None without an organic rule)."""
    plan = _plan(policy)
    return {
        "green": policy.schemes.get(Scheme.GREEN),
        "organic": policy.schemes.get(Scheme.ORGANIC),
        "transfer": plan.transfer,
        "crop": plan.annual_crop,
        "inspection": plan.inspection,
        "confirmation": plan.confirmation,
        "test": plan.quality_test,
    }


# id(policy) → its plan. A policy cannot be hashed (it holds dicts) but is frozen, so what
# follows from it can be kept; the entry holds the policy, so its id is not reused meanwhile.
_PLANS: dict[int, _Plan] = {}


def _plan(policy: Policy) -> _Plan:
    plan = _PLANS.get(id(policy))
    if plan is None or plan.policy is not policy:
        if len(_PLANS) >= 64:  # a run uses one or two policies; tests make many
            _PLANS.clear()
        plan = _PLANS[id(policy)] = _make_plan(policy)
    return plan


_Verdict = tuple[date, date, Status, Action, date | None]
"""How an obligation stands on AS_OF: (its file-by day, the last day it can be met at all, status,
action, the filing or check that counts). Each kind judges this; `_item` makes the item of it."""


def _item(
    certificate: Certificate,
    as_of: date,
    plan: _Plan,
    kind: Kind,
    rule: Rule,
    verdict: _Verdict,
    superseded_by: str | None = None,
) -> ScheduleItem:
    """The one place a ScheduleItem is made: what every kind shares, and the kind's verdict."""
    deadline, ends_on, status, action, filed = verdict
    return ScheduleItem(
        certificate=certificate,
        kind=kind,
        as_of=as_of,
        plan_year=plan.plan_year,
        rule=rule,
        file_by=deadline,
        submit_by=submit_by(deadline),
        ends_on=ends_on,
        filed_on=filed,
        days_left=(deadline - as_of).days,
        status=status,
        action=action,
        flags=_flags(certificate, plan),
        superseded_by=superseded_by,
    )


def renewal(
    certificate: Certificate,
    as_of: date,
    policy: Policy,
    successor: Certificate | None = None,
) -> ScheduleItem:
    """The renewal (续展 / 再认证) of a certificate, or its transfer to COFCC."""
    expires = certificate.expires_on
    assert expires is not None
    transfer = certificate.scheme is Scheme.ORGANIC and not is_cofcc(certificate.certifier)
    plan = _plan(policy)
    rule = plan.transfer if transfer else policy.rule(certificate.scheme)
    if rule is None:  # a policy without organic rules: fail as policy.rule always did
        rule = policy.rule(certificate.scheme)
    deadline = file_by(expires, rule.lead_months)
    filed = known_filing(certificate.filed_on, as_of, certificate.issued_on)
    status, action = status_on(
        expires_on=expires,
        deadline=deadline,
        filed_on=filed,
        as_of=as_of,
        superseded=successor is not None,
    )
    if transfer and action is Action.RENEW:
        action = Action.TRANSFER
    kind = Kind.TRANSFER if transfer else Kind.RENEWAL
    successor_id = successor.cert_id if successor is not None else None
    verdict = (deadline, expires, status, action, filed)
    return _item(certificate, as_of, plan, kind, rule, verdict, successor_id)


def new_application(certificate: Certificate, as_of: date, policy: Policy) -> ScheduleItem:
    """A planned organic application for an annual crop: file a month before sowing."""
    sowing = certificate.sowing_on
    assert sowing is not None
    plan = _plan(policy)
    rule = plan.annual_crop
    deadline = file_by(sowing, rule.lead_months)
    filed = known_filing(certificate.filed_on, as_of, None)
    status, action = status_on(expires_on=sowing, deadline=deadline, filed_on=filed, as_of=as_of)
    if status is Status.PENDING or (status is Status.LATE and filed is None):
        action = Action.APPLY  # late, but sowing has not begun: still worth applying
    verdict = (deadline, sowing, status, action, filed)
    return _item(certificate, as_of, plan, Kind.NEW_APPLICATION, rule, verdict)


@lru_cache(maxsize=8192)  # one AS_OF a run, and registers repeat issue days
def _certificate_year(issued: date, as_of: date) -> tuple[date, date, int]:
    """The first and last day of the certificate year AS_OF falls in, and its number."""
    next_start, years = next_anniversary(issued, as_of + ONE_DAY)
    return anniversary(issued, years - 1), next_start - ONE_DAY, years


def annual_inspection(certificate: Certificate, as_of: date, policy: Policy) -> ScheduleItem | None:
    """The green food annual inspection of the certificate year AS_OF falls in (none once the
    certificate has expired or before it is issued)."""
    issued, expires = certificate.issued_on, certificate.expires_on
    if issued is None or expires is None or not issued <= as_of <= expires:
        return None
    year_start, year_end, years = _certificate_year(issued, as_of)
    year_end = min(year_end, expires)
    plan = _plan(policy)
    lead = plan.inspection_lead
    verdict = _inspection_owed(certificate, as_of, years, year_start, year_end, lead)
    if verdict is None:
        deadline = year_end - lead
        done = certificate.inspected_on
        if done is not None and not year_start <= done <= min(year_end, as_of):
            done = None
        status, action = status_on(
            expires_on=year_end, deadline=deadline, filed_on=done, as_of=as_of
        )
        if done is not None:
            # Inspected within the certificate year: done, even after the policy's lead.
            status, action = Status.FILED, Action.NONE
        elif status in (Status.PENDING, Status.LATE, Status.EXPIRED):
            action = Action.INSPECT
        status = Status.LATE if status is Status.EXPIRED else status
        verdict = (deadline, year_end, status, action, done)
    return _item(certificate, as_of, plan, Kind.ANNUAL_INSPECTION, plan.inspection, verdict)


def _inspection_owed(
    certificate: Certificate,
    as_of: date,
    years: int,
    year_start: date,
    year_end: date,
    lead: timedelta,
) -> _Verdict | None:
    """Last certificate year's inspection, if it was never done: still owed (the plan wants every
    one done), late until an inspection is recorded, by last year's deadline."""
    issued = certificate.issued_on
    if years <= 1 or issued is None or "inspected_on" not in certificate.recorded:
        return None
    # Registers keep the latest date only, so any inspection since last year began counts.
    last_start = anniversary(issued, years - 2)
    done_since = certificate.inspected_on
    if done_since is not None and last_start <= done_since <= as_of:
        return None
    last_end = year_start - ONE_DAY
    return last_end - lead, year_end, Status.LATE, Action.INSPECT, None


def annual_confirmation(certificate: Certificate, as_of: date, policy: Policy) -> ScheduleItem:
    """名特优新: apply for the annual confirmation 30 days before each anniversary. A missed one
    drops the product from the list: expired, apply anew."""
    listed = certificate.listed_on
    assert listed is not None
    plan = _plan(policy)
    lead = plan.confirmation_lead
    anniversary_day, years = next_anniversary(listed, as_of)
    verdict = _listing_lapsed(certificate, listed, years, lead)
    if verdict is None:
        deadline = anniversary_day - lead
        confirmed = known_filing(certificate.confirmed_on, as_of, anniversary(listed, years - 1))
        status, action = status_on(
            expires_on=anniversary_day, deadline=deadline, filed_on=confirmed, as_of=as_of
        )
        if status is Status.PENDING:
            action = Action.CONFIRM
        verdict = (deadline, anniversary_day, status, action, confirmed)
    return _item(certificate, as_of, plan, Kind.ANNUAL_CONFIRMATION, plan.confirmation, verdict)


def _listing_lapsed(
    certificate: Certificate, listed: date, years: int, lead: timedelta
) -> _Verdict | None:
    """Was last year's confirmation made in time? If not, the listing is gone: expired."""
    if years <= 1 or "confirmed_on" not in certificate.recorded:
        return None
    last = anniversary(listed, years - 1)
    previous = anniversary(listed, years - 2) if years > 2 else listed
    confirmed = certificate.confirmed_on
    # Registers keep the latest confirmation only: one in this cycle shows the listing stands.
    if confirmed is not None and (previous <= confirmed <= last - lead or confirmed > last):
        return None
    return last - lead, last, Status.EXPIRED, Action.NEW_APPLICATION, None


def quality_test(certificate: Certificate, as_of: date, policy: Policy) -> ScheduleItem:
    """名特优新: a quality test by every third anniversary of the listing."""
    listed = certificate.listed_on
    assert listed is not None
    every = policy.quality_test_every_years
    plan = _plan(policy)
    due_day, years = next_anniversary(listed, as_of, every)
    # A cycle's window runs from the day after the previous due day to its own due day.
    previous_due = anniversary(listed, years - every) if years > every else None
    window_start = previous_due + ONE_DAY if previous_due else listed
    tested = certificate.tested_on
    if tested is not None and not window_start <= tested <= as_of:
        tested = None
    verdict = None
    if previous_due is not None and tested is None:
        verdict = _test_owed(certificate, listed, years, every, previous_due, due_day)
    if verdict is None:
        status, action = status_on(
            expires_on=due_day, deadline=due_day, filed_on=tested, as_of=as_of
        )
        action = Action.TEST if status is Status.PENDING else action
        verdict = (due_day, due_day, status, action, tested)
    return _item(certificate, as_of, plan, Kind.QUALITY_TEST, plan.quality_test, verdict)


def _test_owed(
    certificate: Certificate, listed: date, years: int, every: int, previous_due: date, due: date
) -> _Verdict | None:
    """The previous cycle's quality test, if it was never done: late, due on its own day."""
    if "tested_on" not in certificate.recorded:
        return None
    before = anniversary(listed, years - 2 * every) + ONE_DAY if years > 2 * every else listed
    last = certificate.tested_on
    if last is not None and last >= before:
        return None
    return previous_due, due, Status.LATE, Action.TEST, None


Scheduler = Callable[[Certificate, date, Policy], ScheduleItem | None]


def obligations(
    certificate: Certificate,
    as_of: date,
    policy: Policy,
    successor: Certificate | None = None,
) -> list[ScheduleItem]:
    """Every item a register row gives on AS_OF, whatever its kind."""
    if certificate.scheme is Scheme.MINGTE:
        if certificate.listed_on is None:
            return []
        return [
            annual_confirmation(certificate, as_of, policy),
            quality_test(certificate, as_of, policy),
        ]
    if certificate.expires_on is None:
        if certificate.sowing_on is None:
            return []
        return [new_application(certificate, as_of, policy)]
    items = [renewal(certificate, as_of, policy, successor)]
    if certificate.scheme is Scheme.GREEN and successor is None:
        inspection = annual_inspection(certificate, as_of, policy)
        if inspection is not None:
            items.append(inspection)
    return items
