"""The `renewal` command line: the only module that prints, exits or reads the clock.

Everything else is called from here: the register is read, the rules schedule and select, a
renderer makes the output, and this module writes it to stdout or -o FILE, with diagnostics on
stderr (the count line last) and the exit code of README "Exit codes".
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from renewal_cli import __version__
from renewal_cli.errors import EXIT_FAILURE, EXIT_FOUND, EXIT_OK, EXIT_USAGE, RenewalError
from renewal_cli.files import write_atomic
from renewal_cli.messages import Lang, describe_finding, field_label, text
from renewal_cli.models import Certificate, RowProblem, ScheduleItem, Status
from renewal_cli.options import (
    AllOpt,
    AsOfOpt,
    CityOpt,
    CountyOpt,
    EncodingOpt,
    ExpiredWithinOpt,
    FailOnOpt,
    FlagOpt,
    Format,
    LangOpt,
    PlanYearOpt,
    QuietOpt,
    RegisterArg,
    RemindOpt,
    SchemeOpt,
    SplitBy,
    SplitOpt,
    StatusOpt,
    StrictOpt,
    WithinOpt,
)
from renewal_cli.output.csvfile import render_csv
from renewal_cli.output.jsonfile import render_json
from renewal_cli.places import guangxi
from renewal_cli.register import ALIASES, Register, read_register
from renewal_cli.request import (
    Request,
    UsageProblem,
    addresses,
    build_request,
    choices,
    has_county,
    in_scope,
    one_choice,
    place_label,
)
from renewal_cli.request import (
    split_by as parse_split_by,
)
from renewal_cli.rules import Selection, select

CHINA = ZoneInfo("Asia/Shanghai")
SAMPLE = "sample_register.csv"

app = typer.Typer(
    name="renewal",
    help="广西绿色食品、有机农产品证书续展提醒 / Renewal deadlines for Guangxi's green food and "
    "organic certificates.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def today_in_china(now: datetime | None = None) -> date:
    """Today's date in Asia/Shanghai, whatever the machine's time zone."""
    moment = now if now is not None else datetime.now(tz=CHINA)
    return moment.astimezone(CHINA).date()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"renewal {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="显示版本 / Show the version."
        ),
    ] = False,
) -> None:
    """广西绿色食品、有机农产品证书续展提醒 / Renewal deadlines for Guangxi's certificates."""


@dataclass(frozen=True)
class Outcome:
    """The selected items of one run, and the summary line to print last."""

    items: list[ScheduleItem]
    summary: str


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _join(names: Sequence[str], lang: Lang) -> str:
    return ("、" if lang is Lang.ZH else ", ").join(names)


def _lang(value: str) -> Lang:
    """--lang / RENEWAL_LANG; an unknown value is a usage error told in both languages."""
    try:
        return Lang(value.strip().lower() or "zh")
    except ValueError:
        _err(text("usage.bad_choice", Lang.ZH, option="--lang", value=value, choices="zh, en"))
        _err(text("usage.bad_choice", Lang.EN, option="--lang", value=value, choices="zh, en"))
        raise typer.Exit(EXIT_USAGE) from None


@contextmanager
def _edge(lang: Lang) -> Iterator[None]:
    """Turn the project's errors into a message on stderr and an exit code, never a traceback."""
    try:
        yield
    except UsageProblem as problem:
        params = dict(problem.params)
        if "names" in params:
            names = [str(n) for n in params.pop("names")]  # type: ignore[attr-defined]
            everything = [str(n) for n in params.pop("everything")]  # type: ignore[attr-defined]
            params["suggestion"] = (
                text("usage.did_you_mean", lang, names=_join(names, lang))
                if names
                else text("usage.no_suggestion", lang, names=_join(everything, lang))
            )
        _err(text(problem.message_id, lang, **params))
        raise typer.Exit(EXIT_USAGE) from None
    except RenewalError as error:
        _err(_render_error(error, lang))
        raise typer.Exit(error.exit_code) from None
    except BrokenPipeError:
        # `renewal due | head`: the reader left; that is not an error of ours.
        sys.stderr.close()
        raise typer.Exit(EXIT_OK) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except typer.Exit:
        raise
    except Exception as error:  # a bug or an environment we did not foresee: no traceback
        if os.environ.get("RENEWAL_DEBUG"):
            raise
        _err(text("error.unexpected", lang, kind=type(error).__name__, detail=error))
        raise typer.Exit(EXIT_FAILURE) from None


def _render_error(error: RenewalError, lang: Lang) -> str:
    params = dict(error.params)
    if error.message_id == "register.missing_columns":
        missing = [str(m) for m in params["missing"]]  # type: ignore[attr-defined]
        header = [str(h) for h in params["header"]]  # type: ignore[attr-defined]
        lines = [
            text(
                "register.missing_columns",
                lang,
                source=params["source"],
                missing=_join([field_label(m, lang) for m in missing], lang),
                header=", ".join(header),
            )
        ]
        for field in missing:
            aliases = [a for name in field.split("/") for a in ALIASES[name]]
            lines.append(
                text(
                    "register.missing_column",
                    lang,
                    field=field_label(field, lang),
                    aliases=_join(aliases, lang),
                )
            )
        return "\n".join(lines)
    params.setdefault("source", "")
    params.setdefault("line", "?")
    message = text(error.message_id, lang, **params)
    from_env = os.environ.get("RENEWAL_REGISTER")
    if error.message_id.startswith("register.") and from_env and params["source"] == from_env:
        message += text("usage.register_from_env", lang)
    return message


def _open(request: Request) -> Register:
    places = guangxi()
    if request.register is None:
        data = files("renewal_cli").joinpath("data", SAMPLE).read_bytes()
        if not request.quiet:
            _err(text("note.sample", request.lang, source=SAMPLE))
        return read_register(data, policy=request.policy, places=places, name=SAMPLE)
    if request.register == "-":
        data = sys.stdin.buffer.read()
        return read_register(data, policy=request.policy, places=places, encoding=request.encoding)
    return read_register(
        Path(request.register),
        policy=request.policy,
        places=places,
        encoding=request.encoding,
    )


def run_selection(request: Request) -> Outcome:
    """Read the register, report its problems on stderr, and select the items to show.

    Raises RenewalError when the register cannot be read, or has bad rows under --strict.
    """
    lang = request.lang
    register = _open(request)

    def certificates() -> Iterator[Certificate]:
        # Problems and warnings are reported as the rows stream past.
        for entry in register:
            if isinstance(entry, RowProblem):
                for finding in entry.findings:
                    _err(describe_finding(entry, finding, lang))
                continue
            for note in entry.notes:
                _err(text("note.warning", lang, what=describe_finding(entry, note, lang)))
            yield entry

    items = select(certificates(), request.as_of, request.policy, request.selection)
    counts = register.counts
    if counts.title_lines and not request.quiet:
        _err(text("note.title", lang, title=counts.title_lines))
    if counts.blank and not request.quiet:
        _err(text("note.blank", lang, blank=counts.blank))
    summary = text(
        "note.counts",
        lang,
        source=register.source,
        rows=counts.rows,
        certificates=counts.certificates,
        problems=counts.problems,
    )
    if request.strict and counts.problems:
        _err(summary)
        raise RenewalError("note.strict_failed", problems=counts.problems)
    if Status.FILED in request.selection.statuses and not request.selection.all:
        _err(text("note.filed_needs_all", lang))
    return Outcome(items=items, summary=summary)


def _finish(outcome: Outcome, request: Request, fail_on: frozenset[Status]) -> None:
    """The closing lines on stderr (the count line last), then exit 3 under --fail-on."""
    hit = sorted({i.status for i in outcome.items if i.status in fail_on}, key=list(Status).index)
    if hit:
        _err(text("note.fail_on", request.lang, statuses=",".join(s.value for s in hit)))
    # --quiet keeps stderr for problems only: a cron job then mails nothing when all is well.
    if not request.quiet:
        _err(outcome.summary)
    if hit:
        raise typer.Exit(EXIT_FOUND)


# The parameters every selecting command declares (options.py), passed on to build_request.
_SELECTION_PARAMS = (
    "register",
    "encoding",
    "city",
    "county",
    "scheme",
    "status",
    "flag",
    "within",
    "expired_within",
    "all_",
    "as_of",
    "plan_year",
    "strict",
)


def _selection(params: Mapping[str, Any]) -> dict[str, Any]:
    """The shared selection options out of a command's parameters (Typer needs each command
    to declare them; this keeps the hand-over to build_request in one place)."""
    return {name: params[name] for name in _SELECTION_PARAMS}


def _check_output(output: Path | None, register: str | None) -> None:
    """Refuse `-o 台账.csv` on the register itself: the report would replace the data."""
    if output is None or register in (None, "-"):
        return
    if output.resolve() == Path(register).resolve():
        raise UsageProblem("usage.output_is_register", path=output)


def emit_text(data: str, output: Path | None, lang: Lang, count: int, *, color: bool) -> None:
    """Write text output to -o FILE (atomically) or stdout."""
    if output is None:
        typer.echo(data, nl=False, color=color)
        return
    write_atomic(output, data.encode("utf-8"))
    _err(text("note.written", lang, path=output, count=count))


def _no_color() -> bool:
    # no-color.org: only a non-empty NO_COLOR turns colour off.
    return bool(os.environ.get("NO_COLOR"))


def _env_width() -> int | None:
    """COLUMNS when set (e.g. by the user for a pipe); else as wide as the table needs."""
    value = os.environ.get("COLUMNS", "")
    return int(value) if value.isdigit() and int(value) > 0 else None


@app.command()
def due(
    register: RegisterArg = None,
    city: CityOpt = None,
    county: CountyOpt = None,
    scheme: SchemeOpt = None,
    status: StatusOpt = None,
    flag: FlagOpt = None,
    within: WithinOpt = 120,
    expired_within: ExpiredWithinOpt = 365,
    all_: AllOpt = False,
    as_of: AsOfOpt = None,
    plan_year: PlanYearOpt = None,
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", metavar="table|csv|json", help="输出格式 / Output format."),
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="写入文件 / Write to FILE."),
    ] = None,
    lang: LangOpt = "zh",
    encoding: EncodingOpt = None,
    strict: StrictOpt = False,
    fail_on: FailOnOpt = None,
) -> None:
    """列出需要处理的证书 / List the certificates that need action, with file-by day and status."""
    language = _lang(lang)
    with _edge(language):
        chosen = one_choice(output_format, Format, "--format") or Format.TABLE
        request = build_request(**_selection(locals()), lang=language, today=today_in_china())
        failing = choices(fail_on, Status, "--fail-on")
        _check_output(output, register)
        outcome = run_selection(request)
        items = outcome.items
        color = False
        if chosen is Format.JSON:
            data = render_json(items)
        elif chosen is Format.CSV:
            data = render_csv(items, language)
            if output is not None:
                # Excel opens a UTF-8 CSV file as GBK unless it starts with a BOM.
                data = "\ufeff" + data
        else:
            terminal = output is None and sys.stdout.isatty()
            color = terminal and not _no_color()
            width = shutil.get_terminal_size().columns if terminal else _env_width()
            # rich is imported only when a table is drawn: it costs start-up time otherwise.
            from renewal_cli.output.table import render_table

            data = render_table(
                items,
                as_of=request.as_of,
                plan_year=request.policy.plan_year,
                lang=language,
                color=color,
                width=width,
            )
        emit_text(data, output, language, len(items), color=color)
        _finish(outcome, request, failing)


def _calendar_name(place: str | None, lang: Lang) -> str:
    return text("calendar.name", lang, place=place or "").strip()


def _places_to_write(
    by: SplitBy, groups: Mapping[str, list[ScheduleItem]], selection: Selection, directory: Path
) -> list[str]:
    """Places that get a calendar file: those with items, and those within the selection whose
    file already exists in the directory (rewritten empty, so a subscribed calendar drops last
    week's events). Files of places outside the selection are never touched."""
    from renewal_cli.output.calendar import safe_filename

    places = guangxi()

    def in_scope(city: str, county: str | None) -> bool:
        return (not selection.cities or city in selection.cities) and (
            not selection.counties or county in selection.counties
        )

    if by is SplitBy.CITY:
        scope = [c for c in places.cities if in_scope(c, None) or has_county(selection, c)]
    else:
        scope = [c.name for c in places.counties.values() if in_scope(c.city, c.name)]
        # Items without a county go under their city's name.
        scope += [c for c in places.cities if in_scope(c, None)]
    existing = {p for p in scope if (directory / safe_filename(p)).exists()}
    return sorted(set(groups) | existing)


@app.command()
def calendar(
    register: RegisterArg = None,
    city: CityOpt = None,
    county: CountyOpt = None,
    scheme: SchemeOpt = None,
    status: StatusOpt = None,
    flag: FlagOpt = None,
    within: WithinOpt = 120,
    expired_within: ExpiredWithinOpt = 365,
    all_: AllOpt = False,
    as_of: AsOfOpt = None,
    plan_year: PlanYearOpt = None,
    remind: RemindOpt = "30,7",
    split_by: SplitOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE|DIR",
            help="写入文件（--split-by 时为目录）/ Write to FILE (a directory with --split-by).",
        ),
    ] = None,
    lang: LangOpt = "zh",
    encoding: EncodingOpt = None,
    strict: StrictOpt = False,
    quiet: QuietOpt = False,
    fail_on: FailOnOpt = None,
) -> None:
    """生成 .ics 提醒日历 / Write the selected items as an iCalendar (.ics) reminder calendar."""
    language = _lang(lang)
    with _edge(language):
        from renewal_cli.output.calendar import parse_remind, render_calendar, safe_filename
        from renewal_cli.output.calendar import split_items as group_items

        by = parse_split_by(split_by)
        remind_days = parse_remind(remind)
        if by is not None and output is None:
            raise UsageProblem("usage.split_needs_dir")
        request = build_request(
            **_selection(locals()), lang=language, quiet=quiet, today=today_in_china()
        )
        failing = choices(fail_on, Status, "--fail-on")
        _check_output(output, register)
        outcome = run_selection(request)
        items = outcome.items
        if by is None:
            data = render_calendar(
                items,
                as_of=request.as_of,
                lang=language,
                name=_calendar_name(place_label(request.selection), language),
                remind_days=remind_days,
            )
            if output is not None:
                # Rewritten even when empty: a subscribed calendar must drop last week's events.
                write_atomic(output, data)
                if not quiet:
                    _err(text("note.written", language, path=output, count=len(items)))
            elif items or not quiet:
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
        else:
            assert output is not None
            groups = group_items(items, by.value)
            try:
                output.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise RenewalError(
                    "output.unwritable", path=str(output), detail=error.strerror
                ) from None
            for place in _places_to_write(by, groups, request.selection, output):
                place_items = groups.get(place, [])
                data = render_calendar(
                    place_items,
                    as_of=request.as_of,
                    lang=language,
                    name=_calendar_name(place, language),
                    remind_days=remind_days,
                )
                path = output / safe_filename(place)
                write_atomic(path, data)
                if not quiet:
                    _err(text("note.written", language, path=path, count=len(place_items)))
        _finish(outcome, request, failing)


@app.command()
def mail(
    register: RegisterArg = None,
    city: CityOpt = None,
    county: CountyOpt = None,
    scheme: SchemeOpt = None,
    status: StatusOpt = None,
    flag: FlagOpt = None,
    within: WithinOpt = 120,
    expired_within: ExpiredWithinOpt = 365,
    all_: AllOpt = False,
    as_of: AsOfOpt = None,
    plan_year: PlanYearOpt = None,
    remind: RemindOpt = "30,7",
    to: Annotated[
        list[str] | None,
        typer.Option("--to", metavar="ADDR", help="收件人（可重复）/ Recipient (repeatable)."),
    ] = None,
    contacts: Annotated[
        Path | None,
        typer.Option(
            "--contacts",
            metavar="FILE",
            help="联系人 CSV（地区,姓名,邮箱）/ Contacts CSV: place, name, email.",
        ),
    ] = None,
    split_by: SplitOpt = None,
    smtp_host: Annotated[
        str | None,
        typer.Option("--smtp-host", metavar="HOST", help="SMTP 服务器 / $RENEWAL_SMTP_HOST."),
    ] = None,
    smtp_port: Annotated[
        int | None,
        typer.Option("--smtp-port", metavar="PORT", help="SMTP 端口 / $RENEWAL_SMTP_PORT."),
    ] = None,
    smtp_user: Annotated[
        str | None,
        typer.Option(
            "--smtp-user",
            metavar="USER",
            help="SMTP 用户；密码只从 $RENEWAL_SMTP_PASSWORD 读取 / User; password from env only.",
        ),
    ] = None,
    smtp_security: Annotated[
        str | None,
        typer.Option(
            "--smtp-security",
            metavar="starttls|ssl|none",
            help="连接加密方式 / $RENEWAL_SMTP_SECURITY (default starttls).",
        ),
    ] = None,
    sender: Annotated[
        str | None,
        typer.Option("--from", metavar="ADDR", help="发件人 / Sender, $RENEWAL_MAIL_FROM."),
    ] = None,
    dry_run: Annotated[
        Path | None,
        typer.Option(
            "--dry-run",
            metavar="DIR",
            help="不发送，把邮件写成 .eml 文件 / Write .eml files into DIR instead of sending.",
        ),
    ] = None,
    lang: LangOpt = "zh",
    encoding: EncodingOpt = None,
    strict: StrictOpt = False,
    quiet: QuietOpt = False,
    fail_on: FailOnOpt = None,
) -> None:
    """把提醒日历和清单发邮件给各地负责人 / Mail each officer the calendar and digest of their place."""
    language = _lang(lang)
    with _edge(language):
        from renewal_cli.contacts import read_contacts
        from renewal_cli.mail import (
            build_message,
            plan_messages,
            send_messages,
            smtp_settings_from,
            write_eml,
        )
        from renewal_cli.output.calendar import parse_remind, render_calendar

        by = parse_split_by(split_by)
        remind_days = parse_remind(remind)
        recipients = addresses(to)
        if recipients and contacts is not None:
            raise UsageProblem("usage.to_or_contacts")
        if not recipients and contacts is None:
            raise RenewalError("mail.no_recipients", exit_code=EXIT_USAGE)
        settings = smtp_settings_from(
            os.environ,
            host=smtp_host if dry_run is None else (smtp_host or "dry-run.invalid"),
            port=smtp_port,
            user=smtp_user,
            security=smtp_security,
            sender=sender,
        )
        request = build_request(
            **_selection(locals()), lang=language, quiet=quiet, today=today_in_china()
        )
        failing = choices(fail_on, Status, "--fail-on")
        book = None
        if contacts is not None:
            book = read_contacts(contacts, guangxi(), (by or SplitBy.CITY).value)
        outcome = run_selection(request)
        batches, orphans = plan_messages(
            outcome.items,
            recipients=recipients,
            contacts=book,
            split_by=by.value if by is not None else None,
            place=place_label(request.selection),
            in_scope=lambda place: in_scope(place, request.selection),
        )
        if orphans:
            where = sorted(
                {
                    " ".join(filter(None, (i.certificate.city, i.certificate.county)))
                    for i in orphans
                }
            )
            _err(
                text("mail.no_contact", language, count=len(orphans), places=_join(where, language))
            )
        if quiet:
            batches = [b for b in batches if b.items]

        now = datetime.now(tz=CHINA)
        messages = []
        for batch in batches:
            calendar_data = render_calendar(
                batch.items,
                as_of=request.as_of,
                lang=language,
                name=_calendar_name(batch.place, language),
                remind_days=remind_days,
                organizer=settings.sender,
            )
            messages.append(
                build_message(
                    place=batch.place,
                    recipients=batch.recipients,
                    sender=settings.sender,
                    items=batch.items,
                    as_of=request.as_of,
                    plan_year=request.policy.plan_year,
                    lang=language,
                    calendar=calendar_data,
                    csv_text=render_csv(batch.items, language),
                    now=now,
                )
            )
        failed = 0
        if dry_run is not None:
            paths = write_eml(messages, dry_run)
            if not quiet:
                _err(text("mail.eml_written", language, count=len(paths), directory=dry_run))
        elif messages:
            deliveries = send_messages(messages, settings)
            for delivery in deliveries:
                place_name = delivery.place or text("mail.all_places", language)
                if delivery.sent:
                    if not quiet:
                        _err(
                            text(
                                "mail.sent",
                                language,
                                recipient=delivery.recipient,
                                place=place_name,
                            )
                        )
                else:
                    failed += 1
                    _err(
                        text(
                            "mail.not_sent",
                            language,
                            recipient=delivery.recipient,
                            place=place_name,
                            error=delivery.error or "",
                        )
                    )
            if failed or not quiet:
                _err(text("mail.report", language, sent=len(deliveries) - failed, failed=failed))
        if failed:
            _err(outcome.summary)
            raise typer.Exit(EXIT_FAILURE)
        _finish(outcome, request, failing)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except RenewalError as error:  # raised outside a command's edge (should not happen)
        _err(_render_error(error, Lang.ZH))
        sys.exit(EXIT_FAILURE)
