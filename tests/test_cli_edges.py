"""Edges of the command line found in the field test (issue 7) and the output bytes (issue 6).

Formula cells and control characters in register text, unwritable stdout, Typer's own errors
in the user's language, `-o -`, TERM=dumb, help at 80 columns, per-file event counts, the count
line under --strict, shell completion, and stdout bytes equal to `-o` bytes.
Where a real file descriptor matters the command runs as `python -m renewal_cli`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pytest
import typer.main
from rich.cells import cell_len
from typer.testing import CliRunner

from conftest import CLEAN_ENV, events, run
from renewal_cli.cli import app
from renewal_cli.cli.emit import plain_output
from renewal_cli.cli.help import words
from renewal_cli.messages import Lang
from renewal_cli.models import RECORD_KEYS
from renewal_cli.places import guangxi
from renewal_cli.present import field_label

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
]
AS_OF = ["--as-of", "2024-06-01"]
# On AS_OF 2024-06-01 (green food: file by 3 months before expiry):
PENDING = ["P1", "百色甲公司", "芒果", "绿色食品", "百色", "田阳区", "2021-10-01", "2024-09-30", ""]
LATE = ["L1", "百色乙公司", "茶叶", "绿色食品", "百色", "右江区", "2021-07-26", "2024-07-25", ""]
EXPIRED = ["E1", "南宁丙公司", "大米", "绿色食品", "南宁", "横州市", "2021-05-01", "2024-04-30", ""]
FILED = [
    "F1",
    "百色丁公司",
    "沃柑",
    "绿色食品",
    "百色",
    "田东县",
    "2021-08-01",
    "2024-07-31",
    "2024-04-01",
]
BAD = ["B1", "某公司", "茶叶", "绿色食品", "百色", "田阳区", "2021/13/45", "", ""]
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
ENGLISH_LEAKS = ("Usage:", "Error", "Invalid", "No such", "Missing", "requires", "Got ", "Try ")


def write_register(path: Path, *rows: Sequence[str]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HEADER, *rows])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test process's environment without the user's settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    return {**env, **(extra or {})}


def renewal(
    *args: str, env: dict[str, str] | None = None, **options: object
) -> subprocess.CompletedProcess[bytes]:
    """`renewal ARGS` as a real process, never through PATH."""
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "renewal_cli", *args],
        capture_output="stdout" not in options,
        env=environment(env),
        check=False,
        timeout=60,
        **options,
    )


def csv_rows(data: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data)))


def cell(rows: list[list[str]], cert_id: str, key: str, lang: Lang = Lang.ZH) -> str:
    """The CSV cell of `key` in the row of certificate `cert_id` (ids are never neutralised
    here: they start with a letter)."""
    column = rows[0].index(field_label(key, lang))
    (row,) = [r for r in rows[1:] if r[0].lstrip("'") == cert_id]
    return row[column]


# --- Point 5: formula cells in CSV ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        pytest.param("enterprise", '=HYPERLINK("http://x.cn","点我")', None, id="hyperlink"),
        pytest.param("enterprise", "=1+1", None, id="equals"),
        pytest.param("product", "+86芒果", None, id="plus"),
        pytest.param("enterprise", "-1+1", None, id="minus"),
        pytest.param("product", "@SUM(A1:A9)", None, id="at"),
        pytest.param("product", "00123", "00123", id="leading-zeros-unchanged"),
        pytest.param("product", "3/4", "3/4", id="fraction-unchanged"),
        pytest.param("enterprise", "91451000MA5K123456", "91451000MA5K123456", id="credit-code"),
        pytest.param("enterprise", "百色=甲公司", "百色=甲公司", id="equals-inside-unchanged"),
    ],
)
def test_formula_cells_neutralised_in_csv_only(
    runner: CliRunner, tmp_path: Path, field: str, value: str, shown: str | None
) -> None:
    row = list(PENDING)
    row[HEADER.index("企业名称" if field == "enterprise" else "产品名称")] = value
    register = write_register(tmp_path / "r.csv", row)
    expected = "'" + value if shown is None else shown
    for lang in Lang:
        base = ["due", str(register), "-f", "csv", "--lang", lang.value, *AS_OF]
        stdout = run(runner, *base)
        assert stdout.exit_code == 0, stdout.stderr
        assert cell(csv_rows(stdout.stdout), "P1", field, lang) == expected
        out = tmp_path / f"due-{lang.value}.csv"
        written = run(runner, *base, "-o", str(out))
        assert written.exit_code == 0, written.stderr
        data = out.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        assert cell(csv_rows(data[3:].decode("utf-8")), "P1", field, lang) == expected
        raw = run(runner, *base, "--raw")
        assert raw.exit_code == 0, raw.stderr
        assert cell(csv_rows(raw.stdout), "P1", field, lang) == value
    as_json = run(runner, "due", str(register), "-f", "json", *AS_OF)
    (item,) = json.loads(as_json.stdout)
    assert item[field] == value  # JSON stays raw


@pytest.mark.parametrize(
    ("row", "cert_id", "days_left", "status"),
    [
        pytest.param(LATE, "L1", -37, "已逾期", id="late-minus-37"),
        pytest.param(EXPIRED, "E1", -123, "已过期", id="expired-negative"),
        pytest.param(PENDING, "P1", 29, "待申报", id="pending-positive"),
        pytest.param(
            ["123456789012345678", *PENDING[1:]], "123456789012345678", 29, "待申报", id="18-digits"
        ),
    ],
)
@pytest.mark.parametrize("raw", [False, True], ids=["neutralised", "raw"])
def test_days_left_and_numeric_codes_stay_as_they_are(
    runner: CliRunner,
    tmp_path: Path,
    row: list[str],
    cert_id: str,
    days_left: int,
    status: str,
    raw: bool,
) -> None:
    register = write_register(tmp_path / "r.csv", row)
    renewals = ["--all", "--kind", "renewal"]  # a valid green certificate is inspected too
    args = ["due", str(register), *renewals, "-f", "csv", *AS_OF, *(["--raw"] if raw else [])]
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr
    rows = csv_rows(result.stdout)
    assert cell(rows, cert_id, "days_left") == str(days_left)
    assert cell(rows, cert_id, "cert_id") == cert_id
    assert cell(rows, cert_id, "status") == status
    listed = run(runner, "due", str(register), *renewals, "-f", "json", *AS_OF)
    (item,) = json.loads(listed.stdout)
    assert item["days_left"] == days_left and item["cert_id"] == cert_id


# --- Point 6: control characters never reach an output ---------------------------------------

CONTROLS = [
    pytest.param("百色\x1b[31m红\x1b[0m公司", id="esc-colour"),
    pytest.param("百色\x00公司", id="nul"),
    pytest.param("百色\x9b2J公司", id="c1-csi"),
    pytest.param("百色\x1b]0;title\x07公司", id="osc-bel"),
    pytest.param("百色\x7f\x08公司", id="del-backspace"),
    pytest.param("百色\x85\x1b公司\x1b", id="nel-and-trailing-esc"),
]


def controls_in(data: str) -> list[str]:
    """Control characters other than the line ends each format uses."""
    return [hex(ord(ch)) for ch in data if unicodedata.category(ch) == "Cc" and ch not in "\r\n"]


@pytest.fixture(scope="module")
def control_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every output of one register holding every case of CONTROLS (certificate C0, C1, …, in
    that order, each with a product holding an escape too), each made once by a real process:
    five runs for all the cases, not five for each."""
    folder = tmp_path_factory.mktemp("controls")
    rows = []
    for number, case in enumerate(CONTROLS):
        row = list(PENDING)
        row[0], row[1], row[2] = f"C{number}", str(case.values[0]), "芒\x1b[2J果"
        rows.append(row)
    register = write_register(folder / "r.csv", *rows)
    outputs: dict[str, bytes] = {}
    for name, args in {
        "table": ["due", "-f", "table", *AS_OF],
        "csv": ["due", "-f", "csv", *AS_OF],
        "json": ["due", "-f", "json", *AS_OF],
        "ics": ["calendar", "--as-of", "2024-05-01"],
    }.items():
        done = renewal(*args, str(register))
        assert done.returncode == 0, done.stderr.decode()
        outputs[name] = done.stdout
        assert controls_in(done.stderr.decode("utf-8")) == []
    # stdout and -o carry the same CSV, apart from the BOM.
    out = folder / "due.csv"
    written = renewal("due", str(register), "-f", "csv", "-o", str(out), *AS_OF)
    assert written.returncode == 0 and written.stdout == b""
    outputs["csv-file"] = out.read_bytes()
    return outputs


@pytest.mark.parametrize(
    ("number", "holder"),
    [pytest.param(n, case.values[0], id=case.id) for n, case in enumerate(CONTROLS)],
)
def test_control_characters_are_removed_from_every_output(
    control_outputs: dict[str, bytes], number: int, holder: str
) -> None:
    cert_id = f"C{number}"
    cleaned = "".join(ch for ch in holder if unicodedata.category(ch) != "Cc")
    for name, data in control_outputs.items():
        decoded = data.decode("utf-8")
        assert controls_in(decoded) == [], name
        assert "\x1b" not in decoded and "\x00" not in decoded, name
    (item,) = [i for i in json.loads(control_outputs["json"]) if i["cert_id"] == cert_id]
    assert item["enterprise"] == cleaned and item["product"] == "芒[2J果"
    assert cleaned in control_outputs["table"].decode()
    assert cell(csv_rows(control_outputs["csv"].decode()), cert_id, "enterprise") == cleaned
    # On 2024-05-01 (file by 06-30): 30 and 7 days before, and the day.
    mine = [
        e
        for e in events(control_outputs["ics"])
        if f"证书编号：{cert_id}\n" in str(e["DESCRIPTION"])
    ]
    assert len(mine) == 3 and all(cleaned in str(e["SUMMARY"]) for e in mine)
    assert control_outputs["csv-file"] == b"\xef\xbb\xbf" + control_outputs["csv"]


# --- Point 7: an unwritable stdout is an output error -------------------------------------------

UNWRITABLE = [
    pytest.param(["due", "-f", "table"], id="table"),
    pytest.param(["due", "-f", "csv"], id="csv"),
    pytest.param(["due", "-f", "json"], id="json"),
    pytest.param(["due", "-f", "json", "-o", "-"], id="json-dash"),
    pytest.param(["calendar"], id="calendar"),
    pytest.param(["--version"], id="version"),
    pytest.param(["due", "--help"], id="help"),
]


def closed_stdout(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """Run with fd 1 closed, as `renewal ... >&-` does (DEVNULL would be an open file)."""
    return subprocess.run(
        ["bash", "-c", 'exec "$@" >&-', "bash", sys.executable, "-m", "renewal_cli", *args],
        capture_output=False,
        stderr=subprocess.PIPE,
        env=environment(env),
        check=False,
        timeout=60,
    )


def full_disk(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """Run with stdout on /dev/full, where every write fails with ENOSPC."""
    with open("/dev/full", "wb") as full:
        return subprocess.run(
            [sys.executable, "-m", "renewal_cli", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            env=environment(env),
            check=False,
            timeout=60,
        )


@pytest.mark.skipif(not Path("/dev/full").exists() or not shutil.which("bash"), reason="Linux")
@pytest.mark.parametrize("how", [closed_stdout, full_disk], ids=["closed", "dev-full"])
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        pytest.param("zh", "无法写入标准输出：", id="zh"),
        pytest.param("en", "cannot write to standard output: ", id="en"),
    ],
)
@pytest.mark.parametrize("args", UNWRITABLE)
def test_unwritable_stdout_is_an_output_error(
    tmp_path: Path, how: object, lang: str, said: str, args: list[str]
) -> None:
    register = write_register(tmp_path / "r.csv", PENDING, LATE)
    full = [*args, str(register), *AS_OF] if args[0] in ("due", "calendar") else list(args)
    if "--help" in full:
        full = args
    done = how(full, {"RENEWAL_LANG": lang})  # type: ignore[operator]
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 1, stderr
    assert "Traceback" not in stderr and "出错了" not in stderr and "went wrong" not in stderr
    (line,) = [line for line in stderr.splitlines() if line.startswith(said)]
    reason = line.removeprefix(said)
    assert reason
    if lang == "zh":  # the reason in Chinese too, not the system's English words
        assert not re.search(r"[A-Za-z]{3,}", reason), line
    else:
        assert not CJK.search(line), line


# --- Point 8: Typer's own errors in the user's language ------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "zh", "en"),
    [
        pytest.param(
            ["--within", "abc"],
            2,
            "--within 的值“abc”不是整数",
            "--within 'abc' is not a whole number",
            id="within-not-integer",
        ),
        pytest.param(
            ["--plan-year", "二〇二四"],
            2,
            "--plan-year 的值“二〇二四”不是整数",
            "--plan-year '二〇二四' is not a whole number",
            id="plan-year-not-integer",
        ),
        pytest.param(
            ["--bogus"], 2, "没有这个选项：--bogus", "no such option: --bogus", id="unknown-option"
        ),
        pytest.param(
            ["--within"],
            2,
            "选项 --within 需要一个值",
            "option --within needs a value",
            id="no-value",
        ),
        pytest.param(["-o"], 2, "选项 -o 需要一个值", "option -o needs a value", id="no-output"),
        # A second file is a second register (issue 9): one that does not exist is reported.
        pytest.param(
            ["extra"],
            1,
            "找不到台账文件：extra",
            "register file not found: extra",
            id="extra-argument",
        ),
        pytest.param(
            ["-o", "/etc/passwd/x"],
            1,
            "无法写入 /etc/passwd/x：",
            "cannot write /etc/passwd/x: ",
            id="output-under-a-file",
        ),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_usage_errors_in_the_users_language(
    tmp_path: Path, args: list[str], code: int, zh: str, en: str, lang: str
) -> None:
    register = write_register(tmp_path / "r.csv", PENDING)
    # --lang first: an option left without a value must be the last argument.
    done = renewal("due", str(register), "--lang", lang, *AS_OF, *args)
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == code, stderr
    assert done.stdout == b""
    assert (zh if lang == "zh" else en) in stderr
    assert "Traceback" not in stderr and "出错了" not in stderr
    assert not any(leak in stderr for leak in ENGLISH_LEAKS), stderr
    if lang == "en":
        assert not CJK.search(stderr.replace(en, "")), stderr
    else:
        assert CJK.search(stderr)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unknown_command_in_the_users_language(lang: str) -> None:
    done = renewal("dew", "--lang", lang)
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 2 and done.stdout == b""
    expected = "没有这个命令：dew" if lang == "zh" else "no such command: dew"
    assert expected in stderr and "due" in stderr
    assert not any(leak in stderr for leak in ENGLISH_LEAKS), stderr


def test_permission_denied_on_output_in_chinese(tmp_path: Path) -> None:
    register = write_register(tmp_path / "r.csv", PENDING)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as root: a read-only folder is still writable")
        done = renewal("due", str(register), "-o", str(locked / "due.csv"), *AS_OF)
    finally:
        locked.chmod(0o755)
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 1
    assert f"无法写入 {locked / 'due.csv'}：" in stderr
    assert "Permission denied" not in stderr and "Traceback" not in stderr
    assert list(locked.iterdir()) == []


@pytest.mark.parametrize(
    ("lang", "statuses", "absent"),
    [
        pytest.param("zh", "已逾期、已过期", ("late", "expired", "pending"), id="zh"),
        pytest.param("en", "late, expired", ("已逾期", "已过期"), id="en"),
    ],
)
def test_fail_on_names_statuses_in_the_users_language(
    runner: CliRunner, tmp_path: Path, lang: str, statuses: str, absent: tuple[str, ...]
) -> None:
    register = write_register(tmp_path / "r.csv", PENDING, LATE, EXPIRED)
    result = run(
        runner,
        "due",
        str(register),
        "-f",
        "json",
        "--fail-on",
        "late,expired,filed",
        "--lang",
        lang,
        *AS_OF,
    )
    assert result.exit_code == 3, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if "--fail-on" in line]
    assert statuses in line
    assert not any(word in line for word in absent), line


# --- Point 17: -o - is stdout ------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["due", "-f", "csv"], id="csv"),
        pytest.param(["due", "-f", "json"], id="json"),
        pytest.param(["due", "-f", "table"], id="table"),
        pytest.param(["calendar"], id="calendar"),
    ],
)
def test_dash_output_is_stdout(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    register = write_register(tmp_path / "r.csv", PENDING, LATE)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    plain = run(runner, *args, str(register), *AS_OF)
    dashed = run(runner, *args, str(register), "-o", "-", *AS_OF)
    assert plain.exit_code == dashed.exit_code == 0, dashed.stderr
    assert dashed.stdout_bytes == plain.stdout_bytes and dashed.stdout_bytes
    assert not dashed.stdout_bytes.startswith(b"\xef\xbb\xbf")
    assert list(work.iterdir()) == []
    assert "已写入" not in dashed.stderr


# --- Point 18: TERM=dumb is plain --------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "plain"),
    [
        pytest.param({}, False, id="nothing-set"),
        pytest.param({"TERM": "xterm-256color"}, False, id="xterm"),
        pytest.param({"TERM": "dumb"}, True, id="dumb"),
        pytest.param({"NO_COLOR": "1"}, True, id="no-color"),
        pytest.param({"NO_COLOR": ""}, False, id="empty-no-color-does-not-count"),
        pytest.param({"TERM": "dumb", "NO_COLOR": ""}, True, id="dumb-empty-no-color"),
    ],
)
def test_plain_output_helper(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], plain: bool
) -> None:
    monkeypatch.delenv("TERM", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert plain_output() is plain


@pytest.mark.skipif(shutil.which("script") is None, reason="needs util-linux script for a tty")
@pytest.mark.parametrize(
    ("env", "coloured"),
    [
        pytest.param({"TERM": "xterm"}, True, id="xterm-coloured"),
        pytest.param({"TERM": "dumb"}, False, id="dumb-plain"),
        pytest.param({"TERM": "xterm", "NO_COLOR": "1"}, False, id="no-color-plain"),
    ],
)
def test_term_dumb_on_a_terminal_is_plain(
    tmp_path: Path, env: dict[str, str], coloured: bool
) -> None:
    register = write_register(tmp_path / "r.csv", PENDING, LATE)
    command = shlex.join([sys.executable, "-m", "renewal_cli", "due", str(register), *AS_OF])
    done = subprocess.run(
        ["script", "-qec", command, "/dev/null"],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env=environment({"COLUMNS": "120", **env}),
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    output = done.stdout.decode("utf-8")
    assert "百色甲公司" in output and "待申报" in output  # it ran, on a terminal
    assert ("\x1b[" in output) is coloured


# --- Point 19: help at 80 columns --------------------------------------------------------------


def description_column(screen: str) -> str:
    """The help texts as shown: the last column of every boxed line, joined."""
    pieces = []
    for line in screen.splitlines():
        inner = line.strip()
        if inner.startswith("│") and inner.endswith("│"):
            content = inner[1:-1].strip()
            if content:
                pieces.append(re.split(r"\s{2,}", content)[-1])
    return "".join(pieces)


def squeeze(value: str) -> str:
    return re.sub(r"\s+", "", value)


COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


def help_screen(command: list[str], columns: str) -> str:
    """`renewal COMMAND --help` in-process, with COLUMNS and TERM=dumb."""
    result = run(CliRunner(), *command, "--help", env={"COLUMNS": columns, "TERM": "dumb"})
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


@pytest.mark.parametrize(
    ("command", "columns"),
    [pytest.param([], "80", id="root-80"), pytest.param(["due"], "200", id="due-200")],
)
def test_help_of_a_real_process_is_the_help_checked_in_process(
    command: list[str], columns: str
) -> None:
    """The help screens are checked in-process below (a process each took 20 of them 34 s);
    the `renewal` command itself (a process of its own, reading COLUMNS and TERM as it starts)
    prints the very same bytes."""
    started_as_renewal = (
        "import sys; sys.argv[0] = 'renewal'; from renewal_cli.cli import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", started_as_renewal, *command, "--help"],
        capture_output=True,
        env=environment({"COLUMNS": columns, "TERM": "dumb"}),
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == help_screen(command, columns)


@pytest.mark.parametrize("columns", ["80", "200"])
@pytest.mark.parametrize("command", [[], *([name] for name in sorted(COMMANDS))], ids=str)
def test_help_fits_80_columns_without_losing_words(columns: str, command: list[str]) -> None:
    screen = help_screen(command, columns)
    assert screen.strip()
    widths = {line: cell_len(line) for line in screen.splitlines()}
    assert max(widths.values()) <= 80, [line for line, w in widths.items() if w > 80]
    target = typer.main.get_command(app)
    if command:
        target = COMMANDS[command[0]]
    unmetered = screen
    metavars = {getattr(param, "metavar", None) or "" for param in target.params}
    for metavar in sorted(metavars, key=len, reverse=True):  # "DAYS,…" says "…" on purpose
        unmetered = unmetered.replace(metavar, "") if metavar else unmetered
    assert "…" not in unmetered
    assert not re.search(r"<(bool|str|int|text|path|integer)>", screen, re.IGNORECASE)
    shown = squeeze(description_column(screen))
    whole = squeeze(screen)
    # The help texts are message ids, shown in Chinese by default (cli/help.py).
    command_help = words(target.help, Lang.ZH)
    assert command_help and squeeze(command_help.split("\n\n")[0]) in whole
    for param in target.params:
        help_text = words(getattr(param, "help", None), Lang.ZH)
        if help_text and getattr(param, "hidden", False):  # notify --rate-window, for tests
            assert squeeze(help_text) not in whole, (param.name, help_text)
        elif help_text:
            assert squeeze(help_text) in shown, (param.name, help_text)


# --- Point 20: calendar --split-by counts events per file -----------------------------------------


@pytest.mark.parametrize(
    ("lang", "template"),
    [
        pytest.param("zh", "已写入 {path}（{count} 个日历事件）", id="zh"),
        pytest.param("en", "wrote {path} ({count} {events})", id="en"),
    ],
)
def test_split_by_county_reports_events_per_file(
    runner: CliRunner, tmp_path: Path, lang: str, template: str
) -> None:
    register = write_register(tmp_path / "r.csv", PENDING, LATE, EXPIRED)
    out = tmp_path / "calendars"
    result = run(
        runner,
        "calendar",
        str(register),
        "--split-by",
        "county",
        "-o",
        str(out),
        "--kind",
        "renewal",
        "--lang",
        lang,
        *AS_OF,
    )
    assert result.exit_code == 0, result.stderr
    files = sorted(out.iterdir())
    assert [f.name for f in files] == sorted(["田阳区.ics", "右江区.ics", "横州市.ics"])
    counts = {f.name: len(events(f.read_bytes())) for f in files}
    # Pending on AS_OF 2024-06-01, file by 06-30: reminders 30 days before (passed) and 7 days
    # before, then the day itself. Late: one event. Expired: none, but the file is written.
    assert counts == {"田阳区.ics": 2, "右江区.ics": 1, "横州市.ics": 0}
    for f in files:
        events_word = "event" if counts[f.name] == 1 else "events"  # "1 event", "2 events"
        said = template.format(path=f, count=counts[f.name], events=events_word)
        assert said in result.stderr.splitlines()


# --- Point 23: under --strict the count line is the last line of stderr ---------------------------


@pytest.mark.parametrize(
    ("args", "lang", "last"),
    [
        pytest.param(
            ["due", "-f", "json"],
            "zh",
            "{r}：2 行，1 个证书，1 行有问题；另有表头 1 行（文件共 3 行）",
            id="due-zh",
        ),
        pytest.param(
            ["due", "-f", "csv", "-o", "{out}"],
            "en",
            "{r}: 2 rows: 1 certificate, 1 problem; also 1 header line (3 lines in the file)",
            id="due-output-en",
        ),
        pytest.param(
            ["calendar", "-o", "{out}"],
            "zh",
            "{r}：2 行，1 个证书，1 行有问题；另有表头 1 行（文件共 3 行）",
            id="calendar-zh",
        ),
        pytest.param(
            ["due", "--fail-on", "pending"],
            "zh",
            "{r}：2 行，1 个证书，1 行有问题；另有表头 1 行（文件共 3 行）",
            id="with-fail-on",
        ),
    ],
)
def test_strict_count_line_is_last(
    runner: CliRunner, tmp_path: Path, args: list[str], lang: str, last: str
) -> None:
    register = write_register(tmp_path / "r.csv", PENDING, BAD)
    out = tmp_path / "out.file"
    filled = [a.format(out=out) for a in args]
    result = run(runner, *filled, str(register), "--strict", "--lang", lang, *AS_OF)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == last.format(r=register)
    assert any("--strict" in line for line in lines[:-1])
    assert any("2021/13/45" in line for line in lines[:-1])
    assert result.stdout == "" and not out.exists()


# --- Point 24: shell completion ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        pytest.param("bash", "complete -o default -F _renewal_completion renewal", id="bash"),
        pytest.param("zsh", "#compdef renewal", id="zsh"),
    ],
)
def test_show_completion_script(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, shell: str, marker: str
) -> None:
    # The shell named on the command line, not the one that runs pytest.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = runner.invoke(app, ["--show-completion", shell], prog_name="renewal")
    assert result.exit_code == 0, result.output
    assert marker in result.stdout
    assert "_RENEWAL_COMPLETE=complete_" + shell in result.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_show_completion_detects_bash(tmp_path: Path) -> None:
    code = "from renewal_cli.cli import app; app(prog_name='renewal')"
    # `; exit` keeps bash as python's parent, where Typer looks for the shell.
    done = subprocess.run(
        ["bash", "-c", '"$@"; exit $?', "bash", sys.executable, "-c", code, "--show-completion"],
        capture_output=True,
        env=environment(),
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert b"_RENEWAL_COMPLETE=complete_bash" in done.stdout


BAISE_COUNTIES = sorted(c.name for c in guangxi().counties.values() if c.city == "百色市")


def complete(runner: CliRunner, words: str, shell: str = "bash") -> list[str]:
    """What the shell would offer after `words` (a trailing space: a new, empty word)."""
    if shell == "bash":
        env = {
            "_RENEWAL_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split(" ")) - 1),
        }
    else:
        env = {"_RENEWAL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words}
    result = runner.invoke(app, [], prog_name="renewal", env={**CLEAN_ENV, **env})
    assert result.exit_code == 0, result.output
    if shell == "bash":
        return [line for line in result.stdout.split("\n") if line]
    return re.findall(r'"([^"]+)"', result.stdout)


@pytest.mark.parametrize("shell", ["bash", "zsh"])
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        pytest.param("renewal due --city 百", ["百色", "百色市"], id="city-prefix"),
        pytest.param("renewal calendar --city 河", ["河池", "河池市"], id="city-calendar"),
        pytest.param(
            "renewal due --city 百色 --county 田", ["田东县", "田林县", "田阳区"], id="county"
        ),
        pytest.param("renewal due --city 百色 --county ", BAISE_COUNTIES, id="county-empty"),
        pytest.param("renewal due --city 百色市 --county 横", [], id="county-other-city"),
        pytest.param("renewal mail --city 南宁 --county 横", ["横州市"], id="county-mail"),
    ],
)
def test_completion_of_places(
    runner: CliRunner, shell: str, words: str, expected: list[str]
) -> None:
    assert sorted(complete(runner, words, shell)) == sorted(expected)


def test_county_completion_without_city_offers_every_county(runner: CliRunner) -> None:
    offered = complete(runner, "renewal due --county 田")
    assert {"田阳区", "田东县", "田林县"} <= set(offered)
    assert all(name.startswith("田") for name in offered)
    assert set(offered) <= {c.name for c in guangxi().counties.values()}


# --- Issue 6 point 7: stdout bytes are -o bytes, minus the BOM ------------------------------------


@pytest.mark.parametrize(
    ("args", "bom"),
    [
        pytest.param(["due", "-f", "csv"], True, id="csv-zh"),
        pytest.param(["due", "-f", "csv", "--lang", "en"], True, id="csv-en"),
        pytest.param(["due", "-f", "csv", "--raw"], True, id="csv-raw"),
        pytest.param(["due", "-f", "json"], False, id="json"),
        pytest.param(["due", "-f", "table"], False, id="table"),
        pytest.param(["calendar"], False, id="calendar"),
    ],
)
def test_stdout_bytes_equal_output_file_bytes(tmp_path: Path, args: list[str], bom: bool) -> None:
    holder = '=HYPERLINK("http://x")\x1b[31m百色\u3000甲公司'
    register = write_register(tmp_path / "r.csv", [*PENDING[:1], holder, *PENDING[2:]], LATE)
    out = tmp_path / "out.file"
    piped = renewal(*args, str(register), *AS_OF)
    written = renewal(*args, str(register), "-o", str(out), *AS_OF)
    assert piped.returncode == written.returncode == 0, piped.stderr + written.stderr
    assert written.stdout == b"" and piped.stdout
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") is bom
    assert data.removeprefix(b"\xef\xbb\xbf") == piped.stdout


@pytest.mark.parametrize(
    ("extra", "plan_year"),
    [
        pytest.param([], 2024, id="as-of-year"),
        pytest.param(["--plan-year", "2025"], 2025, id="plan-year-given"),
    ],
)
def test_json_items_carry_kind_as_of_and_plan_year(
    runner: CliRunner, tmp_path: Path, extra: list[str], plan_year: int
) -> None:
    register = write_register(tmp_path / "r.csv", PENDING, LATE, EXPIRED, FILED)
    result = run(runner, "due", str(register), "--all", "-f", "json", *AS_OF, *extra)
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    # One renewal each, and an annual inspection for each certificate still valid (issue 8).
    assert sorted((item["cert_id"], item["kind"]) for item in items) == [
        ("E1", "renewal"),
        ("F1", "annual_inspection"),
        ("F1", "renewal"),
        ("L1", "annual_inspection"),
        ("L1", "renewal"),
        ("P1", "annual_inspection"),
        ("P1", "renewal"),
    ]
    for item in items:
        assert tuple(item) == RECORD_KEYS
        assert item["as_of"] == "2024-06-01"
        assert item["plan_year"] == plan_year
        assert item["superseded_by"] is None
        assert item["certifier"] is None
