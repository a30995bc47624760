"""Holders (issue 11): the call list (`due --by-holder`), the notices (`renewal notice`) and the
holders' own mail (`renewal mail --holders`), end to end on registers written here.

Everything is read back the way its reader would: CSV with the csv module, JSON with json, the
workbook with openpyxl, the notices with python-docx, the mail from a real SMTP server
(aiosmtpd) with the email package, and its calendar with icalendar. The mail tests check privacy
the strict way: after decoding every part (headers, text, calendar, each XML file inside the
.docx), no other holder's name, certificate number, phone, e-mail or contact person appears.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.table import Table
from typer.testing import CliRunner

from conftest import SENDER, Server, cert, events, item, run
from renewal_cli.files import safe_filename
from renewal_cli.holders import group_by_holder, holder_name_key

AS_OF = ["--as-of", "2024-06-01"]
OFFICE = "百色市农业农村局"
OFFICER = "officer@baise.example.cn"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

HEADER = [
    "证书编号",
    "企业名称",
    "产品名称",
    "认证类型",
    "市",
    "县区",
    "发证日期",
    "有效期至",
    "续展申请日期",
    "联系人",
    "联系电话",
    "电子邮箱",
]
FORMULA = '=HYPERLINK("http://evil.example/","点我")'
SLASHES = "../右江/合作社"


@dataclass(frozen=True)
class Who:
    """One holder of the register below, and everything that identifies it."""

    names: tuple[str, ...]
    cert_ids: tuple[str, ...]
    contact: str | None
    phone: str | None
    email: str | None

    @property
    def name(self) -> str:
        return self.names[0]

    def marks(self) -> list[str]:
        """What may never appear in another holder's message."""
        found = [*self.names, *self.cert_ids, self.contact, self.phone, self.email]
        return [m for m in found if m]


# On 2024-06-01, with the default selection:
# 甲 (three ways of writing one name): 101 late (file by 05-31) + its inspection (08-31),
#   103 pending (06-30, a Sunday: submit by 06-28), 102 pending (07-31). Contact on row 1 only,
#   phone and e-mail on row 2 only.
JIA = Who(
    ("广西 甲ＡＢ公司", "广西甲AB公司", "广西\u3000甲ab公司"),
    ("LB-45-21090100101A", "LB-45-21100100103A", "LB-45-21110100102A"),
    "甲经理",
    "13911110001",
    "jia@example.cn",
)
# A formula for a name, a contact and a phone: pending (08-30), no e-mail.
EVIL = Who((FORMULA,), ("LB-45-21120100104A",), "@张", "+8613966660004", None)
# Path parts in the name: late (04-30) and its inspection (07-31).
COOP = Who((SLASHES,), ("LB-45-21080100105A",), "韦社长", "13922220005", "coop@example.cn")
# An address that is none: pending (06-30, submit by 06-28).
YI = Who(("乙公司",), ("LB-45-21100100106A",), "乙主任", "0776-1234567", "foo@")
# Filed in time: nothing open.
BING = Who(("丙合作社",), ("1234OP2300107",), "丙社长", "13933330007", "bing@example.cn")
# An old certificate superseded by the next cycle's (pending only under --all: 2025-01-14).
DING = Who(
    ("丁茶场",), ("1234OP2300108", "1234OP2400109"), "丁场长", "13944440008", "ding@example.cn"
)
# Another city: pending (06-14) and its inspection (09-14).
WU = Who(("南宁戊公司",), ("LB-45-21091500110A",), "陆经理", "13955550010", "wu@example.cn")
# Nothing to reach it by: pending (07-15).
JI = Who(("己农场",), ("LB-45-21101600111A",), None, None, None)
EVERYONE = [JIA, EVIL, COOP, YI, BING, DING, WU, JI]

ROWS = [
    [JIA.cert_ids[0], JIA.names[0], "芒果", "绿色食品", "百色市", "田阳区", "2021-09-01", "2024-08-31", "", "甲经理", "", ""],
    [JIA.cert_ids[2], JIA.names[1], "圣女果", "绿色食品", "百色市", "田阳区", "2021-11-01", "2024-10-31", "", "", "13911110001", "jia@example.cn"],
    [JIA.cert_ids[1], JIA.names[2], "香蕉", "绿色食品", "百色市", "田阳区", "2021-10-01", "2024-09-30", "", "", "", ""],
    [EVIL.cert_ids[0], FORMULA, "柑橘", "绿色食品", "百色市", "右江区", "2021-12-01", "2024-11-30", "", "@张", "+8613966660004", ""],
    [COOP.cert_ids[0], SLASHES, "茶叶", "绿色食品", "百色市", "右江区", "2021-08-01", "2024-07-31", "", "韦社长", "13922220005", "coop@example.cn"],
    [YI.cert_ids[0], "乙公司", "大米", "绿色食品", "百色市", "田东县", "2021-10-01", "2024-09-30", "", "乙主任", "0776-1234567", "foo@"],
    [BING.cert_ids[0], "丙合作社", "白毫茶", "有机农产品", "百色市", "凌云县", "2023-10-01", "2024-09-30", "2024-05-01", "丙社长", "13933330007", "bing@example.cn"],
    [DING.cert_ids[0], "丁茶场", "红茶", "有机农产品", "百色市", "凌云县", "2023-08-01", "2024-07-31", "", "丁场长", "13944440008", "ding@example.cn"],
    [DING.cert_ids[1], "丁茶场", "红茶", "有机农产品", "百色市", "凌云县", "2024-05-15", "2025-05-14", "", "", "", ""],
    [WU.cert_ids[0], "南宁戊公司", "沃柑", "绿色食品", "南宁市", "武鸣区", "2021-09-15", "2024-09-14", "", "陆经理", "13955550010", "wu@example.cn"],
    [JI.cert_ids[0], "己农场", "菠萝", "绿色食品", "百色市", "田阳区", "2021-10-16", "2024-10-15", "", "", "", ""],
]  # fmt: skip


def write_register(
    path: Path, rows: list[list[str]], header: list[str] = HEADER, encoding: str = "gbk"
) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """The register above, in GBK as Excel on Chinese Windows saves it."""
    return write_register(tmp_path / "台账.csv", ROWS)


@pytest.fixture(autouse=True)
def _no_policy_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's RENEWAL_POLICY would give the office these tests expect to be missing."""
    monkeypatch.delenv("RENEWAL_POLICY", raising=False)


def ok(result: object) -> None:
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]


# --- Grouping ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        pytest.param("广西 甲公司", "广西甲公司", True, id="space"),
        pytest.param("广西\u3000甲公司", "广西甲公司", True, id="ideographic-space"),
        pytest.param("广西\u00a0甲公司 ", "广西甲公司", True, id="nbsp-and-trailing"),
        pytest.param("广西ＡＢ公司", "广西AB公司", True, id="full-width"),
        pytest.param("广西ab公司", "广西AB公司", True, id="case"),
        pytest.param("广西甲公司（田阳）", "广西甲公司(田阳)", True, id="full-width-brackets"),
        pytest.param("广西甲公司", "广西乙公司", False, id="different"),
        pytest.param("广西甲公司（田阳）", "广西甲公司", False, id="branch"),
    ],
)
def test_holder_names_fold(first: str, second: str, same: bool) -> None:
    items = [
        item(cert("2024-10-31", "LB-45-21110100001A", enterprise=first), "2024-06-01"),
        item(cert("2024-08-31", "LB-45-21090100002A", enterprise=second), "2024-06-01"),
    ]
    holders = group_by_holder(items)
    assert (holder_name_key(first) == holder_name_key(second)) is same
    assert len(holders) == (1 if same else 2)
    assert sorted(len(h.items) for h in holders) == ([2] if same else [1, 1])


def test_holder_takes_earliest_dates_and_first_contact_given() -> None:
    """The later item comes first: the holder's dates are the earliest, not the first seen; the
    contact comes from one certificate, the phone and e-mail from the other."""
    later = cert("2024-10-31", "LB-45-21110100001A", enterprise="广西甲AB公司", phone="13900001111")
    earlier = cert(
        "2024-09-30", "LB-45-21100100002A", enterprise="广西 甲ＡＢ公司", contact="甲经理"
    )
    (holder,) = group_by_holder([item(later, "2024-06-01"), item(earlier, "2024-06-01")])
    # 2024-06-30 is a Sunday: hand in by Friday 06-28; the other is due 07-31.
    assert (holder.file_by.isoformat(), holder.submit_by.isoformat()) == (
        "2024-06-30",
        "2024-06-28",
    )
    assert (holder.contact, holder.phone, holder.email) == ("甲经理", "13900001111", None)
    assert [c.cert_id for c in holder.certificates] == ["LB-45-21110100001A", "LB-45-21100100002A"]


# --- due --by-holder ------------------------------------------------------------------------------

# The call list of the default selection, in the order of each holder's earliest day.
CALL_LIST = [
    {
        "enterprise": SLASHES,
        "city": "百色市",
        "county": "右江区",
        "contact": "韦社长",
        "phone": "13922220005",
        "email": "coop@example.cn",
        "submit_by": "2024-04-30",
        "file_by": "2024-04-30",
        "items": 2,
        "kinds": ["renewal", "annual_inspection"],
        "statuses": ["late", "pending"],
        "cert_ids": ["LB-45-21080100105A"],
    },
    {
        "enterprise": "广西 甲ＡＢ公司",
        "city": "百色市",
        "county": "田阳区",
        "contact": "甲经理",
        "phone": "13911110001",
        "email": "jia@example.cn",
        "submit_by": "2024-05-31",
        "file_by": "2024-05-31",
        "items": 4,
        "kinds": ["renewal", "annual_inspection"],
        "statuses": ["late", "pending"],
        "cert_ids": ["LB-45-21090100101A", "LB-45-21100100103A", "LB-45-21110100102A"],
    },
    {
        "enterprise": "南宁戊公司",
        "city": "南宁市",
        "county": "武鸣区",
        "contact": "陆经理",
        "phone": "13955550010",
        "email": "wu@example.cn",
        "submit_by": "2024-06-14",
        "file_by": "2024-06-14",
        "items": 2,
        "kinds": ["renewal", "annual_inspection"],
        "statuses": ["pending"],
        "cert_ids": ["LB-45-21091500110A"],
    },
    {
        "enterprise": "乙公司",
        "city": "百色市",
        "county": "田东县",
        "contact": "乙主任",
        "phone": "0776-1234567",
        "email": "foo@",
        "submit_by": "2024-06-28",
        "file_by": "2024-06-30",
        "items": 1,
        "kinds": ["renewal"],
        "statuses": ["pending"],
        "cert_ids": ["LB-45-21100100106A"],
    },
    {
        "enterprise": "己农场",
        "city": "百色市",
        "county": "田阳区",
        "contact": None,
        "phone": None,
        "email": None,
        "submit_by": "2024-07-15",
        "file_by": "2024-07-15",
        "items": 1,
        "kinds": ["renewal"],
        "statuses": ["pending"],
        "cert_ids": ["LB-45-21101600111A"],
    },
    {
        "enterprise": FORMULA,
        "city": "百色市",
        "county": "右江区",
        "contact": "@张",
        "phone": "+8613966660004",
        "email": None,
        "submit_by": "2024-08-30",
        "file_by": "2024-08-30",
        "items": 1,
        "kinds": ["renewal"],
        "statuses": ["pending"],
        "cert_ids": ["LB-45-21120100104A"],
    },
]
CSV_KEYS = [
    "enterprise",
    "city",
    "county",
    "contact",
    "phone",
    "email",
    "submit_by",
    "file_by",
    "items",
]


def test_by_holder_json(runner: CliRunner, register: Path) -> None:
    result = run(runner, "due", str(register), "--by-holder", "-f", "json", *AS_OF)
    ok(result)
    assert json.loads(result.stdout) == CALL_LIST


def test_by_holder_json_selection_applies(runner: CliRunner, register: Path) -> None:
    result = run(
        runner, "due", str(register), "--by-holder", "-f", "json", "--county", "右江区", *AS_OF
    )
    ok(result)
    assert [r["enterprise"] for r in json.loads(result.stdout)] == [SLASHES, FORMULA]


def test_by_holder_json_empty(runner: CliRunner, register: Path) -> None:
    result = run(
        runner, "due", str(register), "--by-holder", "-f", "json", "--county", "德保县", *AS_OF
    )
    ok(result)
    assert json.loads(result.stdout) == []


def csv_rows(data: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(data)))
    assert len(rows[0]) == 11
    return [dict(zip([*CSV_KEYS, "todo", "cert_ids"], row, strict=True)) for row in rows[1:]]


def expected_csv(record: dict[str, object], *, raw: bool) -> dict[str, str]:
    out = {k: "" if record[k] is None else str(record[k]) for k in CSV_KEYS}
    if not raw:
        for key in ("enterprise", "contact", "phone", "email"):
            if out[key][:1] in ("=", "+", "-", "@"):
                out[key] = "'" + out[key]
    return out


@pytest.mark.parametrize(
    ("args", "encoding", "raw"),
    [
        pytest.param([], "utf-8", False, id="utf-8"),
        pytest.param(["--out-encoding", "gb18030"], "gb18030", False, id="gb18030"),
        pytest.param(["--raw"], "utf-8", True, id="raw"),
    ],
)
def test_by_holder_csv(
    runner: CliRunner, register: Path, args: list[str], encoding: str, raw: bool
) -> None:
    result = run(runner, "due", str(register), "--by-holder", "-f", "csv", *args, *AS_OF)
    ok(result)
    rows = csv_rows(result.stdout_bytes.decode(encoding))
    assert [{k: r[k] for k in CSV_KEYS} for r in rows] == [
        expected_csv(r, raw=raw) for r in CALL_LIST
    ]
    by_name = {r["enterprise"].removeprefix("'"): r for r in rows}
    assert by_name["广西 甲ＡＢ公司"]["cert_ids"] == "、".join(CALL_LIST[1]["cert_ids"])  # type: ignore[arg-type]
    assert "续展/再认证 已逾期 1" in by_name["广西 甲ＡＢ公司"]["todo"]
    evil = by_name[FORMULA]
    if raw:
        assert (evil["enterprise"], evil["contact"], evil["phone"]) == (
            FORMULA,
            "@张",
            "+8613966660004",
        )
    else:  # a spreadsheet opening the file sees text, never a formula
        assert all(not evil[k].startswith(("=", "+", "-", "@")) for k in CSV_KEYS)
        assert evil["enterprise"] == "'" + FORMULA


def test_by_holder_csv_file_has_bom(runner: CliRunner, register: Path, tmp_path: Path) -> None:
    out = tmp_path / "call.csv"
    ok(run(runner, "due", str(register), "--by-holder", "-f", "csv", "-o", str(out), *AS_OF))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert [r["enterprise"] for r in csv_rows(data.decode("utf-8-sig"))][:2] == [
        SLASHES,
        "广西 甲ＡＢ公司",
    ]


def test_by_holder_xlsx(runner: CliRunner, register: Path, tmp_path: Path) -> None:
    out = tmp_path / "call.xlsx"
    ok(run(runner, "due", str(register), "--by-holder", "-f", "xlsx", "-o", str(out), *AS_OF))
    sheet = openpyxl.load_workbook(out).worksheets[0]
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]][:6] == [
        "企业名称",
        "市",
        "县（市、区）",
        "联系人",
        "电话",
        "电子邮箱",
    ]
    assert len(rows) == 1 + len(CALL_LIST)
    for cells, record in zip(rows[1:], CALL_LIST, strict=True):
        values = dict(zip(CSV_KEYS, [c.value for c in cells], strict=False))
        for key in ("enterprise", "city", "county", "contact", "phone", "email", "items"):
            assert (values[key] or None) == record[key], key  # an empty cell for none
        assert str(values["submit_by"])[:10] == record["submit_by"]
        assert str(values["file_by"])[:10] == record["file_by"]
    evil = rows[-1]
    # The formula-like text is kept as it is, but stored as text: never a formula.
    assert evil[0].value == FORMULA and evil[0].data_type == "s"
    assert evil[3].value == "@张" and evil[3].data_type == "s"
    assert evil[4].value == "+8613966660004" and evil[4].data_type == "s"
    assert all(c.data_type != "f" for row in rows for c in row)


def test_by_holder_table(runner: CliRunner, register: Path) -> None:
    result = run(runner, "due", str(register), "--by-holder", *AS_OF, env={"COLUMNS": "200"})
    ok(result)
    lines = result.stdout.splitlines()
    jia = [line for line in lines if "甲经理" in line]
    assert len(jia) == 1  # one row for the three spellings of the holder
    assert "广西 甲ＡＢ公司" in jia[0] and "13911110001" in jia[0] and "2024-05-31" in jia[0]
    assert "广西甲AB公司" not in result.stdout and "甲ab公司" not in result.stdout
    yi = next(line for line in lines if "乙公司" in line)
    assert "乙主任" in yi and "0776-1234567" in yi and "2024-06-28" in yi
    assert "丙合作社" not in result.stdout and "丁茶场" not in result.stdout


def test_example_register_by_holder(runner: CliRunner) -> None:
    register = EXAMPLES / "holders_register.csv"
    result = run(
        runner, "due", str(register), "--by-holder", "-f", "json", "--city", "百色", *AS_OF
    )
    ok(result)
    records = json.loads(result.stdout)
    names = [r["enterprise"] for r in records]
    assert len(names) == len(set(names))
    assert "南宁武鸣沃柑公司" not in names
    nanshan = next(r for r in records if r["enterprise"] == "田阳南山农业有限公司")
    assert nanshan["cert_ids"] == ["LB-45-21090112001A", "LB-45-21090112002A"]
    assert (nanshan["contact"], nanshan["phone"], nanshan["email"]) == (
        "黄经理",
        "13800000001",
        "nanshan@example.com",
    )
    tea = next(r for r in records if r["enterprise"] == "右江河谷茶业公司")
    assert tea["email"] is None and tea["phone"] == "0776-2800002"


# --- contact, phone, e-mail in every due record --------------------------------------------------


def test_due_json_carries_contact_fields(runner: CliRunner, register: Path) -> None:
    result = run(runner, "due", str(register), "-f", "json", *AS_OF)
    ok(result)
    records = json.loads(result.stdout)
    assert all({"contact", "phone", "email"} <= set(r) for r in records)
    got = {
        (r["cert_id"], r["kind"]): (r["contact"], r["phone"], r["email"])
        for r in records
        if r["kind"] == "renewal"
    }
    assert got[(JIA.cert_ids[0], "renewal")] == ("甲经理", None, None)
    assert got[(JIA.cert_ids[2], "renewal")] == (None, "13911110001", "jia@example.cn")
    assert got[(EVIL.cert_ids[0], "renewal")] == ("@张", "+8613966660004", None)
    assert got[(YI.cert_ids[0], "renewal")] == ("乙主任", "0776-1234567", "foo@")
    assert got[(JI.cert_ids[0], "renewal")] == (None, None, None)


def test_due_csv_carries_contact_fields(runner: CliRunner, register: Path) -> None:
    result = run(runner, "due", str(register), "-f", "csv", *AS_OF)
    ok(result)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"联系人", "电话", "电子邮箱"} <= set(rows[0])
    by_id = {r["证书编号"]: r for r in rows}
    assert [by_id[JIA.cert_ids[0]][k] for k in ("联系人", "电话", "电子邮箱")] == ["甲经理", "", ""]
    assert [by_id[COOP.cert_ids[0]][k] for k in ("联系人", "电话", "电子邮箱")] == [
        "韦社长",
        "13922220005",
        "coop@example.cn",
    ]
    # Formula-like contact and phone are made inert, as the other text columns are.
    assert [by_id[EVIL.cert_ids[0]][k] for k in ("联系人", "电话")] == ["'@张", "'+8613966660004"]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_due_without_contact_columns(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    """A register with no contact columns still gives the keys: null in JSON, empty in CSV."""
    path = write_register(
        tmp_path / "old.csv",
        [[JIA.cert_ids[0], "广西甲公司", "芒果", "绿色食品", "百色市", "田阳区", "2021-09-01", "2024-08-31", ""]],
        header=HEADER[:9],
    )  # fmt: skip
    result = run(runner, "due", str(path), "-f", fmt, "--kind", "renewal", *AS_OF)
    ok(result)
    if fmt == "json":
        (record,) = json.loads(result.stdout)
        assert (record["contact"], record["phone"], record["email"]) == (None, None, None)
    else:
        (row,) = csv.DictReader(io.StringIO(result.stdout))
        assert (row["联系人"], row["电话"], row["电子邮箱"]) == ("", "", "")


# --- renewal notice -------------------------------------------------------------------------------


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a .docx in order, read back by python-docx."""
    document = docx.Document(io.BytesIO(data))
    parts: list[str] = []
    for block in document.iter_inner_content():  # in document order
        if isinstance(block, Table):
            parts.extend(cell.text for row in block.rows for cell in row.cells)
        else:
            parts.append(block.text)
    return "\n".join(parts)


def addressee(words: str) -> str:
    """The holder a Chinese notice is addressed to (the line "NAME：")."""
    lines = [line for line in words.splitlines() if line.endswith("：") and line.strip()]
    return lines[0].removesuffix("：")


NOTICED = [COOP, JIA, WU, YI, JI, EVIL]  # the default selection's holders, all with open items


def test_notice_docx_one_per_holder(runner: CliRunner, register: Path, tmp_path: Path) -> None:
    out = tmp_path / "notices"
    result = run(
        runner,
        "notice",
        str(register),
        "-o",
        str(out),
        "--office",
        OFFICE,
        "--office-contact",
        "张三 0776-2821234",
        "--letterhead",
        "百色市农业农村局文件",
        *AS_OF,
    )
    ok(result)
    files = sorted(out.iterdir())
    assert all(f.suffix == ".docx" and f.parent == out for f in files)
    # Nothing outside the folder: "../右江/合作社" stays a name, not a path.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notices", "台账.csv"]
    assert not any(f.name.startswith(".") or ".." in f.name or "/" in f.name for f in files)
    assert (out / "广西 甲ＡＢ公司.docx").exists() and (out / "乙公司.docx").exists()
    texts = {}
    for f in files:
        words = docx_text(f.read_bytes())
        texts[addressee(words)] = words
    assert sorted(texts) == sorted(w.name for w in NOTICED)
    for who in NOTICED:
        words = texts[who.name]
        lines = [line for line in words.splitlines() if line.strip()]
        assert lines[:2] == ["百色市农业农村局文件", "续展提醒告知书"]
        assert "张三 0776-2821234" in words
        assert lines[-2:] == [OFFICE, "2024年6月1日"]
        for cert_id in who.cert_ids:
            assert cert_id in words
        for other in EVERYONE:
            if other is not who:
                assert not any(m in words for m in [*other.names, *other.cert_ids]), other.name
    assert len(files) == len(NOTICED)
    assert f"{len(NOTICED)}" in result.stderr


def test_notice_txt_is_utf8_and_says_what_docx_says(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    txt, doc = tmp_path / "txt", tmp_path / "docx"
    for fmt, out in (("txt", txt), ("docx", doc)):
        ok(
            run(
                runner,
                "notice",
                str(register),
                "-o",
                str(out),
                "-f",
                fmt,
                "--office",
                OFFICE,
                *AS_OF,
            )
        )
    assert sorted(p.stem for p in txt.iterdir()) == sorted(p.stem for p in doc.iterdir())
    words = (txt / "广西 甲ＡＢ公司.txt").read_bytes().decode("utf-8")
    assert words.splitlines()[0] == "续展提醒告知书"
    assert "广西 甲ＡＢ公司：" in words
    for cert_id in JIA.cert_ids:
        assert f"证书编号：{cert_id}" in words
    assert "LB-45-21090100101A" in docx_text((doc / "广西 甲ＡＢ公司.docx").read_bytes())


def test_notice_leaves_out_holders_with_nothing_open(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    """Under --all, 丙 (filed in time) gets no notice; 丁's notice is about its new certificate
    only, never the superseded one."""
    out = tmp_path / "n"
    ok(
        run(
            runner,
            "notice",
            str(register),
            "--all",
            "-o",
            str(out),
            "-f",
            "txt",
            "--office",
            OFFICE,
            *AS_OF,
        )
    )
    names = {addressee(p.read_text("utf-8")) for p in out.iterdir()}
    assert "丙合作社" not in names and "丁茶场" in names
    ding = (out / "丁茶场.txt").read_text("utf-8")
    assert "1234OP2400109" in ding and "1234OP2300108" not in ding
    assert not (out / "丙合作社.txt").exists()


def test_notice_nothing_open_writes_nothing(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    out = tmp_path / "n"
    result = run(
        runner,
        "notice",
        str(register),
        "--all",
        "--status",
        "filed,superseded",
        "-o",
        str(out),
        "--office",
        OFFICE,
        *AS_OF,
    )
    ok(result)
    assert list(out.iterdir()) == []


def write_policy(path: Path, office: str) -> Path:
    path.write_text(office, encoding="utf-8")
    return path


FILE_OFFICE = '[office]\nname = "田阳区农业农村局"\ncontact = "李四 0776-3210000"\nletterhead = "田阳区农业农村局文件"\n'


@pytest.mark.parametrize(
    ("policy", "args", "letterhead", "contact", "office"),
    [
        pytest.param(
            None, ["--office", "凌云县农业农村局"], None, None, "凌云县农业农村局", id="name-only"
        ),
        pytest.param(
            None,
            [
                "--office",
                "凌云县农业农村局",
                "--office-contact",
                "王五 0776-7612345",
                "--letterhead",
                "凌云县农业农村局函",
            ],
            "凌云县农业农村局函",
            "王五 0776-7612345",
            "凌云县农业农村局",
            id="options",
        ),
        pytest.param(
            FILE_OFFICE,
            [],
            "田阳区农业农村局文件",
            "李四 0776-3210000",
            "田阳区农业农村局",
            id="policy-file",
        ),
        pytest.param(
            FILE_OFFICE,
            ["--office", "凌云县农业农村局"],
            "田阳区农业农村局文件",
            "李四 0776-3210000",
            "凌云县农业农村局",
            id="option-overrides-file",
        ),
        pytest.param(
            FILE_OFFICE,
            ["--office-contact", "王五", "--letterhead", "函"],
            "函",
            "王五",
            "田阳区农业农村局",
            id="options-override-file",
        ),
        pytest.param(
            "example",
            [],
            "百色市农业农村局",
            "联系人：农产品质量安全科 电话：0776-0000000",
            "百色市农业农村局",
            id="examples-policy",
        ),
    ],
)
def test_notice_office(
    runner: CliRunner,
    register: Path,
    tmp_path: Path,
    policy: str | None,
    args: list[str],
    letterhead: str | None,
    contact: str | None,
    office: str,
) -> None:
    if policy == "example":
        args = [*args, "--policy", str(EXAMPLES / "policy.toml")]
    elif policy is not None:
        args = [*args, "--policy", str(write_policy(tmp_path / "p.toml", policy))]
    out = tmp_path / "n"
    ok(
        run(
            runner,
            "notice",
            str(register),
            "--county",
            "田东县",
            "-o",
            str(out),
            "-f",
            "txt",
            *args,
            *AS_OF,
        )
    )
    (only,) = out.iterdir()
    lines = [line for line in only.read_text("utf-8").splitlines() if line.strip()]
    assert lines[0] == (letterhead or "续展提醒告知书")
    assert lines[-2:] == [office, "2024年6月1日"]
    # A contact with labels of its own (联系人：… 电话：…) is printed as given, without ours.
    own = contact is not None and contact.startswith("联系人：")
    printed = contact if own else f"联系人及电话：{contact}"
    contact_lines = [line for line in lines if contact and contact in line]
    assert contact_lines == ([f"\u3000\u3000{printed}"] if contact else [])
    assert not any("联系人及电话：联系人" in line for line in lines)


def test_notice_help_names_the_policy_table(runner: CliRunner) -> None:
    """The help points to the policy file's [office] table by name (rich markup must not eat
    the brackets)."""
    result = run(runner, "notice", "--help")
    ok(result)
    flat = re.sub(r"[\s│]", "", result.stdout)  # the help's wrapping and box drawn away
    assert "发文单位（或策略文件中office表的name）" in flat


def test_notice_english(runner: CliRunner, register: Path, tmp_path: Path) -> None:
    out = tmp_path / "n"
    ok(
        run(
            runner,
            "notice",
            str(register),
            "-o",
            str(out),
            "--office",
            "Baise Office",
            "--lang",
            "en",
            *AS_OF,
        )
    )
    words = docx_text((out / "乙公司.docx").read_bytes())
    lines = [line for line in words.splitlines() if line.strip()]
    assert lines[:2] == ["Renewal reminder notice", "To 乙公司:"]
    assert lines[-2:] == ["Baise Office", "1 June 2024"]
    assert "续展提醒告知书" not in words and "截止日期" not in words
    assert "LB-45-21100100106A" in words


def test_notice_file_names_collide(runner: CliRunner, tmp_path: Path) -> None:
    """ "戊公司." loses its dot and gains a hash; a holder literally named after the result gets
    the same safe name: the second one written gets -2, and each file is its own holder's."""
    dotted = "戊公司."
    literal = safe_filename(dotted, "")
    assert safe_filename(literal, ".txt") == safe_filename(dotted, ".txt")
    register = write_register(
        tmp_path / "r.csv",
        [
            ["LB-45-21090100201A", dotted, "芒果", "绿色食品", "百色市", "田阳区", "2021-09-01", "2024-08-31", "", "", "", ""],
            ["LB-45-21100100202A", literal, "香蕉", "绿色食品", "百色市", "田阳区", "2021-10-01", "2024-09-30", "", "", "", ""],
        ],
    )  # fmt: skip
    out = tmp_path / "n"
    ok(
        run(
            runner,
            "notice",
            str(register),
            "--kind",
            "renewal",
            "-o",
            str(out),
            "-f",
            "txt",
            "--office",
            OFFICE,
            *AS_OF,
        )
    )
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{literal}.txt", f"{literal}-2.txt"])
    # 戊公司. files first (05-31); the literal one second (06-30).
    first = (out / f"{literal}.txt").read_text("utf-8")
    second = (out / f"{literal}-2.txt").read_text("utf-8")
    assert addressee(first) == dotted and "LB-45-21090100201A" in first
    assert addressee(second) == literal and "LB-45-21100100202A" in second
    assert "LB-45-21100100202A" not in first and "LB-45-21090100201A" not in second


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(["--office", OFFICE], "-o", id="no-dir"),
        pytest.param(["-o", "{out}"], "--office", id="no-office"),
        pytest.param(["-o", "{out}", "--office", "  "], "--office", id="blank-office"),
        pytest.param(
            ["-o", "{out}", "--policy", "{policy}"], "[office]", id="policy-without-office"
        ),
        pytest.param(["-o", "{out}", "--office", OFFICE, "-f", "pdf"], "pdf", id="bad-format"),
    ],
)
def test_notice_usage_errors(
    runner: CliRunner, register: Path, tmp_path: Path, args: list[str], needle: str
) -> None:
    policy = write_policy(tmp_path / "q.toml", "[2025]\nsubmit_all_before = 2025-10-01\n")
    out = tmp_path / "n"
    filled = [a.format(out=out, policy=policy) for a in args]
    result = run(runner, "notice", str(register), *filled, *AS_OF)
    assert result.exit_code == 2, result.stderr
    assert needle in result.stderr
    if needle == "--office":
        assert "发文单位" in result.stderr  # told in Chinese, with the option to use
    assert not out.exists() or list(out.iterdir()) == []


# --- renewal mail --holders -----------------------------------------------------------------------

REACHABLE = [COOP, JIA, WU]  # the default selection's holders with a usable address
UNREACHABLE = [YI, JI, EVIL]


def holders_mail(runner: CliRunner, register: Path, server: Server, *args: str) -> object:
    return run(
        runner,
        "mail",
        str(register),
        "--holders",
        "--cc",
        OFFICER,
        "--office",
        OFFICE,
        *args,
        *AS_OF,
        env=server.env(),
    )


def unfold_ics(data: bytes) -> str:
    words = data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")
    return words.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n").replace("\\\\", "\\")


def decoded(message: EmailMessage) -> str:
    """All a reader can see: every header decoded, every part decoded, the calendar unfolded
    and unescaped, and every XML file inside the .docx with its entities resolved."""
    pieces = [f"{k}: {v}" for k, v in message.items()]
    for part in message.walk():
        pieces.extend(f"{k}: {v}" for k, v in part.items())
        if part.is_multipart():
            continue
        pieces.append(part.get_filename() or "")
        data = part.get_payload(decode=True)
        assert isinstance(data, bytes)
        kind = part.get_content_type()
        if kind == DOCX_TYPE:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for name in archive.namelist():
                    pieces.append(html.unescape(archive.read(name).decode("utf-8", "replace")))
        elif kind == "text/calendar":
            pieces.append(unfold_ics(data))
        else:
            pieces.append(data.decode(part.get_content_charset() or "utf-8"))
    return "\n".join(pieces)


def attachment(message: EmailMessage, kind: str) -> tuple[str, bytes]:
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == kind]
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    return part.get_filename() or "", data


def by_address(server: Server) -> dict[str, EmailMessage]:
    received = server.recorder.received
    found = {r.message["To"].addresses[0].addr_spec: r.message for r in received}
    assert len(found) == len(received)
    return found


def test_each_holder_gets_one_message_of_its_own(
    runner: CliRunner, register: Path, server: Server
) -> None:
    result = holders_mail(runner, register, server)
    ok(result)
    received = server.recorder.received
    assert sorted(r.rcpt_tos[0] for r in received) == sorted(w.email for w in REACHABLE)  # type: ignore[type-var]
    for r in received:
        assert r.mail_from == SENDER
        assert r.rcpt_tos[1:] == [OFFICER]
        assert [a.addr_spec for a in r.message["To"].addresses] == r.rcpt_tos[:1]
        assert [a.addr_spec for a in r.message["Cc"].addresses] == [OFFICER]
    assert not any("foo@" in t for r in received for t in r.rcpt_tos)
    subjects = {a: m["Subject"] for a, m in by_address(server).items()}
    # 101's file-by day (2024-05-31) has passed: the subject names the next day to meet.
    assert subjects["jia@example.cn"] == (
        "【续展提醒】广西 甲ＡＢ公司：4 项待办，其中 1 项已过期限，其余请于2024年6月28日前提交"
        "（百色市农业农村局）"
    )


@pytest.mark.parametrize("who", REACHABLE, ids=lambda w: w.email)
def test_holder_message_names_no_other_holder(
    runner: CliRunner, register: Path, server: Server, who: Who
) -> None:
    ok(holders_mail(runner, register, server))
    message = by_address(server)[who.email]  # type: ignore[index]
    seen = decoded(message)
    assert who.name in seen
    for cert_id in who.cert_ids:
        assert cert_id in seen
    raw = next(r.raw for r in server.recorder.received if r.message is message)
    for other in EVERYONE:
        if other is who:
            continue
        for mark in other.marks():
            assert mark not in seen, (other.name, mark)
            if mark.isascii():
                assert mark.encode() not in raw, (other.name, mark)


@pytest.mark.parametrize("who", REACHABLE, ids=lambda w: w.email)
def test_holder_calendar_and_notice_are_its_own(
    runner: CliRunner, register: Path, server: Server, who: Who
) -> None:
    ok(holders_mail(runner, register, server))
    message = by_address(server)[who.email]  # type: ignore[index]
    name, data = attachment(message, "text/calendar")
    assert name.endswith(".ics") and "/" not in name
    found = events(data)
    assert found
    numbers = set()
    for event in found:
        lines = str(event["DESCRIPTION"]).splitlines()
        (number,) = [
            line.removeprefix("证书编号：") for line in lines if line.startswith("证书编号：")
        ]
        (holder,) = [
            line.removeprefix("企业名称：") for line in lines if line.startswith("企业名称：")
        ]
        numbers.add(number)
        assert holder_name_key(holder) == holder_name_key(who.name)
    assert numbers == set(who.cert_ids)
    name, data = attachment(message, DOCX_TYPE)
    assert name.endswith(".docx") and "/" not in name
    words = docx_text(data)
    assert addressee(words) == who.name
    assert all(cert_id in words for cert_id in who.cert_ids)
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert text.splitlines()[:3] == ["续展提醒告知书", "", f"{who.name}："]
    assert OFFICE in text


def test_holders_without_address_are_listed_to_phone(
    runner: CliRunner, register: Path, server: Server
) -> None:
    result = holders_mail(runner, register, server)
    ok(result)
    lines = result.stderr.splitlines()
    assert any("3 个获证主体" in line and "电话联系" in line for line in lines)
    for who in UNREACHABLE:
        (line,) = [line for line in lines if line.strip().startswith(who.name)]
        assert (who.phone or "（台账无电话）") in line
        assert (who.contact or "") in line
    for who in REACHABLE:
        assert not any(line.strip().startswith(who.name) for line in lines)


def test_holders_mail_all_skips_closed_and_counts_open(
    runner: CliRunner, register: Path, server: Server
) -> None:
    """Under --all: 丙 (only filed) gets nothing; 丁's message tells of its one open item, due
    2025-01-14: not of its superseded certificate (which would say 2 items, by 2024-03-29)."""
    ok(holders_mail(runner, register, server, "--all"))
    messages = by_address(server)
    assert "bing@example.cn" not in messages
    ding = messages["ding@example.cn"]
    assert "1234OP2300108" not in decoded(ding)
    assert ding["Subject"] == (
        "【续展提醒】丁茶场：1 项待办，请于2025年1月14日前提交（百色市农业农村局）"
    )


EXPIRED_ONLY_HEADER = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,电子邮箱\n"


@pytest.mark.parametrize(
    "rows, attachments",
    [
        pytest.param(
            ["LB-45-21010000001A,老园茶场,绿茶,绿色食品,百色,右江区,2021-01-10,2024-01-09"],
            {"老园茶场.eml": [DOCX_TYPE]},
            id="expired-only-no-calendar",
        ),
        pytest.param(
            [
                "LB-45-21010000001A,老园茶场,绿茶,绿色食品,百色,右江区,2021-01-10,2024-01-09",
                "LB-45-21110000002A,老园茶场,红茶,绿色食品,百色,右江区,2021-11-01,2024-10-31",
            ],
            {"老园茶场.eml": ["text/calendar", DOCX_TYPE]},
            id="expired-and-pending-calendar",
        ),
        pytest.param(
            ["LB-45-21110000002A,新园茶场,红茶,绿色食品,百色,右江区,2021-11-01,2024-10-31"],
            {"新园茶场.eml": ["text/calendar", DOCX_TYPE]},
            id="pending-calendar",
        ),
    ],
)
def test_holder_gets_a_calendar_only_with_events(
    runner: CliRunner, tmp_path: Path, rows: list[str], attachments: dict[str, list[str]]
) -> None:
    """A holder whose only items are expired (no date left to meet) gets no empty .ics."""
    register = tmp_path / "台账.csv"
    address = ",holder@example.cn\n"
    register.write_text(EXPIRED_ONLY_HEADER + address.join(rows) + address, encoding="utf-8")
    out = tmp_path / "outbox"
    args = ["--office", OFFICE, "--from", SENDER, "--dry-run", str(out), *AS_OF]
    ok(run(runner, "mail", str(register), "--holders", *args))
    found = {}
    for f in sorted(out.iterdir()):
        message = message_from_bytes(f.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        found[f.name] = [p.get_content_type() for p in message.iter_attachments()]
        for part in message.iter_attachments():
            if part.get_content_type() == "text/calendar":
                data = part.get_payload(decode=True)
                assert isinstance(data, bytes)
                assert len(events(data)) >= 1
    assert found == attachments


def test_holders_dry_run_writes_one_eml_each(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    out = tmp_path / "outbox"
    result = run(
        runner,
        "mail",
        str(register),
        "--holders",
        "--cc",
        OFFICER,
        "--office",
        OFFICE,
        "--from",
        SENDER,
        "--dry-run",
        str(out),
        *AS_OF,
    )
    ok(result)
    files = sorted(out.iterdir())
    assert len(files) == len(REACHABLE)
    assert all(f.suffix == ".eml" and f.parent == out and not f.name.startswith(".") for f in files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outbox", "台账.csv"]
    recipients = []
    for f in files:
        message = message_from_bytes(f.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        recipients.append(message["To"].addresses[0].addr_spec)
        assert [a.addr_spec for a in message["Cc"].addresses] == [OFFICER]
        assert {p.get_content_type() for p in message.iter_attachments()} == {
            "text/calendar",
            DOCX_TYPE,
        }
    assert sorted(recipients) == sorted(w.email for w in REACHABLE)  # type: ignore[type-var]
    assert "乙公司" in result.stderr and "0776-1234567" in result.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(["--to", "zhang@example.cn", "--office", OFFICE], "--holders", id="with-to"),
        pytest.param(
            ["--contacts", "{contacts}", "--office", OFFICE], "--holders", id="with-contacts"
        ),
        pytest.param(["--split-by", "city", "--office", OFFICE], "--holders", id="with-split-by"),
        pytest.param([], "--office", id="no-office"),
    ],
)
def test_holders_mail_usage_errors(
    runner: CliRunner, register: Path, server: Server, tmp_path: Path, args: list[str], needle: str
) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("地区,姓名,邮箱\n百色市,张三,zhang@example.cn\n", encoding="utf-8")
    filled = [a.format(contacts=contacts) for a in args]
    result = run(runner, "mail", str(register), "--holders", *filled, *AS_OF, env=server.env())
    assert result.exit_code == 2, result.stderr
    assert needle in result.stderr
    assert server.recorder.received == []
