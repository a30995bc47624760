"""`renewal check` and output for spreadsheets (issue 9): every planted problem on its line, the
exit code by severity, and workbooks and CSV that Excel, WPS and LibreOffice open safely."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import run
from renewal_cli.messages import Lang
from renewal_cli.models import Problem, ProblemCode
from renewal_cli.present import describe_problem

HEADER = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期"
# Each planted problem: the line it is on and the code `check` must give there.
PLANTED = [
    (2, "LB-1,甲公司,芒果,绿色食品,百色,田阳区,2021-03-05,2024-03-04,", None),
    (3, "LB-1,甲公司,芒果,绿色食品,百色,田阳区,2021-03-05,2024-03-04,", "duplicate"),
    (4, "LB-2,乙公司,茶叶,绿色食品,百色,田阳区,2021-03-05,2024-03-05,", "expiry_mismatch"),
    (5, "LB-3,丙公司,龙眼,绿色食品,百色,田杨,2021-03-05,2024-03-04,", "unknown_county"),
    (6, "LB-4,丁公司,香蕉,绿色食品,百色,田东县,2021-03-05,2024-03-04,2024-04-01", None),
    (7, "LB-5,丁公司,香蕉,绿色食品,百色,田东县,2023-01-01,2026-12-31,", "overlap"),
    (8, "LB-6,戊公司,柑橘,绿色食品,百色,德保县,2021/13/1,,", "bad_date"),
    (9, "合计,,,,,,,,", "summary_row"),
]
CODES_BY_LINE = {line: code for line, _, code in PLANTED if code}


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "台账.csv"
    path.write_bytes(("\n".join([HEADER, *(row for _, row, _ in PLANTED)]) + "\n").encode("gbk"))
    return path


def _problems(runner: Any, register: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = run(runner, "check", str(register), "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def test_check_finds_every_planted_problem_on_its_line(runner: Any, register: Path) -> None:
    code, problems = _problems(runner, register)
    assert code == 1  # errors among them
    found = {(p["line"], p["code"]) for p in problems}
    assert set(CODES_BY_LINE.items()) <= found
    # 6's filing after expiry is a warning too.
    assert (6, "filed_after_expiry") in found
    for p in problems:
        assert set(p) == {"file", "line", "column", "value", "severity", "code", "message"}
        assert p["file"] == str(register) and p["severity"] in ("error", "warning")
        assert not p["message"].startswith((p["file"], "提醒"))  # the place is in file, line


@pytest.mark.parametrize(
    ("line", "column", "value"),
    [
        pytest.param(3, "A", "LB-1", id="repeat-names-its-cell"),
        pytest.param(5, "F", "田杨", id="unknown-county-cell"),
        pytest.param(8, "G", "2021/13/1", id="bad-date-cell"),
    ],
)
def test_check_names_the_column_and_value(
    runner: Any, register: Path, line: int, column: str, value: str
) -> None:
    _, problems = _problems(runner, register)
    (hit,) = [p for p in problems if p["line"] == line and p["severity"] == "error"]
    assert (hit["column"], hit["value"]) == (column, value)


def test_unknown_places_come_with_the_nearest_names(runner: Any, register: Path) -> None:
    _, problems = _problems(runner, register)
    (hit,) = [p for p in problems if p["code"] == "unknown_county"]
    assert "最接近的：田阳区" in hit["message"]


@pytest.mark.parametrize(
    ("nearest", "lang", "message"),
    [
        ("田阳区", Lang.ZH, "不是广西的县（市、区）（最接近的：田阳区），本行已跳过"),
        ("田阳区", Lang.EN, "not a county of Guangxi (nearest: 田阳区); row left out"),
        # Nothing near (a place of another province, a number): no empty brackets.
        ("", Lang.ZH, "不是广西的县（市、区），本行已跳过"),
        ("", Lang.EN, "not a county of Guangxi; row left out"),
    ],
)
def test_an_unknown_place_names_the_nearest_only_when_there_are_some(
    nearest: str, lang: Lang, message: str
) -> None:
    problem = Problem(
        source="r.csv", line=3, code=ProblemCode.UNKNOWN_COUNTY, detail={"nearest": nearest}
    )
    assert describe_problem(problem, lang).endswith(message)


@pytest.mark.parametrize(
    ("rows", "exit_code"),
    [
        pytest.param([PLANTED[0][1]], 0, id="clean"),
        pytest.param([PLANTED[0][1], PLANTED[2][1]], 0, id="warnings-only"),
        pytest.param([PLANTED[0][1], PLANTED[1][1]], 1, id="an-error"),
    ],
)
def test_exit_code_by_severity(
    runner: Any, tmp_path: Path, rows: list[str], exit_code: int
) -> None:
    path = tmp_path / "r.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    result = run(runner, "check", str(path))
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        pytest.param("zh", ("错误", "提醒", "重复：1", "共 3 个错误")),
        pytest.param("en", ("error", "warning", "repeat: 1", "3 errors")),
    ],
)
def test_check_table_groups_by_row_and_counts_by_kind(
    runner: Any, register: Path, lang: str, words: tuple[str, ...]
) -> None:
    result = run(runner, "check", str(register), "--lang", lang)
    for word in words:
        assert word in result.stdout, result.stdout
    # One heading per row, its problems indented under it.
    assert result.stdout.count(f"{register}") >= len(CODES_BY_LINE)


@pytest.mark.parametrize(
    ("name", "body", "heading", "words"),
    [
        pytest.param("缺失.csv", None, "{path}", "找不到台账文件", id="missing-file"),
        # No header: told at the line most like one.
        pytest.param("无表头.csv", "a,b\n1,2\n", "{path} 第 1 行", "找不到表头", id="no-header"),
        pytest.param(
            "坏日期.csv",
            "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至\n"
            "LB-45-21010000001A,某园,绿茶,绿色食品,百色,右江区,2021-02-30,\n",
            "{path} 第 2 行",
            "不是有效日期",
            id="a-row",
        ),
    ],
)
def test_check_table_heads_a_whole_file_problem_with_the_file_alone(
    runner: Any, tmp_path: Path, name: str, body: str | None, heading: str, words: str
) -> None:
    """A problem of the whole file has no line: its heading is the file, never "第 0 行"."""
    path = tmp_path / name
    if body is not None:
        path.write_text(body, encoding="utf-8")
    result = run(runner, "check", str(path))
    lines = result.stdout.splitlines()
    assert lines[0] == heading.format(path=path), result.stdout
    assert words in lines[1]
    assert "第 0 行" not in result.stdout


# --- Output for spreadsheets ---------------------------------------------------------------------

GOLDEN_REGISTER = Path(__file__).parent / "golden" / "register.csv"


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["due", str(GOLDEN_REGISTER), "--all"], id="due"),
        pytest.param(["summary", str(GOLDEN_REGISTER)], id="summary"),
        pytest.param(["check", str(GOLDEN_REGISTER)], id="check"),
    ],
)
def test_xlsx_output_is_a_safe_workbook(runner: Any, tmp_path: Path, command: list[str]) -> None:
    out = tmp_path / "out.xlsx"
    result = run(runner, *command, "--as-of", "2026-11-29", "--format", "xlsx", "-o", str(out))
    assert result.exit_code in (0, 1), result.output
    data = out.read_bytes()
    xml = _sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml  # no cell is a formula
    assert "autoFilter" in xml and 'topLeftCell="A2"' in xml  # filter, frozen header
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet.max_row >= 2
    widths = [sheet.column_dimensions[c].width for c in "ABC"]
    assert all(w and w >= 6 for w in widths)


def test_xlsx_items_keep_types_and_text(runner: Any, tmp_path: Path) -> None:
    out = tmp_path / "due.xlsx"
    args = ["due", str(GOLDEN_REGISTER), "--all", "--as-of", "2026-11-29"]
    result = run(runner, *args, "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    rows = [{h: c for h, c in zip(headers, r, strict=True)} for r in sheet.iter_rows(min_row=2)]
    formula = [r for r in rows if str(r["产品名称"].value).startswith("=")]
    assert formula and all(r["产品名称"].data_type == "s" for r in formula)
    assert all(r["有效期至"].is_date for r in rows if r["有效期至"].value)
    assert all(isinstance(r["剩余天数"].value, int) for r in rows)
    assert all(isinstance(r["工作方案年度"].value, int) for r in rows)
    fills = {r["状态"].value: r["状态"].fill.start_color.rgb for r in rows}
    assert len(set(fills.values())) >= 3  # a colour per status


def test_xlsx_is_refused_on_a_terminal_only(runner: Any) -> None:
    # Not a terminal here (CliRunner): the workbook goes to stdout, for a pipe.
    result = run(runner, "due", str(GOLDEN_REGISTER), "--as-of", "2026-11-29", "-f", "xlsx")
    assert result.exit_code == 0 and result.stdout_bytes.startswith(b"PK")


@pytest.mark.parametrize(
    ("args", "encoding", "bom"),
    [
        pytest.param([], "utf-8", False, id="stdout-plain"),
        pytest.param(["--bom"], "utf-8", True, id="stdout-bom"),
        pytest.param(["--out-encoding", "gb18030"], "gb18030", False, id="gb18030"),
        pytest.param(["--out-encoding", "GBK"], "gb18030", False, id="gbk-is-gb18030"),
    ],
)
def test_csv_for_excel_and_wps(runner: Any, args: list[str], encoding: str, bom: bool) -> None:
    base = ["due", str(GOLDEN_REGISTER), "--all", "--as-of", "2026-11-29", "-f", "csv"]
    result = run(runner, *base, *args)
    assert result.exit_code == 0, result.output
    data = result.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbf") == bom
    text = data.removeprefix(b"\xef\xbb\xbf").decode(encoding)
    assert text.startswith("证书编号,企业名称")


def test_bad_out_encoding_is_a_usage_error(runner: Any) -> None:
    result = run(runner, "due", str(GOLDEN_REGISTER), "-f", "csv", "--out-encoding", "latin-1")
    assert result.exit_code == 2 and "--out-encoding" in result.stderr
