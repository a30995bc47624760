"""The terminal table: rich, CJK-aware, a colour per status, user text never read as markup."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from datetime import date

from rich.console import Console
from rich.table import Table
from rich.text import Text

from renewal_cli.messages import Lang, field_label, label, text
from renewal_cli.models import ScheduleItem, Status

STATUS_STYLE: dict[Status, str] = {
    Status.PENDING: "yellow",
    Status.LATE: "bold red",
    Status.EXPIRED: "magenta",
    Status.FILED: "green",
}

_COLUMNS = (
    "file_by",
    "days_left",
    "status",
    "action",
    "cert_id",
    "enterprise",
    "product",
    "scheme",
    "city",
    "county",
    "expires_on",
    "flags",
)


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
    table = Table(title=title, caption=status_counts(items, lang), header_style="bold")
    for key in _COLUMNS:
        table.add_column(field_label(key, lang), justify="right" if key == "days_left" else "left")
    for item in items:
        c = item.certificate
        style = STATUS_STYLE[item.status]
        cells = {
            "file_by": item.file_by.isoformat(),
            "days_left": str(item.days_left),
            "status": label(item.status, lang),
            "action": label(item.action, lang),
            "cert_id": c.cert_id,
            "enterprise": c.enterprise,
            "product": c.product,
            "scheme": label(c.scheme, lang),
            "city": c.city,
            "county": c.county or "",
            "expires_on": c.expires_on.isoformat(),
            "flags": "、".join(label(f, lang) for f in item.flags)
            if lang is Lang.ZH
            else ", ".join(label(f, lang) for f in item.flags),
        }
        # Text objects, not strings: a company called "[/]" must not be read as rich markup.
        table.add_row(
            *(Text(cells[key], style=style if key == "status" else "") for key in _COLUMNS)
        )
    buffer = io.StringIO()
    measure = Console(file=io.StringIO(), width=10_000)
    natural = measure.measure(table).maximum
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width if width is not None else natural,
        highlight=False,
        emoji=False,
    )
    console.print(table)
    return buffer.getvalue()
