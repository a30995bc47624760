"""Write the pinyin of Guangxi's counties (current and former names), for `--county tianyang`.

Run `python tools/make_county_pinyin.py` (needs pypinyin, in the test extras) to regenerate
src/renewal_cli/data/county_pinyin.csv; it writes the same bytes each time, and
tests/test_places.py checks that the shipped file is what this makes. The division table
(guangxi_divisions.csv) carries the cities' pinyin only. pypinyin takes about 0.7 s to import,
so the command line reads this small file instead, and only when a county is not found by its
Chinese name.

Each row is a name and its syllables, one per character, separated by spaces ("田阳区,tian yang
qu"), so that places.py can tell the short name's syllables (tianyang) from the suffix's (qu).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from renewal_cli.places import FORMER_NAMES  # noqa: E402 - the package of this checkout

DIVISIONS = ROOT / "src" / "renewal_cli" / "data" / "guangxi_divisions.csv"
TARGET = ROOT / "src" / "renewal_cli" / "data" / "county_pinyin.csv"

# Characters read otherwise in these place names than pypinyin's everyday reading (the
# Ministry of Civil Affairs' romanization): 长洲 Changzhou, 龙圩 Longxu, 都安 Du'an.
READINGS: dict[str, dict[int, str]] = {
    "长洲区": {0: "chang"},
    "龙圩区": {1: "xu"},
    "都安瑶族自治县": {0: "du"},
}


def syllables(name: str) -> list[str]:
    """One syllable per character of `name`, lower case, no tone marks."""
    found = lazy_pinyin(name, style=Style.NORMAL, errors="exception")
    if len(found) != len(name):
        raise SystemExit(f"{name}: {len(found)} syllables for {len(name)} characters")
    for index, reading in READINGS.get(name, {}).items():
        found[index] = reading
    return found


def make() -> str:
    """The file's text: the current names in the table's order, then the former names."""
    with DIVISIONS.open(encoding="utf-8") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "pinyin"])
    for name in [*names, *FORMER_NAMES]:
        writer.writerow([name, " ".join(syllables(name))])
    return out.getvalue()


def main() -> None:
    TARGET.write_text(make(), encoding="utf-8")


if __name__ == "__main__":
    main()
