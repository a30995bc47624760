"""The plan in force (issue 17, points 1-3): plans are data, one file per plan year; a year
without its own plan uses the latest earlier plan and says so; what goes to holders cites only
what is in force.

On registers written for these tests, as a new user would run the tool on 2026-12-06 (only the
2024 plan shipped) and in 2024 (its own plan loaded)."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import tomllib
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import icalendar
import pytest
from docx import Document
from typer.testing import CliRunner

from conftest import SENDER, cert, item, run
from renewal_cli.holders import Office, group_by_holder
from renewal_cli.messages import Lang, text
from renewal_cli.models import Flag, Rule, RuleSource, Scheme, Status
from renewal_cli.obligations import obligations, rules_of
from renewal_cli.output.notice import notice_text
from renewal_cli.policy import (
    PolicyFileError,
    plan_files,
    policy_for,
    shipped_plans,
)
from renewal_cli.policyfile import PlanOverride, read_policy_file
from renewal_cli.present import cited_document, rule_sentence, rule_text

D = date.fromisoformat
TITLE_2024 = "2024年绿色食品（绿色优质农产品）高质量发展工作方案"
TITLE_2026 = "2026年绿色食品（绿色优质农产品）高质量发展工作方案"
NOW = "2026-12-06"
THEN = "2024-06-01"

# Two holders each in 2024 and in 2026: 甲 in 田阳区 (a national poverty-exit county: fee
# relief under the 2024 plan), 乙 in 青秀区 (none), 丙 in 灌阳县 (a region-level county, which
# the 2024 plan leaves out). Pending renewals on both days, green and organic; the later rows
# are other products, so none supersedes an earlier one.
REGISTER = """\
证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期,电子邮箱
LB-45-21090512345A,田阳甲农业公司,芒果,绿色食品,百色市,田阳区,2021-09-05,2024-09-04,,jia@example.cn
1245OP2300456,田阳甲农业公司,有机红茶,有机农产品,百色市,田阳区,2024-01-01,2024-12-31,,jia@example.cn
LB-45-24040112345A,田阳甲农业公司,圣女果,绿色食品,百色市,田阳区,2024-04-01,2027-03-31,,jia@example.cn
1245OP2600456,田阳甲农业公司,有机绿茶,有机农产品,百色市,田阳区,2026-06-01,2027-05-31,,jia@example.cn
LB-45-21090612345A,南宁乙合作社,香蕉,绿色食品,南宁市,青秀区,2021-09-06,2024-09-05,,yi@example.cn
LB-45-24040212345A,南宁乙合作社,木瓜,绿色食品,南宁市,青秀区,2024-04-02,2027-04-01,,yi@example.cn
LB-45-21090712345A,灌阳丙茶场,茶叶,绿色食品,桂林市,灌阳县,2021-09-07,2024-09-06,,bing@example.cn
"""

# The 2026 plan as an officer would give it, and a file that only changes some rules.
PLAN_2026 = f"""\
[2026.plan]
title = "《{TITLE_2026}》"
issued = 2026-03-20

[2026.organic]
lead_months = 5
"""
ONLY_TARGETS_2031 = """\
[2031.targets]
"百色" = 300
"""
TIERS_2024 = """\
[2024.fee_relief]
tiers = ["key_assistance", "national_832", "autonomous_region_level"]
"""


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "台账.csv"
    path.write_text(REGISTER, encoding="utf-8")
    return path


def policy_file(tmp_path: Path, body: str, name: str = "policy.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def squash(words: str) -> str:
    """Text without whitespace: where `rules` wraps a line does not matter."""
    return re.sub(r"\s+", "", words)


def warning_of(year: int, used: int, lang: Lang = Lang.ZH) -> str:
    return text("note.plan_carried", lang, year=year, used=used, title=TITLE_2024)


# --- 1. Plans are data ----------------------------------------------------------------------------


def test_each_shipped_plan_is_a_complete_valid_year_table() -> None:
    """Every policies/<year>.toml passes the policy file's own checks and gives every key, with
    its title and issue date (a plan an outward document may cite)."""
    texts = plan_files()
    assert 2024 in texts
    for year, body in texts.items():
        table = tomllib.loads(body)
        checked = PlanOverride.model_validate(table)  # strict: as a policy file is read
        assert _unset(checked.model_dump()) == [], year
        assert checked.plan is not None and checked.plan.issued is not None
        assert str(year) in checked.plan.title, (year, checked.plan.title)
        # The shipped reader (no pydantic) and the checked table agree.
        assert checked.apply(shipped_plans()[year]) == shipped_plans()[year]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("PLANS", lambda: {2024: policy_for(2024)}, id="PLANS"),
        pytest.param("FIRST_PLAN_YEAR", lambda: 2024, id="FIRST_PLAN_YEAR"),
    ],
)
def test_the_old_names_still_work(name: str, expected: Any) -> None:
    """policy.PLANS and FIRST_PLAN_YEAR, as before the plans were files."""
    import renewal_cli.policy as module

    assert getattr(module, name) == expected()


def _unset(values: dict[str, Any], where: str = "") -> list[str]:
    """The keys left out of a year table, at any depth."""
    found: list[str] = []
    for key, value in values.items():
        if value is None:
            found.append(where + key)
        elif isinstance(value, dict):
            found += _unset(value, f"{where}{key}.")
    return found


def test_the_2024_plan_as_the_office_cites_it() -> None:
    policy = policy_for(2024)
    assert (policy.plan.title, policy.plan.issued_on) == (TITLE_2024, D("2024-03-25"))
    assert policy.plan.file is None
    assert sum(policy.targets.values()) == 1700 and policy.targets["百色市"] == 285
    assert (
        policy.fee_relief_tiers
        == policy.plan.fee_relief_tiers
        == (
            "key_assistance",
            "national_832",
        )
    )
    assert (policy.cohort_issue_year, policy.next_h1_from) == (2021, D("2025-01-01"))


@pytest.mark.parametrize(
    ("year", "body", "plan_used", "own", "title", "organic_lead", "adjusted"),
    [
        pytest.param(2024, None, 2024, True, TITLE_2024, 4, set(), id="2024-own"),
        pytest.param(2025, None, 2024, False, TITLE_2024, 4, set(), id="2025-carried"),
        pytest.param(2026, None, 2024, False, TITLE_2024, 4, set(), id="2026-carried"),
        pytest.param(2023, None, 2024, False, TITLE_2024, 4, set(), id="before-the-first"),
        pytest.param(2026, PLAN_2026, 2026, True, TITLE_2026, 5, set(), id="2026-declared"),
        pytest.param(2027, PLAN_2026, 2026, False, TITLE_2026, 5, set(), id="2027-from-2026"),
        pytest.param(2025, PLAN_2026, 2024, False, TITLE_2024, 4, set(), id="2025-before-it"),
        pytest.param(
            2031, ONLY_TARGETS_2031, 2024, False, TITLE_2024, 4, {"targets"}, id="file-adjusts"
        ),
    ],
)
def test_the_plan_used(
    tmp_path: Path,
    year: int,
    body: str | None,
    plan_used: int,
    own: bool,
    title: str,
    organic_lead: int,
    adjusted: set[str],
) -> None:
    overrides = read_policy_file(policy_file(tmp_path, body)) if body else None
    policy = policy_for(year, overrides)
    assert (policy.plan_year, policy.plan_used, policy.has_own_plan) == (year, plan_used, own)
    assert policy.plan.title == title  # 《》 taken off as typed in the file
    assert policy.rule(Scheme.ORGANIC).lead_months == organic_lead
    assert policy.adjusted == adjusted
    # Every rule an item can be judged by knows the plan in force.
    assert all(r is None or r.plan == policy.plan for r in rules_of(policy).values())
    # Dates move with the year asked, whichever plan they come from.
    assert policy.cohort_issue_year == year - 3


@pytest.mark.parametrize(
    ("body", "path", "allowed"),
    [
        pytest.param(
            "[2026.plan]\nissued = 2026-03-20\n", "2026.plan.title", "required", id="no-title"
        ),
        pytest.param('[2026.plan]\ntitle = ""\n', "2026.plan.title", "required", id="empty"),
        pytest.param('[2026.plan]\ntitle = "《 》"\n', "2026.plan.title", "required", id="marks"),
        pytest.param(
            '[2026.plan]\ntitle = "x"\nissued = "March"\n', "2026.plan.issued", "date", id="date"
        ),
        pytest.param(
            '[2026.plan]\ntitle = "x"\nissuer = "厅"\n', "2026.plan.issuer", "known_key", id="key"
        ),
    ],
)
def test_a_bad_plan_table_is_a_fault(tmp_path: Path, body: str, path: str, allowed: str) -> None:
    with pytest.raises(PolicyFileError) as caught:
        read_policy_file(policy_file(tmp_path, body))
    assert [(f["path"], f["allowed"]) for f in caught.value.faults] == [(path, allowed)]


# --- 2. A year without its own plan says so -------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "body", "lang", "heading", "present", "absent"),
    [
        pytest.param(
            THEN,
            None,
            Lang.ZH,
            f"2024 年：2024 年工作方案《{TITLE_2024}》（2024-03-25 印发）",
            [
                "有效期满3个月前向省级工作机构书面提出续展申请（《绿色食品标志管理办法》第十八条）",
                "到期前4个月以上申报再认证（2024 年工作方案）",
                "有效期1年（《有机产品认证实施规则》CNCA-N-009）",
                "每3年进行一次质量检测（2024 年工作方案）",
            ],
            ["未载入", "广西2024"],
            id="2024",
        ),
        pytest.param(
            "2025-06-01",
            None,
            Lang.ZH,
            f"2025 年：未载入 2025 年工作方案，沿用 2024 年工作方案《{TITLE_2024}》（2024-03-25 印发）",
            ["到期前4个月以上申报再认证（2024 年工作方案）"],
            ["（2025 年工作方案）", "广西2025", "《2025年"],
            id="2025",
        ),
        pytest.param(
            NOW,
            None,
            Lang.ZH,
            f"2026 年：未载入 2026 年工作方案，沿用 2024 年工作方案《{TITLE_2024}》（2024-03-25 印发）",
            [
                "有效期满3个月前向省级工作机构书面提出续展申请（《绿色食品标志管理办法》第十八条）",
                "到期前4个月以上申报再认证（2024 年工作方案）",
                "由其他认证机构转中绿华夏的产品，到期前4个月以上按新申报材料申报（2024 年工作方案）",
                "一年生作物在播种前1个月申报有机认证（2024 年工作方案）",
                "（2024 年工作方案：年检率100%",
                "逾期将被移出名录（全国名特优新农产品）",
                "每3年进行一次质量检测（2024 年工作方案）",
                "全部事项争取在 2026-10-01 前上报审批（2024 年工作方案）",
            ],
            ["（2026 年工作方案）", "广西2026", "《2026年"],
            id="2026",
        ),
        pytest.param(
            NOW,
            None,
            Lang.EN,
            f"2026: no 2026 work plan loaded; using the 2024 work plan 《{TITLE_2024}》 (issued "
            "2024-03-25)",
            [
                "(Green Food Label Measures, Art. 18)",
                "apply for re-certification at least 4 months before expiry (2024 work plan)",
                "; validity: Organic Product Certification Rules, CNCA-N-009",
            ],
            ["(2026 work plan)", "Guangxi work plan 2026"],
            id="2026-en",
        ),
        pytest.param(
            NOW,
            PLAN_2026,
            Lang.ZH,
            f"2026 年：2026 年工作方案《{TITLE_2026}》（2026-03-20 印发），载自策略文件 {{file}}",
            [
                "到期前5个月以上申报再认证（2026 年工作方案）",
                "（《绿色食品标志管理办法》第十八条）",
                "每3年进行一次质量检测（2026 年工作方案）",
            ],
            ["未载入", "沿用", "2024 年工作方案"],
            id="2026-policy-file",
        ),
    ],
)
def test_rules_heading_and_citations(
    runner: CliRunner,
    tmp_path: Path,
    as_of: str,
    body: str | None,
    lang: Lang,
    heading: str,
    present: list[str],
    absent: list[str],
) -> None:
    extra = ["--policy", str(policy_file(tmp_path, body))] if body else []
    result = run(runner, "rules", "--as-of", as_of, "--lang", lang.value, *extra)
    assert result.exit_code == 0, result.stderr
    out = squash(result.stdout)
    file = str(tmp_path / "policy.toml")
    assert out.startswith(squash(heading.replace("{file}", file))), result.stdout
    for words in present:
        assert squash(words) in out, words
    for words in absent:
        assert squash(words) not in out, words


@pytest.mark.parametrize(
    ("args", "quiet"),
    [
        pytest.param(["due", "{reg}"], False, id="due"),
        pytest.param(["due", "{reg}", "-f", "json"], False, id="due-json"),
        pytest.param(["due", "{reg}", "--by-holder"], False, id="due-by-holder"),
        pytest.param(["calendar", "{reg}"], False, id="calendar"),
        pytest.param(["calendar", "{reg}", "--quiet"], True, id="calendar-quiet"),
        pytest.param(["summary", "{reg}"], False, id="summary"),
        pytest.param(["check", "{reg}"], False, id="check"),
        pytest.param(["rules"], False, id="rules"),
        pytest.param(["notice", "{reg}", "--office", "某局", "-o", "{dir}"], False, id="notice"),
        pytest.param(
            ["notice", "{reg}", "--office", "某局", "-o", "{dir}", "-q"], True, id="notice-quiet"
        ),
        pytest.param(
            ["mail", "{reg}", "--to", "a@example.cn", "--dry-run", "{dir}"], False, id="mail"
        ),
        pytest.param(
            ["mail", "{reg}", "--to", "a@example.cn", "--dry-run", "{dir}", "--split-by", "city"],
            False,
            id="mail-split",
        ),
        pytest.param(
            ["mail", "{reg}", "--holders", "--office", "某局", "--dry-run", "{dir}", "-q"],
            True,
            id="mail-holders-quiet",
        ),
        pytest.param(["report", "{reg}", "-o", "{dir}.html"], False, id="report"),
        pytest.param(
            [
                "notify",
                "{reg}",
                "--webhook",
                "wecom+http://127.0.0.1:9/s?key=k",
                "--dry-run",
                "{dir}",
            ],
            False,
            id="notify",
        ),
    ],
)
@pytest.mark.parametrize(
    ("as_of", "warned"),
    [pytest.param(NOW, True, id="2026"), pytest.param(THEN, False, id="2024")],
)
def test_one_warning_per_run(
    runner: CliRunner,
    register: Path,
    tmp_path: Path,
    args: list[str],
    quiet: bool,
    as_of: str,
    warned: bool,
) -> None:
    out = tmp_path / "out"
    filled = [a.replace("{reg}", str(register)).replace("{dir}", str(out)) for a in args]
    env = {"RENEWAL_SMTP_HOST": "smtp.example.cn", "RENEWAL_MAIL_FROM": SENDER}
    result = run(runner, *filled, "--as-of", as_of, env=env)
    assert result.exit_code == 0, result.stderr
    year = int(as_of[:4])
    lines = result.stderr.splitlines()
    assert lines.count(warning_of(year, 2024)) == (1 if warned else 0), result.stderr
    assert sum("未载入" in line for line in lines) == (1 if warned else 0)
    if warned:
        assert "--policy FILE" in warning_of(year, 2024)
    if quiet and not warned:
        assert result.stderr == ""  # --quiet is quiet when all is well


def test_the_warning_in_english(runner: CliRunner, register: Path) -> None:
    result = run(runner, "due", str(register), "--as-of", NOW, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    expected = warning_of(2026, 2024, Lang.EN)
    assert result.stderr.splitlines().count(expected) == 1
    assert "no 2026 work plan is loaded; using the 2024 plan" in expected
    assert "--policy FILE" in expected


def test_no_warning_with_the_years_own_plan(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    path = policy_file(tmp_path, PLAN_2026)
    result = run(runner, "due", str(register), "--as-of", NOW, "--policy", str(path))
    assert result.exit_code == 0, result.stderr
    assert "未载入" not in result.stderr


@pytest.mark.parametrize(
    ("command", "as_of", "body", "plan_year", "plan_used"),
    [
        pytest.param("rules", THEN, None, 2024, 2024, id="rules-2024"),
        pytest.param("rules", NOW, None, 2026, 2024, id="rules-2026"),
        pytest.param("rules", NOW, PLAN_2026, 2026, 2026, id="rules-2026-file"),
        pytest.param("summary", THEN, None, 2024, 2024, id="summary-2024"),
        pytest.param("summary", NOW, None, 2026, 2024, id="summary-2026"),
        pytest.param("summary", NOW, PLAN_2026, 2026, 2026, id="summary-2026-file"),
    ],
)
def test_json_gives_the_plan_used(
    runner: CliRunner,
    register: Path,
    tmp_path: Path,
    command: str,
    as_of: str,
    body: str | None,
    plan_year: int,
    plan_used: int,
) -> None:
    args = [command] + ([str(register)] if command == "summary" else [])
    extra = ["--policy", str(policy_file(tmp_path, body))] if body else []
    result = run(runner, *args, "--as-of", as_of, "-f", "json", *extra)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    if command == "rules":
        assert (data["plan_year"], data["plan_used"]) == (plan_year, plan_used)
        assert data["plan"]["year"] == plan_used
        assert data["plan"]["title"] == (TITLE_2024 if plan_used == 2024 else TITLE_2026)
        cites = {(k["applies"], k["kind"]): k["cites"] for k in data["kinds"]}
        assert cites[("green", "renewal")] == "green_measures"
        assert cites[("organic", "renewal")] == "plan"
        assert cites[("mingte", "annual_confirmation")] == "mingte"
    else:
        assert data and all(
            (r["plan_year"], r["plan_used"]) == (plan_year, plan_used) for r in data
        )


@pytest.mark.parametrize(
    ("as_of", "plan_year", "body", "code"),
    [
        pytest.param(NOW, "2031", None, 2, id="2031-refused"),
        pytest.param(NOW, "2028", None, 2, id="two-years-ahead-refused"),
        pytest.param(NOW, "2027", None, 0, id="next-year"),
        pytest.param(NOW, "2026", None, 0, id="this-year"),
        pytest.param(NOW, "2020", None, 0, id="earlier"),
        pytest.param(NOW, "2031", ONLY_TARGETS_2031, 0, id="2031-in-the-file"),
        pytest.param(NOW, "2031", PLAN_2026, 2, id="file-without-2031"),
        pytest.param("2040-01-01", None, None, 0, id="default-always-runs"),
    ],
)
def test_plan_year_limit(
    runner: CliRunner,
    register: Path,
    tmp_path: Path,
    as_of: str,
    plan_year: str | None,
    body: str | None,
    code: int,
) -> None:
    extra = ["--plan-year", plan_year] if plan_year else []
    if body:
        extra += ["--policy", str(policy_file(tmp_path, body))]
    for command in (["rules"], ["due", str(register)]):
        result = run(runner, *command, "--as-of", as_of, *extra)
        assert result.exit_code == code, result.stderr
        if code == 2:
            assert result.stdout == ""
            expected = text(
                "usage.plan_year_ahead", Lang.ZH, year=plan_year, as_of=as_of, latest=2027
            )
            assert result.stderr.splitlines() == [expected]
            assert "--policy FILE" in expected and "2027" in expected


def test_plan_year_limit_in_english(runner: CliRunner) -> None:
    result = run(runner, "rules", "--as-of", NOW, "--plan-year", "2031", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.startswith("--plan-year 2031 is too far ahead: as of 2026-12-06")
    assert "2027 at the latest" in result.stderr and "--policy FILE" in result.stderr


@pytest.mark.parametrize(
    ("as_of", "lang", "title"),
    [
        pytest.param(THEN, Lang.ZH, "（2024 年工作方案）", id="2024"),
        pytest.param(NOW, Lang.ZH, "（未载入 2026 年工作方案，沿用 2024 年工作方案）", id="2026"),
        pytest.param(NOW, Lang.EN, "(no 2026 work plan loaded; using the 2024 plan)", id="2026-en"),
    ],
)
def test_officer_outputs_name_the_plan_used(
    runner: CliRunner, register: Path, tmp_path: Path, as_of: str, lang: Lang, title: str
) -> None:
    """The table's title, the weekly mail's heading and the officer's calendar."""
    table = run(runner, "due", str(register), "--as-of", as_of, "--lang", lang.value, "--all")
    assert table.exit_code == 0, table.stderr
    assert title in table.stdout.splitlines()[0]
    assert "广西" not in table.stdout
    out = tmp_path / "outbox"
    env = {"RENEWAL_SMTP_HOST": "smtp.example.cn", "RENEWAL_MAIL_FROM": SENDER}
    mail = run(
        runner,
        "mail",
        str(register),
        "--as-of",
        as_of,
        "--lang",
        lang.value,
        "--to",
        "a@example.cn",
        "--dry-run",
        str(out),
        env=env,
    )
    assert mail.exit_code == 0, mail.stderr
    (eml,) = out.glob("*.eml")
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None
    assert title in body.get_content().splitlines()[0]
    # The officer's calendar: the organic rule names the plan used as the title does.
    calendar = run(runner, "calendar", str(register), "--as-of", as_of, "--lang", lang.value)
    organic = text("rule.guangxi_plan", lang, months=4)
    rules = [
        line
        for event in icalendar.Calendar.from_ical(calendar.stdout_bytes).walk("VEVENT")
        for line in str(event["DESCRIPTION"]).split("\n")
        if organic in line
    ]
    assert rules, calendar.stdout
    assert all(line.endswith(organic + title.replace("(", " (")) for line in rules), rules


# --- 3. What goes to holders cites only what is in force -----------------------------------------

OFFICE = Office(name="百色市田阳区农业农村局", contact="张三 0776-3212345")


def holder_notice(as_of: str, lang: Lang, *certificates: Any, plan_year: int = 0) -> str:
    """The notice of the one holder of `certificates` on AS_OF, under that year's policy (or
    PLAN_YEAR's, as --plan-year gives it)."""
    day = D(as_of)
    policy = policy_for(plan_year or day.year)
    items = [i for c in certificates for i in obligations(c, day, policy)]
    (holder,) = group_by_holder(items)
    return notice_text(holder, OFFICE, day, lang)


GREEN_2026 = cert("2027-03-31", "LB-45-24040112345A")  # 田阳区: pending on 2026-12-06
ORGANIC_2026 = cert("2027-05-31", "1245OP2600456", scheme=Scheme.ORGANIC)
GREEN_2024 = cert("2024-09-04", "LB-45-21090512345A")  # pending on 2024-06-01
ORGANIC_2024 = cert("2024-12-31", "1245OP2300456", scheme=Scheme.ORGANIC)


@pytest.mark.parametrize(
    ("as_of", "lang", "certificates", "present", "absent"),
    [
        pytest.param(
            NOW,
            Lang.ZH,
            [GREEN_2026, ORGANIC_2026],
            [
                "根据《绿色食品标志管理办法》《有机产品认证实施规则》等有关规定",
                "有效期满3个月前向省级工作机构书面提出续展申请（《绿色食品标志管理办法》第十八条）",
                "有效期满3个月前申请再认证（《有机产品认证实施规则》CNCA-N-009）；请于有效期满4个月前申报",
            ],
            ["工作方案", "《2024年", "《2026年", "费用减免", "免收审核费", "策略文件", "广西"],
            id="2026-no-plan-no-relief",
        ),
        pytest.param(
            NOW,
            Lang.EN,
            [GREEN_2026, ORGANIC_2026],
            [
                "Under the Green Food Label Measures, the Organic Product Certification Rules and related",
                "(Organic Product Certification Rules, CNCA-N-009); please file 4 months before",
            ],
            ["work plan", "《", "Fee relief", "fees are waived", "policy file"],
            id="2026-en",
        ),
        pytest.param(
            NOW,
            Lang.ZH,
            [ORGANIC_2026],
            ["根据《有机产品认证实施规则》等有关规定"],
            ["《绿色食品标志管理办法》", "工作方案"],
            id="2026-organic-only",
        ),
        pytest.param(
            THEN,
            Lang.ZH,
            [GREEN_2024, ORGANIC_2024],
            [
                f"根据《{TITLE_2024}》，经核对",
                f"到期前4个月以上申报再认证（《{TITLE_2024}》）",
                f"按照《{TITLE_2024}》可享受以下费用减免",
                "免收审核费和标志使用费",
                "减免35%",
            ],
            ["未载入", "《有机产品认证实施规则》", "策略文件"],
            id="2024-plan-and-relief",
        ),
        pytest.param(
            THEN,
            Lang.EN,
            [GREEN_2024],
            [f"Under Guangxi's work plan 《{TITLE_2024}》", "review and label fees are waived"],
            [],
            id="2024-en",
        ),
    ],
)
def test_notice_cites_only_what_is_in_force(
    as_of: str, lang: Lang, certificates: list[Any], present: list[str], absent: list[str]
) -> None:
    notice = holder_notice(as_of, lang, *certificates)
    for words in present:
        assert words in notice, words
    for words in absent:
        assert words not in notice, words


@pytest.mark.parametrize(
    ("as_of", "plan_year", "certificates"),
    [
        # --plan-year 2024 on purpose, today: the 2024 plan judges, but is not in force in 2026.
        pytest.param(NOW, 2024, [GREEN_2026, ORGANIC_2026], id="2024-plan-on-a-2026-notice"),
        # The 2024 plan was issued on 2024-03-25: a notice of 1 March cannot cite it.
        pytest.param("2024-03-01", 2024, [GREEN_2024, ORGANIC_2024], id="before-its-issue"),
    ],
)
def test_a_plan_not_in_force_on_the_notices_day_is_not_cited(
    as_of: str, plan_year: int, certificates: list[Any]
) -> None:
    notice = holder_notice(as_of, Lang.ZH, *certificates, plan_year=plan_year)
    assert "根据《绿色食品标志管理办法》《有机产品认证实施规则》等有关规定" in notice
    for words in ("工作方案", "《2024年", "费用减免", "免收审核费", "减免35%"):
        assert words not in notice, words


def test_plan_year_of_another_year_is_warned_and_not_cited(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    out = tmp_path / "notices"
    args = ["--office", OFFICE.name, "-f", "txt", "--plan-year", "2024", "--as-of", NOW]
    result = run(runner, "notice", str(register), "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    (warning,) = [line for line in lines if line.startswith("提醒：按 2024 年工作方案")]
    assert "2026 年的告知书和给获证主体的邮件不引用该方案" in warning
    assert not any("未载入" in line for line in lines)
    notices = [f.read_text("utf-8") for f in sorted(out.iterdir())]
    assert notices
    assert not any("工作方案" in n or "费用减免" in n for n in notices)


@pytest.mark.parametrize(
    ("lang", "certificates", "opening"),
    [
        pytest.param(Lang.ZH, [GREEN_2024], "贵单位下列产品需按期办理有关事项", id="pending"),
        pytest.param(
            Lang.ZH,
            [cert("2024-03-04", "LB-45-21030512345A")],
            "贵单位下列产品需办理有关事项",
            id="all-missed",
        ),
        pytest.param(
            Lang.ZH,
            [GREEN_2024, cert("2024-03-04", "LB-45-21030512399A", product="绿茶")],
            "贵单位下列产品需按期办理有关事项",
            id="mixed",
        ),
        pytest.param(Lang.EN, [GREEN_2024], "listed below need timely action:", id="pending-en"),
        pytest.param(
            Lang.EN,
            [cert("2024-03-04", "LB-45-21030512345A")],
            "listed below need action:",
            id="all-missed-en",
        ),
    ],
)
def test_the_opening_asks_for_action_in_time_only_while_it_can_be(
    lang: Lang, certificates: list[Any], opening: str
) -> None:
    """A notice of missed dates only asks for action: "按期" (in time) cannot be met."""
    notice = holder_notice(THEN, lang, *certificates)
    assert opening in notice


def test_notice_under_a_declared_plan(tmp_path: Path) -> None:
    """With the 2026 plan given in a policy file, the notice names it and its fee relief."""
    overrides = read_policy_file(policy_file(tmp_path, PLAN_2026))
    day = D(NOW)
    policy = policy_for(2026, overrides)
    items = [i for c in (GREEN_2026, ORGANIC_2026) for i in obligations(c, day, policy)]
    (holder,) = group_by_holder(items)
    notice = notice_text(holder, OFFICE, day, Lang.ZH)
    assert f"根据《{TITLE_2026}》，经核对" in notice
    assert f"到期前5个月以上申报再认证（《{TITLE_2026}》）" in notice
    assert f"按照《{TITLE_2026}》可享受以下费用减免" in notice
    assert "2024年绿色食品" not in notice and "策略文件" not in notice


def test_a_policy_file_tier_is_not_promised(tmp_path: Path) -> None:
    """A policy file that adds region-level counties to 2024's fee relief flags them for the
    officer, but the notice promises only what the 2024 plan lists."""
    overrides = read_policy_file(policy_file(tmp_path, TIERS_2024))
    day = D(THEN)
    policy = policy_for(2024, overrides)
    certificate = cert("2024-09-06", "LB-45-21090712345A", city="桂林市", county="灌阳县")
    items = obligations(certificate, day, policy)
    assert all(Flag.FEE_WAIVER in i.flags for i in items)
    (holder,) = group_by_holder(items)
    notice = notice_text(holder, OFFICE, day, Lang.ZH)
    assert "费用减免" not in notice and "免收审核费" not in notice
    assert f"根据《{TITLE_2024}》" in notice  # the plan is still 2024's own


def test_fee_flags_stay_for_officers_in_a_carried_year() -> None:
    """`due` keeps flagging fee relief under the plan used (the title names it); only what
    goes to a holder leaves it out."""
    policy = policy_for(2026)
    items = obligations(GREEN_2026, D(NOW), policy)
    assert all(Flag.FEE_WAIVER in i.flags for i in items)
    assert "免收审核费" not in holder_notice(NOW, Lang.ZH, GREEN_2026)


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("as_of", "cited", "relief"),
    [
        pytest.param(NOW, False, False, id="2026"),
        pytest.param(THEN, True, True, id="2024"),
    ],
)
def test_notice_files_and_holder_mail(
    runner: CliRunner, register: Path, tmp_path: Path, as_of: str, cited: bool, relief: bool
) -> None:
    """`renewal notice` (.txt and .docx) and `mail --holders` (body, .ics, .docx) for the holder
    in a fee-relief county."""
    notices = tmp_path / "notices"
    for fmt in ("txt", "docx"):
        result = run(
            runner,
            "notice",
            str(register),
            "--as-of",
            as_of,
            "--office",
            "某局",
            "-o",
            str(notices),
            "-f",
            fmt,
        )
        assert result.exit_code == 0, result.stderr
    texts = {
        "txt": (notices / "田阳甲农业公司.txt").read_text("utf-8"),
        "docx": _docx_text((notices / "田阳甲农业公司.docx").read_bytes()),
    }
    outbox = tmp_path / "outbox"
    env = {"RENEWAL_SMTP_HOST": "smtp.example.cn", "RENEWAL_MAIL_FROM": SENDER}
    result = run(
        runner,
        "mail",
        str(register),
        "--holders",
        "--office",
        "某局",
        "--as-of",
        as_of,
        "--dry-run",
        str(outbox),
        env=env,
    )
    assert result.exit_code == 0, result.stderr
    for eml in outbox.glob("*.eml"):
        message = message_from_bytes(eml.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        if "jia@example.cn" not in str(message["To"]):
            continue
        body = message.get_body(("plain",))
        assert body is not None
        texts["mail"] = body.get_content()
        for part in message.iter_attachments():
            data = part.get_payload(decode=True)
            assert isinstance(data, bytes)
            if part.get_content_type() == "text/calendar":
                events = icalendar.Calendar.from_ical(data).walk("VEVENT")
                texts["ics"] = "\n".join(str(e["DESCRIPTION"]) for e in events)
            else:
                texts["mail.docx"] = _docx_text(data)
    assert set(texts) == {"txt", "docx", "mail", "ics", "mail.docx"}
    for name, words in texts.items():
        assert ("工作方案" in words) is cited, name
        assert "未载入" not in words and "沿用" not in words and "策略文件" not in words, name
        assert "《2026年" not in words and "广西2026" not in words, name
        assert "《绿色食品标志管理办法》" in words, name
        if name != "ics":  # a calendar has no fee paragraph at all
            assert ("免收审核费" in words) is relief, name


# --- The rule's words, case by case ---------------------------------------------------------------

PLAN_2024 = policy_for(2024).plan


def _rule(source: RuleSource, **values: Any) -> Rule:
    return Rule(source=source, plan=PLAN_2024, **values)


@pytest.mark.parametrize(
    ("rule", "plan_year", "outward", "document", "words"),
    [
        pytest.param(
            _rule(RuleSource.GREEN_MEASURES_ART18, validity_years=3, lead_months=3),
            2026,
            True,
            "green_measures",
            "有效期满3个月前向省级工作机构书面提出续展申请（《绿色食品标志管理办法》第十八条）",
            id="green-national",
        ),
        pytest.param(
            _rule(RuleSource.GUANGXI_PLAN, validity_years=1, lead_months=4),
            2024,
            True,
            "plan",
            f"到期前4个月以上申报再认证（《{TITLE_2024}》）",
            id="organic-own-plan-outward",
        ),
        pytest.param(
            _rule(RuleSource.GUANGXI_PLAN, validity_years=1, lead_months=4),
            2026,
            True,
            None,
            "有效期满3个月前申请再认证（《有机产品认证实施规则》CNCA-N-009）；请于有效期满4个月前申报",
            id="organic-carried-outward",
        ),
        pytest.param(
            _rule(RuleSource.GUANGXI_PLAN, validity_years=1, lead_months=3),
            2026,
            True,
            None,
            "有效期满3个月前申请再认证（《有机产品认证实施规则》CNCA-N-009）",
            id="organic-carried-outward-national-lead",
        ),
        pytest.param(
            _rule(RuleSource.GUANGXI_PLAN, validity_years=1, lead_months=4),
            2026,
            False,
            "plan",
            "到期前4个月以上申报再认证（未载入 2026 年工作方案，沿用 2024 年工作方案）",
            id="organic-carried-officer",
        ),
        pytest.param(
            _rule(RuleSource.GUANGXI_PLAN_TRANSFER, validity_years=1, lead_months=4),
            2026,
            True,
            None,
            "由其他认证机构转中绿华夏的产品，到期前4个月以上按新申报材料申报",
            id="transfer-carried-outward",
        ),
        pytest.param(
            _rule(RuleSource.GREEN_INSPECTION),
            2024,
            True,
            "plan",
            f"每个证书年度年检一次，在证书年度结束前完成（《{TITLE_2024}》）",  # no office target
            id="inspection-own-outward",
        ),
        pytest.param(
            _rule(RuleSource.GREEN_INSPECTION),
            2026,
            True,
            None,
            "每个证书年度年检一次，在证书年度结束前完成",
            id="inspection-carried-outward",
        ),
        pytest.param(
            _rule(RuleSource.MINGTE_QUALITY_TEST, every_years=3),
            2026,
            True,
            None,
            "每3年进行一次质量检测",
            id="quality-test-carried-outward",
        ),
        pytest.param(
            _rule(RuleSource.MINGTE_CONFIRMATION, lead_days=30),
            2026,
            True,
            "mingte",
            "每年收录周年日前30天以上申请年度确认，逾期将被移出名录（全国名特优新农产品）",
            id="confirmation-national",
        ),
        pytest.param(
            dataclasses.replace(
                _rule(RuleSource.GUANGXI_PLAN, validity_years=1, lead_months=5), set_by="p.toml"
            ),
            2024,
            False,
            "file",
            "到期前5个月以上申报再认证（策略文件 p.toml）",
            id="set-by-file-officer",
        ),
        pytest.param(
            dataclasses.replace(
                _rule(RuleSource.GUANGXI_PLAN, validity_years=1, lead_months=5), set_by="p.toml"
            ),
            2024,
            True,
            None,
            "有效期满3个月前申请再认证（《有机产品认证实施规则》CNCA-N-009）；请于有效期满5个月前申报",
            id="set-by-file-outward",
        ),
        pytest.param(
            _rule(RuleSource.GREEN_MEASURES_ART18, validity_years=3, lead_months=4),
            2026,
            True,
            None,
            "有效期满3个月前向省级工作机构书面提出续展申请（《绿色食品标志管理办法》第十八条）"
            "；请于有效期满4个月前申报",
            id="green-plan-lead-carried-outward",
        ),
    ],
)
def test_rule_sentence(
    rule: Rule, plan_year: int, outward: bool, document: str | None, words: str
) -> None:
    assert cited_document(rule, plan_year, outward=outward) == document
    assert rule_sentence(rule, plan_year, Lang.ZH, outward=outward) == words


@pytest.mark.parametrize(
    ("as_of", "status", "asked"),
    [
        pytest.param("2026-09-01", Status.PENDING, True, id="pending-asked-the-offices-date"),
        pytest.param("2026-12-06", Status.LATE, False, id="late-no-date-to-meet"),
        pytest.param("2027-06-01", Status.EXPIRED, False, id="expired-no-date-to-meet"),
    ],
)
def test_the_offices_earlier_date_only_while_it_can_be_met(
    as_of: str, status: Status, asked: bool
) -> None:
    """With no plan of the year loaded, an organic rule is the national one (3 months), and the
    office asks 4 (rule.request): of an item still pending; of one whose day has passed it
    states the requirement instead (rule.request.closed)."""
    organic = cert("2027-03-31", "1245OP2600001", scheme=Scheme.ORGANIC)
    renewal = item(organic, as_of)
    assert renewal.status is status
    words = rule_text(renewal, Lang.ZH, outward=True)
    assert words.startswith("有效期满3个月前申请再认证（《有机产品认证实施规则》CNCA-N-009）")
    assert ("请于有效期满4个月前申报" in words) is asked, words
    # Once passed, the 4 months are said as the requirement the item was judged by (why its
    # window closed then), not as a date to meet.
    assert ("本地要求在有效期满4个月前申报" in words) is not asked, words
