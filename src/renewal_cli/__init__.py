"""renewal-cli: renewal deadlines for Guangxi's green food and organic certificates.

The library API: `renewal_cli.due(…)`, `renewal_cli.check(…)` and `renewal_cli.summary(…)`
(README "Library API"; renewal_cli/api.py). They are loaded when first used (PEP 562), so
importing the package stays cheap (the command line never loads them through here). No module
of the package is named like one of them: the checks across certificates are crosscheck.py and
the year-end counts yearend.py, so importing a module never hides a function.
"""

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
    from renewal_cli.yearend import SummaryBy

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
    "SummaryBy": "renewal_cli.yearend",
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


def __getattr__(name: str) -> object:
    """The API's names, each imported from its module on first use and then kept."""
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
