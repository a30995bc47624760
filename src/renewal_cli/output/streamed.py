"""Outputs written piece by piece, as whole-register jobs make them (twopass.py).

Each function gives the same text as the renderer that takes a whole list (jsonfile,
checkfile), in pieces, from an iterator of records that is read once: no output of a national
register is ever held whole. CSV goes through the one CSV writer (csvwriter.py). The tests
(test_streamed_output.py, test_twopass.py) hold each to its list renderer, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from renewal_cli.messages import Lang, text
from renewal_cli.models import Problem, Severity
from renewal_cli.output.checkfile import CHECK_KEYS, check_record, row_heading
from renewal_cli.output.csvfile import neutralise
from renewal_cli.output.csvwriter import CsvEncoding, csv_lines
from renewal_cli.present import describe_problem

PER_CHUNK = 2000
"""Records joined into one piece of output."""


def json_array(lines: Iterable[str], per_chunk: int = PER_CHUNK) -> Iterator[str]:
    """One JSON object a line, framed as an array: `[`, the objects joined by `,` and a line
    break, `]`; `[]` for none (jsonfile.json_chunks's framing)."""
    opened = False
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == per_chunk:
            yield ("[\n" if not opened else ",\n") + ",\n".join(batch)
            opened, batch = True, []
    if batch:
        yield ("[\n" if not opened else ",\n") + ",\n".join(batch)
        opened = True
    yield "\n]\n" if opened else "[]\n"


def check_json(problems: Iterable[Problem], lang: Lang) -> Iterator[str]:
    """checkfile.render_check_json, in pieces."""
    return json_array(json.dumps(check_record(p, lang), ensure_ascii=False) for p in problems)


def check_csv(problems: Iterable[Problem], lang: Lang, *, bom: bool) -> Iterator[bytes]:
    """checkfile.render_check_csv, in pieces (through the one CSV writer)."""

    def cells(problem: Problem) -> list[str]:
        record = check_record(problem, lang)
        return ["" if record[k] is None else neutralise(str(record[k])) for k in CHECK_KEYS]

    return CsvEncoding("utf-8", bom).encode(csv_lines(CHECK_KEYS, map(cells, problems)))


def check_table(problems: Iterable[Problem], lang: Lang) -> Iterator[str]:
    """checkfile.render_check_table, in pieces: the problems by row, then the counts by kind
    and severity (counted as the problems go by)."""
    kinds: dict[tuple[Severity, str], int] = {}
    errors = total = 0

    def lines() -> Iterator[str]:
        nonlocal errors, total
        current: tuple[str, int] | None = None
        for problem in problems:
            where = (problem.source, problem.line)
            if where != current:
                current = where
                yield row_heading(problem, lang) + "\n"
            severity = problem.severity
            mark = text(f"check.{severity.value}", lang)
            yield f"  {mark} {describe_problem(problem, lang, with_place=False)}\n"
            kind = (severity, problem.code.value)
            kinds[kind] = kinds.get(kind, 0) + 1
            errors += severity is Severity.ERROR
            total += 1
        if not total:
            yield text("check.none", lang) + "\n"
            return
        yield "\n"
        for (severity, code), count in sorted(
            kinds.items(), key=lambda kv: (kv[0][0] != Severity.ERROR, -kv[1])
        ):
            kind_name = text(f"check.code.{code}", lang)
            severity_name = text(f"check.{severity.value}", lang)
            yield text("check.count", lang, kind=kind_name, count=count, severity=severity_name)
            yield "\n"
        yield text("check.total", lang, errors=errors, warnings=total - errors) + "\n"

    return _batched(lines())


def _batched(lines: Iterable[str], per_chunk: int = PER_CHUNK) -> Iterator[str]:
    """Lines joined into pieces of `per_chunk`."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == per_chunk:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)
