"""Reading a register from an .xlsx workbook (openpyxl, read-only: the sheet is streamed).

The first visible sheet, or the one named with --sheet. Date cells become ISO dates, numbers
become text as typed (no 1.12E+17, no lost leading zeros: openpyxl keeps integers whole, and a
number stored as text stays text), merged ranges are filled from their top-left cell, and rows
are numbered as the sheet numbers them. A workbook that is damaged, a zip bomb, or a legacy .xls
becomes one fatal Problem. Loaded only when a workbook is read.
"""

from __future__ import annotations

import re
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import iterparse

from renewal_cli.files import printable_name
from renewal_cli.models import Problem, ProblemCode
from renewal_cli.sources import Row, clean_cell

# A workbook whose parts inflate past these is not a register: refuse it rather than fill memory.
MAX_PART_BYTES = 1 << 30
MAX_RATIO = 200
MAX_SHARED_STRINGS = 256 << 20
"""The shared strings are read whole before the first row (the sheet itself is streamed): the
table counts toward MAX_PART_BYTES with the largest sheet, and may take at most this much, both
inflated and as the strings it makes in memory (a table of 10^6 rows' numbers, holders and
phones takes about a quarter of it)."""
EXCEL_CELL_LIMIT = 32_767
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
# Excel writes characters XML cannot hold as _xHHHH_ (_x001B_ for ESC), and a literal "_x" that
# would read as one as _x005F_x…; decoded left to right, each escape once.
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATES = re.compile("[\ud800-\udfff]")


class _Inflates(Exception):
    """The shared strings inflate beyond reason (reported like a zip bomb)."""


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - ord("A") + 1
    return number


def _problem(name: str, code: ProblemCode, **detail: object) -> Problem:
    return Problem(source=name, code=code, detail={k: str(v) for k, v in detail.items()})


def _bomb(path: Path | IO[bytes]) -> bool:
    """Whether a part of the archive inflates beyond reason (a zip bomb)."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_PART_BYTES or (info.file_size > 50 << 20 and ratio > MAX_RATIO):
                return True
    return False


def unescape(text: str) -> str:
    """Excel's _xHHHH_ escapes decoded (a pair of escaped surrogates is one character; a lone
    one is left for clean_cell to remove)."""
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if _SURROGATES.search(decoded):
        decoded = decoded.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return decoded


def cell_text(value: Any) -> str:
    """A cell's value as the register's text: dates ISO, whole numbers without ".0", Excel's
    _xHHHH_ escapes decoded, then cleaned as every cell is."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        # The shortest repr is what Excel shows (15 significant digits): 1.12023000000001E+17
        # reads 112023000000001000, never E notation and never digits the float invented.
        return str(int(Decimal(repr(value))))
    text = str(value)
    return clean_cell(unescape(text) if "_x" in text else text)


@dataclass
class XlsxSource:
    """A sheet of a workbook opened for reading: iterate it for Rows (sheet row numbers)."""

    name: str
    path: Path | IO[bytes]
    sheet: str | None = None
    encoding: str = "xlsx"
    lines: int = 0
    width: int = 0
    numeric: set[tuple[int, int]] = field(default_factory=set)
    """(row, column) of cells stored as numbers: a date column may hold Excel serial numbers."""

    def set_width(self, columns: int) -> None:
        self.width = columns

    def __iter__(self) -> Iterator[Row | Problem]:
        # A file object, so openpyxl does not judge the workbook by its name (.csv, or none).
        source = self.path.open("rb") if isinstance(self.path, Path) else self.path
        try:
            yield from self._read(source)
        finally:
            if isinstance(self.path, Path):
                source.close()

    def _read(self, source: IO[bytes]) -> Iterator[Row | Problem]:
        # SyntaxError: ElementTree's ParseError, and lxml's XMLSyntaxError when openpyxl finds
        # lxml installed (python-docx brings it).
        try:
            if _bomb(source):
                yield _problem(self.name, ProblemCode.SPREADSHEET_DAMAGED, reason="bomb")
                return
            source.seek(0)
            book = _load_workbook(source)
        except _Inflates:
            yield _problem(self.name, ProblemCode.SPREADSHEET_DAMAGED, reason="bomb")
            return
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError) as err:
            yield _problem(self.name, ProblemCode.SPREADSHEET_DAMAGED, reason=type(err).__name__)
            return
        try:
            yield from self._rows(book)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, SyntaxError) as err:
            yield _problem(self.name, ProblemCode.SPREADSHEET_DAMAGED, reason=type(err).__name__)
        finally:
            book.close()

    def _rows(self, book: Any) -> Iterator[Row | Problem]:
        sheet = self._sheet(book)
        if sheet is None and self.sheet is None:
            yield _problem(self.name, ProblemCode.SPREADSHEET_DAMAGED, reason="no sheet")
            return
        if sheet is None:
            names = "、".join(book.sheetnames)
            # The name as typed may hold bytes that are not UTF-8, or controls: shown escaped.
            sheet = printable_name(self.sheet or "")
            yield _problem(self.name, ProblemCode.NO_SHEET, sheet=sheet, sheets=names)
            return
        merged = _merged_ranges(sheet)
        fill: dict[tuple[int, int], str] = {}
        for number, cells in _sheet_rows(sheet, book):
            values = {c["column"]: c["value"] for c in cells}
            if not values:
                continue
            width = max(values)
            row = [cell_text(values[n]) if n in values else "" for n in range(1, width + 1)]
            for n, value in values.items():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    self.numeric.add((number, n))
            if any(len(cell) >= EXCEL_CELL_LIMIT for cell in row):
                # Excel holds 32,767 characters a cell and openpyxl cuts longer ones there: a
                # cell that long is no register cell (and was cut). As in a CSV, the row is
                # reported and the other rows are read.
                limit = str(EXCEL_CELL_LIMIT)
                yield Problem(
                    source=self.name,
                    line=number,
                    code=ProblemCode.CELL_TOO_LARGE,
                    detail={"limit": limit},
                )
                self.lines = number
                continue
            row = _apply_merges(row, number, merged, fill)
            self.lines = number
            yield Row(number, number, row)

    def _sheet(self, book: Any) -> Any:
        if self.sheet is not None:
            return book[self.sheet] if self.sheet in book.sheetnames else None
        for ws in book.worksheets:
            if getattr(ws, "sheet_state", "visible") == "visible":
                return ws
        return None


def _load_workbook(source: IO[bytes]) -> Any:
    """openpyxl's load_workbook (read-only, cached values, no external links), with the
    shared strings read by `_shared_strings`: held to MAX_SHARED_STRINGS, and raw, so that
    cell_text decodes each _xHHHH_ escape once (openpyxl drops every "x005F_" from them)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS, WORKSHEET_TYPE

    class Reader(ExcelReader):
        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)  # type: ignore[no-untyped-call]
            if part is None:
                return
            name = part.PartName[1:]
            size = self.archive.getinfo(name).file_size
            sheets = [
                self.archive.getinfo(p.PartName[1:]).file_size
                for p in self.package.findall(WORKSHEET_TYPE)
                if p.PartName[1:] in self.valid_files
            ]
            if size > MAX_SHARED_STRINGS or size + max(sheets, default=0) > MAX_PART_BYTES:
                raise _Inflates(name)
            with self.archive.open(name) as stream:
                self.shared_strings = _shared_strings(stream)

    reader = Reader(source, read_only=True, data_only=True, keep_links=False)
    reader.read()
    return reader.wb


def _shared_strings(stream: IO[bytes]) -> list[str]:
    """The shared-strings table: each item's text (its runs joined, phonetic runs left out),
    escapes kept as written. Raises _Inflates past MAX_SHARED_STRINGS of strings in memory,
    and SyntaxError for a table declaring a DTD (see _merged_ranges)."""
    head = stream.read(1 << 16)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise SyntaxError("a DTD in the shared strings")
    namespace = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    item, text, run = f"{namespace}si", f"{namespace}t", f"{namespace}r"
    strings: list[str] = []
    cost = 0
    table = None
    for event, element in iterparse(_Rewound(head, stream), events=("start", "end")):
        if event == "start":
            table = element if table is None else table
            continue
        if element.tag != item:
            continue
        parts = [child.text or "" for child in element if child.tag == text]
        for child in element:
            if child.tag == run:
                parts.extend(t.text or "" for t in child if t.tag == text)
        value = "".join(parts)
        if table is not None:
            table.clear()  # the items read so far, emptied or not: 10^6 of them are 100 MB
        cost += sys.getsizeof(value) + 8
        if cost > MAX_SHARED_STRINGS:
            raise _Inflates("shared strings")
        strings.append(value)
    return strings


class _Rewound:
    """`stream` read again from its start, with the `head` already read from it in front."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self.head = head
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            return data
        return self.stream.read(size)


class _Forget(dict[str, Any]):
    """Row dimensions nobody reads: openpyxl would keep one entry per formatted row (about
    500 MB for a sheet of 10^6 of them)."""

    def __setitem__(self, key: str, value: Any) -> None:
        return None


def _sheet_rows(sheet: Any, book: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """(sheet row number, cells) of every row element, in flat memory.

    openpyxl's own parser does the cells (shared strings, dates by number format, cached
    formula values); this loop drops each row, and the rows already read, once parsed, where
    openpyxl's read-only worksheet keeps an emptied element and a dimensions entry per row.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        parser.row_dimensions = _Forget()
        holder = None
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                if element.tag.endswith("}sheetData"):
                    holder = element
                continue
            if element.tag.endswith("}row"):
                number, cells = parser.parse_row(element)
                element.clear()
                if holder is not None:
                    holder.clear()
                yield number, cells


def _merged_ranges(sheet: Any) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of every merged range, streamed from the sheet XML
    (read-only worksheets do not expose them). A sheet declaring a DTD is refused (SyntaxError):
    Excel never writes one, and its entities are how an XML bomb inflates."""
    with sheet._get_source() as source:
        head = source.read(1 << 16)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise SyntaxError("a DTD in the sheet")
    ranges: list[tuple[int, int, int, int]] = []
    with sheet._get_source() as source:
        holder = None
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                if element.tag.endswith("}sheetData"):
                    holder = element
                continue
            if element.tag.endswith("}mergeCell"):
                ref = element.get("ref", "")
                corners = _CELL_REF.findall(ref)
                if len(corners) == 2:
                    (c1, r1), (c2, r2) = corners
                    ranges.append((int(r1), _column_number(c1), int(r2), _column_number(c2)))
            if element.tag.endswith("}row"):
                element.clear()
                if holder is not None:
                    holder.clear()  # the emptied rows too: 10^6 of them are 100 MB
    return ranges


def _apply_merges(
    row: list[str],
    number: int,
    merged: list[tuple[int, int, int, int]],
    fill: dict[tuple[int, int], str],
) -> list[str]:
    """Cells inside a merged range take the range's top-left value (known, not guessed)."""
    for r1, c1, r2, c2 in merged:
        if not r1 <= number <= r2:
            continue
        if number == r1:
            value = row[c1 - 1] if c1 - 1 < len(row) else ""
            fill[(r1, c1)] = value
        value = fill.get((r1, c1), "")
        if len(row) < c2:
            row = row + [""] * (c2 - len(row))
        for column in range(c1, c2 + 1):
            if (number, column) != (r1, c1):
                row[column - 1] = value
    return row


def read_xlsx(path: Path | IO[bytes], name: str, sheet: str | None = None) -> XlsxSource:
    return XlsxSource(name=name, path=path, sheet=sheet)
