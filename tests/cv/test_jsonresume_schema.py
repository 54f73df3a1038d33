"""Any document valid under the official JSON Resume schema loads with all it holds.

The schema is `tests/data/jsonresume-schema.json`, saved verbatim from jsonresume/resume-schema
(see tests/data/README.md). Documents are generated from that file, checked against it with
jsonschema, serialised to JSON bytes and read with `tailor.read_cv`. A document must then either
load, with every value it holds still at the same path in `to_json_resume()` (fields tailor does
not model included), or, when none of JSON Resume's own sections holds anything, be refused
with a `UserError` ("no CV sections found").

Why not `hypothesis_jsonschema.from_schema`: its latest release (0.23.1, and its main branch)
calls `many.more()` from Hypothesis' private internals, which Hypothesis 6.165.10 still had and
6.170.17 no longer has, so it fails on any object schema with "AttributeError: 'many' object has
no attribute 'more'". The small generator below covers exactly the keywords this schema uses and
refuses any other, so a new keyword in a future schema fails loudly instead of being ignored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import event, given, note, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import tailor

DATA = Path(__file__).resolve().parent.parent / "data"
SCHEMA_PATH = DATA / "jsonresume-schema.json"
SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR_CLASS = jsonschema.validators.validator_for(SCHEMA)  # Draft 7, as the schema declares
VALIDATOR = VALIDATOR_CLASS(SCHEMA, format_checker=VALIDATOR_CLASS.FORMAT_CHECKER)

NOT_SECTIONS = ("$schema", "meta")  # top-level keys that alone do not make a CV
PASSED_THROUGH = {"$schema"}  # declared by the schema but kept by tailor as an extra field

# --- documents from the schema -------------------------------------------------------------

# Keywords that only annotate: they constrain nothing, so the generator may ignore them.
_ANNOTATIONS = {"$schema", "$id", "title", "description", "definitions"}
# `additionalItems` only applies when `items` is a list of schemas, never the case here.
_HANDLED = {"type", "properties", "additionalProperties", "items", "additionalItems"}
_HANDLED |= {"pattern", "format", "$ref"}

_KEYS = st.text(max_size=12)
_TEXT = st.text(max_size=40)
_ANY_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
    max_leaves=6,
)
_URIS = st.builds(
    "{}://{}.example.{}/{}".format,
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True),
    st.sampled_from(["com", "org", "edu"]),
    st.from_regex(r"[A-Za-z0-9_~.@-]{0,16}", fullmatch=True),
)
_FORMATS = {"uri": _URIS, "email": st.emails()}


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        assert node["$ref"].startswith("#/"), node["$ref"]
        target: Any = SCHEMA
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


def from_schema(node: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A strategy for the instances of `node`, one subschema of the JSON Resume schema."""
    node = _resolve(node)
    unknown = set(node) - _HANDLED - _ANNOTATIONS
    assert not unknown, f"the generator does not know the keywords {sorted(unknown)}"
    kind = node["type"]
    if kind == "string":
        if "pattern" in node:
            return st.from_regex(node["pattern"], fullmatch=True)
        return _FORMATS[node["format"]] if "format" in node else _TEXT
    if kind == "array":
        return st.lists(from_schema(node["items"]), max_size=3)
    assert kind == "object", kind
    properties = node.get("properties", {})
    declared = st.fixed_dictionaries(
        {}, optional={key: from_schema(sub) for key, sub in properties.items()}
    )
    if node.get("additionalProperties", True) is not True:
        return declared
    extras = st.dictionaries(_KEYS.filter(lambda key: key not in properties), _ANY_JSON, max_size=2)
    return st.builds(lambda known, extra: {**extra, **known}, declared, extras)


DOCUMENTS = from_schema(SCHEMA).filter(VALIDATOR.is_valid)

# --- comparing a document with what tailor gives back ------------------------------------


def _hollow(value: Any) -> bool:
    """True for values `to_json_resume()` may drop: None, [] and objects holding only those."""
    if isinstance(value, dict):
        return all(_hollow(item) for item in value.values())
    return value is None or value == []


def assert_kept(document: Any, output: Any, path: str = "$") -> None:
    """Every value of `document` is in `output` at the same path, and nothing else is there."""
    if isinstance(document, dict):
        assert isinstance(output, dict), f"{path}: {output!r} is not an object"
        for key, value in document.items():
            if key not in output:
                assert _hollow(value), f"{path}.{key} was lost (it held {value!r})"
                continue
            assert_kept(value, output[key], f"{path}.{key}")
        invented = set(output) - set(document)
        assert not invented, f"{path}: keys {sorted(invented)} are not in the document"
    elif isinstance(document, list):
        assert isinstance(output, list), f"{path}: {output!r} is not a list"
        assert len(output) == len(document), f"{path}: {len(output)} items, not {len(document)}"
        for index, (item, out) in enumerate(zip(document, output, strict=True)):
            assert_kept(item, out, f"{path}[{index}]")
    else:  # type too: True is not 1, "1" is not 1, 1.0 is not 1
        assert type(output) is type(document) and output == document, (
            f"{path}: {output!r} is not {document!r}"
        )


def assert_typed(model: BaseModel, document: dict[str, Any], node: dict[str, Any]) -> None:
    """Each property the schema declares lands in the model's own field, not in its extras."""
    node = _resolve(node)
    fields = {info.alias or name: name for name, info in type(model).model_fields.items()}
    for key, sub in node.get("properties", {}).items():
        if key not in document or key in PASSED_THROUGH:
            continue
        assert key in fields, f"{type(model).__name__} has no field for {key!r}"
        assert key not in (model.model_extra or {}), f"{key!r} was kept as an extra field"
        value, sub = getattr(model, fields[key]), _resolve(sub)
        if sub["type"] == "object" and isinstance(value, BaseModel):
            assert_typed(value, document[key], sub)
        elif sub["type"] == "array":
            assert len(value) == len(document[key]), f"{key}: {len(value)} items"
            for entry, raw in zip(value, document[key], strict=True):
                if isinstance(entry, BaseModel) and isinstance(raw, dict):
                    assert_typed(entry, raw, sub["items"])


def has_section(document: dict[str, Any]) -> bool:
    """The rule for "is there a CV to read": one of JSON Resume's own sections holds something.

    `$schema`, `meta` and keys the schema does not define are kept when a CV loads, but a
    document of nothing else is no CV (`{"x": "hi"}` is refused).
    """
    sections = set(SCHEMA["properties"]) - set(NOT_SECTIONS)
    return any(document.get(key) for key in sections)


# --- the property --------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(document=DOCUMENTS, ascii_only=st.booleans())
def test_every_valid_document_loads_with_everything_it_holds(
    document: dict[str, Any], ascii_only: bool
) -> None:
    text = json.dumps(document, ensure_ascii=ascii_only, indent=2)
    note(f"cv.json:\n{text}")

    if not has_section(document):
        event("refused: no CV sections")
        with pytest.raises(tailor.UserError, match="no CV sections found"):
            tailor.read_cv(text.encode("utf-8"), name="cv.json")
        return
    event("loaded")
    cv = tailor.read_cv(text.encode("utf-8"), name="cv.json")
    assert_kept(document, cv.to_json_resume())
    assert_typed(cv, document, SCHEMA)


def test_the_generator_makes_valid_documents() -> None:
    """The generator follows the schema on its own; the filter on DOCUMENTS is only a guard."""

    @settings(max_examples=50, deadline=None)
    @given(from_schema(SCHEMA))
    def check(document: dict[str, Any]) -> None:
        errors = [error.message for error in VALIDATOR.iter_errors(document)]
        assert not errors, errors

    check()


# --- the full fixture ----------------------------------------------------------------------

FULL = DATA / "cvs" / "jsonresume-full.json"
SECTIONS = [
    "work", "volunteer", "education", "awards", "certificates", "publications", "skills",
    "languages", "interests", "references", "projects",
]  # fmt: skip


def test_full_fixture_is_valid_and_loads_every_section() -> None:
    document = json.loads(FULL.read_text(encoding="utf-8"))
    errors = [f"{error.json_path}: {error.message}" for error in VALIDATOR.iter_errors(document)]
    assert not errors, errors
    assert set(SECTIONS) | {"basics", "meta"} <= set(document)

    cv = tailor.load_cv(FULL)
    for section in SECTIONS:
        assert len(getattr(cv, section)) == len(document[section]) > 0, section
    assert len(cv.basics.profiles) == len(document["basics"]["profiles"])
    assert [len(entry.highlights) for entry in cv.work] == [
        len(entry["highlights"]) for entry in document["work"]
    ]

    output = cv.to_json_resume()
    assert output["basics"]["x-notes"] == document["basics"]["x-notes"]
    assert output["work"][0]["team"] == document["work"][0]["team"]
    assert output["projects"][0]["x-visibility"] == document["projects"][0]["x-visibility"]
    assert output["meta"]["x-purpose"] == document["meta"]["x-purpose"]
    assert_kept(document, output)
    assert_typed(cv, document, SCHEMA)


# --- valid documents that once lost data ------------------------------------------------

EDGE_CASES = {
    # Unknown keys spelled like a field's Python name must not be read as that field (they were
    # while documents were validated by name as well as by alias): renamed, coerced, rejected.
    "start_date": {"work": [{"name": "Acme", "start_date": "spring 2020"}]},
    "postal_code": {"basics": {"name": "Ines", "location": {"postal_code": 2110}}},
    "study_type": {"education": [{"institution": "MIT", "study_type": ["BSc", "MSc"]}]},
    # A top-level `origin` key is the user's, not tailor's record of the file (it was rejected
    # when not an object, and dropped when it was one).
    "origin-string": {"basics": {"name": "Ines"}, "origin": "LinkedIn export"},
    "origin-object": {"basics": {"name": "Ines"}, "origin": {"format": "linkedin"}},
    # A raw soft hyphen (U+00AD) in a UTF-8 JSON file is part of the value (it was stripped).
    "soft-hyphen": {
        "basics": {"name": "Ines", "summary": "Co\u00adauthored the eval\u00adu\u00adation"}
    },
}


@pytest.mark.parametrize("document", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_valid_edge_cases_keep_every_value(document: dict[str, Any]) -> None:
    assert VALIDATOR.is_valid(document)
    data = json.dumps(document, ensure_ascii=False).encode("utf-8")
    cv = tailor.read_cv(data, name="cv.json")
    assert_kept(document, cv.to_json_resume())
    assert_typed(cv, document, SCHEMA)
