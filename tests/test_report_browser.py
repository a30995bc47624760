"""The report page in a real browser: Debian's chromium, driven by Playwright with that
executable (no browser is ever downloaded). Skipped, with the reason, where either is missing;
CI installs chromium (.ci/run).

Checked the way an officer and a leader meet the page: opened from a file with nothing else
loaded, read with scripts on and off, seen (screenshots that are not blank), read by a screen
reader (each chart an image with a name, its numbers a table), and printed to PDF (read back
with pypdf: pages, landscape A4, the footer, charts not cut, table headings repeated).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import GOLDEN, run
from reportkit import numbers, parse, write_register

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def _chromium() -> str | None:
    """Debian's chromium: RENEWAL_CHROMIUM, else where Debian puts it, else on the PATH."""
    for candidate in (
        os.environ.get("RENEWAL_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


CHROMIUM = _chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium installed (apt-get install chromium)"
)
ROOT = Path(__file__).resolve().parents[1]
SAMPLE = str(ROOT / "examples" / "sample_register.csv")
CHARTS = ("targets", "coming", "year")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


def _write(runner: Any, path: Path, *args: str) -> Path:
    result = run(runner, "report", *args, "-o", str(path))
    assert result.exit_code == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def sample_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample register's page in each language, written once for the module (each took a
    second): tests only open and read them."""
    folder = tmp_path_factory.mktemp("pages")
    runner = CliRunner()
    pages = {}
    for lang in ("zh", "en"):
        path = folder / f"报告-{lang}.html"
        pages[lang] = _write(runner, path, SAMPLE, "--as-of", "2024-11-29", "--lang", lang)
    return pages


@pytest.fixture
def sample_page(sample_pages: dict[str, Path]) -> Path:
    return sample_pages["zh"]


@pytest.fixture(scope="module")
def sample_sheets(browser: Any, sample_pages: dict[str, Path]) -> dict[str, list[str]]:
    """Each sample page printed to PDF once (six seconds a print): each sheet's text."""
    return {lang: _pdf_pages(browser, path) for lang, path in sample_pages.items()}


def _open(browser: Any, path: Path, **context: Any) -> tuple[Any, dict[str, list[str]]]:
    """The page opened from its file, with every request, console error and page error."""
    seen: dict[str, list[str]] = {"requests": [], "errors": [], "failed": []}
    page = browser.new_context(viewport={"width": 1280, "height": 900}, **context).new_page()
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("requestfailed", lambda r: seen["failed"].append(r.url))
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    return page, seen


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("scripts", [True, False], ids=["scripts-on", "scripts-off"])
def test_page_loads_alone_without_errors(
    browser: Any, sample_pages: dict[str, Path], lang: str, scripts: bool
) -> None:
    path = sample_pages[lang]
    page, seen = _open(browser, path, java_script_enabled=scripts)
    assert seen == {"requests": [path.as_uri()], "errors": [], "failed": []}
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh" else "en")
    for key in CHARTS:  # drawn without any script: inline SVG
        box = page.locator(f"#chart-{key}").bounding_box()
        assert box is not None and box["width"] > 400 and box["height"] > 150


def test_each_chart_is_a_named_image_with_its_numbers(browser: Any, sample_page: Path) -> None:
    page, _ = _open(browser, sample_page)
    tables = parse(sample_page.read_bytes())
    for key in CHARTS:
        title = page.locator(f"#{key}-h").inner_text()
        assert page.get_by_role("img", name=title).count() == 1
        table = page.get_by_role("table", name=f"{title}（数字）")
        assert table.count() == 1
        shown = numbers(tables, key)
        assert shown is not None
        series = shown.rows if key == "targets" else [row[:-1] for row in shown.rows]
        wanted = {cell for row in series for cell in row[1:] if cell not in ("0", "—")}
        if key == "targets":  # the gap column is in the table only
            wanted = {cell for row in series for cell in row[1:-1] if cell not in ("0", "—")}
        drawn = set(page.locator(f"#chart-{key} text").all_text_contents())
        assert wanted <= drawn, wanted - drawn


INK = """async (png) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) ink++;
  }
  return ink / (data.length / 4);
}"""


def _ink(browser: Any, png: bytes) -> float:
    """The share of a screenshot's pixels that are not white, measured by the browser."""
    counter = browser.new_page()
    share = counter.evaluate(INK, base64.b64encode(png).decode())
    counter.close()
    return float(share)


def test_screenshots_are_not_blank(browser: Any, sample_page: Path) -> None:
    page, _ = _open(browser, sample_page, java_script_enabled=False)
    assert _ink(browser, page.screenshot(full_page=True)) > 0.02
    for key in CHARTS:
        assert _ink(browser, page.locator(f"#chart-{key}").screenshot()) > 0.03, key


def _pdf_pages(browser: Any, path: Path) -> list[str]:
    """The page printed to PDF (A4 landscape from its own CSS), each sheet's text."""
    from io import BytesIO

    from pypdf import PdfReader

    page, _ = _open(browser, path)
    pdf = PdfReader(BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    for sheet in pdf.pages:
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    return [fold(sheet.extract_text()) for sheet in pdf.pages]


CJK = re.compile("[\u2e80-\u2fdf\u3400-\u9fff]")


def fold(words: str) -> str:
    """Text as compared with a PDF's: a CJK font's glyph shared by an ideograph and a radical
    may come back as the radical (⻚ for 页, ⽉ for 月), so every CJK character is one mark;
    full-width forms and spacing as NFKC makes them."""
    return CJK.sub("字", unicodedata.normalize("NFKC", words))


FOOTERS = {
    "zh": ("截至 2026-11-29", "第 {n} 页，共 {m} 页"),
    "en": ("As of 2026-11-29", "page {n} of {m}"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_small_register_prints_on_three_pages(
    browser: Any, runner: Any, tmp_path: Path, lang: str
) -> None:
    """Page 1 the headline and chart 1, page 2 charts 2 and 3, page 3 the two tables; the
    as-of day and the page numbers in every footer; no chart cut across two sheets."""
    register = str(GOLDEN / "register.csv")
    path = _write(runner, tmp_path / "r.html", register, "--as-of", "2026-11-29", "--lang", lang)
    sheets = _pdf_pages(browser, path)
    assert len(sheets) == 3
    as_of, numbering = FOOTERS[lang]
    for number, sheet in enumerate(sheets, start=1):
        assert fold(numbering.format(n=number, m=3)) in sheet
        assert fold(as_of) in sheet
    _charts_in_place(path, sheets)
    page = parse(path.read_bytes())
    for title in page.xpath("//section[contains(@class, 'list')]/h2/text()"):
        assert fold(title) in sheets[2]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_keep_their_pages_for_a_region(
    sample_pages: dict[str, Path], sample_sheets: dict[str, list[str]], lang: str
) -> None:
    """The whole region (14 cities in chart 1, every month busy): the same two pages."""
    _charts_in_place(sample_pages[lang], sample_sheets[lang])


def _charts_in_place(path: Path, sheets: list[str]) -> None:
    """Chart 1 whole on sheet 1, charts 2 and 3 whole on sheet 2: each one's title, legend
    (at its bottom) and every axis label on that sheet."""
    page = parse(path.read_bytes())
    for key, sheet in zip(CHARTS, (sheets[0], sheets[1], sheets[1]), strict=True):
        title = page.xpath(f"//h2[@id='{key}-h']")[0].text
        assert fold(title) in sheet
        texts = page.xpath(f"//svg[@id='chart-{key}']//g[contains(@class, 'legend')]/text")
        texts += page.xpath(f"//svg[@id='chart-{key}']//g[contains(@class, 'axis')]//text")
        assert texts and all(fold(t.text) in sheet for t in texts if t.text), key


def test_long_tables_repeat_their_headings(sample_sheets: dict[str, list[str]]) -> None:
    sheets = sample_sheets["zh"]
    assert len(sheets) > 4
    # The sheets the item table runs over: those listing certificate numbers.
    items = [sheet for sheet in sheets if re.search(r"LB-45-|\dOP\d", sheet)]
    assert len(items) >= 2
    headings = fold("申报截止 状态 证书编号 有效期至 企业 产品 地区")
    for sheet in items[1:]:
        assert headings in sheet  # its thead, repeated on each sheet after the first
    for number, sheet in enumerate(sheets, start=1):
        assert fold(f"第 {number} 页，共 {len(sheets)} 页") in sheet


# Sends mouseover to every element (what an injected onmouseover would wait for), and lists the
# elements that carry an on… attribute, and the scripts.
HANDLERS = """() => {
  const all = [...document.querySelectorAll("*")];
  for (const element of all) {
    element.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
  }
  return {
    elements: all.length,
    scripts: document.scripts.length,
    with_handlers: all
      .filter((e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith("on")))
      .map((e) => e.outerHTML.slice(0, 200)),
  };
}"""


def test_hostile_names_stay_text(browser: Any, runner: Any, tmp_path: Path) -> None:
    names = ["<script>alert(1)</script>", '" onmouseover="alert(2)', "<img src=x onerror=alert(3)>"]
    rows = [
        [
            f"LB-45-2107010000{n}A",
            name,
            name,
            "绿色食品",
            "百色市",
            "田阳区",
            "2021-07-01",
            "2024-06-30",
            "",
            name,
            name,
        ]
        for n, name in enumerate(names)
    ]
    register = write_register(tmp_path / "hostile.csv", rows)
    path = _write(runner, tmp_path / "r.html", str(register), "--as-of", "2024-06-01")
    dialogs: list[str] = []
    page, seen = _open(browser, path)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.locator("body").hover()
    # The mouse over each cell that holds a name (hovering all 400 cells took 8 s)...
    holding = page.locator("td").filter(has_text=re.compile("alert"))
    assert holding.count() >= len(names)
    for cell in holding.all():
        cell.hover()
    # ... and over every element of the page, and no element with a handler to run at all.
    handlers = page.evaluate(HANDLERS)
    assert handlers == {"elements": handlers["elements"], "scripts": 0, "with_handlers": []}
    assert handlers["elements"] > 400
    assert dialogs == [] and seen["errors"] == []
    assert seen["requests"] == [path.as_uri()]  # the <img src=x> was never fetched
    text = page.locator("section.list").first.inner_text()
    assert all(name in text for name in names)
