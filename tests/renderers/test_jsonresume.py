"""The JSON Resume renderer: valid under the official schema, and read back to the same CV."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import tailor
from tailor.renderers import render_bytes
from tailor.renderers.jsonresume import SCHEMA_URL
from tests.conftest import EXAMPLES, TEXT_CVS

SCHEMA: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parent.parent / "data" / "jsonresume-schema.json").read_text(
        encoding="utf-8"
    )
)
VALIDATOR_CLASS = jsonschema.validators.validator_for(SCHEMA)
VALIDATOR = VALIDATOR_CLASS(SCHEMA, format_checker=VALIDATOR_CLASS.FORMAT_CHECKER)

SOURCES = TEXT_CVS
IDS = [path.name for path in SOURCES]


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_output_is_valid_json_resume(path: Path) -> None:
    document = json.loads(render_bytes(tailor.load_cv(path), "json"))
    errors = [f"{error.json_path}: {error.message}" for error in VALIDATOR.iter_errors(document)]
    assert not errors, errors
    assert document["basics"]["name"]
    # bullets are plain strings, with no provenance
    for entry in document.get("work", []):
        assert all(isinstance(line, str) for line in entry.get("highlights", []))


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_reading_it_back_gives_the_same_cv(path: Path) -> None:
    cv = tailor.load_cv(path)
    back = tailor.read_cv(render_bytes(cv, "json"), name="cv.json")
    source = cv.to_json_resume()
    # the only addition is the `$schema` key, when the source had none of its own
    assert back.to_json_resume() == {"$schema": SCHEMA_URL, **source}
    assert [b.text for b in back.bullets()] == [b.text for b in cv.bullets()]


def test_it_carries_a_schema_key_first() -> None:
    document = json.loads(render_bytes(tailor.load_cv(EXAMPLES / "jordan-reyes.md"), "json"))
    assert next(iter(document)) == "$schema"
    assert document["$schema"] == SCHEMA_URL
    assert SCHEMA_URL.startswith("https://") and SCHEMA_URL.endswith("/schema.json")


def test_a_sources_own_schema_key_is_kept() -> None:
    cv = tailor.read_cv(
        json.dumps(
            {"$schema": "https://example.com/my-schema.json", "basics": {"name": "Ada"}}
        ).encode(),
        name="cv.json",
    )
    document = json.loads(render_bytes(cv, "json"))
    assert document["$schema"] == "https://example.com/my-schema.json"
    assert list(document).count("$schema") == 1


def test_text_is_utf8_not_escaped_and_section_order_is_ignored() -> None:
    cv = tailor.load_cv(EXAMPLES / "jordan-reyes.md")
    cv.basics.name = "Zoë Ångström"
    data = render_bytes(cv, "json")
    assert "Zoë Ångström".encode() in data
    assert b"\\u00eb" not in data
    assert data.endswith(b"}\n")
    assert render_bytes(cv, "json", ["skills", "education"]) == data
