"""A CSV register read as rows: the delimiter, the records, quotes that go wrong.

The text comes decoded (encodings.py chooses the encoding). A record is usually one line; a
quoted cell may hold line breaks. What cannot be read becomes a Problem: a stray quote is
reported and its lines read as ordinary rows, a cell over the size limit is reported and its
row skipped, and a file that changes while it is read is one fatal Problem.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import os
from collections import deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from renewal_cli.cells import column_letter
from renewal_cli.models import Problem, ProblemCode
from renewal_cli.sources import (
    NEW_ROW,
    Entry,
    Row,
    Rows,
    clean_cell,
    is_spreadsheet,
    reading_problem,
)
from renewal_cli.sources.encodings import (
    CHUNK,
    DETECTED,
    bad_line,
    bom_encoding,
    choose_encoding,
    detect_encoding,
    is_text_encoding,
    shown_encoding,
)
from renewal_cli.sources.text import Text

_SNIFF_CHARS = 65536
FIELD_LIMIT = csv.field_size_limit()
# How much of a cell over FIELD_LIMIT its problem shows, to be recognised by.
VALUE_SHOWN = 20
# Before the header is known, a continuation line with this many delimiters is a whole row.
_DEFAULT_ROW_DELIMITERS = 4


def sniff_delimiter(sample: str) -> str:
    """Comma, unless the first lines hold more tabs or semicolons (Excel's "Unicode text")."""
    lines = [line for line in sample.splitlines()[:10] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


@dataclass
class CsvSource:
    """A CSV register opened for reading: iterate it for Rows (Rows for a run of plain lines)
    and the Problems of reading.

    `width` is the header's column count, when the register knows it (see
    register.open_register): from `from_line` on, a continuation line of a quoted cell holding
    three quarters of its delimiters is a row of its own, and the quote that opened the cell
    was stray. Before the header (or without it), four delimiters make a row.
    """

    name: str
    opener: Callable[[], IO[str]]
    """Opens the decoded text from its start (the file again, or the bytes read)."""
    encoding: str
    stat: tuple[int, int] | None = None
    """(size, modification time) of the file when it was first opened; None for bytes."""
    named: str = DETECTED
    """The encoding as a message names it: --encoding, the BOM's, or the ones tried."""
    width: int = 0
    from_line: int = 0
    delimiter: str = ","
    lines: int = 0
    """Physical lines read so far (all of them once the iteration has finished)."""
    _text: IO[str] | None = None
    _pushback: deque[tuple[int, str]] = field(default_factory=deque)

    def reopened(self, width: int, from_line: int) -> CsvSource:
        """A new source over the same text, knowing the header's width from `from_line` on."""
        return CsvSource(
            self.name,
            self.opener,
            self.encoding,
            self.stat,
            self.named,
            width=width,
            from_line=from_line,
        )

    @property
    def size(self) -> int:
        return self.stat[0] if self.stat is not None else 0

    @property
    def position(self) -> int:
        """Bytes of the file read so far (0 for bytes in memory)."""
        raw = getattr(self._text, "buffer", None)
        return raw.tell() if raw is not None and not raw.closed else 0

    def __iter__(self) -> Iterator[Entry]:
        try:
            self._text = self.opener()
        except OSError as err:
            yield _unopenable(self.name, err)
            return
        try:
            yield from self._stream(self._text)
        finally:
            self._text.close()

    def _stream(self, text: IO[str]) -> Iterator[Entry]:
        try:
            sample = text.read(_SNIFF_CHARS)
            text.seek(0)
            self.delimiter = sniff_delimiter(sample)
            yield from self._records(Text(text, self.delimiter, FIELD_LIMIT))
            if self.stat is not None and _stat_of(text) != self.stat:
                yield reading_problem(self.name, ProblemCode.CHANGED)
        except UnicodeDecodeError:
            yield self._undecodable(text)

    def _undecodable(self, text: IO[str]) -> Problem:
        """Bytes the encoding does not decode: the register is not in it (see choose_encoding:
        only UTF-8 is checked ahead), or it was rewritten while it was read."""
        raw = getattr(text, "buffer", None)
        if self.stat is not None and raw is not None and _stat_of(text) == self.stat:
            # Auto-detected: the first line neither UTF-8 nor GB18030 decodes, as detect_encoding
            # names it for a file checked ahead.
            line = bad_line(raw, None if self.named == DETECTED else self.encoding)
            if line:
                return reading_problem(
                    self.name, ProblemCode.ENCODING, line=line, encoding=self.named
                )
        return reading_problem(self.name, ProblemCode.CHANGED)

    def _records(self, text: Text) -> Iterator[Entry]:
        """Every record: runs of plain lines at once (the common case: see text.py), a line
        with a quote by `_quoted`, any other line cleaned of its control characters."""
        numbered = iter(text.line, None)
        try:
            while True:
                plain = text.plain()
                if plain is not None:
                    self.lines = text.taken
                    yield Rows(*plain)
                    continue
                taken = text.line()
                if taken is None:
                    return
                number, line = taken
                self.lines = number
                if '"' in line or len(line) > FIELD_LIMIT:
                    self._pushback.appendleft(taken)
                    yield from self._quoted(numbered)
                else:
                    cells = [clean_cell(c) for c in line.rstrip("\r\n").split(self.delimiter)]
                    yield NEW_ROW((number, number, cells))
        finally:
            self.lines = max(self.lines, text.taken)

    def _whole_row(self, first: int) -> int:
        """How many delimiters make a whole row, for the record that starts on line `first`."""
        if self.width and first >= self.from_line:
            return max(3, (self.width - 1) * 3 // 4)
        return _DEFAULT_ROW_DELIMITERS

    def _quoted(self, numbered: Iterator[tuple[int, str]]) -> Iterator[Row | Problem]:
        """The records from the line pushed back on, until the reading is back at a record's
        start with nothing pushed back (the lines come from `numbered`, shared with
        `_records`)."""
        while True:
            pending = yield from self._complete_records(self._lines_from(numbered))
            if not pending:
                return
            # A quoted cell that runs to the end of the file: its quote was stray.
            yield from self._stray(pending)

    def _lines_from(self, numbered: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        while True:
            while self._pushback:
                yield self._pushback.popleft()
            following = next(numbered, None)
            if following is None:
                return
            self.lines = following[0]
            yield following

    def _complete_records(
        self, lines: Iterator[tuple[int, str]]
    ) -> Generator[Row | Problem, None, list[tuple[int, str]]]:
        """Records of `lines`, until a record is complete and nothing is pushed back; returns
        the lines of a quoted cell still open when `lines` end.

        The lines of an open quoted cell are held until they pass the cell size limit: then
        the cell cannot be read anyway, and the lines that follow are only counted (a quote
        that never closes, over the rest of a large file, costs no memory). What they were is
        one problem: a cell too large if the quote closes, else lines skipped after a stray
        quote (at the next whole row, or the end of the file)."""
        delimiter = self.delimiter
        pending: list[tuple[int, str]] = []
        quotes = 0
        size = 0
        last = 0  # the last line passed over once the open cell is past the limit
        for number, line in lines:
            if not pending:
                quotes = line.count('"')
                if not quotes and len(line) <= FIELD_LIMIT:
                    bare = line.rstrip("\r\n")
                    yield Row(number, number, [clean_cell(c) for c in bare.split(delimiter)])
                elif quotes % 2 == 0:
                    yield from self._parse([(number, line)])
                else:
                    pending = [(number, line)]
                    size, last = len(line), 0
            elif line.split('"', 1)[0].count(delimiter) >= self._whole_row(pending[0][0]):
                # A whole row inside a quoted cell (before any quote that could close it): the
                # quote that opened the cell was stray.
                yield from self._stray(pending, last)
                self._pushback.append((number, line))
                pending = []
            else:
                quotes += line.count('"')
                if last:
                    last = number
                else:
                    pending.append((number, line))
                    size += len(line)
                if quotes % 2 == 0:
                    if last:
                        yield self._too_large(pending[0][0], number)
                    else:
                        yield from self._parse(pending)
                    pending = []
                elif not last and size > FIELD_LIMIT and len(pending) > 1:
                    last = number
                    del pending[1:]
            if not pending and not self._pushback:
                return []
        if pending and last:
            yield from self._stray(pending, last)
            return []
        return pending

    def _too_large(self, first: int, last: int) -> Problem:
        return Problem(
            source=self.name,
            line=first,
            end_line=last if last != first else None,
            code=ProblemCode.CELL_TOO_LARGE,
            detail={"limit": str(FIELD_LIMIT)},
        )

    def _huge(self, first: int, last: int, text: str) -> Problem:
        """A record with a cell over FIELD_LIMIT: its line(s), and the cell's column and opening
        words where a scan of the quotes and delimiters finds it (the register adds the
        header's name). The csv module stops at such a cell without saying which it is."""
        column, start = _huge_cell(text, self.delimiter)
        found = column is not None
        start += text[start : start + 1] == '"'  # its words, not its opening quote
        return Problem(
            source=self.name,
            line=first,
            end_line=last if last != first else None,
            column=column + 1 if column is not None else None,
            letter=column_letter(column) if column is not None else "",
            value=clean_cell(text[start : start + VALUE_SHOWN]).strip() + "…" if found else "",
            code=ProblemCode.CELL_TOO_LARGE,
            detail={"limit": str(FIELD_LIMIT)},
        )

    def _stray(self, pending: list[tuple[int, str]], last: int = 0) -> Iterator[Row | Problem]:
        """The opening line of a quote that never closed where a cell should: reported, and read
        as an ordinary row with its quotes taken as text (a cell of it over the size limit
        leaves the row out). The lines after it are read again, or, when they were past the
        limit and not kept (`last`, the last of them), reported as one problem."""
        number, line = pending[0]
        if not last:  # else the problem about the lines after it names this one
            yield Problem(source=self.name, line=number, code=ProblemCode.STRAY_QUOTE)
        cells = [
            clean_cell(c).strip().strip('"') for c in line.rstrip("\r\n").split(self.delimiter)
        ]
        if any(len(cell) > FIELD_LIMIT for cell in cells):
            yield self._too_large(number, number)
        else:
            yield Row(number, number, cells)
        if last:
            yield Problem(
                source=self.name,
                line=number + 1,
                end_line=last if last != number + 1 else None,
                code=ProblemCode.UNCLOSED_QUOTE,
                detail={"quote": str(number), "limit": str(FIELD_LIMIT)},
            )
        else:
            self._pushback.extendleft(reversed(pending[1:]))

    def _parse(self, lines: list[tuple[int, str]]) -> Iterator[Row | Problem]:
        first, last = lines[0][0], lines[-1][0]
        text = "".join(line for _, line in lines)
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter))
        except csv.Error:
            # The only error left with balanced quotes: a cell over the field size limit.
            yield self._huge(first, last, text)
            return
        merged = [cell for row in rows for cell in row]  # one record, however it was split
        if any(len(cell) > FIELD_LIMIT for cell in merged):
            yield self._huge(first, last, text)
            return
        width = self.width if first >= self.from_line else 0
        ends = (lines[0][1].count(self.delimiter), lines[-1][1].count(self.delimiter))
        if last != first and len(merged) > width > 0 and min(ends) >= self._whole_row(first):
            # A record across lines with more cells than the header, whose first and last lines
            # are whole rows of their own: two stray quotes paired up and swallowed a row.
            yield from self._stray(lines)
            return
        yield Row(first, last, [clean_cell(c) for c in merged])


def _stat_of(stream: IO[Any]) -> tuple[int, int]:
    info = os.fstat(stream.fileno())
    return info.st_size, info.st_mtime_ns


def parse_csv(data: bytes, name: str, encoding: str | None = None) -> CsvSource | Problem:
    """A source over register bytes already in memory (stdin, the bundled sample)."""
    if encoding is not None and is_text_encoding(encoding) is None:
        return reading_problem(name, ProblemCode.ENCODING, line=1, encoding=encoding)
    if is_spreadsheet(data[:4]):
        return reading_problem(name, ProblemCode.SPREADSHEET)
    chunks = (data[i : i + CHUNK] for i in range(0, len(data), CHUNK))
    chosen, first_bad = detect_encoding(chunks, encoding)
    if not chosen:
        shown = shown_encoding(bom_encoding(data[:4]) or "", encoding)
        return reading_problem(name, ProblemCode.ENCODING, line=first_bad, encoding=shown)
    text = data.decode(chosen)
    return CsvSource(name, lambda: io.StringIO(text, newline=""), chosen)


def read_csv(
    path: Path, encoding: str | None = None, name: str | None = None
) -> CsvSource | Problem:
    """A source over a register file (its encoding chosen by `choose_encoding`)."""
    label = name or str(path)
    if encoding is not None and is_text_encoding(encoding) is None:
        return reading_problem(label, ProblemCode.ENCODING, line=1, encoding=encoding)
    try:
        with path.open("rb") as raw:
            stat = _stat_of(raw)
            head = raw.read(CHUNK)
            if is_spreadsheet(head[:4]):
                return reading_problem(label, ProblemCode.SPREADSHEET)
            chunks = itertools.chain((head,), iter(lambda: raw.read(CHUNK), b""))
            chosen, line = choose_encoding(chunks, encoding)
        if not chosen:
            return reading_problem(label, ProblemCode.ENCODING, line=line, encoding=DETECTED)
        return CsvSource(
            label,
            functools.partial(path.open, encoding=chosen, newline=""),
            chosen,
            stat=stat,
            named=shown_encoding(chosen, encoding),
        )
    except OSError as err:
        return _unopenable(label, err)


def _unopenable(label: str, err: OSError) -> Problem:
    """The fatal Problem of a file that cannot be opened."""
    if isinstance(err, FileNotFoundError):
        return reading_problem(label, ProblemCode.NOT_FOUND)
    if isinstance(err, IsADirectoryError):
        return reading_problem(label, ProblemCode.UNREADABLE, reason="directory")
    if isinstance(err, PermissionError):
        return reading_problem(label, ProblemCode.UNREADABLE, reason="permission")
    return reading_problem(label, ProblemCode.UNREADABLE, reason=err.strerror or err)


def _huge_cell(text: str, delimiter: str) -> tuple[int | None, int]:
    """The index of the first cell of a record longer than FIELD_LIMIT, and where it starts in
    `text`; (None, 0) when none is. Quotes are followed as the csv module does (a doubled quote
    inside quotes is one quote), so a delimiter inside quotes is no cell boundary."""
    column, start, quoted = 0, 0, False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted  # a doubled quote turns it off and on again
        elif not quoted and char in (delimiter, "\n", "\r"):
            if index - start > FIELD_LIMIT:
                return column, start
            column, start = column + 1, index + 1
    return (column, start) if len(text) - start > FIELD_LIMIT else (None, 0)
