"""CSV output for spreadsheets: Chinese headers and labels under zh, the JSON keys under en.

Register text that a spreadsheet would read as a formula (=, +, -, @, tab, carriage return at
the start) is prefixed with an apostrophe (OWASP's advice), so a holder called =HYPERLINK(...)
never goes live in Excel, WPS or LibreOffice. `raw` turns that off for machine pipelines.
Computed numbers (days_left) are never touched: they stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from renewal_cli.messages import Lang
from renewal_cli.models import (
    RECORD_KEYS,
    TEXT_KEYS,
    Action,
    Flag,
    Kind,
    ScheduleItem,
    Scheme,
    Status,
)
from renewal_cli.present import field_label, label, status_label

_LABELLED = {"scheme": Scheme, "status": Status, "action": Action, "kind": Kind}
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
    """`render_csv`'s text in pieces of `per_chunk` rows, for a stream."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([field_label(key, lang) for key in RECORD_KEYS])
    for n, item in enumerate(items, start=1):
        writer.writerow(_row(item, lang, raw))
        if n % per_chunk == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _row(item: ScheduleItem, lang: Lang, raw: bool) -> list[str]:
    record = item.record()
    row: list[str] = []
    for key in RECORD_KEYS:
        value = record[key]
        if key == "flags":
            flags = [Flag(f) for f in value]
            row.append(";".join(f.value if lang is Lang.EN else label(f, lang) for f in flags))
        elif key == "status" and lang is Lang.ZH:
            row.append(status_label(item, lang))
        elif key in _LABELLED and lang is Lang.ZH:
            row.append(label(_LABELLED[key](value), lang))
        elif value is None:
            row.append("")
        elif key in TEXT_KEYS and not raw:
            row.append(neutralise(str(value)))
        else:
            row.append(str(value))
    return row
