"""The rows of a register read for some places (--city, --county) that lie outside them.

Such a row is read only for its place: its place cells (city, county) and scheme cell, as
typed, are looked up among those met before, so most rows cost one dict lookup, and a run of
plain rows (sources.Rows) is judged in C, a run at a time. What a row outside keeps is a
compact key, the hash of its number with its line, so that a row outside that shares a number
with a row in scope (a repeat, a clash, a later cycle) can be found, and read in full after
all (jobs.read_certificates).

Only a place that reads cleanly and a scheme that is known count: anything else (a blank row,
a broken place, a short row) is read in full, so every problem is still reported.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter, not_

from renewal_cli.cells import PADDING, listed, number_cell
from renewal_cli.header import Header
from renewal_cli.places import Scope
from renewal_cli.rowreader import Context
from renewal_cli.rules import number_key

_BATCH = 4096


@dataclass
class Outside:
    """The rows outside `scope` of one reading of a register: which rows they are, and their
    keys (`lines` are read in full all the same)."""

    scope: Scope
    context: Context
    header: Header
    lines: frozenset[int] = frozenset()
    keys: OutsideKeys = field(init=False)
    _verdicts: dict[object, bool] = field(default_factory=dict)
    """A row's place and scheme cells as typed → whether the row lies outside."""

    def __post_init__(self) -> None:
        self.keys = OutsideKeys(self.header.quick[3], self.header.quick[4])

    def row(self, line: int, cells: list[str]) -> bool:
        """Whether the row on `line` lies outside the scope: then its keys are kept."""
        header = self.header
        if len(cells) < header.span:
            if len(cells) < header.reach:  # its place, scheme or number missing: read in full
                return False
            # A row ending early, as a workbook's rows end at their last filled cell.
            cells = cells + [""] * (header.span - len(cells))
        where = header.where(cells)
        verdict = self._verdicts.get(where)
        if verdict is None:
            verdict = self._verdicts[where] = self._judged(line, cells)
        if not verdict or line in self.lines:
            return False
        self.keys.add(line, cells)
        return True

    def inside(self, first: int, rows: list[list[str]]) -> Iterable[int]:
        """The indexes of `rows` (on consecutive lines from `first`) that are not outside the
        scope, in order; the keys of the others are kept."""
        span = self.header.span
        if min(map(len, rows)) < span:  # a short row among them: each judged alone
            return [n for n, cells in enumerate(rows) if not self.row(first + n, cells)]
        verdicts = list(map(self._verdicts.get, map(self.header.where, rows)))
        if None in verdicts:  # a place met for the first time
            wheres = list(map(self.header.where, rows))
            for n, verdict in enumerate(verdicts):
                if verdict is None:
                    where = wheres[n]
                    if where not in self._verdicts:
                        self._verdicts[where] = self._judged(first + n, rows[n])
                    verdicts[n] = self._verdicts[where]
        for line in self.lines:  # rows outside read in full all the same
            if 0 <= line - first < len(rows):
                verdicts[line - first] = False
        lines = range(first, first + len(rows))
        self.keys.add_rows(list(compress(lines, verdicts)), list(compress(rows, verdicts)))
        return compress(range(len(rows)), map(not_, verdicts))

    def _judged(self, line: int, cells: list[str]) -> bool:
        """Whether a row's place reads cleanly and lies outside the scope, and its scheme is
        known (the cells `header.where` gives)."""
        fields = self.header.cells_of(cells)
        if self.context.scheme(fields["scheme"]) is None:
            return False
        place = self.context.place_of(line, fields, self.header)
        return place is not None and not self.scope.contains(place[0], place[1])


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

    number_at: int
    """The column of the number (证书编号)."""
    alternate_at: int = -1
    """The column of 产品编号 beside a GF code under 证书编号, or -1."""
    numbers: array[int] = field(default_factory=lambda: array("q"))
    lines: array[int] = field(default_factory=lambda: array("i"))
    rows: int = 0
    """Rows keyed (a row listing several numbers counts once)."""
    _pending: list[tuple[int, list[str]]] = field(default_factory=list)

    def add(self, line: int, cells: list[str]) -> None:
        """Keep a row's keys (its cells reach every column of the header)."""
        self._pending.append((line, cells))
        if len(self._pending) >= _BATCH:
            self.flush()

    def add_rows(self, lines: list[int], rows: list[list[str]]) -> None:
        """Keep the keys of rows (on `lines`) at once."""
        if rows:
            self._key(lines, rows)

    def flush(self) -> None:
        """Key the rows added one at a time."""
        if self._pending:
            pending, self._pending = self._pending, []
            self._key([line for line, _ in pending], [cells for _, cells in pending])

    def matching(self, numbers: set[int]) -> frozenset[int]:
        """The lines of the rows whose number hashes like one of `numbers`."""
        self.flush()
        return frozenset(compress(self.lines, map(numbers.__contains__, self.numbers)))

    def _key(self, lines: list[int], rows: list[list[str]]) -> None:
        self.rows += len(rows)
        numbers = list(map(itemgetter(self.number_at), rows))
        if self.alternate_at >= 0:
            alternates = map(itemgetter(self.alternate_at), rows)
            numbers = list(map(_number_of, numbers, alternates))
        joined = "\n".join(numbers)
        bare = joined.replace("\n", "").replace("-", "")
        if bare.isascii() and bare.isalnum():
            # Every number folded at once: number_key of an ASCII number without spaces.
            self.numbers.extend(map(hash, joined.replace("-", "").lower().split("\n")))
            self.lines.extend(lines)
            return
        for line, number in zip(lines, numbers, strict=True):
            for key in _number_keys(number):
                self.numbers.append(hash(key))
                self.lines.append(line)


def _number_of(number: str, alternate: str) -> str:
    """The number of a row with both 证书编号 and 产品编号 columns, as number_cell chooses it."""
    return number_cell({"cert_id": number.strip(PADDING), "cert_id_alt": alternate.strip(PADDING)})


def _number_keys(cell: str) -> list[str]:
    """rules.number_key of each number a cell lists (one key, "" for an empty cell)."""
    return [number_key(n) for n in listed(cell)] or [""]
