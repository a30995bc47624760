"""Reading registers: encodings, header aliases, date formats, places, and every kind of bad row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from renewal_cli.errors import RenewalError
from renewal_cli.models import Certificate, ProblemCode, RowProblem, Scheme
from renewal_cli.places import guangxi
from renewal_cli.policy import policy_for
from renewal_cli.register import ALIASES, column_letter, parse_date, read_register

HEADER = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期"
ROW = "LB-45-21030512345A,百色某农业公司,芒果,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,"


def read(data: bytes | str, encoding: str | None = None) -> list[Certificate | RowProblem]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    register = read_register(
        raw, policy=policy_for(2024), places=guangxi(), encoding=encoding, name="t.csv"
    )
    return list(register)


def only_certificate(data: bytes | str, encoding: str | None = None) -> Certificate:
    entries = read(data, encoding)
    assert len(entries) == 1
    entry = entries[0]
    assert isinstance(entry, Certificate), entry
    return entry


def only_problem(data: str) -> RowProblem:
    entries = read(data)
    assert len(entries) == 1
    entry = entries[0]
    assert isinstance(entry, RowProblem), entry
    return entry


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
    ("raw", "encoding", "message_id"),
    [
        pytest.param(
            TEXT.encode("gbk"), "utf-8", "register.decode_failed_line", id="wrong-explicit"
        ),
        pytest.param(
            TEXT.encode("utf-8"), "klingon", "register.unknown_encoding", id="unknown-codec"
        ),
        pytest.param(b"PK\x03\x04rest-of-zip", None, "register.spreadsheet", id="xlsx"),
        pytest.param(
            TEXT.encode("utf-8"), "rot13", "register.unknown_encoding", id="not-a-text-codec"
        ),
        pytest.param(
            TEXT.encode("utf-8"), "utf-16", "register.decode_failed_line", id="utf-16-without-bom"
        ),
        pytest.param(b"", None, "register.empty", id="empty-file"),
        pytest.param(b"a,b\n\x80\xff\xff\xff", None, "register.encoding_unknown", id="binary"),
    ],
)
def test_unreadable_registers(raw: bytes, encoding: str | None, message_id: str) -> None:
    with pytest.raises(RenewalError) as caught:
        read(raw, encoding)
    assert caught.value.message_id == message_id


def test_wrong_encoding_names_the_line() -> None:
    raw = (HEADER + "\n" + ROW + "\n").encode("utf-8") + "百色\n".encode("gbk")
    with pytest.raises(RenewalError) as caught:
        read(raw, "utf-8")
    assert caught.value.params["line"] == 3


FIELDS_IN_ORDER = [
    "cert_id",
    "enterprise",
    "product",
    "scheme",
    "city",
    "county",
    "issued_on",
    "expires_on",
    "filed_on",
]
VALUES = [
    "C1",
    "某合作社",
    "沃柑",
    "有机",
    "崇左市",
    "扶绥县",
    "2023-03-01",
    "2024-02-29",
    "2023-10-01",
]


@pytest.mark.parametrize(
    ("field", "alias"),
    [pytest.param(f, a, id=f"{f}={a}") for f in FIELDS_IN_ORDER for a in ALIASES[f]],
)
def test_every_header_alias(field: str, alias: str) -> None:
    header = [alias if f == field else ALIASES[f][0] for f in FIELDS_IN_ORDER]
    c = only_certificate(",".join(header) + "\n" + ",".join(VALUES) + "\n")
    record = {
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
    assert record == {
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
    problem = only_problem(f"{HEADER}\n{row}\n")
    assert problem.line == 2 and problem.source == "t.csv"
    found = [(f.code, f.column, f.column_letter, f.value) for f in problem.findings]
    assert (code, column, letter, value) in found


def test_a_row_with_several_faults_lists_them_all() -> None:
    problem = only_problem(f"{HEADER}\nC1,,茶叶,地理标志,广州,,2021/13/45,2024-03-04,\n")
    codes = {f.code for f in problem.findings}
    assert codes == {
        ProblemCode.EMPTY,
        ProblemCode.UNKNOWN_SCHEME,
        ProblemCode.BAD_DATE,
        ProblemCode.UNKNOWN_CITY,
    }


def test_duplicates_are_reported_with_the_first_line() -> None:
    entries = read(f"{HEADER}\n{ROW}\n{ROW}\n\n{ROW.replace('LB-45', 'LB-46')}\n")
    kinds = [type(e).__name__ for e in entries]
    assert kinds == ["Certificate", "RowProblem", "Certificate"]
    duplicate = entries[1]
    assert isinstance(duplicate, RowProblem)
    assert duplicate.line == 3
    assert duplicate.findings[0].code is ProblemCode.DUPLICATE
    assert duplicate.findings[0].detail == {"first_line": "2"}


def test_same_number_with_another_expiry_is_another_cycle() -> None:
    """Organic numbers stay the same on re-certification: last year's row must not hide this one."""
    old = "1234OP2400001,某合作社,茶叶,有机,百色,田阳区,2024-03-01,2025-02-28,2024-10-01"
    new = "1234OP2400001,某合作社,茶叶,有机,百色,田阳区,2025-03-01,2026-02-28,"
    entries = read(f"{HEADER}\n{old}\n{new}\n")
    assert [type(e).__name__ for e in entries] == ["Certificate", "Certificate"]
    second = entries[1]
    assert isinstance(second, Certificate)
    assert [(n.code, n.detail) for n in second.notes] == [
        (ProblemCode.REPEATED_NUMBER, {"first_line": "2"})
    ]


def test_duplicates_ignore_case_and_width() -> None:
    entries = read(
        f"{HEADER}\n{ROW}\n{ROW.replace('LB-45-21030512345A', 'lb-45-21030512345a')}\n"
        f"{ROW.replace('LB-45', 'ＬＢ-45')}\n"
    )
    assert [type(e).__name__ for e in entries] == ["Certificate", "RowProblem", "RowProblem"]


def test_line_numbers_count_title_rows_blank_lines_and_quoted_newlines() -> None:
    text = (
        "2024年百色市绿色食品证书台账,,,,,,,,\n"
        f"{HEADER}\n"
        '"C1","某公司\n(分公司)",茶叶,绿色食品,百色市,田阳区,2021-03-05,2024-03-04,\n'
        ",,,,,,,,\n"
        "C2,某公司,茶叶,绿色食品,百色市,田阳区,2021-03-05,20240230,\n"
    )
    register = read_register(text.encode(), policy=policy_for(2024), places=guangxi(), name="t.csv")
    entries = list(register)
    assert [e.line for e in entries] == [3, 6]
    assert (register.counts.rows, register.counts.certificates, register.counts.problems) == (
        2,
        1,
        1,
    )
    assert (register.counts.blank, register.counts.title_lines) == (1, 1)


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
    with pytest.raises(RenewalError) as caught:
        read(header + "\nx,y,z,w,v,u\n")
    assert caught.value.message_id == "register.missing_columns"
    assert caught.value.params["missing"] == missing


def test_reads_files_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes(TEXT.encode("gbk"))
    register = read_register(path, policy=policy_for(2024), places=guangxi())
    assert register.encoding == "gb18030"
    assert [e.cert_id for e in register if isinstance(e, Certificate)] == ["LB-45-21030512345A"]


@pytest.mark.parametrize(
    ("make", "message_id"),
    [
        pytest.param(lambda p: p / "missing.csv", "register.not_found", id="not-found"),
        pytest.param(lambda p: p, "register.is_directory", id="directory"),
    ],
)
def test_unopenable_files(tmp_path: Path, make, message_id: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RenewalError) as caught:
        read_register(make(tmp_path), policy=policy_for(2024), places=guangxi())
    assert caught.value.message_id == message_id


@pytest.mark.parametrize(
    ("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index: int, letter: str) -> None:
    assert column_letter(index) == letter
