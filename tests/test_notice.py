"""Notices to holders (output/notice.py): the .docx read back with python-docx, the text, and
the same facts in both; the document opened by LibreOffice; safe file names."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import string
import subprocess
import zipfile
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.parfmt import ParagraphFormat

from conftest import cert
from renewal_cli.holders import Holder, Office, group_by_holder
from renewal_cli.messages import CATALOG, Lang, text
from renewal_cli.models import Action, Certificate, Flag, Kind, ScheduleItem, Scheme, Status
from renewal_cli.obligations import obligations
from renewal_cli.output.notice import (
    format_date,
    has_notice,
    notice_blocks,
    notice_docx,
    notice_filename,
    notice_items,
    notice_text,
)
from renewal_cli.output.notice_blocks import Entries
from renewal_cli.policy import policy_for

D = date.fromisoformat
AS_OF = D("2024-06-01")
HOLDER = "广西某某茶业有限公司"
OTHER = "百色市右江区甲乙农民专业合作社"
OFFICE = Office(
    name="百色市田阳区农业农村局",
    contact="张三 0776-3212345",
    letterhead="百色市田阳区农业农村局（绿色食品办公室）",
)
# Fee relief: 田阳区 (conftest's default county) is a key-assistance county; 青秀区 is in no tier.
NO_RELIEF = {"city": "南宁市", "county": "青秀区"}


def items_of(*certificates: Certificate, as_of: date = AS_OF) -> list[ScheduleItem]:
    """Every obligation of the certificates on AS_OF under that year's plan, in order."""
    policy = policy_for(as_of.year)
    return [i for c in certificates for i in obligations(c, as_of, policy)]


def holder_of(*certificates: Certificate, as_of: date = AS_OF) -> Holder:
    (holder,) = group_by_holder(items_of(*certificates, as_of=as_of))
    return holder


def squash(words: str) -> str:
    """Text without any whitespace: a cell's line breaks and a text's indents do not count."""
    return re.sub(r"\s+", "", words)


def docx_parts(data: bytes) -> tuple[list[str], list[list[str]]]:
    """The document's paragraphs outside tables, in order, and each table cell's text (a merged
    cell once, its paragraphs joined by newlines)."""
    document = Document(io.BytesIO(data))
    paragraphs: list[str] = []
    cells: list[list[str]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraphs.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                seen: set[int] = set()
                row_cells = []
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    row_cells.append("\n".join(p.text for p in cell.paragraphs))
                cells.append(row_cells)
    return paragraphs, cells


def docx_text(data: bytes) -> str:
    paragraphs, rows = docx_parts(data)
    return "\n".join(paragraphs + [cell for row in rows for cell in row])


def all_xml(data: bytes) -> str:
    """Every XML part of the package (body, styles, properties …) as one string."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        )


# --- The cases ------------------------------------------------------------------------------------

LISTS = ("green", "organic", "new")


@dataclass
class Case:
    certificates: list[Certificate]
    lists: set[str]
    """Which document lists the notice must show (and no other)."""
    fees: set[Flag] = field(default_factory=set)
    late_rule: bool = True
    """Whether the closing warns that a late renewal is a new application."""
    actions: set[Action] = field(default_factory=set)
    request: str = "notice.request"
    """The closing's request: a deadline to meet only while an item is pending."""


def planned() -> Certificate:
    """An annual crop planned for organic certification: no number, no dates, a sowing day."""
    return Certificate(
        cert_id="",
        enterprise=HOLDER,
        product="有机水稻",
        scheme=Scheme.ORGANIC,
        city="百色市",
        county="田阳区",
        sowing_on=D("2024-08-01"),
    )


def mingte() -> Certificate:
    """A 名特优新 listing: no expiry, an annual confirmation and a quality test."""
    return Certificate(
        cert_id="CAQS-MTYX-20210345",
        enterprise=HOLDER,
        product="田阳香芒",
        scheme=Scheme.MINGTE,
        city="百色市",
        county="田阳区",
        listed_on=D("2021-07-15"),
    )


CASES = [
    pytest.param(
        Case(
            [cert("2024-09-04", "LB-45-21090512345A", enterprise=HOLDER, product="六堡茶")],
            lists={"green"},
            fees={Flag.FEE_WAIVER},
            actions={Action.RENEW, Action.INSPECT},
        ),
        id="green-pending-with-inspection-fees-waived",
    ),
    pytest.param(
        Case(
            [
                cert(
                    "2024-08-31",
                    "1245OP2300123",
                    scheme=Scheme.ORGANIC,
                    enterprise=HOLDER,
                    product="茉莉花茶",
                )
            ],
            lists={"new"},
            fees={Flag.FEE_DISCOUNT_35},
            late_rule=False,
            actions={Action.NEW_APPLICATION},
            request="notice.request.closed",
        ),
        id="organic-late-new-application-35-off",
    ),
    pytest.param(
        Case(
            [cert("2024-12-31", "1245OP2300456", scheme=Scheme.ORGANIC, enterprise=HOLDER)],
            lists={"organic"},
            fees={Flag.FEE_DISCOUNT_35},
            actions={Action.RENEW},
        ),
        id="organic-pending-recertification",
    ),
    pytest.param(
        Case(
            [
                cert(
                    "2024-03-04",
                    "LB-45-21030512345A",
                    enterprise=HOLDER,
                    product="绿茶",
                    **NO_RELIEF,
                )
            ],
            lists={"new"},
            late_rule=False,
            actions={Action.NEW_APPLICATION},
            request="notice.request.closed",
        ),
        id="green-expired-no-relief",
    ),
    pytest.param(
        Case(
            [
                replace(
                    cert("2024-12-31", "4502OP2300789", scheme=Scheme.ORGANIC, enterprise=HOLDER),
                    certifier="南京国环有机产品认证中心",
                )
            ],
            lists={"new"},
            fees={Flag.FEE_DISCOUNT_35},
            actions={Action.TRANSFER},
        ),
        id="transfer-to-cofcc",
    ),
    pytest.param(
        Case(
            [planned()],
            lists={"new"},
            fees={Flag.FEE_DISCOUNT_35},
            late_rule=False,
            actions={Action.APPLY},
        ),
        id="planned-application-no-number-no-dates",
    ),
    pytest.param(
        Case([mingte()], lists=set(), late_rule=False, actions={Action.CONFIRM, Action.TEST}),
        id="mingte-confirmation-and-test-no-lists",
    ),
    pytest.param(
        Case(
            [
                cert("2024-09-04", "LB-45-21090512345A", enterprise=HOLDER, product="六堡茶"),
                cert(
                    "2024-12-31",
                    "1245OP2300456",
                    scheme=Scheme.ORGANIC,
                    enterprise=HOLDER,
                    product="有机红茶",
                ),
                cert(
                    "2024-08-31",
                    "1245OP2300123",
                    scheme=Scheme.ORGANIC,
                    enterprise=HOLDER,
                    product="茉莉花茶",
                ),
            ],
            lists={"green", "organic", "new"},
            fees={Flag.FEE_WAIVER, Flag.FEE_DISCOUNT_35},
            late_rule=False,
            actions={Action.RENEW, Action.INSPECT, Action.NEW_APPLICATION},
            request="notice.request.mixed",
        ),
        id="every-list-and-both-reliefs",
    ),
]
LANGS = [pytest.param(Lang.ZH, id="zh"), pytest.param(Lang.EN, id="en")]


def first_document(name: str, lang: Lang) -> str:
    return text(f"notice.documents.list.{name}", lang).splitlines()[0]


def fee_intro(lang: Lang) -> str:
    """The fee relief's opening words, up to the plan it names."""
    return text("notice.fees.intro", lang, plan="\0").split("\0")[0]


def list_heading(name: str, lang: Lang) -> str:
    """The list's heading up to its product names."""
    return text(f"notice.documents.{name}", lang, products="\0").split("\0")[0]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", CASES)
def test_docx_carries_the_facts(case: Case, lang: Lang) -> None:
    holder = holder_of(*case.certificates)
    assert {i.action for i in holder.items} == case.actions  # the case is what it says
    data = notice_docx(holder, OFFICE, AS_OF, lang)
    paragraphs, rows = docx_parts(data)
    body = docx_text(data)

    assert paragraphs[0] == OFFICE.letterhead
    # A renewal's notice is a renewal reminder; a notice of other duties only is not.
    renewal = any(i.kind in (Kind.RENEWAL, Kind.TRANSFER) for i in holder.items)
    assert paragraphs[1] == text("notice.title" if renewal else "notice.title.other", lang)
    assert HOLDER in paragraphs[2]
    for item in holder.items:
        c = item.certificate
        if c.cert_id:
            assert c.cert_id in body
        assert c.product in body
        if c.expires_on is not None:
            assert format_date(c.expires_on, lang) in body
        assert format_date(item.file_by, lang) in body  # a deadline, or when the window closed
    # One table row of facts and one of the rule per item, under a header row.
    assert len(rows) == 1 + 2 * len(holder.items)
    # The lists that apply, and only those.
    for name in LISTS:
        shown = list_heading(name, lang) in body and first_document(name, lang) in body
        assert shown is (name in case.lists), name
    for flag in (Flag.FEE_WAIVER, Flag.FEE_DISCOUNT_35):
        assert (text(f"notice.fees.{flag}", lang) in body) is (flag in case.fees), flag
    assert (fee_intro(lang) in body) is bool(case.fees)
    assert (text("notice.late_rule", lang) in body) is case.late_rule
    requests = ("notice.request", "notice.request.mixed", "notice.request.closed")
    assert [key for key in requests if text(key, lang) in paragraphs] == [case.request]
    closed = any(i.status is not Status.PENDING for i in notice_items(holder))
    assert (text("notice.closed.apply", lang) in body) is closed
    # Closing: contact, office and date, the last two on the right.
    assert OFFICE.contact is not None and OFFICE.contact in body
    assert paragraphs[-2:] == [OFFICE.name, format_date(AS_OF, lang)]
    document = Document(io.BytesIO(data))
    for paragraph in document.paragraphs[-2:]:
        assert paragraph.style is not None
        assert paragraph.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        pytest.param(
            Lang.ZH,
            [
                "续展提醒告知书",
                "广西某某茶业有限公司：",
                "《2024年绿色食品（绿色优质农产品）高质量发展工作方案》",
                "截至2024年6月1日",
                "LB-45-21090512345A",
                "2021年9月5日至",
                "2024年9月4日",
                "续展（待申报，还剩3天）",
                "申报续展/再认证",
                "2024年6月4日",
                "有效期满3个月前向省级工作机构书面提出续展申请（《绿色食品标志管理办法》第十八条）",
                "年检（待年检，还剩95天）",
                "绿色食品标志使用续展申请书",
                "省级工作机构",
                "免收审核费和标志使用费",
                "联系人及电话：张三 0776-3212345",
                "特此告知。",
                "2024年6月1日",
            ],
            id="zh",
        ),
        pytest.param(
            Lang.EN,
            [
                "Renewal reminder notice",
                "To 广西某某茶业有限公司:",
                "《2024年绿色食品（绿色优质农产品）高质量发展工作方案》",
                "as of 1 June 2024",
                "5 September 2021 to",
                "4 September 2024",
                "Renewal (pending, 3 d left)",
                "4 June 2024",
                "Green Food Label Measures, Art. 18",
                "review and label fees are waived",
                "Contact: 张三 0776-3212345",
            ],
            id="en",
        ),
    ],
)
def test_docx_words(lang: Lang, words: list[str]) -> None:
    """The notice in so many words (not looked up in the catalogue, so a wrong word fails)."""
    holder = holder_of(
        cert("2024-09-04", "LB-45-21090512345A", enterprise=HOLDER, issued="2021-09-05")
    )
    body = docx_text(notice_docx(holder, OFFICE, AS_OF, lang))
    for expected in words:
        assert expected in body, expected
    assert ("特此告知" in body) is (lang is Lang.ZH)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", CASES)
def test_text_and_docx_carry_the_same_facts(case: Case, lang: Lang) -> None:
    holder = holder_of(*case.certificates)
    plain = notice_text(holder, OFFICE, AS_OF, lang)
    data = notice_docx(holder, OFFICE, AS_OF, lang)
    paragraphs, rows = docx_parts(data)
    in_docx = squash(docx_text(data))
    in_text = squash(plain)
    labels = {text(f"notice.label.{name}", lang) for name in ("cert_id", "validity", "task")}
    labels |= {text(f"notice.label.{name}", lang) for name in ("action", "deadline", "rule")}
    labels |= {text(f"notice.label.{name}", lang) for name in ("issued_on", "expires_on")}
    labels |= {text(f"notice.label.{name}", lang) for name in ("window", "use")}
    item_heading = re.compile(r"\d+\. ")
    # Text → document: every line, or the value of every labelled line.
    for line in plain.splitlines():
        line = line.strip("\u3000 ")
        if not line or item_heading.match(line):
            continue
        label, sep, value = line.replace(": ", "：", 1).partition("：")
        fact = value if sep and label in labels else line
        if label == text("notice.label.rule", lang):
            fact = line  # the document's rule row carries its label too
        assert squash(fact) in in_docx, line
    # Document → text: every paragraph, and every cell below the header but the numbers.
    for paragraph in paragraphs:
        assert squash(paragraph) in in_text, paragraph
    for row in rows[1:]:
        for cell in row:
            if not cell.isdigit() and cell != text("rules.none", lang):
                for part in cell.split("\n"):
                    assert squash(part) in in_text, part
    assert HOLDER in plain and HOLDER in paragraphs[2]


def test_every_entry_is_in_both() -> None:
    """The blocks both formats are laid out from: each entry's facts in both outputs."""
    holder = holder_of(*CASES[-1].values[0].certificates)  # type: ignore[union-attr]
    blocks = notice_blocks(holder, OFFICE, AS_OF, Lang.ZH)
    (entries,) = [b for b in blocks if isinstance(b, Entries)]
    assert len(entries.entries) == len(holder.items) == 4
    plain = squash(notice_text(holder, OFFICE, AS_OF, Lang.ZH))
    document = squash(docx_text(notice_docx(holder, OFFICE, AS_OF, Lang.ZH)))
    for entry in entries.entries:
        for fact in (entry.product, entry.cert_id, entry.task, entry.action, entry.rule):
            assert fact and squash(fact) in plain and squash(fact) in document


# --- Never another holder, only open items --------------------------------------------------------


def test_a_notice_never_names_another_holder() -> None:
    ours = cert("2024-09-04", "LB-45-21090512345A", enterprise=HOLDER, product="六堡茶")
    theirs = cert("2024-08-20", "LB-45-21082012345A", enterprise=OTHER, product="芒果")
    holders = group_by_holder(items_of(ours, theirs))
    assert {h.name for h in holders} == {HOLDER, OTHER}
    for holder in holders:
        other = OTHER if holder.name == HOLDER else HOLDER
        other_number = theirs.cert_id if holder.name == HOLDER else ours.cert_id
        for lang in Lang:
            plain = notice_text(holder, OFFICE, AS_OF, lang)
            package = all_xml(notice_docx(holder, OFFICE, AS_OF, lang))
            assert holder.name in plain and holder.name in package
            for leak in (other, other_number):
                assert leak not in plain
                assert leak not in package


def test_a_holder_given_anothers_items_is_refused() -> None:
    ours = items_of(cert("2024-09-04", enterprise=HOLDER))
    theirs = items_of(cert("2024-08-20", "LB-45-21082012345A", enterprise=OTHER))
    mixed = Holder(name=HOLDER, items=[*ours, *theirs])
    for render in (notice_text, notice_docx):
        with pytest.raises(ValueError, match="other holders"):
            render(mixed, OFFICE, AS_OF, Lang.ZH)


def test_the_same_holder_written_two_ways_is_one_holder() -> None:
    spaced = cert("2024-09-04", "LB-45-21090512345A", enterprise="广西 某某茶业有限公司")
    plain_name = cert("2024-12-31", "1245OP2300456", scheme=Scheme.ORGANIC, enterprise=HOLDER)
    (holder,) = group_by_holder(items_of(spaced, plain_name))
    body = docx_text(notice_docx(holder, OFFICE, AS_OF, Lang.ZH))
    assert "LB-45-21090512345A" in body and "1245OP2300456" in body


@pytest.mark.parametrize(
    ("filed", "open_count"),
    [
        pytest.param(None, 2, id="not-filed"),
        pytest.param("2024-05-01", 1, id="renewal-filed-in-time-left-out"),
    ],
)
def test_only_open_items(filed: str | None, open_count: int) -> None:
    holder = holder_of(cert("2024-09-04", enterprise=HOLDER, filed=filed))
    assert has_notice(holder)
    (entries,) = [
        b for b in notice_blocks(holder, OFFICE, AS_OF, Lang.ZH) if isinstance(b, Entries)
    ]
    assert len(entries.entries) == open_count
    renewal_words = text("calendar.what.green", Lang.ZH) + "（"
    assert (renewal_words in notice_text(holder, OFFICE, AS_OF, Lang.ZH)) is (filed is None)


def test_nothing_open_means_no_notice() -> None:
    # Filed in time, and the inspection of this certificate year already done.
    done = replace(
        cert("2024-09-04", enterprise=HOLDER, filed="2024-05-01"), inspected_on=D("2024-03-01")
    )
    holder = holder_of(done)
    assert {i.status for i in holder.items} == {Status.FILED}
    assert not has_notice(holder)
    with pytest.raises(ValueError, match="no open item"):
        notice_docx(holder, OFFICE, AS_OF, Lang.ZH)


# --- Details --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "lang", "expected"),
    [
        pytest.param("2024-06-01", Lang.ZH, "2024年6月1日", id="zh"),
        pytest.param("2024-12-31", Lang.ZH, "2024年12月31日", id="zh-two-digits"),
        pytest.param("2024-06-01", Lang.EN, "1 June 2024", id="en"),
        pytest.param("2025-02-28", Lang.EN, "28 February 2025", id="en-february"),
    ],
)
def test_format_date(day: str, lang: Lang, expected: str) -> None:
    assert format_date(D(day), lang) == expected


@pytest.mark.parametrize("lang", LANGS)
def test_deadline_on_a_day_off_names_the_last_working_day(lang: Lang) -> None:
    # Expiring 2024-09-08: file by Saturday 2024-06-08; hand in by Friday 2024-06-07.
    holder = holder_of(cert("2024-09-08", enterprise=HOLDER))
    renewal = next(i for i in holder.items if i.kind is Kind.RENEWAL)
    assert (renewal.file_by, renewal.submit_by) == (D("2024-06-08"), D("2024-06-07"))
    note = text("notice.submit_by", lang, day=format_date(D("2024-06-07"), lang))
    plain = notice_text(holder, OFFICE, AS_OF, lang)
    assert note in plain
    assert note.strip() in docx_text(notice_docx(holder, OFFICE, AS_OF, lang))


def test_rows_without_number_or_dates() -> None:
    holder = holder_of(planned())
    plain = notice_text(holder, OFFICE, AS_OF, Lang.ZH)
    assert "证书编号" not in plain and "有效期" not in plain
    _, rows = docx_parts(notice_docx(holder, OFFICE, AS_OF, Lang.ZH))
    assert rows[1][2] == "—"  # the certificate cell says there is none
    assert "有机水稻" in rows[1][1]


@pytest.mark.parametrize(
    ("office", "first", "has_contact"),
    [
        pytest.param(OFFICE, OFFICE.letterhead, True, id="letterhead-and-contact"),
        pytest.param(Office(name="田阳区农业农村局"), "续展提醒告知书", False, id="name-only"),
    ],
)
def test_letterhead_and_contact_are_optional(
    office: Office, first: str | None, has_contact: bool
) -> None:
    holder = holder_of(cert("2024-09-04", enterprise=HOLDER))
    paragraphs, _ = docx_parts(notice_docx(holder, office, AS_OF, Lang.ZH))
    assert paragraphs[0] == first
    assert any(p.startswith("联系人及电话") for p in paragraphs) is has_contact
    assert ("联系人及电话" in notice_text(holder, office, AS_OF, Lang.ZH)) is has_contact
    assert paragraphs[-2] == office.name


def test_a_name_xml_cannot_hold_still_gives_a_document() -> None:
    name = "广西\x0b某某\x00茶业"
    holder = holder_of(cert("2024-09-04", enterprise=name))
    paragraphs, _ = docx_parts(notice_docx(holder, Office(name="局\x1f"), AS_OF, Lang.ZH))
    assert paragraphs[1] == "广西某某茶业："
    assert name in notice_text(holder, OFFICE, AS_OF, Lang.ZH)


# --- The package ----------------------------------------------------------------------------------


def test_docx_package() -> None:
    holder = holder_of(cert("2024-09-04", enterprise=HOLDER, product="六堡茶"))
    data = notice_docx(holder, OFFICE, AS_OF, Lang.ZH)
    assert zipfile.is_zipfile(io.BytesIO(data))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        names = package.namelist()
        assert "word/document.xml" in names and "[Content_Types].xml" in names
        assert not any("thumbnail" in name for name in names)
        assert {info.date_time for info in package.infolist()} == {(2024, 6, 1, 0, 0, 0)}
        styles = package.read("word/styles.xml").decode()
        settings = package.read("word/settings.xml").decode()
    # Chinese fonts on the styles the notice uses and on the document defaults, with no theme
    # font left to win over them, and a Chinese theme language (the template's is Japanese).
    used = re.findall(
        r'<w:style [^>]*w:styleId="(?:Normal|Notice[^"]*)".*?</w:style>', styles, flags=re.S
    )
    defaults = re.findall(r"<w:docDefaults>.*?</w:docDefaults>", styles, flags=re.S)
    assert len(used) == 12 and len(defaults) == 1
    fonts = [re.search(r"<w:rFonts [^>]*/>", style) for style in used + defaults]
    east_asian = [m and re.search(r'w:eastAsia="([^"]+)"', m.group(0)) for m in fonts]
    assert {m.group(1) for m in east_asian if m} == {"宋体", "黑体"}
    assert all(m is not None and "Theme" not in m.group(0) for m in fonts)
    assert re.search(r'<w:themeFontLang [^>]*w:eastAsia="zh-CN"', settings) is not None
    # The same inputs give the same bytes, whatever the clock says.
    again = notice_docx(holder, OFFICE, AS_OF, Lang.ZH)
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(data).hexdigest()

    document = Document(io.BytesIO(data))
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert abs(section.page_width - Cm(21)) < Cm(0.01)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
    for margin in (section.left_margin, section.right_margin, section.top_margin):
        assert margin is not None and Cm(2) <= margin <= Cm(4)
    (table,) = document.tables
    header = table.rows[0]._tr
    repeated = header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None
    assert repeated, "the header row repeats on every page"
    assert document.core_properties.title == f"续展提醒告知书 {HOLDER}"
    assert document.core_properties.author == OFFICE.name
    # AS_OF's midnight in China (not the template's 2013), in UTC as the format wants.
    assert document.core_properties.created == datetime(2024, 5, 31, 16, 0, tzinfo=UTC)


def test_core_properties_of_a_very_long_name() -> None:
    holder = holder_of(cert("2024-09-04", enterprise="茶" * 300))
    document = Document(io.BytesIO(notice_docx(holder, OFFICE, AS_OF, Lang.ZH)))
    assert len(document.core_properties.title) == 255
    assert document.paragraphs[2].text == "茶" * 300 + "："


@pytest.fixture(scope="module")
def office_profile(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One LibreOffice profile (the tests' own, never the user's) for the module's runs: a new
    profile costs LibreOffice 3 to 5 s at each start."""
    return (tmp_path_factory.mktemp("libreoffice") / "profile").as_uri()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
@pytest.mark.parametrize(
    ("lang", "target", "suffix"),
    [
        pytest.param(Lang.ZH, "txt:Text", ".txt", id="zh-txt"),
        pytest.param(Lang.EN, "txt:Text", ".txt", id="en-txt"),
        pytest.param(Lang.ZH, "pdf", ".pdf", id="zh-pdf"),
    ],
)
def test_libreoffice_opens_it(
    tmp_path: Path, office_profile: str, lang: Lang, target: str, suffix: str
) -> None:
    """The acceptance test: LibreOffice opens the document as generated, headless."""
    holder = holder_of(
        cert("2024-09-04", "LB-45-21090512345A", enterprise=HOLDER),
        cert("2024-08-31", "1245OP2300123", scheme=Scheme.ORGANIC, enterprise=HOLDER),
    )
    source = tmp_path / notice_filename(holder, "docx")
    source.write_bytes(notice_docx(holder, OFFICE, AS_OF, lang))
    soffice = shutil.which("soffice")
    assert soffice is not None
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={office_profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    converted = tmp_path / "out" / (source.stem + suffix)
    assert converted.exists(), done.stdout.decode(errors="replace")
    if suffix == ".pdf":
        assert converted.read_bytes().startswith(b"%PDF")
        return
    words = converted.read_bytes().decode("utf-8-sig")
    for expected in (HOLDER, "LB-45-21090512345A", "1245OP2300123", OFFICE.name):
        assert expected in words
    assert format_date(AS_OF, lang) in words


# --- The office's contact (issue 17, point 14) -----------------------------------------------------


@pytest.mark.parametrize(
    ("contact", "zh", "en"),
    [
        pytest.param(
            "联系人：李明 电话：0776-2812345",
            "联系人：李明 电话：0776-2812345",
            "联系人：李明 电话：0776-2812345",
            id="own-labels",
        ),
        pytest.param(
            "联系人:李明 电话:0776-2812345",
            "联系人:李明 电话:0776-2812345",
            "联系人:李明 电话:0776-2812345",
            id="own-labels-half-width-colons",
        ),
        pytest.param(
            "电话：0776-2812345", "电话：0776-2812345", "电话：0776-2812345", id="phone-label"
        ),
        pytest.param(
            "  联系人：李明  ", "联系人：李明", "联系人：李明", id="own-label-spaces-trimmed"
        ),
        pytest.param(
            "Contact: Li Ming, tel. 0776-2812345",
            "Contact: Li Ming, tel. 0776-2812345",
            "Contact: Li Ming, tel. 0776-2812345",
            id="english-label",
        ),
        pytest.param("Tel.: 0776-2812345", "Tel.: 0776-2812345", "Tel.: 0776-2812345", id="tel"),
        pytest.param(
            "李明 0776-2812345",
            "联系人及电话：李明 0776-2812345",
            "Contact: 李明 0776-2812345",
            id="name-and-number",
        ),
        pytest.param(
            "李明（电话：0776-2812345）",
            "联系人及电话：李明（电话：0776-2812345）",
            "Contact: 李明（电话：0776-2812345）",
            id="name-first-label-in-brackets",
        ),
        pytest.param(
            "李明 电话：0776-2812345",
            "联系人及电话：李明 电话：0776-2812345",
            "Contact: 李明 电话：0776-2812345",
            id="name-first-then-label",
        ),
        pytest.param(
            "Li Ming, tel: 0776-2812345",
            "联系人及电话：Li Ming, tel: 0776-2812345",
            "Contact: Li Ming, tel: 0776-2812345",
            id="english-name-first",
        ),
        pytest.param(
            "https://nyj.example.cn/lianxi",
            "联系人及电话：https://nyj.example.cn/lianxi",
            "Contact: https://nyj.example.cn/lianxi",
            id="address-is-no-label",
        ),
        pytest.param(
            "09:00-17:00 李明 0776-2812345",
            "联系人及电话：09:00-17:00 李明 0776-2812345",
            "Contact: 09:00-17:00 李明 0776-2812345",
            id="hours-are-no-label",
        ),
    ],
)
def test_a_contact_with_its_own_label_gets_no_second_one(contact: str, zh: str, en: str) -> None:
    holder = holder_of(cert("2024-09-04", enterprise=HOLDER))
    office = replace(OFFICE, contact=contact)
    for lang, line in ((Lang.ZH, zh), (Lang.EN, en)):
        plain = notice_text(holder, office, AS_OF, lang)
        paragraphs, _ = docx_parts(notice_docx(holder, office, AS_OF, lang))
        (said,) = [p for p in paragraphs if contact.strip() in p]
        assert said == line
        assert any(text.strip("\u3000 ") == line for text in plain.splitlines())
        for twice in (
            "联系人及电话：联系人",
            "联系人及电话：电话",
            "Contact: Contact",
            "Contact: Tel",
        ):
            assert twice not in plain and twice not in said


# --- The closing stays with the last item (issue 17, point 15) ------------------------------------


def inspections_only(count: int) -> list[Certificate]:
    """Renewals filed in time, inspections open: a table of `count` rows and no document list
    or fee relief between it and the closing (the closing follows the table)."""
    return [
        cert(
            f"2024-09-{4 + n:02d}",
            f"LB-45-2109{n:02d}{count:05d}A",
            enterprise=HOLDER,
            product=f"产品{n:02d}",
            filed="2024-05-01",
            **NO_RELIEF,
        )
        for n in range(count)
    ]


def organic_pending(count: int) -> list[Certificate]:
    """Re-certifications: the documents list comes between the table and the closing."""
    return [
        cert(
            f"2024-12-{4 + n:02d}",
            f"1245OP23{n:05d}",
            scheme=Scheme.ORGANIC,
            enterprise=HOLDER,
            product=f"产品{n:02d}",
            **NO_RELIEF,
        )
        for n in range(count)
    ]


def keeps(paragraph: Any) -> bool:
    """Whether a w:p element is kept with the next one (python-docx reads it back)."""
    return bool(ParagraphFormat(paragraph).keep_with_next)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("certificates", "before"),
    [
        pytest.param(inspections_only(3), "table", id="closing-after-the-table"),
        pytest.param(organic_pending(2), "documents", id="after-the-documents"),
        pytest.param(
            [cert("2024-09-04", "LB-45-21090512345A", enterprise=HOLDER)], "fees", id="after-fees"
        ),
        pytest.param(
            [cert("2024-03-04", "LB-45-21030512345A", enterprise=HOLDER)],
            "fees",
            id="expired-only",
        ),
    ],
)
def test_the_closing_and_signature_keep_with_the_last_item(
    certificates: list[Certificate], before: str, lang: Lang
) -> None:
    """Read back with python-docx: the closing, the office's name and the date keep together and
    with what comes before (the table's last row, or the last line of the documents or fee
    relief); the table's last row keeps with what follows, every cell of it; the chain is short
    enough to fit on any page."""
    holder = holder_of(*certificates)
    document = Document(io.BytesIO(notice_docx(holder, OFFICE, AS_OF, lang)))
    body = list(document.iter_inner_content())
    (table,) = [b for b in body if isinstance(b, Table)]

    def style(block: Paragraph | Table) -> str:
        return block.style.name if isinstance(block, Paragraph) and block.style else ""

    first = next(n for n, b in enumerate(body) if style(b) == "Notice Closing")
    last = len(body) - 1
    assert [b.text for b in body[-2:]] == [OFFICE.name, format_date(AS_OF, lang)]  # type: ignore[union-attr]
    # From the line before the closing to the office's name, each keeps with the next.
    for block in body[first:last]:
        assert isinstance(block, Paragraph) and block.paragraph_format.keep_with_next, block.text
    previous = body[first - 1]
    if before == "table":
        assert previous is table
    else:
        assert isinstance(previous, Paragraph) and previous.paragraph_format.keep_with_next
        if before == "documents":
            assert previous.text == text("notice.documents.note", lang)
        else:  # the last fee relief line
            assert style(previous) == "Notice List Entry"
            assert previous.text.endswith(text(f"notice.fees.{holder.fee_flags[-1]}", lang))
    # The table's last row, through its own cells (the merged number cell's empty paragraph
    # too), keeps with what follows; every facts row keeps with its rule row.
    rows = table._tbl.tr_lst
    for row in [rows[-1], *rows[1::2]]:
        paragraphs = [p for tc in row.iterchildren(qn("w:tc")) for p in tc.iterchildren(qn("w:p"))]
        assert paragraphs and all(keeps(p) for p in paragraphs)
    # The chain is short, so it fits on any page: when anything comes between the table and
    # the closing, the chain breaks there (a chain longer than the page would be split anywhere
    # or push whole pages on).
    between = body[body.index(table) + 1 : first]
    if between:
        assert not all(
            isinstance(b, Paragraph) and b.paragraph_format.keep_with_next for b in between
        )
    chained = 0
    for block in reversed(body[:last]):
        if not isinstance(block, Paragraph) or not block.paragraph_format.keep_with_next:
            break
        chained += 1
    assert last - first <= chained <= 10


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or pdftotext not installed",
)
def test_libreoffice_prints_the_closing_on_the_last_items_page(
    tmp_path: Path, office_profile: str
) -> None:
    """Printed by LibreOffice, notices long enough to spill onto a second page: the page with
    the closing and the signature also carries the last item (when the closing follows the
    table) or the line before the closing. Without the keeps, LibreOffice put 4 and 10 rows on
    the first page and the closing alone on the next, and the organic notice's contact, 特此告知
    and signature alone on page 3. (LibreOffice 7.4 honours a row's keep only in the part of a
    table on its first page; Word honours it wherever the row falls.)"""
    cases = {
        "rows-4": (inspections_only(4), "table"),
        # 9 rows: the table runs onto page 2 and ends there. (At 10, since the opening names the
        # plan's full title, the table's second part fills page 2: LibreOffice 7.4 then ignores
        # the row's keep, as said above, while Word keeps the closing with the last row.)
        "rows-9": (inspections_only(9), "table"),
        "documents": (organic_pending(6), "以上为常用材料"),
    }
    for name, (certificates, _) in cases.items():
        holder = holder_of(*certificates)
        (tmp_path / f"{name}.docx").write_bytes(notice_docx(holder, OFFICE, AS_OF, Lang.ZH))
    soffice = shutil.which("soffice")
    assert soffice is not None
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={office_profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            *(str(tmp_path / f"{name}.docx") for name in cases),
        ],
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    for name, (certificates, mark) in cases.items():
        pdf = tmp_path / "out" / f"{name}.pdf"
        printed = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, timeout=60, check=True
        ).stdout.decode("utf-8")
        pages = [re.sub(r"\s+", "", page) for page in printed.split("\f") if page.strip()]
        assert len(pages) >= 2, name  # long enough to spill
        (closing,) = [n for n, page in enumerate(pages) if "特此告知" in page]
        assert closing == len(pages) - 1, name
        assert OFFICE.name in pages[closing] and "2024年6月1日" in pages[closing], name
        if mark == "table":
            holder = holder_of(*certificates)
            (entries,) = [
                b for b in notice_blocks(holder, OFFICE, AS_OF, Lang.ZH) if isinstance(b, Entries)
            ]
            mark = str(entries.entries[-1].cert_id)
        assert mark in pages[closing], (name, pages[closing])


# --- File names -----------------------------------------------------------------------------------

FORBIDDEN = set('/\\:*?"<>|')


@pytest.mark.parametrize(
    "name",
    [
        pytest.param('a/b\\c:d*e?f"g<h>i|j', id="forbidden-characters"),
        pytest.param("../../etc/passwd", id="path-traversal"),
        pytest.param("...广西某某公司", id="leading-dots"),
        pytest.param(".hidden", id="hidden"),
        pytest.param("茶" * 300, id="300-characters"),
        pytest.param("a" * 300, id="300-ascii"),
        pytest.param("", id="empty"),
        pytest.param("   ", id="spaces-only"),
        pytest.param("CON", id="windows-reserved"),
        pytest.param("广西\n某某\t公司\x00", id="control-characters"),
    ],
)
def test_file_names_are_safe(name: str) -> None:
    filename = notice_filename(Holder(name=name), "docx")
    assert filename.endswith(".docx")
    stem = filename.removesuffix(".docx")
    assert stem and not stem.startswith(".") and not stem.endswith((" ", "."))
    assert not FORBIDDEN & set(filename)
    assert not any(ord(ch) < 32 for ch in filename)
    assert len(filename.encode("utf-8")) <= 255
    assert stem.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL"}


@pytest.mark.parametrize(
    ("name", "ext", "expected"),
    [
        pytest.param(HOLDER, "docx", f"{HOLDER}.docx", id="plain-name-kept"),
        pytest.param(HOLDER, ".txt", f"{HOLDER}.txt", id="dotted-extension"),
    ],
)
def test_file_names_keep_a_plain_name(name: str, ext: str, expected: str) -> None:
    assert notice_filename(Holder(name=name), ext) == expected


def test_file_names_of_different_holders_differ() -> None:
    names = ["a/b", "a\\b", "a:b", "a_b", "茶" * 300, "茶" * 299 + "叶"]
    filenames = {notice_filename(Holder(name=n), "docx") for n in names}
    assert len(filenames) == len(names)


@pytest.mark.parametrize("ext", ["", ".", "../docx", "do cx", "文档"])
def test_file_name_extension_must_be_plain(ext: str) -> None:
    with pytest.raises(ValueError, match="extension"):
        notice_filename(Holder(name=HOLDER), ext)


# --- Catalogue ------------------------------------------------------------------------------------


def test_notice_messages_in_both_languages() -> None:
    ours = [k for k in CATALOG if k.startswith("notice.")]
    assert len(ours) > 40
    for key in ours:
        assert set(CATALOG[key]) == set(Lang), key
        placeholders = [
            {name for _, name, _, _ in string.Formatter().parse(CATALOG[key][lang]) if name}
            for lang in Lang
        ]
        assert placeholders[0] == placeholders[1], key
    for name in LISTS:
        lengths = {len(text(f"notice.documents.list.{name}", lang).splitlines()) for lang in Lang}
        assert len(lengths) == 1 and lengths.pop() >= 5, name
