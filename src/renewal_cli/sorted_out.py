"""What the two-pass jobs (twopass.py) write, sorted externally (spill.py) as pass two makes
it: `due`'s items, `due --by-holder`'s holders and `check`'s problems.

Pass two meets the certificates in file order; the outputs are in another order (file-by day,
place, number …). Each item is rendered as it is made (JSON text, or CSV cells for the one CSV
writer, output/csvwriter.py), put into the sort with its sort key as bytes, and dropped; the
output is written from the sort. An item superseded by a certificate that pass two meets only
later is rendered with an empty superseded_by, and the number goes in when the sorted output
is written (`Names` keeps the successors' numbers meanwhile, a few bytes each).
"""

from __future__ import annotations

import bisect
import json
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import replace
from itertools import count
from json.encoder import encode_basestring

from renewal_cli.holders import Holder
from renewal_cli.messages import Lang
from renewal_cli.models import Problem, ProblemCode, ScheduleItem, Severity, Status
from renewal_cli.output.csvfile import csv_cells, neutralise
from renewal_cli.output.jsonfile import json_line
from renewal_cli.rules import holder_of, order_key
from renewal_cli.spill import Spill

BOUND = 8_000
"""Records held in memory before a sorted run is spilled to disk: a rendered item is about a
kilobyte as Python text, so about 10 MB (a --by-holder record, an item object, takes half)."""
_NONE = 9_999_999_999
_SUPERSEDED_AT = 17  # models.RECORD_KEYS.index("superseded_by")
_JSON_EMPTY = '"superseded_by": ""'


class Names:
    """The numbers (as typed) of the certificates that supersede others, by index: sorted
    indexes, and the numbers' UTF-8 in one buffer (a few bytes each, not a string object)."""

    def __init__(self, indexes: Sequence[int]) -> None:
        self.indexes = array("i", sorted(set(indexes)))
        self.ends = array("i", [0] * len(self.indexes))
        self.text = bytearray()
        self._at = 0
        """Where the indexes from the last one asked for on start (`wants`)."""

    def wants(self, index: int) -> bool:
        """Whether the number of certificate `index` is kept (asked in ascending order: pass
        two asks for every certificate, so it walks the indexes rather than bisect them)."""
        at, indexes = self._at, self.indexes
        if at < len(indexes) and indexes[at] < index:
            at = self._at = bisect.bisect_left(indexes, index, at)
        return at < len(indexes) and indexes[at] == index

    def keep(self, index: int, name: str) -> None:
        """The number of certificate `index` (the indexes come in ascending order)."""
        at = bisect.bisect_left(self.indexes, index)
        self.text += name.encode("utf-8", "surrogatepass")
        self.ends[at] = len(self.text)

    def __getitem__(self, index: int) -> str:
        at = bisect.bisect_left(self.indexes, index)
        start = self.ends[at - 1] if at else 0
        return self.text[start : self.ends[at]].decode("utf-8", "surrogatepass")


def sort_key(parts: Sequence[str]) -> str:
    """Texts as one text that sorts as the tuple of them does: each ended by U+0000 (below
    every other character), U+0000 and U+0001 in a part escaped (cells never hold them:
    sources.clean_cell removes control characters)."""
    joined = "\x00".join(parts) + "\x00"
    if "\x01" in joined or joined.count("\x00") != len(parts):
        escaped = (p.replace("\x01", "\x01\x02").replace("\x00", "\x01\x01") for p in parts)
        joined = "\x00".join(escaped) + "\x00"
    return joined


def _packed(cells: list[str]) -> str:
    """A row's cells as one text: joined by U+0000 (cells never hold it), or as JSON when one
    does after all."""
    if any("\x00" in cell for cell in cells):
        return "1" + json.dumps(cells)
    return "0" + "\x00".join(cells)


def _unpacked_cells(packed: str) -> list[str]:
    if packed[0] == "1":
        cells: list[str] = json.loads(packed[1:])
        return cells
    return packed[1:].split("\x00")


class Tallied:
    """What is known of the items written but not held: how many, their statuses, the years
    of their file-by days."""

    def __init__(self) -> None:
        self.count = 0
        self.statuses: set[Status] = set()
        self.years: set[int] = set()

    def tally(self, item: ScheduleItem) -> None:
        self.count += 1
        self.statuses.add(item.status)
        self.years.add(item.file_by.year)


Record = tuple[str, int, int, "bytes | str"]
"""A sort record of an item: its key (unique: it ends with a sequence number, so the sort
never compares further), the successor's index (_NONE for none), where its number goes in the
payload, and the payload: JSON as UTF-8 (a third the size of its text in memory and in the
runs, and pickled without encoding it again), or packed CSV cells."""


class Items(Tallied):
    """The items of a `due` run in the order `due` lists them (rules.order_key): JSON text
    (`texts`) or CSV cells (`rows`)."""

    def __init__(self, fmt: str, lang: Lang, raw: bool, names: Names) -> None:
        super().__init__()
        self.fmt, self.lang, self.raw, self.names = fmt, lang, raw, names
        self.spill: Spill[Record] = Spill(BOUND)
        self.seq = count()

    def add(self, item: ScheduleItem, successor: int | None) -> None:
        """An item, and the index of the certificate that supersedes its certificate."""
        named = successor is not None and item.superseded_by == ""
        split = 0
        payload: bytes | str
        if self.fmt == "json":
            text = json_line(item)
            if named:  # the empty value cut out; the number goes there
                split = text.index(_JSON_EMPTY) + len(_JSON_EMPTY) - 2
                text = text[:split] + text[split + 2 :]
            payload = text.encode("utf-8", "surrogatepass")
        else:
            payload = _packed(csv_cells(item, self.lang, raw=self.raw))
        day, city, county, number, kind, holder = order_key(item)
        # The key of rules.order_key: the day (7 digits hold every ordinal), the texts, the
        # kind as one character between the number and the holder, then the sequence.
        key = f"{day:07d}{sort_key((city, county, number, chr(0x20 + kind) + holder))}"
        key += f"{next(self.seq):012d}"
        at = _NONE if not named or successor is None else successor
        self.spill.add((key, at, split, payload))
        self.tally(item)

    def texts(self) -> Iterator[str]:
        """Each item's JSON object, in order, its successor's number put in."""
        names = self.names
        for _, successor, split, payload in self.spill.sorted():
            assert isinstance(payload, bytes)
            text = payload.decode("utf-8", "surrogatepass")
            if successor != _NONE:
                text = text[:split] + encode_basestring(names[successor]) + text[split:]
            yield text

    def rows(self) -> Iterator[list[str]]:
        """Each item's CSV cells, in order, its successor's number put in."""
        names = self.names
        for _, successor, _, payload in self.spill.sorted():
            assert isinstance(payload, str)
            cells = _unpacked_cells(payload)
            if successor != _NONE:
                number = names[successor]
                cells[_SUPERSEDED_AT] = number if self.raw else neutralise(number)
            yield cells

    def close(self) -> None:
        self.spill.close()


class Holders(Tallied):
    """The items of a `due --by-holder` run grouped by holder through an external sort, and the
    holders' rows (JSON text, or CSV cells) ordered through another, as the call list orders
    them (holders.group_by_holder)."""

    def __init__(self, fmt: str, lang: Lang, raw: bool, _: Names) -> None:
        super().__init__()
        self.fmt, self.lang, self.raw = fmt, lang, raw
        self.spill: Spill[tuple[object, ...]] = Spill(BOUND // 2)
        self.ordered: Spill[tuple[object, ...]] = Spill(BOUND)
        self.seq = count()

    def add(self, item: ScheduleItem, _: int | None) -> None:
        c = item.certificate
        holder = holder_of(c.enterprise, c.city, c.county)
        self.spill.add((*holder, *order_key(item), next(self.seq), item))
        self.tally(item)

    def _ordered(self) -> Iterator[object]:
        from renewal_cli.output.holderfile import holder_cells, holder_record

        items = (record[-1] for record in self.spill.sorted())
        for n, holder in enumerate(_grouped(items)):  # type: ignore[arg-type]
            row: object
            if self.fmt == "json":
                row = json.dumps(holder_record(holder), ensure_ascii=False)
            else:
                row = [str(cell) for cell in holder_cells(holder, self.lang, self.raw)]
            self.ordered.add((holder.submit_by, holder.file_by, holder.key, n, row))
        self.spill.close()
        for record in self.ordered.sorted():
            yield record[-1]

    def texts(self) -> Iterator[str]:
        """Each holder's JSON object, in order."""
        for row in self._ordered():
            assert isinstance(row, str)
            yield row

    def rows(self) -> Iterator[list[str]]:
        """Each holder's CSV cells, in order."""
        for row in self._ordered():
            assert isinstance(row, list)
            yield row

    def close(self) -> None:
        self.spill.close()
        self.ordered.close()


def _grouped(items: Iterator[ScheduleItem]) -> Iterator[Holder]:
    """Holders of items sorted by holder, each as holders.group_by_holder makes it."""
    holder: Holder | None = None
    for item in items:
        c = item.certificate
        key = holder_of(c.enterprise, c.city, c.county)
        if holder is None or holder.key != key:
            if holder is not None:
                yield _named(holder)
            holder = Holder(name=c.enterprise, place=key[1])
        holder.items.append(item)
    if holder is not None:
        yield _named(holder)


def _named(holder: Holder) -> Holder:
    """The name as the register first writes it (file, then line)."""
    holder.name = min(holder.certificates, key=lambda c: (c.source, c.line)).enterprise
    return holder


Sink = Items | Holders


class Checked:
    """`renewal check`'s problems in the order it lists them: by register (as
    jobs.check_registers orders them) and line; on a line, the problems of reading in the
    order read, then the checks across certificates by code (check.check's order)."""

    def __init__(self, sources: Sequence[str]) -> None:
        self.spill: Spill[tuple[object, ...]] = Spill(BOUND)
        self.order = {source: n for n, source in enumerate(sources)}
        self.seq = count()
        self.errors = False
        """Whether a problem is an error (the exit code)."""

    @property
    def count(self) -> int:
        return self.spill.count

    def read(self, problem: Problem) -> None:
        """A problem of reading: a number clash is an error here (the register is wrong until
        one of the two numbers is put right)."""
        if problem.code is ProblemCode.NUMBER_CLASH:
            problem = replace(problem, level=Severity.ERROR)
        self.errors = self.errors or problem.severity is Severity.ERROR
        where = (self.order.get(problem.source, 0), problem.line)
        self.spill.add((*where, 0, "", "", next(self.seq), problem))

    def across(self, warning: Problem, rank: int) -> None:
        """A warning of the checks across certificates; `rank` orders those of one code on
        one line (check.check lists the overlaps first, then the date checks)."""
        where = (self.order.get(warning.source, 0), warning.line)
        code = warning.code.value
        self.spill.add((*where, 1, warning.source, code, rank, next(self.seq), warning))

    def problems(self) -> Iterator[Problem]:
        """Every problem, in order."""
        for record in self.spill.sorted():
            problem = record[-1]
            assert isinstance(problem, Problem)
            yield problem

    def close(self) -> None:
        self.spill.close()
