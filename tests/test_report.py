"""renewal report (issue 21): the figures, the page they make, and the same numbers everywhere.

The figures are tested on certificates built here, one case each; the page is read back with
lxml.html and its every number compared with what `summary --format json` and `due --format
json` give for the same register and options. The browser's view of the page (console, network,
printing) is tests/test_report_browser.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import cert, run
from renewal_cli.messages import Lang
from renewal_cli.models import Certificate, Kind, Scheme
from renewal_cli.output.report import ITEM_LIMIT, plan_words
from renewal_cli.places import Scope, guangxi
from renewal_cli.policy import policy_for
from renewal_cli.report import (
    Basis,
    Headline,
    Report,
    build_report,
    level_below,
    month_start,
    narrowed,
)
from renewal_cli.rules import Selection, select
from renewal_cli.yearend import SummaryBy
from reportkit import headline as headline_of
from reportkit import large_rows, listed, numbers, parse, write_register

D = date.fromisoformat
ROOT = Path(__file__).resolve().parents[1]
SAMPLE = str(ROOT / "examples" / "sample_register.csv")
AS_OF = "2024-06-01"


def report_of(
    certificates: list[Certificate], as_of: str = AS_OF, selection: Selection | None = None
) -> Report:
    """The report of `certificates` on AS_OF, as the command builds it."""
    chosen = selection or Selection()
    day = D(as_of)
    policy = policy_for(day.year)
    every = Selection(scope=chosen.scope, schemes=chosen.schemes, all=True)
    items = select(certificates, day, policy, every)
    return build_report(
        Basis(certificates, items), selection=chosen, as_of=day, policy=policy, sources=()
    )


NOTHING = Headline(0, 0, 0, 0, 0, 0, 0)

# One certificate (or a certificate and its next cycle) a case, on 2024-06-01 (plan year 2024).
# A green certificate's file-by day is its expiry less 3 months, an organic one's less 4.
HEADLINE_CASES = [
    pytest.param(
        [cert("2024-10-15")], replace(NOTHING, valid_today=1, due_soon=1), id="pending-in-90-days"
    ),
    pytest.param([cert("2025-03-01")], replace(NOTHING, valid_today=1), id="pending-later"),
    pytest.param(
        [cert("2024-09-01")],  # file by 2024-06-01: AS_OF itself, 0 days, still pending
        replace(NOTHING, valid_today=1, due_soon=1),
        id="due-today",
    ),
    pytest.param(
        [cert("2024-07-20")],  # file by 2024-04-20: passed, not expired
        replace(NOTHING, valid_today=1, late_now=1, missed=1),
        id="late-not-expired",
    ),
    pytest.param(
        [cert("2024-06-30", filed="2024-03-01")],  # file by 2024-03-30
        replace(NOTHING, valid_today=1, filed_in_time=1),
        id="filed-in-time",
    ),
    pytest.param(
        [cert("2024-06-30", filed="2024-05-01")],  # filed a month late
        replace(NOTHING, valid_today=1, late_now=1, missed=1),
        id="filed-late",
    ),
    pytest.param(
        [cert("2024-03-01", filed="2024-04-01")],  # filed after expiry: late, not late now
        replace(NOTHING),
        id="filed-after-expiry",
    ),
    pytest.param(
        [cert("2024-02-01")],  # file by 2023-11-01: last year's deadline
        replace(NOTHING, expired_recently=1),
        id="expired-recently",
    ),
    pytest.param([cert("2023-05-01")], NOTHING, id="expired-over-a-year-ago"),
    pytest.param(
        [cert("2024-05-01", "1245OP2300001", scheme=Scheme.ORGANIC)],  # file by 2024-01-01
        replace(NOTHING, expired_recently=1, missed=1),
        id="organic-lapsed-this-year",
    ),
    pytest.param(
        [
            cert("2024-05-15", "LB-45-21051600001A"),
            cert("2027-05-15", "LB-45-24051600001A", issued="2024-05-16"),
        ],
        replace(NOTHING, valid_today=1, renewed=1),
        id="superseded-counts-once",
    ),
    pytest.param(
        [cert("2025-01-10", issued="2024-07-01")],  # issued after AS_OF: not valid yet
        NOTHING,
        id="not-yet-issued",
    ),
]


@pytest.mark.parametrize(("certificates", "expected"), HEADLINE_CASES)
def test_headline_figures(certificates: list[Certificate], expected: Headline) -> None:
    assert report_of(certificates).headline == expected


@pytest.mark.parametrize(
    ("filed", "missed", "share"),
    [
        pytest.param(3, 1, 0.75, id="three-of-four"),
        pytest.param(0, 2, 0.0, id="none-in-time"),
        pytest.param(0, 0, None, id="nothing-passed"),
    ],
)
def test_share_filed_in_time(filed: int, missed: int, share: float | None) -> None:
    figures = replace(NOTHING, filed_in_time=filed, missed=missed, renewed=5)
    assert figures.share == share


@pytest.mark.parametrize(
    ("expires", "counted"),
    [
        pytest.param("2024-09-01", True, id="file-by-on-as-of"),
        pytest.param("2025-08-31", True, id="file-by-in-the-12th-month"),
        pytest.param("2025-09-01", False, id="file-by-after-the-12th-month"),
        pytest.param("2024-08-31", False, id="file-by-the-day-before"),
    ],
)
def test_coming_months_window(expires: str, counted: bool) -> None:
    coming = report_of([cert(expires)]).coming
    assert coming.months[0] == D("2024-06-01")
    assert coming.months[-1] == D("2025-05-01")
    renewals = [
        sum(counts)
        for (kind, _), counts in zip(coming.series, coming.counts, strict=True)
        if kind is Kind.RENEWAL
    ]
    assert sum(renewals) == int(counted)


@pytest.mark.parametrize(
    ("as_of", "plan_year", "months"),
    [
        pytest.param("2024-06-01", 2024, 6, id="mid-year"),
        pytest.param("2025-02-01", 2024, 12, id="year-over"),
        pytest.param("2024-12-01", 2025, 0, id="not-started"),
    ],
)
def test_year_so_far_months(as_of: str, plan_year: int, months: int) -> None:
    day = D(as_of)
    policy = policy_for(plan_year)
    certificates = [cert("2024-07-20")]
    items = select(certificates, day, policy, Selection(all=True))
    built = build_report(
        Basis(certificates, items), selection=Selection(), as_of=day, policy=policy
    )
    assert len(built.year_so_far.months) == months
    assert all(m.year == plan_year for m in built.year_so_far.months)


@pytest.mark.parametrize(
    ("day", "ahead", "start"),
    [
        pytest.param("2024-06-17", 0, "2024-06-01", id="same-month"),
        pytest.param("2024-06-17", 7, "2025-01-01", id="over-new-year"),
        pytest.param("2024-12-31", 11, "2025-11-01", id="december"),
    ],
)
def test_month_start(day: str, ahead: int, start: str) -> None:
    assert month_start(D(day), ahead) == D(start)


@pytest.mark.parametrize(
    ("cities", "counties", "level"),
    [
        pytest.param((), (), SummaryBy.CITY, id="region-by-city"),
        pytest.param(("百色市",), (), SummaryBy.COUNTY, id="one-city-by-county"),
        pytest.param(("百色市", "南宁市"), (), SummaryBy.CITY, id="two-cities-by-city"),
        pytest.param((), ("田阳区",), SummaryBy.COUNTY, id="a-county"),
    ],
)
def test_level_below_the_scope(
    cities: tuple[str, ...], counties: tuple[str, ...], level: SummaryBy
) -> None:
    assert level_below(Scope(frozenset(cities), frozenset(counties))) is level


def test_places_sorted_by_gap_then_by_what_hangs_on_renewals() -> None:
    certificates = [
        cert("2026-03-01", "A1", enterprise="甲", city="崇左市", county="江州区"),
        cert("2026-03-01", "A2", enterprise="乙", city="百色市", county="田阳区"),
        cert("2024-10-01", "A3", enterprise="丙", city="百色市", county="田东县"),  # pending
    ]
    region = report_of(certificates)
    assert len(region.places) == 14  # every city with a target
    gaps = [r.gap or 0 for r in region.places]
    assert gaps == sorted(gaps, reverse=True)
    assert (region.places[0].place, region.places[0].gap) == ("百色市", 285 - 1)
    city = report_of(certificates, selection=Selection(scope=Scope(frozenset({"百色市"}))))
    assert [(r.place, r.gap) for r in city.places] == [("田东县", None), ("田阳区", None)]
    assert city.total.target == 285  # the city's own target, as summary --city prints it
    assert (city.total.valid_dec31, city.total.valid_dec31_if_renewed) == (1, 2)


@pytest.mark.parametrize(
    ("scope", "place", "expected"),
    [
        pytest.param(Scope(), None, Scope(), id="whole-run"),
        pytest.param(Scope(), "百色市", Scope(frozenset({"百色市"})), id="city"),
        pytest.param(
            Scope(frozenset({"百色市"})),
            "田阳区",
            Scope(frozenset({"百色市"}), frozenset({"田阳区"})),
            id="county-of-city",
        ),
        pytest.param(
            Scope(counties=frozenset({"田阳区", "武鸣区"})),
            "百色市",
            Scope(frozenset({"百色市"}), frozenset({"田阳区"})),
            id="city-keeps-its-counties",
        ),
        pytest.param(
            Scope(frozenset({"百色市", "崇左市"})),
            "百色市、崇左市",
            Scope(frozenset({"百色市", "崇左市"})),
            id="the-runs-own-label",
        ),
    ],
)
def test_narrowed_to_a_mail_batch_place(scope: Scope, place: str | None, expected: Scope) -> None:
    assert narrowed(Selection(scope=scope), place, guangxi()).scope == expected


@pytest.mark.parametrize(
    ("year", "lang", "words"),
    [
        pytest.param(2024, Lang.ZH, "2024 年工作方案", id="loaded"),
        pytest.param(2026, Lang.ZH, "未载入 2026 年工作方案，沿用 2024 年工作方案", id="carried"),
        pytest.param(2026, Lang.EN, "no 2026 work plan loaded; using the 2024 plan", id="en"),
    ],
)
def test_plan_named_only_when_loaded(year: int, lang: Lang, words: str) -> None:
    assert plan_words(policy_for(year), lang) == words


# --- The command ---------------------------------------------------------------------------


def _report(runner: Any, tmp_path: Path, *args: str) -> tuple[Any, bytes]:
    out = tmp_path / "report.html"
    result = run(runner, "report", *args, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return result, out.read_bytes()


def _json(runner: Any, *args: str) -> Any:
    result = run(runner, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_report_writes_one_page_and_says_so(runner: Any, tmp_path: Path) -> None:
    result, data = _report(runner, tmp_path, SAMPLE, "--as-of", "2024-11-29")
    assert data.startswith(b'<!DOCTYPE html>\n<html lang="zh-CN">')
    assert "已写入" in result.stderr
    assert "sample_register.csv：520 行，520 个证书" in result.stderr.splitlines()[-1]
    page = parse(data)
    assert page.xpath("//title")[0].text == "广西全区绿色食品、有机农产品证书续展情况"
    assert "2024 年工作方案" in data.decode()


def test_report_to_a_pipe_is_the_same_page(runner: Any, tmp_path: Path) -> None:
    _, data = _report(runner, tmp_path, SAMPLE, "--as-of", "2024-11-29")
    piped = run(runner, "report", SAMPLE, "--as-of", "2024-11-29")
    assert piped.exit_code == 0
    assert piped.stdout_bytes == data


def test_report_is_never_written_onto_a_terminal(tmp_path: Path) -> None:
    """On a real terminal (a pseudo-terminal here) without -o: a usage error, exit 2."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "RENEWAL_LANG": "zh"}
    done = subprocess.run(
        [sys.executable, "-m", "renewal_cli", "report", SAMPLE],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        timeout=60,
        check=False,
    )
    os.close(follower)
    os.close(leader)
    assert done.returncode == 2
    assert "renewal report 需要用 -o 指定文件" in done.stderr.decode()


def test_report_refuses_to_overwrite_its_register(runner: Any, tmp_path: Path) -> None:
    register = write_register(tmp_path / "台账.csv", [])
    result = run(runner, "report", str(register), "-o", str(register))
    assert result.exit_code == 2
    assert register.read_bytes().startswith("\ufeff证书编号".encode())


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="region"),
        pytest.param(["--city", "百色"], id="one-city"),
        pytest.param(["--city", "南宁,柳州"], id="two-cities"),
        pytest.param(["--county", "田阳区"], id="one-county"),
        pytest.param(["--scheme", "organic"], id="organic"),
        pytest.param(["--as-of", "2025-03-10"], id="next-year-no-targets"),
        pytest.param(["--kind", "renewal", "--status", "late"], id="narrowed-tables"),
    ],
)
def test_every_number_is_what_summary_and_due_say(
    runner: Any, tmp_path: Path, args: list[str]
) -> None:
    options = [SAMPLE, *(["--as-of", "2024-11-29"] if "--as-of" not in args else []), *args]
    _, data = _report(runner, tmp_path, *options)
    page = parse(data)
    scope_only = [a for n, a in enumerate(options) if not _table_option(options, n)]
    _same_targets(runner, page, scope_only)
    _same_headline(runner, page, scope_only)
    _same_months(runner, page, scope_only)
    _same_tables(runner, page, options)


def _table_option(options: list[str], index: int) -> bool:
    """Whether options[index] is one of --kind/--status (or its value): they choose the
    tables' rows only."""
    return options[index] in ("--kind", "--status") or (
        index > 0 and options[index - 1] in ("--kind", "--status")
    )


def _day(options: list[str]) -> date:
    return D(options[options.index("--as-of") + 1])


def _same_targets(runner: Any, page: Any, options: list[str]) -> None:
    """Chart 1's numbers: the rows of summary one level below the scope, its total."""
    one_city = "--city" in options and "," not in options[options.index("--city") + 1]
    below = "county" if "--county" in options or one_city else "city"
    rows = _json(runner, "summary", *options, "--by", below)
    table = numbers(page, "targets")
    assert table is not None
    shown = {r[0]: r[1:] for r in table.rows}

    def cells(record: dict[str, Any]) -> list[str]:
        keys = ("target", "valid_dec31", "valid_dec31_if_renewed", "gap")
        return ["—" if record[k] is None else str(record[k]) for k in keys]

    assert shown == {r["place"]: cells(r) for r in rows[:-1]}
    total = rows[-1] if below == "city" or "--county" in options else None
    if total is None:  # one city: its own target, from summary by city
        total = _json(runner, "summary", *options, "--by", "city")[-1]
    assert table.foot == ["合计", *cells(total)]


def _renewals(runner: Any, options: list[str], *extra: str) -> list[dict[str, Any]]:
    return [
        r for r in _json(runner, "due", *options, *extra) if r["kind"] in ("renewal", "transfer")
    ]


def _same_headline(runner: Any, page: Any, options: list[str]) -> None:
    """Each headline figure, counted from due's own output."""
    day = _day(options)
    every = _renewals(runner, options, "--all")
    valid = sum(
        r["status"] != "superseded" and r["issued_on"] <= day.isoformat() <= r["expires_on"]
        for r in every
    )
    soon = _renewals(runner, options, "--status", "pending", "--within", "90")
    late = _renewals(runner, options, "--status", "late")
    expired = _renewals(runner, options, "--status", "expired", "--expired-within", "365")
    year = _plan_year(options)
    passed = [r for r in every if r["file_by"][:4] == str(year) and r["file_by"] < day.isoformat()]
    by_status = Counter(r["status"] for r in passed)
    judged = by_status["filed"] + by_status["late"] + by_status["expired"]
    share = f"{by_status['filed'] / judged * 100:.0f}%" if judged else "—"
    assert headline_of(page) == [
        str(valid),
        str(len(soon)),
        str(len(late)),
        str(len(expired)),
        share,
    ]


def _plan_year(options: list[str]) -> int:
    return _day(options).year


def _same_months(runner: Any, page: Any, options: list[str]) -> None:
    """Chart 2's and chart 3's month totals, counted from due --all."""
    day = _day(options)
    every = _json(runner, "due", *options, "--all")
    end = date(day.year + 1, day.month, 1)
    coming = Counter(
        r["file_by"][:7]
        for r in every
        if day.isoformat() <= r["file_by"] < end.isoformat() and r["status"] != "superseded"
    )
    table = numbers(page, "coming")
    shown = {row[0]: int(row[-1]) for row in table.rows} if table else {}
    assert {m: n for m, n in shown.items() if n} == dict(coming)
    year = _plan_year(options)
    so_far = Counter(
        (r["file_by"][:7], r["status"])
        for r in every
        if r["kind"] in ("renewal", "transfer")
        and r["file_by"][:4] == str(year)
        and r["file_by"] < day.isoformat()
    )
    table = numbers(page, "year")
    words = {"已申报": "filed", "已逾期": "late", "已过期": "expired", "已有新证": "superseded"}
    shown_year = {
        (row[0], words[heading]): int(cell)
        for row in (table.rows if table else [])
        for heading, cell in zip(table.headings[1:-1], row[1:-1], strict=True)  # type: ignore[union-attr]
        if int(cell)
    }
    assert shown_year == dict(so_far)


def _same_tables(runner: Any, page: Any, options: list[str]) -> None:
    """The item table is due's list, row for row; the holders are those of its items that
    are late or due within 30 days."""
    items = _json(runner, "due", *options)
    rows = listed(page, 1)
    assert [(r[0].split("\n")[0], r[2].split("\n")[0]) for r in rows] == [
        (i["file_by"], i["cert_id"]) for i in items
    ][:ITEM_LIMIT]
    late = _json(runner, "due", *options, "--status", "late")
    if "--status" not in options:
        soon = _json(runner, "due", *options, "--status", "pending", "--within", "30")
    else:
        soon = [i for i in items if i["status"] == "pending" and i["days_left"] <= 30]
    late = [i for i in late if i in items]
    holders = {r[0] for r in listed(page, 0)}
    assert holders == {i["enterprise"] for i in late + soon}


HOSTILE = [
    "<script>alert(1)</script>",
    '" onmouseover="alert(2)',
    "<img src=x onerror=alert(3)>",
    "{{ 7*7 }}",
    "'; </style><b>x</b>",
]


def _hostile_register(tmp_path: Path) -> Path:
    rows = [
        [
            f"LB-45-2407010000{n}A",
            name,
            name,
            "绿色食品",
            "百色市",
            "田阳区",
            "2021-07-01",
            "2024-06-30",
            "",
            name,
            name,
        ]
        for n, name in enumerate(HOSTILE)
    ]
    return write_register(tmp_path / "hostile.csv", rows)


def test_hostile_names_are_text(runner: Any, tmp_path: Path) -> None:
    _, data = _report(runner, tmp_path, str(_hostile_register(tmp_path)), "--as-of", AS_OF)
    page = parse(data)
    assert page.xpath("//script") == []
    assert page.xpath("//img") == []
    handlers = [a for el in page.iter() for a in getattr(el, "attrib", {}) if a.startswith("on")]
    assert handlers == []
    holders = listed(page, 0)
    assert sorted(r[0] for r in holders) == sorted(HOSTILE)
    assert {r[2] for r in holders} == set(HOSTILE)  # the contact column too
    assert "{{ 7*7 }}" in data.decode() and ">49<" not in data.decode()


def test_one_place_one_item(runner: Any, tmp_path: Path) -> None:
    """An organic certificate (no inspection) whose file-by day is 14 days off."""
    register = write_register(
        tmp_path / "one.csv",
        [
            [
                "1245OP2300001",
                "田阳甲农业有限公司",
                "芒果",
                "有机农产品",
                "百色市",
                "田阳区",
                "2023-10-16",
                "2024-10-15",
                "",
                "张三",
                "13800000000",
            ]
        ],
    )
    _, data = _report(runner, tmp_path, str(register), "--as-of", AS_OF, "--city", "百色")
    page = parse(data)
    targets = numbers(page, "targets")
    assert targets is not None
    assert targets.rows == [["田阳区", "—", "0", "1", "—"]]
    assert targets.foot == ["合计", "285", "0", "1", "285"]
    assert headline_of(page) == ["1", "1", "0", "0", "—"]
    assert listed(page, 0) == [
        ["田阳甲农业有限公司", "百色市 田阳区", "张三", "13800000000", "待申报 1", "2024-06-15"]
    ]
    assert len(listed(page, 1)) == 1
    assert len(page.xpath("//svg")) == 2  # chart 3: no file-by day has passed this year
    (said,) = page.xpath("//section[@id='year']/p[@class='empty']")
    assert said.text == "2024 年至今还没有已过申报截止的续展。"


def test_empty_selection_says_so_and_draws_nothing(runner: Any, tmp_path: Path) -> None:
    register = str(_hostile_register(tmp_path))
    _, data = _report(runner, tmp_path, register, "--city", "崇左", "--as-of", AS_OF)
    page = parse(data)
    assert page.xpath("//svg") == []
    assert page.xpath("//section") == []
    (said,) = page.xpath("//p[@role='status']")
    assert said.text == "台账中没有崇左市的证书，没有可统计的内容。"
    (source,) = page.xpath("//dl[@class='meta']//li/text()")  # every row accounted for
    assert source.endswith(
        "hostile.csv：5 行，0 个证书，0 行有问题，5 行在所选地区以外（只核对了地区）"
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        pytest.param(
            ["--as-of", "2024-12-01", "--plan-year", "2025"],
            "2025 年度尚未开始。",
            id="not-started",
        ),
        pytest.param(
            ["--as-of", "2031-06-01"], "未来 12 个月没有申报截止的事项。", id="nothing-ahead"
        ),
    ],
)
def test_an_empty_chart_is_a_sentence(
    runner: Any, tmp_path: Path, args: list[str], said: str
) -> None:
    _, data = _report(runner, tmp_path, str(_hostile_register(tmp_path)), *args)
    page = parse(data)
    empties = [
        p.text for p in page.xpath("//section[contains(@class, 'figure')]//p[@class='empty']")
    ]
    assert said in empties
    drawn = len(page.xpath("//svg"))
    assert drawn == 3 - len(empties)


def test_english_page(runner: Any, tmp_path: Path) -> None:
    _, data = _report(runner, tmp_path, SAMPLE, "--as-of", "2024-11-29", "--lang", "en")
    page = parse(data)
    assert page.xpath("/html/@lang") == ["en"]
    assert page.xpath("//h1")[0].text == (
        "Green food and organic certificate renewals: Guangxi, whole region"
    )
    assert numbers(page, "targets").headings == [  # type: ignore[union-attr]
        "place",
        "target",
        "valid 31 Dec",
        "if renewed",
        "gap",
    ]
    assert "已逾期" not in data.decode()


def test_large_register_page_is_cut_and_small(runner: Any, tmp_path: Path) -> None:
    """20,000 rows (benchmarks/bench_report.py measures 10^5): the item table stops at its
    bound and says how to get the rest; the page stays far under 2 MB."""
    register = write_register(tmp_path / "big.csv", large_rows(20_000))
    _, data = _report(runner, tmp_path, str(register), "--as-of", AS_OF, "--all")
    assert len(data) < 2_000_000
    page = parse(data)
    assert len(listed(page, 1)) == ITEM_LIMIT
    (cut,) = page.xpath("//section[contains(@class, 'list')][2]/p[@class='cut']")
    assert cut.text.startswith(f"只列出前 {ITEM_LIMIT} 条（共 ")
    assert "renewal due" in cut.text


def test_summary_xlsx_has_a_native_chart(runner: Any, tmp_path: Path) -> None:
    out = tmp_path / "summary.xlsx"
    result = run(
        runner, "summary", SAMPLE, "--as-of", "2024-11-29", "--format", "xlsx", "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    (chart,) = sheet._charts
    assert chart.tagname == "barChart"
    assert chart.type == "bar"
    title = "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or []))
    assert title == "年底有效证书与目标"
    refs = [s.val.numRef.f for s in chart.series]
    name = sheet.title
    assert refs == [f"'{name}'!$B$2:$B$15", f"'{name}'!$C$2:$C$15", f"'{name}'!$D$2:$D$15"]
    assert [s.tx.strRef.f for s in chart.series] == [f"'{name}'!B1", f"'{name}'!C1", f"'{name}'!D1"]
    assert {s.cat.strRef.f for s in chart.series} == {f"'{name}'!$A$2:$A$15"}
    assert all(s.cat.numRef is None for s in chart.series)
    assert [sheet.cell(1, c).value for c in (2, 3, 4)] == ["目标", "年底有效", "如按时续展"]
    assert (sheet.cell(2, 1).value, sheet.cell(15, 1).value) == ("南宁市", "崇左市")
    assert chart.x_axis.delete is False and chart.y_axis.delete is False


def test_summary_xlsx_by_county_charts_no_target(runner: Any, tmp_path: Path) -> None:
    out = tmp_path / "summary.xlsx"
    args = ["summary", SAMPLE, "--as-of", "2024-11-29", "--by", "county", "--city", "百色"]
    assert run(runner, *args, "--format", "xlsx", "-o", str(out)).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    (chart,) = sheet._charts
    assert [s.tx.strRef.f.rsplit("!", 1)[1] for s in chart.series] == ["C1", "D1"]


def test_summary_xlsx_converts_to_pdf_with_libreoffice(runner: Any, tmp_path: Path) -> None:
    import shutil

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path / "summary.xlsx"
    args = ["summary", SAMPLE, "--as-of", "2024-11-29", "--format", "xlsx", "-o", str(out)]
    assert run(runner, *args).exit_code == 0
    profile = (tmp_path / "profile").as_uri()
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    from pypdf import PdfReader

    pdf = PdfReader(tmp_path / "summary.pdf")
    assert len(pdf.pages) == 1  # one landscape page: the table beside its chart
    assert float(pdf.pages[0].mediabox.width) > float(pdf.pages[0].mediabox.height)
    words = pdf.pages[0].extract_text()
    assert "年底有效证书与目标" in words and "崇左市" in words


def _eml_report(directory: Path) -> list[bytes]:
    from email import message_from_bytes, policy

    pages = []
    for path in sorted(directory.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        pages += [
            part.get_payload(decode=True)
            for part in message.iter_attachments()  # type: ignore[attr-defined]
            if part.get_content_type() == "text/html"
        ]
    return pages


def test_mail_attaches_the_report_page(runner: Any, tmp_path: Path) -> None:
    env = {"RENEWAL_SMTP_HOST": "smtp.example.cn", "RENEWAL_MAIL_FROM": "r@example.cn"}
    args = [SAMPLE, "--as-of", "2024-11-29", "--city", "百色"]
    outbox = tmp_path / "outbox"
    result = run(
        runner, "mail", *args, "--to", "a@example.cn", "--report", "--dry-run", str(outbox), env=env
    )
    assert result.exit_code == 0, result.stderr
    (page,) = _eml_report(outbox)
    _, alone = _report(runner, tmp_path, *args)
    assert page == alone
    plain = run(
        runner, "mail", *args, "--to", "a@example.cn", "--dry-run", str(tmp_path / "plain"), env=env
    )
    assert plain.exit_code == 0
    assert _eml_report(tmp_path / "plain") == []


def test_mail_report_never_goes_to_holders(runner: Any, tmp_path: Path) -> None:
    env = {"RENEWAL_SMTP_HOST": "smtp.example.cn", "RENEWAL_MAIL_FROM": "r@example.cn"}
    outbox = tmp_path / "outbox"
    args = [SAMPLE, "--as-of", "2024-11-29", "--holders", "--office", "百色市农业农村局"]
    result = run(runner, "mail", *args, "--report", "--dry-run", str(outbox), env=env)
    assert result.exit_code == 2
    assert "--report 不能和 --holders 一起用" in result.stderr
    assert not outbox.exists()


def test_mail_report_per_city(runner: Any, tmp_path: Path) -> None:
    env = {"RENEWAL_SMTP_HOST": "smtp.example.cn", "RENEWAL_MAIL_FROM": "r@example.cn"}
    args = [SAMPLE, "--as-of", "2024-11-29", "--city", "百色,崇左"]
    outbox = tmp_path / "outbox"
    result = run(
        runner,
        "mail",
        *args,
        "--to",
        "a@example.cn",
        "--split-by",
        "city",
        "--report",
        "--dry-run",
        str(outbox),
        env=env,
    )
    assert result.exit_code == 0, result.stderr
    pages = _eml_report(outbox)
    titles = sorted(parse(p).xpath("//h1")[0].text for p in pages)
    assert titles == [
        "崇左市绿色食品、有机农产品证书续展情况",
        "百色市绿色食品、有机农产品证书续展情况",
    ]


def test_the_same_page_every_time(runner: Any, tmp_path: Path) -> None:
    """No clock and no random id reach the page: pygal's dated comment and its random chart
    ids are gone, so the same inputs give the same bytes."""
    _, first = _report(runner, tmp_path, SAMPLE, "--as-of", "2024-11-29")
    _, second = _report(runner, tmp_path, SAMPLE, "--as-of", "2024-11-29")
    assert first == second
    assert b"<!--" not in first and b"pygal.org" not in first
    page = parse(first)
    assert [svg.get("id") for svg in page.xpath("//svg")] == [
        "chart-targets",
        "chart-coming",
        "chart-year",
    ]


def test_drawing_charts_leaves_imports_alone(runner: Any, tmp_path: Path) -> None:
    """pygal's import hook for its map plugins is gone once a chart is drawn: importing a
    module that is not installed fails plainly, without an ImportWarning."""
    import importlib
    import warnings

    _report(runner, tmp_path, SAMPLE, "--as-of", "2024-11-29")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module("renewal_cli_not_installed")
