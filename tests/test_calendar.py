"""Reminder calendars: the events each status gets, and a file strict parsers accept.

Every calendar is parsed back twice: with icalendar (what khal and many tools use) and with the
strict `ical` parser (pydantic models, rejects what RFC 5545 forbids). Dates are compared after
parsing, bytes only for the folding, line-end and reproducibility rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from importlib.resources import files

import icalendar
import pytest
from ical.calendar import Calendar as StrictCalendar
from ical.calendar_stream import IcsCalendarStream

from conftest import D, cert, events, item
from renewal_cli import __version__
from renewal_cli.errors import RenewalError, UsageError
from renewal_cli.messages import Lang, text
from renewal_cli.models import Certificate, ScheduleItem, Scheme, Status
from renewal_cli.obligations import renewal as schedule
from renewal_cli.output.calendar import event_uid, parse_remind, render_calendar
from renewal_cli.places import SplitBy, guangxi
from renewal_cli.policy import policy_for
from renewal_cli.register import open_register
from renewal_cli.rules import group_by_place

ORGANIZER = "renewal@example.cn"


def render(
    items: Sequence[ScheduleItem],
    as_of: str,
    *,
    lang: Lang = Lang.ZH,
    remind_days: Sequence[int] = (30, 7),
    organizer: str | None = None,
    name: str = "证书续展提醒 百色市",
) -> bytes:
    return render_calendar(
        items,
        as_of=D(as_of),
        lang=lang,
        name=name,
        remind_days=remind_days,
        organizer=organizer,
    )


def strict(data: bytes) -> StrictCalendar:
    return IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))


def days_of(data: bytes) -> list[date]:
    """Event days as both parsers see them (and they must agree)."""
    loose = [e.decoded("DTSTART") for e in events(data)]
    tight = [e.dtstart for e in strict(data).events]
    assert loose == tight
    return loose


# --- Which events each status gets -------------------------------------------------------------


@pytest.mark.parametrize(
    ("certificate", "as_of", "remind", "expected"),
    [
        pytest.param(
            cert("2028-05-31"),
            "2027-12-01",
            (30, 7),
            ["2028-01-30", "2028-02-22", "2028-02-29"],
            id="green-file-by-leap-day",
        ),
        pytest.param(
            cert("2025-06-30", scheme=Scheme.ORGANIC, cert_id="1120OP2400001"),
            "2025-01-01",
            (30, 7),
            ["2025-01-29", "2025-02-21", "2025-02-28"],
            id="organic-month-end-clamped",
        ),
        pytest.param(
            cert("2027-03-31"),
            "2026-10-15",
            (60, 30, 7),
            ["2026-11-01", "2026-12-01", "2026-12-24", "2026-12-31"],
            id="three-leads",
        ),
        pytest.param(
            cert("2027-04-06"),
            "2026-12-01",
            (30, 7),
            ["2026-12-07", "2026-12-30", "2027-01-06"],
            id="reminders-across-year-end",
        ),
        pytest.param(
            cert("2027-03-31"),
            "2026-12-20",
            (30, 7),
            ["2026-12-24", "2026-12-31"],
            id="passed-reminder-skipped",
        ),
        pytest.param(
            cert("2027-03-31"),
            "2026-12-24",
            (30, 7),
            ["2026-12-24", "2026-12-31"],
            id="reminder-on-as-of-kept",
        ),
        pytest.param(
            cert("2027-03-31"),
            "2026-12-31",
            (30, 7),
            ["2026-12-31"],
            id="as-of-is-file-by",
        ),
        pytest.param(cert("2027-03-31"), "2026-11-01", (), ["2026-12-31"], id="no-reminders"),
        pytest.param(
            cert("2027-03-31"),
            "2026-11-01",
            (7, 30, 7, 0),
            ["2026-12-01", "2026-12-24", "2026-12-31"],
            id="reminders-deduplicated-zero-ignored",
        ),
        pytest.param(cert("2027-03-31"), "2027-01-15", (30, 7), ["2027-03-31"], id="late-unfiled"),
        pytest.param(
            cert("2027-03-31", filed="2027-01-05"),
            "2027-02-01",
            (30, 7),
            ["2027-03-31"],
            id="late-filed-after-file-by",
        ),
        pytest.param(cert("2027-03-31", filed="2026-12-31"), "2027-01-15", (30, 7), [], id="filed"),
        pytest.param(cert("2027-03-31"), "2027-04-01", (30, 7), [], id="expired"),
    ],
)
def test_event_days(
    certificate: Certificate, as_of: str, remind: tuple[int, ...], expected: list[str]
) -> None:
    data = render([item(certificate, as_of)], as_of, remind_days=remind)
    assert days_of(data) == [D(d) for d in expected]


def test_event_count_per_status() -> None:
    as_of = "2026-11-29"
    items = [
        item(cert("2027-06-30", cert_id="P1"), as_of),  # pending, both reminders ahead
        item(cert("2027-03-05", cert_id="P2"), as_of),  # pending, file-by 12-05: no reminders
        item(cert("2027-01-31", cert_id="L1"), as_of),  # late
        item(cert("2027-06-30", cert_id="F1", filed="2026-11-01"), as_of),  # filed
        item(cert("2026-10-31", cert_id="E1"), as_of),  # expired
    ]
    assert [i.status for i in items] == [
        Status.PENDING,
        Status.PENDING,
        Status.LATE,
        Status.FILED,
        Status.EXPIRED,
    ]
    parsed = events(render(items, as_of))
    per_cert: dict[str, int] = {}
    for event in parsed:
        number = str(event.decoded("DESCRIPTION")).split("\n")[0].split("：")[1]
        per_cert[number] = per_cert.get(number, 0) + 1
    assert per_cert == {"P1": 3, "P2": 1, "L1": 1}


# --- Event content ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("certificate", "as_of", "lang", "summaries"),
    [
        pytest.param(
            cert("2027-03-31"),
            "2026-11-29",
            Lang.ZH,
            [
                "【续展申报将于 2026-12-31 截止】百色某农业公司 芒果",
                "【续展申报将于 2026-12-31 截止】百色某农业公司 芒果",
                "【续展申报截止】百色某农业公司 芒果",
            ],
            id="green-zh",
        ),
        pytest.param(
            cert("2027-03-31", scheme=Scheme.ORGANIC),
            "2026-10-01",
            Lang.ZH,
            [
                "【再认证申报将于 2026-11-30 截止】百色某农业公司 芒果",
                "【再认证申报将于 2026-11-30 截止】百色某农业公司 芒果",
                "【再认证申报截止】百色某农业公司 芒果",
            ],
            id="organic-zh",
        ),
        pytest.param(
            cert("2027-03-31"),
            "2026-11-29",
            Lang.EN,
            [
                "Renewal due on 2026-12-31: 百色某农业公司 芒果",
                "Renewal due on 2026-12-31: 百色某农业公司 芒果",
                "Renewal due: 百色某农业公司 芒果",
            ],
            id="green-en",
        ),
        pytest.param(
            cert("2027-03-31"),
            "2027-01-15",
            Lang.ZH,
            ["【续展已逾期，须按新申报】百色某农业公司 芒果"],
            id="late-zh",
        ),
        pytest.param(
            cert("2027-03-31", scheme=Scheme.ORGANIC),
            "2026-12-15",
            Lang.EN,
            ["Re-certification window missed, apply as new: 百色某农业公司 芒果"],
            id="late-organic-en",
        ),
    ],
)
def test_summaries(certificate: Certificate, as_of: str, lang: Lang, summaries: list[str]) -> None:
    data = render([item(certificate, as_of)], as_of, lang=lang)
    assert [str(e["SUMMARY"]) for e in events(data)] == summaries
    assert [e.summary for e in strict(data).events] == summaries


@pytest.mark.parametrize(
    ("certificate", "as_of", "lang", "count", "lines"),
    [
        pytest.param(
            cert(
                "2027-03-31",
                contact="莫主任",
                phone="0776-1234567",
                email="mo@example.cn",
            ),
            "2026-11-29",
            Lang.ZH,
            3,  # 30 and 7 days before, and the day
            [
                "证书编号：LB-45-21030512345A",
                "企业名称：百色某农业公司",
                "产品名称：芒果",
                "认证类型：绿色食品",
                "地区：百色市 田阳区",
                "发证日期：2024-04-01",
                "有效期至：2027-03-31",
                "申报截止日：2026-12-31",
                "处理方式：申报续展/再认证",
                "规则：有效期满3个月前向省级工作机构书面提出续展申请"
                "（《绿色食品标志管理办法》第十八条）",
                "联系人：莫主任",
                "联系电话：0776-1234567",
                "电子邮箱：mo@example.cn",
            ],
            id="green-pending-with-contact",
        ),
        pytest.param(
            cert("2027-03-31", scheme=Scheme.ORGANIC, county=None, filed="2026-12-15"),
            "2027-01-10",
            Lang.ZH,
            1,  # the last day only
            [
                "证书编号：LB-45-21030512345A",
                "企业名称：百色某农业公司",
                "产品名称：芒果",
                "认证类型：有机农产品",
                "地区：百色市",
                "发证日期：2026-04-01",
                "有效期至：2027-03-31",
                "办理时限：再认证申报期已于2026-11-30截止",
                "标志使用：证书有效期至2027-03-31，此后不得使用有机产品认证标志",
                "申报日期：2026-12-15",
                "处理方式：已于2026-12-15申报，晚于申报期，按新申报产品处理（提交新申报材料）",
                # 2027 has no plan of its own: the plan used is named, and that it is carried.
                "规则：到期前4个月以上申报再认证（未载入 2027 年工作方案，沿用 2024 年工作方案）",
            ],
            id="organic-late-filed-city-level",
        ),
        pytest.param(
            cert("2027-03-31"),
            "2026-11-29",
            Lang.EN,
            3,
            [
                "cert_id: LB-45-21030512345A",
                "enterprise: 百色某农业公司",
                "product: 芒果",
                "scheme: green food",
                "place: 百色市 田阳区",
                "issued_on: 2024-04-01",
                "expires_on: 2027-03-31",
                "file_by: 2026-12-31",
                "action: renew",
                "rule: apply in writing to the provincial agency for renewal at least 3 months "
                "before expiry (Green Food Label Measures, Art. 18)",
            ],
            id="green-en",
        ),
    ],
)
def test_description(
    certificate: Certificate, as_of: str, lang: Lang, count: int, lines: list[str]
) -> None:
    """Every event of the item (the day and each reminder) carries the same description."""
    data = render([item(certificate, as_of)], as_of, lang=lang)
    assert len(strict(data).events) == len(events(data)) == count
    for event in strict(data).events:
        assert event.description is not None
        assert event.description.split("\n") == lines


# Day counts as the table words them ("还剩2天", "已过1天", "3 d left"): never in an event.
DAY_COUNT = re.compile(
    r"还剩\d|还有 ?\d+ ?天|已过\d+天|过期\d+天|今天截止|\b\d+ d (left|past|ago)\b|due today|due in \d+ days"
)


@pytest.mark.parametrize("lang", [pytest.param(Lang.ZH, id="zh"), pytest.param(Lang.EN, id="en")])
@pytest.mark.parametrize(
    ("certificate", "written"),
    [
        pytest.param(
            cert("2027-03-31"),
            ["2026-11-20", "2026-12-28", "2026-12-30", "2026-12-31"],
            id="green-pending-written-before-the-day",
        ),
        pytest.param(
            cert("2027-03-31", scheme=Scheme.ORGANIC),
            ["2026-10-01", "2026-11-28", "2026-11-30"],
            id="organic-pending",
        ),
        pytest.param(
            cert("2027-03-31"),
            ["2027-01-01", "2027-02-15", "2027-03-31"],
            id="green-late-written-on-three-days",
        ),
        pytest.param(
            cert("2027-03-31", scheme=Scheme.ORGANIC, filed="2026-12-15"),
            ["2026-12-16", "2026-12-31"],
            id="organic-filed-late",
        ),
    ],
)
def test_events_read_the_same_whatever_day_they_were_written(
    certificate: Certificate, written: list[str], lang: Lang
) -> None:
    """An event is read on the day it falls: the same event written on different days says the
    same thing (dates and actions, no count of days from the day it was written)."""
    seen: dict[str, tuple[str, str, str]] = {}
    times: dict[str, int] = {}
    for as_of in written:
        data = render([item(certificate, as_of)], as_of, lang=lang)
        found = events(data)
        assert found, as_of
        for event in found:
            words = (str(event["SUMMARY"]), str(event["DESCRIPTION"]))
            alarm = str(event.walk("VALARM")[0]["DESCRIPTION"])
            assert not DAY_COUNT.search("\n".join([*words, alarm])), words
            assert seen.setdefault(str(event["UID"]), (*words, alarm)) == (*words, alarm), as_of
            times[str(event["UID"])] = times.get(str(event["UID"]), 0) + 1
    # The event of the day itself is written every time, and read the same every time.
    assert max(times.values()) == len(written)


def test_categories_and_transparency() -> None:
    data = render([item(cert("2027-03-31"), "2026-11-29")], "2026-11-29")
    assert len(strict(data).events) == 3  # 30 and 7 days before the file-by day, and the day
    for event in strict(data).events:
        assert event.categories == ["证书续展", "绿色食品", "待申报"]
        assert event.transparency == "TRANSPARENT"


def test_all_day_events_end_next_day() -> None:
    items = [
        item(cert("2028-05-31", cert_id="A"), "2027-12-01"),
        item(cert("2025-06-30", cert_id="B", scheme=Scheme.ORGANIC), "2025-01-01"),
        item(cert("2027-12-31", cert_id="C"), "2027-11-01"),
    ]
    data = render(items, "2027-12-01")
    raw = data.decode()
    parsed = events(data)
    assert parsed
    for event in parsed:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date and type(end) is date
        assert end == start + timedelta(days=1)
    assert raw.count("DTSTART;VALUE=DATE:") == raw.count("DTEND;VALUE=DATE:") == len(parsed)
    for checked in strict(data).events:
        assert checked.dtstart is not None and checked.dtend is not None
        assert checked.dtend == checked.dtstart + timedelta(days=1)


@pytest.mark.parametrize(
    ("as_of", "stamp"),
    [
        pytest.param("2026-11-29", "20261128T160000Z", id="ordinary-day"),
        pytest.param("2027-01-01", "20261231T160000Z", id="new-year-is-utc-old-year"),
        pytest.param("2028-03-01", "20280229T160000Z", id="after-leap-day"),
    ],
)
def test_dtstamp_is_as_of_midnight_in_china(as_of: str, stamp: str) -> None:
    data = render([item(cert("2030-01-31"), as_of)], as_of)
    raw = data.decode()
    assert raw.count("DTSTAMP:") == len(events(data)) > 0
    assert all(line == f"DTSTAMP:{stamp}" for line in raw.split("\r\n") if "DTSTAMP" in line)
    expected = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert all(e.dtstamp == expected for e in strict(data).events)


def test_one_display_alarm_at_nine_on_the_day() -> None:
    data = render([item(cert("2027-03-31"), "2026-11-29")], "2026-11-29")
    assert len(events(data)) == len(strict(data).events) == 3  # the day and two reminders
    for event in events(data):
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        alarm = alarms[0]
        assert alarm["ACTION"] == "DISPLAY"
        assert str(alarm["DESCRIPTION"]) == str(event["SUMMARY"])
        assert alarm.decoded("TRIGGER") == timedelta(hours=9)
        assert alarm["TRIGGER"].params["RELATED"] == "START"
    for strict_event in strict(data).events:
        assert [(a.action, a.trigger) for a in strict_event.alarm] == [
            ("DISPLAY", timedelta(hours=9))
        ]


# --- The calendar as a whole ---------------------------------------------------------------------


def test_calendar_properties() -> None:
    data = render([], "2026-11-29", name="证书续展提醒 百色市")
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == f"-//renewal-cli//renewal-cli {__version__}//ZH"
    english = icalendar.Calendar.from_ical(
        render_calendar([], as_of=date(2026, 11, 29), lang=Lang.EN, name="x")
    )
    assert english["PRODID"] == f"-//renewal-cli//renewal-cli {__version__}//EN"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["X-WR-CALNAME"] == "证书续展提醒 百色市"
    assert calendar["NAME"] == "证书续展提醒 百色市"
    assert calendar["X-WR-TIMEZONE"] == "Asia/Shanghai"
    parsed = strict(data)
    assert parsed.x_wr_timezone is not None
    assert [tz.tz_id for tz in parsed.timezones] == ["Asia/Shanghai"]
    assert parsed.events == []


@pytest.mark.parametrize(
    ("organizer", "method"),
    [pytest.param(None, None, id="file-no-method"), pytest.param(ORGANIZER, "PUBLISH", id="mail")],
)
def test_method_publish_needs_organizer_on_every_event(
    organizer: str | None, method: str | None
) -> None:
    items = [
        item(cert("2027-03-31", cert_id="A"), "2026-11-29"),
        item(cert("2027-01-31", cert_id="B"), "2026-11-29"),
    ]
    data = render(items, "2026-11-29", organizer=organizer)
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar.get("METHOD") == method
    parsed = events(data)
    assert len(parsed) == 4
    if organizer is None:
        assert all("ORGANIZER" not in e for e in parsed)
    else:
        assert all(str(e["ORGANIZER"]) == f"mailto:{organizer}" for e in parsed)
        assert all(
            e.organizer and e.organizer.uri == f"mailto:{organizer}" for e in strict(data).events
        )


def test_uids_unique_and_stable() -> None:
    certificate = cert("2027-06-30")
    early = render([item(certificate, "2026-11-29")], "2026-11-29")
    later = render(
        [item(certificate, "2027-03-01")], "2027-03-01", lang=Lang.EN, organizer=ORGANIZER
    )
    early_uids = [str(e["UID"]) for e in events(early)]
    later_uids = [str(e["UID"]) for e in events(later)]
    assert len(set(early_uids)) == len(early_uids) == 3
    # Two runs months apart, in another language, for mail: the same deadline, the same UID.
    assert later_uids == early_uids[1:]
    assert early_uids[-1] == event_uid("LB-45-21030512345A", D("2027-06-30"), "file_by")
    assert all(uid.endswith("@renewal-cli") for uid in early_uids)


def test_next_years_deadline_is_another_event() -> None:
    """An organic certificate keeps its number when re-certified: the expiry tells them apart."""
    this_year = item(cert("2026-12-31", scheme=Scheme.ORGANIC, cert_id="1120OP1"), "2026-06-01")
    next_year = item(cert("2027-12-31", scheme=Scheme.ORGANIC, cert_id="1120OP1"), "2026-06-01")
    uids = {str(e["UID"]) for e in events(render([this_year, next_year], "2026-06-01"))}
    assert len(uids) == 6


@pytest.mark.parametrize(
    "others, distinct",
    [
        pytest.param(
            [cert("2027-06-30", enterprise="田东某合作社", county="田东县")], 6, id="other-holder"
        ),
        pytest.param([cert("2027-06-30", county="右江区")], 6, id="namesake-other-county"),
        pytest.param([cert("2027-06-30", product="芒果干")], 6, id="same-holder-other-product"),
        pytest.param([], 3, id="no-clash"),
    ],
)
def test_a_number_clash_keeps_every_holders_events(
    others: list[Certificate], distinct: int
) -> None:
    """Two holders' rows sharing a number and expiry (a clash, both kept) give events of one
    number on the same days: each keeps a UID of its own, or a calendar program would keep
    one and drop the other holder's deadline. An unclashed number keeps its UID."""
    mine = cert("2027-06-30")
    data = render([item(c, "2026-11-29") for c in (mine, *others)], "2026-11-29")
    uids = [str(e["UID"]) for e in events(data)]
    assert len(uids) == len(set(uids)) == distinct
    if not others:
        assert event_uid("LB-45-21030512345A", D("2027-06-30"), "file_by") in uids


def test_same_input_same_bytes_whatever_the_order() -> None:
    as_of = "2026-11-29"
    items = [
        item(cert("2027-03-31", cert_id="1120OP1", scheme=Scheme.ORGANIC), as_of),
        item(cert("2028-03-31", cert_id="1120OP1", scheme=Scheme.ORGANIC), as_of),
        item(cert("2027-03-31", cert_id="B"), as_of),
        item(cert("2027-03-31", cert_id="A"), as_of),
        item(cert("2027-01-31", cert_id="C", scheme=Scheme.ORGANIC), as_of),
        item(cert("2027-02-28", cert_id="D"), as_of),
    ]
    first = render(items, as_of, organizer=ORGANIZER)
    again = render(items, as_of, organizer=ORGANIZER)
    reversed_ = render(list(reversed(items)), as_of, organizer=ORGANIZER)
    assert first == again == reversed_
    keys = [(e.decoded("DTSTART"), str(e["DESCRIPTION"]).split("\n")[0]) for e in events(first)]
    assert keys == sorted(keys)


LONG_NAME = "广西壮族自治区百色市田阳区那坡镇某某某现代农业科技发展有限责任公司第二分公司" * 2
AWKWARD = 'Alpha, Beta; Gamma\nDelta "quoted" \\ backslash: 百色'


def test_lines_folded_crlf_within_75_octets() -> None:
    certificate = cert("2027-03-31", enterprise=LONG_NAME, product="芒果" * 20, contact="莫" * 40)
    data = render([item(certificate, "2026-11-29")], "2026-11-29", organizer=ORGANIZER)
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "expected folded lines"
    for line in lines:
        # A fold never splits a UTF-8 character: every physical line decodes on its own.
        line.decode("utf-8")
    # And the text comes back whole.
    assert [str(e["SUMMARY"]) for e in events(data)][
        -1
    ] == f"【续展申报截止】{LONG_NAME} {'芒果' * 20}"
    assert all(LONG_NAME in (e.description or "") for e in strict(data).events)


def test_special_characters_escaped_and_round_trip() -> None:
    certificate = cert("2027-03-31", enterprise=AWKWARD, product="芒果;香蕉,荔枝")
    data = render([item(certificate, "2026-11-29")], "2026-11-29")
    unfolded = data.replace(b"\r\n ", b"").decode()
    assert r"Alpha\, Beta\; Gamma\nDelta" in unfolded
    assert r"芒果\;香蕉\,荔枝" in unfolded
    expected = f"【续展申报截止】{AWKWARD} 芒果;香蕉,荔枝"
    assert str(events(data)[-1]["SUMMARY"]) == expected
    assert strict(data).events[-1].summary == expected
    assert f"企业名称：{AWKWARD}\n" in (strict(data).events[-1].description or "")


def test_calendar_name_is_escaped() -> None:
    name = "百色市, 河池市; 新\n年"
    data = render([], "2026-11-29", name=name)
    escaped = r"百色市\, 河池市\; 新\n年".encode()
    assert b"\r\nNAME:" + escaped + b"\r\n" in data
    assert b"\r\nX-WR-CALNAME:" + escaped + b"\r\n" in data
    assert strict(data).name == [name]


@pytest.mark.parametrize("as_of", ["2026-11-29", "2029-06-30"])
def test_bundled_register_strictly_valid(as_of: str) -> None:
    """A register someone else wrote: every certificate, several days, both parsers agree."""
    day = D(as_of)
    policy = policy_for(day.year)
    data = files("renewal_cli").joinpath("data", "sample_register.csv").read_bytes()
    register = open_register(data, policy=policy, places=guangxi(), name="sample")
    items = [schedule(c, day, policy) for c in register if isinstance(c, Certificate)]
    assert items
    expected = 0
    for one in items:
        if one.status is Status.LATE:
            expected += 1
        elif one.status is Status.PENDING:
            leads = [n for n in (60, 30, 7) if one.file_by - timedelta(days=n) >= day]
            expected += 1 + len(leads)
    calendar = render(items, as_of, remind_days=(60, 30, 7), organizer=ORGANIZER)
    parsed = strict(calendar)
    assert len(parsed.events) == len(events(calendar)) == expected
    assert len({e.uid for e in parsed.events}) == expected
    pending_days = [e.dtstart for e in parsed.events if "待申报" in e.categories]
    assert all(start is not None and start >= day for start in pending_days)


# --- --remind -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("60,30,7", (60, 30, 7), id="default-style"),
        pytest.param("7,30", (30, 7), id="sorted"),
        pytest.param("30，7", (30, 7), id="full-width-comma"),
        pytest.param(" 30 , 30 ,7,", (30, 7), id="spaces-repeats-trailing-comma"),
        pytest.param("", (), id="empty-means-none"),
    ],
)
def test_parse_remind(value: str, expected: tuple[int, ...]) -> None:
    assert parse_remind(value) == expected


@pytest.mark.parametrize("value", ["0", "-7", "a", "7.5", "30;7", "３０"])
def test_parse_remind_rejects(value: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_remind(value)
    assert isinstance(caught.value, RenewalError)
    assert caught.value.message_id == "usage.bad_remind"
    assert caught.value.exit_code == 2
    for lang in Lang:
        assert value in text(caught.value.message_id, lang, **caught.value.params)


# --- --split-by ----------------------------------------------------------------------------------


def test_group_by_place() -> None:
    as_of = "2026-11-29"
    a = item(cert("2027-03-31", cert_id="A", city="河池市", county="天峨县"), as_of)
    b = item(cert("2027-03-31", cert_id="B", city="百色市", county="田阳区"), as_of)
    c = item(cert("2027-03-31", cert_id="C", city="百色市", county=None), as_of)
    d = item(cert("2027-03-31", cert_id="D", city="百色市", county="田阳区"), as_of)
    by_city = group_by_place([a, b, c, d], SplitBy.CITY)
    assert by_city == {"百色市": [b, c, d], "河池市": [a]}
    assert list(by_city) == sorted(by_city)
    by_county = group_by_place([a, b, c, d], SplitBy.COUNTY)
    assert by_county == {"天峨县": [a], "田阳区": [b, d], "百色市": [c]}
    assert list(by_county) == sorted(by_county)
    assert group_by_place([], SplitBy.CITY) == {}
