"""Spreadsheet output (.xlsx): one sheet, a frozen header row, widths that fit CJK text, real
date cells, integers as numbers, a fill colour per status, an autofilter, and text cells that
can never be formulas (register text such as "=HYPERLINK(...)" is stored as text, whatever it
says). openpyxl in write-only mode; loaded only when a workbook is written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.cells import cell_len

from renewal_cli.messages import Lang, text
from renewal_cli.models import RECORD_KEYS, Problem, ScheduleItem, Severity, Status
from renewal_cli.present import describe_problem, field_label, label, status_label

# Light fills per status, readable in print.
FILLS: dict[str, str] = {
    Status.PENDING.value: "FFF2CC",
    Status.LATE.value: "F8CBAD",
    Status.EXPIRED.value: "E4DFEC",
    Status.FILED.value: "E2EFDA",
    Status.SUPERSEDED.value: "EDEDED",
    Severity.ERROR.value: "F8CBAD",
    Severity.WARNING.value: "FFF2CC",
}
_DATE_KEYS = frozenset({"issued_on", "expires_on", "file_by", "filed_on", "as_of", "submit_by"})
# What XML 1.0 cannot hold. Register cells never carry it (sources.clean_cell), but a file name
# (undecodable bytes come in as lone surrogates) or an option's text may: each becomes U+FFFD,
# so the workbook is always written and shows where something was.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _width(values: Sequence[Any]) -> float:
    widest = max(
        (cell_len(v.isoformat() if isinstance(v, date) else str(v)) for v in values), default=4
    )
    return min(60, max(6, widest + 2))


def workbook(
    headers: list[str], rows: list[list[Any]], fills: Sequence[str | None], title: str
) -> bytes:
    """The sheet as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    columns = list(zip(headers, *rows, strict=True)) if rows else [(h,) for h in headers]
    for n, values in enumerate(columns):
        sheet.column_dimensions[_column(n)].width = _width(values)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: Any, fill: str | None = None, header: bool = False) -> Any:
        if isinstance(value, str) and _NOT_XML.search(value):
            value = _NOT_XML.sub("\ufffd", value)
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # never a formula, whatever the text says
        elif isinstance(value, date):
            written.number_format = "yyyy-mm-dd"
        if header:
            written.font = bold
        if fill:
            written.fill = PatternFill("solid", start_color=fill, end_color=fill)
        return written

    sheet.append([cell(h, header=True) for h in headers])
    for row, fill in zip(rows, fills, strict=True):
        sheet.append([cell(v, fill) for v in row])
    sheet.auto_filter.ref = f"A1:{_column(len(headers) - 1)}{len(rows) + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render_items_xlsx(items: Sequence[ScheduleItem], lang: Lang) -> bytes:
    """The items: the CSV's columns, with dates as dates and numbers as numbers."""
    rows: list[list[Any]] = []
    for item in items:
        record = item.record()
        row: list[Any] = []
        for key in RECORD_KEYS:
            value = record[key]
            if key in _DATE_KEYS and value:
                row.append(date.fromisoformat(str(value)))
            elif key == "flags":
                row.append("、".join(label(f, lang) for f in item.flags))
            elif key == "status":
                row.append(status_label(item, lang))
            elif key in ("scheme", "action", "kind"):
                row.append(
                    label(
                        getattr(item.certificate, key) if key == "scheme" else getattr(item, key),
                        lang,
                    )
                )
            else:
                row.append("" if value is None else value)
        rows.append(row)
    headers = [field_label(k, lang) for k in RECORD_KEYS]
    fills = [FILLS.get(i.status.value) for i in items]
    return workbook(headers, rows, fills, text("xlsx.sheet.due", lang))


def render_summary_xlsx(records: Sequence[dict[str, object]], lang: Lang) -> bytes:
    headers = [text(f"summary.heading.{k}", lang) for k in records[0]] if records else []
    rows = [[("" if v is None else v) for v in r.values()] for r in records]
    fills: list[str | None] = [
        (FILLS["late"] if isinstance(r.get("gap"), int) and int(str(r["gap"])) > 0 else None)
        for r in records
    ]
    return workbook(headers, rows, fills, text("xlsx.sheet.summary", lang))


def render_check_xlsx(problems: Sequence[Problem], lang: Lang) -> bytes:
    from renewal_cli.output.checkfile import CHECK_KEYS

    headers = [text(f"check.heading.{k}", lang) for k in CHECK_KEYS]
    rows = [
        [
            p.source,
            p.line,
            p.letter,
            p.value,
            text(f"check.{p.severity.value}", lang),
            p.code.value,
            describe_problem(p, lang, with_place=False),
        ]
        for p in problems
    ]
    fills = [FILLS[p.severity.value] for p in problems]
    return workbook(headers, rows, fills, text("xlsx.sheet.check", lang))
