"""The fast paths of scheduling and rendering hold to the plain definitions they replace.

`months_before` against python-dateutil's relativedelta, ScheduleItem's written-out __init__
against its dataclass fields.
"""

from __future__ import annotations

import dataclasses
import inspect
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from conftest import cert, item
from renewal_cli.dates import file_by, issue_from_expiry, months_before
from renewal_cli.models import ScheduleItem


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


def test_schedule_item_stays_frozen() -> None:
    made = item(cert("2025-03-04"), "2024-06-01")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.days_left = 0  # type: ignore[misc]
    assert made == dataclasses.replace(made)
    assert hash(made) == hash(dataclasses.replace(made))
