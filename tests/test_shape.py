"""The shape of the code, as the reshape issue asks: short functions, thin commands, Typer only
in the command-line layer, no import cycle, and modules that load only what they use."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "renewal_cli"
MODULES = sorted(SRC.rglob("*.py"))


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _length(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of the body, without the docstring."""
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if not body:
        return 0
    return (body[-1].end_lineno or body[-1].lineno) - body[0].lineno + 1


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_function_over_60_lines(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    long = {f.name: _length(f) for f in _functions(tree) if _length(f) > 60}
    assert long == {}


@pytest.mark.parametrize("name", ["due", "calendar", "mail", "notify", "report"])
def test_command_bodies_are_thin(name: str) -> None:
    tree = ast.parse((SRC / "cli" / f"{name}.py").read_text("utf-8"))
    (command,) = [f for f in _functions(tree) if f.name == name]
    assert _length(command) <= 40


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_typer_only_in_the_command_line_layer(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    uses_typer = any(m == "typer" or m.startswith("typer.") for m in imported)
    uses_click = any(m == "click" or m.startswith("click.") for m in imported)
    assert not uses_click
    assert not uses_typer or _module(path).startswith("renewal_cli.cli")


def _imports(path: Path) -> set[str]:
    """The renewal_cli modules a module imports at its top level (not inside functions)."""
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("renewal_cli"):
            found.add(node.module or "")
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("renewal_cli")}
    return found


def test_no_import_cycle() -> None:
    graph = {_module(p): _imports(p) for p in MODULES}
    known = set(graph)
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, set()) & known):
            if target == node or node.startswith(target + "."):
                continue  # a package importing its own parent's names
            assert state.get(target) != 1, " -> ".join([*trail, node, target])
            if target not in state:
                visit(target, [*trail, node])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])


@pytest.mark.parametrize(
    ("statement", "absent"),
    [
        pytest.param("import renewal_cli.mail.contacts", "icalendar", id="contacts-no-calendar"),
        pytest.param("import renewal_cli.cli", "icalendar", id="cli-start-no-calendar"),
        # Pydantic validates what a person types (policy files, mail settings), and is
        # imported only when such input is read.
        pytest.param("import renewal_cli.cli", "pydantic", id="cli-start-no-pydantic"),
        # The chat robots' HTTP client loads only when notify runs.
        pytest.param("import renewal_cli.cli", "urllib.request", id="cli-start-no-http"),
        pytest.param("import renewal_cli.cli", "renewal_cli.chat", id="cli-start-no-chat"),
        pytest.param("import renewal_cli.chat.compose", "urllib.request", id="compose-no-http"),
        # The report's page and charts load only for renewal report (and mail --report).
        pytest.param("import renewal_cli.cli", "jinja2", id="cli-start-no-jinja2"),
        pytest.param("import renewal_cli.cli", "pygal", id="cli-start-no-pygal"),
        pytest.param("import renewal_cli.jobs", "jinja2", id="jobs-no-jinja2"),
        pytest.param("import renewal_cli.request", "typer", id="request-no-typer"),
        pytest.param("import renewal_cli.jobs", "typer", id="core-no-typer"),
    ],
)
def test_modules_load_only_what_they_use(statement: str, absent: str) -> None:
    code = f"import sys; {statement}; print({absent!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
