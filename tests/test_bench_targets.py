"""The benchmark of issue 19's targets (benchmarks/bench_targets.py) keeps working: its launcher
tells one process from several, and `--quick` prints every target's table and exits as its
verdicts say. The figures themselves are not tested (a benchmark, not a timed test)."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
LINUX = sys.platform.startswith("linux") and Path("/proc/self/stat").is_file()


def bench_scale() -> Any:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module("bench_scale")


# Each program runs as the measured job; `others` is what the launcher must report.
PROGRAMS = [
    pytest.param("pass", 0, id="one process"),
    pytest.param(
        "import threading\nt = threading.Thread(target=sum, args=(range(10**5),))\n"
        "t.start()\nt.join()",
        0,
        id="a thread is not a process",
    ),
    pytest.param(
        "import os\npid = os.fork()\nif pid == 0:\n    os._exit(0)\nos.waitpid(pid, 0)",
        1,
        id="a child waited for",
    ),
    pytest.param(
        "import os, time\nif os.fork() == 0:\n    time.sleep(0.3)\n    os._exit(0)",
        1,
        id="a child left running",
    ),
    pytest.param(
        "import os\nif os.fork() == 0:\n    os._exit(0)",
        1,
        id="a child never waited for",
    ),
    pytest.param(
        "import subprocess, sys\nsubprocess.run([sys.executable, '-c', 'pass'], check=True)",
        1,
        id="a subprocess",
    ),
    pytest.param(
        "import os\nfor _ in range(2):\n    if os.fork() == 0:\n        os._exit(0)",
        2,
        id="two children never waited for",
    ),
]


@pytest.mark.skipif(not LINUX, reason="the launcher reads /proc (Linux)")
@pytest.mark.parametrize(("program", "others"), PROGRAMS)
def test_launcher_counts_other_processes(program: str, others: int, tmp_path: Path) -> None:
    scale = bench_scale()
    job = scale.Job("probe", [sys.executable, "-c", program])
    scale.run(job, tmp_path, dict(os.environ))
    assert job.others == [others]
    assert len(job.times) == len(job.cpus) == len(job.peaks) == 1
    assert job.times[0] > 0 and job.peaks[0] > 0


TABLES = {
    1: ["calamine_rows.py", "renewal due .xlsx --city"],
    2: [
        "reference.py --city",
        "renewal due --all --format json",
        "renewal check --format json",
        "renewal summary",
    ],
    3: ["reference.py --city", "renewal due --city"],
    4: ["reference.py --city", "renewal due --city", "renewal due --all --format json"],
}
NUMBER = r"\d+\.\d+"
ROW = re.compile(
    rf"^  (?P<label>\S.*?)\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}(?:\s+{NUMBER})?"
    r"\s+(?P<others>\d+|\?)(?:\s+(?P<verdict>PASS|MISS)(?: \(.+\))?)?$"
)


def test_quick_run_reports_every_target(tmp_path: Path) -> None:
    """`--quick --check`: four tables with their jobs, a verdict for each compared job, and the
    exit code the verdicts call for (1 only when one is MISS)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("RENEWAL_")},
        "PYTHONPATH": str(ROOT / "src"),
        "TMPDIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_targets.py"), "--quick", "--check"],
        capture_output=True,
        env=env,
        timeout=300,
        check=False,
    )
    out, err = done.stdout.decode(), done.stderr.decode()
    assert "Traceback" not in err, err
    sections = re.split(r"^Target (\d): .*$", out, flags=re.MULTILINE)
    tables = {int(n): body for n, body in zip(sections[1::2], sections[2::2], strict=True)}
    assert sorted(tables) == [1, 2, 3, 4]
    verdicts = {}
    for number, labels in TABLES.items():
        rows = [m for m in map(ROW.match, tables[number].splitlines()) if m]
        assert [m["label"] for m in rows] == labels, tables[number]
        # The reference's row carries no verdict, every other row one.
        assert [m["verdict"] is None for m in rows] == [True] + [False] * (len(rows) - 1)
        verdicts[number] = "MISS" if any(m["verdict"] == "MISS" for m in rows) else "PASS"
    summary = ", ".join(f"target {n} {v}" for n, v in sorted(verdicts.items()))
    assert f"verdicts: {summary}" in out
    assert done.returncode == (1 if "MISS" in verdicts.values() else 0), err
    assert list(tmp_path.iterdir()) == []  # the registers were written to a temporary folder
