"""The decoded text of a CSV file, taken a line at a time or a run of plain lines at a time.

Most lines of a register need nothing but splitting at the delimiter: no quote, no control
character, nothing near the cell size limit. `Text.plain` takes every such line from where the
reading is, at once, split into cells (a million-line register is split in C, a megabyte at a
time, not line by line in Python); `Text.line` takes the next line, whatever it holds, for the
careful reading of quotes (csvfile.py). Lines end as the text's own line iteration ends them
(newline="": at \\n, \\r\\n or a lone \\r), and are numbered from 1.
"""

from __future__ import annotations

import re
from itertools import repeat
from typing import IO

from renewal_cli.sources import INLINE_CONTROL

_FIRST_CHUNK = 1 << 16
"""Characters read first: a register's header is found in them without decoding a megabyte."""
_CHUNK = 1 << 20
_BREAK = re.compile(r"\r\n?|\n")
# What keeps a line out of a run of plain lines: a quote, or a control character other than
# the line breaks (a tab too, unless it is the delimiter; what str.splitlines splits at besides
# \r and \n is among them, so the run splits as the text's line iteration does).
_NOT_PLAIN = {
    "\t": re.compile(f'["{INLINE_CONTROL}]'),
    "other": re.compile(f'["\t{INLINE_CONTROL}]'),
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
        self._not_plain = _NOT_PLAIN["\t" if delimiter == "\t" else "other"]
        self._buffer = ""
        self._at = 0
        self._ended = False
        self._chunk = _FIRST_CHUNK

    def plain(self) -> tuple[int, list[list[str]]] | None:
        """The plain lines from here (see the module), as (number of the first, their cells),
        or None when the next line is not plain or there is none."""
        end = self._whole()
        buffer, at = self._buffer, self._at
        if end <= at:
            return None
        found = self._not_plain.search(buffer, at, end)
        if found is not None:
            start = found.start()
            end = max(buffer.rfind("\n", at, start), buffer.rfind("\r", at, start)) + 1
            if end <= at:
                return None
        body = buffer[at:end]
        lines = body.splitlines()
        if len(body) >= self.limit and max(map(len, lines)) >= self.limit:
            lines = self._short(body)
            if not lines:
                return None
            end = at + sum(map(len, body.splitlines(True)[: len(lines)]))
        self._at = end
        first = self.taken + 1
        self.taken += len(lines)
        return first, list(map(str.split, lines, repeat(self.delimiter)))

    def line(self) -> tuple[int, str] | None:
        """The next line and its number, with its line break, or None at the end."""
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

    def _short(self, body: str) -> list[str]:
        """The lines of `body` before the first one at or over the limit."""
        lines = body.splitlines()
        for index, line in enumerate(lines):
            if len(line) >= self.limit:
                return lines[:index]
        return lines

    def _whole(self) -> int:
        """Where the whole lines in the buffer end, reading on when it holds none."""
        while True:
            buffer, at = self._buffer, self._at
            end = max(buffer.rfind("\n", at), buffer.rfind("\r", at)) + 1
            if self._ended and at < len(buffer):
                return len(buffer)  # the last line, without a line break
            if end > at:
                return end
            if len(buffer) - at >= self.limit or not self._more():
                return at  # a line too long to be plain, or the end

    def _more(self) -> bool:
        """Another chunk onto the buffer (dropping what was taken); False at the end. A chunk
        never ends between the \\r and \\n of one line break."""
        if self._ended:
            return False
        chunk = self.stream.read(self._chunk)
        self._chunk = _CHUNK
        if chunk.endswith("\r"):
            chunk += self.stream.read(1)
        if not chunk:
            self._ended = True
            return False
        self._buffer = self._buffer[self._at :] + chunk
        self._at = 0
        return True
