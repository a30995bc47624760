"""Golden files: every output on a fixed register and AS_OF, byte for byte.

The register (tests/golden/register.csv) has a title row, a 序号 column, every status
(superseded included), a formula-like product, a city-level row, a derived expiry, a bad row and
合计/制表人 rows. Regenerate with `python -m pytest tests/test_golden.py --update-golden`, then read
the diff before committing it; never edit the files by hand.
"""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import icalendar
import pytest

from conftest import GOLDEN, SENDER, run

REGISTER = "register.csv"  # relative: outputs name it, and no machine path may reach a golden file


@pytest.fixture(autouse=True)
def _in_golden_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(GOLDEN)


AS_OF = ["--as-of", "2026-11-29"]


@pytest.mark.parametrize(
    ("name", "args", "env"),
    [
        pytest.param("table-80.txt", ["due", "--all"], {"COLUMNS": "80"}, id="table-80"),
        pytest.param("table-120.txt", ["due", "--all"], {"COLUMNS": "120"}, id="table-120"),
        pytest.param("table-en.txt", ["due", "--lang", "en"], {"COLUMNS": "100"}, id="table-en"),
        pytest.param("due.csv", ["due", "--all", "-f", "csv"], {}, id="csv"),
        pytest.param("due-en.csv", ["due", "--all", "-f", "csv", "--lang", "en"], {}, id="csv-en"),
        pytest.param("due.json", ["due", "--all", "-f", "json"], {}, id="json"),
        pytest.param("calendar.ics", ["calendar"], {}, id="calendar"),
        pytest.param("stderr.txt", ["due", "-f", "json"], {}, id="stderr"),
        pytest.param("report.html", ["report"], {}, id="report"),
        pytest.param("report-en.html", ["report", "--lang", "en"], {}, id="report-en"),
    ],
)
def test_output_matches_golden(
    runner: Any, golden: Any, name: str, args: list[str], env: dict[str, str]
) -> None:
    result = run(runner, args[0], REGISTER, *args[1:], *AS_OF, env=env)
    assert result.exit_code == 0, result.stderr
    data = result.stderr_bytes if name == "stderr.txt" else result.stdout_bytes
    golden(name, data)


def test_calendar_matches_golden_after_parsing(runner: Any) -> None:
    """Beyond the bytes: the same events, read back by a real iCalendar parser."""
    result = run(runner, "calendar", REGISTER, *AS_OF)
    made = icalendar.Calendar.from_ical(result.stdout_bytes)
    kept = icalendar.Calendar.from_ical((GOLDEN / "calendar.ics").read_bytes())

    def summary(cal: icalendar.Calendar) -> list[tuple[str, str, str]]:
        return sorted(
            (str(e["UID"]), e.decoded("DTSTART").isoformat(), str(e["SUMMARY"]))
            for e in cal.walk("VEVENT")
        )

    assert summary(made) == summary(kept)
    assert len(summary(made)) > 0


def _stable(eml: bytes) -> bytes:
    """A mailed message with the headers that name the moment and a random id made fixed."""
    eml = re.sub(rb"(?m)^Date: .*\r\n", b"Date: (fixed)\r\n", eml)
    eml = re.sub(rb"(?m)^Message-ID: .*\r\n", b"Message-ID: (fixed)\r\n", eml)
    return re.sub(rb"===============\d+==", b"===============(fixed)==", eml)


def test_mail_message_matches_golden(runner: Any, golden: Any, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    env = {"RENEWAL_SMTP_HOST": "smtp.example.cn", "RENEWAL_MAIL_FROM": SENDER}
    result = run(
        runner,
        "mail",
        REGISTER,
        *AS_OF,
        "--to",
        "officer@example.cn",
        "--dry-run",
        str(outbox),
        env=env,
    )
    assert result.exit_code == 0, result.stderr
    (eml,) = sorted(outbox.glob("*.eml"))
    data = _stable(eml.read_bytes())
    golden("mail.eml", data)
    parsed = message_from_bytes(data, policy=policy.default)
    body = parsed.get_body(("plain",))
    assert body is not None and "已过1天" in body.get_content()


@pytest.mark.parametrize(
    ("status", "table", "csv_word"),
    [
        pytest.param("已逾期", "已过1天", "已逾期", id="late"),
        pytest.param("已申报", "已于 2026-11-20 申报", "已申报", id="filed"),
        pytest.param("已有新证", "新证 1245OP2500005", "已有新证", id="superseded"),
    ],
)
def test_every_output_says_the_same_words(status: str, table: str, csv_word: str) -> None:
    """One presentation: the golden table, CSV, calendar and mail word an item alike."""
    words = {name: (GOLDEN / name).read_text("utf-8") for name in ("table-120.txt", "due.csv")}
    assert status in words["table-120.txt"] and table in words["table-120.txt"]
    assert csv_word in words["due.csv"]
    mail = (GOLDEN / "mail.eml").read_bytes()
    body = message_from_bytes(mail, policy=policy.default).get_body(("plain",))
    assert body is not None
    if status == "已逾期":  # filed and superseded items are mailed only with --all
        assert table in body.get_content()
