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
from renewal_cli.yearend import counted

Chosen = Callable[[Scheme, str, "str | None"], bool]
"""Whether the job counts a certificate (one yearend.counted counts) of this scheme and place:
the summary's scope."""

# The cells a plain row is keyed from, in this order; a header lacking one keys no row plainly.
KEYED = ("cert_id", "enterprise", "product", "scheme", "city", "county", "issued_on", "expires_on")
# Cells that must be empty in a plain row: their reading is more than a lookup.
SPECIAL = ("validity", "cert_id_alt", *OTHER_DATES)


_UNREAD = object()  # a cell not looked at yet


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
    _keyed_schemes: dict[str, Scheme | None]
    _keyed_places: dict[tuple[str, str], tuple[str, str | None] | None]
    _keyed_days: dict[str, int]

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
        self._keyed_years, self._keyed_schemes, self._keyed_places = {}, {}, {}
        self._keyed_days = {}

    def _key_plain(self, context: Context, line: int, cells: list[str]) -> bool:
        """Key a plain row, counted as the register counts a data row; False (and nothing
        done) when the row is not plain. What a register repeats (schemes, places, dates) is
        looked up by the cell as it is, each distinct cell read once (`_scheme`, `_place`,
        `_day`): a register of 10^6 rows has a few thousand."""
        take, plan = self._keyed_take, self._keyed_plan
        if take is None or plan is None:
            return False
        header, span, width, filed_at, grade_at, base_at, special = plan
        if not span <= len(cells) <= width:
            return False
        if not _starts_data(cells[0]):
            return False
        number, holder, product, scheme_cell, city, county, issued_cell, expires_cell = take(cells)
        number, holder, product = (
            number.strip(PADDING),
            holder.strip(PADDING),
            product.strip(PADDING),
        )
        if not (holder and product and number.isascii() and number.replace("-", "").isalnum()):
            return False
        for index in special:
            if cells[index].strip(PADDING):
                return False
        scheme = self._keyed_schemes.get(scheme_cell, _UNREAD)
        if scheme is _UNREAD:
            scheme = self._scheme(context, scheme_cell)
        if scheme is None:
            return False
        assert isinstance(scheme, Scheme)
        place = self._keyed_places.get((city, county), _UNREAD)
        if place is _UNREAD:
            place = self._place(context, line, header, city, county)
        if place is None:
            return False
        filed = cells[filed_at] if filed_at >= 0 else ""
        dated = self._days(context, scheme, issued_cell, expires_cell, filed)
        if dated is None:
            return False
        issued, expires = dated
        assert isinstance(place, tuple)
        self.keys.add_values(
            self.index,
            number,
            holder,
            product,
            scheme,
            cells[grade_at].strip(PADDING) if grade_at >= 0 else "",
            cells[base_at].strip(PADDING) if base_at >= 0 else "",
            place[1] or place[0],
            issued,
            expires,
            line,
        )
        chosen = self.chosen  # a plain row's certificate is one yearend.counted counts
        self.left_out.append(chosen is not None and not chosen(scheme, *place))
        counts = self.counts
        counts.rows += 1
        counts.certificates += 1
        self._keyed_last = cells
        return True

    def _days(
        self, context: Context, scheme: Scheme, issued_cell: str, expires_cell: str, filed: str
    ) -> tuple[int, int] | None:
        """The issue and expiry days (ordinals) of a plain row, one derived from the other
        when its cell is empty (as the row reader derives it), or None when the date cells
        are not plain (or the expiry comes before the issue)."""
        days = self._keyed_days
        issued = days.get(issued_cell)
        if issued is None:
            issued = self._day(context, issued_cell)
        expires = days.get(expires_cell)
        if expires is None:
            expires = self._day(context, expires_cell)
        if issued < 0 or expires < 0:
            return None
        if filed and (
            days.get(filed, 0) < 0 or (filed not in days and self._day(context, filed) < 0)
        ):
            return None
        if not expires:
            if not issued:
                return None
            expires = self._derived(context, scheme, issued, from_issue=True)
        elif not issued:
            issued = self._derived(context, scheme, expires, from_issue=False)
        elif expires < issued:
            return None
        return issued, expires

    def _scheme(self, context: Context, cell: str) -> Scheme | None:
        """The scheme of a plain row's scheme cell (as the row reader reads it), or None."""
        text = cell.strip(PADDING)
        scheme = context.scheme(text) if text else None
        if scheme is Scheme.MINGTE:  # a listing: no certificate dates (the full reading)
            scheme = None
        self._keyed_schemes[cell] = scheme
        return scheme

    def _place(
        self, context: Context, line: int, header: Header, city: str, county: str
    ) -> tuple[str, str | None] | None:
        """The canonical place of a row's place cells, or None (Context.place_of, which reads
        the two cells only, and the header for the problems of a place it cannot read: the
        full reading reports them)."""
        cells = {"city": city.strip(PADDING), "county": county.strip(PADDING)}
        place = self._keyed_places[city, county] = context.place_of(line, cells, header)
        return place

    def _day(self, context: Context, cell: str) -> int:
        """The ordinal of the one date a cell holds (no range, no note), 0 for an empty cell,
        -1 when it is anything else."""
        text = cell.strip(PADDING)
        found = context.date_cell(text) if text else None
        if not text:
            day = 0
        elif found is None or found.first is None or found.second is not None or found.note:
            day = -1
        else:
            day = found.first.toordinal()
        self._keyed_days[cell] = day
        return day

    def _derived(self, context: Context, scheme: Scheme, day: int, *, from_issue: bool) -> int:
        """The expiry from the issue day, or the issue day from the expiry (ordinals), as the
        row reader derives a missing one (Context.derived, by the plan's validity)."""
        years = self._keyed_years.get(scheme)
        if years is None:
            years = self._keyed_years[scheme] = self.policy.rule(scheme).validity_years or 1
        known = date.fromordinal(day)
        return context.derived(known, years, from_issue=from_issue).toordinal()


def _starts_data(cell: str) -> bool:
    """Whether a row's first cell makes it a data row as the register tells rows apart: an
    ASCII number, or a word that starts no summary row (no blank, serial-only or 合计 row)."""
    head = cell.strip(PADDING)
    if not head or head.isdigit():
        return False
    return head.isascii() or not clean(head).startswith(SUMMARY_WORDS)


def keyed_register(
    register: Register, index: int, keys: Keys, left_out: bytearray, chosen: Chosen | None
) -> KeyedRegister:
    """`register` opened again to be read for its keys, as register `index` of the job, with
    no repeat check (pass one keeps every row's certificates: keys.decide_rows decides)."""
    fresh = register.reread(frozenset(), Watched(_never))
    reading = KeyedRegister(**{f.name: getattr(fresh, f.name) for f in fields(Register)})
    reading.keys, reading.index, reading.chosen, reading.left_out = keys, index, chosen, left_out
    return reading
