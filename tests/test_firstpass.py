"""Pass one's cheap reading (firstpass.py) keeps exactly the keys of the full reading.

Each register is read both ways: in full (every row through the register's reading, with no
repeat check, each certificate keyed: what pass one did before) and as pass one reads it now
(plain rows keyed from their cells). Every key array must be equal, and so must the
certificates the summary leaves out and whether the reading failed. The plain path must also
really be taken: on the benchmark's register nearly every row is keyed from its cells.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from renewal_cli import keys as keys_module
from renewal_cli.firstpass import keyed_register
from renewal_cli.keys import Keys
from renewal_cli.models import Certificate, Problem, Scheme
from renewal_cli.places import guangxi
from renewal_cli.policy import policy_for
from renewal_cli.register import Register, open_register
from renewal_cli.repeats import Watched
from renewal_cli.yearend import counted
from test_keys import EXAMPLES, HEADER, SAMPLE, bench_register, csv_bytes, registers

ARRAYS = ("number", "holder", "product", "kind", "overlap", "place", "issued", "expires")


def chosen(scheme: Scheme, city: str, county: str | None) -> bool:
    """A summary's scope: 百色 only, organic only (so that both tests leave some out)."""
    return city == "百色市" or scheme is Scheme.ORGANIC


def opened(sources: list[tuple[str, bytes]]) -> list[Register]:
    return [
        open_register(data, policy=policy_for(2024), places=guangxi(), name=name)
        for name, data in sources
    ]


def in_full(sources: list[tuple[str, bytes]]) -> tuple[Keys, bytearray, bool]:
    """The keys as the full reading gives them (pass one before firstpass.py)."""
    keys, left_out, failed = Keys(overlaps=True), bytearray(), False
    for index, register in enumerate(opened(sources)):
        for entry in register.reread(frozenset(), Watched(lambda _: False)):
            if isinstance(entry, Certificate):
                keys.add(index, entry)
                left_out.append(
                    not (counted(entry) and chosen(entry.scheme, entry.city, entry.county))
                )
            else:
                assert isinstance(entry, Problem)
                failed = failed or entry.fatal
    return keys, left_out, failed


def cheaply(sources: list[tuple[str, bytes]]) -> tuple[Keys, bytearray, bool]:
    keys, left_out, failed = Keys(overlaps=True), bytearray(), False
    for index, register in enumerate(opened(sources)):
        for problem in keyed_register(register, index, keys, left_out, chosen).keyed():
            failed = failed or problem.fatal
    return keys, left_out, failed


def assert_same(sources: list[tuple[str, bytes]]) -> None:
    full, full_out, full_failed = in_full(sources)
    cheap, cheap_out, cheap_failed = cheaply(sources)
    assert list(cheap.line) == list(full.line)
    assert list(cheap.register) == list(full.register)
    for name in ARRAYS:
        assert list(getattr(cheap, name)) == list(getattr(full, name)), name
    assert cheap.places == full.places
    assert cheap_out == full_out
    assert cheap_failed == full_failed


def row(number: str = "LB-45-1", **changes: str) -> list[str]:
    cells = dict(
        zip(
            HEADER,
            [
                "LB-45-1",
                "甲公司",
                "茶叶",
                "绿色食品",
                "百色市",
                "田阳区",
                "2021-03-01",
                "2024-02-28",
                "A",
            ],
            strict=True,
        )
    )
    cells["证书编号"] = number
    cells.update(changes)
    return list(cells.values())


# Rows the plain path must leave to the full reading, each after a plain row (so that the
# register's memory of the last row is tested too), and plain rows after them.
ODD_ROWS = {
    "date-with-note": row(有效期至="2024-02-28（已续展）"),
    "range-under-expiry": row(有效期至="2021-03-01至2024-02-28"),
    "bad-date": row(发证日期="2021-02-30"),
    "no-expiry-derived": row(有效期至=""),
    "no-issue-derived": row(发证日期=""),
    "no-dates": row(发证日期="", 有效期至=""),
    "expiry-before-issue": row(有效期至="2020-01-01"),
    "several-numbers": row("LB-45-1、LB-45-2", 产品名称="茶叶、大米"),
    "full-width-number": row("ＬＢ－４５－１"),
    "unknown-scheme": row(认证类型="无公害"),
    "mingte": row(认证类型="名特优新"),
    "unknown-place": row(市="火星市"),
    "merged-holder": row(企业名称=""),
    "merged-place": row(市="", 县区=""),
    "summary-row": ["合计", "", "", "", "", "", "", "", ""],
    "blank-row": [""] * 9,
    "serial-only": ["12", "", "", "", "", "", "", "", ""],
    "extra-cell": [*row(), "多余"],
    "short-row": row()[:7],
    "holder-first-word": row("", 证书编号="甲公司"),
}


@pytest.mark.parametrize("odd", list(ODD_ROWS.values()), ids=list(ODD_ROWS))
def test_rows_left_to_the_full_reading(odd: list[str]) -> None:
    rows = [row("LB-45-9"), odd, row("LB-45-8", 企业名称="乙公司"), odd, row("LB-45-7")]
    assert_same([("odd.csv", csv_bytes(rows))])


@pytest.mark.parametrize(
    "paths",
    [pytest.param([p], id=p.name) for p in [*EXAMPLES, SAMPLE]]
    + [pytest.param([EXAMPLES[0], SAMPLE, EXAMPLES[0]], id="three-registers-one-twice")],
)
def test_registers_of_the_suite(paths: list[Path]) -> None:
    assert_same([(p.name, p.read_bytes()) for p in paths])


def test_the_benchmark_register_is_keyed_from_its_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    sources = [("bench.csv", bench_register(2000, 11))]
    assert_same(sources)
    certificates = []
    monkeypatch.setattr(keys_module.Keys, "add", lambda self, index, c: certificates.append(c.line))
    keys, _, _ = cheaply(sources)
    # The generator writes a bad date every 500 rows and little else that is not plain.
    assert len(keys) > 1900
    assert len(certificates) < len(keys) // 50


@settings(max_examples=60, deadline=None)
@given(registers)
def test_drawn_registers(files: list[list[list[str]]]) -> None:
    assert_same([(f"r{n}.csv", csv_bytes(rows)) for n, rows in enumerate(files)])
