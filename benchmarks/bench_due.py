"""Benchmark: `renewal due` on generated registers, end to end, as a user runs it.

Usage: python benchmarks/bench_due.py [--rows 2000] [--repeat 5] [--budget 1.0]

Writes a GB18030 register with ROWS rows (real Guangxi places, mixed date spellings, a few bad
rows), runs `renewal due REGISTER --all --format json` as a subprocess REPEAT times and reports
the best and median wall time and the peak memory of the child. Exits 1 if the median exceeds
BUDGET seconds, so CI catches a regression.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench_scale import compiled

from renewal_cli.places import guangxi

FORMATS = ("{:%Y-%m-%d}", "{:%Y/%m/%d}", "{:%Y.%m.%d}", "{:%Y年%m月%d日}", "{:%Y%m%d}")


def make_register(rows: int, seed: int = 7) -> bytes:
    """A register of `rows` rows, about 1 in 200 of them bad."""
    rng = random.Random(seed)
    counties = list(guangxi().counties.values())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "证书编号",
            "企业名称",
            "产品名称",
            "类型",
            "地市",
            "县区",
            "颁证日期",
            "有效期至",
            "申报日期",
        ]
    )
    for n in range(rows):
        county = rng.choice(counties)
        green = rng.random() < 0.7
        issued = date(2021, 1, 1) + timedelta(days=rng.randrange(1500))
        fmt = rng.choice(FORMATS)
        filed = ""
        if rng.random() < 0.4:
            filed = fmt.format(issued + timedelta(days=rng.randrange(300, 1000)))
        bad = n % 200 == 199
        writer.writerow(
            [
                f"LB-45-{n:08d}A" if green else f"1120OP{n:07d}",
                f"{county.name[:2]}第{n}农业有限公司",
                "茶叶",
                "绿色食品" if green else "有机",
                county.city.removesuffix("市"),
                county.name,
                "2021-02-30" if bad else fmt.format(issued),
                "",
                filed,
            ]
        )
    return out.getvalue().encode("gb18030")


def run_once(path: Path) -> tuple[float, int]:
    """Wall seconds and the child's peak RSS (KiB) of one `renewal due` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "renewal_cli",
            "due",
            str(path),
            "--all",
            "--format",
            "json",
            "--as-of",
            "2024-06-01",
        ],
        capture_output=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"renewal due failed: {done.stderr.decode()}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--budget", type=float, default=1.0)
    args = parser.parse_args()
    compiled()  # bytecode first, as an install from a wheel has it
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.csv"
        path.write_bytes(make_register(args.rows))
        runs = [run_once(path) for _ in range(args.repeat)]
    times = [t for t, _ in runs]
    median = statistics.median(times)
    print(
        f"renewal due, {args.rows} rows, --all --format json: best {min(times):.3f} s, "
        f"median {median:.3f} s over {args.repeat} runs; peak RSS {runs[-1][1] / 1024:.0f} MiB "
        f"(budget {args.budget:.2f} s)"
    )
    if median > args.budget:
        sys.exit(f"too slow: median {median:.3f} s > budget {args.budget:.2f} s")


if __name__ == "__main__":
    main()
