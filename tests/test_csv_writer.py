"""The one CSV writer (output/csvwriter.py): rows written as csv.writer writes them, and every
CSV output (due, due --by-holder, summary, check) with the same BOM and --out-encoding rules."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import run
from renewal_cli.output.csvwriter import CsvEncoding, csv_encoding, csv_lines, csv_text

BOM = b"\xef\xbb\xbf"
HEADER = ["证书编号", "企业名称", "备注"]


def written_by_csv_module(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param([], id="header-only"),
        pytest.param([["LB-1", "甲公司", "芒果"]], id="plain"),
        pytest.param([["LB-1", "甲,乙公司", ""]], id="comma"),
        pytest.param([["LB-1", '"甲"公司', "x"]], id="quote"),
        pytest.param([["LB-1", "甲\n公司", "x"], ["LB-2", "乙\r公司", "y"]], id="line-breaks"),
        pytest.param([["", "", ""]], id="empty-cells"),
        pytest.param([[" LB-1 ", "'=1+1", "🍊𠀀䶮"]], id="spaces-formula-astral"),
        # A row shorter than the header whose comma count happens to match it: still quoted.
        pytest.param([["LB-1", "甲,乙"]], id="short-row-with-comma"),
        pytest.param([["LB-1", "甲", "x", "extra"]], id="long-row"),
    ],
)
@pytest.mark.parametrize("per_chunk", [1, 2, 2000])
def test_rows_are_written_as_the_csv_module_writes_them(
    rows: list[list[str]], per_chunk: int
) -> None:
    expected = written_by_csv_module(HEADER, rows)
    pieces = list(csv_lines(HEADER, rows, per_chunk=per_chunk))
    assert "".join(pieces) == expected == csv_text(HEADER, rows)
    assert len(pieces) == len(rows) // per_chunk + 1


@pytest.mark.parametrize(
    ("to_file", "bom", "encoding", "expected"),
    [
        pytest.param(False, False, "utf-8", CsvEncoding("utf-8", False), id="stdout"),
        pytest.param(False, True, "utf-8", CsvEncoding("utf-8", True), id="stdout-bom"),
        pytest.param(True, False, "utf-8", CsvEncoding("utf-8", True), id="file"),
        pytest.param(True, True, "utf-8", CsvEncoding("utf-8", True), id="file-bom"),
        pytest.param(False, False, "gb18030", CsvEncoding("gb18030", False), id="gb18030"),
        pytest.param(True, True, "gb18030", CsvEncoding("gb18030", False), id="gb18030-no-bom"),
    ],
)
def test_the_encoding_of_an_output(
    to_file: bool, bom: bool, encoding: str, expected: CsvEncoding
) -> None:
    assert csv_encoding(to_file=to_file, bom=bom, encoding=encoding) == expected


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        pytest.param(CsvEncoding("utf-8", False), "甲🍊\r\n".encode(), id="utf-8"),
        pytest.param(CsvEncoding("utf-8", True), BOM + "甲🍊\r\n".encode(), id="utf-8-bom"),
        # 🍊 is outside GBK: GB18030 writes it in four bytes, never as "?".
        pytest.param(CsvEncoding("gb18030"), b"\xbc\xd7\x949\xb72\r\n", id="gb18030-four-bytes"),
    ],
)
def test_text_to_bytes(how: CsvEncoding, expected: bytes) -> None:
    assert how.encode_text("甲🍊\r\n") == expected
    assert b"".join(how.encode(["甲", "🍊", "\r\n"])) == expected  # the BOM once, at the start


REGISTER = """证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期
LB-45-1,广西𠀀䶮农业有限公司,芒果,绿色食品,百色市,田阳区,2021-09-01,2024-08-31,
LB-45-2,"百色🍊果业,合作社",柑橘,绿色食品,百色市,田东县,2022-01-10,2025-01-09,
LB-45-3,南宁乙公司,茶叶,绿色食品,南宁市,武鸣区,2021-07-01,2024-06-30,2024-03-01
"""
AS_OF = ("--as-of", "2024-06-01")
# Every command that writes CSV, and its CSV options (check has neither --bom nor
# --out-encoding: its CSV has the BOM in a file only).
COMMANDS = {
    "due": ["due", "--all", "-f", "csv"],
    "due-by-holder": ["due", "--all", "--by-holder", "-f", "csv"],
    "summary": ["summary", "-f", "csv"],
    "summary-by-county": ["summary", "--by", "county", "-f", "csv"],
}
# Options → (bytes start with a BOM, encoding to read them in); "-o" writes to a file.
CASES = [
    pytest.param([], False, "utf-8", id="stdout"),
    pytest.param(["--bom"], True, "utf-8", id="stdout-bom"),
    pytest.param(["-o"], True, "utf-8", id="file"),
    pytest.param(["-o", "--bom"], True, "utf-8", id="file-bom"),
    pytest.param(["--out-encoding", "gb18030"], False, "gb18030", id="gb18030"),
    pytest.param(["--out-encoding", "GBK"], False, "gb18030", id="gbk-is-gb18030"),
    pytest.param(["-o", "--out-encoding", "gb18030"], False, "gb18030", id="file-gb18030"),
    pytest.param(["--bom", "--out-encoding", "gb18030"], False, "gb18030", id="gb18030-no-bom"),
]


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "register.csv"
    path.write_text(REGISTER, "utf-8")
    return path


def output(runner: CliRunner, tmp_path: Path, args: list[str]) -> bytes:
    """What the command writes: stdout, or the file of `-o` (put in place of the bare "-o")."""
    out = tmp_path / "out.csv"
    args = [a for part in args for a in ((part, str(out)) if part == "-o" else (part,))]
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr
    return out.read_bytes() if "-o" in args else bytes(result.stdout_bytes)


@pytest.mark.parametrize(("options", "bom", "encoding"), CASES)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_csv_output_honours_bom_and_out_encoding(
    runner: CliRunner,
    tmp_path: Path,
    register: Path,
    command: str,
    options: list[str],
    bom: bool,
    encoding: str,
) -> None:
    args = [*COMMANDS[command], str(register), *AS_OF]
    plain = output(runner, tmp_path, args).decode("utf-8")
    data = output(runner, tmp_path, [*args, *options])
    assert data.startswith(BOM) == bom
    assert data.removeprefix(BOM).decode(encoding) == plain  # nothing lost or replaced
    assert plain.count("\r\n") >= 2 and not plain.startswith("\ufeff")


@pytest.mark.parametrize(
    ("command", "text"),
    [
        pytest.param("due", "广西𠀀䶮农业有限公司", id="due-outside-gbk"),
        pytest.param("due-by-holder", '"百色🍊果业,合作社"', id="holders-emoji-quoted"),
        pytest.param("summary-by-county", "田东县", id="summary-county"),
    ],
)
def test_gb18030_keeps_every_character(
    runner: CliRunner, tmp_path: Path, register: Path, command: str, text: str
) -> None:
    args = [*COMMANDS[command], str(register), *AS_OF, "--out-encoding", "gb18030"]
    data = output(runner, tmp_path, args)
    assert text.encode("gb18030") in data


@pytest.mark.parametrize(("options", "bom"), [([], False), (["-o"], True)], ids=["stdout", "file"])
def test_check_csv_goes_through_the_writer(
    runner: CliRunner, tmp_path: Path, register: Path, options: list[str], bom: bool
) -> None:
    data = output(runner, tmp_path, ["check", str(register), *AS_OF, "-f", "csv", *options])
    assert data.startswith(BOM) == bom
    assert data.removeprefix(BOM).decode("utf-8").startswith("file,line,column,value,")


@pytest.mark.parametrize("command", ["due", "summary"])
def test_a_bad_out_encoding_is_a_usage_error(
    runner: CliRunner, register: Path, command: str
) -> None:
    result = run(runner, *COMMANDS[command], str(register), "--out-encoding", "latin-1")
    assert result.exit_code == 2
    assert "--out-encoding" in result.stderr
