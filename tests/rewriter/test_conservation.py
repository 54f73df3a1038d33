"""Nothing of the user's lost: every piece of a CV is in the tailored output, in every format,
or named in the change log with its reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tailor
from tailor.cv.layout import layout
from tailor.renderers import render_bytes
from tailor.renderers.themes import themes
from tailor.rewriter.conservation import (
    Piece,
    document_text,
    lost,
    missing,
    normal,
    not_shown,
    pieces,
    unlogged,
)
from tailor.rewriter.model import Change
from tests.conftest import EVERY_CV, EXAMPLES, cv_from_markdown
from tests.rendered import loaded, rendered, shown_text, tailored

TARGETS = ("frontier-lab", "production-ml", "startup")
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "real" / "web" / "jsonresume-sample.json"
FULL = Path(__file__).resolve().parents[1] / "data" / "cvs" / "jsonresume-full.json"


def names(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("path", EVERY_CV, ids=names)
def test_every_piece_is_in_the_tailored_document_or_logged(path: Path) -> None:
    source = loaded(path)
    for target in TARGETS:
        result = tailored(path, target)
        shown = document_text(layout(result.cv, result.section_order))
        assert lost(source, result.changes, shown) == [], target


@pytest.mark.parametrize("path", EVERY_CV, ids=names)
@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_every_piece_is_in_each_rendered_format_or_logged(path: Path, fmt: str) -> None:
    source = loaded(path)
    for target in TARGETS:
        result = tailored(path, target)
        shown = shown_text(rendered(path, target, fmt), fmt)
        assert lost(source, result.changes, shown) == [], target


@pytest.mark.parametrize("path", EVERY_CV, ids=names)
@pytest.mark.parametrize("theme", [theme.name for theme in themes()])
def test_every_piece_is_in_the_pdf_or_logged(path: Path, theme: str) -> None:
    source = loaded(path)
    for target in TARGETS if path.parent == EXAMPLES else TARGETS[:1]:
        shown = shown_text(rendered(path, target, "pdf", theme), "pdf")
        assert lost(source, tailored(path, target).changes, shown) == [], target


def test_a_piece_left_out_without_a_word_is_found() -> None:
    source = loaded(EXAMPLES / "jordan-reyes.md")
    result = tailored(EXAMPLES / "jordan-reyes.md", "startup").model_copy(deep=True)
    bullet = result.cv.work[0].highlights.pop()
    shown = document_text(layout(result.cv, result.section_order))
    assert [piece.text for piece in lost(source, result.changes, shown)] == [bullet.text]
    logged = Change(kind="dropped", section="work", quote=bullet.text, reason="for the test")
    assert lost(source, [*result.changes, logged], shown) == []


def test_a_section_dropped_as_a_whole_covers_its_pieces() -> None:
    cv = cv_from_markdown(
        "# Ana Ruiz\n\n## Experience\n\n### Engineer — Firm\n*2020 – 2024*\n\n- Built it.\n"
        "\n## Interests\n\n- Sailing\n- Chess\n"
    )
    without = cv.model_copy(deep=True)
    without.interests = []
    shown = document_text(layout(without))
    assert [p.text for p in lost(cv, [], shown)] == ["Sailing", "Chess"]
    dropped = Change(kind="dropped", section="interests", quote="Interests", reason="to fit")
    assert lost(cv, [dropped], shown) == []
    # a change naming another section does not cover them
    elsewhere = Change(kind="dropped", section="work", quote="Interests", reason="to fit")
    assert len(lost(cv, [elsewhere], shown)) == 2


def test_pieces_read_as_printed() -> None:
    found = {piece.path: piece for piece in pieces(loaded(SAMPLE))}
    assert found["work[0].startDate"].text == "Dec 2013"
    assert found["publications[0].url"].text == "en.wikipedia.org/wiki/silicon_valley_(tv_series)"
    assert found["basics.summary#1"].text.startswith("He has earned degrees")
    assert found["basics.summary#1"].section == "summary"
    assert found["projects[0].roles[1]"].text == "Designer"
    assert "Miss Direction" in found["projects[0].roles[1]"].owners
    twitter = found["basics.profiles[0].network"]
    assert twitter.also == ("neutralthoughts",)
    assert not any(path.startswith(("meta", "$schema")) for path in found)


def test_normal_folds_what_a_format_changes() -> None:
    assert normal("State\u2010of\u2011the\u2013art “model”  ﬁne\u00adtuned") == (
        'state-of-the-art "model" finetuned'
    )
    assert normal("**bold** _x_") == "bold x"


@pytest.mark.parametrize("path", [SAMPLE, FULL], ids=lambda p: p.name)
def test_json_resume_fields_are_shown_except_those_without_a_place(path: Path) -> None:
    """Every field of the schema is shown; a photo, a project's type and fields JSON Resume
    does not define are hidden from the documents, each with its reason."""
    cv = loaded(path)
    changes = not_shown(cv, [])
    hidden = {(c.section, c.quote) for c in changes}
    allowed = {
        ("basics", "https://noor-ha.example.com/photo.jpg"),
        ("basics", "Prefers hybrid roles in Boston; do not drop this field."),
        ("work", "Relevance (6 engineers)"),
        ("projects", "application"),
        ("projects", "library"),
        ("projects", "public"),  # an "x-visibility" field, not the word in "publications"
    }
    assert hidden <= allowed
    assert all(c.kind == "hidden" and "JSON output keeps it" in c.reason for c in changes)


def test_the_sample_renders_every_schema_field() -> None:
    markdown = render_bytes(loaded(SAMPLE), "md").decode()
    for text in (
        "Awesome compression company",  # work description
        "CA 94115",  # postal code
        "Web Development (Master)",  # skill level
        "Roles: Team lead, Designer",
        "Keywords: GoogleMaps, Chrome Extension, Javascript",
        "Miss Direction — Smoogle",  # the project's entity
        "Twitter: neutralthoughts",  # a profile without a link
        "https://www.ou.edu/",  # the school's link
        "http://en.wikipedia.org/wiki/Silicon_Valley_(TV_series)",
    ):
        assert text in markdown, text


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "pdf"])
def test_a_link_with_parentheses_is_kept_whole(fmt: str) -> None:
    result = tailor.rewrite(loaded(SAMPLE), "startup")
    assert result.unsupported == []
    shown = shown_text(render_bytes(result.cv, fmt, result.section_order), fmt)
    assert "en.wikipedia.org/wiki/Silicon_Valley_(TV_series)" in shown


def test_a_rewrite_logs_what_it_hides_and_the_json_keeps_it() -> None:
    result = tailor.rewrite(loaded(FULL), "frontier-lab")
    hidden = [c for c in result.changes if c.kind == "hidden"]
    assert {c.quote for c in hidden} >= {"Relevance (6 engineers)"}
    document = json.loads(result.model_dump_json())["cv"]
    assert document["work"][0]["team"] == "Relevance (6 engineers)"


# -- generated JSON Resumes ---------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "ranking",
        "latency",
        "pipeline",
        "model",
        "serving",
        "Kafka",
        "retrieval",
        "evaluation",
        "cluster",
        "budget",
        "Lisbon",
        "Quantaro",
        "Veldt",
        "Ostrava",
        "throughput",
        "dashboard",
        "migration",
        "ledger",
    ]
)
PHRASE = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)
SENTENCE = st.builds(
    lambda words, number: f"{words.capitalize()} for {number} users.",
    PHRASE,
    st.integers(1, 99_000),
)
PROSE = st.lists(SENTENCE, min_size=1, max_size=3).map(" ".join)
DATE = st.builds(
    lambda year, month: f"{year}-{month:02d}", st.integers(2005, 2024), st.integers(1, 12)
)
URL = st.builds(lambda a, b: f"https://{a}.example.com/{b}", WORDS, WORDS).map(str.lower)


def optional(**fields: st.SearchStrategy[object]) -> st.SearchStrategy[dict[str, object]]:
    return st.fixed_dictionaries({}, optional=fields)


WORK = optional(
    name=PHRASE,
    position=PHRASE,
    location=PHRASE,
    description=PROSE,
    url=URL,
    startDate=DATE,
    endDate=DATE,
    summary=PROSE,
    highlights=st.lists(SENTENCE, max_size=4),
)
PROJECT = optional(
    name=PHRASE,
    description=PROSE,
    highlights=st.lists(SENTENCE, max_size=3),
    keywords=st.lists(WORDS, max_size=3, unique=True),
    roles=st.lists(PHRASE, max_size=2),
    entity=PHRASE,
    url=URL,
    startDate=DATE,
)
RESUME = st.fixed_dictionaries(
    {
        "basics": optional(
            name=PHRASE,
            label=PHRASE,
            email=st.just("ana@example.com"),
            phone=st.just("+44 20 7946 0000"),
            url=URL,
            summary=PROSE,
            location=optional(city=PHRASE, region=PHRASE, postalCode=st.just("EC1A 1BB")),
            profiles=st.lists(optional(network=WORDS, username=WORDS, url=URL), max_size=2),
        ),
        "work": st.lists(WORK, min_size=1, max_size=3),
    },
    optional={
        "projects": st.lists(PROJECT, max_size=2),
        "volunteer": st.lists(
            optional(organization=PHRASE, position=PHRASE, summary=PROSE, url=URL), max_size=2
        ),
        "education": st.lists(
            optional(
                institution=PHRASE,
                area=PHRASE,
                studyType=PHRASE,
                url=URL,
                endDate=DATE,
                score=st.just("3.9"),
                courses=st.lists(PHRASE, max_size=2),
            ),
            max_size=2,
        ),
        "skills": st.lists(
            optional(name=PHRASE, level=WORDS, keywords=st.lists(WORDS, max_size=4, unique=True)),
            max_size=3,
        ),
        "awards": st.lists(optional(title=PHRASE, awarder=PHRASE, date=DATE), max_size=2),
        "certificates": st.lists(optional(name=PHRASE, issuer=PHRASE, url=URL), max_size=2),
        "publications": st.lists(
            optional(name=PHRASE, publisher=PHRASE, releaseDate=DATE, url=URL), max_size=2
        ),
        "languages": st.lists(optional(language=WORDS, fluency=WORDS), max_size=2),
        "interests": st.lists(
            optional(name=WORDS, keywords=st.lists(WORDS, max_size=2)), max_size=2
        ),
        "references": st.lists(optional(name=PHRASE, reference=PROSE), max_size=1),
    },
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=RESUME, target=st.sampled_from(TARGETS))
def test_a_generated_resume_loses_nothing_in_any_format(
    document: dict[str, object], target: str
) -> None:
    source = tailor.read_cv(json.dumps(document).encode(), name="cv.json")
    result = tailor.rewrite(source, target)
    for fmt in ("md", "html", "docx"):
        shown = shown_text(render_bytes(result.cv, fmt, result.section_order), fmt)
        assert lost(source, result.changes, shown) == [], fmt


def test_the_checks_find_what_they_should() -> None:
    piece = Piece("work[0].name", "work", "Quantaro", "Quantaro", ("Experience",))
    assert missing([piece], "at QUANTARO since") == []
    assert missing([piece], "at Quantar since") == [piece]
    section_drop = Change(kind="dropped", section="work", quote="Experience", reason="x")
    moved = Change(kind="moved", section="work", quote="Quantaro", reason="x")
    assert unlogged([piece], [section_drop]) == []
    assert unlogged([piece], [moved]) == [piece]  # a move is not a reason to lose it


@pytest.mark.parametrize(
    ("skill", "shown", "found"),
    [
        ("R", "Skills: Python, R, SQL", True),
        ("R", "Built reporting in Python", False),
        ("Go", "Worked at Google", False),
        ("C", "Skills: C++, Go", False),
        ("C", "Skills: C#, Go", False),
        ("C++", "Skills: C++, Go", True),
        ("Node.js", "Skills: Node.js.", True),
    ],
)
def test_a_piece_shows_only_as_words_of_its_own(skill: str, shown: str, found: bool) -> None:
    piece = Piece("skills[0].keywords[0]", "skills", skill, skill)
    assert (missing([piece], shown) == []) is found


def test_an_entrys_own_link_may_stand_behind_its_name() -> None:
    """A PDF sets a project's link behind its name: that address counts where it stands; any
    other link, one with a label of its own, and the text around any link must show in place."""

    def piece(text: str, url: str | None = "https://b.example/x") -> Piece:
        return Piece(
            path="projects[0].description",
            section="projects",
            value=text,
            text=text,
            entry_url=url,
        )

    own = piece("A batching library. [b.example/x](https://b.example/x)")
    assert missing([own], "A batching library.\nhttps://b.example/x") == []
    # not the entry's own link, or no entry link at all: the address must show in the line
    other = piece("Maintained [b.example/lib](https://b.example/lib)")
    shown = "Maintained the CI pipeline\nlib (https://b.example/lib)"
    assert missing([other], shown) == [other]
    assert missing([piece(own.text, url=None)], "A batching library.\nhttps://b.example/x")
    inside = piece("Released [b.example/x](https://b.example/x) to 300 teams")
    assert missing([inside], "Released to 300 teams\nhttps://b.example/x") == [inside]
    labelled = piece("Core maintainer of [batchwise](https://b.example), a batching library")
    assert missing([labelled], "Core maintainer of , a batching library\nhttps://b.example")
    assert (
        missing([labelled], "Core maintainer of batchwise, a batching library\nhttps://b.example")
        == []
    )


def test_an_address_a_reader_wrote_after_a_label_stands_apart() -> None:
    """tailor's PDF and DOCX readers write a link's address after its label ("fsdp
    (https://…), a collection"): the sentence still shows, and so does a written address in
    brackets; a word gone is still found missing."""

    def piece(text: str) -> Piece:
        return Piece(path="projects[0].highlights[0]", section="projects", value=text, text=text)

    linked = piece("Maintainer of [fsdp](https://g.example/f), a collection of configs.")
    shown = "Maintainer of fsdp (https://g.example/f), a collection of configs."
    assert missing([linked], shown) == []
    assert missing([linked], shown.replace("fsdp ", "")) == [linked]
    assert missing([linked], "Maintainer of fsdp, a collection of configs.") == [linked]
    written = piece("Code at (https://g.example/f) for all.")
    assert missing([written], "Code at (https://g.example/f) for all.") == []
