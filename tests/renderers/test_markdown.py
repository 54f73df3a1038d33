"""The Markdown renderer: our own reader reads its output back to the same CV, in order."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import tailor
from tailor.cv.layout import section_titles
from tailor.renderers import render_bytes
from tests.conftest import CVS, EXAMPLES, TEXT_CVS, cv_from_markdown

JORDAN = EXAMPLES / "jordan-reyes.md"
SOURCES = TEXT_CVS
IDS = [path.name for path in SOURCES]


@cache
def _round_trip(path: Path) -> tuple[tailor.CV, tailor.CV]:
    """The CV as loaded, and as read back from its Markdown rendering (not to be mutated)."""
    cv = tailor.load_cv(path)
    return cv, tailor.read_cv(render_bytes(cv, "md"), name="cv.md")


def _headings(markdown: str) -> list[str]:
    return re.findall(r"^## (.+)$", markdown, flags=re.MULTILINE)


# -- round trip, field by field --------------------------------------------------------------


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_work_entries_round_trip(path: Path) -> None:
    cv, back = _round_trip(path)

    def roles(source: tailor.CV) -> list[tuple[str | None, ...]]:
        return [(w.position, w.name, w.start_date, w.end_date, w.location) for w in source.work]

    assert roles(back) == roles(cv)


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_bullets_round_trip_in_order(path: Path) -> None:
    cv, back = _round_trip(path)
    bullets = [bullet.text for bullet in cv.bullets()]
    assert bullets
    assert [bullet.text for bullet in back.bullets()] == bullets
    assert [[b.text for b in w.highlights] for w in back.work] == [
        [b.text for b in w.highlights] for w in cv.work
    ]


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_education_round_trips(path: Path) -> None:
    cv, back = _round_trip(path)

    def schools(source: tailor.CV) -> list[tuple[str | None, ...]]:
        return [
            (e.institution, e.study_type, e.area, e.start_date, e.end_date)
            for e in source.education
        ]

    assert schools(back) == schools(cv)


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_skills_round_trip(path: Path) -> None:
    cv, back = _round_trip(path)
    assert [(s.name, s.keywords) for s in back.skills] == [(s.name, s.keywords) for s in cv.skills]


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_projects_round_trip(path: Path) -> None:
    cv, back = _round_trip(path)

    def projects(source: tailor.CV) -> list[tuple[str | None, list[str]]]:
        return [(p.name, [b.text for b in p.highlights]) for p in source.projects]

    assert projects(back) == projects(cv)


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_basics_round_trip(path: Path) -> None:
    cv, back = _round_trip(path)

    def basics(source: tailor.CV) -> tuple[str | None, ...]:
        b = source.basics
        return (b.name, b.email, b.phone, b.url)

    assert cv.basics.name
    assert basics(back) == basics(cv)


def _additional(cv: tailor.CV) -> Any:
    return (cv.model_extra or {}).get("additionalSections")


WITH_ADDITIONAL = [path for path in SOURCES if _additional(_round_trip(path)[0])]


def test_some_sources_have_additional_sections() -> None:
    assert CVS / "long.md" in WITH_ADDITIONAL


@pytest.mark.parametrize("path", WITH_ADDITIONAL, ids=[p.name for p in WITH_ADDITIONAL])
def test_additional_sections_round_trip(path: Path) -> None:
    cv, back = _round_trip(path)
    assert _additional(back) == _additional(cv)


# -- section order ---------------------------------------------------------------------------


def test_sections_follow_the_given_order_then_the_rest() -> None:
    cv = tailor.load_cv(JORDAN)
    markdown = render_bytes(cv, "md", ["skills", "education", "work", "projects"]).decode()
    assert _headings(markdown) == [
        "Skills",
        "Education",
        "Experience",
        "Selected Projects",
        "Summary",
        "Publications",
        "Awards",
        "Languages",
    ]
    # reordered, the content is still all there
    back = tailor.read_cv(markdown.encode(), name="cv.md")
    assert [b.text for b in back.bullets()] == [b.text for b in cv.bullets()]


def test_without_an_order_the_source_order_is_kept() -> None:
    markdown = render_bytes(tailor.load_cv(JORDAN), "md").decode()
    source = JORDAN.read_text(encoding="utf-8")
    assert _headings(markdown) == _headings(source)


def test_a_tailored_cv_renders_in_its_own_section_order(tmp_path: Path) -> None:
    cv = tailor.load_cv(JORDAN)
    tailored = tailor.rewrite(cv, "startup")
    titles = section_titles(tailored.cv)
    source_headings = _headings(JORDAN.read_text(encoding="utf-8"))
    expected = [titles[kind] for kind in tailored.section_order]
    assert expected != source_headings  # the target reorders, or this test proves nothing

    written = tailor.render(tailored, tmp_path / "x.md")
    assert written == tmp_path / "x.md"
    markdown = written.read_text(encoding="utf-8")
    assert _headings(markdown) == expected
    back = tailor.read_cv(markdown.encode(), name="cv.md")
    assert [b.text for b in back.bullets()] == [b.text for b in tailored.cv.bullets()]


def test_an_explicit_order_wins_over_the_tailored_one(tmp_path: Path) -> None:
    tailored = tailor.rewrite(tailor.load_cv(JORDAN), "startup")
    written = tailor.render(tailored, tmp_path / "x.md", section_order=["languages", "awards"])
    assert _headings(written.read_text(encoding="utf-8"))[:2] == ["Languages", "Awards"]


# -- links -----------------------------------------------------------------------------------


def test_contact_and_project_links_are_markdown_links() -> None:
    markdown = render_bytes(tailor.load_cv(JORDAN), "md").decode()
    header = markdown.splitlines()[2]
    assert "[jordanreyes.example.com](https://jordanreyes.example.com)" in header
    assert "[github.com/jordan-reyes-example](https://github.com/jordan-reyes-example)" in header
    assert "jordan.reyes@example.com" in header
    assert (
        "[github.com/jordan-reyes-example/driftwatch]"
        "(https://github.com/jordan-reyes-example/driftwatch)" in markdown
    )


def test_a_link_in_a_bullet_stays_a_markdown_link() -> None:
    cv = cv_from_markdown(
        "# Ada Example\n\nada@example.com\n\n## Experience\n\n"
        "### Engineer — Acme\n\n*Jan 2020 – Present*\n\n"
        "- Maintainer of [fsdp-recipes](https://github.com/ada-example/fsdp-recipes), 1,700 stars.\n"
    )
    markdown = render_bytes(cv, "md").decode()
    assert (
        "- Maintainer of [fsdp-recipes](https://github.com/ada-example/fsdp-recipes), 1,700 stars."
        in markdown.splitlines()
    )
