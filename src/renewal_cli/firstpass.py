"""Pass one of a whole-register job (twopass.py): each certificate's keys, read cheaply.

Pass one needs only what keys.py keeps of a certificate (its number, holder, product, kind,
place, dates and line), and whether the reading failed; pass two reads every row again in full
and reports every problem. So a plain row (one ASCII number; holder, product, a known scheme
and a place met before; one date in each date cell; nothing in the cells whose reading is more
than a lookup; no extra cell) goes straight from its cells into the keys: no Certificate, no
RowReader, no problem objects. Any other row is read in full, by the register's own reading, and
its certificates keyed: the keys are exactly those of the full reading, row for row.

`KeyedRegister` is a Register whose runs of rows key their plain rows; everything else (the
header, blank and summary rows, merged cells, rows read one at a time, problems of the source)
is the register's own. It relies on the register's reading of a row (`_data`), its runs
(`_rows`, `_row`) and the last data row it keeps for merged cells (`_previous`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields
from datetime import date
from operator import itemgetter

from renewal_cli.cells import PADDING
from renewal_cli.header import Header
from renewal_cli.keys import Keys
from renewal_cli.models import Certificate, Problem, Scheme
from renewal_cli.places import clean
from renewal_cli.register import SUMMARY_WORDS, Register
from renewal_cli.repeats import Watched
from renewal_cli.rowreader import OTHER_DATES, Context
from renewal_cli.sources import NEW_ROW, Row, Rows
from renewal_cli.summary import counted

Chosen = Callable[[Scheme, str, "str | None"], bool]
"""Whether the job counts a certificate (one summary.counted counts) of this scheme and place:
the summary's scope."""

# The cells a plain row is keyed from, in this order; a header lacking one keys no row plainly.
KEYED = ("cert_id", "enterprise", "product", "scheme", "city", "county", "issued_on", "expires_on")
# Cells that must be empty in a plain row: their reading is more than a lookup.
SPECIAL = ("validity", "cert_id_alt", *OTHER_DATES)


def _never(_: str) -> bool:
    return False


class KeyedRegister(Register):
    """A register read for pass one's keys (see the module's docstring): `keyed` keys every
    certificate into `keys` (as register `index`) and yields the problems only."""

    keys: Keys
    index: int
    chosen: Chosen | None
    left_out: bytearray
    """1 for each certificate keyed that `chosen` leaves out (see twopass.First.left_out)."""
    _keyed_take: Callable[[list[str]], tuple[str, ...]] | None = None
    _keyed_plan: tuple[Header, int, int, int, int, int, tuple[int, ...]] | None = None
    _keyed_last: list[str] | None = None
    """The cells of the last row keyed plainly, while the register's `_previous` lags."""
    _keyed_years: dict[Scheme, int]

    def keyed(self) -> Iterator[Problem]:
        """The register read: its certificates keyed, its problems yielded."""
        keys, index, chosen, left_out = self.keys, self.index, self.chosen, self.left_out
        for entry in self.entries():
            if type(entry) is not Certificate:
                assert isinstance(entry, Problem)
                yield entry
                continue
            keys.add(index, entry)
            left_out.append(
                chosen is not None
                and not (counted(entry) and chosen(entry.scheme, entry.city, entry.county))
            )

    def _rows(
        self, block: Rows, header: Header, context: Context
    ) -> Iterator[Certificate | Problem]:
        if self._keyed_plan is None:
            self._keyed_planned(header)
        first, rows = block
        plain = self._key_plain
        for n, cells in enumerate(rows):
            line = first + n
            if self._run is None and plain(context, line, cells):
                continue
            yield from self._row(NEW_ROW((line, line, cells)), header, context)

    def _row(self, row: Row, header: Header, context: Context) -> Iterator[Certificate | Problem]:
        if self._keyed_last is not None:  # the register compares a row with the last one
            self._previous = header.cells_of(self._keyed_last)
            self._keyed_last = None
        yield from super()._row(row, header, context)

    def _keyed_planned(self, header: Header) -> None:
        positions = header.positions
        # A workbook's date cells may be Excel serials, which only the full reading reads.
        if all(name in positions for name in KEYED) and getattr(self.rows, "numeric", None) is None:
            self._keyed_take = itemgetter(*(positions[name] for name in KEYED))
        self._keyed_plan = (
            header,
            header.span,
            len(header.labels),
            positions.get("filed_on", -1),
            positions.get("grade", -1),
            positions.get("base", -1),
            tuple(positions[name] for name in SPECIAL if name in positions),
        )
        self._keyed_years = {}

    def _key_plain(self, context: Context, line: int, cells: list[str]) -> bool:
        """Key a plain row, counted as the register counts a data row; False (and nothing
        done) when the row is not plain."""
        take, plan = self._keyed_take, self._keyed_plan
        if take is None or plan is None:
            return False
        header, span, width, filed_at, grade_at, base_at, special = plan
        if not span <= len(cells) <= width:
            return False
        number, holder, product, scheme_text, city_text, county_text, issued, expires = [
            cell.strip(PADDING) for cell in take(cells)
        ]
        # A first cell that is an ASCII number, or a word that starts no summary row, makes a
        # data row as the register tells them apart (no blank, serial-only or 合计 row).
        head = cells[0].strip(PADDING)
        if not head or head.isdigit():
            return False
        if not head.isascii() and clean(head).startswith(SUMMARY_WORDS):
            return False
        if not (holder and product and number.isascii() and number.replace("-", "").isalnum()):
            return False
        for index in special:
            if cells[index].strip(PADDING):
                return False
        scheme = context.scheme(scheme_text) if scheme_text else None
        if scheme is None or scheme is Scheme.MINGTE:
            return False
        # Context.place_of reads the two place cells only (and the header, for the problems
        # of a place it cannot read, which the full reading reports).
        place = context.place_of(line, {"city": city_text, "county": county_text}, header)
        if place is None:
            return False
        issued_on = _date(context, issued) if issued else None
        expires_on = _date(context, expires) if expires else None
        if (issued and issued_on is None) or (expires and expires_on is None):
            return False
        if filed_at >= 0:
            filed = cells[filed_at].strip(PADDING)
            if filed and _date(context, filed) is None:
                return False
        if expires_on is None:
            if issued_on is None:
                return False
            expires_on = context.derived(issued_on, self._validity(scheme), from_issue=True)
        elif issued_on is None:
            issued_on = context.derived(expires_on, self._validity(scheme), from_issue=False)
        elif expires_on < issued_on:
            return False
        city, county = place
        self.keys.add_values(
            self.index,
            number,
            holder,
            product,
            scheme,
            cells[grade_at].strip(PADDING) if grade_at >= 0 else "",
            cells[base_at].strip(PADDING) if base_at >= 0 else "",
            county or city,
            issued_on.toordinal(),
            expires_on.toordinal(),
            line,
        )
        chosen = self.chosen  # a plain row's certificate is one summary.counted counts
        self.left_out.append(chosen is not None and not chosen(scheme, city, county))
        counts = self.counts
        counts.rows += 1
        counts.certificates += 1
        self._keyed_last = cells
        return True

    def _validity(self, scheme: Scheme) -> int:
        """The years a missing date is derived by, as the row reader derives it."""
        years = self._keyed_years.get(scheme)
        if years is None:
            years = self._keyed_years[scheme] = self.policy.rule(scheme).validity_years or 1
        return years


def keyed_register(
    register: Register, index: int, keys: Keys, left_out: bytearray, chosen: Chosen | None
) -> KeyedRegister:
    """`register` opened again to be read for its keys, as register `index` of the job, with
    no repeat check (pass one keeps every row's certificates: keys.decide_rows decides)."""
    fresh = register.reread(frozenset(), Watched(_never))
    reading = KeyedRegister(**{f.name: getattr(fresh, f.name) for f in fields(Register)})
    reading.keys, reading.index, reading.chosen, reading.left_out = keys, index, chosen, left_out
    return reading


def _date(context: Context, text: str) -> date | None:
    """The one date a cell holds (no range, no note), or None."""
    cell = context.date_cell(text)
    if cell is None or cell.second is not None or cell.note:
        return None
    return cell.first
