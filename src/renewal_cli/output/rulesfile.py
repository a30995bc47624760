"""The rules in force for a plan year, as a table or JSON: one row per kind of obligation."""

from __future__ import annotations

import json

from rich.cells import cell_len

from renewal_cli.messages import Lang, text
from renewal_cli.models import Kind, Scheme
from renewal_cli.policy import Policy

# Each kind: what it applies to, how its lead is counted, what late means, its source.
_KINDS: tuple[tuple[Kind, str, str, str, str], ...] = (
    (Kind.RENEWAL, "green", "months_before_expiry", "renewal", "green_measures_art18"),
    (Kind.RENEWAL, "organic", "months_before_expiry", "renewal", "guangxi_plan"),
    (Kind.TRANSFER, "transfer", "months_before_expiry", "renewal", "guangxi_plan_transfer"),
    (Kind.NEW_APPLICATION, "crop", "months_before_sowing", "crop", "guangxi_plan_annual_crop"),
    (Kind.ANNUAL_INSPECTION, "green", "days_before_year_end", "inspection", "green_inspection"),
    (
        Kind.ANNUAL_CONFIRMATION,
        "mingte",
        "days_before_anniversary",
        "confirmation",
        "mingte_confirmation",
    ),
    (Kind.QUALITY_TEST, "mingte", "every_years", "test", "mingte_quality_test"),
)


def rule_rows(policy: Policy) -> list[dict[str, object]]:
    """Each kind's rule as data (also the JSON)."""
    green, organic = policy.rule(Scheme.GREEN), policy.rule(Scheme.ORGANIC)
    values = (
        (green.validity_years, green.lead_months),
        (organic.validity_years, organic.lead_months),
        (organic.validity_years, policy.transfer_lead_months),
        (None, policy.sowing_lead_months),
        (None, policy.inspection_lead_days),
        (None, policy.confirmation_lead_days),
        (None, policy.quality_test_every_years),
    )
    flags = {
        "cohort_issue_year": policy.cohort_issue_year,
        "next_h1": [policy.next_h1_from.isoformat(), policy.next_h1_to.isoformat()],
    }
    return [
        {
            "kind": kind.value,
            "applies": applies,
            "validity_years": validity,
            "lead": lead,
            "lead_value": n,
            "late": late,
            "source": source,
            "flags": flags if index == 0 else {},
        }
        for index, ((kind, applies, lead, late, source), (validity, n)) in enumerate(
            zip(_KINDS, values, strict=True)
        )
    ]


def render_rules_json(policy: Policy) -> str:
    data = {
        "plan_year": policy.plan_year,
        "kinds": rule_rows(policy),
        "submit_all_before": policy.submit_all_before.isoformat(),
        "fee_relief_tiers": list(policy.fee_relief_tiers),
        "targets": policy.targets,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_rules_table(policy: Policy, lang: Lang) -> str:
    from renewal_cli.present import label

    keys = ("kind", "scheme", "validity", "lead", "late", "source")
    none = text("rules.none", lang)
    lines = [[text(f"rules.heading.{k}", lang) for k in keys]]
    for r in rule_rows(policy):
        validity = r["validity_years"]
        lines.append(
            [
                label(Kind(str(r["kind"])), lang),
                text(f"rules.applies.{r['applies']}", lang),
                text("rules.years", lang, years=validity) if validity else none,
                text(f"rules.lead.{r['lead']}", lang, n=r["lead_value"]),
                text(f"rules.late.{r['late']}", lang),
                text(
                    f"rule.{r['source']}",
                    lang,
                    months=r["lead_value"],
                    days=r["lead_value"],
                    every=r["lead_value"],
                    plan_year=policy.plan_year,
                ),
            ]
        )
    widths = [max(cell_len(line[i]) for line in lines) for i in range(len(keys) - 1)]
    out = [text("rules.title", lang, plan_year=policy.plan_year)]
    for n, line in enumerate(lines):
        cells = [c + " " * (w - cell_len(c)) for c, w in zip(line[:-1], widths, strict=True)]
        out.append("  ".join([*cells, line[-1]]).rstrip())
        if n == 0:
            out.append("─" * min(100, sum(widths) + 2 * len(widths) + 8))
    out.append("")
    out.append(
        text(
            "rules.flags.green",
            lang,
            cohort=policy.cohort_issue_year,
            h1_from=policy.next_h1_from.isoformat(),
            h1_to=policy.next_h1_to.isoformat(),
        )
    )
    out.append(text("rules.submit_all", lang, day=policy.submit_all_before.isoformat()))
    tiers = "、".join(text(f"tier.{t}", lang) for t in policy.fee_relief_tiers)
    out.append(text("rules.fee_relief", lang, tiers=tiers))
    if policy.targets:
        targets = "，".join(f"{city} {n}" for city, n in policy.targets.items())
        out.append(text("rules.targets", lang, targets=targets))
    else:
        out.append(text("rules.no_targets", lang))
    return "\n".join(out) + "\n"
