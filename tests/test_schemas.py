"""The JSON Schemas shipped in the package (renewal_cli/schemas/) describe the JSON records the
commands write: keys, types and value lists, and every document the tests render is checked
against them (tests/schemacheck.py), which can fail."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import renewal_cli
import schemacheck
from conftest import GOLDEN, run
from renewal_cli.models import (
    RECORD_KEYS,
    Action,
    Flag,
    Kind,
    ProblemCode,
    Scheme,
    Severity,
    Status,
)
from renewal_cli.output import checkfile, streamed
from renewal_cli.output.checkfile import CHECK_KEYS
from renewal_cli.yearend import SUMMARY_KEYS

ROOT = Path(__file__).parent.parent
AS_OF = date(2024, 9, 10)
KINDS = schemacheck.KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_each_schema_is_a_draft_2020_12_schema(kind: str) -> None:
    schema = schemacheck.schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert schema["required"] == list(schema["properties"])


@pytest.mark.parametrize(
    ("kind", "keys"),
    [
        pytest.param("due-item", list(RECORD_KEYS), id="due-item"),
        pytest.param("check-problem", list(CHECK_KEYS), id="check-problem"),
        pytest.param("summary-row", [*SUMMARY_KEYS, "plan_year", "plan_used"], id="summary-row"),
    ],
)
def test_a_schema_names_the_records_keys_in_order(kind: str, keys: list[str]) -> None:
    assert list(schemacheck.schema(kind)["properties"]) == keys


def test_the_holder_schema_names_the_holder_records_keys() -> None:
    (holder, *_) = renewal_cli.due(as_of=AS_OF).holders()
    assert list(schemacheck.schema("holder-row")["properties"]) == list(holder.record())


def _values_at(kind: str, path: tuple[str, ...]) -> list[str]:
    node: Any = schemacheck.schema(kind)["properties"]
    for step in path:
        node = node[step]
    return list(node["enum"])


@pytest.mark.parametrize(
    ("kind", "path", "enum"),
    [
        pytest.param("due-item", ("scheme",), Scheme, id="due-scheme"),
        pytest.param("due-item", ("status",), Status, id="due-status"),
        pytest.param("due-item", ("action",), Action, id="due-action"),
        pytest.param("due-item", ("kind",), Kind, id="due-kind"),
        pytest.param("due-item", ("flags", "items"), Flag, id="due-flags"),
        pytest.param("check-problem", ("severity",), Severity, id="check-severity"),
        pytest.param("check-problem", ("code",), ProblemCode, id="check-code"),
        pytest.param("holder-row", ("kinds", "items"), Kind, id="holder-kinds"),
        pytest.param("holder-row", ("statuses", "items"), Status, id="holder-statuses"),
    ],
)
def test_a_schemas_value_list_is_the_enums(
    kind: str, path: tuple[str, ...], enum: type[StrEnum]
) -> None:
    """A value added in code and not in the schema (or the reverse) fails here."""
    assert _values_at(kind, path) == [member.value for member in enum]


# --- The check of every rendered document is wired, and can fail ------------------------------

COMMANDS = [
    pytest.param("due-item", ["due", "--all"], id="due"),
    pytest.param("due-item", ["due", "--city", "百色"], id="due-city"),
    pytest.param("check-problem", ["check", "examples/untidy_register.csv"], id="check"),
    pytest.param("summary-row", ["summary", "--by", "county"], id="summary"),
    pytest.param("holder-row", ["due", "--by-holder"], id="by-holder"),
]


def _rendered_by(runner: Any, args: list[str]) -> list[tuple[str, str]]:
    """The documents `renewal ARGS --format json` rendered, as the schema check keeps them."""
    schemacheck.rendered.clear()
    result = run(runner, *args, "--as-of", AS_OF.isoformat(), "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    found = list(schemacheck.rendered)
    assert [json.loads(document) for _, document in found] == [json.loads(result.stdout)]
    return found


@pytest.mark.parametrize(("kind", "args"), COMMANDS)
def test_what_a_command_writes_is_kept_and_fits(
    runner: Any, monkeypatch: pytest.MonkeyPatch, kind: str, args: list[str]
) -> None:
    monkeypatch.chdir(ROOT)
    ((found_kind, document),) = _rendered_by(runner, args)
    assert found_kind == kind
    assert json.loads(document)  # records to check
    assert schemacheck.faults(kind, document) == []


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda record: record.pop(key)


def _put(key: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda record: record.__setitem__(key, value)


BREAKS = [
    pytest.param("due-item", ["due", "--all"], _drop("file_by"), "'file_by' is a required", id="due-key-gone"),
    pytest.param("due-item", ["due", "--all"], _put("owner", "x"), "'owner' was unexpected", id="due-key-added"),
    pytest.param("due-item", ["due", "--all"], _put("status", "overdue"), "'overdue' is not one of", id="due-status-unknown"),
    pytest.param("due-item", ["due", "--all"], _put("file_by", "2024-02-30"), "is not a 'date'", id="due-date-impossible"),
    pytest.param("due-item", ["due", "--all"], _put("file_by", "2024/05/01"), "does not match", id="due-date-spelling"),
    pytest.param("due-item", ["due", "--all"], _put("days_left", "12"), "is not of type 'integer'", id="due-days-text"),
    pytest.param("due-item", ["due", "--all"], _put("flags", ["next_h1", "next_h1"]), "non-unique", id="due-flags-repeated"),
    pytest.param("check-problem", ["check", "examples/untidy_register.csv"], _put("column", "b"), "does not match", id="check-column"),
    pytest.param("check-problem", ["check", "examples/untidy_register.csv"], _put("line", -1), "less than the minimum", id="check-line"),
    pytest.param("summary-row", ["summary"], _put("valid_dec31", None), "is not of type 'integer'", id="summary-count-null"),
    pytest.param("summary-row", ["summary"], _drop("plan_used"), "'plan_used' is a required", id="summary-plan-gone"),
    pytest.param("holder-row", ["due", "--by-holder"], _put("items", 0), "less than the minimum", id="holder-no-items"),
    pytest.param("holder-row", ["due", "--by-holder"], _put("kinds", ["renewal", 3]), "3 is not one of", id="holder-kind"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "args", "change", "said"), BREAKS)
def test_a_record_that_breaks_its_schema_is_caught(
    runner: Any,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    args: list[str],
    change: Callable[[dict[str, Any]], None],
    said: str,
) -> None:
    """A real document with one record changed no longer fits, and the fault names it."""
    monkeypatch.chdir(ROOT)
    ((_, document),) = _rendered_by(runner, args)
    records = json.loads(document)
    broken = copy.deepcopy(records)
    change(broken[-1])
    assert schemacheck.faults(kind, json.dumps(records, ensure_ascii=False)) == []
    faults = schemacheck.faults(kind, json.dumps(broken, ensure_ascii=False))
    assert faults
    assert all(fault.startswith(f"record {len(records) - 1}, ") for fault in faults)
    assert any(said in fault for fault in faults)


@pytest.mark.parametrize(
    ("document", "fault"),
    [
        pytest.param('{"file": "a.csv"}', "not an array: dict", id="object"),
        pytest.param("[\n{}", "not JSON", id="cut-short"),
    ],
)
def test_a_document_that_is_not_an_array_of_records_is_caught(document: str, fault: str) -> None:
    (found,) = schemacheck.faults("check-problem", document)
    assert found.startswith(fault)


def test_a_test_whose_output_breaks_its_schema_fails(
    runner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole path: a renderer whose record breaks the schema makes the check that ends
    every test raise, naming the kind, the record and the key."""
    monkeypatch.chdir(ROOT)
    real = checkfile.check_record

    def broken(problem: Any, lang: Any) -> dict[str, object]:
        return real(problem, lang) | {"severity": "fatal"}

    # `check` writes its JSON through the streamed renderer, which holds its own reference.
    monkeypatch.setattr(checkfile, "check_record", broken)
    monkeypatch.setattr(streamed, "check_record", broken)
    schemacheck.rendered.clear()
    run(runner, "check", "examples/untidy_register.csv", "--as-of", "2024-06-01", "-f", "json")
    with pytest.raises(AssertionError) as caught:
        schemacheck.verify()
    assert "check-problem: record 0, severity: 'fatal' is not one of" in str(caught.value)
    assert schemacheck.rendered == []  # forgotten: this test itself ends clean


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.glob("*.json")))
def test_the_golden_json_fits(name: str) -> None:
    assert name == "due.json"  # the one JSON golden file; another needs its kind here
    assert schemacheck.faults("due-item", (GOLDEN / name).read_text("utf-8")) == []
