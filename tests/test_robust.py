"""Robustness: a reader that leaves early, Ctrl-C and other signals, a register changed while it
is read, and fuzzed registers read by the library and written in every format.

The pipe, signal and change tests run `python -m renewal_cli` in a real process on registers
from benchmarks/bench_due.py (large enough that the output overflows a pipe's buffer, or that
reading takes seconds). Signals are sent once the child has the register open (seen in
/proc/PID/fd), so a slow machine never interrupts the interpreter while it is still importing.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import importlib
import io
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import icalendar
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import (
    CLEAN_ENV,
    SENT_SIGNALS,
    as_from_a_terminal,
    caught_signals,
    run,
    signals_ignored,
)
from renewal_cli.models import Certificate, Problem, ProblemCode, Severity
from renewal_cli.places import guangxi
from renewal_cli.policy import policy_for
from renewal_cli.register import Register, open_register
from renewal_cli.sources import Row, Rows

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
AS_OF = ["--as-of", "2024-06-01"]
LINUX = sys.platform.startswith("linux") and Path("/proc/self/fd").is_dir()
# C0 and C1 controls and DEL: no cell may keep one (README).
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What a crash, Python's own noise on a closed pipe, or the tool's catch-all would print.
NOISE = (
    "Traceback",
    "BrokenPipe",
    "Broken pipe",
    "Exception ignored",
    "KeyboardInterrupt",
    "出错了",
)


def make_register(rows: int) -> bytes:
    """A GB18030 register of `rows` rows from the benchmark (1 in 200 rows bad)."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    bench: Any = importlib.import_module("bench_due")
    return bytes(bench.make_register(rows))


@pytest.fixture(scope="module")
def piped_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 rows: about 650 KB of CSV out (and more of JSON, table or iCalendar), ten times a
    pipe's 64 KiB buffer, so renewal is still writing when the reader leaves."""
    path = tmp_path_factory.mktemp("piped") / "register.csv"
    path.write_bytes(make_register(2_000))
    return path


@pytest.fixture(scope="module")
def big_register() -> bytes:
    """100,000 rows (8 MB): reading takes several seconds."""
    return make_register(100_000)


@pytest.fixture(scope="module")
def changing_register() -> bytes:
    """25,000 rows (2 MB): read in a second or more, and to its end in a few."""
    return make_register(25_000)


def noise_in(stderr: str) -> list[str]:
    return [word for word in NOISE if word in stderr]


# --- 1. A reader that leaves early ---------------------------------------------------------------

PIPED = [
    pytest.param(["due", "--format", "csv"], "证书编号,企业名称", id="due-csv"),
    pytest.param(["due", "--format", "json"], "[", id="due-json"),
    pytest.param(["due"], "证书续展提醒", id="due-table"),
    pytest.param(["due", "--format", "csv", "-o", "-"], "证书编号,企业名称", id="due-csv-dash-o"),
    # One city (about 250 events, 250 KB): a calendar takes far longer to render than a table.
    pytest.param(
        ["calendar", "--city", "百色", "-o", "-"], "BEGIN:VCALENDAR", id="calendar-stdout"
    ),
]


def piped(tmp_path: Path, args: list[str], register: Path, reader: str) -> tuple[int, str, str]:
    """`renewal ARGS REGISTER --all | READER` in bash (pipefail off, as by default): the exit
    status of renewal itself (PIPESTATUS[0]), its stderr, and what the reader printed."""
    command = [sys.executable, "-m", "renewal_cli", *args, str(register), "--all", *AS_OF]
    err, code = tmp_path / "stderr.txt", tmp_path / "status.txt"
    script = (
        f"set +o pipefail; {shlex.join(command)} 2>{shlex.quote(str(err))} | {reader}; "
        f"echo ${{PIPESTATUS[0]}} >{shlex.quote(str(code))}"
    )
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, env=env, timeout=120, check=False
    )
    return (
        int(code.read_text().strip()),
        err.read_bytes().decode("utf-8", "replace"),
        done.stdout.decode("utf-8", "replace"),
    )


@pytest.mark.skipif(not LINUX, reason="a real pipe and bash")
@pytest.mark.parametrize(("args", "first"), PIPED)
def test_reader_that_leaves_after_one_line_ends_it_quietly(
    tmp_path: Path, piped_register: Path, args: list[str], first: str
) -> None:
    """`renewal … | head -1`: the reader leaves while renewal is still writing. renewal ends with
    status 0 and says nothing about it: no traceback, no "Broken pipe", no error line.

    Status 0 rather than 141 (death by SIGPIPE, as GNU tools do): a reader that has what it
    wanted is not a failure, and 141 would fail a `set -o pipefail` script for `| head`. Every
    format must behave alike, whether the output is written in one piece or in many."""
    code, stderr, shown = piped(tmp_path, args, piped_register, "head -1")
    assert first in shown, shown
    assert not noise_in(stderr), stderr[-2000:]
    assert "无法写入标准输出" not in stderr, stderr[-2000:]
    assert code == 0, stderr[-2000:]
    # stderr still ends with the count line.
    assert "行，" in stderr.strip().splitlines()[-1], stderr[-2000:]


@pytest.mark.skipif(not LINUX, reason="a real pipe and bash")
def test_reader_gone_before_any_output_is_treated_like_head(
    tmp_path: Path, piped_register: Path
) -> None:
    """`renewal … | true`: the reader has left before renewal writes a byte. Whether the reader
    leaves before or during the write is a race the user does not control, so the outcome must
    be the one of `| head -1`: status 0, nothing on stderr about it."""
    code, stderr, _ = piped(tmp_path, ["due", "--format", "csv"], piped_register, "true")
    assert not noise_in(stderr), stderr[-2000:]
    assert "无法写入标准输出" not in stderr, stderr[-2000:]
    assert code == 0, stderr[-2000:]


# --- 2. Ctrl-C and other signals -----------------------------------------------------------------


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str


def renewal_process(
    args: list[str],
    *,
    cwd: Path,
    stdin: IO[bytes] | None = None,
    env: dict[str, str] | None = None,
    out: IO[bytes],
    err: IO[bytes],
) -> subprocess.Popen[bytes]:
    base = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    return subprocess.Popen(
        [sys.executable, "-m", "renewal_cli", *args],
        cwd=cwd,
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
        stdout=out,
        stderr=err,
        env={**base, **(env or {})},
        preexec_fn=as_from_a_terminal,  # signalled as from a terminal, however pytest was started
    )


def wait_until_reading(process: subprocess.Popen[bytes], path: Path | None) -> None:
    """Until the child has `path` open (or, for None, has read from its stdin)."""
    deadline = time.monotonic() + 60
    target = os.path.realpath(path) if path is not None else None
    while time.monotonic() < deadline:
        assert process.poll() is None, "the command ended before it was interrupted"
        with contextlib.suppress(OSError):
            if target is None:
                info = Path(f"/proc/{process.pid}/fdinfo/0").read_text().split()
                if int(info[info.index("pos:") + 1]) > 0:
                    return
            else:
                fds = Path(f"/proc/{process.pid}/fd")
                if any(os.readlink(fd) == target for fd in fds.iterdir()):
                    return
        time.sleep(0.02)
    pytest.fail("the command never started reading its register")


def wait_until_partly_read(process: subprocess.Popen[bytes], path: Path, size: int) -> None:
    """Until the child has read some of `path` but not all of it (its file offset, from
    /proc/PID/fdinfo): a change then falls in the middle of the reading, however fast the
    reading is (a fixed delay let a faster reading reach the end first)."""
    deadline = time.monotonic() + 60
    target = os.path.realpath(path)
    while time.monotonic() < deadline:
        assert process.poll() is None, "the command ended before the change"
        with contextlib.suppress(OSError, ValueError):
            for fd in Path(f"/proc/{process.pid}/fd").iterdir():
                if os.readlink(fd) != target:
                    continue
                info = Path(f"/proc/{process.pid}/fdinfo/{fd.name}").read_text().split()
                position = int(info[info.index("pos:") + 1])
                assert position < size, "read to the end before the change"
                if position > 0:
                    return
        time.sleep(0.005)
    pytest.fail("the command never started reading its register")


def finish(process: subprocess.Popen[bytes], out: IO[bytes], err: IO[bytes]) -> Ran:
    try:
        code = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail("still running 60 s after the signal")
    out.seek(0)
    err.seek(0)
    return Ran(code, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def interrupted(
    args: list[str],
    *,
    cwd: Path,
    register: Path | None,
    stdin: IO[bytes] | None = None,
    env: dict[str, str] | None = None,
    sig: int = signal.SIGINT,
    after: float = 0.2,
) -> Ran:
    """Run renewal, and send `sig` `after` seconds into reading its register: soon, so that a
    reader many times faster than today's is still reading (exit 130, not 0, proves it was)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = renewal_process(args, cwd=cwd, stdin=stdin, env=env, out=out, err=err)
        wait_until_reading(process, register)
        time.sleep(after)
        assert process.poll() is None, "the command ended before it was interrupted"
        assert sig in caught_signals(process.pid), f"the child would not handle signal {sig}"
        process.send_signal(sig)
        return finish(process, out, err)


INTERRUPTED = [
    pytest.param(["due", "--format", "csv", "-o", "out.csv"], id="due-csv"),
    pytest.param(["due", "--format", "xlsx", "-o", "out.xlsx"], id="due-xlsx"),
    pytest.param(["due", "--format", "json", "-o", "out.json"], id="due-json"),
    pytest.param(["calendar", "-o", "out.ics"], id="calendar-file"),
    pytest.param(["calendar", "--split-by", "city", "-o", "calendars"], id="calendar-split"),
]


@pytest.mark.skipif(not LINUX, reason="/proc and POSIX signals")
@pytest.mark.parametrize("command", INTERRUPTED)
def test_ctrl_c_while_reading_leaves_nothing_behind(
    tmp_path: Path, big_register: bytes, command: list[str]
) -> None:
    """Ctrl-C while reading 100,000 rows: exit 130, no output file, no temporary file beside it,
    no traceback."""
    register = tmp_path / "register.csv"
    register.write_bytes(big_register)
    args = [command[0], str(register), "--all", *AS_OF, *command[1:]]
    ran = interrupted(args, cwd=tmp_path, register=register)
    assert ran.code == 130, ran.stderr[-2000:]
    assert not noise_in(ran.stderr), ran.stderr[-2000:]
    assert ran.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.csv"]


def processes_reading(path: Path) -> list[str]:
    """The processes whose command line names `path` (a reader left behind would)."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if entry.name.isdigit() and str(path).encode() in (entry / "cmdline").read_bytes():
                found.append(entry.name)
    return found


@pytest.mark.skipif(not LINUX, reason="/proc and POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_a_read_for_some_places_leaves_nothing_behind(
    tmp_path: Path, big_register: bytes, sig: int
) -> None:
    """--city on 100,000 rows, stopped while the rows of other places are read a run at a
    time: renewal exits as usual, writes nothing, and no process reads on."""
    register = tmp_path / "register.csv"
    register.write_bytes(big_register)
    args = ["due", str(register), "--city", "百色", *AS_OF, "--format", "csv", "-o", "out.csv"]
    ran = interrupted(args, cwd=tmp_path, register=register, sig=sig, after=0.05)
    assert ran.code in (130, 128 + signal.SIGTERM, -signal.SIGTERM), ran.stderr[-2000:]
    assert not noise_in(ran.stderr), ran.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.csv"]
    assert processes_reading(register) == []


STDIN_SIGNALS = [
    pytest.param(signal.SIGINT, (130,), id="SIGINT"),
    # Not Ctrl-C: `timeout`, systemd or a closed terminal. Dying of the signal or exiting
    # 128 + N are both conventional; leaving the spooled register in TMPDIR is not.
    pytest.param(signal.SIGTERM, (-signal.SIGTERM, 128 + signal.SIGTERM), id="SIGTERM"),
    pytest.param(signal.SIGHUP, (-signal.SIGHUP, 128 + signal.SIGHUP), id="SIGHUP"),
]


@pytest.mark.skipif(not LINUX, reason="/proc and POSIX signals")
@pytest.mark.parametrize(("sig", "codes"), STDIN_SIGNALS)
def test_signal_while_reading_stdin_leaves_no_temporary_file(
    tmp_path: Path, big_register: bytes, sig: int, codes: tuple[int, ...]
) -> None:
    """`renewal due - … -o OUT < REGISTER` stopped while reading: nothing is left in TMPDIR
    (the child's own, empty before) nor beside OUT."""
    source = tmp_path / "register.csv"
    source.write_bytes(big_register)
    temp, target = tmp_path / "tmp", tmp_path / "out"
    temp.mkdir()
    target.mkdir()
    args = ["due", "-", "--all", *AS_OF, "--format", "csv", "-o", str(target / "out.csv")]
    with source.open("rb") as given:
        ran = interrupted(
            args, cwd=target, register=None, stdin=given, env={"TMPDIR": str(temp)}, sig=sig
        )
    assert ran.code in codes, ran.stderr[-2000:]
    assert not noise_in(ran.stderr), ran.stderr[-2000:]
    assert list(temp.iterdir()) == [], "left in TMPDIR"
    assert list(target.iterdir()) == []


@pytest.mark.skipif(not LINUX, reason="/proc and POSIX signals")
def test_a_child_is_signalled_as_from_a_terminal_when_pytest_ignores_signals(
    tmp_path: Path,
) -> None:
    """Under `nohup` or `pytest &` in a script, pytest ignores SIGHUP or SIGINT, and a child
    started as it is would too: the Ctrl-C tests above would then fail (or, worse, test
    nothing). `renewal_process` starts the child with them at their defaults."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    read, write = os.pipe()
    with (
        open(read, "rb") as stdin,
        open(write, "wb") as held,  # open until the end: the run waits for more of stdin
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        held.write(make_register(20))
        held.flush()
        with signals_ignored():
            process = renewal_process(
                ["due", "-", *AS_OF],
                cwd=tmp_path,
                stdin=stdin,
                env={"TMPDIR": str(temp)},
                out=out,
                err=err,
            )
        deadline = time.monotonic() + 60
        while not list(temp.iterdir()):  # spooling stdin: its handlers are in place
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        assert set(SENT_SIGNALS) <= caught_signals(process.pid)
        process.send_signal(signal.SIGINT)
        ran = finish(process, out, err)
    assert ran.code == 130, ran.stderr[-2000:]
    assert not noise_in(ran.stderr), ran.stderr[-2000:]
    assert list(temp.iterdir()) == []


def test_stdin_run_leaves_tmpdir_empty(tmp_path: Path) -> None:
    """A run that ends normally on stdin removes what it spooled."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "renewal_cli", "due", "-", "--all", *AS_OF, "--format", "csv"],
        input=make_register(200),
        capture_output=True,
        env={**{k: v for k, v in os.environ.items() if k not in CLEAN_ENV}, "TMPDIR": str(temp)},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert list(temp.iterdir()) == []


WRITES = [
    pytest.param(["due", "--all", "--format", "csv"], "out.csv", id="due-csv"),
    pytest.param(["due", "--all", "--format", "json"], "out.json", id="due-json"),
    pytest.param(["due", "--all", "--format", "xlsx"], "out.xlsx", id="due-xlsx"),
    pytest.param(["calendar", "--all"], "out.ics", id="calendar-file"),
    pytest.param(
        ["calendar", "--all", "--split-by", "city"], "calendars/百色市.ics", id="calendar-split"
    ),
    pytest.param(["summary", "--format", "csv"], "out.csv", id="summary-csv"),
    pytest.param(["check", "--format", "csv"], "out.csv", id="check-csv"),
]


@pytest.mark.parametrize(("args", "name"), WRITES)
def test_ctrl_c_while_writing_keeps_the_old_file(
    tmp_path: Path,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    name: str,
) -> None:
    """Ctrl-C at the worst moment, between writing the new file and renaming it over the old
    (in os.fsync): exit 130, the old file as it was, no temporary file left."""
    register = tmp_path / "register.csv"
    register.write_bytes(make_register(50))
    old = tmp_path / name
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(b"old")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))

    def ctrl_c(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", ctrl_c)
    output = str(old.parent if "--split-by" in args else old)
    result = run(runner, args[0], str(register), *AS_OF, *args[1:], "-o", output)
    assert result.exit_code == 130, result.stderr
    assert old.read_bytes() == b"old"
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


# --- 3. A register changed while it is read ------------------------------------------------------


def cut_to_half(handle: IO[bytes], data: bytes) -> None:
    handle.truncate(len(data) // 2)


def cut_inside_a_character(handle: IO[bytes], data: bytes) -> None:
    """Cut after the first byte of a two- or four-byte GB18030 character past the middle."""
    at = data.index(b"\n", len(data) // 2) + 1
    while data[at] < 0x80:
        at += 1
    handle.truncate(at + 1)


def grow(handle: IO[bytes], data: bytes) -> None:
    handle.seek(0, io.SEEK_END)
    handle.write(data[data.index(b"\n") + 1 :][: len(data) // 4])


def rewrite_in_place(handle: IO[bytes], data: bytes) -> None:
    """The same size, other bytes: the last line's digits moved on by one."""
    start = data.rindex(b"\n", 0, len(data) - 1) + 1
    line = data[start:]
    handle.seek(start)
    handle.write(bytes(b + 1 if 0x30 <= b <= 0x38 else b for b in line))


CHANGES = [
    pytest.param(cut_to_half, id="cut-to-half"),
    pytest.param(cut_inside_a_character, id="cut-inside-a-character"),
    pytest.param(grow, id="grown"),
    pytest.param(rewrite_in_place, id="rewritten-same-size"),
]


@pytest.mark.skipif(not LINUX, reason="/proc")
@pytest.mark.parametrize("change", CHANGES)
def test_register_changed_while_read_is_a_clear_error(
    tmp_path: Path, changing_register: bytes, change: Callable[[IO[bytes], bytes], None]
) -> None:
    """A third of a second into reading (about half a second after the start), the register is
    cut short, grown or rewritten (WPS saving over it): exit 1 with a message naming the file,
    no output file, no traceback."""
    register = tmp_path / "register.csv"
    register.write_bytes(changing_register)
    args = ["due", str(register), "--all", *AS_OF, "--format", "csv", "-o", "out.csv"]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = renewal_process(args, cwd=tmp_path, out=out, err=err)
        wait_until_partly_read(process, register, len(changing_register))
        with register.open("r+b") as handle:
            change(handle, changing_register)
        ran = finish(process, out, err)
    assert not noise_in(ran.stderr), ran.stderr[-2000:]
    assert ran.code == 1, ran.stderr[-2000:]
    # A line about the file itself (not one of its rows, "… 第 N 行：…").
    lines = ran.stderr.splitlines()
    about_file = [line for line in lines if str(register) in line and " 第 " not in line]
    assert about_file, ran.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.csv"]


# --- 4. Fuzzed registers -------------------------------------------------------------------------

HEADERS = [
    [
        "证书编号",
        "企业名称",
        "产品名称",
        "认证类型",
        "市",
        "县区",
        "发证日期",
        "有效期至",
        "申报日期",
    ],
    ["序号", "证书编号", "企业名称", "产品名称", "类型", "地市", "县区", "颁证日期", "有效期"],
    ["cert_id", "enterprise", "product", "scheme", "city", "county", "issued_on", "expires_on"],
    ["证书编号", "产品编号", "企业名称", "产品名称", "认证类型", "县（市、区）", "证书有效期"],
]
TWO_ROW_HEADER = (
    ["证书编号", "企业名称", "产品名称", "认证类型", "所在地", "", "证书有效期", ""],
    ["", "", "", "", "市", "县区", "发证日期", "有效期至"],
)
VALID_CELLS = [
    "LB-45-21030512345A",
    "LB-45-21030512346A、LB-45-21030512347A",
    "1245OP2300004",
    "GF450000000001",
    "百色某农业公司",
    'A"B"公司',
    "芒果",
    "芒果、茶叶",
    "绿色食品",
    "有机农产品",
    "名特优新",
    "地理标志",
    "百色",
    "百色市",
    "Baise",
    "田阳区",
    "田阳县",
    "市本级",
    "南宁市",
    "2021-03-05",
    "2021/3/5",
    "2021年3月5日",
    "20210305",
    "2024.03.04",
    "2021.03.05-2024.03.04",
    "2024-03-04（已续展）",
    "2021-02-30",
    "0201-01-01",
    "44562",
    "",
    " ",
    "\u3000",
    "1",
    "合计",
    "制表人：张三",
    "=1+1",
    "@SUM(A1)",
]
SPECIAL = [
    '"',
    '""',
    ",",
    "\t",
    ";",
    "\n",
    "\r",
    "\r\n",
    "\x00",
    "\x1b[31m",
    "\x85",
    "\u2028",
    "\ufeff",
    "\u200b",
    "\u00a0",
    "甲",
    "𠀀",
    "€",
    "'",
    "\\",
]
text = st.text(st.characters(codec="utf-8"), max_size=8)
cells = st.one_of(
    st.sampled_from(VALID_CELLS),
    text,
    st.lists(st.sampled_from(SPECIAL + VALID_CELLS), max_size=4).map("".join),
)


@st.composite
def register_texts(draw: st.DrawFn) -> str:
    """A register's text: maybe title lines, a header (or not), rows of valid cells, junk,
    quotes, delimiters, line breaks, NUL and CJK, each row written by a CSV writer or joined
    raw (so its quotes are whatever they happen to be)."""
    delimiter = draw(st.sampled_from([",", "\t", ";"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines: list[list[str]] = draw(st.lists(st.lists(cells, max_size=3), max_size=2))
    header = draw(st.sampled_from([*HEADERS, None, TWO_ROW_HEADER]))
    if isinstance(header, tuple):
        lines += list(header)
    elif header is not None:
        lines.append(header)
    width = len(lines[-1]) if lines else 8
    good = ["LB-45-2103051234{}A", "百色甲公司", "芒果", "绿色食品", "百色", "田阳区"]
    for n, row in enumerate(draw(st.lists(st.none() | st.lists(cells, max_size=12), max_size=15))):
        if row is None:  # a row that reads whatever the header
            row = [good[0].format(n), *good[1:], "2021-03-05", "2024-03-04", ""][:width]
        lines.append(row)
    out = io.StringIO()
    for row in lines:
        if draw(st.booleans()):
            csv.writer(out, delimiter=delimiter, lineterminator=newline).writerow(row)
        else:
            out.write(delimiter.join(row) + newline)
    written = out.getvalue()
    return written if draw(st.booleans()) else written.rstrip("\r\n")


def encoded(value: str, how: str) -> bytes:
    if how == "mixed":  # the first half UTF-8, the rest GB18030: a file saved in two encodings
        half = len(value) // 2
        return value[:half].encode("utf-8") + value[half:].encode("gb18030")
    return value.encode(how)


ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "mixed"]


@st.composite
def register_bytes(draw: st.DrawFn) -> bytes:
    """Register text in one of the encodings, or that damaged, or bytes of no kind at all."""
    choice = draw(st.sampled_from(["text", "text", "text", "damaged", "binary"]))
    if choice == "binary":
        return draw(st.binary(max_size=600))
    data = encoded(draw(register_texts()), draw(st.sampled_from(ENCODINGS)))
    if choice == "damaged" and data:
        at = draw(st.integers(0, len(data)))
        junk = draw(st.binary(min_size=1, max_size=6))
        data = data[:at] + junk + data[at + draw(st.integers(0, 3)) :]
    return data


class Recording:
    """A register's source, passed through, keeping what it yields (and its line count)."""

    def __init__(self, source: Any) -> None:
        self.source = source
        self.yielded: list[Row | Problem] = []

    def __iter__(self) -> Iterator[Row | Rows | Problem]:
        for entry in self.source:
            if isinstance(entry, Rows):  # a run of one-line rows: each is a record
                lines = range(entry.line, entry.line + len(entry.cells))
                self.yielded += [
                    Row(n, n, cells) for n, cells in zip(lines, entry.cells, strict=True)
                ]
            else:
                self.yielded.append(entry)
            yield entry

    def __getattr__(self, name: str) -> Any:  # lines, numeric …
        return getattr(self.source, name)


def opened(source: Path | bytes) -> tuple[Register, Recording]:
    register = open_register(source, policy=policy_for(2024), places=guangxi(), name="fuzz.csv")
    recording = Recording(register.rows)
    register.rows = recording
    return register, recording


# Found by these tests: a BOM followed by bytes that do not decode (UTF-8, UTF-16).
BOM_THEN_JUNK = [codecs.BOM_UTF8 + b"\xaf\x81,x\n", codecs.BOM_UTF16_LE + b",\x00a"]


def known(test: Callable[..., None]) -> Callable[..., None]:
    for data in BOM_THEN_JUNK:
        test = example(data)(test)
    return test


def text_fields(certificate: Certificate) -> list[str]:
    """The text values of a certificate (a dataclass now, a pydantic model before)."""
    if dataclasses.is_dataclass(certificate):
        values = [getattr(certificate, f.name) for f in dataclasses.fields(certificate)]
    else:
        values = list(certificate.model_dump().values())
    return [value for value in values if isinstance(value, str)]


FUZZ = settings(
    max_examples=200,
    deadline=None,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@FUZZ
@given(register_bytes())
@known
def test_fuzzed_register_is_read_and_every_line_accounted(data: bytes) -> None:
    """No exception escapes the iteration, and the counts account for the file.

    Every physical line belongs to exactly one record the source yields (a Row spanning
    line..end_line, or a CELL_TOO_LARGE problem in place of one); every record is one title
    line, one header line, one blank row, one summary row or one data row (`rows`); and every
    data row gave certificates (one row may give several) or is counted in `problems`:

        lines == Σ spans
        records == title_lines + header_lines + blank + summary + rows
        rows == rows that gave certificates + problems

    `title_lines` and `header_lines` count records, not lines (a quoted title holding a line
    break is one title "line" on two lines), so `lines` equals the count line's figures plus
    the line breaks inside quoted cells.
    """
    register, recording = opened(data)
    entries = list(register)
    counts = register.counts
    problems = [e for e in entries if isinstance(e, Problem)]
    certificates = [e for e in entries if isinstance(e, Certificate)]
    fatal = [p for p in problems if p.fatal]
    if register.failed:
        # One file-level problem, the last thing read, and nothing after it.
        assert len(fatal) == 1 and entries[-1] is fatal[0], fatal
        return
    assert not fatal
    rows = [e for e in recording.yielded if isinstance(e, Row)]
    too_large = [
        e
        for e in recording.yielded
        if isinstance(e, Problem) and e.code is ProblemCode.CELL_TOO_LARGE
    ]
    spans = sum(r.end_line - r.line + 1 for r in rows) + sum(
        (p.end_line or p.line) - p.line + 1 for p in too_large
    )
    assert counts.lines == spans
    records = len(rows) + len(too_large)
    assert records == (
        counts.title_lines + counts.header_lines + counts.blank + counts.summary + counts.rows
    )
    certificate_rows = {c.line for c in certificates}
    error_rows = {p.line for p in problems if p.severity is Severity.ERROR}
    assert not certificate_rows & error_rows
    assert counts.rows == len(certificate_rows) + counts.problems
    assert counts.certificates == len(certificates) >= len(certificate_rows)
    # No control character (C0, C1, DEL) reaches a certificate.
    for certificate in certificates:
        for value in text_fields(certificate):
            assert not CONTROL.search(value), value


@FUZZ
@given(register_bytes())
@known
def test_fuzzed_register_reads_the_same_from_a_file_and_from_bytes(data: bytes) -> None:
    """The file path (read in a stream, stat checked) and bytes in memory (stdin) agree."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(data)
        from_bytes, _ = opened(data)
        read_from_bytes = list(from_bytes)
        from_file, _ = opened(path)
        assert list(from_file) == read_from_bytes
        assert from_file.counts == from_bytes.counts
        assert from_file.failed == from_bytes.failed


def csv_table(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(codecs.decode(data, "utf-8-sig"), newline="")))


@settings(
    max_examples=60,
    deadline=None,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(register_bytes())
@known
def test_fuzzed_register_gives_output_that_parses_back(data: bytes) -> None:
    """`renewal due` (CSV, JSON) and `renewal calendar` on the fuzzed register: exit 0, or 1
    with no output when it cannot be read; every output parses back (CSV rows as wide as its
    header, JSON, iCalendar). RENEWAL_DEBUG lets a crash through as the exception it is."""
    runner = CliRunner()
    env = {"RENEWAL_DEBUG": "1"}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(data)
        common = [str(path), "--all", *AS_OF]
        as_csv = run(runner, "due", *common, "--format", "csv", env=env)
        as_json = run(runner, "due", "-", "--all", *AS_OF, "--format", "json", env=env, input=data)
        ics = Path(folder) / "out.ics"
        as_ics = run(runner, "calendar", *common, "-o", str(ics), env=env)
        for result in (as_csv, as_json, as_ics):
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise result.exception
            assert result.exit_code in (0, 1), result.stderr
            assert "出错了" not in result.stderr
            # Nobody touched the file: a failure must not be blamed on a change while reading.
            assert "被改动" not in result.stderr, result.stderr
        assert as_csv.exit_code == as_json.exit_code == as_ics.exit_code, as_csv.stderr
        if as_csv.exit_code == 1:
            assert as_csv.stdout_bytes == as_json.stdout_bytes == b""
            assert not ics.exists()
            return
        table = csv_table(as_csv.stdout_bytes)
        assert table and len({len(row) for row in table}) == 1, table[:3]
        items = json.loads(as_json.stdout_bytes)
        assert isinstance(items, list) and len(items) == len(table) - 1
        calendar = icalendar.Calendar.from_ical(ics.read_bytes())
        assert calendar.name == "VCALENDAR"
        found = calendar.walk("VEVENT")
        # Every event the run counts is read back (a fuzzed register may well give none).
        assert f"已写入 {ics}（{len(found)} 个日历事件）" in as_ics.stderr, as_ics.stderr
        for event in found:
            assert event.get("UID") and event.get("DTSTART")
