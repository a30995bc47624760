"""A register read for some places is shared with a second process (forked.py, issue 10): it
must read exactly as one process does, and leave nothing running behind it.

Each case is a register; each is read with --city-like scopes once in one process and once in
two (the size limit lowered to 0, so small files fork too), and everything the reading gives
must be equal: the certificates and problems in order, the counts, and the keys of the rows
outside the scope.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from renewal_cli import forked
from renewal_cli.places import Scope, guangxi
from renewal_cli.policy import PLANS
from renewal_cli.register import Register, open_register
from renewal_cli.sources import Row, csvfile

ROOT = Path(__file__).resolve().parents[1]
HEAD = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期\n"
ROWS = [
    "LB-45-21030512341A,甲公司,茶叶,绿色食品,南宁市,武鸣区,2021-03-05,2024-03-04,",
    "LB-45-21030512342A,乙公司,茶叶,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,",
    "LB-45-21030512343A,丙公司,大米,绿色食品,柳州市,柳江区,2021-06-01,2024-05-31,",
    "LB-45-21030512344A,丁公司,芒果,绿色食品,百色市,田东县,2021-02-30,,",
]


def register(*rows: str, encoding: str = "utf-8", newline: str = "\n") -> bytes:
    text = HEAD + "".join(row + "\n" for row in rows)
    return text.replace("\n", newline).encode(encoding)


CASES = {
    "plain": register(*ROWS * 20),
    # A repeat on either side of the point where the second process takes over, and the next
    # cycle of an in-scope certificate in another city.
    "repeats-across": register(
        *ROWS,
        "lb 45 21030512342a,乙公司,茶叶,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,",
        "LB-45-24030512342A,乙公司,茶叶,绿色食品,南宁市,武鸣区,2024-03-05,2027-03-04,",
        "LB-45-21030512341A,甲公司,茶叶,绿色食品,南宁市,武鸣区,2021-03-05,2024-03-04,",
    ),
    # Quotes: a cell over two lines, a stray quote, a quoted row outside the scope.
    "quotes": register(
        ROWS[0],
        '"LB-45-21030512351A",戊公司,"茶叶\n（春茶）",绿色食品,百色市,右江区,2021-03-05,2024-03-04,',
        'LB-45-21030512352A,"己公司,绿色食品,南宁市,武鸣区,2021-03-05,2024-03-04,',
        *ROWS,
        '"LB-45-21030512353A",庚公司,茶叶,绿色食品,"南宁市",武鸣区,2021-03-05,2024-03-04,',
        *ROWS,
    ),
    # Broken places, unknown schemes, blank and summary rows, short and long rows, controls.
    "untidy-rows": register(
        *ROWS,
        "LB-45-21030512361A,辛公司,茶叶,绿色食品,南宁市,田阳区,2021-03-05,2024-03-04,",
        "LB-45-21030512362A,壬公司,茶叶,绿色食品,南宁市,不存在县,2021-03-05,2024-03-04,",
        "LB-45-21030512363A,癸公司,茶叶,未知类型,南宁市,武鸣区,2021-03-05,,",
        ",,,,,,,,",
        "LB-45-21030512364A,子公司,茶叶",
        "LB-45-21030512365A,丑公司,茶叶,绿色食品,南宁市,武鸣区,2021-03-05,2024-03-04,,多,余",
        "LB-45-21030512366A,寅\x1b公司,茶叶,绿色食品,南宁市,武鸣区,2021-03-05,2024-03-04,",
        *ROWS,
        "合计,,,,,,,,",
    ),
    "gbk-crlf": register(*ROWS * 5, encoding="gb18030", newline="\r\n"),
    "utf-8-bom": b"\xef\xbb\xbf" + register(*ROWS * 5),
    # The child goes on with the parent's decoder, so even UTF-16 is read on from mid-file.
    "utf-16": register(*ROWS * 5, encoding="utf-16"),
    # Bytes GB18030 does not decode after the fork (and after the 64K characters sniffed for
    # the delimiter): the first line they are on is reported.
    "undecodable-later": register(*ROWS * 300, encoding="gb18030")
    + b"LB-45-1,\xff\xff,x,\xe7\xbb\xbf,\n",
    "untidy-example": (ROOT / "examples" / "untidy_register.csv").read_bytes(),
    "whole-plan-example": (ROOT / "examples" / "whole_plan_register.csv").read_bytes(),
}
SCOPES = {
    "百色市": Scope(cities=frozenset({"百色市"})),
    "武鸣区": Scope(counties=frozenset({"武鸣区"})),
}


def read(path: Path, scope: Scope) -> tuple[Register, list[Any], list[tuple[int, int]]]:
    opened = open_register(path, policy=PLANS[2024], places=guangxi())
    opened.scope = scope
    entries = list(opened)
    opened.outside.flush()
    outside = opened.outside
    keys = sorted(zip(outside.lines, outside.numbers, strict=True))
    return opened, entries, keys


@pytest.fixture
def one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvfile, "FORK_FROM_BYTES", 1 << 62)


@pytest.fixture
def two_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    if not forked.can_fork():
        pytest.skip("no fork here (not Linux, one core, or another thread)")
    monkeypatch.setattr(csvfile, "FORK_FROM_BYTES", 0)


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("name", CASES)
def test_two_processes_read_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, scope: str
) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(CASES[name])
    if not forked.can_fork():
        pytest.skip("no fork here (not Linux, one core, or another thread)")
    monkeypatch.setattr(csvfile, "FORK_FROM_BYTES", 1 << 62)
    alone, alone_entries, alone_keys = read(path, SCOPES[scope])
    monkeypatch.setattr(csvfile, "FORK_FROM_BYTES", 0)
    shared, shared_entries, shared_keys = read(path, SCOPES[scope])
    assert not getattr(alone.rows, "forked", False)
    assert getattr(shared.rows, "forked", False), "the read was not shared"
    assert shared_entries == alone_entries
    assert shared.counts == alone.counts
    assert shared_keys == alone_keys


def dying_after(sent: int) -> Any:
    """A child that sends `sent` items, one a message, then dies without its end."""

    def drain(items: Any, write_end: int, parent: int, *_: Any) -> None:  # pragma: no cover
        import pickle

        with os.fdopen(write_end, "wb") as pipe:
            for count, item in enumerate(items):
                if count == sent:
                    break
                record = tuple(item) if type(item) is Row else item
                pickle.dump(("items", [record], None), pipe)
        os._exit(1)

    return drain


@pytest.mark.parametrize("sent", [0, 1, 3])
def test_the_parent_reads_on_when_the_child_dies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, two_processes: None, sent: int
) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(CASES["repeats-across"] + "\n".join(ROWS * 10).encode())
    monkeypatch.setattr(csvfile, "FORK_FROM_BYTES", 1 << 62)
    alone, alone_entries, alone_keys = read(path, SCOPES["百色市"])
    monkeypatch.setattr(csvfile, "FORK_FROM_BYTES", 0)
    monkeypatch.setattr(forked, "_drain", dying_after(sent))
    shared, shared_entries, shared_keys = read(path, SCOPES["百色市"])
    assert (shared_entries, shared.counts, shared_keys) == (alone_entries, alone.counts, alone_keys)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork")
def test_no_child_outlives_a_read_stopped_early(tmp_path: Path, two_processes: None) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(register(*ROWS * 2000))
    opened = open_register(path, policy=PLANS[2024], places=guangxi())
    opened.scope = SCOPES["百色市"]
    entries = iter(opened)
    next(entries)
    next(entries)
    assert getattr(opened.rows, "forked", False)
    entries.close()  # like `| head -1` or Ctrl-C: the reading generator is closed
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_only_the_parent_reports_progress(tmp_path: Path, two_processes: None) -> None:
    """The bar is drawn by the parent alone, from the positions the child sends, and never
    goes back (a child drawing on its own copy of the bar would write to the terminal)."""
    path = tmp_path / "register.csv"
    path.write_bytes(register(*ROWS * 10_000))
    told = tmp_path / "told.txt"

    def progress(done: int) -> None:
        with told.open("a") as out:  # a file: what a child would do is seen here too
            out.write(f"{os.getpid()} {done}\n")

    opened = open_register(path, policy=PLANS[2024], places=guangxi())
    opened.scope = SCOPES["百色市"]
    opened.watch(progress)
    list(opened)
    assert getattr(opened.rows, "forked", False)
    reports = [tuple(map(int, line.split())) for line in told.read_text().splitlines()]
    assert len(reports) >= 2
    assert {pid for pid, _ in reports} == {os.getpid()}
    positions = [done for _, done in reports]
    assert positions == sorted(positions)
