"""Benchmark: `renewal report` on a generated register, end to end, as a user runs it.

Usage: python benchmarks/bench_report.py [--rows 100000] [--repeat 3] [--budget 10] [--city 百色]

Writes the same GB18030 register as bench_due.py, runs `renewal report REGISTER [--city CITY]
-o report.html --as-of 2024-06-01` as a subprocess REPEAT times, and reports the best and
median wall time, the child's peak memory and the page's size. Exits 1 if the median exceeds
BUDGET seconds or the page reaches 2 MB (the issue's bound for 10^5 rows).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_due import make_register
from bench_scale import compiled

LIMIT = 2_000_000


def run_once(register: Path, page: Path, city: str | None) -> tuple[float, int]:
    """Wall seconds and the child's peak RSS (KiB) of one `renewal report` run."""
    where = ["--city", city] if city else []
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "renewal_cli",
            "report",
            str(register),
            *where,
            "-o",
            str(page),
            "--as-of",
            "2024-06-01",
        ],
        capture_output=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"renewal report failed: {done.stderr.decode()}")
    return elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=60.0)
    parser.add_argument("--city", default=None)
    args = parser.parse_args()
    compiled()  # bytecode first, as an install from a wheel has it
    with tempfile.TemporaryDirectory() as tmp:
        register, page = Path(tmp) / "register.csv", Path(tmp) / "report.html"
        register.write_bytes(make_register(args.rows))
        runs = [run_once(register, page, args.city) for _ in range(args.repeat)]
        size = page.stat().st_size
    times = [t for t, _ in runs]
    median = statistics.median(times)
    where = f" --city {args.city}" if args.city else ""
    print(
        f"renewal report{where}, {args.rows} rows: best {min(times):.3f} s, median "
        f"{median:.3f} s over {args.repeat} runs; peak RSS {runs[-1][1] / 1024:.0f} MiB; "
        f"page {size / 1000:.0f} kB (budget {args.budget:.2f} s, {LIMIT / 1e6:.0f} MB)"
    )
    if median > args.budget:
        sys.exit(f"too slow: median {median:.3f} s > budget {args.budget:.2f} s")
    if size >= LIMIT:
        sys.exit(f"too large: the page is {size} bytes, not under {LIMIT}")


if __name__ == "__main__":
    main()
