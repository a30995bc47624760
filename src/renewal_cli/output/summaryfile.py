"""The year-end summary as a table, CSV or JSON (one row per place, the total last)."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from renewal_cli.messages import Lang, text
from renewal_cli.output.csvwriter import csv_text
from renewal_cli.present import plan_note
from renewal_cli.yearend import SUMMARY_KEYS, TOTAL, SummaryRow


def _place(row: SummaryRow, lang: Lang) -> str:
    if row.place == TOTAL:
        return text("summary.total", lang)  # of the places listed
    return text(f"scheme.{row.place}", lang) if row.place in ("green", "organic") else row.place


def _cells(row: SummaryRow, lang: Lang) -> list[str]:
    record = row.record()
    values = ["" if record[k] is None else str(record[k]) for k in SUMMARY_KEYS[1:]]
    return [_place(row, lang), *values]


def summary_record(row: SummaryRow, *, plan_year: int, plan_used: int) -> dict[str, object]:
    """A row's JSON object: its record with the plan year asked and the year of the plan used
    (CSV and .xlsx keep their columns)."""
    return row.record() | {"plan_year": plan_year, "plan_used": plan_used}


def render_summary_json(rows: Sequence[SummaryRow], *, plan_year: int, plan_used: int) -> str:
    """One object per row (`summary_record`), the array as it was."""
    lines = ",\n".join(
        json.dumps(summary_record(r, plan_year=plan_year, plan_used=plan_used), ensure_ascii=False)
        for r in rows
    )
    return f"[\n{lines}\n]\n"


def render_summary_csv(rows: Sequence[SummaryRow], lang: Lang) -> str:
    """The table's headings and cells as CSV text (csvwriter.csv_text)."""
    headings = [text(f"summary.heading.{k}", lang) for k in SUMMARY_KEYS]
    return csv_text(headings, (_cells(row, lang) for row in rows))


def render_summary_table(
    rows: Sequence[SummaryRow],
    *,
    plan_year: int,
    plan_used: int,
    as_of: str,
    lang: Lang,
    color: bool,
) -> str:
    """Right-aligned counts, the gap in red when short of the target, the total at the bottom;
    the title names the plan used, as the due table's does."""
    headings = [text(f"summary.heading.{k}", lang) for k in SUMMARY_KEYS]
    body = [_cells(r, lang) for r in rows]
    widths = [max(cell_len(c) for c in col) for col in zip(headings, *body, strict=True)]
    total = sum(widths) + 2 * (len(widths) - 1)
    out = Text(no_wrap=True, end="")
    plan = plan_note(plan_year, plan_used, lang)
    title = text("summary.title", lang, plan_year=plan_year, as_of=as_of, plan=plan)
    out.append(" " * max(0, (total - cell_len(title)) // 2) + title + "\n", style="bold")
    out.append(_line(headings, widths) + "\n", style="bold")
    out.append("─" * total + "\n")
    gap_at = SUMMARY_KEYS.index("gap")
    for index, (row, cells) in enumerate(zip(rows, body, strict=True)):
        if row.place == TOTAL and index:
            out.append("─" * total + "\n")
        for n, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            pad = " " * (width - cell_len(cell))
            aligned = cell + pad if n == 0 else pad + cell
            style = ""
            if n == gap_at and row.gap is not None:
                style = "bold red" if row.gap > 0 else "green"
            out.append(aligned, style=style)
            if n < len(cells) - 1:
                out.append("  ")
        out.append("\n")
    out.append(text("summary.legend", lang) + "\n")
    if not color:
        return out.plain
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=True, color_system="standard", width=total).print(
        out, soft_wrap=True, end=""
    )
    return buffer.getvalue()


def _line(cells: list[str], widths: list[int]) -> str:
    parts = [
        c + " " * (w - cell_len(c)) if n == 0 else " " * (w - cell_len(c)) + c
        for n, (c, w) in enumerate(zip(cells, widths, strict=True))
    ]
    return "  ".join(parts)
