"""Pass one's keys decide what the certificates decide today (keys.py).

Each register is read twice: as every command reads it today (the register's repeat check,
then rules.successors and check.overlaps over the certificates), and as pass one reads it (a
repeat check watching no number, repeats.Watched: every row's certificates, kept as keys). The decisions made from the keys
must be today's answers: the same rows left out as repeats (naming the same earlier row), the
same clash warnings, the same successors on any day, the same overlaps. With hash functions
that collide on purpose, `Verifier.exact` must catch every answer a collision changed.
"""

from __future__ import annotations

import csv
import importlib
import io
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renewal_cli.crosscheck import overlaps as check_overlaps
from renewal_cli.keys import (
    Hasher,
    Keys,
    Lineages,
    Rows,
    Verifier,
    decide_rows,
    hasher,
    lineages,
    overlap_groups,
    overlaps,
    successors,
    successors_in,
    watched,
)
from renewal_cli.models import Certificate, Problem, ProblemCode
from renewal_cli.places import guangxi
from renewal_cli.policy import policy_for
from renewal_cli.register import open_register
from renewal_cli.repeats import Watched
from renewal_cli.rules import successors as rules_successors

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*register*.csv"))
SAMPLE = ROOT / "src" / "renewal_cli" / "data" / "sample_register.csv"
DAYS = [date(2019, 1, 1), date(2022, 6, 30), date(2024, 6, 1), date(2024, 12, 31), date(2031, 1, 1)]


Sources = list[tuple[str, bytes]]


def read(
    sources: Sources, seen: dict[Any, Any]
) -> tuple[list[tuple[int, Certificate]], list[Problem]]:
    certificates: list[tuple[int, Certificate]] = []
    problems: list[Problem] = []
    for index, (name, data) in enumerate(sources):
        register = open_register(
            data, policy=policy_for(2024), places=guangxi(), name=name, seen=seen
        )
        for entry in register:
            if isinstance(entry, Certificate):
                certificates.append((index, entry))
            else:
                problems.append(entry)
    return certificates, problems


class Case:
    """Today's reading and pass one's keys of some registers."""

    def __init__(self, sources: Sources, hash_of: Hasher = hash) -> None:
        self.sources = sources
        today, self.problems = read(sources, {})
        self.today = [c for _, c in today]
        first, _ = read(sources, Watched(lambda _: False))
        self.first = [c for _, c in first]
        self.keys = Keys(hash=hash_of, overlaps=True)
        for index, c in first:
            self.keys.add(index, c)
        self.rows = decide_rows(self.keys)

    def name(self, index: int) -> tuple[str, int]:
        return self.sources[self.keys.register[index]][0], self.keys.line[index]

    def survivors(self) -> list[int]:
        return [i for i in range(len(self.keys)) if not self.rows.dropped[i]]


def decisions_hold(case: Case, rows: Rows) -> bool:
    """Whether the rows decided are today's: the repeats (and whom they repeat), the clashes
    (with every value their warning names) and the certificates left."""
    repeats = {
        (p.source, p.line): (p.detail["first_file"], p.detail["first_line"])
        for p in case.problems
        if p.code in (ProblemCode.DUPLICATE, ProblemCode.DUPLICATE_ACROSS)
    }
    mine = {
        case.name(start): (case.name(earlier)[0], str(case.name(earlier)[1]))
        for start, earlier in rows.repeats.items()
    }
    if repeats != mine:
        return False
    clashes = {
        (p.source, p.line): p.detail for p in case.problems if p.code is ProblemCode.NUMBER_CLASH
    }
    found = {}
    for start, (earlier, own) in rows.clashes.items():
        one, other = case.first[earlier], case.first[own]
        found[case.name(start)] = {
            "first_file": case.name(earlier)[0],
            "first_line": str(one.line),
            "holder": one.enterprise,
            "product": one.product,
            "place": one.county or one.city,
            "own_holder": other.enterprise,
            "own_product": other.product,
            "own_place": other.county or other.city,
        }
    if clashes != found:
        return False
    left = [case.first[i] for i in range(len(case.first)) if not rows.dropped[i]]
    return left == case.today


def successors_hold(case: Case, found: dict[int, int], as_of: date) -> bool:
    position = {index: n for n, index in enumerate(case.survivors())}
    today = rules_successors(case.today, as_of)
    at = {id(c): n for n, c in enumerate(case.today)}
    return {position[i]: position[j] for i, j in found.items()} == {
        n: at[id(c)] for n, c in today.items()
    }


def overlaps_hold(case: Case, pairs: list[tuple[int, int]]) -> bool:
    today = [
        (p.source, p.line, p.detail["other_line"], p.detail["other"])
        for p in check_overlaps(case.today)
    ]
    mine = [
        (*case.name(later), str(case.keys.line[earlier]), case.first[earlier].cert_id)
        for later, earlier in pairs
    ]
    return today == mine


def verified(case: Case, rows: Rows, found: list[Lineages], groups: list[list[int]]) -> bool:
    with Verifier(case.keys, watched(rows, *found, overlapping=groups), bound=7) as verifier:
        for index, c in enumerate(case.first):
            verifier.see(index, c)
        return verifier.exact()


def assert_today(case: Case) -> None:
    assert decisions_hold(case, case.rows)
    for as_of in DAYS:
        assert successors_hold(case, successors(case.keys, case.rows.dropped, as_of), as_of)
    assert overlaps_hold(case, overlaps(case.keys, overlap_groups(case.keys, case.rows.dropped)))
    found = [lineages(case.keys, case.rows.dropped, d.toordinal()) for d in DAYS]
    groups = overlap_groups(case.keys, case.rows.dropped)
    assert verified(case, case.rows, found, groups)


def bench_register(rows: int, seed: int) -> bytes:
    """A register from the benchmark's generator (repeats, earlier cycles, bad dates)."""
    benchmarks = str(ROOT / "benchmarks")
    if benchmarks not in sys.path:
        sys.path.insert(0, benchmarks)
    bench: Any = importlib.import_module("bench_scale")
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.csv"
        bench.write_register(path, rows, "utf-8", seed % 2, seed)
        return path.read_bytes()


@pytest.mark.parametrize(
    "paths",
    [pytest.param([p], id=p.name) for p in [*EXAMPLES, SAMPLE]]
    + [pytest.param([EXAMPLES[0], SAMPLE, EXAMPLES[0]], id="three-registers-one-twice")],
)
def test_registers_of_the_suite(paths: list[Path]) -> None:
    assert_today(Case([(p.name, p.read_bytes()) for p in paths]))


@pytest.mark.parametrize(
    ("rows", "seed", "twice"),
    [
        pytest.param(2000, 11, False, id="2000-rows"),
        pytest.param(600, 12, True, id="600-rows-read-twice"),
    ],
)
def test_generated_registers(rows: int, seed: int, twice: bool) -> None:
    data = bench_register(rows, seed)
    sources = [("a.csv", data), ("b.csv", data)] if twice else [("a.csv", data)]
    case = Case(sources)
    if twice:  # every row of the second file repeats one of the first
        assert len(case.rows.repeats) >= rows // 2
    assert case.rows.repeats or twice
    assert_today(case)


# Registers drawn from small pools of numbers, holders, products, places and days, so that
# repeats, clashes, renewals under one number or one holder, and overlaps are common.
NUMBERS = ["LB-45-1", "lb451", "LB-45-2", "1120OP01", "1120 op01", "X9", "X1、X2", "X2、X1"]
HOLDERS = ["甲公司", "甲 公司", "乙公司", "ＡＢ农场", "ab农场"]
PRODUCTS = ["茶叶", "大米", "茶 叶"]
PLACES = [("百色市", "田阳区"), ("百色市", "田东县"), ("南宁市", "")]
GRADES = ["", "A", "AA", "a"]
ISSUED = [date(2018, 3, 1), date(2019, 3, 1), date(2021, 3, 1), date(2021, 3, 2), date(2024, 1, 1)]
HEADER = [
    "证书编号",
    "企业名称",
    "产品名称",
    "认证类型",
    "市",
    "县区",
    "发证日期",
    "有效期至",
    "级别",
]


@st.composite
def rows_of(draw: st.DrawFn) -> list[str]:
    number = draw(st.sampled_from(NUMBERS))
    listed = "、" in number
    product = "茶叶、大米" if listed else draw(st.sampled_from(PRODUCTS))
    scheme = draw(st.sampled_from(["绿色食品", "有机"]))
    city, county = draw(st.sampled_from(PLACES))
    issued = draw(st.sampled_from(ISSUED))
    years = draw(st.sampled_from([0, 1, 3]))
    expires = (
        ""
        if years == 0
        else (
            issued.replace(year=issued.year + years)
            - timedelta(days=draw(st.sampled_from([1, 0, -40])))
        ).isoformat()
    )
    return [
        number,
        draw(st.sampled_from(HOLDERS)),
        product,
        scheme,
        city,
        county,
        issued.isoformat(),
        expires,
        draw(st.sampled_from(GRADES)),
    ]


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


registers = st.lists(st.lists(rows_of(), min_size=1, max_size=14), min_size=1, max_size=3)


@settings(max_examples=60, deadline=None)
@given(registers)
def test_decided_as_today(files: list[list[list[str]]]) -> None:
    assert_today(Case([(f"r{n}.csv", csv_bytes(rows)) for n, rows in enumerate(files)]))


def _collide(width: int) -> Hasher:
    """A hash that puts every text in one of `width` buckets: collisions everywhere."""
    return lambda text: len(text) % width


COLLIDING: list[Callable[[str], int]] = [_collide(1), _collide(3), lambda text: hash(text) & 7]


@settings(max_examples=60, deadline=None)
@given(registers, st.sampled_from(range(len(COLLIDING))))
def test_a_collision_never_changes_an_answer(files: list[list[list[str]]], which: int) -> None:
    """Decisions made through a hash that collides are only trusted when the verifier finds
    no collision among the values compared; whenever one changed an answer, it says so."""
    sources = [(f"r{n}.csv", csv_bytes(rows)) for n, rows in enumerate(files)]
    case = Case(sources, COLLIDING[which])
    found = [lineages(case.keys, case.rows.dropped, d.toordinal()) for d in DAYS]
    groups = overlap_groups(case.keys, case.rows.dropped)
    if not verified(case, case.rows, found, groups):
        return
    assert decisions_hold(case, case.rows)
    for as_of, lineage in zip(DAYS, found, strict=True):
        assert successors_hold(case, successors_in(case.keys, lineage), as_of)
    assert overlaps_hold(case, overlaps(case.keys, groups))


def test_a_collision_is_caught() -> None:
    """Two different numbers of one hash: pass one takes them for one, the verifier does not."""
    rows = [
        [
            "LB-45-1",
            "甲公司",
            "茶叶",
            "绿色食品",
            "百色市",
            "田阳区",
            "2021-03-01",
            "2024-02-29",
            "",
        ],
        [
            "LB-45-2",
            "甲公司",
            "茶叶",
            "绿色食品",
            "百色市",
            "田阳区",
            "2021-03-01",
            "2024-02-29",
            "",
        ],
    ]
    case = Case([("r.csv", csv_bytes(rows))], _collide(1))
    assert case.rows.repeats  # wrongly: the two numbers hash alike
    assert not verified(case, case.rows, [], [])
    assert_today(Case([("r.csv", csv_bytes(rows))], hasher(1)))


@pytest.mark.parametrize("attempt", [0, 1, 2], ids=["python", "blake2b-1", "blake2b-2"])
def test_hashers(attempt: int) -> None:
    h = hasher(attempt)
    values = {h(text) for text in ("", "lb451", "甲公司", "\ud800")}
    assert len(values) == 4
    assert all(-(2**63) <= v < 2**63 for v in values)
    assert h("甲公司") == h("甲公司")
