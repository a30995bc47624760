"""The call list (`due --by-holder`): one row per holder, as a table, CSV, JSON or .xlsx.

Each row names the holder, its place, how to reach it (contact, phone, e-mail from the
register), what it has to do (its items by kind, its certificate numbers) and by when (the
earliest submit-by and file-by days). The list an officer works through by phone.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from renewal_cli.holders import Holder
from renewal_cli.messages import Lang, text
from renewal_cli.output.csvfile import neutralise
from renewal_cli.output.csvwriter import csv_text
from renewal_cli.present import label, status_label

HOLDER_KEYS: tuple[str, ...] = (
    "enterprise",
    "city",
    "county",
    "contact",
    "phone",
    "email",
    "submit_by",
    "file_by",
    "items",
    "todo",
    "cert_ids",
)
_TEXT = frozenset({"enterprise", "contact", "phone", "email", "todo", "cert_ids"})


def holder_record(holder: Holder) -> dict[str, Any]:
    """The stable flat record of a holder (JSON keys; CSV and xlsx columns)."""
    return {
        "enterprise": holder.name,
        "city": holder.city,
        "county": holder.county,
        "contact": holder.contact,
        "phone": holder.phone,
        "email": holder.email,
        "submit_by": holder.submit_by.isoformat(),
        "file_by": holder.file_by.isoformat(),
        "items": len(holder.items),
        "kinds": [kind.value for kind in holder.kinds],
        "statuses": sorted({item.status.value for item in holder.items}),
        "cert_ids": [c.cert_id for c in holder.certificates if c.cert_id],
    }


def _todo(holder: Holder, lang: Lang) -> str:
    """其中 续展 待申报 2、年检 已逾期 1: the items by kind and status."""
    counts = Counter((item.kind, status_label(item, lang)) for item in holder.items)
    sep = "、" if lang is Lang.ZH else "; "
    return sep.join(f"{label(kind, lang)} {words} {n}" for (kind, words), n in counts.items())


def _cells(holder: Holder, lang: Lang, raw: bool = False) -> list[Any]:
    record = holder_record(holder)
    record["todo"] = _todo(holder, lang)
    record["cert_ids"] = ("、" if lang is Lang.ZH else "; ").join(record["cert_ids"])
    cells: list[Any] = []
    for key in HOLDER_KEYS:
        value = record[key]
        if value is None:
            cells.append("")
        elif key in _TEXT and not raw:
            cells.append(neutralise(str(value)))
        else:
            cells.append(value)
    return cells


def holder_cells(holder: Holder, lang: Lang, raw: bool = False) -> list[Any]:
    """One holder's cells, as `render_holders_csv` writes them on its row (a stream's piece)."""
    return _cells(holder, lang, raw)


def headings(lang: Lang) -> list[str]:
    return [text(f"holders.heading.{key}", lang) for key in HOLDER_KEYS]


def render_holders_json(holders: Sequence[Holder]) -> str:
    lines = ",\n".join(json.dumps(holder_record(h), ensure_ascii=False) for h in holders)
    return f"[\n{lines}\n]\n" if lines else "[]\n"


def render_holders_csv(holders: Sequence[Holder], lang: Lang, *, raw: bool = False) -> str:
    """The call list as CSV text (csvwriter.csv_text): the item count as a number, the rest
    as text."""
    rows = ([str(cell) for cell in _cells(holder, lang, raw)] for holder in holders)
    return csv_text(headings(lang), rows)


def render_holders_xlsx(holders: Sequence[Holder], lang: Lang) -> bytes:
    from renewal_cli.output.xlsxfile import workbook

    dated = [HOLDER_KEYS.index("submit_by"), HOLDER_KEYS.index("file_by")]
    rows = [_cells(h, lang, raw=True) for h in holders]
    for row in rows:
        for at in dated:  # real date cells, as in the item sheet
            row[at] = date.fromisoformat(row[at])
    return workbook(headings(lang), rows, [None] * len(rows), text("holders.title", lang))


def render_holders_table(
    holders: Sequence[Holder], *, as_of: str, lang: Lang, color: bool, width: int | None
) -> str:
    """A rich table: holder, place, contact and phone, deadline, what to do."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=text("holders.title", lang) + f" ({as_of})",
        box=box.SIMPLE_HEAD,
        show_lines=False,
    )
    for key in ("enterprise", "county", "contact", "phone", "submit_by", "todo"):
        table.add_column(text(f"holders.heading.{key}", lang), overflow="fold")
    for holder in holders:
        record = dict(zip(HOLDER_KEYS, _cells(holder, lang, raw=True), strict=True))
        place = record["county"] or record["city"]
        table.add_row(
            str(record["enterprise"]),
            str(place),
            str(record["contact"]),
            str(record["phone"]),
            str(record["submit_by"]),
            str(record["todo"]),
        )
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        color_system="standard" if color else None,
        width=width or 120,  # a pipe: as wide as a printed call list needs
    )
    console.print(table)
    return buffer.getvalue()
