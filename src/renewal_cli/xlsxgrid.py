"""What calamine would build from a sheet, found from the sheet's XML before it builds it.

calamine reads a sheet into one grid, from its first to its last filled cell, wherever the XML
puts them: a cell at XFD1048576 next to one at A1 is a grid of 1.7 * 10^10 cells, which it
cannot allocate and which ends the process. It places a cell by its r attribute (the last of
two, one in single quotes or after a quoted ">" alike) or, without one, after the cell before.
`scan_sheet` finds the grid's extent first. A register's XML is written one way (every cell
`<c r="B7" s="1" t="s">`): C-level searches check each block of it for any cell tag not of that
form or placed outside the extent found so far, at about 40% of calamine's own reading time. A
sheet written otherwise is read tag by tag, as calamine reads it (`_Placer`), comments, quotes
and all. `compact` makes the copy of a sheet that a mostly empty grid is read from: its empty
rows left out, its other rows numbered 1, 2, 3…, every cell naming its place, and the sheet row
of each row kept.

Also here: the cost of the shared strings (read whole when the workbook opens), the cells that
show an error, the digits of whole numbers too long for a float, and where the XML escapes an
underscore (xlsx.py).
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
_NAME = rb"(?:[^\s/<>!?:]+:)?"
"""An element's prefix, which calamine (quick-xml's local names) ignores."""
_ATTRIBUTES = rb"""((?:[^<>"']|"[^"<]*"|'[^'<]*')*?)"""
"""A tag's attributes: quoted values may hold ">", never "<"."""
# The tokens of a sheet that place cells, as quick-xml reads them: comments, CDATA and
# processing instructions (passed over whole), row and cell tags (closing slash, name,
# attributes, self-closing slash), a row or cell tag not read so (damage), a value's text.
_PLACING = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"
    rb"|<(/?)" + _NAME + rb"(row|c)(?=[\s/>])" + _ATTRIBUTES + rb"(/?)>"
    rb"|(<)" + _NAME + rb"(?:row|c)[\s/>]"
    rb"|<" + _NAME + rb"v>([^<]*)(?=<)",
    re.S,
)
# The same for a block with no comment, CDATA, instruction or prefix: shorter to try at each "<".
_PLAIN_PLACING = re.compile(
    rb"<(/?)(row|c)(?=[\s/>])" + _ATTRIBUTES + rb"(/?)>|(<)(?:row|c)[\s/>]|<v>([^<]*)(?=<)"
)
_PREFIXED = re.compile(rb"<[^\s/<>!?:]+:(?:row|c|v)[\s/>]")
_OPENERS = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))
# An attribute as calamine reads it (attrs.rs): a key up to "=", a value in either quotes.
_ATTRIBUTE = re.compile(rb"""\s*([^=]*?)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SIMPLE = re.compile(rb'(?:\s+[\w:.-]+="[^"]*")*\s*')
_SIMPLE_R = re.compile(rb'\sr="([^"]*)"')
_ATTRIBUTE_LIST = re.compile(rb"""(?:\s*[^=]*?\s*=\s*(?:"[^"]*"|'[^']*'))*\s*""")
_PLACE = re.compile(rb"([A-Za-z]*)(\d*)")
_REF = re.compile(rb"""\sr="([A-Z]{1,3})(\d{1,7})\"""")
_ROW_REF = re.compile(rb"""\sr="(\d{1,7})\"""")
_PREFIXED_CELL = re.compile(rb"<[^\s/<>!?:]+:c[\s/>]")
_CELL_START = re.compile(rb"<c[\s/>]")
_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row(?=[\s/>])([^>]*)>")
_FIRST_COLUMNS = re.compile(rb'<c r="([A-Z]{1,3})\d')
_ERROR_CELL = re.compile(  # written the usual way, showing an error (its text, at most 32)
    rb'<c r="([A-Z]{1,3})(\d{1,7})"(?: s="[^"<>]*")? t="e"(?: s="[^"<>]*")?>'
    rb"(?:<f[\s>][^<]*</f>|<f/>|<f [^<>]*/>)?<v>([^<]{0,32})</v>"
)
_LONG_NUMBER = re.compile(rb"v>\s*(-?\d{16,})(?![\d.eE])")
_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c(?=[\s/>])([^>]*)>")
_ESCAPED_UNDERSCORE = re.compile(rb"_x005f_x([0-9a-f]{4})_")
_UNIQUE_COUNT = re.compile(rb"""<(?:[\w.-]+:)?sst\b[^>]*?\suniqueCount\s*=\s*["'](\d+)""")
# A row element whole (body None when self-closing), and a cell's start tag, for compact.
_ROW_ELEMENT = re.compile(
    rb"<(" + _NAME + rb")row(?=[\s/>])" + _ATTRIBUTES + rb"(?:/>|>(.*?)</" + _NAME + rb"row\s*>)",
    re.S,
)
_ROW_START = re.compile(rb"<" + _NAME + rb"row[\s/>]")
_CELL_OPEN = re.compile(rb"<" + _NAME + rb"c(?=[\s/>])" + _ATTRIBUTES + rb"(/?)>")
_FILLED = re.compile(rb"<" + _NAME + rb"(?:v|is)[\s>]")


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

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def scan_sheet(open_part: Callable[[], IO[bytes]]) -> Grid:
    """The grid calamine would build from the sheet XML `open_part` opens, and its errors.

    Raises Damaged for a cell past Excel's last row or column, or a tag calamine would place
    a cell by that is not read here the same way; SyntaxError for a DTD."""
    with open_part() as stream:
        grid = _checked(stream)
    if grid is None:  # a sheet not written the usual way: every row and cell tag read
        placer = _Placer()
        with open_part() as stream:
            for block in _blocks(stream, markup=True):
                placer.read(block)
        grid = placer.grid
    if grid.rows > EXCEL_ROWS or grid.columns > EXCEL_COLUMNS:
        raise Damaged("cell reference")
    return grid


def _checked(stream: IO[bytes]) -> Grid | None:
    """The grid, when every cell tag of the XML is `<c r="…"` with no attribute but s and t
    after it, inside the extent: the last row tag's row and the first rows' width (so a block
    of a register passes one C-level search). None at the first block that does not pass."""
    grid = Grid()
    for number, block in enumerate(_blocks(stream)):
        if number == 0:
            _no_dtd(block, "sheet")
        if not grid.columns:
            grid.columns = max(map(_column_number, set(_FIRST_COLUMNS.findall(block))), default=0)
        bound = max(grid.rows, _last_row(block))
        # A colon first (memchr): a register's blocks have none past the root tag's xmlns.
        if b":" in block and b":c" in block and _PREFIXED_CELL.search(block):
            return None
        if grid.columns and bound:
            search = _astray(bound, grid.columns).search
            found = search(block)
            while found is not None:  # an error cell, or a tag not written the usual way
                error = _ERROR_CELL.match(block, found.start())
                if error is None:
                    return None
                place = (int(error.group(2)), _column_number(error.group(1)))
                if place[0] > bound or place[1] > grid.columns:
                    return None
                grid.errors[place] = error.group(3).decode("utf-8", "replace").strip()
                found = search(block, found.end())
        elif _CELL_START.search(block):
            return None
        grid.rows = bound
    return grid


@dataclass
class _Placer:
    """Cells placed as calamine places them (xlsx/cells_reader.rs): a row's r sets the row and
    its end moves to the next; a cell's r places it, else it follows the cell before;
    self-closing rows and cells are passed over. Keeps the grid, and the errors cells show."""

    grid: Grid = field(default_factory=Grid)
    row: int = 0
    column: int = 0
    """calamine's counters (0-based)."""
    error: tuple[int, int] | None = None
    """The place of the cell being read, while it shows an error."""

    def read(self, block: bytes) -> None:
        plain = b"<!" not in block and b"<?" not in block and not _PREFIXED.search(block)
        tokens = (_PLAIN_PLACING if plain else _PLACING).findall(block)
        for closing, name, attributes, empty, bad, value in tokens:
            if bad:
                raise Damaged("markup")
            if name == b"c":
                if not closing and not empty:
                    self.place(attributes)
                elif closing:
                    self.error = None
            elif name == b"row" and not empty:
                if closing:
                    self.row += 1
                    self.column = 0
                else:
                    self.start_row(attributes)
            elif self.error is not None and value:
                self.grid.errors[self.error] = value.decode("utf-8", "replace").strip()[:32]

    def start_row(self, attributes: bytes) -> int:
        """The row a row tag starts (1-based)."""
        ref = _reference(attributes)[0] if b"r" in attributes else None
        if ref is not None:
            self.row = _place(ref, column=False)[0] - 1
        return self.row + 1

    def place(self, attributes: bytes) -> tuple[int, int]:
        """The place (1-based) of a cell from its start tag; the counters moved past it."""
        ref, error = _reference(attributes)
        if ref is not None:
            row, column = _place(ref, column=True)
            row, self.column = row - 1, column - 1
        else:
            row = self.row
        place = (row + 1, self.column + 1)
        self.column += 1
        grid = self.grid
        if place[0] > grid.rows:
            grid.rows = place[0]
        if place[1] > grid.columns:
            grid.columns = place[1]
        if grid.rows > EXCEL_ROWS or grid.columns > EXCEL_COLUMNS:
            raise Damaged("cell reference")
        self.error = place if error else None
        return place


def _reference(raw: bytes) -> tuple[bytes | None, bool]:
    """A tag's r attribute, and whether its t is "e" (an error), read as calamine reads
    attributes (the last r of two: two are damage here, as what it cannot read)."""
    if _SIMPLE.fullmatch(raw):  # key="value", key="value"…: read as they stand
        refs = _SIMPLE_R.findall(raw)
        error = b' t="e"' in raw
    else:
        pairs = _attributes(raw)
        refs = [value for key, value in pairs if key == b"r"]
        error = (b"t", b"e") in pairs
    if len(refs) > 1:
        raise Damaged("cell reference")
    return (refs[0] if refs else None), error


def _attributes(raw: bytes) -> list[tuple[bytes, bytes]]:
    """A tag's attributes, read as calamine reads them; what it cannot read is damage."""
    if not _ATTRIBUTE_LIST.fullmatch(raw):
        raise Damaged("markup")
    return [(key, double or single) for key, double, single in _ATTRIBUTE.findall(raw)]


def _place(ref: bytes, *, column: bool) -> tuple[int, int]:
    """(row, column), 1-based, of a reference such as B7 (a row's r may be its number alone)."""
    match = _PLACE.fullmatch(ref)
    if match is None or not match.group(2) or (column and not match.group(1)):
        raise Damaged("cell reference")
    return _row_number(match.group(2)), _column_number(match.group(1)) if column else 0


def _row_number(digits: bytes) -> int:
    if not digits or len(digits) > 7 or int(digits) == 0:
        raise Damaged("cell reference")
    return int(digits)


def _column_number(letters: bytes) -> int:
    number = _COLUMNS.get(letters)
    if number is None:
        if not letters or len(letters) > 3:
            raise Damaged("cell reference")
        number = 0
        for ch in letters.upper():
            number = number * 26 + ch - ord("A") + 1
        _COLUMNS[letters] = number
    return number


_COLUMNS: dict[bytes, int] = {}
"""Column letters read so far → their number (a sheet has few)."""


def _blocks(stream: IO[bytes], *, markup: bool = False) -> Iterator[bytes]:
    """The XML in blocks of about 1 MiB, each ending before a "<": every tag whole in one
    block (a tag holds no "<"), with the text after it; with `markup`, a comment, CDATA
    section or processing instruction too."""
    carry = b""
    while True:
        data = stream.read(_CHUNK)
        if not data:
            if carry:
                yield carry
            return
        buffer = carry + data if carry else data
        cut = buffer.rfind(b"<")
        if markup:
            cut = min(cut, _open_markup(buffer))
        if cut <= 0:
            carry = buffer
            if len(carry) > _LONGEST_ROW:
                raise Damaged("markup")
            continue
        yield buffer[:cut]
        carry = buffer[cut:]


def _open_markup(buffer: bytes) -> int:
    """Where the first comment, CDATA section or instruction not closed in `buffer` starts."""
    first = len(buffer)
    for opener, closer in _OPENERS:
        at = 0
        while (start := buffer.find(opener, at, first)) >= 0:
            end = buffer.find(closer, start + len(opener))
            if end < 0:
                first = start
                break
            at = end + len(closer)
    return first


def _no_dtd(head: bytes, part: str) -> None:
    # Excel never writes a DTD; its entities are how an XML bomb inflates.
    if _DTD.search(head[: 1 << 16]):
        raise SyntaxError(f"a DTD in the {part}")


def _last_row(block: bytes) -> int:
    """The r of the block's last row tag (found near its end first), or 0 when it names none."""
    for window in (1 << 14, len(block)):
        last = _last(_ROW_TAG.finditer(block, max(0, len(block) - window)))
        if last is not None:
            ref = _ROW_REF.search(last.group(1))
            return int(ref.group(1)) if ref is not None else 0
    return 0


def _last(matches: Iterator[re.Match[bytes]]) -> re.Match[bytes] | None:
    found = deque(matches, maxlen=1)
    return found[0] if found else None


@lru_cache(maxsize=64)
def _astray(rows: int, columns: int) -> re.Pattern[bytes]:
    """A pattern for a cell tag other than `<c r="…"` inside rows × columns, followed by no
    attribute but s and t (how Excel, WPS, LibreOffice and openpyxl write every cell), or
    showing an error (t="e")."""
    inside = _at_most(_letters(columns), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") + _at_most(
        str(rows), "0123456789"
    )
    usual = rb' r="' + inside.encode() + rb'"(?: s="[^"<>]*"| t="(?!e")[^"<>]*")*/?>'
    return re.compile(rb"<c(?!" + usual + rb")[\s/>]")


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
    numbered 1, 2, 3…, each cell tag written `<c r="…" s t>` at its place; the sheet row of
    each row, in order; and the copy's grid, found by scanning the copy as calamine will read
    it. The other XML parts are copied as they are (the merged ranges keep the sheet's own
    rows)."""
    out = io.BytesIO()
    numbers: list[int] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
        for info in archive.infolist():
            name = info.filename
            if name == sheet.filename:
                with copy.open(name, "w", force_zip64=True) as part:
                    numbers = _compact_sheet(stream, part)
            elif name.lower().endswith((".xml", ".rels")):
                with archive.open(info) as source, copy.open(name, "w", force_zip64=True) as part:
                    shutil.copyfileobj(source, part, _CHUNK)
    with zipfile.ZipFile(out) as copy:
        grid = scan_sheet(lambda: copy.open(sheet.filename))
    if grid.rows > len(numbers):
        raise Damaged("markup")
    return out.getvalue(), numbers, grid


def _compact_sheet(stream: IO[bytes], out: IO[bytes]) -> list[int]:
    """Writes the sheet's rows with a filled cell (a value or inline text) as `<row r="k">`;
    the sheet row of each."""
    placer = _Placer()
    numbers: list[int] = []

    def kept(match: re.Match[bytes]) -> bytes:
        attributes, body = match.group(2), match.group(3)
        if body is None:  # <row/>: calamine passes it over
            return b""
        row = placer.start_row(attributes)
        placer.column = 0
        written = rewritten(body, row) if _FILLED.search(body) else b""
        placer.row, placer.column = row, 0  # the row's end: a row without r follows it
        return written

    def rewritten(body: bytes, row: int) -> bytes:
        numbers.append(row)
        number = b"%d" % len(numbers)

        def cell(tag: re.Match[bytes]) -> bytes:
            if tag.group(2):  # <c/>: calamine passes it over
                return b""
            place_row, column = placer.place(tag.group(1))
            if place_row != row:
                raise Damaged("cell reference")
            return b'<c r="' + _letters(column).encode() + number + b'"' + _kept(tag.group(1))

        return b'<row r="' + number + b'">' + _CELL_OPEN.sub(cell, body) + b"</row>"

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
            return numbers
        unfinished = _ROW_START.search(rest)
        cut = unfinished.start() if unfinished else max(rest.rfind(b"<"), 0)
        out.write(rest[:cut])
        carry = rest[cut:]
        if len(carry) > _LONGEST_ROW:
            raise Damaged("row too long")


def _kept(attributes: bytes) -> bytes:
    """The s and t of a cell's start tag, and its end."""
    kept = b""
    for name, value in _attributes(attributes):
        if name in (b"s", b"t") and b'"' not in value and b"<" not in value:
            kept += b" " + name + b'="' + value + b'"'
    return kept + b">"
