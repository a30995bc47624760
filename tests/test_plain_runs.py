"""A CSV register is read a run of plain lines at a time (sources/text.py): the lines without
a quote or a control character, split at once, and those outside --city / --county judged and
keyed at once (outside.py). It must read exactly as every line read alone does.

Each case is a register; each is read once as it is and once with no run of plain lines (every
line taken alone, as a line with a quote is), with no scope and with two, and everything the
reading gives must be equal: the certificates and problems in order, the counts, and the rows
outside the scope that a number finds.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renewal_cli.places import Scope, guangxi
from renewal_cli.policy import PLANS
from renewal_cli.register import Counts, open_register
from renewal_cli.rules import number_key
from renewal_cli.sources import CONTROL
from renewal_cli.sources.text import Text

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
    # Repeats and the next cycle of an in-scope certificate in another city.
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
        "LB-45-21030512367A,卯公司\t（分公司）,茶叶,绿色食品,南宁市,武鸣区,2021-03-05,2024-03-04,",
        *ROWS,
        "合计,,,,,,,,",
    ),
    # Line breaks of every kind, a line break inside a cell (U+2028), a last line without one.
    "line-breaks": (HEAD + ROWS[0] + "\r\n" + ROWS[1] + "\r" + ROWS[2] + "\n\n").encode()
    + (ROWS[1].replace("乙公司", "乙\u2028公司") + "\n" + ROWS[3]).encode(),
    "gbk-crlf": register(*ROWS * 5, encoding="gb18030", newline="\r\n"),
    "utf-8-bom": b"\xef\xbb\xbf" + register(*ROWS * 5),
    "utf-16": register(*ROWS * 5, encoding="utf-16"),
    "tab-delimited": register(*ROWS * 5).replace(b",", b"\t"),
    # Bytes GB18030 does not decode, after the first chunk of text (the file cannot be read).
    "undecodable-later": register(*ROWS * 3000, encoding="gb18030")
    + b"LB-45-1,\xff\xff,x,\xe7\xbb\xbf,\n",
    # A line longer than the cell limit among plain ones.
    "huge-line": register(ROWS[0], "LB-45-2," + "乙" * 140_000 + ",茶叶,绿色食品,百色市", *ROWS),
    "untidy-example": (ROOT / "examples" / "untidy_register.csv").read_bytes(),
    "whole-plan-example": (ROOT / "examples" / "whole_plan_register.csv").read_bytes(),
}
SCOPES = {
    "everywhere": None,
    "百色市": Scope(cities=frozenset({"百色市"})),
    "武鸣区": Scope(counties=frozenset({"武鸣区"})),
}
NUMBERS = re.compile(r"(?i)lb[- ]45[- ]\d+a")


def read(path: Path, scope: Scope | None) -> tuple[list[Any], Counts, frozenset[int]]:
    opened = open_register(path, policy=PLANS[2024], places=guangxi())
    entries = list(opened.entries(scope=scope))
    text = path.read_bytes().decode("utf-8", "replace")
    numbers = {hash(number_key(n)) for n in NUMBERS.findall(text)}
    return entries, opened.counts, opened.involved(numbers)


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("name", CASES)
def test_runs_of_plain_lines_read_as_lines_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, scope: str
) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(CASES[name])
    runs = read(path, SCOPES[scope])
    monkeypatch.setattr(Text, "plain", lambda self: None)
    alone = read(path, SCOPES[scope])
    assert runs == alone
    _, counts, involved = runs
    assert counts.rows or name == "undecodable-later"
    if SCOPES[scope] is not None and name == "plain":
        assert counts.outside and involved


def test_progress_is_told_the_bytes_read(tmp_path: Path) -> None:
    """The bar (cli/common) is told how far the reading is, more than once, never backwards,
    and never past the file."""
    path = tmp_path / "register.csv"
    path.write_bytes(register(*ROWS * 20_000))
    told: list[tuple[int, int]] = []
    opened = open_register(path, policy=PLANS[2024], places=guangxi())
    opened.watch(lambda done: told.append((os.getpid(), done)))
    list(opened.entries(scope=SCOPES["百色市"]))
    positions = [done for _, done in told]
    assert len(positions) >= 2
    assert positions == sorted(positions)
    assert 0 < positions[-1] <= path.stat().st_size


# Every kind of line end, the line breaks of str.splitlines that are control characters here,
# quotes, controls, spaces that are not printable (U+3000), and ordinary text.
PIECES = ["\n", "\r\n", "\r", "\x0b", "\x1c", "\x85", "\u2028", '"', "\x1b", "\t", "\u3000"]
PIECES += [",", "甲", "a", "1"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.sampled_from([",", "\t"]),
    st.integers(min_value=3, max_value=40),
)
def test_text_takes_every_line_as_line_iteration_splits_it(
    text: str, delimiter: str, limit: int
) -> None:
    """Taking runs of plain lines and single lines in turn gives back every line the text's
    own line iteration gives, in order and numbered, each plain one split at the delimiter and
    holding no quote, control character or cell near the limit."""
    expected = list(io.StringIO(text, newline=""))
    source = Text(io.StringIO(text, newline=""), delimiter, limit)
    source._chunk = 7  # chunks end everywhere: inside a line, between \r and \n …
    got: list[str] = []
    while True:
        plain = source.plain()
        if plain is not None:
            first, rows = plain
            assert first == len(got) + 1
            for cells in rows:
                line = expected[len(got)] if len(got) < len(expected) else ""
                bare = line.rstrip("\r\n")
                assert delimiter.join(cells) == bare
                assert '"' not in bare and len(bare) < limit
                assert not CONTROL.search(bare.replace(delimiter, ""))
                got.append(line)
            continue
        taken = source.line()
        if taken is None:
            break
        number, line = taken
        assert number == len(got) + 1
        got.append(line)
    assert got == expected
