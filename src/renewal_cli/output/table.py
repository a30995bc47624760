"""The terminal table: rich, CJK-aware, a colour per status, user text never read as markup."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from datetime import date

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from renewal_cli.messages import Lang, label, text
from renewal_cli.models import ScheduleItem, Status

STATUS_STYLE: dict[Status, str] = {
    Status.PENDING: "yellow",
    Status.LATE: "bold red",
    Status.EXPIRED: "magenta",
    Status.FILED: "green",
}

# (column, options). Dates and ids never wrap; names wrap instead. Secondary facts sit on a
# second line of a cell (days under the date, flags under the status, scheme under the
# number), so the table still fits an 80-column terminal.
_COLUMNS: tuple[tuple[str, dict[str, object]], ...] = (
    ("file_by", {"no_wrap": True}),
    ("status", {"no_wrap": True}),
    ("cert_id", {"no_wrap": True}),
    ("expires_on", {"no_wrap": True}),
    ("enterprise", {"ratio": 4, "min_width": 8, "overflow": "fold"}),
    ("product", {"ratio": 1, "min_width": 4, "overflow": "fold"}),
    ("place", {"ratio": 1, "min_width": 6, "overflow": "fold"}),
)
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
    table = Table(
        title=Text(title, style="bold"),
        caption=Text(status_counts(items, lang) + "\n" + text("table.legend", lang)),
        box=box.SIMPLE_HEAD,
        header_style="bold",
        pad_edge=False,
        padding=(0, 1, 0, 0),
        show_edge=False,
    )
    for key, options in _COLUMNS:
        table.add_column(short[key], **options)  # type: ignore[arg-type]
    for item in items:
        c = item.certificate
        days = item.days_left
        when = short["days_ahead" if days >= 0 else "days_past"].format(days=abs(days))
        cells = {
            "file_by": f"{item.file_by.isoformat()}\n{when}",
            "status": "\n".join([label(item.status, lang), *(short[f.value] for f in item.flags)]),
            "cert_id": f"{c.cert_id}\n{short[c.scheme.value]}",
            "enterprise": c.enterprise,
            "product": c.product,
            "place": " ".join(p for p in (c.city, c.county) if p),
            "expires_on": c.expires_on.isoformat(),
        }
        # Text objects, not strings: a company called "[/]" must not be read as rich markup.
        style = STATUS_STYLE[item.status]
        table.add_row(
            *(Text(cells[key], style=style if key == "status" else "") for key, _ in _COLUMNS)
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
