"""Benchmark: `renewal` against a plain-Python reference and pandas, on large registers.

Usage:
    python benchmarks/bench_scale.py [--rows 2000,100000,1000000] [--repeat 3]
                                     [--encoding utf-8|utf-8-sig|gb18030|gbk]
                                     [--command "due --all --format json"] ... [--no-extra]
    python benchmarks/bench_scale.py --quick      # 2,000 rows, one run each (smoke test)

For each size it writes one CSV register into a temporary directory (not timed). Registers rotate
by their position in --rows through the encodings UTF-8, UTF-8 with BOM and GB18030 (or all use
--encoding) and through two spellings of the header (证书编号/产品编号, 企业名称/申请人, 认证类型/
类型, 地市/市, 县区/县（市、区）, 发证日期/颁证日期, 有效期至/到期日期, 续展申请日期/申报日期).
Rows carry real Guangxi cities and counties (uniform over the counties, so about 11% are in 百色),
green (LB-45-…) and organic (…OP…) numbers, five date spellings (2021-03-05, 2021/3/5,
2021.03.05, 2021年3月5日, 20210305), an expiry cell left empty in a quarter of the rows, a few
repeats (the same row twice), some previous cycles of renewed certificates, and 1 row in 500 with
a bad date (in the cell the jobs read: the expiry, or the issue date when the expiry is empty).

Then it times, alternating the jobs run by run (A, B, C, D, E, A, B, …), each as a subprocess
so that start-up counts, and reads the child's wall time and peak RSS (os.wait4):

    A  renewal due REGISTER --city 百色 --within 365 --format csv --as-of 2024-06-01
    B  benchmarks/reference.py (csv module, the least the job needs)
    C  benchmarks/pandas_job.py (skipped, with a note, when pandas is not importable)
    D… renewal <COMMAND> REGISTER --as-of 2024-06-01 for each --command (default:
       "due --all --format json" and "check --format json"; --no-extra skips them)

It prints the machine, then per size a table of median and best wall time and peak RSS, the
ratios renewal/reference and renewal/pandas, the rows each of A, B and C selected (A also lists
annual inspections and leaves out repeats and superseded cycles, so the counts differ a little),
what the generator planted, and renewal's own count line from stderr.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import importlib.util
import json
import os
import platform
import random
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from renewal_cli.places import County, guangxi, short_name

AS_OF = "2024-06-01"
CITY = "百色"
WITHIN = "365"
HERE = Path(__file__).resolve().parent
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")
DEFAULT_EXTRA = ("due --all --format json", "check --format json")
# Two spellings of the header; field order as in bench_due.py.
SPELLINGS = (
    (
        "证书编号",
        "企业名称",
        "产品名称",
        "认证类型",
        "地市",
        "县区",
        "发证日期",
        "有效期至",
        "续展申请日期",
    ),
    (
        "产品编号",
        "申请人",
        "产品",
        "类型",
        "市",
        "县（市、区）",
        "颁证日期",
        "到期日期",
        "申报日期",
    ),
)
DATE_SPELLINGS: tuple[Callable[[date], str], ...] = (
    lambda d: f"{d:%Y-%m-%d}",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d:%Y.%m.%d}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d:%Y%m%d}",
)
BAD_DATES = ("2021-02-30", "2022年13月5日", "2023.02.29", "20211301", "2022/4/31")
PRODUCTS = (
    "茶叶",
    "百香果",
    "芒果",
    "砂糖橘",
    "香蕉",
    "大米",
    "蜂蜜",
    "火龙果",
    "山茶油",
    "罗汉果",
)
GREEN_SCHEMES = ("绿色食品", "绿色")
ORGANIC_SCHEMES = ("有机农产品", "有机产品", "有机")
BAD_EVERY = 500
OLD_CYCLE_SHARE = 0.03
REPEAT_SHARE = 0.001


# --- the register -----------------------------------------------------------------------------


@dataclass
class Planted:
    """What the generator wrote, to compare with what the jobs report."""

    rows: int = 0
    bad: int = 0
    repeats: int = 0
    old_cycles: int = 0
    in_city: int = 0
    problems_in_city: int = 0
    """Bad and repeated rows in CITY: what `renewal due --city` should count as problems."""


def anniversary(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return date(day.year + years, 3, 1)


def expiry(issued: date, years: int) -> date:
    """The last valid day: the day before the N-th anniversary (domain.md §1)."""
    return anniversary(issued, years) - timedelta(days=1)


class Generator:
    """Rows of one register: every certificate valid unless planted otherwise."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.counties: list[County] = list(guangxi().counties.values())
        self.serial = 0

    def number(self, green: bool, issued: date) -> str:
        self.serial += 1
        if green:
            return f"LB-45-{issued:%y%m}{self.serial:07d}A"
        return f"{1120 + self.serial // 100_000:04d}OP{issued:%y}{self.serial % 100_000:05d}"

    def dated(self, day: date | None) -> str:
        return self.rng.choice(DATE_SPELLINGS)(day) if day else ""

    def lineage(self, with_old_cycle: bool) -> list[list[str]]:
        """One certificate's row, after its previous cycle's row when asked."""
        rng = self.rng
        county = rng.choice(self.counties)
        city = county.city if rng.random() < 0.5 else short_name(county.city)
        green = rng.random() < 0.7
        years = 3 if green else 1
        start = date(2020, 7, 1) if green else date(2022, 9, 1)
        issued = start + timedelta(days=rng.randrange((date(2024, 9, 1) - start).days))
        if with_old_cycle and issued.month == 2 and issued.day == 29:
            issued -= timedelta(days=1)
        scheme = rng.choice(GREEN_SCHEMES if green else ORGANIC_SCHEMES)
        holder = f"{short_name(county.name)}{rng.choice(('青山', '绿源', '金穗', '润田'))}第{self.serial}号农业有限公司"
        product = rng.choice(PRODUCTS)
        cycles = (
            [(anniversary(issued, -years), False), (issued, True)]
            if with_old_cycle
            else [(issued, True)]
        )
        rows: list[list[str]] = []
        number = self.number(green, cycles[0][0])
        for start_day, current in cycles:
            if green and rows:
                number = self.number(green, start_day)  # green numbers change on renewal
            ends = expiry(start_day, years)
            filed = None
            if rng.random() < (0.35 if current else 0.5):
                filed = max(start_day, ends - timedelta(days=rng.randrange(60, 300)))
            rows.append(
                [
                    number,
                    holder,
                    product,
                    scheme,
                    city,
                    county.name,
                    self.dated(start_day),
                    self.dated(ends) if rng.random() < 0.75 else "",
                    self.dated(filed),
                ]
            )
        return rows


def write_register(path: Path, rows: int, encoding: str, spelling: int, seed: int = 11) -> Planted:
    """A register of exactly `rows` data rows; what was planted in it."""
    gen = Generator(seed)
    planted = Planted()
    next_bad = BAD_EVERY - 1
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SPELLINGS[spelling])
        while planted.rows < rows:
            roll = gen.rng.random()
            room = rows - planted.rows >= 2
            if room and roll < OLD_CYCLE_SHARE:
                batch = gen.lineage(with_old_cycle=True)
                planted.old_cycles += 1
            elif room and roll < OLD_CYCLE_SHARE + REPEAT_SHARE:
                batch = gen.lineage(with_old_cycle=False) * 2
                planted.repeats += 1
                planted.problems_in_city += batch[0][4].startswith(CITY)
            else:
                batch = gen.lineage(with_old_cycle=False)
                if planted.rows >= next_bad:
                    # Spoil the date cell the jobs read: the expiry, else the issue date.
                    batch[0][7 if batch[0][7] else 6] = BAD_DATES[planted.bad % len(BAD_DATES)]
                    planted.bad += 1
                    planted.problems_in_city += batch[0][4].startswith(CITY)
                    next_bad += BAD_EVERY
            writer.writerows(batch)
            planted.rows += len(batch)
            planted.in_city += sum(row[4].startswith(CITY) for row in batch)
    return planted


# --- running and measuring --------------------------------------------------------------------


# Runs one job and writes "seconds peak_rss_kib exit_code cpu_seconds other_processes" to the file
# named first. A child's ru_maxrss starts from the peak of the process that forked it (Linux keeps
# it across exec), so measuring straight from this process, which holds the generator and
# renewal_cli, would report its own size for every job; this small launcher is the parent instead.
# ru_maxrss, ru_utime and ru_stime from wait4 cover the job and the descendants it waited for
# (the peak is the largest one's, not a sum).
#
# other_processes is what the kernel's accounts show of processes besides the job (-1 where they
# cannot be read, off Linux). Once the job has exited, and before it is reaped (WNOWAIT), its
# /proc/PID/stat still holds the minor page faults (cminflt) and CPU ticks (cutime, cstime) of
# the children it waited for: a process that ran at all faulted at least once, so any of them
# counts 1 (at least one child). Threads are not counted: their faults are the job's own. A
# descendant the job did not wait for is re-parented to this launcher, a child subreaper
# (prctl PR_SET_CHILD_SUBREAPER), and each one reaped here counts 1; one still running 10 s
# after the job has exited is killed. A child reaped by the kernel alone (SIGCHLD ignored) is not
# seen.
LAUNCHER = """
import ctypes, os, signal, sys, time
report, argv = sys.argv[1], sys.argv[2:]
linux = sys.platform.startswith("linux") and os.path.isdir("/proc/self")
if linux:
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
start = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ)
others = -1
if linux:
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    elapsed = time.perf_counter() - start
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # After the name: state is field 3 of proc(5), so field n is fields[n - 3].
    cminflt, cutime, cstime = int(fields[8]), int(fields[13]), int(fields[14])
    others = int(cminflt + cutime + cstime > 0)
_, status, usage = os.wait4(pid, 0)
if not linux:
    elapsed = time.perf_counter() - start
else:
    deadline = time.monotonic() + 10
    while True:
        try:
            orphan, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if orphan:
            others += 1
        elif time.monotonic() < deadline:
            time.sleep(0.01)
        else:
            me = os.getpid()
            with open(f"/proc/{me}/task/{me}/children") as children:
                for left in children.read().split():
                    os.kill(int(left), signal.SIGKILL)
cpu = usage.ru_utime + usage.ru_stime
with open(report, "w") as out:
    out.write(f"{elapsed} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {cpu} {others}")
"""


@dataclass
class Job:
    label: str
    argv: list[str]
    ok_codes: tuple[int, ...] = (0,)
    times: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)
    """Peak RSS of each run, in bytes."""
    cpus: list[float] = field(default_factory=list)
    """User and system CPU seconds of each run."""
    others: list[int] = field(default_factory=list)
    """Processes seen besides the job's own in each run (LAUNCHER), -1 where unknown."""
    stdout: bytes = b""
    stderr: bytes = b""


def run(job: Job, workdir: Path, env: dict[str, str]) -> None:
    """Run `job` once through LAUNCHER; record its wall time, peak RSS and CPU time (os.wait4)
    and the other processes it started."""
    out, err, measured = workdir / "stdout", workdir / "stderr", workdir / "measured"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        launcher = [sys.executable, "-c", LAUNCHER, str(measured), *job.argv]
        subprocess.run(launcher, stdout=stdout, stderr=stderr, env=env, check=True)
    elapsed, peak, code, cpu, others = measured.read_text().split()
    job.stdout, job.stderr = out.read_bytes(), err.read_bytes()
    if int(code) not in job.ok_codes:
        sys.exit(f"{job.label} exited {code}:\n{job.stderr.decode(errors='replace')}")
    job.times.append(float(elapsed))
    job.cpus.append(float(cpu))
    job.others.append(int(others))
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    job.peaks.append(int(peak) if sys.platform == "darwin" else int(peak) * 1024)


def make_jobs(register: Path, extra: list[str], with_pandas: bool) -> list[Job]:
    renewal = [sys.executable, "-m", "renewal_cli"]
    job_args = [str(register), "--city", CITY, "--within", WITHIN, "--as-of", AS_OF]
    jobs = [
        Job("renewal due --city", [*renewal, "due", *job_args, "--format", "csv"]),
        Job("reference.py", [sys.executable, str(HERE / "reference.py"), *job_args]),
    ]
    if with_pandas:
        jobs.append(Job("pandas_job.py", [sys.executable, str(HERE / "pandas_job.py"), *job_args]))
    for command in extra:
        words = shlex.split(command)
        ok = (0, 1) if words[0] == "check" else (0,)  # check exits 1 when it finds errors
        jobs.append(
            Job(
                f"renewal {command}",
                [*renewal, words[0], str(register), *words[1:], "--as-of", AS_OF],
                ok,
            )
        )
    return jobs


def output_rows(job: Job) -> Counter[str]:
    """Rows in a job's CSV output, by the renewal's 事项 (kind) column when it has one."""
    rows = list(csv.reader(job.stdout.decode("utf-8-sig").splitlines()))
    if not rows:
        return Counter()
    header = rows[0]
    kind = (
        header.index("事项")
        if "事项" in header
        else header.index("kind")
        if "kind" in header
        else None
    )
    return Counter(row[kind] if kind is not None else "rows" for row in rows[1:])


# --- report -----------------------------------------------------------------------------------


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = os.cpu_count()
    try:
        pandas = importlib.metadata.version("pandas")
    except importlib.metadata.PackageNotFoundError:
        pandas = "not installed"
    return (
        f"machine: {model}, {cores} logical cores, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; pandas {pandas}"
    )


def table(jobs: list[Job]) -> list[str]:
    width = max(len(j.label) for j in jobs)
    lines = [f"  {'job':<{width}}  {'median s':>9}  {'best s':>9}  {'peak MB':>8}"]
    for j in jobs:
        lines.append(
            f"  {j.label:<{width}}  {statistics.median(j.times):>9.3f}  {min(j.times):>9.3f}"
            f"  {max(j.peaks) / 1e6:>8.1f}"
        )
    return lines


def ratio(a: Job, b: Job) -> str:
    time_ratio = statistics.median(a.times) / statistics.median(b.times)
    return f"time {time_ratio:.1f}x, peak RSS {max(a.peaks) / max(b.peaks):.1f}x"


def report(
    rows: int, path: Path, encoding: str, spelling: int, planted: Planted, jobs: list[Job]
) -> None:
    size = path.stat().st_size / 1e6
    repeat = len(jobs[0].times)
    print(
        f"\n{rows:,} rows: {encoding}, header spelling {'AB'[spelling]}, {size:.1f} MB, "
        f"{repeat} run(s) each, alternating"
    )
    print("\n".join(table(jobs)))
    renewal, reference = jobs[0], jobs[1]
    pandas = next((j for j in jobs if j.label == "pandas_job.py"), None)
    print(f"  renewal/reference: {ratio(renewal, reference)}")
    if pandas is not None:
        print(f"  renewal/pandas:    {ratio(renewal, pandas)}")
    kinds = output_rows(renewal)
    by_kind = ", ".join(f"{kind} {n}" for kind, n in kinds.most_common())
    selected = [f"renewal {kinds.total()} ({by_kind})"]
    selected += [f"{job.label} {output_rows(job).total()}" for job in (reference, pandas) if job]
    print(f"  rows selected: {'; '.join(selected)}")
    print(
        f"  planted: {planted.bad} bad dates, {planted.repeats} repeats, {planted.old_cycles} "
        f"previous cycles; {planted.in_city:,} rows in {CITY}, "
        f"{planted.problems_in_city} of them bad or repeated"
    )
    lines = [line for line in renewal.stderr.decode(errors="replace").splitlines() if line.strip()]
    last = lines[-1] if lines else "(empty)"
    print(f"  renewal due --city stderr: {last.split('：', 1)[-1]}")
    problems = re.search(r"(\d+) 行有问题", last)
    # Rows outside --city may or may not be read: either count is right.
    planted_problems = {planted.problems_in_city, planted.bad + planted.repeats}
    if problems and int(problems.group(1)) not in planted_problems:
        print(
            f"  NOTE: renewal due --city counts {problems.group(1)} problem rows, not {planted_problems}"
        )
    check = next((j for j in jobs if j.argv[3:4] == ["check"] and "json" in j.argv), None)
    if check is not None:
        codes = Counter(f"{p['severity']} {p['code']}" for p in json.loads(check.stdout or b"[]"))
        print(f"  renewal check: {dict(codes.most_common())}")
        wanted = +Counter({"error bad_date": planted.bad, "error duplicate": planted.repeats})
        if codes != wanted:
            print(f"  NOTE: check found other problems than the planted {dict(wanted)}")


def compiled() -> None:
    """Compile renewal_cli's bytecode first, as installing it from a wheel does: an editable
    install under PYTHONDONTWRITEBYTECODE would otherwise recompile it on every run (about
    60 ms each, which no user pays)."""
    import compileall

    import renewal_cli

    compileall.compile_dir(Path(renewal_cli.__file__).parent, quiet=1)


def parse_rows(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=parse_rows, default=[2000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--encoding", choices=(*ENCODINGS, "gbk"), help="one encoding for every register"
    )
    parser.add_argument(
        "--command",
        action="append",
        metavar="COMMAND",
        help='renewal command also timed alone, e.g. "due --all --format json" (repeatable)',
    )
    parser.add_argument("--no-extra", action="store_true", help="time only A, B and C")
    parser.add_argument("--quick", action="store_true", help="2,000 rows, one run each")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.repeat = [2000], 1
    extra = [] if args.no_extra else args.command or list(DEFAULT_EXTRA)
    with_pandas = importlib.util.find_spec("pandas") is not None
    print(machine())
    if not with_pandas:
        print("note: pandas is not importable here (pip install pandas); the pandas job is skipped")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENEWAL_")}
    compiled()
    with tempfile.TemporaryDirectory(prefix="bench_scale.") as tmp:
        workdir = Path(tmp)
        for index, rows in enumerate(args.rows):
            encoding = args.encoding or ENCODINGS[index % len(ENCODINGS)]
            spelling = index % len(SPELLINGS)
            register = workdir / f"register_{rows}.csv"
            planted = write_register(register, rows, encoding, spelling)
            jobs = make_jobs(register, extra, with_pandas)
            for _ in range(args.repeat):
                for job in jobs:
                    run(job, workdir, env)
            report(rows, register, encoding, spelling, planted, jobs)
            register.unlink()


if __name__ == "__main__":
    main()
