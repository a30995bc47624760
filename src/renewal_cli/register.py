"""Reading a certificate register: CSV in any encoding officers' spreadsheets save.

A register is read as a stream: `Register` yields a Certificate or a RowProblem for every data
row, in file order, so every row is accounted for and a large file never has to be held whole.
`read_*` functions touch files; `parse_*` functions work on text in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO, Protocol

from renewal_cli.errors import RenewalError
from renewal_cli.models import Certificate, Finding, ProblemCode, RowProblem, Scheme
from renewal_cli.places import Places, clean
from renewal_cli.policy import Policy
from renewal_cli.rules import expiry_from_issue, issue_from_expiry

# Field → the headers registers use for it, most specific first: when a register has two
# columns for one field (证书编号 and 产品编号), the earlier alias wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "cert_id": ("证书编号", "产品编号", "证书号", "编号", "cert_id", "certificate_id"),
    "enterprise": (
        "企业名称",
        "申请人",
        "生产单位",
        "生产经营主体",
        "获证单位",
        "enterprise",
        "holder",
    ),
    "product": ("产品名称", "产品", "product"),
    "scheme": ("认证类型", "类型", "类别", "scheme", "type"),
    "city": ("市", "设区市", "地市", "所在市", "city"),
    "county": ("县区", "县（市、区）", "县(市、区)", "县", "区县", "county"),
    "issued_on": ("发证日期", "颁证日期", "获证日期", "issued_on", "issue_date"),
    "expires_on": (
        "有效期至",
        "证书有效期至",
        "到期日期",
        "有效期截止日期",
        "expires_on",
        "expiry_date",
    ),
    "filed_on": ("续展申请日期", "再认证申请日期", "申报日期", "filed_on"),
    "contact": ("联系人", "contact"),
    "phone": ("联系电话", "电话", "手机", "phone"),
    "email": ("电子邮箱", "邮箱", "email", "e-mail"),
}

REQUIRED: tuple[str, ...] = ("cert_id", "enterprise", "product", "scheme")
# At least one field of each group must have a column.
REQUIRED_ONE_OF: tuple[tuple[str, ...], ...] = (("city", "county"), ("issued_on", "expires_on"))

SCHEMES: dict[str, Scheme] = {
    "绿色食品": Scheme.GREEN,
    "绿色": Scheme.GREEN,
    "绿色食品认证": Scheme.GREEN,
    "green": Scheme.GREEN,
    "greenfood": Scheme.GREEN,
    "有机农产品": Scheme.ORGANIC,
    "有机产品": Scheme.ORGANIC,
    "有机": Scheme.ORGANIC,
    "有机食品": Scheme.ORGANIC,
    "有机认证": Scheme.ORGANIC,
    "organic": Scheme.ORGANIC,
}

# County cells that mean "no county: the city's own level".
CITY_LEVEL = frozenset({"市本级", "市直", "本级", "市级"})

_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_BRACKETED = re.compile(r"[(\[【].*?[)\]】]$")
# Characters str.strip() keeps but spreadsheets leave around cells.
# Register dates outside these years are typos (0201, 9021), not certificates.
MIN_YEAR, MAX_YEAR = 1900, 2199
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
# Everything stripped from a cell's ends: ASCII and full-width (U+3000) spaces, NBSP, invisibles.
_PADDING = " \t\r\n\v\f\u3000\u00a0\u2002\u2003\u2009\u202f" + _INVISIBLE
_SNIFF_CHARS = 65536
_CHUNK = 1 << 20
_HEADER_SCAN_ROWS = 10


@lru_cache(maxsize=8192)  # registers repeat dates; a bad one raises and is not cached
def parse_date(text: str) -> date | None:
    """A register date, or None for an empty cell. Raises ValueError for anything else.

    Accepts 2021-03-05, 2021/3/5, 2021.03.05, 2021年3月5日, 20210305 and "2021-03-05 00:00:00".
    Nothing is guessed: no missing year, no day-month swapping (dateutil would fill gaps from
    today, which must never happen to a register date).
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match is None:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(text)  # a typo like 0201 or 9021, and date arithmetic stays in range
    return date(year, month, day)  # ValueError for 2021-02-30


@lru_cache(maxsize=256)
def parse_scheme(text: str) -> Scheme | None:
    """The scheme a cell names, or None.

    Besides the spellings in SCHEMES, a cell that names exactly one of the two schemes inside
    longer text (绿色食品A级, 有机产品认证) is taken as that scheme; one naming both, or
    neither, is not guessed.
    """
    key = clean(text).lower()
    if key in SCHEMES:
        return SCHEMES[key]
    green = "绿色" in key or "green" in key
    organic = "有机" in key or "organic" in key
    if green != organic:
        return Scheme.GREEN if green else Scheme.ORGANIC
    return None


def normalize_header(text: str) -> str:
    return clean(text).strip(_INVISIBLE + "*").lower()


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names the column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def map_header(header: list[str]) -> dict[str, int]:
    """Field → column index for a header row (fields without a column are absent)."""
    positions: dict[str, int] = {}
    normalized = [normalize_header(h) for h in header]
    # "有效期至(年/月/日)", "发证日期（必填）": a note in brackets after a known header.
    bare = [_BRACKETED.sub("", h) for h in normalized]
    for name, aliases in ALIASES.items():
        for alias in aliases:
            key = normalize_header(alias)
            for candidates in (normalized, bare):
                if key in candidates and candidates.index(key) not in positions.values():
                    positions[name] = candidates.index(key)
                    break
            if name in positions:
                break
    return positions


def missing_columns(positions: dict[str, int]) -> list[str]:
    """The fields (or groups of fields) a header lacks, as field names."""
    missing = [name for name in REQUIRED if name not in positions]
    for group in REQUIRED_ONE_OF:
        if not any(name in positions for name in group):
            missing.append("/".join(group))
    return missing


def detect_encoding(chunks: Iterator[bytes], explicit: str | None = None) -> str:
    """The encoding of a register: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030.

    GB18030 is a superset of GBK and GB2312, what Excel and WPS save on Chinese Windows. The
    whole input is checked, not a sample: a GBK file may start with pure ASCII headers. With
    `explicit`, only that encoding is tried, and the first line it cannot decode is reported.
    """
    head = next(chunks, b"")
    if explicit is None and head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if explicit is None and head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    candidates = [explicit] if explicit else ["utf-8", "gb18030"]
    decoders = {name: codecs.getincrementaldecoder(name)() for name in candidates}
    newlines = 0
    first_bad_line = 0
    for chunk in itertools.chain((head,), chunks, (b"",)):
        final = chunk == b""
        for name in list(candidates):
            try:
                decoders[name].decode(chunk, final=final)
            except UnicodeError as err:  # UTF-16 without a BOM raises the base class
                candidates.remove(name)
                start = err.start if isinstance(err, UnicodeDecodeError) else 0
                if not first_bad_line:
                    first_bad_line = newlines + chunk.count(b"\n", 0, max(start, 0)) + 1
        newlines += chunk.count(b"\n")
        if not candidates:
            break
    if candidates:
        return candidates[0]
    if explicit:
        raise RenewalError("register.decode_failed_line", encoding=explicit, line=first_bad_line)
    raise RenewalError("register.encoding_unknown", line=first_bad_line)


def sniff_delimiter(sample: str) -> str:
    """Comma, unless the first lines hold more tabs or semicolons (Excel's "Unicode text")."""
    lines = [line for line in sample.splitlines()[:_HEADER_SCAN_ROWS] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


@dataclass
class Counts:
    """What a pass over the register saw; complete once the iteration has finished."""

    rows: int = 0
    certificates: int = 0
    problems: int = 0
    blank: int = 0
    title_lines: int = 0


@dataclass
class Register:
    """A register file opened for reading: iterate it for Certificates and RowProblems."""

    source: str
    text: IO[str]
    encoding: str
    policy: Policy
    places: Places
    counts: Counts = field(default_factory=Counts)
    header: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Certificate | RowProblem]:
        try:
            yield from self._entries()
        except UnicodeError as err:
            raise RenewalError(
                "register.decode_failed",
                source=self.source,
                encoding=self.encoding,
                detail=str(err),
            ) from None
        except csv.Error as err:
            raise RenewalError("register.csv_error", source=self.source, detail=str(err)) from None
        finally:
            self.text.close()

    def _entries(self) -> Iterator[Certificate | RowProblem]:
        sample = self.text.read(_SNIFF_CHARS)
        self.text.seek(0)
        reader = csv.reader(self.text, delimiter=sniff_delimiter(sample))
        positions = self._find_header(reader)
        line = reader.line_num
        seen: dict[str, tuple[int, date]] = {}
        for row in reader:
            first_line, line = line + 1, reader.line_num
            if not any(cell.strip(_PADDING) for cell in row):
                self.counts.blank += 1
                continue
            self.counts.rows += 1
            entry = parse_row(
                row,
                positions,
                header=self.header,
                source=self.source,
                line=first_line,
                policy=self.policy,
                places=self.places,
                seen=seen,
            )
            if isinstance(entry, Certificate):
                self.counts.certificates += 1
            else:
                self.counts.problems += 1
            yield entry

    def _find_header(self, reader: Iterator[list[str]]) -> dict[str, int]:
        """The first row that names the register's columns; title rows above it are skipped."""
        best: tuple[list[str], dict[str, int]] | None = None
        scanned = 0
        for row in reader:
            if not any(cell.strip() for cell in row):
                self.counts.blank += 1
                continue
            positions = map_header(row)
            if not missing_columns(positions):
                self.header = row
                return positions
            if best is None or len(positions) > len(best[1]):
                best = (row, positions)
            scanned += 1
            self.counts.title_lines += 1
            if scanned >= _HEADER_SCAN_ROWS:
                break
        if best is None:
            raise RenewalError("register.empty", source=self.source)
        row, positions = best
        missing = missing_columns(positions)
        raise RenewalError(
            "register.missing_columns",
            source=self.source,
            missing=missing,
            header=[h.strip() for h in row],
        )


def _cell(row: list[str], index: int) -> str:
    return row[index].strip(_PADDING) if index < len(row) else ""


def parse_row(
    row: list[str],
    positions: dict[str, int],
    *,
    header: list[str],
    source: str,
    line: int,
    policy: Policy,
    places: Places,
    seen: dict[str, tuple[int, date]],
) -> Certificate | RowProblem:
    """One data row → a Certificate, or a RowProblem listing everything wrong with it.

    `seen` maps the certificate numbers of earlier rows to their first line and expiry (for
    repeats); it is updated when the row becomes a certificate.
    """
    findings: list[Finding] = []
    cells = {name: _cell(row, index) for name, index in positions.items()}

    def value(name: str) -> str:
        return cells.get(name, "")

    def finding(code: ProblemCode, name: str, **detail: str) -> Finding:
        index = positions.get(name)
        return Finding(
            code=code,
            column=header[index].strip() if index is not None else "",
            column_letter=column_letter(index) if index is not None else "",
            value=value(name),
            detail=detail,
        )

    for name in REQUIRED:
        if not value(name):
            findings.append(finding(ProblemCode.EMPTY, name))

    scheme = parse_scheme(value("scheme")) if value("scheme") else None
    if value("scheme") and scheme is None:
        findings.append(finding(ProblemCode.UNKNOWN_SCHEME, "scheme"))

    dates: dict[str, date | None] = {}
    for name in ("issued_on", "expires_on", "filed_on"):
        try:
            dates[name] = parse_date(value(name))
        except ValueError:
            dates[name] = None
            findings.append(finding(ProblemCode.BAD_DATE, name))
    issued_on, expires_on = dates["issued_on"], dates["expires_on"]
    date_findings = any(f.code is ProblemCode.BAD_DATE for f in findings)
    if issued_on is None and expires_on is None and not date_findings:
        name = "expires_on" if "expires_on" in positions else "issued_on"
        findings.append(finding(ProblemCode.NO_DATES, name))
    if issued_on and expires_on and expires_on < issued_on:
        findings.append(
            finding(ProblemCode.EXPIRY_BEFORE_ISSUE, "expires_on", issued_on=issued_on.isoformat())
        )

    city_field = "city" if "city" in positions else "county"
    city, county = _place(value("city"), value("county"), places, finding, findings, city_field)

    extra = [cell for cell in row[len(header) :] if cell.strip()]
    if extra:
        findings.append(
            Finding(
                code=ProblemCode.EXTRA_CELLS,
                column_letter=column_letter(len(header)),
                value=extra[0].strip(),
                detail={"cells": str(len(header) + len(extra)), "columns": str(len(header))},
            )
        )

    cert_id = unicodedata.normalize("NFKC", value("cert_id")).strip()

    if findings:
        return RowProblem(source=source, line=line, findings=tuple(findings))

    assert scheme is not None and city is not None  # no findings: both were parsed
    validity = policy.rule(scheme).validity_years
    if expires_on is None:
        assert issued_on is not None
        expires_on = expiry_from_issue(issued_on, validity)
    if issued_on is None:
        issued_on = issue_from_expiry(expires_on, validity)
    # lb-45-… and LB-45-… are one number typed twice. The same number with the same expiry is
    # the same certificate twice: left out. With another expiry it is another cycle (organic
    # numbers stay the same on re-certification): kept, with a warning naming the first line.
    key = cert_id.upper()
    notes: list[Finding] = []
    earlier = seen.get(key)
    if earlier is not None and earlier[1] == expires_on:
        return RowProblem(
            source=source,
            line=line,
            findings=(finding(ProblemCode.DUPLICATE, "cert_id", first_line=str(earlier[0])),),
        )
    if earlier is not None:
        notes.append(finding(ProblemCode.REPEATED_NUMBER, "cert_id", first_line=str(earlier[0])))
    else:
        seen[key] = (line, expires_on)
    filed_on = dates["filed_on"]
    if filed_on is not None and filed_on < issued_on:
        notes.append(
            finding(ProblemCode.FILED_BEFORE_ISSUE, "filed_on", issued_on=issued_on.isoformat())
        )
    return Certificate(
        cert_id=cert_id,
        enterprise=value("enterprise"),
        product=value("product"),
        scheme=scheme,
        city=city,
        county=county,
        issued_on=issued_on,
        expires_on=expires_on,
        filed_on=filed_on,
        notes=tuple(notes),
        contact=value("contact") or None,
        phone=value("phone") or None,
        email=value("email") or None,
        source=source,
        line=line,
    )


def _place(
    city_text: str,
    county_text: str,
    places: Places,
    finding: _FindingFactory,
    findings: list[Finding],
    city_field: str,
) -> tuple[str | None, str | None]:
    """Canonical (city, county) of a row; appends findings for anything not in Guangxi."""
    city = places.city(city_text) if city_text else None
    if city_text and city is None:
        findings.append(finding(ProblemCode.UNKNOWN_CITY, "city"))
        return None, None
    county_name: str | None = None
    if county_text and clean(county_text) not in CITY_LEVEL:
        county = places.county(county_text)
        as_city = places.city(county_text) if county is None else None
        if as_city is not None and (city is None or as_city == city):
            city = as_city  # the city's own level written in the county column
        elif as_city is not None and city is not None:
            findings.append(
                finding(
                    ProblemCode.COUNTY_CITY_MISMATCH, "county", city=city.name, belongs=as_city.name
                )
            )
            return None, None
        elif county is None:
            findings.append(finding(ProblemCode.UNKNOWN_COUNTY, "county"))
            return None, None
        elif city is not None and county.city != city.name:
            findings.append(
                finding(
                    ProblemCode.COUNTY_CITY_MISMATCH, "county", city=city.name, belongs=county.city
                )
            )
            return None, None
        else:
            county_name = county.name
            city = city or places.cities[county.city]
    if city is None:
        findings.append(finding(ProblemCode.EMPTY, city_field))
        return None, None
    return city.name, county_name


class _FindingFactory(Protocol):
    """Type of the `finding` helper inside parse_row."""

    def __call__(self, code: ProblemCode, name: str, **detail: str) -> Finding: ...


def open_register_bytes(data: bytes, source: str, encoding: str | None) -> tuple[IO[str], str]:
    """Text stream over register bytes held in memory (stdin)."""
    _reject_spreadsheet(data[:4], source)
    chunks = (data[i : i + _CHUNK] for i in range(0, len(data), _CHUNK))
    chosen = _choose_encoding(source, chunks, encoding)
    return io.StringIO(data.decode(chosen), newline=""), chosen


def open_register_file(path: Path, encoding: str | None) -> tuple[IO[str], str]:
    """Text stream over a register file, its encoding checked on the whole file first."""
    source = str(path)
    try:
        with path.open("rb") as raw:
            head = raw.read(_CHUNK)
            _reject_spreadsheet(head[:4], source)
            chunks = itertools.chain((head,), iter(lambda: raw.read(_CHUNK), b""))
            chosen = _choose_encoding(source, chunks, encoding)
        return path.open(encoding=chosen, newline=""), chosen
    except IsADirectoryError:
        raise RenewalError("register.is_directory", source=source) from None
    except FileNotFoundError:
        raise RenewalError("register.not_found", source=source) from None
    except PermissionError:
        raise RenewalError(
            "register.unreadable", source=source, detail="permission denied"
        ) from None
    except OSError as err:
        raise RenewalError("register.unreadable", source=source, detail=str(err.strerror)) from None


def _choose_encoding(source: str, chunks: Iterator[bytes], explicit: str | None) -> str:
    if explicit is not None:
        try:
            info = codecs.lookup(explicit)
        except LookupError:
            info = None
        # rot13, base64 and the like are codecs too, but not text encodings.
        if info is None or not getattr(info, "_is_text_encoding", True):
            raise RenewalError(
                "register.unknown_encoding", exit_code=2, encoding=explicit
            ) from None
        explicit = info.name
    try:
        return detect_encoding(chunks, explicit)
    except RenewalError as err:
        params = {**err.params, "source": source}
        raise RenewalError(err.message_id, err.exit_code, **params) from None


def _reject_spreadsheet(magic: bytes, source: str) -> None:
    """.xlsx and .xls files are not CSV: say how to save one, rather than print garbage."""
    if magic.startswith(b"PK\x03\x04") or magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise RenewalError("register.spreadsheet", source=source)


def read_register(
    source: Path | bytes,
    *,
    policy: Policy,
    places: Places,
    encoding: str | None = None,
    name: str | None = None,
) -> Register:
    """Open a register for reading: a file, or bytes already read (stdin, the sample)."""
    if isinstance(source, bytes):
        label = name or "<stdin>"
        text, chosen = open_register_bytes(source, label, encoding)
    else:
        label = name or str(source)
        text, chosen = open_register_file(source, encoding)
    return Register(source=label, text=text, encoding=chosen, policy=policy, places=places)
