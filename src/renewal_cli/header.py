"""The header of a register: which column holds which field, and where the header is.

A register names its columns in Chinese (or English) in many spellings (ALIASES); a title or
two may stand above the header, and the header may take two rows (所在地 over 市 and 县区).
`find_header` reads rows until it has the header, passing on the problems of reading met on
the way, and says what it passed over (title lines, blank lines). Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from operator import itemgetter

from renewal_cli.cells import INVISIBLE, PADDING
from renewal_cli.models import Problem, ProblemCode
from renewal_cli.places import clean
from renewal_cli.sources import Row

# Field → the headers registers use for it, most specific first: when a register has two
# columns for one field (证书编号 and 产品编号), the earlier alias wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "cert_id": (
        "证书编号",
        "产品编号",
        "证书号",
        # Spellings officers' registers also use (a new-user trial met each refused).
        "证书编码",
        "证书号码",
        "认证证书编号",
        "绿色食品证书编号",
        "有机产品证书编号",
        "编号",
        "cert_id",
        "certificate_id",
    ),
    "enterprise": (
        "企业名称",
        "申请人",
        "生产单位",
        "生产经营主体",
        "获证单位",
        "enterprise",
        "holder",
    ),
    "product": ("产品名称", "产品", "product"),
    "scheme": ("认证类型", "类型", "类别", "scheme", "type"),
    "city": ("市", "设区市", "地市", "所在市", "city"),
    "county": ("县区", "县（市、区）", "县(市、区)", "县", "区县", "county"),
    "issued_on": ("发证日期", "颁证日期", "获证日期", "issued_on", "issue_date"),
    "expires_on": (
        "有效期至",
        "证书有效期至",
        "到期日期",
        "有效期截止日期",
        "expires_on",
        "expiry_date",
    ),
    "validity": ("有效期", "证书有效期", "validity"),
    "filed_on": ("续展申请日期", "再认证申请日期", "申报日期", "filed_on"),
    "certifier": ("认证机构", "发证机构", "certifier"),
    "sowing_on": ("播种日期", "计划播种日期", "sowing_on"),
    "inspected_on": ("年检日期", "inspected_on"),
    "listed_on": ("收录日期", "登录日期", "listed_on"),
    "confirmed_on": ("确认日期", "年度确认日期", "confirmed_on"),
    "tested_on": ("检测日期", "质量检测日期", "tested_on"),
    "grade": ("级别", "产品级别", "等级", "grade"),
    "base": ("基地", "基地名称", "生产基地", "base"),
    "serial": ("序号", "no", "no."),
    "contact": ("联系人", "contact"),
    "phone": ("联系电话", "电话", "手机", "phone"),
    "email": ("电子邮箱", "邮箱", "email", "e-mail"),
}

# Group headers above a second header row (所在地 over 市 and 县区).
GROUP_HEADERS = frozenset({"所在地", "地区", "所在地区", "证书有效期", "有效期"})

REQUIRED: tuple[str, ...] = ("cert_id", "enterprise", "product", "scheme")
# At least one field of each group must have a column.
REQUIRED_ONE_OF: tuple[tuple[str, ...], ...] = (
    ("city", "county"),
    ("issued_on", "expires_on", "validity", "sowing_on", "listed_on"),
)

_BRACKETED = re.compile(r"[(\[【].*?[)\]】]$")
HEADER_SEARCH_LINES = 50


def normalize_header(text: str) -> str:
    return clean(text).strip(INVISIBLE + "*").lower()


_ALIAS_KEYS = {normalize_header(a): name for name, aliases in ALIASES.items() for a in aliases}


def map_header(header: list[str]) -> dict[str, int]:
    """Field → column index for a header row (fields without a column are absent).

    A second column for the certificate number (产品编号 beside 证书编号) is kept as
    "cert_id_alt": green food registers put the holder's GF code under 证书编号.
    """
    positions: dict[str, int] = {}
    normalized = [normalize_header(h) for h in header]
    # "有效期至(年/月/日)", "发证日期（必填）": a note in brackets after a known header.
    bare = [_BRACKETED.sub("", h) for h in normalized]
    for name, aliases in ALIASES.items():
        for alias in aliases:
            key = normalize_header(alias)
            for candidates in (normalized, bare):
                if key in candidates and candidates.index(key) not in positions.values():
                    positions[name] = candidates.index(key)
                    break
            if name in positions:
                break
    for alias in ALIASES["cert_id"]:
        key = normalize_header(alias)
        for index, candidate in enumerate(normalized):
            if candidate == key and index not in positions.values():
                positions.setdefault("cert_id_alt", index)
    return positions


def missing_columns(positions: dict[str, int]) -> list[str]:
    """The fields (or groups of fields) a header lacks, as field names."""
    missing = [name for name in REQUIRED if name not in positions]
    for group in REQUIRED_ONE_OF:
        if not any(name in positions for name in group):
            missing.append("/".join(group[:2]))
    return missing


def _is_field_name(name: str) -> bool:
    """Whether a normalized header cell names a field (a note in brackets after it allowed)."""
    return name in _ALIAS_KEYS or _BRACKETED.sub("", name) in _ALIAS_KEYS


def _is_subheader(top: list[str], cells: list[str]) -> bool:
    """Whether `cells` is the lower row of a two-row header under `top`: it names a field and
    holds no data. Each of its cells names a field; or repeats the cell above it (a cell merged
    over both rows, which a workbook fills in: 备注 over two rows); or stands under a column the
    row above leaves empty or names no field (a note's own label)."""
    named = False
    for index, cell in enumerate(cells):
        name = normalize_header(cell)
        if not name:
            continue
        above = normalize_header(top[index]) if index < len(top) else ""
        if _is_field_name(name):
            named = True
        elif name != above and above and (_is_field_name(above) or above in GROUP_HEADERS):
            return False  # data under a named column
    return named


def _may_head(cells: list[str]) -> bool:
    """Whether a row can be the upper row of a two-row header: it names a group or a field."""
    names = {normalize_header(c) for c in cells if c.strip(PADDING)}
    return bool(names & GROUP_HEADERS) or bool(names & set(_ALIAS_KEYS))


def _combine(top: list[str], sub: list[str]) -> list[str]:
    """A two-row header as one: the lower name where there is one, else the group's."""
    width = max(len(top), len(sub))
    top, sub = top + [""] * (width - len(top)), sub + [""] * (width - len(sub))
    return [s if s.strip(PADDING) else t for t, s in zip(top, sub, strict=True)]


# The cells a row outside the scope is keyed by, in this order (see Header.quick).
QUICK_FIELDS = ("city", "county", "scheme", "cert_id", "cert_id_alt")


@dataclass
class Header:
    positions: dict[str, int]
    labels: list[str]

    quick: tuple[int, ...] = ()
    """Column indexes of QUICK_FIELDS (-1 where the register has no such column)."""
    fields: tuple[tuple[str, int], ...] = ()
    span: int = 0
    """Cells a row needs to hold every mapped column."""
    reach: int = 0
    """Cells a row needs to hold the cells it is judged and keyed by outside the scope
    (QUICK_FIELDS): a row that ends early after them has only empty cells after them."""
    recorded: frozenset[str] = frozenset()
    """Which of the dates a missed obligation is told by have a column (Certificate.recorded)."""
    where: Callable[[list[str]], object] = str
    """The city, county and scheme cells of a row, as they are (for a row of `span` cells)."""

    def __post_init__(self) -> None:
        self.quick = tuple(self.positions.get(name, -1) for name in QUICK_FIELDS)
        self.fields = tuple(self.positions.items())
        self.span = max(self.positions.values(), default=-1) + 1
        self.reach = max(self.quick, default=-1) + 1
        kept = ("inspected_on", "confirmed_on", "tested_on")
        self.recorded = frozenset(name for name in kept if name in self.positions)
        place = [self.positions[n] for n in ("city", "county") if n in self.positions]
        self.where = itemgetter(*place, self.positions["scheme"])

    def cells_of(self, row: list[str]) -> dict[str, str]:
        """Field → the row's cell, stripped ("" where the row is short)."""
        if len(row) >= self.span:
            return {name: row[i].strip(PADDING) for name, i in self.fields}
        return {name: _cell(row, i) for name, i in self.fields}


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip(PADDING) if index < len(cells) else ""


@dataclass
class Found:
    """What the search for the header passed over, and the header (None when the file has
    none: then a fatal Problem was the search's last)."""

    header: Header | None = None
    first: Row | None = None
    """The row after a one-row header, read to tell it from the upper row of two."""
    blank: int = 0
    title_lines: int = 0
    header_lines: int = 0
    last_line: int = 0
    """The last line of the last row the search read."""


def find_header(source: str, rows: Iterator[Row | Problem]) -> Generator[Problem, None, Found]:
    """The row(s) naming the columns; title lines above are counted. Problems of reading
    before the header are passed on; a file without a header is one fatal Problem."""
    found = Found()
    best: tuple[list[str], dict[str, int], int] | None = None
    searched = 0
    candidate: Row | None = None
    for entry in rows:
        if isinstance(entry, Problem):
            yield entry
            if entry.fatal:
                return found
            if entry.line is not None:
                # A bad row (one huge line, say) is a line searched: a file of nothing else
                # has no header there, which is not an empty file.
                searched += 1
                if best is None:
                    best = ([], {}, entry.line)
            continue
        found.last_line = entry.end_line
        if not any(c.strip(PADDING) for c in entry.cells):
            found.blank += 1
            continue
        if candidate is not None and _may_head(candidate.cells):
            combined = _combine(candidate.cells, entry.cells)
            if _is_subheader(candidate.cells, entry.cells) and not missing_columns(
                map_header(combined)
            ):
                found.header_lines += 2
                found.header = Header(map_header(combined), combined)
                return found
        if candidate is not None:
            if not missing_columns(map_header(candidate.cells)):
                found.header_lines += 1
                found.header, found.first = (
                    Header(map_header(candidate.cells), candidate.cells),
                    entry,
                )
                return found
            found.title_lines += 1
        searched += 1
        positions = map_header(entry.cells)
        if best is None or not best[0] or len(positions) > len(best[1]):
            best = (entry.cells, positions, entry.line)
        candidate = entry
        if searched > HEADER_SEARCH_LINES:
            break
    if candidate is not None and not missing_columns(map_header(candidate.cells)):
        found.header_lines += 1
        found.header = Header(map_header(candidate.cells), candidate.cells)
        return found
    yield _no_header(source, best, searched)
    return found


def _no_header(
    source: str, best: tuple[list[str], dict[str, int], int] | None, searched: int
) -> Problem:
    """The fatal Problem of a file without a header: empty, or naming the row that came
    closest (`best`: its cells, what they map, its line) and the columns it lacks."""
    if best is None:
        return Problem(source=source, code=ProblemCode.EMPTY_FILE)
    cells, positions, line = best
    return Problem(
        source=source,
        line=line,
        code=ProblemCode.NO_HEADER,
        detail={
            "missing": ",".join(missing_columns(positions)),
            "header": " | ".join(c.strip() for c in cells if c.strip()),
            "searched": str(min(searched, HEADER_SEARCH_LINES + 1)),
            "line": str(line),
        },
    )
