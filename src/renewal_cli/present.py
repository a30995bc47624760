"""The one presentation: how every output words an item, a place, a count or a problem.

The table, CSV, calendar and mail all call these functions, so they say the same thing about
the same item in the same words. The words themselves live in messages.py, in Chinese and
English; this module puts them together.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from enum import StrEnum

from renewal_cli.errors import RenewalError
from renewal_cli.messages import CATALOG, FIELD_LABELS, KIND_STATUS, LABELS, Lang, text
from renewal_cli.models import Kind, Problem, ScheduleItem, Severity, Status

# Set by the command line; default is Chinese.
SEPARATOR: dict[Lang, str] = {Lang.ZH: "、", Lang.EN: ", "}


def label(value: StrEnum, lang: Lang) -> str:
    """How a status, action, scheme, flag or kind is shown to officers."""
    return LABELS[type(value), value.value][lang]


def field_label(name: str, lang: Lang) -> str:
    """The column heading of a record field (CSV header, calendar description)."""
    return FIELD_LABELS[name][lang]


def status_label(item: ScheduleItem, lang: Lang) -> str:
    """The item's status in the words of its kind (已年检 for an inspection done in time)."""
    return kind_status_label(item.kind, item.status, lang)


def kind_status_label(kind: Kind, status: Status, lang: Lang) -> str:
    """`status_label` of an item of `kind` and `status`."""
    words = KIND_STATUS.get((kind, status))
    return words[lang] if words else label(status, lang)


def join(names: Iterable[str], lang: Lang) -> str:
    return SEPARATOR[lang].join(names)


def place_label(city: str, county: str | None) -> str:
    """百色市 田阳区, or 百色市 for the city's own level."""
    return city if county is None else f"{city} {county}"


def day_count(item: ScheduleItem, lang: Lang) -> str:
    """Days left for pending, days past the deadline for late, days since expiry for expired,
    the filing date for filed, the newer certificate for superseded."""
    if item.status is Status.FILED and item.filed_on is not None:
        key = f"when.done_on.{item.kind.value}"
        key = key if key in CATALOG else "when.filed_on"
        return text(key, lang, filed_on=item.filed_on.isoformat())
    if item.status is Status.SUPERSEDED:
        return text("when.superseded", lang, cert_id=item.superseded_by or "")
    if item.status is Status.EXPIRED:
        days = (item.as_of - item.last_day).days
        return text("when.expired_days", lang, days=days)
    if item.days_left > 0:
        return text("when.days_left", lang, days=item.days_left)
    if item.days_left == 0:
        return text("when.due_today", lang)
    return text("when.days_past", lang, days=-item.days_left)


def rule_text(item: ScheduleItem, lang: Lang) -> str:
    """The filing rule the item was judged by, with its lead months and source."""
    rule = item.rule
    key = f"rule.{rule.source.value}"
    if f"{key}.none" in CATALOG and not (rule.lead_days or rule.lead_months):
        key = f"{key}.none"  # a lead of zero is said plainly, not as "0 days before"
    return text(
        key,
        lang,
        months=rule.lead_months,
        days=rule.lead_days,
        every=rule.every_years,
        plan_year=item.plan_year,
    )


def status_parts(items: Sequence[ScheduleItem], lang: Lang) -> str:
    """ "待申报 3，待年检 1，已逾期 2": non-zero counts in the words each item is shown with, in
    the order of the Status enum, then of the kinds."""
    order = {(s, k): n for n, (s, k) in enumerate((s, k) for s in Status for k in Kind)}
    counts = Counter(status_label(item, lang) for item in items)
    first: dict[str, int] = {}
    for item in sorted(items, key=lambda i: order[i.status, i.kind]):
        first.setdefault(status_label(item, lang), order[item.status, item.kind])
    sep = "，" if lang is Lang.ZH else ", "
    parts = [f"{words} {counts[words]}" for words in sorted(first, key=first.__getitem__)]
    return sep.join(parts) if parts else text("counts.nothing", lang)


def status_counts(items: Sequence[ScheduleItem], lang: Lang) -> str:
    """ "共 5 条：待申报 3，已逾期 2"."""
    return text("counts.total", lang, total=len(items), parts=status_parts(items, lang))


def describe_problem(problem: Problem, lang: Lang, *, with_place: bool = True) -> str:
    """One stderr line: file, line, column (name and letter), value and what is wrong
    (`with_place` False: without the file, line and warning mark, for a list grouped by row)."""
    detail = dict(problem.detail)
    if problem.code.value == "no_header":
        detail["missing"] = join(
            (field_label(name, lang) for name in detail.get("missing", "").split(",") if name),
            lang,
        )
    if "nearest" in detail:
        names = detail["nearest"]
        detail["nearest"] = text("problem.nearest", lang, names=names) if names else ""
    if detail.get("reason") in ("directory", "permission", "bomb"):
        detail["reason"] = text(f"reason.{detail['reason']}", lang)
    if "form" in detail:  # number_scheme_mismatch: the scheme whose form the number has
        detail["form"] = text(f"number_form.{detail['form']}", lang)
    what = text(problem.code, lang, source=problem.source, **detail)
    if problem.fatal:
        return what
    where = ""
    if problem.header:
        where = text(
            "problem.cell",
            lang,
            column=problem.header,
            letter=problem.letter,
            value=problem.value,
        )
    elif problem.letter:
        where = text("problem.beyond_header", lang, letter=problem.letter, value=problem.value)
    if not with_place:
        return where + what
    lines = (
        text("problem.lines", lang, line=problem.line, end=problem.end_line)
        if problem.end_line is not None
        else text("problem.one_line", lang, line=problem.line)
    )
    message = text("problem.at", lang, source=problem.source, lines=lines, what=where + what)
    if problem.severity is Severity.WARNING:
        message = text("problem.warning", lang, what=message)
    return message


def errno_text(number: int | str | None, fallback: str, lang: Lang) -> str:
    """An OS error in the user's words when it is a known one, else the system's text."""
    key = f"errno.{number}"
    return text(key, lang) if key in CATALOG else fallback


def describe_error(error: RenewalError, lang: Lang) -> str:
    """The message of a RenewalError or UsageError in `lang`."""
    params = dict(error.params)
    if "names" in params:
        names = [str(n) for n in params.pop("names")]  # type: ignore[attr-defined]
        params["suggestion"] = (
            text("usage.did_you_mean", lang, names=join(names, lang)) if names else ""
        )
    if "errno" in params:
        number = params.pop("errno")
        params["detail"] = errno_text(
            number if isinstance(number, int | str) else None, str(params.get("detail", "")), lang
        )
    return text(error.message_id, lang, **params).strip()


_ERRNO = re.compile(r"\[Errno (-?\d+)\] (.*)")


def describe_failure(reason: str, detail: str, server: str, lang: Lang) -> str:
    """Why a recipient was not reached: the reason in the user's words, a known SMTP code or
    system error worded too, and the server's own words quoted (they cannot be translated)."""
    said = text(f"smtp.{reason}", lang, server=server)
    code = detail[:3]
    if code.isdigit() and f"smtp.code.{code}" in CATALOG:
        meaning = text(f"smtp.code.{code}", lang)
        return text("smtp.detail", lang, reason=said, meaning=meaning, words=detail)
    match = _ERRNO.fullmatch(detail)
    if match is not None:
        words = errno_text(int(match.group(1)), match.group(2), lang)
        return text("smtp.detail_plain", lang, reason=said, words=words)
    if detail == "timed out":
        return text("smtp.detail_plain", lang, reason=said, words=text("smtp.timeout", lang))
    return text("smtp.detail_plain", lang, reason=said, words=detail) if detail else said


def describe_policy_faults(source: str, faults: list[dict[str, str]], lang: Lang) -> list[str]:
    """One line per bad key of a policy file: file, key path, value, what is allowed."""
    lines = []
    for fault in faults:
        limits = {k: v for k, v in fault.items() if k not in ("path", "value", "allowed")}
        limits.setdefault("ge", "?")
        limits.setdefault("le", "?")
        limits["keys"] = join(limits.get("keys", "").split(", "), lang)
        allowed = text(f"allowed.{fault['allowed']}", lang, **limits)
        lines.append(
            text(
                "policy.fault",
                lang,
                source=source,
                path=fault["path"] or "(top)",
                value=fault["value"],
                allowed=allowed,
            )
        )
    return lines
