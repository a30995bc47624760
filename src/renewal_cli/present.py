"""The one presentation: how every output words an item, a place, a count or a problem.

The table, CSV, calendar and mail all call these functions, so they say the same thing about
the same item in the same words. The words themselves live in messages.py, in Chinese and
English; this module puts them together.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from renewal_cli.errors import RenewalError
from renewal_cli.messages import CATALOG, FIELD_LABELS, KIND_STATUS, LABELS, Lang, text
from renewal_cli.models import (
    Kind,
    Problem,
    ProblemCode,
    Rule,
    RuleSource,
    ScheduleItem,
    Scheme,
    Severity,
    Status,
    WorkPlan,
)
from renewal_cli.policy import NATIONAL_RULES

# Statuses whose time has passed: what is said of them is what is still possible.
CLOSED_STATUSES = frozenset({Status.LATE, Status.EXPIRED})
# Kinds whose late filing makes a new application, and whose label lapses with the certificate.
CERTIFICATE_KINDS = frozenset({Kind.RENEWAL, Kind.TRANSFER})

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


def outward_plan(item: ScheduleItem) -> WorkPlan | None:
    """The provincial plan a holder may be told the item comes under: the item's plan when it is
    the plan of the item's plan year, that year is the year of the document (AS_OF's: a plan
    run on purpose with --plan-year for an earlier year is not the plan in force on the day of
    the notice), and the plan was issued by that day. Else None: the holder reads the national
    rule, and no fee relief is promised (domain.md §5)."""
    plan = item.rule.plan
    if plan is None or not plan.year == item.plan_year == item.as_of.year:
        return None
    if plan.issued_on is not None and plan.issued_on > item.as_of:
        return None
    return plan


def rule_text(item: ScheduleItem, lang: Lang, *, outward: bool = False) -> str:
    """The filing rule the item was judged by, with its lead and the document that states it.

    `outward`: for a holder (a notice, a holder's mail and calendar), where a provincial plan is
    cited only when it is the item's plan year's own and national rules stand in otherwise; an
    officer's text names the plan used, saying when it is carried over from an earlier year."""
    # The office's own earlier date is asked for only while it can still be met.
    ask = item.status is Status.PENDING
    citable = outward_plan(item) is not None if outward else True
    return rule_sentence(
        item.rule, item.plan_year, lang, outward=outward, request=ask, citable=citable
    )


def cited_document(
    rule: Rule, plan_year: int, *, outward: bool = False, citable: bool = True
) -> str | None:
    """Which document states `rule` (a key of cite.*: green_measures, mingte, plan, file), or
    None when there is none to cite (outward, the plan of `plan_year` not being loaded, or not
    `citable`: see outward_plan)."""
    if rule.set_by is not None:
        return None if outward else "file"
    national = (rule.validity_years, rule.lead_months) == NATIONAL_RULES[Scheme.GREEN]
    if rule.source is RuleSource.GREEN_MEASURES_ART18 and national:
        return "green_measures"
    if rule.source is RuleSource.MINGTE_CONFIRMATION:
        return "mingte"
    if rule.plan is None or (outward and (rule.plan.year != plan_year or not citable)):
        return None
    return "plan"


def _cite_words(
    key: str, rule: Rule, plan_year: int, lang: Lang, *, outward: bool, carried: bool
) -> str:
    """The document in words: a holder reads a plan's title; an officer reads its year, and
    that it is carried over (`carried`) when it is an earlier year's."""
    plan = rule.plan
    if key == "plan" and plan is not None:
        if outward:
            return text("cite.plan", lang, title=plan.title)
        return plan_note(plan_year if carried else plan.year, plan.year, lang)
    return text(f"cite.{key}", lang, file=rule.set_by)


def rule_sentence(
    rule: Rule,
    plan_year: int,
    lang: Lang,
    *,
    outward: bool = False,
    carried: bool = True,
    remarks: bool = False,
    request: bool = True,
    citable: bool = True,
) -> str:
    """`rule` in words, with the document that states it (see rule_text). `carried`: say so
    when the plan cited is an earlier year's (`renewal rules` says it once, in its heading).
    `remarks`: the officer's notes on a rule (an assumed timing, where to change it), which
    only `renewal rules` shows; calendars, even an officer's, are read as dates and actions.
    `request`: beside a national rule that asks less, the office's earlier date is asked for
    ("请于有效期满4个月前申报"); once that day has passed it is stated as the requirement the item
    was judged by, never as a date to meet."""
    key = f"rule.{rule.source.value}"
    if f"{key}.none" in CATALOG and not (rule.lead_days or rule.lead_months):
        key = f"{key}.none"  # a lead of zero is said plainly, not as "0 days before"
    cited = cited_document(rule, plan_year, outward=outward, citable=citable)
    scheme = _RENEWAL_SCHEMES.get(rule.source)
    if cited is None and scheme is not None:
        # No plan of the year to cite: the national rule, and the office's earlier date.
        national = NATIONAL_RULES[scheme][1]
        words = text(_NATIONAL_SENTENCE[scheme], lang, months=national)
        words += text("rule.cite", lang, cite=text(_NATIONAL_DOCUMENT[scheme], lang))
        if rule.lead_months != national:
            key = "rule.request" if request else "rule.request.closed"
            words += text(key, lang, months=rule.lead_months)
        return words
    words = text(key, lang, months=rule.lead_months, days=rule.lead_days, every=rule.every_years)
    if cited is None:
        return words
    wrapper = "rule.cite"
    if rule.source is RuleSource.GREEN_INSPECTION and remarks:
        # The plan's 100% target and the assumed timing are said where the rules are read.
        wrapper = "rule.cite.green_inspection"
    cite = _cite_words(cited, rule, plan_year, lang, outward=outward, carried=carried)
    return words + text(wrapper, lang, cite=cite)


# The renewal rules a notice restates from the national rules when no plan of the year is loaded.
_RENEWAL_SCHEMES = {
    RuleSource.GREEN_MEASURES_ART18: Scheme.GREEN,
    RuleSource.GUANGXI_PLAN: Scheme.ORGANIC,
}
_NATIONAL_SENTENCE = {
    Scheme.GREEN: "rule.green_measures_art18",
    Scheme.ORGANIC: "rule.national.organic",
}
_NATIONAL_DOCUMENT = {Scheme.GREEN: "cite.green_measures", Scheme.ORGANIC: "cite.organic_rules"}


def validity_source(rule: Rule, scheme: Scheme, plan_year: int, lang: Lang) -> str:
    """ "；有效期3年（《绿色食品标志管理办法》）": a renewal rule's validity and who states it."""
    national = NATIONAL_RULES[scheme][0]
    if rule.set_by is not None:
        cite = text("cite.file", lang, file=rule.set_by)
    elif rule.validity_years == national or rule.plan is None:
        document = "cite.green_validity" if scheme is Scheme.GREEN else "cite.organic_rules"
        cite = text(document, lang)
    else:
        cite = _cite_words("plan", rule, plan_year, lang, outward=False, carried=False)
    return text("rule.validity", lang, years=rule.validity_years, cite=cite)


def plan_note(plan_year: int, plan_used: int, lang: Lang) -> str:
    """ "2024 年工作方案", or "未载入 2026 年工作方案，沿用 2024 年工作方案" (titles, mail)."""
    if plan_used == plan_year:
        return text("plan.own", lang, year=plan_year)
    return text("plan.carried", lang, year=plan_year, used=plan_used)


def plan_document(plan: WorkPlan, lang: Lang) -> str:
    """The plan by year and title, its issue date and the policy file it came from, if any."""
    words = text("plan.document", lang, year=plan.year, title=plan.title)
    if plan.issued_on is not None:
        words += text("plan.issued", lang, day=plan.issued_on.isoformat())
    if plan.file is not None:
        words += text("plan.from_file", lang, file=plan.file)
    return words


def what_label(item: ScheduleItem, lang: Lang) -> str:
    """The item's matter in a word: 续展 / 再认证 for a renewal, else the kind's (年检, …)."""
    if item.kind is Kind.RENEWAL:
        return text(f"calendar.what.{item.certificate.scheme.value}", lang)
    return text(f"calendar.what.{item.kind.value}", lang)


@dataclass(frozen=True)
class ClosedWords:
    """What a holder is told of an item whose time has passed, instead of a deadline."""

    window: str
    """That the time to act closed, and on which day (续展申报期已于…截止)."""
    action: str
    """What is still possible (apply again as a new product, inspect without delay, …)."""
    use: str | None
    """For a certificate: the day after which its label may not be used, or that it may no
    longer be used now; None for other kinds."""


def label_ended(item: ScheduleItem) -> bool:
    """Whether the item's certificate has expired on AS_OF (its label may no longer be used)."""
    expires = item.certificate.expires_on
    return expires is not None and item.as_of > expires


def closed_words(item: ScheduleItem, lang: Lang, day: Callable[[date], str]) -> ClosedWords | None:
    """What is still possible for a late or expired item (None for any other): the window
    closed on its file-by day, and then, by kind, apply again as new and stop using the label
    after the expiry (or now), apply before sowing, inspect or test without delay, or apply to
    be listed anew. `day` writes a date (the notice's 2024年6月1日, the calendar's ISO date).
    A missed day is never worded as a deadline to meet (domain.md §6)."""
    if item.status not in CLOSED_STATUSES:
        return None
    kind = item.kind
    window = text(
        f"closed.window.{kind.value}", lang, what=what_label(item, lang), day=day(item.file_by)
    )
    filed = day(item.filed_on) if item.filed_on is not None else ""
    use = None
    if kind in CERTIFICATE_KINDS:
        action = text(
            "closed.action.renewal.filed" if item.filed_on else "closed.action.renewal",
            lang,
            filed=filed,
        )
        expires = item.certificate.expires_on
        if expires is not None:
            mark = text(f"closed.mark.{item.certificate.scheme.value}", lang)
            ended = "closed.use.ended" if label_ended(item) else "closed.use.until"
            use = text(ended, lang, day=day(expires), mark=mark)
    elif kind is Kind.NEW_APPLICATION:
        key = "closed.action.new_application"
        if item.filed_on is not None:
            key += ".filed"
        elif item.status is Status.EXPIRED:
            key += ".expired"
        action = text(key, lang, filed=filed, sowing=day(item.last_day))
    elif kind is Kind.ANNUAL_CONFIRMATION and item.status is Status.EXPIRED:
        action = text("closed.action.annual_confirmation.expired", lang)
    else:
        action = text(f"closed.action.{kind.value}", lang)
    return ClosedWords(window=window, action=action, use=use)


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


# A damaged workbook's reason (xlsx.py: an exception's class or a missing part) → its words.
_DAMAGE = {
    "BadZipFile": "reason.not_zip",
    "EOFError": "reason.not_zip",
    "no workbook": "reason.no_workbook",
    "no sheet part": "reason.no_workbook",
}


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
    elif problem.code is ProblemCode.SPREADSHEET_DAMAGED and "reason" in detail:
        # What the reader names (an exception's class, a missing part) in the officer's words.
        detail["reason"] = text(_DAMAGE.get(detail["reason"], "reason.damaged"), lang)
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
    if "why" in params:  # the reason is a message of its own, worded with the same values
        params["why"] = text(str(params["why"]), lang, **params)
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


def platform_label(platform: str, lang: Lang) -> str:
    """企业微信, 钉钉, 飞书 (WeCom, DingTalk, Feishu/Lark)."""
    return text(f"chat.platform.{platform}", lang)


def describe_post(
    reason: str,
    *,
    platform: str,
    host: str,
    code: int | None,
    words: str,
    status: int | None,
    unknown: bool,
    retried: bool,
    timeout: float,
    lang: Lang,
) -> str:
    """Why a chat message was not posted: the reason in the user's words, a known platform
    code worded too, and the platform's own words quoted (they cannot be translated)."""
    name = platform_label(platform, lang)
    if reason == "platform":
        key = f"chat.code.{platform}.{code}"
        meaning = text(key, lang) if key in CATALOG else ""
        if retried:
            meaning += text("chat.reason.retried", lang)
        return text(
            "chat.reason.platform", lang, platform=name, code=code, meaning=meaning, words=words
        )
    match = _ERRNO.fullmatch(words)
    if match is not None:
        words = errno_text(int(match.group(1)), match.group(2), lang)
    elif words == "timed out":  # the system's words for a timeout (the host left after one)
        words = text("smtp.timeout", lang)
    if reason in ("timeout", "deadline") and unknown:
        reason += "_unknown"
    seconds = f"{timeout:g}"
    return text(
        f"chat.reason.{reason}",
        lang,
        platform=name,
        host=host,
        words=words,
        status=status,
        timeout=seconds,
    )
