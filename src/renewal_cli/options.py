"""The command-line options, declared once and shared by `due`, `calendar` and `mail`.

Declarations only: what each option is called, its help text (Chinese / English) and metavar.
Checking the values is request.py's job; acting on them is cli.py's.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class Format(StrEnum):
    """Output formats of `due`."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


class SplitBy(StrEnum):
    """How calendars and mail are split among officers."""

    CITY = "city"
    COUNTY = "county"


# Options shared by every command that selects certificates (due, calendar, mail).
RegisterArg = Annotated[
    str | None,
    typer.Argument(
        help="台账 CSV 文件，- 表示标准输入 / Register CSV file, or - for stdin. "
        "Default: $RENEWAL_REGISTER, else the bundled sample.",
        envvar="RENEWAL_REGISTER",
        show_default=False,
        metavar="REGISTER",
    ),
]
CityOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--city", metavar="CITY", help="设区市 / City: 百色, 百色市 or Baise (repeat or a,b)."
    ),
]
CountyOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--county", metavar="COUNTY", help="县（市、区）/ County, current or former name (田阳县)."
    ),
]
SchemeOpt = Annotated[
    list[str] | None,
    typer.Option("--scheme", metavar="SCHEME", help="green|organic（绿色食品、有机农产品）."),
]
StatusOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        metavar="STATUS",
        help="状态 / Any of pending,late,expired,filed（待申报、已逾期、已过期、已申报）.",
    ),
]
FlagOpt = Annotated[
    list[str] | None,
    typer.Option("--flag", metavar="FLAG", help="标记 / Any of plan_cohort,next_h1."),
]
WithinOpt = Annotated[
    int,
    typer.Option(
        "--within", metavar="DAYS", help="待申报：截止日在 DAYS 天内 / Pending due within DAYS."
    ),
]
ExpiredWithinOpt = Annotated[
    int,
    typer.Option(
        "--expired-within",
        metavar="DAYS",
        help="已过期：最近 DAYS 天内过期 / Expired within the last DAYS.",
    ),
]
AllOpt = Annotated[
    bool,
    typer.Option("--all", help="全部证书（筛选条件仍然有效）/ Every certificate (filters apply)."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="按哪一天判断，默认北京时间今天 / The day to judge on; default today in China.",
        show_default=False,
    ),
]
PlanYearOpt = Annotated[
    int | None,
    typer.Option(
        "--plan-year",
        metavar="YEAR",
        help="工作方案年度，默认为 as-of 的年份 / Work plan year; default AS_OF's year.",
    ),
]
LangOpt = Annotated[
    str,
    typer.Option(
        "--lang", metavar="zh|en", envvar="RENEWAL_LANG", help="显示语言 / Language shown."
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        metavar="ENCODING",
        help="台账编码，默认自动识别 / Register encoding; default: detected.",
    ),
]
StrictOpt = Annotated[
    bool,
    typer.Option("--strict", help="台账有问题行即失败（退出码 1）/ Any bad row fails the run."),
]
FailOnOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--fail-on",
        metavar="STATUS",
        help="选中这些状态时退出码为 3 / Exit 3 if an item with these statuses is selected.",
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help="只报告问题；无结果时不输出 / Only problems; no output when empty."
    ),
]
RemindOpt = Annotated[
    str,
    typer.Option(
        "--remind",
        metavar="DAYS,…",
        help="截止日前几天提醒 / Reminder events this many days before the file-by day.",
    ),
]
SplitOpt = Annotated[
    str | None,
    typer.Option(
        "--split-by", metavar="city|county", help="按市或县分开 / One per city or county."
    ),
]
