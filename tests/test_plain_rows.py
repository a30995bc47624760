"""Plain rows (plainrow.py) read exactly as the full reading reads them.

Each register below holds ordinary rows, which the plain reading takes once their dates,
place and scheme have been met, among rows of every kind it must leave to the full reading
(repeats, clashes, bad or unusual cells, summary and merged rows, extra or missing cells). It
is read twice: as the register reads it, and with the plain reading turned off (no plan, so
every row goes through RowReader). The certificates, the problems, their order and the counts
must be the same, and the plain reading must have taken most of the ordinary rows.
"""

from __future__ import annotations

from dataclasses import asdict

import pytest

import renewal_cli.register as register_module
from renewal_cli.models import Certificate, Problem
from renewal_cli.places import Scope, guangxi
from renewal_cli.plainrow import Plain
from renewal_cli.policy import policy_for
from renewal_cli.rowreader import Context

NINE = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期"
WIDE = (
    "证书编号,产品编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,有效期,"
    "续展申请日期,年检日期,级别,基地,认证机构,联系人,电话,邮箱"
)
SERIAL_FIRST = "序号,证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至"


def ordinary(n: int) -> list[str]:
    """Rows the plain reading takes (once their cells have been met)."""
    return [
        f"LB-45-2109{n:06d}A,田阳公司{n},芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,",
        f"1245OP23{n:05d},德保公司{n},柑橘,有机,百色市,德保县,2023-10-01,2024-09-30,2024-05-01",
        f"LB-45-2110{n:06d}A,隆林公司{n},罗汉果,绿色食品,百色,隆林各族自治县,2021-10-01,,",
        f"LB-45-2111{n:06d}A,兴宁公司{n},茶叶,绿色,南宁,兴宁区,,2024-11-30,",
        f"lb-45-2112{n:06d}a,江南公司{n},大米,绿色食品,南宁市,江南区,2022/1/5,2025/1/4,2024-03-01",
    ]


UNUSUAL = [
    "LB-45-2109000001A,田阳公司1,芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,",  # repeat
    "lb-45-2109000002a,田阳公司2,芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,",  # repeat, folded
    "LB-45-2109000003A,别的公司,香蕉,绿色食品,南宁,兴宁区,2021-09-02,2024-09-01,",  # clash
    "LB-45-2109000004A,田阳公司4,芒果,绿色食品,百色,田阳区,2022-09-02,2025-09-01,",  # next cycle
    "1245OP2399999,绿色公司,芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,",  # other form
    "LB-45-2209000001A,注释公司,芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01（已续展）,",
    "LB-45-2209000002A,区间公司,芒果,绿色食品,百色,田阳区,,2021.09.02-2024.09.01,",
    "LB-45-2209000003A,坏日期公司,芒果,绿色食品,百色,田阳区,2021-02-30,2024-09-01,",
    "LB-45-2209000004A,倒序公司,芒果,绿色食品,百色,田阳区,2024-09-01,2021-09-02,",
    "LB-45-2209000005A,早报公司,芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,2020-01-01",
    "LB-45-2209000006A,无日期公司,芒果,绿色食品,百色,田阳区,,,",
    "LB-45-2209000007A,标志公司,芒果,地理标志,百色,田阳区,2021-09-02,2024-09-01,",
    ",名特公司,芒果,名特优新,百色,田阳区,,,",
    "LB-45-2209000008A,火星公司,芒果,绿色食品,火星市,,2021-09-02,2024-09-01,",
    "LB-45-2209000009A,错县公司,芒果,绿色食品,百色,兴宁区,2021-09-02,2024-09-01,",
    "LB-45-2209000010A,多格公司,芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,,多出",
    "LB-45-2209000011A,短行公司,芒果,绿色食品",
    "LB-45-2209000012A、LB-45-2209000013A,两证公司,芒果、香蕉,绿色食品,百色,田阳区,2021-09-02,2024-09-01,",
    "LB-45-2209000014A、LB-45-2209000015A,不配公司,芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,",
    "ＬＢ－４５－２２０９０００００１６Ａ,全角公司,芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,",
    "LB 45 2209000017A,空格公司,芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,",
    "\u3000LB-45-2209000018A\u3000,留白公司, 芒果 ,绿色食品, 百色 ,田阳区,2021-09-02 ,2024-09-01,",
    "LB-45-2209000019A,,芒果,,,,2021-09-02,2024-09-01,",  # merged under the row above
    "LB-45-2209000020A,公式公司,=1+1,绿色食品,百色,田阳区,2021-09-02,2024-09-01,",
    'LB-45-2209000021A,"引号,公司",芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,',
    "20210001,数字公司,芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,",
    "LB-45-2209000022A,空产品公司,,绿色食品,百色,田阳区,2021-09-02,2024-09-01,",
    "-,横线公司,芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,",
    ",,,,,,,,",
    "12,,,,,,,,",
    "合计,,,,,,,,",
]

WIDE_ROWS = [
    # 证书编号, 产品编号, 企业, 产品, 类型, 市, 县区, 发证, 至, 有效期, 续展, 年检, 级别, 基地,
    # 机构, 联系人, 电话, 邮箱
    "LB-45-3109{n:06d}A,,甲{n},芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,,,,A,一号基地,,韦工,0776-1,a@b.cn",
    "LB-45-3110{n:06d}A,,乙{n},芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,,,,,,,,,",
    "1245OP31{n:05d},,丙{n},柑橘,有机,百色,德保县,2023-10-01,2024-09-30,,,,,,南京国环,,,",
    "GF45{n:06d},LB-45-3111{n:06d}A,丁{n},芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,,,,,,,,,",
    "LB-45-3112{n:06d}A,,戊{n},芒果,绿色食品,百色,田阳区,,,2021.09.02-2024.09.01,,,,,,,,",
    "LB-45-3113{n:06d}A,,己{n},芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01,,,2023-09-10,,,,,,",
]

SERIAL_ROWS = [
    "{n},LB-45-4109{n:06d}A,庚{n},芒果,绿色食品,百色,田阳区,2021-09-02,2024-09-01",
    "{n},LB-45-4110{n:06d}A,辛{n},芒果,绿色食品,百色,田阳区,,2024-09-01",
]


def nine() -> str:
    rows = [row for n in range(1, 9) for row in ordinary(n)]
    rows[20:20] = UNUSUAL
    rows += [row for n in range(9, 12) for row in ordinary(n)]
    return "\n".join([NINE, *rows]) + "\n"


def wide() -> str:
    rows = [row.format(n=n) for n in range(1, 7) for row in WIDE_ROWS]
    return "\n".join([WIDE, *rows]) + "\n"


def serial_first() -> str:
    rows = [row.format(n=n) for n in range(1, 6) for row in SERIAL_ROWS]
    return "\n".join([SERIAL_FIRST, *rows]) + "\n"


def read(
    text: str, scope: Scope | None, plain: bool, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[dict[str, object]], dict[str, int], int]:
    """The register's entries (as dicts, to compare whole), its counts, and how many rows the
    plain reading took."""
    taken = 0
    through = register_module.plain_certificate

    def counted(context: Context, plan: Plain, line: int, row: list[str]) -> Certificate | None:
        nonlocal taken
        certificate = through(context, plan, line, row)
        taken += certificate is not None
        return certificate

    with monkeypatch.context() as patch:
        patch.setattr(register_module, "plain_certificate", counted)
        if not plain:
            patch.setattr(register_module, "plain_plan", lambda header: None)
        register = register_module.open_register(
            text.encode(), policy=policy_for(2024), places=guangxi(), name="r.csv"
        )
        entries = list(register.entries(scope=scope, summaries=True))
    assert all(isinstance(e, Certificate | Problem) for e in entries)
    return [asdict(e) for e in entries], asdict(register.counts), taken


@pytest.mark.parametrize(
    ("text", "least", "faults"),
    [
        pytest.param(nine(), 40, 20, id="nine-columns"),
        pytest.param(wide(), 15, 0, id="every-copied-column"),
        pytest.param(serial_first(), 0, 0, id="serial-first"),
    ],
)
@pytest.mark.parametrize(
    "scope",
    [
        pytest.param(None, id="whole"),
        pytest.param(Scope(cities=frozenset({"百色市"})), id="city"),
        pytest.param(Scope(counties=frozenset({"田阳区"})), id="county"),
    ],
)
def test_plain_rows_read_as_in_full(
    text: str, least: int, faults: int, scope: Scope | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    full, full_counts, none_taken = read(text, scope, False, monkeypatch)
    plain, plain_counts, taken = read(text, scope, True, monkeypatch)
    assert none_taken == 0
    assert plain == full
    assert plain_counts == full_counts
    if scope is None:
        assert taken >= least
        # The rows the plain reading must leave are there, and are met as faults.
        assert sum("code" in e for e in full) >= faults
