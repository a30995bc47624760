"""The lock a sending run holds on its delivery record: one run at a time.

An flock on a file beside the record (RECORD.lock). The kernel lets go of it when the process
ends however it ends, SIGKILL included, so a killed run never blocks the next one; there is no
PID to go stale, and the file itself is never removed (removing it would let two runs lock two
different files). The waiting is the command line's: this module only tries.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from renewal_cli.errors import RenewalError


class RunLock:
    """The lock file of the record at `record`, open (created when missing) but not held."""

    def __init__(self, record: Path) -> None:
        self.path = record.with_name(record.name + ".lock")
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as err:
            raise self._unusable(err) from None

    def try_acquire(self) -> bool:
        """Take the lock unless another process holds it (then False)."""
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as err:  # a file system that cannot lock (ENOLCK)
            raise self._unusable(err) from None
        return True

    def close(self) -> None:
        """Let go of the lock (closing the file releases it)."""
        os.close(self._fd)

    def _unusable(self, err: OSError) -> RenewalError:
        return RenewalError(
            "delivery.lock_unusable", path=str(self.path), detail=err.strerror or str(err)
        )
