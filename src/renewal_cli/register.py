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
from dataclasses import dataclass, field, replace
from pathlib import Path

from renewal_cli.cells import PADDING, column_letter, number_cell
from renewal_cli.files import shown_name
from renewal_cli.header import Found, Header, find_header
from renewal_cli.models import Certificate, Problem, ProblemCode, Severity
from renewal_cli.outside import Outside
from renewal_cli.places import Places, Scope, clean
from renewal_cli.plainrow import Plain, plain_certificate, plain_plan
from renewal_cli.policy import Policy
from renewal_cli.repeats import Seen
from renewal_cli.rowreader import Context, RowReader
from renewal_cli.sources import NEW_ROW, Entry, Row, Rows
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
    """A register opened for reading: iterate it (or `entries`) for Certificates and
    Problems, once."""

    source: str
    rows: Iterable[Entry]
    policy: Policy
    places: Places
    seen: Seen = field(default_factory=dict)
    """number → the certificates read so far under it: shared by the registers of one run, so
    a repeat or a number clash is found across files too."""
    in_full: frozenset[int] = frozenset()
    """Lines of rows outside the scope read in full all the same (see `reread`)."""
    counts: Counts = field(default_factory=Counts)
    header: list[str] = field(default_factory=list)
    failed: bool = False
    opener: Callable[[Seen, frozenset[int]], Register] | None = None
    """Opens the register again (see `reread`)."""
    _outside: Outside | None = None
    _progress: Callable[[int], None] | None = None
    _summaries: bool = False
    _previous: dict[str, str] | list[str] = field(default_factory=dict)
    """The last data row read: its fields, or its cells as they came (a plain row)."""
    _plan: Plain | None = None
    _run: MergeRun | None = None

    def __iter__(self) -> Iterator[Certificate | Problem]:
        return self.entries()

    def entries(
        self, *, scope: Scope | None = None, summaries: bool = False
    ) -> Iterator[Certificate | Problem]:
        """The certificates and problems in file order; `counts` is complete at the end.

        With a `scope`, rows of other places are only checked for their place and keyed
        (outside.py; `involved` finds them by number). With `summaries`, rows that are not
        certificates (合计, 制表人 …) are listed as problems too (renewal check).
        """
        self._summaries = summaries
        source = self.rows
        try:
            yield from self._entries(iter(source), scope)
        finally:
            self.counts.lines = getattr(source, "lines", 0)

    def involved(self, numbers: set[int]) -> frozenset[int]:
        """The lines of rows outside the scope of the last reading whose number is one of
        `numbers` (hashes of number keys), or may be: a hash shared by chance."""
        return frozenset() if self._outside is None else self._outside.keys.matching(numbers)

    def reread(self, lines: frozenset[int], seen: Seen) -> Register:
        """The register opened again, sharing `seen`, to be read with the scope it was read
        with, and the rows outside it on `lines` read in full all the same (and telling the
        same `watch` its progress)."""
        assert self.opener is not None
        again = self.opener(seen, lines)
        again._progress = self._progress
        return again

    def release(self) -> None:
        """Let go of what only reading needed: the repeat check (shared by the registers of a
        run, so call this once all are read) and the keys of the rows outside the scope."""
        self.seen.clear()
        self._outside = None

    @property
    def size(self) -> int:
        """The file's size in bytes when it is a CSV file (0 otherwise)."""
        return getattr(self.rows, "size", 0)

    def watch(self, progress: Callable[[int], None]) -> None:
        """Have `progress` told the bytes read so far, now and then (CSV files only)."""
        self._progress = progress

    def _find_header(self, rows: Iterator[Row | Problem]) -> Generator[Problem, None, Found]:
        """header.find_header, its lines counted; a register without one has failed."""
        # Its problems wait for its end: one in the row after a one-row header (a cell too
        # large) then gets its column's name, as every later one does.
        search = find_header(self.source, rows)
        passed: list[Problem] = []
        while True:
            try:
                passed.append(next(search))
            except StopIteration as end:
                found: Found = end.value
                break
        labels = found.header.labels if found.header is not None else []
        for problem in passed:
            # A row's problem (a cell too large in the row after the header) is a row, counted
            # as every later one is; a fatal one (no header, an encoding) stops the file.
            yield problem if problem.fatal else self._reading(problem, labels)
        counts = self.counts
        counts.blank += found.blank
        counts.title_lines += found.title_lines
        counts.header_lines += found.header_lines
        if found.header is None:
            self.failed = True
        else:
            self.header = found.header.labels
        return found

    def _entries(
        self, entries: Iterator[Entry], scope: Scope | None
    ) -> Iterator[Certificate | Problem]:
        rows = Unrolled(entries)
        found = yield from self._find_header(rows)
        header = found.header
        if header is None:
            return
        numeric = getattr(self.rows, "numeric", None)
        context = Context(self.source, self.policy, self.places, self.seen, numeric)
        self._plan = plain_plan(header)
        if scope is not None:
            self._outside = Outside(scope, context, header, self.in_full)
        if found.first is not None:
            yield from self._row(found.first, header, context)
        rest = rows.rest()
        if rest is not None:
            yield from self._rows(rest, header, context)
        position = getattr(self.rows, "position", None) if self._progress else None
        for entry in entries:
            kind = type(entry)
            if kind is Rows:
                assert isinstance(entry, Rows)
                yield from self._rows(entry, header, context)
                if self._progress is not None and position is not None:
                    self._progress(getattr(self.rows, "position", 0))
            elif kind is Row:
                assert isinstance(entry, Row)
                yield from self._row(entry, header, context)
            else:
                assert isinstance(entry, Problem)
                yield self._reading(entry, header.labels)
        if self._run is not None:
            yield self._merged(self._run, header)
        if self._outside is not None:
            keys = self._outside.keys
            keys.flush()
            self.counts.rows += keys.rows
            self.counts.outside += keys.rows

    def _rows(
        self, block: Rows, header: Header, context: Context
    ) -> Iterator[Certificate | Problem]:
        """The rows of a run of plain lines: those outside the scope keyed at once."""
        first, rows = block
        chosen: Iterable[int] = range(len(rows))
        if self._outside is not None:
            chosen = self._outside.inside(first, rows)
        plan = self._plan
        for n in chosen:
            line = first + n
            if plan is not None:
                certificate = self._plain(plan, context, line, rows[n])
                if certificate is not None:
                    yield certificate
                    continue
            yield from self._data(NEW_ROW((line, line, rows[n])), header, context)

    def _row(self, row: Row, header: Header, context: Context) -> Iterator[Certificate | Problem]:
        if self._outside is not None and self._outside.row(row.line, row.cells):
            return
        if self._plan is not None:
            certificate = self._plain(self._plan, context, row.line, row.cells)
            if certificate is not None:
                yield certificate
                return
        yield from self._data(row, header, context)

    def _plain(
        self, plan: Plain, context: Context, line: int, cells: list[str]
    ) -> Certificate | None:
        """The certificate of a plain data row (plainrow.py), counted, or None: then the row
        is read in full (`_data`). Here the row is told from the rows `_data` tells apart: its
        first cell is an ASCII number or a word that starts no summary row (so it is no blank,
        serial-only or summary row, as `_classify` judges), and no run of merged rows is open
        (a plain row has its holder, scheme and place: no gap)."""
        if self._run is not None:
            return None
        head = cells[0].strip(PADDING) if cells else ""
        if not head or head.isdigit() or (not head.isascii() and _is_summary([head])):
            return None
        certificate = plain_certificate(context, plan, line, cells)
        if certificate is not None:
            counts = self.counts
            counts.rows += 1
            counts.certificates += 1
            self._previous = cells
        return certificate

    def _data(self, row: Row, header: Header, context: Context) -> Iterator[Certificate | Problem]:
        """A row read in full: a data row (or a row that is not one, counted), a run of rows
        under merged cells gathered into one problem."""
        cells = header.cells_of(row.cells)
        number = number_cell(cells)
        kind = self._classify(row, cells, number)
        if kind != "data":
            if self._summaries and kind == "summary":
                yield Problem(source=self.source, line=row.line, code=ProblemCode.SUMMARY_ROW)
            return
        self.counts.rows += 1
        previous = self._previous
        if type(previous) is list:  # a plain row's cells (`_plain`)
            previous = header.cells_of(previous)
        assert isinstance(previous, dict)
        gaps = _merge_gaps(cells, number, previous, header.positions)
        if gaps:
            run = self._run
            if run is None:
                run = self._run = MergeRun(row.line, row.line, set(gaps))
            run.last = row.line
            run.fields.update(gaps)
            self.counts.problems += 1
            return
        if self._run is not None:
            yield self._merged(self._run, header)
            self._run = None
        self._previous = cells
        entries = RowReader(context, row, cells, header).read()
        if any(isinstance(e, Problem) and e.severity is Severity.ERROR for e in entries):
            self.counts.problems += 1
        else:
            self.counts.certificates += sum(isinstance(e, Certificate) for e in entries)
        yield from entries

    def _reading(self, problem: Problem, labels: list[str]) -> Problem:
        """A problem of the source after the header, counted as a row when it is an error; one
        in a column under the header gets its header's name (the source knows only letters)."""
        if problem.fatal:  # a source that breaks partway: nothing of it may be used
            self.failed = True
        if problem.severity is Severity.ERROR:
            self.counts.rows += 1
            self.counts.problems += 1
        return _named(problem, labels)

    def _classify(self, row: Row, cells: dict[str, str], number: str) -> str:
        """ "data", or "blank" / "summary" for rows that are not certificates (counted)."""
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
        indexes = [header.positions[f] for f in (*MERGEABLE, "cert_id") if f in run.fields]
        return Problem(
            source=self.source,
            line=run.first,
            end_line=run.last if run.last != run.first else None,
            code=ProblemCode.MERGED_CELLS,
            detail={
                "columns": "、".join(header.labels[i].strip() for i in indexes),
                # The letters too, as every other problem names its column.
                "letters": "、".join(column_letter(i) for i in indexes),
            },
        )


def _named(problem: Problem, labels: list[str]) -> Problem:
    """A source's problem in a column (it knows only the letter) with the header's name of it,
    when the column is under the header."""
    column = problem.column
    if column is None or problem.header or column > len(labels) or not labels[column - 1].strip():
        return problem
    return replace(problem, header=labels[column - 1].strip())


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


def _merge_gaps(
    cells: dict[str, str], number: str, previous: dict[str, str], positions: dict[str, int]
) -> list[str]:
    """The mergeable cells a row leaves empty where the row above it had them: merged cells
    exported to CSV. Empty when the row is complete, or when nothing above could have been
    merged into it (then its empty cells are ordinary problems). A holder's GF code under
    证书编号 is merged like the holder when 产品编号 carries each product's number."""
    if not previous or not number:
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
    in_full: frozenset[int] = frozenset(),
) -> Register:
    """A register over a file, or bytes already read (stdin, the sample). Never raises for
    the file: what cannot be read comes out of the reading as a fatal Problem."""
    # What every problem and count line names.
    label = name or ("<stdin>" if isinstance(source, bytes) else shown_name(source))
    opened = open_source(source, label, encoding, sheet)
    rows: Iterable[Entry]
    if isinstance(opened, Problem):
        rows = [opened]
    elif isinstance(opened, CsvSource):
        rows = _knowing_width(opened)
    else:
        rows = opened

    def opener(seen: Seen, lines: frozenset[int]) -> Register:
        return open_register(
            source,
            policy=policy,
            places=places,
            encoding=encoding,
            name=name,
            sheet=sheet,
            seen=seen,
            in_full=lines,
        )

    return Register(
        source=label,
        rows=rows,
        policy=policy,
        places=places,
        seen={} if seen is None else seen,
        in_full=in_full,
        opener=opener,
    )


def _knowing_width(source: CsvSource) -> CsvSource:
    """The CSV source opened again, knowing the width of its header from the line after the
    header search ends: a first look finds the header as the reading will, so that a stray
    quote is caught at the first line that is plainly a row of its own (CsvSource.width)."""
    entries = iter(source)
    search = find_header(source.name, Unrolled(entries))
    try:
        while True:
            next(search)
    except StopIteration as end:
        found: Found = end.value
    finally:
        search.close()
        entries.close()  # type: ignore[attr-defined]
    if found.header is None:
        return source.reopened(0, 0)
    return source.reopened(len(found.header.labels), found.last_line + 1)


class Unrolled:
    """A source's entries, each run of plain rows (sources.Rows) taken a Row at a time: what
    the header search reads. `rest` is what is left of the run it stopped in."""

    def __init__(self, entries: Iterator[Entry]) -> None:
        self._entries = entries
        self._run: Rows | None = None
        self._next = 0

    def __iter__(self) -> Iterator[Row | Problem]:
        return self

    def __next__(self) -> Row | Problem:
        while True:
            run = self._run
            if run is not None and self._next < len(run.cells):
                index = self._next
                self._next += 1
                line = run.line + index
                return NEW_ROW((line, line, run.cells[index]))
            entry = next(self._entries)
            if type(entry) is not Rows:
                assert isinstance(entry, Row | Problem)
                return entry
            self._run, self._next = entry, 0

    def rest(self) -> Rows | None:
        """The rows of the current run not taken yet."""
        run = self._run
        if run is None or self._next >= len(run.cells):
            return None
        return Rows(run.line + self._next, run.cells[self._next :])
