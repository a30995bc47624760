"""`--help` speaks one language (issue 17, point 19): Chinese by default; English under --lang en,
RENEWAL_LANG=en or an English locale (LC_ALL, LC_MESSAGES, LANG). At 80 columns every option's
help is shown whole, in one language, in a column wide enough to read."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer.main
from rich.cells import cell_len
from typer.testing import CliRunner

from conftest import run
from renewal_cli.cli import app
from renewal_cli.cli.help import help_language, translate, words
from renewal_cli.messages import CATALOG, Lang

GROUP: Any = typer.main.get_command(app)
COMMANDS = [[], *([name] for name in GROUP.commands)]
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")

# ASCII words a Chinese help may show: option names, metavars, environment variables, the
# values an option takes (green, table, …), file kinds and names of things (CSV, SMTP, Excel).
CODE_WORDS = {
    *["OPTIONS", "COMMAND", "ARGS", "REGISTER", "renewal", "python", "m", "renewal_cli"],
    *["green", "organic", "mingte", "renewal", "transfer", "new_application", "annual_inspection"],
    *["annual_confirmation", "quality_test", "pending", "late", "expired", "filed", "superseded"],
    *[
        "plan_cohort",
        "next_h1",
        "fee_waiver",
        "fee_discount_35",
        "zh",
        "en",
        "docx",
        "txt",
        "table",
        "csv",
        "json",
    ],
    *[
        "xlsx",
        "ics",
        "eml",
        "CSV",
        "TOML",
        "UTF",
        "BOM",
        "SMTP",
        "Excel",
        "WPS",
        "Windows",
        "gb18030",
        "utf",
        "Baise",
        "tianyang",
    ],
    *[
        "starttls",
        "ssl",
        "none",
        "city",
        "county",
        "scheme",
        "shell",
        "name",
        "office",
        "DIR",
        "FILE",
    ],
    # The delivery record (SQLite, $XDG_STATE_HOME/renewal/delivery.sqlite3), ISO weeks and
    # the report page (HTML) of mail, notify and report.
    *["SQLite", "XDG_STATE_HOME", "delivery", "sqlite3", "ISO", "HTML"],
}


def _help(runner: CliRunner, command: list[str], *args: str, **env: str) -> str:
    result = run(runner, *command, "--help", *args, env={"COLUMNS": "80", **env})
    assert result.exit_code == 0, result.stderr
    screen: str = result.stdout
    return screen


def _target(command: list[str]) -> Any:
    return GROUP.commands[command[0]] if command else GROUP


@pytest.mark.parametrize(
    ("args", "env", "lang"),
    [
        pytest.param((), {}, Lang.ZH, id="default-chinese"),
        pytest.param(("--lang", "en"), {}, Lang.EN, id="lang-en"),
        pytest.param(("--lang=en",), {}, Lang.EN, id="lang-equals-en"),
        pytest.param((), {"RENEWAL_LANG": "en"}, Lang.EN, id="renewal-lang-en"),
        pytest.param((), {"LANG": "en_US.UTF-8"}, Lang.EN, id="locale-lang"),
        pytest.param((), {"LC_ALL": "en_GB.UTF-8"}, Lang.EN, id="locale-lc-all"),
        pytest.param((), {"LC_MESSAGES": "en_US.UTF-8"}, Lang.EN, id="locale-lc-messages"),
        pytest.param((), {"LANG": "zh_CN.UTF-8"}, Lang.ZH, id="chinese-locale"),
        pytest.param((), {"LANG": "C.UTF-8"}, Lang.ZH, id="c-locale"),
        pytest.param(("--lang", "zh"), {"LANG": "en_US.UTF-8"}, Lang.ZH, id="option-beats-locale"),
        pytest.param((), {"RENEWAL_LANG": "zh", "LANG": "en_US.UTF-8"}, Lang.ZH, id="env-first"),
        pytest.param((), {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, Lang.ZH, id="lc-all"),
    ],
)
def test_help_language(args: tuple[str, ...], env: dict[str, str], lang: Lang) -> None:
    assert help_language(["due", *args, "--help"], env) is lang


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0] if c else "renewal")
@pytest.mark.parametrize(
    ("args", "env", "lang"),
    [
        pytest.param((), {}, Lang.ZH, id="zh"),
        pytest.param(("--lang", "en"), {}, Lang.EN, id="lang-en"),
        pytest.param((), {"RENEWAL_LANG": "en"}, Lang.EN, id="renewal-lang"),
        pytest.param((), {"LANG": "en_US.UTF-8"}, Lang.EN, id="en-locale"),
    ],
)
def test_help_speaks_one_language(
    runner: CliRunner,
    command: list[str],
    args: tuple[str, ...],
    env: dict[str, str],
    lang: Lang,
) -> None:
    screen = _help(runner, command, *args, **env)
    target = _target(command)
    flat = re.sub(r"[\s│]", "", screen)
    # Every help text, whole, in the language asked for; Typer's own words too. A hidden
    # option (notify --rate-window, for tests) has a help that the screen does not show.
    shown = [p for p in target.params if not getattr(p, "hidden", False)]
    hidden = [p for p in target.params if getattr(p, "hidden", False)]
    for value in [target.help, *(getattr(p, "help", None) for p in shown)]:
        if value:
            assert re.sub(r"\s", "", words(value, lang) or "") in flat, value
    for param in hidden:
        assert re.sub(r"\s", "", words(param.help, lang) or "") not in flat, param.help
    for key in ("help.typer.help", "help.typer.options"):
        assert CATALOG[key][lang].strip() in screen
    if lang is Lang.EN:
        assert not CJK.findall(screen)
    else:
        names = {w for p in target.params for o in p.opts for w in re.findall(r"\w+", o)}
        metavars = {w for p in target.params for w in re.findall(r"\w+", p.metavar or "")}
        envvars = set(re.findall(r"RENEWAL_\w+", screen))
        english = set(re.findall(r"[A-Za-z]\w*", screen)) - names - metavars - envvars
        english -= set(GROUP.commands)
        assert english - CODE_WORDS - {"YYYY", "MM", "DD", "help", "version"} == set()
        for typer_english in ("Show this message", "Options", "Usage", "default:", "env var"):
            assert typer_english not in screen


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0] if c else "renewal")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_option_help_has_room(runner: CliRunner, command: list[str], lang: str) -> None:
    """At 80 columns the help column is at least 36 cells wide (two languages side by side
    left it a narrow column, four or five lines per option), and every line fits."""
    screen = _help(runner, command, "--lang", lang)
    lines = screen.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    target = _target(command)
    for param in target.params:
        shown = words(getattr(param, "help", None), Lang(lang))
        if not shown or not param.opts[0].startswith("--") or getattr(param, "hidden", False):
            continue
        (row,) = [line for line in lines if re.match(rf"│ {re.escape(param.opts[0])}[, ]", line)]
        start = row.index(shown[:4])
        assert cell_len(row) - cell_len(row[:start]) - 2 >= 36, row


def test_every_help_is_a_message_in_both_languages() -> None:
    """Each command and option declares a message id with Chinese and English words."""
    for command in [GROUP, *GROUP.commands.values()]:
        ids = [command.help, *(getattr(p, "help", None) for p in command.params)]
        for value in ids:
            if value and value not in ("help.typer.help",):
                if value.startswith("help."):
                    assert set(CATALOG[value]) == {Lang.ZH, Lang.EN}, value
                else:  # Typer's own (shell completion), worded by cli/help.py
                    assert words(value, Lang.ZH) != value, value


def test_root_lang_sets_the_command_language(runner: CliRunner) -> None:
    result = run(runner, "--lang", "en", "due", "--as-of", "2024-06-01", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "rows:" in result.stderr and "行" not in result.stderr


def test_locale_does_not_change_what_commands_print(runner: CliRunner) -> None:
    """An English locale (a server's default) changes the help only: a command's output and
    messages stay Chinese unless --lang or RENEWAL_LANG says otherwise."""
    result = run(runner, "due", "--as-of", "2024-06-01", env={"LANG": "en_US.UTF-8"})
    assert result.exit_code == 0, result.stderr
    assert "申报截止" in result.stdout and "个证书" in result.stderr


@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN])
def test_translate_words_the_tree_for_shell_completion(lang: Lang) -> None:
    """Shell completion (zsh, fish) shows the options' help as their description: `translate`
    words every help of the tree, Typer's own too, before anything reads it."""
    group: Any = typer.main.get_command(app)
    translate(group, lang)
    helps = [p.help for c in [group, *group.commands.values()] for p in c.params if p.help] + [
        c.help for c in group.commands.values()
    ]
    assert helps and not [h for h in helps if h.startswith("help.")]
    (install,) = [p for p in group.params if p.name == "install_completion"]
    assert install.help == CATALOG["help.typer.install_completion"][lang]
