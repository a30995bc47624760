"""The one CSV writer: every CSV the tool writes (the items of `due`, its call list with
--by-holder, `check`'s problems, `summary`'s table, the CSV attached to an officer's mail) is
made into text and bytes here, so they are all alike.

Text: a header line, then a line per row, as csv.writer writes them (RFC 4180 with CRLF line
ends; a cell is quoted only when it holds a comma, a quote or a line break).

Bytes (CsvEncoding, chosen by `csv_encoding` from what the user asked):
- UTF-8 with a BOM in a file, and on stdout with --bom: Excel on Chinese Windows reads UTF-8
  without one as GBK. On stdout it has none by default (a pipe wants plain UTF-8).
- GB18030 with --out-encoding gb18030 (gbk and gb2312 name it too), for Excel and WPS on Chinese
  Windows, which read it as it is: no BOM. GB18030 encodes every Unicode character (a lone
  surrogate aside, which no register cell keeps: sources.clean_cell removes them), so text
  outside GBK (𠀀, 䶮, 🍊) is written, never replaced.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

UTF8_BOM = "\ufeff".encode()


def csv_lines(
    header: Sequence[str], rows: Iterable[Sequence[str]], *, per_chunk: int = 2000
) -> Iterator[str]:
    """The header line, then one line per row (cells as text, "" for none), in pieces of
    `per_chunk` rows, for a stream.

    A row whose cells hold no comma, quote or line break is the cells joined by commas, as
    csv.writer would write it; only the others go through csv.writer, to be quoted.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    lines = [out.getvalue()]
    for n, row in enumerate(rows, start=1):
        line = ",".join(row)
        if line.count(",") == len(row) - 1 and not ('"' in line or "\n" in line or "\r" in line):
            lines.append(line + "\r\n")
        else:
            out.seek(0)
            out.truncate()
            writer.writerow(row)
            lines.append(out.getvalue())
        if n % per_chunk == 0:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """`csv_lines` as one string."""
    return "".join(csv_lines(header, rows))


@dataclass(frozen=True, slots=True)
class CsvEncoding:
    """How CSV text becomes bytes: the encoding, and whether a UTF-8 BOM goes first."""

    encoding: str = "utf-8"
    bom: bool = False

    def encode(self, pieces: Iterable[str]) -> Iterator[bytes]:
        """The pieces as bytes, the BOM (if any) at the start of the first."""
        start = UTF8_BOM if self.bom else b""
        for piece in pieces:
            yield start + piece.encode(self.encoding)
            start = b""

    def encode_text(self, text: str) -> bytes:
        """All of `text` as bytes, the BOM (if any) first."""
        return b"".join(self.encode([text]))


def csv_encoding(*, to_file: bool, bom: bool = False, encoding: str = "utf-8") -> CsvEncoding:
    """The bytes of a CSV output: UTF-8 with a BOM in a file or with --bom, else without;
    GB18030 (--out-encoding) never with one."""
    if encoding != "utf-8":
        return CsvEncoding(encoding)
    return CsvEncoding("utf-8", to_file or bom)
