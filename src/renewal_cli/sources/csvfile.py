"""A CSV register read as rows: the delimiter, the records, quotes that go wrong.

The text comes decoded (encodings.py chooses the encoding). A record is usually one line; a
quoted cell may hold line breaks. What cannot be read becomes a Problem: a stray quote is
reported and its lines read as ordinary rows, a cell over the size limit is reported and its
row skipped, and a file that changes while it is read is one fatal Problem.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
from collections import deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from renewal_cli.forked import can_fork, relayed
from renewal_cli.models import Problem, ProblemCode
from renewal_cli.sources import (
    CONTROL,
    NEW_ROW,
    Aside,
    Row,
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

FORK_FROM_BYTES = 2 << 20
"""A register read for some places is shared with a second process from this size on (about
25,000 rows, 0.1 s of reading): below it, the fork costs more than it saves."""
_SNIFF_CHARS = 65536
FIELD_LIMIT = csv.field_size_limit()
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
    """A CSV register opened for reading: iterate it for Rows and the Problems of reading.

    `row_delimiters` is how many delimiters make a whole row; the register sets it from the
    header, so a stray quote is caught at the first line that is plainly a row of its own.
    """

    name: str
    text: IO[str]
    encoding: str
    delimiter: str = ","
    row_delimiters: int = _DEFAULT_ROW_DELIMITERS
    lines: int = 0
    width: int = 0
    stat: tuple[int, int] | None = None
    """(size, modification time) of the file when it was opened; None for bytes in memory."""
    progress: Callable[[int], None] | None = None
    """Told the bytes read so far, now and then (a progress bar; the source never prints)."""
    named: str = DETECTED
    """The encoding as a message names it: --encoding, the BOM's, or the ones tried."""
    only: frozenset[int] | None = None
    """Set by a register's pass that reads just these lines: other one-line rows are skipped
    without being split."""
    aside: Aside | None = None
    """Set by a register read for some places: one-line rows it has already judged to lie
    outside them go to it here, never yielded."""
    forked: bool = False
    """Whether a second process read the rest of the file (see `_shared`)."""
    _pushback: deque[tuple[int, str]] = field(default_factory=deque)

    def set_width(self, columns: int) -> None:
        """The header's column count: three quarters of its delimiters make a whole row."""
        self.width = columns
        self.row_delimiters = max(3, (columns - 1) * 3 // 4)

    def __iter__(self) -> Iterator[Row | Problem]:
        stream = self._stream()
        try:
            for record in stream:
                yield record
                if self.aside is not None:  # the reader has found the header
                    break
            # The rest straight from the stream, or from a second process (no step per row).
            if self.aside is not None and self._shared():
                yield from self._relayed(stream, self.aside)
            else:
                yield from stream
        finally:
            stream.close()
            self.text.close()

    def _stream(self) -> Generator[Row | Problem, None, None]:
        try:
            sample = self.text.read(_SNIFF_CHARS)
            self.text.seek(0)
            self.delimiter = sniff_delimiter(sample)
            yield from self._records()
            if self.stat is not None and _stat_of(self.text) != self.stat:
                yield reading_problem(self.name, ProblemCode.CHANGED)
        except UnicodeDecodeError:
            yield self._undecodable()

    def _shared(self) -> bool:
        """Whether the rest of the file is read by a second process: a large file (not bytes
        in memory) read for some places (`Aside.kept`)."""
        return (
            self.aside is not None
            and self.aside.kept is not None
            and self.only is None
            and self.stat is not None
            and self.stat[0] >= FORK_FROM_BYTES
            and hasattr(self.text, "buffer")
            and can_fork()
        )

    def _relayed(self, stream: Iterator[Row | Problem], aside: Aside) -> Iterator[Row | Problem]:
        """The rest of `stream` read by a second process: it sets the rows of `aside` aside
        and sends the others here, so only those cost this process anything."""
        raw = self.text.buffer  # type: ignore[attr-defined]
        kept = aside.kept
        assert kept is not None

        def in_child() -> None:
            self.progress = None  # the parent draws the bar, from the batches' positions
            kept.forget()
            # A file offset of its own, so this process's copy of the file stays where the
            # fork left it (the parent reads on from there if the child fails).
            fd = raw.fileno()
            own = os.open(f"/proc/self/fd/{fd}", os.O_RDONLY)
            os.lseek(own, os.lseek(fd, 0, os.SEEK_CUR), os.SEEK_SET)
            os.dup2(own, fd)
            os.close(own)

        def finish() -> tuple[int, Any]:
            return self.lines, kept.export()

        def absorb(done: tuple[int, Any]) -> None:
            lines, exported = done
            self.lines = max(self.lines, lines)
            kept.absorb(exported)

        self.forked = True
        progress = self.progress
        yield from relayed(
            stream,
            in_child=in_child,
            finish=finish,
            absorb=absorb,
            pack=_packed,
            unpack=_unpacked,
            status=raw.tell,
            on_status=progress if progress is not None else lambda _: None,
        )

    def _undecodable(self) -> Problem:
        """Bytes the encoding does not decode: the register is not in it (see choose_encoding:
        only UTF-8 is checked ahead), or it was rewritten while it was read."""
        raw = getattr(self.text, "buffer", None)
        if self.stat is not None and raw is not None and _stat_of(self.text) == self.stat:
            # Auto-detected: the first line neither UTF-8 nor GB18030 decodes, as detect_encoding
            # names it for a file checked ahead.
            line = bad_line(raw, None if self.named == DETECTED else self.encoding)
            if line:
                return reading_problem(
                    self.name, ProblemCode.ENCODING, line=line, encoding=self.named
                )
        return reading_problem(self.name, ProblemCode.CHANGED)

    @property
    def size(self) -> int:
        return self.stat[0] if self.stat is not None else 0

    def _records(self) -> Iterator[Row | Problem]:
        """Every record: one-line rows without a quote here (the common case, kept tight: it
        runs for every line of a national register), anything else by `_quoted`."""
        numbered = enumerate(self.text, start=1)
        delimiter = self.delimiter
        raw = getattr(self.text, "buffer", None)
        number = 0
        new_row = NEW_ROW
        try:
            for number, line in numbered:
                # self.progress, not a local: a second process reading on has none (forked.py).
                if not number & 0x3FFF and self.progress is not None and raw is not None:
                    self.progress(raw.tell())
                if '"' in line or len(line) > FIELD_LIMIT:
                    self.lines = number
                    self._pushback.appendleft((number, line))
                    yield from self._quoted(numbered)
                    continue
                if self.only is not None and number not in self.only:
                    continue
                bare = line.rstrip("\r\n")
                cells = bare.split(delimiter)
                # isprintable() is one quick pass; the search runs only when it finds something
                # (a control character, a tab delimiter, or just a U+3000 space).
                if not bare.isprintable() and CONTROL.search(bare):
                    cells = [clean_cell(c) for c in cells]
                aside = self.aside
                if aside is not None and len(cells) >= aside.width:
                    key = aside.key(cells)
                    verdict = aside.verdicts.get(key)
                    if verdict is None and aside.judge is not None:
                        verdict = aside.verdicts[key] = aside.judge(number, cells)
                    if verdict:
                        aside.rows.append((number, cells))
                        if len(aside.rows) >= aside.batch:
                            aside.flush()
                        continue
                yield new_row((number, number, cells))
        finally:
            self.lines = max(self.lines, number)

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
                    if self.only is None or number in self.only:
                        bare = line.rstrip("\r\n")
                        yield Row(number, number, [clean_cell(c) for c in bare.split(delimiter)])
                elif quotes % 2 == 0:
                    yield from self._parse([(number, line)])
                else:
                    pending = [(number, line)]
                    size, last = len(line), 0
            elif line.split('"', 1)[0].count(delimiter) >= self.row_delimiters:
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
            yield Problem(
                source=self.name,
                line=first,
                end_line=last if last != first else None,
                code=ProblemCode.CELL_TOO_LARGE,
                detail={"limit": str(FIELD_LIMIT)},
            )
            return
        if any(len(cell) > FIELD_LIMIT for row in rows for cell in row):
            yield Problem(
                source=self.name,
                line=first,
                code=ProblemCode.CELL_TOO_LARGE,
                detail={"limit": str(FIELD_LIMIT)},
            )
            return
        merged = [cell for row in rows for cell in row]  # one record, however it was split
        whole = self.row_delimiters
        ends = (lines[0][1].count(self.delimiter), lines[-1][1].count(self.delimiter))
        if last != first and len(merged) > self.width > 0 and min(ends) >= whole:
            # A record across lines with more cells than the header, whose first and last lines
            # are whole rows of their own: two stray quotes paired up and swallowed a row.
            yield from self._stray(lines)
            return
        yield Row(first, last, [clean_cell(c) for c in merged])


def _packed(record: Row | Problem) -> tuple[int, int, list[str]] | Problem:
    """A record as sent between processes: a row as a plain tuple (pickled faster)."""
    return tuple(record) if type(record) is Row else record  # type: ignore[return-value]


def _unpacked(item: tuple[int, int, list[str]] | Problem) -> Row | Problem:
    return NEW_ROW(item) if type(item) is tuple else item  # type: ignore[return-value]


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
    return CsvSource(name, io.StringIO(data.decode(chosen), newline=""), chosen)


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
        text = path.open(encoding=chosen, newline="")
        return CsvSource(label, text, chosen, stat=stat, named=shown_encoding(chosen, encoding))
    except FileNotFoundError:
        return reading_problem(label, ProblemCode.NOT_FOUND)
    except IsADirectoryError:
        return reading_problem(label, ProblemCode.UNREADABLE, reason="directory")
    except PermissionError:
        return reading_problem(label, ProblemCode.UNREADABLE, reason="permission")
    except OSError as err:
        return reading_problem(label, ProblemCode.UNREADABLE, reason=err.strerror or err)
