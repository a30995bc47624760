"""`renewal notify`: each place's digest posted to its WeCom, DingTalk or Feishu/Lark group."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from renewal_cli.cli.common import request_of, run_selection
from renewal_cli.cli.delivery import (
    DeadlineOpt,
    DeliveryArgs,
    PeriodOpt,
    ResendOpt,
    StateOpt,
    WaitOpt,
    ledger_for,
    recorded_now,
    seconds,
)
from renewal_cli.cli.options import QuietOpt, selecting
from renewal_cli.cli.reporter import Reporter, edge, join_places
from renewal_cli.errors import EXIT_FAILURE, UsageError
from renewal_cli.present import describe_post, place_label, platform_label
from renewal_cli.request import Request, SelectionArgs

if TYPE_CHECKING:  # the chat package is loaded only when notify runs
    from renewal_cli.chat.deliver import GroupResult, NotifyJob
    from renewal_cli.chat.routing import Group
    from renewal_cli.chat.webhooks import Webhook
    from renewal_cli.delivery.ledger import Ledger
    from renewal_cli.jobs import Outcome
    from renewal_cli.models import ScheduleItem

WebhookOpt = Annotated[
    str | None,
    typer.Option(
        "--webhook",
        metavar="URL|env:NAME",
        help="help.notify.webhook",
    ),
]
WebhooksOpt = Annotated[
    Path | None,
    typer.Option(
        "--webhooks",
        metavar="FILE",
        help="help.notify.webhooks",
    ),
]
MostOpt = Annotated[
    int,
    typer.Option(
        "--max-messages",
        metavar="N",
        help="help.notify.max_messages",
    ),
]
TimeoutOpt = Annotated[
    str,
    typer.Option("--timeout", metavar="SECONDS", help="help.notify.timeout"),
]
DryRunOpt = Annotated[
    Path | None,
    typer.Option(
        "--dry-run",
        metavar="DIR",
        help="help.notify.dry_run",
    ),
]
# The platforms' one-minute rate window, shortened only by the tests (README, Development).
WindowOpt = Annotated[
    float,
    typer.Option(
        "--rate-window",
        metavar="SECONDS",
        hidden=True,
        help="help.notify.rate_window",
    ),
]

ENV_PREFIX = "env:"


def _number(value: float, option: str, low: float, high: float) -> None:
    if not low <= value <= high or value != value:  # NaN compares false both ways
        raise UsageError("usage.number_range", option=option, value=value, low=low, high=high)


def _robots(
    webhook: str | None, webhooks: Path | None, report: Reporter
) -> tuple[Webhook | None, dict[str, list[Webhook]] | None]:
    """The one robot of --webhook, or the robots of the --webhooks file by place."""
    from renewal_cli.chat.webhooks import WebhookError, parse_webhook, read_webhooks, redact
    from renewal_cli.places import guangxi

    if webhook is not None and webhooks is not None:
        raise UsageError("chat.webhook_or_file")
    if webhooks is not None:
        robots = read_webhooks(webhooks, guangxi())
        mode = webhooks.stat().st_mode & 0o777
        if mode & 0o077:  # the keys in it post to the groups: like the env file, mode 600
            report.line(report.say("chat.file_open", source=webhooks, mode=f"{mode:o}"))
        return None, robots
    if webhook is None:
        raise UsageError("chat.no_webhook")
    value = webhook
    if webhook.startswith(ENV_PREFIX):
        name = webhook.removeprefix(ENV_PREFIX)
        value = os.environ.get(name, "").strip()
        if not value:
            raise UsageError("chat.env_unset", name=name)
    else:
        report.note("chat.key_on_command_line")
    try:
        return parse_webhook(value, os.environ.get("RENEWAL_WEBHOOK_SECRET")), None
    except WebhookError as err:
        raise UsageError(
            "chat.bad_webhook", value=redact(value), why=err.why, **err.params
        ) from None


def _said(result: GroupResult, report: Reporter, timeout: float, dry_run: bool) -> None:
    """One group's result, as soon as it is known (a failure even under --quiet)."""
    lang = report.lang
    webhook = result.group.webhook
    names = {
        "platform": platform_label(webhook.platform.value, lang),
        "robot": webhook.shown,
        "place": result.group.place or report.say("mail.all_places"),
    }
    failure = result.failure
    if failure is None:
        if result.sent:
            key = "chat.sent_update" if result.updated else "chat.sent"
            report.note("chat.would_send" if dry_run else key, count=result.sent, **names)
        return
    error = describe_post(
        failure.reason or "answer",
        platform=webhook.platform.value,
        host=webhook.host,
        code=failure.code,
        words=failure.words,
        status=failure.status,
        unknown=failure.unknown,
        retried=failure.retried,
        timeout=timeout,
        lang=lang,
    )
    if result.failed_part > 1:
        report.line(
            report.say(
                "chat.not_sent_from",
                number=result.failed_part,
                total=result.parts,
                sent=result.failed_part - 1,
                error=error,
                **names,
            )
        )
    else:
        report.line(report.say("chat.not_sent", error=error, **names))


def _summary(
    report: Reporter,
    results: Sequence[GroupResult],
    orphans: Sequence[ScheduleItem],
    period: str,
    written: Sequence[Path] | None,
    dry_run: Path | None,
) -> int:
    """The closing lines: places no robot covers, skips, the tally; the number that failed."""
    if orphans:
        where = sorted({place_label(i.certificate.city, i.certificate.county) for i in orphans})
        places = join_places(where, report.lang)
        report.line(report.say("chat.no_robot", count=len(orphans), places=places))
    skipped = sum(1 for r in results if not r.failed and not r.sent and r.skipped)
    if skipped:
        report.note("chat.skipped", count=skipped, period=period)
    if dry_run is not None:
        report.note("chat.written", count=len(written or ()), directory=dry_run)
        return 0
    failed = sum(r.failed for r in results)
    if results and (failed or not report.quiet):
        report.line(report.say("chat.report", sent=len(results) - failed - skipped, failed=failed))
    return failed


@selecting
def notify(
    args: SelectionArgs,
    webhook: WebhookOpt = None,
    webhooks: WebhooksOpt = None,
    max_messages: MostOpt = 5,
    timeout: TimeoutOpt = "10",
    dry_run: DryRunOpt = None,
    quiet: QuietOpt = False,
    state: StateOpt = None,
    wait: WaitOpt = "0",
    period: PeriodOpt = "week",
    resend: ResendOpt = False,
    deadline: DeadlineOpt = "600",
    rate_window: WindowOpt = 60.0,
) -> None:
    """把各地的提醒清单发到企业微信、钉钉或飞书群 / Post each place's digest to its chat group."""
    started = time.monotonic()
    with edge(args.lang, quiet) as report:
        _number(max_messages, "--max-messages", 1, 100)
        _number(rate_window, "--rate-window", 0.01, 60)
        how = Sending(
            timeout=seconds(timeout, "--timeout"),
            deadline=started + seconds(deadline, "--deadline"),
            window=rate_window,
            dry_run=dry_run,
        )
        single, by_place = _robots(webhook, webhooks, report)
        request = request_of(args, report, quiet)
        record = DeliveryArgs(state, wait, period, resend)
        outcome, failed = _run(request, single, by_place, max_messages, how, record, report)
        if failed:
            report.line(report.count_line(outcome))
            raise typer.Exit(EXIT_FAILURE)
        report.finish(outcome, request)


@dataclass(frozen=True)
class Sending:
    """How to send: the HTTP timeout, the run's deadline, the rate window, or a dry run."""

    timeout: float
    deadline: float
    """On the scale of time.monotonic."""
    window: float
    dry_run: Path | None


def _run(
    request: Request,
    single: Webhook | None,
    by_place: dict[str, list[Webhook]] | None,
    most: int,
    how: Sending,
    record: DeliveryArgs,
    report: Reporter,
) -> tuple[Outcome, int]:
    """Read the registers and post every group's digest, holding the delivery record (and its
    lock, unless this is a dry run) from before the registers are read to the end; the outcome
    and the number of groups not known to be sent."""
    from renewal_cli.chat.deliver import CHANNEL, NotifyJob
    from renewal_cli.chat.routing import plan_groups
    from renewal_cli.places import guangxi

    dry = how.dry_run is not None
    with ledger_for(
        record, channel=CHANNEL, as_of=request.as_of, dry_run=dry, report=report
    ) as ledger:
        outcome = run_selection(request, report)
        groups, orphans = plan_groups(
            outcome.items,
            webhooks=by_place,
            webhook=single,
            scope=request.selection.scope,
            places=guangxi(),
        )
        job = NotifyJob(
            as_of=request.as_of,
            plan_year=request.policy.plan_year,
            plan_used=request.policy.plan_used,
            lang=request.lang,
            selection=request.selection,
            most=most,
            skip_empty=request.quiet,
        )
        return outcome, _send(groups, orphans, job, how, ledger, report)


def _send(
    groups: Sequence[Group],
    orphans: Sequence[ScheduleItem],
    job: NotifyJob,
    how: Sending,
    ledger: Ledger,
    report: Reporter,
) -> int:
    """Post (or write) every group's digest, reporting each as it goes; the number failed."""
    from renewal_cli.chat.deliver import body_writer, deliver, sender
    from renewal_cli.chat.send import Clock, Poster

    written: list[Path] | None = None
    if how.dry_run is not None:
        post, written = body_writer(how.dry_run, job.lang)
    else:
        clock = Clock(wall=time.time, monotonic=time.monotonic, sleep=time.sleep)
        poster = Poster(clock, timeout=how.timeout, window=how.window, deadline=how.deadline)
        post = sender(poster, job.lang)
    dry = how.dry_run is not None
    results = deliver(
        groups,
        job,
        post=post,
        ledger=ledger,
        now=lambda: recorded_now().isoformat(timespec="seconds"),
        on_result=lambda result: _said(result, report, how.timeout, dry),
    )
    return _summary(report, results, orphans, ledger.period, written, how.dry_run)
