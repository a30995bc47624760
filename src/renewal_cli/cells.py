"""Cells of a register read as what they hold: dates, schemes, certificate numbers.

Pure functions on text in memory (no I/O, no clock): a date cell (one date, a validity range,
a date with a note after it), a scheme cell, a cell listing several numbers, the number of a
row with both 证书编号 and 产品编号, the letters a spreadsheet names a column by. A bad cell
raises ValueError (dates) or gives None (schemes); the row reader turns that into a Problem.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from renewal_cli.models import Scheme
from renewal_cli.places import clean

SCHEMES: dict[str, Scheme] = {
    "绿色食品": Scheme.GREEN,
    "绿色": Scheme.GREEN,
    "绿色食品认证": Scheme.GREEN,
    "green": Scheme.GREEN,
    "greenfood": Scheme.GREEN,
    "有机农产品": Scheme.ORGANIC,
    "有机产品": Scheme.ORGANIC,
    "有机": Scheme.ORGANIC,
    "有机食品": Scheme.ORGANIC,
    "有机认证": Scheme.ORGANIC,
    "organic": Scheme.ORGANIC,
    "名特优新": Scheme.MINGTE,
    "名特优新农产品": Scheme.MINGTE,
    "全国名特优新农产品": Scheme.MINGTE,
    "mingte": Scheme.MINGTE,
}


# Several certificate numbers (or products) in one cell.
LIST_SEPARATORS = re.compile(r"[、，,；;]+")
_DATE_TEXT = (
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:[ T]+\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?)?|\d{8}"
)
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_RANGE = re.compile(rf"({_DATE_TEXT})\s*(?:-|–|—|~|～|至|到)\s*({_DATE_TEXT})")
_NOTE = re.compile(rf"({_DATE_TEXT})\s*([(（\[【].*[)）\]】])")
# Register dates outside these years are typos (0201, 9021), not certificates.
MIN_YEAR, MAX_YEAR = 1900, 2199
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
# Everything stripped from a cell's ends: ASCII and full-width (U+3000) spaces, NBSP, invisibles.
PADDING = " \t\r\n\v\f\u3000\u00a0\u2002\u2003\u2009\u202f" + INVISIBLE
# Day 0 of Excel's serial dates (the 1900 leap-year bug makes it 30 December 1899).
EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(text: str) -> date | None:
    """A register date, or None for an empty cell. Raises ValueError for anything else.

    Accepts 2021-03-05, 2021/3/5, 2021.03.05, 2021年3月5日, 20210305 and "2021-03-05 00:00:00".
    Nothing is guessed: no missing year, no day-month swapping (dateutil would fill gaps from
    today, which must never happen to a register date).
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match is None:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(text)  # a typo like 0201 or 9021, and date arithmetic stays in range
    return date(year, month, day)  # ValueError for 2021-02-30


@dataclass(frozen=True)
class DateCell:
    """What a date cell holds: a date, a range (issue and expiry), and a note after it."""

    first: date | None
    second: date | None = None
    note: str = ""


NO_DATE = DateCell(None)


def parse_date_cell(text: str) -> DateCell:
    """A date, a validity range ("2021.03.05-2024.03.04", "2021年3月5日至2024年3月4日") or a
    date with a note after it ("2024-03-04（已续展）"). Raises ValueError for anything else."""
    folded = unicodedata.normalize("NFKC", text).strip()
    try:
        return DateCell(parse_date(folded))
    except ValueError:
        pass
    match = _RANGE.fullmatch(folded)
    if match is not None:
        return DateCell(parse_date(match.group(1)), parse_date(match.group(2)))
    match = _NOTE.fullmatch(folded)
    if match is not None:
        return DateCell(parse_date(match.group(1)), note=match.group(2))
    raise ValueError(text)


def parse_scheme(text: str) -> Scheme | None:
    """The scheme a cell names, or None.

    Besides the spellings in SCHEMES, a cell that names exactly one of the two schemes inside
    longer text (绿色食品A级, 有机产品认证) is taken as that scheme; one naming both, or
    neither, is not guessed.
    """
    key = clean(text).lower()
    if key in SCHEMES:
        return SCHEMES[key]
    if "名特优新" in key:
        return Scheme.MINGTE
    green = "绿色" in key or "green" in key
    organic = "有机" in key or "organic" in key
    if green != organic:
        return Scheme.GREEN if green else Scheme.ORGANIC
    return None


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names the column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def listed(cell: str) -> list[str]:
    """The items a cell lists (products beside listed numbers), as RowReader._numbers
    splits them."""
    return [p.strip(PADDING) for p in LIST_SEPARATORS.split(cell) if p.strip(PADDING)]


def number_cell(cells: dict[str, str]) -> str:
    """The certificate number of a row: 证书编号, unless it holds the holder's GF code (or is
    empty) and a 产品编号 column gives the product's own LB number."""
    number, alternate = cells.get("cert_id", ""), cells.get("cert_id_alt", "")
    if alternate and (not number or number.upper().startswith("GF")):
        return alternate
    return number
