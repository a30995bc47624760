"""The decoded text of a CSV file, taken a line at a time or a run of plain lines at a time.

Most lines of a register need nothing but splitting at the delimiter: no quote, no control
character, nothing near the cell size limit. `Text.plain` takes every such line from where the
reading is, at once, split into cells (a million-line register is split in C, a megabyte at a
time, not line by line in Python); `Text.line` takes the next line, whatever it holds, for the
careful reading of quotes (csvfile.py). Lines end as the text's own line iteration ends them
(newline="": at \\n, \\r\\n or a lone \\r), and are numbered from 1.

The text is read a chunk at a time; the whole lines of a chunk are split once (str.splitlines,
which splits at the line breaks above and at a few control characters: a chunk holding one of
those is split only before it) and told plain or not with C-level passes (str.isprintable over
every line, str.find for quotes); only a line that is not printable is looked at alone.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, compress, repeat
from operator import not_
from typing import IO

from renewal_cli.sources import INLINE_CONTROL

_FIRST_CHUNK = 1 << 16
"""Characters read first: a register's header is found in them without decoding a megabyte."""
_CHUNK = 1 << 20
_BREAK = re.compile(r"\r\n?|\n")
# What str.splitlines splits at besides \r and \n (all of them control characters here).
_OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_OTHER_BREAK = re.compile(f"[{_OTHER_BREAKS}]")
# What keeps a printable-looking line from being plain: a control character (a tab too, unless
# it is the delimiter). str.isprintable is false for these and for spaces such as U+3000 alike.
_CONTROL_IN_LINE = {
    "\t": re.compile(f"[{INLINE_CONTROL}]"),
    "other": re.compile(f"[\t{INLINE_CONTROL}]"),
}


class Text:
    """A text stream read in chunks: `plain` and `line` take lines from the same position."""

    def __init__(self, stream: IO[str], delimiter: str, limit: int) -> None:
        self.stream = stream
        self.delimiter = delimiter
        self.limit = limit
        """A line this long or longer is never plain: a cell of it may be over the limit."""
        self.taken = 0
        """Lines taken so far (the number of the last one)."""
        self._control = _CONTROL_IN_LINE["\t" if delimiter == "\t" else "other"]
        self._buffer = ""
        self._at = 0
        """Where the next line starts in the buffer."""
        self._ended = False
        self._chunk = _FIRST_CHUNK
        # The whole lines split from the buffer (from `_base` on, `_size` characters), the
        # next one to take, and the indexes of those that are not plain, in order.
        self._lines: list[str] = []
        self._base = 0
        self._size = 0
        self._next = 0
        self._stops: list[int] = []
        self._stop = 0
        self._ends: list[int] | None = None

    def plain(self) -> tuple[int, list[list[str]]] | None:
        """The plain lines from here (see the module), as (number of the first, their cells),
        or None when the next line is not plain or there is none."""
        if self._next >= len(self._lines) and not self._load():
            return None
        stops, start = self._stops, self._next
        while self._stop < len(stops) and stops[self._stop] < start:
            self._stop += 1
        end = stops[self._stop] if self._stop < len(stops) else len(self._lines)
        if end <= start:
            return None
        run = self._lines[start:end] if start or end < len(self._lines) else self._lines
        self._take(end)
        first = self.taken + 1
        self.taken += len(run)
        return first, list(map(str.split, run, repeat(self.delimiter)))

    def line(self) -> tuple[int, str] | None:
        """The next line and its number, with its line break, or None at the end."""
        if self._next < len(self._lines):
            start = self._at
            self._take(self._next + 1)
            self.taken += 1
            return self.taken, self._buffer[start : self._at]
        pieces: list[str] = []
        while True:
            found = _BREAK.search(self._buffer, self._at)
            if found is not None:
                pieces.append(self._buffer[self._at : found.end()])
                self._at = found.end()
                break
            pieces.append(self._buffer[self._at :])
            self._buffer, self._at = "", 0
            if not self._more():
                break
        line = "".join(pieces)
        if not line:
            return None
        self.taken += 1
        return self.taken, line

    def _take(self, index: int) -> None:
        """Move on to the split line `index` (past the last one: to the end of them)."""
        self._next = index
        if index == len(self._lines):
            self._at = self._base + self._size
            return
        if self._ends is None:
            text = self._buffer[self._base : self._base + self._size]
            self._ends = list(accumulate(map(len, text.splitlines(True))))
        self._at = self._base + (self._ends[index - 1] if index else 0)

    def _load(self) -> bool:
        """Split the whole lines from here (reading on when there are none); False when there
        is no line to split: the end, a line too long to be plain, or one holding one of the
        other line breaks of str.splitlines (`line` takes those)."""
        end = self._whole()
        at = self._at
        body = self._buffer[at:end]
        lines = body.splitlines()
        if lines and not _split_at_breaks_only(body, len(lines)):
            found = _OTHER_BREAK.search(body)
            assert found is not None
            body = body[: _line_start(body, found.start())]
            lines = body.splitlines()
        self._lines, self._base, self._size = lines, at, len(body)
        self._next, self._ends, self._stop = 0, None, 0
        self._stops = self._not_plain(body, lines) if lines else []
        return bool(lines)

    def _not_plain(self, body: str, lines: list[str]) -> list[int]:
        """The indexes of `lines` (split from `body`) that are not plain, in order."""
        stops: set[int] = set()
        quote = body.find('"')
        if quote >= 0:
            ends = self._ends = list(accumulate(map(len, body.splitlines(True))))
            while quote >= 0:
                index = bisect_right(ends, quote)
                stops.add(index)
                quote = body.find('"', ends[index])
        bare = lines
        if self.delimiter == "\t":  # the delimiter is no control character in a line
            bare = list(map(str.replace, lines, repeat("\t"), repeat("")))
        printable = list(map(str.isprintable, bare))
        if not all(printable):
            unprintable = compress(range(len(lines)), map(not_, printable))
            stops.update(n for n in unprintable if self._control.search(lines[n]))
        if len(body) >= self.limit and max(map(len, lines)) >= self.limit:
            stops.update(n for n, line in enumerate(lines) if len(line) >= self.limit)
        return sorted(stops)

    def _whole(self) -> int:
        """Where the whole lines in the buffer end, reading on when it holds none."""
        while True:
            buffer, at = self._buffer, self._at
            if self._ended:
                return len(buffer)  # the last line needs no line break
            end = max(buffer.rfind("\n", at), buffer.rfind("\r", at)) + 1
            if end > at:
                return end
            if len(buffer) - at >= self.limit or not self._more():
                return at if not self._ended else len(buffer)

    def _more(self) -> bool:
        """Another chunk onto the buffer (dropping what was taken); False at the end. A chunk
        never ends between the \\r and \\n of one line break."""
        if self._ended:
            return False
        chunk = self.stream.read(self._chunk)
        self._chunk = _CHUNK
        while chunk.endswith("\r"):
            following = self.stream.read(1)
            chunk += following
            if not following:
                break
        if not chunk:
            self._ended = True
            return False
        self._buffer = self._buffer[self._at :] + chunk
        self._at = 0
        self._lines, self._next, self._base, self._size = [], 0, 0, 0
        return True


def _split_at_breaks_only(body: str, parts: int) -> bool:
    """Whether str.splitlines made `parts` of `body` at \\n, \\r\\n and \\r alone."""
    if body[-1] in _OTHER_BREAKS:
        return False
    breaks = body.count("\n")
    if "\r" in body:
        breaks += body.count("\r") - body.count("\r\n")
    return parts == breaks + (not body.endswith(("\n", "\r")))


def _line_start(text: str, at: int) -> int:
    """Where the line holding the character at `at` starts."""
    return max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
