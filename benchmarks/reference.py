"""Reference for bench_scale.py: the least plain Python that does `renewal due`'s job.

Usage: python benchmarks/reference.py REGISTER [--city 百色] [--within 365] [--as-of 2024-06-01]

Reads a CSV register (UTF-8, UTF-8 with BOM or GB18030, told apart by its first 64 KiB) with the
csv module, keeps the rows of one city, reads the five date spellings registers use, derives a
missing expiry from the issue date (green food 3 years, organic 1), computes the file-by day
(green 3 months before expiry, organic 4, clamped to the month's end) and writes the rows
`renewal due` would show by default as CSV on stdout: pending within WITHIN days, late while
the certificate is valid, expired within the last 365 days. A bad date skips its row silently.
No other validation: no places, no repeats, no next cycles, no annual inspections.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import re
import sys
from datetime import date, timedelta

ALIASES = {
    "cert_id": ("证书编号", "产品编号", "证书号", "编号"),
    "enterprise": ("企业名称", "申请人", "生产单位", "生产经营主体", "获证单位"),
    "product": ("产品名称", "产品"),
    "scheme": ("认证类型", "类型", "类别"),
    "city": ("市", "设区市", "地市", "所在市"),
    "county": ("县区", "县（市、区）", "县(市、区)", "县", "区县"),
    "issued_on": ("发证日期", "颁证日期", "获证日期"),
    "expires_on": ("有效期至", "证书有效期至", "到期日期", "有效期截止日期"),
    "filed_on": ("续展申请日期", "再认证申请日期", "申报日期"),
}
DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{4})(\d{2})(\d{2})")
EXPIRED_WITHIN = 365


def parse_date(text: str) -> date | None:
    """2021-03-05, 2021/3/5, 2021.03.05, 2021年3月5日 or 20210305; None if empty.
    Raises ValueError for anything else."""
    if not text:
        return None
    match = DATE.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    parts = [int(p) for p in match.groups() if p is not None]
    return date(parts[0], parts[1], parts[2])


def add_months(day: date, months: int) -> date:
    """`day` moved by `months`, clamped to the month's end (2024-05-31 - 3 months = 02-29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def expiry_from_issue(issued: date, years: int) -> date:
    """The day before the N-th anniversary (29 February's is 1 March in a common year)."""
    try:
        anniversary = issued.replace(year=issued.year + years)
    except ValueError:
        anniversary = date(issued.year + years, 3, 1)
    return anniversary - timedelta(days=1)


def detect_encoding(path: str) -> str:
    with open(path, "rb") as raw:
        head = raw.read(65536)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 3:  # not just a character cut at the chunk's end
            return "gb18030"
    return "utf-8-sig"


def shown(
    issued: date | None, expires: date, deadline: date, filed: date | None, as_of: date, within: int
) -> bool:
    """Whether `renewal due` lists the certificate by default (pending, late or expired)."""
    if filed is not None and filed <= as_of and (issued is None or filed >= issued):
        return filed > deadline and as_of <= expires  # filed on time, or late
    if as_of <= deadline:
        return (deadline - as_of).days <= within
    return as_of <= expires or (as_of - expires).days <= EXPIRED_WITHIN


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("register")
    parser.add_argument("--city", default="百色")
    parser.add_argument("--within", type=int, default=365)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today())
    args = parser.parse_args()
    city = args.city.removesuffix("市")
    selected = []
    with open(args.register, encoding=detect_encoding(args.register), newline="") as handle:
        reader = csv.reader(handle)
        header = [cell.strip() for cell in next(reader)]
        col = {
            name: next(header.index(a) for a in aliases if a in header)
            for name, aliases in ALIASES.items()
        }
        for row in reader:
            if row[col["city"]].strip().removesuffix("市") != city:
                continue
            green = "绿" in row[col["scheme"]]
            try:
                issued = parse_date(row[col["issued_on"]])
                expires = parse_date(row[col["expires_on"]])
                filed = parse_date(row[col["filed_on"]])
            except ValueError:
                continue
            if expires is None:
                if issued is None:
                    continue
                expires = expiry_from_issue(issued, 3 if green else 1)
            deadline = add_months(expires, -3 if green else -4)
            if shown(issued, expires, deadline, filed, args.as_of, args.within):
                selected.append((deadline, row[col["cert_id"]], row, issued, expires, filed))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([*ALIASES, "file_by", "days_left"])
    for deadline, _, row, issued, expires, filed in sorted(selected, key=lambda s: s[:2]):
        dates = [d.isoformat() if d else "" for d in (issued, expires, filed)]
        texts = [
            row[col[name]]
            for name in ("cert_id", "enterprise", "product", "scheme", "city", "county")
        ]
        writer.writerow([*texts, *dates, deadline.isoformat(), (deadline - args.as_of).days])


if __name__ == "__main__":
    main()
