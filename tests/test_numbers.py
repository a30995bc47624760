"""Certificate numbers and holders (issue 17): one number held by two holders is a clash, not a
repeat and not a later cycle; a number of the other scheme's form is warned of; a holder is a
name in a place; a two-row header counts as two header lines.

Every case is a register written here. The reading is checked on the Register itself, the rest
end to end through the command line: items as JSON, problems from `check --format json`, the
notices as files, the holders' mail from a real SMTP server (aiosmtpd), workbooks by openpyxl.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import D, Server, cert, item, run
from renewal_cli.crosscheck import check
from renewal_cli.holders import Office, group_by_holder
from renewal_cli.messages import Lang
from renewal_cli.models import Certificate, Problem, ProblemCode, Severity, Status
from renewal_cli.obligations import renewal as schedule
from renewal_cli.output.notice import notice_text
from renewal_cli.places import guangxi
from renewal_cli.policy import policy_for
from renewal_cli.register import open_register
from renewal_cli.rules import successors

AS_OF = ("--as-of", "2024-06-01")
HEAD = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期,联系人,电子邮箱"
OFFICE = "百色市农业农村局"


def row(
    number: str,
    holder: str,
    product: str,
    city: str,
    county: str,
    dates: tuple[str, str],
    *,
    scheme: str = "绿色食品",
    contact: str = "",
    email: str = "",
) -> str:
    return ",".join([number, holder, product, scheme, city, county, *dates, "", contact, email])


def register_text(*rows: str) -> str:
    return HEAD + "\n" + "".join(r + "\n" for r in rows)


def write(path: Path, *rows: str) -> Path:
    path.write_text(register_text(*rows), "utf-8")
    return path


N = "LB-45-21090112341A"
OLD = ("2021-09-02", "2024-09-01")  # pending on 2024-06-01: file by 2024-06-01
NEW = ("2023-09-02", "2026-09-01")
LATER = ("2024-09-02", "2027-09-01")  # the next cycle (not issued by 2024-06-01)
RENEWED = ("2024-05-02", "2027-05-01")  # a next cycle issued by 2024-06-01
TIANYANG = ("田阳南山农业有限公司", "芒果", "百色市", "田阳区")
WUMING = ("武鸣绿源合作社", "沃柑", "南宁市", "武鸣区")


@dataclass(frozen=True)
class Case:
    rows: tuple[str, ...]
    problems: dict[int, tuple[ProblemCode, int]]
    """Line → (code, the earlier line it names)."""
    certificates: tuple[int, ...]
    """The lines read as certificates."""


READS = {
    # The cases: another holder, product and county under one number.
    "clash-different-dates": Case(
        (row(N, *TIANYANG, OLD), row(N, *WUMING, NEW)),
        {3: (ProblemCode.NUMBER_CLASH, 2)},
        (2, 3),
    ),
    "clash-same-dates": Case(
        (row(N, *TIANYANG, OLD), row(N, *WUMING, OLD)),
        {3: (ProblemCode.NUMBER_CLASH, 2)},
        (2, 3),
    ),
    "clash-number-typed-otherwise": Case(
        (row(N, *TIANYANG, OLD), row("ｌｂ－45 21090112341a", *WUMING, OLD)),
        {3: (ProblemCode.NUMBER_CLASH, 2)},
        (2, 3),
    ),
    "clash-other-product-same-place": Case(
        (row(N, *TIANYANG, OLD), row(N, "乙公司", "沃柑", "百色市", "田阳区", OLD)),
        {3: (ProblemCode.NUMBER_CLASH, 2)},
        (2, 3),
    ),
    "clash-same-product-other-place": Case(
        (row(N, *TIANYANG, OLD), row(N, "乙公司", "芒果", "百色市", "田东县", OLD)),
        {3: (ProblemCode.NUMBER_CLASH, 2)},
        (2, 3),
    ),
    "clash-three-holders": Case(
        (
            row(N, *TIANYANG, OLD),
            row(N, *WUMING, NEW),
            row(N, "乙公司", "大米", "柳州市", "柳江区", OLD),
        ),
        {3: (ProblemCode.NUMBER_CLASH, 2), 4: (ProblemCode.NUMBER_CLASH, 2)},
        (2, 3, 4),
    ),
    # A repeat of one of two clashing rows is still a repeat (of its own holder's row).
    "repeat-after-a-clash": Case(
        (row(N, *TIANYANG, OLD), row(N, *WUMING, OLD), row(N, *WUMING, OLD)),
        {3: (ProblemCode.NUMBER_CLASH, 2), 4: (ProblemCode.DUPLICATE, 3)},
        (2, 3),
    ),
    # A row listing two numbers and two products: the second number clashes.
    "clash-in-a-listed-cell": Case(
        (
            row(N, *TIANYANG, OLD),
            '"LB-45-21090112399A、LB-45-21090112341A",武鸣绿源合作社,"沃柑、香蕉",绿色食品,'
            "南宁市,武鸣区,2021-09-02,2024-09-01,,,",
        ),
        {3: (ProblemCode.NUMBER_CLASH, 2)},
        (2, 3, 3),
    ),
    # Repeats as before: the same number, holder and expiry.
    "repeat": Case(
        (
            row(N, *TIANYANG, OLD),
            row(N.lower(), "田阳 南山农业有限公司", "芒果", "百色", "田阳", OLD),
        ),
        {3: (ProblemCode.DUPLICATE, 2)},
        (2,),
    ),
    "repeat-other-product": Case(
        (row(N, *TIANYANG, OLD), row(N, "田阳南山农业有限公司", "香蕉", "百色市", "田阳区", OLD)),
        {3: (ProblemCode.DUPLICATE, 2)},
        (2,),
    ),
    "repeat-other-place": Case(
        (row(N, *TIANYANG, OLD), row(N, "田阳南山农业有限公司", "芒果", "南宁市", "武鸣区", OLD)),
        {3: (ProblemCode.DUPLICATE, 2)},
        (2,),
    ),
    # Another name for the same product in the same place: a renamed holder, as before.
    "renamed-holder-repeat": Case(
        (row(N, *TIANYANG, OLD), row(N, "百色南山农业有限公司", "芒果", "百色市", "田阳区", OLD)),
        {3: (ProblemCode.DUPLICATE, 2)},
        (2,),
    ),
    "renamed-holder-next-cycle": Case(
        (row(N, *TIANYANG, OLD), row(N, "百色南山农业有限公司", "芒果", "百色市", "田阳区", LATER)),
        {},
        (2, 3),
    ),
    "same-holder-next-cycle": Case((row(N, *TIANYANG, OLD), row(N, *TIANYANG, LATER)), {}, (2, 3)),
}


def read(text: str, name: str = "t.csv", seen: Any = None) -> tuple[list[Any], Any]:
    register = open_register(
        text.encode("utf-8"), policy=policy_for(2024), places=guangxi(), name=name, seen=seen
    )
    return list(register), register.counts


@pytest.mark.parametrize("name", READS)
def test_one_number_read(name: str) -> None:
    case = READS[name]
    entries, counts = read(register_text(*case.rows))
    problems = [e for e in entries if isinstance(e, Problem)]
    found = {p.line: (p.code, int(p.detail["first_line"])) for p in problems}
    assert found == case.problems
    assert tuple(e.line for e in entries if isinstance(e, Certificate)) == case.certificates
    for p in problems:
        if p.code is ProblemCode.NUMBER_CLASH:
            assert p.severity is Severity.WARNING  # reading warns; the row is read
            assert (p.header, p.letter, p.detail["first_file"]) == ("证书编号", "A", "t.csv")
    # Every row is accounted for, a clash row as a certificate row.
    assert counts.rows == len(case.rows)
    assert counts.problems == sum(code is ProblemCode.DUPLICATE for code, _ in found.values())


def test_a_clash_names_both_rows() -> None:
    entries, _ = read(register_text(row(N, *TIANYANG, OLD), row(N, *WUMING, NEW)))
    (clash,) = [e for e in entries if isinstance(e, Problem)]
    assert clash.detail == {
        "first_file": "t.csv",
        "first_line": "2",
        "holder": "田阳南山农业有限公司",
        "product": "芒果",
        "place": "田阳区",
        "own_holder": "武鸣绿源合作社",
        "own_product": "沃柑",
        "own_place": "武鸣区",
    }


def test_a_clash_across_files_names_the_other_file() -> None:
    seen: Any = {}
    read(register_text(row(N, *TIANYANG, OLD)), "百色.csv", seen)
    entries, _ = read(register_text(row(N, *WUMING, OLD)), "南宁.csv", seen)
    (clash,) = [e for e in entries if isinstance(e, Problem)]
    assert (clash.code, clash.source, clash.line) == (ProblemCode.NUMBER_CLASH, "南宁.csv", 2)
    assert (clash.detail["first_file"], clash.detail["first_line"]) == ("百色.csv", "2")
    assert len([e for e in entries if isinstance(e, Certificate)]) == 1


# --- Supersession: never by another holder's certificate --------------------------------------


def green(
    issued: str, expires: str, *, number: str = N, holder: str = "甲合作社", **place: Any
) -> Certificate:
    return cert(expires, number, issued=issued, enterprise=holder, **place)


@pytest.mark.parametrize(
    ("later", "superseded"),
    [
        pytest.param(green("2024-05-02", "2027-05-01"), True, id="same-holder-same-number"),
        pytest.param(
            green("2024-05-02", "2027-05-01", number="LB-45-24050212341A"),
            True,
            id="same-holder-new-number",
        ),
        pytest.param(
            green("2024-05-02", "2027-05-01", holder="甲 合作社（原名）"),
            True,
            id="renamed-holder-same-number-product-place",
        ),
        pytest.param(
            green("2024-05-02", "2027-05-01", holder="乙公司", county="田东县"),
            False,
            id="clash-other-holder-and-place",
        ),
        pytest.param(
            cert("2027-05-01", N, issued="2024-05-02", enterprise="乙公司", product="沃柑"),
            False,
            id="clash-other-holder-and-product",
        ),
        pytest.param(
            green("2024-05-02", "2027-05-01", number="LB-45-24050212341A", county="田东县"),
            False,
            id="namesake-in-another-county-new-number",
        ),
        pytest.param(
            green("2024-05-02", "2027-05-01", number="LB-45-24050212341A", county=None),
            False,
            id="namesake-at-the-city-level",
        ),
    ],
)
def test_what_supersedes(later: Certificate, superseded: bool) -> None:
    older = green(*OLD)
    found = successors([older, later], D("2024-06-01"))
    assert (0 in found) is superseded
    status = schedule(older, D("2024-06-01"), policy_for(2024), found.get(0)).status
    assert status is (Status.SUPERSEDED if superseded else Status.PENDING)


# --- End to end: due keeps the older certificate, check fails -----------------------------------


def items_of(result: Any) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout or "[]")  # type: ignore[no-any-return]


SCENARIOS = {
    "different-dates": (row(N, *TIANYANG, OLD), row(N, *WUMING, NEW)),
    "same-dates": (row(N, *TIANYANG, OLD), row(N, *WUMING, OLD)),
    "other-holder-first": (row(N, *WUMING, NEW), row(N, *TIANYANG, OLD)),
}


@pytest.mark.parametrize("how", ["one-file", "city", "two-files", "city-two-files"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_older_certificate_stays_due(
    runner: CliRunner, tmp_path: Path, scenario: str, how: str
) -> None:
    first, second = SCENARIOS[scenario]
    if how.endswith("two-files"):
        paths = [write(tmp_path / "a.csv", first), write(tmp_path / "b.csv", second)]
        named, line = f"{paths[0]} 第 2 行", f"{paths[1]} 第 2 行"
    else:
        paths = [write(tmp_path / "台账.csv", first, second)]
        named, line = f"{paths[0]} 第 2 行", f"{paths[0]} 第 3 行"
    scope: tuple[str, ...] = ()
    if how.startswith("city"):
        scope = ("--city", "百色")
    result = run(runner, "due", *map(str, paths), "--format", "json", *scope, *AS_OF)
    items = items_of(result)
    renewals = {(i["enterprise"], i["status"]) for i in items if i["kind"] == "renewal"}
    assert ("田阳南山农业有限公司", "pending") in renewals
    if not scope and scenario == "same-dates":
        assert ("武鸣绿源合作社", "pending") in renewals  # not dropped as a repeat
    assert "superseded" not in {i["status"] for i in items}
    # One warning naming both rows (the later one, and the earlier by file and line).
    (warning,) = [w for w in result.stderr.splitlines() if "获证主体不同" in w]
    assert warning.startswith(f"提醒：{line}：")
    assert f"证书编号与 {named}相同" in warning
    assert "重复" not in result.stderr.replace("不是重复", "")


@pytest.mark.parametrize("files", [1, 2], ids=["one-file", "two-files"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_check_fails_on_a_clash(
    runner: CliRunner, tmp_path: Path, scenario: str, files: int
) -> None:
    first, second = SCENARIOS[scenario]
    if files == 2:
        paths = [write(tmp_path / "a.csv", first), write(tmp_path / "b.csv", second)]
    else:
        paths = [write(tmp_path / "台账.csv", first, second)]
    result = run(runner, "check", *map(str, paths), "--format", "json", *AS_OF)
    assert result.exit_code == 1, result.stderr
    (problem,) = json.loads(result.stdout)
    assert (problem["code"], problem["severity"], problem["column"]) == (
        "number_clash",
        "error",
        "A",
    )
    assert problem["file"] == str(paths[-1])
    assert str(paths[0]) in problem["message"]
    table = run(runner, "check", *map(str, paths), *AS_OF)
    assert table.exit_code == 1
    assert "错误　同一编号属于不同主体：1" in table.stdout


def test_check_passes_on_a_repeat_and_a_next_cycle(runner: CliRunner, tmp_path: Path) -> None:
    path = write(
        tmp_path / "台账.csv",
        row(N, *TIANYANG, OLD),
        row(N, *TIANYANG, LATER),
        row(N, "百色南山农业有限公司", "芒果", "百色市", "田阳区", RENEWED),
    )
    result = run(runner, "check", str(path), "--format", "json", *AS_OF)
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    "command",
    [
        ["due"],
        ["summary"],
        ["calendar", "-o", "{out}/cal"],
        ["notice", "-o", "{out}/notices", "--office", OFFICE],
        ["mail", "--to", "a@example.cn", "--from", "r@example.cn", "--dry-run", "{out}/outbox"],
    ],
    ids=lambda c: c[0],
)
def test_every_run_warns_of_a_clash(runner: CliRunner, tmp_path: Path, command: list[str]) -> None:
    path = write(tmp_path / "台账.csv", row(N, *TIANYANG, OLD), row(N, *WUMING, NEW))
    args = [a.replace("{out}", str(tmp_path)) for a in command]
    result = run(runner, args[0], str(path), *args[1:], *AS_OF)
    assert result.exit_code == 0, result.stderr
    (warning,) = [w for w in result.stderr.splitlines() if "获证主体不同" in w]
    assert f"{path} 第 3 行" in warning and "第 2 行" in warning


# --- A number of the other scheme's form -------------------------------------------------------

SCHEME_CASES = [
    pytest.param("LB-45-21090112341A", "有机产品", "green", id="organic-with-an-LB-number"),
    pytest.param("lb 45 21090112341a", "有机", "green", id="organic-with-an-lb-number-typed"),
    pytest.param("1245OP2300123", "绿色食品", "organic", id="green-with-an-organic-number"),
    pytest.param("120OP2300123", "绿色", "organic", id="green-with-a-3-digit-organic-number"),
    pytest.param("LB-45-21090112341A", "绿色食品", None, id="green-LB"),
    pytest.param("1245OP2300123", "有机产品", None, id="organic-OP"),
    pytest.param("0120OP2300015", "有机农产品", None, id="organic-OP-leading-zero"),
    pytest.param("GF452100000001", "绿色食品", None, id="green-GF-code"),
    pytest.param("GF452100000001", "有机产品", None, id="organic-GF-code"),
    pytest.param("YJ-2023-0001", "有机产品", None, id="organic-other-form"),
    pytest.param("112023000000012345", "有机产品", None, id="organic-18-digits"),
    pytest.param("LB2024", "绿色食品", None, id="green-short"),
    pytest.param("LOOP12345", "绿色食品", None, id="green-with-op-inside"),
]


@pytest.mark.parametrize(("number", "scheme", "form"), SCHEME_CASES)
def test_number_of_the_other_scheme(
    runner: CliRunner, tmp_path: Path, number: str, scheme: str, form: str | None
) -> None:
    dates = ("2023-09-02", "2024-09-01") if "有机" in scheme else OLD
    path = write(tmp_path / "台账.csv", row(number, *TIANYANG, dates, scheme=scheme))
    checked = run(runner, "check", str(path), "--format", "json", *AS_OF)
    assert checked.exit_code == 0, checked.stdout
    problems = json.loads(checked.stdout)
    if form is None:
        assert problems == []
    else:
        (problem,) = problems
        assert (problem["code"], problem["severity"], problem["line"]) == (
            "number_scheme_mismatch",
            "warning",
            2,
        )
        assert (problem["column"], problem["value"]) == ("A", number)
        words = "绿色食品产品编号（LB-…）" if form == "green" else "有机产品认证证书编号（…OP…）"
        assert words in problem["message"]
    due = run(runner, "due", str(path), "--all", "--format", "json", *AS_OF)
    assert [i["cert_id"] for i in items_of(due) if i["kind"] == "renewal"] == [number]
    assert (form is not None) == (f"{path} 第 2 行" in due.stderr)


def test_a_number_of_the_other_scheme_in_english(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", row("1245OP2300123", *TIANYANG, OLD))
    result = run(runner, "due", str(path), "--lang", "en", *AS_OF)
    assert f"warning: {path}:2: column '证书编号' (A), value '1245OP2300123'" in result.stderr
    assert "an organic certification number (…OP…)" in result.stderr


# --- A holder is a name in a place -------------------------------------------------------------

COOP = "绿源种植专业合作社"
NAMESAKES = (
    row("LB-45-21090112351A", COOP, "芒果", "百色市", "田阳区", OLD, contact="黄社长", email="ty@example.cn"),
    row("LB-45-21090112352A", COOP, "沃柑", "南宁市", "武鸣区", OLD, contact="韦社长", email="wm@example.cn"),
    row("LB-45-21090112353A", "ABC农业公司", "茶叶", "百色市", "", OLD, email="bs@example.cn"),
    row("LB-45-21090112354A", "ＡＢＣ 农业公司", "茶叶", "南宁市", "", OLD, email="nn@example.cn"),
    row("LB-45-21090112355A", "abc农业公司", "茶叶", "柳州市", "", OLD, email="lz@example.cn"),
)  # fmt: skip
# Holder → (place, its number, its address)
OWN = {
    (COOP, "田阳区"): ("LB-45-21090112351A", "ty@example.cn", "黄社长"),
    (COOP, "武鸣区"): ("LB-45-21090112352A", "wm@example.cn", "韦社长"),
    ("ABC农业公司", "百色市"): ("LB-45-21090112353A", "bs@example.cn", None),
    ("ＡＢＣ 农业公司", "南宁市"): ("LB-45-21090112354A", "nn@example.cn", None),
    ("abc农业公司", "柳州市"): ("LB-45-21090112355A", "lz@example.cn", None),
}


def test_namesakes_are_separate_holders() -> None:
    entries, _ = read(register_text(*NAMESAKES))
    certificates = [e for e in entries if isinstance(e, Certificate)]
    holders = group_by_holder([item(c, "2024-06-01") for c in certificates])
    assert sorted((h.name, h.place, len(h.items)) for h in holders) == sorted(
        (name, place, 1) for name, place in OWN
    )
    for h in holders:
        number, email, contact = OWN[(h.name, h.place)]
        assert [c.cert_id for c in h.certificates] == [number]
        assert (h.email, h.contact) == (email, contact)


def test_one_holder_in_one_place_is_one_holder() -> None:
    entries, _ = read(
        register_text(
            row("LB-45-21090112351A", COOP, "芒果", "百色市", "田阳区", OLD),
            row("LB-45-21090112356A", "绿源 种植专业合作社", "香蕉", "百色", "田阳县", OLD),
        )
    )
    certificates = [e for e in entries if isinstance(e, Certificate)]
    (holder,) = group_by_holder([item(c, "2024-06-01") for c in certificates])
    assert (holder.name, holder.place, len(holder.certificates)) == (COOP, "田阳区", 2)


def test_by_holder_rows_of_namesakes(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "台账.csv", *NAMESAKES)
    result = run(runner, "due", str(path), "--by-holder", "--format", "json", *AS_OF)
    rows = items_of(result)
    assert len(rows) == len(OWN)
    for record in rows:
        place = record["county"] or record["city"]
        number, email, contact = OWN[(record["enterprise"], place)]
        assert (record["cert_ids"], record["email"], record["contact"]) == (
            [number],
            email,
            contact,
        )


def test_notices_of_namesakes(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "台账.csv", *NAMESAKES)
    out = tmp_path / "notices"
    result = run(
        runner, "notice", str(path), "-o", str(out), "--office", OFFICE, "-f", "txt", *AS_OF
    )
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            f"{COOP}-田阳区.txt",
            f"{COOP}-武鸣区.txt",
            "ABC农业公司-百色市.txt",
            "ＡＢＣ 农业公司-南宁市.txt",
            "abc农业公司-柳州市.txt",
        ]
    )
    for (name, place), (number, _, _) in OWN.items():
        words = (out / f"{name}-{place}.txt").read_text("utf-8")
        assert number in words
        others = [n for (o, p), (n, _, _) in OWN.items() if (o, p) != (name, place)]
        assert not any(other in words for other in others)


def test_a_notice_without_namesakes_keeps_the_plain_name(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "台账.csv", NAMESAKES[0], NAMESAKES[2])
    out = tmp_path / "notices"
    result = run(
        runner, "notice", str(path), "-o", str(out), "--office", OFFICE, "-f", "txt", *AS_OF
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{COOP}.txt", "ABC农业公司.txt"])


def holders_mail(runner: CliRunner, path: Path, server: Server) -> Any:
    return run(runner, "mail", str(path), "--holders", "--office", OFFICE, *AS_OF, env=server.env())


def plain_body(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_namesakes_get_their_own_mail(runner: CliRunner, tmp_path: Path, server: Server) -> None:
    path = write(tmp_path / "台账.csv", *NAMESAKES)
    result = holders_mail(runner, path, server)
    assert result.exit_code == 0, result.stderr
    received = {r.rcpt_tos[0]: r for r in server.recorder.received}
    assert sorted(received) == sorted(email for _, email, _ in OWN.values())
    for number, email, _ in OWN.values():
        got = received[email]
        assert got.rcpt_tos == [email]
        words = plain_body(got.message)
        assert number in words
        others = [n for n, e, _ in OWN.values() if e != email]
        assert not any(other.encode() in got.raw for other in others)
        assert not any(other in words for other in others)
    # Their files and send lines are told apart by place, as their notices are.
    for (name, place), (_, email, _) in OWN.items():
        message = message_from_bytes(received[email].raw, policy=email_policy.default)
        names = [part.get_filename() for part in message.iter_attachments()]
        assert any(f"-{place}" in (n or "") and n.endswith(".docx") for n in names), names
        assert f"{email}（{name}-{place}）" in result.stderr, result.stderr
    assert "两个电子邮箱" not in result.stderr


def test_two_addresses_of_one_holder(runner: CliRunner, tmp_path: Path, server: Server) -> None:
    path = write(
        tmp_path / "台账.csv",
        row("LB-45-21090112351A", COOP, "芒果", "百色市", "田阳区", OLD, email="ty@example.cn"),
        row("LB-45-21090112356A", COOP, "香蕉", "百色市", "田阳区", OLD, email=""),
        row("LB-45-21090112357A", COOP, "龙眼", "百色市", "田阳区", OLD, email="TY@example.cn "),
        row("LB-45-21090112358A", COOP, "菠萝", "百色市", "田阳区", OLD, email="boss@example.cn"),
    )
    result = holders_mail(runner, path, server)
    assert result.exit_code == 0, result.stderr
    (got,) = server.recorder.received
    assert got.rcpt_tos == ["ty@example.cn"]
    words = plain_body(got.message)
    assert all(f"LB-45-2109011235{n}A" in words for n in (1, 6, 7, 8))
    (warning,) = [w for w in result.stderr.splitlines() if "两个电子邮箱" in w]
    assert warning == (
        f"提醒：{COOP}（田阳区）在台账中有两个电子邮箱：{path} 第 2 行的 ty@example.cn，"
        f"{path} 第 5 行的 boss@example.cn；以第一个为准，请核对"
    )


@pytest.mark.parametrize(
    ("second", "overlap"),
    [
        pytest.param(("百色市", "田阳区"), True, id="same-place"),
        pytest.param(("南宁市", "武鸣区"), False, id="namesake-elsewhere"),
    ],
)
def test_overlap_is_of_one_holder_in_one_place(second: tuple[str, str], overlap: bool) -> None:
    one = cert("2024-09-01", "LB-45-21090112351A", enterprise=COOP)
    city, county = second
    other = cert("2025-09-01", "LB-45-22090212351A", enterprise=COOP, city=city, county=county)
    found = check([one, other], policy_for(2024))
    assert [p.code for p in found] == ([ProblemCode.OVERLAP] if overlap else [])


# --- The two-row header counts as two header lines ----------------------------------------------

TITLE = "2024年百色市绿色食品、有机农产品获证产品台账"
NOTE = "（截至2024年5月底）"
TOP = [
    "序号",
    "证书编号",
    "企业名称",
    "产品名称",
    "认证类型",
    "所在地",
    "所在地",
    "证书有效期",
    "证书有效期",
    "备注",
]
SUB = [
    "序号",
    "证书编号",
    "企业名称",
    "产品名称",
    "认证类型",
    "市",
    "县区",
    "发证日期",
    "有效期至",
    "备注",
]
DATA = [1, N, "甲公司", "芒果", "绿色食品", "百色市", "田阳区", "2021-09-02", "2024-09-01", ""]


def test_a_two_row_header_in_a_workbook(runner: CliRunner, tmp_path: Path) -> None:
    """Cells merged over both header rows (序号 … 备注) are filled into the lower row too."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for values in ([TITLE] + [None] * 9, [NOTE] + [None] * 9, TOP, SUB, DATA):
        sheet.append(values)
    sheet.merge_cells("A1:J1")
    sheet.merge_cells("A2:J2")
    for column in "ABCDEJ":
        sheet.merge_cells(f"{column}3:{column}4")
    sheet.merge_cells("F3:G3")
    sheet.merge_cells("H3:I3")
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "台账.xlsx"
    path.write_bytes(buffer.getvalue())
    result = run(runner, "due", str(path), "--all", "--format", "json", *AS_OF)
    assert [i["cert_id"] for i in items_of(result) if i["kind"] == "renewal"] == [N]
    assert "另有表头 2 行，表头上方标题 2 行" in result.stderr
    english = run(runner, "due", str(path), "--lang", "en", *AS_OF)
    assert re.search(r"2 header lines, 2 title lines", english.stderr), english.stderr


def test_a_notice_never_carries_a_namesakes_items() -> None:
    entries, _ = read(register_text(*NAMESAKES[:2]))
    items = [item(c, "2024-06-01") for c in entries if isinstance(c, Certificate)]
    first, second = group_by_holder(items)
    assert first.name == second.name and first.place != second.place
    first.items.extend(second.items)
    with pytest.raises(ValueError, match="items of other holders"):
        notice_text(first, Office(name=OFFICE), D("2024-06-01"), Lang.ZH)


def test_a_clash_in_english(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", row(N, *TIANYANG, OLD), row(N, *WUMING, NEW))
    result = run(runner, "due", str(path), "--lang", "en", *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert (
        f"warning: {path}:3: column '证书编号' (A), value '{N}': same certificate number as "
        f"{path} line 2, but another holder (this row: 武鸣绿源合作社, 沃柑, 武鸣区; line 2: "
        "田阳南山农业有限公司, 芒果, 田阳区)"
    ) in result.stderr
