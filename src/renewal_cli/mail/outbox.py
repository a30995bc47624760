"""The outbox: writing messages as .eml files for --dry-run, replacing an earlier run's.

Each file holds exactly the bytes that would go over SMTP (compose.flatten): the same headers,
the same Message-ID and MIME boundaries, UTF-8 headers where the message needs SMTPUTF8.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

from renewal_cli.files import make_directory, unique_filename, write_atomic
from renewal_cli.mail.compose import MAILER_HEADER, flatten, place_of

# How a message of ours starts its headers; only such files are ever removed from the folder.
_OURS = f"\n{MAILER_HEADER}: renewal-cli".encode()


def write_eml(messages: Sequence[EmailMessage], directory: Path) -> list[Path]:
    """Write each message as an .eml file in `directory` (created if needed), atomically.

    Files are named after the message's place ("百色市.eml", "all.eml" for every place), with
    -2, -3 ... when two messages share a place. Messages an earlier run left in the folder
    and this run did not write again are removed, so the folder never mixes two runs; .eml
    files that are not ours are left alone. Raises RenewalError when it cannot write.
    """
    make_directory(directory)
    paths: list[Path] = []
    taken: set[str] = set()
    for message in messages:
        path = directory / unique_filename(place_of(message) or "all", ".eml", taken)
        write_atomic(path, flatten(message))
        paths.append(path)
    _remove_stale(directory, {p.name for p in paths})
    return paths


def _remove_stale(directory: Path, kept: set[str]) -> None:
    for path in directory.glob("*.eml"):
        if path.name in kept or not path.is_file() or path.is_symlink():
            continue  # only regular files can be ours: a FIFO would wait here for a writer
        try:
            with path.open("rb") as handle:
                head = handle.read(8192)
        except OSError:
            continue
        if _OURS in head.split(b"\r\n\r\n", 1)[0].replace(b"\r\n", b"\n"):
            path.unlink(missing_ok=True)
