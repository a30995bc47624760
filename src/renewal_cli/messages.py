"""Everything officers read, in Chinese (default) and English.

One catalog: message id → text per language, formatted with str.format. Labels of statuses,
actions, schemes and flags live here too, so the table, CSV, calendar and mail all say the same.

A count in English agrees with its noun through a plural field, `{count:# row|# rows}`: the
first form for 1, the second for any other number, "#" standing for the number (`plural`).
"""

from __future__ import annotations

import string
from enum import StrEnum
from pathlib import PurePath

from renewal_cli.files import has_escapes, shown_name
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
        Lang.EN: "{source}: no header in the first {searched:# line|# lines}: required columns missing: "
        "{missing}\n  the likeliest header is line {line}: {header}",
    },
    # The places nearest an unknown one, or nothing when none is near.
    "problem.nearest": {Lang.ZH: "（最接近的：{names}）", Lang.EN: " (nearest: {names})"},
    "reason.directory": {Lang.ZH: "这是一个文件夹", Lang.EN: "it is a directory"},
    "reason.not_zip": {Lang.ZH: "不是完整的 .xlsx 文件", Lang.EN: "not a whole .xlsx file"},
    "reason.no_workbook": {Lang.ZH: "其中没有工作表", Lang.EN: "it holds no worksheet"},
    "reason.damaged": {Lang.ZH: "内容已损坏", Lang.EN: "its content is damaged"},
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
        Lang.EN: "policy file {source} has {count:# error|# errors}:",
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
    "policy.not_utf8": {
        Lang.ZH: "策略文件 {source} 不是 UTF-8 编码：字节偏移 {offset} 处（第 {line} 行）无法按 UTF-8 "
        "读取；请把文件另存为 UTF-8",
        Lang.EN: "policy file {source} is not UTF-8: the byte at offset {offset} (line {line}) "
        "does not decode; save the file as UTF-8",
    },
    "policy.too_deep": {
        Lang.ZH: "策略文件 {source} 的表或数组嵌套太深，无法读取（格式见 examples/policy.toml）",
        Lang.EN: "policy file {source} nests tables or arrays too deep to read "
        "(see examples/policy.toml)",
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
    "allowed.required": {
        Lang.ZH: "必须填写，不能为空",
        Lang.EN: "is required and may not be empty",
    },
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
    "usage.only_lock_files": {
        Lang.ZH: "没有可读的台账：{files} 是工作簿在 Excel 中打开时留下的锁定文件（~$ 开头），不是台账。"
        "请指定工作簿本身",
        Lang.EN: "no register to read: {files} is the lock file Excel leaves beside an open "
        "workbook (~$…), not a register. Name the workbook itself",
    },
    "usage.stdin_twice": {
        Lang.ZH: "标准输入（-）只能用一次",
        Lang.EN: "stdin (-) can be read once only",
    },
    # The library API (renewal_cli.due, check, summary): values given in Python.
    "api.bad_type": {
        Lang.ZH: "{name} 应为 {expected}，而不是 {value}",
        Lang.EN: "{name} must be {expected}, not {value}",
    },
    "api.stdin": {
        Lang.ZH: "库接口不读标准输入（-）：请给出台账文件的路径",
        Lang.EN: "the library API does not read stdin (-): give the register's path",
    },
    "api.stream": {
        Lang.ZH: "{source} 不是普通文件（管道、FIFO 或设备），只能读一次：请先把它保存为文件",
        Lang.EN: "{source} is not a regular file (a pipe, FIFO or device) and can be read once "
        "only: save it to a file first",
    },
    "api.policy_year": {
        Lang.ZH: "给出的策略属于 {policy} 年度，而 plan_year 是 {year}：请只给其中一个",
        Lang.EN: "the policy given is plan year {policy}'s, not plan_year {year}'s: give one of "
        "them only",
    },
    "api.plan_year_ahead": {
        Lang.ZH: "plan_year={year} 太远：截至 {as_of}，尚无那么远的工作方案（最远可查 {latest} 年）。"
        "如已有 {year} 年的工作方案，请写入策略文件的 [{year}] 表，用 policy= 指定",
        Lang.EN: "plan_year={year} is too far ahead: as of {as_of} no plan is known that far "
        "ahead ({latest} at the latest). If you have the {year} plan, write it into a policy "
        "file's [{year}] table and pass policy=",
    },
    "usage.xlsx_needs_file": {
        Lang.ZH: "--format xlsx 需要用 -o 指定文件（工作簿不能显示在终端里），例如 -o 提醒.xlsx",
        Lang.EN: "--format xlsx needs -o FILE (a workbook cannot be shown on a terminal)",
    },
    "usage.report_needs_file": {
        Lang.ZH: "renewal report 需要用 -o 指定文件（网页不能显示在终端里），例如 -o 报告.html",
        Lang.EN: "renewal report needs -o FILE (a web page cannot be shown on a terminal), "
        "e.g. -o report.html",
    },
    "usage.report_holders": {
        Lang.ZH: "--report 不能和 --holders 一起用：报告列有本地区所有获证主体，只发给负责人",
        Lang.EN: "--report cannot go with --holders: the report lists every holder of the place, "
        "and goes to officers only",
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
    # mkdir of a folder output (-o DIR) where a file or device of that name is (/dev/null).
    "errno.17": {
        Lang.ZH: "已有同名的文件或设备，不是文件夹；请指定一个文件夹",
        Lang.EN: "a file or device of that name is there, not a directory; give a directory",
    },
    "errno.5": {Lang.ZH: "输入/输出错误", Lang.EN: "input/output error"},
    "usage.bad_date": {
        Lang.ZH: "{option} 的值“{value}”不是日期，请写成 YYYY-MM-DD，例如 2024-05-01",
        Lang.EN: "{option} '{value}' is not a date: write it as YYYY-MM-DD, e.g. 2024-05-01",
    },
    "usage.date_range": {
        Lang.ZH: "{option} 的值“{value}”超出可用的日期范围：请写 {low} 到 {high} 之间的日期"
        "（工作方案年度 2000–2100）",
        Lang.EN: "{option} '{value}' is out of range: give a day from {low} to {high} (the plan "
        "years 2000-2100)",
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
    "usage.plan_year_ahead": {
        Lang.ZH: "--plan-year {year} 太远：截至 {as_of}，尚无那么远的工作方案（最远可查 {latest} 年）。"
        "如已有 {year} 年的工作方案，请写入策略文件的 [{year}] 表，用 --policy FILE 指定",
        Lang.EN: "--plan-year {year} is too far ahead: as of {as_of} no plan is known that far "
        "ahead ({latest} at the latest). If you have the {year} plan, write it into a policy "
        "file's [{year}] table and pass --policy FILE",
    },
    "output.unwritable": {
        Lang.ZH: "无法写入 {path}：{detail}",
        Lang.EN: "cannot write {path}: {detail}",
    },
    "input.too_large": {
        Lang.ZH: "{source} 超过输入大小上限 {limit}，已停止读取，未输出任何结果"
        "（上限由环境变量 RENEWAL_MAX_INPUT 设定，如 RENEWAL_MAX_INPUT=4G）",
        Lang.EN: "{source} is larger than the input limit of {limit}: reading stopped and "
        "nothing was written (set the limit with RENEWAL_MAX_INPUT, e.g. RENEWAL_MAX_INPUT=4G)",
    },
    "input.unreadable": {
        Lang.ZH: "无法读取台账 {source}：{detail}",
        Lang.EN: "cannot read register {source}: {detail}",
    },
    "input.spool": {
        Lang.ZH: "无法把台账 {source} 暂存到临时文件夹（TMPDIR）：{detail}",
        Lang.EN: "cannot copy register {source} to the temporary folder (TMPDIR): {detail}",
    },
    "usage.max_input": {
        Lang.ZH: "环境变量 RENEWAL_MAX_INPUT 的值“{value}”不是大小：请写成字节数，或带 K、M、G、T，"
        "如 500M、2G",
        Lang.EN: "RENEWAL_MAX_INPUT '{value}' is not a size: give bytes, or K, M, G or T, "
        "e.g. 500M or 2G",
    },
    # Diagnostics on stderr.
    "note.sample": {
        Lang.ZH: "未指定台账，使用内置示例台账 {source}（虚构数据）。指定台账：renewal due 台账.csv",
        Lang.EN: "no register given: using the bundled sample register {source} (synthetic). "
        "Give yours as: renewal due REGISTER.csv",
    },
    "note.lock_file": {
        Lang.ZH: "已跳过 {source}：这是工作簿在 Excel 中打开时留下的锁定文件，不是台账",
        Lang.EN: "skipped {source}: the lock file Excel leaves beside an open workbook, "
        "not a register",
    },
    "note.counts": {
        Lang.ZH: "{source}：{rows} 行，{certificates} 个证书，{problems} 行有问题",
        Lang.EN: "{source}: {rows:# row|# rows}: {certificates:# certificate|# certificates}, "
        "{problems:# problem|# problems}",
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
        Lang.EN: "wrote {path} ({holder}, {count:# item|# items})",
    },
    "note.notices": {
        Lang.ZH: "共写入 {count} 份告知书到 {directory}",
        Lang.EN: "{count:# notice|# notices} written to {directory}",
    },
    "usage.holders_alone": {
        Lang.ZH: "--holders 按台账里的电子邮箱发给各获证主体，不能与 --to、--contacts 或 --split-by "
        "同用；抄送本单位请用 --cc",
        Lang.EN: "--holders mails each holder at the address in the register: it does not go "
        "with --to, --contacts or --split-by; copy yourself with --cc",
    },
    "mail.no_address": {
        Lang.ZH: "以下 {count} 个获证主体在台账里没有可用的电子邮箱，未发送，请电话联系：",
        Lang.EN: "{count:# holder has|# holders have} no usable e-mail address in the register and were not "
        "mailed; phone them:",
    },
    "mail.no_phone": {Lang.ZH: "（台账无电话）", Lang.EN: "(no phone in the register)"},
    "mail.two_addresses": {
        Lang.ZH: "提醒：{holder}（{place}）在台账中有两个电子邮箱：{first_file} 第 {first_line} 行的 "
        "{first}，{other_file} 第 {other_line} 行的 {other}；以第一个为准，请核对",
        Lang.EN: "warning: {holder} ({place}) has two e-mail addresses in the register: {first} "
        "({first_file} line {first_line}) and {other} ({other_file} line {other_line}); the "
        "first is used, check which is right",
    },
    # The subject's tag: a renewal reminder when the notice lists a renewal, else a reminder of
    # the certificate's other duties (an inspection, a test, an application).
    "mail.holder_tag": {Lang.ZH: "续展提醒", Lang.EN: "Renewal reminder"},
    "mail.holder_tag.other": {Lang.ZH: "证书事项提醒", Lang.EN: "Certificate reminder"},
    "mail.holder_subject": {
        Lang.ZH: "【{tag}】{holder}：{count} 项待办，请于{submit_by}前提交（{office}）",
        Lang.EN: "{tag} for {holder}: {count:# item|# items}, submit by {submit_by} ({office})",
    },
    # Some items past their time: the day named is the earliest still to be met.
    "mail.holder_subject.mixed": {
        Lang.ZH: "【{tag}】{holder}：{count} 项待办，其中 {closed} 项已过期限，"
        "其余请于{submit_by}前提交（{office}）",
        Lang.EN: "{tag} for {holder}: {count:# item|# items}, {closed} past their time limit, "
        "the rest to submit by {submit_by} ({office})",
    },
    # Every item past its time: no day to meet is left to name.
    "mail.holder_subject.closed": {
        Lang.ZH: "【{tag}】{holder}：{count} 项已过期限，请按告知书尽快办理（{office}）",
        Lang.EN: "{tag} for {holder}: {count:# item past its|# items past their} time limit, act on "
        "the notice now ({office})",
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
    "note.other.header": {
        Lang.ZH: "表头 {count} 行",
        Lang.EN: "{count:# header line|# header lines}",
    },
    "note.other.title": {
        Lang.ZH: "表头上方标题 {count} 行",
        Lang.EN: "{count:# title line|# title lines}",
    },
    "note.other.blank": {
        Lang.ZH: "空行或只有序号的行 {count} 行",
        Lang.EN: "{count:# blank or serial-number-only row|# blank or serial-number-only rows}",
    },
    "note.other.summary": {
        Lang.ZH: "合计、制表人、说明等非证书行 {count} 行",
        Lang.EN: "{count:# total, signature or note row|# total, signature or note rows}",
    },
    "note.lines": {
        Lang.ZH: "（文件共 {lines} 行）",
        Lang.EN: " ({lines:# line|# lines} in the file)",
    },
    "note.total": {
        Lang.ZH: "合计 {files} 个台账：{rows} 行，{certificates} 个证书，{problems} 行有问题",
        Lang.EN: "{files:# file|# files} in all: {rows:# row|# rows}: "
        "{certificates:# certificate|# certificates}, {problems:# problem|# problems}",
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
        Lang.EN: "note: {count:# item is|# items are} in places with no contact and {count:was|were} not mailed: {places}",
    },
    "usage.register_from_env": {
        Lang.ZH: "（台账路径来自环境变量 RENEWAL_REGISTER）",
        Lang.EN: "(the register path comes from the RENEWAL_REGISTER environment variable)",
    },
    "note.more_problems": {
        Lang.ZH: "{source}：另有 {count} 个问题未在此列出；renewal check {source} 列出全部问题",
        Lang.EN: "{source}: {count} more problems not listed here; renewal check {source} "
        "lists them all",
    },
    "note.strict_failed": {
        Lang.ZH: "--strict：台账有 {problems} 行有问题，未输出任何结果",
        Lang.EN: "--strict: the register has {problems:# bad row|# bad rows}; nothing was written",
    },
    "note.written": {
        Lang.ZH: "已写入 {path}（{count} 条）",
        Lang.EN: "wrote {path} ({count:# item|# items})",
    },
    "note.written_events": {
        Lang.ZH: "已写入 {path}（{count} 个日历事件）",
        Lang.EN: "wrote {path} ({count:# event|# events})",
    },
    "note.plan_carried": {
        Lang.ZH: "提醒：未载入 {year} 年工作方案，沿用 {used} 年工作方案《{title}》；告知书和给获证主体的邮件"
        "只引用国家规定，不写费用减免。有了 {year} 年工作方案后，请写入策略文件（[{year}.plan] 写明"
        "标题和印发日期），用 --policy FILE 指定（格式见 examples/policy.toml）",
        Lang.EN: "warning: no {year} work plan is loaded; using the {used} plan 《{title}》. "
        "Notices and holders' mail cite the national rules only and promise no fee relief. To "
        "give the {year} plan, write it into a policy file ([{year}.plan] with its title and "
        "issue date) and pass --policy FILE (see examples/policy.toml)",
    },
    "note.plan_other_year": {
        Lang.ZH: "提醒：按 {year} 年工作方案《{title}》判断（--plan-year {year}）；{as_of_year} 年的"
        "告知书和给获证主体的邮件不引用该方案，只引用国家规定，不写费用减免",
        Lang.EN: "warning: judged by the {year} work plan 《{title}》 (--plan-year {year}); "
        "notices and holders' mail of {as_of_year} do not cite it: they cite the national rules "
        "only and promise no fee relief",
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
        Lang.EN: "expiry differs from issue date + {validity:# year|# years}, which gives {expected}",
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
        Lang.ZH: "“{columns}”（{letters} 列）为空，而上面一行有值：可能是表格中的合并单元格导出为 CSV 后留空。"
        "请在 Excel/WPS 中取消合并并填满每一行后再导出；这些行已跳过",
        Lang.EN: "{columns} (column {letters}) empty under a filled row: probably merged cells "
        "exported to CSV. "
        "Unmerge them in Excel/WPS and fill every row before exporting; these rows are left out",
    },
    ProblemCode.UNPAIRED_NUMBERS: {
        Lang.ZH: "一个单元格里有多个证书编号，但与 {products} 个产品对应不上，本行已跳过",
        Lang.EN: "several certificate numbers in one cell that do not pair up with the "
        "{products:# product|# products}; row left out",
    },
    ProblemCode.CELL_TOO_LARGE: {
        Lang.ZH: "单元格超过 {limit} 个字符，可能是引号没有闭合或文件损坏，本行已跳过",
        Lang.EN: "a cell is longer than {limit:# character|# characters} (an unclosed quote or a damaged "
        "file?); row left out",
    },
    ProblemCode.UNCLOSED_QUOTE: {
        Lang.ZH: '第 {quote} 行的引号（"）没有闭合（该行已按普通行读取），其后的这些行超过 {limit} '
        "个字符，无法按普通行读取，已全部跳过；请检查第 {quote} 行的单元格",
        Lang.EN: 'the quote (") of line {quote} never closes (that line is read as an ordinary '
        "row), and the lines after it run past {limit:# character|# characters}: they cannot be read as "
        "rows and are all left out; check the cell on line {quote}",
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
    "counts.total": {Lang.ZH: "共 {total} 条：{parts}", Lang.EN: "{total:# item|# items}: {parts}"},
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
    # What a holder can still do once an item's time has passed (present.closed_words): said in
    # notices, holder mail and calendars instead of a deadline that can no longer be met.
    "closed.window.renewal": {
        Lang.ZH: "{what}申报期已于{day}截止",
        Lang.EN: "{what} window closed on {day}",
    },
    "closed.window.transfer": {
        Lang.ZH: "{what}申报期已于{day}截止",
        Lang.EN: "{what} window closed on {day}",
    },
    "closed.window.new_application": {
        Lang.ZH: "有机认证申报期已于{day}截止",
        Lang.EN: "Application window closed on {day}",
    },
    "closed.window.annual_inspection": {
        Lang.ZH: "年检期限已于{day}截止",
        Lang.EN: "Inspection was due by {day}",
    },
    "closed.window.annual_confirmation": {
        Lang.ZH: "年度确认申请期已于{day}截止",
        Lang.EN: "Confirmation window closed on {day}",
    },
    "closed.window.quality_test": {
        Lang.ZH: "质量检测期限已于{day}截止",
        Lang.EN: "Quality test was due by {day}",
    },
    "closed.action.renewal": {
        Lang.ZH: "按新申报产品重新申报（提交新申报材料）",
        Lang.EN: "apply again as a new product, with the first-application documents",
    },
    "closed.action.renewal.filed": {
        Lang.ZH: "已于{filed}申报，晚于申报期，按新申报产品处理（提交新申报材料）",
        Lang.EN: "filed on {filed}, after the window: handled as a new application "
        "(first-application documents)",
    },
    "closed.action.new_application": {
        Lang.ZH: "请在播种（{sowing}）前尽快申报",
        Lang.EN: "apply without delay, before sowing on {sowing}",
    },
    "closed.action.new_application.filed": {
        Lang.ZH: "已于{filed}申报，晚于申报期",
        Lang.EN: "applied on {filed}, after the window",
    },
    "closed.action.new_application.expired": {
        Lang.ZH: "本季播种日（{sowing}）已过，请在下一季播种前按期申报",
        Lang.EN: "sowing on {sowing} has passed: apply in time before next season's sowing",
    },
    "closed.action.annual_inspection": {
        Lang.ZH: "请尽快办理年检",
        Lang.EN: "have the inspection done without delay",
    },
    "closed.action.annual_confirmation": {
        Lang.ZH: "未在期限内申请确认，产品将被移出名录，须重新申请收录",
        Lang.EN: "not confirmed in time: the product leaves the list and must apply to be "
        "listed anew",
    },
    "closed.action.annual_confirmation.expired": {
        Lang.ZH: "产品已移出名录，须重新申请收录",
        Lang.EN: "the product has left the list: apply to be listed anew",
    },
    "closed.action.quality_test": {
        Lang.ZH: "请尽快安排质量检测",
        Lang.EN: "have the quality test done without delay",
    },
    "closed.use.until": {
        Lang.ZH: "证书有效期至{day}，此后不得使用{mark}",
        Lang.EN: "The certificate is valid until {day}: the {mark} may not be used after that day",
    },
    "closed.use.ended": {
        Lang.ZH: "证书已于{day}到期，现已不得使用{mark}",
        Lang.EN: "The certificate expired on {day}: the {mark} may no longer be used",
    },
    "closed.mark.green": {Lang.ZH: "绿色食品标志", Lang.EN: "green food label"},
    "closed.mark.organic": {Lang.ZH: "有机产品认证标志", Lang.EN: "organic label"},
    "summary.title": {
        Lang.ZH: "{plan_year} 年年底目标（12 月 31 日有效证书数）　截至 {as_of}（{plan}）",
        Lang.EN: "Year-end targets {plan_year} (certificates valid on 31 December), as of {as_of} "
        "({plan})",
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
        Lang.ZH: "差距＝目标－年底有效（正数为尚差）\n"
        "如按时续展＝年底有效＋待续展＋已按时申报、新证尚未入账的证书\n"
        "待续展：12 月 31 日前到期、尚未申报、仍可按时续展（续展后新证年底有效）\n"
        "已流失：本年到期、逾期或过期\n"
        "10月后未报：本年应报、10 月 1 日前未申报（10 月 1 日起统计）",
        Lang.EN: "gap = target - valid 31 Dec (positive: short of the target)\n"
        "if renewed = valid 31 Dec + at risk + filed in time, new certificate not yet entered\n"
        "at risk: expiring before 31 Dec, not filed, still in time (renewed, valid on 31 Dec)\n"
        "lost: expiring this year, late or expired\n"
        "open after Oct: due this year, not filed before 1 October (counted from that day)",
    },
    "scheme.green": {Lang.ZH: "绿色食品", Lang.EN: "green food"},
    "scheme.organic": {Lang.ZH: "有机农产品", Lang.EN: "organic"},
    "rules.title": {Lang.ZH: "{year} 年：{document}", Lang.EN: "{year}: {document}"},
    "rules.title.carried": {
        Lang.ZH: "{year} 年：未载入 {year} 年工作方案，沿用 {document}",
        Lang.EN: "{year}: no {year} work plan loaded; using {document}",
    },
    "rules.adjusted": {
        Lang.ZH: "策略文件 {file} 调整了部分规则（见各条依据）",
        Lang.EN: "the policy file {file} changes some rules (named in each source)",
    },
    # renewal report: the one-page HTML report (output/report.py).
    "report.title": {
        Lang.ZH: "{place}绿色食品、有机农产品证书续展情况",
        Lang.EN: "Green food and organic certificate renewals: {place}",
    },
    "report.region": {Lang.ZH: "广西全区", Lang.EN: "Guangxi, whole region"},
    "report.schemes": {Lang.ZH: "（{schemes}）", Lang.EN: " ({schemes})"},
    "report.header.place": {Lang.ZH: "地区", Lang.EN: "Place"},
    "report.header.as_of": {Lang.ZH: "截至", Lang.EN: "As of"},
    "report.header.plan": {Lang.ZH: "工作方案", Lang.EN: "Work plan"},
    "report.header.registers": {Lang.ZH: "台账", Lang.EN: "Registers"},
    "report.place": {Lang.ZH: "{place}（{level}）", Lang.EN: "{place} ({level})"},
    "report.level.city": {Lang.ZH: "按市统计", Lang.EN: "by city"},
    "report.level.county": {Lang.ZH: "按县（市、区）统计", Lang.EN: "by county"},
    "report.figure.valid_today": {Lang.ZH: "今日有效证书", Lang.EN: "Certificates valid today"},
    "report.figure.due_soon": {
        Lang.ZH: "90 天内须申报续展",
        Lang.EN: "Renewals due in the next 90 days",
    },
    "report.figure.late_now": {
        Lang.ZH: "续展已逾期（尚未到期）",
        Lang.EN: "Renewals late now (not yet expired)",
    },
    "report.figure.expired_recently": {
        Lang.ZH: "近 365 天内过期",
        Lang.EN: "Expired in the last 365 days",
    },
    "report.figure.share": {Lang.ZH: "{year} 年按时申报率", Lang.EN: "Filed in time in {year}"},
    "report.figure.share_of": {
        Lang.ZH: "已过截止的 {judged} 个续展中按时申报 {filed} 个",
        Lang.EN: "{filed} of the {judged:# renewal|# renewals} whose file-by day has passed",
    },
    "report.figure.share_none": {
        Lang.ZH: "本年度还没有已过截止的续展",
        Lang.EN: "no file-by day has passed this plan year",
    },
    "report.figure.renewed": {
        Lang.ZH: "另有 {count} 个已有新证，不计入",
        Lang.EN: "{count} more superseded, not counted",
    },
    "report.year_end": {
        Lang.ZH: "{year} 年 12 月 31 日：目标 {target}，按现状有效 {valid}，如待续展的都按时申报 {renewed}，差距 {gap}",
        Lang.EN: "31 December {year}: target {target}, valid as things stand {valid}, {renewed} "
        "if every pending renewal is filed in time, gap {gap}",
    },
    "report.year_end.no_target": {
        Lang.ZH: "{year} 年 12 月 31 日：按现状有效 {valid}，如待续展的都按时申报 {renewed}（本年度本地区没有目标）",
        Lang.EN: "31 December {year}: valid as things stand {valid}, {renewed} if every pending "
        "renewal is filed in time (no target for this year and place)",
    },
    "report.targets.title.city": {
        Lang.ZH: "各市 {year} 年底有效证书",
        Lang.EN: "Certificates valid on 31 December {year}, by city",
    },
    "report.targets.title.city_target": {
        Lang.ZH: "各市 {year} 年底有效证书与目标",
        Lang.EN: "Certificates valid on 31 December {year} against the target, by city",
    },
    "report.targets.title.county": {
        Lang.ZH: "各县（市、区）{year} 年底有效证书",
        Lang.EN: "Certificates valid on 31 December {year}, by county",
    },
    "report.targets.note": {
        Lang.ZH: "按差距从大到小排列（差距＝目标－年底有效，正数为尚差）；"
        "如按时续展：待续展的都按时申报后的年底有效数。",
        Lang.EN: "Largest gap first (gap = target - valid on 31 December; positive: short). If "
        "renewed: valid on 31 December if every pending renewal is filed in time.",
    },
    "report.targets.note_no_target": {
        Lang.ZH: "没有可比的目标（目标按市设定，或本年度没有目标）：年底数最取决于待续展能否按时申报的地区在前"
        "（“如按时续展”比“年底有效”多出的数从大到小）。",
        Lang.EN: "No target to compare with (targets are set by city, or none for this year): "
        "the places where most hangs on pending renewals come first.",
    },
    "report.targets.none": {
        Lang.ZH: "这些地区没有目标，年底也没有有效证书，没有可画的条形。",
        Lang.EN: "No target is set and no certificate is valid on 31 December here: nothing to draw.",
    },
    "report.coming.title": {
        Lang.ZH: "未来 12 个月的申报截止（{first} 至 {last}）",
        Lang.EN: "Deadlines in the next 12 months ({first} to {last})",
    },
    "report.coming.note": {
        Lang.ZH: "按申报截止日所在月份统计，按事项和状态分列；已有新证的证书没有截止日，不计。",
        Lang.EN: "By the month of the file-by day, stacked by kind and status; superseded "
        "certificates have no deadline left and are not counted.",
    },
    "report.coming.none": {
        Lang.ZH: "未来 12 个月没有申报截止的事项。",
        Lang.EN: "No deadlines in the next 12 months.",
    },
    "report.year.title": {
        Lang.ZH: "{year} 年已过申报截止的续展",
        Lang.EN: "Renewals whose file-by day has passed in {year}",
    },
    "report.year.note": {
        Lang.ZH: "按申报截止日所在月份统计。已申报：在截止日前申报；已逾期：截止后才申报，或未申报但证书尚未到期；"
        "已过期：未申报且证书已到期；已有新证：台账中已有下一周期的证书（不计入按时申报率）。",
        Lang.EN: "By the month of the file-by day. filed: filed in time; late: filed after the "
        "file-by day, or not filed and not yet expired; expired: not filed and expired; "
        "superseded: the register holds the next certificate (not in the share filed in time).",
    },
    "report.year.none": {
        Lang.ZH: "{year} 年至今还没有已过申报截止的续展。",
        Lang.EN: "No file-by day of a renewal has passed in {year} so far.",
    },
    "report.year.not_started": {
        Lang.ZH: "{year} 年度尚未开始。",
        Lang.EN: "Plan year {year} has not started yet.",
    },
    "report.month": {Lang.ZH: "月份", Lang.EN: "month"},
    "report.series": {Lang.ZH: "{kind}·{status}", Lang.EN: "{kind}: {status}"},
    "report.chart": {
        Lang.ZH: "图表：{title}。数字见旁边的表格。",
        Lang.EN: "Chart: {title}. Its numbers are in the table beside it.",
    },
    "report.numbers": {Lang.ZH: "{title}（数字）", Lang.EN: "{title} (numbers)"},
    "report.holders.title": {
        Lang.ZH: "重点联系的获证主体（已逾期或 30 天内截止）",
        Lang.EN: "Holders most at risk (late, or due within 30 days)",
    },
    "report.holders.none": {
        Lang.ZH: "没有已逾期或 30 天内截止的获证主体。",
        Lang.EN: "No holder is late or due within 30 days.",
    },
    "report.holders.cut": {
        Lang.ZH: "只列出前 {shown} 个（共 {total} 个）。完整的电话联系清单：用同样的台账和选项运行 renewal due --by-holder。",
        Lang.EN: "The first {shown} of {total} are listed. The whole call list: renewal due "
        "--by-holder with the same registers and options.",
    },
    "report.items.title": {Lang.ZH: "事项清单", Lang.EN: "Items"},
    "report.items.cut": {
        Lang.ZH: "只列出前 {shown} 条（共 {total} 条）。全部事项：用同样的台账和选项运行 renewal due，"
        "加 --format xlsx -o 事项.xlsx 可导出为表格。",
        Lang.EN: "The first {shown} of {total:# item|# items} are listed. All of them: renewal due with "
        "the same registers and options (add --format xlsx -o items.xlsx for a spreadsheet).",
    },
    "report.scope_note": {
        Lang.ZH: "上面的数字和图表统计本地区的全部证书；下面两张表列出本报告选出的事项。",
        Lang.EN: "The figures and charts above count every certificate of the place; the two "
        "tables below list the items chosen for this report.",
    },
    "report.empty": {
        Lang.ZH: "台账中没有{place}的证书，没有可统计的内容。",
        Lang.EN: "The registers hold no certificate of {place}: there is nothing to count.",
    },
    "report.footer": {
        Lang.ZH: "截至 {as_of}　由 renewal-cli 生成",
        Lang.EN: "As of {as_of}. Made by renewal-cli.",
    },
    "report.page": {Lang.ZH: "第 {page} 页，共 {pages} 页", Lang.EN: "page {page} of {pages}"},
    "report.percent": {Lang.ZH: "{value}%", Lang.EN: "{value}%"},
    "rules.heading.kind": {Lang.ZH: "事项", Lang.EN: "kind"},
    "rules.heading.scheme": {Lang.ZH: "适用", Lang.EN: "applies to"},
    "rules.heading.validity": {Lang.ZH: "有效期", Lang.EN: "validity"},
    "rules.heading.lead": {Lang.ZH: "申报截止", Lang.EN: "file by"},
    "rules.heading.flags": {Lang.ZH: "标记", Lang.EN: "flagged"},
    "rules.heading.late": {Lang.ZH: "逾期", Lang.EN: "late means"},
    "rules.heading.source": {Lang.ZH: "依据", Lang.EN: "source"},
    "rules.fact": {Lang.ZH: "{name}：{value}", Lang.EN: "{name}: {value}"},
    "rules.years": {Lang.ZH: "{years} 年", Lang.EN: "{years:# year|# years}"},
    "rules.none": {Lang.ZH: "—", Lang.EN: "-"},
    "rules.lead.months_before_expiry": {
        Lang.ZH: "到期前 {n} 个月",
        Lang.EN: "{n:# month|# months} before expiry",
    },
    "rules.lead.months_before_sowing": {
        Lang.ZH: "播种前 {n} 个月",
        Lang.EN: "{n:# month|# months} before sowing",
    },
    "rules.lead.days_before_year_end": {
        Lang.ZH: "证书年度结束前 {n} 天",
        Lang.EN: "{n:# day|# days} before the certificate year ends",
    },
    "rules.lead.days_before_anniversary": {
        Lang.ZH: "收录周年日前 {n} 天",
        Lang.EN: "{n:# day|# days} before the listing's anniversary",
    },
    "rules.lead.every_years": {
        Lang.ZH: "每 {n} 年（收录周年日）",
        Lang.EN: "every {n:year|# years} (anniversary)",
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
        Lang.ZH: "全部事项争取在 {day} 前上报审批",
        Lang.EN: "submit everything before {day}",
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
    "check.file": {Lang.ZH: "{source}", Lang.EN: "{source}"},
    "check.error": {Lang.ZH: "错误", Lang.EN: "error"},
    "check.warning": {Lang.ZH: "提醒", Lang.EN: "warning"},
    "check.count": {Lang.ZH: "{severity}　{kind}：{count}", Lang.EN: "{severity}  {kind}: {count}"},
    "check.total": {
        Lang.ZH: "共 {errors} 个错误，{warnings} 个提醒",
        Lang.EN: "{errors:# error|# errors}, {warnings:# warning|# warnings}",
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
    "check.code.unclosed_quote": {
        Lang.ZH: "引号未闭合，其后各行已跳过",
        Lang.EN: "lines skipped after a stray quote",
    },
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
    "xlsx.chart.summary": {
        Lang.ZH: "年底有效证书与目标",
        Lang.EN: "Certificates valid on 31 December against the target",
    },
    "xlsx.chart.certificates": {Lang.ZH: "证书数", Lang.EN: "certificates"},
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
        Lang.ZH: "证书续展提醒　截至 {as_of}（{plan}）",
        Lang.EN: "Certificate renewals as of {as_of} ({plan})",
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
    # A reminder names the day, not a count of days: it is read on the day it falls.
    "calendar.summary.remind": {
        Lang.ZH: "【{what}申报将于 {day} 截止】{enterprise} {product}",
        Lang.EN: "{what} due on {day}: {enterprise} {product}",
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
    "calendar.label.window": {Lang.ZH: "办理时限", Lang.EN: "time limit"},
    "calendar.label.use": {Lang.ZH: "标志使用", Lang.EN: "label"},
    # A rule as a sentence (rule.<source>), then the document that states it (rule.cite, with
    # one of cite.*); present.rule_sentence picks the document (domain.md §5).
    "rule.green_measures_art18": {
        Lang.ZH: "有效期满{months}个月前向省级工作机构书面提出续展申请",
        Lang.EN: "apply in writing to the provincial agency for renewal at least {months:# month|# months} "
        "before expiry",
    },
    "rule.guangxi_plan_transfer": {
        Lang.ZH: "由其他认证机构转中绿华夏的产品，到期前{months}个月以上按新申报材料申报",
        Lang.EN: "products moving to COFCC file at least {months:# month|# months} before expiry with the "
        "first-certification documents",
    },
    "rule.guangxi_plan_annual_crop": {
        Lang.ZH: "一年生作物在播种前{months}个月申报有机认证",
        Lang.EN: "annual crops apply for organic certification {months:# month|# months} before sowing",
    },
    "rule.green_inspection": {
        Lang.ZH: "每个证书年度年检一次，年度结束前{days}天内完成",
        Lang.EN: "one inspection per certificate year, {days:# day|# days} before the year ends",
    },
    "rule.green_inspection.none": {
        Lang.ZH: "每个证书年度年检一次，在证书年度结束前完成",
        Lang.EN: "one inspection per certificate year, before the year ends",
    },
    "rule.mingte_confirmation": {
        Lang.ZH: "每年收录周年日前{days}天以上申请年度确认，逾期将被移出名录",
        Lang.EN: "apply for the annual confirmation at least {days:# day|# days} before each anniversary "
        "of the listing, or the product leaves the list",
    },
    "rule.mingte_quality_test": {
        Lang.ZH: "每{every}年进行一次质量检测",
        Lang.EN: "a quality test every {every:year|# years}",
    },
    "rule.guangxi_plan": {
        Lang.ZH: "到期前{months}个月以上申报再认证",
        Lang.EN: "apply for re-certification at least {months:# month|# months} before expiry",
    },
    # What the national organic rule asks (a notice cites it when no plan of the year is loaded).
    "rule.national.organic": {
        Lang.ZH: "有效期满{months}个月前申请再认证",
        Lang.EN: "apply for re-certification at least {months:# month|# months} before expiry",
    },
    # The office's own, earlier date beside a national rule that asks less.
    "rule.request": {
        Lang.ZH: "；请于有效期满{months}个月前申报",
        Lang.EN: "; please file {months:# month|# months} before expiry",
    },
    # The same requirement, once its day has passed: why the window closed then, with no date
    # to meet.
    "rule.request.closed": {
        Lang.ZH: "；本地要求在有效期满{months}个月前申报",
        Lang.EN: "; the local requirement is to file {months:# month|# months} before expiry",
    },
    "rule.cite": {Lang.ZH: "（{cite}）", Lang.EN: " ({cite})"},
    "rule.cite.green_inspection": {
        Lang.ZH: "（{cite}：年检率100%；时点为推定，可在策略文件中调整）",
        Lang.EN: " ({cite}: 100% inspected; the timing is a belief, set it in a policy file)",
    },
    "rule.validity": {
        Lang.ZH: "；有效期{years}年（{cite}）",
        Lang.EN: "; validity: {cite}",
    },
    "cite.green_measures": {
        Lang.ZH: "《绿色食品标志管理办法》第十八条",
        Lang.EN: "Green Food Label Measures, Art. 18",
    },
    "cite.green_validity": {
        Lang.ZH: "《绿色食品标志管理办法》",
        Lang.EN: "Green Food Label Measures",
    },
    "cite.organic_rules": {
        Lang.ZH: "《有机产品认证实施规则》CNCA-N-009",
        Lang.EN: "Organic Product Certification Rules, CNCA-N-009",
    },
    "cite.mingte": {
        Lang.ZH: "全国名特优新农产品",
        Lang.EN: "national list of famous, special, quality and new farm products",
    },
    "cite.plan": {Lang.ZH: "《{title}》", Lang.EN: "《{title}》"},
    "cite.file": {Lang.ZH: "策略文件 {file}", Lang.EN: "policy file {file}"},
    # The plan in force, as titles, the rules heading and the warning name it.
    "plan.own": {Lang.ZH: "{year} 年工作方案", Lang.EN: "{year} work plan"},
    "plan.carried": {
        Lang.ZH: "未载入 {year} 年工作方案，沿用 {used} 年工作方案",
        Lang.EN: "no {year} work plan loaded; using the {used} plan",
    },
    "plan.document": {
        Lang.ZH: "{year} 年工作方案《{title}》",
        Lang.EN: "the {year} work plan 《{title}》",
    },
    "plan.issued": {Lang.ZH: "（{day} 印发）", Lang.EN: " (issued {day})"},
    "plan.from_file": {Lang.ZH: "，载自策略文件 {file}", Lang.EN: ", from the policy file {file}"},
    "usage.bad_remind": {
        Lang.ZH: "--remind 的值“{value}”无效：请写 1 到 {high} 之间的天数，用逗号分隔，例如 60,30,7",
        Lang.EN: "--remind '{value}' is not valid: give numbers of days from 1 to {high} "
        "separated by commas, e.g. 60,30,7",
    },
    "usage.bad_period": {
        Lang.ZH: "--period 的值“{value}”无效，可选：day、week、month",
        Lang.EN: "--period '{value}' is not valid; choose from: day, week, month",
    },
    "usage.bad_seconds": {
        Lang.ZH: "{name} 的值“{value}”无效：应为大于 0、不超过 1000000 的秒数，例如 30",
        Lang.EN: "{name} '{value}' is not valid: give a number of seconds above 0 and at most "
        "1000000, e.g. 30",
    },
    "usage.bad_wait": {
        Lang.ZH: "{name} 的值“{value}”无效：应为 0 到 1000000 之间的秒数",
        Lang.EN: "{name} '{value}' is not valid: give a number of seconds from 0 to 1000000",
    },
    "usage.bad_source_date_epoch": {
        Lang.ZH: "环境变量 SOURCE_DATE_EPOCH 的值“{value}”无效：应为自 1970-01-01 起的整秒数",
        Lang.EN: "SOURCE_DATE_EPOCH '{value}' is not valid: give whole seconds since 1970-01-01",
    },
    "mail.subject": {
        Lang.ZH: "【证书续展提醒】{place} {as_of}：{counts}",
        Lang.EN: "Certificate renewals, {place}, {as_of}: {counts}",
    },
    "mail.all_places": {Lang.ZH: "全部地区", Lang.EN: "all places"},
    "mail.heading": {
        Lang.ZH: "证书续展提醒　{place}　截至 {as_of}（{plan}）",
        Lang.EN: "Certificate renewals, {place}, as of {as_of} ({plan})",
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
    "mail.report_attached": {
        Lang.ZH: "另附 {name}：一页图表报告（目标、未来 12 个月的截止、本年已过截止的续展），用浏览器打开即可，可打印。",
        Lang.EN: "Also attached: {name}, the one-page report with charts (targets, the next 12 "
        "months' deadlines, this year's renewals so far); open it in a web browser, or print it.",
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
        Lang.ZH: "发送途中连接中断（是否送达未知，本次不再重发）",
        Lang.EN: "the connection broke while sending (delivery unknown; not sent again in this "
        "run)",
    },
    "smtp.hung_up": {Lang.ZH: "服务器关闭了会话", Lang.EN: "the server closed the session"},
    "smtp.not_sent": {
        Lang.ZH: "因其他收件人被拒，这封邮件没有发出",
        Lang.EN: "not sent, as the server refused the message's other recipients",
    },
    "smtp.unanswered": {
        Lang.ZH: "邮件服务器 {server} 没有在规定时间内应答，未发送",
        Lang.EN: "{server} did not answer in time; not sent",
    },
    "smtp.no_answer": {
        Lang.ZH: "邮件已交给服务器 {server}，但它没有在规定时间内答复（是否送达未知，本次不再重发）",
        Lang.EN: "the message was handed to {server}, which gave no answer in time (delivery "
        "unknown; not sent again in this run)",
    },
    "smtp.stopped": {
        Lang.ZH: "邮件服务器 {server} 此前没有应答，本次运行不再使用它",
        Lang.EN: "{server} stopped answering earlier in this run, which no longer uses it",
    },
    "smtp.deadline": {
        Lang.ZH: "已到本次运行的时限（--deadline），未再尝试",
        Lang.EN: "the run's deadline (--deadline) had passed; not tried",
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
        Lang.EN: "mail: {sent:# recipient|# recipients} sent, {failed} not sent",
    },
    "mail.eml_written": {
        Lang.ZH: "--dry-run：已将 {count} 封邮件写入 {directory}，没有发送",
        Lang.EN: "--dry-run: wrote {count:# message|# messages} to {directory}; nothing was sent",
    },
    "mail.updated": {Lang.ZH: "（更新）{subject}", Lang.EN: "(updated) {subject}"},
    "mail.skipped": {
        Lang.ZH: "{count} 个收件人本期（{period}）已收到内容相同的邮件，未重复发送"
        "（--resend 可重新发送）",
        Lang.EN: "{count:# recipient|# recipients} already got the same message in {period} and {count:was|were} not sent it again (--resend sends it again)",
    },
    "mail.retried": {
        Lang.ZH: "{count} 个收件人上次发送结果不明，本次重新发送（Message-ID 相同，"
        "邮件客户端可合并重复的邮件）",
        Lang.EN: "{count:# recipient|# recipients} whose earlier delivery had an unknown outcome {count:is|are} sent it again (with the same Message-ID, so a mail client can merge the copies)",
    },
    "mail.unknown": {
        Lang.ZH: "结果不明：{recipient}（{place}）：{error}",
        Lang.EN: "OUTCOME UNKNOWN: {recipient} ({place}): {error}",
    },
    "mail.report_unknown": {
        Lang.ZH: "（其中 {count} 个结果不明，下次运行会重新发送）",
        Lang.EN: " ({count} of them of unknown outcome: the next run sends {count:it|them} again)",
    },
    "delivery.busy": {
        Lang.ZH: "另一次运行正在使用发送记录 {path}（已等待 {wait} 秒）：本次没有发送任何消息",
        Lang.EN: "another run is using the delivery record {path} (waited {wait} s): nothing "
        "was sent",
    },
    "delivery.waiting": {
        Lang.ZH: "另一次运行正在使用发送记录 {path}，最多等待 {wait} 秒……",
        Lang.EN: "another run is using the delivery record {path}; waiting up to {wait} s...",
    },
    "delivery.unreadable": {
        Lang.ZH: "无法使用发送记录 {path}：{detail}；文件未作任何改动（可用 --state 指定另一个文件）",
        Lang.EN: "cannot use the delivery record {path}: {detail}; it was left as it is "
        "(--state chooses another file)",
    },
    "delivery.damaged": {
        Lang.ZH: "发送记录 {path} 已损坏，无法读取（{detail}）；文件未作任何改动。请检查或移走该文件"
        "（移走后重新开始记录，本期已发过的邮件会再发一次），或用 --state 指定另一个文件",
        Lang.EN: "the delivery record {path} is damaged and cannot be read ({detail}); it was "
        "left as it is. Check it or move it aside (a new record then starts, and what this "
        "period already delivered is sent again), or choose another file with --state",
    },
    "delivery.not_ours": {
        Lang.ZH: "{path} 不是 renewal 的发送记录，文件未作任何改动：请用 --state 指定另一个文件",
        Lang.EN: "{path} is not a renewal delivery record and was left as it is: choose "
        "another file with --state",
    },
    "delivery.newer": {
        Lang.ZH: "发送记录 {path} 由更新版本的 renewal 写入（格式 {version}），本版本无法使用：请升级",
        Lang.EN: "the delivery record {path} was written by a newer renewal (format {version}): "
        "upgrade to use it",
    },
    "delivery.unwritable": {
        Lang.ZH: "已发送给 {recipient}，但无法写入发送记录 {path}（{detail}）：为免重复发送，"
        "本次运行到此为止",
        Lang.EN: "sent to {recipient}, but the delivery record {path} cannot be written "
        "({detail}): the run stops here, so that nothing is sent twice",
    },
    "delivery.lock_unusable": {
        Lang.ZH: "无法使用发送记录的锁文件 {path}：{detail}",
        Lang.EN: "cannot use the delivery record's lock file {path}: {detail}",
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
    # Chat robots (renewal notify, chat/): the digest posted to each place's group.
    "chat.heading": {
        Lang.ZH: "证书续展提醒　{place}　截至 {as_of}",
        Lang.EN: "Certificate renewals, {place}, as of {as_of}",
    },
    "chat.updated": {Lang.ZH: "（更新）", Lang.EN: " (updated)"},
    "chat.numbered": {Lang.ZH: "（{number}/{total}）", Lang.EN: " ({number}/{total})"},
    "chat.more": {
        Lang.ZH: "另有 {count} 项未列出（每个群每次最多 {most} 条消息），查看全部：{command}",
        Lang.EN: "{count:# more item|# more items} not listed (at most {most:# message|# messages} a group per run); "
        "list them all with: {command}",
    },
    "chat.plan": {
        Lang.ZH: "依据 {plan_year} 年工作方案",
        Lang.EN: "Judged by the {plan_year} work plan",
    },
    "chat.platform.wecom": {Lang.ZH: "企业微信", Lang.EN: "WeCom"},
    "chat.platform.dingtalk": {Lang.ZH: "钉钉", Lang.EN: "DingTalk"},
    "chat.platform.feishu": {Lang.ZH: "飞书", Lang.EN: "Feishu/Lark"},
    "chat.why.not_url": {Lang.ZH: "不是有效的网址", Lang.EN: "not a valid URL"},
    "chat.why.unknown_host": {
        Lang.ZH: "{host} 不是企业微信、钉钉或飞书的机器人地址；其他主机（代理、私有部署）请在地址前"
        "注明平台，如 wecom+https://…、dingtalk+https://…、feishu+https://…",
        Lang.EN: "{host} is not a WeCom, DingTalk or Feishu robot host; for another host (a "
        "proxy, a private deployment) name the platform before the scheme: wecom+https://…, "
        "dingtalk+https://…, feishu+https://…",
    },
    "chat.why.unknown_platform": {
        Lang.ZH: "地址前的平台“{platform}”无效，可选：wecom、dingtalk、feishu、lark",
        Lang.EN: "the platform '{platform}' before the scheme is not one of: wecom, dingtalk, "
        "feishu, lark",
    },
    "chat.why.not_https": {
        Lang.ZH: "{host} 的机器人地址须以 https:// 开头（明文 http 会在网络上暴露机器人的 key）",
        Lang.EN: "a robot address on {host} must start with https:// (plain http would expose "
        "the robot's key on the network)",
    },
    "chat.why.bad_path": {
        Lang.ZH: "{host} 上的机器人地址应以 {path} 开头：请复制添加机器人时显示的 Webhook 地址",
        Lang.EN: "a robot address on {host} starts with {path}: copy the webhook address shown "
        "when the robot was added",
    },
    "chat.why.no_key": {
        Lang.ZH: "地址中没有机器人的 key（企业微信为 key=…，钉钉为 access_token=…，飞书为 /hook/ 之后的部分）",
        Lang.EN: "the address holds no robot key (WeCom: key=…, DingTalk: access_token=…, "
        "Feishu: the part after /hook/)",
    },
    "chat.why.secret_unsupported": {
        Lang.ZH: "企业微信群机器人不支持加签，加签密钥应留空",
        Lang.EN: "WeCom group robots do not sign: leave the secret empty",
    },
    "chat.bad_webhook": {
        Lang.ZH: "--webhook 的机器人地址“{value}”不能用：{why}",
        Lang.EN: "the --webhook address '{value}' cannot be used: {why}",
    },
    "chat.env_unset": {
        Lang.ZH: "环境变量 {name} 未设置或为空（--webhook env:{name}）",
        Lang.EN: "the environment variable {name} is not set or empty (--webhook env:{name})",
    },
    "chat.no_webhook": {
        Lang.ZH: "没有机器人地址：请用 --webhook URL、--webhook env:NAME 或 --webhooks FILE 指定",
        Lang.EN: "no robot address: give --webhook URL, --webhook env:NAME or --webhooks FILE",
    },
    "chat.webhook_or_file": {
        Lang.ZH: "--webhook 和 --webhooks 只能用一个：--webhooks 按地区发到各地的群，--webhook 发到一个群",
        Lang.EN: "give --webhook or --webhooks, not both: --webhooks posts each place to its "
        "group, --webhook posts to one group",
    },
    "chat.key_on_command_line": {
        Lang.ZH: "注意：命令行上的机器人地址含有 key，本机其他用户用 ps 可以看到；"
        "可改用 --webhook env:NAME 或 --webhooks FILE",
        Lang.EN: "note: the robot address on the command line holds its key, which other users "
        "of this machine can see with ps; use --webhook env:NAME or --webhooks FILE",
    },
    "usage.number_range": {
        Lang.ZH: "{option} 应在 {low} 到 {high} 之间：{value}",
        Lang.EN: "{option} must be from {low} to {high}: {value}",
    },
    "webhooks.not_found": {
        Lang.ZH: "找不到机器人地址文件：{source}",
        Lang.EN: "webhooks file not found: {source}",
    },
    "webhooks.unreadable": {
        Lang.ZH: "无法读取机器人地址文件 {source}：{detail}",
        Lang.EN: "cannot read webhooks file {source}: {detail}",
    },
    "webhooks.spreadsheet": {
        Lang.ZH: "{source} 是 Excel 工作簿，不是 CSV：请在 Excel/WPS 中“另存为”CSV（逗号分隔）后再运行",
        Lang.EN: "{source} is an Excel workbook, not CSV: save it as CSV (comma delimited) first",
    },
    "webhooks.encoding_unknown": {
        Lang.ZH: "无法识别机器人地址文件 {source} 的编码（第 {line} 行起既不是 UTF-8 也不是 "
        "GB18030/GBK）：请另存为 UTF-8",
        Lang.EN: "cannot tell the encoding of webhooks file {source} (from line {line} it is "
        "neither UTF-8 nor GB18030/GBK): save it as UTF-8",
    },
    "webhooks.csv_error": {
        Lang.ZH: "机器人地址文件 {source} 不是有效的 CSV：{detail}",
        Lang.EN: "webhooks file {source} is not valid CSV: {detail}",
    },
    "webhooks.empty": {
        Lang.ZH: "机器人地址文件 {source} 中没有机器人",
        Lang.EN: "webhooks file {source} lists no robot",
    },
    "webhooks.missing_columns": {
        Lang.ZH: "机器人地址文件 {source} 缺少必需的列：{missing}（表头为：{header}）；"
        "需要 地区、机器人地址 两列，加签密钥 列可选（或 place、webhook、secret）",
        Lang.EN: "webhooks file {source} lacks required columns: {missing} (its header is: "
        "{header}); it needs place and webhook, and optionally secret (or 地区, 机器人地址, "
        "加签密钥)",
    },
    "webhooks.bad_webhook": {
        Lang.ZH: "{source} 第 {line} 行，“{column}”列（{letter} 列），值“{value}”：{why}",
        Lang.EN: "{source}:{line}: column '{column}' ({letter}), value '{value}': {why}",
    },
    "chat.sent": {
        Lang.ZH: "已发送：{platform} {robot}（{place}，{count} 条消息）",
        Lang.EN: "sent: {platform} {robot} ({place}, {count:# message|# messages})",
    },
    "chat.sent_update": {
        Lang.ZH: "已发送更新：{platform} {robot}（{place}，{count} 条消息）",
        Lang.EN: "sent an update: {platform} {robot} ({place}, {count:# message|# messages})",
    },
    "chat.would_send": {
        Lang.ZH: "--dry-run：{platform} {robot}（{place}）的 {count} 条消息已写成文件，没有发送",
        Lang.EN: "--dry-run: {count:# message|# messages} for {platform} {robot} ({place}) written, not sent",
    },
    "chat.file_open": {
        Lang.ZH: "注意：机器人地址文件 {source} 含有机器人的 key，但其他用户可以读取（权限 {mode}）："
        "请执行 chmod 600 {source}",
        Lang.EN: "note: the webhooks file {source} holds the robots' keys but other users can "
        "read it (mode {mode}): run chmod 600 {source}",
    },
    "chat.not_sent": {
        Lang.ZH: "未发送：{platform} {robot}（{place}）：{error}",
        Lang.EN: "NOT sent: {platform} {robot} ({place}): {error}",
    },
    "chat.not_sent_from": {
        Lang.ZH: "未发送：{platform} {robot}（{place}）第 {number}/{total} 条起，之前的 {sent} 条已发送：{error}",
        Lang.EN: "NOT sent: {platform} {robot} ({place}) from message {number}/{total} on, {sent:the one before it was|the # before it were} sent: {error}",
    },
    "chat.skipped": {
        Lang.ZH: "本期（{period}）已发送过相同内容、未重发：{count} 个群（要重发请加 --resend）",
        Lang.EN: "{count:# group|# groups} already had this content this period ({period}) and {count:was|were} not sent it again (--resend sends it again)",
    },
    "chat.report": {
        Lang.ZH: "群消息：{sent} 个群已发送，{failed} 个未发送",
        Lang.EN: "chat: {sent:# group|# groups} sent, {failed} not sent",
    },
    "chat.written": {
        Lang.ZH: "--dry-run：已将 {count} 个请求体写入 {directory}，没有发送（飞书加签的 timestamp "
        "和 sign 在发送时才加上）",
        Lang.EN: "--dry-run: wrote {count:# request body|# request bodies} to {directory}; nothing was sent "
        "(Feishu's timestamp and sign are added when a message is sent)",
    },
    "chat.no_robot": {
        Lang.ZH: "注意：{count} 条提醒所在地区没有机器人，未发送：{places}",
        Lang.EN: "note: {count:# item is|# items are} in places with no robot and {count:was|were} not posted: {places}",
    },
    "chat.reason.platform": {
        Lang.ZH: "{platform}返回错误码 {code}{meaning}（平台原话：{words}）",
        Lang.EN: "{platform} answered error {code}{meaning} (the platform said: {words})",
    },
    "chat.reason.retried": {
        Lang.ZH: "，已等待后重试一次",
        Lang.EN: ", tried once more after waiting",
    },
    "chat.reason.http": {
        Lang.ZH: "服务器返回 HTTP {status}（服务器原话：{words}）",
        Lang.EN: "the server answered HTTP {status} (it said: {words})",
    },
    "chat.reason.answer": {
        Lang.ZH: "服务器的应答不是{platform}的应答，无法确认是否发出（原话：{words}）",
        Lang.EN: "the answer is not {platform}'s, so delivery cannot be confirmed (it said: "
        "{words})",
    },
    "chat.reason.timeout": {
        Lang.ZH: "连接 {host} 超时（{timeout} 秒）",
        Lang.EN: "connecting to {host} timed out ({timeout} s)",
    },
    "chat.reason.timeout_unknown": {
        Lang.ZH: "{host} 在 {timeout} 秒内没有应答：消息是否已发出未知，未重发",
        Lang.EN: "{host} gave no answer within {timeout} s: whether the message was posted is "
        "unknown; not retried",
    },
    "chat.reason.refused": {
        Lang.ZH: "无法连接 {host}：{words}",
        Lang.EN: "cannot connect to {host}: {words}",
    },
    "chat.reason.unreachable": {
        Lang.ZH: "无法连接 {host}：{words}",
        Lang.EN: "cannot reach {host}: {words}",
    },
    "chat.reason.connect": {
        Lang.ZH: "无法连接 {host}：{words}",
        Lang.EN: "cannot connect to {host}: {words}",
    },
    "chat.reason.tls": {
        Lang.ZH: "{host} 的 TLS 证书校验失败，未发送：{words}",
        Lang.EN: "the TLS certificate of {host} failed verification; nothing sent: {words}",
    },
    "chat.reason.lost": {
        Lang.ZH: "发送途中与 {host} 的连接中断（是否已发出未知，未重发）：{words}",
        Lang.EN: "the connection to {host} broke while sending (whether it was posted is "
        "unknown; not retried): {words}",
    },
    "chat.reason.host_down": {
        Lang.ZH: "{host} 在本次运行中已无法连接，未再尝试（{words}）",
        Lang.EN: "{host} could not be reached earlier in this run and was not tried again "
        "({words})",
    },
    "chat.reason.deadline": {
        Lang.ZH: "本次运行已到时限（--deadline），未发送",
        Lang.EN: "the run's time limit (--deadline) was reached; not sent",
    },
    "chat.reason.deadline_unknown": {
        Lang.ZH: "本次运行已到时限（--deadline），{host} 仍未应答：消息是否已发出未知，未重发",
        Lang.EN: "the run's time limit (--deadline) was reached before {host} answered: whether "
        "the message was posted is unknown; not retried",
    },
    "chat.code.wecom.93000": {
        Lang.ZH: "：机器人地址无效（key 错误，或机器人已被移出群）",
        Lang.EN: ": the robot address is not valid (a wrong key, or the robot was removed)",
    },
    "chat.code.wecom.40058": {Lang.ZH: "：消息过长", Lang.EN: ": the message is too long"},
    "chat.code.wecom.45009": {Lang.ZH: "：发送太频繁", Lang.EN: ": sent too often"},
    "chat.code.dingtalk.300001": {
        Lang.ZH: "：机器人的 access_token 无效",
        Lang.EN: ": the robot's access_token is not valid",
    },
    "chat.code.dingtalk.310000": {
        Lang.ZH: "：未通过机器人的安全设置（加签密钥、关键词或 IP 地址）",
        Lang.EN: ": the robot's security settings refused it (signing secret, keywords or IP)",
    },
    "chat.code.dingtalk.130101": {Lang.ZH: "：发送太频繁", Lang.EN: ": sent too often"},
    "chat.code.dingtalk.460101": {Lang.ZH: "：消息过长", Lang.EN: ": the message is too long"},
    "chat.code.feishu.19001": {
        Lang.ZH: "：机器人地址无效",
        Lang.EN: ": the robot address is not valid",
    },
    "chat.code.feishu.19021": {
        Lang.ZH: "：签名校验失败（加签密钥不对，或本机时间不准）",
        Lang.EN: ": the signature failed (a wrong secret, or this machine's clock is off)",
    },
    "chat.code.feishu.19022": {
        Lang.ZH: "：本机 IP 不在机器人的白名单中",
        Lang.EN: ": this machine's IP is not on the robot's allow list",
    },
    "chat.code.feishu.19024": {
        Lang.ZH: "：消息不含机器人设置的关键词",
        Lang.EN: ": the message lacks the robot's keywords",
    },
    "chat.code.feishu.9499": {
        Lang.ZH: "：请求格式错误或过大",
        Lang.EN: ": the request is malformed or too large",
    },
    "chat.code.feishu.11232": {Lang.ZH: "：发送太频繁", Lang.EN: ": sent too often"},
    # Notices to holders (output/notice.py)
    "notice.title": {Lang.ZH: "续展提醒告知书", Lang.EN: "Renewal reminder notice"},
    "notice.title.other": {Lang.ZH: "证书事项提醒告知书", Lang.EN: "Certificate reminder notice"},
    "notice.addressee": {Lang.ZH: "{holder}：", Lang.EN: "To {holder}:"},
    # A provincial plan is named only when the plan year's own plan is loaded (domain.md §5).
    "notice.plan": {
        Lang.ZH: "《{title}》",
        Lang.EN: "Guangxi's work plan 《{title}》",
    },
    # In the opening, before 办理: only while an item can still be done in time.
    "notice.duly": {Lang.ZH: "按期", Lang.EN: " timely"},
    "notice.opening": {
        Lang.ZH: "根据{plan}，经核对我单位证书台账，截至{as_of}，贵单位下列产品需{duly}办理有关事项。"
        "现将有关事项告知如下：",
        Lang.EN: "Under {plan}, our register shows that, as of {as_of}, the products of yours "
        "listed below need{duly} action:",
    },
    "notice.opening.rules": {
        Lang.ZH: "根据{rules}等有关规定，经核对我单位证书台账，截至{as_of}，贵单位下列产品需{duly}办理"
        "有关事项。现将有关事项告知如下：",
        Lang.EN: "Under {rules} and related rules, our register shows that, as of {as_of}, the "
        "products of yours listed below need{duly} action:",
    },
    "notice.opening.plain": {
        Lang.ZH: "经核对我单位证书台账，截至{as_of}，贵单位下列产品需{duly}办理有关事项。"
        "现将有关事项告知如下：",
        Lang.EN: "Our register shows that, as of {as_of}, the products of yours listed below "
        "need{duly} action:",
    },
    "notice.rules.green": {
        Lang.ZH: "《绿色食品标志管理办法》",
        Lang.EN: "the Green Food Label Measures",
    },
    "notice.rules.organic": {
        Lang.ZH: "《有机产品认证实施规则》",
        Lang.EN: "the Organic Product Certification Rules",
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
    # The same column when some item's time has passed: not every cell is a deadline then.
    "notice.column.deadline.closed": {Lang.ZH: "办理时限", Lang.EN: "Time limit"},
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
    "notice.label.window": {Lang.ZH: "办理时限", Lang.EN: "Time limit"},
    "notice.label.use": {Lang.ZH: "标志使用", Lang.EN: "Label"},
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
        Lang.ZH: "贵单位所在县（市、区）属于国家乡村振兴重点帮扶县或脱贫县，按照{plan}可享受以下费用减免：",
        Lang.EN: "Your county is a key-assistance or poverty-exit county, so under {plan}:",
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
    "notice.request.mixed": {
        Lang.ZH: "请贵单位高度重视，在截止日期前完成尚未截止的事项，已过期限的事项请按上述说明尽快办理。"
        "如有疑问，请与我单位联系。",
        Lang.EN: "Please see to the matters still open before their deadlines, and to those "
        "whose time has passed as set out above, without delay. If you have any questions, "
        "please contact us.",
    },
    "notice.request.closed": {
        Lang.ZH: "请贵单位高度重视，按上述说明尽快办理。如有疑问，请与我单位联系。",
        Lang.EN: "Please act on the above without delay. If you have any questions, please "
        "contact us.",
    },
    # For renewals whose window has closed: what is left to do, and the label.
    "notice.closed.apply": {
        Lang.ZH: "已错过续展、再认证申报期的产品，须按新申报产品重新申报（材料见上）。",
        Lang.EN: "Products whose renewal or re-certification window has closed must apply "
        "again as new products (documents above).",
    },
    "notice.closed.stop_after": {
        Lang.ZH: "证书有效期满后，不得继续使用标志。",
        Lang.EN: "The label may not be used after the certificate expires.",
    },
    "notice.closed.stop_now": {
        Lang.ZH: "证书已到期的，现已不得使用标志，请立即停止使用。",
        Lang.EN: "Where the certificate has expired, the label may no longer be used: stop "
        "using it now.",
    },
    "notice.contact": {Lang.ZH: "联系人及电话：{contact}", Lang.EN: "Contact: {contact}"},
    # A contact that carries its own label (联系人：… 电话：…) is printed as given.
    "notice.contact.own": {Lang.ZH: "{contact}", Lang.EN: "{contact}"},
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
    # --help, in one language (cli/help.py): the commands, then their options, then the words
    # Typer's help adds. Options declare these ids as their help.
    "help.app": {
        Lang.ZH: "广西绿色食品、有机农产品证书续展提醒",
        Lang.EN: "Renewal deadlines for Guangxi's green food and organic certificates.",
    },
    "help.due": {
        Lang.ZH: "列出需要处理的证书，附申报截止日和状态",
        Lang.EN: "List the certificates that need action, with file-by day and status.",
    },
    "help.calendar": {
        Lang.ZH: "把所选事项写成 .ics 提醒日历",
        Lang.EN: "Write the selected items as an iCalendar (.ics) reminder calendar.",
    },
    "help.mail": {
        Lang.ZH: "把提醒日历和清单发邮件给各地负责人",
        Lang.EN: "Mail each officer the calendar and digest of their place.",
    },
    "help.summary": {
        Lang.ZH: "年底目标完成情况：12 月 31 日有效的证书数与工作方案目标",
        Lang.EN: "Certificates valid on 31 December against the plan's targets.",
    },
    "help.rules": {
        Lang.ZH: "显示工作方案的规则：各类事项、申报时限、标记和依据",
        Lang.EN: "Show the rules in force: each kind, its lead, flags and source.",
    },
    "help.check": {
        Lang.ZH: "检查台账，列出所有问题及其文件、行和列",
        Lang.EN: "Check registers: every problem, with file, line and column.",
    },
    "help.notice": {
        Lang.ZH: "给每个获证主体写一份续展提醒告知书，供打印或发送",
        Lang.EN: "Write one reminder notice per holder, to print or send.",
    },
    "help.notify": {
        Lang.ZH: "把各地的提醒清单发到企业微信、钉钉或飞书群",
        Lang.EN: "Post each place's digest to its WeCom, DingTalk or Feishu group.",
    },
    "help.report": {
        Lang.ZH: "写一页图表报告（HTML，可离线打开、打印）",
        Lang.EN: "Write the year's renewals as one HTML page with charts, to open offline or print.",
    },
    "help.version": {Lang.ZH: "显示版本", Lang.EN: "Show the version."},
    "help.root_lang": {
        Lang.ZH: "显示语言：zh（中文）或 en（英文），用于帮助和其后的命令",
        Lang.EN: "Language shown: zh (Chinese) or en (English), for the help and the command.",
    },
    "help.register": {
        Lang.ZH: "台账文件（CSV 或 .xlsx，可多个；文件夹表示其中全部台账），- 表示标准输入。"
        "默认：$RENEWAL_REGISTER，否则为内置示例",
        Lang.EN: "Register files (CSV or .xlsx; several, or a folder of them), or - for stdin. "
        "Default: $RENEWAL_REGISTER, else the sample.",
    },
    "help.sheet": {
        Lang.ZH: "读取 .xlsx 的哪个工作表，默认第一个可见的",
        Lang.EN: "Sheet of an .xlsx; default: the first visible one.",
    },
    "help.city": {
        Lang.ZH: "设区市：百色、百色市或拼音 Baise（可重复，或用逗号分隔）",
        Lang.EN: "City, by its Chinese name or its pinyin (Baise); repeat, or a,b.",
    },
    "help.county": {
        Lang.ZH: "县（市、区）：现名、旧名或拼音，如 田阳、田阳县、tianyang",
        Lang.EN: "County, by its current or former Chinese name or its pinyin (tianyang).",
    },
    "help.scheme": {
        Lang.ZH: "认证类型：green（绿色食品）、organic（有机农产品）、mingte（名特优新）",
        Lang.EN: "Scheme: green, organic or mingte.",
    },
    "help.kind": {
        Lang.ZH: "事项：renewal（续展/再认证）、transfer（转换认证机构）、new_application"
        "（有机认证申请）、annual_inspection（年检）、annual_confirmation（年度确认）、"
        "quality_test（质量检测）；默认全部",
        Lang.EN: "Any of renewal, transfer, new_application, annual_inspection, "
        "annual_confirmation, quality_test. Default: all.",
    },
    "help.status": {
        Lang.ZH: "状态：pending（待申报）、late（已逾期）、expired（已过期）、filed（已申报）、"
        "superseded（已有新证）",
        Lang.EN: "Any of pending, late, expired, filed, superseded.",
    },
    "help.flag": {
        Lang.ZH: "标记：plan_cohort（本年批次）、next_h1（明年上半年）、fee_waiver（免收费用）、"
        "fee_discount_35（费用减免35%）",
        Lang.EN: "Any of plan_cohort, next_h1, fee_waiver, fee_discount_35.",
    },
    "help.within": {
        Lang.ZH: "待申报：申报截止日在 DAYS 天内的",
        Lang.EN: "Pending items due within DAYS.",
    },
    "help.expired_within": {
        Lang.ZH: "已过期：最近 DAYS 天内过期的",
        Lang.EN: "Expired items of the last DAYS.",
    },
    "help.all": {
        Lang.ZH: "全部证书（其他筛选条件仍然有效）",
        Lang.EN: "Every certificate (the other filters apply).",
    },
    "help.as_of": {
        Lang.ZH: "按哪一天判断，默认北京时间今天",
        Lang.EN: "The day to judge on; default: today in China.",
    },
    "help.plan_year": {
        Lang.ZH: "工作方案年度，默认为 --as-of 的年份",
        Lang.EN: "Work plan year; default: the year of --as-of.",
    },
    "help.lang": {
        Lang.ZH: "显示语言：zh（中文）或 en（英文）",
        Lang.EN: "Language shown: zh (Chinese) or en (English).",
    },
    "help.encoding": {
        Lang.ZH: "台账编码，默认自动识别",
        Lang.EN: "Register encoding; default: detected.",
    },
    "help.strict": {
        Lang.ZH: "台账有问题行即失败（退出码 1），不输出结果",
        Lang.EN: "Any bad row fails the run (exit 1); nothing is written.",
    },
    "help.policy": {
        Lang.ZH: "策略文件（TOML），覆盖工作方案的规则",
        Lang.EN: "Policy file (TOML) overriding the plan's rules.",
    },
    "help.fail_on": {
        Lang.ZH: "选中这些状态的事项时退出码为 3",
        Lang.EN: "Exit 3 if an item with one of these statuses is selected.",
    },
    "help.output": {Lang.ZH: "写入文件，- 为标准输出", Lang.EN: "Write to FILE (- is stdout)."},
    "help.quiet": {
        Lang.ZH: "只报告问题；没有选中事项时不输出",
        Lang.EN: "Only problems; no output when nothing is selected.",
    },
    "help.remind": {
        Lang.ZH: "申报截止日前几天提醒",
        Lang.EN: "Reminder events this many days before the file-by day.",
    },
    "help.split_by": {Lang.ZH: "按市或县分开，每地一份", Lang.EN: "One per city or county."},
    "help.format": {Lang.ZH: "输出格式", Lang.EN: "Output format."},
    "help.due.bom": {
        Lang.ZH: "CSV 加 UTF-8 BOM（写到标准输出时也加）",
        Lang.EN: "CSV: UTF-8 with BOM, on stdout too.",
    },
    "help.due.out_encoding": {
        Lang.ZH: "CSV 输出编码（中文 Windows 上的 Excel、WPS 用 gb18030）",
        Lang.EN: "CSV output encoding (gb18030 for Excel and WPS on Chinese Windows).",
    },
    "help.due.by_holder": {
        Lang.ZH: "按获证主体汇总，每个主体一行，附联系人和电话（电话联系清单）",
        Lang.EN: "One row per holder, with its contact and phone: the list to work through by "
        "phone.",
    },
    "help.due.raw": {
        Lang.ZH: "CSV 中像公式的文本不加 '（供程序读取）",
        Lang.EN: "CSV: keep text that looks like a formula as it is (for machine pipelines).",
    },
    "help.calendar.output": {
        Lang.ZH: "写入文件（--split-by 时为目录）",
        Lang.EN: "Write to FILE (a directory with --split-by).",
    },
    "help.summary.by": {
        Lang.ZH: "按市、县或认证类型汇总",
        Lang.EN: "Group by city, county or scheme.",
    },
    "help.mail.to": {Lang.ZH: "收件人（可重复）", Lang.EN: "Recipient (repeatable)."},
    "help.mail.contacts": {
        Lang.ZH: "联系人 CSV（地区、姓名、邮箱三列）",
        Lang.EN: "Contacts CSV: place, name, email.",
    },
    "help.mail.smtp_host": {
        Lang.ZH: "SMTP 服务器，默认 $RENEWAL_SMTP_HOST",
        Lang.EN: "SMTP server; default: $RENEWAL_SMTP_HOST.",
    },
    "help.mail.smtp_port": {
        Lang.ZH: "SMTP 端口，默认 $RENEWAL_SMTP_PORT",
        Lang.EN: "SMTP port; default: $RENEWAL_SMTP_PORT.",
    },
    "help.mail.smtp_user": {
        Lang.ZH: "SMTP 用户；密码只从 $RENEWAL_SMTP_PASSWORD 读取",
        Lang.EN: "SMTP user; the password is read from $RENEWAL_SMTP_PASSWORD only.",
    },
    "help.mail.smtp_security": {
        Lang.ZH: "连接加密方式，默认 $RENEWAL_SMTP_SECURITY，否则 starttls",
        Lang.EN: "Connection security; default: $RENEWAL_SMTP_SECURITY, else starttls.",
    },
    "help.mail.sender": {
        Lang.ZH: "发件人，默认 $RENEWAL_MAIL_FROM",
        Lang.EN: "Sender; default: $RENEWAL_MAIL_FROM.",
    },
    "help.mail.holders": {
        Lang.ZH: "发给台账里有电子邮箱的每个获证主体（各自的事项、日历和告知书）",
        Lang.EN: "Mail each holder with an address in the register its own items, calendar "
        "and notice.",
    },
    "help.mail.cc": {Lang.ZH: "抄送（如本单位）", Lang.EN: "Copy to (the officer)."},
    "help.mail.dry_run": {
        Lang.ZH: "不发送，把邮件写成 .eml 文件放进 DIR",
        Lang.EN: "Write .eml files into DIR instead of sending.",
    },
    "help.mail.report": {
        Lang.ZH: "附上各地的一页图表报告（HTML，与 renewal report 写的相同）",
        Lang.EN: "Attach each place's report page (HTML, as renewal report writes it).",
    },
    "help.notice.output": {Lang.ZH: "写入的目录", Lang.EN: "The folder to write into."},
    "help.notice.format": {
        Lang.ZH: "docx 供打印，txt 供粘贴",
        Lang.EN: "docx to print, txt to paste.",
    },
    "help.notice.office": {
        Lang.ZH: "发文单位（或策略文件中 office 表的 name）",
        Lang.EN: "Issuing office (or name in the policy file's office table).",
    },
    "help.notice.office_contact": {
        Lang.ZH: "联系人及电话，照原样印出",
        Lang.EN: "Contact person and phone, as printed.",
    },
    "help.notice.letterhead": {Lang.ZH: "文头（可选）", Lang.EN: "Letterhead line (optional)."},
    "help.delivery.state": {
        Lang.ZH: "发送记录（SQLite），默认 $XDG_STATE_HOME/renewal/delivery.sqlite3",
        Lang.EN: "Delivery record (SQLite); default $XDG_STATE_HOME/renewal/delivery.sqlite3.",
    },
    "help.delivery.wait": {
        Lang.ZH: "另一次运行正在发送时最多等几秒，之后以退出码 75 结束",
        Lang.EN: "Wait this long for another run to finish, then exit 75.",
    },
    "help.delivery.period": {
        Lang.ZH: "同一期内同样的内容只发一次（按 --as-of 所在的日、ISO 周或月）",
        Lang.EN: "Each message once per day, ISO week or month of --as-of.",
    },
    "help.delivery.resend": {
        Lang.ZH: "本期已发送过的也重新发送",
        Lang.EN: "Send again what was already sent this period.",
    },
    "help.delivery.deadline": {
        Lang.ZH: "整次运行最多用几秒，到时还没发出的报告为未发送",
        Lang.EN: "The whole run's time limit; what is left then is reported as not sent.",
    },
    "help.mail.smtp_timeout": {
        Lang.ZH: "每一步 SMTP 最多等几秒",
        Lang.EN: "Seconds each SMTP step may take.",
    },
    "help.notify.webhook": {
        Lang.ZH: "一个群机器人的地址；写 env:NAME 则从环境变量 NAME 读取，地址不出现在命令行上。"
        "加签密钥来自 $RENEWAL_WEBHOOK_SECRET",
        Lang.EN: "One robot's webhook; env:NAME reads it from the environment. Signing secret from $RENEWAL_WEBHOOK_SECRET.",
    },
    "help.notify.webhooks": {
        Lang.ZH: "机器人地址 CSV（地区、机器人地址、加签密钥三列）：各地的群收到本地的提醒",
        Lang.EN: "Webhooks CSV (place, webhook, secret): each place's group gets its own digest.",
    },
    "help.notify.max_messages": {
        Lang.ZH: "每个群每次最多几条消息，其余的用一行汇总",
        Lang.EN: "The most messages a group gets per run; the rest is summed up in one line.",
    },
    "help.notify.timeout": {
        Lang.ZH: "每个请求最多等几秒",
        Lang.EN: "Seconds each request may take.",
    },
    "help.notify.dry_run": {
        Lang.ZH: "不发送，把每个请求体写成 .json 文件放进 DIR（不含密钥）",
        Lang.EN: "Write each request body into DIR (no secrets) instead of sending.",
    },
    "help.notify.rate_window": {
        Lang.ZH: "仅供测试：把平台一分钟的限流窗口缩短为 SECONDS 秒",
        Lang.EN: "Tests only: the platforms' one-minute rate window taken as SECONDS.",
    },
    "help.typer.help": {Lang.ZH: "显示本帮助并退出", Lang.EN: "Show this message and exit."},
    "help.typer.install_completion": {
        Lang.ZH: "为当前 shell 安装命令补全",
        Lang.EN: "Install completion for the current shell.",
    },
    "help.typer.show_completion": {
        Lang.ZH: "显示当前 shell 的补全脚本，可复制或自行安装",
        Lang.EN: "Show completion for the current shell, to copy it or customize the installation.",
    },
    "help.typer.usage": {Lang.ZH: "用法：", Lang.EN: "Usage: "},
    "help.typer.arguments": {Lang.ZH: "参数", Lang.EN: "Arguments"},
    "help.typer.options": {Lang.ZH: "选项", Lang.EN: "Options"},
    "help.typer.commands": {Lang.ZH: "命令", Lang.EN: "Commands"},
    "help.typer.default": {Lang.ZH: "[默认：{}]", Lang.EN: "[default: {}]"},
    "help.typer.envvar": {Lang.ZH: "[环境变量：{}]", Lang.EN: "[env var: {}]"},
    "help.typer.required": {Lang.ZH: "[必填]", Lang.EN: "[required]"},
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
    """The message `message_id` in `lang`, filled with `params`; a file name among them whose
    bytes are not UTF-8 is shown readably (files.shown_name), never as \\udcxx nor as an
    error when written."""
    for key, value in params.items():
        if isinstance(value, PurePath) or (type(value) is str and has_escapes(value)):
            params[key] = shown_name(value)
    template = CATALOG[message_id][lang]
    if "|" in template:
        return _PLURAL.vformat(template, (), params)
    return template.format(**params)


def plural(count: object, forms: str) -> str:
    """`forms` as "# row|# rows": the first for a count of 1, the second otherwise, with the
    count in place of "#" ("every year|every # years" may leave it out)."""
    one, _, many = forms.partition("|")
    return (one if count == 1 else many).replace("#", str(count))


class _PluralFormatter(string.Formatter):
    """str.format, with a field `{count:# row|# rows}` filled by `plural`."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec:
            return plural(value, format_spec)
        return str(super().format_field(value, format_spec))


_PLURAL = _PluralFormatter()
