"""The fast paths of scheduling and rendering hold to the plain definitions they replace.

`months_before` against python-dateutil's relativedelta, ScheduleItem's written-out __init__
against its dataclass fields, CSV rows and JSON lines made straight from an item against the
item's record() (with text a spreadsheet or a JSON parser would choke on), successors against
the pairwise search, working days against chinese_calendar.is_workday.
"""

from __future__ import annotations

import csv
import dataclasses
import inspect
import io
import json
import random
from datetime import date, timedelta

import chinese_calendar
import pytest
from dateutil.relativedelta import relativedelta

from conftest import cert, item
from renewal_cli.dates import file_by, issue_from_expiry, months_before
from renewal_cli.messages import Lang
from renewal_cli.models import (
    RECORD_KEYS,
    TEXT_KEYS,
    Action,
    Certificate,
    Flag,
    Kind,
    ScheduleItem,
    Scheme,
    Status,
)
from renewal_cli.output.csvfile import csv_chunks, neutralise, render_csv
from renewal_cli.output.jsonfile import json_chunks, render_json
from renewal_cli.policy import policy_for
from renewal_cli.present import field_label, label, status_label
from renewal_cli.rules import Selection, lineage_keys_of, numbers_clash, select, successors
from renewal_cli.workdays import covered, is_workday


def test_months_before_is_relativedeltas_sum() -> None:
    day = date(2019, 12, 1)
    while day < date(2029, 3, 1):
        for months in (0, 1, 3, 4, 11, 12, 13, 36, 120, -1, -14):
            assert months_before(day, months) == day - relativedelta(months=months), (day, months)
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 5, 31), 3, date(2024, 2, 29)),
        (date(2023, 5, 31), 3, date(2023, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2024, 1, 15), 1, date(2023, 12, 15)),
        (date(2024, 12, 31), 0, date(2024, 12, 31)),
    ],
)
def test_months_before_clamps_to_the_months_end(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


def test_months_before_the_calendar_is_refused() -> None:
    with pytest.raises(ValueError):
        months_before(date(1, 1, 31), 1)


def test_file_by_and_issue_from_expiry_use_it() -> None:
    assert file_by(date(2024, 5, 31), 3) == date(2024, 2, 29)
    assert issue_from_expiry(date(2024, 2, 28), 3) == date(2021, 2, 28)
    assert issue_from_expiry(date(2024, 2, 27), 1) == date(2023, 2, 28)


def test_schedule_item_init_takes_the_fields_it_declares() -> None:
    parameters = list(inspect.signature(ScheduleItem.__init__).parameters.values())[1:]
    fields = dataclasses.fields(ScheduleItem)
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)
    for parameter, field in zip(parameters, fields, strict=True):
        default = inspect.Parameter.empty if field.default is dataclasses.MISSING else field.default
        assert parameter.default == default, field.name


def test_schedule_item_init_fills_each_field_with_its_own_argument() -> None:
    values = {f.name: object() for f in dataclasses.fields(ScheduleItem)}
    made = ScheduleItem(**values)  # type: ignore[arg-type]
    assert {name: getattr(made, name) for name in values} == values
    given = {k: v for k, v in values.items() if k not in ("kind", "ends_on")}
    defaulted = ScheduleItem(**given)  # type: ignore[arg-type]
    assert (defaulted.kind, defaulted.ends_on) == (Kind.RENEWAL, None)


def test_schedule_item_stays_frozen() -> None:
    made = item(cert("2025-03-04"), "2024-06-01")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.days_left = 0  # type: ignore[misc]
    assert made == dataclasses.replace(made)
    assert hash(made) == hash(dataclasses.replace(made))


def test_certificate_init_takes_the_fields_it_declares() -> None:
    parameters = list(inspect.signature(Certificate.__init__).parameters.values())[1:]
    fields = dataclasses.fields(Certificate)
    assert [p.name for p in parameters] == [f.name for f in fields]
    # Positional or keyword, as the generated __init__ it replaces took them.
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in parameters)
    for parameter, field in zip(parameters, fields, strict=True):
        default = inspect.Parameter.empty if field.default is dataclasses.MISSING else field.default
        assert parameter.default == default, field.name
    assert Certificate.__slots__ == tuple(f.name for f in fields)


def test_certificate_init_fills_each_field_with_its_own_argument() -> None:
    values = {f.name: object() for f in dataclasses.fields(Certificate)}
    made = Certificate(**values)  # type: ignore[arg-type]
    assert {name: getattr(made, name) for name in values} == values
    assert made == Certificate(*values.values())  # type: ignore[arg-type]
    required = ("cert_id", "enterprise", "product", "scheme", "city", "county")
    defaulted = Certificate(**{name: values[name] for name in required})  # type: ignore[arg-type]
    for field in dataclasses.fields(Certificate):
        expected = values[field.name] if field.name in required else field.default
        assert getattr(defaulted, field.name) == expected, field.name


def test_certificate_stays_frozen() -> None:
    made = cert("2025-03-04")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.line = 0  # type: ignore[misc]
    assert made == dataclasses.replace(made)
    assert hash(made) == hash(dataclasses.replace(made))
    assert dataclasses.replace(made, line=7).line == 7


# --- CSV and JSON straight from the item, against the record they stand for ------------------

AWKWARD = [
    '=HYPERLINK("http://x")',
    "+1",
    "-2",
    "@SUM(A1)",
    "\tTab",
    "\rReturn",
    'a "quoted" name',
    "a, b",
    "line\nbreak",
    "cr\rinside",
    "nul\x00inside",
    "ctrl\x01\x1f",
    "back\\slash",
    "sep\u2028\u2029",
    "emoji 🍵 \U0002a6a5",
    "全角，逗号",
    " spaced ",
    "",
    "'already",
]


def _awkward_certificates() -> list[Certificate]:
    made = []
    for n, text in enumerate(AWKWARD):
        scheme = (Scheme.GREEN, Scheme.ORGANIC)[n % 2]
        base = cert(
            ("2024-09-30", "2025-03-31", "2024-01-31", "2025-06-30")[n % 4],
            cert_id=text or "X",
            scheme=scheme,
            enterprise=text,
            product=text or "茶叶",
            county=(None, "田阳区", "凌云县")[n % 3],
            filed=("2024-05-01", None)[n % 2],
            contact=text or None,
            phone=text,
            email=None if n % 3 else text,
        )
        made.append(dataclasses.replace(base, certifier=(None, text, "某认证机构")[n % 3]))
    made.append(cert("2024-09-30", "LB-SUP", enterprise="+先", issued="2021-10-01"))
    made.append(cert("2027-04-30", "LB-SUP", enterprise="+先", issued="2024-05-01"))
    made.append(
        Certificate(
            cert_id="MT-1",
            enterprise="名特",
            product="芒果",
            scheme=Scheme.MINGTE,
            city="百色市",
            county="田东县",
            listed_on=date(2020, 5, 1),
            recorded=frozenset({"confirmed_on", "tested_on"}),
        )
    )
    made.append(
        Certificate(
            cert_id="PLAN-1",
            enterprise="=plan",
            product="水稻",
            scheme=Scheme.ORGANIC,
            city="百色市",
            county=None,
            sowing_on=date(2024, 7, 1),
        )
    )
    return made


def _awkward_items() -> list[ScheduleItem]:
    held = _awkward_certificates()
    items = []
    for as_of in ("2024-06-01", "2025-02-28", "2026-11-29"):
        day = date.fromisoformat(as_of)
        items += select(held, day, policy_for(day.year), Selection(all=True))
    items.append(dataclasses.replace(items[0], superseded_by="=NEW-1", submit_by=None))
    assert {i.kind for i in items} >= {Kind.RENEWAL, Kind.ANNUAL_INSPECTION, Kind.TRANSFER}
    assert {i.status for i in items} == set(Status)
    return items


def _record_row(item: ScheduleItem, lang: Lang, raw: bool) -> list[str]:
    """A CSV row as the record defines it (the renderer's first form)."""
    record = item.record()
    row: list[str] = []
    for key in RECORD_KEYS:
        value = record[key]
        if key == "flags":
            flags = [Flag(f) for f in value]
            row.append(";".join(f.value if lang is Lang.EN else label(f, lang) for f in flags))
        elif key == "status" and lang is Lang.ZH:
            row.append(status_label(item, lang))
        elif key in ("scheme", "action", "kind") and lang is Lang.ZH:
            enum = {"scheme": Scheme, "action": Action, "kind": Kind}[key]
            row.append(label(enum(value), lang))
        elif value is None:
            row.append("")
        elif key in TEXT_KEYS and not raw:
            row.append(neutralise(str(value)))
        else:
            row.append(str(value))
    return row


@pytest.mark.parametrize("raw", [False, True])
@pytest.mark.parametrize("lang", list(Lang))
def test_csv_rows_are_the_records(lang: Lang, raw: bool) -> None:
    items = _awkward_items()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([field_label(key, lang) for key in RECORD_KEYS])
    for one in items:
        writer.writerow(_record_row(one, lang, raw))
    assert render_csv(items, lang, raw=raw) == out.getvalue()
    assert "".join(csv_chunks(items, lang, raw=raw, per_chunk=7)) == out.getvalue()


def test_json_lines_are_the_records() -> None:
    items = _awkward_items()
    for one in items:
        line = json.dumps(one.record(), ensure_ascii=False)
        assert render_json([one]) == f"[\n{line}\n]\n"
    expected = "[\n" + ",\n".join(json.dumps(i.record(), ensure_ascii=False) for i in items)
    assert "".join(json_chunks(items, per_chunk=5)) == expected + "\n]\n"
    assert list(json.loads(render_json(items))[0]) == list(RECORD_KEYS)


# --- successors against the plain search over every pair ----------------------------------


def _successors_by_search(held: list[Certificate], as_of: date) -> dict[int, Certificate]:
    """The rule as first written: every certificate against every one sharing a key, except
    one whose number clashes with it (another holder, and another product or place)."""
    keyed: dict[tuple[str, ...], list[int]] = {}
    for index, c in enumerate(held):
        if c.issued_on and c.expires_on and c.issued_on <= as_of:
            for key in lineage_keys_of(c):
                keyed.setdefault(key, []).append(index)
    found: dict[int, Certificate] = {}
    for index, c in enumerate(held):
        if not (c.issued_on and c.expires_on):
            continue
        best: Certificate | None = None
        for key in lineage_keys_of(c):
            for other in (held[i] for i in keyed.get(key, ())):
                assert other.issued_on and other.expires_on
                later = other.issued_on > c.issued_on and other.expires_on > c.expires_on
                if key[3] == "#" and numbers_clash(
                    (c.enterprise, c.product, c.city, c.county),
                    (other.enterprise, other.product, other.city, other.county),
                ):
                    later = False
                if later and (best is None or (best.issued_on or c.issued_on) > other.issued_on):
                    best = other
        if best is not None:
            found[index] = best
    return found


def test_successors_name_what_the_plain_search_names() -> None:
    chance = random.Random(20241129)
    held = []
    for n in range(600):
        issued = date(2019, 1, 1) + timedelta(days=chance.randrange(0, 2200, 30))
        scheme = chance.choice([Scheme.GREEN, Scheme.ORGANIC])
        held.append(
            Certificate(
                cert_id=chance.choice(["LB-1", "lb 1", "LB-2", "GF3", f"N{n}"]),
                enterprise=chance.choice(["甲公司", "乙公司", " 甲 公司", "丙"]),
                product=chance.choice(["茶叶", "芒果"]),
                scheme=scheme,
                city="百色市",
                county=chance.choice([None, None, None, None, "田阳区"]),
                issued_on=None if n % 97 == 0 else issued,
                expires_on=issued + timedelta(days=chance.choice([364, 1094, 700])),
                grade=chance.choice([None, "A", "AA"]),
                base=chance.choice([None, "一号基地"]),
                line=n,
            )
        )
    for as_of in ("2020-06-01", "2022-02-28", "2024-12-31", "2030-01-01"):
        expected = _successors_by_search(held, date.fromisoformat(as_of))
        found = successors(held, date.fromisoformat(as_of))
        assert list(found.items()) == list(expected.items())
        assert len(found) > 50


def test_workdays_are_the_packages() -> None:
    first, last = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
    day, end = date(first - 1, 1, 1), date(last + 2, 1, 1)
    while day < end:
        try:
            expected = chinese_calendar.is_workday(day)
        except NotImplementedError:
            expected = day.weekday() < 5
        assert is_workday(day) is expected, day
        assert covered(day.year) is (first <= day.year <= last)
        day += timedelta(days=1)
