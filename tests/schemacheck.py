"""Every JSON document the test suite renders fits the JSON Schema shipped for it.

The four renderers of JSON records (`due` items, `check` problems, `summary` rows, `due
--by-holder` rows) are wrapped once for the whole session, before any test module imports them
(conftest.py calls `install`). Each document they render is kept, and checked against the
package's schemas (src/renewal_cli/schemas/) when the test that rendered it ends: a document
that does not fit fails that test, naming the record and the key.

What runs in this process is seen, whether through the command line (CliRunner), the library
API or a renderer called directly. A command run in a child process (`python -m renewal_cli`)
renders through the same functions, which its in-process twin runs here; its output is not
collected.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable, Iterator
from importlib import import_module
from importlib.resources import files
from typing import Any

import pytest
from jsonschema import Draft202012Validator

KINDS = ("due-item", "check-problem", "summary-row", "holder-row")

# Each renderer of JSON records: (module, function, kind, whether it yields pieces).
RENDERERS = (
    ("renewal_cli.output.jsonfile", "render_json", "due-item", False),
    ("renewal_cli.output.jsonfile", "json_chunks", "due-item", True),
    ("renewal_cli.output.checkfile", "render_check_json", "check-problem", False),
    # What a large register's two passes stream (twopass.py): check's problems, and due's items
    # or --by-holder rows through one array writer (checked as whichever of the two it is).
    ("renewal_cli.output.streamed", "check_json", "check-problem", True),
    ("renewal_cli.output.streamed", "json_array", "due-item|holder-row", True),
    ("renewal_cli.output.summaryfile", "render_summary_json", "summary-row", False),
    ("renewal_cli.output.holderfile", "render_holders_json", "holder-row", False),
)

rendered: list[tuple[str, str]] = []
"""(kind, document) rendered since the current test began."""
_depth = [0]
"""Streamed renderers running inside one another just now."""
checked: Counter[str] = Counter()
"""Documents checked in this session, by kind."""


def schema(kind: str) -> dict[str, Any]:
    """The schema of `kind`, as the package ships it."""
    text = files("renewal_cli").joinpath("schemas", f"{kind}.schema.json").read_text("utf-8")
    found: dict[str, Any] = json.loads(text)
    return found


@functools.cache
def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)


def faults(kind: str, document: str) -> list[str]:
    """What does not fit in a rendered document: an array of records of `kind`."""
    try:
        data = json.loads(document)
    except json.JSONDecodeError as error:
        return [f"not JSON: {error}"]
    if not isinstance(data, list):
        return [f"not an array: {type(data).__name__}"]
    found = []
    for n, record in enumerate(data):
        for error in validator(kind).iter_errors(record):
            where = "/".join(str(p) for p in error.absolute_path) or "(record)"
            found.append(f"record {n}, {where}: {error.message}")
    return found


def verify() -> None:
    """Check what was rendered since the last call (then forget it); raise AssertionError
    naming each document that does not fit."""
    documents = list(rendered)
    rendered.clear()
    bad: list[str] = []
    for kinds, document in documents:
        tried = {kind: faults(kind, document) for kind in kinds.split("|")}
        kind = next((k for k, found in tried.items() if not found), kinds.split("|")[0])
        checked[kind] += 1
        bad.extend(f"{kind}: {fault}" for fault in tried[kind][:5])
    assert not bad, "JSON output does not fit its schema:\n" + "\n".join(bad)


def _kept(kind: str, render: Callable[..., str]) -> Callable[..., str]:
    @functools.wraps(render)
    def wrapper(*args: Any, **kwargs: Any) -> str:
        document = render(*args, **kwargs)
        rendered.append((kind, document))
        return document

    return wrapper


def _kept_pieces(kind: str, render: Callable[..., Iterator[str]]) -> Callable[..., Iterator[str]]:
    @functools.wraps(render)
    def wrapper(*args: Any, **kwargs: Any) -> Iterator[str]:
        pieces = []
        _depth[0] += 1
        try:
            outermost = _depth[0] == 1
            for piece in render(*args, **kwargs):
                pieces.append(piece)
                yield piece
        finally:
            _depth[0] -= 1
        # Only a document written whole is checked (a reader gone after `| head -1` stops it),
        # and once: by the outermost renderer (check_json writes through json_array).
        if outermost:
            rendered.append((kind, "".join(pieces)))

    return wrapper


def install() -> None:
    """Wrap the renderers (once), so every document they render is kept for `verify`."""
    for module_name, name, kind, pieces in RENDERERS:
        module = import_module(module_name)
        render = getattr(module, name)
        if getattr(render, "kept_for_schemas", False):
            continue
        wrapper: Any = _kept_pieces(kind, render) if pieces else _kept(kind, render)
        wrapper.kept_for_schemas = True
        setattr(module, name, wrapper)


@pytest.fixture(autouse=True)
def _json_fits_its_schema() -> Iterator[None]:
    """Each test's JSON documents are checked when it ends."""
    rendered.clear()
    yield
    verify()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many documents of each kind were checked (a run that rendered none says nothing)."""
    if checked:
        kinds = ", ".join(f"{checked[kind]} {kind}" for kind in KINDS if checked[kind])
        terminalreporter.write_line(f"JSON documents checked against the schemas: {kinds}")
