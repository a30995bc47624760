"""Renewal policy as data, keyed by plan year.

Guangxi publishes a green food work plan every year; each repeats the rules of the one before with
the years moved on by one. So the policy of plan year Y is the newest published plan at or before Y
(or the 2024 plan for earlier years) with its dates moved by the difference in years. A new year's
plan that changes a number is a new entry in PLANS, not a new branch in the rules.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict

from renewal_cli.models import Rule, RuleSource, Scheme


class Policy(BaseModel):
    """The renewal rules of one plan year."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    plan_year: int
    schemes: dict[Scheme, Rule]
    cohort_issue_year: int
    """Green certificates issued in this year are flagged `plan_cohort`."""
    next_h1_from: date
    next_h1_to: date
    """Green certificates expiring in [next_h1_from, next_h1_to] are flagged `next_h1`."""
    submit_all_before: date
    """The plan's target: every renewal submitted for approval before this day."""

    def rule(self, scheme: Scheme) -> Rule:
        """The validity, lead and source of `scheme`'s renewal rule."""
        return self.schemes[scheme]

    def moved_to(self, plan_year: int) -> Policy:
        """This policy with every year moved on to `plan_year`."""
        shift = relativedelta(years=plan_year - self.plan_year)
        return self.model_copy(
            update={
                "plan_year": plan_year,
                "cohort_issue_year": self.cohort_issue_year + plan_year - self.plan_year,
                "next_h1_from": self.next_h1_from + shift,
                "next_h1_to": self.next_h1_to + shift,
                "submit_all_before": self.submit_all_before + shift,
            }
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
    ),
}

FIRST_PLAN_YEAR = min(PLANS)


def policy_for(plan_year: int) -> Policy:
    """The policy of `plan_year`: the newest plan at or before it, moved on to that year."""
    known = [year for year in PLANS if year <= plan_year]
    base = PLANS[max(known)] if known else PLANS[FIRST_PLAN_YEAR]
    return base.moved_to(plan_year)
