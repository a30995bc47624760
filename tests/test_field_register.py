"""Issue 7, the register and rules points, as tables of cases on registers written for the tests.

Each register here is made up for the test (holders 甲公司, 乙公司 … in real Guangxi places) in
the forms real offices keep: stray quotes, repeats, last cycle's rows, 29 February, control
characters, 序号 and 合计 rows, two-row headers, validity ranges, notes after dates, GF codes,
merged cells, two numbers in one cell and 百色市本级. Every register is also checked for the
issue's "done means": every row is a certificate row, a problem row, or a counted blank or
summary row, and every physical line is accounted for.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

import pytest

from conftest import D
from renewal_cli.dates import expiry_from_issue, issue_from_expiry
from renewal_cli.messages import Lang
from renewal_cli.models import Certificate, Kind, Problem, ProblemCode, Scheme, Severity, Status
from renewal_cli.places import guangxi
from renewal_cli.policy import policy_for
from renewal_cli.present import describe_problem
from renewal_cli.register import Register, open_register
from renewal_cli.rules import Selection, select
from renewal_cli.sources import clean_cell

H = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至"


def row(
    number: str,
    holder: str = "甲公司",
    product: str = "芒果",
    *,
    scheme: str = "绿色食品",
    city: str = "百色市",
    county: str = "田阳区",
    issued: str = "2021-03-05",
    expires: str = "2024-03-04",
) -> str:
    """A row under H."""
    return f"{number},{holder},{product},{scheme},{city},{county},{issued},{expires}"


def register_of(*lines: str) -> str:
    return "\n".join(lines) + "\n"


@dataclass
class Read:
    register: Register
    entries: list[Certificate | Problem]
    text: str

    @property
    def certificates(self) -> list[Certificate]:
        return [e for e in self.entries if isinstance(e, Certificate)]

    @property
    def problems(self) -> list[Problem]:
        return [e for e in self.entries if isinstance(e, Problem)]

    def codes(self, *codes: ProblemCode) -> list[tuple[int, ProblemCode]]:
        return [(p.line, p.code) for p in self.problems if not codes or p.code in codes]

    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


def read(text: str, *, continuation_lines: int = 0) -> Read:
    """Read a register and check that every row and every line of it is accounted for.

    `continuation_lines`: physical lines that continue a record (a quoted cell holding a line
    break), so belong to a row counted once.
    """
    register = open_register(
        text.encode("utf-8"), policy=policy_for(2024), places=guangxi(), name="t.csv"
    )
    entries = list(register)
    found = Read(register, entries, text)
    counts = register.counts
    if register.failed:
        return found
    certificate_rows = {c.line for c in found.certificates}
    assert counts.certificates == len(found.certificates)
    assert counts.rows == len(certificate_rows) + counts.problems, counts
    assert not certificate_rows & {p.line for p in found.errors()}
    assert counts.lines == text.count("\n")
    assert counts.lines == (
        counts.title_lines
        + counts.header_lines
        + counts.blank
        + counts.summary
        + counts.rows
        + continuation_lines
    ), counts
    return found


def described(problem: Problem) -> tuple[str, str]:
    return describe_problem(problem, Lang.ZH), describe_problem(problem, Lang.EN)


# --- 1. Stray quotes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "continuation", "numbers", "stray_lines", "error_lines"),
    [
        pytest.param(
            register_of(H, row("LB-1"), row("LB-2", '"乙公司'), row("LB-3"), row("LB-4")),
            0,
            {2: ["LB-1"], 3: ["LB-2"], 4: ["LB-3"], 5: ["LB-4"]},
            [3],
            [],
            id="unclosed-quote-mid-file",
        ),
        pytest.param(
            register_of(
                H,
                row("LB-1"),
                row("LB-2", '"乙公司'),
                row("LB-3"),
                row("LB-4", '丁公司"'),
                row("LB-5"),
            ),
            0,
            {2: ["LB-1"], 3: ["LB-2"], 4: ["LB-3"], 5: ["LB-4"], 6: ["LB-5"]},
            [3],
            [],
            id="two-stray-quotes-pair-up",
        ),
        pytest.param(
            register_of(
                H,
                row("LB-1"),
                row("LB-2", expires='"2024-03-04'),
                row("LB-3", '"丙公司'),
                row("LB-4"),
            ),
            0,
            {2: ["LB-1"], 3: ["LB-2"], 4: ["LB-3"], 5: ["LB-4"]},
            [3],
            [],
            id="two-stray-quotes-pair-up-in-the-next-row",
        ),
        pytest.param(
            register_of(
                H + ",备注",
                row("LB-1") + ",",
                row("LB-2") + ",",
                row("LB-3") + ',"待补材料',
                "下周补齐",
            ),
            0,
            {2: ["LB-1"], 3: ["LB-2"], 4: ["LB-3"]},
            [4],
            [5],
            id="quoted-cell-to-end-of-file",
        ),
        pytest.param(
            register_of(
                H,
                row("LB-1"),
                'LB-2,"乙公司\n（田阳分公司）",芒果,绿色食品,百色市,田阳区,2021-03-05,2024-03-04',
                row("LB-3"),
            ),
            1,
            {2: ["LB-1"], 3: ["LB-2"], 5: ["LB-3"]},
            [],
            [],
            id="legit-multi-line-cell-is-one-row",
        ),
        pytest.param(
            register_of(
                H,
                row("LB-1"),
                '"LB-2","乙公司","芒果\n\n(礼盒装)","绿色食品","百色市","田阳区","2021-03-05",""',
                row("LB-3"),
            ),
            2,
            {2: ["LB-1"], 3: ["LB-2"], 6: ["LB-3"]},
            [],
            [],
            id="legit-quoted-row-with-blank-line-inside",
        ),
    ],
)
def test_stray_quotes_never_swallow_rows(
    text: str,
    continuation: int,
    numbers: dict[int, list[str]],
    stray_lines: list[int],
    error_lines: list[int],
) -> None:
    found = read(text, continuation_lines=continuation)
    got: dict[int, list[str]] = {}
    for c in found.certificates:
        got.setdefault(c.line, []).append(c.cert_id)
    assert got == numbers
    strays = [p.line for p in found.problems if p.code is ProblemCode.STRAY_QUOTE]
    assert set(stray_lines) <= set(strays)
    if not stray_lines:
        assert strays == []
    assert all(
        p.severity is Severity.WARNING for p in found.problems if p.code is ProblemCode.STRAY_QUOTE
    )
    assert sorted({p.line for p in found.errors()}) == error_lines
    assert found.register.counts.rows == len(numbers) + len(error_lines)
    for problem in found.problems:
        if problem.code is ProblemCode.STRAY_QUOTE:
            zh, en = described(problem)
            assert f"第 {problem.line} 行" in zh and f":{problem.line}:" in en


@pytest.mark.parametrize(
    ("big_row", "codes", "where"),
    [
        pytest.param(
            'LB-2,"' + "乙" * 140_000 + '",芒果,绿色食品,百色市,田阳区,2021-03-05,',
            {ProblemCode.CELL_TOO_LARGE},
            "“企业名称”列（B 列），值“" + "乙" * 20 + "…”：",
            id="quoted",
        ),
        pytest.param(
            "LB-2," + "乙" * 140_000 + ",芒果,绿色食品,百色市,田阳区,2021-03-05,",
            {ProblemCode.CELL_TOO_LARGE},
            "“企业名称”列（B 列），值“" + "乙" * 20 + "…”：",
            id="bare",
        ),
        pytest.param(
            "LB-2,乙公司,芒果,绿色食品,百色市,田阳区,2021-03-05," + "9" * 140_000,
            {ProblemCode.CELL_TOO_LARGE},
            "“有效期至”列（H 列），值“" + "9" * 20 + "…”：",
            id="last-cell",
        ),
        pytest.param(
            'LB-2,"乙' + "x" * 140_000,
            {ProblemCode.STRAY_QUOTE, ProblemCode.CELL_TOO_LARGE},
            "",
            id="unclosed-and-huge",
        ),
    ],
)
@pytest.mark.parametrize("first", [True, False], ids=["right-after-the-header", "later"])
def test_a_cell_over_the_csv_limit_names_its_line_and_keeps_the_rest(
    big_row: str, codes: set[ProblemCode], where: str, first: bool
) -> None:
    """Its line, and the cell's column (name and letter) and opening words where the quotes
    let a scan find it, also in the row right after the header (read while finding it)."""
    before = [] if first else [row("LB-1")]
    found = read(register_of(H, *before, big_row, row("LB-3")))
    line = 2 if first else 3
    assert [(c.line, c.cert_id) for c in found.certificates] == [
        *([(2, "LB-1")] if not first else []),
        (line + 1, "LB-3"),
    ]
    assert [p.line for p in found.errors()] == [line]
    assert {p.code for p in found.problems} == codes
    for problem in found.problems:
        if problem.code is ProblemCode.CELL_TOO_LARGE:
            zh, en = described(problem)
            assert f"第 {line} 行：{where}单元格超过" in zh
            assert f":{line}:" in en and "longer than" in en


# --- 2. Repeats -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "certificate_lines", "repeats"),
    [
        pytest.param(
            [
                row("LB-45-1"),
                row("LB-45-2"),
                row("LB-45-3"),
                row("LB-45-4"),
                row("LB-45-5"),
                row("LB-45-6"),
                row("LB-45-1", issued="2024-03-05", expires="2027-03-04"),
                row("LB-45-1", issued="2024-03-05", expires="2027-03-04"),
            ],
            [2, 3, 4, 5, 6, 7, 8],
            {9: "8"},
            id="rows-2-8-9-compared-with-every-earlier-row",
        ),
        pytest.param(
            [row("LB-45-1"), row("LB-45-1", expires=""), row("LB-45-1", issued="")],
            [2],
            {3: "2", 4: "2"},
            id="derived-expiry-counts",
        ),
        pytest.param(
            [row("LB-45-1", expires=""), row("LB-45-1", issued="2021-03-05", expires="2024-03-04")],
            [2],
            {3: "2"},
            id="derived-expiry-first",
        ),
        pytest.param(
            [row("LB-45- 1"), row("LB 45 1"), row("lb-45-1"), row("ＬＢ－４５－１")],
            [2],
            {3: "2", 4: "2", 5: "2"},
            id="case-width-spaces-hyphens-ignored",
        ),
        pytest.param(
            [row("LB-45-1"), row("LB-45-2"), row("LB-45-2"), row("LB-45-1"), row("LB-45-2")],
            [2, 3],
            {4: "3", 5: "2", 6: "3"},
            id="every-repeat-names-the-earlier-line",
        ),
        pytest.param(
            [row("LB-45-1"), row("LB-45-1", issued="2024-03-05", expires="2027-03-04")],
            [2, 3],
            {},
            id="another-expiry-is-another-cycle",
        ),
    ],
)
def test_repeats(rows: list[str], certificate_lines: list[int], repeats: dict[int, str]) -> None:
    found = read(register_of(H, *rows))
    assert [c.line for c in found.certificates] == certificate_lines
    duplicates = {p.line: p.detail["first_line"] for p in found.problems}
    assert duplicates == repeats
    assert {p.code for p in found.problems} <= {ProblemCode.DUPLICATE}
    for problem in found.problems:
        assert (problem.header, problem.letter, problem.column) == ("证书编号", "A", 1)
        zh, en = described(problem)
        assert f"第 {problem.detail['first_line']} 行重复" in zh
        assert f"repeat line {problem.detail['first_line']}" in en


# --- 3. Superseded certificates -------------------------------------------------------------

HG = "证书编号,企业名称,产品名称,认证类型,级别,基地,市,县区,发证日期,有效期至"


def cycle(
    number: str,
    issued: str,
    expires: str,
    *,
    scheme: str = "有机",
    holder: str = "甲合作社",
    product: str = "茶叶",
    grade: str = "",
    base: str = "",
) -> str:
    return f"{number},{holder},{product},{scheme},{grade},{base},百色市,田阳区,{issued},{expires}"


AS_OF = D("2024-06-01")
# Wide enough that every pending item is in the default window; expired ones stay within 365 days.
DEFAULT = Selection(within=1200)
# Supersession is about renewals: green certificates also give an annual inspection (issue 8).
RENEWALS_ALL = Selection(all=True, kinds=frozenset({Kind.RENEWAL}))
RENEWALS_DEFAULT = dataclasses.replace(DEFAULT, kinds=frozenset({Kind.RENEWAL}))


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [
                cycle("1234OP2300001", "2023-03-01", "2024-02-29"),
                cycle("1234OP2300001", "2024-03-01", "2025-02-28"),
            ],
            [(2, Status.SUPERSEDED, "1234OP2300001"), (3, Status.PENDING, None)],
            id="organic-re-certified-same-number",
        ),
        pytest.param(
            [
                cycle("1234OP2300001", "2024-03-01", "2025-02-28"),
                cycle("1234 op 2300001", "2023-03-01", "2024-02-29", product="红茶"),
            ],
            [(2, Status.PENDING, None), (3, Status.SUPERSEDED, "1234OP2300001")],
            id="organic-newer-row-first-number-typed-otherwise",
        ),
        pytest.param(
            [
                cycle("LB-45-21030512345A", "2021-03-05", "2024-03-04", scheme="绿色食品"),
                cycle("LB-45-24030512345A", "2024-03-05", "2027-03-04", scheme="绿色食品"),
            ],
            [(2, Status.SUPERSEDED, "LB-45-24030512345A"), (3, Status.PENDING, None)],
            id="green-new-number-same-holder-and-product",
        ),
        pytest.param(
            [
                cycle("LB-1", "2021-03-05", "2024-03-04", scheme="绿色食品", grade="AA"),
                cycle("LB-2", "2024-03-05", "2027-03-04", scheme="绿色食品", grade="AA"),
            ],
            [(2, Status.SUPERSEDED, "LB-2"), (3, Status.PENDING, None)],
            id="same-grade",
        ),
        pytest.param(
            [
                cycle("LB-1", "2021-03-05", "2024-03-04", scheme="绿色食品", grade="AA"),
                cycle("LB-2", "2024-03-05", "2027-03-04", scheme="绿色食品", grade="A"),
            ],
            [(2, Status.EXPIRED, None), (3, Status.PENDING, None)],
            id="other-grade-supersedes-nothing",
        ),
        pytest.param(
            [
                cycle("LB-1", "2021-03-05", "2024-03-04", scheme="绿色食品", base="那坡基地"),
                cycle("LB-2", "2024-03-05", "2027-03-04", scheme="绿色食品", base="百育基地"),
            ],
            [(2, Status.EXPIRED, None), (3, Status.PENDING, None)],
            id="two-bases-of-one-holder",
        ),
        pytest.param(
            [
                cycle("O-1", "2023-03-01", "2024-02-29", base="那坡基地"),
                cycle("O-1", "2024-03-01", "2025-02-28", base="百育基地"),
            ],
            [(2, Status.EXPIRED, None), (3, Status.PENDING, None)],
            id="organic-same-number-other-base",
        ),
        pytest.param(
            [
                cycle("LB-1", "2021-07-01", "2024-06-30", scheme="绿色食品"),
                cycle("LB-2", "2024-07-01", "2027-06-30", scheme="绿色食品"),
            ],
            [(2, Status.LATE, None), (3, Status.PENDING, None)],
            id="newer-issued-after-as-of-supersedes-nothing",
        ),
        pytest.param(
            [
                cycle("LB-1", "2021-03-05", "2024-03-04", scheme="绿色食品"),
                cycle("LB-2", "2022-03-05", "2024-03-04", scheme="绿色食品"),
            ],
            [(2, Status.EXPIRED, None), (3, Status.EXPIRED, None)],
            id="issued-later-but-not-expiring-later",
        ),
        pytest.param(
            [
                cycle("LB-1", "2021-03-05", "2024-03-04", scheme="绿色食品"),
                cycle("LB-2", "2021-03-05", "2025-03-04", scheme="绿色食品"),
            ],
            [(2, Status.EXPIRED, None), (3, Status.PENDING, None)],
            id="expiring-later-but-not-issued-later",
        ),
        pytest.param(
            [
                cycle("LB-1", "2021-03-05", "2024-03-04", scheme="绿色食品"),
                cycle("LB-2", "2024-03-05", "2027-03-04", scheme="绿色食品", product="红茶"),
            ],
            [(2, Status.EXPIRED, None), (3, Status.PENDING, None)],
            id="other-product",
        ),
        pytest.param(
            [
                cycle("X-1", "2021-03-05", "2024-03-04", scheme="绿色食品"),
                cycle("X-1", "2024-03-05", "2025-03-04", scheme="有机"),
            ],
            [(2, Status.EXPIRED, None), (3, Status.PENDING, None)],
            id="other-scheme",
        ),
        pytest.param(
            [
                cycle("O-1", "2022-03-01", "2023-02-28"),
                cycle("O-1", "2023-03-01", "2024-02-29"),
                cycle("O-1", "2024-03-01", "2025-02-28"),
            ],
            [
                (2, Status.SUPERSEDED, "O-1"),
                (3, Status.SUPERSEDED, "O-1"),
                (4, Status.PENDING, None),
            ],
            id="three-cycles",
        ),
    ],
)
def test_superseded(rows: list[str], expected: list[tuple[int, Status, str | None]]) -> None:
    found = read(register_of(HG, *rows))
    assert found.problems == []
    items = select(found.certificates, AS_OF, policy_for(2024), RENEWALS_ALL)
    got = sorted((i.certificate.line, i.status, i.superseded_by) for i in items)
    assert got == expected
    for i in items:
        assert i.record()["superseded_by"] == i.superseded_by
    # Superseded only with --all: the default selection leaves them out, nothing else.
    shown = select(found.certificates, AS_OF, policy_for(2024), RENEWALS_DEFAULT)
    assert sorted(i.certificate.line for i in shown) == [
        line for line, status, _ in expected if status is not Status.SUPERSEDED
    ]
    # A superseded certificate is not inspected any more; every other green one still valid
    # on AS_OF is, once (issue 8).
    every = select(found.certificates, AS_OF, policy_for(2024), Selection(all=True))
    inspected = sorted(i.certificate.line for i in every if i.kind is Kind.ANNUAL_INSPECTION)
    superseded = {line for line, status, _ in expected if status is Status.SUPERSEDED}
    assert inspected == sorted(
        c.line
        for c in found.certificates
        if c.scheme is Scheme.GREEN
        and c.line not in superseded
        and c.issued_on is not None
        and c.expires_on is not None
        and c.issued_on <= AS_OF <= c.expires_on
    )


# --- 4. 29 February ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "issued", "expires", "want_issued", "want_expires"),
    [
        pytest.param(
            "绿色食品", "2020-02-29", "", "2020-02-29", "2023-02-28", id="issued-leap-day"
        ),
        pytest.param("绿色食品", "", "2023-02-28", "2020-03-01", "2023-02-28", id="expiry-feb-28"),
        pytest.param("绿色食品", "", "2024-02-28", "2021-02-28", "2024-02-28", id="clamped"),
        pytest.param(
            "绿色食品", "", "2024-02-29", "2021-03-01", "2024-02-29", id="expiry-leap-day"
        ),
        pytest.param("绿色食品", "2021-03-01", "", "2021-03-01", "2024-02-29", id="into-leap-day"),
        pytest.param("有机", "2024-02-29", "", "2024-02-29", "2025-02-28", id="organic-leap-day"),
        pytest.param("有机", "", "2025-02-28", "2024-03-01", "2025-02-28", id="organic-feb-28"),
        pytest.param("有机", "", "2024-02-29", "2023-03-01", "2024-02-29", id="organic-into-leap"),
    ],
)
def test_29_february_both_ways(
    scheme: str, issued: str, expires: str, want_issued: str, want_expires: str
) -> None:
    found = read(register_of(H, row("C1", scheme=scheme, issued=issued, expires=expires)))
    (c,) = found.certificates
    assert (c.issued_on, c.expires_on) == (D(want_issued), D(want_expires))
    years = 3 if scheme == "绿色食品" else 1
    if issued:
        assert expiry_from_issue(D(issued), years) == D(want_expires)
    else:
        assert issue_from_expiry(D(expires), years) == D(want_issued)


# --- 6. Control characters --------------------------------------------------------------------

CONTROLS = [chr(n) for n in [*range(0x20), *range(0x7F, 0xA0)]]


@pytest.mark.parametrize(
    ("holder", "product", "clean_holder", "clean_product"),
    [
        pytest.param("甲\x00公司", "芒果", "甲公司", "芒果", id="nul"),
        pytest.param("\x1b[31m甲公司\x1b[0m", "芒果", "[31m甲公司[0m", "芒果", id="esc-sequence"),
        pytest.param("甲公司\x1b]0;title\x07", "芒果", "甲公司]0;title", "芒果", id="osc-and-bell"),
        pytest.param("甲\x9b2J公司", "芒\x85果", "甲2J公司", "芒果", id="c1-csi-and-nel"),
        pytest.param("甲\x7f公司", "芒\x08果", "甲公司", "芒果", id="del-and-backspace"),
        pytest.param("甲\t公司", "芒果\x0c", "甲 公司", "芒果", id="tab-becomes-space"),
        # Issue 18: what reorders text on screen, and what XML cannot hold.
        pytest.param("公司\u202eexe.txt", "芒果", "公司exe.txt", "芒果", id="bidi-override"),
        pytest.param("\u202a甲\u202c公司", "\u202b芒果", "甲公司", "芒果", id="bidi-embeddings"),
        pytest.param(
            "甲\u2066公司\u2069", "芒\u2067\u2068果", "甲公司", "芒果", id="bidi-isolates"
        ),
        pytest.param("乙\ufffe\uffff公司", "芒\ufdd0果", "乙公司", "芒果", id="non-characters"),
        pytest.param(
            "丙\U0010ffff公司", "芒\U0001fffe果", "丙公司", "芒果", id="astral-non-characters"
        ),
        pytest.param(
            "丁\u2028公司", "芒果\u2029", "丁 公司", "芒果", id="line-separators-become-spaces"
        ),
    ],
)
def test_control_characters_are_removed_when_cells_are_read(
    holder: str, product: str, clean_holder: str, clean_product: str
) -> None:
    found = read(register_of(H, row("LB-\x001", holder, product, issued="2021-03-05\x00")))
    (c,) = found.certificates
    assert (c.cert_id, c.enterprise, c.product) == ("LB-1", clean_holder, clean_product)
    assert c.issued_on == D("2021-03-05")
    for value in dataclasses.asdict(c).values():
        assert not any(ch in CONTROLS for ch in str(value))
    assert clean_cell(holder) == clean_holder


@pytest.mark.parametrize(
    ("cell", "clean"),
    [
        pytest.param("甲\ud800公司", "甲公司", id="lone-high-surrogate"),
        pytest.param("甲\udcff公司", "甲公司", id="lone-low-surrogate"),
        pytest.param("\u3000甲\u00a0公司\u200b", "\u3000甲\u00a0公司\u200b", id="spaces-kept"),
        pytest.param("\u200e甲\u200f", "\u200e甲\u200f", id="marks-kept"),
        pytest.param("\ufffd\ufdcf\ufdf0", "\ufffd\ufdcf\ufdf0", id="neighbours-kept"),
    ],
)
def test_clean_cell_edges(cell: str, clean: str) -> None:
    """Lone surrogates (only an .xlsx escape can make one: UTF-8 and GB18030 cannot) go; the
    characters around what goes stay (the marks LRM and RLM reorder nothing by themselves)."""
    assert clean_cell(cell) == clean


# --- Issue 18: a quote that never closes, before more than a cell can hold -----------------

JUNK = "bad,row"  # one delimiter: no whole row, so it may still be inside the quoted cell
MANY = 20_000  # lines of JUNK: 160,000 characters, past the 131,072 a cell can hold
STRAY_ROW = 'LB-2,"乙公司,芒果,绿色食品,百色市,田阳区,2021-03-05,2024-03-04'


@pytest.mark.parametrize(
    ("lines", "numbers", "problems", "continuation"),
    [
        pytest.param(
            [STRAY_ROW, *[JUNK] * MANY],
            {2: "LB-1", 3: "LB-2"},
            [(4, MANY + 3, ProblemCode.UNCLOSED_QUOTE)],
            MANY - 1,
            id="to-the-end-of-the-file",
        ),
        pytest.param(
            [STRAY_ROW, *[JUNK] * MANY, row("LB-4")],
            {2: "LB-1", 3: "LB-2", MANY + 4: "LB-4"},
            [(4, MANY + 3, ProblemCode.UNCLOSED_QUOTE)],
            MANY - 1,
            id="then-a-whole-row",
        ),
        pytest.param(
            [
                'LB-2,"乙公司',
                *[JUNK] * MANY,
                '分公司",芒果,绿色食品,百色市,田阳区,,2024-03-04',
                row("LB-4"),
            ],
            {2: "LB-1", MANY + 5: "LB-4"},
            [(3, MANY + 4, ProblemCode.CELL_TOO_LARGE)],
            MANY + 1,
            id="the-quote-closes-too-late",
        ),
        pytest.param(
            [
                'LB-2,"乙' + "x" * 140_000 + ",芒果,绿色食品,百色市,田阳区,2021-03-05,2024-03-04",
                row("LB-4"),
            ],
            {2: "LB-1", 4: "LB-4"},
            [(3, None, ProblemCode.STRAY_QUOTE), (3, None, ProblemCode.CELL_TOO_LARGE)],
            0,
            id="an-oversized-cell-on-the-stray-line",
        ),
    ],
)
def test_a_quote_that_never_closes_costs_one_problem(
    lines: list[str],
    numbers: dict[int, str],
    problems: list[tuple[int, int | None, ProblemCode]],
    continuation: int,
) -> None:
    found = read(register_of(H, row("LB-1"), *lines), continuation_lines=continuation)
    assert {c.line: c.cert_id for c in found.certificates} == numbers
    assert [(p.line, p.end_line, p.code) for p in found.problems] == problems
    assert found.register.counts.problems == 1
    for problem in found.problems:
        zh, en = described(problem)
        if problem.code is ProblemCode.UNCLOSED_QUOTE:
            assert f"第 4–{MANY + 3} 行" in zh and "第 3 行的引号" in zh and "131072" in zh
            assert f":4-{MANY + 3}:" in en and "line 3 never closes" in en


def test_a_short_run_after_a_stray_quote_is_still_read_row_by_row() -> None:
    """Under the cell limit the lines after a stray quote are kept and read again as rows."""
    found = read(register_of(H, row("LB-1"), STRAY_ROW, *[JUNK] * 100, row("LB-4")))
    assert [c.cert_id for c in found.certificates] == ["LB-1", "LB-2", "LB-4"]
    assert found.codes(ProblemCode.STRAY_QUOTE) == [(3, ProblemCode.STRAY_QUOTE)]
    assert found.codes(ProblemCode.UNCLOSED_QUOTE) == []
    assert found.register.counts.problems == 100  # each junk line a bad row of its own


# --- 9. Rows that are not certificates --------------------------------------------------------

HS = "序号," + H


@pytest.mark.parametrize(
    ("text", "blank", "summary"),
    [
        pytest.param(
            register_of(
                HS, "1," + row("LB-1"), *(f"{n},,,,,,,," for n in range(2, 201)), "合计,,,,,,,,"
            ),
            199,
            1,
            id="199-numbered-empty-rows-and-合计",
        ),
        pytest.param(
            register_of(
                HS, "1," + row("LB-1"), "合计,,,1个,,,,,", "制表人：张三,,,,,审核人：李四,,,"
            ),
            0,
            2,
            id="合计-and-制表人-under-序号",
        ),
        pytest.param(
            register_of(
                HS, "1," + row("LB-1"), ",,,,,,,,", "填表说明：日期写成 2021-03-05,,,,,,,,"
            ),
            1,
            1,
            id="填表说明",
        ),
        pytest.param(
            register_of(HS, "1," + row("LB-1"), '"填表说明：\n1. 日期写 2021-03-05",,,,,,,,'),
            0,
            1,
            id="填表说明-over-two-lines",
        ),
        pytest.param(
            register_of(
                H, row("LB-1"), "合计,,,,,,,", "制表人：张三,,,,,,,", "填表说明：无,,,,,,,"
            ),
            0,
            3,
            id="no-序号-column-合计-under-证书编号",
        ),
        pytest.param(
            register_of(HS, "1," + row("LB-1"), "2,,,,,,,,", "\u3000,  ,,,,,,,", "总计,,,,,,,,"),
            2,
            1,
            id="ideographic-space-and-总计",
        ),
    ],
)
def test_rows_that_are_not_certificates_are_counted_not_reported(
    text: str, blank: int, summary: int
) -> None:
    continuation = 1 if "说明：\n" in text else 0
    found = read(text, continuation_lines=continuation)
    assert found.problems == []
    assert [c.cert_id for c in found.certificates] == ["LB-1"]
    counts = found.register.counts
    assert (counts.rows, counts.blank, counts.summary) == (1, blank, summary)


# --- 10. Finding the header -------------------------------------------------------------------

TITLE = "2024年百色市绿色食品、有机农产品证书台账,,,,,,,"


@pytest.mark.parametrize(
    ("text", "title_lines", "header_lines", "blank", "expected"),
    [
        pytest.param(
            register_of(
                "证书编号,企业名称,产品名称,认证类型,所在地,,发证日期,有效期至",
                ",,,,市,县区,,",
                row("LB-1", city="百色", county="田阳"),
            ),
            0,
            2,
            0,
            ("LB-1", "百色市", "田阳区", "2021-03-05", "2024-03-04"),
            id="所在地-over-市-and-县区",
        ),
        pytest.param(
            register_of(
                "证书编号,企业名称,产品名称,认证类型,市,县区,证书有效期,",
                ",,,,,,发证日期,有效期至",
                row("LB-1"),
            ),
            0,
            2,
            0,
            ("LB-1", "百色市", "田阳区", "2021-03-05", "2024-03-04"),
            id="证书有效期-over-发证日期-and-有效期至",
        ),
        pytest.param(
            register_of(
                TITLE,
                "序号,证书编号,企业名称,产品名称,认证类型,所在地,,证书有效期,",
                ",,,,,市,县区,发证日期,有效期至",
                "1," + row("LB-1"),
            ),
            1,
            2,
            0,
            ("LB-1", "百色市", "田阳区", "2021-03-05", "2024-03-04"),
            id="both-groups-under-a-title",
        ),
        # A column merged over both header rows, as a workbook fills it in (issue 17): the
        # lower row repeats 备注, which names no field; two header lines, not a title.
        pytest.param(
            register_of(
                TITLE,
                "（截至2024年5月底）,,,,,,,,",
                "证书编号,企业名称,产品名称,认证类型,所在地,所在地,证书有效期,证书有效期,备注",
                "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,备注",
                row("LB-1") + ",",
            ),
            2,
            2,
            0,
            ("LB-1", "百色市", "田阳区", "2021-03-05", "2024-03-04"),
            id="备注-merged-over-both-rows",
        ),
        pytest.param(
            register_of(
                TITLE,
                "证书编号,企业名称,产品名称,认证类型,所在地,,证书有效期,,备注",
                ",,,,市,县区,发证日期,有效期至,（可不填）",
                row("LB-1") + ",",
            ),
            1,
            2,
            0,
            ("LB-1", "百色市", "田阳区", "2021-03-05", "2024-03-04"),
            id="a-note-under-备注",
        ),
        pytest.param(
            register_of(
                "证书编号,企业名称,产品名称,认证类型,所在地,,证书有效期,,",
                ",,,,市,县区,发证日期,有效期至,备注",
                row("LB-1") + ",",
            ),
            0,
            2,
            0,
            ("LB-1", "百色市", "田阳区", "2021-03-05", "2024-03-04"),
            id="备注-in-the-lower-row-only",
        ),
        pytest.param(
            register_of(*(f"填报说明第{n}条,,,,,,," for n in range(12)), H, row("LB-1")),
            12,
            1,
            0,
            ("LB-1", "百色市", "田阳区", "2021-03-05", "2024-03-04"),
            id="12-title-lines",
        ),
        pytest.param(
            register_of(*(f"说明{n},,,,,,,\n,,,,,,," for n in range(24)), H, row("LB-1")),
            24,
            1,
            24,
            ("LB-1", "百色市", "田阳区", "2021-03-05", "2024-03-04"),
            id="24-title-lines-between-blank-lines",
        ),
        pytest.param(
            register_of(*(f"说明{n}" for n in range(50)), H, row("LB-1")),
            50,
            1,
            0,
            ("LB-1", "百色市", "田阳区", "2021-03-05", "2024-03-04"),
            id="50-title-lines",
        ),
        pytest.param(
            register_of(
                "证书编号,企业名称,产品名称,认证类型,市,县区,证书有效期",
                "LB-1,甲公司,芒果,绿色食品,百色市,田阳区,2021.03.05-2024.03.04",
            ),
            0,
            1,
            0,
            ("LB-1", "百色市", "田阳区", "2021-03-05", "2024-03-04"),
            id="证书有效期-as-a-range-column",
        ),
        pytest.param(
            register_of(
                TITLE,
                "证书编号,企业名称,产品名称,认证类型,市,县区,证书有效期",
                "LB-1,甲公司,芒果,绿色食品,百色市,田阳区,2024-03-04",
            ),
            1,
            1,
            0,
            ("LB-1", "百色市", "田阳区", "2021-03-05", "2024-03-04"),
            id="证书有效期-column-holding-an-expiry",
        ),
    ],
)
def test_finding_the_header(
    text: str,
    title_lines: int,
    header_lines: int,
    blank: int,
    expected: tuple[str, str, str, str, str],
) -> None:
    found = read(text)
    assert found.problems == []
    (c,) = found.certificates
    assert (c.cert_id, c.city, c.county, c.issued_on.isoformat(), c.expires_on.isoformat()) == (
        expected
    )
    counts = found.register.counts
    assert (counts.title_lines, counts.header_lines, counts.blank) == (
        title_lines,
        header_lines,
        blank,
    )
    assert c.line == text.count("\n")


@pytest.mark.parametrize(
    ("text", "searched", "line"),
    [
        pytest.param(register_of(TITLE, "编号,名称", "x,y"), 3, 2, id="three-lines"),
        pytest.param(
            register_of(
                "企业名称,产品名称,认证类型,市,县区,有效期至",
                "甲公司,芒果,绿色食品,百色市,田阳区,2024-03-04",
            ),
            2,
            1,
            id="no-number-column",
        ),
        pytest.param(register_of(*(f"说明{n}" for n in range(51)), H, row("LB-1")), 51, 1, id="51"),
        pytest.param(register_of(*(f"说明{n}" for n in range(80))), 51, 1, id="long-file"),
    ],
)
def test_no_header_is_fatal_naming_the_lines_searched(text: str, searched: int, line: int) -> None:
    found = read(text)
    assert found.register.failed
    (problem,) = found.entries
    assert isinstance(problem, Problem) and problem.fatal
    assert (problem.code, problem.line, problem.detail["searched"]) == (
        ProblemCode.NO_HEADER,
        line,
        str(searched),
    )
    zh, en = described(problem)
    assert f"前 {searched} 行" in zh and f"first {searched} lines" in en


# --- 11. Validity ranges ----------------------------------------------------------------------

PREFIX = "LB-1,甲公司,芒果,绿色食品,百色市,田阳区,"


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        pytest.param(column, cell, id=f"{column}-{name}")
        for column in ("有效期", "证书有效期", "有效期至")
        for name, cell in (
            ("dots", "2021.03.05-2024.03.04"),
            ("chinese", "2021年3月5日至2024年3月4日"),
            ("wave-dash", "2021-03-05～2024-03-04"),
            ("spaced", "2021-03-05 — 2024-03-04"),
        )
    ],
)
def test_validity_as_one_range_in_one_cell(column: str, cell: str) -> None:
    found = read(
        register_of(f"证书编号,企业名称,产品名称,认证类型,市,县区,{column}", PREFIX + cell)
    )
    assert found.problems == []
    (c,) = found.certificates
    assert (c.issued_on, c.expires_on) == (date(2021, 3, 5), date(2024, 3, 4))


@pytest.mark.parametrize(
    ("header", "cells", "issued", "expires"),
    [
        pytest.param("有效期", "2024-03-04", "2021-03-05", "2024-03-04", id="lone-date-有效期"),
        pytest.param(
            "证书有效期", "2024/3/4", "2021-03-05", "2024-03-04", id="lone-date-证书有效期"
        ),
        pytest.param(
            "发证日期,有效期", "2021-03-05,2024-03-04", "2021-03-05", "2024-03-04", id="beside"
        ),
        pytest.param(
            "发证日期,有效期", ",2024-06-30", "2021-07-01", "2024-06-30", id="issue-empty"
        ),
    ],
)
def test_a_lone_date_under_validity_is_the_expiry(
    header: str, cells: str, issued: str, expires: str
) -> None:
    found = read(
        register_of(f"证书编号,企业名称,产品名称,认证类型,市,县区,{header}", PREFIX + cells)
    )
    assert found.problems == []
    (c,) = found.certificates
    assert (c.issued_on, c.expires_on) == (D(issued), D(expires))


@pytest.mark.parametrize(
    ("header", "cells", "column", "letter"),
    [
        pytest.param("发证日期,有效期", ",", "有效期", "H", id="发证日期-and-有效期"),
        pytest.param("发证日期,证书有效期", ",", "证书有效期", "H", id="发证日期-and-证书有效期"),
        pytest.param("有效期,发证日期", ",", "有效期", "G", id="validity-first"),
        pytest.param("发证日期,有效期至", ",", "有效期至", "H", id="发证日期-and-有效期至"),
    ],
)
def test_no_usable_date_names_the_validity_column(
    header: str, cells: str, column: str, letter: str
) -> None:
    found = read(
        register_of(f"证书编号,企业名称,产品名称,认证类型,市,县区,{header}", PREFIX + cells)
    )
    assert found.certificates == []
    (problem,) = found.problems
    assert (problem.code, problem.header, problem.letter, problem.line) == (
        ProblemCode.NO_DATES,
        column,
        letter,
        2,
    )
    zh, _ = described(problem)
    assert f"“{column}”列（{letter} 列）" in zh


# --- 12. A note after a date ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued", "expires", "column", "note"),
    [
        pytest.param("2021-03-05", "2024-03-04（已续展）", "有效期至", "(已续展)", id="full-width"),
        pytest.param("2021-03-05", "2024-03-04(已续展)", "有效期至", "(已续展)", id="ascii"),
        pytest.param("2021-03-05", "2024-03-04 【注销】", "有效期至", "【注销】", id="square"),
        pytest.param("2021年3月5日（换证）", "", "发证日期", "(换证)", id="issue-date"),
    ],
)
def test_a_note_after_a_date(issued: str, expires: str, column: str, note: str) -> None:
    found = read(register_of(H, row("LB-1", issued=issued, expires=expires)))
    (c,) = found.certificates
    assert (c.issued_on, c.expires_on) == (date(2021, 3, 5), date(2024, 3, 4))
    (warning,) = found.problems
    assert (warning.code, warning.severity, warning.header, warning.line) == (
        ProblemCode.DATE_NOTE,
        Severity.WARNING,
        column,
        2,
    )
    assert warning.detail["note"] == note
    zh, en = described(warning)
    assert note in zh and note in en


# --- 13. Enterprise codes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "rows", "numbers"),
    [
        pytest.param(
            "证书编号,产品编号,企业名称,产品名称,认证类型,市,县区,有效期至",
            [
                "GF451021230001,LB-45-2103051A,甲公司,芒果,绿色食品,百色市,田阳区,2024-03-04",
                "GF451021230001,LB-45-2103052A,甲公司,龙眼,绿色食品,百色市,田阳区,2024-03-04",
                "gf451021230002,LB-45-2103053A,乙公司,茶叶,绿色食品,百色市,田阳区,2024-03-04",
            ],
            ["LB-45-2103051A", "LB-45-2103052A", "LB-45-2103053A"],
            id="second-product-of-a-holder-is-not-a-repeat",
        ),
        pytest.param(
            "产品编号,企业名称,证书编号,产品名称,认证类型,市,县区,有效期至",
            [
                "LB-45-2103051A,甲公司,GF451021230001,芒果,绿色食品,百色市,田阳区,2024-03-04",
                "LB-45-2103052A,甲公司,GF451021230001,龙眼,绿色食品,百色市,田阳区,2024-03-04",
            ],
            ["LB-45-2103051A", "LB-45-2103052A"],
            id="产品编号-column-first",
        ),
        pytest.param(
            "证书编号,产品编号,企业名称,产品名称,认证类型,市,县区,有效期至",
            [
                "ZS-2021-9,LB-45-2103051A,甲公司,芒果,绿色食品,百色市,田阳区,2024-03-04",
                "GF451021230001,LB-45-2103052A,甲公司,龙眼,绿色食品,百色市,田阳区,2024-03-04",
            ],
            ["ZS-2021-9", "LB-45-2103052A"],
            id="non-GF-证书编号-still-wins",
        ),
    ],
)
def test_enterprise_codes_give_way_to_product_numbers(
    header: str, rows: list[str], numbers: list[str]
) -> None:
    found = read(register_of(header, *rows))
    assert found.problems == []
    assert [c.cert_id for c in found.certificates] == numbers


# --- 14. Merged cells -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "certificates", "merged"),
    [
        pytest.param(
            [
                row("LB-1", "甲公司", "芒果"),
                "LB-2,,龙眼,,,,2021-03-05,2024-03-04",
                "LB-3,,香蕉,,,,2021-03-05,2024-03-04",
                row("LB-4", "乙公司", "茶叶", county="田东县"),
            ],
            ["LB-1", "LB-4"],
            [(3, 4, ["企业名称", "认证类型", "市", "县区"])],
            id="holder-scheme-place-merged-over-three-rows",
        ),
        pytest.param(
            [row("LB-1", "甲公司", "芒果"), row("LB-2", "", "龙眼")],
            ["LB-1"],
            [(3, None, ["企业名称"])],
            id="holder-only-one-row",
        ),
        pytest.param(
            [
                row("LB-1", "甲公司", "芒果"),
                "LB-2,,龙眼,,,,2021-03-05,2024-03-04",
                row("LB-3", "乙公司", "茶叶"),
                "LB-4,,红茶,,,,2021-03-05,2024-03-04",
                "LB-5,,绿茶,,,,2021-03-05,2024-03-04",
            ],
            ["LB-1", "LB-3"],
            [
                (3, None, ["企业名称", "认证类型", "市", "县区"]),
                (5, 6, ["企业名称", "认证类型", "市", "县区"]),
            ],
            id="one-problem-per-run",
        ),
    ],
)
def test_merged_cells_are_one_problem_naming_the_rows(
    rows: list[str], certificates: list[str], merged: list[tuple[int, int | None, list[str]]]
) -> None:
    found = read(register_of(H, *rows))
    assert [c.cert_id for c in found.certificates] == certificates  # never filled in
    assert [(p.line, p.end_line, p.detail["columns"].split("、")) for p in found.problems] == merged
    assert {p.code for p in found.problems} == {ProblemCode.MERGED_CELLS}
    counts = found.register.counts
    assert counts.problems == len(rows) - len(certificates)
    for problem in found.problems:
        zh, en = described(problem)
        where = f"{problem.line}–{problem.end_line}" if problem.end_line else f"{problem.line}"
        assert f"第 {where} 行" in zh and "合并单元格" in zh and "merged" in en
        # Each column by its letter too, as every other problem names its column.
        letters = "、".join(
            "ABCDEFGH"[H.split(",").index(n)] for n in problem.detail["columns"].split("、")
        )
        assert f"（{letters} 列）" in zh and f"(column {letters})" in en


# --- 15. Two numbers in one cell --------------------------------------------------------------


@pytest.mark.parametrize(
    ("numbers", "products", "expected"),
    [
        pytest.param(
            "LB-45-1A、LB-45-2A",
            "沙田柚、百香果",
            [("LB-45-1A", "沙田柚"), ("LB-45-2A", "百香果")],
            id="dun-comma",
        ),
        pytest.param(
            '"LB-45-1A,LB-45-2A"',
            '"沙田柚,百香果"',
            [("LB-45-1A", "沙田柚"), ("LB-45-2A", "百香果")],
            id="comma-in-quoted-cell",
        ),
        pytest.param(
            "LB-45-1A；LB-45-2A；LB-45-3A",
            "沙田柚；百香果；芒果",
            [("LB-45-1A", "沙田柚"), ("LB-45-2A", "百香果"), ("LB-45-3A", "芒果")],
            id="three-full-width-semicolons",
        ),
        pytest.param("LB-45-1A、LB-45-2A", "沙田柚", None, id="one-product"),
        pytest.param("LB-45-1A、LB-45-2A", "沙田柚、百香果、芒果", None, id="three-products"),
    ],
)
def test_two_numbers_in_one_cell(
    numbers: str, products: str, expected: list[tuple[str, str]] | None
) -> None:
    found = read(register_of(H, row(numbers, "甲公司", products), row("LB-45-9A", "乙公司")))
    counts = found.register.counts
    assert counts.rows == 2
    got = [(c.cert_id, c.product) for c in found.certificates if c.line == 2]
    if expected is None:
        assert got == []
        (problem,) = found.problems
        assert (problem.code, problem.line, problem.header) == (
            ProblemCode.UNPAIRED_NUMBERS,
            2,
            "证书编号",
        )
        assert (counts.certificates, counts.problems) == (1, 1)
    else:
        assert got == expected
        assert found.problems == []
        assert (counts.certificates, counts.problems) == (len(expected) + 1, 0)


# --- 16. 百色市本级 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("city", "county", "expected"),
    [
        pytest.param("百色市", "百色市本级", ("百色市", None), id="city-and-本级"),
        pytest.param("", "百色市本级", ("百色市", None), id="city-from-本级"),
        pytest.param("百色", "百色本级", ("百色市", None), id="short-names"),
        pytest.param("百色市", "市本级", ("百色市", None), id="市本级"),
        pytest.param("南宁市", "百色市本级", ProblemCode.COUNTY_CITY_MISMATCH, id="other-city"),
    ],
)
def test_city_level(city: str, county: str, expected: tuple[str, None] | ProblemCode) -> None:
    found = read(register_of(H, row("LB-1", city=city, county=county)))
    if isinstance(expected, ProblemCode):
        assert found.certificates == []
        (problem,) = found.problems
        assert (problem.code, problem.header) == (expected, "县区")
    else:
        (c,) = found.certificates
        assert (c.city, c.county) == expected
