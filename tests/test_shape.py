"""The shape of the code, as the reshape issue asks: short functions, thin commands, Typer only
in the command-line layer, no import cycle, and modules that load only what they use."""

from __future__ import annotations

import ast
import contextlib
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "renewal_cli"
MODULES = sorted(SRC.rglob("*.py"))


def _module(path: Path, root: Path = SRC.parent) -> str:
    parts = path.relative_to(root).with_suffix("").parts
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


# Over 600 lines: the message catalogue (a table of words, not code); and, until the reading
# layer's rebuild (issue 19) splits them by job, register.py and sources.py.
LONG_MODULES = {"messages.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_over_600_lines(path: Path) -> None:
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= 600 or str(path.relative_to(SRC)) in LONG_MODULES, lines


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


def _imports(path: Path, root: Path, modules: set[str]) -> set[str]:
    """The modules of `modules` that the module at `path` imports anywhere: at its top level,
    inside functions, under `if TYPE_CHECKING:` (`from package import module` names the module;
    relative imports are resolved)."""
    tree = ast.parse(path.read_text("utf-8"))
    package = _module(path, root) if path.name == "__init__.py" else _module(path.parent, root)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return found & modules


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the modules it imports, for every module of the package(s) under `root`. A
    module importing the package it belongs to (its `__init__`) is no edge: Python runs a
    package before its modules whatever they import."""
    paths = {_module(p, root): p for p in sorted(root.rglob("*.py"))}
    modules = set(paths)
    return {
        name: {
            target
            for target in _imports(path, root, modules)
            if target != name and not name.startswith(target + ".")
        }
        for name, path in paths.items()
    }


def import_cycle(graph: dict[str, set[str]]) -> list[str]:
    """The first import cycle found (a, b, …, a), or [] when there is none."""
    state: dict[str, int] = {}  # 1 while on the path being walked, 2 once done
    trail: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        trail.append(node)
        for target in sorted(graph.get(node, set())):
            if state.get(target) == 1:
                return [*trail[trail.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        trail.pop()
        state[node] = 2
        return []

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            return cycle
    return []


def test_no_import_cycle() -> None:
    """No cycle among renewal_cli's modules, counting imports inside functions: a cycle behind
    a function-level import is still two modules that cannot be understood one without the
    other."""
    assert " -> ".join(import_cycle(import_graph(SRC.parent))) == ""


# Each case: a package's files (path → source) and the cycle the check must report.
CYCLES = [
    pytest.param(
        {"p/a.py": "import p.b\n", "p/b.py": "from p import a\n"},
        "p.a -> p.b -> p.a",
        id="top-level",
    ),
    pytest.param(
        {
            "p/a.py": "from p.b import g\n",
            "p/b.py": "def g():\n    from p.a import f\n    return f\n",
        },
        "p.a -> p.b -> p.a",
        id="function-level",
    ),
    pytest.param(
        {
            "p/a.py": "import p.b\n",
            "p/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import p.c\n",
            "p/c.py": "class C:\n    def m(self):\n        from . import a\n",
        },
        "p.a -> p.b -> p.c -> p.a",
        id="type-checking-and-relative",
    ),
    pytest.param(
        {
            "p/__init__.py": "",
            "p/q/__init__.py": "from p.q.a import x\n",
            "p/q/a.py": "from p.q import b\nx = 1\n",
            "p/q/b.py": "import p.q\nimport p\n",
        },
        "",
        id="modules-importing-their-package",
    ),
    pytest.param(
        {"p/a.py": "import p.b\nimport json\n", "p/b.py": "import os\n"},
        "",
        id="no-cycle",
    ),
]


@pytest.mark.parametrize(("files", "cycle"), CYCLES)
def test_the_cycle_check_sees_every_import(
    tmp_path: Path, files: dict[str, str], cycle: str
) -> None:
    for name, source in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source, "utf-8")
    assert " -> ".join(import_cycle(import_graph(tmp_path))) == cycle


def _defined(path: Path) -> set[str]:
    """The names a module defines itself: its top-level functions, classes and assignments
    (under `if` and `try` too), the names a package's `__all__` offers (its public face), and
    those a module-level `__getattr__` answers for."""
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()

    def collect(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
                if node.name == "__getattr__":
                    names.update(
                        c.value
                        for c in ast.walk(node)
                        if isinstance(c, ast.Constant) and isinstance(c.value, str)
                    )
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
                if path.name == "__init__.py" and "__all__" in names and node.value is not None:
                    with contextlib.suppress(ValueError):
                        names.update(ast.literal_eval(node.value))
            elif isinstance(node, ast.If | ast.Try):
                collect([*node.body, *node.orelse])

    collect(tree.body)
    return names


# Names still imported through a module that does not define them: rules.py re-exports these
# two for register.py alone, which the reading-layer rebuild (issue 19) changes to import them
# from dates.py. Then they go from here and from rules.py.
THROUGH: set[tuple[str, str, str]] = set()


def test_names_come_from_the_module_that_defines_them() -> None:
    """No re-export shims: code and tests import a function from the module that defines it,
    not from one that imported it (as rules.py once offered what moved to dates.py)."""
    paths = {_module(p): p for p in MODULES}
    defined = {name: _defined(path) for name, path in paths.items()}
    importers = [*paths.items(), *((p.name, p) for p in sorted(SRC.parents[1].glob("tests/*.py")))]
    through = set()
    for importer, path in importers:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in defined:
                through |= {
                    (importer, node.module, a.name)
                    for a in node.names
                    if a.name not in defined[node.module] and f"{node.module}.{a.name}" not in paths
                }
    assert through <= THROUGH, sorted(through - THROUGH)


def _commands() -> set[str]:
    """The command modules: those the command line takes a command of the same name from."""
    tree = ast.parse((SRC / "cli" / "__init__.py").read_text("utf-8"))
    return {
        node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith("renewal_cli.cli.")
        and [a.name for a in node.names] == [(node.module or "").rsplit(".", 1)[1]]
    }


# Command modules that still import another, and why: Format, FormatOpt and check_binary live in
# cli/due.py, which the library-API work of issue 19 rebuilds (it moves what they share out).
BETWEEN_COMMANDS: set[tuple[str, str]] = set()


def test_no_command_module_imports_another() -> None:
    """What two commands share lives in a module that is no command (cli/common.py,
    cli/office.py, cli/delivery.py …), so a command can be read, changed or removed alone."""
    commands = _commands()
    assert {"renewal_cli.cli.due", "renewal_cli.cli.mail", "renewal_cli.cli.notice"} <= commands
    graph = import_graph(SRC.parent)
    found = {(c, target) for c in commands for target in graph[c] & commands}
    assert found <= BETWEEN_COMMANDS, sorted(found - BETWEEN_COMMANDS)


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
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "False"
