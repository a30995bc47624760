"""A workbook's rows past its header come in runs (sources.Rows), and read as rows one by one.

xlsx.py gives the rows the header may be among one at a time, each ending at its last filled
cell (as the header's labels must); past them, rows of the grid's width, a run at a time, so
that the register keys the rows outside --city or --county in bulk. These tests build long
registers with what a run must not hide planted inside the runs (a blank row, a merged holder,
date cells, an extra cell past the header, "_x" in a name, a number repeated outside the scope,
a cell too large)
and with the header at the edges of the header search, and check that every job's output is
the same, byte for byte, as when every row comes alone (the header search made endless for
the source, so that it never starts the runs: how workbooks were read before them).
"""

from __future__ import annotations

from datetime import date
from itertools import cycle
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import run
from renewal_cli import xlsx
from renewal_cli.header import HEADER_SEARCH_LINES
from renewal_cli.models import Problem, ProblemCode
from renewal_cli.sources import Row, Rows
from renewal_cli.xlsx import read_xlsx
from test_xlsx import Cell, Sheet, write_xlsx

AS_OF = "2024-06-01"
HEADER: list[Cell] = ["证书编号", "企业名称", "产品名称", "认证类型", "市", "县区", "发证日期",
                      "有效期至"]  # fmt: skip
PLACES = [("百色市", "田阳区"), ("南宁市", "武鸣区"), ("桂林市", "荔浦市"), ("百色市", "凌云县")]
ROWS = 2600
"""Data rows: more than two runs of xlsx._RUN rows past the header search."""


def _row(n: int, place: tuple[str, str]) -> list[Cell]:
    year = 20 + n % 5
    return [f"LB-45-{year:02d}03{n:07d}A", f"第{n}号公司", "芒果", "绿色食品", *place,
            f"20{year}-03-05", f"20{year + 3}-03-04"]  # fmt: skip


def long_register(titles: int) -> Sheet:
    """`titles` title rows (after three rows of padding alone), the header, ROWS data rows."""
    rows: list[list[Cell]] = [["\u3000", None], [" "], ["\u3000\u00a0", "\u200b"]]
    rows += [[f"填表说明第{k}行"] for k in range(titles)]
    rows.append(HEADER)
    places = cycle(PLACES)
    rows += [_row(n, next(places)) for n in range(ROWS)]
    body = len(rows) - ROWS  # the index of the first data row
    rows[body + 300] = [None] * 8  # a blank row inside a run
    for n in (1200, 1201, 1202):  # one holder over three products, merged in the workbook
        rows[body + n][1] = "合并公司"
        rows[body + n][4:6] = ["百色市", "田阳区"]
    rows[body + 1500][6:8] = [date(2021, 3, 5), date(2024, 3, 4)]  # date cells
    rows[body + 1700].append("多出来的")  # a cell past the header
    rows[body + 1800][1] = "甲_x公司"  # "_x", not an escape
    rows[body + 2100] = _row(7, ("南宁市", "武鸣区"))  # row 7's number again, outside 百色
    rows[body + 320][2] = "长" * 40_000  # a cell longer than Excel holds: a problem
    start = body + 1 + 1200  # the merged rows' sheet row
    return Sheet("台账", rows, merges=(f"B{start}:B{start + 2}",))


JOBS = [
    pytest.param(("due", "--city", "百色", "--within", "365", "-f", "csv"), id="due-city-csv"),
    pytest.param(("due", "--all", "-f", "json"), id="due-all-json"),
    pytest.param(("check", "-f", "json"), id="check-json"),
    pytest.param(("summary",), id="summary"),
]
TITLES = [
    pytest.param(0, id="header-first"),
    pytest.param(HEADER_SEARCH_LINES - 1, id="header-50th"),
    pytest.param(HEADER_SEARCH_LINES, id="header-last-searched"),
    pytest.param(HEADER_SEARCH_LINES + 1, id="header-past-the-search"),
]


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("runs")
    return {
        titles: write_xlsx(folder / f"r{titles}.xlsx", [long_register(titles)])
        for titles in (0, HEADER_SEARCH_LINES - 1, HEADER_SEARCH_LINES, HEADER_SEARCH_LINES + 1)
    }


@pytest.mark.parametrize("titles", TITLES)
@pytest.mark.parametrize("job", JOBS)
def test_rows_in_runs_read_as_rows_alone(
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    books: dict[int, Path],
    job: tuple[str, ...],
    titles: int,
) -> None:
    args = (*job, "--as-of", AS_OF, str(books[titles]))
    in_runs = run(runner, *args)
    monkeypatch.setattr(xlsx, "HEADER_SEARCH_LINES", 1 << 30)
    alone = run(runner, *args)
    assert (in_runs.exit_code, in_runs.stdout, in_runs.stderr) == (
        alone.exit_code,
        alone.stdout,
        alone.stderr,
    )
    if titles <= HEADER_SEARCH_LINES:
        # check exits 1 for the problems planted: the extra cell and the repeated number.
        assert in_runs.exit_code == (job[0] == "check"), in_runs.stderr
        assert len(in_runs.stdout) > 500


@pytest.mark.parametrize(
    ("titles", "alone"),
    [
        pytest.param(0, HEADER_SEARCH_LINES + 5, id="header-first"),
        pytest.param(HEADER_SEARCH_LINES, HEADER_SEARCH_LINES + 5, id="header-last-searched"),
    ],
)
def test_rows_past_the_header_search_come_in_runs(
    books: dict[int, Path], titles: int, alone: int
) -> None:
    """The rows the header may be among come one at a time, trimmed; the others in runs of
    the grid's width (but the run holding the blank row and the cell too large)."""
    entries = list(read_xlsx(books[titles], "book.xlsx"))
    singles = [e for e in entries if type(e) is Row]
    runs = [e for e in entries if type(e) is Rows]
    problems = [e for e in entries if type(e) is Problem]
    assert [(p.line, p.code) for p in problems] == [(titles + 5 + 320, ProblemCode.CELL_TOO_LARGE)]
    header = next(e for e in singles if e.cells[0] == "证书编号")
    assert header.cells == HEADER
    assert sum(len(run.cells) for run in runs) > ROWS - 2 * 1024
    assert {len(cells) for run in runs for cells in run.cells} == {len(HEADER) + 1}
    assert len(singles) <= alone + 1024
    lines = [e.line for e in singles] + [
        run.line + n for run in runs for n in range(len(run.cells))
    ]
    lines += [p.line for p in problems if p.line is not None]
    assert sorted(lines) == sorted(set(lines))
    assert len(lines) == titles + 1 + ROWS + 3  # the blank row too: it is counted as blank
