"""Atomic writes: readers see the old file or the new one, never half of either."""

from __future__ import annotations

import errno
import os
import select
import stat
import string
import tempfile
import threading
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renewal_cli.errors import RenewalError
from renewal_cli.files import make_directory, safe_filename, write_atomic
from renewal_cli.messages import Lang
from renewal_cli.present import describe_error


def test_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "due.ics"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["due.ics"]


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.csv", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o644


def test_failure_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "out"
    path.mkdir()  # a directory where the file should go: the rename fails
    with pytest.raises(RenewalError) as caught:
        write_atomic(path, b"new")
    assert caught.value.message_id == "output.unwritable"
    assert path.is_dir() and list(tmp_path.iterdir()) == [path]


def test_missing_directory_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RenewalError):
        write_atomic(tmp_path / "no" / "such" / "file", b"x")


# --- Safe file names (one calendar or message per place) --------------------------------------


UNSAFE = [
    "../../etc/passwd",
    "a/b",
    "a\\b",
    "\x00",
    ".hidden",
    "",
    "..",
    "CON",
    "a\nb",
    "x" * 400,
    "-rf",
    "--help",
    " -x",
    ".-x",
]


def assert_safe(name: str, suffix: str = ".ics") -> None:
    assert name.endswith(suffix)
    stem = name.removesuffix(suffix)
    assert stem
    assert "/" not in name and "\\" not in name
    assert ".." not in name
    assert not name.startswith((".", " ", "-"))
    assert not any(unicodedata.category(ch).startswith("C") for ch in name)
    assert not any(ch in name for ch in '<>:"|?*')
    assert len(name.encode("utf-8")) <= 200
    assert stem.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL"}


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        pytest.param("百色市", "百色市.ics", id="cjk-kept"),
        pytest.param("环江毛南族自治县", "环江毛南族自治县.ics", id="long-cjk-kept"),
        pytest.param("renewal-百色市-2026-11-29", "renewal-百色市-2026-11-29.ics", id="dashes"),
        *(pytest.param(p, None, id=f"unsafe-{i}") for i, p in enumerate(UNSAFE)),
    ],
)
def test_safe_filename(place: str, expected: str | None) -> None:
    name = safe_filename(place)
    assert_safe(name)
    if expected is not None:
        assert name == expected


def test_safe_filenames_never_collide() -> None:
    names = [safe_filename(p) for p in [*UNSAFE, "a_b", "百色市", "hidden"]]
    assert len(set(names)) == len(names)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("./\\\x00 ."), max_size=80))
def test_safe_filename_any_text(place: str) -> None:
    assert_safe(safe_filename(place))
    assert_safe(safe_filename(place, ".eml"), ".eml")


@settings(max_examples=100, deadline=None)
@given(
    st.text(string.printable + "百色./", max_size=12),
    st.text(string.printable + "百色./", max_size=12),
)
def test_safe_filename_distinct_places_distinct_files(a: str, b: str) -> None:
    if a != b:
        assert safe_filename(a) != safe_filename(b)


# --- Targets that are not regular files (issue 18, point 4) ------------------------------------

NULL, FULL = os.makedev(1, 3), os.makedev(1, 7)  # what /dev/null and /dev/full are


def device(folder: Path, name: str, number: int) -> Path:
    """A character device node in a test folder (never the real /dev); skipped without root."""
    path = folder / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, number)
    except PermissionError:
        pytest.skip("making a device node needs root (CAP_MKNOD)")
    os.chmod(path, 0o666)  # as /dev/null is, whatever the umask
    return path


def fifo_reader(path: Path) -> tuple[threading.Thread, list[bytes]]:
    """A thread that reads the FIFO at `path` to its end, and gives up after 10 s."""
    got: list[bytes] = []

    def read() -> None:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            os.set_blocking(fd, True)
            ready, _, _ = select.select([fd], [], [], 10)
            while ready and (chunk := os.read(fd, 65536)):
                got.append(chunk)
                ready, _, _ = select.select([fd], [], [], 10)
        finally:
            os.close(fd)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread, got


@pytest.mark.parametrize(
    ("number", "error"),
    [pytest.param(NULL, None, id="null"), pytest.param(FULL, errno.ENOSPC, id="full")],
)
def test_a_device_is_written_in_place(tmp_path: Path, number: int, error: int | None) -> None:
    node = device(tmp_path, "out", number)
    pieces = (b"x" * 65536 for _ in range(4))
    if error is None:
        write_atomic(node, pieces)
    else:
        with pytest.raises(RenewalError) as caught:
            write_atomic(node, pieces)
        assert caught.value.message_id == "output.unwritable"
        assert caught.value.params["errno"] == error
    info = node.lstat()
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == number  # still the device
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary file was made


def test_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    thread, got = fifo_reader(path)
    write_atomic(path, [b"first ", b"second"])
    thread.join(10)
    assert not thread.is_alive() and b"".join(got) == b"first second"
    assert stat.S_ISFIFO(path.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


@pytest.mark.parametrize(
    ("target", "old"),
    [
        pytest.param("data/real.csv", b"old", id="to-a-file"),
        pytest.param("data/real.csv", None, id="dangling"),
        pytest.param("../elsewhere/real.csv", b"old", id="to-another-folder"),
    ],
)
def test_a_symlink_is_followed_and_stays(tmp_path: Path, target: str, old: bytes | None) -> None:
    out = tmp_path / "out"
    out.mkdir()
    real = (out / target).resolve()
    real.parent.mkdir(parents=True, exist_ok=True)
    if old is not None:
        real.write_bytes(old)
        os.chmod(real, 0o640)
    link = out / "link.csv"
    link.symlink_to(target)
    write_atomic(link, b"new")
    assert link.is_symlink() and os.readlink(link) == target
    assert real.read_bytes() == b"new"
    if old is not None:
        assert real.stat().st_mode & 0o777 == 0o640
    # The temporary file went where the file is, and is gone.
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.csv"]


def test_a_link_to_a_device_writes_the_device(tmp_path: Path) -> None:
    node = device(tmp_path, "null", NULL)
    link = tmp_path / "link"
    link.symlink_to("null")
    write_atomic(link, b"data")
    assert link.is_symlink() and stat.S_ISCHR(node.lstat().st_mode)


def test_a_device_works_for_a_user_who_cannot_write_its_folder(tmp_path: Path) -> None:
    """`-o /dev/null` as an ordinary user: /dev is not theirs, so no temporary file can be made
    beside the device. Run in a child process that drops to uid/gid 65534 (nobody)."""
    if os.geteuid() != 0:
        pytest.skip("dropping to another user needs root")
    with tempfile.TemporaryDirectory() as folder:  # under /tmp: nobody can reach it
        os.chmod(folder, 0o755)  # root's folder: nobody may look in, not write
        node = device(Path(folder), "null", NULL)
        plain = Path(folder) / "plain.csv"
        pid = os.fork()
        if pid == 0:  # the child: only os._exit leaves it
            code = 3
            try:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
                write_atomic(node, b"data")
                try:
                    write_atomic(plain, b"data")
                    code = 2  # it should not be able to make a file there
                except RenewalError:
                    code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert stat.S_ISCHR(node.lstat().st_mode) and not plain.exists()
        assert sorted(p.name for p in Path(folder).iterdir()) == ["null"]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        pytest.param(
            "device",
            "无法写入 {path}：已有同名的文件或设备，不是文件夹；请指定一个文件夹",
            id="dev-null",
        ),
        pytest.param(
            "file", "无法写入 {path}：已有同名的文件或设备，不是文件夹；请指定一个文件夹", id="file"
        ),
        pytest.param(
            "below-a-file", "无法写入 {path}：路径中有一部分不是文件夹", id="below-a-file"
        ),
    ],
)
def test_a_folder_output_on_a_file_or_device_is_refused_in_words(
    tmp_path: Path, kind: str, expected: str
) -> None:
    """`-o DIR` of notice, calendar --split-by, mail --dry-run naming /dev/null or a file: the
    message says why in the officer's words (no "File exists"), and the node stays as it was."""
    if kind == "device":
        path = device(tmp_path, "null", NULL)
    else:
        (tmp_path / "plain").write_bytes(b"kept")
        path = tmp_path / "plain" if kind == "file" else tmp_path / "plain" / "below"
    with pytest.raises(RenewalError) as caught:
        make_directory(path)
    assert describe_error(caught.value, Lang.ZH) == expected.format(path=path)
    if kind == "device":
        assert stat.S_ISCHR(os.stat(path).st_mode)
    else:
        assert (tmp_path / "plain").read_bytes() == b"kept"
