"""CSV output for spreadsheets: Chinese headers and labels under zh, the JSON keys under en.

Register text that a spreadsheet would read as a formula (=, +, -, @, tab, carriage return at
the start) is prefixed with an apostrophe (OWASP's advice), so a holder called =HYPERLINK(...)
never goes live in Excel, WPS or LibreOffice. `raw` turns that off for machine pipelines.
Computed numbers (days_left) are never touched: they stay numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from renewal_cli.messages import Lang
from renewal_cli.models import RECORD_KEYS, Action, Flag, Kind, ScheduleItem, Scheme, Status
from renewal_cli.output.csvwriter import csv_lines
from renewal_cli.present import field_label, kind_status_label, label

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Text a spreadsheet would take as a formula, made inert with a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def render_csv(items: Sequence[ScheduleItem], lang: Lang, *, raw: bool = False) -> str:
    """A header row, then one row per item (dates ISO; empty cell for no value)."""
    return "".join(csv_chunks(items, lang, raw=raw))


def csv_chunks(
    items: Iterable[ScheduleItem], lang: Lang, *, raw: bool = False, per_chunk: int = 2000
) -> Iterator[str]:
    """`render_csv`'s text in pieces of `per_chunk` rows, for a stream (csvwriter.csv_lines)."""
    header = [field_label(key, lang) for key in RECORD_KEYS]
    words, text = _words(lang), _plain if raw else _safe
    rows = (_row(item, words, text) for item in items)
    return csv_lines(header, rows, per_chunk=per_chunk)


def _safe(value: str | None) -> str:
    """A register text cell: empty for no value, formulas neutralised."""
    if value is None:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _plain(value: str | None) -> str:
    """A register text cell as typed (`raw`)."""
    return "" if value is None else value


@dataclass(frozen=True, slots=True)
class _Words:
    """The cells of a language: labels under zh, the record's values under en, looked up by
    member (a label() call goes through the enum's value and a nested dict each time)."""

    scheme: dict[Scheme, str]
    status: dict[tuple[Kind, Status], str]
    action: dict[Action, str]
    kind: dict[Kind, str]
    flag: dict[Flag, str]
    flag_sets: dict[tuple[Flag, ...], str]
    """Filled as flag combinations are met: an item's few flags, joined once a run."""

    def flags(self, flags: tuple[Flag, ...]) -> str:
        joined = self.flag_sets.get(flags)
        if joined is None:
            joined = self.flag_sets[flags] = ";".join(self.flag[f] for f in flags)
        return joined


@cache
def _words(lang: Lang) -> _Words:
    zh = lang is Lang.ZH

    def named(member: Scheme | Action | Kind) -> str:
        return label(member, lang) if zh else member.value

    return _Words(
        scheme={m: named(m) for m in Scheme},
        status={
            (k, s): kind_status_label(k, s, lang) if zh else s.value for k in Kind for s in Status
        },
        action={m: named(m) for m in Action},
        kind={m: named(m) for m in Kind},
        flag={f: f.value if lang is Lang.EN else label(f, lang) for f in Flag},
        flag_sets={},
    )


@lru_cache(maxsize=8192)  # six days a row, and registers repeat days: isoformat() is slow
def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _row(item: ScheduleItem, words: _Words, text: Callable[[str | None], str]) -> list[str]:
    """The cells of `item.record()` in RECORD_KEYS order, made straight from the item."""
    c = item.certificate
    return [
        text(c.cert_id),
        text(c.enterprise),
        text(c.product),
        words.scheme[c.scheme],
        c.city,
        "" if c.county is None else c.county,
        _day(c.issued_on),
        _day(c.expires_on),
        _day(item.file_by),
        _day(item.filed_on),
        str(item.days_left),
        words.status[item.kind, item.status],
        words.action[item.action],
        words.flags(item.flags),
        words.kind[item.kind],
        _day(item.as_of),
        str(item.plan_year),
        text(item.superseded_by),
        _day(item.submit_by or item.file_by),
        text(c.certifier),
        text(c.contact),
        text(c.phone),
        text(c.email),
    ]


def csv_cells(item: ScheduleItem, lang: Lang, *, raw: bool = False) -> list[str]:
    """One item's cells, as `render_csv` writes them on its row (a stream's piece)."""
    return _row(item, _words(lang), _plain if raw else _safe)
