"""The plans' rules as data, keyed by plan year, and the policy file that overrides them.

Guangxi publishes a green food work plan every year. Each plan the tool knows is a data file,
one per plan year (policies/<year>.toml, shipped in the package; `2024` today), naming its source
document as the office cites it. A policy file (`--policy FILE.toml`) may add a year's plan of
its own (a `[<year>.plan]` table with the title), or change some rules of a year.

The policy of plan year Y is the newest loaded plan at or before Y (the first plan, for earlier
years) with its dates moved by the difference in years. When that plan is not Y's own, the
Policy says so (`plan_used`, `has_own_plan`): the command line warns, titles name the plan
used, and what goes to holders cites no provincial plan at all (domain.md §5). Targets belong to
the year they were set for: they are not moved on.

A Policy is a frozen dataclass. The shipped plans are read with tomllib only (their content is
checked by the tests); a policy file is read and validated with pydantic, in policyfile.py, which
imports this module (never the other way round) and is imported only when a policy file is read,
so a run without --policy never imports pydantic. `policy_for` takes what it needs of a file read
there through the protocols below (Overrides).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any, Protocol

from dateutil.relativedelta import relativedelta

from renewal_cli.errors import UsageError
from renewal_cli.models import Rule, RuleSource, Scheme, WorkPlan

# The county tiers of data/guangxi_divisions.csv that fee relief may name.
FEE_TIERS = ("key_assistance", "national_832", "autonomous_region_level")

# What the national rules say (domain.md §5), whatever a plan adds: 《绿色食品标志管理办法》
# (3 years, file 3 months before expiry) and 《有机产品认证实施规则》 CNCA-N-009 (1 year, 3 months).
NATIONAL_RULES: dict[Scheme, tuple[int, int]] = {Scheme.GREEN: (3, 3), Scheme.ORGANIC: (1, 3)}
"""Scheme → (validity in years, filing lead in months) under the national rule."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """The rules of one plan year, and the plan they come from.

    Keyword-only, as the pydantic model it was. Not hashable (it holds dicts), but frozen."""

    plan_year: int
    """The plan year asked for."""
    plan: WorkPlan
    """The plan in force: plan_year's own, or the latest earlier one when that is not loaded."""
    schemes: dict[Scheme, Rule]
    cohort_issue_year: int
    """Green certificates issued in this year are flagged `plan_cohort`."""
    next_h1_from: date
    next_h1_to: date
    """Green certificates expiring in [next_h1_from, next_h1_to] are flagged `next_h1`."""
    submit_all_before: date
    """The plan's target: every renewal submitted for approval before this day."""
    transfer_lead_months: int = 4
    """Organic certificates of another body move to COFCC this long before expiry."""
    sowing_lead_months: int = 1
    """An annual crop's organic application is filed this long before sowing."""
    inspection_lead_days: int = 0
    """Green food annual inspection: days before the certificate year ends (belief; see README)."""
    confirmation_lead_days: int = 30
    """名特优新 annual confirmation: days before the listing's anniversary."""
    quality_test_every_years: int = 3
    """名特优新 quality test: every this many years after listing."""
    targets: dict[str, int] = field(default_factory=dict)
    """City → certificates valid on 31 December of the plan year (the plan's target)."""
    fee_relief_tiers: tuple[str, ...] = ("key_assistance", "national_832")
    """County tiers whose holders have fees waived (green) or discounted (organic)."""
    adjusted: frozenset[str] = frozenset()
    """What a policy file changed outside a declared plan (keys of ADJUSTABLE)."""
    adjusted_by: str | None = None
    """That policy file."""

    @property
    def plan_used(self) -> int:
        """The year of the plan in force."""
        return self.plan.year

    @property
    def has_own_plan(self) -> bool:
        """Whether the plan year's own plan is loaded (not an earlier one carried over)."""
        return self.plan.year == self.plan_year

    def rule(self, scheme: Scheme) -> Rule:
        """The validity, lead and source of `scheme`'s renewal rule."""
        return self.schemes[scheme]

    def set_by(self, key: str) -> str | None:
        """The policy file that changed `key` (of ADJUSTABLE), if one did."""
        return self.adjusted_by if key in self.adjusted else None

    def moved_to(self, plan_year: int) -> Policy:
        """This policy with every year moved on to `plan_year` (targets only for their year)."""
        if plan_year == self.plan_year:
            return self
        shift = relativedelta(years=plan_year - self.plan_year)
        return replace(
            self,
            plan_year=plan_year,
            cohort_issue_year=self.cohort_issue_year + plan_year - self.plan_year,
            next_h1_from=self.next_h1_from + shift,
            next_h1_to=self.next_h1_to + shift,
            submit_all_before=self.submit_all_before + shift,
            targets={},
        )


# What a policy file may change of a plan, each as compared to tell whether it did.
ADJUSTABLE: dict[str, Callable[[Policy], object]] = {
    "green": lambda p: _lead_of(p, Scheme.GREEN),
    "organic": lambda p: _lead_of(p, Scheme.ORGANIC),
    "flags": lambda p: (p.cohort_issue_year, p.next_h1_from, p.next_h1_to),
    "transfer_lead_months": lambda p: p.transfer_lead_months,
    "sowing_lead_months": lambda p: p.sowing_lead_months,
    "inspection_lead_days": lambda p: p.inspection_lead_days,
    "confirmation_lead_days": lambda p: p.confirmation_lead_days,
    "quality_test_every_years": lambda p: p.quality_test_every_years,
    "submit_all_before": lambda p: p.submit_all_before,
    "targets": lambda p: p.targets,
    "fee_relief": lambda p: p.fee_relief_tiers,
}


def _lead_of(policy: Policy, scheme: Scheme) -> tuple[int | None, int]:
    rule = policy.schemes[scheme]
    return rule.validity_years, rule.lead_months


def _stamped(policy: Policy) -> Policy:
    """The renewal rules marked with the plan in force and the file that set them, if any."""
    schemes = {
        scheme: replace(rule, plan=policy.plan, set_by=policy.set_by(scheme.value))
        for scheme, rule in policy.schemes.items()
    }
    return replace(policy, schemes=schemes)


def plain_title(title: str) -> str:
    """A plan's title without surrounding spaces and book-title marks (《…》 is added when
    cited)."""
    return title.strip().removeprefix("《").removesuffix("》").strip()


# --- The shipped plans ----------------------------------------------------------------------------


def _shipped_policy(year: int, table: dict[str, Any]) -> Policy:
    """A plan file of the package (complete: tests/test_policy.py checks every key)."""
    plan, green, organic = table["plan"], table["green"], table["organic"]
    flags, duties = table["flags"], table["obligations"]
    tiers = tuple(table["fee_relief"]["tiers"])
    policy = Policy(
        plan_year=year,
        plan=WorkPlan(
            year=year,
            title=plain_title(plan["title"]),
            issued_on=plan["issued"],
            fee_relief_tiers=tiers,
        ),
        schemes={
            Scheme.GREEN: Rule(
                validity_years=green["validity_years"],
                lead_months=green["lead_months"],
                source=RuleSource.GREEN_MEASURES_ART18,
            ),
            Scheme.ORGANIC: Rule(
                validity_years=organic["validity_years"],
                lead_months=organic["lead_months"],
                source=RuleSource.GUANGXI_PLAN,
            ),
        },
        cohort_issue_year=flags["cohort_issue_year"],
        next_h1_from=flags["next_h1_from"],
        next_h1_to=flags["next_h1_to"],
        submit_all_before=table["submit_all_before"],
        transfer_lead_months=duties["transfer_lead_months"],
        sowing_lead_months=duties["sowing_lead_months"],
        inspection_lead_days=duties["inspection_lead_days"],
        confirmation_lead_days=duties["confirmation_lead_days"],
        quality_test_every_years=duties["quality_test_every_years"],
        targets=dict(table["targets"]),
        fee_relief_tiers=tiers,
    )
    return _stamped(policy)


def plan_files() -> dict[int, str]:
    """The plan files shipped in the package: plan year → the file's text."""
    folder = files("renewal_cli").joinpath("policies")
    return {
        int(entry.name.removesuffix(".toml")): entry.read_text("utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml") and entry.name.removesuffix(".toml").isdigit()
    }


@cache
def shipped_plans() -> dict[int, Policy]:
    """The plans shipped in the package, by plan year (read once, when first asked)."""
    import tomllib  # about 5 ms, paid by the runs that need a plan, not by every import

    return {year: _shipped_policy(year, tomllib.loads(text)) for year, text in plan_files().items()}


def first_plan_year() -> int:
    return min(shipped_plans())


def __getattr__(name: str) -> object:
    # PLANS and FIRST_PLAN_YEAR, as the module had them before the plans became files: read
    # when first used, not when the module is imported.
    if name == "PLANS":
        return shipped_plans()
    if name == "FIRST_PLAN_YEAR":
        return first_plan_year()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- The plan in force ----------------------------------------------------------------------------


class DeclaredPlan(Protocol):
    """A year's own plan in a policy file ([<year>.plan], policyfile.PlanSection)."""

    @property
    def title(self) -> str: ...
    @property
    def issued(self) -> date | None: ...


class YearOverrides(Protocol):
    """What a policy file says about one plan year (policyfile.PlanOverride)."""

    @property
    def plan(self) -> DeclaredPlan | None: ...
    def apply(self, policy: Policy) -> Policy: ...


class Overrides(Protocol):
    """A policy file read and validated (policyfile.PolicyFile): plan year (as its TOML table
    name) → what the file says about it, and the file as named on the command line."""

    @property
    def root(self) -> Mapping[str, YearOverrides]: ...
    @property
    def source(self) -> str: ...


def policy_for(plan_year: int, overrides: Overrides | None = None) -> Policy:
    """The policy of `plan_year`: the newest loaded plan at or before it (shipped, or declared
    in the policy file), moved on to that year, with the file's other changes for that year
    applied (and remembered in `adjusted`, so what they set is cited to the file)."""
    declared: dict[int, YearOverrides] = {}
    source = None
    if overrides is not None:
        source = overrides.source
        declared = {int(y): t for y, t in overrides.root.items() if t.plan is not None}
    policy = _in_force(plan_year, declared, source)
    table = overrides.root.get(str(plan_year)) if overrides is not None else None
    if table is not None and table.plan is None:
        changed = table.apply(policy)
        adjusted = frozenset(
            k for k, facet in ADJUSTABLE.items() if facet(changed) != facet(policy)
        )
        if adjusted:
            policy = replace(changed, adjusted=adjusted, adjusted_by=source)
    return _stamped(policy)


def _in_force(year: int, declared: dict[int, YearOverrides], source: str | None) -> Policy:
    """The plan in force for `year`, moved on to it (declared: plan year → a policy file's table
    that declares that year's plan)."""
    shipped = shipped_plans()
    years = sorted({*shipped, *declared})
    earlier = [y for y in years if y <= year]
    found = earlier[-1] if earlier else years[0]
    if found not in declared:
        return shipped[found].moved_to(year)
    table = declared[found]
    assert table.plan is not None  # only tables that declare their year's plan are here
    # A declared plan states what it gives; the rest is taken from the plan before it.
    below = {y: t for y, t in declared.items() if y < found}
    base = table.apply(_in_force(found - 1, below, source).moved_to(found))
    plan = WorkPlan(
        year=found,
        title=plain_title(table.plan.title),
        issued_on=table.plan.issued,
        file=source,
        fee_relief_tiers=base.fee_relief_tiers,
    )
    return replace(base, plan=plan).moved_to(year)


def plan_years_of(overrides: Overrides | None) -> frozenset[int]:
    """The plan years a policy file has a table for."""
    if overrides is None:
        return frozenset()
    return frozenset(int(year) for year in overrides.root)


# --- The policy file ------------------------------------------------------------------------------
# Read and validated in policyfile.py (pydantic), imported only when a file is given.


class PolicyFileError(UsageError):
    """A policy file that cannot be used: one entry per bad key (path, value, what is allowed).

    Here rather than in policyfile.py, so the CLI can tell it apart without importing pydantic."""

    def __init__(self, source: str, faults: list[dict[str, str]]) -> None:
        super().__init__("policy.bad_file", source=source, count=len(faults))
        self.source = source
        self.faults = faults
