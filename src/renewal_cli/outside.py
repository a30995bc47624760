"""The rows of a register read for some places (--city, --county) that lie outside them.

Such a row is read only for its place; what it keeps is a compact key, the hash of its number
with its line, so that a row outside that shares a number with a row in scope (a repeat, a
clash, a later cycle) can be found and read in full after all.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

from renewal_cli.cells import PADDING, listed, number_cell
from renewal_cli.rules import number_key

_BATCH = 4096


@dataclass
class OutsideKeys:
    """Compact keys of the rows outside the scope: a hash of the number, with the row's line:
    12 bytes a row (a row listing several numbers has one entry each). A hash shared by chance
    only costs a second look at a row.

    The number is all a row outside needs: it can repeat a row in scope, clash with one or be
    its later cycle only through the number, since the other way to a later cycle (the same
    holder and product) needs the same holder, a name in the same place (rules.holder_of),
    and no place is both in the scope and outside it.

    Rows are keyed in batches: the test that lets a batch skip the full folding (ASCII
    numbers without spaces, the usual case) runs once on the whole batch.
    """

    numbers: array[int] = field(default_factory=lambda: array("q"))
    lines: array[int] = field(default_factory=lambda: array("i"))
    quick: tuple[int, ...] = ()
    rows: int = 0
    """Rows keyed (a row listing several numbers counts once)."""
    pending: list[tuple[int, list[str]]] = field(default_factory=list)
    """(line, cells) of rows not keyed yet: filled here and by the CSV source (sources.Aside)."""

    def add(self, line: int, cells: list[str]) -> None:
        """Keep a row's keys (its cells reach every column of the header)."""
        self.pending.append((line, cells))
        if len(self.pending) >= _BATCH:
            self.flush()

    def __len__(self) -> int:
        return len(self.lines) + len(self.pending)

    def flush(self) -> None:
        rows = list(self.pending)
        self.pending.clear()  # in place: the CSV source appends to this very list
        if not rows:
            return
        self.rows += len(rows)
        number_at, alt_at = self.quick[3:5]
        numbers = [cells[number_at] for _, cells in rows]
        if alt_at >= 0:
            numbers = [_number_of(cells[number_at], cells[alt_at]) for _, cells in rows]
        joined = "\n".join(numbers)
        bare = joined.replace("\n", "").replace("-", "")
        if bare.isascii() and bare.isalnum():
            # Every number folded at once: number_key of an ASCII number without spaces.
            self.numbers.extend(map(hash, joined.replace("-", "").lower().split("\n")))
            self.lines.extend([line for line, _ in rows])
            return
        for (line, _), number in zip(rows, numbers, strict=True):
            for key in _number_keys(number):
                self.numbers.append(hash(key))
                self.lines.append(line)

    def forget(self) -> None:
        """In a second process reading the rest of the file (sources.Kept): start empty, the
        first process keeps what it has."""
        self.pending.clear()  # in place: the CSV source appends to this very list
        self.numbers, self.lines = array("q"), array("i")
        self.rows = 0

    def export(self) -> tuple[int, bytes, bytes]:
        """The keys made, as bytes (sent from a second process to the first)."""
        self.flush()
        return self.rows, self.numbers.tobytes(), self.lines.tobytes()

    def absorb(self, exported: tuple[int, bytes, bytes]) -> None:
        """Add the keys another process made (`export`)."""
        rows, numbers, lines = exported
        self.rows += rows
        self.numbers.frombytes(numbers)
        self.lines.frombytes(lines)

    def matching(self, numbers: set[int]) -> list[tuple[int, int]]:
        """(line, number hash) of the rows whose number hashes like one of `numbers`."""
        self.flush()
        return [
            (line, number)
            for number, line in zip(self.numbers, self.lines, strict=True)
            if number in numbers
        ]


def _number_of(number: str, alternate: str) -> str:
    """The number of a row with both 证书编号 and 产品编号 columns, as number_cell chooses it."""
    return number_cell({"cert_id": number.strip(PADDING), "cert_id_alt": alternate.strip(PADDING)})


def _number_keys(cell: str) -> list[str]:
    """rules.number_key of each number a cell lists (one key, "" for an empty cell)."""
    return [number_key(n) for n in listed(cell)] or [""]
