"""Sources: a register's bytes turned into rows of cells, each with the lines it came from.

This is the only module that knows about file formats (CSV today, .xlsx next). It detects the
encoding (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030/GBK), the delimiter, and the records,
and it cleans every cell of control characters, so nothing downstream ever sees them. What it
cannot read becomes a Problem, never an exception: a stray quote is reported and its lines read
as ordinary rows, a cell over the size limit is reported and its row skipped, and a file that
cannot be read at all is one fatal Problem.

`read_*` touch files; `parse_*` work on text in memory.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import itertools
import os
import re
from collections import deque
from collections.abc import Callable, Generator, Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple, Protocol

from renewal_cli.forked import can_fork, relayed
from renewal_cli.models import Problem, ProblemCode

_CHUNK = 1 << 20
FORK_FROM_BYTES = 2 << 20
"""A register read for some places is shared with a second process from this size on (about
25,000 rows, 0.1 s of reading): below it, the fork costs more than it saves."""
_SNIFF_CHARS = 65536
FIELD_LIMIT = csv.field_size_limit()
# What a register cell never keeps, so no output can carry it:
# - C0 and C1 controls and DEL (NUL, ESC, …: a terminal escape);
# - bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what
#   follows them on screen and in mail ("公司\u202eexe.txt" shows as "公司txt.exe");
# - what XML 1.0 forbids or calls a non-character: lone surrogates, U+FDD0–U+FDEF and the last
#   two code points of every plane (U+FFFE, U+FFFF, …), which break .xlsx, .docx and mail.
# Tabs and line breaks inside a cell become spaces, and so do the line and paragraph separators
# (U+2028, U+2029: Word's line breaks, which mail headers and some viewers take as line ends).
# NEL (U+0085) goes with the other C1 controls: in a register it is a mis-decoded "…".
_NONCHARACTERS = [
    *range(0xFDD0, 0xFDF0),
    *(plane | last for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)),
]
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(c) for c in _NONCHARACTERS if c > 0xFDEF)
    + "]"
)
_CONTROL_TABLE: dict[int, str | None] = {
    i: None
    for i in [
        *range(0x20),
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        *range(0xD800, 0xE000),
        *_NONCHARACTERS,
    ]
} | {0x09: " ", 0x0A: " ", 0x0D: " ", 0x2028: " ", 0x2029: " "}
# Before the header is known, a continuation line with this many delimiters is a whole row.
_DEFAULT_ROW_DELIMITERS = 4
_DETECTED = "UTF-8 / GB18030"
# GBK text passes as UTF-8 only by chance, a character or two at a time: eight or more CJK
# characters (two extra bytes each) that read as UTF-8 before the first byte that does not mean
# the file really started in UTF-8.
_MIXED_EXTRA = 16


class Row(NamedTuple):
    """One record of the source: its cells and the physical lines it spans (a tuple: made
    once per row, a frozen dataclass costs three times as much)."""

    line: int
    end_line: int
    cells: list[str]


_NEW_ROW: Callable[[tuple[int, int, list[str]]], Row] = functools.partial(tuple.__new__, Row)
"""Row((line, end_line, cells)) without NamedTuple's Python-level __new__ (once per line)."""


def clean_cell(value: str) -> str:
    """A cell without control characters, bidi controls or what XML forbids (tabs and line
    breaks become spaces); see _CONTROL."""
    return value.translate(_CONTROL_TABLE) if _CONTROL.search(value) else value


def detect_encoding(chunks: Iterator[bytes], explicit: str | None = None) -> tuple[str, int]:
    """The encoding of a register, or ("", line) naming the first line no candidate decodes.

    UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK and GB2312,
    what Excel and WPS save on Chinese Windows). The whole input is checked, not a sample: a
    GBK file may start with pure ASCII headers. With `explicit`, only that encoding is tried.
    """
    head = next(chunks, b"")
    candidates = [explicit] if explicit else ["utf-8", "gb18030"]
    # A BOM names the encoding, and the rest of the file must then decode in it.
    bom = _bom_encoding(head) if explicit is None else None
    if bom:
        candidates = [bom]
    decoders = {name: codecs.getincrementaldecoder(name)() for name in candidates}
    newlines = 0
    first_bad_line = 0
    utf8_extra = 0  # bytes beyond one per character in what UTF-8 decoded: its multi-byte text
    for chunk in itertools.chain((head,), chunks, (b"",)):
        final = chunk == b""
        for name in list(candidates):
            try:
                text = decoders[name].decode(chunk, final=final)
            except UnicodeError as err:  # UTF-16 without a BOM raises the base class
                candidates.remove(name)
                start = max(err.start if isinstance(err, UnicodeDecodeError) else 0, 0)
                if not first_bad_line:
                    first_bad_line = newlines + chunk.count(b"\n", 0, start) + 1
                if name == "utf-8" and explicit is None:
                    before = chunk[:start]
                    utf8_extra += len(before) - len(before.decode("utf-8", "ignore"))
                    if utf8_extra >= _MIXED_EXTRA:
                        # Real UTF-8 text, then bytes that are not: a file saved in two
                        # encodings, even if GB18030 happens to decode all of it.
                        return "", first_bad_line
                continue
            if name == "utf-8":
                utf8_extra += len(chunk) - len(text)
        newlines += chunk.count(b"\n")
        if not candidates:
            break
    return (candidates[0], 0) if candidates else ("", first_bad_line)


def choose_encoding(chunks: Iterator[bytes], explicit: str | None = None) -> tuple[str, int]:
    """`detect_encoding` for a file read next: the same choice, with only UTF-8 checked ahead.

    UTF-8 must be checked on the whole file before reading, since a file that stops being
    UTF-8 may have to be read as GB18030 from its start (or is mixed). Every other choice
    (a BOM, --encoding, GB18030 once UTF-8 fails) is final, so its own decoder checks the
    rest as the file is read, and CsvSource reports the first line it cannot decode
    (`bad_line`). A GB18030 register is then decoded once, not twice.
    """
    head = next(chunks, b"")
    if explicit or _bom_encoding(head):
        return explicit or _bom_encoding(head) or "", 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = 0
    utf8_extra = 0
    for chunk in itertools.chain((head,), chunks, (b"",)):
        try:
            text = decoder.decode(chunk, final=chunk == b"")
        except UnicodeDecodeError as err:
            before = chunk[: max(err.start, 0)]
            utf8_extra += len(before) - len(before.decode("utf-8", "ignore"))
            if utf8_extra >= _MIXED_EXTRA:  # see detect_encoding
                return "", newlines + before.count(b"\n") + 1
            return "gb18030", 0
        utf8_extra += len(chunk) - len(text)
        newlines += chunk.count(b"\n")
    return "utf-8", 0


def _bom_encoding(head: bytes) -> str | None:
    """The encoding a byte order mark at the start names, if there is one."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def bad_line(raw: IO[bytes], encoding: str | None) -> int:
    """The first line of a file that `encoding` (None: UTF-8 and GB18030) does not decode, or
    0 when it all decodes."""
    raw.seek(0)
    return detect_encoding(iter(lambda: raw.read(_CHUNK), b""), encoding)[1]


def sniff_delimiter(sample: str) -> str:
    """Comma, unless the first lines hold more tabs or semicolons (Excel's "Unicode text")."""
    lines = [line for line in sample.splitlines()[:10] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def is_text_encoding(name: str) -> str | None:
    """The codec's canonical name when `name` is a text encoding (not rot13, base64…)."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


class Kept(Protocol):
    """What the rows set aside are kept as, handed from a second process to the first."""

    def forget(self) -> None:
        """In the second process: drop what the first one holds (it keeps its own)."""

    def export(self) -> Any:
        """In the second process, at the end: what it kept, to be pickled."""

    def absorb(self, exported: Any) -> None:
        """In the first process: add what the second one kept."""


@dataclass
class Aside:
    """One-line rows the reader of a register has judged already, set aside as they are split
    and never yielded: those of at least `width` cells whose `key` cells map to True in
    `verdicts` go to `rows` as (line, cells), and `flush` is called every `batch` rows.

    The reader fills `verdicts`, or `judge` does for a key met for the first time, so the
    source needs no knowledge of what the cells mean (a register read for some places keys
    rows by their place cells). With `kept`, a large file is shared with a second process
    (see forked.py): it sets aside the rows of the file's rest and sends what it kept.
    """

    key: Callable[[list[str]], Hashable]
    verdicts: dict[Hashable, bool]
    width: int
    rows: list[tuple[int, list[str]]]
    flush: Callable[[], None]
    batch: int = 4096
    judge: Callable[[int, list[str]], bool] | None = None
    kept: Kept | None = None


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
    named: str = _DETECTED
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
                yield _reading_problem(self.name, ProblemCode.CHANGED)
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
            line = bad_line(raw, None if self.named == _DETECTED else self.encoding)
            if line:
                return _reading_problem(
                    self.name, ProblemCode.ENCODING, line=line, encoding=self.named
                )
        return _reading_problem(self.name, ProblemCode.CHANGED)

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
        new_row = _NEW_ROW
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
                if not bare.isprintable() and _CONTROL.search(bare):
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
    return _NEW_ROW(item) if type(item) is tuple else item  # type: ignore[return-value]


def _named(chosen: str, explicit: str | None) -> str:
    """How a message names the encoding a register is read in."""
    if explicit:
        return explicit
    return {"utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16 (BOM)"}.get(chosen, _DETECTED)


def _stat_of(stream: IO[Any]) -> tuple[int, int]:
    info = os.fstat(stream.fileno())
    return info.st_size, info.st_mtime_ns


def _reading_problem(name: str, code: ProblemCode, **detail: object) -> Problem:
    return Problem(source=name, code=code, detail={k: str(v) for k, v in detail.items()})


def _is_spreadsheet(head: bytes) -> bool:
    """A legacy .xls (OLE2) file; .xlsx files are zip archives and are read by xlsx.py."""
    return head.startswith(b"\xd0\xcf\x11\xe0")


def is_workbook(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def parse_csv(data: bytes, name: str, encoding: str | None = None) -> CsvSource | Problem:
    """A source over register bytes already in memory (stdin, the bundled sample)."""
    if encoding is not None and is_text_encoding(encoding) is None:
        return _reading_problem(name, ProblemCode.ENCODING, line=1, encoding=encoding)
    if _is_spreadsheet(data[:4]):
        return _reading_problem(name, ProblemCode.SPREADSHEET)
    chunks = (data[i : i + _CHUNK] for i in range(0, len(data), _CHUNK))
    chosen, first_bad = detect_encoding(chunks, encoding)
    if not chosen:
        named = _named(_bom_encoding(data[:4]) or "", encoding)
        return _reading_problem(name, ProblemCode.ENCODING, line=first_bad, encoding=named)
    return CsvSource(name, io.StringIO(data.decode(chosen), newline=""), chosen)


def read_csv(
    path: Path, encoding: str | None = None, name: str | None = None
) -> CsvSource | Problem:
    """A source over a register file (its encoding chosen by `choose_encoding`)."""
    label = name or str(path)
    if encoding is not None and is_text_encoding(encoding) is None:
        return _reading_problem(label, ProblemCode.ENCODING, line=1, encoding=encoding)
    try:
        with path.open("rb") as raw:
            stat = _stat_of(raw)
            head = raw.read(_CHUNK)
            if _is_spreadsheet(head[:4]):
                return _reading_problem(label, ProblemCode.SPREADSHEET)
            chunks = itertools.chain((head,), iter(lambda: raw.read(_CHUNK), b""))
            chosen, line = choose_encoding(chunks, encoding)
        if not chosen:
            return _reading_problem(label, ProblemCode.ENCODING, line=line, encoding=_DETECTED)
        text = path.open(encoding=chosen, newline="")
        return CsvSource(label, text, chosen, stat=stat, named=_named(chosen, encoding))
    except FileNotFoundError:
        return _reading_problem(label, ProblemCode.NOT_FOUND)
    except IsADirectoryError:
        return _reading_problem(label, ProblemCode.UNREADABLE, reason="directory")
    except PermissionError:
        return _reading_problem(label, ProblemCode.UNREADABLE, reason="permission")
    except OSError as err:
        return _reading_problem(label, ProblemCode.UNREADABLE, reason=err.strerror or err)
