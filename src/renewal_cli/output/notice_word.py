"""A notice to a holder as a Word document: the page (A4, margins after GB/T 9704), the fonts
and a paragraph style per role, the table of entries whose header repeats on every page, and
the zip re-dated to AS_OF so the same notice gives the same bytes. What the notice says is
output/notice.py's; this module lays out its blocks (output/notice_blocks.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Emu, Length, Pt
from docx.styles.style import ParagraphStyle
from docx.table import _Cell
from docx.text.parfmt import ParagraphFormat

from renewal_cli import __version__
from renewal_cli.messages import Lang, text
from renewal_cli.output.notice_blocks import Block, Entries, Role

# Fonts every Chinese Windows has (WPS and LibreOffice put their own in where they are missing).
BODY_FONT = "宋体"  # SimSun
HEADING_FONT = "黑体"  # SimHei
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(10.5)  # 五号
TITLE_SIZE = Pt(22)  # 二号
LETTERHEAD_SIZE = Pt(16)  # 三号
# A4, margins after GB/T 9704 (official documents), leaving room for a letterhead and a seal.
PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
# The table's columns: number, product, certificate and validity, what to do, deadline (15.6 cm,
# the width between the margins), with narrow cell margins: a green food number, a date and most
# of what to do each fit on one line.
COLUMN_WIDTHS = (Cm(1.0), Cm(2.4), Cm(4.0), Cm(4.8), Cm(3.4))
CELL_MARGIN = Cm(0.1)
COLUMNS = ("number", "product", "certificate", "task", "deadline")
_LANGUAGE = {Lang.ZH: "zh-CN", Lang.EN: "en-GB"}
CHINA = ZoneInfo("Asia/Shanghai")


_STYLE_NAMES = {
    Role.LETTERHEAD: "Notice Letterhead",
    Role.TITLE: "Notice Title",
    Role.ADDRESSEE: "Notice Addressee",
    Role.BODY: "Notice Body",
    Role.SECTION: "Notice Section",
    Role.LIST_HEADING: "Notice List Heading",
    Role.LIST_ENTRY: "Notice List Entry",
    Role.CLOSING: "Notice Closing",
    Role.SIGNATURE: "Notice Signature",
}
TABLE_STYLE = "Notice Table Text"
TABLE_HEADER_STYLE = "Notice Table Heading"


# Characters XML 1.0 cannot hold (a register cell may carry them): python-docx would refuse them.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(words: str) -> str:
    """`words` without the characters a Word document cannot hold."""
    return _XML_UNSAFE.sub("", words)


def _set_fonts(rpr: BaseOxmlElement, east_asia: str, lang: Lang) -> None:
    """Explicit fonts in run properties (a style's or the document defaults'), theme fonts
    removed (Word prefers a theme font over an explicit one), with the East Asian font and
    language set, so Word, WPS and LibreOffice all take the CJK text as Chinese."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), _LANGUAGE[lang])
    language.set(qn("w:eastAsia"), "zh-CN")


def _child(parent: BaseOxmlElement, tag: str, *, first: bool = False) -> BaseOxmlElement:
    """`parent`'s child `tag`, added (first or last) when missing."""
    found: BaseOxmlElement | None = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def _document_defaults(document: DocxDocument, lang: Lang) -> None:
    """The template's theme fonts replaced in the document defaults, and its theme language
    (Japanese for East Asian text, which picks a Japanese font for Chinese) made Chinese."""
    defaults = _child(document.styles.element, "w:docDefaults", first=True)
    rpr_default = _child(defaults, "w:rPrDefault", first=True)
    _set_fonts(_child(rpr_default, "w:rPr"), BODY_FONT, lang)
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), _LANGUAGE[lang])
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _styles(document: DocxDocument, lang: Lang) -> None:
    """A paragraph style per role, on a Normal of 宋体 四号."""
    _document_defaults(document, lang)
    styles = document.styles
    normal = styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT, lang)
    normal.font.size = BODY_SIZE
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.25
    fmt.widow_control = True
    char = BODY_SIZE  # one character of body text, the unit of Chinese indents

    def add(name: str, *, font: str = BODY_FONT, size: Length = BODY_SIZE) -> ParagraphStyle:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        assert isinstance(style, ParagraphStyle)
        style.base_style = normal
        style.quick_style = True
        _set_fonts(style.element.get_or_add_rPr(), font, lang)
        style.font.size = size
        return style

    letterhead = add(_STYLE_NAMES[Role.LETTERHEAD], font=HEADING_FONT, size=LETTERHEAD_SIZE)
    letterhead.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    letterhead.paragraph_format.space_after = Pt(12)
    title = add(_STYLE_NAMES[Role.TITLE], font=HEADING_FONT, size=TITLE_SIZE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(6)
    title.paragraph_format.space_after = Pt(18)
    addressee = add(_STYLE_NAMES[Role.ADDRESSEE])
    addressee.paragraph_format.space_after = Pt(3)
    for role in (Role.BODY, Role.CLOSING):
        body = add(_STYLE_NAMES[role])
        body.paragraph_format.first_line_indent = Emu(char * 2)
        # Justified English stretches the spaces around a long Chinese title.
        justify = WD_ALIGN_PARAGRAPH.JUSTIFY if lang is Lang.ZH else WD_ALIGN_PARAGRAPH.LEFT
        body.paragraph_format.alignment = justify
        body.paragraph_format.space_after = Pt(3)
    section = add(_STYLE_NAMES[Role.SECTION], font=HEADING_FONT)
    section.paragraph_format.first_line_indent = Emu(char * 2)
    section.paragraph_format.space_before = Pt(6)
    section.paragraph_format.space_after = Pt(6)
    heading = add(_STYLE_NAMES[Role.LIST_HEADING])
    heading.font.bold = True
    heading.paragraph_format.first_line_indent = Emu(char * 2)
    heading.paragraph_format.space_before = Pt(3)
    entry = add(_STYLE_NAMES[Role.LIST_ENTRY])
    entry.paragraph_format.left_indent = Emu(char * 3)
    signature = add(_STYLE_NAMES[Role.SIGNATURE])
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.right_indent = Emu(char * 2)
    cell = add(TABLE_STYLE, size=TABLE_SIZE)
    cell.paragraph_format.line_spacing = 1.0
    cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    cell_heading = add(TABLE_HEADER_STYLE, font=HEADING_FONT, size=TABLE_SIZE)
    cell_heading.paragraph_format.line_spacing = 1.0
    cell_heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page_number_footer(section: Section) -> None:
    """ "- 1 -" centred at the foot of every page."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("- ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    number = OxmlElement("w:t")
    number.text = "1"
    run.append(number)
    field.append(run)
    paragraph._p.append(field)
    paragraph._p.append(paragraph.add_run(" -")._r)


def _fill(cell: _Cell, paragraphs: Sequence[str], style: str, *, bold_first: bool = False) -> None:
    """The cell's text, one paragraph each, kept with the row below (an entry's two rows)."""
    first = cell.paragraphs[0]
    for n, words in enumerate(paragraphs):
        paragraph = first if n == 0 else cell.add_paragraph()
        paragraph.style = style
        run = paragraph.add_run(_xml_safe(words))
        if bold_first and n == 0:
            run.bold = True


def _row_properties(row_element: BaseOxmlElement, *, header: bool = False) -> None:
    """A row never split across pages; the header row repeated on every page."""
    properties = _child(row_element, "w:trPr", first=True)
    _child(properties, "w:cantSplit")
    if header:
        _child(properties, "w:tblHeader")


def _keep_row_with_next(row_element: BaseOxmlElement) -> None:
    """Every paragraph of the row kept with the next one, so the row is kept with what follows.
    Through the row's own cells (w:tc), not python-docx's `row.cells`: a cell merged down from
    the row above is the upper cell there, and the merged cell's own empty paragraph would be
    left out; LibreOffice then ignores the keep, and Word may too."""
    for cell in row_element.iterchildren(qn("w:tc")):
        for paragraph in cell.iterchildren(qn("w:p")):
            ParagraphFormat(paragraph).keep_with_next = True


def _entries_table(document: DocxDocument, block: Entries, lang: Lang) -> None:
    """Two rows an entry: its facts, then the rule it was judged by across the columns."""
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = _child(table._tbl.tblPr, "w:tblCellMar")
    for side in ("w:left", "w:right"):
        margin = _child(margins, side)
        margin.set(qn("w:w"), str(round(CELL_MARGIN.twips)))
        margin.set(qn("w:type"), "dxa")
    for column, width in zip(table.columns, COLUMN_WIDTHS, strict=True):
        column.width = width
    header = table.rows[0]
    _row_properties(header._tr, header=True)
    closed = any(entry.deadline is None for entry in block.entries)
    for cell, name in zip(header.cells, COLUMNS, strict=True):
        # Not every cell of the column is a deadline once an item's time has passed.
        key = f"notice.column.{name}" + (".closed" if closed and name == "deadline" else "")
        _fill(cell, [text(key, lang)], TABLE_HEADER_STYLE)
    for entry in block.entries:
        facts = table.add_row()
        rule = table.add_row()
        _row_properties(facts._tr)
        _row_properties(rule._tr)
        cells = facts.cells
        _fill(cells[0], [str(entry.number)], TABLE_STYLE)
        cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fill(cells[1], [entry.product, entry.scheme], TABLE_STYLE)
        certificate = [entry.cert_id] if entry.cert_id else []
        if entry.validity is not None:
            certificate.append(entry.validity[2])
        _fill(cells[2], certificate or [text("rules.none", lang)], TABLE_STYLE)
        _fill(cells[3], [entry.task, entry.action], TABLE_STYLE)
        if entry.deadline is not None:
            deadline = [entry.deadline] + ([entry.deadline_note] if entry.deadline_note else [])
            _fill(cells[4], deadline, TABLE_STYLE, bold_first=True)
        else:  # what is still possible, in plain type: no day here is one to meet
            possible = [w for w in (entry.window, entry.use) if w is not None]
            _fill(cells[4], possible, TABLE_STYLE)
        _keep_row_with_next(facts._tr)  # the facts row stays on the page of its rule row
        cells[0].merge(rule.cells[0])  # the number spans both rows (an empty cell adds nothing)
        merged = rule.cells[1].merge(rule.cells[len(COLUMNS) - 1])
        words = text(
            "calendar.field", lang, label=text("notice.label.rule", lang), value=entry.rule
        )
        _fill(merged, [words], TABLE_STYLE)
    # The last row goes over the page with what follows (the next section, or the closing).
    _keep_row_with_next(table.rows[-1]._tr)
    # Word and LibreOffice read widths from the cells, not only the grid.
    for row in table.rows:
        for cell, width in zip(row.cells, COLUMN_WIDTHS, strict=True):
            if cell._tc.grid_span == 1:
                cell.width = width


def word_document(
    blocks: Sequence[Block], *, title: str, author: str, as_of: date, lang: Lang
) -> bytes:
    """The blocks as a Word document (A4, 宋体 body, 黑体 title, a table of the items whose
    header repeats on every page, office and date on the right), `title` and `author` in its
    properties, every part dated AS_OF: the same blocks and day give the same bytes."""
    document = Document()
    _styles(document, lang)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin = MARGINS["top"]
    section.bottom_margin = MARGINS["bottom"]
    section.left_margin = MARGINS["left"]
    section.right_margin = MARGINS["right"]
    _page_number_footer(section)

    # The template's one empty paragraph would print as a blank first line.
    for empty in list(document.paragraphs):
        parent = empty._p.getparent()
        if parent is not None:
            parent.remove(empty._p)
    previous: Role | None = None
    for block in blocks:
        if isinstance(block, Entries):
            _entries_table(document, block, lang)
            previous = None
            continue
        paragraph = document.add_paragraph(_xml_safe(block.text), style=_STYLE_NAMES[block.role])
        if block.keep_with_next:
            paragraph.paragraph_format.keep_with_next = True
        if previous is None and block.role is not Role.LETTERHEAD and document.tables:
            paragraph.paragraph_format.space_before = Pt(6)  # air below the table
        if block.role is Role.SIGNATURE and previous is not Role.SIGNATURE:
            paragraph.paragraph_format.space_before = Pt(36)  # room for the seal
        previous = block.role

    props = document.core_properties
    # python-docx refuses core properties over 255 characters.
    props.title = _xml_safe(title)[:255]
    props.author = props.last_modified_by = _xml_safe(author)[:255]
    props.comments = f"renewal-cli {__version__}"
    props.language = _LANGUAGE[lang]
    props.subject = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    # AS_OF's midnight in China, as the calendar's DTSTAMP (core properties are in UTC).
    props.created = props.modified = datetime.combine(as_of, time(0), CHINA).astimezone(UTC)
    # The template's thumbnail is a picture of some other, blank document.
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)

    out = io.BytesIO()
    document.save(out)
    return _restamp(out.getvalue(), as_of)


def _restamp(data: bytes, as_of: date) -> bytes:
    """The same zip with every entry dated AS_OF (python-docx dates them with the clock)."""
    stamp = (max(as_of.year, 1980), as_of.month, as_of.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
