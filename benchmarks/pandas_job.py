"""The `renewal due` job as a pandas user would write it, for bench_scale.py.

Usage: python benchmarks/pandas_job.py REGISTER [--city 百色] [--within 365] [--as-of 2024-06-01]

pd.read_csv (UTF-8 with or without BOM, else GB18030), header aliases renamed, one city kept,
the five date spellings turned into one and parsed with to_datetime, a missing expiry derived
from the issue date with DateOffset (green 3 years, organic 1), file-by = expiry - 3 months
(green) or 4 (organic), the rows `renewal due` shows by default kept (pending within WITHIN
days, late while valid, expired within 365 days) and written with to_csv to stdout. Bad dates
become NaT and drop out; no other validation.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

import pandas as pd

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
EXPIRED_WITHIN = 365


def read(path: str) -> pd.DataFrame:
    options = {"dtype": str, "keep_default_na": False}
    try:
        frame = pd.read_csv(path, encoding="utf-8-sig", **options)
    except UnicodeDecodeError:
        frame = pd.read_csv(path, encoding="gb18030", **options)
    frame.columns = frame.columns.str.strip()
    renames = {}
    for name, aliases in ALIASES.items():
        renames[next(a for a in aliases if a in frame.columns)] = name
    return frame.rename(columns=renames)[list(ALIASES)]


def to_date(cells: pd.Series) -> pd.Series:
    """2021-03-05, 2021/3/5, 2021.03.05, 2021年3月5日, 20210305 → Timestamp (NaT if bad)."""
    text = cells.str.strip().str.replace(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3", regex=True)
    text = text.str.replace(r"[年月/.]", "-", regex=True).str.removesuffix("日")
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("register")
    parser.add_argument("--city", default="百色")
    parser.add_argument("--within", type=int, default=365)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today())
    args = parser.parse_args()
    as_of = pd.Timestamp(args.as_of)

    df = read(args.register)
    df = df[df["city"].str.strip().str.removesuffix("市") == args.city.removesuffix("市")].copy()
    green = df["scheme"].str.contains("绿")
    no_expiry = df["expires_on"].str.strip() == ""
    for name in ("issued_on", "expires_on", "filed_on"):
        df[name] = to_date(df[name])
    derived = df["issued_on"].where(green) + pd.DateOffset(years=3)
    derived = derived.fillna(df["issued_on"] + pd.DateOffset(years=1)) - pd.Timedelta(days=1)
    df["expires_on"] = df["expires_on"].mask(no_expiry, derived)
    df["file_by"] = (df["expires_on"] - pd.DateOffset(months=3)).where(
        green, df["expires_on"] - pd.DateOffset(months=4)
    )
    df["days_left"] = (df["file_by"] - as_of).dt.days

    filed = df["filed_on"].where((df["filed_on"] <= as_of) & ~(df["filed_on"] < df["issued_on"]))
    late_filing = filed.notna() & (filed > df["file_by"]) & (as_of <= df["expires_on"])
    pending = filed.isna() & (as_of <= df["file_by"]) & (df["days_left"] <= args.within)
    late = filed.isna() & (df["file_by"] < as_of) & (as_of <= df["expires_on"])
    expired = (
        filed.isna()
        & (df["expires_on"] < as_of)
        & ((as_of - df["expires_on"]).dt.days <= EXPIRED_WITHIN)
    )
    out = df[late_filing | pending | late | expired].sort_values(["file_by", "cert_id"])
    out.to_csv(sys.stdout, index=False, date_format="%Y-%m-%d")


if __name__ == "__main__":
    main()
