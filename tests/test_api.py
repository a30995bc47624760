"""The library API (renewal_cli.due, check, summary): each record is the object the command's
`--format json` prints, values are Python values, a bad one raises the project's UsageError
with the command line's message, and nothing is printed and no Typer is imported."""

from __future__ import annotations

import ast
import csv
import doctest
import io
import json
import os
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import renewal_cli
from conftest import run
from renewal_cli import Flag, Kind, Lang, RenewalError, Scheme, Status, SummaryBy, UsageError
from renewal_cli.clock import today_in_china
from renewal_cli.policy import policy_for
from renewal_cli.present import describe_error

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "renewal_cli"
SAMPLE = "examples/sample_register.csv"
UNTIDY = "examples/untidy_register.csv"
AS_OF = date(2024, 9, 10)

# A register written for these tests: a later cycle, a filing, a number clash, a bad date, a
# formula-like name, dates in three spellings, places with and without 市, six cities.
REGISTER = """\
序号,证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期,联系人,电话
1,LB-45-21090212001A,田阳南山农业有限公司,芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,,黄工,0776-1234567
2,LB-45-24082012001A,田阳南山农业有限公司,芒果,绿色食品,百色,田阳区,2024-08-20,2027-08-19,,,
3,1120OP2400001,右江河谷茶业公司,茶叶,有机农产品,百色,右江区,2024-03-01,2025-02-28,2024-10-01,,
4,LB-45-21050112003A,平果山泉公司,山泉水,绿色食品,百色,平果市,2021-05-01,2024-04-30,,,
5,LB-45-21050112003A,横州茉莉花茶厂,花茶,绿色食品,南宁,横州市,2021-05-01,2024-04-30,,,
6,LB-45-22010112004A,柳州螺蛳粉公司,螺蛳粉,绿色,柳州市,柳江区,2022/1/1,2024-12-31,2024-09-01,,
7,LB-45-23010112005A,桂林坏日期公司,罗汉果,绿色食品,桂林,永福县,2023-13-01,2026-12-31,,,
8,LB-45-23010112006A,=1+1,罗汉果,绿色食品,桂林,永福县,2022年1月1日,2024年12月31日,,,
9,1120OP2300002,德保青山种养专业合作社,蜂蜜,有机,百色,德保县,2023-11-01,2024-10-31,,,
10,LB-45-22060112007A,北海海鲜公司,海鸭蛋,绿色食品,北海,合浦县,2022-06-01,2025-05-31,,,
"""


@pytest.fixture
def registers(tmp_path: Path) -> dict[str, list[str]]:
    """The registers of the cases by name: paths as the command line is given them."""
    csv_file = tmp_path / "台账.csv"
    csv_file.write_text(REGISTER, "utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in csv.reader(io.StringIO(REGISTER)):
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.data_type = "s"  # text, as typed: "=1+1" a name, not a formula
    workbook = tmp_path / "台账.xlsx"
    book.save(workbook)
    return {
        "bundled": [],
        "sample": [SAMPLE],
        "untidy": [UNTIDY],
        "csv": [str(csv_file)],
        "xlsx": [str(workbook)],
        "two": [str(csv_file), UNTIDY],
        "missing": [str(tmp_path / "没有.csv")],
    }


def cli_json(runner: Any, *args: str) -> Any:
    """What `renewal ARGS --format json` prints on stdout, read back."""
    result = run(runner, *args, "--as-of", AS_OF.isoformat(), "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


# --- Each record is the command's JSON object ---------------------------------------------------

DUE_CASES = [
    pytest.param("bundled", {}, [], id="bundled-sample"),
    pytest.param("sample", {"city": "百色"}, ["--city", "百色"], id="sample-city"),
    pytest.param("sample", {"show_all": True}, ["--all"], id="sample-all"),
    pytest.param(
        "sample",
        {"status": [Status.LATE, "expired"], "scheme": Scheme.ORGANIC},
        ["--status", "late,expired", "--scheme", "organic"],
        id="sample-members-and-values",
    ),
    pytest.param("sample", {"status": "已逾期"}, ["--status", "已逾期"], id="sample-label"),
    pytest.param(
        "sample",
        {"county": ["田阳区", "右江区"], "flag": Flag.FEE_WAIVER, "within": 365},
        ["--county", "田阳区", "--county", "右江区", "--flag", "fee_waiver", "--within", "365"],
        id="sample-counties-flag",
    ),
    pytest.param(
        "sample",
        {"kind": Kind.ANNUAL_INSPECTION, "show_all": True},
        ["--kind", "annual_inspection", "--all"],
        id="sample-kind",
    ),
    pytest.param(
        "sample", {"expired_within": 30}, ["--expired-within", "30"], id="sample-expired-within"
    ),
    pytest.param("sample", {"plan_year": 2025}, ["--plan-year", "2025"], id="sample-plan-year"),
    pytest.param(
        "sample",
        {"policy": Path("examples/policy.toml")},
        ["--policy", "examples/policy.toml"],
        id="sample-policy-file",
    ),
    pytest.param("csv", {}, [], id="written-csv"),
    pytest.param("csv", {"show_all": True}, ["--all"], id="written-csv-all"),
    pytest.param(
        "csv",
        {"city": "百色市", "show_all": True},
        ["--city", "百色市", "--all"],
        id="written-csv-city",
    ),
    pytest.param("xlsx", {"show_all": True}, ["--all"], id="written-xlsx-all"),
    pytest.param("two", {"show_all": True}, ["--all"], id="two-registers"),
]


@pytest.mark.parametrize(("name", "options", "args"), DUE_CASES)
def test_due_items_are_the_json_objects(
    runner: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    registers: dict[str, list[str]],
    name: str,
    options: dict[str, Any],
    args: list[str],
) -> None:
    monkeypatch.chdir(ROOT)
    files = registers[name]
    result = renewal_cli.due(*files, as_of=AS_OF, **options)
    assert capsys.readouterr() == ("", "")
    shown = cli_json(runner, "due", *files, *args)
    assert shown  # something to compare
    assert [item.record() for item in result.items] == shown
    holders = cli_json(runner, "due", *files, *args, "--by-holder")
    assert [holder.record() for holder in result.holders()] == holders


CHECK_CASES = [
    pytest.param("bundled", {}, id="bundled-sample"),
    pytest.param("untidy", {}, id="untidy"),
    pytest.param("untidy", {"lang": "en"}, id="untidy-en"),
    pytest.param("csv", {}, id="written-csv"),
    pytest.param("xlsx", {"lang": Lang.EN}, id="written-xlsx"),
    pytest.param("two", {}, id="two-registers"),
    pytest.param("missing", {}, id="missing-file"),
]


@pytest.mark.parametrize(("name", "options"), CHECK_CASES)
def test_check_problems_are_the_json_objects(
    runner: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    registers: dict[str, list[str]],
    name: str,
    options: dict[str, Any],
) -> None:
    monkeypatch.chdir(ROOT)
    files = registers[name]
    result = renewal_cli.check(*files, as_of=AS_OF, **options)
    assert capsys.readouterr() == ("", "")
    lang = ["--lang", str(options["lang"])] if "lang" in options else []
    shown = run(runner, "check", *files, *lang, "--as-of", AS_OF.isoformat(), "-f", "json")
    assert [problem.record() for problem in result.problems] == json.loads(shown.stdout)
    assert result.ok == (shown.exit_code == 0)
    assert result.errors + result.warnings == len(result.problems)


SUMMARY_CASES = [
    pytest.param("bundled", {}, [], id="bundled-sample"),
    pytest.param("sample", {"by": "county"}, ["--by", "county"], id="sample-by-county"),
    pytest.param("sample", {"by": SummaryBy.SCHEME}, ["--by", "scheme"], id="sample-by-scheme"),
    pytest.param("sample", {"city": ["百色", "南宁"]}, ["--city", "百色,南宁"], id="sample-cities"),
    pytest.param("sample", {"scheme": "organic"}, ["--scheme", "organic"], id="sample-organic"),
    pytest.param("sample", {"plan_year": 2025}, ["--plan-year", "2025"], id="sample-carried-plan"),
    pytest.param("csv", {}, [], id="written-csv"),
    pytest.param("xlsx", {"by": "county"}, ["--by", "county"], id="written-xlsx"),
]


@pytest.mark.parametrize(("name", "options", "args"), SUMMARY_CASES)
def test_summary_rows_are_the_json_objects(
    runner: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    registers: dict[str, list[str]],
    name: str,
    options: dict[str, Any],
    args: list[str],
) -> None:
    monkeypatch.chdir(ROOT)
    files = registers[name]
    result = renewal_cli.summary(*files, as_of=AS_OF, **options)
    assert capsys.readouterr() == ("", "")
    shown = cli_json(runner, "summary", *files, *args)
    assert [row.record() for row in result.rows] == shown
    assert result.rows[-1].place == "total"


def test_the_problems_and_counts_of_reading(registers: dict[str, list[str]]) -> None:
    """Reading's problems come with the items (the clash a warning here, an error in check),
    and the counts are the count line's."""
    result = renewal_cli.due(*registers["csv"], as_of=AS_OF, show_all=True)
    codes = [(p.line, p.record()["code"], p.record()["severity"]) for p in result.problems]
    assert codes == [(6, "number_clash", "warning"), (8, "bad_date", "error")]
    counts = result.counts
    assert (counts.rows, counts.certificates, counts.problems) == (10, 9, 1)
    assert result.sources == registers["csv"]
    assert (result.plan_year, result.plan_used, result.failed) == (2024, 2024, False)


def test_a_register_that_cannot_be_read_is_a_problem_not_an_exception(
    registers: dict[str, list[str]],
) -> None:
    result = renewal_cli.due(*registers["missing"], as_of=AS_OF)
    assert result.failed and result.blocked
    assert result.items == []
    assert [p.record()["code"] for p in result.problems] == ["not_found"]


@pytest.mark.parametrize(
    ("strict", "blocked", "items"),
    [pytest.param(False, False, 13, id="lenient"), pytest.param(True, True, 0, id="strict")],
)
def test_strict_leaves_no_items_when_a_row_is_bad(
    runner: Any, registers: dict[str, list[str]], strict: bool, blocked: bool, items: int
) -> None:
    result = renewal_cli.due(*registers["csv"], as_of=AS_OF, show_all=True, strict=strict)
    assert (result.blocked, len(result.items)) == (blocked, items)
    args = ["--all", "--as-of", AS_OF.isoformat(), "-f", "json", *(["--strict"] * strict)]
    shown = run(runner, "due", *registers["csv"], *args)
    assert (shown.exit_code, shown.stdout == "") == ((1, True) if strict else (0, False))


def test_excel_lock_files_are_skipped_and_said(
    tmp_path: Path, registers: dict[str, list[str]]
) -> None:
    lock = tmp_path / "~$台账.xlsx"
    lock.write_bytes(b"\x00owner")
    result = renewal_cli.due(lock, *registers["csv"], as_of=AS_OF)
    assert result.skipped == (str(lock),)
    assert result.sources == registers["csv"]


def test_a_folder_stands_for_its_registers(registers: dict[str, list[str]]) -> None:
    folder = Path(registers["csv"][0]).parent
    result = renewal_cli.check(folder, as_of=AS_OF)
    assert result.sources == sorted(registers["csv"] + registers["xlsx"])


def test_as_of_left_out_is_today_in_china() -> None:
    before = today_in_china()
    result = renewal_cli.due(city="百色")
    after = today_in_china()
    assert result.as_of in {before, after}
    assert all(item.as_of == result.as_of for item in result.items)


def test_a_loaded_policy_is_used_as_given() -> None:
    policy = policy_for(2025)
    result = renewal_cli.due(policy=policy, as_of=AS_OF, show_all=True)
    assert (result.plan_year, result.plan_used) == (2025, 2024)
    assert {item.plan_year for item in result.items} == {2025}


# --- Bad values -----------------------------------------------------------------------------------

BAD_VALUES = [
    pytest.param("due", {"as_of": "2024-09-10"}, "api.bad_type", "as_of", id="as-of-text"),
    pytest.param("due", {"as_of": datetime(2024, 9, 10)}, "api.bad_type", "datetime", id="as-of-datetime"),
    pytest.param("check", {"as_of": date(1999, 12, 31)}, "usage.date_range", "1999-12-31", id="as-of-range"),
    pytest.param("due", {"city": "Atlantis"}, "usage.unknown_city", "Atlantis", id="city-unknown"),
    pytest.param("due", {"city": 450000}, "api.bad_type", "city", id="city-number"),
    pytest.param("summary", {"county": ["横州市"], "city": "百色"}, "usage.county_not_in_city", "横州市", id="county-outside-city"),
    pytest.param("due", {"status": "lates"}, "usage.bad_choice", "lates", id="status-unknown"),
    pytest.param("due", {"status": Kind.RENEWAL}, "usage.bad_choice", "renewal", id="status-of-another-enum"),
    pytest.param("due", {"scheme": 1}, "api.bad_type", "scheme", id="scheme-number"),
    pytest.param("due", {"flag": [Flag.NEXT_H1, None]}, "api.bad_type", "None", id="flag-none-in-list"),
    pytest.param("due", {"within": -1}, "usage.days_range", "-1", id="within-negative"),
    pytest.param("due", {"within": "120"}, "api.bad_type", "within", id="within-text"),
    pytest.param("due", {"expired_within": True}, "api.bad_type", "expired_within", id="expired-within-bool"),
    pytest.param("due", {"show_all": "yes"}, "api.bad_type", "show_all", id="show-all-text"),
    pytest.param("summary", {"strict": 1}, "api.bad_type", "strict", id="strict-number"),
    pytest.param("due", {"plan_year": 1999}, "usage.number_range", "1999", id="plan-year-range"),
    pytest.param("due", {"plan_year": "2024"}, "api.bad_type", "plan_year", id="plan-year-text"),
    pytest.param("due", {"plan_year": 2040}, "api.plan_year_ahead", "2040", id="plan-year-ahead"),
    pytest.param("due", {"policy": 2024}, "api.bad_type", "policy", id="policy-number"),
    pytest.param("check", {"policy": "没有.toml"}, "policy.not_found", "没有.toml", id="policy-missing"),
    pytest.param("due", {"policy": policy_for(2024), "plan_year": 2025}, "api.policy_year", "2025", id="policy-other-year"),
    pytest.param("due", {"lang": "fr"}, "usage.bad_choice", "fr", id="lang-unknown"),
    pytest.param("check", {"encoding": "rot13"}, "usage.unknown_encoding", "rot13", id="encoding-not-text"),
    pytest.param("check", {"sheet": 1}, "api.bad_type", "sheet", id="sheet-number"),
    pytest.param("summary", {"by": "province"}, "usage.bad_choice", "province", id="by-unknown"),
]  # fmt: skip


@pytest.mark.parametrize(("function", "options", "message_id", "named"), BAD_VALUES)
def test_a_bad_value_raises_the_command_lines_message(
    capsys: pytest.CaptureFixture[str],
    function: str,
    options: dict[str, Any],
    message_id: str,
    named: str,
) -> None:
    call = getattr(renewal_cli, function)
    lang = options.get("lang", "en")
    with pytest.raises(UsageError) as caught:
        call(**{"as_of": AS_OF, "lang": lang, **options})
    error = caught.value
    assert error.message_id == message_id
    shown = Lang.ZH if lang == "fr" else Lang.EN
    assert str(error) == describe_error(error, shown)
    assert named in str(error)
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("named", "message_id"),
    [
        pytest.param(["-"], "api.stdin", id="stdin"),
        pytest.param([b"register.csv"], "api.bad_type", id="bytes"),
        pytest.param([None], "api.bad_type", id="none"),
        pytest.param(["fifo"], "api.stream", id="fifo"),
        pytest.param(["~$台账.xlsx"], "usage.only_lock_files", id="lock-file-only"),
        pytest.param(["empty"], "usage.empty_folder", id="empty-folder"),
    ],
)
def test_registers_the_api_cannot_read(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    named: list[Any],
    message_id: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    os.mkfifo("fifo")  # never opened: a FIFO without a writer would wait
    Path("~$台账.xlsx").write_bytes(b"\x00owner")
    Path("empty").mkdir()
    with pytest.raises(RenewalError) as caught:
        renewal_cli.check(*named, as_of=AS_OF)
    assert caught.value.message_id == message_id
    assert capsys.readouterr() == ("", "")


def test_errors_are_worded_in_chinese_by_default() -> None:
    with pytest.raises(UsageError, match="广西没有叫“Atlantis”的设区市"):
        renewal_cli.due(city="Atlantis", as_of=AS_OF)


def test_a_bad_policy_file_lists_each_fault(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[2024.green]\nlead_months = -3\n", "utf-8")
    with pytest.raises(UsageError) as caught:
        renewal_cli.due(policy=policy, as_of=AS_OF, lang="en")
    first, *faults = str(caught.value).splitlines()
    assert first == describe_error(caught.value, Lang.EN)
    assert any("lead_months" in line and "-3" in line for line in faults)


# --- No Typer, nothing loaded early, the names kept ---------------------------------------------


def _python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(SRC.parent)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("before", "shown", "expected"),
    [
        # A caller that froze nothing finds nothing frozen after the call: what it frees later
        # is still collected.
        pytest.param("", "gc.get_freeze_count()", "0", id="nothing-frozen"),
        # A caller that froze its own objects finds them still frozen: never unfrozen for it.
        pytest.param("gc.freeze()", "gc.get_freeze_count() > 0", "True", id="caller-froze"),
    ],
)
@pytest.mark.parametrize("call", ["due", "check", "summary"])
def test_the_api_leaves_the_collector_as_it_found_it(
    call: str, before: str, shown: str, expected: str
) -> None:
    code = (
        "import datetime, gc, renewal_cli\n"
        f"{before}\n"
        f"result = renewal_cli.{call}(as_of=datetime.date(2024, 6, 1))  # the sample register\n"
        f"print({shown})\n"
    )
    assert _python(code) == expected


def test_the_api_runs_without_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    code = (
        "import sys\n"
        "sys.modules['typer'] = None  # importing it now fails\n"
        "sys.modules['click'] = None\n"
        "from datetime import date\n"
        "import renewal_cli\n"
        "day = date(2024, 9, 10)\n"
        "due = renewal_cli.due('examples/sample_register.csv', city='百色', as_of=day)\n"
        "check = renewal_cli.check('examples/untidy_register.csv', as_of=day)\n"
        "summary = renewal_cli.summary(as_of=day, by='scheme')\n"
        "records = [x.record() for x in (*due.items, *check.problems, *summary.rows)]\n"
        "print(len(due.items), len(check.problems), len(summary.rows), len(records))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click')))\n"
    )
    counts, loaded = _python(code).splitlines()
    monkeypatch.chdir(ROOT)
    due = renewal_cli.due(SAMPLE, city="百色", as_of=AS_OF)
    check = renewal_cli.check(UNTIDY, as_of=AS_OF)
    summary = renewal_cli.summary(as_of=AS_OF, by="scheme")
    sizes = [len(due.items), len(check.problems), len(summary.rows)]
    assert counts.split() == [str(n) for n in (*sizes, sum(sizes))]
    assert all(sizes)
    assert loaded == "['click', 'typer']"  # only the two blocked entries: nothing imported


def test_importing_the_package_loads_nothing_else() -> None:
    code = "import sys, renewal_cli; print(sorted(m for m in sys.modules if 'renewal' in m))"
    assert _python(code) == "['renewal_cli']"


@pytest.mark.parametrize(
    "imports",
    [
        pytest.param("import renewal_cli.yearend, renewal_cli.crosscheck", id="modules-first"),
        pytest.param("renewal_cli.due; import renewal_cli.yearend", id="api-first"),
        pytest.param("import renewal_cli.cli", id="command-line-first"),
    ],
)
def test_no_module_hides_the_api_functions(imports: str) -> None:
    code = (
        f"import renewal_cli\n{imports}\n"
        "from renewal_cli.yearend import SummaryBy\n"
        "from renewal_cli import check, summary\n"
        "print(renewal_cli.check.__module__, renewal_cli.summary.__module__, check.__module__,"
        " summary.__module__, SummaryBy.CITY.value)\n"
    )
    assert _python(code) == "renewal_cli.api renewal_cli.api renewal_cli.api renewal_cli.api city"


@pytest.mark.parametrize("name", ["due", "check", "summary"])
def test_no_module_is_named_like_an_api_function(name: str) -> None:
    """A submodule named like a function would replace it on the package once imported."""
    assert not (SRC / f"{name}.py").exists()
    assert not (SRC / name).is_dir()


@pytest.mark.parametrize("command", ["due", "check", "summary", "rules"])
def test_commands_are_built_on_the_api_and_import_no_other_command(command: str) -> None:
    tree = ast.parse((SRC / "cli" / f"{command}.py").read_text("utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    commands = {"calendar", "check", "due", "mail", "notice", "notify", "report", "rules"}
    assert not {f"renewal_cli.cli.{name}" for name in commands | {"summary"}} & imported
    assert "renewal_cli.jobs" not in imported
    if command != "rules":  # rules reads no register
        assert "renewal_cli.api" in imported


# --- The README's example -----------------------------------------------------------------------


def _readme_examples() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    return [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if ">>> " in b]


def test_the_readme_example_is_real(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    (block,) = _readme_examples()
    test = doctest.DocTestParser().get_doctest(block, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert (failed, attempted) == (0, block.count(">>> "))
