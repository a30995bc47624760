"""Whole-register jobs in two passes, in flat memory: `due` (JSON, CSV, --by-holder), `check`
and `summary` over large registers.

Pass one reads the registers with no repeat check and keeps compact keys of each certificate
(keys.py: 48 bytes a certificate; firstpass.py keys a plain row from its cells); the repeats, number clashes, successors and overlaps are
decided from them. Pass two reads the registers again (Register.reread): the repeat check
remembers only the numbers pass one found repeated or clashing (repeats.Watched: any other
number is met once, or its rows neither repeat nor clash), and each certificate is scheduled
with what pass one decided (its successor), its items rendered into an external sort
(sorted_out.py), then dropped. Outputs and counts are exactly those of the jobs that hold
every certificate (jobs.select_items, check_registers, summarize_register); the registers
read twice are the ones `large` names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from renewal_cli import workdays
from renewal_cli.crosscheck import date_checks
from renewal_cli.firstpass import Chosen, keyed_register
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
from renewal_cli.models import Certificate, Problem, ProblemCode, Scheme
from renewal_cli.obligations import obligations
from renewal_cli.places import guangxi
from renewal_cli.register import Register
from renewal_cli.repeats import Watched
from renewal_cli.request import Request
from renewal_cli.rules import _item_test
from renewal_cli.sorted_out import Checked, Holders, Items, Names, Sink
from renewal_cli.yearend import SummaryBy, SummaryRow, Tally

TWO_PASSES_FROM_BYTES = 4 << 20
"""Registers of this many bytes together (about 30,000 rows) are read in two passes: below
it, holding every certificate costs less than reading twice (and a workbook, whose reader
holds its sheet anyway, is read once: its size counts as 0)."""
ATTEMPTS = 4
"""Runs made with new hash functions before giving up on a register that keeps colliding."""

# A successor stands in for itself in pass two: its number is put in when the output is written.
_SUCCESSOR = Certificate("", "", "", Scheme.GREEN, "", None)


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
    watches: Callable[[str], bool] = field(default=lambda _: False)
    """The numbers pass two's repeat check must remember (`remembers`)."""

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
    chosen: Chosen | None = None,
) -> First:
    """Read `registers` (each opened again) for their keys (firstpass.py: plain rows keyed
    from their cells, others read in full, with no repeat check); `chosen` tells the
    certificates the job counts from those it does not (see First.left_out)."""
    keys = Keys(hash=hash_of, overlaps=overlaps)
    outside = bytearray()
    failed = False
    for index, register in enumerate(registers):
        for problem in keyed_register(register, index, keys, outside, chosen).keyed():
            failed = failed or problem.fatal
    rows = decide_rows(keys)
    left_out = bytearray(a | b for a, b in zip(rows.dropped, outside, strict=True))
    first = First(keys, rows, failed, left_out, [r.source for r in registers])
    first.watches = first.remembers()
    return first


class Misread(Exception):
    """Pass two read other certificates than pass one: the register changed in between."""


def second_pass(
    registers: Sequence[Register],
    first: First,
    outcome: Outcome,
    verifier: Verifier,
    problems: Callable[[Problem], None] | None = None,
    summaries: bool = False,
) -> Iterator[tuple[int, Certificate]]:
    """Each certificate read again, with its index in pass one; problems go to `problems`
    (else into the outcome), counts into the outcome; with `summaries`, rows such as 合计 are
    listed as problems too. Raises Misread when the certificates are not pass one's."""
    keys, dropped = first.keys, first.rows.dropped
    put = problems or outcome.problems.append
    seen = Watched(first.watches)
    cursor, end = 0, len(keys)
    register_of, line_of = keys.register, keys.line
    for index, register in enumerate(registers):
        fresh = register.reread(frozenset(), seen)
        for entry in fresh.entries(summaries=summaries):
            if type(entry) is not Certificate:
                assert isinstance(entry, Problem)
                put(entry)
                continue
            while cursor < end and dropped[cursor]:
                cursor += 1
            if cursor == end or register_of[cursor] != index or line_of[cursor] != entry.line:
                raise Misread(register.source)
            verifier.see(cursor, entry)
            if verifier.misread:  # not the values pass one hashed
                raise Misread(register.source)
            yield cursor, entry
            cursor += 1
        outcome.parts.append((fresh.source, fresh.counts))
        outcome.failed = outcome.failed or fresh.failed
    while cursor < end and dropped[cursor]:
        cursor += 1
    if cursor != end and not outcome.failed:
        raise Misread(registers[-1].source if registers else "")


def _changed_indeed(verifier: Verifier) -> bool:
    """Whether pass two read other values than pass one (`Verifier.misread`), or other rows
    though no hash stood for two values: the register changed between the passes. (Rows
    missed because a chance collision made pass one leave them out are no change: the run is
    made again with another hash.)"""
    return verifier.misread or verifier.exact()


def _changed(outcome: Outcome, source: str) -> Outcome:
    """The outcome of a register that changed between the passes: that, and nothing else."""
    failed = Outcome(failed=True)
    failed.problems = [Problem(source=source, code=ProblemCode.CHANGED)]
    failed.parts = outcome.parts
    return failed


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
        first = first_pass(registers, hasher(attempt))
        found = lineages(first.keys, first.left_out, request.as_of.toordinal())
        later = successors_in(first.keys, found)
        outcome = Outcome()
        names = Names([] if by_holder else list(later.values()))
        sink: Sink = (Holders if by_holder else Items)(fmt, lang, raw, names)
        with Verifier(first.keys, watched(first.rows, found)) as verifier:
            first.keys.shed()
            try:
                _schedule(request, registers, first, later, sink, names, outcome, verifier)
            except Misread as misread:
                sink.close()
                if _changed_indeed(verifier):
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


def check_problems(request: Request, registers: Sequence[Register]) -> tuple[Checked, Outcome]:
    """`jobs.check_registers` in two passes: every problem, sorted externally, and the outcome
    (counts; no problem held)."""
    for attempt in range(ATTEMPTS):
        first = first_pass(registers, hasher(attempt), overlaps=True)
        groups = overlap_groups(first.keys, first.left_out)
        pairs = overlaps(first.keys, groups)
        outcome = Outcome()
        checked = Checked(first.sources)
        earlier = Names([e for _, e in pairs])
        with Verifier(first.keys, watched(first.rows, overlapping=groups)) as verifier:
            first.keys.shed()
            try:
                for index, c in second_pass(
                    registers, first, outcome, verifier, checked.read, summaries=True
                ):
                    if earlier.wants(index):
                        earlier.keep(index, c.cert_id)
                    for warning in date_checks([c], request.policy):
                        checked.across(warning, index)
            except Misread as misread:
                checked.close()
                if _changed_indeed(verifier):
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
    places = guangxi()

    def chosen(scheme: Scheme, city: str, county: str | None) -> bool:
        """Of the certificates yearend.counted counts, those in the job's scope."""
        return scope.contains(city, county) and (not schemes or scheme in schemes)

    as_of, policy = request.as_of, request.policy
    year_end = date(policy.plan_year, 12, 31)
    for attempt in range(ATTEMPTS):
        first = first_pass(registers, hasher(attempt), chosen=chosen)
        now = lineages(first.keys, first.left_out, as_of.toordinal())
        at_end = lineages(first.keys, first.left_out, year_end.toordinal())
        later_now, later_at_end = successors_in(first.keys, now), successors_in(first.keys, at_end)
        outcome = Outcome()
        tally = Tally(as_of, policy, by, cities=lambda city: scope.touches(city, places))
        left_out = first.left_out
        with Verifier(first.keys, watched(first.rows, now, at_end)) as verifier:
            first.keys.shed()
            try:
                for index, c in second_pass(registers, first, outcome, verifier):
                    if left_out[index]:
                        continue
                    successor = _SUCCESSOR if index in later_now else None
                    tally.add(c, successor, index in later_at_end)
            except Misread as misread:
                if _changed_indeed(verifier):
                    return [], _changed(outcome, str(misread))
                continue
            if not verifier.exact():
                continue
        return tally.rows(), outcome
    raise RuntimeError("hash collisions in every attempt")
