"""The library's public functions check what they are given: a wrong type is a TypeError
naming the parameter, never an AttributeError from deep inside; a path works where a CV
is expected."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import tailor
from tests.conftest import EXAMPLES

CV_PATH = EXAMPLES / "casey-morgan.md"


@pytest.mark.parametrize("function", [tailor.critique, tailor.rewrite, tailor.prep])
def test_a_cv_may_be_given_as_a_path(function: Any) -> None:
    from_path = function(str(CV_PATH), "startup")
    from_model = function(tailor.load_cv(CV_PATH), "startup")
    assert from_path.model_dump() == from_model.model_dump()
    assert function(CV_PATH, "startup").model_dump() == from_model.model_dump()


@pytest.mark.parametrize("function", [tailor.critique, tailor.rewrite, tailor.prep])
@pytest.mark.parametrize(
    ("arguments", "parameter"),
    [((None,), "cv"), ((b"# cv",), "cv"), ((CV_PATH, 5), "target"), ((CV_PATH, ["lab"]), "target")],
)
def test_wrong_types_name_the_parameter(
    function: Any, arguments: tuple[Any, ...], parameter: str
) -> None:
    with pytest.raises(TypeError, match=rf"^{function.__name__}: {parameter} must be"):
        function(*arguments)


def test_a_wrong_posting_names_the_parameter() -> None:
    with pytest.raises(TypeError, match=r"^critique: posting must be"):
        tailor.critique(CV_PATH, "startup", posting=42)
    with pytest.raises(TypeError, match=r"^load_posting: path must be"):
        tailor.load_posting(None)  # type: ignore[arg-type]


def test_readers_name_what_they_expected() -> None:
    with pytest.raises(TypeError, match=r"^read_cv: data must be bytes, not str; pass text.encode"):
        tailor.read_cv("text", name="a.md")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^read_cv: data must be bytes, not NoneType"):
        tailor.read_cv(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^load_cv: path must be a str or Path, not int"):
        tailor.load_cv(3)  # type: ignore[arg-type]
    with pytest.raises(tailor.UserError, match="unknown CV format 'docs'"):
        tailor.read_cv(b"# A", fmt="docs")


def test_render_checks_its_arguments() -> None:
    cv = tailor.load_cv(CV_PATH)
    with pytest.raises(TypeError, match=r"^render: cv must be a CV, TailoredCV or Letter, not str"):
        tailor.render("cv.md", "out.md")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^render: path must be a str or Path, not NoneType"):
        tailor.render(cv, None)  # type: ignore[arg-type]


def test_render_never_replaces_the_file_the_cv_came_from(tmp_path: Path) -> None:
    source = tmp_path / "cv.md"
    shutil.copy(CV_PATH, source)
    before = source.read_bytes()
    tailored = tailor.rewrite(tailor.load_cv(source), "startup")
    with pytest.raises(tailor.UserError, match="is the CV this was read from"):
        tailor.render(tailored, source, overwrite=True)
    (tmp_path / "link.md").symlink_to(source)
    with pytest.raises(tailor.UserError, match="is the CV this was read from"):
        tailor.render(tailored.cv, tmp_path / "link.md", overwrite=True)
    assert source.read_bytes() == before
    written = tailor.render(tailored, tmp_path / "tailored.md")
    assert written.read_bytes() != before
