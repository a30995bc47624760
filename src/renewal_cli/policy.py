"""The plan's rules as data, keyed by plan year, and the policy file that overrides them.

Guangxi publishes a green food work plan every year; each repeats the rules of the one before with
the years moved on by one. So the policy of plan year Y is the newest published plan at or before Y
(or the 2024 plan for earlier years) with its dates moved by the difference in years. A new year's
plan that changes a number is a new entry in PLANS, or a policy file (`--policy FILE.toml`), not
a new branch in the rules. Targets belong to the year they were set for: they are not moved on.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from renewal_cli.errors import UsageError
from renewal_cli.models import Rule, RuleSource, Scheme

# The county tiers of data/guangxi_divisions.csv that fee relief may name.
FEE_TIERS = ("key_assistance", "national_832", "autonomous_region_level")


class Policy(BaseModel):
    """The rules of one plan year."""

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
    targets: dict[str, int] = Field(default_factory=dict)
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
        return self.model_copy(
            update={
                "plan_year": plan_year,
                "cohort_issue_year": self.cohort_issue_year + plan_year - self.plan_year,
                "next_h1_from": self.next_h1_from + shift,
                "next_h1_to": self.next_h1_to + shift,
                "submit_all_before": self.submit_all_before + shift,
                "targets": {},
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


class _Strict(BaseModel):
    # strict: `lead_months = true` or `"3"` is a mistake to report, not a value to coerce.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class SchemeOverride(_Strict):
    validity_years: int | None = Field(default=None, ge=1, le=10)
    lead_months: int | None = Field(default=None, ge=0, le=24)


class FlagOverride(_Strict):
    cohort_issue_year: int | None = Field(default=None, ge=1990, le=2100)
    next_h1_from: date | None = None
    next_h1_to: date | None = None


class ObligationOverride(_Strict):
    transfer_lead_months: int | None = Field(default=None, ge=0, le=24)
    sowing_lead_months: int | None = Field(default=None, ge=0, le=24)
    inspection_lead_days: int | None = Field(default=None, ge=0, le=366)
    confirmation_lead_days: int | None = Field(default=None, ge=0, le=366)
    quality_test_every_years: int | None = Field(default=None, ge=1, le=10)


class FeeReliefOverride(_Strict):
    tiers: list[str] | None = None


class PlanOverride(_Strict):
    """What a policy file may change for one plan year; anything left out stays as it is."""

    green: SchemeOverride | None = None
    organic: SchemeOverride | None = None
    flags: FlagOverride | None = None
    obligations: ObligationOverride | None = None
    submit_all_before: date | None = None
    targets: dict[str, Annotated[int, Field(ge=0, le=100_000)]] | None = None
    fee_relief: FeeReliefOverride | None = None

    def apply(self, policy: Policy) -> Policy:
        update: dict[str, Any] = {}
        schemes = dict(policy.schemes)
        for scheme, change in ((Scheme.GREEN, self.green), (Scheme.ORGANIC, self.organic)):
            if change is not None:
                values = change.model_dump(exclude_none=True)
                schemes[scheme] = schemes[scheme].model_copy(update=values)
        update["schemes"] = schemes
        for part in (self.flags, self.obligations):
            if part is not None:
                update.update(part.model_dump(exclude_none=True))
        if self.submit_all_before is not None:
            update["submit_all_before"] = self.submit_all_before
        if self.targets is not None:
            update["targets"] = dict(self.targets)
        if self.fee_relief is not None and self.fee_relief.tiers is not None:
            update["fee_relief_tiers"] = tuple(self.fee_relief.tiers)
        return policy.model_copy(update=update)


class OfficeSection(_Strict):
    """The [office] table: who signs the notices to holders (renewal notice)."""

    name: str
    contact: str | None = None
    letterhead: str | None = None


class PolicyFile(BaseModel):
    """A policy file: plan year (as a TOML table name) → overrides, and the [office] table."""

    model_config = ConfigDict(frozen=True)

    root: dict[str, PlanOverride]
    office: OfficeSection | None = None


# Words for pydantic's error types, so a bad key is explained in the user's language.
ALLOWED: dict[str, str] = {
    "int_parsing": "whole_number",
    "int_type": "whole_number",
    "int_from_float": "whole_number",
    "greater_than_equal": "ge",
    "less_than_equal": "le",
    "date_parsing": "date",
    "date_type": "date",
    "date_from_datetime_parsing": "date",
    "extra_forbidden": "known_key",
    "list_type": "list",
    "dict_type": "table",
    "model_type": "table",
    "string_type": "text",
}


class PolicyFileError(UsageError):
    """A policy file that cannot be used: one entry per bad key (path, value, what is allowed)."""

    def __init__(self, source: str, faults: list[dict[str, str]]) -> None:
        super().__init__("policy.bad_file", source=source, count=len(faults))
        self.source = source
        self.faults = faults


def _fault(path: str, value: object, allowed: str, **limits: object) -> dict[str, str]:
    return {"path": path, "value": repr(value), "allowed": allowed} | {
        k: str(v) for k, v in limits.items()
    }


def _semantic_faults(raw: dict[str, Any], city_of: Any) -> list[dict[str, str]]:
    """Faults pydantic cannot see: plan years, city names, fee-relief tiers."""
    faults: list[dict[str, str]] = []
    for year, plan in raw.items():
        if not (year.isdigit() and 2000 <= int(year) <= 2100):
            faults.append(_fault(year, year, "plan_year"))
        if not isinstance(plan, dict):
            continue
        targets = plan.get("targets")
        for name in targets if isinstance(targets, dict) else ():
            if city_of(name) is None:
                faults.append(_fault(f"{year}.targets.{name}", name, "city"))
        relief = plan.get("fee_relief")
        tiers = relief.get("tiers") if isinstance(relief, dict) else None
        for tier in tiers if isinstance(tiers, list) else ():
            if tier not in FEE_TIERS:
                faults.append(_fault(f"{year}.fee_relief.tiers", tier, "tier"))
    return faults


def _known_keys(path: tuple[int | str, ...]) -> list[str]:
    """The keys allowed in the table at `path` below a plan year (() is the year's own)."""
    model: type[BaseModel] = PlanOverride
    for part in path:
        annotation = model.model_fields[str(part)].annotation
        inner = [a for a in getattr(annotation, "__args__", (annotation,)) if a is not type(None)]
        if not inner or not isinstance(inner[0], type) or not issubclass(inner[0], BaseModel):
            return []
        model = inner[0]
    return list(model.model_fields)


def read_policy_file(path: Path) -> PolicyFile:
    """A policy file, validated. Raises PolicyFileError with every bad key, or UsageError when
    the file cannot be read or is not TOML."""
    from renewal_cli.places import guangxi

    source = str(path)
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise UsageError("policy.not_found", source=source) from None
    except (OSError, UnicodeError) as err:
        raise UsageError("policy.unreadable", source=source, detail=str(err)) from None
    except tomllib.TOMLDecodeError as err:
        # The parser's words are English; its position is what helps: say that in our words.
        found = re.search(r"line (\d+), column (\d+)", str(err))
        line, column = found.groups() if found else ("?", "?")
        raise UsageError("policy.not_toml", source=source, line=line, column=column) from None
    places = guangxi()
    office = raw.pop("office", None)
    faults = _semantic_faults(raw, places.city)
    try:
        data = PolicyFile(root=raw, office=office)
    except ValidationError as err:
        for e in err.errors():
            loc = e["loc"][1:] if e["loc"][0] == "root" else e["loc"]
            where = ".".join(str(p) for p in loc)
            limits = dict(e.get("ctx") or {})
            if e["type"] == "extra_forbidden" and e["loc"][0] == "office":
                limits["keys"] = ", ".join(OfficeSection.model_fields)
            elif e["type"] == "extra_forbidden":
                limits["keys"] = ", ".join(_known_keys(e["loc"][2:-1]))
            faults.append(_fault(where, e.get("input"), ALLOWED.get(e["type"], "other"), **limits))
    if faults:
        raise PolicyFileError(source, faults)
    # Target keys in canonical city names (百色 → 百色市).
    plans = {}
    for year, plan in data.root.items():
        if plan.targets is not None:
            targets = {places.city(k).name: v for k, v in plan.targets.items()}  # type: ignore[union-attr]
            plan = plan.model_copy(update={"targets": targets})
        plans[year] = plan
    return PolicyFile(root=plans, office=data.office)
