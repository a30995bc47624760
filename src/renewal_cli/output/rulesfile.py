"""The rules in force for a plan year, as a table or JSON: one row per kind of obligation."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.cells import cell_len

from renewal_cli.messages import Lang, text
from renewal_cli.models import Kind, Scheme
from renewal_cli.output.wrap import wrap
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


def render_rules_table(policy: Policy, lang: Lang, width: int = 80) -> str:
    """One block per kind (what it applies to, then validity, lead, lateness and source),
    wrapped to `width` display cells so it fits a terminal."""
    from renewal_cli.present import join, label

    none = text("rules.none", lang)
    out = [text("rules.title", lang, plan_year=policy.plan_year), ""]
    for r in rule_rows(policy):
        validity = r["validity_years"]
        applies = text("rules.applies." + str(r["applies"]), lang)
        head = label(Kind(str(r["kind"])), lang) + " · " + applies
        facts = [
            (
                "validity",
                text("rules.years", lang, years=validity) if validity else none,
            ),
            ("lead", text(f"rules.lead.{r['lead']}", lang, n=r["lead_value"])),
            ("late", text(f"rules.late.{r['late']}", lang)),
            (
                "source",
                text(
                    f"rule.{r['source']}",
                    lang,
                    months=r["lead_value"],
                    days=r["lead_value"],
                    every=r["lead_value"],
                    plan_year=policy.plan_year,
                ),
            ),
        ]
        out.append(head)
        for key, value in facts:
            line = text("rules.fact", lang, name=text(f"rules.heading.{key}", lang), value=value)
            out.extend(_wrap(line, width, "  "))
        out.append("")
    tiers = join([text(f"tier.{t}", lang) for t in policy.fee_relief_tiers], lang)
    cohort = text(
        "rules.flags.green",
        lang,
        cohort=policy.cohort_issue_year,
        h1_from=policy.next_h1_from.isoformat(),
        h1_to=policy.next_h1_to.isoformat(),
    )
    tail = [
        cohort,
        text("rules.submit_all", lang, day=policy.submit_all_before.isoformat()),
        text("rules.fee_relief", lang, tiers=tiers),
    ]
    places = [f"{city} {n}" for city, n in policy.targets.items()]  # never cut apart
    if places:
        comma = "，" if lang is Lang.ZH else ", "
        tail.append(text("rules.targets", lang, targets=comma.join(places)))
    else:
        tail.append(text("rules.no_targets", lang))
    for line in tail:
        out.extend(_wrap(line, width, "", places))
    return "\n".join(out) + "\n"


def _wrap(line: str, width: int, indent: str, keep: Sequence[str] = ()) -> list[str]:
    """A line wrapped to `width` display cells (CJK counts two; never inside a number, a
    title or one of `keep`, never a closing mark first: output/wrap.py), continued under the
    indent."""
    room = max(20, width - cell_len(indent) - 2)
    pieces = wrap(line, room, keep=keep)
    return [indent + pieces[0], *(indent + "  " + p for p in pieces[1:])]
