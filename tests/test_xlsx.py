"""Issue 9, .xlsx registers and several registers in one run, on workbooks built in the tests.

Every workbook here is written with openpyxl from a table of rows that says what each row
means; the same table also gives the CSV export a county office would send (GBK, every merged
cell unmerged and filled), so the two sources can be compared: they must give identical items,
identical JSON and the same problems on the same lines. The workbooks carry what real registers
carry: a title row merged across the columns, a two-row header with merged group cells
(所在地 over 市/县区, 证书有效期 over 发证日期/有效期至), one holder merged over several product
rows, real date cells, a date typed as text, an Excel serial number in a date column, an
18-digit certificate number (as text and as a number), a number with leading zeros, hidden
sheets and several sheets.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from conftest import D, run
from renewal_cli.models import Certificate, Problem, ProblemCode
from renewal_cli.places import guangxi
from renewal_cli.policy import policy_for
from renewal_cli.register import open_register

AS_OF = "2024-06-01"
EXCEL_EPOCH = date(1899, 12, 30)
DUE = ("due", "--all", "--format", "json", "--as-of", AS_OF, "--kind", "renewal")


@dataclass(frozen=True)
class Serial:
    """A date stored as an Excel serial number in a plain number cell (General format).

    The CSV export shows the date (the column is formatted as a date in the office's copy)."""

    day: date

    @property
    def number(self) -> int:
        return (self.day - EXCEL_EPOCH).days


Cell = str | int | date | Serial | None


@dataclass
class Sheet:
    """One sheet: `rows` says what every cell means (merged cells filled); `merges` are the
    ranges merged in the workbook, whose cells other than the top-left one are left empty."""

    name: str
    rows: list[list[Cell]]
    merges: tuple[str, ...] = ()
    hidden: bool = False
    start: int = 1
    """The sheet row of rows[0]."""


def _xlsx_value(value: Cell) -> object:
    if isinstance(value, Serial):
        return value.number
    return value


def _csv_value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Serial):
        return value.day.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_xlsx(path: Path, sheets: Sequence[Sheet], *, macro: bool = False) -> Path:
    """The sheets as a workbook. Integers are written whole into the sheet XML, as Excel does
    for a number of 15 digits and as WPS and other writers do for longer ones (openpyxl itself
    writes "%.16g")."""
    book = Workbook()
    book.remove(book.active)
    big: set[int] = set()
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        for r, row in enumerate(sheet.rows, start=sheet.start):
            for c, value in enumerate(row, start=1):
                if value is not None and value != "":
                    ws.cell(row=r, column=c, value=_xlsx_value(value))
                if isinstance(value, int) and abs(value) >= 10**15:
                    big.add(value)
        for cells in sheet.merges:
            ws.merge_cells(cells)
        if sheet.hidden:
            ws.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if big or macro:
        data = _rewrite(data, big, macro)
    path.write_bytes(data)
    return path


def _rewrite(data: bytes, big: set[int], macro: bool) -> bytes:
    """Exact integers in the sheet XML; for `macro`, the parts of a macro workbook (.xlsm)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                text = body.decode("utf-8")
                for number in big:
                    text = text.replace(f"<v>{number:.16g}</v>", f"<v>{number}</v>")
                body = text.encode("utf-8")
            if macro and info.filename == "[Content_Types].xml":
                text = body.decode("utf-8").replace(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
                text = text.replace(
                    "</Types>",
                    '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                    "</Types>",
                )
                body = text.encode("utf-8")
            dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
        if macro:
            dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    return out.getvalue()


def write_csv(path: Path, sheet: Sheet, encoding: str = "gbk") -> Path:
    """The sheet as Excel/WPS export it to CSV (CRLF lines), merged cells filled."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for row in sheet.rows:
        writer.writerow([_csv_value(v) for v in row])
    path.write_bytes(text.getvalue().encode(encoding))
    return path


# --- The register of the comparison ----------------------------------------------------------

TITLE = "百色市绿色食品、有机农产品证书台账（2024年6月）"
TOP: list[Cell] = [
    "序号",
    "证书编号",
    "企业名称",
    "产品名称",
    "认证类型",
    "所在地",
    "所在地",
    "证书有效期",
    "证书有效期",
    "续展申请日期",
]
SUB: list[Cell] = [
    "序号",
    "证书编号",
    "企业名称",
    "产品名称",
    "认证类型",
    "市",
    "县区",
    "发证日期",
    "有效期至",
    "续展申请日期",
]
# The 18-digit numbers: as floats they would read 1.12E+17.
LONG_TEXT = "112023000000012345"
LONG_INT = 112023000000012346
ZEROS = "0120OP2300015"

DATA: list[list[Cell]] = [
    # Sheet rows 4–7: one holder merged over four products (holder, scheme, city, county).
    [1, "LB-45-21030512345A", "甲公司", "芒果", "绿色食品", "百色市", "田阳区", D("2021-03-05"),
     D("2024-03-04"), None],
    [2, "LB-45-21030512346A", "甲公司", "龙眼", "绿色食品", "百色市", "田阳区", D("2021-03-05"),
     D("2024-03-04"), D("2023-11-20")],
    [3, "LB-45-22061012347A", "甲公司", "香蕉", "绿色食品", "百色市", "田阳区", D("2022-06-10"),
     D("2025-06-09"), None],
    [4, "LB-45-23011012348A", "甲公司", "百香果", "绿色食品", "百色市", "田阳区", "2023年1月10日",
     D("2026-01-09"), None],
    # Row 8: Excel serial numbers in the expiry and filing columns.
    [5, "LB-45-21090112349A", "乙合作社", "茶叶", "绿色食品", "百色市", "右江区", D("2021-09-01"),
     Serial(D("2024-08-31")), Serial(D("2024-05-20"))],
    # Rows 9–10: one holder over two organic products, 18-digit numbers as text and as a number.
    [6, LONG_TEXT, "丙公司", "蜂蜜", "有机农产品", "百色市", "田东县", D("2023-09-01"),
     D("2024-08-31"), None],
    [7, LONG_INT, "丙公司", "蜂王浆", "有机农产品", "百色市", "田东县", D("2023-09-01"),
     D("2024-08-31"), None],
    # Row 11: leading zeros kept as text.
    [8, ZEROS, "丁公司", "大米", "有机农产品", "百色市", "凌云县", D("2023-10-01"),
     D("2024-09-30"), D("2024-05-06")],
    # Row 12: the summary row at the bottom.
    ["合计", "共 8 个证书", None, None, None, None, None, None, None, None],
]  # fmt: skip

REGISTER = Sheet(
    "台账",
    [[TITLE, *[TITLE] * 9], TOP, SUB, *DATA],
    merges=(
        "A1:J1",
        *(f"{c}2:{c}3" for c in "ABCDEJ"),
        "F2:G2",
        "H2:I2",
        *(f"{c}4:{c}7" for c in "CEFG"),
        *(f"{c}9:{c}10" for c in "CEFG"),
    ),
)
# The CSV export: a merged title or group cell keeps its text in its first cell only.
EXPORT = Sheet(
    "台账",
    [
        [TITLE, *[None] * 9],
        [*TOP[:6], None, "证书有效期", None, TOP[9]],
        [None] * 5 + SUB[5:9] + [None],
        *DATA,
    ],
)


@dataclass(frozen=True)
class Expected:
    line: int
    cert_id: str
    enterprise: str
    product: str
    county: str
    issued_on: str
    expires_on: str
    filed_on: str | None = None
    scheme: str = "green"


EXPECTED = [
    Expected(4, "LB-45-21030512345A", "甲公司", "芒果", "田阳区", "2021-03-05", "2024-03-04"),
    Expected(5, "LB-45-21030512346A", "甲公司", "龙眼", "田阳区", "2021-03-05", "2024-03-04",
             "2023-11-20"),
    Expected(6, "LB-45-22061012347A", "甲公司", "香蕉", "田阳区", "2022-06-10", "2025-06-09"),
    Expected(7, "LB-45-23011012348A", "甲公司", "百香果", "田阳区", "2023-01-10", "2026-01-09"),
    Expected(8, "LB-45-21090112349A", "乙合作社", "茶叶", "右江区", "2021-09-01", "2024-08-31",
             "2024-05-20"),
    Expected(9, LONG_TEXT, "丙公司", "蜂蜜", "田东县", "2023-09-01", "2024-08-31",
             scheme="organic"),
    Expected(10, str(LONG_INT), "丙公司", "蜂王浆", "田东县", "2023-09-01", "2024-08-31",
             scheme="organic"),
    Expected(11, ZEROS, "丁公司", "大米", "凌云县", "2023-10-01", "2024-09-30", "2024-05-06",
             scheme="organic"),
]  # fmt: skip
EXPECTED_IDS = [
    "merged-holder-top",
    "merged-holder-2nd",
    "merged-holder-3rd",
    "text-date-under-merge",
    "serial-number-dates",
    "18-digit-text",
    "18-digit-number",
    "leading-zeros",
]


@dataclass
class Read:
    certificates: list[Certificate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: bool = False
    lines: int = 0


def read(source: Path | bytes, *, sheet: str | None = None, name: str | None = None) -> Read:
    register = open_register(
        source, policy=policy_for(2024), places=guangxi(), sheet=sheet, name=name
    )
    out = Read()
    for entry in register:
        if isinstance(entry, Problem):
            out.problems.append(entry)
        else:
            out.certificates.append(entry)
    out.failed = register.failed
    out.lines = register.counts.lines
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The register as .xlsx, .xlsm and CSV in three encodings (written once for the module)."""
    folder = tmp_path_factory.mktemp("register")
    return {
        "xlsx": write_xlsx(folder / "台账.xlsx", [REGISTER]),
        "xlsm": write_xlsx(folder / "台账.xlsm", [REGISTER], macro=True),
        "gbk": write_csv(folder / "台账-gbk.csv", EXPORT, "gbk"),
        "gb18030": write_csv(folder / "台账-gb18030.csv", EXPORT, "gb18030"),
        "utf-8-sig": write_csv(folder / "台账-bom.csv", EXPORT, "utf-8-sig"),
    }


# --- Every row of the workbook reads as the office typed it -----------------------------------


@pytest.mark.parametrize(
    "expected", [pytest.param(e, id=i) for e, i in zip(EXPECTED, EXPECTED_IDS, strict=True)]
)
def test_every_row_reads_as_typed(files: dict[str, Path], expected: Expected) -> None:
    got = read(files["xlsx"])
    by_line = {c.line: c for c in got.certificates}
    assert expected.line in by_line, f"sheet row {expected.line} gave no certificate"
    c = by_line[expected.line]
    assert (c.cert_id, c.enterprise, c.product, c.scheme.value) == (
        expected.cert_id,
        expected.enterprise,
        expected.product,
        expected.scheme,
    )
    assert (c.city, c.county) == ("百色市", expected.county)
    assert c.issued_on == D(expected.issued_on)
    assert c.expires_on == D(expected.expires_on)
    assert c.filed_on == (D(expected.filed_on) if expected.filed_on else None)


def test_whole_workbook_reads_without_problems(files: dict[str, Path]) -> None:
    """Merged holders fill every row (no MERGED_CELLS for a workbook), the summary row is no
    certificate, no number reads as 1.12E+17, and the count of sheet rows is the last row."""
    got = read(files["xlsx"])
    assert [p.code for p in got.problems] == []
    assert [c.line for c in got.certificates] == [e.line for e in EXPECTED]
    assert not any(re.search(r"[eE][+-]?\d", c.cert_id) for c in got.certificates)
    assert got.lines == 12


@pytest.mark.parametrize(
    ("xml", "digits"),
    [
        pytest.param("112023000000012346", "112023000000012346", id="whole-integer"),
        pytest.param("1.12023000000001E+17", "112023000000001000", id="excel-15-digits"),
        pytest.param("1.120230000000124e+17", "112023000000012400", id="openpyxl-16-digits"),
    ],
)
def test_long_number_cell_never_reads_in_e_notation(tmp_path: Path, xml: str, digits: str) -> None:
    """A certificate number typed into a number cell: Excel keeps 15 significant digits and
    writes them in E notation; the register must still hold digits, never 1.12E+17."""
    path = write_xlsx(tmp_path / "long.xlsx", [one_register("台账", "PLACEHOLDER", "蜂蜜")])
    data = _replace_in_sheets(
        path.read_bytes(),
        '<c r="A2" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>',
        f'<c r="A2" t="n"><v>{xml}</v></c>',
    )
    got = read(data, name="long.xlsx")
    assert len(got.certificates) == 1, got.problems
    number = got.certificates[0].cert_id
    assert re.fullmatch(r"\d{18}", number), number
    # Digits Excel kept are kept; digits it lost are not made up beyond what the cell holds.
    assert number[: len(digits.rstrip("0"))] == digits.rstrip("0")


def _replace_in_sheets(data: bytes, old: str, new: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                assert old.encode() in body
                body = body.replace(old.encode(), new.encode())
            dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_the_csv_export_of_merged_cells_is_what_needs_a_fix(tmp_path: Path) -> None:
    """The contrast that shows the workbook test can fail: exported without unmerging, the
    CSV leaves the holder empty under the first row, which is a MERGED_CELLS problem."""
    rows = [list(r) for r in REGISTER.rows]
    for r in (4, 5, 6, 9):  # 0-based: sheet rows 5–7 and 10
        for c in (2, 4, 5, 6):
            rows[r][c] = None
    got = read(write_csv(tmp_path / "merged.csv", Sheet("x", rows)))
    merged = [(p.line, p.end_line) for p in got.problems if p.code is ProblemCode.MERGED_CELLS]
    assert merged == [(5, 7), (10, None)]


# --- The same register as .xlsx and as a CSV export gives identical results -------------------


@pytest.mark.parametrize(
    "csv_name",
    [
        pytest.param("gbk", id="gbk"),
        pytest.param("gb18030", id="gb18030"),
        pytest.param("utf-8-sig", id="utf8-bom"),
    ],
)
@pytest.mark.parametrize(
    "book", [pytest.param("xlsx", id="xlsx"), pytest.param("xlsm", id="xlsm-macros")]
)
def test_workbook_and_csv_export_agree(
    runner: CliRunner, files: dict[str, Path], book: str, csv_name: str
) -> None:
    from_book = run(runner, *DUE, str(files[book]))
    from_csv = run(runner, *DUE, str(files[csv_name]))
    assert from_book.exit_code == 0, from_book.stderr
    assert from_csv.exit_code == 0, from_csv.stderr
    assert from_book.stdout == from_csv.stdout
    assert from_book.stdout.count('"cert_id"') == len(EXPECTED)
    # The count lines say the same (rows, certificates, title and header lines, sheet rows).
    assert from_book.stderr.replace(str(files[book]), "F") == from_csv.stderr.replace(
        str(files[csv_name]), "F"
    )

    def same(got: Read) -> list[dict[str, object]]:
        return [dataclasses.asdict(dataclasses.replace(c, source="")) for c in got.certificates]

    assert same(read(files[book])) == same(read(files[csv_name]))


@pytest.mark.parametrize("fmt", [pytest.param("table", id="table"), pytest.param("csv", id="csv")])
def test_workbook_and_csv_export_agree_in_every_format(
    runner: CliRunner, files: dict[str, Path], fmt: str
) -> None:
    args = ("due", "--all", "--format", fmt, "--as-of", AS_OF)
    from_book = run(runner, *args, str(files["xlsx"]))
    from_csv = run(runner, *args, str(files["gbk"]))
    assert from_book.exit_code == from_csv.exit_code == 0
    assert from_book.stdout == from_csv.stdout


# --- Problems name sheet rows and sheet letters -----------------------------------------------

H = ["证书编号", "企业名称", "产品名称", "认证类型", "市", "县区", "发证日期", "有效期至"]
GOOD: list[Cell] = ["LB-45-21030512345A", "甲公司", "芒果", "绿色食品", "百色市", "田阳区",
                    D("2021-03-05"), D("2024-03-04")]  # fmt: skip
EMPTY: list[Cell] = [None] * 8
PLANTED = Sheet(
    "台账",
    [
        ["2024年台账", *[None] * 7],  # 1: title
        EMPTY,  # 2: no row at all in the workbook
        H,  # 3
        GOOD,  # 4
        ["LB-45-21030512350A", "乙公司", "龙眼", "绿色食品", "百色市", "田阳区", D("2021-03-05"),
         "2024-02-30"],  # 5: no such day
        EMPTY,  # 6
        EMPTY,  # 7
        EMPTY,  # 8
        ["LB-45-21030512351A", "丙公司", "香蕉", "绿色食品", "百色市", "火星县", D("2021-03-05"),
         D("2024-03-04")],  # 9: unknown county
        GOOD,  # 10: repeats row 4
        ["LB-45-21030512352A", "丁公司", "荔枝", "有机", "百色市", "田东县", D("2021-03-05"),
         D("2024-03-04"), "多出来的"],  # 11: a cell beyond the header
    ],
)  # fmt: skip


@pytest.mark.parametrize(
    ("line", "letter", "code"),
    [
        pytest.param(5, "H", ProblemCode.BAD_DATE, id="bad-date-H5"),
        pytest.param(9, "F", ProblemCode.UNKNOWN_COUNTY, id="unknown-county-F9"),
        pytest.param(10, "A", ProblemCode.DUPLICATE, id="repeat-A10"),
        pytest.param(11, "I", ProblemCode.EXTRA_CELLS, id="extra-cell-I11"),
    ],
)
@pytest.mark.parametrize("source", [pytest.param("xlsx", id="xlsx"), pytest.param("csv", id="csv")])
def test_problems_name_sheet_rows_and_letters(
    tmp_path: Path, source: str, line: int, letter: str, code: ProblemCode
) -> None:
    path = (
        write_xlsx(tmp_path / "planted.xlsx", [PLANTED])
        if source == "xlsx"
        else write_csv(tmp_path / "planted.csv", PLANTED)
    )
    got = read(path)
    found = [(p.line, p.letter, p.code) for p in got.problems]
    assert (line, letter, code) in found, found
    assert len(got.problems) == 4, found
    if code is ProblemCode.DUPLICATE:
        repeat = next(p for p in got.problems if p.code is code)
        assert repeat.detail["first_line"] == "4"


def test_problem_message_names_the_sheet_row_and_letter(runner: CliRunner, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "planted.xlsx", [PLANTED])
    result = run(runner, "due", str(path), "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert f"{path} 第 5 行：“有效期至”列（H 列），值“2024-02-30”" in result.stderr
    assert f"{path} 第 9 行：“县区”列（F 列），值“火星县”" in result.stderr


# --- Sheets: the first visible one, or --sheet NAME -------------------------------------------


def one_register(name: str, number: str, product: str, *, hidden: bool = False) -> Sheet:
    return Sheet(
        name,
        [
            H,
            [number, "甲公司", product, "绿色食品", "百色市", "田阳区", "2021-03-05", "2024-03-04"],
        ],
        hidden=hidden,
    )


SHEETS = [
    one_register("旧台账", "LB-45-20010100001A", "旧表芒果", hidden=True),
    one_register("台账", "LB-45-21010100002A", "龙眼"),
    one_register("有机", "LB-45-21010100003A", "香蕉"),
]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param((), "LB-45-21010100002A", id="first-visible-not-hidden"),
        pytest.param(("--sheet", "台账"), "LB-45-21010100002A", id="named-visible"),
        pytest.param(("--sheet", "有机"), "LB-45-21010100003A", id="named-second"),
        pytest.param(("--sheet", "旧台账"), "LB-45-20010100001A", id="hidden-when-named"),
    ],
)
def test_sheet_choice(
    runner: CliRunner, tmp_path: Path, args: tuple[str, ...], expected: str
) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", SHEETS)
    result = run(runner, *DUE, *args, str(path))
    assert result.exit_code == 0, result.stderr
    numbers = re.findall(r'"cert_id": "([^"]+)"', result.stdout)
    assert numbers == [expected]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        pytest.param("zh", ("没有名为“汇总”", "旧台账", "台账", "有机"), id="zh"),
        pytest.param("en", ("no usable sheet '汇总'", "旧台账", "有机"), id="en"),
    ],
)
def test_unknown_sheet_is_fatal_and_names_the_sheets(
    runner: CliRunner, tmp_path: Path, lang: str, words: tuple[str, ...]
) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", SHEETS)
    result = run(runner, *DUE, "--sheet", "汇总", "--lang", lang, str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_sheet_as_a_problem(tmp_path: Path) -> None:
    got = read(write_xlsx(tmp_path / "book.xlsx", SHEETS), sheet="汇总")
    assert got.failed
    assert [(p.code, p.fatal) for p in got.problems] == [(ProblemCode.NO_SHEET, True)]
    assert got.problems[0].detail["sheets"] == "旧台账、台账、有机"


# --- A legacy .xls, a workbook under another name, a workbook on stdin ------------------------

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"\xfe\xff" * 100


@pytest.mark.parametrize(
    ("name", "lang", "words"),
    [
        pytest.param("old.xls", "zh", ("old.xls", ".xls", ".xlsx", "CSV", "另存为"), id="xls-zh"),
        pytest.param("old.xls", "en", ("old.xls", "save it as .xlsx or CSV"), id="xls-en"),
        pytest.param("renamed.csv", "zh", (".xlsx", "CSV", "另存为"), id="xls-named-csv"),
        pytest.param("renamed.xlsx", "zh", (".xlsx", "CSV", "另存为"), id="xls-named-xlsx"),
        pytest.param("-", "zh", ("<stdin>", ".xlsx", "CSV"), id="xls-on-stdin"),
    ],
)
def test_legacy_xls_is_refused_with_the_way_out(
    runner: CliRunner, tmp_path: Path, name: str, lang: str, words: tuple[str, ...]
) -> None:
    if name == "-":
        result = run(runner, *DUE, "--lang", lang, "-", input=OLE2)
    else:
        (tmp_path / name).write_bytes(OLE2)
        result = run(runner, *DUE, "--lang", lang, str(tmp_path / name))
    assert result.exit_code == 1
    assert result.stdout == ""
    for word in words:
        assert word in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_legacy_xls_as_a_problem(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(OLE2)
    got = read(tmp_path / "old.xls")
    assert got.failed
    assert [p.code for p in got.problems] == [ProblemCode.SPREADSHEET]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("台账.xlsx", id="xlsx"),
        pytest.param("台账.XLSX", id="upper-case-suffix"),
        pytest.param("台账.xlsm", id="xlsm"),
        pytest.param("台账.csv", id="workbook-named-csv"),
        pytest.param("台账", id="no-suffix"),
    ],
)
def test_a_workbook_is_read_whatever_its_name(
    runner: CliRunner, files: dict[str, Path], tmp_path: Path, name: str
) -> None:
    """A workbook is known by its content (zip), as the register module promises."""
    path = tmp_path / name
    path.write_bytes(files["xlsm" if name.endswith("xlsm") else "xlsx"].read_bytes())
    result = run(runner, *DUE, str(path))
    expected = run(runner, *DUE, str(files["gbk"]))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected.stdout


@pytest.mark.parametrize(
    "args",
    [
        pytest.param((), id="first-sheet"),
        pytest.param(("--sheet", "台账"), id="named-sheet"),
    ],
)
def test_workbook_on_stdin(files: dict[str, Path], args: tuple[str, ...]) -> None:
    """`-` reads a workbook piped in (a real process, real stdin)."""
    command = [sys.executable, "-m", "renewal_cli", *DUE, *args]
    piped = subprocess.run(
        [*command, "-"],
        input=files["xlsx"].read_bytes(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    named = subprocess.run(
        [*command, str(files["gbk"])], capture_output=True, timeout=60, check=False
    )
    assert piped.returncode == 0, piped.stderr.decode()
    assert piped.stdout == named.stdout
    assert piped.stdout.count(b'"cert_id"') == len(EXPECTED)
    assert "<stdin>：8 行，8 个证书，0 行有问题" in piped.stderr.decode()


# --- Several registers in one run -------------------------------------------------------------

COUNTY_HEADER: list[Cell] = H
TIANYANG = Sheet(
    "田阳区",
    [
        COUNTY_HEADER,
        ["LB-45-21030512345A", "甲公司", "芒果", "绿色食品", "百色市", "田阳区", D("2021-03-05"),
         D("2024-03-04")],
        ["LB-45-21030512360A", "甲公司", "龙眼", "绿色食品", "百色市", "田阳区", D("2021-03-05"),
         D("2024-03-04")],
    ],
)  # fmt: skip
YOUJIANG = Sheet(
    "右江区",
    [
        ["右江区台账", *[None] * 7],
        COUNTY_HEADER,
        ["LB-45-22030512361A", "乙公司", "茶叶", "绿色食品", "百色市", "右江区", D("2022-03-05"),
         D("2025-03-04")],
        # The same certificate as the Tianyang file's line 2 (written as typed elsewhere).
        ["lb-45-21030512345a", "甲公司", "芒果", "绿色食品", "百色市", "田阳区", D("2021-03-05"),
         D("2024-03-04")],
    ],
    merges=("A1:H1",),
)  # fmt: skip


def county_files(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(exist_ok=True)
    return (
        write_csv(folder / "a_tianyang.csv", TIANYANG, "gbk"),
        write_xlsx(folder / "b_youjiang.xlsx", [YOUJIANG]),
    )


def test_repeat_across_files_names_both(tmp_path: Path) -> None:
    a, b = county_files(tmp_path)
    seen: dict[str, dict[date, tuple[str, int]]] = {}
    problems: list[Problem] = []
    for path in (a, b):
        register = open_register(
            path, policy=policy_for(2024), places=guangxi(), seen=seen, name=str(path)
        )
        problems += [e for e in register if isinstance(e, Problem)]
    assert [(p.source, p.line, p.code, p.letter) for p in problems] == [
        (str(b), 4, ProblemCode.DUPLICATE_ACROSS, "A")
    ]
    assert problems[0].detail == {"first_line": "2", "first_file": str(a)}


@pytest.mark.parametrize(
    "how",
    [
        pytest.param("files", id="files-named"),
        pytest.param("folder", id="folder"),
        pytest.param("folder-with-other-files", id="folder-ignores-other-files"),
    ],
)
@pytest.mark.parametrize("lang", [pytest.param("zh", id="zh"), pytest.param("en", id="en")])
def test_several_registers(runner: CliRunner, tmp_path: Path, how: str, lang: str) -> None:
    folder = tmp_path / "百色市"
    a, b = county_files(folder)
    if how == "folder-with-other-files":
        (folder / "说明.docx").write_bytes(b"PK\x03\x04 not a register")
        (folder / "~$b_youjiang.xlsx").write_bytes(b"\x00lock")  # Excel's lock file
        (folder / ".hidden.csv").write_bytes(b"\xff\xfe junk")
        (folder / "notes.md").write_text("# 说明\n")
    args = (str(a), str(b)) if how == "files" else (str(folder),)
    result = run(runner, *DUE, "--lang", lang, *args)
    assert result.exit_code == 0, result.stderr
    numbers = re.findall(r'"cert_id": "([^"]+)"', result.stdout)
    assert sorted(numbers) == ["LB-45-21030512345A", "LB-45-21030512360A", "LB-45-22030512361A"]
    lines = result.stderr.strip().splitlines()
    if lang == "zh":
        assert lines[-3].startswith(f"{a}：2 行，2 个证书，0 行有问题")
        assert lines[-2].startswith(f"{b}：2 行，1 个证书，1 行有问题")
        assert lines[-1] == "合计 2 个台账：4 行，3 个证书，1 行有问题"
        repeat = [line for line in lines if "重复" in line]
        assert len(repeat) == 1
        assert repeat[0].startswith(f"{b} 第 4 行")
        assert f"{a} 第 2 行" in repeat[0]
    else:
        assert lines[-3].startswith(f"{a}: 2 rows: 2 certificates, 0 problems")
        assert lines[-2].startswith(f"{b}: 2 rows: 1 certificate, 1 problem")
        assert lines[-1] == "2 files in all: 4 rows: 3 certificates, 1 problem"
        repeat = [line for line in lines if "repeat" in line]
        assert len(repeat) == 1
        assert repeat[0].startswith(f"{b}:4:")
        assert f"{a} line 2" in repeat[0]


def test_one_register_has_no_total_line(runner: CliRunner, tmp_path: Path) -> None:
    a, _ = county_files(tmp_path)
    result = run(runner, *DUE, str(a))
    assert result.exit_code == 0
    assert "合计" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("setup", "code", "words"),
    [
        pytest.param("empty-folder", 2, ("没有台账文件",), id="empty-folder"),
        pytest.param("only-other-files", 2, ("没有台账文件",), id="folder-without-registers"),
        pytest.param("one-bad-file", 1, ("old.xlsx", "另存为"), id="one-file-unreadable"),
    ],
)
def test_folder_edges(
    runner: CliRunner, tmp_path: Path, setup: str, code: int, words: tuple[str, ...]
) -> None:
    folder = tmp_path / "registers"
    folder.mkdir()
    if setup == "only-other-files":
        (folder / "说明.docx").write_bytes(b"PK\x03\x04")
    if setup == "one-bad-file":
        county_files(folder)
        (folder / "old.xlsx").write_bytes(OLE2)
    result = run(runner, *DUE, str(folder))
    assert result.exit_code == code, result.stderr
    assert result.stdout == ""
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.stderr


# The README's spreadsheet section: CSV cannot keep these as text in a spreadsheet; .xlsx does.
NUMBER_LIKE = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,电话\n"


@pytest.mark.parametrize(
    ("column", "value"),
    [
        pytest.param("cert_id", "112023000000012345", id="18-digit-number"),
        pytest.param("cert_id", "00123", id="leading-zeros"),
        pytest.param("phone", "07765551234", id="phone-with-leading-zero"),
    ],
)
def test_xlsx_output_keeps_number_like_text(
    runner: CliRunner, tmp_path: Path, column: str, value: str
) -> None:
    from openpyxl import load_workbook

    from renewal_cli.models import RECORD_KEYS

    number = value if column == "cert_id" else "112023000000099999"
    phone = value if column == "phone" else "13800000000"
    register = tmp_path / "台账.csv"
    register.write_text(
        NUMBER_LIKE + f"{number},田阳某公司,芒果,有机农产品,百色市,田阳区,"
        f"2023-09-01,2024-08-31,{phone}\n",
        "utf-8",
    )
    out = tmp_path / "out.xlsx"
    args = ("due", "--all", "--as-of", AS_OF, "--format", "xlsx", "-o", str(out), str(register))
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr
    sheet = load_workbook(out).active
    assert sheet is not None
    row = next(sheet.iter_rows(min_row=2, max_row=2))
    cell = row[list(RECORD_KEYS).index(column)]
    assert (cell.data_type, cell.value) == ("s", value)


# --- Issue 18: Excel's _xHHHH_ escapes, cleaned; the shared strings held to a limit ------------

SHEET_XML = "xl/worksheets/sheet1.xml"
SST_XML = "xl/sharedStrings.xml"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REGISTER_ROW = ["芒果", "绿色食品", "百色", "田阳", "2024-09-01"]
HEAD_ROW = ["证书编号", "企业名称", "产品名称", "认证类型", "市", "县区", "有效期至"]


def hand_workbook(path: Path, holders: Sequence[str], *, shared: bool, items: str = "") -> Path:
    """A register workbook whose sheet XML is written here: one row per holder (as Excel
    stores the text, escapes and all), in shared strings or as inline strings. `items` adds
    shared-string items of its own (XML) after those of the rows."""
    book = Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    rows = [HEAD_ROW, *([f"LB-{n}", holder, *REGISTER_ROW] for n, holder in enumerate(holders))]
    strings: list[str] = []

    def cell(ref: str, value: str) -> str:
        escaped = value.replace("&", "&amp;").replace("<", "&lt;")
        if not shared:
            return f'<c r="{ref}" t="inlineStr"><is><t>{escaped}</t></is></c>'
        strings.append(f"<si><t>{escaped}</t></si>")
        return f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>'

    body = "".join(
        f'<row r="{r}">'
        + "".join(cell(f"{'ABCDEFG'[c]}{r}", v) for c, v in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'
    table = f'<sst xmlns="{MAIN}">{"".join(strings)}{items}</sst>'
    override = f'<Override PartName="/{SST_XML}" ContentType="{SST_TYPE}"/></Types>'
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == SHEET_XML:
                data = sheet.encode("utf-8")
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", override.encode("utf-8"))
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        # openpyxl writes inline strings; Excel and WPS write this part.
        dst.writestr(SST_XML, table.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())
    return path


ESCAPES = [
    pytest.param("甲_x001B_[31m公司", "甲[31m公司", id="esc"),
    pytest.param("甲_x001b_公司", "甲公司", id="lower-case-hex"),
    pytest.param("公司_x202E_txt.exe", "公司txt.exe", id="bidi-override"),
    pytest.param("公司_x2066_甲_x2069_", "公司甲", id="bidi-isolate"),
    pytest.param("乙_xFFFE__xFFFF_公司", "乙公司", id="non-characters"),
    pytest.param("丙_xD800_公司", "丙公司", id="lone-surrogate"),
    pytest.param("田阳_xD83D__xDE00_", "田阳\U0001f600", id="escaped-pair-is-one-character"),
    pytest.param("丁_x000D__x000A_公司", "丁  公司", id="line-break-becomes-spaces"),
    pytest.param("戊_x2028_公司", "戊 公司", id="line-separator-becomes-a-space"),
    pytest.param("己_x005F_x0041_公司", "己_x0041_公司", id="escaped-underscore-decoded-once"),
    pytest.param("庚_x12_x005F_公司", "庚_x12_公司", id="not-an-escape-kept"),
    pytest.param("辛x005F_公司", "辛x005F_公司", id="no-underscore-before-kept"),
    # calamine decodes _x00HH_ itself (_x005F_ among them); the others are decoded here, once.
    pytest.param("壬_x005F_x2028_公司", "壬_x2028_公司", id="escaped-underscore-wide"),
    pytest.param("癸_x005F_x005F_公司", "癸_x005F_公司", id="escaped-underscore-twice"),
    # The one text calamine leaves ambiguous: "_x202E_" from an escape and from an escaped
    # underscore read alike. When the workbook holds both, both stay text (never a control).
    pytest.param("子_x202E_丑_x005F_x202E_", "子_x202E_丑_x202E_", id="ambiguous-kept-as-text"),
]


@pytest.mark.parametrize(
    "shared", [pytest.param(True, id="shared"), pytest.param(False, id="inline")]
)
@pytest.mark.parametrize(("stored", "expected"), ESCAPES)
def test_excel_escapes_are_decoded_then_cleaned(
    tmp_path: Path, shared: bool, stored: str, expected: str
) -> None:
    got = read(hand_workbook(tmp_path / "r.xlsx", [stored], shared=shared))
    assert got.problems == []
    (certificate,) = got.certificates
    assert certificate.enterprise == expected


def test_shared_string_runs_are_joined_without_their_phonetics(tmp_path: Path) -> None:
    """Rich text (runs) is one string; a phonetic guide (rPh, Japanese furigana) is not text."""
    items = (
        "<si><r><t>壬</t></r><r><rPr><b/></rPr><t>公_x0009_司</t></r><rPh><t>ジン</t></rPh></si>"
    )
    path = hand_workbook(tmp_path / "r.xlsx", ["甲公司"], shared=True, items=items)
    with zipfile.ZipFile(path) as archive:
        table = archive.read(SST_XML).decode("utf-8")
        index = table.count("<si>") - 1
        sheet = archive.read(SHEET_XML).decode("utf-8")
    # The holder cell of the row points at the rich-text item instead.
    sheet = re.sub(r'(<c r="B2" t="s"><v>)\d+', rf"\g<1>{index}", sheet)
    rewritten = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rewritten, "w") as dst:
        for info in src.infolist():
            data = sheet.encode() if info.filename == SHEET_XML else src.read(info)
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    path.write_bytes(rewritten.getvalue())
    (certificate,) = read(path).certificates
    assert certificate.enterprise == "壬公 司"


@pytest.mark.parametrize(
    ("items", "refused"),
    [
        pytest.param(100_000, True, id="tiny-strings-past-the-limit"),
        pytest.param(2_000, False, id="under-the-limit"),
    ],
)
def test_shared_strings_are_held_to_a_memory_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, items: int, refused: bool
) -> None:
    """What the strings take in memory counts, not only the XML's size: short items cost more
    as strings than as XML. The limit is lowered here so that a small table reaches it."""
    import renewal_cli.xlsx

    monkeypatch.setattr(renewal_cli.xlsx, "MAX_SHARED_STRINGS", 4 << 20)
    extra = "".join(f"<si><t>{n}</t></si>" for n in range(items))
    got = read(hand_workbook(tmp_path / "r.xlsx", ["甲公司"], shared=True, items=extra))
    if refused:
        (problem,) = got.problems
        assert problem.code is ProblemCode.SPREADSHEET_DAMAGED
        assert problem.detail["reason"] == "bomb" and got.failed
    else:
        assert got.problems == [] and len(got.certificates) == 1


# --- Issue 19: read through python-calamine ----------------------------------------------------

from renewal_cli.xlsx import read_xlsx  # noqa: E402


def source_rows(data: bytes) -> tuple[list[list[str]], set[tuple[int, int]]]:
    """The rows the workbook source gives (before the register), and its numeric cells."""
    source = read_xlsx(io.BytesIO(data), "book.xlsx")
    rows = []
    for entry in source:
        assert not isinstance(entry, Problem), entry
        rows.append(entry.cells)
    return rows, source.numeric


def one_cell(value: object, number_format: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "备注"
    sheet["B2"] = value
    if number_format is not None:
        sheet["B2"].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("value", "number_format", "text", "numeric"),
    [
        pytest.param("0120", None, "0120", False, id="text-with-leading-zero"),
        pytest.param("2024-03-04", None, "2024-03-04", False, id="date-typed-as-text"),
        pytest.param(5, None, "5", True, id="whole-number"),
        pytest.param(2.5, None, "2.5", True, id="fraction"),
        pytest.param(-0.125, None, "-0.125", True, id="negative-fraction"),
        pytest.param(45000, "General", "45000", True, id="serial-date-as-plain-number"),
        pytest.param(D("2024-03-04"), None, "2024-03-04", False, id="date-cell"),
        pytest.param(datetime(2024, 3, 4), "yyyy-mm-dd h:mm", "2024-03-04", False,
                     id="midnight-is-a-date"),
        pytest.param(datetime(2024, 3, 4, 10, 30), None, "2024-03-04 10:30:00", False,
                     id="date-and-time"),
        pytest.param(time(10, 30), None, "10:30:00", False, id="time-of-day"),
        pytest.param(True, None, "TRUE", False, id="truth-value"),
        pytest.param(10**15, None, "1000000000000000", True, id="16-digit-number"),
    ],
)  # fmt: skip
def test_cells_of_every_kind_read_as_text(
    value: object, number_format: str | None, text: str, numeric: bool
) -> None:
    rows, numbers = source_rows(one_cell(value, number_format))
    assert rows == [["备注"], ["", text]]
    assert ((2, 2) in numbers) is numeric


@pytest.mark.parametrize(
    ("xml", "cells"),
    [
        pytest.param('<c r="B2" t="e"><v>#N/A</v></c>', ("#N/A",), id="error-na"),
        pytest.param('<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>', ("#DIV/0!",), id="error-formula"),
        pytest.param('<c t="e" r="B2"><v>#REF!</v></c>', ("#REF!",), id="error-written-otherwise"),
        pytest.param('<c r="B2" s="0" t="e"><v>#N/A</v></c><c r="C2" t="e"><v>#NAME?</v></c>',
                     ("#N/A", "#NAME?"), id="errors-side-by-side"),
        pytest.param('<c r="B2" t="str"><f>A1</f><v>备注</v></c>', ("备注",), id="formula-text"),
        pytest.param('<c r="B2"><f>1+1</f><v>2</v></c>', ("2",), id="formula-number"),
        pytest.param('<c r="B2" t="b"><v>0</v></c>', ("FALSE",), id="boolean-cell"),
        pytest.param('<c r="B2"><v>112023000000012346</v></c>', ("112023000000012346",),
                     id="18-digit-integer"),
        pytest.param('<c r="B2"><v>-112023000000012346</v></c>', ("-112023000000012346",),
                     id="negative-18-digit-integer"),
    ],
)  # fmt: skip
def test_cells_as_the_xml_writes_them(xml: str, cells: tuple[str, ...]) -> None:
    """An error a formula shows is its text (calamine reads it as an empty cell), and a whole
    number too long for a float keeps the digits the XML wrote."""
    data = _replace_in_sheets(
        one_cell("PLACEHOLDER"), '<c r="B2" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>', xml
    )
    rows, _ = source_rows(data)
    assert rows == [["备注"], ["", *cells]]


@pytest.mark.parametrize(
    ("rows_above", "columns_left"),
    [
        pytest.param(0, 0, id="from-A1"),
        pytest.param(2, 0, id="two-empty-rows-above"),
        pytest.param(0, 2, id="two-empty-columns-left"),
        pytest.param(3, 4, id="starting-at-E4"),
    ],
)
def test_rows_and_letters_are_the_sheets(
    tmp_path: Path, rows_above: int, columns_left: int
) -> None:
    """calamine's rows start at the sheet's first filled cell: the rows are still numbered,
    and the columns lettered, as the sheet has them."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for r, cells in enumerate(PLANTED.rows, start=1 + rows_above):
        for c, value in enumerate(cells, start=1 + columns_left):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    path = tmp_path / "moved.xlsx"
    book.save(path)
    got = read(path)
    found = sorted((p.line, p.letter, p.code) for p in got.problems)

    def moved(line: int, letter: str) -> tuple[int, str]:
        return line + rows_above, chr(ord(letter) + columns_left)

    assert found == sorted(
        [
            (*moved(5, "H"), ProblemCode.BAD_DATE),
            (*moved(9, "F"), ProblemCode.UNKNOWN_COUNTY),
            (*moved(10, "A"), ProblemCode.DUPLICATE),
            (*moved(11, "I"), ProblemCode.EXTRA_CELLS),
        ]
    )
    assert got.lines == 11 + rows_above


# calamine reads a sheet as one grid, from its first to its last filled cell, and trusts the XML:
# each of these would end its process (a grid of 10^10 cells, room for 10^9 strings) or fill
# its memory, were they not checked before it loads anything. Run in a process of their own,
# with the peak memory of that process measured (test_hostile.due).
FAR_ROW = '<row r="{n}"><c r="{ref}" t="inlineStr"><is><t>注</t></is></c></row>'


def _sheet_edit(old: str, new: str) -> Callable[[], bytes]:
    def build() -> bytes:
        from test_hostile import SHEET, edited

        return edited({SHEET: lambda b: b.replace(old.encode(), new.encode())})

    return build


def _rows_then(tail: str, rows: int = 0, empty: str = "", head: str = "") -> Callable[[], bytes]:
    """The good workbook, then `head`, `rows` copies of `empty` and `tail`."""
    return _sheet_edit("</sheetData>", head + empty * rows + tail + "</sheetData>")


def _far_tag(tag: str, before: str = "", after: str = "") -> Callable[[], bytes]:
    """A row 1048576 holding one cell whose start tag is `tag`, between `before` and `after`."""
    row = f'<row r="1048576">{before}{tag}<is><t>注</t></is></c>{after}</row>'
    return _rows_then(row)


def _prefixed() -> bytes:
    """Every element of the sheet under a prefix (x:c, x:row…), and a far cell."""
    from test_hostile import SHEET, edited

    def prefix(body: bytes) -> bytes:
        body = body.replace(b"</sheetData>", FAR_ROW.format(n=1048576, ref="XFD1048576").encode())
        body += b"</sheetData>"
        body = re.sub(rb"<(/?)(\w+)", rb"<\1x:\2", body.replace(b"</sheetData></sheetData>", b""))
        return body.replace(b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=")

    return edited({SHEET: prefix})


def _shared_strings_declaring(count: int) -> bytes:
    from test_hostile import MAIN_NS, SHARED_STRINGS, SST_TYPE, deflated, edited

    table = f'<sst xmlns="{MAIN_NS}" uniqueCount="{count}"><si><t>x</t></si></sst>'
    override = f'<Override PartName="/{SHARED_STRINGS}" ContentType="{SST_TYPE}"/></Types>'
    return edited(
        {"[Content_Types].xml": lambda b: b.replace(b"</Types>", override.encode())},
        [deflated(SHARED_STRINGS, table.encode())],
    )


def _diagonal(cells: int) -> Callable[[], bytes]:
    """A cell a row, each five columns right of the one above: no empty row to leave out."""
    rows = "".join(
        f'<row r="{n}"><c r="{_letters(5 * n)}{n}" t="inlineStr"><is><t>x</t></is></c></row>'
        for n in range(3, 3 + cells)
    )
    return _rows_then(rows)


def _letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@pytest.mark.parametrize(
    ("build", "code", "words"),
    [
        pytest.param(_rows_then(FAR_ROW.format(n=1048576, ref="XFD1048576")), 0,
                     ("文件共 1048576 行",), id="a-cell-at-XFD1048576"),
        pytest.param(_rows_then(FAR_ROW.format(n=1048576, ref="A1048576")), 0,
                     ("文件共 1048576 行",), id="a-cell-in-the-last-row"),
        pytest.param(_rows_then(FAR_ROW.format(n=9, ref="XFD9")), 0, ("文件共 9 行",),
                     id="a-cell-in-the-last-column"),
        pytest.param(_rows_then(FAR_ROW.format(n=1048577, ref="A1048577")), 1, ("损坏",),
                     id="a-row-past-excels-last"),
        pytest.param(_rows_then(FAR_ROW.format(n=9, ref="XFE9")), 1, ("损坏",),
                     id="a-column-past-excels-last"),
        pytest.param(_rows_then(FAR_ROW.format(n=9, ref="A99999999999")), 1, ("损坏",),
                     id="a-row-number-past-any-integer"),
        # Cells that do not name their place follow the one before, and rows without r the
        # row before: a million rows, then one 15,000 cells wide (a grid of 1.5 * 10^10).
        pytest.param(
            _rows_then("<row>" + "<c></c>" * 15_000 + '<c t="inlineStr"><is><t>注</t></is></c>'
                       + "</row>", 1_000_000, "<row></row>"),
            0, ("文件共 1000003 行",), id="rows-and-cells-placed-by-counting"),
        # The same past a first block of the XML that holds no empty row (a cell of 1.1 * 10^6
        # characters, too large for a register): the rows counted later still count.
        pytest.param(
            _rows_then("<row>" + "<c></c>" * 9 + '<c t="inlineStr"><is><t>注</t></is></c>'
                       + "</row>", 1_000_000, "<row></row>",
                       head=FAR_ROW.format(n=3, ref="A3").replace("注", "x" * 1_100_000)),
            0, ("文件共 1000004 行", "第 3 行"), id="a-narrow-row-counted-past-a-million"),
        pytest.param(
            _rows_then("<row>" + "<c></c>" * 16_000 + '<c t="inlineStr"><is><t>注</t></is></c>'
                       + "</row>"),
            0, ("文件共 3 行",), id="a-cell-placed-by-counting-far-right"),
        pytest.param(
            _rows_then("<row>" + "<c></c>" * 17_000 + '<c t="inlineStr"><is><t>注</t></is></c>'
                       + "</row>"),
            1, ("损坏",), id="cells-counted-past-excels-last-column"),
        pytest.param(_prefixed, 0, ("文件共 1048576 行",), id="prefixed-elements-and-a-far-cell"),
        # calamine reads a tag's attributes its own way: whatever way the far place is written,
        # it is found, or the tag is refused.
        pytest.param(_far_tag('<c x=">" r="XFD1048576" t="inlineStr">'), 0,
                     ("文件共 1048576 行",), id="after-a-quoted-angle-bracket"),
        pytest.param(_far_tag('<c s="0"r="XFD1048576" t="inlineStr">'), 0,
                     ("文件共 1048576 行",), id="with-no-space-before-it"),
        pytest.param(_far_tag("<c r='XFD1048576' t=\"inlineStr\">"), 0,
                     ("文件共 1048576 行",), id="in-single-quotes"),
        pytest.param(_far_tag('<c r="A1048576" r="XFD1048576" t="inlineStr">'), 1, ("损坏",),
                     id="named-twice"),
        pytest.param(_far_tag('<c r="A1048576" r ="XFD1048576" t="inlineStr">'), 1, ("损坏",),
                     id="named-twice-with-a-space"),
        pytest.param(_far_tag('<c r="XFD1048576" t="inlineStr">', "<!-- <c a=\" -->",
                              "<!-- \" -->"), 0, ("文件共 1048576 行",),
                     id="between-comments-holding-quotes"),
        pytest.param(_rows_then(FAR_ROW.format(n=9, ref="XFD1048576")), 1, ("损坏",),
                     id="a-cell-naming-another-row"),
        pytest.param(_rows_then('<row r="3"><c r="XFD1048576" t="e"><v>#N/A</v></c></row>'),
                     1, ("损坏",), id="an-error-cell-naming-a-far-place"),
        pytest.param(_diagonal(3000), 1, ("恶意",), id="a-diagonal-no-copy-can-hold"),
        pytest.param(_diagonal(30), 0, ("文件共 32 行",), id="a-short-diagonal-is-read"),
        pytest.param(lambda: _shared_strings_declaring(10**9), 1, ("恶意",),
                     id="shared-strings-declaring-a-billion"),
        pytest.param(lambda: _shared_strings_declaring(10), 0, (), id="shared-strings-declaring-ten"),
    ],
)  # fmt: skip
def test_the_grid_calamine_builds_is_checked_first(
    tmp_path: Path, build: Callable[[], bytes], code: int, words: tuple[str, ...]
) -> None:
    from test_hostile import MAX_RSS_MB, due

    path = tmp_path / "register.xlsx"
    path.write_bytes(build())
    ran = due(path, timeout=180)
    assert "Traceback" not in ran.stderr and "出错了" not in ran.stderr, ran.stderr[-2000:]
    assert ran.code == code, ran.stderr[-2000:]
    assert ran.rss_mb < MAX_RSS_MB, f"peak RSS {ran.rss_mb:.0f} MB"
    assert ran.seconds < 90, f"{ran.seconds:.1f} s"  # as test_hostile's million-row cases
    for word in words:
        assert word in ran.stderr, ran.stderr[-2000:]
    if code == 0:
        assert ran.stdout.count("LB-45-21030512345A") == 1, ran.stderr[-2000:]
    else:
        assert len(ran.stderr.strip().splitlines()) == 1, ran.stderr


BLANKS_HEADER = [
    "证书编号",
    "企业名称",
    "产品名称",
    "认证类型",
    "市",
    "县区",
    "发证日期",
    "有效期至",
]
BLANKS_ROW = [
    "LB-45-2101000000{}A",
    "园{}",
    "绿茶",
    "绿色食品",
    "百色",
    "右江区",
    "2021-01-10",
    "2024-01-09",
]


@pytest.mark.parametrize(
    "layout",
    [
        pytest.param(["title", "header", 1, "", 2, "", "", 3], id="blank-rows-between"),
        pytest.param(["", "title", "", "header", 1, 2], id="blank-rows-above-the-header"),
        pytest.param(["header", 1, 2, 3], id="no-blank-row"),
    ],
)
@pytest.mark.parametrize("scope", [[], ["--city", "百色"], ["--city", "南宁"]])
def test_blank_rows_are_counted_as_in_the_csv_export(
    runner: CliRunner, tmp_path: Path, layout: list[object], scope: list[str]
) -> None:
    """A workbook's empty rows are counted as blank, as its CSV export's empty lines are: the
    count line adds up to the sheet's rows and reads the same for both."""
    rows: list[list[str]] = []
    for part in layout:
        if part == "title":
            rows.append(["百色市获证产品台账"])
        elif part == "header":
            rows.append(BLANKS_HEADER)
        elif part == "":
            rows.append([])
        else:
            rows.append([cell.format(part) for cell in BLANKS_ROW])
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for number, cells in enumerate(rows, start=1):
        for column, value in enumerate(cells, start=1):
            sheet.cell(row=number, column=column, value=value)
    workbook, export = tmp_path / "台账.xlsx", tmp_path / "台账.csv"
    book.save(workbook)
    export.write_text("".join(",".join(cells) + "\n" for cells in rows), encoding="utf-8")
    lines = {}
    for path in (workbook, export):
        result = run(runner, "due", str(path), "--all", "--as-of", "2024-06-01", *scope)
        assert result.exit_code == 0, result.stderr
        (count,) = [line for line in result.stderr.splitlines() if "文件共" in line]
        lines[path.suffix] = count.replace(path.name, "台账")
    assert lines[".xlsx"] == lines[".csv"]
    blank = layout.count("")
    assert (f"空行或只有序号的行 {blank} 行" in lines[".xlsx"]) == (blank > 0)
    assert f"文件共 {len(rows)} 行" in lines[".xlsx"]


@pytest.mark.parametrize(
    ("reason", "zh", "en"),
    [
        pytest.param(
            "BadZipFile", "（不是完整的 .xlsx 文件）", "(not a whole .xlsx file)", id="cut"
        ),
        pytest.param("no workbook", "（其中没有工作表）", "(it holds no worksheet)", id="no-book"),
        pytest.param("markup", "（内容已损坏）", "(its content is damaged)", id="markup"),
        pytest.param("PanicException", "（内容已损坏）", "(its content is damaged)", id="panic"),
    ],
)
def test_a_damaged_workbook_is_told_in_words_not_a_class_name(
    reason: str, zh: str, en: str
) -> None:
    from renewal_cli.messages import Lang
    from renewal_cli.present import describe_problem

    problem = Problem(
        source="台账.xlsx", code=ProblemCode.SPREADSHEET_DAMAGED, detail={"reason": reason}
    )
    assert zh in describe_problem(problem, Lang.ZH)
    assert en in describe_problem(problem, Lang.EN)
    assert reason not in describe_problem(problem, Lang.ZH)
