"""Reference for bench_targets.py: python-calamine iterating every row of a workbook's first sheet.

Usage: python benchmarks/calamine_rows.py WORKBOOK.xlsx

Opens the workbook with python_calamine (its Rust reader), iterates every row of the first sheet
and prints the number of rows and of non-empty cells: the least a Python program that reads the
sheet does, with no header finding, no dates and no filter. Target 1 of issue 19 asks `renewal
due X.xlsx --city 百色` to take within 2x of this.
"""

from __future__ import annotations

import sys

from python_calamine import CalamineWorkbook


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__.splitlines()[2])
    book = CalamineWorkbook.from_path(sys.argv[1])
    rows = cells = 0
    for row in book.get_sheet_by_index(0).iter_rows():
        rows += 1
        cells += sum(1 for cell in row if cell != "")
    print(f"{rows} rows, {cells} non-empty cells")


if __name__ == "__main__":
    main()
