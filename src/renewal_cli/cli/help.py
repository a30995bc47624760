"""Help screens that fit an 80-column terminal without losing words.

Typer's rich help cuts a long cell with "…" (a run of Chinese has no space to wrap at) and
shows type labels (<bool>, <str>) beside options. This folds long cells instead, and shows an
option's metavar only. It reaches into typer.rich_utils, so pyproject pins typer's minor range.
"""

from __future__ import annotations

import shutil
from typing import Any

import typer.core
import typer.rich_utils
from rich.text import Text
from typer._click.types import ParamType


def _fold(renderable: Any) -> Any:
    for item in getattr(renderable, "renderables", [renderable]):
        if isinstance(item, Text):
            item.overflow = "fold"
    return renderable


def tune() -> None:
    """Install the help tweaks (idempotent)."""
    if getattr(typer.rich_utils, "_renewal_tuned", False):
        return
    # An option's type cell is its metavar already (a flag's is blank); an argument's is its
    # type's metavar, else "<str>": an empty one leaves the cell blank.
    type_metavar = ParamType.get_metavar

    def metavar(self: ParamType, param: Any, ctx: Any) -> str | None:
        return "" if isinstance(param, typer.core.TyperArgument) else type_metavar(self, param, ctx)

    ParamType.get_metavar = metavar  # type: ignore[method-assign]
    width = shutil.get_terminal_size((80, 24)).columns
    typer.rich_utils.MAX_WIDTH = min(80, width)
    parameter_help = typer.rich_utils._get_parameter_help
    command_help = typer.rich_utils._make_command_help
    typer.rich_utils._get_parameter_help = lambda **kw: _fold(parameter_help(**kw))
    typer.rich_utils._make_command_help = lambda **kw: _fold(command_help(**kw))
    typer.rich_utils._renewal_tuned = True  # type: ignore[attr-defined]
