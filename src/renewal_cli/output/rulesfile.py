"""The rules in force for a plan year, as a table or JSON: the plan used (the year's own or an
earlier one carried over), then one row per kind of obligation with the document that states
it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.cells import cell_len

from renewal_cli.messages import Lang, text
from renewal_cli.models import Kind, Scheme
from renewal_cli.obligations import rules_of
from renewal_cli.output.wrap import wrap
from renewal_cli.policy import Policy
from renewal_cli.present import (
    cited_document,
    plan_document,
    plan_note,
    rule_sentence,
    validity_source,
)

# Each kind: what it applies to (also its rule's key in obligations.rules_of), how its lead is
# counted, what late means, its source.
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
# The rule of each row above (obligations.rules_of): renewals by scheme, then the other kinds.
_RULE_KEYS = ("green", "organic", "transfer", "crop", "inspection", "confirmation", "test")


def rule_rows(policy: Policy) -> list[dict[str, object]]:
    """Each kind's rule as data (also the JSON); `cites` names the document that states it
    (green_measures, mingte, plan or file: see present.cited_document)."""
    green, organic = policy.rule(Scheme.GREEN), policy.rule(Scheme.ORGANIC)
    rules = rules_of(policy)
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
    rows: list[dict[str, object]] = []
    for index, ((kind, applies, lead, late, source), (validity, n), key) in enumerate(
        zip(_KINDS, values, _RULE_KEYS, strict=True)
    ):
        rule = rules[key]
        rows.append(
            {
                "kind": kind.value,
                "applies": applies,
                "validity_years": validity,
                "lead": lead,
                "lead_value": n,
                "late": late,
                "source": source,
                "cites": cited_document(rule, policy.plan_year) if rule else None,
                "flags": flags if index == 0 else {},
            }
        )
    return rows


def render_rules_json(policy: Policy) -> str:
    plan = policy.plan
    data = {
        "plan_year": policy.plan_year,
        "plan_used": policy.plan_used,
        "plan": {
            "year": plan.year,
            "title": plan.title,
            "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
            "file": plan.file,
        },
        "adjusted_by": policy.adjusted_by,
        "adjusted": sorted(policy.adjusted),
        "kinds": rule_rows(policy),
        "submit_all_before": policy.submit_all_before.isoformat(),
        "fee_relief_tiers": list(policy.fee_relief_tiers),
        "targets": policy.targets,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def rules_heading(policy: Policy, lang: Lang) -> list[str]:
    """ "2026 年：未载入 2026 年工作方案，沿用 2024 年工作方案《…》（2024-03-25 印发）", and the
    policy file that changes some rules, if one does."""
    key = "rules.title" if policy.has_own_plan else "rules.title.carried"
    lines = [text(key, lang, year=policy.plan_year, document=plan_document(policy.plan, lang))]
    if policy.adjusted_by is not None:
        lines.append(text("rules.adjusted", lang, file=policy.adjusted_by))
    return lines


def _plan_source(policy: Policy, key: str, lang: Lang) -> str:
    """ "（2024 年工作方案）" for a rule of the plan's own (flags, submission day, fee relief, targets), or
    the policy file that changed it."""
    by = policy.set_by(key)
    used = policy.plan_used
    cite = text("cite.file", lang, file=by) if by is not None else plan_note(used, used, lang)
    return text("rule.cite", lang, cite=cite)


def render_rules_table(policy: Policy, lang: Lang, width: int = 80) -> str:
    """The heading (the year asked and the plan used), then one block per kind (what it applies
    to, then validity, lead, lateness and source), wrapped to `width` display cells so it fits
    a terminal."""
    from renewal_cli.present import join, label

    none = text("rules.none", lang)
    out: list[str] = []
    for line in rules_heading(policy, lang):
        out.extend(_wrap(line, width, ""))
    out.append("")
    rules = rules_of(policy)
    for r, key in zip(rule_rows(policy), _RULE_KEYS, strict=True):
        validity = r["validity_years"]
        applies = text("rules.applies." + str(r["applies"]), lang)
        head = label(Kind(str(r["kind"])), lang) + " · " + applies
        rule = rules[key]
        source = none
        if rule is not None:
            source = rule_sentence(rule, policy.plan_year, lang, carried=False, remarks=True)
            if key in ("green", "organic"):
                source += validity_source(rule, Scheme(key), policy.plan_year, lang)
        facts = [
            (
                "validity",
                text("rules.years", lang, years=validity) if validity else none,
            ),
            ("lead", text(f"rules.lead.{r['lead']}", lang, n=r["lead_value"])),
            ("late", text(f"rules.late.{r['late']}", lang)),
            ("source", source),
        ]
        out.append(head)
        for name, value in facts:
            line = text("rules.fact", lang, name=text(f"rules.heading.{name}", lang), value=value)
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
        cohort + _plan_source(policy, "flags", lang),
        text("rules.submit_all", lang, day=policy.submit_all_before.isoformat())
        + _plan_source(policy, "submit_all_before", lang),
        text("rules.fee_relief", lang, tiers=tiers) + _plan_source(policy, "fee_relief", lang),
    ]
    places = [f"{city} {n}" for city, n in policy.targets.items()]  # never cut apart
    if places:
        comma = "，" if lang is Lang.ZH else ", "
        tail.append(
            text("rules.targets", lang, targets=comma.join(places))
            + _plan_source(policy, "targets", lang)
        )
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
