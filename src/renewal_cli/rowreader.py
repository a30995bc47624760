"""Reading one data row of a register into Certificates, or the Problems that keep it out.

A row's cells are read as the fields they are: the scheme, the dates (a missing issue or expiry
date derived from the other), the place (canonical names of Guangxi's cities and counties), the
certificate number or numbers (a cell may list several, paired with the products), and the
number checked against the rows read before (repeats.py). Every fault of the row is reported,
naming its line, column and value; a row with an error gives no certificate.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from renewal_cli.cells import (
    EXCEL_EPOCH,
    NO_DATE,
    PADDING,
    DateCell,
    column_letter,
    listed,
    number_cell,
    parse_date_cell,
    parse_scheme,
)
from renewal_cli.dates import expiry_from_issue, issue_from_expiry
from renewal_cli.header import REQUIRED, Header
from renewal_cli.models import Certificate, Problem, ProblemCode, Scheme, Severity
from renewal_cli.places import Places, clean
from renewal_cli.policy import Policy
from renewal_cli.repeats import Held, Seen, other_form, remember
from renewal_cli.rules import number_key
from renewal_cli.sources import Row

# Dates of the other kinds of obligation (sowing, inspection, listing, confirmation, test).
OTHER_DATES = ("sowing_on", "inspected_on", "listed_on", "confirmed_on", "tested_on")
# The other dates of a row without any (most rows of most registers); never changed.
_NO_OTHER_DATES: dict[str, date | None] = dict.fromkeys(OTHER_DATES)
# County cells that mean "no county: the city's own level" (also after a city: 百色市本级).
CITY_LEVEL = ("市本级", "市直", "本级", "市级")


@dataclass
class Context:
    """What reading the rows of one register needs beyond the row: the register's name, the
    plan, the places, the numbers read so far (shared by the registers of a run), which cells
    of a workbook are stored as numbers, and what its rows repeat (read once)."""

    source: str
    policy: Policy
    places: Places
    seen: Seen
    numeric: set[tuple[int, int]] | None = None
    """(sheet row, column) of a workbook's number cells; None for a CSV register."""
    # What the rows repeat, each read once: a register of 10^6 rows holds a few thousand
    # distinct dates, a few hundred places and products, a handful of scheme spellings.
    _texts: dict[str, str] = field(default_factory=dict)
    _places: dict[tuple[str, str], tuple[str, str | None] | None] = field(default_factory=dict)
    _dates: dict[str, DateCell | None] = field(default_factory=dict)
    _schemes: dict[str, Scheme | None] = field(default_factory=dict)
    _derived: dict[tuple[date, int, bool], date] = field(default_factory=dict)
    _plain_dates: dict[str, date] = field(default_factory=dict)
    """Date cells holding one date and nothing else (no range, no note) → the date."""
    _validity: dict[Scheme, int] = field(default_factory=dict)

    def date_cell(self, text: str) -> DateCell | None:
        """What a date cell holds (cells.parse_date_cell), or None when it is no date."""
        if text in self._dates:
            return self._dates[text]
        try:
            cell: DateCell | None = parse_date_cell(text)
        except ValueError:
            cell = None
        self._dates[text] = cell
        return cell

    def plain_date(self, text: str) -> date | None:
        """The date of a cell holding one date and nothing else (no range, no note), or None
        (then the full reading reads the cell)."""
        found = self._plain_dates.get(text)
        return found if found is not None else self._plain_date(text)

    def known_scheme(self, text: str) -> Scheme | None:
        """The scheme of a scheme cell met before, or None (met first, or no scheme)."""
        return self._schemes.get(text)

    def known_place(self, city: str, county: str) -> tuple[str, str | None] | None:
        """The place of place cells met before and read cleanly, or None."""
        return self._places.get((city, county))

    def _plain_date(self, text: str) -> date | None:
        """The date of a cell holding one date and nothing else, or None (date_cell)."""
        cell = self.date_cell(text)
        if cell is None or cell.first is None or cell.second is not None or cell.note:
            return None
        self._plain_dates[text] = cell.first
        return cell.first

    def years(self, scheme: Scheme) -> int:
        """The validity in years a missing date is derived by (as RowReader.read)."""
        years = self._validity.get(scheme)
        if years is None:
            years = self._validity[scheme] = self.policy.rule(scheme).validity_years or 1
        return years

    def scheme(self, text: str) -> Scheme | None:
        """The scheme a cell names (cells.parse_scheme), or None."""
        if text not in self._schemes:
            self._schemes[text] = parse_scheme(text)
        return self._schemes[text]

    def derived(self, known: date, years: int, *, from_issue: bool) -> date:
        """The expiry of a certificate issued on `known`, or the issue of one expiring on it,
        for a validity of `years` (dates.expiry_from_issue, dates.issue_from_expiry)."""
        key = (known, years, from_issue)
        found = self._derived.get(key)
        if found is None:
            derive = expiry_from_issue if from_issue else issue_from_expiry
            found = self._derived[key] = derive(known, years)
        return found

    def shared(self, text: str) -> str:
        """One string object for text a register repeats down its rows (the products: a
        national register holds 10^5 certificates of a few hundred products)."""
        return self._texts.setdefault(text, text)

    def place_of(
        self, line: int, cells: dict[str, str], header: Header
    ) -> tuple[str, str | None] | None:
        """The canonical (city, county) of a row's place cells, or None when they have a
        problem (then the row's reader reports it). Cached: registers repeat places."""
        where = (cells.get("city", ""), cells.get("county", ""))
        if where not in self._places:
            probe = RowReader(self, Row(line, line, []), cells, header)
            city, county = probe._place()
            self._places[where] = None if city is None else (city, county)
        return self._places[where]


class RowReader:
    """Everything about reading one data row: its cells, dates, place and number(s)."""

    def __init__(self, context: Context, row: Row, cells: dict[str, str], header: Header):
        self.context = context
        self.row = row
        self.cells = cells
        self.header = header
        self.problems: list[Problem] = []
        self.numeric = context.numeric
        self.number = number_cell(cells)
        """The row's certificate number cell (cells.number_cell)."""

    def value(self, name: str) -> str:
        return self.cells.get(name, "")

    def problem(self, code: ProblemCode, name: str | None, **detail: str) -> Problem:
        index = self.header.positions.get(name) if name else None
        found = Problem(
            source=self.context.source,
            line=self.row.line,
            column=index + 1 if index is not None else None,
            header=self.header.labels[index].strip() if index is not None else "",
            letter=column_letter(index) if index is not None else "",
            value=self.value(name) if name else "",
            code=code,
            detail=detail,
        )
        self.problems.append(found)
        return found

    def read(self) -> list[Certificate | Problem]:
        scheme = self._scheme()
        extra = self._other_dates()
        issued_on, expires_on, filed_on = self._dates(scheme, extra)
        # A planned application or a 名特优新 listing has no certificate number yet.
        uncertified = scheme is Scheme.MINGTE or (issued_on is None and expires_on is None)
        for name in REQUIRED:
            cell = self.number if name == "cert_id" else self.value(name)
            if not cell and not (name == "cert_id" and uncertified):
                self.problem(ProblemCode.EMPTY, name)
        place = self.context.place_of(self.row.line, self.cells, self.header)
        city, county = place if place is not None else self._place()
        self._extra_cells()
        pairs = self._numbers()
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        if errors or scheme is None or city is None or pairs is None:
            return list(self.problems)
        if uncertified:
            return [*self.problems, *self._uncertified(pairs, scheme, city, county, extra)]
        validity = self.context.policy.rule(scheme).validity_years or 1
        if expires_on is None:
            assert issued_on is not None
            expires_on = self.context.derived(issued_on, validity, from_issue=True)
        if issued_on is None:
            issued_on = self.context.derived(expires_on, validity, from_issue=False)
        if filed_on is not None and filed_on < issued_on:
            self.problem(
                ProblemCode.FILED_BEFORE_ISSUE, "filed_on", issued_on=issued_on.isoformat()
            )
        keys = [number_key(cert_id) for cert_id, _ in pairs]
        repeat = self._checked(keys, pairs, scheme, expires_on, (city, county))
        if repeat is not None:
            return [*self.problems, repeat]
        out: list[Certificate | Problem] = []
        for cert_id, product in pairs:
            certificate = Certificate(
                cert_id=cert_id,
                enterprise=self.value("enterprise"),
                product=self.context.shared(product),
                scheme=scheme,
                city=city,
                county=county,
                issued_on=issued_on,
                expires_on=expires_on,
                filed_on=filed_on,
                grade=self.value("grade") or None,
                base=self.value("base") or None,
                certifier=self.value("certifier") or None,
                inspected_on=extra["inspected_on"],
                recorded=self.header.recorded,
                contact=self.value("contact") or None,
                phone=self.value("phone") or None,
                email=self.value("email") or None,
                source=self.context.source,
                line=self.row.line,
            )
            out.append(certificate)
        return [*self.problems, *out]

    def _other_dates(self) -> dict[str, date | None]:
        """The dates of the other kinds of obligation (OTHER_DATES), None where empty."""
        cells = self.cells
        if not any(map(cells.get, OTHER_DATES)):
            return _NO_OTHER_DATES
        return {name: self._date(name).first if cells.get(name) else None for name in OTHER_DATES}

    def _checked(
        self,
        keys: list[str],
        pairs: list[tuple[str, str]],
        scheme: Scheme,
        expires_on: date,
        place: tuple[str, str | None],
    ) -> Problem | None:
        """The checks of the row's numbers against the rows read before: a repeat's Problem
        (the row is left out), or None once the row is remembered, with a warning of the first
        number clash and of a number of the other scheme's form (the row is read)."""
        source, line, holder = self.context.source, self.row.line, self.value("enterprise")
        city, county = place
        held = [(source, line, expires_on, holder, product, city, county) for _, product in pairs]
        repeated, clash = remember(self.context.seen, keys, held)
        if repeated is not None:
            return self._repeat(repeated)
        if clash is not None:
            self._clash(*clash)
        form = other_form(scheme, keys)
        if form is not None:
            self.problem(ProblemCode.NUMBER_SCHEME_MISMATCH, self._number_field(), form=form.value)
        return None

    def _serial(self, name: str) -> date | None:
        """An Excel serial number in a workbook's date column (a number cell, 1900–2199)."""
        numeric = self.numeric
        if not numeric:  # a CSV register: no cell is a number
            return None
        index = self.header.positions.get(name)
        text = self.value(name)
        if index is None or (self.row.line, index + 1) not in numeric:
            return None
        if not text.isdigit() or not 366 <= int(text) <= 109_938:
            return None
        return EXCEL_EPOCH + timedelta(days=int(text))

    def _scheme(self) -> Scheme | None:
        text = self.value("scheme")
        scheme = self.context.scheme(text) if text else None
        if text and scheme is None:
            self.problem(ProblemCode.UNKNOWN_SCHEME, "scheme")
        return scheme

    def _date(self, name: str) -> DateCell:
        text = self.cells.get(name)
        if not text:
            return NO_DATE  # no such column, or an empty cell: most of the nine date fields
        if self.numeric:
            serial = self._serial(name)
            if serial is not None:
                return DateCell(serial)
        cell = self.context.date_cell(text)
        if cell is None:
            self.problem(ProblemCode.BAD_DATE, name)
            return NO_DATE
        if cell.note:
            self.problem(ProblemCode.DATE_NOTE, name, note=cell.note)
        return cell

    def _uncertified(
        self,
        pairs: list[tuple[str, str]],
        scheme: Scheme,
        city: str,
        county: str | None,
        extra: dict[str, date | None],
    ) -> list[Certificate]:
        """Rows without a certificate: a planned application or a 名特优新 listing."""
        return [
            Certificate(
                cert_id=cert_id,
                enterprise=self.value("enterprise"),
                product=product,
                scheme=scheme,
                city=city,
                county=county,
                filed_on=self._date("filed_on").first,
                certifier=self.value("certifier") or None,
                contact=self.value("contact") or None,
                phone=self.value("phone") or None,
                email=self.value("email") or None,
                source=self.context.source,
                line=self.row.line,
                sowing_on=extra["sowing_on"],
                recorded=self.header.recorded,
                listed_on=extra["listed_on"],
                confirmed_on=extra["confirmed_on"],
                tested_on=extra["tested_on"],
            )
            for cert_id, product in pairs
        ]

    def _dates(
        self, scheme: Scheme | None, extra: dict[str, date | None]
    ) -> tuple[date | None, date | None, date | None]:
        date_of = self._date
        issued, expires = date_of("issued_on"), date_of("expires_on")
        validity, filed = date_of("validity"), date_of("filed_on").first
        issued_on = issued.first
        expires_on: date | None
        if expires.second is not None:  # a range under 有效期至
            issued_on, expires_on = issued_on or expires.first, expires.second
        else:
            expires_on = expires.first
        if validity.second is not None:
            issued_on, expires_on = issued_on or validity.first, expires_on or validity.second
        elif validity.first is not None:  # a lone date under 有效期 is the expiry
            expires_on = expires_on or validity.first
        bad = any(p.code is ProblemCode.BAD_DATE for p in self.problems)
        if scheme is Scheme.MINGTE:
            if extra["listed_on"] is None and not bad:
                self.problem(ProblemCode.NO_DATES, "listed_on")
            return None, None, filed
        if issued_on is None and expires_on is None and extra["sowing_on"] is None and not bad:
            present = [
                n for n in ("validity", "expires_on", "issued_on") if n in self.header.positions
            ]
            self.problem(ProblemCode.NO_DATES, present[0] if present else None)
        if issued_on and expires_on and expires_on < issued_on:
            name = "expires_on" if "expires_on" in self.header.positions else "validity"
            self.problem(ProblemCode.EXPIRY_BEFORE_ISSUE, name, issued_on=issued_on.isoformat())
        return issued_on, expires_on, filed

    def _place(self) -> tuple[str | None, str | None]:
        """Canonical (city, county); a problem for anything not in Guangxi."""
        places = self.context.places
        city_text, county_text = self.value("city"), self.value("county")
        city = places.city(city_text) if city_text else None
        if city_text and city is None:
            nearest = "、".join(places.suggest_city(city_text))
            self.problem(ProblemCode.UNKNOWN_CITY, "city", nearest=nearest)
            return None, None
        county_name: str | None = None
        key = clean(county_text)
        level = next((w for w in CITY_LEVEL if key.endswith(w)), None)
        if level is not None:
            # 市本级, or 百色市本级: the city's own level, no county.
            prefix = key[: -len(level)]
            owner = places.city(prefix) if prefix else None
            if prefix and owner is None:
                nearest = "、".join(places.suggest_county(county_text))
                self.problem(ProblemCode.UNKNOWN_COUNTY, "county", nearest=nearest)
                return None, None
            if owner is not None and city is not None and owner.name != city.name:
                self.problem(
                    ProblemCode.COUNTY_CITY_MISMATCH, "county", city=city.name, belongs=owner.name
                )
                return None, None
            city = city or owner
        elif county_text:
            county = places.county(county_text)
            as_city = places.city(county_text) if county is None else None
            belongs = county.city if county is not None else as_city.name if as_city else None
            if county is None and as_city is None:
                nearest = "、".join(places.suggest_county(county_text))
                self.problem(ProblemCode.UNKNOWN_COUNTY, "county", nearest=nearest)
                return None, None
            if city is not None and belongs != city.name:
                self.problem(
                    ProblemCode.COUNTY_CITY_MISMATCH,
                    "county",
                    city=city.name,
                    belongs=belongs or "",
                )
                return None, None
            if county is not None:
                county_name = county.name
                city = city or places.cities[county.city]
            else:
                city = as_city  # the city's own level written in the county column
        if city is None:
            self.problem(ProblemCode.EMPTY, "city" if "city" in self.header.positions else "county")
            return None, None
        return city.name, county_name

    def _extra_cells(self) -> None:
        width = len(self.header.labels)
        extra = [c.strip(PADDING) for c in self.row.cells[width:] if c.strip(PADDING)]
        if extra:
            self.problems.append(
                Problem(
                    source=self.context.source,
                    line=self.row.line,
                    column=width + 1,
                    letter=column_letter(width),
                    value=extra[0],
                    code=ProblemCode.EXTRA_CELLS,
                    detail={"cells": str(width + len(extra)), "columns": str(width)},
                )
            )

    def _numbers(self) -> list[tuple[str, str]] | None:
        """(number, product) pairs: one, or several when a cell lists numbers and products
        that pair up. None (and a problem) when they do not."""
        number = self.number
        product = self.value("product")
        if number.isascii() and number.replace("-", "").isalnum():
            return [(number, product)]  # the usual one number: nothing to fold or split
        number = unicodedata.normalize("NFKC", number).strip()
        numbers = listed(number)
        if len(numbers) <= 1:
            return [(number, product)]
        products = listed(product)
        if len(products) != len(numbers):
            self.problem(ProblemCode.UNPAIRED_NUMBERS, "cert_id", products=str(len(products)))
            return None
        return list(zip(numbers, products, strict=True))

    def _number_field(self) -> str:
        """The column the row's number came from: 证书编号, or 产品编号 beside a GF code."""
        if self.cells.get("cert_id_alt") and self.number == self.value("cert_id_alt"):
            return "cert_id_alt"
        return "cert_id"

    def _repeat(self, earlier: Held) -> Problem:
        """The Problem of a row repeating an earlier one (its number and expiry, by the same
        holder), naming the column the number came from and the cell as typed."""
        field_name = self._number_field()
        index = self.header.positions[field_name]
        return Problem(
            source=self.context.source,
            line=self.row.line,
            column=index + 1,
            header=self.header.labels[index].strip(),
            letter=column_letter(index),
            value=self.value(field_name),
            code=ProblemCode.DUPLICATE
            if earlier[0] == self.context.source
            else ProblemCode.DUPLICATE_ACROSS,
            detail={"first_line": str(earlier[1]), "first_file": earlier[0]},
        )

    def _clash(self, earlier: Held, mine: Held) -> None:
        """A warning that an earlier row holds this row's number for another holder and product
        or place (both rows are read): it names both rows, the earlier by file and line, and
        the holder, product and place of each."""
        first_file, first_line, _, holder, product, city, county = earlier
        _, _, _, own_holder, own_product, own_city, own_county = mine
        self.problem(
            ProblemCode.NUMBER_CLASH,
            self._number_field(),
            first_file=first_file,
            first_line=str(first_line),
            holder=holder,
            product=product,
            place=county or city,
            own_holder=own_holder,
            own_product=own_product,
            own_place=own_county or own_city,
        )
