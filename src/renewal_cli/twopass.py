"""Whole-register jobs in two passes, in flat memory: `due --all` (JSON, CSV), `check`,
`summary` and `due --by-holder` over registers of any size.

Pass one reads the registers with no repeat check and keeps compact keys of each certificate
(keys.py: 48 bytes a certificate); the repeats, number clashes, successors and overlaps are
decided from them. Pass two reads the registers again: the register checks repeats only for
the numbers pass one found repeated or clashing (every other number is met once, or its rows
neither repeat nor clash), and each certificate is scheduled with what pass one decided (its
successor), its items rendered and put into an external sort (spill.py) as bytes, then
dropped. The sorted output is written from the sort. Outputs and counts are exactly those of
the jobs that hold every certificate (jobs.select_items, check_registers, summarize_register).

Supersession needs the successor's number, which pass two may meet after the certificate it
supersedes: the item is rendered with an empty superseded_by, and the number is put in when
the sorted output is written (successors' numbers are kept compactly meanwhile).
"""

from __future__ import annotations

import bisect
import json
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import count
from json.encoder import encode_basestring

from renewal_cli import workdays
from renewal_cli.check import date_checks
from renewal_cli.holders import Holder
from renewal_cli.jobs import Outcome
from renewal_cli.keys import (
    Hasher,
    Keys,
    Rows,
    Verifier,
    decide_rows,
    hasher,
    lineages,
    overlap_groups,
    overlaps,
    successors_in,
    watched,
)
from renewal_cli.messages import Lang
from renewal_cli.models import (
    Certificate,
    Kind,
    Problem,
    ProblemCode,
    ScheduleItem,
    Scheme,
    Severity,
    Status,
)
from renewal_cli.obligations import obligations
from renewal_cli.output.csvfile import csv_cells, neutralise
from renewal_cli.output.jsonfile import json_line
from renewal_cli.output.streamed import csv_field, csv_line
from renewal_cli.register import Register, Seen
from renewal_cli.request import Request
from renewal_cli.rules import _item_test, holder_of, order_key
from renewal_cli.spill import Spill
from renewal_cli.summary import SummaryBy, SummaryRow, Tally, counted

TWO_PASSES_FROM_BYTES = 4 << 20
"""Registers of this many bytes together (about 30,000 rows) are read in two passes: below
it, holding every certificate costs less than reading twice (and a workbook, whose reader
holds its sheet anyway, is read once: its size counts as 0)."""
BOUND = 20_000
"""Rendered items held in memory before a sorted run is spilled to disk."""
ATTEMPTS = 4
"""Runs made with new hash functions before giving up on a register that keeps colliding."""

# A successor stands in for itself in pass two: its number is put in when the output is written.
_SUCCESSOR = Certificate("", "", "", Scheme.GREEN, "", None)
_NONE = 0xFFFFFFFF
_KIND_ORDER = {kind: n for n, kind in enumerate(Kind)}


def large(registers: Sequence[Register]) -> bool:
    """Whether a whole-register job over `registers` reads them in two passes."""
    return sum(register.size for register in registers) >= TWO_PASSES_FROM_BYTES


def _never(_: str) -> bool:
    return False


@dataclass
class First:
    """What pass one found: the keys, the rows decided, and which certificates the job counts."""

    keys: Keys
    rows: Rows
    failed: bool
    left_out: bytearray
    """1 for each certificate the job leaves out of supersession (a repeat, or outside the
    job's choice: the summary's scope and schemes)."""
    sources: list[str]

    def remembers(self) -> Callable[[str], bool]:
        """The numbers pass two's repeat check must remember: those of every group of
        certificates where pass one found a repeat or a clash."""
        keys, decided = self.keys, self.rows
        numbers = keys.number
        involved = {numbers[i] for i in decided.repeats.values()}
        involved.update(numbers[earlier] for earlier, _ in decided.clashes.values())
        for start in (*decided.repeats, *decided.clashes):
            involved.add(numbers[start])
        shared = set(decided.numbers) & involved
        hash_of = keys.hash
        if not shared:
            return _never
        return lambda key: hash_of(key) in shared


def first_pass(
    registers: Sequence[Register],
    hash_of: Hasher,
    *,
    overlaps: bool = False,
    chosen: Callable[[Certificate], bool] | None = None,
    again: bool = False,
) -> First:
    """Read `registers` with no repeat check for their keys (`again`: fresh passes over
    them, when they have been read already)."""
    keys = Keys(hash=hash_of, overlaps=overlaps)
    outside = bytearray()
    failed = False
    seen: Seen = {}
    for index, register in enumerate(registers):
        if again:
            register = register.anew(seen, _never)
        else:
            register.remember_only(_never)
        for entry in register:
            if type(entry) is Certificate:
                keys.add(index, entry)
                outside.append(chosen is not None and not chosen(entry))
            else:
                assert isinstance(entry, Problem)
                failed = failed or entry.fatal
    rows = decide_rows(keys)
    left_out = bytearray(a | b for a, b in zip(rows.dropped, outside, strict=True))
    return First(keys, rows, failed, left_out, [r.source for r in registers])


class Misread(Exception):
    """Pass two read other certificates than pass one: the register changed in between."""


def second_pass(
    registers: Sequence[Register],
    first: First,
    outcome: Outcome,
    verifier: Verifier,
    problems: Callable[[Problem], None] | None = None,
) -> Iterator[tuple[int, Certificate]]:
    """Each certificate read again, with its index in pass one; problems go to `problems`
    (else into the outcome), counts into the outcome. Raises Misread when the certificates are
    not pass one's."""
    keys, dropped = first.keys, first.rows.dropped
    put = problems or outcome.problems.append
    seen: Seen = {}
    remembers = first.remembers()
    cursor, end = 0, len(keys)
    register_of, line_of = keys.register, keys.line
    for index, register in enumerate(registers):
        fresh = register.anew(seen, remembers)
        for entry in fresh:
            if type(entry) is not Certificate:
                assert isinstance(entry, Problem)
                put(entry)
                continue
            while cursor < end and dropped[cursor]:
                cursor += 1
            if cursor == end or register_of[cursor] != index or line_of[cursor] != entry.line:
                raise Misread(register.source)
            verifier.see(cursor, entry)
            yield cursor, entry
            cursor += 1
        outcome.parts.append((fresh.source, fresh.counts))
        outcome.failed = outcome.failed or fresh.failed
    while cursor < end and dropped[cursor]:
        cursor += 1
    if cursor != end and not outcome.failed:
        raise Misread(registers[-1].source if registers else "")


def _changed(outcome: Outcome, source: str) -> Outcome:
    """The outcome of a register that changed between the passes: that, and nothing else."""
    failed = Outcome(failed=True)
    failed.problems = [Problem(source=source, code=ProblemCode.CHANGED)]
    failed.parts = outcome.parts
    return failed


class Names:
    """The numbers (as typed) of the certificates that supersede others, by index: sorted
    indexes, and the numbers' UTF-8 in one buffer (a few bytes each, not a string object)."""

    def __init__(self, indexes: Sequence[int]) -> None:
        self.indexes = array("i", sorted(set(indexes)))
        self.ends = array("i", [0] * len(self.indexes))
        self.text = bytearray()

    def wants(self, index: int) -> bool:
        at = bisect.bisect_left(self.indexes, index)
        return at < len(self.indexes) and self.indexes[at] == index

    def keep(self, index: int, name: str) -> None:
        at = bisect.bisect_left(self.indexes, index)
        self.text += name.encode("utf-8", "surrogatepass")
        self.ends[at] = len(self.text)

    def __getitem__(self, index: int) -> str:
        at = bisect.bisect_left(self.indexes, index)
        start = self.ends[at - 1] if at else 0
        return self.text[start : self.ends[at]].decode("utf-8", "surrogatepass")


def _key(parts: Sequence[str]) -> bytes:
    """Texts as bytes that sort as the tuple of them does: each in UTF-8 (code point order),
    0x00 and 0x01 escaped, ended by 0x00."""
    out = bytearray()
    for part in parts:
        raw = part.encode("utf-8", "surrogatepass")
        if b"\x00" in raw or b"\x01" in raw:
            raw = raw.replace(b"\x01", b"\x01\x02").replace(b"\x00", b"\x01\x01")
        out += raw
        out += b"\x00"
    return bytes(out)


def _record(key: bytes, successor: int, split: int, payload: bytes) -> bytes:
    """A sort record: its key (unique), the successor's index and where its number goes in the
    payload, the payload, and the key's length last."""
    return b"".join(
        (
            key,
            successor.to_bytes(4, "big"),
            split.to_bytes(4, "big"),
            payload,
            len(key).to_bytes(4, "big"),
        )
    )


def _unpacked(record: bytes) -> tuple[int, int, bytes]:
    size = int.from_bytes(record[-4:], "big")
    successor = int.from_bytes(record[size : size + 4], "big")
    split = int.from_bytes(record[size + 4 : size + 8], "big")
    return successor, split, record[size + 8 : -4]


class Items:
    """The items of a `due` run, rendered (`fmt` "json" or "csv") into an external sort in
    the order `due` lists them, and what is known of them."""

    def __init__(self, fmt: str, lang: Lang, raw: bool, names: Names) -> None:
        self.fmt, self.lang, self.raw, self.names = fmt, lang, raw, names
        self.spill: Spill[bytes] = Spill(BOUND)
        self.seq = count()
        self.count = 0
        self.statuses: set[Status] = set()
        self.years: set[int] = set()

    def add(self, item: ScheduleItem, successor: int | None) -> None:
        """An item, and the index of the certificate that supersedes its certificate."""
        if self.fmt == "json":
            payload, split = _json_piece(item)
        else:
            payload, split = _csv_piece(item, self.lang, self.raw)
        day, city, county, number, kind, holder = order_key(item)
        key = day.to_bytes(4, "big") + _key((city, county, number)) + bytes((kind,))
        key += _key((holder,)) + next(self.seq).to_bytes(5, "big")
        named = _NONE if successor is None or item.superseded_by != "" else successor
        self.spill.add(_record(key, named, split, payload))
        self.count += 1
        self.statuses.add(item.status)
        self.years.add(item.file_by.year)

    def patch(self, name: str) -> bytes:
        """A successor's number as its cell or value is written."""
        if self.fmt == "json":
            text = encode_basestring(name)
        else:
            text = csv_field(name if self.raw else neutralise(name))
        return text.encode("utf-8", "surrogatepass")

    def texts(self) -> Iterator[str]:
        """Each item's rendered text, in order, its successor's number put in."""
        names = self.names
        for record in self.spill.sorted():
            successor, split, payload = _unpacked(record)
            if successor != _NONE:
                payload = payload[:split] + self.patch(names[successor]) + payload[split:]
            yield payload.decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self.spill.close()


class Holders:
    """The items of a `due --by-holder` run, grouped by holder through an external sort, and
    each holder's row (`fmt` "json" or "csv") sorted through another, as the call list
    orders them (holders.group_by_holder)."""

    def __init__(self, fmt: str, lang: Lang, raw: bool, _: Names) -> None:
        self.fmt, self.lang, self.raw = fmt, lang, raw
        self.spill: Spill[tuple[object, ...]] = Spill(BOUND)
        self.rows: Spill[tuple[object, ...]] = Spill(BOUND)
        self.seq = count()
        self.count = 0
        self.statuses: set[Status] = set()
        self.years: set[int] = set()

    def add(self, item: ScheduleItem, _: int | None) -> None:
        c = item.certificate
        self.spill.add(
            (*holder_of(c.enterprise, c.city, c.county), *order_key(item), next(self.seq), item)
        )
        self.count += 1
        self.statuses.add(item.status)
        self.years.add(item.file_by.year)

    def texts(self) -> Iterator[str]:
        """Each holder's row, in order."""
        from renewal_cli.output.holderfile import holder_cells, holder_record

        items = (record[-1] for record in self.spill.sorted())
        for n, holder in enumerate(_grouped(items)):  # type: ignore[arg-type]
            if self.fmt == "json":
                text = json.dumps(holder_record(holder), ensure_ascii=False)
            else:
                text = csv_line(str(cell) for cell in holder_cells(holder, self.lang, self.raw))
            self.rows.add((holder.submit_by, holder.file_by, holder.key, n, text))
        self.spill.close()
        for row in self.rows.sorted():
            written = row[-1]
            assert isinstance(written, str)
            yield written

    def close(self) -> None:
        self.spill.close()
        self.rows.close()


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


_JSON_EMPTY = b'"superseded_by": ""'


def _json_piece(item: ScheduleItem) -> tuple[bytes, int]:
    """An item's JSON object, and where its successor's number goes (an empty superseded_by
    is cut out)."""
    data = json_line(item).encode("utf-8", "surrogatepass")
    if item.superseded_by != "":
        return data, 0
    at = data.index(_JSON_EMPTY) + len(_JSON_EMPTY) - 2
    return data[:at] + data[at + 2 :], at


_SUPERSEDED_AT = 17  # models.RECORD_KEYS.index("superseded_by")


def _csv_piece(item: ScheduleItem, lang: Lang, raw: bool) -> tuple[bytes, int]:
    """An item's CSV row, and where its successor's number goes (an empty cell)."""
    cells = [csv_field(c) for c in csv_cells(item, lang, raw=raw)]
    data = (",".join(cells) + "\r\n").encode("utf-8", "surrogatepass")
    if item.superseded_by != "":
        return data, 0
    return data, len(",".join(cells[:_SUPERSEDED_AT]).encode("utf-8", "surrogatepass")) + 1


def due_items(
    request: Request,
    registers: Sequence[Register],
    *,
    fmt: str,
    lang: Lang,
    raw: bool = False,
    by_holder: bool = False,
) -> tuple[Sink | None, Outcome]:
    """`jobs.select_items` for a request with no place scope, in two passes: the selected items
    rendered (`fmt` "json" or "csv"; grouped by holder with `by_holder`) and sorted externally,
    and the outcome (problems, counts; no items held). None instead of the items when nothing
    may be output."""
    for attempt in range(ATTEMPTS):
        first = first_pass(registers, hasher(attempt), again=attempt > 0)
        found = lineages(first.keys, first.left_out, request.as_of.toordinal())
        later = successors_in(first.keys, found)
        outcome = Outcome()
        names = Names([] if by_holder else list(later.values()))
        sink: Sink = (Holders if by_holder else Items)(fmt, lang, raw, names)
        with Verifier(first.keys, watched(first.rows, found)) as verifier:
            try:
                _schedule(request, registers, first, later, sink, names, outcome, verifier)
            except Misread as misread:
                sink.close()
                if verifier.exact():
                    return None, _changed(outcome, str(misread))
                continue
            if not verifier.exact():
                sink.close()
                continue
        if outcome.blocked(request.strict):
            sink.close()
            return None, outcome
        outcome.uncovered_years = sorted(y for y in sink.years if not workdays.covered(y))
        return sink, outcome
    raise RuntimeError("hash collisions in every attempt")


def _schedule(
    request: Request,
    registers: Sequence[Register],
    first: First,
    later: dict[int, int],
    sink: Sink,
    names: Names,
    outcome: Outcome,
    verifier: Verifier,
) -> None:
    """Pass two of `due_items`: each certificate's selected items into the sink."""
    as_of, policy, selection = request.as_of, request.policy, request.selection
    test = _item_test(selection, as_of)
    in_scope, schemes = selection.scope.contains, selection.schemes
    for index, c in second_pass(registers, first, outcome, verifier):
        if names.wants(index):
            names.keep(index, c.cert_id)
        if not in_scope(c.city, c.county) or (schemes and c.scheme not in schemes):
            continue
        successor = later.get(index)
        found = obligations(c, as_of, policy, None if successor is None else _SUCCESSOR)
        for item in found if test is None else filter(test, found):
            sink.add(item, successor)


class Checked:
    """`renewal check`'s problems in an external sort, in the order it lists them: by register
    (as jobs.check_registers orders them) and line; on a line, the problems of reading in the
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


def check_problems(request: Request, registers: Sequence[Register]) -> tuple[Checked, Outcome]:
    """`jobs.check_registers` in two passes: every problem, sorted externally, and the outcome
    (counts; no problem held)."""
    for register in registers:
        register.verbose = True  # as jobs.check_registers: rows such as 合计 are listed too
    for attempt in range(ATTEMPTS):
        first = first_pass(registers, hasher(attempt), overlaps=True, again=attempt > 0)
        groups = overlap_groups(first.keys, first.left_out)
        pairs = overlaps(first.keys, groups)
        outcome = Outcome()
        checked = Checked(first.sources)
        earlier = Names([e for _, e in pairs])
        with Verifier(first.keys, watched(first.rows, overlapping=groups)) as verifier:
            try:
                for index, c in second_pass(registers, first, outcome, verifier, checked.read):
                    if earlier.wants(index):
                        earlier.keep(index, c.cert_id)
                    for warning in date_checks([c], request.policy):
                        checked.across(warning, index)
            except Misread as misread:
                checked.close()
                if verifier.exact():
                    changed = _changed(outcome, str(misread))
                    checked = Checked(first.sources)
                    for problem in changed.problems:
                        checked.read(problem)
                    return checked, changed
                continue
            if not verifier.exact():
                checked.close()
                continue
        keys = first.keys
        for n, (later, before) in enumerate(pairs):
            warning = Problem(
                source=first.sources[keys.register[later]],
                line=keys.line[later],
                code=ProblemCode.OVERLAP,
                detail={"other_line": str(keys.line[before]), "other": earlier[before]},
            )
            checked.across(warning, n - len(pairs))
        return checked, outcome
    raise RuntimeError("hash collisions in every attempt")


def summary_rows(
    request: Request, registers: Sequence[Register], by: SummaryBy
) -> tuple[list[SummaryRow], Outcome]:
    """`jobs.summarize_register` in two passes: the rows, and the outcome of reading."""
    selection = request.selection
    scope, schemes = selection.scope, selection.schemes
    from renewal_cli.places import guangxi

    places = guangxi()

    def chosen(c: Certificate) -> bool:
        return (
            scope.contains(c.city, c.county) and (not schemes or c.scheme in schemes) and counted(c)
        )

    as_of, policy = request.as_of, request.policy
    year_end = date(policy.plan_year, 12, 31)
    for attempt in range(ATTEMPTS):
        first = first_pass(registers, hasher(attempt), chosen=chosen, again=attempt > 0)
        now = lineages(first.keys, first.left_out, as_of.toordinal())
        at_end = lineages(first.keys, first.left_out, year_end.toordinal())
        later_now, later_at_end = successors_in(first.keys, now), successors_in(first.keys, at_end)
        outcome = Outcome()
        tally = Tally(as_of, policy, by, cities=lambda city: scope.touches(city, places))
        left_out = first.left_out
        with Verifier(first.keys, watched(first.rows, now, at_end)) as verifier:
            try:
                for index, c in second_pass(registers, first, outcome, verifier):
                    if left_out[index]:
                        continue
                    successor = _SUCCESSOR if index in later_now else None
                    tally.add(c, successor, index in later_at_end)
            except Misread as misread:
                if verifier.exact():
                    return [], _changed(outcome, str(misread))
                continue
            if not verifier.exact():
                continue
        return tally.rows(), outcome
    raise RuntimeError("hash collisions in every attempt")
