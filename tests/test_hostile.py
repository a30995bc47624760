"""Issue 9, point 5: hostile registers never crash the tool.

Each register here is built in the test (no fixture files): binary junk, cut-short and damaged
workbooks, zip bombs (built from a repeated deflate block, so a 1 GiB part costs a 1 MB file and
no time), external links, a sheet of a million empty rows, a 10 MB cell, a million columns, NUL
bytes and mixed encodings. Each runs `renewal due` in a real process and must end with the
documented exit code (0 read, 1 unreadable), no traceback and no "出错了" (the message of an
unexpected error), in bounded time, and with a bounded peak memory (the child's own rusage).
"""

from __future__ import annotations

import io
import os
import random
import re
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from openpyxl import Workbook

from renewal_cli.sources.encodings import detect_encoding

AS_OF = "2024-06-01"
HEADER = ["证书编号", "企业名称", "产品名称", "认证类型", "市", "县区", "发证日期", "有效期至"]
SHEET = "xl/worksheets/sheet1.xml"
MAX_RSS_MB = 150


def row(number: str, holder: str = "甲公司") -> list[str]:
    return [number, holder, "芒果", "绿色食品", "百色市", "田阳区", "2021-03-05", "2024-03-04"]


# --- Running the tool -------------------------------------------------------------------------


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str
    seconds: float
    rss_mb: float


# Linux keeps a process's peak RSS across exec, so a child of this (large) test process would
# report the test process's own peak. A small wrapper starts the command and reports its peak.
_MEASURE = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def due(path: Path | str, *args: str, stdin: bytes = b"", timeout: float = 60) -> Ran:
    """`renewal due PATH --as-of … --all --format csv` in a process of its own, with its own
    peak RSS (measured by a small wrapper, so the test run's memory does not count)."""
    command = [sys.executable, "-m", "renewal_cli", "due", str(path), "--as-of", AS_OF]
    command += ["--all", "--format", "csv", "--kind", "renewal", *args]
    with (
        open(os.devnull, "rb") if not stdin else _stdin_file(stdin) as given,
        _temp() as out,
        _temp() as err,
        tempfile.NamedTemporaryFile() as rss,
    ):
        start = time.monotonic()
        wrapped = [sys.executable, "-c", _MEASURE, rss.name, *command]
        process = subprocess.Popen(
            wrapped, stdin=given, stdout=out, stderr=err, start_new_session=True
        )
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            pytest.fail(f"still running after {timeout} s")
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        rss.seek(0)
        return Ran(
            code,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            int(rss.read() or b"0") / 1024,  # KiB on Linux
        )


def _temp() -> io.BufferedRandom:
    import tempfile

    return tempfile.TemporaryFile()


def _stdin_file(data: bytes) -> io.BufferedRandom:
    handle = _temp()
    handle.write(data)
    handle.seek(0)
    return handle


# --- Building workbooks -----------------------------------------------------------------------


def workbook(rows: list[list[str]] | None = None) -> bytes:
    """A small good register as an .xlsx (inline strings, one sheet)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    for cells in rows or [HEADER, row("LB-45-21030512345A")]:
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Part:
    """A member of a hand-built zip: deflated bytes, their CRC and the size they inflate to
    (`declared`: a size the headers claim instead)."""

    name: str
    deflated: bytes
    crc: int
    size: int


def deflated(name: str, body: bytes) -> Part:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Part(name, packer.compress(body) + packer.flush(), zlib.crc32(body), len(body))


def zeros(name: str, mebibytes: int) -> Part:
    """A part of `mebibytes` MiB of zeros, deflated once per 16 MiB block: after a full flush
    every block of zeros deflates to the same bytes, so the part is built by repetition."""
    return Part(name, *_zeros(mebibytes))


@cache  # several cases use the same bomb: its gigabyte's CRC is worked out once
def _zeros(mebibytes: int) -> tuple[bytes, int, int]:
    block = bytes(16 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.flush()
    count = mebibytes // 16
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    return first + again * (count - 1) + end, crc, count * len(block)


def zip_of(parts: list[Part]) -> bytes:
    """A zip archive of parts already deflated (method 8), headers written by hand."""
    out = bytearray()
    central = bytearray()
    for part in parts:
        name = part.name.encode()
        offset = len(out)
        sizes = (part.crc, len(part.deflated), part.size, len(name))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, *sizes, 0)
        out += name + part.deflated
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, *sizes, 0, 0, 0, 0, 0, offset
        )
        central += name
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), len(out), 0
    )
    return bytes(out + central + end)


def parts_of(data: bytes) -> Iterator[tuple[str, bytes]]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            yield info.filename, archive.read(info)


def edited(
    replace: dict[str, Callable[[bytes], bytes | Part]], extra: list[Part] | None = None
) -> bytes:
    """The good workbook with some parts replaced (by new bytes or a ready Part) or added."""
    parts: list[Part] = []
    for name, body in parts_of(workbook()):
        new = replace[name](body) if name in replace else body
        parts.append(new if isinstance(new, Part) else deflated(name, new))
    return zip_of(parts + (extra or []))


def sheet_xml(data: bytes) -> str:
    return dict(parts_of(data))[SHEET].decode("utf-8")


def cells_xml(number: int, values: list[str]) -> str:
    letters = "ABCDEFGH"
    cells = "".join(
        f'<c r="{letters[i]}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def million_rows(*empty_rows: Callable[[int], str]) -> bytes:
    """A sheet declared A1:XFD1048576: header, a certificate, 10^6 empty rows (each kind of
    `empty_rows` in turn), a certificate. The sheet XML is written in pieces, never held whole
    by the test either; deflated fast (level 1: the file's size proves nothing here)."""
    count = 10**6
    kinds = len(empty_rows)
    head, _, _ = sheet_xml(workbook()).partition("<sheetData>")
    head = head.replace('<dimension ref="A1:H2" />', '<dimension ref="A1:XFD1048576" />')
    packer = zlib.compressobj(1, zlib.DEFLATED, -15)
    crc = 0
    size = 0
    body = bytearray()

    def add(text: str) -> None:
        nonlocal crc, size
        data = text.encode("utf-8")
        crc = zlib.crc32(data, crc)
        size += len(data)
        body.extend(packer.compress(data))

    add(head + "<sheetData>")
    add(cells_xml(1, HEADER) + cells_xml(2, row("LB-45-21030512345A")))
    for start in range(3, count + 3, 10_000):
        end = min(start + 10_000, count + 3)
        add("".join(empty_rows[n % kinds](n) for n in range(start, end)))
    add(cells_xml(count + 3, row("LB-45-21030512399A", "乙公司")) + "</sheetData></worksheet>")
    body.extend(packer.flush())
    return edited({SHEET: lambda _: Part(SHEET, bytes(body), crc, size)})


# --- The cases --------------------------------------------------------------------------------

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CSV_HEAD = ",".join(HEADER) + "\r\n"


def csv_rows(*rows: str) -> bytes:
    return (CSV_HEAD + "".join(r + "\r\n" for r in rows)).encode("utf-8")


def line(number: str, holder: str = "甲公司") -> str:
    return ",".join(row(number, holder))


BIG = "x" * (10 << 20)
LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    + "".join(
        f'<!ENTITY {n} "{f"&{p};" * 10}">' for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "]>"
)
EXTERNAL_LINK = (
    b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<externalBook r:id="rId1"/></externalLink>'
)
EXTERNAL_RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" TargetMode="External" Target="file:///C:/secret/other.xlsx" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'externalLinkPath"/></Relationships>'
)


def _rand(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


@dataclass(frozen=True)
class Case:
    build: Callable[[], bytes]
    suffix: str
    code: int
    words: tuple[str, ...] = ()
    """Text the stderr must hold (the one-line error, or a problem)."""
    certificates: int | None = None
    """Rows of certificates in the CSV output (exit 0 cases)."""
    seconds: float = 30
    one_line: bool = False
    """The whole stderr is one line (a file that cannot be read)."""


def _lying_bomb() -> bytes:
    bomb = zeros(SHEET, 1088)
    return edited({SHEET: lambda _: Part(SHEET, bomb.deflated, bomb.crc, 20_000)})


def _mixed_utf8_valid_as_gb18030() -> bytes:
    # "证书编号", "甲乙公司" … are runs of 4 CJK characters: their UTF-8 bytes happen to be
    # valid GB18030 too, so only the GBK line at the end tells the file is mixed.
    head = "证书编号,企业名称,产品名称,认证类型,地市,县区,发证日期,有效期至\r\n"
    first = "LB-45-21030512341A,甲乙公司,芒果,绿色食品,百色,田阳,2021-03-05,2024-03-04\r\n"
    second = "LB-45-21030512342A,丙丁公司,芒果,绿色食品,百色,田阳,2021-03-05,2024-03-04\r\n"
    return (head + first).encode("utf-8") + second.encode("gbk")


# Issue 18: parts that inflate at a ratio no zip-bomb check would refuse (about 130:1), built
# from one 16 MiB block of items (a run of 甲 and a random number each) deflated once and
# repeated, as `zeros` does.
SHARED_STRINGS = "xl/sharedStrings.xml"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@cache  # the shared-strings cases are built for two tests each
def repeated(name: str, head: str, item: str, tail: str, blocks: int) -> Part:
    """A part of `head`, `blocks` times a 16 MiB block of `item`s ({} is a random number), and
    `tail`: built once, deflated once, repeated."""
    rng = random.Random(18)
    items: list[str] = []
    size = 0
    while size < 16 << 20:
        items.append(item.format(rng.getrandbits(32)))
        size += len(items[-1].encode("utf-8"))
    block = "".join(items).encode("utf-8")
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head.encode("utf-8")) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.compress(tail.encode("utf-8")) + packer.flush()
    crc = zlib.crc32(head.encode("utf-8"))
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail.encode("utf-8"), crc)
    size = len(head.encode("utf-8")) + blocks * len(block) + len(tail.encode("utf-8"))
    return Part(name, start + again * blocks + end, crc, size)


def unused_shared_strings(blocks: int, sheet_blocks: int = 0) -> bytes:
    """The good workbook (inline strings) with a shared-strings table of `blocks` × 16 MiB
    that no cell uses, and, with `sheet_blocks`, a sheet of that many 16 MiB of rows."""
    table = repeated(
        SHARED_STRINGS,
        f'<sst xmlns="{MAIN_NS}">',
        "<si><t>" + "甲" * 400 + "{:08x}</t></si>",
        "</sst>",
        blocks,
    )
    override = f'<Override PartName="/{SHARED_STRINGS}" ContentType="{SST_TYPE}"/></Types>'
    replace: dict[str, Callable[[bytes], bytes | Part]] = {
        "[Content_Types].xml": lambda b: b.replace(b"</Types>", override.encode())
    }
    if sheet_blocks:
        head = sheet_xml(workbook()).partition("</sheetData>")[0]
        sheet = repeated(
            SHEET,
            head,
            '<row><c t="inlineStr"><is><t>' + "乙" * 400 + "{:08x}</t></is></c></row>",
            "</sheetData></worksheet>",
            sheet_blocks,
        )
        replace[SHEET] = lambda _: sheet
    return edited(replace, [table])


def unclosed_quote(lines: int) -> bytes:
    """A quote that never closes, then `lines` short rows that are not whole rows."""
    head = csv_rows(line("LB-45-21030512341A"), line("LB-45-21030512342A", '"乙公司'))
    return head + b"bad,row\r\n" * lines


CASES = [
    # Junk.
    pytest.param(
        Case(lambda: _rand(4096, 1), ".csv", 1, ("无法读取",), one_line=True), id="random-bytes"
    ),
    pytest.param(
        Case(lambda: _rand(4096, 2), ".xlsx", 1, ("无法读取",), one_line=True),
        id="random-bytes-named-xlsx",
    ),
    pytest.param(
        Case(lambda: b"PK\x03\x04" + _rand(4096, 3), ".xlsx", 1, ("损坏",), one_line=True),
        id="zip-signature-then-junk",
    ),
    pytest.param(
        Case(lambda: OLE2 + _rand(4096, 4), ".xls", 1, ("另存为", ".xlsx"), one_line=True),
        id="legacy-xls-junk",
    ),
    pytest.param(Case(lambda: b"", ".csv", 1, ("是空的",), one_line=True), id="empty-file"),
    pytest.param(
        Case(lambda: bytes(65536), ".csv", 1, ("是空的",), one_line=True), id="only-nul-bytes"
    ),
    pytest.param(
        Case(
            lambda: csv_rows(line("LB-45-21030512345A")).decode().encode("utf-16-le"),
            ".csv",
            1,
            ("无法读取", "第 1 行"),
            one_line=True,
        ),
        id="utf16-without-bom",
    ),
    # Cut short and damaged workbooks.
    pytest.param(
        Case(lambda: workbook()[: len(workbook()) // 2], ".xlsx", 1, ("损坏",), one_line=True),
        id="truncated-half",
    ),
    pytest.param(
        Case(lambda: workbook()[:40], ".xlsx", 1, ("损坏",), one_line=True),
        id="truncated-after-header",
    ),
    pytest.param(
        Case(lambda: workbook()[:-10], ".xlsx", 1, ("损坏",), one_line=True),
        id="truncated-end-record",
    ),
    pytest.param(
        Case(
            lambda: edited({SHEET: lambda b: b[: len(b) // 2]}),
            ".xlsx",
            1,
            ("损坏",),
            one_line=True,
        ),
        id="sheet-xml-cut-short",
    ),
    pytest.param(
        Case(
            lambda: edited({"xl/workbook.xml": lambda _: b"<workbook"}),
            ".xlsx",
            1,
            ("损坏",),
            one_line=True,
        ),
        id="workbook-xml-damaged",
    ),
    pytest.param(
        Case(
            lambda: edited({"xl/styles.xml": lambda _: b"\x00\x01junk"}),
            ".xlsx",
            1,
            ("损坏",),
            one_line=True,
        ),
        id="styles-xml-damaged",
    ),
    pytest.param(
        Case(
            lambda: zip_of([deflated(n, b) for n, b in parts_of(workbook()) if n != SHEET]),
            ".xlsx",
            1,
            ("损坏",),
            one_line=True,
        ),
        id="sheet-part-missing",
    ),
    pytest.param(
        Case(
            lambda: edited(
                {
                    SHEET: lambda b: b.replace(
                        b"</sheetData>",
                        b'<row r="3"><c r="ZZZZ3" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
                    )
                }
            ),
            ".xlsx",
            1,
            ("损坏",),
        ),
        id="bad-cell-reference-after-data",
    ),
    pytest.param(
        Case(
            lambda: edited(
                {
                    SHEET: lambda b: (
                        LAUGHS.encode()
                        + re.sub("(<t[^>]*>)甲公司</t>".encode(), rb"\1&i;</t>", b, count=1)
                    )
                }
            ),
            ".xlsx",
            1,
            ("损坏",),
            one_line=True,
        ),
        id="billion-laughs",
    ),
    # Zip bombs: refused from the archive's directory, before anything is inflated.
    pytest.param(
        Case(
            lambda: edited({SHEET: lambda _: zeros(SHEET, 1088)}),
            ".xlsx",
            1,
            ("恶意",),
            seconds=10,
            one_line=True,
        ),
        id="bomb-sheet-over-1gib",
    ),
    pytest.param(
        Case(
            lambda: edited({SHEET: lambda _: zeros(SHEET, 208)}),
            ".xlsx",
            1,
            ("恶意",),
            seconds=10,
            one_line=True,
        ),
        id="bomb-sheet-208mib-ratio",
    ),
    pytest.param(
        Case(
            lambda: edited({"xl/styles.xml": lambda _: zeros("xl/styles.xml", 1088)}),
            ".xlsx",
            1,
            ("恶意",),
            seconds=10,
            one_line=True,
        ),
        id="bomb-in-styles",
    ),
    pytest.param(
        Case(
            lambda: edited({}, [zeros("xl/media/image1.png", 1088)]),
            ".xlsx",
            1,
            ("恶意",),
            seconds=10,
            one_line=True,
        ),
        id="bomb-in-unused-part",
    ),
    pytest.param(
        Case(_lying_bomb, ".xlsx", 1, ("损坏",), seconds=10, one_line=True),
        id="bomb-with-lying-size",
    ),
    # Workbooks that are fine, with parts that must not be followed.
    pytest.param(
        Case(
            lambda: edited(
                {},
                [
                    deflated("xl/externalLinks/externalLink1.xml", EXTERNAL_LINK),
                    deflated("xl/externalLinks/_rels/externalLink1.xml.rels", EXTERNAL_RELS),
                ],
            ),
            ".xlsx",
            0,
            certificates=1,
        ),
        id="external-link",
    ),
    pytest.param(
        Case(
            lambda: edited({}, [deflated("xl/vbaProject.bin", OLE2 + bytes(1024))]),
            ".xlsm",
            0,
            certificates=1,
        ),
        id="xlsm-with-macros",
    ),
    # A million empty rows, in a sheet that claims a million columns too: bare rows, formatted
    # rows and rows of one formatted empty cell, a third of a million of each, in turn (one run
    # instead of three). A cost per row of any kind still shows: openpyxl's 500 bytes per
    # formatted row would take a third of a million of them past MAX_RSS_MB.
    pytest.param(
        Case(
            lambda: million_rows(
                lambda n: f'<row r="{n}"/>',
                lambda n: f'<row r="{n}" s="1" customFormat="1"/>',
                lambda n: f'<row r="{n}"><c r="C{n}" s="1"/></row>',
            ),
            ".xlsx",
            0,
            ("文件共 1000003 行",),
            certificates=2,
            seconds=90,
        ),
        id="million-empty-rows-of-three-kinds",
    ),
    # Huge cells and rows.
    pytest.param(
        Case(
            lambda: csv_rows(
                line("LB-45-21030512341A"),
                line("LB-45-21030512342A", f'"{BIG}"'),
                line("LB-45-21030512343A"),
            ),
            ".csv",
            0,
            ("第 3 行", "131072"),
            certificates=2,
        ),
        id="csv-10mb-cell-quoted",
    ),
    pytest.param(
        Case(
            lambda: csv_rows(
                line("LB-45-21030512341A"),
                line("LB-45-21030512342A", BIG),
                line("LB-45-21030512343A"),
            ),
            ".csv",
            0,
            ("第 3 行", "131072"),
            certificates=2,
        ),
        id="csv-10mb-cell-unquoted",
    ),
    pytest.param(
        Case(
            lambda: workbook(
                [
                    HEADER,
                    row("LB-45-21030512341A"),
                    row("LB-45-21030512342A", "甲" * (10 << 20)),
                    row("LB-45-21030512343A"),
                ]
            ),
            ".xlsx",
            0,
            ("第 3 行",),
            certificates=2,
        ),
        id="xlsx-10mb-cell",
    ),
    pytest.param(
        Case(
            lambda: csv_rows(line("LB-45-21030512341A"), line("LB-45-21030512342A") + "," * 10**6),
            ".csv",
            0,
            certificates=2,
        ),
        id="csv-million-empty-columns",
    ),
    pytest.param(
        Case(
            lambda: csv_rows(
                line("LB-45-21030512341A"),
                line("LB-45-21030512342A") + ",x" * 10**6,
                line("LB-45-21030512343A"),
            ),
            ".csv",
            0,
            ("第 3 行", "1000008"),
            certificates=2,
        ),
        id="csv-million-filled-columns",
    ),
    # Issue 18: a quote that never closes, over two million lines: one problem, in bounded time
    # and memory (it took 267 s and 2.65 GB, and reported every line).
    pytest.param(
        Case(
            lambda: unclosed_quote(2_000_000),
            ".csv",
            0,
            ("第 4–2000003 行", "第 3 行的引号"),
            certificates=2,
            seconds=30,
        ),
        id="unclosed-quote-then-two-million-lines",
    ),
    # Issue 18: a shared-strings table no cell uses counts toward the inflation limit (1 GiB
    # unused took 44 s and 1.6 GB): alone past 256 MiB, or with the sheet past 1 GiB.
    pytest.param(
        Case(lambda: unused_shared_strings(17), ".xlsx", 1, ("恶意",), seconds=10, one_line=True),
        id="unused-shared-strings-272mib",
    ),
    pytest.param(
        Case(
            lambda: unused_shared_strings(8, sheet_blocks=57),
            ".xlsx",
            1,
            ("恶意",),
            seconds=10,
            one_line=True,
        ),
        id="shared-strings-128mib-and-sheet-912mib",
    ),
    pytest.param(
        Case(lambda: unused_shared_strings(1), ".xlsx", 0, certificates=1, seconds=30),
        id="unused-shared-strings-16mib-is-read",
    ),
    # NUL bytes and mixed encodings.
    pytest.param(
        Case(
            lambda: csv_rows(
                line("LB-45-21030512341A", "甲\x00公\x00司"), line("LB-45-2103051234\x002A")
            ),
            ".csv",
            0,
            certificates=2,
        ),
        id="nul-bytes-in-cells",
    ),
    pytest.param(
        Case(
            lambda: b"\x00" * 100 + csv_rows(line("LB-45-21030512341A")), ".csv", 0, certificates=1
        ),
        id="nul-bytes-before-header",
    ),
    pytest.param(
        Case(
            lambda: (
                csv_rows(line("LB-45-21030512341A"), line("LB-45-21030512342A"))
                + (line("LB-45-21030512343A", "乙公司") + "\r\n").encode("gbk")
            ),
            ".csv",
            1,
            ("第 4 行", "编码"),
            one_line=True,
        ),
        id="mixed-utf8-then-gbk",
    ),
    pytest.param(
        Case(
            lambda: (
                (CSV_HEAD + line("LB-45-21030512343A", "乙公司") + "\r\n").encode("gbk")
                + (line("LB-45-21030512341A") + "\r\n").encode("utf-8") * 3
            ),
            ".csv",
            1,
            ("编码",),
            one_line=True,
        ),
        id="mixed-gbk-then-utf8",
    ),
    pytest.param(
        Case(_mixed_utf8_valid_as_gb18030, ".csv", 1, ("第 3 行", "编码"), one_line=True),
        id="mixed-utf8-valid-as-gb18030-then-gbk",
    ),
]


@pytest.mark.parametrize("case", CASES)
def test_hostile_register(tmp_path: Path, case: Case) -> None:
    path = tmp_path / f"register{case.suffix}"
    path.write_bytes(case.build())
    ran = due(path, timeout=case.seconds * 3)
    assert "Traceback" not in ran.stderr
    assert "出错了" not in ran.stderr, ran.stderr[:500]
    assert ran.code == case.code, ran.stderr[:2000]
    assert ran.seconds < case.seconds, f"{ran.seconds:.1f} s"
    assert ran.rss_mb < MAX_RSS_MB, f"peak RSS {ran.rss_mb:.0f} MB"
    for word in case.words:
        assert word in ran.stderr, ran.stderr[:2000]
    if case.one_line:
        assert len(ran.stderr.strip().splitlines()) == 1, ran.stderr[:2000]
        assert str(path) in ran.stderr
    if case.code != 0:
        assert ran.stdout == ""
    if case.certificates is not None:
        # The CSV output: a header, then one line per certificate, none of them over a cell
        # of the register's limit.
        lines = ran.stdout.splitlines()
        assert len(lines) == 1 + case.certificates, ran.stderr[:2000]
        assert all(len(text) < 2000 for text in lines)
        assert "secret" not in ran.stdout + ran.stderr


@pytest.mark.parametrize(
    ("build", "code"),
    [
        pytest.param(lambda: _rand(4096, 5), 1, id="junk"),
        pytest.param(lambda: workbook()[:2000], 1, id="truncated-xlsx"),
        pytest.param(lambda: edited({SHEET: lambda _: zeros(SHEET, 1088)}), 1, id="bomb"),
        pytest.param(lambda: edited({SHEET: lambda b: b[:200]}), 1, id="damaged-sheet"),
        pytest.param(lambda: OLE2 + bytes(504), 1, id="legacy-xls"),
        pytest.param(workbook, 0, id="good-workbook"),
    ],
)
def test_hostile_register_on_stdin(build: Callable[[], bytes], code: int) -> None:
    ran = due("-", stdin=build(), timeout=30)
    assert "Traceback" not in ran.stderr
    assert "出错了" not in ran.stderr, ran.stderr[:500]
    assert ran.code == code, ran.stderr[:2000]
    assert ran.rss_mb < MAX_RSS_MB
    assert "<stdin>" in ran.stderr


@pytest.mark.parametrize(
    ("build", "part", "inflated"),
    [
        pytest.param(lambda: unused_shared_strings(17), SHARED_STRINGS, 272 << 20, id="table"),
        pytest.param(
            lambda: unused_shared_strings(8, sheet_blocks=57), SHEET, 912 << 20, id="sheet"
        ),
    ],
)
def test_shared_strings_cases_are_no_zip_bombs(
    build: Callable[[], bytes], part: str, inflated: int
) -> None:
    """The tables above pass the zip-bomb checks (under 1 GiB, under 200:1): only counting
    the shared strings refuses them. The table's XML is real, read back from its start."""
    import zipfile

    data = build()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(part)
        assert inflated <= info.file_size < 1 << 30
        assert info.file_size / info.compress_size < 200
        with archive.open(SHARED_STRINGS) as table:
            assert table.read(200).decode("utf-8", "ignore").startswith("<sst xmlns=")


def test_bomb_files_stay_small() -> None:
    """The bombs above really are bombs: small files whose part inflates past 1 GiB."""
    data = edited({SHEET: lambda _: zeros(SHEET, 1088)})
    assert len(data) < 2 << 20
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo(SHEET).file_size > 1 << 30
        with archive.open(SHEET) as part:
            assert part.read(1 << 20) == bytes(1 << 20)


def _gbk_text(seed: int, characters: int) -> str:
    """Random GB2312 hanzi (the characters GBK registers hold), as text."""
    rng = random.Random(seed)
    return "".join(
        bytes([rng.randint(0xB0, 0xD7), rng.randint(0xA1, 0xF9)]).decode("gbk")
        for _ in range(characters)
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            "\n".join(_gbk_text(seed, 40) for seed in range(2000)).encode("gbk"),
            ("gb18030", 0),
            id="gbk-hanzi-never-taken-for-mixed",
        ),
        pytest.param(("证书编号,企业名称\n" * 3).encode("utf-8"), ("utf-8", 0), id="utf-8"),
        pytest.param(
            "企业名称甲乙丙丁\n".encode() + "芒果\n".encode("gbk"),
            ("", 2),
            id="eight-utf8-characters-then-gbk-is-mixed",
        ),
        pytest.param(
            "芒果\n".encode() + "芒果\n".encode("gbk"),
            ("gb18030", 0),
            id="two-characters-are-not-enough-to-tell",
        ),
    ],
)
def test_encoding_detection(data: bytes, expected: tuple[str, int]) -> None:
    assert detect_encoding(iter([data[i : i + 4096] for i in range(0, len(data), 4096)])) == (
        expected
    )
