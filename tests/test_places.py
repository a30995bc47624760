"""Counties by pinyin, as cities already are (issue 17, point 17): `--county tianyang` finds 田阳区
as `--city baise` finds 百色市, with or without the suffix's pinyin, in any case, with spaces."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import run
from renewal_cli.places import fold_pinyin, guangxi, short_name

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize(
    ("typed", "county"),
    [
        pytest.param("tianyang", "田阳区", id="short"),
        pytest.param("TianYang", "田阳区", id="any-case"),
        pytest.param("TIANYANG", "田阳区", id="upper"),
        pytest.param("tianyangqu", "田阳区", id="with-suffix"),
        pytest.param("tian yang qu", "田阳区", id="spaces"),
        pytest.param("Tián yáng", "田阳区", id="tone-marks"),
        pytest.param("tianyangxian", "田阳区", id="former-name"),
        pytest.param("hengxian", "横州市", id="former-name-other-base"),
        pytest.param("hengzhoushi", "横州市", id="city-level-county"),
        pytest.param("rongshui", "融水苗族自治县", id="autonomous-short"),
        pytest.param("rongshuixian", "融水苗族自治县", id="autonomous-as-xian"),
        pytest.param("rongshuimiaozuzizhixian", "融水苗族自治县", id="autonomous-full"),
        pytest.param("tengxian", "藤县", id="one-character-base"),
        pytest.param("changzhou", "长洲区", id="polyphone-chang"),
        pytest.param("longxu", "龙圩区", id="polyphone-xu"),
        pytest.param("Du'an", "都安瑶族自治县", id="apostrophe"),
        pytest.param("duan", "都安瑶族自治县", id="no-apostrophe"),
        pytest.param("ｔｉａｎｙａｎｇ", "田阳区", id="full-width"),
        pytest.param("田阳", "田阳区", id="chinese-still"),
    ],
)
def test_county_by_pinyin(typed: str, county: str) -> None:
    found = guangxi().county(typed)
    assert found is not None and found.name == county


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        pytest.param("tianyan", "田阳区", id="pinyin-typo"),
        pytest.param("pinguo", "平果市", id="pinyin-near"),
        pytest.param("田杨", "田阳区", id="chinese-typo"),
    ],
)
def test_unknown_county_suggests_near_names(typed: str, suggested: str) -> None:
    places = guangxi()
    assert places.county(typed) is None
    assert suggested in places.suggest_county(typed)


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("tianyangshi", id="wrong-suffix"),
        pytest.param("baise", id="a-city-not-a-county"),
        pytest.param("百色tianyang", id="mixed-scripts"),
    ],
)
def test_not_a_county(typed: str) -> None:
    assert guangxi().county(typed) is None


def test_every_county_is_found_by_its_pinyin() -> None:
    """Each county's short-name and full-name pinyin name it and no other county."""
    places = guangxi()
    rows = (ROOT / "src/renewal_cli/data/county_pinyin.csv").read_text("utf-8").splitlines()[1:]
    pinyin = dict(row.split(",") for row in rows)
    assert set(places.counties) <= set(pinyin)
    for name in places.counties:
        syllables = pinyin[name].split()
        for typed in ("".join(syllables[: len(short_name(name))]), "".join(syllables)):
            found = places.county(typed)
            assert found is not None and found.name == name, typed


def test_the_shipped_pinyin_is_what_the_tool_makes() -> None:
    spec = importlib.util.spec_from_file_location("make", ROOT / "tools/make_county_pinyin.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    shipped = (ROOT / "src/renewal_cli/data/county_pinyin.csv").read_text("utf-8")
    assert tool.make() == shipped


@pytest.mark.parametrize(
    ("typed", "folded"),
    [("Tian Yang", "tianyang"), ("Xing'an", "xingan"), ("Lǜ", "lu"), ("ＴＩＡＮ", "tian")],
)
def test_fold_pinyin(typed: str, folded: str) -> None:
    assert fold_pinyin(typed) == folded


@pytest.mark.parametrize(
    ("args", "county"),
    [
        pytest.param(("--county", "tianyang"), "田阳区", id="county-pinyin"),
        pytest.param(("--county", "Tianyangqu", "--city", "baise"), "田阳区", id="with-city"),
        pytest.param(("--county", "TIAN YANG"), "田阳区", id="upper-with-space"),
        pytest.param(("--county", "youjiang,tiandong"), "右江区,田东县", id="list"),
    ],
)
def test_county_option_takes_pinyin(runner: CliRunner, args: tuple[str, ...], county: str) -> None:
    base = ("due", "--all", "--format", "json", "--as-of", "2024-06-01", "--kind", "renewal")
    by_pinyin = run(runner, *base, *args)
    by_name = run(runner, *base, "--county", county)
    assert by_pinyin.exit_code == 0, by_pinyin.stderr
    items = json.loads(by_pinyin.stdout)
    assert items and {i["county"] for i in items} == set(county.split(","))
    assert by_pinyin.stdout == by_name.stdout


def test_unknown_pinyin_county_is_a_usage_error(runner: CliRunner) -> None:
    result = run(runner, "due", "--county", "tianyan")
    assert result.exit_code == 2
    assert "tianyan" in result.stderr and "田阳区" in result.stderr
