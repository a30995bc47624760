"""The plan's rules as data, keyed by plan year, and the policy file that overrides them.

Guangxi publishes a green food work plan every year; each repeats the rules of the one before with
the years moved on by one. So the policy of plan year Y is the newest published plan at or before Y
(or the 2024 plan for earlier years) with its dates moved by the difference in years. A new year's
plan that changes a number is a new entry in PLANS, or a policy file (`--policy FILE.toml`), not
a new branch in the rules. Targets belong to the year they were set for: they are not moved on.

A Policy is a frozen dataclass: the built-in plans are written here and a policy file is
validated (with pydantic, in policyfile.py) before anything of it reaches a Policy. That module
is imported only when a policy file is read, so a run without --policy never imports pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from renewal_cli.errors import UsageError
from renewal_cli.models import Rule, RuleSource, Scheme

if TYPE_CHECKING:
    from renewal_cli.policyfile import PolicyFile

# The county tiers of data/guangxi_divisions.csv that fee relief may name.
FEE_TIERS = ("key_assistance", "national_832", "autonomous_region_level")


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """The rules of one plan year.

    Keyword-only, as the pydantic model it was. Not hashable (it holds dicts), but frozen."""

    plan_year: int
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

    def rule(self, scheme: Scheme) -> Rule:
        """The validity, lead and source of `scheme`'s renewal rule."""
        return self.schemes[scheme]

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


# 《2024年绿色食品（绿色优质农产品）高质量发展工作方案》, issued 2024-03-25.
# Validity and the green lead time are national rules (《绿色食品标志管理办法》 Art. 18); the
# organic lead of 4 months is Guangxi's (the national CNCA rule is 3).
PLANS: dict[int, Policy] = {
    2024: Policy(
        plan_year=2024,
        schemes={
            Scheme.GREEN: Rule(
                validity_years=3, lead_months=3, source=RuleSource.GREEN_MEASURES_ART18
            ),
            Scheme.ORGANIC: Rule(validity_years=1, lead_months=4, source=RuleSource.GUANGXI_PLAN),
        },
        cohort_issue_year=2021,
        next_h1_from=date(2025, 1, 1),
        next_h1_to=date(2025, 6, 30),
        submit_all_before=date(2024, 10, 1),
        targets={
            "南宁市": 140,
            "柳州市": 248,
            "桂林市": 193,
            "梧州市": 73,
            "北海市": 47,
            "防城港市": 47,
            "钦州市": 80,
            "贵港市": 75,
            "玉林市": 132,
            "百色市": 285,
            "贺州市": 137,
            "河池市": 154,
            "来宾市": 61,
            "崇左市": 28,
        },
    ),
}

FIRST_PLAN_YEAR = min(PLANS)


def policy_for(plan_year: int, overrides: PolicyFile | None = None) -> Policy:
    """The policy of `plan_year`: the newest plan at or before it, moved on to that year, with
    a policy file's overrides for that year applied."""
    known = [year for year in PLANS if year <= plan_year]
    base = PLANS[max(known)] if known else PLANS[FIRST_PLAN_YEAR]
    policy = base.moved_to(plan_year)
    if overrides is not None and str(plan_year) in overrides.root:
        policy = overrides.root[str(plan_year)].apply(policy)
    return policy


# --- The policy file ------------------------------------------------------------------------------
# Read and validated in policyfile.py (pydantic), imported only here, when a file is given.


class PolicyFileError(UsageError):
    """A policy file that cannot be used: one entry per bad key (path, value, what is allowed).

    Here rather than in policyfile.py, so the CLI can tell it apart without importing pydantic."""

    def __init__(self, source: str, faults: list[dict[str, str]]) -> None:
        super().__init__("policy.bad_file", source=source, count=len(faults))
        self.source = source
        self.faults = faults


def read_policy_file(path: Path) -> PolicyFile:
    """A policy file, validated. Raises PolicyFileError with every bad key, or UsageError when
    the file cannot be read or is not TOML (policyfile.read_policy_file)."""
    from renewal_cli.policyfile import read_policy_file as read

    return read(path)
