"""The encoding of a register's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else
GB18030 (a superset of GBK and GB2312, what Excel and WPS save on Chinese Windows)."""

from __future__ import annotations

import codecs
import itertools
from collections.abc import Iterator
from typing import IO

CHUNK = 1 << 20
DETECTED = "UTF-8 / GB18030"
# GBK text passes as UTF-8 only by chance, a character or two at a time: eight or more CJK
# characters (two extra bytes each) that read as UTF-8 before the first byte that does not mean
# the file really started in UTF-8.
_MIXED_EXTRA = 16


def detect_encoding(chunks: Iterator[bytes], explicit: str | None = None) -> tuple[str, int]:
    """The encoding of a register, or ("", line) naming the first line no candidate decodes.

    UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK and GB2312,
    what Excel and WPS save on Chinese Windows). The whole input is checked, not a sample: a
    GBK file may start with pure ASCII headers. With `explicit`, only that encoding is tried.
    """
    head = next(chunks, b"")
    candidates = [explicit] if explicit else ["utf-8", "gb18030"]
    # A BOM names the encoding, and the rest of the file must then decode in it.
    bom = bom_encoding(head) if explicit is None else None
    if bom:
        candidates = [bom]
    decoders = {name: codecs.getincrementaldecoder(name)() for name in candidates}
    newlines = 0
    first_bad_line = 0
    utf8_extra = 0  # bytes beyond one per character in what UTF-8 decoded: its multi-byte text
    for chunk in itertools.chain((head,), chunks, (b"",)):
        final = chunk == b""
        for name in list(candidates):
            try:
                text = decoders[name].decode(chunk, final=final)
            except UnicodeError as err:  # UTF-16 without a BOM raises the base class
                candidates.remove(name)
                start = max(err.start if isinstance(err, UnicodeDecodeError) else 0, 0)
                if not first_bad_line:
                    first_bad_line = newlines + chunk.count(b"\n", 0, start) + 1
                if name == "utf-8" and explicit is None:
                    before = chunk[:start]
                    utf8_extra += len(before) - len(before.decode("utf-8", "ignore"))
                    if utf8_extra >= _MIXED_EXTRA:
                        # Real UTF-8 text, then bytes that are not: a file saved in two
                        # encodings, even if GB18030 happens to decode all of it.
                        return "", first_bad_line
                continue
            if name == "utf-8":
                utf8_extra += len(chunk) - len(text)
        newlines += chunk.count(b"\n")
        if not candidates:
            break
    return (candidates[0], 0) if candidates else ("", first_bad_line)


def choose_encoding(chunks: Iterator[bytes], explicit: str | None = None) -> tuple[str, int]:
    """`detect_encoding` for a file read next: the same choice, with only UTF-8 checked ahead.

    UTF-8 is checked ahead until the file has shown real UTF-8 text (as many bytes beyond one
    a character as eight CJK characters make): a file that stops being UTF-8 before then may
    have to be read as GB18030 from its start; after it, the file is UTF-8 or mixed, which
    the reading itself finds. Every other choice (a BOM, --encoding, GB18030 once UTF-8
    fails) is final too, so its own decoder checks the rest as the file is read, and CsvSource
    reports the first line it cannot decode (`bad_line`), as detect_encoding names it. A
    register is then decoded once, not twice (only a file of ASCII is checked to its end).
    """
    head = next(chunks, b"")
    if explicit or bom_encoding(head):
        return explicit or bom_encoding(head) or "", 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = 0
    utf8_extra = 0
    for chunk in itertools.chain((head,), chunks, (b"",)):
        try:
            text = decoder.decode(chunk, final=chunk == b"")
        except UnicodeDecodeError as err:
            before = chunk[: max(err.start, 0)]
            utf8_extra += len(before) - len(before.decode("utf-8", "ignore"))
            if utf8_extra >= _MIXED_EXTRA:  # see detect_encoding
                return "", newlines + before.count(b"\n") + 1
            return "gb18030", 0
        utf8_extra += len(chunk) - len(text)
        if utf8_extra >= _MIXED_EXTRA:
            return "utf-8", 0  # see above: a failure further on is a mixed file
        newlines += chunk.count(b"\n")
    return "utf-8", 0


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte order mark at the start names, if there is one."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def bad_line(raw: IO[bytes], encoding: str | None) -> int:
    """The first line of a file that `encoding` (None: UTF-8 and GB18030) does not decode, or
    0 when it all decodes."""
    raw.seek(0)
    return detect_encoding(iter(lambda: raw.read(CHUNK), b""), encoding)[1]


def is_text_encoding(name: str) -> str | None:
    """The codec's canonical name when `name` is a text encoding (not rot13, base64…)."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def shown_encoding(chosen: str, explicit: str | None) -> str:
    """How a message names the encoding a register is read in."""
    if explicit:
        return explicit
    return {"utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16 (BOM)"}.get(chosen, DETECTED)
