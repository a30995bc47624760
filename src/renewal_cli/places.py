"""Guangxi's 14 cities and 111 county-level divisions, with the spellings registers use.

The table ships as package data (data/guangxi_divisions.csv). A city is found by its full name
(百色市), its short name (百色) or its pinyin (Baise); a county by its full name, its short name
(田阳), a former name (田阳县, renamed 田阳区 in 2019), or their pinyin, with or without the
suffix (tianyang, Tianyangqu, tian yang xian; from data/county_pinyin.csv, which
tools/make_county_pinyin.py makes, read only when a county is not found by its Chinese name).
"""

from __future__ import annotations

import csv
import difflib
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property, lru_cache
from importlib.resources import files

# Counties renamed since the old names appeared in registers; old name → current name.
FORMER_NAMES: dict[str, str] = {
    "田阳县": "田阳区",
    "平果县": "平果市",
    "靖西县": "靖西市",
    "横县": "横州市",
    "武鸣县": "武鸣区",
    "柳江县": "柳江区",
    "临桂县": "临桂区",
    "荔浦县": "荔浦市",
    "宜州市": "宜州区",
}

# Longest first, so 融水苗族自治县 loses 苗族自治县 rather than just 县.
_SUFFIXES = sorted(
    (
        "各族自治县",
        "瑶族自治县",
        "苗族自治县",
        "侗族自治县",
        "仫佬族自治县",
        "毛南族自治县",
        "自治县",
        "县",
        "区",
        "市",
    ),
    key=len,
    reverse=True,
)


# Cities and counties are frozen dataclasses, keyword-only as the pydantic models they were:
# they are made only from the shipped table, whose cells are text already (the flags are
# turned into bools as it is read), so there is nothing to validate.


@dataclass(frozen=True, slots=True, kw_only=True)
class City:
    """A prefecture-level city (设区市)."""

    code: str
    name: str
    pinyin: str


@dataclass(frozen=True, slots=True, kw_only=True)
class County:
    """A county-level division (县、县级市、区) with its fee-relief tiers."""

    code: str
    name: str
    type: str
    city: str
    key_assistance: bool
    former_poverty_tier: str | None
    former_names: tuple[str, ...] = ()


def clean(text: str) -> str:
    """Fold full-width forms and drop every kind of space (registers carry U+3000 and NBSP)."""
    # str.split() splits at exactly the characters str.isspace() names (U+3000 and NBSP too).
    return "".join(unicodedata.normalize("NFKC", text).split())


_REGION_PREFIXES = ("广西壮族自治区", "广西自治区", "广西区", "广西")


def _without_region(key: str) -> str:
    """Drop a leading "广西壮族自治区" / "广西": every place here is in Guangxi."""
    for prefix in _REGION_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key


def fold_pinyin(text: str) -> str:
    """Pinyin as a lookup key: Tianyang, TIANYANG, tian yang, Tián yáng and Xing'an fold to
    tianyang and xingan."""
    plain = unicodedata.normalize("NFKD", text).lower()
    return "".join(ch for ch in plain if ch.isascii() and ch.isalnum())


def _is_latin(text: str) -> bool:
    """No CJK in it (tone marks and full-width letters allowed): a pinyin spelling."""
    return all(ord(ch) < 0x2E80 or 0xFF00 <= ord(ch) <= 0xFFEF for ch in text)


def short_name(name: str) -> str:
    """百色市 → 百色, 融水苗族自治县 → 融水; never shorter than two characters."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


class Places:
    """Lookup of cities and counties by any accepted spelling."""

    def __init__(self, counties: Iterable[County], cities: Iterable[City]) -> None:
        self.cities: dict[str, City] = {c.name: c for c in cities}
        self.counties: dict[str, County] = {c.name: c for c in counties}
        self._city_keys: dict[str, str] = {}
        for city in self.cities.values():
            for key in (city.name, short_name(city.name), city.pinyin.lower()):
                self._city_keys[key] = city.name
        self._county_keys: dict[str, str] = {}
        for county in self.counties.values():
            names = (county.name, *county.former_names)
            for name in names:
                self._county_keys[name] = county.name
                self._county_keys.setdefault(short_name(name), county.name)
            if county.type == "自治县":
                # 融水县 is how many registers write 融水苗族自治县.
                self._county_keys.setdefault(short_name(county.name) + "县", county.name)

    @lru_cache(maxsize=1024)  # noqa: B019 - one Places per process; cells repeat a lot
    def city(self, text: str) -> City | None:
        """The city `text` names, or None ("广西百色市" and "百色" name 百色市 too)."""
        key = _without_region(clean(text))
        name = self._city_keys.get(key) or self._city_keys.get(key.lower())
        return self.cities[name] if name else None

    @lru_cache(maxsize=1024)  # noqa: B019 - one Places per process; cells repeat a lot
    def county(self, text: str) -> County | None:
        """The county `text` names (current, short or former name), or None.

        A cell may carry its city in front ("百色市田阳区"): the county is then looked up in
        that city only, so a wrong pairing is not silently accepted.
        """
        key = _without_region(clean(text))
        name = self._county_keys.get(key)
        if name is None:
            for city in self.cities.values():
                for prefix in (city.name, short_name(city.name)):
                    rest = self._county_keys.get(key.removeprefix(prefix))
                    if key.startswith(prefix) and rest and self.counties[rest].city == city.name:
                        name = rest
        if name is None and key and _is_latin(key):
            name = self._pinyin_keys.get(fold_pinyin(key))
        return self.counties[name] if name else None

    @cached_property
    def _pinyin_keys(self) -> dict[str, str]:
        """Counties by pinyin: of the short name (tianyang), the full name (tianyangqu), a
        former name (tianyangxian) and, for an autonomous county, short name + xian (rongshuixian,
        as 融水县 is). A key two counties share names neither."""
        text = files("renewal_cli").joinpath("data/county_pinyin.csv").read_text("utf-8")
        found: dict[str, set[str]] = {}
        for row in csv.DictReader(io.StringIO(text)):
            county = self._county_keys.get(row["name"])
            if county is None:
                continue
            syllables = row["pinyin"].split()
            short = "".join(syllables[: len(short_name(row["name"]))])
            keys = {short, "".join(syllables)}
            if self.counties[county].type == "自治县":
                keys.add(short + "xian")
            for key in keys:
                found.setdefault(key, set()).add(county)
        return {key: names.pop() for key, names in found.items() if len(names) == 1}

    def suggest_city(self, text: str) -> list[str]:
        """The city names closest to an unknown `text`."""
        return _closest(clean(text), self._city_keys)

    def suggest_county(self, text: str) -> list[str]:
        """The county names closest to an unknown `text` (always some: a mistyped county is
        still a county, so the nearest counties help more than the list of cities)."""
        key = clean(text)
        if key and _is_latin(key):
            return _closest(fold_pinyin(key), self._pinyin_keys) or _closest(
                fold_pinyin(key), self._pinyin_keys, cutoff=0.0
            )
        return _closest(key, self._county_keys) or _closest(key, self._county_keys, cutoff=0.0)


class SplitBy(StrEnum):
    """How calendars and mail are split among officers: one per city or one per county."""

    CITY = "city"
    COUNTY = "county"


@dataclass(frozen=True)
class Scope:
    """The places a command is about (--city, --county): the one place-scoping test.

    Empty sets mean "anywhere". A certificate is in scope when its city passes --city and its
    county passes --county. A place (a city or a county, as a contact or a calendar file names
    it) is in scope when any certificate of it can be.
    """

    cities: frozenset[str] = frozenset()
    counties: frozenset[str] = frozenset()

    def contains(self, city: str, county: str | None) -> bool:
        """Whether a certificate of `city` / `county` is in scope."""
        return (not self.cities or city in self.cities) and (
            not self.counties or county in self.counties
        )

    def touches(self, place: str, places: Places) -> bool:
        """Whether the place `place` (a canonical city or county name) overlaps the scope."""
        county = places.counties.get(place)
        if county is not None:
            return self.contains(county.city, county.name)
        if self.cities and place not in self.cities:
            return False
        return not self.counties or any(
            places.counties[name].city == place for name in self.counties
        )

    def label(self) -> str | None:
        """The place a whole-register calendar or mail is about, for its name and subject."""
        names = sorted(self.counties) or sorted(self.cities)
        return "、".join(names) if names else None


def _closest(text: str, canonical: dict[str, str], cutoff: float = 0.4) -> list[str]:
    matches = difflib.get_close_matches(text.lower(), list(canonical), n=8, cutoff=cutoff)
    names: list[str] = []
    for match in matches:
        name = canonical[match]
        if name not in names:
            names.append(name)
    return names[:3]


@cache
def guangxi() -> Places:
    """The shipped table of Guangxi's places (read once)."""
    text = files("renewal_cli").joinpath("data/guangxi_divisions.csv").read_text("utf-8")
    counties: list[County] = []
    cities: dict[str, City] = {}
    former: dict[str, list[str]] = {}
    for old, new in FORMER_NAMES.items():
        former.setdefault(new, []).append(old)
    for row in csv.DictReader(io.StringIO(text)):
        cities.setdefault(
            row["city"], City(code=row["city_code"], name=row["city"], pinyin=row["city_pinyin"])
        )
        counties.append(
            County(
                code=row["division_code"],
                name=row["name"],
                type=row["type"],
                city=row["city"],
                key_assistance=row["key_assistance_county_2021"] == "Y",
                former_poverty_tier=row["former_poverty_county_tier"] or None,
                former_names=tuple(former.get(row["name"], ())),
            )
        )
    return Places(counties, cities.values())
