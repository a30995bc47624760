"""Write the bundled sample register (synthetic holders in real Guangxi places).

Run `python tools/make_sample_register.py` to regenerate; it writes the same bytes every time to
src/renewal_cli/data/sample_register.csv and examples/sample_register.csv. Expiry dates are spread
over 2024-2031, so `renewal due` on any day of 2024-2030 shows work.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

ROOT = Path(__file__).resolve().parent.parent
TARGETS = (
    ROOT / "src" / "renewal_cli" / "data" / "sample_register.csv",
    ROOT / "examples" / "sample_register.csv",
)
PRODUCTS = (
    "沃柑",
    "砂糖橘",
    "百香果",
    "芒果",
    "绿茶",
    "六堡茶",
    "香蕉",
    "火龙果",
    "大米",
    "罗汉果",
    "八角",
    "茉莉花茶",
    "荔枝",
    "龙眼",
    "番茄",
    "蜂蜜",
    "山茶油",
    "香菇",
    "柠檬",
    "红心柚",
)
KINDS = ("农业发展有限公司", "种养专业合作社", "生态农业有限公司", "果蔬专业合作社", "茶业有限公司")
WORDS = (
    "绿源",
    "金穗",
    "山水",
    "丰收",
    "润田",
    "嘉禾",
    "青山",
    "福满",
    "壮乡",
    "瑶山",
    "红土",
    "清泉",
)
SURNAMES = "黄韦陆莫覃蒙梁李农罗"
ROWS = 520
START, END = date(2024, 1, 1), date(2031, 6, 30)


def main() -> None:
    rng = random.Random(2024)
    divisions = list(
        csv.DictReader((ROOT / "src/renewal_cli/data/guangxi_divisions.csv").open(encoding="utf-8"))
    )
    # Baise gets a larger share: it is the example everyone runs first.
    weighted = divisions + [d for d in divisions if d["city"] == "百色市"] * 3
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "证书编号",
            "企业名称",
            "产品名称",
            "认证类型",
            "市",
            "县区",
            "发证日期",
            "有效期至",
            "续展申请日期",
            "联系人",
        ]
    )
    span = (END - START).days
    for n in range(ROWS):
        place = rng.choice(weighted)
        green = rng.random() < 0.7
        expires = START + timedelta(days=rng.randrange(span))
        years, lead = (3, 3) if green else (1, 4)
        issued = expires + timedelta(days=1) - relativedelta(years=years)
        deadline = expires - relativedelta(months=lead)
        roll = rng.random()
        if roll < 0.45:
            filed = (deadline - timedelta(days=rng.randrange(0, 90))).isoformat()
        elif roll < 0.6:
            filed = (deadline + timedelta(days=rng.randrange(1, 80))).isoformat()
        else:
            filed = ""
        if green:
            cert_id = f"LB-{rng.randrange(1, 60):02d}-{issued:%y%m}45{rng.randrange(10**5):05d}A"
        else:
            cert_id = f"1120OP{issued:%y}{n:05d}"
        short = place["name"][:2]
        enterprise = f"{short}{rng.choice(WORDS)}{rng.choice(KINDS)}"
        contact = rng.choice(SURNAMES) + rng.choice(("工", "经理", "主任"))
        writer.writerow(
            [
                cert_id,
                enterprise,
                rng.choice(PRODUCTS),
                "绿色食品" if green else "有机农产品",
                place["city"],
                place["name"],
                issued.isoformat(),
                expires.isoformat(),
                filed,
                contact,
            ]
        )
    data = out.getvalue().encode("utf-8")
    for target in TARGETS:
        target.write_bytes(data)


if __name__ == "__main__":
    main()
