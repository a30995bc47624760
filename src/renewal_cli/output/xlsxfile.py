"""Spreadsheet output (.xlsx): one sheet, a frozen header row, widths that fit CJK text, real
date cells, integers as numbers, a fill colour per status, an autofilter, and text cells that
can never be formulas (register text such as "=HYPERLINK(...)" is stored as text, whatever it
says). openpyxl in write-only mode; loaded only when a workbook is written.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from rich.cells import cell_len

from renewal_cli.cells import column_letter
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


def _width(values: Sequence[Any]) -> float:
    widest = max(
        (cell_len(v.isoformat() if isinstance(v, date) else str(v)) for v in values), default=4
    )
    return min(60, max(6, widest + 2))


def workbook(
    headers: list[str],
    rows: list[list[Any]],
    fills: Sequence[str | None],
    title: str,
    decorate: Callable[[Any], None] | None = None,
) -> bytes:
    """The sheet as .xlsx bytes. `decorate` adds to the sheet once its rows are in (a chart);
    such a sheet prints on one landscape A4 page, the table beside what was added."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    columns = list(zip(headers, *rows, strict=True)) if rows else [(h,) for h in headers]
    for n, values in enumerate(columns):
        sheet.column_dimensions[column_letter(n)].width = _width(values)
    sheet.freeze_panes = "A2"
    if decorate is not None:  # set before the first row: a write-only sheet writes it then
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = 9  # A4 (Worksheet.PAPERSIZE_A4)
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 1
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
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
    sheet.auto_filter.ref = f"A1:{column_letter(len(headers) - 1)}{len(rows) + 1}"
    if decorate is not None:
        decorate(sheet)
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
    chart = None
    if len(records) > 1:
        chart = functools.partial(_summary_chart, records=records, lang=lang)
    return workbook(headers, rows, fills, text("xlsx.sheet.summary", lang), chart)


# The report's colours (output/report.py): target grey, valid blue, if renewed light blue.
_SERIES = {"target": "7F7F7F", "valid_dec31": "0072B2", "valid_dec31_if_renewed": "56B4E9"}


def _summary_chart(sheet: Any, records: Sequence[dict[str, object]], lang: Lang) -> None:
    """A native bar chart beside the summary: target, valid on 31 December and valid if
    renewed, one group of bars per place (the total row left out), in the sheet's order."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.data_source import AxDataSource, StrRef

    keys = list(records[0])
    places = len(records) - 1
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = text("xlsx.chart.summary", lang)
    chart.y_axis.title = text("xlsx.chart.certificates", lang)
    # Categories from the top down, as the sheet lists them (a bar chart starts at the bottom).
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.crosses = "max"  # the counts' axis at the bottom, below the last place
    # openpyxl 3.1 marks both axes deleted unless told otherwise: Excel would draw no labels.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    for key, colour in _SERIES.items():
        if key == "target" and all(r.get("target") is None for r in records[:-1]):
            continue
        column = keys.index(key) + 1
        chart.add_data(
            Reference(sheet, min_col=column, min_row=1, max_row=places + 1), titles_from_data=True
        )
        chart.series[-1].graphicalProperties.solidFill = colour
        chart.series[-1].graphicalProperties.line.solidFill = colour
    # The places as text categories (set_categories would make them a number reference).
    names = Reference(sheet, min_col=1, min_row=2, max_row=places + 1)
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(names)))
    chart.width = 18
    chart.height = max(7.5, 2.5 + 0.9 * places)
    sheet.add_chart(chart, f"{column_letter(len(keys) + 1)}2")


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
