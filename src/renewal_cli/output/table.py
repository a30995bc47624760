"""The terminal table: CJK-aware, fitted to the terminal, a colour per status.

rich measures display cells, chops wide text and writes the colours; the grid itself is laid
out here, because rich's Table costs about 1 ms a row (2 s for a 2,000-row `--all`) and, left
to shrink columns itself, can drop a CJK character when it folds. User text goes into Text
objects, never through markup, so a holder called "[/]" prints as it is.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from datetime import date

from rich.cells import cell_len, chop_cells
from rich.console import Console
from rich.text import Text

from renewal_cli.messages import Lang, label, text
from renewal_cli.models import ScheduleItem, Status

STATUS_STYLE: dict[Status, str] = {
    Status.PENDING: "yellow",
    Status.LATE: "bold red",
    Status.EXPIRED: "magenta",
    Status.FILED: "green",
}

# Column → whether it may wrap (fold) when the terminal is narrow. Dates and ids never wrap.
# Secondary facts sit on a second line of a cell (days under the date, flags under the status,
# scheme under the number), so the table fits an 80-column terminal.
_COLUMNS: dict[str, bool] = {
    "file_by": False,
    "status": False,
    "cert_id": False,
    "expires_on": False,
    "enterprise": True,
    "product": True,
    "place": True,
}
# The narrowest a wrapping column gets; below that the table is wider than the terminal.
_MIN_WIDTH = {"enterprise": 8, "product": 4, "place": 6}
# Space between columns (the box's separator plus the right padding).
_GAP = 2


def _widest(cells: list[str]) -> int:
    return max(cell_len(line) for cell in cells for line in cell.split("\n"))


def _fit(natural: dict[str, int], width: int | None) -> dict[str, int]:
    """Column widths: natural ones, or the widest wrapping column shrunk until the table fits."""
    widths = dict(natural)
    if width is None:
        return widths
    excess = sum(widths.values()) + _GAP * (len(widths) - 1) - width
    while excess > 0:
        shrinkable = [k for k in _MIN_WIDTH if widths[k] > _MIN_WIDTH[k]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda k: widths[k])
        widths[widest] -= 1
        excess -= 1
    return widths


# Headings and short forms for the table only; CSV and calendars use the full labels.
_SHORT: dict[Lang, dict[str, str]] = {
    Lang.ZH: {
        "file_by": "申报截止",
        "status": "状态",
        "cert_id": "证书编号",
        "enterprise": "企业",
        "product": "产品",
        "place": "地区",
        "expires_on": "有效期至",
        "green": "绿色食品",
        "organic": "有机农产品",
        "plan_cohort": "本年批次",
        "next_h1": "明年上半年",
        "days_ahead": "还剩{days}天",
        "days_past": "已过{days}天",
    },
    Lang.EN: {
        "file_by": "file by",
        "status": "status",
        "cert_id": "certificate",
        "enterprise": "holder",
        "product": "product",
        "place": "place",
        "expires_on": "expires",
        "green": "green food",
        "organic": "organic",
        "plan_cohort": "cohort",
        "next_h1": "next H1",
        "days_ahead": "in {days} d",
        "days_past": "{days} d ago",
    },
}


def status_counts(items: Sequence[ScheduleItem], lang: Lang) -> str:
    """ "共 5 条：待申报 3，已逾期 2" — counts in the order of the Status enum."""
    counts = Counter(item.status for item in items)
    sep = "，" if lang is Lang.ZH else ", "
    parts = sep.join(f"{label(s, lang)} {counts[s]}" for s in Status if counts[s])
    return text("table.counts", lang, total=len(items), parts=parts or "0")


def render_table(
    items: Sequence[ScheduleItem],
    *,
    as_of: date,
    plan_year: int,
    lang: Lang,
    color: bool,
    width: int | None,
) -> str:
    """The table as text (with ANSI colours when `color`). Width None: as wide as it needs."""
    title = text("table.title", lang, as_of=as_of.isoformat(), plan_year=plan_year)
    if not items:
        return text("table.empty", lang, as_of=as_of.isoformat()) + "\n"
    short = _SHORT[lang]
    rows: list[dict[str, str]] = []
    for item in items:
        c = item.certificate
        days = item.days_left
        when = short["days_ahead" if days >= 0 else "days_past"].format(days=abs(days))
        rows.append(
            {
                "file_by": f"{item.file_by.isoformat()}\n{when}",
                "status": "\n".join(
                    [label(item.status, lang), *(short[f.value] for f in item.flags)]
                ),
                "cert_id": f"{c.cert_id}\n{short[c.scheme.value]}",
                "enterprise": c.enterprise,
                "product": c.product,
                "place": " ".join(p for p in (c.city, c.county) if p),
                "expires_on": c.expires_on.isoformat(),
            }
        )
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
    for line in (status_counts(items, lang), text("table.legend", lang)):
        out.append(_center(line, total) + "\n")
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
