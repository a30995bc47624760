"""The register: rows of cells (from a source) turned into Certificates or Problems.

A register is read as a stream: iterating a `Register` yields Certificates and Problems in file
order, and `counts` accounts for every row once the iteration has finished: a certificate row
(one row may hold two certificates), a problem row, a blank or summary row, or a title or header
line. The header is found by header.py, each data row read by rowreader.py; here rows are told
apart (data, blank, summary), cells left empty under a merged cell are gathered into one
problem, and a register read for some places keeps only keys of the rows outside them
(outside.py).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from renewal_cli.cells import PADDING, number_cell, parse_scheme
from renewal_cli.files import shown_name
from renewal_cli.header import Found, Header, find_header
from renewal_cli.models import Certificate, Problem, ProblemCode, Severity
from renewal_cli.outside import OutsideKeys
from renewal_cli.places import Places, Scope, clean
from renewal_cli.policy import Policy
from renewal_cli.repeats import Seen
from renewal_cli.rowreader import Context, RowReader
from renewal_cli.sources import Aside, Row
from renewal_cli.sources.csvfile import CsvSource
from renewal_cli.sources.opening import open_source

# Cells a merged spreadsheet cell leaves empty under its first row.
MERGEABLE: tuple[str, ...] = ("enterprise", "scheme", "city", "county")

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


@dataclass
class MergeRun:
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
    context: Context | None = None
    """What reading its rows needs (made when the reading starts, with the `seen` given)."""
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

    def _find_header(self, rows: Iterator[Row | Problem]) -> Generator[Problem, None, Found]:
        """header.find_header, its lines counted; a register without one has failed."""
        numeric = getattr(self.rows, "numeric", None)
        self.context = Context(self.source, self.policy, self.places, self.seen, numeric)
        found = yield from find_header(self.source, rows)
        counts = self.counts
        counts.blank += found.blank
        counts.title_lines += found.title_lines
        counts.header_lines += found.header_lines
        if found.header is None:
            self.failed = True
        else:
            self.header = found.header.labels
        return found

    def _entries(self, rows: Iterator[Row | Problem]) -> Iterator[Certificate | Problem]:
        found = yield from self._find_header(rows)
        header, first_data = found.header, found.first
        if header is None:
            return
        if hasattr(self.rows, "set_width"):
            self.rows.set_width(len(header.labels))
        if self.only is not None and isinstance(self.rows, CsvSource):
            self.rows.only = self.only  # the source skips other one-line rows unsplit
        previous: dict[str, str] = {}
        run: MergeRun | None = None
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
                    run = MergeRun(entry.line, entry.line, set(gaps))
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

    def _outside(self, row: Row, header: Header) -> bool:
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

    def _judge(self, header: Header, line: int, cells: list[str]) -> bool:
        """`_is_outside` for the CSV source, which meets a place first (sources.Aside)."""
        return self._is_outside(Row(line, line, cells), header)

    def _is_outside(self, row: Row, header: Header) -> bool:
        """Whether a row's place reads cleanly and lies outside the scope, and its scheme is
        known (the cells `header.where` gives)."""
        assert self.scope is not None
        cells = header.cells_of(row.cells)
        if parse_scheme(cells["scheme"]) is None:
            return False
        assert self.context is not None
        place = self.context.place_of(row.line, cells, header)
        return place is not None and not self.scope.contains(place[0], place[1])

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

    def _merged(self, run: MergeRun, header: Header) -> Problem:
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

    def _row(
        self, row: Row, cells: dict[str, str], header: Header
    ) -> Iterator[Certificate | Problem]:
        assert self.context is not None
        reader = RowReader(self.context, row, cells, header)
        entries = reader.read()
        if any(isinstance(e, Problem) and e.severity is Severity.ERROR for e in entries):
            self.counts.problems += 1
        else:
            self.counts.certificates += sum(isinstance(e, Certificate) for e in entries)
        yield from entries


def _is_fatal(entry: Row | Problem) -> bool:
    return type(entry) is not Row and isinstance(entry, Problem) and entry.fatal


def _filled(cells: list[str], limit: int = 0) -> list[str]:
    """The non-empty cells of a row, stripped (the first `limit` of them when limit > 0)."""
    found: list[str] = []
    for cell in cells:
        value = cell.strip(PADDING)
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
    # What every problem and count line names.
    label = name or ("<stdin>" if isinstance(source, bytes) else shown_name(source))
    opened = open_source(source, label, encoding, sheet)
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
