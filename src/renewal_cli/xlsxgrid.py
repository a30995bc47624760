"""What calamine would build from a sheet, found from the sheet's XML before it builds it.

calamine reads a sheet into one grid, from its first to its last filled cell, wherever the XML
puts them: a cell at XFD1048576 next to one at A1 is a grid of 1.7 * 10^10 cells, which it
cannot allocate and which ends the process. `scan_sheet` finds the grid's extent first, in one
pass over the inflated XML that costs about a third of calamine's own reading: C-level searches
check each block of the XML against the extent found so far (every cell names its place, none
lies past the last row of the block or the widest row so far), and a block that fails that test
has its cells placed one by one, as calamine places them. `compact` makes the copy of a sheet
that a mostly empty grid is read from: its empty rows left out, its other rows numbered
1, 2, 3…, and the sheet row of each kept.

Also here: the cost of the shared strings (read whole when the workbook opens), the digits of
whole numbers too long for a float, and where the XML escapes an underscore (xlsx.py).
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO

EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
SHARED_ITEM_COST = 32
"""Bytes a shared string costs calamine beyond its XML (the string, 24, and its allocation):
10^6 items of 5, 18 or 60 characters took 55, 55 and 104 MB, their XML and 32 bytes each."""
_CHUNK = 1 << 20
_LONGEST_ROW = 256 << 20
"""A row element longer than this is no row of a register (compact holds one whole)."""

_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
# A row or cell tag: closing slash, name, attributes, self-closing slash.
_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*?)(/?)>")
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]*)(\d*)["']""")
_LONG_NUMBER = re.compile(rb"v>\s*(-?\d{16,})(?![\d.eE])")
_FIRST_COLUMNS = re.compile(rb'<c r="([A-Z]{1,3})\d')
_ERROR_CELL = re.compile(
    rb"""<(?:[\w.-]+:)?c(\s[^>]*\bt="e"[^>]*?)(?<!/)>(?:(?!</(?:[\w.-]+:)?c>).)*?"""
    rb"<(?:[\w.-]+:)?v>([^<]{1,32})<",
    re.S,
)
_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c(?=[\s/>])([^>]*)>")
_ESCAPED_UNDERSCORE = re.compile(rb"_x005f_x([0-9a-f]{4})_")
_UNIQUE_COUNT = re.compile(rb"""<(?:[\w.-]+:)?sst\b[^>]*?\suniqueCount\s*=\s*["'](\d+)""")
_ROW_ELEMENT = re.compile(
    rb"<((?:[\w.-]+:)?)row(?=[\s/>])([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?row\s*>)", re.S
)
_ROW_START = re.compile(rb"<(?:[\w.-]+:)?row(?=[\s/>])")
_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row(?=[\s/>])([^>]*)>")
_FILLED = re.compile(rb"<(?:[\w.-]+:)?(?:v|is)[\s>]")
_CELL_REF = re.compile(rb"""(<(?:[\w.-]+:)?c\b[^>]*?\sr\s*=\s*["'][A-Za-z]+)\d+""")


class Inflates(Exception):
    """A part would take memory beyond reason (reported like a zip bomb)."""


class Damaged(Exception):
    """A sheet calamine must not be given: the message is the reason shown."""


@dataclass
class Grid:
    """The extent of a sheet's grid: the last row and column a cell may be in (1-based)."""

    rows: int = 0
    columns: int = 0
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    """(row, column) → the error a formula cell shows (#N/A, #REF!…): calamine reads it as an
    empty cell."""
    checked: bool = False
    """Whether blocks of the XML passed the check, their cells not placed one by one."""
    counted: bool = False
    """Whether a cell was placed by calamine's counters (it does not name its place)."""
    # calamine's counters for those cells (0-based).
    _row: int = 0
    _column: int = 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def place(self, block: bytes) -> None:
        """Each row and cell tag of `block`, as calamine reads them (xlsx/cells_reader.rs):
        a row's r sets the row, its end moves to the next; a cell's r places it, else it
        follows the one before; self-closing tags are passed over."""
        for closing, name, attributes, empty in _TAG.findall(block):
            if empty:
                continue
            if name == b"row":
                if closing:
                    self._row += 1
                    self._column = 0
                else:
                    ref = _REF.search(attributes)
                    if ref is not None and ref.group(2):
                        self._row = _row_number(ref.group(2)) - 1
                continue
            if closing:
                continue
            ref = _REF.search(attributes)
            if ref is not None:
                row = _row_number(ref.group(2)) - 1
                self._column = _column_number(ref.group(1)) - 1
            else:
                row = self._row
                self.counted = True
            self.rows = max(self.rows, row + 1)
            self._column += 1
            self.columns = max(self.columns, self._column)
        if self.rows > EXCEL_ROWS or self.columns > EXCEL_COLUMNS:
            raise Damaged("cell reference")


def _row_number(digits: bytes) -> int:
    if not digits or len(digits) > 7:
        raise Damaged("cell reference")
    return int(digits)


def _column_number(letters: bytes) -> int:
    if not letters or len(letters) > 3:
        raise Damaged("cell reference")
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - ord("A") + 1
    return number


def _blocks(stream: IO[bytes]) -> Iterator[bytes]:
    """The XML in blocks of about 1 MiB, each ending before a "<": every tag whole in one
    block, with the text after it."""
    carry = b""
    while True:
        data = stream.read(_CHUNK)
        if not data:
            if carry:
                yield carry
            return
        buffer = carry + data if carry else data
        cut = buffer.rfind(b"<")
        if cut <= 0:
            carry = buffer
            continue
        yield buffer[:cut]
        carry = buffer[cut:]


def _no_dtd(head: bytes, part: str) -> None:
    # Excel never writes a DTD; its entities are how an XML bomb inflates.
    if _DTD.search(head[: 1 << 16]):
        raise SyntaxError(f"a DTD in the {part}")


def scan_sheet(open_part: Callable[[], IO[bytes]]) -> Grid:
    """The grid calamine would build from the sheet XML `open_part` opens, and its errors.

    Raises Damaged for a cell past Excel's last row or column, SyntaxError for a DTD."""
    with open_part() as stream:
        grid = _scan(stream, checked=True)
    if grid.counted and grid.checked:
        # A cell placed by counting after blocks passed unplaced: calamine's counters depend
        # on those blocks' rows, so every cell is placed, from the start.
        with open_part() as stream:
            grid = _scan(stream, checked=False)
    if grid.rows > EXCEL_ROWS or grid.columns > EXCEL_COLUMNS:
        raise Damaged("cell reference")
    return grid


def _scan(stream: IO[bytes], *, checked: bool) -> Grid:
    grid = Grid()
    for number, block in enumerate(_blocks(stream)):
        if number == 0:
            _no_dtd(block, "sheet")
        if not grid.columns:  # the width of the first rows, to check the rest against
            grid.columns = max(map(_column_number, set(_FIRST_COLUMNS.findall(block))), default=0)
        bound = max(grid.rows, _last_row(block))
        if (
            checked
            and grid.columns
            and bound
            and b":c" not in block
            and not _astray(bound, grid.columns)(block)
        ):
            # Every cell names its place, inside the extent: the block's cells need no placing.
            grid.rows = bound
            grid.checked = True
        else:
            grid.place(block)
            if grid.counted and grid.checked:
                return grid
        if b't="e"' in block:
            _error_cells(block, grid.errors)
    return grid


def _last_row(block: bytes) -> int:
    """The r of the block's last row tag (found near its end first), or 0 when it names none."""
    for window in (1 << 14, len(block)):
        last = _last(_ROW_TAG.finditer(block, max(0, len(block) - window)))
        if last is not None:
            ref = _REF.search(last.group(1))
            if ref is None or ref.group(1) or not 0 < len(ref.group(2)) <= 7:
                return 0
            return int(ref.group(2))
    return 0


def _last(matches: Iterator[re.Match[bytes]]) -> re.Match[bytes] | None:
    found = deque(matches, maxlen=1)
    return found[0] if found else None


@lru_cache(maxsize=64)
def _astray(rows: int, columns: int) -> Callable[[bytes], re.Match[bytes] | None]:
    """A search for a cell tag that does not name its place first, or names one outside the
    extent (rows × columns): `<c r="…"` is how Excel, WPS, LibreOffice and openpyxl write
    every cell, so one C-level search passes a block of them."""
    inside = _at_most(_letters(columns), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") + _at_most(
        str(rows), "0123456789"
    )
    return re.compile(rb'<c(?: r="(?!' + inside.encode() + rb'")|(?! r=")[\s/>])').search


def _letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _at_most(limit: str, alphabet: str) -> str:
    """A regex for the numerals of `alphabet` (no leading zero) up to `limit`: shorter ones,
    then those of its length that are smaller at their first difference."""
    first = alphabet[1:] if alphabet[0] == "0" else alphabet
    every = f"[{alphabet[0]}-{alphabet[-1]}]"
    parts = []
    if len(limit) > 1:
        parts.append(f"[{first[0]}-{first[-1]}]{every}{{0,{len(limit) - 2}}}")
    for at, ch in enumerate(limit):
        digits = first if at == 0 else alphabet
        smaller = digits[: digits.index(ch)]
        if smaller:
            tail = f"{every}{{{len(limit) - at - 1}}}" if at < len(limit) - 1 else ""
            parts.append(f"{limit[:at]}[{smaller[0]}-{smaller[-1]}]{tail}")
    parts.append(limit)
    return "(?:" + "|".join(parts) + ")"


def long_numbers(stream: IO[bytes]) -> dict[tuple[int, int], str]:
    """(row, column) → the digits the sheet XML writes for a whole number of 16 digits or more,
    of the cells that name their place (read when calamine gives a float that cannot hold it:
    an 18-digit certificate number typed as a number)."""
    digits: dict[tuple[int, int], str] = {}
    for block in _blocks(stream):
        if _LONG_NUMBER.search(block):
            _long_numbers(block, digits)
    return digits


def _long_numbers(block: bytes, digits: dict[tuple[int, int], str]) -> None:
    for match in _LONG_NUMBER.finditer(block):
        for window in (256, 1 << 16):
            tag = _last(_CELL_TAG.finditer(block, max(0, match.start() - window), match.start()))
            if tag is not None:
                break
        if tag is None:
            continue
        ref = _REF.search(tag.group(1))
        if ref is None or not ref.group(1) or not ref.group(2) or len(ref.group(2)) > 7:
            continue  # a cell placed by counting: its float's digits stand
        if len(ref.group(1)) > 3:
            continue
        place = (int(ref.group(2)), _column_number(ref.group(1)))
        digits[place] = match.group(1).decode()


def _error_cells(block: bytes, errors: dict[tuple[int, int], str]) -> None:
    for match in _ERROR_CELL.finditer(block):
        ref = _REF.search(match.group(1))
        if ref is not None and 0 < len(ref.group(1)) <= 3 and 0 < len(ref.group(2)) <= 7:
            place = (int(ref.group(2)), _column_number(ref.group(1)))
            errors[place] = match.group(2).decode("utf-8", "replace").strip()


def shared_strings_cost(stream: IO[bytes]) -> int:
    """What the shared strings take in calamine: their XML, and SHARED_ITEM_COST for each item,
    counted or declared (calamine makes room for the uniqueCount the table declares)."""
    head = stream.read(1 << 16)
    _no_dtd(head, "shared strings")
    declared = _UNIQUE_COUNT.search(head)
    items = 0
    size = 0
    tail = b""
    for chunk in _chunks(head, stream):
        joined = tail + chunk  # an item's tag may straddle two chunks
        items += joined.count(b"<si") + joined.count(b":si")
        size += len(chunk)
        tail = chunk[-2:]
    counted = max(items, int(declared.group(1)) if declared else 0)
    return size + SHARED_ITEM_COST * counted


def _chunks(head: bytes, stream: IO[bytes]) -> Iterator[bytes]:
    yield head
    while data := stream.read(_CHUNK):
        yield data


def escaped_underscores(stream: IO[bytes]) -> set[str]:
    """The escapes a part writes after an escaped underscore (_x005F_xHHHH_: the text
    "_xHHHH_"), as lower-case HHHH."""
    found: set[str] = set()
    for block in _blocks(stream):
        if b"_x005" in block or b"_X005" in block:
            found.update(m.decode() for m in _ESCAPED_UNDERSCORE.findall(block.lower()))
    return found


def compact(
    archive: zipfile.ZipFile, sheet: zipfile.ZipInfo, stream: IO[bytes]
) -> tuple[bytes, list[int], Grid]:
    """A copy of the workbook for calamine, whose sheet holds only its rows with a filled cell,
    numbered 1, 2, 3…; the sheet row of each, in order; and the copy's grid. The other XML
    parts are copied as they are (the merged ranges keep the sheet's own rows)."""
    out = io.BytesIO()
    numbers: list[int] = []
    grid = Grid()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
        for info in archive.infolist():
            name = info.filename
            if name == sheet.filename:
                with copy.open(name, "w", force_zip64=True) as part:
                    numbers, grid = _compact_sheet(stream, part)
            elif name.lower().endswith((".xml", ".rels")):
                with archive.open(info) as source, copy.open(name, "w", force_zip64=True) as part:
                    shutil.copyfileobj(source, part, _CHUNK)
    return out.getvalue(), numbers, grid


def _compact_sheet(stream: IO[bytes], out: IO[bytes]) -> tuple[list[int], Grid]:
    numbers: list[int] = []
    grid = Grid()
    following = 1  # the sheet row of a row element that does not name one

    def kept(match: re.Match[bytes]) -> bytes:
        nonlocal following
        prefix, attributes, body = match.groups()
        if body is None:  # <row/>: calamine passes it over
            return b""
        ref = _REF.search(attributes)
        row = _row_number(ref.group(2)) if ref is not None and ref.group(2) else following
        following = row + 1
        if not _FILLED.search(body):
            return b""
        numbers.append(row)
        number = b"%d" % len(numbers)
        body = _CELL_REF.sub(lambda m: m.group(1) + number, body)
        line = Grid(_row=len(numbers) - 1)
        line.place(b"<row>" + body)
        grid.rows = len(numbers)
        grid.columns = max(grid.columns, line.columns)
        return b"<" + prefix + b'row r="' + number + b'">' + body + b"</" + prefix + b"row>"

    carry = b""
    while True:
        data = stream.read(_CHUNK)
        buffer = carry + data if carry else data
        done = 0
        for match in _ROW_ELEMENT.finditer(buffer):
            out.write(buffer[done : match.start()])
            out.write(kept(match))
            done = match.end()
        rest = buffer[done:]
        if not data:
            out.write(rest)
            return numbers, grid
        unfinished = _ROW_START.search(rest)
        cut = unfinished.start() if unfinished else max(rest.rfind(b"<"), 0)
        out.write(rest[:cut])
        carry = rest[cut:]
        if len(carry) > _LONGEST_ROW:
            raise Damaged("row too long")
