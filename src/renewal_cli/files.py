"""Writing output files atomically, so a cron job never mails half a file, under safe names;
and file names shown readably.

Data goes to a temporary file in the target's directory, is flushed to disk, then renamed over
the target: readers see the old file or the new one, never a mix, and an interrupted run leaves
the old file intact. Only a regular file (or a name not yet taken) is ever replaced: a symlink
is followed and the file it points to is replaced, the link stays; a device, FIFO or socket is
written to directly (`-o /dev/null` works for every user and leaves /dev/null a device).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from renewal_cli.errors import RenewalError

# The lone surrogates that os.fsdecode makes of bytes a name has that are not UTF-8.
_ESCAPED = re.compile("[\udc80-\udcff]")


def has_escapes(text: str) -> bool:
    """Whether `text` holds bytes of a name that were not UTF-8 (see `shown_name`)."""
    return not text.isascii() and _ESCAPED.search(text) is not None


def shown_name(name: str | os.PathLike[str]) -> str:
    """A file name (a str or a path) as a person can read it, and as UTF-8 can encode it: see
    `printable_name`."""
    return printable_name(os.fspath(name))


def size_text(size: int) -> str:
    """A size as a person writes it: 2 GiB, 500 MiB, or bytes when not a round number."""
    for unit, shift in (("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift and size % (1 << shift) == 0:
            return f"{size >> shift} {unit}"
    return f"{size} B"


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace `path` with `data` (bytes, or pieces of them written as they come) in one
    rename. Raises RenewalError when it cannot be written; nothing is left behind then, nor
    when the run is interrupted.

    A symlink is followed (the file it points to is replaced, the link stays); a target that
    is not a regular file (a character device such as /dev/null, a FIFO, a socket) is opened
    and written as it is, since renaming a file over it would destroy it.
    """
    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode
    except OSError:
        mode = 0  # not there yet (or unreachable: the writing below says why)
    if mode and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        _write_through(path, data)
    else:
        _replace(path, target, data)


def _write_through(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write to a device, FIFO or socket in place: no temporary file, no rename, no fsync
    (a FIFO waits here for its reader, as a shell's `>` does)."""
    try:
        with open(path, "wb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
    except OSError as err:
        raise RenewalError(
            "output.unwritable", path=str(path), detail=err.strerror or str(err), errno=err.errno
        ) from None


def _replace(path: Path, target: Path, data: bytes | Iterable[bytes]) -> None:
    """Write `target` (a regular file, or a name not taken) through a temporary file renamed
    over it; errors name `path`, as the user gave it."""
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as err:
        raise RenewalError(
            "output.unwritable", path=str(path), detail=err.strerror, errno=err.errno
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes 0600 files: keep the mode of the file replaced, else the usual one.
        try:
            mode = target.stat().st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temp, mode)
        os.replace(temp, target)
        _sync_directory(directory)
    except OSError as err:
        Path(temp).unlink(missing_ok=True)
        raise RenewalError(
            "output.unwritable", path=str(path), detail=err.strerror, errno=err.errno
        ) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# Shown escaped in a name: controls, bidi controls and line separators, non-characters.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
# The lone surrogates that os.fsdecode makes of the bytes of a name that are not UTF-8.
_UNDECODED = re.compile("[\ud800-\udfff]")


def printable_name(name: str) -> str:
    """A file (or sheet) name as messages and outputs show it: a part of the path whose bytes
    are not UTF-8 (Python holds them as lone surrogates) read as GB18030 when that reads it
    whole, else those bytes as \\xNN; then control, bidi and separator characters as \\xHH or
    \\uHHHH, so a name can neither break a UTF-8 output nor colour or reorder a terminal."""
    text = name
    if _UNDECODED.search(text):
        text = os.sep.join(_decoded(part) for part in text.split(os.sep))
    return _UNSHOWABLE.sub(lambda m: ascii(m.group())[1:-1], text)


def _decoded(part: str) -> str:
    if not _UNDECODED.search(part):
        return part
    try:
        raw = os.fsencode(part)
    except UnicodeError:  # a surrogate no byte made
        return _UNDECODED.sub("\ufffd", part)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:  # neither: the odd bytes as \xNN, so two such names differ
        return raw.decode("utf-8", "backslashreplace")


def make_directory(path: Path) -> None:
    """Create `path` (and its parents) if needed. Raises RenewalError when it cannot."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise RenewalError(
            "output.unwritable", path=str(path), detail=err.strerror or str(err), errno=err.errno
        ) from None


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable; not every file system lets a directory be synced."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# Characters Windows refuses in file names, besides the path separators.
_FORBIDDEN = frozenset('<>:"/\\|?*')
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
_MAX_STEM_BYTES = 120


def safe_filename(place: str, suffix: str = ".ics") -> str:
    """A file name for `place` that is safe whatever a register cell says.

    Path separators, characters Windows forbids and control characters become "_"; runs of dots
    shrink to one and dots and spaces are stripped from both ends, so the name can never be ".."
    or hidden; a leading "-" becomes "_", so no name reads as an option; the name is cut to a
    length every file system takes; CJK stays as it is. When anything had to change, a short
    hash of the original is appended, so two different places never end up in the same file
    ("a/b" and "a\\b" differ).
    """
    folded = unicodedata.normalize("NFC", place)
    chars = [
        "_" if ch in _FORBIDDEN or unicodedata.category(ch).startswith("C") else ch for ch in folded
    ]
    # Every kind of space (NBSP, U+3000) counts as one space, so none survives at the ends.
    stem = re.sub(r"\s+", " ", "".join(chars))
    stem = re.sub(r"\.{2,}", ".", stem).strip(" .")
    encoded = stem.encode("utf-8")
    if len(encoded) > _MAX_STEM_BYTES:
        stem = encoded[:_MAX_STEM_BYTES].decode("utf-8", errors="ignore").rstrip(" .")
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    if stem.startswith("-"):
        # A name a command line would read as an option (`rm -rf.docx`, `ls -l.eml`).
        stem = f"_{stem[1:]}"
    if stem != place or not stem:
        digest = hashlib.sha1(place.encode("utf-8", errors="surrogatepass")).hexdigest()[:8]
        stem = f"{stem}-{digest}" if stem else f"place-{digest}"
    return stem + suffix


def unique_filename(stem: str, suffix: str, taken: set[str]) -> str:
    """safe_filename(stem, suffix), with -2, -3 … when a name is already in `taken` (compared
    case-blind, as Windows and macOS do); the name chosen is added to `taken`."""
    name = safe_filename(stem, suffix)
    serial = 1
    while name.casefold() in taken:
        serial += 1
        name = safe_filename(f"{stem}-{serial}", suffix)
    taken.add(name.casefold())
    return name
