"""What the report tests share: registers written for them, and the page read back with a real
HTML parser (lxml.html), the way a reader of the numbers would: tables by their section."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import lxml.html

from renewal_cli.dates import expiry_from_issue
from renewal_cli.places import guangxi

HEADER = [
    "证书编号",
    "企业名称",
    "产品名称",
    "认证类型",
    "市",
    "县区",
    "发证日期",
    "有效期至",
    "续展申请日期",
    "联系人",
    "联系电话",
]


def write_register(path: Path, rows: list[list[str]]) -> Path:
    """A CSV register (UTF-8 with BOM, as Excel saves it) with HEADER and `rows`."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def large_rows(count: int, seed: int = 21) -> list[list[str]]:
    """`count` plausible rows over every county, expiring 2023-2027, some filed."""
    rng = random.Random(seed)
    counties = list(guangxi().counties.values())
    rows: list[list[str]] = []
    for n in range(count):
        county = rng.choice(counties)
        green = rng.random() < 0.7
        issued = date(2021, 1, 1) + timedelta(days=rng.randrange(1400))
        years = 3 if green else 1
        expires = expiry_from_issue(issued, years)
        filed = ""
        if rng.random() < 0.4:
            filed = (expires - timedelta(days=rng.randrange(30, 200))).isoformat()
        rows.append(
            [
                f"LB-45-{n:011d}A" if green else f"{n // 100000 % 10000:04d}OP24{n % 100000:05d}",
                f"{county.name}第{n}农业公司",
                rng.choice(("芒果", "茶叶", "大米", "沃柑", "香蕉")),
                "绿色食品" if green else "有机农产品",
                county.city,
                county.name,
                issued.isoformat(),
                expires.isoformat(),
                filed,
                "联系人",
                f"1380000{n % 10000:04d}",
            ]
        )
    return rows


def parse(data: bytes) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(data.decode("utf-8"))


def cell_text(cell: lxml.html.HtmlElement) -> str:
    """A cell's text, its <br> line breaks as newlines."""
    return "\n".join(part.strip() for part in cell.itertext() if part.strip())


@dataclass
class Numbers:
    """A chart's numbers table: headings, body rows and the foot (totals) row."""

    headings: list[str]
    rows: list[list[str]]
    foot: list[str]


def numbers(page: lxml.html.HtmlElement, key: str) -> Numbers | None:
    """The numbers table of chart `key` (targets, coming, year), None when it has none."""
    tables = page.xpath(f"//section[@id='{key}']//table")
    if not tables:
        return None
    (table,) = tables
    return Numbers(
        headings=[cell_text(c) for c in table.xpath("./thead/tr/th")],
        rows=[[cell_text(c) for c in tr.xpath("./th|./td")] for tr in table.xpath("./tbody/tr")],
        foot=[cell_text(c) for c in table.xpath("./tfoot/tr/*")],
    )


def headline(page: lxml.html.HtmlElement) -> list[str]:
    """The headline figures' values, in order (valid, due soon, late, expired, share)."""
    return [cell_text(v) for v in page.xpath("//ul[@class='figures']/li/span[@class='value']")]


def listed(page: lxml.html.HtmlElement, index: int) -> list[list[str]]:
    """The rows of list table `index` (0: the holders at risk, 1: the items)."""
    sections = page.xpath("//section[contains(@class, 'list')]")
    return [[cell_text(c) for c in tr.xpath("./td")] for tr in sections[index].xpath(".//tbody/tr")]
