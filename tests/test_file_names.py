"""Files as a shell or a Windows zip gives them (issue 17, points 11 and 12).

- An Excel lock file (~$台账.xlsx, the owner file Excel leaves beside an open workbook) named on
  the command line, as `*.xlsx` gives it, is skipped with one line; a run given nothing else
  says so and stops (exit 2), never falling back to the sample.
- A file name whose bytes are not UTF-8 (GBK from a zip made on Chinese Windows) is shown
  readably in every message and in the outputs that carry the file name; the files here are real
  files with such byte names, made in tmp_path.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import run
from renewal_cli.files import shown_name

AS_OF = ("--as-of", "2024-06-01")
HEADER = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至\n"
GOOD = "LB-45-21090212001A,田阳南山农业有限公司,芒果,绿色食品,百色市,田阳区,2021-09-02,2024-09-01\n"
# A row with a problem, so that a problem message names the file too.
BAD = "LB-45-21090212002A,田阳某公司,芒果,地理标志,百色市,田阳区,2021-09-02,2024-09-01\n"


def owner_file(path: Path) -> Path:
    """What Excel writes beside an open workbook: 165 bytes, the user's name in front."""
    user = b"officer"
    data = bytes([len(user)]) + user.ljust(53, b" ") + "officer".encode("utf-16-le")
    path.write_bytes(data.ljust(165, b"\x00"))
    return path


def register(path: Path, rows: str = GOOD) -> Path:
    # Each file its own certificate number, so that no two files repeat one.
    number = f"{sum(path.name.encode('utf-8', 'surrogateescape')) % 1000:03d}"
    path.write_text(HEADER + rows.replace("001A", number + "A"), "utf-8")
    return path


# --- Point 11: Excel lock files ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "extra", "code", "said", "not_said"),
    [
        pytest.param(
            ("~$台账.xlsx", "台账.csv"),
            (),
            0,
            ("已跳过 ", "~$台账.xlsx", "锁定文件", "台账.csv：1 行，1 个证书"),
            ("合计", "找不到表头", "Traceback"),
            id="glob-with-lock-and-register",
        ),
        pytest.param(
            ("~$甲.xlsx", "甲.csv", "乙.csv"),
            (),
            0,
            ("~$甲.xlsx", "合计 2 个台账：2 行，2 个证书"),
            ("合计 3 个台账",),
            id="lock-not-counted-among-registers",
        ),
        pytest.param(
            ("~$台账.xlsx", "台账.csv"),
            ("--lang", "en"),
            0,
            ("skipped ", "~$台账.xlsx", "lock file Excel leaves"),
            ("已跳过",),
            id="english",
        ),
        pytest.param(
            ("~$台账.xlsx",),
            (),
            2,
            ("没有可读的台账", "~$台账.xlsx", "锁定文件", "请指定工作簿本身"),
            ("内置示例", "找不到表头", "Traceback"),
            id="only-a-lock-file",
        ),
        pytest.param(
            ("~$台账.xlsx",),
            ("--lang", "en"),
            2,
            ("no register to read", "~$台账.xlsx", "Name the workbook itself"),
            ("sample",),
            id="only-a-lock-file-english",
        ),
    ],
)
def test_lock_files_named_are_skipped(
    runner: CliRunner,
    tmp_path: Path,
    files: tuple[str, ...],
    extra: tuple[str, ...],
    code: int,
    said: tuple[str, ...],
    not_said: tuple[str, ...],
) -> None:
    paths = [
        owner_file(tmp_path / n) if n.startswith("~$") else register(tmp_path / n) for n in files
    ]
    args = ("due", "--all", "--kind", "renewal", "--format", "json", *AS_OF, *extra)
    result = run(runner, *args, *map(str, paths))
    assert result.exit_code == code, result.stderr
    for words in said:
        assert words in result.stderr
    for words in not_said:
        assert words not in result.stderr
    if code:
        assert result.stdout == ""
    else:
        assert len(json.loads(result.stdout)) == len(files) - 1


@pytest.mark.parametrize("command", ["due", "check", "summary", "calendar"])
def test_every_command_skips_a_lock_file(runner: CliRunner, tmp_path: Path, command: str) -> None:
    lock = owner_file(tmp_path / "~$台账.xlsx")
    data = register(tmp_path / "台账.csv")
    result = run(runner, command, *AS_OF, str(lock), str(data))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("~$台账.xlsx") == 1
    assert f"{data}：1 行，1 个证书" in result.stderr


def test_quiet_keeps_the_skip_silent(runner: CliRunner, tmp_path: Path) -> None:
    """--quiet (a cron job) says nothing when all is well: a workbook left open is not a fault."""
    lock = owner_file(tmp_path / "~$台账.xlsx")
    data = register(tmp_path / "台账.csv")
    out = tmp_path / "out.ics"
    result = run(runner, "calendar", "--quiet", *AS_OF, "-o", str(out), str(lock), str(data))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert out.exists()


def test_a_folder_still_skips_lock_files_silently(runner: CliRunner, tmp_path: Path) -> None:
    owner_file(tmp_path / "~$台账.xlsx")
    register(tmp_path / "台账.csv")
    result = run(runner, "due", *AS_OF, str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert "~$" not in result.stderr


# --- Point 12: file names that are not UTF-8 -----------------------------------------------------


def byte_name(folder: Path, raw: bytes) -> Path:
    """A path in `folder` whose last part has exactly the bytes `raw` (as os.fsdecode gives it)."""
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + raw))


GBK_NAME = "台账.csv".encode("gbk")  # b"\xcc\xa8\xd5\xcb.csv": \xcc\xa8 alone is UTF-8's U+0328
NAMES = [
    pytest.param(GBK_NAME, "台账.csv", id="gbk"),
    pytest.param("田阳区台账2024.csv".encode("gb18030"), "田阳区台账2024.csv", id="gb18030-digits"),
    pytest.param(b"\xff\xfe.csv", "\\xff\\xfe.csv", id="not-gbk-either"),
]


@pytest.mark.parametrize(("raw", "shown"), NAMES)
def test_shown_name(tmp_path: Path, raw: bytes, shown: str) -> None:
    path = byte_name(tmp_path, raw)
    assert shown_name(path) == f"{shown_name(tmp_path)}/{shown}"
    assert shown_name(str(path)).encode("utf-8")  # never a lone surrogate


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("台账.csv", "台账.csv", id="utf-8-untouched"),
        pytest.param("县区/" + os.fsdecode(GBK_NAME), "县区/台账.csv", id="utf-8-folder-gbk-file"),
        pytest.param(
            os.fsdecode("百色".encode("gbk")) + "/台账.csv", "百色/台账.csv", id="gbk-folder"
        ),
    ],
)
def test_shown_name_part_by_part(name: str, expected: str) -> None:
    assert shown_name(name) == expected


def _commands(tmp_path: Path) -> list[tuple[str, list[str]]]:
    return [
        ("due", ["due", "--all"]),
        ("due-json", ["due", "--format", "json"]),
        ("check", ["check"]),
        ("check-json", ["check", "--format", "json"]),
        ("check-csv", ["check", "--format", "csv"]),
        ("summary", ["summary"]),
        ("calendar", ["calendar", "-o", str(tmp_path / "out.ics")]),
        ("notice", ["notice", "--office", "百色市农业农村局", "-o", str(tmp_path / "notices")]),
    ]


COMMANDS = ["due", "due-json", "check", "check-json", "check-csv", "summary", "calendar", "notice"]


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize(("raw", "shown"), NAMES)
def test_non_utf8_file_name_is_shown_readably(
    runner: CliRunner, tmp_path: Path, name: str, raw: bytes, shown: str
) -> None:
    path = register(byte_name(tmp_path, raw), GOOD + BAD)
    args = dict(_commands(tmp_path))[name]
    result = run(runner, *args, *AS_OF, str(path))
    assert result.exit_code == (1 if args[0] == "check" else 0), result.stderr
    assert "Traceback" not in result.stderr and "出错了" not in result.stderr
    assert "\\udc" not in result.stderr + result.stdout
    if args[0] != "check":
        # The problem line and the count line both name the file readably.
        lines = result.stderr.splitlines()
        assert any(line.startswith(f"{shown_name(path)} 第 3 行") for line in lines)
        counted = f"{shown_name(path)}：2 行，1 个证书，1 行有问题"
        assert any(line.startswith(counted) for line in lines)
    if name == "check":
        assert f"{shown} 第 3 行" in result.stdout
    if name == "check-json":
        assert {p["file"] for p in json.loads(result.stdout)} == {str(shown_name(path))}
    if name == "check-csv":
        rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
        assert rows[1][0] == shown_name(path)


def test_output_to_a_non_utf8_folder_is_named_readably(runner: CliRunner, tmp_path: Path) -> None:
    folder = byte_name(tmp_path, "百色".encode("gbk"))
    folder.mkdir()
    data = register(tmp_path / "台账.csv")
    result = run(runner, "calendar", *AS_OF, str(data), "-o", str(folder / "out.ics"))
    assert result.exit_code == 0, result.stderr
    assert f"{shown_name(tmp_path)}/百色/out.ics" in result.stderr
    assert (folder / "out.ics").exists()
