"""Everything officers read, in Chinese (default) and English.

One catalog: message id → text per language, formatted with str.format. Labels of statuses,
actions, schemes and flags live here too, so the table, CSV, calendar and mail all say the same.
"""

from __future__ import annotations

from enum import StrEnum

from renewal_cli.models import (
    Action,
    Flag,
    Kind,
    ProblemCode,
    Scheme,
    Status,
)


class Lang(StrEnum):
    """Language of what officers read."""

    ZH = "zh"
    EN = "en"


CATALOG: dict[str, dict[Lang, str]] = {
    # Whole-file problems.
    ProblemCode.NOT_FOUND: {
        Lang.ZH: "找不到台账文件：{source}",
        Lang.EN: "register file not found: {source}",
    },
    ProblemCode.UNREADABLE: {
        Lang.ZH: "无法读取台账文件 {source}（{reason}）",
        Lang.EN: "cannot read register {source} ({reason})",
    },
    ProblemCode.SPREADSHEET: {
        Lang.ZH: "{source} 是旧版 Excel 工作簿（.xls）：请在 Excel/WPS 中“另存为” .xlsx 或 CSV 后再运行",
        Lang.EN: "{source} is a legacy Excel workbook (.xls): save it as .xlsx or CSV first",
    },
    ProblemCode.SPREADSHEET_DAMAGED: {
        Lang.ZH: "无法读取 Excel 工作簿 {source}（{reason}）：文件可能已损坏或不完整，请在 Excel/WPS 中打开后重新保存",
        Lang.EN: "cannot read the Excel workbook {source} ({reason}): it may be damaged or cut "
        "short; open it in Excel/WPS and save it again",
    },
    ProblemCode.NO_SHEET: {
        Lang.ZH: "工作簿 {source} 中没有名为“{sheet}”的可用工作表（工作表有：{sheets}）",
        Lang.EN: "workbook {source} has no usable sheet '{sheet}' (its sheets: {sheets})",
    },
    "reason.bomb": {
        Lang.ZH: "解压后大得异常，可能是恶意文件",
        Lang.EN: "it inflates beyond reason",
    },
    ProblemCode.ENCODING: {
        Lang.ZH: "无法读取 {source}：第 {line} 行起无法按 {encoding} 解码。"
        "请另存为 UTF-8，或用 --encoding 指定编码",
        Lang.EN: "cannot read {source}: from line {line} it cannot be decoded as {encoding}. "
        "Save it as UTF-8 or give --encoding",
    },
    ProblemCode.CHANGED: {
        Lang.ZH: "台账 {source} 在读取过程中被改动了（文件变短、变长或被重写），结果不可靠，"
        "未输出任何结果：请等文件保存完毕后再运行",
        Lang.EN: "register {source} changed while it was being read (cut short, grown or "
        "rewritten); nothing was written: run again once the file is saved",
    },
    ProblemCode.EMPTY_FILE: {
        Lang.ZH: "台账文件 {source} 是空的",
        Lang.EN: "register {source} is empty",
    },
    ProblemCode.NO_HEADER: {
        Lang.ZH: "{source} 前 {searched} 行中找不到表头：缺少必需的列 {missing}\n"
        "  最像表头的是第 {line} 行：{header}",
        Lang.EN: "{source}: no header in the first {searched} lines: required columns missing: "
        "{missing}\n  the likeliest header is line {line}: {header}",
    },
    # The places nearest an unknown one, or nothing when none is near.
    "problem.nearest": {Lang.ZH: "（最接近的：{names}）", Lang.EN: " (nearest: {names})"},
    "reason.directory": {Lang.ZH: "这是一个文件夹", Lang.EN: "it is a directory"},
    "reason.permission": {Lang.ZH: "没有读取权限", Lang.EN: "permission denied"},
    "register.missing_column": {
        Lang.ZH: "  “{field}”列，可用表头：{aliases}",
        Lang.EN: "  the {field} column, accepted headers: {aliases}",
    },
    "usage.unknown_encoding": {
        Lang.ZH: "不认识的编码：{encoding}（可用 utf-8、utf-8-sig、gb18030、gbk）",
        Lang.EN: "unknown encoding: {encoding} (try utf-8, utf-8-sig, gb18030, gbk)",
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
    "usage.county_not_in_city": {
        Lang.ZH: "--county {county} 属于 {belongs}，不在 --city {cities} 中：请去掉其中一个，或改正",
        Lang.EN: "--county {county} is in {belongs}, not in --city {cities}: drop or correct one",
    },
    "usage.split_with_contacts": {
        Lang.ZH: "--split-by 不能与 --contacts 同时使用：联系人文件已决定每人收到哪个地区",
        Lang.EN: "--split-by does not go with --contacts: the contacts file already decides "
        "which place each officer gets",
    },
    "usage.help_hint": {
        Lang.ZH: "运行“{command} --help”查看用法",
        Lang.EN: "run '{command} --help' for usage",
    },
    "policy.bad_file": {
        Lang.ZH: "策略文件 {source} 有 {count} 处错误：",
        Lang.EN: "policy file {source} has {count} errors:",
    },
    "policy.fault": {
        Lang.ZH: "  {source}：{path} = {value}：{allowed}",
        Lang.EN: "  {source}: {path} = {value}: {allowed}",
    },
    "policy.not_found": {
        Lang.ZH: "找不到策略文件：{source}",
        Lang.EN: "policy file not found: {source}",
    },
    "policy.unreadable": {
        Lang.ZH: "无法读取策略文件 {source}：{detail}",
        Lang.EN: "cannot read policy file {source}: {detail}",
    },
    "policy.not_toml": {
        Lang.ZH: "策略文件 {source} 不是有效的 TOML：第 {line} 行第 {column} 列有误（格式见 examples/policy.toml）",
        Lang.EN: "policy file {source} is not valid TOML: error at line {line}, column {column} "
        "(see examples/policy.toml)",
    },
    "allowed.whole_number": {Lang.ZH: "应为整数", Lang.EN: "must be a whole number"},
    "allowed.ge": {Lang.ZH: "不能小于 {ge}", Lang.EN: "must be at least {ge}"},
    "allowed.le": {Lang.ZH: "不能大于 {le}", Lang.EN: "must be at most {le}"},
    "allowed.date": {
        Lang.ZH: "应为日期，如 2025-10-01",
        Lang.EN: "must be a date, e.g. 2025-10-01",
    },
    "allowed.known_key": {
        Lang.ZH: "没有这一项（可用：{keys}，见 examples/policy.toml）",
        Lang.EN: "no such key (known: {keys}; see examples/policy.toml)",
    },
    "allowed.list": {
        Lang.ZH: '应为列表，如 ["a", "b"]',
        Lang.EN: 'must be a list, e.g. ["a", "b"]',
    },
    "allowed.table": {
        Lang.ZH: "应为一个表（[...] 小节）",
        Lang.EN: "must be a table ([...] section)",
    },
    "allowed.text": {Lang.ZH: "应为文字", Lang.EN: "must be text"},
    "allowed.plan_year": {
        Lang.ZH: "小节名应为工作方案年度（2000–2100），如 [2025]",
        Lang.EN: "a section name must be a plan year (2000-2100), e.g. [2025]",
    },
    "allowed.city": {Lang.ZH: "不是广西的设区市", Lang.EN: "not a city of Guangxi"},
    "allowed.tier": {
        Lang.ZH: "可选：key_assistance（国家乡村振兴重点帮扶县）、national_832（国家脱贫县）、"
        "autonomous_region_level（自治区级脱贫县）",
        Lang.EN: "choose from: key_assistance, national_832, autonomous_region_level",
    },
    "allowed.other": {Lang.ZH: "值无效", Lang.EN: "not a valid value"},
    "usage.empty_folder": {
        Lang.ZH: "文件夹 {folder} 中没有台账文件（.csv、.xlsx）",
        Lang.EN: "the folder {folder} holds no register (.csv, .xlsx)",
    },
    "usage.stdin_twice": {
        Lang.ZH: "标准输入（-）只能用一次",
        Lang.EN: "stdin (-) can be read once only",
    },
    "usage.xlsx_needs_file": {
        Lang.ZH: "--format xlsx 需要用 -o 指定文件（工作簿不能显示在终端里），例如 -o 提醒.xlsx",
        Lang.EN: "--format xlsx needs -o FILE (a workbook cannot be shown on a terminal)",
    },
    "usage.separator": {Lang.ZH: "。", Lang.EN: ". "},
    "usage.no_such_option": {Lang.ZH: "没有这个选项：{name}", Lang.EN: "no such option: {name}"},
    "usage.no_such_command": {
        Lang.ZH: "没有这个命令：{name}（可用命令：{commands}）",
        Lang.EN: "no such command: {name} (commands: {commands})",
    },
    "usage.missing_command": {
        Lang.ZH: "缺少命令（可用命令：{commands}）",
        Lang.EN: "missing command (commands: {commands})",
    },
    "usage.option_needs_value": {
        Lang.ZH: "选项 {name} 需要一个值",
        Lang.EN: "option {name} needs a value",
    },
    "usage.option_takes_no_value": {
        Lang.ZH: "选项 {name} 不接受值",
        Lang.EN: "option {name} does not take a value",
    },
    "usage.not_integer": {
        Lang.ZH: "{name} 的值“{value}”不是整数",
        Lang.EN: "{name} '{value}' is not a whole number",
    },
    "usage.bad_value": {
        Lang.ZH: "{name} 的值无效：{value}",
        Lang.EN: "{name}: invalid value {value}",
    },
    "usage.missing_value": {Lang.ZH: "缺少 {name}", Lang.EN: "missing {name}"},
    "usage.extra_arguments": {
        Lang.ZH: "多余的参数：{value}（一次只能指定一个台账文件）",
        Lang.EN: "unexpected extra arguments: {value} (one register file at a time)",
    },
    "usage.other": {Lang.ZH: "用法错误：{detail}", Lang.EN: "usage error: {detail}"},
    "output.stdout": {
        Lang.ZH: "无法写入标准输出：{detail}",
        Lang.EN: "cannot write to standard output: {detail}",
    },
    "errno.closed": {Lang.ZH: "标准输出已关闭", Lang.EN: "it is closed"},
    "errno.9": {Lang.ZH: "标准输出已关闭", Lang.EN: "it is closed"},
    "errno.28": {Lang.ZH: "磁盘空间不足", Lang.EN: "no space left on the device"},
    "errno.32": {Lang.ZH: "读取端已关闭", Lang.EN: "the reader has gone"},
    "errno.13": {Lang.ZH: "没有写入权限", Lang.EN: "permission denied"},
    "errno.2": {Lang.ZH: "文件夹不存在", Lang.EN: "no such directory"},
    "errno.21": {Lang.ZH: "这是一个文件夹", Lang.EN: "it is a directory"},
    "errno.30": {Lang.ZH: "文件系统只读", Lang.EN: "read-only file system"},
    "errno.20": {
        Lang.ZH: "路径中有一部分不是文件夹",
        Lang.EN: "a part of the path is not a directory",
    },
    "errno.5": {Lang.ZH: "输入/输出错误", Lang.EN: "input/output error"},
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
    "holders.title": {Lang.ZH: "需联系的获证主体", Lang.EN: "Holders to contact"},
    "holders.heading.enterprise": {Lang.ZH: "企业名称", Lang.EN: "enterprise"},
    "holders.heading.city": {Lang.ZH: "市", Lang.EN: "city"},
    "holders.heading.county": {Lang.ZH: "县（市、区）", Lang.EN: "county"},
    "holders.heading.contact": {Lang.ZH: "联系人", Lang.EN: "contact"},
    "holders.heading.phone": {Lang.ZH: "电话", Lang.EN: "phone"},
    "holders.heading.email": {Lang.ZH: "电子邮箱", Lang.EN: "email"},
    "holders.heading.submit_by": {Lang.ZH: "最早提交截止", Lang.EN: "submit_by"},
    "holders.heading.file_by": {Lang.ZH: "最早申报截止", Lang.EN: "file_by"},
    "holders.heading.items": {Lang.ZH: "事项数", Lang.EN: "items"},
    "holders.heading.todo": {Lang.ZH: "待办事项", Lang.EN: "to do"},
    "holders.heading.cert_ids": {Lang.ZH: "证书编号", Lang.EN: "cert_ids"},
    "note.written_notice": {
        Lang.ZH: "已写入 {path}（{holder}，{count} 项）",
        Lang.EN: "wrote {path} ({holder}, {count} items)",
    },
    "note.notices": {
        Lang.ZH: "共写入 {count} 份告知书到 {directory}",
        Lang.EN: "{count} notices written to {directory}",
    },
    "usage.holders_alone": {
        Lang.ZH: "--holders 按台账里的电子邮箱发给各获证主体，不能与 --to、--contacts 或 --split-by "
        "同用；抄送本单位请用 --cc",
        Lang.EN: "--holders mails each holder at the address in the register: it does not go "
        "with --to, --contacts or --split-by; copy yourself with --cc",
    },
    "mail.no_address": {
        Lang.ZH: "以下 {count} 个获证主体在台账里没有可用的电子邮箱，未发送，请电话联系：",
        Lang.EN: "{count} holders have no usable e-mail address in the register and were not "
        "mailed; phone them:",
    },
    "mail.no_phone": {Lang.ZH: "（台账无电话）", Lang.EN: "(no phone in the register)"},
    "mail.two_addresses": {
        Lang.ZH: "提醒：{holder}（{place}）在台账中有两个电子邮箱：{first_file} 第 {first_line} 行的 "
        "{first}，{other_file} 第 {other_line} 行的 {other}；已发往第一个，请核对",
        Lang.EN: "warning: {holder} ({place}) has two e-mail addresses in the register: {first} "
        "({first_file} line {first_line}) and {other} ({other_file} line {other_line}); mailed "
        "the first, check which is right",
    },
    "mail.holder_subject": {
        Lang.ZH: "【续展提醒】{holder}：{count} 项待办，请于{submit_by}前提交（{office}）",
        Lang.EN: "Renewal reminder for {holder}: {count} items, submit by {submit_by} ({office})",
    },
    "usage.notice_needs_dir": {
        Lang.ZH: "renewal notice 需要用 -o 指定一个目录，每个获证主体写一份告知书",
        Lang.EN: "renewal notice needs -o DIR: one notice per holder is written there",
    },
    "usage.notice_office": {
        Lang.ZH: "请用 --office 写明发文单位（如 --office 百色市农业农村局），"
        "或在策略文件的 [office] 表里写 name",
        Lang.EN: "give the issuing office with --office (e.g. --office 'Baise Agriculture "
        "Bureau') or as name in the policy file's [office] table",
    },
    "note.reading": {Lang.ZH: "读取台账", Lang.EN: "reading the register"},
    "note.outside": {
        Lang.ZH: "，{count} 行在所选地区以外（只核对了地区）",
        Lang.EN: ", {count} outside the chosen places (their place checked only)",
    },
    "note.others": {Lang.ZH: "；另有{parts}", Lang.EN: "; also {parts}"},
    "note.other.header": {Lang.ZH: "表头 {count} 行", Lang.EN: "{count} header lines"},
    "note.other.title": {Lang.ZH: "表头上方标题 {count} 行", Lang.EN: "{count} title lines"},
    "note.other.blank": {
        Lang.ZH: "空行或只有序号的行 {count} 行",
        Lang.EN: "{count} blank or serial-number-only rows",
    },
    "note.other.summary": {
        Lang.ZH: "合计、制表人、说明等非证书行 {count} 行",
        Lang.EN: "{count} total, signature or note rows",
    },
    "note.lines": {Lang.ZH: "（文件共 {lines} 行）", Lang.EN: " ({lines} lines in the file)"},
    "note.total": {
        Lang.ZH: "合计 {files} 个台账：{rows} 行，{certificates} 个证书，{problems} 行有问题",
        Lang.EN: "{files} files in all: {rows} rows: {certificates} certificates, "
        "{problems} problems",
    },
    "note.unreadable": {
        Lang.ZH: "台账无法读取，未输出任何结果",
        Lang.EN: "the register cannot be read; nothing was written",
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
    "note.written_events": {
        Lang.ZH: "已写入 {path}（{count} 个日历事件）",
        Lang.EN: "wrote {path} ({count} events)",
    },
    "note.holidays_unknown": {
        Lang.ZH: "提醒：节假日数据尚未包含 {year} 年（国务院通常在上一年年底公布），该年的提交截止日只避开了周末",
        Lang.EN: "warning: the holiday data does not cover {year} yet (published late the year "
        "before): submit-by days in {year} avoid weekends only",
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
    "problem.at": {
        Lang.ZH: "{source} {lines}：{what}",
        Lang.EN: "{source}:{lines}: {what}",
    },
    "problem.one_line": {Lang.ZH: "第 {line} 行", Lang.EN: "{line}"},
    "problem.lines": {Lang.ZH: "第 {line}–{end} 行", Lang.EN: "{line}-{end}"},
    "problem.warning": {Lang.ZH: "提醒：{what}", Lang.EN: "warning: {what}"},
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
        Lang.ZH: "没有可用的日期（发证日期、有效期至、有效期都为空），无法确定到期日，本行已跳过",
        Lang.EN: "no date given (issue date, expiry or validity), so the expiry is unknown; "
        "row left out",
    },
    ProblemCode.EXPIRY_BEFORE_ISSUE: {
        Lang.ZH: "有效期至早于发证日期 {issued_on}，本行已跳过",
        Lang.EN: "expiry is before the issue date {issued_on}; row left out",
    },
    ProblemCode.UNKNOWN_CITY: {
        Lang.ZH: "不是广西的设区市{nearest}，本行已跳过",
        Lang.EN: "not a city of Guangxi{nearest}; row left out",
    },
    ProblemCode.UNKNOWN_COUNTY: {
        Lang.ZH: "不是广西的县（市、区）{nearest}，本行已跳过",
        Lang.EN: "not a county of Guangxi{nearest}; row left out",
    },
    ProblemCode.SUMMARY_ROW: {
        Lang.ZH: "不是证书的行（合计、制表人、说明等），已计数、未读取",
        Lang.EN: "not a certificate (a total, signature or note row): counted, not read",
    },
    ProblemCode.OVERLAP: {
        Lang.ZH: "同一企业、同一产品的有效期与第 {other_line} 行（{other}）重叠",
        Lang.EN: "validity overlaps line {other_line} ({other}): same holder and product",
    },
    ProblemCode.EXPIRY_MISMATCH: {
        Lang.ZH: "有效期至与发证日期加有效期（{validity} 年）算出的 {expected} 不一致",
        Lang.EN: "expiry differs from issue date + {validity} years, which gives {expected}",
    },
    ProblemCode.FILED_AFTER_EXPIRY: {
        Lang.ZH: "申报日期晚于有效期至 {expires_on}：已不能续展，应按新申报处理",
        Lang.EN: "filed after the expiry {expires_on}: no longer a renewal but a new application",
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
    ProblemCode.DUPLICATE_ACROSS: {
        Lang.ZH: "证书编号和有效期与 {first_file} 第 {first_line} 行重复（同一证书出现在两个台账中），本行已跳过",
        Lang.EN: "certificate number and expiry repeat {first_file} line {first_line} (one "
        "certificate in two registers); row left out",
    },
    ProblemCode.DUPLICATE: {
        Lang.ZH: "证书编号和有效期与第 {first_line} 行重复，本行已跳过",
        Lang.EN: "certificate number and expiry repeat line {first_line}; row left out",
    },
    ProblemCode.NUMBER_CLASH: {
        Lang.ZH: "证书编号与 {first_file} 第 {first_line} 行相同，但获证主体不同（本行：{own_holder}，"
        "{own_product}，{own_place}；第 {first_line} 行：{holder}，{product}，{place}）：一个编号"
        "不能属于两个主体，这是台账中的错误，不是重复，也不是新证。两行都已按各自的证书读取，请核对编号",
        Lang.EN: "same certificate number as {first_file} line {first_line}, but another holder "
        "(this row: {own_holder}, {own_product}, {own_place}; line {first_line}: {holder}, "
        "{product}, {place}): one number cannot belong to two holders, so this is a mistake in "
        "the register, not a repeat or a later cycle. Both rows are read as certificates of "
        "their own; check the number",
    },
    ProblemCode.NUMBER_SCHEME_MISMATCH: {
        Lang.ZH: "编号是{form}的格式，与本行的认证类型不符：已按所写读取，请核对编号或认证类型",
        Lang.EN: "the number has the form of {form}, not of this row's scheme: read as written; "
        "check the number or the scheme",
    },
    "number_form.green": {
        Lang.ZH: "绿色食品产品编号（LB-…）",
        Lang.EN: "a green food product number (LB-…)",
    },
    "number_form.organic": {
        Lang.ZH: "有机产品认证证书编号（…OP…）",
        Lang.EN: "an organic certification number (…OP…)",
    },
    ProblemCode.MERGED_CELLS: {
        Lang.ZH: "“{columns}”为空，而上面一行有值：可能是表格中的合并单元格导出为 CSV 后留空。"
        "请在 Excel/WPS 中取消合并并填满每一行后再导出；这些行已跳过",
        Lang.EN: "{columns} empty under a filled row: probably merged cells exported to CSV. "
        "Unmerge them in Excel/WPS and fill every row before exporting; these rows are left out",
    },
    ProblemCode.UNPAIRED_NUMBERS: {
        Lang.ZH: "一个单元格里有多个证书编号，但与 {products} 个产品对应不上，本行已跳过",
        Lang.EN: "several certificate numbers in one cell that do not pair up with the "
        "{products} products; row left out",
    },
    ProblemCode.CELL_TOO_LARGE: {
        Lang.ZH: "单元格超过 {limit} 个字符，可能是引号没有闭合或文件损坏，本行已跳过",
        Lang.EN: "a cell is longer than {limit} characters (an unclosed quote or a damaged "
        "file?); row left out",
    },
    ProblemCode.STRAY_QUOTE: {
        Lang.ZH: '这一行的引号（"）没有闭合，已把它和后面的行按普通行读取；请检查该单元格',
        Lang.EN: 'a quote (") opened here never closes where a cell should: this line and the '
        "ones after it are read as ordinary rows; check the cell",
    },
    ProblemCode.DATE_NOTE: {
        Lang.ZH: "日期后的备注“{note}”未使用，只读取了日期",
        Lang.EN: "the note '{note}' after the date is not used; only the date is read",
    },
    ProblemCode.EXTRA_CELLS: {
        Lang.ZH: "本行的单元格比表头多（{cells} 个，表头 {columns} 个），本行已跳过",
        Lang.EN: "row has more cells ({cells}) than the header ({columns}); row left out",
    },
    # Words every output shares (present.py).
    "counts.total": {Lang.ZH: "共 {total} 条：{parts}", Lang.EN: "{total} items: {parts}"},
    "counts.nothing": {Lang.ZH: "无需处理", Lang.EN: "nothing to do"},
    "when.days_left": {Lang.ZH: "还剩{days}天", Lang.EN: "{days} d left"},
    "when.due_today": {Lang.ZH: "今天截止", Lang.EN: "due today"},
    "when.days_past": {Lang.ZH: "已过{days}天", Lang.EN: "{days} d past"},
    "when.expired_days": {Lang.ZH: "过期{days}天", Lang.EN: "expired {days} d ago"},
    "when.filed_on": {Lang.ZH: "已于 {filed_on} 申报", Lang.EN: "filed on {filed_on}"},
    "when.done_on.annual_inspection": {
        Lang.ZH: "已于 {filed_on} 年检",
        Lang.EN: "inspected on {filed_on}",
    },
    "when.done_on.annual_confirmation": {
        Lang.ZH: "已于 {filed_on} 确认",
        Lang.EN: "confirmed on {filed_on}",
    },
    "when.done_on.quality_test": {Lang.ZH: "已于 {filed_on} 检测", Lang.EN: "tested on {filed_on}"},
    "when.done_on.new_application": {
        Lang.ZH: "已于 {filed_on} 申请",
        Lang.EN: "applied on {filed_on}",
    },
    "when.superseded": {Lang.ZH: "新证 {cert_id}", Lang.EN: "renewed as {cert_id}"},
    "summary.title": {
        Lang.ZH: "{plan_year} 年年底目标（12 月 31 日有效证书数）　截至 {as_of}",
        Lang.EN: "Year-end targets {plan_year} (certificates valid on 31 December), as of {as_of}",
    },
    "summary.total": {Lang.ZH: "合计", Lang.EN: "total"},
    "summary.heading.place": {Lang.ZH: "地区", Lang.EN: "place"},
    "summary.heading.target": {Lang.ZH: "目标", Lang.EN: "target"},
    "summary.heading.valid_dec31": {Lang.ZH: "年底有效", Lang.EN: "valid 31 Dec"},
    "summary.heading.valid_dec31_if_renewed": {Lang.ZH: "如按时续展", Lang.EN: "if renewed"},
    "summary.heading.gap": {Lang.ZH: "差距", Lang.EN: "gap"},
    "summary.heading.at_risk": {Lang.ZH: "待续展", Lang.EN: "at risk"},
    "summary.heading.lost": {Lang.ZH: "已流失", Lang.EN: "lost"},
    "summary.heading.open_after_deadline": {Lang.ZH: "10月后未报", Lang.EN: "open after Oct"},
    "summary.heading.fee_relief": {Lang.ZH: "费用减免", Lang.EN: "fee relief"},
    "summary.legend": {
        Lang.ZH: "差距＝目标－年底有效（正数为尚差）；如按时续展：待续展的都按时申报后的年底有效数\n"
        "待续展：年底前到期、尚未申报；已流失：本年逾期或过期\n"
        "10月后未报：本年应报、在方案要求的 10 月 1 日前仍未申报",
        Lang.EN: "gap = target - valid on 31 Dec (positive: short); if renewed: valid on 31 Dec "
        "if every pending renewal is filed in time\nat risk: expiring by year end, not yet filed; "
        "lost: late or expired this year\nopen after Oct: due this year, not filed before the "
        "plan's 1 October",
    },
    "scheme.green": {Lang.ZH: "绿色食品", Lang.EN: "green food"},
    "scheme.organic": {Lang.ZH: "有机农产品", Lang.EN: "organic"},
    "rules.title": {
        Lang.ZH: "{plan_year} 年工作方案的规则",
        Lang.EN: "Rules of the {plan_year} work plan",
    },
    "rules.heading.kind": {Lang.ZH: "事项", Lang.EN: "kind"},
    "rules.heading.scheme": {Lang.ZH: "适用", Lang.EN: "applies to"},
    "rules.heading.validity": {Lang.ZH: "有效期", Lang.EN: "validity"},
    "rules.heading.lead": {Lang.ZH: "申报截止", Lang.EN: "file by"},
    "rules.heading.flags": {Lang.ZH: "标记", Lang.EN: "flagged"},
    "rules.heading.late": {Lang.ZH: "逾期", Lang.EN: "late means"},
    "rules.heading.source": {Lang.ZH: "依据", Lang.EN: "source"},
    "rules.fact": {Lang.ZH: "{name}：{value}", Lang.EN: "{name}: {value}"},
    "rules.years": {Lang.ZH: "{years} 年", Lang.EN: "{years} years"},
    "rules.none": {Lang.ZH: "—", Lang.EN: "-"},
    "rules.lead.months_before_expiry": {
        Lang.ZH: "到期前 {n} 个月",
        Lang.EN: "{n} months before expiry",
    },
    "rules.lead.months_before_sowing": {
        Lang.ZH: "播种前 {n} 个月",
        Lang.EN: "{n} months before sowing",
    },
    "rules.lead.days_before_year_end": {
        Lang.ZH: "证书年度结束前 {n} 天",
        Lang.EN: "{n} days before the certificate year ends",
    },
    "rules.lead.days_before_anniversary": {
        Lang.ZH: "收录周年日前 {n} 天",
        Lang.EN: "{n} days before the listing's anniversary",
    },
    "rules.lead.every_years": {
        Lang.ZH: "每 {n} 年（收录周年日）",
        Lang.EN: "every {n} years (anniversary)",
    },
    "rules.applies.green": {Lang.ZH: "绿色食品", Lang.EN: "green food"},
    "rules.applies.organic": {Lang.ZH: "有机农产品（中绿华夏）", Lang.EN: "organic (COFCC)"},
    "rules.applies.transfer": {
        Lang.ZH: "有机农产品（其他认证机构）",
        Lang.EN: "organic (another body)",
    },
    "rules.applies.crop": {
        Lang.ZH: "一年生作物（计划申请有机）",
        Lang.EN: "annual crops (planned)",
    },
    "rules.applies.mingte": {Lang.ZH: "名特优新农产品", Lang.EN: "名特优新 products"},
    "rules.flags.green": {
        Lang.ZH: "本年批次：{cohort} 年发证；明年上半年：{h1_from} 至 {h1_to} 到期",
        Lang.EN: "cohort: issued in {cohort}; next H1: expiring {h1_from} to {h1_to}",
    },
    "rules.late.renewal": {
        Lang.ZH: "按新申报产品处理；到期后不得使用标志",
        Lang.EN: "handled as a new application; no label after expiry",
    },
    "rules.late.inspection": {
        Lang.ZH: "尽快年检（年检率须达 100%）",
        Lang.EN: "inspect at once (100% target)",
    },
    "rules.late.confirmation": {
        Lang.ZH: "移出名录，须重新申请",
        Lang.EN: "dropped from the list; apply anew",
    },
    "rules.late.crop": {Lang.ZH: "错过本季，下季再申请", Lang.EN: "this season is missed"},
    "rules.late.test": {Lang.ZH: "尽快检测", Lang.EN: "test at once"},
    "rules.submit_all": {
        Lang.ZH: "全部事项争取在 {day} 前上报审批（工作方案）",
        Lang.EN: "submit everything before {day} (the plan)",
    },
    "rules.fee_relief": {
        Lang.ZH: "费用减免：{tiers} 的获证主体（绿色食品免收审核费和标志使用费；有机产品中绿华夏收费减免 35%）",
        Lang.EN: "fee relief: holders in {tiers} (green food fees waived; organic COFCC fees 35% off)",
    },
    "rules.targets": {
        Lang.ZH: "年底目标（12 月 31 日有效证书数）：{targets}",
        Lang.EN: "year-end targets: {targets}",
    },
    "rules.no_targets": {
        Lang.ZH: "年底目标：未设定（用 --policy 指定）",
        Lang.EN: "year-end targets: none set (give them with --policy)",
    },
    "tier.key_assistance": {Lang.ZH: "国家乡村振兴重点帮扶县", Lang.EN: "key-assistance counties"},
    "tier.national_832": {Lang.ZH: "国家脱贫县", Lang.EN: "national poverty-exit counties"},
    "tier.autonomous_region_level": {
        Lang.ZH: "自治区级脱贫县",
        Lang.EN: "region-level poverty-exit counties",
    },
    "check.none": {Lang.ZH: "台账没有发现问题", Lang.EN: "no problems found"},
    "check.row": {Lang.ZH: "{source} 第 {line} 行", Lang.EN: "{source} line {line}"},
    "check.error": {Lang.ZH: "错误", Lang.EN: "error"},
    "check.warning": {Lang.ZH: "提醒", Lang.EN: "warning"},
    "check.count": {Lang.ZH: "{severity}　{kind}：{count}", Lang.EN: "{severity}  {kind}: {count}"},
    "check.total": {
        Lang.ZH: "共 {errors} 个错误，{warnings} 个提醒",
        Lang.EN: "{errors} errors, {warnings} warnings",
    },
    "check.code.not_found": {Lang.ZH: "找不到文件", Lang.EN: "file not found"},
    "check.code.unreadable": {Lang.ZH: "无法读取", Lang.EN: "unreadable"},
    "check.code.spreadsheet": {Lang.ZH: "旧版 .xls", Lang.EN: "legacy .xls"},
    "check.code.spreadsheet_damaged": {Lang.ZH: "工作簿损坏", Lang.EN: "damaged workbook"},
    "check.code.no_sheet": {Lang.ZH: "没有该工作表", Lang.EN: "no such sheet"},
    "check.code.encoding": {Lang.ZH: "编码无法识别", Lang.EN: "unknown encoding"},
    "check.code.empty_file": {Lang.ZH: "空文件", Lang.EN: "empty file"},
    "check.code.no_header": {Lang.ZH: "找不到表头", Lang.EN: "no header"},
    "check.code.bad_date": {Lang.ZH: "日期无效", Lang.EN: "bad date"},
    "check.code.unknown_scheme": {Lang.ZH: "认证类型无法识别", Lang.EN: "unknown scheme"},
    "check.code.empty": {Lang.ZH: "必填项为空", Lang.EN: "empty required cell"},
    "check.code.no_dates": {Lang.ZH: "没有日期", Lang.EN: "no date"},
    "check.code.expiry_before_issue": {
        Lang.ZH: "有效期至早于发证日期",
        Lang.EN: "expiry before issue",
    },
    "check.code.unknown_city": {Lang.ZH: "设区市无法识别", Lang.EN: "unknown city"},
    "check.code.unknown_county": {Lang.ZH: "县（市、区）无法识别", Lang.EN: "unknown county"},
    "check.code.county_city_mismatch": {Lang.ZH: "县与市不符", Lang.EN: "county in another city"},
    "check.code.duplicate": {Lang.ZH: "重复", Lang.EN: "repeat"},
    "check.code.duplicate_across": {Lang.ZH: "与其他台账重复", Lang.EN: "repeat across registers"},
    "check.code.number_clash": {
        Lang.ZH: "同一编号属于不同主体",
        Lang.EN: "one number, two holders",
    },
    "check.code.number_scheme_mismatch": {
        Lang.ZH: "编号与认证类型不符",
        Lang.EN: "number of the other scheme",
    },
    "check.code.extra_cells": {Lang.ZH: "单元格多于表头", Lang.EN: "more cells than the header"},
    "check.code.merged_cells": {Lang.ZH: "合并单元格留空", Lang.EN: "merged cells left empty"},
    "check.code.unpaired_numbers": {
        Lang.ZH: "编号与产品对不上",
        Lang.EN: "numbers and products do not pair",
    },
    "check.code.cell_too_large": {Lang.ZH: "单元格过大", Lang.EN: "cell too large"},
    "check.code.stray_quote": {Lang.ZH: "引号未闭合", Lang.EN: "stray quote"},
    "check.code.filed_before_issue": {Lang.ZH: "申报早于发证", Lang.EN: "filed before issue"},
    "check.code.date_note": {Lang.ZH: "日期后有备注", Lang.EN: "note after a date"},
    "check.code.summary_row": {Lang.ZH: "合计、说明等行", Lang.EN: "total or note rows"},
    "check.code.overlap": {Lang.ZH: "有效期重叠", Lang.EN: "overlapping validity"},
    "check.code.expiry_mismatch": {
        Lang.ZH: "有效期与发证日期不符",
        Lang.EN: "expiry off issue + validity",
    },
    "check.code.filed_after_expiry": {Lang.ZH: "到期后才申报", Lang.EN: "filed after expiry"},
    "xlsx.sheet.due": {Lang.ZH: "证书事项", Lang.EN: "items"},
    "xlsx.sheet.summary": {Lang.ZH: "年底目标", Lang.EN: "year-end"},
    "xlsx.sheet.check": {Lang.ZH: "台账检查", Lang.EN: "check"},
    "check.heading.file": {Lang.ZH: "文件", Lang.EN: "file"},
    "check.heading.line": {Lang.ZH: "行", Lang.EN: "line"},
    "check.heading.column": {Lang.ZH: "列", Lang.EN: "column"},
    "check.heading.value": {Lang.ZH: "值", Lang.EN: "value"},
    "check.heading.severity": {Lang.ZH: "级别", Lang.EN: "severity"},
    "check.heading.code": {Lang.ZH: "代码", Lang.EN: "code"},
    "check.heading.message": {Lang.ZH: "说明", Lang.EN: "message"},
    "table.submit_by": {Lang.ZH: "提交 {day}", Lang.EN: "hand in {day}"},
    "table.heading.when": {Lang.ZH: "申报截止", Lang.EN: "file by"},
    "table.heading.status": {Lang.ZH: "状态", Lang.EN: "status"},
    "table.heading.cert_id": {Lang.ZH: "证书编号", Lang.EN: "certificate"},
    "table.heading.enterprise": {Lang.ZH: "企业", Lang.EN: "holder"},
    "table.heading.product": {Lang.ZH: "产品", Lang.EN: "product"},
    "table.heading.place": {Lang.ZH: "地区", Lang.EN: "place"},
    "table.heading.expires_on": {Lang.ZH: "有效期至", Lang.EN: "expires"},
    # Output.
    "table.title": {
        Lang.ZH: "证书续展提醒　截至 {as_of}（{plan_year} 年工作方案）",
        Lang.EN: "Certificate renewals as of {as_of} (plan year {plan_year})",
    },
    "table.empty": {
        Lang.ZH: "截至 {as_of} 没有符合条件的证书",
        Lang.EN: "no certificates match as of {as_of}",
    },
    "table.legend": {
        Lang.ZH: "待申报：在申报截止日前提出续展/再认证；已逾期、已过期：按新申报产品处理\n"
        "已有新证：台账中已有下一周期的证书，仅在 --all 时列出\n"
        "免收费用、费用减免35%：国家乡村振兴重点帮扶县、脱贫县的获证主体\n"
        "本年批次：{cohort}年发证、本年到期；明年上半年：{next_year}年1–6月到期，本年准备续展",
        Lang.EN: "pending: file the renewal by the file-by day; late, expired: apply anew\n"
        "superseded: the register holds the next cycle's certificate (shown with --all)\n"
        "no fees, fees -35%: holders in key-assistance or poverty-exit counties\n"
        "cohort: issued in {cohort}, due this year; next H1: expires in January–June {next_year}",
    },
    # Calendar and mail.
    "calendar.name": {
        Lang.ZH: "证书续展提醒 {place}",
        Lang.EN: "Certificate renewals {place}",
    },
    "calendar.what.green": {Lang.ZH: "续展", Lang.EN: "Renewal"},
    "calendar.what.organic": {Lang.ZH: "再认证", Lang.EN: "Re-certification"},
    "calendar.what.transfer": {Lang.ZH: "转换认证机构", Lang.EN: "Transfer to COFCC"},
    "calendar.what.new_application": {Lang.ZH: "有机认证申请", Lang.EN: "Organic application"},
    "calendar.what.annual_inspection": {Lang.ZH: "年检", Lang.EN: "Annual inspection"},
    "calendar.what.annual_confirmation": {Lang.ZH: "年度确认", Lang.EN: "Annual confirmation"},
    "calendar.what.quality_test": {Lang.ZH: "质量检测", Lang.EN: "Quality test"},
    "calendar.summary.overdue": {
        Lang.ZH: "【{what}已逾期，请尽快办理】{enterprise} {product}",
        Lang.EN: "{what} overdue: {enterprise} {product}",
    },
    "calendar.submit_by_why": {
        Lang.ZH: "（申报截止日 {file_by} 不是工作日，提前到此前最后一个工作日）",
        Lang.EN: " (the file-by day {file_by} is not a working day: the last working day before it)",
    },
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
    "calendar.when": {Lang.ZH: "{day}（{when}）", Lang.EN: "{day} ({when})"},
    "calendar.label.place": {Lang.ZH: "地区", Lang.EN: "place"},
    "calendar.label.rule": {Lang.ZH: "规则", Lang.EN: "rule"},
    "calendar.label.contact": {Lang.ZH: "联系人", Lang.EN: "contact"},
    "calendar.label.phone": {Lang.ZH: "联系电话", Lang.EN: "phone"},
    "calendar.label.email": {Lang.ZH: "电子邮箱", Lang.EN: "e-mail"},
    "rule.green_measures_art18": {
        Lang.ZH: "有效期满{months}个月前向省级工作机构书面提出续展申请（《绿色食品标志管理办法》第十八条）",
        Lang.EN: "apply in writing to the provincial agency for renewal at least {months} months "
        "before expiry (Green Food Label Measures, Art. 18)",
    },
    "rule.guangxi_plan_transfer": {
        Lang.ZH: "由其他认证机构转中绿华夏的产品，到期前{months}个月以上按新申报材料申报（广西{plan_year}年工作方案）",
        Lang.EN: "products moving to COFCC file at least {months} months before expiry with the "
        "first-certification documents (Guangxi work plan {plan_year})",
    },
    "rule.guangxi_plan_annual_crop": {
        Lang.ZH: "一年生作物在播种前{months}个月申报有机认证（广西{plan_year}年工作方案）",
        Lang.EN: "annual crops apply for organic certification {months} month(s) before sowing "
        "(Guangxi work plan {plan_year})",
    },
    "rule.green_inspection": {
        Lang.ZH: "每个证书年度年检一次，年度结束前{days}天内完成（工作方案：年检率100%；时点为推定，可在策略文件中调整）",
        Lang.EN: "one inspection per certificate year, {days} days before the year ends (plan: "
        "100% inspected; the timing is a belief, set it in a policy file)",
    },
    "rule.green_inspection.none": {
        Lang.ZH: "每个证书年度年检一次，在证书年度结束前完成（工作方案：年检率100%；时点为推定，可在策略文件中调整）",
        Lang.EN: "one inspection per certificate year, before the year ends (plan: 100% "
        "inspected; the timing is a belief, set it in a policy file)",
    },
    "rule.mingte_confirmation": {
        Lang.ZH: "每年收录周年日前{days}天以上申请年度确认，逾期将被移出名录（全国名特优新农产品）",
        Lang.EN: "apply for the annual confirmation at least {days} days before each anniversary "
        "of the listing, or the product leaves the list",
    },
    "rule.mingte_quality_test": {
        Lang.ZH: "每{every}年进行一次质量检测（广西{plan_year}年工作方案）",
        Lang.EN: "a quality test every {every} years (Guangxi work plan {plan_year})",
    },
    "rule.guangxi_plan": {
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
    "mail.heading": {
        Lang.ZH: "证书续展提醒　{place}　截至 {as_of}（{plan_year} 年工作方案）",
        Lang.EN: "Certificate renewals, {place}, as of {as_of} (plan year {plan_year})",
    },
    "mail.empty": {
        Lang.ZH: "截至 {as_of}，没有需要处理的证书。",
        Lang.EN: "Nothing to do as of {as_of}.",
    },
    "mail.submit_by": {
        Lang.ZH: "（截止日不是工作日，请于 {day} 前提交）",
        Lang.EN: " (the deadline is not a working day: hand in by {day})",
    },
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
    "smtp.connect": {Lang.ZH: "无法连接邮件服务器 {server}", Lang.EN: "cannot connect to {server}"},
    "smtp.no_starttls": {
        Lang.ZH: "邮件服务器 {server} 不支持 STARTTLS 加密（security=starttls），为保护密码未发送",
        Lang.EN: "{server} does not offer STARTTLS (security=starttls); nothing was sent",
    },
    "smtp.login": {Lang.ZH: "登录邮件服务器 {server} 失败", Lang.EN: "login to {server} failed"},
    "smtp.login_not_ascii": {
        Lang.ZH: "登录 {server} 失败：用户名或密码含有非 ASCII 字符",
        Lang.EN: "login to {server} failed: the user name or password is not ASCII",
    },
    "smtp.session": {Lang.ZH: "与 {server} 的会话失败", Lang.EN: "session with {server} failed"},
    "smtp.recipient": {Lang.ZH: "服务器拒收该收件人", Lang.EN: "the server refused the recipient"},
    "smtp.sender": {Lang.ZH: "服务器拒绝发件人地址", Lang.EN: "the server refused the sender"},
    "smtp.smtputf8": {
        Lang.ZH: "服务器不支持中文邮件地址（SMTPUTF8）",
        Lang.EN: "the server does not take internationalised addresses (SMTPUTF8)",
    },
    "smtp.rejected": {Lang.ZH: "服务器拒收这封邮件", Lang.EN: "the server rejected the message"},
    "smtp.lost": {
        Lang.ZH: "发送途中连接中断（是否送达未知，未重发）",
        Lang.EN: "the connection broke while sending (delivery unknown; not retried)",
    },
    "smtp.hung_up": {Lang.ZH: "服务器关闭了会话", Lang.EN: "the server closed the session"},
    "smtp.not_sent": {
        Lang.ZH: "因其他收件人被拒，这封邮件没有发出",
        Lang.EN: "not sent, as the server refused the message's other recipients",
    },
    "smtp.code.421": {Lang.ZH: "服务暂不可用", Lang.EN: "service not available"},
    "smtp.code.450": {Lang.ZH: "邮箱暂不可用", Lang.EN: "mailbox unavailable"},
    "smtp.code.451": {Lang.ZH: "服务器处理出错", Lang.EN: "local error in processing"},
    "smtp.code.452": {Lang.ZH: "服务器存储空间不足", Lang.EN: "insufficient storage"},
    "smtp.code.501": {Lang.ZH: "地址或参数格式错误", Lang.EN: "syntax error in parameters"},
    "smtp.code.530": {Lang.ZH: "需要先登录", Lang.EN: "authentication required"},
    "smtp.code.535": {Lang.ZH: "用户名或密码错误", Lang.EN: "authentication failed"},
    "smtp.code.550": {Lang.ZH: "邮箱不存在或被拒绝", Lang.EN: "mailbox unavailable or refused"},
    "smtp.code.551": {Lang.ZH: "收件人不在本服务器", Lang.EN: "user not local"},
    "smtp.code.552": {Lang.ZH: "超出存储限额", Lang.EN: "storage allocation exceeded"},
    "smtp.code.553": {Lang.ZH: "邮箱名称不允许", Lang.EN: "mailbox name not allowed"},
    "smtp.code.554": {Lang.ZH: "交易失败", Lang.EN: "transaction failed"},
    "errno.111": {
        Lang.ZH: "连接被拒绝（服务器没有在该端口提供服务）",
        Lang.EN: "connection refused",
    },
    "errno.110": {Lang.ZH: "连接超时", Lang.EN: "connection timed out"},
    "errno.113": {Lang.ZH: "无法到达主机", Lang.EN: "no route to host"},
    "errno.101": {Lang.ZH: "网络不可达", Lang.EN: "network unreachable"},
    "errno.-2": {Lang.ZH: "找不到该服务器名称", Lang.EN: "host name not found"},
    "errno.-3": {Lang.ZH: "暂时无法解析服务器名称", Lang.EN: "host name lookup failed"},
    "smtp.timeout": {Lang.ZH: "连接超时", Lang.EN: "timed out"},
    "smtp.detail": {
        Lang.ZH: "{reason}：{meaning}（服务器原话：{words}）",
        Lang.EN: "{reason}: {meaning} (server said: {words})",
    },
    "smtp.detail_plain": {Lang.ZH: "{reason}：{words}", Lang.EN: "{reason}: {words}"},
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
    # Notices to holders (output/notice.py)
    "notice.title": {Lang.ZH: "续展提醒告知书", Lang.EN: "Renewal reminder notice"},
    "notice.addressee": {Lang.ZH: "{holder}：", Lang.EN: "To {holder}:"},
    "notice.plan": {
        Lang.ZH: "《{plan_year}年绿色食品（绿色优质农产品）高质量发展工作方案》",
        Lang.EN: "Guangxi's {plan_year} work plan for the high-quality development of green food "
        "(《{plan_year}年绿色食品（绿色优质农产品）高质量发展工作方案》)",
    },
    "notice.opening": {
        Lang.ZH: "根据{plan}，经核对我单位证书台账，截至{as_of}，贵单位下列产品需按期办理有关事项。"
        "现将有关事项告知如下：",
        Lang.EN: "Under {plan}, our register shows that, as of {as_of}, the products of yours "
        "listed below need action:",
    },
    "notice.section": {Lang.ZH: "{number}、{title}", Lang.EN: "{number}. {title}"},
    **{
        f"notice.number.{n}": {Lang.ZH: zh, Lang.EN: en}
        for n, (zh, en) in enumerate(zip("一二三四五六", "ABCDEF", strict=True), start=1)
    },
    "notice.section.items": {Lang.ZH: "需办理的事项", Lang.EN: "What needs to be done"},
    "notice.section.documents": {Lang.ZH: "需准备的材料", Lang.EN: "Documents to prepare"},
    "notice.section.fees": {Lang.ZH: "费用减免", Lang.EN: "Fee relief"},
    "notice.item": {
        Lang.ZH: "{number}. {product}（{scheme}）",
        Lang.EN: "{number}. {product} ({scheme})",
    },
    "notice.label.cert_id": {Lang.ZH: "证书编号", Lang.EN: "Certificate number"},
    "notice.label.validity": {Lang.ZH: "有效期", Lang.EN: "Valid"},
    "notice.validity": {Lang.ZH: "{issued}至{expires}", Lang.EN: "{issued} to {expires}"},
    # The same in a table cell, broken where it reads best.
    "notice.validity.cell": {Lang.ZH: "{issued}至\n{expires}", Lang.EN: "{issued} to\n{expires}"},
    "notice.column.number": {Lang.ZH: "序号", Lang.EN: "No."},
    "notice.column.product": {Lang.ZH: "产品", Lang.EN: "Product"},
    "notice.column.certificate": {Lang.ZH: "证书编号／有效期", Lang.EN: "Certificate / valid"},
    "notice.column.task": {Lang.ZH: "办理事项", Lang.EN: "What to do"},
    "notice.column.deadline": {Lang.ZH: "截止日期", Lang.EN: "Deadline"},
    "notice.label.issued_on": {Lang.ZH: "发证日期", Lang.EN: "Issued"},
    "notice.label.expires_on": {Lang.ZH: "有效期至", Lang.EN: "Valid until"},
    "notice.label.task": {Lang.ZH: "办理事项", Lang.EN: "Matter"},
    "notice.task": {Lang.ZH: "{what}（{status}，{when}）", Lang.EN: "{what} ({status}, {when})"},
    "notice.label.action": {Lang.ZH: "办理方式", Lang.EN: "What to do"},
    "notice.label.deadline": {Lang.ZH: "截止日期", Lang.EN: "Deadline"},
    "notice.submit_by": {
        Lang.ZH: "（该日不是工作日，请于{day}前提交）",
        Lang.EN: " (not a working day: hand in by {day})",
    },
    "notice.label.rule": {Lang.ZH: "依据", Lang.EN: "Rule"},
    "notice.documents.green": {
        Lang.ZH: "绿色食品续展材料（适用于：{products}）：",
        Lang.EN: "Green food renewal (for {products}):",
    },
    "notice.documents.organic": {
        Lang.ZH: "有机农产品再认证材料（适用于：{products}）：",
        Lang.EN: "Organic re-certification (for {products}):",
    },
    "notice.documents.new": {
        Lang.ZH: "新申报（首次认证）材料（适用于：{products}）：",
        Lang.EN: "New application, first-certification documents (for {products}):",
    },
    # One document a line.
    "notice.documents.list.green": {
        Lang.ZH: "绿色食品标志使用续展申请书\n"
        "种植（养殖、加工）产品调查表\n"
        "质量控制规范\n"
        "生产操作规程\n"
        "产品检验报告\n"
        "产地环境质量监测报告（或产地环境质量证明材料）\n"
        "上一用标周期绿色食品证书复印件\n"
        "营业执照复印件",
        Lang.EN: "renewal application for the green food label\n"
        "survey form of the crop, livestock or processed product\n"
        "quality control rules\n"
        "production procedures\n"
        "product test report\n"
        "environmental monitoring report of the production site (or proof of its quality)\n"
        "copy of the last cycle's green food certificate\n"
        "copy of the business licence",
    },
    "notice.documents.list.organic": {
        Lang.ZH: "有机产品再认证申请书\n"
        "有机生产（加工）基本情况调查表\n"
        "质量管理手册和生产操作规程\n"
        "本认证周期的生产、销售及内部检查记录\n"
        "产地环境质量检测报告\n"
        "基地地块图\n"
        "上一周期有机产品认证证书复印件\n"
        "营业执照复印件",
        Lang.EN: "re-certification application for organic products\n"
        "survey form of the organic production (processing)\n"
        "quality management manual and production procedures\n"
        "this cycle's production, sales and internal inspection records\n"
        "environmental test report of the production site\n"
        "map of the base and its plots\n"
        "copy of the last cycle's organic certificate\n"
        "copy of the business licence",
    },
    "notice.documents.list.new": {
        Lang.ZH: "认证（标志使用）申请书\n"
        "种植（养殖、加工）产品调查表\n"
        "营业执照复印件\n"
        "质量控制规范（质量管理手册）\n"
        "生产操作规程\n"
        "基地图、地块分布图及基地来源证明（土地承包或租赁合同）\n"
        "产地环境质量检测报告\n"
        "产品检测报告",
        Lang.EN: "application form for certification (use of the label)\n"
        "survey form of the crop, livestock or processed product\n"
        "copy of the business licence\n"
        "quality control rules (quality management manual)\n"
        "production procedures\n"
        "map of the base and its plots, with proof of the land (lease or contract)\n"
        "environmental test report of the production site\n"
        "product test report",
    },
    "notice.document": {Lang.ZH: "（{number}）{name}", Lang.EN: "({number}) {name}"},
    "notice.documents.note": {
        Lang.ZH: "以上为常用材料，具体清单以省级工作机构（绿色食品）和中绿华夏有机食品认证中心（有机农产品）的要求为准。",
        Lang.EN: "These are the usual documents; the exact list is what the provincial agency "
        "(green food) and COFCC (organic) require.",
    },
    "notice.fees.intro": {
        Lang.ZH: "贵单位所在县（市、区）属于国家乡村振兴重点帮扶县或脱贫县，按照工作方案可享受以下费用减免：",
        Lang.EN: "Your county is a key-assistance or poverty-exit county, so under the plan:",
    },
    "notice.fees.fee_waiver": {
        Lang.ZH: "绿色食品：免收审核费和标志使用费。",
        Lang.EN: "green food: the review and label fees are waived.",
    },
    "notice.fees.fee_discount_35": {
        Lang.ZH: "有机农产品：中绿华夏有机食品认证中心的认证申请费、审核费和注册费减免35%。",
        Lang.EN: "organic: COFCC's application, audit and registration fees are 35% off.",
    },
    "notice.request": {
        Lang.ZH: "请贵单位高度重视，在截止日期前完成上述事项。如有疑问，请与我单位联系。",
        Lang.EN: "Please see to the above before the deadlines. If you have any questions, "
        "please contact us.",
    },
    "notice.late_rule": {
        Lang.ZH: "逾期未申报续展、再认证的，按新申报产品处理；证书到期后不得继续使用标志。",
        Lang.EN: "A renewal or re-certification filed late is handled as a new application, and "
        "the label may not be used once the certificate has expired.",
    },
    "notice.contact": {Lang.ZH: "联系人及电话：{contact}", Lang.EN: "Contact: {contact}"},
    "notice.closing": {Lang.ZH: "特此告知。", Lang.EN: ""},
    "notice.date": {Lang.ZH: "{year}年{month}{day}日", Lang.EN: "{day} {month} {year}"},
    **{
        f"notice.month.{n}": {Lang.ZH: f"{n}月", Lang.EN: en}
        for n, en in enumerate(
            (
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ),
            start=1,
        )
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
    "kind": {Lang.ZH: "事项", Lang.EN: "kind"},
    "as_of": {Lang.ZH: "判断日期", Lang.EN: "as_of"},
    "plan_year": {Lang.ZH: "工作方案年度", Lang.EN: "plan_year"},
    "superseded_by": {Lang.ZH: "新证编号", Lang.EN: "superseded_by"},
    "submit_by": {Lang.ZH: "提交截止", Lang.EN: "submit_by"},
    "certifier": {Lang.ZH: "认证机构", Lang.EN: "certifier"},
    "validity": {Lang.ZH: "有效期", Lang.EN: "validity"},
    "contact": {Lang.ZH: "联系人", Lang.EN: "contact"},
    "phone": {Lang.ZH: "电话", Lang.EN: "phone"},
    "email": {Lang.ZH: "电子邮箱", Lang.EN: "email"},
}

# Keyed by the enum and its member: Kind.TRANSFER and Action.TRANSFER share the value "transfer",
# so a dict keyed by the members themselves would let one overwrite the other.
LABELS: dict[tuple[type, str], dict[Lang, str]] = {
    (type(member), member.value): words
    for member, words in (
        (Scheme.GREEN, {Lang.ZH: "绿色食品", Lang.EN: "green food"}),
        (Scheme.ORGANIC, {Lang.ZH: "有机农产品", Lang.EN: "organic"}),
        (Status.PENDING, {Lang.ZH: "待申报", Lang.EN: "pending"}),
        (Status.LATE, {Lang.ZH: "已逾期", Lang.EN: "late"}),
        (Status.EXPIRED, {Lang.ZH: "已过期", Lang.EN: "expired"}),
        (Status.FILED, {Lang.ZH: "已申报", Lang.EN: "filed"}),
        (Status.SUPERSEDED, {Lang.ZH: "已有新证", Lang.EN: "superseded"}),
        (Kind.RENEWAL, {Lang.ZH: "续展/再认证", Lang.EN: "renewal"}),
        (Kind.TRANSFER, {Lang.ZH: "转换认证机构", Lang.EN: "transfer"}),
        (Kind.NEW_APPLICATION, {Lang.ZH: "有机认证申请", Lang.EN: "new application"}),
        (Kind.ANNUAL_INSPECTION, {Lang.ZH: "年检", Lang.EN: "annual inspection"}),
        (Kind.ANNUAL_CONFIRMATION, {Lang.ZH: "年度确认", Lang.EN: "annual confirmation"}),
        (Kind.QUALITY_TEST, {Lang.ZH: "质量检测", Lang.EN: "quality test"}),
        (Scheme.MINGTE, {Lang.ZH: "名特优新农产品", Lang.EN: "mingte"}),
        (Action.TRANSFER, {Lang.ZH: "转中绿华夏（按新申报材料）", Lang.EN: "transfer"}),
        (Action.APPLY, {Lang.ZH: "申报有机认证", Lang.EN: "apply"}),
        (Action.INSPECT, {Lang.ZH: "办理年检", Lang.EN: "inspect"}),
        (Action.CONFIRM, {Lang.ZH: "申请年度确认", Lang.EN: "confirm"}),
        (Action.TEST, {Lang.ZH: "安排质量检测", Lang.EN: "test"}),
        (Flag.FEE_WAIVER, {Lang.ZH: "免收费用", Lang.EN: "no fees"}),
        (Flag.FEE_DISCOUNT_35, {Lang.ZH: "费用减免35%", Lang.EN: "fees -35%"}),
        (Action.RENEW, {Lang.ZH: "申报续展/再认证", Lang.EN: "renew"}),
        (Action.NEW_APPLICATION, {Lang.ZH: "按新申报处理", Lang.EN: "new application"}),
        (Action.NONE, {Lang.ZH: "无需处理", Lang.EN: "none"}),
        (Flag.PLAN_COHORT, {Lang.ZH: "本年批次", Lang.EN: "cohort"}),
        (Flag.NEXT_H1, {Lang.ZH: "明年上半年", Lang.EN: "next H1"}),
    )
}


# Words for a status that differ by kind (an inspection done in time reads 已年检).
KIND_STATUS: dict[tuple[Kind, Status], dict[Lang, str]] = {
    (Kind.ANNUAL_INSPECTION, Status.PENDING): {Lang.ZH: "待年检", Lang.EN: "inspection due"},
    (Kind.ANNUAL_INSPECTION, Status.FILED): {Lang.ZH: "已年检", Lang.EN: "inspected"},
    (Kind.ANNUAL_INSPECTION, Status.LATE): {Lang.ZH: "年检逾期", Lang.EN: "inspection late"},
    (Kind.ANNUAL_CONFIRMATION, Status.PENDING): {Lang.ZH: "待确认", Lang.EN: "confirm"},
    (Kind.ANNUAL_CONFIRMATION, Status.FILED): {Lang.ZH: "已确认", Lang.EN: "confirmed"},
    (Kind.ANNUAL_CONFIRMATION, Status.EXPIRED): {Lang.ZH: "已移出名录", Lang.EN: "delisted"},
    (Kind.QUALITY_TEST, Status.PENDING): {Lang.ZH: "待检测", Lang.EN: "test due"},
    (Kind.QUALITY_TEST, Status.FILED): {Lang.ZH: "已检测", Lang.EN: "tested"},
    (Kind.NEW_APPLICATION, Status.PENDING): {Lang.ZH: "待申请", Lang.EN: "to apply"},
    (Kind.NEW_APPLICATION, Status.FILED): {Lang.ZH: "已申请", Lang.EN: "applied"},
    (Kind.TRANSFER, Status.PENDING): {Lang.ZH: "待转换", Lang.EN: "to transfer"},
}


def text(message_id: str, lang: Lang, **params: object) -> str:
    """The message `message_id` in `lang`, filled with `params`."""
    return CATALOG[message_id][lang].format(**params)
