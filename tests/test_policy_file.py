"""The policy file (issue 8, point 1): renewal_cli.policyfile.read_policy_file and
`renewal due --policy FILE` (or RENEWAL_POLICY). A valid file changes its own plan year only; a
bad one is refused with exit 2 and one line per bad key."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import run
from renewal_cli.errors import UsageError
from renewal_cli.models import Scheme
from renewal_cli.policy import PolicyFileError, policy_for
from renewal_cli.policyfile import read_policy_file

EXAMPLE = Path(__file__).parents[1] / "examples" / "policy.toml"

VALID = """\
[2025.green]
lead_months = 6

[2025.organic]
lead_months = 5

[2025.obligations]
inspection_lead_days = 10

[2025.targets]
"百色" = 300
"南宁市" = 150

[2025.fee_relief]
tiers = ["autonomous_region_level"]
"""


def write(tmp_path: Path, text: str, name: str = "policy.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- read_policy_file ---------------------------------------------------------------------------


def test_example_policy_file_loads() -> None:
    overrides = read_policy_file(EXAMPLE)
    assert set(overrides.root) == {"2025"}
    changed = policy_for(2025, overrides)
    # The example restates the 2024 plan moved on a year, with 2025 targets of its own: only
    # those are the file's (cited to it), and 2025 still has no plan of its own.
    assert (changed.adjusted, changed.adjusted_by) == ({"targets"}, str(EXAMPLE))
    unchanged = dataclasses.replace(changed, targets={}, adjusted=frozenset(), adjusted_by=None)
    assert unchanged == policy_for(2025)
    assert (changed.plan_used, changed.has_own_plan) == (2024, False)
    assert changed.targets["百色市"] == 295 and len(changed.targets) == 14
    assert sum(changed.targets.values()) == 1778
    assert policy_for(2025).targets == {}  # targets belong to the year they were set for


@pytest.mark.parametrize(
    ("year", "green", "organic", "inspection", "targets", "tiers"),
    [
        pytest.param(
            2025,
            6,
            5,
            10,
            {"百色市": 300, "南宁市": 150},
            ("autonomous_region_level",),
            id="its-year",
        ),
        pytest.param(
            2024,
            3,
            4,
            0,
            policy_for(2024).targets,
            ("key_assistance", "national_832"),
            id="year-before",
        ),
        pytest.param(2026, 3, 4, 0, {}, ("key_assistance", "national_832"), id="year-after"),
    ],
)
def test_a_valid_file_changes_its_year_only(
    tmp_path: Path,
    year: int,
    green: int,
    organic: int,
    inspection: int,
    targets: dict[str, int],
    tiers: tuple[str, ...],
) -> None:
    policy = policy_for(year, read_policy_file(write(tmp_path, VALID)))
    assert policy.plan_year == year
    assert policy.rule(Scheme.GREEN).lead_months == green
    assert policy.rule(Scheme.ORGANIC).lead_months == organic
    assert policy.inspection_lead_days == inspection
    assert policy.targets == targets  # city names as the places table spells them (百色 → 百色市)
    assert policy.fee_relief_tiers == tiers
    # What the file leaves out keeps its value.
    assert policy.rule(Scheme.GREEN).validity_years == 3
    assert policy.cohort_issue_year == year - 3
    assert policy.transfer_lead_months == 4


@pytest.mark.parametrize(
    ("text", "path", "allowed"),
    [
        pytest.param("[2025.green]\nlead_months = 30\n", "2025.green.lead_months", "le", id="le"),
        pytest.param("[2025.green]\nlead_months = -1\n", "2025.green.lead_months", "ge", id="ge"),
        pytest.param(
            "[2025.organic]\nlead_months = 3.5\n",
            "2025.organic.lead_months",
            "whole_number",
            id="fraction",
        ),
        pytest.param(
            '[2025.flags]\nnext_h1_from = "soon"\n', "2025.flags.next_h1_from", "date", id="date"
        ),
        pytest.param("[2025]\ncolour = 1\n", "2025.colour", "known_key", id="unknown-key"),
        pytest.param("[2025]\ngreen = 3\n", "2025.green", "table", id="not-a-table"),
        pytest.param('[2025.targets]\n"广州市" = 5\n', "2025.targets.广州市", "city", id="city"),
        pytest.param(
            '[2025.targets]\n"百色" = -1\n', "2025.targets.百色", "ge", id="negative-target"
        ),
        pytest.param(
            '[2025.fee_relief]\ntiers = ["poor"]\n', "2025.fee_relief.tiers", "tier", id="tier"
        ),
        pytest.param(
            '[2025.fee_relief]\ntiers = "national_832"\n',
            "2025.fee_relief.tiers",
            "list",
            id="tiers-not-a-list",
        ),
        pytest.param("[25]\nsubmit_all_before = 2025-10-01\n", "25", "plan_year", id="plan-year"),
    ],
)
def test_each_bad_key_is_a_fault(tmp_path: Path, text: str, path: str, allowed: str) -> None:
    with pytest.raises(PolicyFileError) as caught:
        read_policy_file(write(tmp_path, text))
    assert [(f["path"], f["allowed"]) for f in caught.value.faults] == [(path, allowed)]
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("name", "text", "message_id"),
    [
        pytest.param("missing.toml", None, "policy.not_found", id="missing"),
        pytest.param("policy.toml", "[2025\nlead = ", "policy.not_toml", id="not-toml"),
        pytest.param("policy.json", '{"2025": {}}', "policy.not_toml", id="json"),
    ],
)
def test_unusable_files(tmp_path: Path, name: str, text: str | None, message_id: str) -> None:
    path = tmp_path / name if text is None else write(tmp_path, text, name)
    with pytest.raises(UsageError) as caught:
        read_policy_file(path)
    assert caught.value.message_id == message_id
    assert not isinstance(caught.value, PolicyFileError)


# --- renewal due --policy ---------------------------------------------------------------------------

HEADER = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期"
REGISTER = (
    f"{HEADER}\n"
    # Green food in 右江区 (an autonomous-region-level county), expiring 2025-12-31 and 2026-12-31.
    "G25,百色甲公司,芒果,绿色食品,百色,右江区,2023-01-01,2025-12-31,\n"
    "G26,百色乙公司,茶叶,绿色食品,百色,右江区,2024-01-01,2026-12-31,\n"
)


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "台账.csv"
    path.write_text(REGISTER, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("as_of", "policy", "file_by", "flags"),
    [
        # Plan year 2025 under the file: file by 6 months before expiry, 右江区 counted.
        pytest.param(
            "2025-06-01",
            True,
            {"G25": "2025-06-30", "G26": "2026-06-30"},
            ["fee_waiver"],
            id="file-2025",
        ),
        pytest.param(
            "2025-06-01",
            False,
            {"G25": "2025-09-30", "G26": "2026-09-30"},
            [],
            id="built-in-2025",
        ),
        # Plan year 2026: the file says nothing about it.
        pytest.param(
            "2026-06-01",
            True,
            {"G25": "2025-09-30", "G26": "2026-09-30"},
            [],
            id="file-2026-unchanged",
        ),
    ],
)
def test_due_with_a_policy_file(
    runner: CliRunner,
    register: Path,
    tmp_path: Path,
    as_of: str,
    policy: bool,
    file_by: dict[str, str],
    flags: list[str],
) -> None:
    extra = ["--policy", str(write(tmp_path, VALID))] if policy else []
    args = ["due", str(register), "--all", "--kind", "renewal", "-f", "json", "--as-of", as_of]
    result = run(runner, *args, *extra)
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    assert {i["cert_id"]: i["file_by"] for i in items} == file_by
    assert all([f for f in i["flags"] if f.startswith("fee_")] == flags for i in items)
    # The environment variable does the same as the option.
    if policy:
        from_env = run(runner, *args, env={"RENEWAL_POLICY": extra[1]})
        assert from_env.exit_code == 0, from_env.stderr
        assert json.loads(from_env.stdout) == items


def test_plan_year_picks_the_policy_year(runner: CliRunner, register: Path, tmp_path: Path) -> None:
    """--plan-year 2025 on a 2026 AS_OF judges by the 2025 table of the file."""
    policy = str(write(tmp_path, VALID))
    args = ["due", str(register), "--all", "--kind", "renewal", "-f", "json", "--policy", policy]
    result = run(runner, *args, "--as-of", "2026-01-10", "--plan-year", "2025")
    assert result.exit_code == 0, result.stderr
    items = {i["cert_id"]: i for i in json.loads(result.stdout)}
    assert items["G26"]["file_by"] == "2026-06-30"
    assert items["G26"]["plan_year"] == 2025


BAD = """\
[2025.green]
lead_months = 30
validity_years = "three"

[2025.targets]
"广州市" = 5

[2025]
colour = "red"
"""


@pytest.mark.parametrize(
    ("lang", "header", "lines"),
    [
        pytest.param(
            "zh",
            "策略文件 {f} 有 4 处错误：",
            [
                "  {f}：2025.green.lead_months = 30：不能大于 24",
                "  {f}：2025.green.validity_years = 'three'：应为整数",
                "  {f}：2025.targets.广州市 = '广州市'：不是广西的设区市",
                "  {f}：2025.colour = 'red'：没有这一项（可用：green、organic、flags、obligations、"
                "submit_all_before、targets、fee_relief、plan，见 examples/policy.toml）",
            ],
            id="zh",
        ),
        pytest.param(
            "en",
            "policy file {f} has 4 errors:",
            [
                "  {f}: 2025.green.lead_months = 30: must be at most 24",
                "  {f}: 2025.green.validity_years = 'three': must be a whole number",
                "  {f}: 2025.targets.广州市 = '广州市': not a city of Guangxi",
                "  {f}: 2025.colour = 'red': no such key (known: green, organic, flags, "
                "obligations, submit_all_before, targets, fee_relief, plan; see examples/policy.toml)",
            ],
            id="en",
        ),
    ],
)
def test_bad_file_one_line_per_key(
    runner: CliRunner, register: Path, tmp_path: Path, lang: str, header: str, lines: list[str]
) -> None:
    bad = write(tmp_path, BAD)
    result = run(
        runner, "due", str(register), "--policy", str(bad), "--lang", lang, "--as-of", "2025-06-01"
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    said = result.stderr.splitlines()
    assert said[0] == header.format(f=bad)
    assert sorted(said[1:]) == sorted(line.format(f=bad) for line in lines)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("lang", "name", "text", "said"),
    [
        pytest.param("zh", "missing.toml", None, "找不到策略文件：{f}", id="missing-zh"),
        pytest.param("en", "missing.toml", None, "policy file not found: {f}", id="missing-en"),
        pytest.param("zh", "p.toml", "[2025\n", "策略文件 {f} 不是有效的 TOML：", id="not-toml-zh"),
        pytest.param(
            "en", "p.toml", "[2025\n", "policy file {f} is not valid TOML: ", id="not-toml-en"
        ),
        pytest.param(
            "zh",
            "p.toml",
            "\ufffe\udcff",
            "策略文件 {f} 不是 UTF-8 编码：字节偏移 3 处（第 1 行）",
            id="not-utf8",
        ),
        pytest.param(
            "zh",
            "p.toml",
            '[office]\nname = "'
            + "百色市农业农村局".encode("gbk").decode("utf-8", "surrogateescape")
            + '"\n',
            "策略文件 {f} 不是 UTF-8 编码：字节偏移 17 处（第 2 行）",
            id="gbk-zh",
        ),
        pytest.param(
            "en",
            "p.toml",
            "# \udcb0\n",
            "policy file {f} is not UTF-8: the byte at offset 2 (line 1)",
            id="gbk-en",
        ),
        pytest.param(
            "zh",
            "p.toml",
            "[2025]\nsubmit_all_before = " + "[" * 5000 + "]" * 5000 + "\n",
            "策略文件 {f} 的表或数组嵌套太深，无法读取",
            id="deep-arrays",
        ),
        pytest.param(
            "en",
            "p.toml",
            "[2025.flags]\nx = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
            "policy file {f} nests tables or arrays too deep to read",
            id="deep-inline-tables",
        ),
    ],
)
def test_unusable_file_exit_2(
    runner: CliRunner,
    register: Path,
    tmp_path: Path,
    lang: str,
    name: str,
    text: str | None,
    said: str,
) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
    result = run(
        runner, "due", str(register), "--policy", str(path), "--lang", lang, "--as-of", "2025-06-01"
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(said.format(f=path)), line


# pydantic's lax mode turns true into 1 and "3" into 3: a policy file is typed by a person, and
# such a value is a mistake to report, not to guess at (issue 8: one line per bad key).
@pytest.mark.parametrize(
    ("text", "path"),
    [
        pytest.param("[2025.green]\nlead_months = true\n", "2025.green.lead_months", id="bool"),
        pytest.param('[2025.green]\nlead_months = "3"\n', "2025.green.lead_months", id="text"),
        pytest.param(
            "[2025.obligations]\nquality_test_every_years = false\n",
            "2025.obligations.quality_test_every_years",
            id="bool-every",
        ),
    ],
)
def test_values_of_the_wrong_type_are_faults(tmp_path: Path, text: str, path: str) -> None:
    with pytest.raises(PolicyFileError) as caught:
        read_policy_file(write(tmp_path, text))
    assert [(f["path"], f["allowed"]) for f in caught.value.faults] == [(path, "whole_number")]


# An unknown key inside a table is told the keys of that table, not the plan year's.
@pytest.mark.parametrize(
    ("text", "lang", "known"),
    [
        pytest.param(
            "[2025.green]\ncolour = 1\n", "en", ("validity_years", "lead_months"), id="green"
        ),
        pytest.param(
            "[2025.flags]\ncohort = 2022\n",
            "en",
            ("cohort_issue_year", "next_h1_from", "next_h1_to"),
            id="flags",
        ),
    ],
)
def test_unknown_nested_key_names_what_is_allowed(
    runner: CliRunner, register: Path, tmp_path: Path, text: str, lang: str, known: tuple[str, ...]
) -> None:
    bad = write(tmp_path, text)
    result = run(
        runner, "due", str(register), "--policy", str(bad), "--lang", lang, "--as-of", "2025-06-01"
    )
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()[1:]
    assert all(key in line for key in known), line
    assert "submit_all_before" not in line, line
