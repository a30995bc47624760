"""The report as one self-contained HTML page: Jinja2 with autoescaping, charts as inline SVG.

The page loads nothing: its style sheet is in the page, the charts are SVG drawn by pygal
(without its tooltip script), and the fonts are the system's own CJK fonts, named in a font
stack. Every word comes from messages.py and present.py (the item table's cells are the terminal
table's); every number from report.py. Register text reaches the page only through Jinja2's
autoescaping (the holder and item tables); the charts carry only place names and our own words,
and pygal escapes those too.

pygal is asked for what a page that is printed and read by a screen reader needs: no script, a
fixed id (not a random one), no comments (one of them carries the day pygal was run), no tooltip
data, and role="img" with a title and a description that points at the numbers table.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from rich.cells import cell_len

from renewal_cli.messages import KIND_STATUS, Lang, text
from renewal_cli.models import Kind, Scheme, Status
from renewal_cli.output.table import COLUMNS, item_cells
from renewal_cli.places import Scope
from renewal_cli.policy import Policy
from renewal_cli.present import join, kind_status_label, label, place_label, plan_note, status_parts
from renewal_cli.report import Monthly, Report, Series, Source
from renewal_cli.yearend import TOTAL, SummaryRow

if TYPE_CHECKING:
    from jinja2 import Template

# Above these, a table is cut and says how to get the rest: at 10^5 rows the page stays well
# under 2 MB (an item row is about 600 bytes).
ITEM_LIMIT = 2000
HOLDER_LIMIT = 300

FONTS = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", "SimHei", sans-serif'
)
# Okabe and Ito's colours, told apart with the common kinds of colour blindness; the numbers
# tables carry the figures for whoever cannot tell colours apart at all.
TARGET, VALID, RENEWED = "#7f7f7f", "#0072B2", "#56B4E9"
STATUS_COLOURS = {
    Status.FILED: "#009E73",
    Status.LATE: "#D55E00",
    Status.EXPIRED: "#CC79A7",
    Status.SUPERSEDED: "#999999",
}
# Chart 2: a hue per kind, the full colour for what is still to do and a pale one for done.
KIND_COLOURS = {
    Kind.RENEWAL: ("#0072B2", "#9CC3E0"),
    Kind.TRANSFER: ("#CC79A7", "#E8C3D8"),
    Kind.NEW_APPLICATION: ("#E69F00", "#F3D48C"),
    Kind.ANNUAL_INSPECTION: ("#009E73", "#99D8C7"),
    Kind.ANNUAL_CONFIRMATION: ("#D55E00", "#EEB799"),
    Kind.QUALITY_TEST: ("#56B4E9", "#BBE1F6"),
}
CHART_WIDTH = 900


def plan_words(policy: Policy, lang: Lang) -> str:
    """The plan the page applied, in the words every output uses (present.plan_note): named as
    a plan only when that year's plan is loaded, else that an earlier year's plan is used."""
    return plan_note(policy.plan_year, policy.plan_used, lang)


def scope_words(scope: Scope, schemes: frozenset[Scheme], lang: Lang) -> str:
    """The place a report is about (its counties, else its cities, else the whole region),
    and its schemes when the report is narrowed to some."""
    names = sorted(scope.counties) or sorted(scope.cities)
    words = join(names, lang) if names else text("report.region", lang)
    if schemes:
        chosen = join((label(s, lang) for s in Scheme if s in schemes), lang)
        words += text("report.schemes", lang, schemes=chosen)
    return words


@dataclass(frozen=True)
class Figure:
    """A chart and its numbers: the SVG (None when there is nothing to draw) and a table."""

    key: str
    title: str
    note: str
    svg: Markup | None
    empty: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    foot: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table of register text: headings, rows of cells (a cell's lines as a tuple), and what
    to say when it is empty or cut."""

    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], ...], ...]
    empty: str
    cut: str


def render_report(
    report: Report,
    lang: Lang,
    *,
    item_limit: int = ITEM_LIMIT,
    holder_limit: int = HOLDER_LIMIT,
) -> bytes:
    """The page, as UTF-8 bytes."""
    place = scope_words(report.scope, report.schemes, lang)
    as_of = report.as_of.isoformat()
    page: dict[str, Any] = {
        "lang": "zh-CN" if lang is Lang.ZH else "en",
        "title": text("report.title", lang, place=place),
        "place": place,
        "place_level": text(
            "report.place", lang, place=place, level=text(f"report.level.{report.by.value}", lang)
        ),
        "as_of": as_of,
        "plan": plan_words(report.policy, lang),
        "sources": [_source(s, lang) for s in report.sources],
        "empty": text("report.empty", lang, place=place) if report.empty else "",
        "figures": _headline(report, lang),
        "year_end": _year_end(report.total, report.policy.plan_year, lang),
        "charts": [_targets(report, lang), _coming(report.coming, lang), _year(report, lang)],
        "holders": _holders(report, lang, holder_limit),
        "item_table": _items(report, lang, item_limit),
        "footer": text("report.footer", lang, as_of=as_of),
    }

    def words(key: str, **params: object) -> str:
        return text(key, lang, **params)

    css = {
        "fonts": Markup(FONTS),
        "footer": _css_string(text("report.footer", lang, as_of=as_of)),
        "page": _css_counters(text("report.page", lang, page="{page}", pages="{pages}")),
    }
    return _template().render(page=page, t=words, css=css).encode("utf-8")


def _source(source: Source, lang: Lang) -> str:
    """A register and its counts, in the words of the count line on stderr."""
    words = text(
        "note.counts",
        lang,
        source=source.name,
        rows=source.rows,
        certificates=source.certificates,
        problems=source.problems,
    )
    if source.outside:
        words += text("note.outside", lang, count=source.outside)
    return words


@cache
def _template() -> Template:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("renewal_cli", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template("report.html.j2")


def _css_string(value: str) -> Markup:
    """`value` as a CSS string literal, safe inside <style> (no quote, backslash, line break
    or "<" left bare)."""
    escaped = "".join(
        f"\\{ord(ch):x} " if ch in '"\\<>&\n\r' or ord(ch) < 32 else ch for ch in value
    )
    return Markup(f'"{escaped}"')


def _css_counters(words: str) -> Markup:
    """ "第 {page} 页，共 {pages} 页" as CSS content: strings around counter(page) and
    counter(pages)."""
    parts = re.split(r"\{(page|pages)\}", words)
    # re.split keeps the captured names at the odd places.
    tokens = [
        f"counter({part})" if n % 2 else _css_string(part) for n, part in enumerate(parts) if part
    ]
    return Markup(" ".join(tokens))


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)


def _headline(report: Report, lang: Lang) -> list[tuple[str, str, str]]:
    """(label, value, note) of each headline figure."""
    h = report.headline
    year = report.policy.plan_year
    share = h.share
    if share is None:
        value, note = "—", text("report.figure.share_none", lang)
    else:
        value = text("report.percent", lang, value=f"{share * 100:.0f}")
        judged = h.filed_in_time + h.missed
        note = text("report.figure.share_of", lang, filed=h.filed_in_time, judged=judged)
    if h.renewed:
        note += ("；" if lang is Lang.ZH else "; ") + text(
            "report.figure.renewed", lang, count=h.renewed
        )
    return [
        (text("report.figure.valid_today", lang), str(h.valid_today), ""),
        (text("report.figure.due_soon", lang), str(h.due_soon), ""),
        (text("report.figure.late_now", lang), str(h.late_now), ""),
        (text("report.figure.expired_recently", lang), str(h.expired_recently), ""),
        (text("report.figure.share", lang, year=year), value, note),
    ]


def _year_end(total: SummaryRow, year: int, lang: Lang) -> str:
    if total.target is None:
        return text(
            "report.year_end.no_target",
            lang,
            year=year,
            valid=total.valid_dec31,
            renewed=total.valid_dec31_if_renewed,
        )
    return text(
        "report.year_end",
        lang,
        year=year,
        target=total.target,
        valid=total.valid_dec31,
        renewed=total.valid_dec31_if_renewed,
        gap=total.gap,
    )


def _place_name(row: SummaryRow, lang: Lang) -> str:
    return text("summary.total", lang) if row.place == TOTAL else row.place


def _targets(report: Report, lang: Lang) -> Figure:
    """Chart 1: the places one level below the scope, target against valid on 31 December."""
    year = report.policy.plan_year
    rows = report.places
    keys = ("target", "valid_dec31", "valid_dec31_if_renewed", "gap")
    headings = tuple(text(f"summary.heading.{k}", lang) for k in ("place", *keys))

    def cells(row: SummaryRow) -> tuple[str, ...]:
        values = (row.target, row.valid_dec31, row.valid_dec31_if_renewed, row.gap)
        return (_place_name(row, lang), *(_count(v) for v in values))

    has_target = any(r.target is not None for r in rows)
    kind = f"{report.by.value}_target" if has_target else report.by.value
    title = text(f"report.targets.title.{kind}", lang, year=year)
    series = [
        (headings[2], [r.valid_dec31 for r in rows], VALID),
        (headings[3], [r.valid_dec31_if_renewed for r in rows], RENEWED),
    ]
    if has_target:
        series.insert(0, (headings[1], [r.target or 0 for r in rows], TARGET))
    drawn = any(any(values) for _, values, _ in series)
    svg = None
    if drawn and not report.empty:
        # pygal draws a horizontal bar chart's first label at the bottom: reversed, the
        # largest gap is at the top, as in the table.
        svg = _chart(
            "targets",
            title,
            [r.place for r in reversed(rows)],
            [(name, values[::-1], colour) for name, values, colour in series],
            lang,
            horizontal=True,
            width=1100,
            height=max(220, 100 + len(rows) * (11 * len(series) + 10)),
        )
    return Figure(
        key="targets",
        title=title,
        note=text("report.targets.note" if has_target else "report.targets.note_no_target", lang),
        svg=svg,
        empty="" if drawn else text("report.targets.none", lang),
        headings=headings,
        rows=tuple(cells(r) for r in rows),
        foot=cells(report.total),
    )


def _series_name(series: Series, lang: Lang) -> str:
    """A status (chart 3), or a kind and status (chart 2) in the words `due` shows them with:
    the kind's own word for the status when it has one (待年检), else kind·status."""
    kind, status = series
    if kind is None:
        return label(status, lang)
    if (kind, status) in KIND_STATUS:
        return kind_status_label(kind, status, lang)
    return text(
        "report.series",
        lang,
        kind=label(kind, lang),
        status=kind_status_label(kind, status, lang),
    )


def _monthly_figure(
    key: str,
    title: str,
    note: str,
    empty: str,
    monthly: Monthly,
    colours: Sequence[str],
    lang: Lang,
) -> Figure:
    """A month-by-month stacked chart and its table (months down, series across, totals)."""
    names = [_series_name(s, lang) for s in monthly.series]
    months = [m.strftime("%Y-%m") for m in monthly.months]
    headings = (text("report.month", lang), *names, text("summary.total", lang))
    rows = tuple(
        (month, *(str(counts[n]) for counts in monthly.counts), str(monthly.totals[n]))
        for n, month in enumerate(months)
    )
    foot = (
        text("summary.total", lang),
        *(str(sum(counts)) for counts in monthly.counts),
        str(monthly.total),
    )
    svg = None
    if monthly.total:
        series = [
            (name, list(counts), colour)
            for name, counts, colour in zip(names, monthly.counts, colours, strict=True)
        ]
        svg = _chart(
            key, title, months, series, lang, horizontal=False, width=CHART_WIDTH, height=380
        )
    return Figure(
        key=key,
        title=title,
        note=note,
        svg=svg,
        empty="" if monthly.total else empty,
        headings=headings,
        rows=rows if monthly.total else (),
        foot=foot if monthly.total else (),
    )


def _coming(monthly: Monthly, lang: Lang) -> Figure:
    """Chart 2: deadlines in the next 12 months, by kind and status."""
    first, last = monthly.months[0], monthly.months[-1]
    title = text(
        "report.coming.title", lang, first=first.strftime("%Y-%m"), last=last.strftime("%Y-%m")
    )
    colours = [
        KIND_COLOURS[kind][status is not Status.PENDING] if kind else STATUS_COLOURS[status]
        for kind, status in monthly.series
    ]
    return _monthly_figure(
        "coming",
        title,
        text("report.coming.note", lang),
        text("report.coming.none", lang),
        monthly,
        colours,
        lang,
    )


def _year(report: Report, lang: Lang) -> Figure:
    """Chart 3: the plan year's months so far, renewals filed in time, late and expired."""
    monthly = report.year_so_far
    year = report.policy.plan_year
    empty = "report.year.none" if monthly.months else "report.year.not_started"
    return _monthly_figure(
        "year",
        text("report.year.title", lang, year=year),
        text("report.year.note", lang),
        text(empty, lang, year=year),
        monthly,
        [STATUS_COLOURS[status] for _, status in monthly.series],
        lang,
    )


def _chart(
    key: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int], str]],
    lang: Lang,
    *,
    horizontal: bool,
    width: int,
    height: int,
) -> Markup:
    """One chart as inline SVG: bars side by side (horizontal) or stacked (by month)."""
    pygal = _pygal()
    from pygal.style import Style

    # Chart 1 is drawn wider and printed smaller than the monthly charts: larger type.
    font = 17 if horizontal else 13

    style = Style(
        font_family=FONTS,
        background="white",
        plot_background="white",
        foreground="#222222",
        foreground_strong="#111111",
        foreground_subtle="#d0d0d0",
        opacity="1",
        opacity_hover="1",
        transition="0s",
        colors=tuple(colour for _, _, colour in series),
        label_font_size=font,
        major_label_font_size=font,
        legend_font_size=font + 1,
        value_font_size=font - 1,
        title_font_size=15,
    )
    if horizontal:
        top = max((max(values, default=0) for _, values, _ in series), default=0)
    else:
        top = max((sum(month) for month in zip(*(v for _, v, _ in series), strict=True)), default=0)
    kind = pygal.HorizontalBar if horizontal else pygal.StackedBar
    # pygal makes room for labels at 0.6 of the font size a character; a CJK character takes
    # a whole one (two cells), so the labels' column is widened by the difference.
    wide = max((cell_len(name) * 0.55 - len(name) * 0.6 for name in labels), default=0)
    chart = kind(
        js=[],
        style=style,
        width=width,
        height=height,
        legend_at_bottom=True,
        legend_at_bottom_columns=min(len(series), 3),
        truncate_legend=-1,
        truncate_label=-1,
        print_values=True,
        print_values_position="top" if horizontal else "center",
        print_zeroes=False,
        disable_xml_declaration=True,
        y_labels=_ticks(top),
        margin=12,
        margin_left=12 + round(max(0.0, wide) * font) if horizontal else 12,
    )
    chart.uuid = key  # the id its style sheet is scoped to: fixed, so the page is the same each run
    chart.x_labels = list(labels)
    for name, values, _ in series:
        chart.add(name, list(values))
    description = text("report.chart", lang, title=title)
    chart.add_xml_filter(lambda root: _accessible(root, key, title, description))
    return Markup(chart.render(is_unicode=True))


@cache
def _pygal() -> Any:
    """pygal, without the import hook it adds for its map plugins (no map is drawn here): the
    hook has no find_spec, so every later import of a module that is not installed would warn
    (ImportWarning) for as long as the process runs."""
    import pygal

    hook = getattr(pygal, "PluginImportFixer", None)
    if hook is not None:
        sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, hook)]
    return pygal


def _ticks(top: int) -> list[int]:
    """Whole-number ticks from 0 to at least `top`, about five of them."""
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        step = candidate
        if top / candidate <= 6:
            break
    last = max(step, -(-top // step) * step)
    return list(range(0, last + 1, step))


def _accessible(root: Any, key: str, title: str, description: str) -> Any:
    """The SVG as one image to assistive technology, named and described; without pygal's
    comments, its configuration script (written even with js=[]) and its tooltip data."""
    dropped = ("script", "desc", "title")
    for node in list(root.iter()):
        # Comments and processing instructions have a function, not a string, as their tag.
        tag = node.tag.rsplit("}", 1)[-1] if isinstance(node.tag, str) else None
        if tag is None or tag in dropped:
            parent = node.getparent()
            if parent is not None:
                parent.remove(node)
    maker = root.makeelement
    heading = maker("title", {"id": f"{key}-title"})
    heading.text = title
    told = maker("desc", {"id": f"{key}-desc"})
    told.text = description
    root.insert(0, told)
    root.insert(0, heading)
    root.set("role", "img")
    root.set("aria-labelledby", f"{key}-title")
    root.set("aria-describedby", f"{key}-desc")
    return root


def _holders(report: Report, lang: Lang, limit: int) -> Table:
    """The holders late or due within 30 days, with their contact and phone."""
    keys = ("enterprise", "county", "contact", "phone", "todo", "file_by")
    headings = tuple(
        text("summary.heading.place" if k == "county" else f"holders.heading.{k}", lang)
        for k in keys
    )
    rows = tuple(
        (
            (h.name,),
            (place_label(h.city, h.county),),
            (h.contact or "",),
            (h.phone or "",),
            (status_parts(h.items, lang),),
            (h.file_by.isoformat(),),
        )
        for h in report.holders[:limit]
    )
    total = len(report.holders)
    return Table(
        title=text("report.holders.title", lang),
        headings=headings,
        rows=rows,
        empty=text("report.holders.none", lang),
        cut=text("report.holders.cut", lang, shown=limit, total=total) if total > limit else "",
    )


def _items(report: Report, lang: Lang, limit: int) -> Table:
    """Every item listed, as `renewal due` shows it (the terminal table's cells)."""
    headings = tuple(text(f"table.heading.{key}", lang) for key in COLUMNS)
    rows = tuple(
        tuple(tuple(cells[key].split("\n")) for key in COLUMNS)
        for cells in (item_cells(item, lang) for item in report.items[:limit])
    )
    total = len(report.items)
    return Table(
        title=text("report.items.title", lang),
        headings=headings,
        rows=rows,
        empty=text("table.empty", lang, as_of=report.as_of.isoformat()),
        cut=text("report.items.cut", lang, shown=limit, total=total) if total > limit else "",
    )
