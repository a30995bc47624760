"""Issue 18 at the command line: what the tool is given and where it writes, as cron meets them.

`-o` and folders of output on a device node, a FIFO and symlinks (made in tmp_path, never the
real /dev); registers that are pipes, FIFOs and /dev/stdin, spooled once under a size limit and
stopped by Ctrl-C at any point; at most 200 problem lines per file; --as-of and --remind
ranges; the events a calendar counts; --strict and an oversized quoted cell; file names and
options that do not decode. Where a real file descriptor matters the command runs as
`python -m renewal_cli`, and every stream it reads is bounded (`head -c`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import select
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CLEAN_ENV, as_from_a_terminal, caught_signals, events, run, signals_ignored
from renewal_cli.errors import UsageError
from renewal_cli.files import size_text
from renewal_cli.request import DEFAULT_MAX_INPUT, max_input

HEADER = ["证书编号", "企业名称", "产品名称", "认证类型", "市", "县区", "发证日期", "有效期至"]
AS_OF = ["--as-of", "2024-06-01"]
# On 2024-06-01: pending (file by 2024-06-30) and late (file by 2024-04-25).
PENDING = ["P1", "百色甲公司", "芒果", "绿色食品", "百色", "田阳区", "2021-10-01", "2024-09-30"]
LATE = ["L1", "南宁乙公司", "茶叶", "绿色食品", "南宁", "横州市", "2021-07-26", "2024-07-25"]
NULL = os.makedev(1, 3)


def register_bytes(*rows: Sequence[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HEADER, *rows])
    return out.getvalue().encode("utf-8")


def write_register(path: Path, *rows: Sequence[str]) -> Path:
    path.write_bytes(register_bytes(*(rows or (PENDING, LATE))))
    return path


def environment(tmp: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test's environment without the user's settings, TMPDIR in the test's folder (so a
    spool left behind is seen), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    return {**env, "TMPDIR": str(tmp), **(extra or {})}


def start(
    args: Sequence[str | bytes], tmp: Path, env: dict[str, str] | None = None, **options: object
) -> subprocess.Popen[bytes]:
    """`renewal ARGS` as a real process (its own session, so a test can stop all of it)."""
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "renewal_cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(tmp, env),
        start_new_session=True,
        preexec_fn=as_from_a_terminal,  # signalled as from a terminal, however pytest was started
        **options,
    )


@contextmanager
def stopped(process: subprocess.Popen[bytes]) -> Iterator[subprocess.Popen[bytes]]:
    """The process, killed with its whole session if the block ends with it still running (a
    failed assertion never leaves a run waiting on a FIFO)."""
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()


def finish(process: subprocess.Popen[bytes], timeout: float = 60) -> tuple[int, bytes, str]:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"still running after {timeout} s")
    return process.returncode, out, err.decode("utf-8", "replace")


def renewal(
    *args: str | bytes,
    tmp: Path,
    env: dict[str, str] | None = None,
    input: bytes | None = None,
    **options: object,
) -> tuple[int, bytes, str]:
    if input is None:
        return finish(start(args, tmp, env, **options))
    with stopped(start(args, tmp, env, stdin=subprocess.PIPE, **options)) as process:
        out, err = process.communicate(input, timeout=60)
    return process.returncode, out, err.decode("utf-8", "replace")


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    """An empty folder that is the run's TMPDIR."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def device(path: Path) -> Path:
    """A /dev/null node (1, 3) at `path`, in the test's folder; skipped without root."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, NULL)
    except PermissionError:
        pytest.skip("making a device node needs root (CAP_MKNOD)")
    return path


@contextmanager
def fifo_reader(path: Path) -> Iterator[list[bytes]]:
    """Read the FIFO at `path` in a thread while the block runs (giving up after 30 s)."""
    got: list[bytes] = []

    def read() -> None:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            os.set_blocking(fd, True)
            while select.select([fd], [], [], 30)[0] and (chunk := os.read(fd, 1 << 16)):
                got.append(chunk)
        finally:
            os.close(fd)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    yield got
    thread.join(30)
    assert not thread.is_alive()


@contextmanager
def fifo_writer(path: Path, data: bytes, *, hold: bool = False) -> Iterator[None]:
    """Write `data` into the FIFO at `path` from a thread; with `hold`, keep it open (no end
    of file) until the block ends."""
    done = threading.Event()

    def write() -> None:
        # Held open: O_RDWR, which never waits for a reader, and keeps what it wrote while
        # open. Else as a shell's `>` does: wait for the reader, write, close (end of file).
        fd = os.open(path, os.O_RDWR if hold else os.O_WRONLY)
        try:
            os.write(fd, data)
            if hold:
                done.wait(60)
        finally:
            os.close(fd)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(10)


# --- Point 4: -o only ever replaces a regular file ---------------------------------------------


@pytest.mark.parametrize(
    ("args", "target", "starts"),
    [
        pytest.param(["due", "-f", "csv"], "device", b"", id="due-csv-to-a-device"),
        pytest.param(["due", "-f", "xlsx"], "symlink", b"PK", id="due-xlsx-through-a-symlink"),
        pytest.param(["check", "-f", "json"], "fifo", b"[", id="check-json-into-a-fifo"),
        pytest.param(["calendar"], "dangling", b"BEGIN:VCALENDAR", id="calendar-dangling-link"),
        pytest.param(["due", "-f", "json"], "fifo", b"[", id="due-json-into-a-fifo"),
    ],
)
def test_output_to_what_is_not_a_regular_file(
    tmp_path: Path, tmp: Path, args: list[str], target: str, starts: bytes
) -> None:
    register = write_register(tmp_path / "r.csv")
    out = tmp_path / "out"
    out.mkdir()
    node = out / "target"
    real = out / "real" / "file"
    if target == "device":
        device(node)
    elif target == "fifo":
        os.mkfifo(node)
    else:
        real.parent.mkdir()
        if target == "symlink":
            real.write_bytes(b"old")
        node.symlink_to("real/file")
    command = [*args, str(register), *AS_OF, "-o", str(node)]
    if target == "fifo":
        with fifo_reader(node) as got:
            code, stdout, stderr = renewal(*command, tmp=tmp)
        written = b"".join(got)
    else:
        code, stdout, stderr = renewal(*command, tmp=tmp)
        written = real.read_bytes() if target in ("symlink", "dangling") else b""
    assert code == 0, stderr
    assert stdout == b""
    assert written.startswith(starts)
    mode = node.lstat().st_mode
    if target == "device":
        assert stat.S_ISCHR(mode) and node.lstat().st_rdev == NULL
    elif target == "fifo":
        assert stat.S_ISFIFO(mode)
    else:
        assert stat.S_ISLNK(mode) and os.readlink(node) == "real/file"
        assert sorted(p.name for p in real.parent.iterdir()) == ["file"]
    assert sorted(p.name for p in out.iterdir()) == (
        ["real", "target"] if target in ("symlink", "dangling") else ["target"]
    )
    assert list(tmp.iterdir()) == []


def test_folders_of_output_follow_the_same_rule(tmp_path: Path, tmp: Path) -> None:
    """calendar --split-by: a place's file that is a symlink is replaced where it points, one
    that is a device (nothing due there any more: rewritten empty) is written in place; notice
    -o a symlink to a folder writes into that folder; mail --dry-run leaves a FIFO and a link
    named *.eml alone (a FIFO used to make it wait for a writer)."""
    register = write_register(tmp_path / "r.csv", PENDING)
    calendars = tmp_path / "calendars"
    kept = tmp_path / "kept"
    calendars.mkdir()
    kept.mkdir()
    (kept / "百色市.ics").write_bytes(b"old")
    (calendars / "百色市.ics").symlink_to(kept / "百色市.ics")
    device(calendars / "南宁市.ics")
    code, _, stderr = renewal(
        "calendar", str(register), *AS_OF, "--split-by", "city", "-o", str(calendars), tmp=tmp
    )
    assert code == 0, stderr
    assert (calendars / "百色市.ics").is_symlink()
    assert len(events((kept / "百色市.ics").read_bytes())) == 2  # file-by day, 7-day reminder
    assert stat.S_ISCHR((calendars / "南宁市.ics").lstat().st_mode)
    assert sorted(p.name for p in kept.iterdir()) == ["百色市.ics"]

    notices = tmp_path / "notices-real"
    notices.mkdir()
    (tmp_path / "notices").symlink_to(notices)
    code, _, stderr = renewal(
        "notice", str(register), *AS_OF, "-o", str(tmp_path / "notices"), "--office", "局",
        tmp=tmp,
    )  # fmt: skip
    assert code == 0, stderr
    assert (tmp_path / "notices").is_symlink() and len(list(notices.glob("*.docx"))) == 1

    outbox = tmp_path / "outbox"
    outbox.mkdir()
    os.mkfifo(outbox / "old.eml")
    (outbox / "link.eml").symlink_to(kept / "百色市.ics")
    code, _, stderr = renewal(
        "mail", str(register), *AS_OF, "--to", "a@example.cn", "--from", "r@example.cn",
        "--dry-run", str(outbox), tmp=tmp,
    )  # fmt: skip
    assert code == 0, stderr
    assert stat.S_ISFIFO((outbox / "old.eml").lstat().st_mode)
    assert (outbox / "link.eml").is_symlink()
    assert sorted(p.name for p in outbox.iterdir()) == ["all.eml", "link.eml", "old.eml"]
    assert list(tmp.iterdir()) == []


# --- Point 6: pipes and devices as registers ---------------------------------------------------


def through_fd(
    data: bytes,
) -> Callable[[Path], tuple[list[str], dict[str, object], Callable[[], None]]]:
    """The register as `<(cat a.csv)` gives it: /dev/fd/N, a pipe the child inherits."""

    def make(_: Path) -> tuple[list[str], dict[str, object], Callable[[], None]]:
        read_end, write_end = os.pipe()

        def feed() -> None:
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)

        thread = threading.Thread(target=feed, daemon=True)
        thread.start()

        def done() -> None:
            os.close(read_end)
            thread.join(10)

        return [f"/dev/fd/{read_end}"], {"pass_fds": (read_end,)}, done

    return make


def through_stdin(
    name: str, data: bytes
) -> Callable[[Path], tuple[list[str], dict[str, object], Callable[[], None]]]:
    """The register on stdin (a pipe), named `name` ("-" or "/dev/stdin")."""

    def make(_: Path) -> tuple[list[str], dict[str, object], Callable[[], None]]:
        return [name], {"input": data}, lambda: None

    return make


@pytest.mark.parametrize(
    "how",
    [
        pytest.param(through_fd(register_bytes(PENDING, LATE)), id="dev-fd-pipe"),
        pytest.param(
            through_stdin("/dev/stdin", register_bytes(PENDING, LATE)), id="dev-stdin-pipe"
        ),
        pytest.param(through_stdin("-", register_bytes(PENDING, LATE)), id="dash"),
    ],
)
def test_a_pipe_is_read_like_stdin(tmp_path: Path, tmp: Path, how: Callable[..., object]) -> None:
    names, options, done = how(tmp_path)  # type: ignore[misc]
    process = start(
        ["due", *names, *AS_OF, "--all", "-f", "csv"],
        tmp,
        stdin=subprocess.PIPE if "input" in options else subprocess.DEVNULL,
        pass_fds=options.get("pass_fds", ()),
    )
    done()
    with stopped(process):
        out, err = process.communicate(options.get("input"), timeout=60)  # type: ignore[arg-type]
    stderr = err.decode("utf-8")
    assert process.returncode == 0, stderr
    numbers = {line.split(",")[0] for line in out.decode("utf-8").splitlines()[1:]}
    assert numbers == {"P1", "L1"}
    shown = "<stdin>" if names == ["-"] else names[0]
    assert stderr.splitlines()[-1].startswith(f"{shown}：2 行，2 个证书，0 行有问题")
    assert list(tmp.iterdir()) == []  # the spool is gone


def test_a_fifo_is_read_once_and_the_run_ends(tmp_path: Path, tmp: Path) -> None:
    """A named FIFO: read to the writer's end of file, once (it used to be opened a second
    time and wait there for ever)."""
    fifo = tmp_path / "register.fifo"
    os.mkfifo(fifo)
    with fifo_writer(fifo, register_bytes(PENDING, LATE)):
        code, out, stderr = renewal("due", str(fifo), *AS_OF, "--all", "-f", "csv", tmp=tmp)
    assert code == 0, stderr
    assert {line.split(",")[0] for line in out.decode("utf-8").splitlines()[1:]} == {"P1", "L1"}
    assert list(tmp.iterdir()) == []


def test_stdin_that_is_a_file_is_read_in_place(tmp_path: Path, tmp: Path) -> None:
    """/dev/stdin redirected from a file is that file: read as a file, not copied."""
    register = write_register(tmp_path / "r.csv")
    with register.open("rb") as given:
        code, out, stderr = renewal("due", "/dev/stdin", *AS_OF, "-f", "csv", tmp=tmp, stdin=given)
    assert code == 0, stderr
    assert b"P1" in out and list(tmp.iterdir()) == []


@pytest.fixture
def zeros() -> Iterator[Callable[[int], subprocess.Popen[bytes]]]:
    """`head -c N /dev/zero`: a bounded stream of zeros, however the run reads it."""
    head = shutil.which("head")
    if head is None:
        pytest.skip("no head(1)")
    started: list[subprocess.Popen[bytes]] = []

    def make(size: int) -> subprocess.Popen[bytes]:
        process = subprocess.Popen([head, "-c", str(size), "/dev/zero"], stdout=subprocess.PIPE)
        started.append(process)
        return process

    yield make
    for process in started:
        process.kill()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


@pytest.mark.parametrize(
    ("where", "limit", "lang", "said"),
    [
        pytest.param("-", "1M", "zh", "<stdin> 超过输入大小上限 1 MiB", id="stdin-1M-zh"),
        pytest.param(
            "fd", "1536K", "en", "is larger than the input limit of 1536 KiB", id="dev-fd-en"
        ),
        pytest.param("-", "1000000", "zh", "超过输入大小上限 1000000 B", id="bytes"),
    ],
)
def test_a_stream_past_the_limit_fails_naming_it(
    tmp: Path,
    zeros: Callable[[int], subprocess.Popen[bytes]],
    where: str,
    limit: str,
    lang: str,
    said: str,
) -> None:
    source = zeros(3 << 20)  # three times the limit, never more
    assert source.stdout is not None
    env = {"RENEWAL_MAX_INPUT": limit, "RENEWAL_LANG": lang}
    if where == "-":
        code, out, stderr = renewal("due", "-", *AS_OF, tmp=tmp, env=env, stdin=source.stdout)
    else:
        fd = source.stdout.fileno()
        code, out, stderr = renewal(
            "due", f"/dev/fd/{fd}", *AS_OF, tmp=tmp, env=env, pass_fds=(fd,)
        )
    assert code == 1, stderr
    assert out == b""
    (line,) = stderr.splitlines()
    assert said in line and "RENEWAL_MAX_INPUT" in line
    assert list(tmp.iterdir()) == []  # the spool is removed


def test_a_stream_under_the_limit_is_read(tmp: Path) -> None:
    code, out, stderr = renewal(
        "due", "-", *AS_OF, "-f", "csv", tmp=tmp, env={"RENEWAL_MAX_INPUT": "1K"},
        input=register_bytes(PENDING),
    )  # fmt: skip
    assert code == 0, stderr
    assert b"P1" in out


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(None, DEFAULT_MAX_INPUT, id="unset"),
        pytest.param("", DEFAULT_MAX_INPUT, id="empty"),
        pytest.param("500M", 500 << 20, id="500M"),
        pytest.param("2G", 2 << 30, id="2G"),
        pytest.param("2GiB", 2 << 30, id="2GiB"),
        pytest.param("4k", 4 << 10, id="lower-case"),
        pytest.param(" 1 T ", 1 << 40, id="spaces"),
        pytest.param("1048576", 1 << 20, id="bytes"),
        pytest.param("100B", 100, id="B"),
    ],
)
def test_max_input_values(value: str | None, expected: int) -> None:
    assert max_input(value) == expected
    assert DEFAULT_MAX_INPUT == 2 << 30 and size_text(DEFAULT_MAX_INPUT) == "2 GiB"


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5G", "5X", "G", "0M"])
def test_bad_max_input_is_a_usage_error(runner: CliRunner, value: str) -> None:
    with pytest.raises(UsageError):
        max_input(value)
    result = run(
        runner, "due", "-", *AS_OF, env={"RENEWAL_MAX_INPUT": value}, input=register_bytes()
    )
    assert result.exit_code == 2
    assert f"RENEWAL_MAX_INPUT 的值“{value}”不是大小" in result.stderr


def wait_for_spool(tmp: Path, process: subprocess.Popen[bytes]) -> None:
    """Until the run has made its spool (it is then opening or reading the stream)."""
    deadline = time.monotonic() + 30
    while not list(tmp.iterdir()):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.3)  # into the blocking open or read


@pytest.mark.parametrize(
    "setup",
    [
        pytest.param("fifo-no-writer", id="fifo-with-no-writer-yet"),
        pytest.param("fifo-held-open", id="fifo-after-its-data"),
        pytest.param("stdin-held-open", id="stdin-after-its-data"),
        # pytest started by `nohup` or with `&` in a script ignores SIGINT or SIGHUP: the run
        # it starts must not inherit that, or every test of Ctrl-C here would fail.
        pytest.param("stdin-held-open-ignoring", id="stdin-while-pytest-ignores-signals"),
    ],
)
def test_ctrl_c_ends_a_stream_at_any_point(tmp_path: Path, tmp: Path, setup: str) -> None:
    fifo = tmp_path / "register.fifo"
    os.mkfifo(fifo)
    data = register_bytes(PENDING, LATE)
    if setup.startswith("stdin-held-open"):
        with signals_ignored() if setup.endswith("ignoring") else _nothing():
            process = start(["due", "-", *AS_OF], tmp, stdin=subprocess.PIPE)
        with stopped(process):
            assert process.stdin is not None
            process.stdin.write(data)
            process.stdin.flush()  # and kept open: no end of file
            wait_for_spool(tmp, process)
            assert signal.SIGINT in caught_signals(process.pid), "the run would ignore Ctrl-C"
            process.send_signal(signal.SIGINT)
            code, out, stderr = finish(process, timeout=10)
    else:
        with fifo_writer(fifo, data, hold=True) if setup == "fifo-held-open" else _nothing():
            process = start(["due", str(fifo), *AS_OF], tmp)
            with stopped(process):
                wait_for_spool(tmp, process)
                assert signal.SIGINT in caught_signals(process.pid), "it would ignore Ctrl-C"
                process.send_signal(signal.SIGINT)
                code, out, stderr = finish(process, timeout=10)
    assert code == 130, stderr
    assert out == b"" and "Traceback" not in stderr
    assert list(tmp.iterdir()) == []


@contextmanager
def _nothing() -> Iterator[None]:
    yield


# --- Point 7: at most 200 problem lines per file -----------------------------------------------


def bad_rows(count: int, prefix: str) -> list[list[str]]:
    return [
        [f"{prefix}{n}", "某公司", "茶叶", "绿色食品", "百色", "田阳区", "2021/13/45", ""]
        for n in range(count)
    ]


@pytest.mark.parametrize(
    ("sizes", "lang", "more"),
    [
        pytest.param(
            (250,),
            "zh",
            ["a.csv：另有 50 个问题未在此列出；renewal check a.csv 列出全部问题"],
            id="250",
        ),
        pytest.param((200,), "zh", [], id="exactly-200"),
        pytest.param(
            (201, 30),
            "en",
            ["a.csv: 1 more problems not listed here; renewal check a.csv lists them all"],
            id="two-files-en",
        ),
    ],
)
def test_problem_lines_are_capped_per_file(
    runner: CliRunner, tmp_path: Path, sizes: tuple[int, ...], lang: str, more: list[str]
) -> None:
    monkey = pytest.MonkeyPatch()
    monkey.chdir(tmp_path)
    try:
        names = []
        for name, size in zip(("a.csv", "b.csv"), sizes, strict=False):
            good = [[f"{name[0]}-P", *PENDING[1:]]]
            write_register(tmp_path / name, *good, *bad_rows(size, name[0]))
            names.append(name)
        result = run(runner, "due", *names, *AS_OF, "--lang", lang)
        checked = run(runner, "check", *names, *AS_OF, "-f", "json")
    finally:
        monkey.undo()
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    for name, size in zip(names, sizes, strict=True):
        problem = re.compile(rf"{name} 第 \d+ 行|{name}:\d+: ")
        assert len([line for line in lines if problem.match(line)]) == min(size, 200)
    assert [line for line in lines if "renewal check" in line] == more
    # The count lines still close stderr: each file's, then the total of several.
    ends = lines[-len(names) - (len(names) > 1) :]
    for name, line in zip(names, ends, strict=False):
        assert line.startswith((f"{name}：", f"{name}: "))
    if len(names) > 1:
        assert ends[-1].startswith("2 files in all")
    listed = [p for p in json.loads(checked.stdout) if p["code"] == "bad_date"]
    assert len(listed) == sum(sizes)  # check lists them all


# --- Point 8: --strict, calendar counts, --as-of and --remind ranges ---------------------------


def test_strict_fails_on_an_oversized_quoted_cell(runner: CliRunner, tmp_path: Path) -> None:
    """A stray quote whose line holds a cell over the CSV limit: the row is an error, so
    --strict fails and the count line counts it (it was read, with exit 0 and 0 problems)."""
    big = 'X1,"' + "乙" * 140_000 + ",芒果,绿色食品,百色,田阳区,2021-03-05,2024-03-04"
    path = tmp_path / "r.csv"
    path.write_bytes(register_bytes(PENDING) + big.encode("utf-8") + b"\n")
    result = run(runner, "due", str(path), *AS_OF, "--strict", "-f", "csv")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert "--strict：台账有 1 行有问题，未输出任何结果" in lines
    assert lines[-1].startswith(f"{path}：2 行，1 个证书，1 行有问题")


@pytest.mark.parametrize(
    "split", [pytest.param(False, id="one-file"), pytest.param(True, id="split-by-city")]
)
def test_calendar_counts_the_events_it_wrote(
    runner: CliRunner, tmp_path: Path, split: bool
) -> None:
    holder = ["P2", "BEGIN:VEVENT甲公司BEGIN:VEVENT", *PENDING[2:]]
    register = write_register(tmp_path / "r.csv", PENDING, holder)
    out = tmp_path / ("calendars" if split else "r.ics")
    args = ["calendar", str(register), *AS_OF, "-o", str(out)]
    result = run(runner, *args, *(["--split-by", "city"] if split else []))
    assert result.exit_code == 0, result.stderr
    written = out / "百色市.ics" if split else out
    count = len(events(written.read_bytes()))
    assert count == 4  # two pending items: the file-by day and the 7-day reminder each
    assert f"已写入 {written}（{count} 个日历事件）" in result.stderr.splitlines()


@pytest.mark.parametrize(
    ("value", "said"),
    [
        pytest.param("9999-12-31", "超出可用的日期范围：请写 2000-01-01 到 2100-12-31", id="9999"),
        pytest.param("0001-01-01", "超出可用的日期范围", id="year-1"),
        pytest.param("0000-01-01", "超出可用的日期范围", id="year-0"),
        pytest.param("1999-12-31", "超出可用的日期范围", id="1999"),
        pytest.param("2101-01-01", "超出可用的日期范围", id="2101"),
        pytest.param("21010101", "超出可用的日期范围", id="compact-2101"),
        pytest.param("2021-02-30", "不是日期", id="no-such-day"),
        pytest.param("2024-13-01", "不是日期", id="no-such-month"),
        pytest.param("9999-13-01", "不是日期", id="far-and-no-such-month"),
        pytest.param("someday", "不是日期", id="words"),
        pytest.param("2000-01-01", None, id="first-day"),
        pytest.param("2100-12-31", None, id="last-day"),
    ],
)
def test_as_of_range(runner: CliRunner, tmp_path: Path, value: str, said: str | None) -> None:
    register = write_register(tmp_path / "r.csv")
    result = run(runner, "due", str(register), "--as-of", value, "--within", "36500", "--all")
    if said is None:
        assert result.exit_code == 0, result.stderr
    else:
        assert result.exit_code == 2
        assert result.stderr.startswith(f"--as-of 的值“{value}”{said}"), result.stderr


@pytest.mark.parametrize(
    ("remind", "code"),
    [
        pytest.param("36500", 0, id="a-century"),
        pytest.param("36501", 2, id="past-a-century"),
        pytest.param("99999999999999999999", 2, id="past-a-machine-integer"),
    ],
)
def test_remind_range(runner: CliRunner, tmp_path: Path, remind: str, code: int) -> None:
    register = write_register(tmp_path / "r.csv")
    result = run(runner, "calendar", str(register), "--as-of", "2100-12-31", "--remind", remind)
    assert result.exit_code == code, result.stderr
    if code:
        assert "请写 1 到 36500 之间的天数" in result.stderr
        assert "出错了" not in result.stderr


# --- Point 5: names and options that do not decode ---------------------------------------------

ODD_NAMES = [
    pytest.param(b"bad\xff\x1b[31m.csv", "bad\\xff\\x1b[31m.csv", id="not-utf8-and-escape"),
    pytest.param("a\ufffe\u202e.csv".encode(), "a\\ufffe\\u202e.csv", id="non-character-bidi"),
    pytest.param("z\u2028.csv".encode(), "z\\u2028.csv", id="line-separator"),
    pytest.param("百色台账.csv".encode("gbk"), "百色台账.csv", id="gbk-name-read-as-gbk"),
]


@pytest.mark.parametrize(
    ("command", "fmt"),
    [
        # check writes the file's name into each format's output, with its problems; due's
        # outputs never name the file, so one format of due is enough.
        *(pytest.param("check", fmt, id=fmt) for fmt in ("table", "csv", "json", "xlsx")),
        pytest.param("due", "csv", id="due"),
    ],
)
@pytest.mark.parametrize(("name", "shown"), ODD_NAMES)
def test_odd_file_names_never_crash_an_output(
    tmp_path: Path, tmp: Path, name: bytes, shown: str, command: str, fmt: str
) -> None:
    path = os.fsencode(tmp_path) + b"/" + name
    with open(path, "wb") as out:
        out.write(register_bytes(PENDING, bad_rows(1, "B")[0]))
    target = tmp_path / f"out.{fmt}"
    code, _, stderr = renewal(command, path, *AS_OF, "-f", fmt, "-o", str(target), tmp=tmp)
    assert "出错了" not in stderr and "Traceback" not in stderr
    assert code == (1 if command == "check" else 0), stderr
    assert target.is_file()
    assert f"{tmp_path}/{shown}：2 行，1 个证书，1 行有问题" in stderr
    if command == "due":  # check writes its problems to -o
        assert f"{tmp_path}/{shown} 第 3 行" in stderr
    assert "\x1b" not in stderr and "\u202e" not in stderr


def test_an_office_that_does_not_decode(tmp_path: Path, tmp: Path) -> None:
    register = write_register(tmp_path / "r.csv", PENDING)
    out = tmp_path / "notices"
    office = "百色市农业农村局".encode() + b"\xff\x1b"
    code, _, stderr = renewal(
        "notice", str(register), *AS_OF, "-o", str(out), "--format", "txt", "--office", office,
        tmp=tmp,
    )  # fmt: skip
    assert code == 0, stderr
    (notice,) = out.glob("*.txt")
    text = notice.read_text("utf-8")
    assert "百色市农业农村局" in text and "\x1b" not in text


@pytest.mark.parametrize(
    ("command", "fmt"),
    [
        *(pytest.param("check", fmt, id=fmt) for fmt in ("json", "csv", "xlsx", "table")),
        pytest.param("due", "table", id="due"),  # due's message, the same whatever the format
    ],
)
def test_a_sheet_name_that_does_not_decode(
    tmp_path: Path, tmp: Path, command: str, fmt: str
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for cells in (HEADER, PENDING):
        book.active.append(cells)
    book.save(tmp_path / "r.xlsx")
    out = tmp_path / f"out.{fmt}"
    sheet = b"\xff\x1b[31m"
    code, _, stderr = renewal(
        command, str(tmp_path / "r.xlsx"), "--sheet", sheet, "-f", fmt, "-o", str(out), tmp=tmp
    )
    assert code == 1, stderr
    assert "出错了" not in stderr and "\x1b" not in stderr
    if command == "check":  # check reports the missing sheet as a problem, in its output
        assert out.exists()
    else:
        assert "没有名为“\\xff\\x1b[31m”的可用工作表" in stderr and not out.exists()
