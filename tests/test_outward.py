"""What goes out to holders (issue 17, points 4-6): notices, holder mail and their calendars.

- A late or expired item says what is still possible: the window closed on its file-by day,
  apply again as new, and the day after which the label may not be used (or that it may no
  longer be used); a missed day is never a deadline to meet, and the closing fits the items.
- No remark meant for the officer (an assumed timing, the policy file, policy keys) reaches a
  holder; `renewal rules` keeps it.
- Checked on registers written here, in Chinese and English: each item read back from the
  notice text, the .docx (python-docx), the calendar (icalendar) and the mail a real SMTP server
  received. The words expected are written out here, not looked up in the catalogue, so a
  wrong word fails.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.table import Table

from conftest import SENDER, Server, cert, events, run
from renewal_cli.holders import Holder, Office, group_by_holder
from renewal_cli.mail.holders import holder_subject
from renewal_cli.messages import Lang
from renewal_cli.models import Action, Certificate, Kind, ScheduleItem, Scheme, Status
from renewal_cli.obligations import obligations
from renewal_cli.output.calendar import render_calendar
from renewal_cli.output.notice import (
    format_date,
    notice_blocks,
    notice_docx,
    notice_items,
    notice_text,
)
from renewal_cli.output.notice_blocks import Entries, Line, Role
from renewal_cli.policy import Policy, policy_for

D = date.fromisoformat
AS_OF = D("2024-06-01")
HOLDER = "广西某某茶业有限公司"
OFFICE = Office(name="百色市田阳区农业农村局", contact="张三 0776-3212345")
LANGS = [pytest.param(Lang.ZH, id="zh"), pytest.param(Lang.EN, id="en")]


def holder_of(*certificates: Certificate, as_of: date = AS_OF) -> Holder:
    policy = policy_for(as_of.year)
    items = [i for c in certificates for i in obligations(c, as_of, policy)]
    (holder,) = group_by_holder(items)
    return holder


def ours(expires: str, cert_id: str = "LB-45-21090112345A", **changes: Any) -> Certificate:
    return cert(expires, cert_id, enterprise=HOLDER, **changes)


def organic(expires: str, cert_id: str, **changes: Any) -> Certificate:
    return ours(expires, cert_id, scheme=Scheme.ORGANIC, **changes)


def crop(sowing: str) -> Certificate:
    return Certificate(
        cert_id="",
        enterprise=HOLDER,
        product="有机水稻",
        scheme=Scheme.ORGANIC,
        city="百色市",
        county="田阳区",
        sowing_on=D(sowing),
    )


def listing(listed: str, **changes: Any) -> Certificate:
    certificate = Certificate(
        cert_id="CAQS-MTYX-20210345",
        enterprise=HOLDER,
        product="田阳香芒",
        scheme=Scheme.MINGTE,
        city="百色市",
        county="田阳区",
        listed_on=D(listed),
    )
    return replace(certificate, **changes)


def docx_rows(data: bytes) -> list[list[str]]:
    """The table's rows, each cell once (a merged cell's text once), paragraphs joined by \\n."""
    (table,) = Document(io.BytesIO(data)).tables
    assert isinstance(table, Table)
    rows = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append("\n".join(p.text for p in cell.paragraphs))
        rows.append(cells)
    return rows


def docx_words(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell for row in docx_rows(data) for cell in row]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# A deadline line of the notice text, in either language: "截止日期：2024年6月4日", "Deadline: …".
DEADLINE_LINE = re.compile(r"^\s*(?:截止日期：|Deadline: )(.+?)(?:（|\(|$)")


def deadlines_in_text(plain: str, lang: Lang) -> list[date]:
    """The days the notice text gives as deadlines, read back from its words."""
    days = []
    for line in plain.splitlines():
        match = DEADLINE_LINE.match(line)
        if match is None:
            continue
        words = match.group(1).strip()
        if lang is Lang.ZH:
            year, month, day = re.fullmatch(r"(\d+)年(\d+)月(\d+)日", words).groups()  # type: ignore[union-attr]
            days.append(date(int(year), int(month), int(day)))
        else:
            days.append(datetime.strptime(words, "%d %B %Y").date())
    return days


# --- Point 4: each late or expired item says what is still possible -----------------------------


@dataclass
class Closed:
    """One late or expired item, and what the holder must read about it."""

    certificates: list[Certificate]
    kind: Kind
    status: Status
    zh: tuple[str, str, str | None]
    """(window, action, label) with {file_by}, {expires}, {filed}, {ends} for the dates."""
    en: tuple[str, str, str | None]


CLOSED = [
    pytest.param(
        Closed(
            [ours("2024-08-31")],
            Kind.RENEWAL,
            Status.LATE,
            (
                "续展申报期已于{file_by}截止",
                "按新申报产品重新申报（提交新申报材料）",
                "证书有效期至{expires}，此后不得使用绿色食品标志",
            ),
            (
                "Renewal window closed on {file_by}",
                "apply again as a new product, with the first-application documents",
                "The certificate is valid until {expires}: the green food label may not be used "
                "after that day",
            ),
        ),
        id="green-late",
    ),
    pytest.param(
        Closed(
            [ours("2024-08-31", filed="2024-06-01")],
            Kind.RENEWAL,
            Status.LATE,
            (
                "续展申报期已于{file_by}截止",
                "已于{filed}申报，晚于申报期，按新申报产品处理（提交新申报材料）",
                "证书有效期至{expires}，此后不得使用绿色食品标志",
            ),
            (
                "Renewal window closed on {file_by}",
                "filed on {filed}, after the window: handled as a new application "
                "(first-application documents)",
                "The certificate is valid until {expires}: the green food label may not be used "
                "after that day",
            ),
        ),
        id="green-filed-late",
    ),
    pytest.param(
        Closed(
            [ours("2024-03-04", "LB-45-21030512345A")],
            Kind.RENEWAL,
            Status.EXPIRED,
            (
                "续展申报期已于{file_by}截止",
                "按新申报产品重新申报（提交新申报材料）",
                "证书已于{expires}到期，现已不得使用绿色食品标志",
            ),
            (
                "Renewal window closed on {file_by}",
                "apply again as a new product, with the first-application documents",
                "The certificate expired on {expires}: the green food label may no longer be used",
            ),
        ),
        id="green-expired",
    ),
    pytest.param(
        Closed(
            [organic("2024-08-31", "1245OP2300123")],
            Kind.RENEWAL,
            Status.LATE,
            (
                "再认证申报期已于{file_by}截止",
                "按新申报产品重新申报（提交新申报材料）",
                "证书有效期至{expires}，此后不得使用有机产品认证标志",
            ),
            (
                "Re-certification window closed on {file_by}",
                "apply again as a new product, with the first-application documents",
                "The certificate is valid until {expires}: the organic label may not be used "
                "after that day",
            ),
        ),
        id="organic-late",
    ),
    pytest.param(
        Closed(
            [organic("2024-05-15", "1245OP2300124")],
            Kind.RENEWAL,
            Status.EXPIRED,
            (
                "再认证申报期已于{file_by}截止",
                "按新申报产品重新申报（提交新申报材料）",
                "证书已于{expires}到期，现已不得使用有机产品认证标志",
            ),
            (
                "Re-certification window closed on {file_by}",
                "apply again as a new product, with the first-application documents",
                "The certificate expired on {expires}: the organic label may no longer be used",
            ),
        ),
        id="organic-expired",
    ),
    pytest.param(
        Closed(
            [replace(organic("2024-08-31", "4502OP2300789"), certifier="南京国环有机产品认证中心")],
            Kind.TRANSFER,
            Status.LATE,
            (
                "转换认证机构申报期已于{file_by}截止",
                "按新申报产品重新申报（提交新申报材料）",
                "证书有效期至{expires}，此后不得使用有机产品认证标志",
            ),
            (
                "Transfer to COFCC window closed on {file_by}",
                "apply again as a new product, with the first-application documents",
                "The certificate is valid until {expires}: the organic label may not be used "
                "after that day",
            ),
        ),
        id="transfer-late",
    ),
    pytest.param(
        Closed(
            [crop("2024-06-20")],
            Kind.NEW_APPLICATION,
            Status.LATE,
            ("有机认证申报期已于{file_by}截止", "请在播种（{ends}）前尽快申报", None),
            (
                "Application window closed on {file_by}",
                "apply without delay, before sowing on {ends}",
                None,
            ),
        ),
        id="annual-crop-late-before-sowing",
    ),
    pytest.param(
        Closed(
            [crop("2024-05-20")],
            Kind.NEW_APPLICATION,
            Status.EXPIRED,
            (
                "有机认证申报期已于{file_by}截止",
                "本季播种日（{ends}）已过，请在下一季播种前按期申报",
                None,
            ),
            (
                "Application window closed on {file_by}",
                "sowing on {ends} has passed: apply in time before next season's sowing",
                None,
            ),
        ),
        id="annual-crop-sowing-passed",
    ),
    pytest.param(
        Closed(
            [
                replace(
                    ours("2024-09-04", issued="2021-09-05"), recorded=frozenset({"inspected_on"})
                )
            ],
            Kind.ANNUAL_INSPECTION,
            Status.LATE,
            ("年检期限已于{file_by}截止", "请尽快办理年检", None),
            ("Inspection was due by {file_by}", "have the inspection done without delay", None),
        ),
        id="inspection-late",
    ),
    pytest.param(
        Closed(
            [listing("2021-06-20")],
            Kind.ANNUAL_CONFIRMATION,
            Status.LATE,
            (
                "年度确认申请期已于{file_by}截止",
                "未在期限内申请确认，产品将被移出名录，须重新申请收录",
                None,
            ),
            (
                "Confirmation window closed on {file_by}",
                "not confirmed in time: the product leaves the list and must apply to be listed "
                "anew",
                None,
            ),
        ),
        id="confirmation-late",
    ),
    pytest.param(
        Closed(
            [listing("2021-07-15", recorded=frozenset({"confirmed_on"}))],
            Kind.ANNUAL_CONFIRMATION,
            Status.EXPIRED,
            ("年度确认申请期已于{file_by}截止", "产品已移出名录，须重新申请收录", None),
            (
                "Confirmation window closed on {file_by}",
                "the product has left the list: apply to be listed anew",
                None,
            ),
        ),
        id="confirmation-missed-delisted",
    ),
    pytest.param(
        Closed(
            [listing("2020-07-15", recorded=frozenset({"tested_on"}))],
            Kind.QUALITY_TEST,
            Status.LATE,
            ("质量检测期限已于{file_by}截止", "请尽快安排质量检测", None),
            ("Quality test was due by {file_by}", "have the quality test done without delay", None),
        ),
        id="quality-test-late",
    ),
]


def the_item(holder: Holder, case: Closed) -> ScheduleItem:
    (found,) = [i for i in holder.items if i.kind is case.kind]
    assert found.status is case.status  # the case is what it says
    return found


def expected(case: Closed, found: ScheduleItem, lang: Lang, day: Any) -> list[str | None]:
    dates = {
        "file_by": day(found.file_by),
        "expires": day(found.certificate.expires_on) if found.certificate.expires_on else "",
        "filed": day(found.filed_on) if found.filed_on else "",
        "ends": day(found.last_day),
    }
    words = case.zh if lang is Lang.ZH else case.en
    return [w.format(**dates) if w is not None else None for w in words]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", CLOSED)
def test_a_closed_item_in_the_notice_says_what_is_still_possible(case: Closed, lang: Lang) -> None:
    holder = holder_of(*case.certificates)
    found = the_item(holder, case)
    window, action, use = expected(case, found, lang, lambda d: format_date(d, lang))
    plain = notice_text(holder, OFFICE, AS_OF, lang)
    data = notice_docx(holder, OFFICE, AS_OF, lang)

    # The text: labelled lines, and no deadline line for a day already past.
    label = {"window": ("办理时限：", "Time limit: "), "action": ("办理方式：", "What to do: ")}
    lines = [line.strip("\u3000 ") for line in plain.splitlines()]
    assert label["window"][lang is Lang.EN] + str(window) in lines
    assert label["action"][lang is Lang.EN] + str(action) in lines
    if use is not None:
        assert ("标志使用：" if lang is Lang.ZH else "Label: ") + use in lines
    else:
        assert not any(line.startswith(("标志使用：", "Label: ")) for line in lines)
    assert all(day >= AS_OF for day in deadlines_in_text(plain, lang)), "a missed deadline"

    # The document: the item's row says the same, in plain type, under a heading that is not
    # "Deadline"; no other row names the missed day as its deadline.
    rows = docx_rows(data)
    assert rows[0][4] == ("办理时限" if lang is Lang.ZH else "Time limit")
    (row,) = [r for r in rows[1:] if len(r) == 5 and str(window) in r[4]]
    assert row[4] == "\n".join(w for w in (window, use) if w is not None)
    assert str(action) in row[3]
    assert not any(
        r[4].startswith(format_date(found.file_by, lang)) for r in rows[1:] if len(r) == 5
    )
    # Only a day still to be met is set in bold.
    (table,) = Document(io.BytesIO(data)).tables
    bold = [run.text for row in table.rows for run in row.cells[4].paragraphs[0].runs if run.bold]
    pending = [i for i in notice_items(holder) if i.status is Status.PENDING]
    assert bold == [format_date(i.file_by, lang) for i in pending]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", CLOSED)
def test_a_closed_item_in_the_calendar_says_what_is_still_possible(
    case: Closed, lang: Lang
) -> None:
    """A late item's event carries the same words, with ISO dates: on its last day when the
    window is missed (a new application), on AS_OF when it is overdue and still to be done
    (an "act now" event on an inspection's year end would come months late); an expired one
    has no event (its last day is past)."""
    holder = holder_of(*case.certificates)
    found = the_item(holder, case)
    window, action, use = expected(case, found, lang, date.isoformat)
    data = render_calendar(holder.items, as_of=AS_OF, lang=lang, name=HOLDER)
    anew = found.action is Action.NEW_APPLICATION
    day = found.last_day if anew or found.status is Status.EXPIRED else AS_OF
    on_its_day = [e for e in events(data) if e.decoded("DTSTART") == day]
    described = [str(e["DESCRIPTION"]).split("\n") for e in on_its_day]
    late = [d for d in described if any(str(window) in line for line in d)]
    if found.status is Status.EXPIRED:
        assert late == []
        return
    (lines,) = late
    labels = (
        ("办理时限：", "标志使用：", "处理方式：")
        if lang is Lang.ZH
        else ("time limit: ", "label: ", "action: ")
    )
    assert labels[0] + str(window) in lines
    assert labels[2] + str(action) in lines
    assert (use is not None and labels[1] + use in lines) or (
        use is None and not any(line.startswith(labels[1]) for line in lines)
    )
    file_by_label = "申报截止日：" if lang is Lang.ZH else "file_by: "
    assert not any(line.startswith(file_by_label) for line in lines)


# --- Point 4: the closing fits the notice, and so does the mail's subject ------------------------

LATE_ORGANIC = organic("2024-08-31", "1245OP2300123")  # no inspection: organic
EXPIRED_GREEN = ours("2024-03-04", "LB-45-21030512345A", product="绿茶")
PENDING_ORGANIC = organic("2024-12-31", "1245OP2300456", product="红茶")
# Renewal filed in time; last certificate year's inspection never done: one late inspection.
LATE_INSPECTION = replace(
    ours("2024-09-04", "LB-45-21090512345A", issued="2021-09-05", filed="2024-05-01"),
    recorded=frozenset({"inspected_on"}),
)

ZH_APPLY = "已错过续展、再认证申报期的产品，须按新申报产品重新申报（材料见上）。"
ZH_STOP_AFTER = "证书有效期满后，不得继续使用标志。"
ZH_STOP_NOW = "证书已到期的，现已不得使用标志，请立即停止使用。"
EN_APPLY = (
    "Products whose renewal or re-certification window has closed must apply again as new "
    "products (documents above)."
)
EN_STOP_AFTER = "The label may not be used after the certificate expires."
EN_STOP_NOW = (
    "Where the certificate has expired, the label may no longer be used: stop using it now."
)
ZH_REQUEST = "请贵单位高度重视，在截止日期前完成上述事项。如有疑问，请与我单位联系。"
ZH_LATE_RULE = "逾期未申报续展、再认证的，按新申报产品处理；证书到期后不得继续使用标志。"
ZH_MIXED = (
    "请贵单位高度重视，在截止日期前完成尚未截止的事项，已过期限的事项请按上述说明尽快办理。"
    "如有疑问，请与我单位联系。"
)
ZH_CLOSED = "请贵单位高度重视，按上述说明尽快办理。如有疑问，请与我单位联系。"
EN_REQUEST = (
    "Please see to the above before the deadlines. If you have any questions, please contact us."
)
EN_LATE_RULE = (
    "A renewal or re-certification filed late is handled as a new application, and the label "
    "may not be used once the certificate has expired."
)
EN_MIXED = (
    "Please see to the matters still open before their deadlines, and to those whose time has "
    "passed as set out above, without delay. If you have any questions, please contact us."
)
EN_CLOSED = "Please act on the above without delay. If you have any questions, please contact us."
ZH_CONTACT, EN_CONTACT = "联系人及电话：张三 0776-3212345", "Contact: 张三 0776-3212345"


@pytest.mark.parametrize(
    ("certificates", "lang", "closing", "subject"),
    [
        pytest.param(
            [PENDING_ORGANIC],
            Lang.ZH,
            [ZH_REQUEST, ZH_LATE_RULE, ZH_CONTACT, "特此告知。"],
            "【续展提醒】广西某某茶业有限公司：1 项待办，请于2024年8月30日前提交"
            "（百色市田阳区农业农村局）",
            id="pending-only-zh",
        ),
        pytest.param(
            [LATE_ORGANIC],
            Lang.ZH,
            [ZH_APPLY + ZH_STOP_AFTER, ZH_CLOSED, ZH_CONTACT, "特此告知。"],
            "【续展提醒】广西某某茶业有限公司：1 项已过期限，请按告知书尽快办理（百色市田阳区农业农村局）",
            id="late-only-zh",
        ),
        pytest.param(
            [EXPIRED_GREEN],
            Lang.ZH,
            [ZH_APPLY + ZH_STOP_NOW, ZH_CLOSED, ZH_CONTACT, "特此告知。"],
            "【续展提醒】广西某某茶业有限公司：1 项已过期限，请按告知书尽快办理（百色市田阳区农业农村局）",
            id="expired-only-zh",
        ),
        pytest.param(
            [LATE_ORGANIC, EXPIRED_GREEN],
            Lang.ZH,
            [ZH_APPLY + ZH_STOP_AFTER + ZH_STOP_NOW, ZH_CLOSED, ZH_CONTACT, "特此告知。"],
            "【续展提醒】广西某某茶业有限公司：2 项已过期限，请按告知书尽快办理（百色市田阳区农业农村局）",
            id="late-and-expired-zh",
        ),
        pytest.param(
            [LATE_ORGANIC, PENDING_ORGANIC],
            Lang.ZH,
            [ZH_APPLY + ZH_STOP_AFTER, ZH_MIXED, ZH_CONTACT, "特此告知。"],
            "【续展提醒】广西某某茶业有限公司：2 项待办，其中 1 项已过期限，其余请于2024年8月30日前提交"
            "（百色市田阳区农业农村局）",
            id="mixed-zh",
        ),
        pytest.param(
            [LATE_INSPECTION],
            Lang.ZH,
            [ZH_CLOSED, ZH_CONTACT, "特此告知。"],
            # An inspection only: a reminder of the certificate's duties, not of a renewal.
            "【证书事项提醒】广西某某茶业有限公司：1 项已过期限，请按告知书尽快办理（百色市田阳区农业农村局）",
            id="late-inspection-only-zh",
        ),
        pytest.param(
            [PENDING_ORGANIC],
            Lang.EN,
            [EN_REQUEST, EN_LATE_RULE, EN_CONTACT],
            "Renewal reminder for 广西某某茶业有限公司: 1 item, submit by 30 August 2024 "
            "(百色市田阳区农业农村局)",
            id="pending-only-en",
        ),
        pytest.param(
            [LATE_ORGANIC],
            Lang.EN,
            [f"{EN_APPLY} {EN_STOP_AFTER}", EN_CLOSED, EN_CONTACT],
            "Renewal reminder for 广西某某茶业有限公司: 1 item past its time limit, act on the "
            "notice now (百色市田阳区农业农村局)",
            id="late-only-en",
        ),
        pytest.param(
            [EXPIRED_GREEN],
            Lang.EN,
            [f"{EN_APPLY} {EN_STOP_NOW}", EN_CLOSED, EN_CONTACT],
            "Renewal reminder for 广西某某茶业有限公司: 1 item past its time limit, act on the "
            "notice now (百色市田阳区农业农村局)",
            id="expired-only-en",
        ),
        pytest.param(
            [LATE_ORGANIC, PENDING_ORGANIC],
            Lang.EN,
            [f"{EN_APPLY} {EN_STOP_AFTER}", EN_MIXED, EN_CONTACT],
            "Renewal reminder for 广西某某茶业有限公司: 2 items, 1 past their time limit, the rest "
            "to submit by 30 August 2024 (百色市田阳区农业农村局)",
            id="mixed-en",
        ),
    ],
)
def test_the_closing_and_the_subject_fit_the_items(
    certificates: list[Certificate], lang: Lang, closing: list[str], subject: str
) -> None:
    holder = holder_of(*certificates)
    blocks = notice_blocks(holder, OFFICE, AS_OF, lang)
    said = [b.text for b in blocks if isinstance(b, Line) and b.role is Role.CLOSING]
    assert said == closing
    pending = any(i.status is Status.PENDING for i in notice_items(holder))
    plain = notice_text(holder, OFFICE, AS_OF, lang)
    for words in ("在截止日期前完成", "before the deadlines", "before their deadlines"):
        if not pending:
            assert words not in plain
    assert holder_subject(holder, OFFICE, lang) == subject


@pytest.mark.parametrize("lang", LANGS)
def test_a_mixed_notice_words_each_item_for_itself(lang: Lang) -> None:
    """Pending items keep their deadline; closed ones say what is still possible."""
    holder = holder_of(LATE_ORGANIC, EXPIRED_GREEN, PENDING_ORGANIC)
    (entries,) = [b for b in notice_blocks(holder, OFFICE, AS_OF, lang) if isinstance(b, Entries)]
    for entry, found in zip(entries.entries, notice_items(holder), strict=True):
        if found.status is Status.PENDING:
            assert entry.deadline == format_date(found.file_by, lang)
            assert entry.window is None and entry.use is None
        else:
            assert entry.deadline is None
            assert entry.window is not None and format_date(found.file_by, lang) in entry.window
            assert entry.use is not None
    plain = notice_text(holder, OFFICE, AS_OF, lang)
    pending = [i.file_by for i in notice_items(holder) if i.status is Status.PENDING]
    assert deadlines_in_text(plain, lang) == pending


# --- Points 4-6 end to end: a register written here, through `notice`, `mail --holders` and
# `calendar`, read back by their readers -----------------------------------------------------------

HEADER = [
    "证书编号",
    "企业名称",
    "产品名称",
    "认证类型",
    "市",
    "县区",
    "发证日期",
    "有效期至",
    "续展申请日期",
    "认证机构",
    "年检日期",
    "播种日期",
    "收录日期",
    "确认日期",
    "检测日期",
    "电子邮箱",
]
# On 2024-06-01, every kind of item, pending, late and expired, one holder each.
ROWS = [
    # Green, renewal pending (06-04) and this year's inspection pending; last year's inspected.
    ["LB-45-21090512345A", "甲茶业公司", "六堡茶", "绿色食品", "百色市", "田阳区", "2021-09-05", "2024-09-04", "", "", "2023-05-01", "", "", "", "", "jia@example.cn"],
    # Green, late (file by 05-31), last year's inspection never done: late inspection too.
    ["LB-45-21090112345A", "乙果业公司", "芒果", "绿色食品", "百色市", "田东县", "2021-09-01", "2024-08-31", "", "", "", "", "", "", "", "yi@example.cn"],
    # Green, expired.
    ["LB-45-21030512345A", "丙农场", "绿茶", "绿色食品", "百色市", "右江区", "2021-03-05", "2024-03-04", "", "", "2023-05-01", "", "", "", "", "bing@example.cn"],
    # Organic, late; organic of another body, transfer pending.
    ["1245OP2300123", "丁合作社", "茉莉花茶", "有机农产品", "百色市", "凌云县", "2023-09-01", "2024-08-31", "", "", "", "", "", "", "", "ding@example.cn"],
    ["4502OP2300789", "丁合作社", "红茶", "有机农产品", "百色市", "凌云县", "2024-01-01", "2024-12-31", "", "南京国环有机产品认证中心", "", "", "", "", "", "ding@example.cn"],
    # Annual crop: sowing in 19 days, so late; another sown already.
    ["", "戊合作社", "有机水稻", "有机农产品", "百色市", "田阳区", "", "", "", "", "", "2024-06-20", "", "", "", "wu@example.cn"],
    ["", "戊合作社", "有机玉米", "有机农产品", "百色市", "田阳区", "", "", "", "", "", "2024-05-20", "", "", "", "wu@example.cn"],
    # 名特优新: last year's confirmation missed (delisted), and the last test never done.
    ["", "己公司", "田阳香芒", "名特优新农产品", "百色市", "田阳区", "", "", "", "", "", "", "2020-07-15", "", "", "ji@example.cn"],
    # 名特优新: this year's confirmation late (anniversary 06-20), test pending.
    ["", "庚公司", "大果山楂", "名特优新农产品", "百色市", "靖西市", "", "", "", "", "", "", "2021-06-20", "2023-05-01", "", "geng@example.cn"],
]  # fmt: skip
KIND_WORDS = {
    Lang.ZH: ["续展", "再认证", "转换认证机构", "有机认证申请", "年检", "年度确认", "质量检测"],
    Lang.EN: [
        "Renewal",
        "Re-certification",
        "Transfer to COFCC",
        "Organic application",
        "Annual inspection",
        "Annual confirmation",
        "Quality test",
    ],
}
STATUS_WORDS = {
    Lang.ZH: ["待申报", "已逾期", "已过期", "年检逾期", "已移出名录", "待检测"],
    Lang.EN: ["pending", "late", "expired", "inspection late", "delisted", "test due"],
}
# Remarks meant for the officer, and the policy file's keys: never in what a holder gets.
OFFICER_ONLY = [
    "推定",
    "策略文件",
    "策略",
    "可在",
    "年检率",
    "belief",
    "policy",
    "Policy",
    *(f.name for f in fields(Policy) if "_" in f.name),
]
# Day counts as the table words them: never in a calendar (point 6).
DAY_COUNT = re.compile(
    r"还剩\d|还有 ?\d+ ?天|已过\d+天|过期\d+天|今天截止|\b\d+ d (left|past|ago)\b|due today|due in \d+ days"
)


@pytest.fixture
def register(tmp_path: Path) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(ROWS)
    path = tmp_path / "台账.csv"
    path.write_bytes(out.getvalue().encode("gb18030"))
    return path


def ok(result: Any) -> None:
    assert result.exit_code == 0, result.stderr


def unfold(data: bytes) -> str:
    """A calendar as its reader sees it: unfolded and unescaped."""
    words = data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")
    return words.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n").replace("\\\\", "\\")


def readable(message: EmailMessage) -> tuple[str, list[bytes]]:
    """Everything a holder can read in a message (headers, text, the calendar, each XML part of
    the .docx), and its calendars."""
    pieces = [f"{k}: {v}" for k, v in message.items()]
    calendars: list[bytes] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        data = part.get_payload(decode=True)
        assert isinstance(data, bytes)
        kind = part.get_content_type()
        if kind == "text/calendar":
            calendars.append(data)
            pieces.append(unfold(data))
        elif kind.endswith("wordprocessingml.document"):
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                pieces += [package.read(n).decode("utf-8") for n in package.namelist()]
            pieces.append(docx_words(data))
        else:
            pieces.append(data.decode(part.get_content_charset() or "utf-8"))
    return "\n".join(pieces), calendars


@pytest.mark.parametrize("lang", LANGS)
def test_what_goes_out_carries_no_officer_note_and_no_frozen_day_count(
    runner: Any, register: Path, server: Server, tmp_path: Path, lang: Lang
) -> None:
    """Every kind of item, pending, late and expired, through every outward document."""
    common = ["--as-of", AS_OF.isoformat(), "--lang", lang.value, "--office", OFFICE.name]
    texts = tmp_path / "txt"
    ok(run(runner, "notice", str(register), "-o", str(texts), "-f", "txt", *common))
    documents = tmp_path / "docx"
    ok(run(runner, "notice", str(register), "-o", str(documents), *common))
    mailed = run(runner, "mail", str(register), "--holders", *common, env=server.env())
    ok(mailed)
    calendar = run(
        runner, "calendar", str(register), "--as-of", AS_OF.isoformat(), "--lang", lang.value
    )
    ok(calendar)

    notices = [p.read_text("utf-8") for p in sorted(texts.iterdir())]
    packages = [p.read_bytes() for p in sorted(documents.iterdir())]
    assert len(notices) == len(packages) == 7  # one per holder
    messages = [r.message for r in server.recorder.received]
    assert len(messages) == 7 and all(r.mail_from == SENDER for r in server.recorder.received)
    read = [readable(m) for m in messages]
    outward = [
        *notices,
        *(docx_words(p) for p in packages),
        *(words for words, _ in read),
        unfold(calendar.stdout_bytes),
    ]
    everything = "\n".join(outward)
    # The register gives what it says: every kind, in every open status.
    for words in KIND_WORDS[lang] + STATUS_WORDS[lang]:
        assert words in everything, words
    for words in OFFICER_ONLY:
        assert words not in everything, words
    # Calendars, the holders' and the officer's: dates and actions, no day counts.
    # Each calendar has the events its items give (丙's one expired item gives none: no .ics), so the
    # check below reads every event there is, and cannot pass on calendars left empty.
    assert len(events(calendar.stdout_bytes)) == 15
    per_holder = {
        str(message["To"]).split("@")[0]: [len(events(c)) for c in calendars]
        for message, (_, calendars) in zip(messages, read, strict=True)
    }
    assert per_holder == {
        "jia": [4],
        "yi": [2],
        "bing": [],  # only an expired item: no event, so no .ics
        "ding": [4],
        "wu": [1],
        "ji": [1],
        "geng": [3],
    }
    for data in [calendar.stdout_bytes, *(c for _, calendars in read for c in calendars)]:
        for event in events(data):
            said = f"{event['SUMMARY']}\n{event['DESCRIPTION']}"
            assert not DAY_COUNT.search(said), said
    # A missed day is said as a window that closed, never as a deadline to meet; a notice with
    # no deadline left asks for none.
    closed_notices = 0
    for plain in notices:
        deadlines = deadlines_in_text(plain, lang)
        assert all(day >= AS_OF for day in deadlines), plain
        if not deadlines:
            closed_notices += 1
            assert "在截止日期前完成" not in plain and "before the deadlines" not in plain
    assert closed_notices == 4  # 乙 (late renewal and inspection), 丙, 戊 (crops), 己 (名特优新)


def test_the_officer_remark_stays_in_rules(runner: Any) -> None:
    """What holders do not see is still there for the officer."""
    result = run(runner, "rules", "--as-of", AS_OF.isoformat(), env={"COLUMNS": "200"})
    ok(result)
    flat = re.sub(r"[\s│]", "", result.stdout)
    assert "时点为推定" in flat and "策略文件" in flat
