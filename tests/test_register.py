"""Reading registers: encodings, header aliases, date formats, places, and every kind of bad row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from renewal_cli.cells import column_letter, parse_date
from renewal_cli.models import Certificate, Problem, ProblemCode, Scheme, Severity
from renewal_cli.places import guangxi
from renewal_cli.policy import policy_for
from renewal_cli.register import Register, open_register
from renewal_cli.sources.csvfile import CsvSource
from renewal_cli.sources.encodings import detect_encoding, is_text_encoding

HEADER = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期"
ROW = "LB-45-21030512345A,百色某农业公司,芒果,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,"


def opened(data: bytes | str, encoding: str | None = None) -> Register:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return open_register(
        raw, policy=policy_for(2024), places=guangxi(), encoding=encoding, name="t.csv"
    )


def read(data: bytes | str, encoding: str | None = None) -> list[Certificate | Problem]:
    return list(opened(data, encoding))


def only_certificate(data: bytes | str, encoding: str | None = None) -> Certificate:
    entries = read(data, encoding)
    assert len(entries) == 1
    entry = entries[0]
    assert isinstance(entry, Certificate), entry
    return entry


def row_problems(data: str) -> list[Problem]:
    """The problems of a register whose one data row is bad: no certificate, all on one line."""
    register = opened(data)
    entries = list(register)
    assert entries and all(isinstance(e, Problem) for e in entries), entries
    problems = [e for e in entries if isinstance(e, Problem)]
    assert {p.line for p in problems} == {2}
    assert all(p.severity is Severity.ERROR and not p.fatal for p in problems)
    assert (register.counts.rows, register.counts.certificates, register.counts.problems) == (
        1,
        0,
        1,
    )
    assert not register.failed
    return problems


def fatal(data: bytes | str, encoding: str | None = None) -> Problem:
    """The one fatal problem of a register that cannot be read at all."""
    register = opened(data, encoding)
    entries = list(register)
    assert len(entries) == 1, entries
    problem = entries[0]
    assert isinstance(problem, Problem) and problem.fatal, problem
    assert register.failed
    assert problem.source == "t.csv"
    return problem


TEXT = f"{HEADER}\r\n{ROW}\r\n"


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(TEXT.encode("utf-8"), id="utf-8"),
        pytest.param(TEXT.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(TEXT.encode("gbk"), id="gbk"),
        pytest.param(TEXT.encode("gb18030"), id="gb18030"),
        pytest.param(TEXT.encode("utf-16"), id="utf-16-bom"),
        pytest.param(TEXT.replace(",", "\t").encode("utf-16"), id="excel-unicode-text-tabs"),
        pytest.param(TEXT.replace("\r\n", "\n").encode("gbk"), id="gbk-lf"),
    ],
)
def test_encodings_are_detected(raw: bytes) -> None:
    c = only_certificate(raw)
    assert (c.cert_id, c.enterprise, c.city, c.county) == (
        "LB-45-21030512345A",
        "百色某农业公司",
        "百色市",
        "田阳区",
    )


def test_gbk_detected_even_when_only_late_rows_are_chinese() -> None:
    header = "cert_id,enterprise,product,scheme,city,county,issued_on,expires_on\n"
    rows = "".join(f"X{n},Farm {n},Rice,green,Baise,,2021-03-05,2024-03-04\n" for n in range(5000))
    raw = (header + rows + "Y1,百色某农业公司,芒果,绿色,百色,田阳,2021-03-05,\n").encode("gbk")
    entries = read(raw)
    assert len(entries) == 5001
    last = entries[-1]
    assert isinstance(last, Certificate) and last.enterprise == "百色某农业公司"


def test_explicit_encoding_overrides_detection() -> None:
    c = only_certificate(TEXT.encode("gbk"), encoding="gbk")
    assert c.enterprise == "百色某农业公司"


@pytest.mark.parametrize(
    ("raw", "encoding", "code", "detail"),
    [
        pytest.param(
            TEXT.encode("gbk"),
            "utf-8",
            ProblemCode.ENCODING,
            {"line": "1", "encoding": "utf-8"},
            id="wrong-explicit",
        ),
        # An .xlsx is read now (issue 9); one cut short is damaged, not CSV garbage.
        pytest.param(
            b"PK\x03\x04rest-of-zip",
            None,
            ProblemCode.SPREADSHEET_DAMAGED,
            {"reason": "BadZipFile"},
            id="xlsx-cut-short",
        ),
        pytest.param(b"\xd0\xcf\x11\xe0rest-of-xls", None, ProblemCode.SPREADSHEET, {}, id="xls"),
        pytest.param(
            TEXT.encode("utf-8"),
            "utf-16",
            ProblemCode.ENCODING,
            {"line": "1", "encoding": "utf-16"},
            id="utf-16-without-bom",
        ),
        pytest.param(b"", None, ProblemCode.EMPTY_FILE, {}, id="empty-file"),
        pytest.param(b"\r\n  \n,,,\n", None, ProblemCode.EMPTY_FILE, {}, id="only-blank-lines"),
        pytest.param(
            b"a,b\n\x80\xff\xff\xff",
            None,
            ProblemCode.ENCODING,
            {"line": "2", "encoding": "UTF-8 / GB18030"},
            id="binary",
        ),
    ],
)
def test_unreadable_registers(
    raw: bytes, encoding: str | None, code: ProblemCode, detail: dict[str, str]
) -> None:
    """A file that cannot be read is one fatal Problem, never an exception (line 0: the file)."""
    problem = fatal(raw, encoding)
    assert (problem.code, problem.detail, problem.line) == (code, detail, 0)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"x" * 200_000 + b"\n", id="one-huge-line"),
        pytest.param(b"\n" + b"y" * 200_000, id="a-blank-line-then-a-huge-one"),
    ],
)
def test_a_file_of_bad_rows_has_no_header_it_is_not_empty(raw: bytes) -> None:
    """Seen in a trial: one line over the cell limit was reported, then the file called empty."""
    register = opened(raw)
    too_large, problem = list(register)
    assert isinstance(too_large, Problem) and too_large.code is ProblemCode.CELL_TOO_LARGE
    assert isinstance(problem, Problem) and problem.fatal and register.failed
    assert problem.code is ProblemCode.NO_HEADER
    assert problem.detail["searched"] == "1"
    assert problem.severity is Severity.ERROR


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        pytest.param("klingon", None, id="unknown-codec"),
        pytest.param("rot13", None, id="not-a-text-codec"),
        pytest.param("base64", None, id="bytes-codec"),
        pytest.param("GBK", "gbk", id="gbk-any-case"),
        pytest.param("utf8", "utf-8", id="utf-8-alias"),
    ],
)
def test_only_text_encodings_are_accepted(name: str, canonical: str | None) -> None:
    """--encoding is checked before reading (a usage error); rot13 and base64 are no text."""
    assert is_text_encoding(name) == canonical


BROKEN_AT = 2502  # the line of 3,000 that holds bytes no encoding of a register decodes


@pytest.mark.parametrize(
    ("codec", "prefix", "encoding", "named"),
    [
        pytest.param("gbk", b"", "gbk", "gbk", id="explicit"),
        pytest.param("utf-8", b"\xef\xbb\xbf", None, "UTF-8 (BOM)", id="utf-8-bom"),
        pytest.param("gbk", b"", None, "UTF-8 / GB18030", id="detected-gb18030"),
    ],
)
def test_a_file_not_checked_ahead_names_the_line_it_breaks_on(
    tmp_path: Path, codec: str, prefix: bytes, encoding: str | None, named: str
) -> None:
    """Only UTF-8 is checked on the whole file before reading (sources.choose_encoding); any
    other encoding is checked as the file is read, and a line it cannot decode stops the
    register with the same fatal problem, not as a file that changed."""
    lines = [(HEADER + "\n").encode(codec)]
    lines += [
        (ROW.replace("LB-45-21030512345A", f"LB{n}") + "\n").encode(codec) for n in range(2999)
    ]
    lines[BROKEN_AT - 1] = lines[BROKEN_AT - 1][:-1] + b"\xff\xff\n"
    path = tmp_path / "register.csv"
    path.write_bytes(prefix + b"".join(lines))
    register = open_register(path, policy=policy_for(2024), places=guangxi(), encoding=encoding)
    entries = list(register)
    last = entries[-1]
    assert isinstance(last, Problem) and last.code is ProblemCode.ENCODING, last
    assert register.failed
    assert last.detail["encoding"] == named
    with path.open("rb") as raw:
        expected = detect_encoding(iter(lambda: raw.read(1 << 20), b""), encoding)
    assert expected[0] == ""
    assert last.detail["line"] == str(expected[1])
    if encoding or prefix:
        assert last.detail["line"] == str(BROKEN_AT)


def test_wrong_encoding_names_the_line() -> None:
    raw = (HEADER + "\n" + ROW + "\n").encode("utf-8") + "百色\n".encode("gbk")
    problem = fatal(raw, "utf-8")
    assert problem.code is ProblemCode.ENCODING
    assert problem.detail["line"] == "3"


# README "The register": the table of headers accepted, written out as the README states it
# (and the new columns of domain.md §4 / issue 7), header -> field. Not derived from ALIASES.
README_ALIASES: list[tuple[str, str]] = [
    ("证书编号", "cert_id"),
    ("产品编号", "cert_id"),
    ("证书号", "cert_id"),
    ("编号", "cert_id"),
    ("cert_id", "cert_id"),
    ("certificate_id", "cert_id"),
    ("企业名称", "enterprise"),
    ("申请人", "enterprise"),
    ("生产单位", "enterprise"),
    ("生产经营主体", "enterprise"),
    ("获证单位", "enterprise"),
    ("enterprise", "enterprise"),
    ("holder", "enterprise"),
    ("产品名称", "product"),
    ("产品", "product"),
    ("product", "product"),
    ("认证类型", "scheme"),
    ("类型", "scheme"),
    ("类别", "scheme"),
    ("scheme", "scheme"),
    ("type", "scheme"),
    ("市", "city"),
    ("设区市", "city"),
    ("地市", "city"),
    ("所在市", "city"),
    ("city", "city"),
    ("县区", "county"),
    ("县（市、区）", "county"),
    ("县(市、区)", "county"),
    ("县", "county"),
    ("区县", "county"),
    ("county", "county"),
    ("发证日期", "issued_on"),
    ("颁证日期", "issued_on"),
    ("获证日期", "issued_on"),
    ("issued_on", "issued_on"),
    ("issue_date", "issued_on"),
    ("有效期至", "expires_on"),
    ("证书有效期至", "expires_on"),
    ("到期日期", "expires_on"),
    ("有效期截止日期", "expires_on"),
    ("expires_on", "expires_on"),
    ("expiry_date", "expires_on"),
    ("续展申请日期", "filed_on"),
    ("再认证申请日期", "filed_on"),
    ("申报日期", "filed_on"),
    ("filed_on", "filed_on"),
    ("联系人", "contact"),
    ("联系电话", "phone"),
    ("电话", "phone"),
    ("手机", "phone"),
    ("电子邮箱", "email"),
    ("邮箱", "email"),
    ("email", "email"),
]
# New in issue 7 (docs/API): a validity column, grade, base and a serial number column.
NEW_ALIASES: list[tuple[str, str]] = [
    # Certificate-number spellings a new-user trial met refused (the whole file, exit 1).
    ("证书编码", "cert_id"),
    ("证书号码", "cert_id"),
    ("认证证书编号", "cert_id"),
    ("绿色食品证书编号", "cert_id"),
    ("有机产品证书编号", "cert_id"),
    ("有效期", "validity"),
    ("证书有效期", "validity"),
    ("级别", "grade"),
    ("产品级别", "grade"),
    ("等级", "grade"),
    ("基地", "base"),
    ("基地名称", "base"),
    ("生产基地", "base"),
    ("序号", "serial"),
]
# The register every alias is tried in: one header per field, and the value read from it.
BASE_COLUMNS: list[tuple[str, str, str]] = [
    ("cert_id", "证书编号", "C1"),
    ("enterprise", "企业名称", "某合作社"),
    ("product", "产品名称", "沃柑"),
    ("scheme", "认证类型", "有机"),
    ("city", "市", "崇左市"),
    ("county", "县区", "扶绥县"),
    ("issued_on", "发证日期", "2023-03-01"),
    ("expires_on", "有效期至", "2024-02-29"),
    ("filed_on", "续展申请日期", "2023-10-01"),
]
EXTRA_COLUMNS: dict[str, str] = {
    "contact": "张三",
    "phone": "13800000000",
    "email": "zhang@example.cn",
    "grade": "AA",
    "base": "扶绥一号基地",
    "serial": "1",
}
EXPECTED = {
    "cert_id": "C1",
    "enterprise": "某合作社",
    "product": "沃柑",
    "scheme": Scheme.ORGANIC,
    "city": "崇左市",
    "county": "扶绥县",
    "issued_on": date(2023, 3, 1),
    "expires_on": date(2024, 2, 29),
    "filed_on": date(2023, 10, 1),
}


def record_of(c: Certificate) -> dict[str, object]:
    return {
        "cert_id": c.cert_id,
        "enterprise": c.enterprise,
        "product": c.product,
        "scheme": c.scheme,
        "city": c.city,
        "county": c.county,
        "issued_on": c.issued_on,
        "expires_on": c.expires_on,
        "filed_on": c.filed_on,
    }


@pytest.mark.parametrize(
    ("alias", "field"),
    [pytest.param(a, f, id=f"{f}={a}") for a, f in README_ALIASES + NEW_ALIASES],
)
def test_every_header_alias(alias: str, field: str) -> None:
    header = [alias if f == field else name for f, name, _ in BASE_COLUMNS]
    values = [value for _, _, value in BASE_COLUMNS]
    expected: dict[str, object] = dict(EXPECTED)
    if field == "validity":
        # A lone date under 有效期 / 证书有效期 is the expiry: it stands in for 有效期至.
        header[7] = alias
    elif field not in EXPECTED:
        header.append(alias)
        values.append(EXTRA_COLUMNS[field])
    register = opened(",".join(header) + "\n" + ",".join(values) + "\n")
    entries = list(register)
    assert len(entries) == 1
    c = entries[0]
    assert isinstance(c, Certificate), entries
    assert record_of(c) == expected
    extra = {"contact": c.contact, "phone": c.phone, "email": c.email, "grade": c.grade}
    extra["base"] = c.base
    if field in extra:
        assert extra[field] == EXTRA_COLUMNS[field]
    else:
        assert set(extra.values()) == {None}
    assert register.header == header


def test_the_serial_column_is_not_a_certificate_column() -> None:
    """A 序号 column holds numbers only: a row with nothing else in it is blank, not a problem."""
    header = ",".join(["序号", *(name for _, name, _ in BASE_COLUMNS)])
    row = ",".join(["1", *(value for _, _, value in BASE_COLUMNS)])
    register = opened(f"{header}\n{row}\n2,,,,,,,,,\n")
    entries = list(register)
    assert [type(e) for e in entries] == [Certificate]
    assert record_of(entries[0]) == EXPECTED  # type: ignore[arg-type]
    assert (register.counts.rows, register.counts.blank) == (1, 1)


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(
            " 证书编号 ,企业名称,产品名称,认证类型,市,县（市、区）,发证日期,有效期至",
            id="spaces-fullwidth-parens",
        ),
        pytest.param(
            "\u3000证书编号*,企业名称,产品名称,认证类型,市,县(市、区),发证日期,有效期至",
            id="ideographic-space-star",
        ),
        pytest.param(
            "CERT_ID,Enterprise,Product,Scheme,City,County,Issued_On,Expires_On",
            id="english-any-case",
        ),
    ],
)
def test_header_spellings(header: str) -> None:
    c = only_certificate(header + "\nC1,某公司,茶叶,绿色,百色,田阳,2021-03-05,2024-03-04\n")
    assert (c.city, c.county) == ("百色市", "田阳区")


def test_bracketed_notes_after_headers() -> None:
    header = "证书编号(必填),企业名称,产品名称,认证类型【绿色/有机】,市,县区,发证日期（年/月/日）,有效期至(yyyy-mm-dd)"
    c = only_certificate(header + "\nC1,某公司,茶叶,绿色,百色,田阳,2021-03-05,2024-03-04\n")
    assert (c.cert_id, c.issued_on, c.expires_on) == ("C1", date(2021, 3, 5), date(2024, 3, 4))


def test_first_alias_wins_when_two_columns_match() -> None:
    header = "产品编号,证书编号,企业名称,产品名称,认证类型,市,县区,有效期至"
    c = only_certificate(header + "\nLB-45-1,ZS-9,某公司,茶叶,绿色,百色,田阳,2024-03-04\n")
    assert c.cert_id == "ZS-9"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2021-03-05", date(2021, 3, 5), id="iso"),
        pytest.param("2021/3/5", date(2021, 3, 5), id="slash-short"),
        pytest.param("2021/03/05", date(2021, 3, 5), id="slash"),
        pytest.param("2021.03.05", date(2021, 3, 5), id="dots"),
        pytest.param("2021年3月5日", date(2021, 3, 5), id="chinese"),
        pytest.param("2021 年 3 月 5 日", date(2021, 3, 5), id="chinese-spaced"),
        pytest.param("20210305", date(2021, 3, 5), id="compact"),
        pytest.param("2021-03-05 00:00:00", date(2021, 3, 5), id="spreadsheet-timestamp"),
        pytest.param("2021/3/5 0:00", date(2021, 3, 5), id="wps-timestamp"),
        pytest.param("2021-03-05T00:00:00", date(2021, 3, 5), id="iso-timestamp"),
        pytest.param("２０２１－０３－０５", date(2021, 3, 5), id="fullwidth-digits"),
        pytest.param(" 2024-02-29\u3000", date(2024, 2, 29), id="leap-day-padded"),
        pytest.param("", None, id="empty"),
    ],
)
def test_parse_date_accepts(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2021-02-30", id="no-such-day"),
        pytest.param("2023-02-29", id="not-leap"),
        pytest.param("2021-13-01", id="month-13"),
        pytest.param("3/5/2021", id="us-order"),
        pytest.param("21-03-05", id="two-digit-year"),
        pytest.param("2021-03", id="no-day"),
        pytest.param("March 5, 2021", id="words"),
        pytest.param("44260", id="excel-serial"),
        pytest.param("待定", id="chinese-text"),
        pytest.param("9998-06-01", id="year-typo-far-future"),
        pytest.param("0201-03-05", id="year-typo-far-past"),
    ],
)
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(
    ("city", "county", "expected"),
    [
        pytest.param("百色市", "田阳区", ("百色市", "田阳区"), id="canonical"),
        pytest.param("百色", "田阳区", ("百色市", "田阳区"), id="city-without-shi"),
        pytest.param("Baise", "田阳区", ("百色市", "田阳区"), id="city-pinyin"),
        pytest.param(" 百色市\u3000", "\u3000田阳区 ", ("百色市", "田阳区"), id="stray-spaces"),
        pytest.param("百 色", "田 阳", ("百色市", "田阳区"), id="inner-spaces"),
        pytest.param("百色市", "田阳县", ("百色市", "田阳区"), id="former-county-name"),
        pytest.param("南宁", "横县", ("南宁市", "横州市"), id="former-one-char-county"),
        pytest.param("河池", "宜州市", ("河池市", "宜州区"), id="former-city-level-name"),
        pytest.param("柳州", "融水县", ("柳州市", "融水苗族自治县"), id="autonomous-county-short"),
        pytest.param("", "靖西市", ("百色市", "靖西市"), id="city-from-county"),
        pytest.param("百色", "", ("百色市", None), id="no-county"),
        pytest.param("百色市", "市本级", ("百色市", None), id="city-level"),
        pytest.param("百色市", "百色市", ("百色市", None), id="city-in-county-column"),
        pytest.param("广西壮族自治区百色市", "田阳区", ("百色市", "田阳区"), id="region-prefix"),
        pytest.param("广西百色", "百色市田阳区", ("百色市", "田阳区"), id="city-prefixed-county"),
    ],
)
def test_places(city: str, county: str, expected: tuple[str, str | None]) -> None:
    row = f"C1,某公司,茶叶,绿色食品,{city},{county},2021-03-05,2024-03-04,"
    c = only_certificate(f"{HEADER}\n{row}\n")
    assert (c.city, c.county) == expected


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        pytest.param("绿色食品", Scheme.GREEN, id="绿色食品"),
        pytest.param("绿色", Scheme.GREEN, id="绿色"),
        pytest.param(" 绿色食品\u3000", Scheme.GREEN, id="padded"),
        pytest.param("Green", Scheme.GREEN, id="green"),
        pytest.param("有机农产品", Scheme.ORGANIC, id="有机农产品"),
        pytest.param("有机产品", Scheme.ORGANIC, id="有机产品"),
        pytest.param("有机", Scheme.ORGANIC, id="有机"),
        pytest.param("ORGANIC", Scheme.ORGANIC, id="organic"),
        pytest.param("绿色食品A级", Scheme.GREEN, id="green-with-grade"),
        pytest.param("有机产品认证", Scheme.ORGANIC, id="organic-certification"),
    ],
)
def test_schemes(scheme: str, expected: Scheme) -> None:
    row = f"C1,某公司,茶叶,{scheme},百色市,田阳区,2021-03-05,2024-03-04,"
    assert only_certificate(f"{HEADER}\n{row}\n").scheme is expected


@pytest.mark.parametrize(
    ("scheme", "issued", "expires", "want_issued", "want_expires"),
    [
        pytest.param(
            "绿色食品", "2021-03-05", "", "2021-03-05", "2024-03-04", id="green-expiry-derived"
        ),
        pytest.param(
            "有机", "2023-03-01", "", "2023-03-01", "2024-02-29", id="organic-expiry-derived"
        ),
        pytest.param(
            "绿色食品", "", "2024-03-04", "2021-03-05", "2024-03-04", id="green-issue-derived"
        ),
        pytest.param(
            "有机", "", "2024-02-29", "2023-03-01", "2024-02-29", id="organic-issue-derived"
        ),
        pytest.param(
            "绿色食品",
            "2021-03-05",
            "2024-06-30",
            "2021-03-05",
            "2024-06-30",
            id="register-expiry-kept",
        ),
    ],
)
def test_missing_date_is_derived(
    scheme: str, issued: str, expires: str, want_issued: str, want_expires: str
) -> None:
    row = f"C1,某公司,茶叶,{scheme},百色市,田阳区,{issued},{expires},"
    c = only_certificate(f"{HEADER}\n{row}\n")
    assert (c.issued_on.isoformat(), c.expires_on.isoformat()) == (want_issued, want_expires)


@pytest.mark.parametrize(
    ("row", "code", "column", "letter", "value"),
    [
        pytest.param(
            "C1,某公司,茶叶,绿色食品,百色市,田阳区,2021/13/45,2024-03-04,",
            ProblemCode.BAD_DATE,
            "发证日期",
            "G",
            "2021/13/45",
            id="bad-issue-date",
        ),
        pytest.param(
            "C1,某公司,茶叶,绿色食品,百色市,田阳区,2021-03-05,2024-02-30,",
            ProblemCode.BAD_DATE,
            "有效期至",
            "H",
            "2024-02-30",
            id="no-such-day",
        ),
        pytest.param(
            "C1,某公司,茶叶,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,下周",
            ProblemCode.BAD_DATE,
            "续展申请日期",
            "I",
            "下周",
            id="bad-filing-date",
        ),
        pytest.param(
            "C1,某公司,茶叶,地理标志,百色市,田阳区,2021-03-05,2024-03-04,",
            ProblemCode.UNKNOWN_SCHEME,
            "认证类型",
            "D",
            "地理标志",
            id="unknown-scheme",
        ),
        pytest.param(
            ",某公司,茶叶,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,",
            ProblemCode.EMPTY,
            "证书编号",
            "A",
            "",
            id="empty-cert-id",
        ),
        pytest.param(
            "C1,,茶叶,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,",
            ProblemCode.EMPTY,
            "企业名称",
            "B",
            "",
            id="empty-enterprise",
        ),
        pytest.param(
            "C1,某公司,,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,",
            ProblemCode.EMPTY,
            "产品名称",
            "C",
            "",
            id="empty-product",
        ),
        pytest.param(
            "C1,某公司,茶叶,,百色市,田阳区,2021-03-05,2024-03-04,",
            ProblemCode.EMPTY,
            "认证类型",
            "D",
            "",
            id="empty-scheme",
        ),
        pytest.param(
            "C1,某公司,茶叶,绿色食品,,,2021-03-05,2024-03-04,",
            ProblemCode.EMPTY,
            "市",
            "E",
            "",
            id="empty-place",
        ),
        pytest.param(
            "C1,某公司,茶叶,绿色食品,百色市,田阳区,,,",
            ProblemCode.NO_DATES,
            "有效期至",
            "H",
            "",
            id="no-dates",
        ),
        pytest.param(
            "C1,某公司,茶叶,绿色食品,百色市,田阳区,2024-03-05,2021-03-04,",
            ProblemCode.EXPIRY_BEFORE_ISSUE,
            "有效期至",
            "H",
            "2021-03-04",
            id="expiry-before-issue",
        ),
        pytest.param(
            "C1,某公司,茶叶,绿色食品,广州市,天河区,2021-03-05,2024-03-04,",
            ProblemCode.UNKNOWN_CITY,
            "市",
            "E",
            "广州市",
            id="city-not-in-guangxi",
        ),
        pytest.param(
            "C1,某公司,茶叶,绿色食品,百色市,天河区,2021-03-05,2024-03-04,",
            ProblemCode.UNKNOWN_COUNTY,
            "县区",
            "F",
            "天河区",
            id="county-not-in-guangxi",
        ),
        pytest.param(
            "C1,某公司,茶叶,绿色食品,百色市,横州市,2021-03-05,2024-03-04,",
            ProblemCode.COUNTY_CITY_MISMATCH,
            "县区",
            "F",
            "横州市",
            id="county-in-wrong-city",
        ),
        pytest.param(
            "C1,某公司,茶叶,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,,多余",
            ProblemCode.EXTRA_CELLS,
            "",
            "J",
            "多余",
            id="extra-cells",
        ),
    ],
)
def test_bad_rows(row: str, code: ProblemCode, column: str, letter: str, value: str) -> None:
    problems = row_problems(f"{HEADER}\n{row}\n")
    assert all(p.source == "t.csv" and p.end_line is None for p in problems)
    found = [(p.code, p.header, p.letter, p.column, p.value) for p in problems]
    assert (code, column, letter, ord(letter) - ord("A") + 1, value) in found


def test_a_row_with_several_faults_lists_them_all() -> None:
    problems = row_problems(f"{HEADER}\nC1,,茶叶,地理标志,广州,,2021/13/45,2024-03-04,\n")
    codes = {p.code for p in problems}
    assert len(problems) == len(codes)
    assert codes == {
        ProblemCode.EMPTY,
        ProblemCode.UNKNOWN_SCHEME,
        ProblemCode.BAD_DATE,
        ProblemCode.UNKNOWN_CITY,
    }


def test_duplicates_are_reported_with_the_first_line() -> None:
    register = opened(f"{HEADER}\n{ROW}\n{ROW}\n\n{ROW.replace('LB-45', 'LB-46')}\n")
    entries = list(register)
    kinds = [type(e).__name__ for e in entries]
    assert kinds == ["Certificate", "Problem", "Certificate"]
    duplicate = entries[1]
    assert isinstance(duplicate, Problem)
    assert duplicate.line == 3
    assert duplicate.code is ProblemCode.DUPLICATE
    assert duplicate.severity is Severity.ERROR
    assert duplicate.detail == {"first_line": "2", "first_file": "t.csv"}
    assert (duplicate.header, duplicate.letter, duplicate.value) == (
        "证书编号",
        "A",
        "LB-45-21030512345A",
    )
    counts = register.counts
    assert (counts.rows, counts.certificates, counts.problems, counts.blank) == (3, 2, 1, 1)


def test_same_number_with_another_expiry_is_another_cycle() -> None:
    """Organic numbers stay the same on re-certification: last year's row must not hide this one,
    and it is no longer worth a warning (supersession decides the old row's status)."""
    old = "1234OP2400001,某合作社,茶叶,有机,百色,田阳区,2024-03-01,2025-02-28,2024-10-01"
    new = "1234OP2400001,某合作社,茶叶,有机,百色,田阳区,2025-03-01,2026-02-28,"
    entries = read(f"{HEADER}\n{old}\n{new}\n")
    assert [type(e).__name__ for e in entries] == ["Certificate", "Certificate"]
    first, second = entries
    assert isinstance(first, Certificate) and isinstance(second, Certificate)
    assert (first.line, first.expires_on) == (2, date(2025, 2, 28))
    assert (second.line, second.expires_on) == (3, date(2026, 2, 28))


def test_duplicates_ignore_case_and_width() -> None:
    entries = read(
        f"{HEADER}\n{ROW}\n{ROW.replace('LB-45-21030512345A', 'lb-45-21030512345a')}\n"
        f"{ROW.replace('LB-45', 'ＬＢ-45')}\n"
    )
    assert [type(e).__name__ for e in entries] == ["Certificate", "Problem", "Problem"]
    assert [(e.code, e.detail) for e in entries[1:] if isinstance(e, Problem)] == [
        (ProblemCode.DUPLICATE, {"first_line": "2", "first_file": "t.csv"}),
        (ProblemCode.DUPLICATE, {"first_line": "2", "first_file": "t.csv"}),
    ]


def test_line_numbers_count_title_rows_blank_lines_and_quoted_newlines() -> None:
    text = (
        "2024年百色市绿色食品证书台账,,,,,,,,\n"
        f"{HEADER}\n"
        '"C1","某公司\n(分公司)",茶叶,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,\n'
        ",,,,,,,,\n"
        "C2,某公司,茶叶,绿色食品,百色市,田阳区,2021-03-05,20240230,\n"
    )
    register = open_register(text.encode(), policy=policy_for(2024), places=guangxi(), name="t.csv")
    entries = list(register)
    assert [e.line for e in entries] == [3, 6]
    first, second = entries
    assert isinstance(first, Certificate)
    assert first.enterprise == "某公司 (分公司)"  # the line break in the cell became a space
    assert isinstance(second, Problem) and second.code is ProblemCode.BAD_DATE
    assert (register.counts.rows, register.counts.certificates, register.counts.problems) == (
        2,
        1,
        1,
    )
    assert (register.counts.blank, register.counts.title_lines) == (1, 1)
    assert (register.counts.header_lines, register.counts.lines) == (1, 6)


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        pytest.param("企业名称,产品名称,认证类型,市,县区,有效期至", ["cert_id"], id="no-cert-id"),
        pytest.param(
            "证书编号,企业名称,产品名称,认证类型,市,县区", ["issued_on/expires_on"], id="no-dates"
        ),
        pytest.param(
            "证书编号,企业名称,产品名称,认证类型,有效期至", ["city/county"], id="no-place"
        ),
        pytest.param(
            "编码,名称,种类",
            ["cert_id", "enterprise", "product", "scheme", "city/county", "issued_on/expires_on"],
            id="nothing-known",
        ),
    ],
)
def test_missing_columns_fail_at_once(header: str, missing: list[str]) -> None:
    """No row names the required columns: one fatal NO_HEADER naming what is missing, the
    likeliest header line and how many lines were searched."""
    problem = fatal(header + "\nx,y,z,w,v,u\n")
    assert problem.code is ProblemCode.NO_HEADER
    assert problem.detail["missing"].split(",") == missing
    assert problem.line == 1
    assert problem.detail["searched"] == "2"


def test_reads_files_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes(TEXT.encode("gbk"))
    register = open_register(path, policy=policy_for(2024), places=guangxi())
    entries = list(register)
    assert isinstance(register.rows, CsvSource)
    assert register.rows.encoding == "gb18030"
    assert [e.cert_id for e in entries if isinstance(e, Certificate)] == ["LB-45-21030512345A"]
    assert register.source == str(path) and not register.failed


@pytest.mark.parametrize(
    ("make", "code", "detail"),
    [
        pytest.param(lambda p: p / "missing.csv", ProblemCode.NOT_FOUND, {}, id="not-found"),
        pytest.param(lambda p: p, ProblemCode.UNREADABLE, {"reason": "directory"}, id="directory"),
    ],
)
def test_unopenable_files(tmp_path: Path, make, code: ProblemCode, detail: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """A file that cannot be opened is a fatal Problem, not an exception."""
    path = make(tmp_path)
    register = open_register(path, policy=policy_for(2024), places=guangxi())
    entries = list(register)
    assert len(entries) == 1
    problem = entries[0]
    assert isinstance(problem, Problem) and problem.fatal
    assert (problem.code, problem.detail, problem.source, problem.line) == (
        code,
        detail,
        str(path),
        0,
    )
    assert register.failed


@pytest.mark.parametrize(
    ("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index: int, letter: str) -> None:
    assert column_letter(index) == letter
