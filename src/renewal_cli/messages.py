"""Everything officers read, in Chinese (default) and English.

One catalog: message id → text per language, formatted with str.format. Labels of statuses,
actions, schemes and flags live here too, so the table, CSV, calendar and mail all say the same.
"""

from __future__ import annotations

from enum import StrEnum

from renewal_cli.models import (
    Action,
    Certificate,
    Finding,
    Flag,
    ProblemCode,
    RowProblem,
    Scheme,
    Status,
)


class Lang(StrEnum):
    """Language of what officers read."""

    ZH = "zh"
    EN = "en"


CATALOG: dict[str, dict[Lang, str]] = {
    # Register errors (whole file).
    "register.not_found": {
        Lang.ZH: "找不到台账文件：{source}",
        Lang.EN: "register file not found: {source}",
    },
    "register.is_directory": {
        Lang.ZH: "{source} 是一个文件夹，不是台账文件",
        Lang.EN: "{source} is a directory, not a register file",
    },
    "register.unreadable": {
        Lang.ZH: "无法读取台账文件 {source}：{detail}",
        Lang.EN: "cannot read register {source}: {detail}",
    },
    "register.empty": {
        Lang.ZH: "台账文件 {source} 是空的",
        Lang.EN: "register {source} is empty",
    },
    "register.spreadsheet": {
        Lang.ZH: "{source} 是 Excel 工作簿，不是 CSV：请在 Excel/WPS 中“另存为”CSV（逗号分隔）后再运行",
        Lang.EN: "{source} is an Excel workbook, not CSV: save it as CSV (comma delimited) first",
    },
    "register.encoding_unknown": {
        Lang.ZH: "无法识别 {source} 的编码（第 {line} 行起既不是 UTF-8 也不是 GB18030/GBK）："
        "请另存为 UTF-8，或用 --encoding 指定编码",
        Lang.EN: "cannot tell the encoding of {source} (from line {line} it is neither UTF-8 nor "
        "GB18030/GBK): save it as UTF-8 or give --encoding",
    },
    "register.decode_failed_line": {
        Lang.ZH: "{source} 第 {line} 行无法按 {encoding} 编码读取：请检查 --encoding",
        Lang.EN: "{source} line {line} cannot be read as {encoding}: check --encoding",
    },
    "register.decode_failed": {
        Lang.ZH: "{source} 无法按 {encoding} 编码读取：{detail}",
        Lang.EN: "{source} cannot be read as {encoding}: {detail}",
    },
    "register.unknown_encoding": {
        Lang.ZH: "不认识的编码：{encoding}（可用 utf-8、utf-8-sig、gb18030、gbk）",
        Lang.EN: "unknown encoding: {encoding} (try utf-8, utf-8-sig, gb18030, gbk)",
    },
    "register.csv_error": {
        Lang.ZH: "{source} 不是有效的 CSV：{detail}",
        Lang.EN: "{source} is not valid CSV: {detail}",
    },
    "register.missing_columns": {
        Lang.ZH: "{source} 缺少必需的列：{missing}\n  表头为：{header}",
        Lang.EN: "{source} lacks required columns: {missing}\n  its header is: {header}",
    },
    "register.missing_column": {
        Lang.ZH: "  “{field}”列，可用表头：{aliases}",
        Lang.EN: "  the {field} column, accepted headers: {aliases}",
    },
    # Usage errors.
    "usage.unknown_city": {
        Lang.ZH: "广西没有叫“{value}”的设区市。{suggestion}",
        Lang.EN: "no city of Guangxi is called '{value}'. {suggestion}",
    },
    "usage.unknown_county": {
        Lang.ZH: "广西没有叫“{value}”的县（市、区）。{suggestion}",
        Lang.EN: "no county of Guangxi is called '{value}'. {suggestion}",
    },
    "usage.did_you_mean": {Lang.ZH: "您是不是要找：{names}？", Lang.EN: "Did you mean: {names}?"},
    "usage.no_suggestion": {
        Lang.ZH: "可选的市：{names}",
        Lang.EN: "cities: {names}",
    },
    "usage.bad_date": {
        Lang.ZH: "{option} 的值“{value}”不是日期，请写成 YYYY-MM-DD，例如 2024-05-01",
        Lang.EN: "{option} '{value}' is not a date: write it as YYYY-MM-DD, e.g. 2024-05-01",
    },
    "usage.bad_choice": {
        Lang.ZH: "{option} 的值“{value}”无效，可选：{choices}",
        Lang.EN: "{option} '{value}' is not valid; choose from: {choices}",
    },
    "usage.days_range": {
        Lang.ZH: "{option} 应为 0 到 {high} 之间的天数：{value}",
        Lang.EN: "{option} must be a number of days from 0 to {high}: {value}",
    },
    "error.unexpected": {
        Lang.ZH: "出错了（{kind}：{detail}）。设置 RENEWAL_DEBUG=1 可查看详细信息，请报告给维护者",
        Lang.EN: "something went wrong ({kind}: {detail}). Set RENEWAL_DEBUG=1 for details and "
        "report it to the maintainers",
    },
    "usage.bad_year": {
        Lang.ZH: "--plan-year 的值“{value}”不是合理的年份（{low}–{high}）",
        Lang.EN: "--plan-year {value} is not a sensible year ({low}-{high})",
    },
    "output.unwritable": {
        Lang.ZH: "无法写入 {path}：{detail}",
        Lang.EN: "cannot write {path}: {detail}",
    },
    # Diagnostics on stderr.
    "note.sample": {
        Lang.ZH: "未指定台账，使用内置示例台账 {source}（虚构数据）。指定台账：renewal due 台账.csv",
        Lang.EN: "no register given: using the bundled sample register {source} (synthetic). "
        "Give yours as: renewal due REGISTER.csv",
    },
    "note.counts": {
        Lang.ZH: "{source}：{rows} 行，{certificates} 个证书，{problems} 行有问题",
        Lang.EN: "{source}: {rows} rows: {certificates} certificates, {problems} problems",
    },
    "note.blank": {
        Lang.ZH: "（已跳过 {blank} 个空行）",
        Lang.EN: "(skipped {blank} blank lines)",
    },
    "note.title": {
        Lang.ZH: "（已跳过表头上方的 {title} 行标题）",
        Lang.EN: "(skipped {title} title lines above the header)",
    },
    "note.warning": {
        Lang.ZH: "提醒：{what}",
        Lang.EN: "warning: {what}",
    },
    "usage.output_is_register": {
        Lang.ZH: "输出文件 {path} 就是台账本身，写入会覆盖台账：请换一个输出文件名",
        Lang.EN: "the output file {path} is the register itself and would overwrite it: "
        "choose another output name",
    },
    "mail.plain_login": {
        Lang.ZH: "不加密（security=none）登录 {host} 会明文发送密码：请用 starttls 或 ssl",
        Lang.EN: "logging in to {host} without TLS (security=none) would send the password in "
        "clear: use starttls or ssl",
    },
    "usage.to_or_contacts": {
        Lang.ZH: "--to 和 --contacts 只能用一个：--contacts 按地区分发给各地负责人，--to 发给指定的人",
        Lang.EN: "give --to or --contacts, not both: --contacts sends each officer their place, "
        "--to sends to the given people",
    },
    "usage.split_needs_dir": {
        Lang.ZH: "--split-by 需要用 -o 指定一个目录，每个地区写一个日历文件",
        Lang.EN: "--split-by needs -o DIR: one calendar file per place is written there",
    },
    "mail.no_contact": {
        Lang.ZH: "注意：{count} 条提醒所在地区没有联系人，未发送：{places}",
        Lang.EN: "note: {count} items are in places with no contact and were not mailed: {places}",
    },
    "usage.register_from_env": {
        Lang.ZH: "（台账路径来自环境变量 RENEWAL_REGISTER）",
        Lang.EN: "(the register path comes from the RENEWAL_REGISTER environment variable)",
    },
    "note.strict_failed": {
        Lang.ZH: "--strict：台账有 {problems} 行有问题，未输出任何结果",
        Lang.EN: "--strict: the register has {problems} bad rows; nothing was written",
    },
    "note.written": {
        Lang.ZH: "已写入 {path}（{count} 条）",
        Lang.EN: "wrote {path} ({count} items)",
    },
    "note.filed_needs_all": {
        Lang.ZH: "提示：默认只列出需要处理的证书；要查看已按时申报的证书，请加 --all",
        Lang.EN: "hint: by default only certificates needing action are listed; add --all to see "
        "filed ones",
    },
    "note.fail_on": {
        Lang.ZH: "选中了状态为 {statuses} 的证书（--fail-on），退出码 3",
        Lang.EN: "items with status {statuses} selected (--fail-on): exit code 3",
    },
    "problem.line": {
        Lang.ZH: "{source} 第 {line} 行：{what}",
        Lang.EN: "{source}:{line}: {what}",
    },
    "problem.cell": {
        Lang.ZH: "“{column}”列（{letter} 列），值“{value}”：",
        Lang.EN: "column '{column}' ({letter}), value '{value}': ",
    },
    "problem.beyond_header": {
        Lang.ZH: "{letter} 列（表头之外），值“{value}”：",
        Lang.EN: "column {letter} (beyond the header), value '{value}': ",
    },
    ProblemCode.BAD_DATE: {
        Lang.ZH: "不是有效日期（可写 2021-03-05、2021/3/5、2021.03.05、2021年3月5日、20210305），本行已跳过",
        Lang.EN: "not a valid date (write 2021-03-05, 2021/3/5, 2021.03.05, 2021年3月5日 or "
        "20210305); row left out",
    },
    ProblemCode.UNKNOWN_SCHEME: {
        Lang.ZH: "认证类型无法识别（应为 绿色食品 或 有机农产品），本行已跳过",
        Lang.EN: "unknown scheme (expected 绿色食品/green or 有机农产品/organic); row left out",
    },
    ProblemCode.EMPTY: {
        Lang.ZH: "必填项为空，本行已跳过",
        Lang.EN: "required cell is empty; row left out",
    },
    ProblemCode.NO_DATES: {
        Lang.ZH: "发证日期和有效期至都为空，无法确定到期日，本行已跳过",
        Lang.EN: "neither issue nor expiry date given, so the expiry is unknown; row left out",
    },
    ProblemCode.EXPIRY_BEFORE_ISSUE: {
        Lang.ZH: "有效期至早于发证日期 {issued_on}，本行已跳过",
        Lang.EN: "expiry is before the issue date {issued_on}; row left out",
    },
    ProblemCode.UNKNOWN_CITY: {
        Lang.ZH: "不是广西的设区市，本行已跳过",
        Lang.EN: "not a city of Guangxi; row left out",
    },
    ProblemCode.UNKNOWN_COUNTY: {
        Lang.ZH: "不是广西的县（市、区），本行已跳过",
        Lang.EN: "not a county of Guangxi; row left out",
    },
    ProblemCode.COUNTY_CITY_MISMATCH: {
        Lang.ZH: "这里属于 {belongs}，与“市”列的 {city} 不一致，本行已跳过",
        Lang.EN: "this place is in {belongs}, not in {city} as the city column says; row left out",
    },
    ProblemCode.FILED_BEFORE_ISSUE: {
        Lang.ZH: "申报日期早于发证日期 {issued_on}，应是上一张证书的申报，已忽略（本证书按未申报处理）",
        Lang.EN: "filing predates the issue date {issued_on}, so it belongs to the previous "
        "certificate and is ignored (this one counts as not filed)",
    },
    ProblemCode.DUPLICATE: {
        Lang.ZH: "证书编号和有效期与第 {first_line} 行重复，本行已跳过",
        Lang.EN: "certificate number and expiry repeat line {first_line}; row left out",
    },
    ProblemCode.REPEATED_NUMBER: {
        Lang.ZH: "证书编号与第 {first_line} 行相同但有效期不同，按另一周期的证书处理",
        Lang.EN: "same certificate number as line {first_line} with another expiry: "
        "taken as another cycle",
    },
    ProblemCode.EXTRA_CELLS: {
        Lang.ZH: "本行的单元格比表头多（{cells} 个，表头 {columns} 个），本行已跳过",
        Lang.EN: "row has more cells ({cells}) than the header ({columns}); row left out",
    },
    # Output.
    "table.title": {
        Lang.ZH: "证书续展提醒　截至 {as_of}（{plan_year} 年工作方案）",
        Lang.EN: "Certificate renewals as of {as_of} (plan year {plan_year})",
    },
    "table.empty": {
        Lang.ZH: "截至 {as_of} 没有符合条件的证书",
        Lang.EN: "no certificates match as of {as_of}",
    },
    "table.counts": {Lang.ZH: "共 {total} 条：{parts}", Lang.EN: "{total} items: {parts}"},
    "table.legend": {
        Lang.ZH: "待申报：在申报截止日前提出续展/再认证；已逾期、已过期：按新申报产品处理",
        Lang.EN: "pending: file the renewal by the file-by day; late, expired: apply anew",
    },
    # Calendar and mail.
    "calendar.name": {
        Lang.ZH: "证书续展提醒 {place}",
        Lang.EN: "Certificate renewals {place}",
    },
    "calendar.what.green": {Lang.ZH: "续展", Lang.EN: "Renewal"},
    "calendar.what.organic": {Lang.ZH: "再认证", Lang.EN: "Re-certification"},
    "calendar.summary.file_by": {
        Lang.ZH: "【{what}申报截止】{enterprise} {product}",
        Lang.EN: "{what} due: {enterprise} {product}",
    },
    "calendar.summary.remind": {
        Lang.ZH: "【{what}申报还有 {days} 天截止】{enterprise} {product}",
        Lang.EN: "{what} due in {days} days: {enterprise} {product}",
    },
    "calendar.summary.late": {
        Lang.ZH: "【{what}已逾期，须按新申报】{enterprise} {product}",
        Lang.EN: "{what} window missed, apply as new: {enterprise} {product}",
    },
    "calendar.category": {Lang.ZH: "证书续展", Lang.EN: "Certificate renewal"},
    "calendar.field": {Lang.ZH: "{label}：{value}", Lang.EN: "{label}: {value}"},
    "calendar.label.place": {Lang.ZH: "地区", Lang.EN: "place"},
    "calendar.label.rule": {Lang.ZH: "规则", Lang.EN: "rule"},
    "calendar.label.contact": {Lang.ZH: "联系人", Lang.EN: "contact"},
    "calendar.label.phone": {Lang.ZH: "联系电话", Lang.EN: "phone"},
    "calendar.label.email": {Lang.ZH: "电子邮箱", Lang.EN: "e-mail"},
    "calendar.rule.green": {
        Lang.ZH: "有效期满{months}个月前向省级工作机构书面提出续展申请（《绿色食品标志管理办法》第十八条）",
        Lang.EN: "apply in writing to the provincial agency for renewal at least {months} months "
        "before expiry (Green Food Label Measures, Art. 18)",
    },
    "calendar.rule.organic": {
        Lang.ZH: "到期前{months}个月以上申报再认证（广西{plan_year}年工作方案）",
        Lang.EN: "apply for re-certification at least {months} months before expiry "
        "(Guangxi work plan {plan_year})",
    },
    "calendar.rule.late": {
        Lang.ZH: "逾期申报的按新申报产品处理；证书到期后不得继续使用标志",
        Lang.EN: "a late filing is handled as a new application; after expiry the label may no "
        "longer be used",
    },
    "usage.bad_remind": {
        Lang.ZH: "--remind 的值“{value}”无效：请写正整数天数，用逗号分隔，例如 60,30,7",
        Lang.EN: "--remind '{value}' is not valid: give positive numbers of days separated by "
        "commas, e.g. 60,30,7",
    },
    "mail.subject": {
        Lang.ZH: "【证书续展提醒】{place} {as_of}：{counts}",
        Lang.EN: "Certificate renewals, {place}, {as_of}: {counts}",
    },
    "mail.all_places": {Lang.ZH: "全部地区", Lang.EN: "all places"},
    "mail.nothing": {Lang.ZH: "无需处理", Lang.EN: "nothing to do"},
    "mail.heading": {
        Lang.ZH: "证书续展提醒　{place}　截至 {as_of}（{plan_year} 年工作方案）",
        Lang.EN: "Certificate renewals, {place}, as of {as_of} (plan year {plan_year})",
    },
    "mail.empty": {
        Lang.ZH: "截至 {as_of}，没有需要处理的证书。",
        Lang.EN: "Nothing to do as of {as_of}.",
    },
    "mail.days_left": {Lang.ZH: "还有 {days} 天", Lang.EN: "{days} days left"},
    "mail.due_today": {Lang.ZH: "今天截止", Lang.EN: "due today"},
    "mail.days_over": {Lang.ZH: "已过 {days} 天", Lang.EN: "{days} days overdue"},
    "mail.filed_on": {Lang.ZH: "已于 {filed_on} 申报", Lang.EN: "filed on {filed_on}"},
    "mail.attachments": {
        Lang.ZH: "附件：{ics}（日历，可导入 Outlook、Google、苹果或手机日历），"
        "{csv}（清单，可用 Excel 或 WPS 打开）。",
        Lang.EN: "Attached: {ics} (calendar for Outlook, Google, Apple or phone calendars) and "
        "{csv} (list for Excel or WPS).",
    },
    "mail.footer": {
        Lang.ZH: "本邮件由 renewal-cli {version} 自动生成。",
        Lang.EN: "This message was generated by renewal-cli {version}.",
    },
    "mail.no_host": {
        Lang.ZH: "未设置 SMTP 服务器：请设置环境变量 RENEWAL_SMTP_HOST 或使用相应的命令行选项",
        Lang.EN: "no SMTP server given: set RENEWAL_SMTP_HOST or use the matching option",
    },
    "mail.no_sender": {
        Lang.ZH: "未设置发件人地址：请设置环境变量 RENEWAL_MAIL_FROM 或使用相应的命令行选项",
        Lang.EN: "no sender address given: set RENEWAL_MAIL_FROM or use the matching option",
    },
    "mail.bad_port": {
        Lang.ZH: "SMTP 端口“{value}”无效：应为 1–65535 之间的整数",
        Lang.EN: "SMTP port '{value}' is not valid: give a whole number from 1 to 65535",
    },
    "mail.bad_security": {
        Lang.ZH: "SMTP 加密方式“{value}”无效，可选：starttls、ssl、none",
        Lang.EN: "SMTP security '{value}' is not valid; choose from: starttls, ssl, none",
    },
    "mail.bad_address": {
        Lang.ZH: "“{value}”不是有效的邮件地址",
        Lang.EN: "'{value}' is not a valid e-mail address",
    },
    "mail.no_recipients": {
        Lang.ZH: "没有收件人：请用 --to 或 --contacts 指定",
        Lang.EN: "no recipients: give --to or --contacts",
    },
    "mail.sent": {
        Lang.ZH: "已发送：{recipient}（{place}）",
        Lang.EN: "sent: {recipient} ({place})",
    },
    "mail.not_sent": {
        Lang.ZH: "未发送：{recipient}（{place}）：{error}",
        Lang.EN: "NOT sent: {recipient} ({place}): {error}",
    },
    "mail.report": {
        Lang.ZH: "邮件：{sent} 个收件人已发送，{failed} 个未发送",
        Lang.EN: "mail: {sent} recipients sent, {failed} not sent",
    },
    "mail.eml_written": {
        Lang.ZH: "--dry-run：已将 {count} 封邮件写入 {directory}，没有发送",
        Lang.EN: "--dry-run: wrote {count} messages to {directory}; nothing was sent",
    },
    "contacts.not_found": {
        Lang.ZH: "找不到联系人文件：{source}",
        Lang.EN: "contacts file not found: {source}",
    },
    "contacts.unreadable": {
        Lang.ZH: "无法读取联系人文件 {source}：{detail}",
        Lang.EN: "cannot read contacts file {source}: {detail}",
    },
    "contacts.spreadsheet": {
        Lang.ZH: "{source} 是 Excel 工作簿，不是 CSV：请在 Excel/WPS 中“另存为”CSV（逗号分隔）后再运行",
        Lang.EN: "{source} is an Excel workbook, not CSV: save it as CSV (comma delimited) first",
    },
    "contacts.encoding_unknown": {
        Lang.ZH: "无法识别联系人文件 {source} 的编码（第 {line} 行起既不是 UTF-8 也不是 GB18030/GBK）："
        "请另存为 UTF-8",
        Lang.EN: "cannot tell the encoding of contacts file {source} (from line {line} it is "
        "neither UTF-8 nor GB18030/GBK): save it as UTF-8",
    },
    "contacts.csv_error": {
        Lang.ZH: "联系人文件 {source} 不是有效的 CSV：{detail}",
        Lang.EN: "contacts file {source} is not valid CSV: {detail}",
    },
    "contacts.empty": {
        Lang.ZH: "联系人文件 {source} 中没有联系人",
        Lang.EN: "contacts file {source} lists nobody",
    },
    "contacts.missing_columns": {
        Lang.ZH: "联系人文件 {source} 缺少必需的列：{missing}（表头为：{header}）；"
        "需要 地区、姓名、邮箱 三列（或 place、name、email）",
        Lang.EN: "contacts file {source} lacks required columns: {missing} (its header is: "
        "{header}); it needs place, name and email (or 地区, 姓名, 邮箱)",
    },
    "contacts.empty_cell": {
        Lang.ZH: "{source} 第 {line} 行，“{column}”列（{letter} 列）为空",
        Lang.EN: "{source}:{line}: column '{column}' ({letter}) is empty",
    },
    "contacts.extra_cells": {
        Lang.ZH: "{source} 第 {line} 行的单元格比表头多（{cells} 个，表头 {columns} 个）："
        "姓名或地区中有逗号时请加引号",
        Lang.EN: "{source}:{line}: the row has more cells ({cells}) than the header ({columns}): "
        "quote names or places that contain commas",
    },
    "contacts.unknown_city": {
        Lang.ZH: "{source} 第 {line} 行，“{column}”列（{letter} 列），值“{value}”："
        "不是广西的设区市",
        Lang.EN: "{source}:{line}: column '{column}' ({letter}), value '{value}': "
        "not a city of Guangxi",
    },
    "contacts.unknown_county": {
        Lang.ZH: "{source} 第 {line} 行，“{column}”列（{letter} 列），值“{value}”："
        "不是广西的县（市、区）或设区市",
        Lang.EN: "{source}:{line}: column '{column}' ({letter}), value '{value}': "
        "not a county or city of Guangxi",
    },
    "contacts.bad_email": {
        Lang.ZH: "{source} 第 {line} 行，“{column}”列（{letter} 列），值“{value}”："
        "不是有效的邮件地址",
        Lang.EN: "{source}:{line}: column '{column}' ({letter}), value '{value}': "
        "not a valid e-mail address",
    },
}

FIELD_LABELS: dict[str, dict[Lang, str]] = {
    "cert_id": {Lang.ZH: "证书编号", Lang.EN: "cert_id"},
    "enterprise": {Lang.ZH: "企业名称", Lang.EN: "enterprise"},
    "product": {Lang.ZH: "产品名称", Lang.EN: "product"},
    "scheme": {Lang.ZH: "认证类型", Lang.EN: "scheme"},
    "city": {Lang.ZH: "市", Lang.EN: "city"},
    "county": {Lang.ZH: "县（市、区）", Lang.EN: "county"},
    "city/county": {Lang.ZH: "市 或 县（市、区）", Lang.EN: "city or county"},
    "issued_on": {Lang.ZH: "发证日期", Lang.EN: "issued_on"},
    "expires_on": {Lang.ZH: "有效期至", Lang.EN: "expires_on"},
    "issued_on/expires_on": {Lang.ZH: "发证日期 或 有效期至", Lang.EN: "issued_on or expires_on"},
    "file_by": {Lang.ZH: "申报截止日", Lang.EN: "file_by"},
    "filed_on": {Lang.ZH: "申报日期", Lang.EN: "filed_on"},
    "days_left": {Lang.ZH: "剩余天数", Lang.EN: "days_left"},
    "status": {Lang.ZH: "状态", Lang.EN: "status"},
    "action": {Lang.ZH: "处理方式", Lang.EN: "action"},
    "flags": {Lang.ZH: "标记", Lang.EN: "flags"},
}

LABELS: dict[StrEnum, dict[Lang, str]] = {
    Scheme.GREEN: {Lang.ZH: "绿色食品", Lang.EN: "green food"},
    Scheme.ORGANIC: {Lang.ZH: "有机农产品", Lang.EN: "organic"},
    Status.PENDING: {Lang.ZH: "待申报", Lang.EN: "pending"},
    Status.LATE: {Lang.ZH: "已逾期", Lang.EN: "late"},
    Status.EXPIRED: {Lang.ZH: "已过期", Lang.EN: "expired"},
    Status.FILED: {Lang.ZH: "已申报", Lang.EN: "filed"},
    Action.RENEW: {Lang.ZH: "申报续展/再认证", Lang.EN: "renew"},
    Action.NEW_APPLICATION: {Lang.ZH: "按新申报处理", Lang.EN: "new application"},
    Action.NONE: {Lang.ZH: "无需处理", Lang.EN: "none"},
    Flag.PLAN_COHORT: {Lang.ZH: "本年度到期批次", Lang.EN: "plan cohort"},
    Flag.NEXT_H1: {Lang.ZH: "明年上半年到期", Lang.EN: "expires next H1"},
}


def text(message_id: str, lang: Lang, **params: object) -> str:
    """The message `message_id` in `lang`, filled with `params`."""
    return CATALOG[message_id][lang].format(**params)


def label(value: StrEnum, lang: Lang) -> str:
    """How a status, action, scheme or flag is shown to officers."""
    return LABELS[value][lang]


def field_label(name: str, lang: Lang) -> str:
    return FIELD_LABELS[name][lang]


def describe_finding(problem: RowProblem | Certificate, finding: Finding, lang: Lang) -> str:
    """One stderr line: file, line, column (name and letter), value and what is wrong."""
    where = ""
    if not finding.column and finding.column_letter:
        where = text(
            "problem.beyond_header", lang, letter=finding.column_letter, value=finding.value
        )
    elif finding.column:
        where = text(
            "problem.cell",
            lang,
            column=finding.column,
            letter=finding.column_letter,
            value=finding.value,
        )
    what = where + text(finding.code, lang, **finding.detail)
    return text("problem.line", lang, source=problem.source, line=problem.line, what=what)
