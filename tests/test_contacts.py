"""The contacts file: who gets which place's mail, read as officers save it."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from renewal_cli.errors import RenewalError
from renewal_cli.mail.addresses import mailbox
from renewal_cli.mail.contacts import Contact, read_contacts
from renewal_cli.messages import Lang, text
from renewal_cli.places import SplitBy, guangxi

PLACES = guangxi()


def write(tmp_path: Path, content: str, encoding: str = "utf-8", name: str = "c.csv") -> Path:
    path = tmp_path / name
    data = content.encode(encoding)
    if encoding == "utf-8-sig":
        assert data.startswith(codecs.BOM_UTF8)
    path.write_bytes(data)
    return path


ENGLISH = (
    "place,name,email\r\n"
    "百色,张三,zhang@example.cn\r\n"
    "Baise,李四,li@example.cn\r\n"
    "河池市,王五,wang@example.cn\r\n"
)
CHINESE = (
    "地区,姓名,电子邮箱\r\n"
    "百色市,张三,zhang@example.cn\r\n"
    "百色,李四,li@example.cn\r\n"
    "河池,王五,wang@example.cn\r\n"
)
BY_CITY = {
    "百色市": [
        Contact(place="百色市", name="张三", email="zhang@example.cn"),
        Contact(place="百色市", name="李四", email="li@example.cn"),
    ],
    "河池市": [Contact(place="河池市", name="王五", email="wang@example.cn")],
}


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        pytest.param(ENGLISH, "utf-8", id="english-utf8"),
        pytest.param(CHINESE, "utf-8-sig", id="chinese-utf8-bom"),
        pytest.param(CHINESE, "gb18030", id="chinese-gb18030"),
        pytest.param(CHINESE.replace("\r\n", "\n"), "utf-8", id="lf-line-ends"),
        pytest.param(CHINESE.replace(",", "\t"), "utf-16", id="excel-unicode-text"),
        pytest.param(
            "\r\n地点 , 姓名 ,邮箱\r\n\r\n 百色市\u3000, 张三 ,zhang@example.cn\r\n,,\r\n"
            "百色,李四,li@example.cn\r\n河池,王五,wang@example.cn\r\n",
            "utf-8",
            id="blank-lines-and-spaces",
        ),
    ],
)
def test_read_by_city(tmp_path: Path, content: str, encoding: str) -> None:
    contacts = read_contacts(write(tmp_path, content, encoding), PLACES, SplitBy.CITY)
    assert contacts == BY_CITY
    assert list(contacts) == sorted(contacts)


def test_read_by_county(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "地区,姓名,邮箱\r\n"
        "田阳县,张三,zhang@example.cn\r\n"  # former name of 田阳区
        "田阳,李四,li@example.cn\r\n"
        "融水县,赵六,zhao@example.cn\r\n"  # how registers write 融水苗族自治县
        "百色市,王五,wang@example.cn\r\n",  # the city's own level
    )
    contacts = read_contacts(path, PLACES, SplitBy.COUNTY)
    assert {place: [c.email for c in people] for place, people in contacts.items()} == {
        "田阳区": ["zhang@example.cn", "li@example.cn"],
        "百色市": ["wang@example.cn"],
        "融水苗族自治县": ["zhao@example.cn"],
    }
    assert list(contacts) == sorted(contacts)


def test_repeated_contact_kept_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "place,name,email\r\n"
        "百色市,张三,zhang@example.cn\r\n"
        "百色,张三,Zhang@Example.cn\r\n"
        "河池市,张三,zhang@example.cn\r\n",
    )
    contacts = read_contacts(path, PLACES, SplitBy.CITY)
    assert [c.email for c in contacts["百色市"]] == ["zhang@example.cn"]
    assert [c.email for c in contacts["河池市"]] == ["zhang@example.cn"]


@pytest.mark.parametrize("by", [pytest.param(by, id=by.value) for by in SplitBy])
def test_a_contact_may_name_a_city_or_a_county_whatever_the_split(
    tmp_path: Path, by: SplitBy
) -> None:
    path = write(tmp_path, "地区,姓名,邮箱\r\n百色,甲,a@example.cn\r\n田阳县,乙,b@example.cn\r\n")
    contacts = read_contacts(path, PLACES, by)
    assert {place: [c.email for c in people] for place, people in contacts.items()} == {
        "百色市": ["a@example.cn"],
        "田阳区": ["b@example.cn"],
    }


@pytest.mark.parametrize(
    ("rows", "by", "message_id", "params"),
    [
        pytest.param(
            "北京,张三,zhang@example.cn",
            SplitBy.CITY,
            "contacts.unknown_city",
            {"line": 3, "column": "地区", "letter": "A", "value": "北京"},
            id="unknown-city",
        ),
        pytest.param(
            "天河区,张三,zhang@example.cn",
            SplitBy.CITY,
            "contacts.unknown_city",
            {"line": 3, "value": "天河区"},
            id="county-outside-guangxi-splitting-by-city",
        ),
        pytest.param(
            "朝阳区,张三,zhang@example.cn",
            SplitBy.COUNTY,
            "contacts.unknown_county",
            {"line": 3, "value": "朝阳区"},
            id="unknown-county",
        ),
        pytest.param(
            "百色市,张三,zhang at example.cn",
            SplitBy.CITY,
            "contacts.bad_email",
            {"line": 3, "column": "邮箱", "letter": "C", "value": "zhang at example.cn"},
            id="bad-email",
        ),
        pytest.param(
            "百色市,张三,zhang@example.cn; li@example.cn",
            SplitBy.CITY,
            "contacts.bad_email",
            {"value": "zhang@example.cn; li@example.cn"},
            id="two-emails-in-a-cell",
        ),
        pytest.param(
            "百色市,张三,",
            SplitBy.CITY,
            "contacts.empty_cell",
            {"line": 3, "column": "邮箱", "letter": "C"},
            id="empty-email",
        ),
        pytest.param(
            "百色市,\u3000,zhang@example.cn",
            SplitBy.CITY,
            "contacts.empty_cell",
            {"line": 3, "column": "姓名", "letter": "B"},
            id="blank-name",
        ),
        pytest.param(
            ",张三,zhang@example.cn",
            SplitBy.CITY,
            "contacts.empty_cell",
            {"line": 3, "column": "地区", "letter": "A"},
            id="empty-place",
        ),
        pytest.param(
            "百色市,张三",
            SplitBy.CITY,
            "contacts.empty_cell",
            {"line": 3, "column": "邮箱"},
            id="short-row",
        ),
        pytest.param(
            "百色市,张,三,zhang@example.cn",
            SplitBy.CITY,
            "contacts.extra_cells",
            {"line": 3, "cells": 4, "columns": 3},
            id="unquoted-comma",
        ),
    ],
)
def test_bad_row(
    tmp_path: Path, rows: str, by: SplitBy, message_id: str, params: dict[str, object]
) -> None:
    path = write(tmp_path, f"地区,姓名,邮箱\r\n河池市,王五,wang@example.cn\r\n{rows}\r\n")
    with pytest.raises(RenewalError) as caught:
        read_contacts(path, PLACES, by)
    error = caught.value
    assert error.message_id == message_id
    assert error.params["source"] == str(path)
    assert {key: error.params[key] for key in params} == params
    for lang in Lang:
        shown = text(message_id, lang, **error.params)
        assert str(path) in shown and str(error.params["line"]) in shown


MULTILINE = 'place,name,email\r\n百色市,"张三\r\n（主任）",zhang@example.cn\r\n'


def test_multiline_name_becomes_one_line(tmp_path: Path) -> None:
    contacts = read_contacts(write(tmp_path, MULTILINE), PLACES, SplitBy.CITY)
    assert contacts["百色市"][0].name == "张三 （主任）"


def test_line_number_counts_multiline_cells(tmp_path: Path) -> None:
    path = write(tmp_path, MULTILINE + "北京,李四,li@example.cn\r\n")
    with pytest.raises(RenewalError) as caught:
        read_contacts(path, PLACES, SplitBy.CITY)
    assert caught.value.params["line"] == 4


@pytest.mark.parametrize(
    ("data", "message_id"),
    [
        pytest.param(b"", "contacts.empty", id="empty-file"),
        pytest.param("地区,姓名,邮箱\r\n".encode(), "contacts.empty", id="header-only"),
        pytest.param(
            "地区,姓名\r\n百色,张三\r\n".encode(), "contacts.missing_columns", id="no-email"
        ),
        pytest.param(b"PK\x03\x04rest-of-a-zip", "contacts.spreadsheet", id="xlsx"),
        pytest.param(
            b"place,name,email\r\n\xff\xfe\xfa\xfb\x81\r\n",
            "contacts.encoding_unknown",
            id="garbage",
        ),
        pytest.param(
            'place,name,email\r\n百色,"张三,zhang@example.cn\r\n'.encode(), None, id="open-quote"
        ),
    ],
)
def test_bad_file(tmp_path: Path, data: bytes, message_id: str | None) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    with pytest.raises(RenewalError) as caught:
        read_contacts(path, PLACES, SplitBy.CITY)
    if message_id is not None:
        assert caught.value.message_id == message_id
    assert caught.value.message_id.startswith("contacts.")
    for lang in Lang:
        assert str(path) in text(caught.value.message_id, lang, **caught.value.params)


@pytest.mark.parametrize(
    ("make", "message_id"),
    [
        pytest.param(lambda p: p / "missing.csv", "contacts.not_found", id="missing"),
        pytest.param(lambda p: p, "contacts.unreadable", id="directory"),
    ],
)
def test_unreadable(tmp_path: Path, make: object, message_id: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(RenewalError) as caught:
        read_contacts(path, PLACES, SplitBy.CITY)
    assert caught.value.message_id == message_id


@pytest.mark.parametrize(
    ("name", "email", "mailbox"),
    [
        ("张三", "zhang@example.cn", "张三 <zhang@example.cn>"),
        ("Zhang San", "zhang@example.cn", "Zhang San <zhang@example.cn>"),
        ("张三, 主任", "zhang@example.cn", '"张三, 主任" <zhang@example.cn>'),
    ],
)
def test_mailbox(name: str, email: str, mailbox: str) -> None:
    assert Contact(place="百色市", name=name, email=email).mailbox == mailbox


@pytest.mark.parametrize(
    ("email", "addr_spec"),
    [
        pytest.param("a@例子.中国", "a@xn--fsqu00a.xn--fiqs8s", id="idna-domain"),
        pytest.param("用户@例子.中国", "用户@xn--fsqu00a.xn--fiqs8s", id="utf8-local-part"),
    ],
)
def test_internationalised_addresses(tmp_path: Path, email: str, addr_spec: str) -> None:
    """Issue 7, point 22: accepted in the file, and a mailbox the message's To header takes."""
    path = write(tmp_path, f"地区,姓名,邮箱\r\n百色,李工,{email}\r\n")
    (contact,) = read_contacts(path, PLACES, SplitBy.CITY)["百色市"]
    assert contact.email == email
    box = mailbox(contact.mailbox)
    assert (box.display_name, box.addr_spec) == ("李工", addr_spec)
