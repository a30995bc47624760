"""Printable notices to holders (续展提醒告知书): plain text to paste, .docx to print and stamp.

One notice per holder, about that holder's open items only (pending, late, expired: what a
holder still has to act on; filed and superseded items are left out), one entry per item. Both
formats are laid out from one list of blocks (`notice_blocks`), so the text and the document say
the same thing, in the words of present.py and messages.py: the text gives each entry as labelled
lines, the document as a row of a table whose header repeats on every page.

A notice is written for the holder: a pending item gives its deadline; a late or expired one
says what is still possible instead (the window closed on its file-by day, apply again as new,
the label's last day), never a missed day as a deadline; the closing fits what is in the notice;
rules are worded without the officer's remarks (present.rule_text with outward=True). In the document,
the closing, the office's name and the date are kept together and with the line before them
(the table's last row, whose rows always keep with what follows, or the documents' or fee
relief's last line), so the closing and the seal never stand alone on a page.

This module says what a notice says (the blocks, notice_blocks.py's types) and lays it out as
text; notice_word.py lays the same blocks out as a Word document, and python-docx loads only
when one is made.

Pure: nothing is read from disk or the clock. The date comes in as AS_OF, and the .docx is
re-zipped with every entry dated AS_OF, so the same holder, office and day give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from renewal_cli.files import safe_filename
from renewal_cli.holders import FEE_FLAGS, OPEN_STATUSES, Holder, Office
from renewal_cli.messages import Lang, text
from renewal_cli.models import Action, Flag, Kind, ScheduleItem, Scheme, Status, WorkPlan
from renewal_cli.obligations import listed_for_relief
from renewal_cli.output.notice_blocks import Block, Entries, Entry, Line, Role
from renewal_cli.present import (
    CERTIFICATE_KINDS,
    closed_words,
    day_count,
    join,
    label,
    label_ended,
    outward_plan,
    rule_text,
    status_label,
    what_label,
)

# Documents to prepare: which list applies to which items.
RENEWAL_DOCUMENTS = {Scheme.GREEN: "green", Scheme.ORGANIC: "organic"}
NEW_APPLICATION_ACTIONS = frozenset({Action.TRANSFER, Action.NEW_APPLICATION, Action.APPLY})
CERTIFIED_SCHEMES = frozenset({Scheme.GREEN, Scheme.ORGANIC})
# Kinds a late filing turns into a new application for (the closing says so).
RENEWAL_KINDS = CERTIFICATE_KINDS
# Between plan titles, in the rare notice whose items span two plan years.
PLAN_SEPARATOR = {Lang.ZH: "、", Lang.EN: "; "}
# The national rules a notice cites when no plan of the year is loaded, in this order; Chinese
# sets book titles side by side (《…》《…》).
NATIONAL_SCHEMES = (Scheme.GREEN, Scheme.ORGANIC)
NATIONAL_SEPARATOR = {Lang.ZH: "", Lang.EN: ", "}


def notice_items(holder: Holder) -> list[ScheduleItem]:
    """The items a notice is about: the holder's open ones (pending, late, expired), in order."""
    return [item for item in holder.items if item.status in OPEN_STATUSES]


def has_notice(holder: Holder) -> bool:
    """Whether the holder has anything a notice would tell it (callers skip the others)."""
    return bool(notice_items(holder))


def format_date(day: date, lang: Lang) -> str:
    """2024年6月1日 in Chinese, 1 June 2024 in English."""
    month = text(f"notice.month.{day.month}", lang)
    return text("notice.date", lang, year=day.year, month=month, day=day.day)


def notice_blocks(holder: Holder, office: Office, as_of: date, lang: Lang) -> list[Block]:
    """The notice as both formats print it: letterhead, title, addressee, opening, the items,
    the documents to prepare and the fee relief where they apply, the closing, office and date.

    Raises ValueError when the holder has no open item (see `has_notice`), or when one of its
    items is another holder's: a notice never names another holder.
    """
    if not all(holder.owns(i.certificate) for i in holder.items):
        raise ValueError(f"items of other holders in the notice to {holder.name!r}")
    items = notice_items(holder)
    if not items:
        raise ValueError(f"no open item for {holder.name!r}: nothing to give notice of")

    blocks: list[Block] = []
    if office.letterhead:
        blocks.append(Line(Role.LETTERHEAD, office.letterhead))
    blocks.append(Line(Role.TITLE, notice_title(holder, lang)))
    blocks.append(Line(Role.ADDRESSEE, text("notice.addressee", lang, holder=holder.name)))
    blocks.append(Line(Role.BODY, _opening(items, as_of, lang)))

    sections: list[tuple[str, list[Block]]] = [("items", [_entries(items, lang)])]
    documents = _document_lines(items, lang)
    if documents:
        sections.append(("documents", documents))
    fees = _fee_lines(items, lang)
    if fees:
        sections.append(("fees", fees))
    for number, (name, body) in enumerate(sections, start=1):
        heading = text(
            "notice.section",
            lang,
            number=text(f"notice.number.{number}", lang),
            title=text(f"notice.section.{name}", lang),
        )
        blocks.append(Line(Role.SECTION, heading, keep_with_next=True))
        blocks.extend(body)

    closing = [*_closing_lines(items, lang)]
    if office.contact:
        closing.append(contact_line(office.contact, lang))
    closing = [words for words in [*closing, text("notice.closing", lang)] if words]
    blocks.extend(Line(Role.CLOSING, words) for words in closing)
    blocks.append(Line(Role.SIGNATURE, office.name))
    blocks.append(Line(Role.SIGNATURE, format_date(as_of, lang)))
    # The closing, the office's name and the date (where the seal goes) are one block, kept
    # with what comes before it: the table's last row (the table always keeps it with what
    # follows), or the last line of the documents or the fee relief. So they are printed on the
    # page of the notice's last item or line, never alone on a page of their own. The chain is
    # a few lines long, so it always fits on a page (a chain longer than a page is broken up
    # anywhere, or leaves pages nearly empty).
    first = next(n for n, b in enumerate(blocks) if isinstance(b, Line) and b.role is Role.CLOSING)
    return [
        replace(block, keep_with_next=True)
        if isinstance(block, Line) and first - 1 <= n < len(blocks) - 1
        else block
        for n, block in enumerate(blocks)
    ]


def _closing_lines(items: Sequence[ScheduleItem], lang: Lang) -> list[str]:
    """The request that closes the notice, in words that fit its items: a deadline to meet only
    while one is pending; for renewals whose window has closed, apply again as new and stop
    using the label (after the expiry, or now)."""
    closed = [item for item in items if item.status is not Status.PENDING]
    lines: list[str] = []
    lapsed = [item for item in closed if item.kind in RENEWAL_KINDS]
    if lapsed:
        words = [text("notice.closed.apply", lang)]
        if any(not label_ended(item) for item in lapsed):
            words.append(text("notice.closed.stop_after", lang))
        if any(label_ended(item) for item in lapsed):
            words.append(text("notice.closed.stop_now", lang))
        lines.append(_SENTENCE_GAP[lang].join(words))
    if not closed:
        lines.append(text("notice.request", lang))
        if any(item.kind in RENEWAL_KINDS for item in items):
            lines.append(text("notice.late_rule", lang))
    elif len(closed) < len(items):
        lines.append(text("notice.request.mixed", lang))
    else:
        lines.append(text("notice.request.closed", lang))
    return lines


# Between sentences of one paragraph: Chinese sentences end in 。, English ones need a space.
_SENTENCE_GAP = {Lang.ZH: "", Lang.EN: " "}
# A contact that opens with a label of its own (联系人：…, 电话:…, Contact: …, Tel.: …): a
# label in CJK characters without spaces, or a few Latin words, then a colon (not "://").
# "李明（电话：…）" and "李明 电话：…" open with a name, so they get the notice's label.
_OWN_LABEL = re.compile(
    r"\s*(?:[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{1,8}|[A-Za-z][A-Za-z.\- ]{0,24})\s*[:：](?!//)"
)


def contact_line(contact: str, lang: Lang) -> str:
    """The office's contact as the closing prints it: "联系人及电话：" before it, unless it already
    opens with a label of its own ("联系人：李明 电话：…" is printed as given, never as
    "联系人及电话：联系人：李明 …")."""
    own = _OWN_LABEL.match(contact) is not None
    return text("notice.contact.own" if own else "notice.contact", lang, contact=contact.strip())


def plans_in_force(items: Iterable[ScheduleItem]) -> list[WorkPlan]:
    """The provincial plans a notice about `items` may name: each item's plan when it is the
    item's plan year's own (a plan carried over from an earlier year is never named)."""
    plans = {plan for item in items if (plan := outward_plan(item)) is not None}
    return sorted(plans, key=lambda plan: plan.year)


def _plan_names(plans: Sequence[WorkPlan], lang: Lang) -> str:
    return PLAN_SEPARATOR[lang].join(text("notice.plan", lang, title=plan.title) for plan in plans)


def _opening(items: Sequence[ScheduleItem], as_of: date, lang: Lang) -> str:
    """Under the year's plan when it is loaded; else under the national rules of the schemes
    the notice is about; else under nothing named. "按期" (in time) only when an item can still
    be done in time: a notice of missed dates only asks for action."""
    day = format_date(as_of, lang)
    timely = any(item.status is Status.PENDING for item in items)
    duly = text("notice.duly", lang) if timely else ""
    plans = plans_in_force(items)
    if plans:
        return text("notice.opening", lang, plan=_plan_names(plans, lang), as_of=day, duly=duly)
    schemes = {item.certificate.scheme for item in items}
    rules = [text(f"notice.rules.{s.value}", lang) for s in NATIONAL_SCHEMES if s in schemes]
    if rules:
        joined = NATIONAL_SEPARATOR[lang].join(rules)
        return text("notice.opening.rules", lang, rules=joined, as_of=day, duly=duly)
    return text("notice.opening.plain", lang, as_of=day, duly=duly)


def _entries(items: Sequence[ScheduleItem], lang: Lang) -> Entries:
    entries: list[Entry] = []
    for number, item in enumerate(items, start=1):
        c = item.certificate
        validity: tuple[str, str, str] | None = None
        if c.issued_on and c.expires_on:
            dates = {
                "issued": format_date(c.issued_on, lang),
                "expires": format_date(c.expires_on, lang),
            }
            validity = (
                "validity",
                text("notice.validity", lang, **dates),
                text("notice.validity.cell", lang, **dates),
            )
        elif c.expires_on or c.issued_on:
            name = "expires_on" if c.expires_on else "issued_on"
            day = c.expires_on or c.issued_on
            assert day is not None
            words = format_date(day, lang)
            cell = text(
                "calendar.field", lang, label=text(f"notice.label.{name}", lang), value=words
            )
            validity = (name, words, cell)
        closed = closed_words(item, lang, lambda day: format_date(day, lang))
        note = None
        if closed is None and item.submit_by is not None and item.submit_by != item.file_by:
            note = text("notice.submit_by", lang, day=format_date(item.submit_by, lang))
        entries.append(
            Entry(
                number=number,
                product=c.product,
                scheme=label(c.scheme, lang),
                cert_id=c.cert_id or None,
                validity=validity,
                task=text(
                    "notice.task",
                    lang,
                    what=what_label(item, lang),
                    status=status_label(item, lang),
                    when=day_count(item, lang),
                ),
                action=label(item.action, lang) if closed is None else closed.action,
                deadline=format_date(item.file_by, lang) if closed is None else None,
                deadline_note=note,
                rule=rule_text(item, lang, outward=True),
                window=closed.window if closed is not None else None,
                use=closed.use if closed is not None else None,
            )
        )
    return Entries(tuple(entries))


def _products(items: Iterable[ScheduleItem], lang: Lang) -> str:
    return join(dict.fromkeys(item.certificate.product for item in items), lang)


def _document_lines(items: Sequence[ScheduleItem], lang: Lang) -> list[Block]:
    """The renewal list of each scheme renewed in time, and the first-certification list for
    transfers, late filers and planned applications: only the lists that apply."""
    groups: dict[str, list[ScheduleItem]] = {}
    for item in items:
        scheme = item.certificate.scheme
        if scheme not in CERTIFIED_SCHEMES:
            continue  # 名特优新 confirmations and tests have no such list
        if item.kind is Kind.RENEWAL and item.action is Action.RENEW:
            groups.setdefault(RENEWAL_DOCUMENTS[scheme], []).append(item)
        elif item.action in NEW_APPLICATION_ACTIONS:
            groups.setdefault("new", []).append(item)
    lines: list[Block] = []
    for name in ("green", "organic", "new"):
        if name not in groups:
            continue
        heading = text(f"notice.documents.{name}", lang, products=_products(groups[name], lang))
        lines.append(Line(Role.LIST_HEADING, heading, keep_with_next=True))
        documents = text(f"notice.documents.list.{name}", lang).splitlines()
        for number, document in enumerate(documents, start=1):
            words = text("notice.document", lang, number=number, name=document)
            lines.append(Line(Role.LIST_ENTRY, words, keep_with_next=number < len(documents)))
    if lines:
        lines.append(Line(Role.BODY, text("notice.documents.note", lang)))
    return lines


def _fee_lines(items: Sequence[ScheduleItem], lang: Lang) -> list[Block]:
    """Fee relief, only when one of the items carries it and the plan year's own plan grants it
    to the holder's county (a carried-over plan or a policy file's change promises nothing)."""
    granted = [
        item
        for item in items
        if (plan := outward_plan(item)) is not None
        and listed_for_relief(item.certificate.county, plan)
    ]
    flags: list[Flag] = [f for f in FEE_FLAGS if any(f in item.flags for item in granted)]
    if not flags:
        return []
    plans = _plan_names(plans_in_force(granted), lang)
    intro = text("notice.fees.intro", lang, plan=plans)
    lines: list[Block] = [Line(Role.BODY, intro, keep_with_next=True)]
    for number, flag in enumerate(flags, start=1):
        words = text("notice.document", lang, number=number, name=text(f"notice.fees.{flag}", lang))
        lines.append(Line(Role.LIST_ENTRY, words, keep_with_next=number < len(flags)))
    return lines


# --- Plain text -----------------------------------------------------------------------------------

# Chinese paragraphs open with two full-width spaces; English ones are flush.
_PARAGRAPH_INDENT = {Lang.ZH: "\u3000\u3000", Lang.EN: ""}
_FIELD_INDENT = {Lang.ZH: "\u3000\u3000", Lang.EN: "   "}
# Roles that open a block of their own (a blank line before them).
_BLOCK_ROLES = frozenset({Role.ADDRESSEE, Role.SECTION, Role.LIST_HEADING})


def _entry_text(entry: Entry, lang: Lang) -> list[str]:
    heading = text(
        "notice.item", lang, number=entry.number, product=entry.product, scheme=entry.scheme
    )
    fields: list[tuple[str, str]] = []
    if entry.cert_id:
        fields.append(("cert_id", entry.cert_id))
    if entry.validity is not None:
        fields.append((entry.validity[0], entry.validity[1]))
    fields.append(("task", entry.task))
    fields.append(("action", entry.action))
    if entry.deadline is not None:
        fields.append(("deadline", entry.deadline + (entry.deadline_note or "")))
    for name, value in (("window", entry.window), ("use", entry.use)):
        if value is not None:
            fields.append((name, value))
    fields.append(("rule", entry.rule))
    indent = _FIELD_INDENT[lang]
    return [heading] + [
        indent + text("calendar.field", lang, label=text(f"notice.label.{name}", lang), value=value)
        for name, value in fields
    ]


def notice_text(holder: Holder, office: Office, as_of: date, lang: Lang) -> str:
    """The notice as plain text, one paragraph a line ("\\n" line ends), for pasting into a
    message. Raises ValueError as `notice_blocks` does."""
    out: list[str] = []
    previous: Role | None = None
    for block in notice_blocks(holder, office, as_of, lang):
        if isinstance(block, Entries):
            for entry in block.entries:
                out.append("")
                out.extend(_entry_text(entry, lang))
            previous = None
            continue
        role = block.role
        blank = role in _BLOCK_ROLES or (
            role in (Role.BODY, Role.CLOSING) and previous in (None, Role.LIST_ENTRY)
        )
        blank = blank or (role in (Role.CLOSING, Role.SIGNATURE) and previous is not role)
        if out and blank:
            out.append("")
        if role in (Role.BODY, Role.CLOSING):
            out.append(_PARAGRAPH_INDENT[lang] + block.text)
        elif role is Role.LIST_ENTRY:
            out.append(_FIELD_INDENT[lang] + block.text)
        else:
            out.append(block.text)
        previous = role
    return "\n".join(out) + "\n"


# --- Word document --------------------------------------------------------------------------------


def notice_title(holder: Holder, lang: Lang) -> str:
    """续展提醒告知书 when the notice lists a renewal (or re-certification); a notice of other
    duties only (an annual inspection, a test, an application) is not called a renewal one."""
    renewal = any(item.kind in RENEWAL_KINDS for item in notice_items(holder))
    return text("notice.title" if renewal else "notice.title.other", lang)


def notice_docx(holder: Holder, office: Office, as_of: date, lang: Lang) -> bytes:
    """The notice as a Word document (notice_word.word_document) for the county office to print,
    stamp and send. Raises ValueError as `notice_blocks` does."""
    from renewal_cli.output.notice_word import word_document  # python-docx: only for .docx

    blocks = notice_blocks(holder, office, as_of, lang)
    title = f"{notice_title(holder, lang)} {holder.name}"
    return word_document(blocks, title=title, author=office.name, as_of=as_of, lang=lang)


# --- File names -----------------------------------------------------------------------------------


def notice_filename(holder: Holder, ext: str) -> str:
    """A safe file name for the holder's notice (files.safe_filename): path separators,
    characters Windows forbids and control characters become "_", leading and trailing dots and
    spaces go, the name is cut to a length every file system takes, and a short hash of the name
    is appended whenever anything changed. An empty name gives "place-<hash>".

    Names are not guaranteed unique within a run (a case-blind file system folds "ABC" and
    "abc"; names cut short may meet): making them unique is the caller's job. `ext` is "docx"
    or ".docx" (ASCII letters and digits).
    """
    suffix = ext.removeprefix(".")
    if not suffix or not suffix.isascii() or not suffix.isalnum():
        raise ValueError(f"not a file name extension: {ext!r}")
    return safe_filename(holder.name, f".{suffix}")
