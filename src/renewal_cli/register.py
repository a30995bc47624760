"""The register: rows of cells (from sources.py) turned into Certificates or Problems.

A register is read as a stream: iterating a `Register` yields Certificates and Problems in file
order, and `counts` accounts for every row once the iteration has finished: a certificate row
(one row may hold two certificates), a problem row, a blank or summary row, or a title or header
line. This module finds the header (title lines above it, a header in two rows), maps its
columns, reads each cell as the field it is, and holds the checks of every number read against
the rows read before: a repeat, a number clash (another holder's), a number of the other scheme.
`parse_*` functions work on text in memory.
"""

from __future__ import annotations

import io
import re
import unicodedata
from array import array
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache, partial
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from renewal_cli.files import shown_name
from renewal_cli.models import Certificate, Problem, ProblemCode, Scheme, Severity
from renewal_cli.places import Places, Scope, clean
from renewal_cli.policy import Policy
from renewal_cli.rules import (
    expiry_from_issue,
    issue_from_expiry,
    number_key,
    numbers_clash,
)
from renewal_cli.sources import Aside, CsvSource, Row, is_workbook, parse_csv, read_csv

if TYPE_CHECKING:
    from renewal_cli.xlsx import XlsxSource

Held = tuple[str, int, date, str, str, str, str | None]
"""A certificate read, as the repeat and clash checks need it: (file, line, expiry, holder,
product, city, county), the holder and product as typed, the place canonical."""
Seen = dict[str, Held | list[Held]]
"""number_key → the certificates read under that number, in the order read (one, or a list
when several share it): the repeat and number-clash checks."""

# Field → the headers registers use for it, most specific first: when a register has two
# columns for one field (证书编号 and 产品编号), the earlier alias wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "cert_id": ("证书编号", "产品编号", "证书号", "编号", "cert_id", "certificate_id"),
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
# Dates of the other kinds of obligation (sowing, inspection, listing, confirmation, test).
_OTHER_DATES = ("sowing_on", "inspected_on", "listed_on", "confirmed_on", "tested_on")
# Group headers above a second header row (所在地 over 市 and 县区).
GROUP_HEADERS = frozenset({"所在地", "地区", "所在地区", "证书有效期", "有效期"})

REQUIRED: tuple[str, ...] = ("cert_id", "enterprise", "product", "scheme")
# At least one field of each group must have a column.
REQUIRED_ONE_OF: tuple[tuple[str, ...], ...] = (
    ("city", "county"),
    ("issued_on", "expires_on", "validity", "sowing_on", "listed_on"),
)
# Cells a merged spreadsheet cell leaves empty under its first row.
MERGEABLE: tuple[str, ...] = ("enterprise", "scheme", "city", "county")

SCHEMES: dict[str, Scheme] = {
    "绿色食品": Scheme.GREEN,
    "绿色": Scheme.GREEN,
    "绿色食品认证": Scheme.GREEN,
    "green": Scheme.GREEN,
    "greenfood": Scheme.GREEN,
    "有机农产品": Scheme.ORGANIC,
    "有机产品": Scheme.ORGANIC,
    "有机": Scheme.ORGANIC,
    "有机食品": Scheme.ORGANIC,
    "有机认证": Scheme.ORGANIC,
    "organic": Scheme.ORGANIC,
    "名特优新": Scheme.MINGTE,
    "名特优新农产品": Scheme.MINGTE,
    "全国名特优新农产品": Scheme.MINGTE,
    "mingte": Scheme.MINGTE,
}

# County cells that mean "no county: the city's own level" (also after a city: 百色市本级).
CITY_LEVEL = ("市本级", "市直", "本级", "市级")
# First words of rows at the bottom of a register that are not certificates.
SUMMARY_WORDS = (
    "合计",
    "总计",
    "小计",
    "共计",
    "制表",
    "填表",
    "审核",
    "说明",
    "注：",
    "注:",
    "备注",
)
# Several certificate numbers (or products) in one cell.
LIST_SEPARATORS = re.compile(r"[、，,；;]+")
_DATE_TEXT = (
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:[ T]+\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?)?|\d{8}"
)
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_RANGE = re.compile(rf"({_DATE_TEXT})\s*(?:-|–|—|~|～|至|到)\s*({_DATE_TEXT})")
_NOTE = re.compile(rf"({_DATE_TEXT})\s*([(（\[【].*[)）\]】])")
_BRACKETED = re.compile(r"[(\[【].*?[)\]】]$")
# Register dates outside these years are typos (0201, 9021), not certificates.
MIN_YEAR, MAX_YEAR = 1900, 2199
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
# Everything stripped from a cell's ends: ASCII and full-width (U+3000) spaces, NBSP, invisibles.
_PADDING = " \t\r\n\v\f\u3000\u00a0\u2002\u2003\u2009\u202f" + _INVISIBLE
HEADER_SEARCH_LINES = 50
# Day 0 of Excel's serial dates (the 1900 leap-year bug makes it 30 December 1899).
EXCEL_EPOCH = date(1899, 12, 30)


@lru_cache(maxsize=8192)  # registers repeat dates; a bad one raises and is not cached
def parse_date(text: str) -> date | None:
    """A register date, or None for an empty cell. Raises ValueError for anything else.

    Accepts 2021-03-05, 2021/3/5, 2021.03.05, 2021年3月5日, 20210305 and "2021-03-05 00:00:00".
    Nothing is guessed: no missing year, no day-month swapping (dateutil would fill gaps from
    today, which must never happen to a register date).
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match is None:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(text)  # a typo like 0201 or 9021, and date arithmetic stays in range
    return date(year, month, day)  # ValueError for 2021-02-30


@dataclass(frozen=True)
class DateCell:
    """What a date cell holds: a date, a range (issue and expiry), and a note after it."""

    first: date | None
    second: date | None = None
    note: str = ""


_NO_DATE = DateCell(None)


@lru_cache(maxsize=8192)
def parse_date_cell(text: str) -> DateCell:
    """A date, a validity range ("2021.03.05-2024.03.04", "2021年3月5日至2024年3月4日") or a
    date with a note after it ("2024-03-04（已续展）"). Raises ValueError for anything else."""
    folded = unicodedata.normalize("NFKC", text).strip()
    try:
        return DateCell(parse_date(folded))
    except ValueError:
        pass
    match = _RANGE.fullmatch(folded)
    if match is not None:
        return DateCell(parse_date(match.group(1)), parse_date(match.group(2)))
    match = _NOTE.fullmatch(folded)
    if match is not None:
        return DateCell(parse_date(match.group(1)), note=match.group(2))
    raise ValueError(text)


@lru_cache(maxsize=256)
def parse_scheme(text: str) -> Scheme | None:
    """The scheme a cell names, or None.

    Besides the spellings in SCHEMES, a cell that names exactly one of the two schemes inside
    longer text (绿色食品A级, 有机产品认证) is taken as that scheme; one naming both, or
    neither, is not guessed.
    """
    key = clean(text).lower()
    if key in SCHEMES:
        return SCHEMES[key]
    if "名特优新" in key:
        return Scheme.MINGTE
    green = "绿色" in key or "green" in key
    organic = "有机" in key or "organic" in key
    if green != organic:
        return Scheme.GREEN if green else Scheme.ORGANIC
    return None


def normalize_header(text: str) -> str:
    return clean(text).strip(_INVISIBLE + "*").lower()


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names the column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


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
    names = {normalize_header(c) for c in cells if c.strip(_PADDING)}
    return bool(names & GROUP_HEADERS) or bool(names & set(_ALIAS_KEYS))


def _combine(top: list[str], sub: list[str]) -> list[str]:
    """A two-row header as one: the lower name where there is one, else the group's."""
    width = max(len(top), len(sub))
    top, sub = top + [""] * (width - len(top)), sub + [""] * (width - len(sub))
    return [s if s.strip(_PADDING) else t for t, s in zip(top, sub, strict=True)]


@dataclass
class Counts:
    """What a pass over the register saw; complete once the iteration has finished."""

    rows: int = 0
    """Data rows: each became certificates (certificate_rows) or was reported (problems)."""
    certificates: int = 0
    problems: int = 0
    blank: int = 0
    """Empty rows, and rows holding only a serial number (序号)."""
    summary: int = 0
    """Rows such as 合计, 制表人 or 填表说明 below the data."""
    title_lines: int = 0
    header_lines: int = 0
    lines: int = 0
    """Physical lines in the file."""
    outside: int = 0
    """Data rows of places outside --city / --county: their place was checked, nothing more
    (they are among `rows`)."""


# The cells a row outside the scope is keyed by, in this order (see _Header.quick).
QUICK_FIELDS = ("city", "county", "scheme", "cert_id", "cert_id_alt")


@dataclass
class _Header:
    positions: dict[str, int]
    labels: list[str]

    quick: tuple[int, ...] = ()
    """Column indexes of QUICK_FIELDS (-1 where the register has no such column)."""
    fields: tuple[tuple[str, int], ...] = ()
    span: int = 0
    """Cells a row needs to hold every mapped column."""
    recorded: frozenset[str] = frozenset()
    """Which of the dates a missed obligation is told by have a column (Certificate.recorded)."""
    where: Callable[[list[str]], object] = str
    """The city, county and scheme cells of a row, as they are (for a row of `span` cells)."""

    def __post_init__(self) -> None:
        self.quick = tuple(self.positions.get(name, -1) for name in QUICK_FIELDS)
        self.fields = tuple(self.positions.items())
        self.span = max(self.positions.values(), default=-1) + 1
        kept = ("inspected_on", "confirmed_on", "tested_on")
        self.recorded = frozenset(name for name in kept if name in self.positions)
        place = [self.positions[n] for n in ("city", "county") if n in self.positions]
        self.where = itemgetter(*place, self.positions["scheme"])

    def cells_of(self, row: list[str]) -> dict[str, str]:
        """Field → the row's cell, stripped ("" where the row is short)."""
        if len(row) >= self.span:
            return {name: row[i].strip(_PADDING) for name, i in self.fields}
        return {name: _cell(row, i) for name, i in self.fields}


@dataclass
class _MergeRun:
    """Rows whose holder, scheme or place are empty under a filled row (merged cells)."""

    first: int
    last: int
    fields: set[str]


@dataclass
class Register:
    """A register opened for reading: iterate it for Certificates and Problems."""

    source: str
    rows: Iterable[Row | Problem]
    policy: Policy
    places: Places
    counts: Counts = field(default_factory=Counts)
    header: list[str] = field(default_factory=list)
    failed: bool = False
    verbose: bool = False
    """List rows that are not certificates (合计, 制表人 …) as problems too (renewal check)."""
    seen: Seen = field(default_factory=dict)
    """number → the certificates read so far under it: shared by the registers of one run, so
    a repeat or a number clash is found across files too."""
    scope: Scope | None = None
    """Read only the rows of these places in full; of the others, check the place and keep
    compact keys (`outside`). None reads every row."""
    outside: OutsideKeys = field(default_factory=lambda: OutsideKeys())
    only: frozenset[int] | None = None
    """A pass that reads just these lines (a row's first line) after the header, and skips
    every other row uncounted (see jobs._involved). None reads every row."""
    reopen: Callable[[], Register] | None = None
    """A fresh Register over the same source (a second pass reads it again)."""
    remembers: Callable[[str], bool] | None = None
    """Which numbers (number keys) the repeat check remembers and checks; None: all. A job in
    two passes (twopass.py) knows after the first which numbers another row can share."""
    _places_seen: dict[tuple[str, str], tuple[str, str | None] | None] = field(default_factory=dict)
    _texts: dict[str, str] = field(default_factory=dict)
    _verdicts: dict[object, bool] = field(default_factory=dict)
    """A row's place cells as typed → whether they read cleanly as a place outside the scope."""

    def __iter__(self) -> Iterator[Certificate | Problem]:
        source = self.rows
        try:
            yield from self._entries(iter(source))
        finally:
            self.counts.lines = getattr(source, "lines", 0)

    def again(self, lines: frozenset[int], seen: Seen) -> Register:
        """A pass over the same source that reads just `lines` in full and skips the rest."""
        assert self.reopen is not None
        fresh = self.reopen()
        fresh.seen, fresh.only = seen, lines
        return fresh

    def anew(self, seen: Seen, remembers: Callable[[str], bool] | None) -> Register:
        """A fresh pass over the same source, whose repeat check shares `seen` (with the other
        registers of the run) and checks only the numbers `remembers` names: a number no
        other row holds can neither repeat nor clash, so it need not be remembered."""
        assert self.reopen is not None
        fresh = self.reopen()
        fresh.seen, fresh.remembers, fresh.verbose = seen, remembers, self.verbose
        return fresh

    def remember_only(self, remembers: Callable[[str], bool] | None) -> None:
        """Have the repeat check of this pass check only the numbers `remembers` names (see
        `anew`); a pass keeping every certificate's keys checks none."""
        self.remembers = remembers

    def shared(self, text: str) -> str:
        """One string object for text a register repeats down its rows (the products: a
        national register holds 10^5 certificates of a few hundred products)."""
        return self._texts.setdefault(text, text)

    def release(self) -> None:
        """Let go of what only reading needed: the repeat check (shared by the registers of a
        run, so call this once all are read) and the keys of the rows outside the scope."""
        self.seen.clear()
        self.outside = OutsideKeys()

    @property
    def size(self) -> int:
        """The file's size in bytes when it is a CSV file (0 otherwise)."""
        return getattr(self.rows, "size", 0)

    def watch(self, progress: Callable[[int], None]) -> None:
        """Have `progress` told the bytes read so far, now and then (CSV files only)."""
        if isinstance(self.rows, CsvSource):
            self.rows.progress = progress

    def _fail(self, problem: Problem) -> Problem:
        self.failed = True
        return problem

    def _entries(self, rows: Iterator[Row | Problem]) -> Iterator[Certificate | Problem]:
        found = yield from self._find_header(rows)
        if found is None:
            return
        header, first_data = found
        if hasattr(self.rows, "set_width"):
            self.rows.set_width(len(header.labels))
        if self.only is not None and isinstance(self.rows, CsvSource):
            self.rows.only = self.only  # the source skips other one-line rows unsplit
        previous: dict[str, str] = {}
        run: _MergeRun | None = None
        outside = self._outside if self.scope is not None else None
        self.outside.quick = header.quick
        if outside is not None and isinstance(self.rows, CsvSource):
            keys = self.outside
            self.rows.aside = Aside(
                header.where,
                self._verdicts,
                header.span,
                keys.pending,
                keys.flush,
                judge=partial(self._judge, header),
                kept=keys,
            )
        only = self.only
        for entry in _chain(first_data, rows):
            if only is not None and entry.line not in only and not _is_fatal(entry):
                continue
            if type(entry) is not Row:
                assert isinstance(entry, Problem)
                yield self._reading(entry)
                continue
            if outside is not None and outside(entry, header):
                continue
            cells = header.cells_of(entry.cells)
            kind = self._classify(entry, cells)
            if kind != "data":
                if self.verbose and kind == "summary":
                    yield Problem(source=self.source, line=entry.line, code=ProblemCode.SUMMARY_ROW)
                continue
            self.counts.rows += 1
            gaps = _merge_gaps(cells, previous, header.positions)
            if gaps:
                if run is None:
                    run = _MergeRun(entry.line, entry.line, set(gaps))
                run.last = entry.line
                run.fields.update(gaps)
                self.counts.problems += 1
                continue
            if run is not None:
                yield self._merged(run, header)
                run = None
            previous = cells
            yield from self._row(entry, cells, header)
        if run is not None:
            yield self._merged(run, header)
        self.outside.flush()
        self.counts.rows += self.outside.rows
        self.counts.outside += self.outside.rows

    def _reading(self, problem: Problem) -> Problem:
        """A problem of the source after the header, counted as a row when it is an error."""
        if problem.fatal:  # a source that breaks partway: nothing of it may be used
            self.failed = True
        if problem.severity is Severity.ERROR:
            self.counts.rows += 1
            self.counts.problems += 1
        return problem

    def _outside(self, row: Row, header: _Header) -> bool:
        """Whether a row is of a place outside the scope: then it is counted and its keys kept.

        Only a place that reads cleanly and a scheme that is known count: anything else (a
        blank row, a broken place) is read in full, so every problem is still reported. This
        runs for every row of a national register: one dict lookup decides most rows.
        """
        cells = row.cells
        if len(cells) < header.span:  # a short row: read in full
            return False
        where = header.where(cells)
        verdict = self._verdicts.get(where)
        if verdict is None:
            verdict = self._verdicts[where] = self._is_outside(row, header)
        if not verdict:
            return False
        self.outside.add(row.line, cells)
        return True

    def _judge(self, header: _Header, line: int, cells: list[str]) -> bool:
        """`_is_outside` for the CSV source, which meets a place first (sources.Aside)."""
        return self._is_outside(Row(line, line, cells), header)

    def _is_outside(self, row: Row, header: _Header) -> bool:
        """Whether a row's place reads cleanly and lies outside the scope, and its scheme is
        known (the cells `header.where` gives)."""
        assert self.scope is not None
        cells = header.cells_of(row.cells)
        if parse_scheme(cells["scheme"]) is None:
            return False
        place = self._place_of(row.line, cells, header)
        return place is not None and not self.scope.contains(place[0], place[1])

    def _place_of(
        self, line: int, cells: dict[str, str], header: _Header
    ) -> tuple[str, str | None] | None:
        """The canonical (city, county) of a row's place cells, or None when they have a
        problem (then the row's reader reports it). Cached: registers repeat places."""
        where = (cells.get("city", ""), cells.get("county", ""))
        if where not in self._places_seen:
            probe = _RowReader(self, Row(line, line, []), cells, header)
            city, county = probe._place()
            self._places_seen[where] = None if city is None else (city, county)
        return self._places_seen[where]

    def _classify(self, row: Row, cells: dict[str, str]) -> str:
        """ "data", or "blank" / "summary" for rows that are not certificates (counted)."""
        number = number_cell(cells)
        first = _filled(row.cells, 2)
        if not first or (not number and all(c.isdigit() for c in _filled(row.cells))):
            self.counts.blank += 1
            return "blank"
        # 合计 / 制表人 / 填表说明 as the row's first word (after a 序号 at most).
        words = first[1:2] if first[0].isdigit() else first[:1]
        if _is_summary(words) or (not cells.get("cert_id") and _is_summary(first)):
            self.counts.summary += 1
            return "summary"
        return "data"

    def _merged(self, run: _MergeRun, header: _Header) -> Problem:
        names = [
            header.labels[header.positions[f]].strip()
            for f in (*MERGEABLE, "cert_id")
            if f in run.fields
        ]
        return Problem(
            source=self.source,
            line=run.first,
            end_line=run.last if run.last != run.first else None,
            code=ProblemCode.MERGED_CELLS,
            detail={"columns": "、".join(names)},
        )

    def _find_header(
        self, rows: Iterator[Row | Problem]
    ) -> Generator[Problem, None, tuple[_Header, Row | None] | None]:
        """The row(s) naming the columns; title lines above are counted. Problems of reading
        before the header are passed on; a file without a header is one fatal Problem."""
        best: tuple[list[str], dict[str, int], int] | None = None
        searched = 0
        candidate: Row | None = None
        for entry in rows:
            if isinstance(entry, Problem):
                if entry.fatal:
                    self.failed = True
                yield entry
                if entry.fatal:
                    return None
                if entry.line is not None:
                    # A bad row (one huge line, say) is a line searched: a file of nothing else
                    # has no header there, which is not an empty file.
                    searched += 1
                    if best is None:
                        best = ([], {}, entry.line)
                continue
            if not any(c.strip(_PADDING) for c in entry.cells):
                self.counts.blank += 1
                continue
            if candidate is not None and _may_head(candidate.cells):
                combined = _combine(candidate.cells, entry.cells)
                if _is_subheader(candidate.cells, entry.cells) and not missing_columns(
                    map_header(combined)
                ):
                    self.counts.header_lines += 2
                    return self._header(combined), None
            if candidate is not None:
                if not missing_columns(map_header(candidate.cells)):
                    self.counts.header_lines += 1
                    return self._header(candidate.cells), entry
                self.counts.title_lines += 1
            searched += 1
            positions = map_header(entry.cells)
            if best is None or not best[0] or len(positions) > len(best[1]):
                best = (entry.cells, positions, entry.line)
            candidate = entry
            if searched > HEADER_SEARCH_LINES:
                break
        if candidate is not None and not missing_columns(map_header(candidate.cells)):
            self.counts.header_lines += 1
            return self._header(candidate.cells), None
        if best is None:
            yield self._fail(Problem(source=self.source, code=ProblemCode.EMPTY_FILE))
            return None
        cells, positions, line = best
        yield self._fail(
            Problem(
                source=self.source,
                line=line,
                code=ProblemCode.NO_HEADER,
                detail={
                    "missing": ",".join(missing_columns(positions)),
                    "header": " | ".join(c.strip() for c in cells if c.strip()),
                    "searched": str(min(searched, HEADER_SEARCH_LINES + 1)),
                    "line": str(line),
                },
            )
        )
        return None

    def _header(self, labels: list[str]) -> _Header:
        self.header = labels
        return _Header(map_header(labels), labels)

    def _row(
        self, row: Row, cells: dict[str, str], header: _Header
    ) -> Iterator[Certificate | Problem]:
        reader = _RowReader(self, row, cells, header)
        entries = reader.read()
        if any(isinstance(e, Problem) and e.severity is Severity.ERROR for e in entries):
            self.counts.problems += 1
        else:
            self.counts.certificates += sum(isinstance(e, Certificate) for e in entries)
        yield from entries


_BATCH = 4096


@dataclass
class OutsideKeys:
    """Compact keys of the rows outside the scope: a hash of the number, with the row's line:
    12 bytes a row (a row listing several numbers has one entry each). A hash shared by chance
    only costs a second look at a row.

    The number is all a row outside needs: it can repeat a row in scope, clash with one or be
    its later cycle only through the number, since the other way to a later cycle (the same
    holder and product) needs the same holder, a name in the same place (rules.holder_of),
    and no place is both in the scope and outside it.

    Rows are keyed in batches: the test that lets a batch skip the full folding (ASCII
    numbers without spaces, the usual case) runs once on the whole batch.
    """

    numbers: array[int] = field(default_factory=lambda: array("q"))
    lines: array[int] = field(default_factory=lambda: array("i"))
    quick: tuple[int, ...] = ()
    rows: int = 0
    """Rows keyed (a row listing several numbers counts once)."""
    pending: list[tuple[int, list[str]]] = field(default_factory=list)
    """(line, cells) of rows not keyed yet: filled here and by the CSV source (sources.Aside)."""

    def add(self, line: int, cells: list[str]) -> None:
        """Keep a row's keys (its cells reach every column of the header)."""
        self.pending.append((line, cells))
        if len(self.pending) >= _BATCH:
            self.flush()

    def __len__(self) -> int:
        return len(self.lines) + len(self.pending)

    def flush(self) -> None:
        rows = list(self.pending)
        self.pending.clear()  # in place: the CSV source appends to this very list
        if not rows:
            return
        self.rows += len(rows)
        number_at, alt_at = self.quick[3:5]
        numbers = [cells[number_at] for _, cells in rows]
        if alt_at >= 0:
            numbers = [_number_of(cells[number_at], cells[alt_at]) for _, cells in rows]
        joined = "\n".join(numbers)
        bare = joined.replace("\n", "").replace("-", "")
        if bare.isascii() and bare.isalnum():
            # Every number folded at once: number_key of an ASCII number without spaces.
            self.numbers.extend(map(hash, joined.replace("-", "").lower().split("\n")))
            self.lines.extend([line for line, _ in rows])
            return
        for (line, _), number in zip(rows, numbers, strict=True):
            for key in _number_keys(number):
                self.numbers.append(hash(key))
                self.lines.append(line)

    def forget(self) -> None:
        """In a second process reading the rest of the file (sources.Kept): start empty, the
        first process keeps what it has."""
        self.pending.clear()  # in place: the CSV source appends to this very list
        self.numbers, self.lines = array("q"), array("i")
        self.rows = 0

    def export(self) -> tuple[int, bytes, bytes]:
        """The keys made, as bytes (sent from a second process to the first)."""
        self.flush()
        return self.rows, self.numbers.tobytes(), self.lines.tobytes()

    def absorb(self, exported: tuple[int, bytes, bytes]) -> None:
        """Add the keys another process made (`export`)."""
        rows, numbers, lines = exported
        self.rows += rows
        self.numbers.frombytes(numbers)
        self.lines.frombytes(lines)

    def matching(self, numbers: set[int]) -> list[tuple[int, int]]:
        """(line, number hash) of the rows whose number hashes like one of `numbers`."""
        self.flush()
        return [
            (line, number)
            for number, line in zip(self.numbers, self.lines, strict=True)
            if number in numbers
        ]


def _number_of(number: str, alternate: str) -> str:
    """The number of a row with both 证书编号 and 产品编号 columns, as number_cell chooses it."""
    return number_cell(
        {"cert_id": number.strip(_PADDING), "cert_id_alt": alternate.strip(_PADDING)}
    )


def _number_keys(cell: str) -> list[str]:
    """rules.number_key of each number a cell lists (one key, "" for an empty cell)."""
    return [number_key(n) for n in _listed(cell)] or [""]


def _listed(cell: str) -> list[str]:
    """The items a cell lists (products beside listed numbers), as _RowReader._numbers
    splits them."""
    return [p.strip(_PADDING) for p in LIST_SEPARATORS.split(cell) if p.strip(_PADDING)]


def _is_fatal(entry: Row | Problem) -> bool:
    return type(entry) is not Row and isinstance(entry, Problem) and entry.fatal


def _filled(cells: list[str], limit: int = 0) -> list[str]:
    """The non-empty cells of a row, stripped (the first `limit` of them when limit > 0)."""
    found: list[str] = []
    for cell in cells:
        value = cell.strip(_PADDING)
        if value:
            found.append(value)
            if len(found) == limit:
                break
    return found


def _is_summary(cells: list[str]) -> bool:
    """Whether one of the cells starts like a 合计 / 制表人 row (never an ASCII one)."""
    return any(not c.isascii() and clean(c).startswith(SUMMARY_WORDS) for c in cells)


def _chain(first: Row | None, rest: Iterator[Row | Problem]) -> Iterator[Row | Problem]:
    if first is not None:
        yield first
    yield from rest


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip(_PADDING) if index < len(cells) else ""


def number_cell(cells: dict[str, str]) -> str:
    """The certificate number of a row: 证书编号, unless it holds the holder's GF code (or is
    empty) and a 产品编号 column gives the product's own LB number."""
    number, alternate = cells.get("cert_id", ""), cells.get("cert_id_alt", "")
    if alternate and (not number or number.upper().startswith("GF")):
        return alternate
    return number


def _merge_gaps(
    cells: dict[str, str], previous: dict[str, str], positions: dict[str, int]
) -> list[str]:
    """The mergeable cells a row leaves empty where the row above it had them: merged cells
    exported to CSV. Empty when the row is complete, or when nothing above could have been
    merged into it (then its empty cells are ordinary problems). A holder's GF code under
    证书编号 is merged like the holder when 产品编号 carries each product's number."""
    if not previous or not number_cell(cells):
        return []
    place_empty = not cells.get("city") and not cells.get("county")
    gaps = [
        name
        for name in MERGEABLE
        if name in positions
        and not cells.get(name)
        and previous.get(name)
        and (name not in ("city", "county") or place_empty)
    ]
    # The GF code beside 产品编号 is merged with its holder; alone, an empty one is no gap (an
    # organic row has no GF code).
    if gaps and "cert_id_alt" in positions and not cells.get("cert_id") and previous.get("cert_id"):
        gaps.append("cert_id")
    return gaps


class _RowReader:
    """Everything about reading one data row: its cells, dates, place and number(s)."""

    def __init__(self, register: Register, row: Row, cells: dict[str, str], header: _Header):
        self.register = register
        self.row = row
        self.cells = cells
        self.header = header
        self.problems: list[Problem] = []
        self.numeric: set[tuple[int, int]] | None = getattr(register.rows, "numeric", None)

    def value(self, name: str) -> str:
        return self.cells.get(name, "")

    def problem(self, code: ProblemCode, name: str | None, **detail: str) -> Problem:
        index = self.header.positions.get(name) if name else None
        found = Problem(
            source=self.register.source,
            line=self.row.line,
            column=index + 1 if index is not None else None,
            header=self.header.labels[index].strip() if index is not None else "",
            letter=column_letter(index) if index is not None else "",
            value=self.value(name) if name else "",
            code=code,
            detail=detail,
        )
        self.problems.append(found)
        return found

    def read(self) -> list[Certificate | Problem]:
        scheme = self._scheme()
        cells = self.cells
        extra = {name: self._date(name).first if cells.get(name) else None for name in _OTHER_DATES}
        issued_on, expires_on, filed_on = self._dates(scheme, extra)
        # A planned application or a 名特优新 listing has no certificate number yet.
        uncertified = scheme is Scheme.MINGTE or (issued_on is None and expires_on is None)
        for name in REQUIRED:
            cell = number_cell(self.cells) if name == "cert_id" else self.value(name)
            if not cell and not (name == "cert_id" and uncertified):
                self.problem(ProblemCode.EMPTY, name)
        place = self.register._place_of(self.row.line, self.cells, self.header)
        city, county = place if place is not None else self._place()
        self._extra_cells()
        pairs = self._numbers()
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        if errors or scheme is None or city is None or pairs is None:
            return list(self.problems)
        if uncertified:
            return [*self.problems, *self._uncertified(pairs, scheme, city, county, extra)]
        validity = self.register.policy.rule(scheme).validity_years or 1
        if expires_on is None:
            assert issued_on is not None
            expires_on = expiry_from_issue(issued_on, validity)
        if issued_on is None:
            issued_on = issue_from_expiry(expires_on, validity)
        if filed_on is not None and filed_on < issued_on:
            self.problem(
                ProblemCode.FILED_BEFORE_ISSUE, "filed_on", issued_on=issued_on.isoformat()
            )
        keys = [number_key(cert_id) for cert_id, _ in pairs]
        repeat = self._checked(keys, pairs, scheme, expires_on, (city, county))
        if repeat is not None:
            return [*self.problems, repeat]
        out: list[Certificate | Problem] = []
        for cert_id, product in pairs:
            certificate = Certificate(
                cert_id=cert_id,
                enterprise=self.value("enterprise"),
                product=self.register.shared(product),
                scheme=scheme,
                city=city,
                county=county,
                issued_on=issued_on,
                expires_on=expires_on,
                filed_on=filed_on,
                grade=self.value("grade") or None,
                base=self.value("base") or None,
                certifier=self.value("certifier") or None,
                inspected_on=extra["inspected_on"],
                recorded=self.header.recorded,
                contact=self.value("contact") or None,
                phone=self.value("phone") or None,
                email=self.value("email") or None,
                source=self.register.source,
                line=self.row.line,
            )
            out.append(certificate)
        return [*self.problems, *out]

    def _checked(
        self,
        keys: list[str],
        pairs: list[tuple[str, str]],
        scheme: Scheme,
        expires_on: date,
        place: tuple[str, str | None],
    ) -> Problem | None:
        """The checks of the row's numbers against the rows read before: a repeat's Problem
        (the row is left out), or None once the row is remembered, with a warning of the first
        number clash and of a number of the other scheme's form (the row is read)."""
        seen = self.register.seen
        city, county = place
        remembers = self.register.remembers
        checked, checked_pairs = keys, pairs
        if remembers is not None and not all(map(remembers, keys)):
            # A number no other row can share: nothing to check it against, or to keep.
            chosen = [n for n, key in enumerate(keys) if remembers(key)]
            checked, checked_pairs = [keys[n] for n in chosen], [pairs[n] for n in chosen]
        if not checked:
            pass
        elif len(checked) == 1 and checked[0] not in seen:  # the usual row: one number, met first
            holder = self.cells.get("enterprise", "")
            line = self.row.line
            seen[checked[0]] = (
                self.register.source,
                line,
                expires_on,
                holder,
                checked_pairs[0][1],
                city,
                county,
            )
        else:
            repeat = self._against_seen(checked, checked_pairs, expires_on, place)
            if repeat is not None:
                return repeat
        other = _OTHER_FORM.get(scheme)
        if other is not None and any(map(other, keys)):
            form = Scheme.ORGANIC if scheme is Scheme.GREEN else Scheme.GREEN
            self.problem(ProblemCode.NUMBER_SCHEME_MISMATCH, self._number_field(), form=form.value)
        return None

    def _against_seen(
        self,
        keys: list[str],
        pairs: list[tuple[str, str]],
        expires_on: date,
        place: tuple[str, str | None],
    ) -> Problem | None:
        """`_checked` of a row whose number was met before, or which lists several: a repeat's
        Problem, or None once the row is remembered (with a warning of the first clash)."""
        seen = self.register.seen
        source, line, holder = self.register.source, self.row.line, self.value("enterprise")
        city, county = place
        held: list[Held] = []
        clash: tuple[Held, Held] | None = None
        for key, (_, product) in zip(keys, pairs, strict=True):
            mine = (source, line, expires_on, holder, product, city, county)
            held.append(mine)
            earlier = seen.get(key)
            if earlier is not None:
                repeated, clashing = _against(earlier, mine)
                if repeated is not None:
                    return self._repeat(repeated)
                if clash is None and clashing is not None:
                    clash = clashing, mine
        if clash is not None:
            self._clash(*clash)
        for key, mine in zip(keys, held, strict=True):
            earlier = seen.get(key)
            if earlier is None:
                seen[key] = mine
            elif type(earlier) is list:
                earlier.append(mine)
            else:
                seen[key] = [earlier, mine]  # type: ignore[list-item]
        return None

    def _serial(self, name: str) -> date | None:
        """An Excel serial number in a workbook's date column (a number cell, 1900–2199)."""
        numeric = self.numeric
        if not numeric:  # a CSV register: no cell is a number
            return None
        index = self.header.positions.get(name)
        text = self.value(name)
        if index is None or (self.row.line, index + 1) not in numeric:
            return None
        if not text.isdigit() or not 366 <= int(text) <= 109_938:
            return None
        return EXCEL_EPOCH + timedelta(days=int(text))

    def _scheme(self) -> Scheme | None:
        text = self.value("scheme")
        scheme = parse_scheme(text) if text else None
        if text and scheme is None:
            self.problem(ProblemCode.UNKNOWN_SCHEME, "scheme")
        return scheme

    def _date(self, name: str) -> DateCell:
        text = self.cells.get(name)
        if not text:
            return _NO_DATE  # no such column, or an empty cell: most of the nine date fields
        if self.numeric:
            serial = self._serial(name)
            if serial is not None:
                return DateCell(serial)
        try:
            cell = parse_date_cell(text)
        except ValueError:
            self.problem(ProblemCode.BAD_DATE, name)
            return DateCell(None)
        if cell.note:
            self.problem(ProblemCode.DATE_NOTE, name, note=cell.note)
        return cell

    def _uncertified(
        self,
        pairs: list[tuple[str, str]],
        scheme: Scheme,
        city: str,
        county: str | None,
        extra: dict[str, date | None],
    ) -> list[Certificate]:
        """Rows without a certificate: a planned application or a 名特优新 listing."""
        return [
            Certificate(
                cert_id=cert_id,
                enterprise=self.value("enterprise"),
                product=product,
                scheme=scheme,
                city=city,
                county=county,
                filed_on=self._date("filed_on").first,
                certifier=self.value("certifier") or None,
                contact=self.value("contact") or None,
                phone=self.value("phone") or None,
                email=self.value("email") or None,
                source=self.register.source,
                line=self.row.line,
                sowing_on=extra["sowing_on"],
                recorded=self.header.recorded,
                listed_on=extra["listed_on"],
                confirmed_on=extra["confirmed_on"],
                tested_on=extra["tested_on"],
            )
            for cert_id, product in pairs
        ]

    def _dates(
        self, scheme: Scheme | None, extra: dict[str, date | None]
    ) -> tuple[date | None, date | None, date | None]:
        date_of = self._date
        issued, expires = date_of("issued_on"), date_of("expires_on")
        validity, filed = date_of("validity"), date_of("filed_on").first
        issued_on = issued.first
        expires_on: date | None
        if expires.second is not None:  # a range under 有效期至
            issued_on, expires_on = issued_on or expires.first, expires.second
        else:
            expires_on = expires.first
        if validity.second is not None:
            issued_on, expires_on = issued_on or validity.first, expires_on or validity.second
        elif validity.first is not None:  # a lone date under 有效期 is the expiry
            expires_on = expires_on or validity.first
        bad = any(p.code is ProblemCode.BAD_DATE for p in self.problems)
        if scheme is Scheme.MINGTE:
            if extra["listed_on"] is None and not bad:
                self.problem(ProblemCode.NO_DATES, "listed_on")
            return None, None, filed
        if issued_on is None and expires_on is None and extra["sowing_on"] is None and not bad:
            present = [
                n for n in ("validity", "expires_on", "issued_on") if n in self.header.positions
            ]
            self.problem(ProblemCode.NO_DATES, present[0] if present else None)
        if issued_on and expires_on and expires_on < issued_on:
            name = "expires_on" if "expires_on" in self.header.positions else "validity"
            self.problem(ProblemCode.EXPIRY_BEFORE_ISSUE, name, issued_on=issued_on.isoformat())
        return issued_on, expires_on, filed

    def _place(self) -> tuple[str | None, str | None]:
        """Canonical (city, county); a problem for anything not in Guangxi."""
        places = self.register.places
        city_text, county_text = self.value("city"), self.value("county")
        city = places.city(city_text) if city_text else None
        if city_text and city is None:
            nearest = "、".join(places.suggest_city(city_text))
            self.problem(ProblemCode.UNKNOWN_CITY, "city", nearest=nearest)
            return None, None
        county_name: str | None = None
        key = clean(county_text)
        level = next((w for w in CITY_LEVEL if key.endswith(w)), None)
        if level is not None:
            # 市本级, or 百色市本级: the city's own level, no county.
            prefix = key[: -len(level)]
            owner = places.city(prefix) if prefix else None
            if prefix and owner is None:
                nearest = "、".join(places.suggest_county(county_text))
                self.problem(ProblemCode.UNKNOWN_COUNTY, "county", nearest=nearest)
                return None, None
            if owner is not None and city is not None and owner.name != city.name:
                self.problem(
                    ProblemCode.COUNTY_CITY_MISMATCH, "county", city=city.name, belongs=owner.name
                )
                return None, None
            city = city or owner
        elif county_text:
            county = places.county(county_text)
            as_city = places.city(county_text) if county is None else None
            belongs = county.city if county is not None else as_city.name if as_city else None
            if county is None and as_city is None:
                nearest = "、".join(places.suggest_county(county_text))
                self.problem(ProblemCode.UNKNOWN_COUNTY, "county", nearest=nearest)
                return None, None
            if city is not None and belongs != city.name:
                self.problem(
                    ProblemCode.COUNTY_CITY_MISMATCH,
                    "county",
                    city=city.name,
                    belongs=belongs or "",
                )
                return None, None
            if county is not None:
                county_name = county.name
                city = city or places.cities[county.city]
            else:
                city = as_city  # the city's own level written in the county column
        if city is None:
            self.problem(ProblemCode.EMPTY, "city" if "city" in self.header.positions else "county")
            return None, None
        return city.name, county_name

    def _extra_cells(self) -> None:
        width = len(self.header.labels)
        extra = [c.strip(_PADDING) for c in self.row.cells[width:] if c.strip(_PADDING)]
        if extra:
            self.problems.append(
                Problem(
                    source=self.register.source,
                    line=self.row.line,
                    column=width + 1,
                    letter=column_letter(width),
                    value=extra[0],
                    code=ProblemCode.EXTRA_CELLS,
                    detail={"cells": str(width + len(extra)), "columns": str(width)},
                )
            )

    def _numbers(self) -> list[tuple[str, str]] | None:
        """(number, product) pairs: one, or several when a cell lists numbers and products
        that pair up. None (and a problem) when they do not."""
        number = number_cell(self.cells)
        product = self.value("product")
        if number.isascii() and number.replace("-", "").isalnum():
            return [(number, product)]  # the usual one number: nothing to fold or split
        number = unicodedata.normalize("NFKC", number).strip()
        numbers = _listed(number)
        if len(numbers) <= 1:
            return [(number, product)]
        products = _listed(product)
        if len(products) != len(numbers):
            self.problem(ProblemCode.UNPAIRED_NUMBERS, "cert_id", products=str(len(products)))
            return None
        return list(zip(numbers, products, strict=True))

    def _number_field(self) -> str:
        """The column the row's number came from: 证书编号, or 产品编号 beside a GF code."""
        if self.cells.get("cert_id_alt") and number_cell(self.cells) == self.value("cert_id_alt"):
            return "cert_id_alt"
        return "cert_id"

    def _repeat(self, earlier: Held) -> Problem:
        """The Problem of a row repeating an earlier one (its number and expiry, by the same
        holder), naming the column the number came from and the cell as typed."""
        field_name = self._number_field()
        index = self.header.positions[field_name]
        return Problem(
            source=self.register.source,
            line=self.row.line,
            column=index + 1,
            header=self.header.labels[index].strip(),
            letter=column_letter(index),
            value=self.value(field_name),
            code=ProblemCode.DUPLICATE
            if earlier[0] == self.register.source
            else ProblemCode.DUPLICATE_ACROSS,
            detail={"first_line": str(earlier[1]), "first_file": earlier[0]},
        )

    def _clash(self, earlier: Held, mine: Held) -> None:
        """A warning that an earlier row holds this row's number for another holder and product
        or place (both rows are read): it names both rows, the earlier by file and line, and
        the holder, product and place of each."""
        first_file, first_line, _, holder, product, city, county = earlier
        _, _, _, own_holder, own_product, own_city, own_county = mine
        self.problem(
            ProblemCode.NUMBER_CLASH,
            self._number_field(),
            first_file=first_file,
            first_line=str(first_line),
            holder=holder,
            product=product,
            place=county or city,
            own_holder=own_holder,
            own_product=own_product,
            own_place=own_county or own_city,
        )


def _against(earlier: Held | list[Held], row: Held) -> tuple[Held | None, Held | None]:
    """What the rows read before under a row's number make of it: the first it repeats (the
    same expiry, and no clash: the same holder, or the same product in the same place), and
    the first it clashes with (`rules.numbers_clash`). A repeat is left out; a clash is read."""
    repeated: Held | None = None
    clashing: Held | None = None
    mine = (row[3], row[4], row[5], row[6])
    for one in earlier if type(earlier) is list else (earlier,):
        assert isinstance(one, tuple)
        if numbers_clash((one[3], one[4], one[5], one[6]), mine):
            clashing = clashing or one
        elif one[2] == row[2]:
            repeated = one
            break
    return repeated, clashing


# The forms of certificate numbers (number_key: lower case, no hyphens or spaces) that belong
# to one scheme: green food's product number LB-cc-yymmppsssssA, and an organic certification
# number nnnnOPyysssss (three or four digits of the certifier, OP, the year and a serial). A
# GF enterprise code, or any other form, belongs to neither and is never warned of.
_GREEN_NUMBER = re.compile(r"lb\d")
_ORGANIC_NUMBER = re.compile(r"\d{3,4}op\d{2,}")


# A scheme → the test of a number (its number_key) having the other scheme's form (the
# patterns themselves: a call per row, and a usual number fails at its first characters).
_OTHER_FORM: dict[Scheme, Callable[[str], object]] = {
    Scheme.GREEN: _ORGANIC_NUMBER.fullmatch,
    Scheme.ORGANIC: _GREEN_NUMBER.match,
}


def open_register(
    source: Path | bytes,
    *,
    policy: Policy,
    places: Places,
    encoding: str | None = None,
    name: str | None = None,
    sheet: str | None = None,
    seen: Seen | None = None,
) -> Register:
    """A register over a file, or bytes already read (stdin, the sample). Never raises for
    the file: what cannot be read comes out of the iteration as a fatal Problem."""
    opened: CsvSource | XlsxSource | Problem
    if isinstance(source, bytes) and is_workbook(source[:4]):
        from renewal_cli.xlsx import read_xlsx

        label = name or "<stdin>"
        opened = read_xlsx(io.BytesIO(source), label, sheet)
    elif isinstance(source, bytes):
        label = name or "<stdin>"
        opened = parse_csv(source, label, encoding)
    else:
        label = name or shown_name(source)  # what every problem and count line names
        opened = _open_file(source, label, encoding, sheet)
    rows: Iterable[Row | Problem] = [opened] if isinstance(opened, Problem) else opened
    register = Register(source=label, rows=rows, policy=policy, places=places)
    if seen is not None:
        register.seen = seen

    def reopen() -> Register:
        return open_register(
            source, policy=policy, places=places, encoding=encoding, name=name, sheet=sheet
        )

    register.reopen = reopen
    return register


def _open_file(
    path: Path, label: str, encoding: str | None, sheet: str | None
) -> CsvSource | XlsxSource | Problem:
    """A workbook (by its zip signature, whatever its name) or a CSV file."""
    try:
        with path.open("rb") as raw:
            head = raw.read(4)
    except OSError:
        head = b""  # read_csv reports why
    if is_workbook(head):
        from renewal_cli.xlsx import read_xlsx  # openpyxl loads only for a workbook

        return read_xlsx(path, label, sheet)
    return read_csv(path, encoding, label)


read_register: Callable[..., Register] = open_register
"""The old name, kept for callers that read a register in one call."""
