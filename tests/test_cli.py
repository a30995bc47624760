"""The `renewal` command: wiring, streams, formats and exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from conftest import run
from renewal_cli import __version__
from renewal_cli.cli import app, today_in_china
from renewal_cli.models import RECORD_KEYS, Problem

HEADER = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期"
# On AS_OF 2024-06-01:
ROWS = [
    "G-PENDING,百色甲公司,芒果,绿色食品,百色,田阳县,2021-09-02,2024-09-01,",  # file_by 2024-06-01
    "G-LATE,百色乙公司,茶叶,绿色,百色市,右江区,2021-07-01,2024-06-30,",  # file_by 2024-03-30
    "G-EXPIRED,南宁丙公司,大米,绿色食品,南宁,横县,2021-05-01,2024-04-30,",
    "G-FILED,百色丁公司,沃柑,绿色食品,Baise,田东县,2021-08-01,2024-07-31,2024-04-01",
    "O-PENDING,崇左戊合作社,甘蔗,有机,崇左,扶绥县,2023-10-01,2024-09-30,",  # file_by 2024-05-30 -> late
    "BAD-DATE,某公司,茶叶,绿色食品,百色,田阳区,2021/13/45,,",
]
REGISTER = "\n".join([HEADER, *ROWS]) + "\n"
AS_OF = ["--as-of", "2024-06-01"]
RENEWALS = ["--kind", "renewal"]


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "台账.csv"
    path.write_bytes(REGISTER.encode("gbk"))
    return path


def test_json_has_the_stable_keys_and_values(runner: CliRunner, register: Path) -> None:
    result = run(
        runner, "due", str(register), "--all", "--kind", "renewal", "--format", "json", *AS_OF
    )
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    # The 14 keys of before keep their order; kind, as_of, plan_year, superseded_by follow
    # (issue 6), then submit_by and certifier (issue 8), then contact, phone, email (issue 11).
    assert RECORD_KEYS == (
        "cert_id",
        "enterprise",
        "product",
        "scheme",
        "city",
        "county",
        "issued_on",
        "expires_on",
        "file_by",
        "filed_on",
        "days_left",
        "status",
        "action",
        "flags",
        "kind",
        "as_of",
        "plan_year",
        "superseded_by",
        "submit_by",
        "certifier",
        "contact",
        "phone",
        "email",
    )
    assert all(tuple(item) == RECORD_KEYS for item in items)
    by_id = {i["cert_id"]: i for i in items}
    assert set(by_id) == {"G-PENDING", "G-LATE", "G-EXPIRED", "G-FILED", "O-PENDING"}
    assert by_id["G-PENDING"] == {
        "cert_id": "G-PENDING",
        "enterprise": "百色甲公司",
        "product": "芒果",
        "scheme": "green",
        "city": "百色市",
        "county": "田阳区",
        "issued_on": "2021-09-02",
        "expires_on": "2024-09-01",
        "file_by": "2024-06-01",
        "filed_on": None,
        "days_left": 0,
        "status": "pending",
        "action": "renew",
        # 田阳区 is a national_832 county: green food fees waived (issue 8).
        "flags": ["plan_cohort", "fee_waiver"],
        "kind": "renewal",
        "as_of": "2024-06-01",
        "plan_year": 2024,
        "superseded_by": None,
        # file_by 2024-06-01 is a Saturday: submit on Friday 05-31.
        "submit_by": "2024-05-31",
        "certifier": None,
        "contact": None,
        "phone": None,
        "email": None,
    }
    assert {k: (v["status"], v["action"]) for k, v in by_id.items()} == {
        "G-PENDING": ("pending", "renew"),
        "G-LATE": ("late", "new_application"),
        "G-EXPIRED": ("expired", "new_application"),
        "G-FILED": ("filed", "none"),
        "O-PENDING": ("late", "new_application"),
    }
    assert by_id["O-PENDING"]["flags"] == []
    assert by_id["G-EXPIRED"]["county"] == "横州市"
    # 右江区 is only an autonomous-region-level county: not a default fee-relief tier.
    assert by_id["G-LATE"]["flags"] == ["plan_cohort"]
    assert by_id["G-FILED"]["flags"] == ["plan_cohort", "fee_waiver"]


def test_every_kind_by_default(runner: CliRunner, register: Path) -> None:
    """Without --kind, green certificates also give their annual inspection (issue 8): one per
    certificate still valid on AS_OF, none for the expired one or the organic one."""
    result = run(runner, "due", str(register), "--all", "--format", "json", *AS_OF)
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    assert all(tuple(item) == RECORD_KEYS for item in items)
    got = {(i["cert_id"], i["kind"]): (i["status"], i["action"], i["file_by"]) for i in items}
    assert got == {
        ("G-PENDING", "renewal"): ("pending", "renew", "2024-06-01"),
        ("G-LATE", "renewal"): ("late", "new_application", "2024-03-30"),
        ("G-EXPIRED", "renewal"): ("expired", "new_application", "2024-01-30"),
        ("G-FILED", "renewal"): ("filed", "none", "2024-04-30"),
        ("O-PENDING", "renewal"): ("late", "new_application", "2024-05-30"),
        # The certificate year ends the day before the issue date's anniversary.
        ("G-PENDING", "annual_inspection"): ("pending", "inspect", "2024-09-01"),
        ("G-LATE", "annual_inspection"): ("pending", "inspect", "2024-06-30"),
        ("G-FILED", "annual_inspection"): ("pending", "inspect", "2024-07-31"),
    }
    submit = {(i["cert_id"], i["kind"]): i["submit_by"] for i in items}
    # 2024-06-30 and 2024-09-01 are Sundays: the Friday before.
    assert submit[("G-LATE", "annual_inspection")] == "2024-06-28"
    assert submit[("G-PENDING", "annual_inspection")] == "2024-08-30"
    assert submit[("G-FILED", "annual_inspection")] == "2024-07-31"


def test_stderr_reports_bad_rows_and_counts(runner: CliRunner, register: Path) -> None:
    result = run(runner, "due", str(register), "--format", "json", *AS_OF)
    assert result.exit_code == 0
    assert "第 7 行" in result.stderr
    assert "发证日期" in result.stderr and "2021/13/45" in result.stderr
    assert "6 行，5 个证书，1 行有问题" in result.stderr
    # The count line also names the header and the file's physical lines, and comes last.
    assert result.stderr.splitlines()[-1] == (
        f"{register}：6 行，5 个证书，1 行有问题；另有表头 1 行（文件共 7 行）"
    )
    json.loads(result.stdout)  # stdout holds only the data


def test_english_counts_line(runner: CliRunner, register: Path) -> None:
    result = run(runner, "due", str(register), "--lang", "en", "--format", "json", *AS_OF)
    assert "6 rows: 5 certificates, 1 problem" in result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"{register}: 6 rows: 5 certificates, 1 problem; also 1 header line (7 lines in the file)"
    )
    assert f"{register}:7: column '发证日期' (G), value '2021/13/45'" in result.stderr


def test_default_selection(runner: CliRunner, register: Path) -> None:
    result = run(runner, "due", str(register), "--kind", "renewal", "--format", "json", *AS_OF)
    ids = [i["cert_id"] for i in json.loads(result.stdout)]
    # ordered by file_by: expired (2024-01-30), late (03-30), organic late (05-30), pending (06-01)
    assert ids == ["G-EXPIRED", "G-LATE", "O-PENDING", "G-PENDING"]


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        pytest.param(["--city", "百色"], {"G-PENDING", "G-LATE"}, id="city-short"),
        pytest.param(["--city", "Baise"], {"G-PENDING", "G-LATE"}, id="city-pinyin"),
        pytest.param(
            ["--city", "百色市,南宁"], {"G-PENDING", "G-LATE", "G-EXPIRED"}, id="two-cities"
        ),
        pytest.param(["--county", "田阳县"], {"G-PENDING"}, id="former-county"),
        pytest.param(["--scheme", "organic"], {"O-PENDING"}, id="scheme"),
        pytest.param(["--scheme", "有机"], {"O-PENDING"}, id="scheme-register-spelling"),
        pytest.param(
            ["--status", "late,expired"], {"G-LATE", "G-EXPIRED", "O-PENDING"}, id="statuses"
        ),
        pytest.param(["--status", "已逾期"], {"G-LATE", "O-PENDING"}, id="status-chinese"),
        pytest.param(["--all", "--status", "filed"], {"G-FILED"}, id="all-filed"),
        pytest.param(["--flag", "plan_cohort"], {"G-PENDING", "G-LATE", "G-EXPIRED"}, id="flag"),
        pytest.param(["--flag", "next_h1"], set(), id="flag-none"),
        pytest.param(
            ["--expired-within", "10"], {"G-PENDING", "G-LATE", "O-PENDING"}, id="expired-within"
        ),
        pytest.param(["--within", "0", "--status", "pending"], {"G-PENDING"}, id="within-zero"),
        pytest.param(
            ["--as-of", "2024-05-31", "--status", "pending"], {"G-PENDING"}, id="as-of-override"
        ),
    ],
)
def test_filters(runner: CliRunner, register: Path, args: list[str], ids: set[str]) -> None:
    result = run(
        runner, "due", str(register), "--kind", "renewal", "--format", "json", *AS_OF, *args
    )
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    assert {i["cert_id"] for i in items} == ids
    assert {i["kind"] for i in items} <= {"renewal"}


@pytest.mark.parametrize(
    ("args", "found"),
    [
        pytest.param(
            ["--kind", "annual_inspection"],
            {
                ("G-PENDING", "annual_inspection"),
                ("G-LATE", "annual_inspection"),
                ("G-FILED", "annual_inspection"),
            },
            id="inspection-within-120-days",
        ),
        pytest.param(
            ["--kind", "年检"],
            {
                ("G-PENDING", "annual_inspection"),
                ("G-LATE", "annual_inspection"),
                ("G-FILED", "annual_inspection"),
            },
            id="kind-in-chinese",
        ),
        pytest.param(
            ["--kind", "renewal,annual_inspection", "--city", "南宁"],
            {("G-EXPIRED", "renewal")},
            id="two-kinds-one-city",
        ),
        pytest.param(["--kind", "transfer"], set(), id="no-transfer"),
        pytest.param(
            ["--flag", "fee_waiver"],
            {
                ("G-PENDING", "renewal"),
                ("G-PENDING", "annual_inspection"),
                ("G-FILED", "annual_inspection"),  # the renewal is filed: not shown by default
            },
            id="fee-waiver-every-kind",
        ),
        pytest.param(
            ["--all", "--flag", "fee_waiver", "--kind", "renewal"],
            {("G-PENDING", "renewal"), ("G-FILED", "renewal")},
            id="fee-waiver-all",
        ),
        pytest.param(["--flag", "fee_discount_35"], set(), id="no-organic-in-relief-county"),
    ],
)
def test_kind_filter(
    runner: CliRunner, register: Path, args: list[str], found: set[tuple[str, str]]
) -> None:
    result = run(runner, "due", str(register), "--format", "json", *AS_OF, *args)
    assert result.exit_code == 0, result.stderr
    assert {(i["cert_id"], i["kind"]) for i in json.loads(result.stdout)} == found


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        pytest.param(["--city", "百涩"], 2, "百色市", id="unknown-city-suggests"),
        pytest.param(["--city", "广州"], 2, "广州", id="unknown-city"),
        pytest.param(["--county", "田杨区"], 2, "田阳区", id="unknown-county-suggests"),
        pytest.param(["--status", "overdue"], 2, "pending, late, expired, filed", id="bad-status"),
        pytest.param(["--as-of", "2024-13-01"], 2, "YYYY-MM-DD", id="bad-as-of"),
        pytest.param(["--within", "-1"], 2, "--within", id="negative-within"),
        pytest.param(["--within", "3000000"], 2, "36500", id="huge-within"),
        pytest.param(
            ["--expired-within", "99999999"], 2, "--expired-within", id="huge-expired-within"
        ),
        pytest.param(["--format", "xml"], 2, "“xml”无效", id="bad-format"),
        pytest.param(["--lang", "fr"], 2, "--lang", id="bad-lang"),
        pytest.param(["--plan-year", "24"], 2, "24", id="bad-plan-year"),
        pytest.param(["--fail-on", "soon"], 2, "soon", id="bad-fail-on"),
        pytest.param(["--fail-on", "late"], 3, "已逾期", id="fail-on-hit"),
        pytest.param(["--fail-on", "late", "--lang", "en"], 3, "late", id="fail-on-hit-en"),
        pytest.param(["--fail-on", "late", "--status", "pending"], 0, "", id="fail-on-miss"),
        pytest.param(["--strict"], 1, "--strict", id="strict"),
        pytest.param(["--encoding", "utf-8"], 1, "第 1 行", id="wrong-encoding"),
    ],
)
def test_exit_codes(
    runner: CliRunner, register: Path, args: list[str], code: int, needle: str
) -> None:
    result = run(runner, "due", str(register), "--format", "json", *AS_OF, *args)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert needle in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "出错了" not in result.stderr
    if code in (1, 2):
        assert result.stdout == ""


@pytest.mark.parametrize(
    ("path", "code", "lang", "said"),
    [
        pytest.param("missing.csv", 1, "zh", "找不到台账文件：missing.csv", id="missing"),
        # A folder stands for the registers in it (issue 9); one with none is a usage error.
        pytest.param(
            "tests/golden/..",
            2,
            "zh",
            "文件夹 tests/golden/.. 中没有台账文件（.csv、.xlsx）",
            id="directory",
        ),
        pytest.param(
            "missing.csv", 1, "en", "register file not found: missing.csv", id="missing-en"
        ),
        pytest.param(
            "tests/golden/..",
            2,
            "en",
            "the folder tests/golden/.. holds no register (.csv, .xlsx)",
            id="directory-en",
        ),
    ],
)
def test_unreadable_register_exit_1(
    runner: CliRunner, path: str, code: int, lang: str, said: str
) -> None:
    """A file that cannot be read is one problem, reported like the others: exit 1."""
    result = run(runner, "due", path, "--lang", lang, *AS_OF)
    assert result.exit_code == code
    assert path in result.stderr and result.stdout == ""
    assert result.stderr.splitlines()[0] == said
    assert "Traceback" not in result.stderr and "出错了" not in result.stderr


def test_missing_column_names_it_and_its_aliases(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("企业名称,产品名称,认证类型,市,有效期至\n甲,乙,绿色,百色,2024-01-01\n")
    result = run(runner, "due", str(path), *AS_OF)
    assert result.exit_code == 1 and result.stdout == ""
    assert "证书编号" in result.stderr and "certificate_id" in result.stderr
    assert "出错了" not in result.stderr and "Traceback" not in result.stderr


def test_stdin(runner: CliRunner) -> None:
    result = run(
        runner,
        "due",
        "-",
        "--all",
        "--kind",
        "renewal",
        "--format",
        "json",
        *AS_OF,
        input=REGISTER.encode("gb18030"),
    )
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 5
    assert "<stdin>" in result.stderr


def test_sample_register_is_used_and_announced(runner: CliRunner) -> None:
    result = run(runner, "due", "--city", "百色", "--format", "json", "--as-of", "2026-11-29")
    assert result.exit_code == 0
    assert "示例" in result.stderr
    items = json.loads(result.stdout)
    assert items and {i["city"] for i in items} == {"百色市"}


def test_register_from_environment(runner: CliRunner, register: Path) -> None:
    result = run(
        runner,
        "due",
        "--all",
        "--kind",
        "renewal",
        "--format",
        "json",
        *AS_OF,
        env={"RENEWAL_REGISTER": str(register)},
    )
    assert len(json.loads(result.stdout)) == 5 and "示例" not in result.stderr


def test_sample_register_is_the_examples_file() -> None:
    shipped = Path(__file__).parents[1] / "src" / "renewal_cli" / "data" / "sample_register.csv"
    example = Path(__file__).parents[1] / "examples" / "sample_register.csv"
    assert shipped.read_bytes() == example.read_bytes()


@pytest.mark.parametrize(
    ("lang", "first_header", "status"),
    [
        pytest.param("zh", "证书编号", "待申报", id="zh"),
        pytest.param("en", "cert_id", "pending", id="en"),
    ],
)
def test_csv(runner: CliRunner, register: Path, lang: str, first_header: str, status: str) -> None:
    result = run(
        runner,
        "due",
        str(register),
        "--format",
        "csv",
        "--lang",
        lang,
        "--status",
        "pending",
        "--kind",
        "renewal",
        *AS_OF,
    )
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][0] == first_header and len(rows[0]) == len(RECORD_KEYS) == 23
    assert len(rows) == 2 and status in rows[1]


def test_lang_from_environment(runner: CliRunner, register: Path) -> None:
    result = run(
        runner, "due", str(register), "--format", "csv", *AS_OF, env={"RENEWAL_LANG": "en"}
    )
    assert result.stdout.startswith("cert_id,")


def test_output_file_is_written_with_bom_for_excel(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    out = tmp_path / "due.csv"
    result = run(runner, "due", str(register), "--format", "csv", "-o", str(out), *AS_OF)
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_bytes().startswith("\ufeff证书编号".encode())
    assert str(out) in result.stderr


def test_unwritable_output_exit_1(runner: CliRunner, register: Path, tmp_path: Path) -> None:
    result = run(
        runner, "due", str(register), "-o", str(tmp_path / "no" / "such" / "x.json"), *AS_OF
    )
    assert result.exit_code == 1 and "无法写入" in result.stderr


def test_table_is_plain_and_escapes_markup(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        f"{HEADER}\nX1,[bold]坏[/]公司[/red],茶叶,绿色食品,百色,田阳区,2021-09-02,2024-09-01,\n"
    )
    result = run(runner, "due", str(path), "--kind", "renewal", *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "[bold]坏[/]公司[/red]" in result.stdout
    assert "\x1b[" not in result.stdout
    assert "截至 2024-06-01" in result.stdout and "2024 年工作方案" in result.stdout
    assert "待申报 1" in result.stdout
    assert "今天截止" in result.stdout  # file-by day 2024-06-01 is AS_OF
    # ... a Saturday: the table adds the working day to submit by (issue 8).
    assert "提交 05-31" in result.stdout


# File-by days that are not working days: 2024-03-30 and 2024-06-01 are Saturdays.
SUBMIT_BY = {"G-LATE": "2024-03-29", "G-PENDING": "2024-05-31"}


@pytest.mark.parametrize(
    ("as_of", "lang", "texts"),
    [
        pytest.param(
            "2024-06-01",
            "zh",
            {
                "G-EXPIRED": "过期32天",
                "G-LATE": "已过63天",
                "G-FILED": "已于 2024-04-01 申报",
                "O-PENDING": "已过2天",
                "G-PENDING": "今天截止",
            },
            id="zh",
        ),
        pytest.param(
            "2024-05-01",
            "zh",
            {
                "G-EXPIRED": "过期1天",
                "G-LATE": "已过32天",
                "O-PENDING": "还剩29天",
                "G-PENDING": "还剩31天",
            },
            id="zh-earlier",
        ),
        pytest.param(
            "2024-06-01",
            "en",
            {"G-FILED": "filed on 2024-04-01", "G-PENDING": "due today"},
            id="en",
        ),
    ],
)
def test_table_day_counts(
    runner: CliRunner, register: Path, as_of: str, lang: str, texts: dict[str, str]
) -> None:
    """Days left for pending, past the deadline for late, since expiry for expired."""
    result = run(
        runner,
        "due",
        str(register),
        "--all",
        "--kind",
        "renewal",
        "--lang",
        lang,
        "--as-of",
        as_of,
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    submit = "提交" if lang == "zh" else "hand in"
    for cert_id, said in texts.items():
        (at,) = [n for n, line in enumerate(lines) if f" {cert_id} " in line]
        pending = said.startswith(("还剩", "今天截止", "due today")) or said.endswith("left")
        if cert_id in SUBMIT_BY and pending:
            # A file-by day off work: the working day to hand it in comes first (issue 8), for
            # what is still to be filed only.
            day = SUBMIT_BY[cert_id][5:]
            assert lines[at + 1].startswith(f"{submit} {day}  "), lines[at + 1]
            at += 1
        else:
            assert not lines[at + 1].startswith(submit), (cert_id, lines[at + 1])
        # The words fill the first cell (a line may end there: the table strips its padding).
        assert (lines[at + 1] + "  ").startswith(said + "  "), (cert_id, lines[at : at + 2])


def test_table_empty_selection(runner: CliRunner, register: Path) -> None:
    result = run(runner, "due", str(register), "--scheme", "organic", "--status", "pending", *AS_OF)
    assert result.exit_code == 0 and "没有符合条件" in result.stdout


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout


def test_every_command_and_option_has_help(runner: CliRunner) -> None:
    import typer.main

    command = typer.main.get_command(app)
    assert command.help
    for name, sub in command.commands.items():  # type: ignore[attr-defined]
        assert sub.help, name
        for param in sub.params:
            if param.param_type_name == "option":
                assert param.help, f"{name} {param.name}"


@pytest.mark.parametrize(
    ("moment", "today"),
    [
        pytest.param(
            datetime(2024, 5, 31, 16, 30, tzinfo=UTC), date(2024, 6, 1), id="0030-beijing-on-utc"
        ),
        pytest.param(
            datetime(2024, 5, 31, 15, 59, tzinfo=UTC), date(2024, 5, 31), id="2359-beijing"
        ),
        pytest.param(datetime(2024, 12, 31, 16, 0, tzinfo=UTC), date(2025, 1, 1), id="new-year"),
    ],
)
def test_today_is_in_china(moment: datetime, today: date) -> None:
    assert today_in_china(moment) == today


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "UTC", "Pacific/Kiritimati"])
def test_today_default_ignores_machine_time_zone(zone: str) -> None:
    env = {**os.environ, "TZ": zone}
    code = "from renewal_cli.cli import today_in_china; print(today_in_china())"
    before = (datetime.now(UTC) + timedelta(hours=8)).date()
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    after = (datetime.now(UTC) + timedelta(hours=8)).date()
    # China has kept UTC+8 without daylight saving since 1991.
    assert date.fromisoformat(out.stdout.strip()) in {before, after}


def test_python_dash_m(register: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "renewal_cli",
            "due",
            str(register),
            "-f",
            "json",
            *RENEWALS,
            *AS_OF,
        ],
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert out.returncode == 0
    assert len(json.loads(out.stdout)) == 4


@pytest.mark.parametrize("columns", ["60", "72", "80", "100", "200"])
def test_narrow_tables_never_drop_characters(
    runner: CliRunner, tmp_path: Path, columns: str
) -> None:
    path = tmp_path / "r.csv"
    name = "隆林清泉种养专业合作社联合社第二分社"
    path.write_text(
        f"{HEADER}\nX1,{name},罗汉果茶叶,绿色食品,百色,隆林各族自治县,2021-09-02,2024-09-01,\n"
    )
    result = run(runner, "due", str(path), *AS_OF, env={"COLUMNS": columns})
    assert result.exit_code == 0
    body = "".join(result.stdout.split())  # folded cells: join the pieces back
    for text in (name, "罗汉果茶叶", "隆林各族自治县", "X1", "2024-09-01"):
        assert all(body.count(ch) >= text.count(ch) for ch in text), (text, result.stdout)
    if int(columns) >= 80:  # from 80 columns up the table fits the terminal
        assert max(cell_len(line) for line in result.stdout.splitlines()) <= int(columns)


def test_count_line_is_the_last_line_of_stderr(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("台账标题\n" + REGISTER + ",,,,,,,,\n")
    out = tmp_path / "out.json"
    result = run(
        runner, "due", str(path), "-f", "json", "-o", str(out), "--fail-on", "late", *AS_OF
    )
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert lines[-1].endswith(
        "6 行，5 个证书，1 行有问题；另有表头 1 行，表头上方标题 1 行，空行或只有序号的行 1 行（文件共 9 行）"
    )
    assert any("标题" in line for line in lines) and any("空行" in line for line in lines)


def test_output_over_the_register_is_refused(runner: CliRunner, register: Path) -> None:
    before = register.read_bytes()
    result = run(runner, "due", str(register), "-f", "csv", "-o", str(register), *AS_OF)
    assert result.exit_code == 2 and "覆盖" in result.stderr
    assert register.read_bytes() == before


def test_filing_before_issue_is_ignored_with_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        f"{HEADER}\nO1,某合作社,茶叶,有机,百色,田阳区,2024-03-05,2025-03-04,2023-10-01\n"
    )
    result = run(runner, "due", str(path), "-f", "json", "--as-of", "2024-10-01")
    assert result.exit_code == 0
    (item,) = json.loads(result.stdout)
    assert (item["status"], item["filed_on"]) == ("pending", None)
    assert "提醒" in result.stderr and "2023-10-01" in result.stderr


def test_table_colours_only_the_status_on_a_terminal(register: Path) -> None:
    from renewal_cli.messages import Lang
    from renewal_cli.output.table import render_table
    from renewal_cli.places import guangxi
    from renewal_cli.policy import policy_for
    from renewal_cli.register import open_register
    from renewal_cli.rules import Selection, select

    policy = policy_for(2024)
    certificates = [
        e
        for e in open_register(register, policy=policy, places=guangxi())
        if not isinstance(e, Problem)
    ]
    items = select(certificates, date(2024, 6, 1), policy, Selection(all=True))
    coloured = render_table(
        items,
        as_of=date(2024, 6, 1),
        plan_year=2024,
        plan_used=2024,
        lang=Lang.ZH,
        color=True,
        width=100,
    )
    plain = render_table(
        items,
        as_of=date(2024, 6, 1),
        plan_year=2024,
        plan_used=2024,
        lang=Lang.ZH,
        color=False,
        width=100,
    )
    assert "\x1b[33m待申报\x1b[0m" in coloured and "\x1b[35m已过期\x1b[0m" in coloured
    assert "\x1b" not in plain
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
