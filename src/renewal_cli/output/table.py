"""The terminal table: CJK-aware, fitted to the terminal, a colour per status.

rich measures display cells, chops wide text and writes the colours; the grid itself is laid
out here, because rich's Table costs about 1 ms a row (2 s for a 2,000-row `--all`) and, left
to shrink columns itself, can drop a CJK character when it folds. User text goes into Text
objects, never through markup, so a holder called "[/]" prints as it is.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from rich.cells import cell_len, chop_cells
from rich.console import Console
from rich.text import Text

from renewal_cli.messages import Lang, text
from renewal_cli.models import Kind, ScheduleItem, Status
from renewal_cli.present import (
    day_count,
    label,
    place_label,
    plan_note,
    status_counts,
    status_label,
)

STATUS_STYLE: dict[Status, str] = {
    Status.PENDING: "yellow",
    Status.LATE: "bold red",
    Status.EXPIRED: "magenta",
    Status.FILED: "green",
    Status.SUPERSEDED: "dim",
}

# Column → whether it may wrap (fold) when the terminal is narrow. Dates and ids never wrap.
# Secondary facts sit on a second line of a cell (days under the date, flags under the status,
# scheme under the number), so the table fits an 80-column terminal.
_COLUMNS: dict[str, bool] = {
    "when": True,
    "status": False,
    "cert_id": False,
    "expires_on": False,
    "enterprise": True,
    "product": True,
    "place": True,
}
# The narrowest a wrapping column gets; below that the table is wider than the terminal.
_MIN_WIDTH = {"when": 10, "enterprise": 8, "product": 4, "place": 6}
# Space between columns (the box's separator plus the right padding).
_GAP = 2


def _widest(cells: list[str]) -> int:
    return max(cell_len(line) for cell in cells for line in cell.split("\n"))


def _fit(natural: dict[str, int], width: int | None) -> dict[str, int]:
    """Column widths: natural ones, or the widest wrapping column shrunk until the table fits.

    The text columns (holder, product, place) give way first; the day count under the file-by
    date folds only when they are as narrow as they go.
    """
    widths = dict(natural)
    if width is None:
        return widths
    excess = sum(widths.values()) + _GAP * (len(widths) - 1) - width
    for group in (("enterprise", "product", "place"), ("when",)):
        while excess > 0:
            shrinkable = [k for k in group if widths[k] > _MIN_WIDTH[k]]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda k: widths[k])
            widths[widest] -= 1
            excess -= 1
    return widths


def render_table(
    items: Sequence[ScheduleItem],
    *,
    as_of: date,
    plan_year: int,
    plan_used: int,
    lang: Lang,
    color: bool,
    width: int | None,
) -> str:
    """The table as text (with ANSI colours when `color`). Width None: as wide as it needs.
    The title names the plan used (`plan_used`: the year of the plan in force)."""
    plan = plan_note(plan_year, plan_used, lang)
    title = text("table.title", lang, as_of=as_of.isoformat(), plan=plan)
    if not items:
        return text("table.empty", lang, as_of=as_of.isoformat()) + "\n"
    short = {key: text(f"table.heading.{key}", lang) for key in _COLUMNS}
    rows = [item_cells(item, lang) for item in items]
    widths = _fit({key: _widest([short[key], *(r[key] for r in rows)]) for key in _COLUMNS}, width)
    total = sum(widths.values()) + _GAP * (len(widths) - 1)
    out = Text(end="", no_wrap=True)
    out.append(_center(title, total) + "\n", style="bold")
    _append_line(out, [[short[key]] for key in _COLUMNS], widths, 0, style="bold")
    out.append("─" * total + "\n")
    for row, item in zip(rows, items, strict=True):
        cells = [_fold(row[key], widths[key], fold) for key, fold in _COLUMNS.items()]
        for index in range(max(len(lines) for lines in cells)):
            _append_line(out, cells, widths, index, status_style=STATUS_STYLE[item.status])
    out.append("\n")
    legend = text("table.legend", lang, cohort=plan_year - 3, next_year=plan_year + 1)
    for line in (status_counts(items, lang), *legend.split("\n")):
        # A line wider than the table (many kinds of status) is cut at the table's width.
        for piece in chop_cells(line, total) if cell_len(line) > total else [line]:
            out.append(_center(piece, total) + "\n")
    if not color:
        return out.plain
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        color_system="standard",
        width=total,
        highlight=False,
        emoji=False,
    )
    console.print(out, soft_wrap=True, end="")
    return buffer.getvalue()


def item_cells(item: ScheduleItem, lang: Lang) -> dict[str, str]:
    """The cells of an item's row, by column (see _COLUMNS); a cell's lines joined by "\n".
    The HTML report lists items with these cells too."""
    c = item.certificate
    status_lines = [status_label(item, lang), *(label(f, lang) for f in item.flags)]
    what = [label(c.scheme, lang)]
    if item.kind is not Kind.RENEWAL:
        what.append(label(item.kind, lang))
    when = [item.file_by.isoformat()]
    if item.status is Status.PENDING and item.submit_by not in (None, item.file_by):
        assert item.submit_by is not None
        same_year = item.submit_by.year == item.file_by.year
        day = item.submit_by.strftime("%m-%d") if same_year else item.submit_by.isoformat()
        when.append(text("table.submit_by", lang, day=day))
    return {
        "when": "\n".join([*when, day_count(item, lang)]),
        "status": "\n".join(status_lines),
        "cert_id": "\n".join([c.cert_id or "—", *what]),
        "enterprise": c.enterprise,
        "product": c.product,
        "place": place_label(c.city, c.county),
        "expires_on": c.expires_on.isoformat() if c.expires_on else "—",
    }


COLUMNS = tuple(_COLUMNS)
"""The item table's columns, in order (their headings are table.heading.KEY)."""


def _center(line: str, total: int) -> str:
    return " " * max(0, (total - cell_len(line)) // 2) + line


def _fold(cell: str, width: int, fold: bool) -> list[str]:
    """A cell's lines at `width`: broken at spaces first, longer words chopped by display cells."""
    lines: list[str] = []
    for part in cell.split("\n"):
        if not fold or cell_len(part) <= width:
            lines.append(part)
            continue
        line = ""
        for word in part.split(" "):
            candidate = f"{line} {word}" if line else word
            if cell_len(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            pieces = chop_cells(word, width) if cell_len(word) > width else [word]
            lines.extend(pieces[:-1])
            line = pieces[-1]
        lines.append(line)
    return lines


def _append_line(
    out: Text,
    cells: list[list[str]],
    widths: dict[str, int],
    index: int,
    *,
    style: str = "",
    status_style: str = "",
) -> None:
    """Line `index` of a row: each cell's line padded to its column, no trailing spaces."""
    segments: list[tuple[str, str]] = []
    for key, lines in zip(_COLUMNS, cells, strict=True):
        cell = lines[index] if index < len(lines) else ""
        cell_style = status_style if key == "status" and index == 0 and status_style else style
        segments.append((cell, cell_style))
        segments.append((" " * (widths[key] - cell_len(cell) + _GAP), ""))
    while segments and not segments[-1][0].strip():
        segments.pop()
    for segment, segment_style in segments:
        out.append(segment, style=segment_style)
    out.append("\n")
