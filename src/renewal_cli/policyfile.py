"""The policy file (`--policy FILE.toml`): read, validated key by key, and applied to a Policy.

Pydantic checks what a person typed here (strict types, ranges, unknown keys), and every bad key
is reported in the user's language. Only the code that reads a policy file imports this module,
inside the function that reads it (request.build_request, the notice's office), so a run without
--policy never imports pydantic; the Policy it changes is a plain dataclass (policy.py), which
takes a file read here through its Overrides protocol and never imports this module.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from renewal_cli.errors import UsageError
from renewal_cli.models import Scheme
from renewal_cli.policy import FEE_TIERS, Policy, PolicyFileError, plain_title


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


class PlanSection(_Strict):
    """[<year>.plan]: the year's own plan, as the office cites it. With it, the year's table is
    that plan (what it leaves out is taken from the plan before); without it, the table only
    changes some rules of the plan in force, and the year still has no plan of its own."""

    title: str = Field(min_length=1)
    issued: date | None = None


class PlanOverride(_Strict):
    """What a policy file may change for one plan year; anything left out stays as it is."""

    green: SchemeOverride | None = None
    organic: SchemeOverride | None = None
    flags: FlagOverride | None = None
    obligations: ObligationOverride | None = None
    submit_all_before: date | None = None
    targets: dict[str, Annotated[int, Field(ge=0, le=100_000)]] | None = None
    fee_relief: FeeReliefOverride | None = None
    plan: PlanSection | None = None

    def apply(self, policy: Policy) -> Policy:
        update: dict[str, Any] = {}
        schemes = dict(policy.schemes)
        for scheme, change in ((Scheme.GREEN, self.green), (Scheme.ORGANIC, self.organic)):
            if change is not None:
                values = change.model_dump(exclude_none=True)
                schemes[scheme] = replace(schemes[scheme], **values)
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
        return replace(policy, **update)


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
    source: str = ""
    """The file, as named on the command line (cited for what it sets)."""


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
    "missing": "required",
    "string_too_short": "required",
}


_SHOWN_VALUE = 80  # characters of a bad value a fault line quotes


def _fault(path: str, value: object, allowed: str, **limits: object) -> dict[str, str]:
    shown = repr(value)
    if len(shown) > _SHOWN_VALUE:
        shown = shown[: _SHOWN_VALUE - 1] + "…"
    return {"path": path, "value": shown, "allowed": allowed} | {
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
        declared = plan.get("plan")
        title = declared.get("title") if isinstance(declared, dict) else None
        if isinstance(title, str) and title and not plain_title(title):
            faults.append(_fault(f"{year}.plan.title", title, "required"))
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
    the file cannot be read, is not UTF-8, is not TOML or nests too deep to read."""
    source = str(path)
    try:
        return _read(path, source)
    except RecursionError:
        # Tables or arrays nested hundreds deep: no policy file looks like that, and reading
        # (or quoting) it runs out of Python's stack.
        raise UsageError("policy.too_deep", source=source) from None


def _read(path: Path, source: str) -> PolicyFile:
    from renewal_cli.places import guangxi

    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise UsageError("policy.not_found", source=source) from None
    except OSError as err:
        raise UsageError(
            "policy.unreadable", source=source, detail=err.strerror or str(err), errno=err.errno
        ) from None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as err:
        at = content.count(b"\n", 0, err.start) + 1
        raise UsageError("policy.not_utf8", source=source, offset=err.start, line=at) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        # The parser's words are English; its position is what helps: say that in our words.
        found = re.search(r"line (\d+), column (\d+)", str(err))
        line, column = found.groups() if found else ("?", "?")
        raise UsageError("policy.not_toml", source=source, line=line, column=column) from None
    places = guangxi()
    office = raw.pop("office", None)
    faults = _semantic_faults(raw, places.city)
    try:
        data = PolicyFile(root=raw, office=office, source=source)
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
    return PolicyFile(root=plans, office=data.office, source=source)
