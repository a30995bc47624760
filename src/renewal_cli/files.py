"""Writing output files atomically, so a cron job never mails half a file.

Data goes to a temporary file in the target's directory, is flushed to disk, then renamed over
the target: readers see the old file or the new one, never a mix, and an interrupted run leaves
the old file intact.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from renewal_cli.errors import RenewalError


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one rename. Raises RenewalError when it cannot be written."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise RenewalError("output.unwritable", path=str(path), detail=err.strerror) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes 0600 files: keep the mode of the file replaced, else the usual one.
        try:
            mode = path.stat().st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temp, mode)
        os.replace(temp, path)
        _sync_directory(directory)
    except OSError as err:
        Path(temp).unlink(missing_ok=True)
        raise RenewalError("output.unwritable", path=str(path), detail=err.strerror) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


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
