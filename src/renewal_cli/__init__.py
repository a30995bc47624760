"""renewal-cli: renewal deadlines for Guangxi's green food and organic certificates.

The library API: `renewal_cli.due(…)`, `renewal_cli.check(…)` and `renewal_cli.summary(…)`
(README "Library API"; renewal_cli/api.py). They are loaded when first used, so importing
the package stays cheap (the command line never loads them through here).

Two modules of the package share a name with these functions: renewal_cli/check.py (the checks
across certificates) and renewal_cli/summary.py (the year-end counts). Importing them must not
replace the functions on the package, so the package's module type keeps the functions:
`from renewal_cli.summary import SummaryBy` works as before, while `renewal_cli.summary` is the
function.
"""

import sys
from types import ModuleType

__version__ = "0.1.0"

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; mypy reads it so too
if TYPE_CHECKING:
    from renewal_cli.api import (
        CheckResult,
        DueResult,
        Finding,
        HolderEntry,
        SummaryEntry,
        SummaryResult,
        check,
        due,
        summary,
    )
    from renewal_cli.errors import RenewalError, UsageError
    from renewal_cli.messages import Lang
    from renewal_cli.models import Flag, Kind, Scheme, Status
    from renewal_cli.summary import SummaryBy

# Name → the module that defines it, imported on first use.
_LAZY = {
    **dict.fromkeys(
        (
            "due",
            "check",
            "summary",
            "DueResult",
            "CheckResult",
            "SummaryResult",
            "Finding",
            "SummaryEntry",
            "HolderEntry",
        ),
        "renewal_cli.api",
    ),
    "RenewalError": "renewal_cli.errors",
    "UsageError": "renewal_cli.errors",
    "Lang": "renewal_cli.messages",
    "Scheme": "renewal_cli.models",
    "Status": "renewal_cli.models",
    "Kind": "renewal_cli.models",
    "Flag": "renewal_cli.models",
    "SummaryBy": "renewal_cli.summary",
}

__all__ = [
    "CheckResult",
    "DueResult",
    "Finding",
    "Flag",
    "HolderEntry",
    "Kind",
    "Lang",
    "RenewalError",
    "Scheme",
    "Status",
    "SummaryBy",
    "SummaryEntry",
    "SummaryResult",
    "UsageError",
    "__version__",
    "check",
    "due",
    "summary",
]


class _Package(ModuleType):
    """The package's module type: the API's names are loaded on first use, and a submodule
    imported later never replaces a function of the same name (check, summary)."""

    def __getattr__(self, name: str) -> object:
        home = _LAZY.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(home), name)
        ModuleType.__setattr__(self, name, value)
        return value

    def __setattr__(self, name: str, value: object) -> None:
        if name in _LAZY and isinstance(value, ModuleType):
            return  # the import system naming a submodule: the API's function stays
        ModuleType.__setattr__(self, name, value)


sys.modules[__name__].__class__ = _Package
