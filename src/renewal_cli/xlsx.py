"""Reading a register from an .xlsx workbook through python-calamine (Rust's calamine).

The first visible sheet, or the one named with --sheet (hidden or not). Date cells become ISO
dates, numbers become text as typed (whole numbers without ".0", never 1.12E+17, an 18-digit
number in full; a number stored as text stays text), merged ranges are filled from their
top-left cell, and rows are numbered as the sheet numbers them. A workbook that is damaged, a
zip bomb, or a legacy .xls becomes one fatal Problem. Loaded only when a workbook is read.

calamine holds a whole sheet in memory, as a grid from its first to its last filled cell, and
believes what the XML says (a cell at XFD1048576 asks it for half a terabyte; a shared-strings
table may ask it to reserve room for 10^12 strings): either ends the process, with no message.
So nothing reaches it before these checks (`XlsxSource._guarded`):
- no part of the archive inflates past MAX_PART_BYTES, or at more than MAX_RATIO past 50 MiB;
- the shared strings, loaded whole when the workbook opens, cost at most MAX_SHARED_STRINGS
  (their XML and so much per item, items counted and declared);
- the sheet's XML is scanned (xlsxgrid.py) for the grid its cells span: a cell beyond Excel's
  last row or column is damage; a grid larger than its XML can fill is read from a copy of the
  sheet without its empty rows, or refused when even that would not fit (a zip bomb).
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from renewal_cli.cells import PADDING
from renewal_cli.files import printable_name
from renewal_cli.header import HEADER_SEARCH_LINES
from renewal_cli.models import Problem, ProblemCode
from renewal_cli.sources import Entry, Row, Rows, clean_cell
from renewal_cli.xlsxgrid import (
    Damaged,
    Inflates,
    compact,
    escaped_underscores,
    long_numbers,
    scan_sheet,
    shared_strings_cost,
)

# A workbook whose parts inflate past these is not a register: refuse it rather than fill memory.
MAX_PART_BYTES = 1 << 30
MAX_RATIO = 200
MAX_SHARED_STRINGS = 256 << 20
"""The shared strings are read whole when the workbook opens: the table counts toward
MAX_PART_BYTES with the largest sheet, and may cost at most this much in memory, counted as its
XML and xlsxgrid.SHARED_ITEM_COST a string (the numbers and phones of 10^6 rows and 10^5
holders take about half of it)."""
EXCEL_CELL_LIMIT = 32_767
GRID_CELLS = 1 << 20
"""A sheet's grid may always take this many cells (32 MiB in calamine)..."""
XML_PER_CELL = 16
"""...and beyond that, one cell for each 16 bytes of its XML: a register's XML takes 25 to 80
bytes a cell, a sheet of empty rows leading to a far cell next to nothing."""
_ROW_OF: Callable[[tuple[int, int, list[str]]], Row] = functools.partial(tuple.__new__, Row)
_RUN = 1024
"""Rows of a sheet past its header taken at a time, and yielded as one run when plain."""
# What calamine leaves of Excel's _xHHHH_ escapes: it decodes _x00HH_ (the controls, and
# _x005F_, the escaped underscore) left to right, once; the others stay as written.
_RESIDUAL = re.compile("_x(?!00)([0-9A-Fa-f]{4})_")
_SURROGATES = re.compile("[\ud800-\udfff]")
_EXACT = float(1 << 53)
"""From this magnitude on, a float does not hold every whole number: the digits are read from
the sheet's XML (an 18-digit certificate number typed as a number)."""


def _problem(name: str, code: ProblemCode, **detail: object) -> Problem:
    return Problem(source=name, code=code, detail={k: str(v) for k, v in detail.items()})


def _whole(value: float) -> str:
    # The shortest repr is what Excel shows (15 significant digits): 1.12023000000001E+17
    # reads 112023000000001000, never E notation and never digits the float invented.
    return str(int(Decimal(repr(value))))


def _typed_text(value: Any) -> str:
    """A cell calamine gives as a number, date, time, duration or truth value, as text."""
    kind = type(value)
    if kind is float:
        return _whole(value) if value.is_integer() else repr(value)
    if kind is date:
        return value.isoformat()  # type: ignore[no-any-return]
    if kind is datetime:
        if value.time() == time(0):
            return value.date().isoformat()  # type: ignore[no-any-return]
        return value.isoformat(sep=" ")  # type: ignore[no-any-return]
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is timedelta or kind is time:
        return str(value)
    return str(value)  # int: calamine gives whole numbers as floats, other formats as int


@dataclass
class _Sheet:
    """What reading a sheet's rows keeps: its first filled column (calamine's rows start
    there), the merged ranges, the errors cells show by row, the sheet row of each row of a
    compacted copy (xlsxgrid.compact)."""

    offset: int
    merges: _Merges
    shown: dict[int, list[tuple[int, str]]]
    numbers: list[int] | None
    width: int = 0
    """The width of a row: 0 (a row ends at its last filled cell) until the header search is
    passed, then the grid's."""
    pad: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.pad = [""] * self.offset

    def number(self, index: int) -> int:
        """The sheet row of calamine's row `index` (1-based)."""
        return index if self.numbers is None else self.numbers[index - 1]


@dataclass
class XlsxSource:
    """A sheet of a workbook opened for reading: iterate it for Row, Rows and Problem entries
    (sheet row numbers)."""

    name: str
    path: Path | IO[bytes]
    sheet: str | None = None
    encoding: str = "xlsx"
    lines: int = 0
    numeric: set[tuple[int, int]] = field(default_factory=set)
    """(row, column) of cells stored as numbers: a date column may hold Excel serial numbers."""
    # What reading keeps: the digits of long numbers and the escapes written after an escaped
    # underscore (both read from the XML when first needed), the open archive, the sheet part.
    _digits: dict[tuple[int, int], str] | None = field(default=None, init=False, repr=False)
    _literal: frozenset[str] | None = field(default=None, init=False, repr=False)
    _archive: zipfile.ZipFile | None = field(default=None, init=False, repr=False)
    _part: str = field(default="", init=False, repr=False)

    def __iter__(self) -> Iterator[Entry]:
        source = self.path.open("rb") if isinstance(self.path, Path) else self.path
        try:
            yield from self._read(source)
        finally:
            if isinstance(self.path, Path):
                source.close()

    def _read(self, source: IO[bytes]) -> Iterator[Entry]:
        # Every error a damaged workbook can raise here: the zip module's, ElementTree's
        # ParseError (a SyntaxError), calamine's (CalamineError; its I/O errors are OSError),
        # and a panic in the Rust code, which pyo3 raises as a BaseException.
        try:
            with zipfile.ZipFile(source) as archive:
                self._archive = archive
                yield from self._guarded(archive, source)
        except Inflates:
            yield _problem(self.name, ProblemCode.SPREADSHEET_DAMAGED, reason="bomb")
        except Damaged as err:
            yield _problem(self.name, ProblemCode.SPREADSHEET_DAMAGED, reason=str(err))
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, SyntaxError) as err:
            yield _problem(self.name, ProblemCode.SPREADSHEET_DAMAGED, reason=type(err).__name__)
        except BaseException as err:
            if not _from_calamine(err):
                raise
            yield _problem(self.name, ProblemCode.SPREADSHEET_DAMAGED, reason=type(err).__name__)
        finally:
            self._archive = None

    def _guarded(self, archive: zipfile.ZipFile, source: IO[bytes]) -> Iterator[Entry]:
        from python_calamine import CalamineWorkbook

        parts = _Parts(archive)
        parts.check_sizes()
        shared = parts.shared_strings()
        if shared is not None:
            with archive.open(shared) as stream:
                if shared_strings_cost(stream) > MAX_SHARED_STRINGS:
                    raise Inflates(shared)
        source.seek(0)
        book = CalamineWorkbook.from_filelike(source)
        try:
            chosen = self._choose(book)
            if isinstance(chosen, Problem):
                yield chosen
                return
            self._part = parts.sheet_part(chosen)
            info = archive.getinfo(self._part)
            grid = scan_sheet(lambda: archive.open(info))
            numbers: list[int] | None = None
            most = max(GRID_CELLS, info.file_size // XML_PER_CELL)
            if grid.cells > most:
                # More grid than the XML can fill: read a copy without the empty rows.
                _close(book)
                with archive.open(info) as stream:
                    copy, numbers, compacted = compact(archive, info, stream)
                if compacted.cells > most:
                    raise Inflates(self._part)
                book = CalamineWorkbook.from_filelike(io.BytesIO(copy))
                del copy
            sheet = book.get_sheet_by_name(chosen)
        finally:
            _close(book)
        yield from self._rows(sheet, numbers, grid.errors)

    def _choose(self, book: Any) -> str | Problem:
        """The sheet to read: the one named, else the first visible worksheet."""
        from python_calamine import SheetTypeEnum, SheetVisibleEnum

        if self.sheet is None:
            for sheet in book.sheets_metadata:
                if (
                    sheet.visible == SheetVisibleEnum.Visible
                    and sheet.typ == SheetTypeEnum.WorkSheet
                ):
                    return sheet.name  # type: ignore[no-any-return]
            return _problem(self.name, ProblemCode.SPREADSHEET_DAMAGED, reason="no sheet")
        if self.sheet in book.sheet_names:
            return self.sheet
        # The name as typed may hold bytes that are not UTF-8, or controls: shown escaped.
        names = "、".join(book.sheet_names)
        sheet = printable_name(self.sheet)
        return _problem(self.name, ProblemCode.NO_SHEET, sheet=sheet, sheets=names)

    def _rows(
        self, sheet: Any, numbers: list[int] | None, errors: dict[tuple[int, int], str]
    ) -> Iterator[Entry]:
        start = sheet.start
        if start is None:  # nothing in the sheet
            return
        merges = _Merges(sheet.merged_cell_ranges or ())
        state = _Sheet(start[1], merges, _by_row(errors), numbers)
        # calamine's rows start at the sheet's first row (the rows above its first filled cell
        # come as empty rows), each from the first filled column (`pad` puts it back in place).
        rows = sheet.iter_rows()
        index = searched = 0
        # The header is among the first rows with a filled cell: header.find_header reads at
        # most HEADER_SEARCH_LINES + 1 of them (a row of padding alone is blank to it). Those
        # come one at a time, each ending at its last filled cell, as the header's labels do.
        for values in rows:
            index += 1
            entry = self._one(values, state.number(index), state)
            if entry is None:
                continue
            yield entry
            if type(entry) is Row and "".join(entry.cells).strip(PADDING):
                searched += 1
                if searched > HEADER_SEARCH_LINES + 1:
                    break
        # Past them, each row has the grid's width (what a row ends with after the header's
        # last column is empty or an extra cell either way), and rows come in runs
        # (sources.Rows): the register keys the rows outside --city or --county a run at a time.
        state.width = state.offset + sheet.width
        while batch := list(islice(rows, _RUN)):
            first = index + 1
            index += len(batch)
            run = None if numbers is not None else self._plain(batch, first, state)
            if run is None:
                entries = [self._one(v, state.number(n), state) for n, v in enumerate(batch, first)]
                if numbers is not None or not all(type(e) is Row for e in entries):
                    yield from (e for e in entries if e is not None)
                    continue
                run = Rows(first, [e.cells for e in entries if isinstance(e, Row)])
            self.lines = index
            yield run

    def _plain(self, batch: list[list[Any]], first: int, state: _Sheet) -> Rows | None:
        """The rows on consecutive lines from `first`, as they are, when none of them needs
        anything done: all text, printable, without an escape, none blank, none too large, none
        under a merged range or showing an error. None otherwise (then read one at a time)."""
        last = first + len(batch) - 1
        merges, shown = state.merges, state.shown
        if merges.active or last >= merges.next:
            return None
        if shown and not shown.keys().isdisjoint(range(first, last + 1)):
            return None
        try:
            texts = list(map("".join, batch))  # each row's text: "" for a blank row
        except TypeError:  # numbers, dates or truth values among the text
            return None
        joined = "".join(texts)
        if "_x" in joined or not joined.isprintable() or not all(texts):
            return None
        # A cell too large makes its row's text as large: only then are the cells measured.
        limit = EXCEL_CELL_LIMIT
        if max(map(len, texts)) >= limit and max(map(len, chain.from_iterable(batch))) >= limit:
            return None
        if state.offset:
            batch = [state.pad + cells for cells in batch]
        return Rows(first, batch)

    def _one(self, values: list[Any], number: int, state: _Sheet) -> Row | Problem | None:
        """A row of the sheet (calamine's cells from the grid's first column), or the problem
        of its cell too large. An empty row is a row without cells: counted as blank, as a CSV
        file's empty line is, so the count line adds up to the sheet's rows."""
        if state.shown and number in state.shown:
            for column, error in state.shown[number]:
                if 0 <= column - 1 - state.offset < len(values):
                    values[column - 1 - state.offset] = error
        if not values[0] and values.count("") == len(values):
            self.lines = number
            return Row(number, number, [""] * state.width)
        try:
            joined = "".join(values)
        except TypeError:  # numbers, dates or truth values among the text
            cells = self._typed(values, number, state.offset)
            joined = "".join(cells)
        else:
            cells = values
            if "_x" in joined or not joined.isprintable():
                cells = [self._text(v) for v in values]
        width = state.width
        if not width:
            # Until the header is passed, a row ends at its last filled cell (so does the
            # header); then each row has the grid's width, the header's at least.
            while cells[-1] == "":
                cells.pop()
        if state.offset:
            cells = state.pad + cells
        self.lines = number
        limit = EXCEL_CELL_LIMIT
        if len(joined) >= limit and max(map(len, cells)) >= limit:
            # Excel holds 32,767 characters a cell: a cell that long is no register cell.
            # As in a CSV, the row is reported and the other rows are read.
            return Problem(
                source=self.name,
                line=number,
                code=ProblemCode.CELL_TOO_LARGE,
                detail={"limit": str(limit)},
            )
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        merges = state.merges
        if merges.active or number >= merges.next:
            cells = merges.fill(cells, number)
        return _ROW_OF((number, number, cells))

    def _typed(self, values: list[Any], number: int, offset: int) -> list[str]:
        """A row holding cells other than text: each as text, the numbers noted in `numeric`."""
        cells: list[str] = []
        for column, value in enumerate(values, start=offset + 1):
            kind = type(value)
            if kind is str:
                cells.append(self._text(value))
                continue
            if kind is float or kind is int:
                self.numeric.add((number, column))
                if kind is float and abs(value) >= _EXACT and value.is_integer():
                    cells.append(self._digits_of(value, number, column))
                    continue
            cells.append(_typed_text(value))
        return cells

    def _digits_of(self, value: float, number: int, column: int) -> str:
        """A whole number past 2^53 as its XML wrote it, when the float is that number."""
        if self._digits is None:
            self._digits = {}
            if self._archive is not None:
                with self._archive.open(self._part) as stream:
                    self._digits = long_numbers(stream)
        written = self._digits.get((number, column))
        if written is not None and float(int(written)) == value:
            return str(int(written))
        return _whole(value)

    def _text(self, value: str) -> str:
        """A text cell: Excel's escapes that calamine left decoded, then cleaned as every cell."""
        if "_x" in value:
            value = self._unescape(value)
        return clean_cell(value)

    def _unescape(self, text: str) -> str:
        """The _xHHHH_ escapes calamine left, decoded (a pair of escaped surrogates is one
        character; a lone one is left for clean_cell to remove). calamine turned _x005F_ into
        "_": an escape the XML wrote after one (_x005F_x202E_, a literal "_x202E_") is kept."""
        if not _RESIDUAL.search(text):
            return text
        if self._literal is None:
            self._literal = self._escaped_underscores()
        literal = self._literal
        decoded = _RESIDUAL.sub(
            lambda m: m.group() if m.group(1).lower() in literal else chr(int(m.group(1), 16)),
            text,
        )
        if _SURROGATES.search(decoded):
            decoded = decoded.encode("utf-16-le", "surrogatepass").decode(
                "utf-16-le", "surrogatepass"
            )
        return decoded

    def _escaped_underscores(self) -> frozenset[str]:
        archive = self._archive
        if archive is None:
            return frozenset()
        found: set[str] = set()
        parts = _Parts(archive)
        for part in (parts.shared_strings(), self._part):
            if part:
                with archive.open(part) as stream:
                    found |= escaped_underscores(stream)
        return frozenset(found)


def _by_row(errors: dict[tuple[int, int], str]) -> dict[int, list[tuple[int, str]]]:
    rows: dict[int, list[tuple[int, str]]] = {}
    for (row, column), error in errors.items():
        rows.setdefault(row, []).append((column, error))
    return rows


def _close(book: Any) -> None:
    """Let calamine free a workbook (its shared strings): the sheet read keeps its own grid."""
    from python_calamine import WorkbookClosed

    with contextlib.suppress(WorkbookClosed):
        book.close()


def _from_calamine(err: BaseException) -> bool:
    """Whether an exception is calamine's (its errors, or a panic of its Rust code)."""
    kind = type(err)
    return kind.__module__.startswith(("python_calamine", "pyo3_runtime")) or any(
        k.__name__ == "PanicException" for k in kind.__mro__
    )


class _Parts:
    """The parts of the archive the checks need, found as calamine finds them."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = {n.replace("\\", "/").lower(): n for n in archive.namelist()}

    def check_sizes(self) -> None:
        """Raises Inflates when a part inflates beyond reason (a zip bomb), or the shared
        strings with the largest sheet would."""
        sheets = 0
        for info in self.archive.infolist():
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_PART_BYTES or (info.file_size > 50 << 20 and ratio > MAX_RATIO):
                raise Inflates(info.filename)
            if "worksheets/" in info.filename.replace("\\", "/").lower():
                sheets = max(sheets, info.file_size)
        shared = self.shared_strings()
        if shared is not None:
            size = self.archive.getinfo(shared).file_size
            if size > MAX_SHARED_STRINGS or size + sheets > MAX_PART_BYTES:
                raise Inflates(shared)

    def find(self, name: str) -> str | None:
        return self.names.get(name.replace("\\", "/").lower().lstrip("/"))

    @functools.cached_property
    def book(self) -> str:
        """The workbook part, as the package's relationships name it."""
        from xml.etree.ElementTree import fromstring

        rels = self.find("_rels/.rels")
        if rels is not None:
            for rel in fromstring(_small(self.archive, rels)):
                if rel.get("Type", "").endswith("/officeDocument"):
                    found = self.find(rel.get("Target", ""))
                    if found is not None:
                        return found
        found = self.find("xl/workbook.xml")
        if found is None:
            raise Damaged("no workbook")
        return found

    def shared_strings(self) -> str | None:
        folder = self.book.rpartition("/")[0]
        return self.find(f"{folder}/sharedStrings.xml" if folder else "sharedStrings.xml")

    def sheet_part(self, sheet: str) -> str:
        """The part of the sheet of that name (workbook.xml, then its relationships)."""
        from xml.etree.ElementTree import fromstring

        book = self.book
        folder, _, file = book.rpartition("/")
        rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        target_id = None
        for element in fromstring(_small(self.archive, book)).iter():
            if element.tag.rpartition("}")[2] == "sheet" and element.get("name") == sheet:
                target_id = element.get(rel_ns)
                break
        rels = self.find(f"{folder}/_rels/{file}.rels" if folder else f"_rels/{file}.rels")
        if target_id is None or rels is None:
            raise Damaged("no sheet part")
        for rel in fromstring(_small(self.archive, rels)):
            if rel.get("Id") == target_id:
                target = rel.get("Target", "")
                path = target if target.startswith("/") else f"{folder}/{target}"
                found = self.find(_normal(path))
                if found is not None:
                    return found
        raise Damaged("no sheet part")


def _normal(path: str) -> str:
    """A part name with "." and ".." resolved."""
    parts: list[str] = []
    for piece in path.replace("\\", "/").split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


_SMALL_PART = 16 << 20


def _small(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part read here whole (the workbook, its relationships): held to 16 MiB, and with no
    DTD (Excel never writes one; its entities are how an XML bomb inflates)."""
    if archive.getinfo(name).file_size > _SMALL_PART:
        raise Inflates(name)
    data = archive.read(name)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise SyntaxError(f"a DTD in {name}")
    return data


class _Merges:
    """Merged ranges (1-based, inclusive), applied to rows read in order: the cells inside a
    range take its top-left value (known, not guessed)."""

    def __init__(self, ranges: Any) -> None:
        self.waiting = sorted(((r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in ranges))
        self.waiting.reverse()  # taken from the end, first row first
        self.next = self.waiting[-1][0] if self.waiting else 1 << 62
        """The first row of the next range not reached yet."""
        self.active: list[tuple[int, int, int, int]] = []
        self.values: dict[tuple[int, int], str] = {}

    def fill(self, row: list[str], number: int) -> list[str]:
        waiting, values = self.waiting, self.values
        while waiting and waiting[-1][0] <= number:
            self.active.append(waiting.pop())
        self.next = waiting[-1][0] if waiting else 1 << 62
        if any(r2 < number for _, _, r2, _ in self.active):
            for r1, c1, r2, _ in self.active:
                if r2 < number:
                    values.pop((r1, c1), None)
            self.active = [m for m in self.active if m[2] >= number]
        for r1, c1, _, c2 in self.active:
            top_left = row[c1 - 1] if c1 - 1 < len(row) else ""
            if number == r1:
                values[(r1, c1)] = top_left
            if len(row) < c2:
                row = row + [""] * (c2 - len(row))
            row[c1 - 1 : c2] = [values.get((r1, c1), "")] * (c2 - c1 + 1)
            if number == r1:
                row[c1 - 1] = top_left
        return row


def read_xlsx(path: Path | IO[bytes], name: str, sheet: str | None = None) -> XlsxSource:
    return XlsxSource(name=name, path=path, sheet=sheet)
