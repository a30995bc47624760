"""The README's example outputs are real: each ```text block that starts with `$ renewal …` is run
and its output (stdout and stderr as a terminal shows them) compared with the block.
`pytest --update-golden` rewrites the blocks from real output."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from conftest import run

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"```text\n(\$ (?:[A-Z_]+=\S+ )*renewal [^\n]*)\n(.*?)```", re.S)


def _examples() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(README.read_text("utf-8"))]


def _run(runner: Any, command: str) -> str:
    words = shlex.split(command.removeprefix("$ "))
    env: dict[str, str] = {}
    while "=" in words[0]:
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    assert words.pop(0) == "renewal"
    result = run(runner, *words, env=env)
    assert result.exit_code in (0, 1, 2), result.output  # check exits 1 on errors
    output: str = result.output
    return output


def test_the_readme_has_examples() -> None:
    assert len(_examples()) >= 4


@pytest.mark.parametrize(("command", "shown"), _examples(), ids=[c for c, _ in _examples()])
def test_readme_example_is_real_output(
    runner: Any,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    command: str,
    shown: str,
) -> None:
    monkeypatch.chdir(ROOT)
    actual = _run(runner, command)
    if request.config.getoption("--update-golden"):
        text = README.read_text("utf-8")
        README.write_text(
            text.replace(f"{command}\n{shown}```", f"{command}\n{actual}```"), "utf-8"
        )
        return
    assert actual == shown
