"""Whole-register jobs in two passes (twopass.py) give what the jobs that hold every
certificate give: the same bytes, the same problems, the same counts.

Each case runs the job both ways on the same registers: jobs.select_items and the list
renderers, jobs.check_registers, jobs.summarize_register (holding every certificate), and the
two-pass job (holding keys, sorting rendered records externally, with a small bound so that
the sorts spill).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renewal_cli import sorted_out, twopass
from renewal_cli.holders import group_by_holder
from renewal_cli.jobs import (
    Outcome,
    check_registers,
    open_registers,
    select_items,
    summarize_register,
)
from renewal_cli.messages import Lang
from renewal_cli.models import RECORD_KEYS, Problem
from renewal_cli.output.checkfile import render_check_csv, render_check_json, render_check_table
from renewal_cli.output.csvfile import render_csv
from renewal_cli.output.csvwriter import csv_lines
from renewal_cli.output.holderfile import headings, render_holders_csv, render_holders_json
from renewal_cli.output.jsonfile import render_json
from renewal_cli.output.streamed import check_csv, check_json, check_table, json_array
from renewal_cli.output.summaryfile import render_summary_json
from renewal_cli.present import field_label
from renewal_cli.request import Request, SelectionArgs, build_request
from renewal_cli.yearend import SummaryBy
from test_keys import EXAMPLES, SAMPLE, bench_register, csv_bytes, registers

TODAY = date(2024, 6, 1)


@pytest.fixture(autouse=True)
def small_sorts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sorts that spill after a few records, so the runs on disk are merged in every case."""
    monkeypatch.setattr(sorted_out, "BOUND", 7)


def request_of(paths: list[Path], **options: object) -> Request:
    args = SelectionArgs(register=[str(p) for p in paths], as_of="2024-06-01", **options)  # type: ignore[arg-type]
    return build_request(args, today=TODAY)


def facts(outcome: Outcome) -> tuple[object, ...]:
    return (outcome.parts, outcome.problems, outcome.failed, outcome.uncovered_years)


def due_both(
    request: Request, fmt: str, raw: bool = False, by_holder: bool = False
) -> tuple[bytes, bytes]:
    lang = request.lang
    today = select_items(request, open_registers(request))
    if by_holder:
        holders = group_by_holder(today.items)
        if fmt == "json":
            old = render_holders_json(holders)
        else:
            old = render_holders_csv(holders, lang, raw=raw)
    else:
        old = render_json(today.items) if fmt == "json" else render_csv(today.items, lang, raw=raw)
    items, outcome = twopass.due_items(
        request, open_registers(request), fmt=fmt, lang=lang, raw=raw, by_holder=by_holder
    )
    assert facts(outcome) == facts(today)
    assert items is not None
    try:
        assert items.count == len(today.items)
        assert items.statuses == {i.status for i in today.items}
        if fmt == "json":
            new = "".join(json_array(items.texts()))
        else:
            names = headings(lang) if by_holder else [field_label(k, lang) for k in RECORD_KEYS]
            new = "".join(csv_lines(names, items.rows()))
    finally:
        items.close()
    return old.encode(), new.encode()


def check_both(request: Request) -> None:
    today = check_registers(request, open_registers(request))
    checked, outcome = twopass.check_problems(request, open_registers(request))
    try:
        assert (outcome.parts, outcome.failed) == (today.parts, today.failed)
        assert list(checked.problems()) == today.problems
        assert checked.count == len(today.problems)
        assert checked.errors == any(p.severity.value == "error" for p in today.problems)
        for lang in Lang:
            assert "".join(check_json(checked.problems(), lang)) == render_check_json(
                today.problems, lang
            )
            assert "".join(check_table(checked.problems(), lang)) == render_check_table(
                today.problems, lang
            )
            for bom in (False, True):
                assert b"".join(check_csv(checked.problems(), lang, bom=bom)) == render_check_csv(
                    today.problems, lang, bom=bom
                )
    finally:
        checked.close()


def summary_both(request: Request, by: SummaryBy) -> None:
    rows, today = summarize_register(request, open_registers(request), by)
    flat, outcome = twopass.summary_rows(request, open_registers(request), by)
    assert facts(outcome) == facts(today)
    policy = request.policy
    assert render_summary_json(
        flat, plan_year=policy.plan_year, plan_used=2024
    ) == render_summary_json(rows, plan_year=policy.plan_year, plan_used=2024)


SELECTIONS: list[dict[str, object]] = [
    {"all_": True},
    {},
    {"all_": True, "scheme": ["organic"]},
    {"all_": True, "status": ["superseded", "late"]},
    {"kind": ["annual_inspection"], "within": 400},
    {"all_": True, "lang": "en"},
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("twopass") / "generated.csv"
    path.write_bytes(bench_register(1500, 21))
    return path


def suite_registers(generated: Path) -> list[list[Path]]:
    return [[p] for p in [*EXAMPLES, SAMPLE, generated]] + [[generated, EXAMPLES[0], generated]]


@pytest.mark.parametrize("fmt", ["json", "csv", "csv-raw"])
@pytest.mark.parametrize("chosen", range(len(SELECTIONS)), ids=lambda n: f"selection{n}")
def test_due(generated: Path, fmt: str, chosen: int) -> None:
    for paths in suite_registers(generated):
        old, new = due_both(request_of(paths, **SELECTIONS[chosen]), fmt[:4], raw=fmt == "csv-raw")
        assert new == old, paths


@pytest.mark.parametrize("fmt", ["json", "csv", "csv-raw"])
@pytest.mark.parametrize("chosen", [0, 1, 5], ids=lambda n: f"selection{n}")
def test_due_by_holder(generated: Path, fmt: str, chosen: int) -> None:
    for paths in suite_registers(generated):
        request = request_of(paths, **SELECTIONS[chosen])
        old, new = due_both(request, fmt[:4], raw=fmt == "csv-raw", by_holder=True)
        assert new == old, paths


def test_check(generated: Path) -> None:
    for paths in suite_registers(generated):
        check_both(request_of(paths))


@pytest.mark.parametrize("by", list(SummaryBy))
@pytest.mark.parametrize(
    "options",
    [{}, {"city": ["百色"]}, {"county": ["田阳区"], "scheme": ["green"]}, {"plan_year": 2025}],
    ids=["all", "city", "county-scheme", "plan-2025"],
)
def test_summary(generated: Path, by: SummaryBy, options: dict[str, object]) -> None:
    for paths in suite_registers(generated):
        summary_both(request_of(paths, **options), by)


@settings(max_examples=40, deadline=None)
@given(registers, st.sampled_from(SELECTIONS[:4]))
def test_drawn_registers(
    tmp_path_factory: pytest.TempPathFactory,
    files: list[list[list[str]]],
    chosen: dict[str, object],
) -> None:
    folder = tmp_path_factory.mktemp("drawn")
    paths = []
    for n, rows in enumerate(files):
        path = folder / f"r{n}.csv"
        path.write_bytes(csv_bytes(rows))
        paths.append(path)
    request = request_of(paths, **chosen)
    for fmt in ("json", "csv"):
        for by_holder in (False, True):
            old, new = due_both(request, fmt, by_holder=by_holder)
            assert new == old
    check_both(request)
    summary_both(request, SummaryBy.COUNTY)


ROWS = [
    ["LB-45-1", "甲公司", "茶叶", "绿色食品", "百色市", "田阳区", "2021-03-01", "", ""],
    ["LB-45-2", "乙公司", "茶叶", "绿色食品", "百色市", "田阳区", "2021-03-01", "", ""],
    ["LB-45-2", "乙公司", "茶叶", "绿色食品", "百色市", "田阳区", "2024-03-01", "", ""],
]


@pytest.mark.parametrize(
    "then",
    [
        pytest.param(ROWS[1:], id="a-row-gone"),
        pytest.param(
            [ROWS[0], ROWS[1], [*ROWS[2][:1], "丙公司", *ROWS[2][2:]]], id="a-holder-renamed"
        ),
        pytest.param(
            [ROWS[0], [*ROWS[1][:2], "大米", *ROWS[1][3:]], ROWS[2]], id="a-product-changed"
        ),
    ],
)
@pytest.mark.parametrize("job", ["due", "check", "summary"])
def test_a_register_changed_between_the_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, then: list[list[str]], job: str
) -> None:
    """Rows that pass two does not find where pass one left them, or whose values are not the
    ones pass one kept (of a certificate compared with another: LB-45-2's two cycles): the file
    changed, and nothing of it is used."""
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes(ROWS))
    first_pass = twopass.first_pass

    def then_changed(*args: object, **kwargs: object) -> twopass.First:
        found = first_pass(*args, **kwargs)  # type: ignore[arg-type]
        path.write_bytes(csv_bytes(then))
        return found

    monkeypatch.setattr(twopass, "first_pass", then_changed)
    request = request_of([path], all_=True)
    if job == "due":
        items, outcome = twopass.due_items(
            request, open_registers(request), fmt="json", lang=Lang.ZH
        )
        assert items is None
        problems = outcome.problems
    elif job == "check":
        checked, outcome = twopass.check_problems(request, open_registers(request))
        problems = list(checked.problems())
        assert checked.errors
        checked.close()
    else:
        rows, outcome = twopass.summary_rows(request, open_registers(request), SummaryBy.CITY)
        assert rows == []
        problems = outcome.problems
    assert outcome.failed
    assert [p.code.value for p in problems] == ["changed"]


def test_a_collision_makes_the_run_again(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a first hash that collides everywhere, the verifier sends the run round again
    with the next one, and the output is as it should be."""
    made = twopass.hasher
    attempts: list[int] = []

    def colliding(attempt: int) -> twopass.Hasher:
        attempts.append(attempt)
        return (lambda text: len(text) % 2) if attempt == 0 else made(attempt)

    monkeypatch.setattr(twopass, "hasher", colliding)
    request = request_of([generated, EXAMPLES[0]], all_=True)
    old, new = due_both(request, "json")
    assert new == old
    assert attempts == [0, 1]


def test_a_second_pass_tells_the_progress_bar(tmp_path: Path) -> None:
    """A register read again (Register.reread, as each pass is) tells the same watcher how far
    it has read, so the bar of a large register moves in both passes."""
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes(ROWS * 2000))  # more than the source's first chunk
    (register,) = open_registers(request_of([path]))
    told: list[int] = []
    register.watch(told.append)
    again = register.reread(frozenset(), {})
    assert len([e for e in again if not isinstance(e, Problem)]) == 3  # the rest repeat them
    assert told and told == sorted(told) and told[-1] == path.stat().st_size
