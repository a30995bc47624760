"""`renewal check` output: problems grouped by row (table), or one object per problem (JSON)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from renewal_cli.messages import Lang, text
from renewal_cli.models import Problem, Severity
from renewal_cli.present import describe_problem

CHECK_KEYS = ("file", "line", "column", "value", "severity", "code", "message")


def check_record(problem: Problem, lang: Lang) -> dict[str, object]:
    return {
        "file": problem.source,
        "line": problem.line,
        "column": problem.letter or None,
        "value": problem.value,
        "severity": problem.severity.value,
        "code": problem.code.value,
        "message": describe_problem(problem, lang, with_place=False),
    }


def render_check_json(problems: Sequence[Problem], lang: Lang) -> str:
    if not problems:
        return "[]\n"
    lines = ",\n".join(json.dumps(check_record(p, lang), ensure_ascii=False) for p in problems)
    return f"[\n{lines}\n]\n"


def row_heading(problem: Problem, lang: Lang) -> str:
    """The heading of a problem's group in check's table: the file and its line(s), or the file
    alone for a problem of the whole file (a missing file, no header: line 0)."""
    if not problem.line:
        return text("check.file", lang, source=problem.source)
    end = problem.end_line
    lines = problem.line if end is None else f"{problem.line}–{end}"
    return text("check.row", lang, source=problem.source, line=lines)


def render_check_table(problems: Sequence[Problem], lang: Lang) -> str:
    """Problems grouped by file and row, then the counts by kind and severity."""
    if not problems:
        return text("check.none", lang) + "\n"
    out: list[str] = []
    current: tuple[str, int] | None = None
    for problem in problems:
        where = (problem.source, problem.line)
        if where != current:
            current = where
            out.append(row_heading(problem, lang))
        mark = text(f"check.{problem.severity.value}", lang)
        out.append(f"  {mark} {describe_problem(problem, lang, with_place=False)}")
    out.append("")
    kinds = Counter((p.severity, p.code) for p in problems)
    for (severity, code), count in sorted(
        kinds.items(), key=lambda kv: (kv[0][0] != Severity.ERROR, -kv[1])
    ):
        out.append(
            text(
                "check.count",
                lang,
                kind=text(f"check.code.{code.value}", lang),
                count=count,
                severity=text(f"check.{severity.value}", lang),
            )
        )
    errors = sum(p.severity is Severity.ERROR for p in problems)
    out.append(text("check.total", lang, errors=errors, warnings=len(problems) - errors))
    return "\n".join(out) + "\n"


def render_check_csv(problems: Sequence[Problem], lang: Lang, *, bom: bool) -> bytes:
    """One row per problem under the JSON keys, text neutralised as the items' CSV is; UTF-8,
    with a BOM when `bom` (in a file)."""
    from renewal_cli.output.csvfile import neutralise
    from renewal_cli.output.csvwriter import CsvEncoding, csv_text

    def cells(problem: Problem) -> list[str]:
        record = check_record(problem, lang)
        return ["" if record[k] is None else neutralise(str(record[k])) for k in CHECK_KEYS]

    return CsvEncoding("utf-8", bom).encode_text(csv_text(CHECK_KEYS, map(cells, problems)))
