"""--city / --county read the rows of other places only for their place (issue 10): the
selection, the repeats and the later cycles must still be exactly those of a full read.

Each case is a register and a scope. The items of `due --all --format json` with the scope
must equal the items of the full read that fall in the scope, every problem of a row in the
scope must be reported as in the full read, and every row is still accounted for.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import run

ROOT = Path(__file__).resolve().parents[1]
HEAD = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期\n"


def register(*rows: str) -> bytes:
    return (HEAD + "".join(row + "\n" for row in rows)).encode("utf-8")


CROSS_PLACE = {
    # An in-scope row repeating an earlier row of another city (same number, same expiry): the
    # later row is the repeat, whichever place it is in.
    "repeat-of-an-earlier-row-outside": register(
        "LB-45-21030512341A,甲公司,茶叶,绿色食品,南宁市,武鸣区,2021-03-05,2024-03-04,",
        "lb 45 21030512341a,甲公司,茶叶,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,",
    ),
    # A row outside repeating an earlier in-scope row: reported too (it involves one).
    "repeat-later-outside": register(
        "LB-45-21030512341A,甲公司,茶叶,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,",
        "LB-45-21030512341A,甲公司,茶叶,绿色食品,南宁市,武鸣区,2021-03-05,2024-03-04,",
    ),
    # A green certificate of the same holder name and product in another county: a holder is
    # a name in a place, so it is a namesake's, not the next cycle (issue 17): the old
    # certificate stays expired, in the scoped read as in the full one.
    "next-cycle-outside": register(
        "LB-45-21030512341A,乙 合作社,芒果,绿色食品,百色市,田东县,2021-03-05,2024-03-04,",
        "LB-45-24030512341A,乙合作社,芒果,绿色食品,南宁市,武鸣区,2024-03-05,2027-03-04,",
    ),
    # An organic number kept on re-certification, the later cycle in another city.
    "organic-next-cycle-outside": register(
        "123OP2300001,丙公司,大米,有机产品,百色市,右江区,2023-01-10,2024-01-09,",
        "123OP2300001,丙公司,大米,有机产品,柳州市,柳江区,2024-01-10,2025-01-09,",
    ),
    # A number first held outside, then twice in scope: both rows in scope repeat the first
    # one (the second pass re-reads them, so the later one no longer names the middle row).
    "repeats-in-scope-of-a-row-outside": register(
        "LB-45-21030512341A,甲公司,茶叶,绿色食品,南宁市,武鸣区,2021-03-05,2024-03-04,",
        "LB-45-21030512341A,甲公司,茶叶,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,",
        "LB-45-21030512341A,甲公司,茶叶,绿色食品,百色市,田东县,2021-03-05,2024-03-04,",
        "LB-45-21030512349A,丁公司,茶叶,绿色食品,百色市,田东县,2021-03-05,2024-03-04,",
    ),
    # A row outside listing two numbers, one of them repeated later in scope.
    "listed-numbers-outside": register(
        '"LB-45-21030512341A、LB-45-21030512342A",甲公司,"茶叶、大米",绿色食品,南宁市,武鸣区,'
        "2021-03-05,2024-03-04,",
        "LB-45-21030512342A,甲公司,大米,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,",
    ),
    # A row outside whose holder and product meet a row in scope, repeating an earlier row
    # outside that meets nothing: a repeat, and no next cycle (another place besides).
    "a-repeat-outside-is-no-later-cycle": register(
        "LB-45-24030512349A,乙公司,大米,绿色食品,柳州市,柳江区,2024-03-05,2027-03-04,",
        "LB-45-21030512341A,甲公司,茶叶,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,",
        "LB-45-24030512349A,甲公司,茶叶,绿色食品,南宁市,武鸣区,2024-03-05,2027-03-04,",
    ),
    # A namesake's certificates outside, in a row listing two numbers and their two products.
    "listed-numbers-outside-next-cycle": register(
        "LB-45-21030512341A,甲公司,大米,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,",
        "LB-45-24030512342A、LB-45-24030512343A,甲公司,茶叶、大米,绿色食品,南宁市,武鸣区,"
        "2024-03-05,2027-03-04,",
    ),
    # A namesake's certificate outside, its name typed with a space and full-width letters.
    "next-cycle-outside-spelled-otherwise": register(
        "LB-45-21030512341A,ABC合作社,芒果,绿色食品,百色市,田东县,2021-03-05,2024-03-04,",
        "LB-45-24030512341A,ＡＢＣ 合作社,芒果,绿色食品,南宁市,武鸣区,2024-03-05,2027-03-04,",
    ),
    # One number, two holders (issue 17): the in-scope certificate stays pending whether the
    # other holder's row outside is later, earlier, or has the same dates, and the clash is
    # reported on the later row.
    "clash-later-cycle-outside": register(
        "LB-45-21090112341A,田阳南山农业有限公司,芒果,绿色食品,百色市,田阳区,2021-09-02,2024-09-01,",
        "LB-45-21090112341A,武鸣绿源合作社,沃柑,绿色食品,南宁市,武鸣区,2023-09-02,2026-09-01,",
    ),
    "clash-same-dates-outside": register(
        "LB-45-21090112341A,田阳南山农业有限公司,芒果,绿色食品,百色市,田阳区,2021-09-02,2024-09-01,",
        "lb 45 21090112341a,武鸣绿源合作社,沃柑,绿色食品,南宁市,武鸣区,2021-09-02,2024-09-01,",
    ),
    "clash-earlier-row-outside": register(
        "LB-45-21090112341A,武鸣绿源合作社,沃柑,绿色食品,南宁市,武鸣区,2023-09-02,2026-09-01,",
        "LB-45-21090112341A,田阳南山农业有限公司,芒果,绿色食品,百色市,田阳区,2021-09-02,2024-09-01,",
    ),
    # An organic number: one holder's next cycle outside supersedes, another holder's (a
    # clash) does not, whichever comes first.
    "organic-clash-and-next-cycle-outside": register(
        "1245OP2300123,丙公司,大米,有机产品,百色市,右江区,2023-12-10,2024-12-09,",
        "1245OP2300123,戊公司,茶叶,有机产品,柳州市,柳江区,2024-03-10,2025-03-09,",
        "1245OP2300456,己公司,大米,有机产品,百色市,右江区,2023-12-10,2024-12-09,",
        "1245OP2300456,己公司,大米,有机产品,柳州市,柳江区,2024-03-10,2025-03-09,",
    ),
    # Broken places anywhere are reported; a bad date outside the scope is not read.
    "broken-places-and-bad-rows-outside": register(
        "LB-45-21030512341A,甲公司,茶叶,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,",
        "LB-45-21030512342A,乙公司,茶叶,绿色食品,南宁市,田阳区,2021-03-05,2024-03-04,",
        "LB-45-21030512343A,丙公司,茶叶,绿色食品,南宁市,不存在县,2021-03-05,2024-03-04,",
        "LB-45-21030512344A,丁公司,茶叶,绿色食品,南宁市,武鸣区,2021-02-30,,",
        "LB-45-21030512345A,戊公司,茶叶,未知类型,南宁市,武鸣区,2021-03-05,,",
        ",,,,,,,,",
        "合计,,,,,,,,",
    ),
}
FILES = {
    "untidy": (ROOT / "examples" / "untidy_register.csv").read_bytes(),
    "whole-plan": (ROOT / "examples" / "whole_plan_register.csv").read_bytes(),
    "sample": (ROOT / "src" / "renewal_cli" / "data" / "sample_register.csv").read_bytes(),
    **CROSS_PLACE,
}
SCOPES = [("--city", "百色"), ("--county", "田阳"), ("--city", "南宁"), ("--county", "武鸣")]


def due(runner: CliRunner, path: Path, *scope: str) -> tuple[list[dict[str, object]], str]:
    done = run(
        runner, "due", str(path), "--all", "--format", "json", "--as-of", "2024-06-01", *scope
    )
    assert done.exit_code in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout or "[]"), done.stderr


def problem_lines(stderr: str) -> set[int]:
    return {int(n) for n in re.findall(r"第 (\d+) 行", stderr)}


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: f"{s[0]}={s[1]}")
@pytest.mark.parametrize("name", FILES)
def test_scoped_read_matches_the_full_read(
    runner: CliRunner, tmp_path: Path, name: str, scope: tuple[str, str]
) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(FILES[name])
    everything, full_err = due(runner, path)
    scoped, scoped_err = due(runner, path, *scope)
    option, place = scope
    field = "city" if option == "--city" else "county"
    expected = [i for i in everything if place in str(i[field] or "")]
    assert scoped == expected
    # Every problem row of the scoped run is one the full read reports as well, and every
    # problem the full read reports on a row of the scope is reported again.
    assert problem_lines(scoped_err) <= problem_lines(full_err)
    in_scope_lines = {
        line
        for line, text in enumerate(FILES[name].decode("utf-8-sig", "replace").splitlines(), 1)
        if place in text
    }
    assert problem_lines(full_err) & in_scope_lines <= problem_lines(scoped_err)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("repeat-of-an-earlier-row-outside", ("第 3 行", "与第 2 行重复")),
        ("repeat-later-outside", ("第 3 行", "与第 2 行重复")),
        ("repeats-in-scope-of-a-row-outside", ("第 3 行", "第 4 行", "与第 2 行重复")),
        ("listed-numbers-outside", ("第 3 行", "与第 2 行重复")),
        ("clash-later-cycle-outside", ("第 3 行", "第 2 行相同", "武鸣绿源合作社")),
        ("clash-same-dates-outside", ("第 3 行", "第 2 行相同", "田阳南山农业有限公司")),
        ("clash-earlier-row-outside", ("第 3 行", "第 2 行相同", "武鸣区")),
        (
            "broken-places-and-bad-rows-outside",
            ("第 3 行", "第 4 行", "第 6 行", "1 行在所选地区以外"),
        ),
    ],
)
def test_rows_outside_are_checked_and_counted(
    runner: CliRunner, tmp_path: Path, name: str, words: tuple[str, ...]
) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(FILES[name])
    _, stderr = due(runner, path, "--city", "百色")
    for word in words:
        assert word in stderr, stderr


@pytest.mark.parametrize(
    ("name", "statuses"),
    [
        # A number kept on re-certification: the next cycle anywhere supersedes.
        ("organic-next-cycle-outside", ["superseded"]),
        # Green food: only the same holder's next cycle, and a holder is a name in a place.
        ("next-cycle-outside", ["expired"]),
        ("next-cycle-outside-spelled-otherwise", ["expired"]),
        ("listed-numbers-outside-next-cycle", ["expired"]),
        ("a-repeat-outside-is-no-later-cycle", ["expired"]),
        # Another holder's certificate under the number never supersedes.
        ("clash-later-cycle-outside", ["pending"]),
        ("clash-same-dates-outside", ["pending"]),
        ("clash-earlier-row-outside", ["pending"]),
        ("organic-clash-and-next-cycle-outside", ["pending", "superseded"]),
    ],
)
def test_later_cycles_outside_the_scope(
    runner: CliRunner, tmp_path: Path, name: str, statuses: list[str]
) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(FILES[name])
    items, _ = due(runner, path, "--city", "百色")
    renewals = [i for i in items if i["kind"] == "renewal"]
    assert [i["status"] for i in renewals] == statuses
