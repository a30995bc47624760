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

Pure: nothing is read from disk or the clock. The date comes in as AS_OF, and the .docx is
re-zipped with every entry dated AS_OF, so the same holder, office and day give the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from enum import Enum
from zoneinfo import ZoneInfo

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Emu, Length, Pt
from docx.styles.style import ParagraphStyle
from docx.table import _Cell
from docx.text.parfmt import ParagraphFormat

from renewal_cli import __version__
from renewal_cli.files import safe_filename
from renewal_cli.holders import FEE_FLAGS, OPEN_STATUSES, Holder, Office
from renewal_cli.messages import Lang, text
from renewal_cli.models import Action, Flag, Kind, ScheduleItem, Scheme, Status, WorkPlan
from renewal_cli.obligations import listed_for_relief
from renewal_cli.present import (
    CERTIFICATE_KINDS,
    closed_words,
    day_count,
    join,
    label,
    label_ended,
    rule_text,
    status_label,
    what_label,
)

# Fonts every Chinese Windows has (WPS and LibreOffice put their own in where they are missing).
BODY_FONT = "宋体"  # SimSun
HEADING_FONT = "黑体"  # SimHei
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(10.5)  # 五号
TITLE_SIZE = Pt(22)  # 二号
LETTERHEAD_SIZE = Pt(16)  # 三号
# A4, margins after GB/T 9704 (official documents), leaving room for a letterhead and a seal.
PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
# The table's columns: number, product, certificate and validity, what to do, deadline (15.6 cm,
# the width between the margins), with narrow cell margins: a green food number, a date and most
# of what to do each fit on one line.
COLUMN_WIDTHS = (Cm(1.0), Cm(2.4), Cm(4.0), Cm(4.8), Cm(3.4))
CELL_MARGIN = Cm(0.1)
COLUMNS = ("number", "product", "certificate", "task", "deadline")

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
_LANGUAGE = {Lang.ZH: "zh-CN", Lang.EN: "en-GB"}
CHINA = ZoneInfo("Asia/Shanghai")


class Role(Enum):
    """What a line of the notice is; each format lays the roles out its own way."""

    LETTERHEAD = "letterhead"
    TITLE = "title"
    ADDRESSEE = "addressee"
    BODY = "body"
    SECTION = "section"
    LIST_HEADING = "list_heading"
    LIST_ENTRY = "list_entry"
    CLOSING = "closing"
    SIGNATURE = "signature"


@dataclass(frozen=True)
class Line:
    """One paragraph of the notice."""

    role: Role
    text: str
    keep_with_next: bool = False
    """Printed on the same page as what follows (a heading, a list, the closing and seal)."""


@dataclass(frozen=True)
class Entry:
    """One item of the notice, worded."""

    number: int
    product: str
    scheme: str
    cert_id: str | None
    """None for rows without a certificate (a planned application)."""
    validity: tuple[str, str, str] | None
    """(label id, as one line, as a table cell), or None when the row has no dates."""
    task: str
    action: str
    """What to do: the action's label, or for a late or expired item what is still possible."""
    deadline: str | None
    """The day to meet, for a pending item; None once the item's time has passed."""
    deadline_note: str | None
    """The last working day to hand in, when the deadline is not one."""
    rule: str
    window: str | None = None
    """For a late or expired item: that its time closed, and on which day."""
    use: str | None = None
    """For a late or expired certificate: the label's last day, or that it may no longer be
    used."""


@dataclass(frozen=True)
class Entries:
    """The notice's items: labelled lines in text, a table in the document."""

    entries: tuple[Entry, ...]


Block = Line | Entries


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
    blocks.append(Line(Role.TITLE, text("notice.title", lang)))
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
    plans = {
        plan
        for item in items
        if (plan := item.rule.plan) is not None and plan.year == item.plan_year
    }
    return sorted(plans, key=lambda plan: plan.year)


def _plan_names(plans: Sequence[WorkPlan], lang: Lang) -> str:
    return PLAN_SEPARATOR[lang].join(text("notice.plan", lang, title=plan.title) for plan in plans)


def _opening(items: Sequence[ScheduleItem], as_of: date, lang: Lang) -> str:
    """Under the year's plan when it is loaded; else under the national rules of the schemes
    the notice is about; else under nothing named."""
    day = format_date(as_of, lang)
    plans = plans_in_force(items)
    if plans:
        return text("notice.opening", lang, plan=_plan_names(plans, lang), as_of=day)
    schemes = {item.certificate.scheme for item in items}
    rules = [text(f"notice.rules.{s.value}", lang) for s in NATIONAL_SCHEMES if s in schemes]
    if rules:
        joined = NATIONAL_SEPARATOR[lang].join(rules)
        return text("notice.opening.rules", lang, rules=joined, as_of=day)
    return text("notice.opening.plain", lang, as_of=day)


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
        if (plan := item.rule.plan) is not None
        and plan.year == item.plan_year
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

_STYLE_NAMES = {
    Role.LETTERHEAD: "Notice Letterhead",
    Role.TITLE: "Notice Title",
    Role.ADDRESSEE: "Notice Addressee",
    Role.BODY: "Notice Body",
    Role.SECTION: "Notice Section",
    Role.LIST_HEADING: "Notice List Heading",
    Role.LIST_ENTRY: "Notice List Entry",
    Role.CLOSING: "Notice Closing",
    Role.SIGNATURE: "Notice Signature",
}
TABLE_STYLE = "Notice Table Text"
TABLE_HEADER_STYLE = "Notice Table Heading"


# Characters XML 1.0 cannot hold (a register cell may carry them): python-docx would refuse them.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(words: str) -> str:
    """`words` without the characters a Word document cannot hold."""
    return _XML_UNSAFE.sub("", words)


def _set_fonts(rpr: BaseOxmlElement, east_asia: str, lang: Lang) -> None:
    """Explicit fonts in run properties (a style's or the document defaults'), theme fonts
    removed (Word prefers a theme font over an explicit one), with the East Asian font and
    language set, so Word, WPS and LibreOffice all take the CJK text as Chinese."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), _LANGUAGE[lang])
    language.set(qn("w:eastAsia"), "zh-CN")


def _child(parent: BaseOxmlElement, tag: str, *, first: bool = False) -> BaseOxmlElement:
    """`parent`'s child `tag`, added (first or last) when missing."""
    found: BaseOxmlElement | None = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def _document_defaults(document: DocxDocument, lang: Lang) -> None:
    """The template's theme fonts replaced in the document defaults, and its theme language
    (Japanese for East Asian text, which picks a Japanese font for Chinese) made Chinese."""
    defaults = _child(document.styles.element, "w:docDefaults", first=True)
    rpr_default = _child(defaults, "w:rPrDefault", first=True)
    _set_fonts(_child(rpr_default, "w:rPr"), BODY_FONT, lang)
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), _LANGUAGE[lang])
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _styles(document: DocxDocument, lang: Lang) -> None:
    """A paragraph style per role, on a Normal of 宋体 四号."""
    _document_defaults(document, lang)
    styles = document.styles
    normal = styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT, lang)
    normal.font.size = BODY_SIZE
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.25
    fmt.widow_control = True
    char = BODY_SIZE  # one character of body text, the unit of Chinese indents

    def add(name: str, *, font: str = BODY_FONT, size: Length = BODY_SIZE) -> ParagraphStyle:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        assert isinstance(style, ParagraphStyle)
        style.base_style = normal
        style.quick_style = True
        _set_fonts(style.element.get_or_add_rPr(), font, lang)
        style.font.size = size
        return style

    letterhead = add(_STYLE_NAMES[Role.LETTERHEAD], font=HEADING_FONT, size=LETTERHEAD_SIZE)
    letterhead.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    letterhead.paragraph_format.space_after = Pt(12)
    title = add(_STYLE_NAMES[Role.TITLE], font=HEADING_FONT, size=TITLE_SIZE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(6)
    title.paragraph_format.space_after = Pt(18)
    addressee = add(_STYLE_NAMES[Role.ADDRESSEE])
    addressee.paragraph_format.space_after = Pt(3)
    for role in (Role.BODY, Role.CLOSING):
        body = add(_STYLE_NAMES[role])
        body.paragraph_format.first_line_indent = Emu(char * 2)
        # Justified English stretches the spaces around a long Chinese title.
        justify = WD_ALIGN_PARAGRAPH.JUSTIFY if lang is Lang.ZH else WD_ALIGN_PARAGRAPH.LEFT
        body.paragraph_format.alignment = justify
        body.paragraph_format.space_after = Pt(3)
    section = add(_STYLE_NAMES[Role.SECTION], font=HEADING_FONT)
    section.paragraph_format.first_line_indent = Emu(char * 2)
    section.paragraph_format.space_before = Pt(6)
    section.paragraph_format.space_after = Pt(6)
    heading = add(_STYLE_NAMES[Role.LIST_HEADING])
    heading.font.bold = True
    heading.paragraph_format.first_line_indent = Emu(char * 2)
    heading.paragraph_format.space_before = Pt(3)
    entry = add(_STYLE_NAMES[Role.LIST_ENTRY])
    entry.paragraph_format.left_indent = Emu(char * 3)
    signature = add(_STYLE_NAMES[Role.SIGNATURE])
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.right_indent = Emu(char * 2)
    cell = add(TABLE_STYLE, size=TABLE_SIZE)
    cell.paragraph_format.line_spacing = 1.0
    cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    cell_heading = add(TABLE_HEADER_STYLE, font=HEADING_FONT, size=TABLE_SIZE)
    cell_heading.paragraph_format.line_spacing = 1.0
    cell_heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page_number_footer(section: Section) -> None:
    """ "- 1 -" centred at the foot of every page."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("- ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    number = OxmlElement("w:t")
    number.text = "1"
    run.append(number)
    field.append(run)
    paragraph._p.append(field)
    paragraph._p.append(paragraph.add_run(" -")._r)


def _fill(cell: _Cell, paragraphs: Sequence[str], style: str, *, bold_first: bool = False) -> None:
    """The cell's text, one paragraph each, kept with the row below (an entry's two rows)."""
    first = cell.paragraphs[0]
    for n, words in enumerate(paragraphs):
        paragraph = first if n == 0 else cell.add_paragraph()
        paragraph.style = style
        run = paragraph.add_run(_xml_safe(words))
        if bold_first and n == 0:
            run.bold = True


def _row_properties(row_element: BaseOxmlElement, *, header: bool = False) -> None:
    """A row never split across pages; the header row repeated on every page."""
    properties = _child(row_element, "w:trPr", first=True)
    _child(properties, "w:cantSplit")
    if header:
        _child(properties, "w:tblHeader")


def _keep_row_with_next(row_element: BaseOxmlElement) -> None:
    """Every paragraph of the row kept with the next one, so the row is kept with what follows.
    Through the row's own cells (w:tc), not python-docx's `row.cells`: a cell merged down from
    the row above is the upper cell there, and the merged cell's own empty paragraph would be
    left out; LibreOffice then ignores the keep, and Word may too."""
    for cell in row_element.iterchildren(qn("w:tc")):
        for paragraph in cell.iterchildren(qn("w:p")):
            ParagraphFormat(paragraph).keep_with_next = True


def _entries_table(document: DocxDocument, block: Entries, lang: Lang) -> None:
    """Two rows an entry: its facts, then the rule it was judged by across the columns."""
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = _child(table._tbl.tblPr, "w:tblCellMar")
    for side in ("w:left", "w:right"):
        margin = _child(margins, side)
        margin.set(qn("w:w"), str(round(CELL_MARGIN.twips)))
        margin.set(qn("w:type"), "dxa")
    for column, width in zip(table.columns, COLUMN_WIDTHS, strict=True):
        column.width = width
    header = table.rows[0]
    _row_properties(header._tr, header=True)
    closed = any(entry.deadline is None for entry in block.entries)
    for cell, name in zip(header.cells, COLUMNS, strict=True):
        # Not every cell of the column is a deadline once an item's time has passed.
        key = f"notice.column.{name}" + (".closed" if closed and name == "deadline" else "")
        _fill(cell, [text(key, lang)], TABLE_HEADER_STYLE)
    for entry in block.entries:
        facts = table.add_row()
        rule = table.add_row()
        _row_properties(facts._tr)
        _row_properties(rule._tr)
        cells = facts.cells
        _fill(cells[0], [str(entry.number)], TABLE_STYLE)
        cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fill(cells[1], [entry.product, entry.scheme], TABLE_STYLE)
        certificate = [entry.cert_id] if entry.cert_id else []
        if entry.validity is not None:
            certificate.append(entry.validity[2])
        _fill(cells[2], certificate or [text("rules.none", lang)], TABLE_STYLE)
        _fill(cells[3], [entry.task, entry.action], TABLE_STYLE)
        if entry.deadline is not None:
            deadline = [entry.deadline] + ([entry.deadline_note] if entry.deadline_note else [])
            _fill(cells[4], deadline, TABLE_STYLE, bold_first=True)
        else:  # what is still possible, in plain type: no day here is one to meet
            possible = [w for w in (entry.window, entry.use) if w is not None]
            _fill(cells[4], possible, TABLE_STYLE)
        _keep_row_with_next(facts._tr)  # the facts row stays on the page of its rule row
        cells[0].merge(rule.cells[0])  # the number spans both rows (an empty cell adds nothing)
        merged = rule.cells[1].merge(rule.cells[len(COLUMNS) - 1])
        words = text(
            "calendar.field", lang, label=text("notice.label.rule", lang), value=entry.rule
        )
        _fill(merged, [words], TABLE_STYLE)
    # The last row goes over the page with what follows (the next section, or the closing).
    _keep_row_with_next(table.rows[-1]._tr)
    # Word and LibreOffice read widths from the cells, not only the grid.
    for row in table.rows:
        for cell, width in zip(row.cells, COLUMN_WIDTHS, strict=True):
            if cell._tc.grid_span == 1:
                cell.width = width


def notice_docx(holder: Holder, office: Office, as_of: date, lang: Lang) -> bytes:
    """The notice as a Word document (A4, 宋体 body, 黑体 title, a table of the items whose
    header repeats on every page, office and date on the right) for the county office to print,
    stamp and send. Raises ValueError as `notice_blocks` does."""
    blocks = notice_blocks(holder, office, as_of, lang)
    document = Document()
    _styles(document, lang)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin = MARGINS["top"]
    section.bottom_margin = MARGINS["bottom"]
    section.left_margin = MARGINS["left"]
    section.right_margin = MARGINS["right"]
    _page_number_footer(section)

    # The template's one empty paragraph would print as a blank first line.
    for empty in list(document.paragraphs):
        parent = empty._p.getparent()
        if parent is not None:
            parent.remove(empty._p)
    previous: Role | None = None
    for block in blocks:
        if isinstance(block, Entries):
            _entries_table(document, block, lang)
            previous = None
            continue
        paragraph = document.add_paragraph(_xml_safe(block.text), style=_STYLE_NAMES[block.role])
        if block.keep_with_next:
            paragraph.paragraph_format.keep_with_next = True
        if previous is None and block.role is not Role.LETTERHEAD and document.tables:
            paragraph.paragraph_format.space_before = Pt(6)  # air below the table
        if block.role is Role.SIGNATURE and previous is not Role.SIGNATURE:
            paragraph.paragraph_format.space_before = Pt(36)  # room for the seal
        previous = block.role

    props = document.core_properties
    # python-docx refuses core properties over 255 characters.
    props.title = _xml_safe(f"{text('notice.title', lang)} {holder.name}")[:255]
    props.author = props.last_modified_by = _xml_safe(office.name)[:255]
    props.comments = f"renewal-cli {__version__}"
    props.language = _LANGUAGE[lang]
    props.subject = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    # AS_OF's midnight in China, as the calendar's DTSTAMP (core properties are in UTC).
    props.created = props.modified = datetime.combine(as_of, time(0), CHINA).astimezone(UTC)
    # The template's thumbnail is a picture of some other, blank document.
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)

    out = io.BytesIO()
    document.save(out)
    return _restamp(out.getvalue(), as_of)


def _restamp(data: bytes, as_of: date) -> bytes:
    """The same zip with every entry dated AS_OF (python-docx dates them with the clock)."""
    stamp = (max(as_of.year, 1980), as_of.month, as_of.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


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
