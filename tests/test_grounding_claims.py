"""The claim check: a rewrite may keep or lower what a line says of the candidate's part, never
raise it ("Contributed to" -> "Led"), nor add a scope or seniority word ("single-handedly",
"company-wide", "Senior") its source does not have."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tailor
from tailor.cv.model import CV
from tailor.grounding import Claim, Violation, check, unsupported_claims, unsupported_in
from tests.conftest import EVERY_CV, cv_from_markdown
from tests.rendered import loaded, tailored

TARGETS = ("frontier-lab", "production-ml", "startup")


def claims(source: str, rewrite: str) -> list[tuple[str, str]]:
    return [(c.kind, c.written) for c in unsupported_claims(rewrite, [source])]


# -- one line and its rewrite -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "rewrite"),
    [
        # as it was
        ("Contributed to the ranking service.", "Contributed to the ranking service."),
        ("Single-handedly built the API.", "Single-handedly built the API."),
        # lower
        ("Led the search team.", "Contributed to the search team."),
        ("Designed the schema.", "Helped design the schema."),
        ("Built the API.", "Worked on the API."),
        ("Led the migration to Spark.", "Built the migration to Spark."),
        ("Single-handedly built the API.", "Built the API."),  # a scope word dropped
        # the same rung in other words
        ("Led the search team.", "Managed the search team."),
        ("Managed the search team.", "Headed the search team."),
        ("Oversaw the migration.", "Spearheaded the migration."),
        ("Directed the research program.", "Supervised the research program."),
        ("Designed the feature store.", "Architected the feature store."),
        ("Owned the feature store.", "Designed the feature store."),
        ("Implemented the API.", "Built the API."),
        ("Wrote the API.", "Shipped the API."),
        ("Developed the API.", "Created the API."),
        ("Helped with the API.", "Assisted with the API."),
        ("Participated in the migration.", "Contributed to the migration."),
        # inflections
        ("Leading the search team.", "Led the search team."),
        ("Lead a team of 4.", "Led a team of 4."),
        ("Manage a team of 4.", "Managed a team of 4."),
        ("Managing a team of 4.", "Managed a team of 4."),
        ("Building the API.", "Built the API."),
        # a line that names no part stands on "built"
        ("Ranking service for 40M users.", "Built the ranking service for 40M users."),
        ("Ranking service for 40M users.", "Implemented the ranking service for 40M users."),
        # a first-rung word that is not the line's own verb does not lower it
        ("Scaled the cluster, which supported 10k QPS.", "Built the cluster for 10k QPS."),
        # a first-rung word governs the verb after it, in the rewrite as in the source
        ("Helped migrate feature pipelines.", "Helped lead the migration of feature pipelines."),
        ("Contributed to the ranking service.", "Contributed to designing the ranking service."),
        # one scope or seniority word for another of its group
        ("Single-handedly built the API.", "Built the API alone."),
        ("Rolled out the tool company-wide.", "Rolled out the tool across the whole company."),
        ("Rolled out the tool org-wide.", "Rolled out the tool organisation-wide."),
        ("Built it from scratch.", "Built it from the ground up."),
        ("Led the search team.", "Search team lead."),  # "lead" is "led" in another tense
        ("Tech lead for search.", "Led search."),  # the role says as much
        # hyphens and spaces
        ("Built an end to end pipeline.", "Built an end-to-end pipeline."),
        ("Built an end-to-end pipeline.", "Built an end to end pipeline."),
        ("Wrote a first-author paper.", "Wrote a first author paper."),
        ("Wrote a first author paper.", "Wrote a first-author paper."),
        # words inside other words, and words that claim nothing where they stand
        ("Tuned GPU memory allocation.", "Tuned the allocation of GPU memory."),
        ("Presented to leadership.", "Presented to the leadership team."),
        ("Fixed the console.", "Fixed the console logs."),
        ("Ran the standalone evaluation.", "Ran the standalone evaluation twice."),
        ("Ran a study.", "Ran a head-to-head study."),
        ("Ran a study.", "Ran an industry-leading study."),
        ("Ran a study.", "Ran a well-designed study."),
        ("Cut the queue.", "Cut the lead time of the queue."),
        ("Scored prospects.", "Built a lead-scoring model for prospects."),
        ("Refactored the cache.", "Refactored the cache, which led to fewer misses."),
        ("Worked on a project.", "Worked on a project led by Dr Ng."),
        ("Trained the model.", "Pruned the model's attention heads."),
        ("Deployed on GKE.", "Deployed on a fully managed GKE cluster."),
        ("Ran PCA.", "Ran principal component analysis."),
        ("Wrote tests.", "Wrote end-to-end tests."),
        ("Sped up CI.", "Sped up the build in CI."),
        ("Wrote a parser.", "Wrote a parser with a context manager."),
        ("Built drivers.", "Built LED drivers."),  # a name (the fact check's), not "led"
        ("Built a classifier.", "Built a support vector classifier."),
        ("Handled incidents.", "Handled incidents, design reviews and on-call."),
        ("Tuned the model.", "Managed to tune the model."),
        # a first-rung word lowers a line only as its own verb, starting a sentence
        (
            "Automated billing and support data pipelines.",
            "Built billing and support data pipelines.",
        ),
        ("Profiled the trainer and helped cut latency.", "Built a profiler and cut latency."),
    ],
)
def test_what_the_source_claims_is_accepted(source: str, rewrite: str) -> None:
    assert claims(source, rewrite) == []


@pytest.mark.parametrize(
    ("source", "rewrite", "refused"),
    [
        # the examples
        (
            "Contributed to the ranking service for 40M users.",
            "Led the ranking service for 40M users across the whole company.",
            [("ownership", "Led"), ("scope", "across the whole company")],
        ),
        (
            "Helped migrate feature pipelines to Spark.",
            "Led migrate feature pipelines to Spark.",
            [("ownership", "Led")],
        ),
        (
            "Built the ranking service.",
            "Single-handedly built the ranking service.",
            [("scope", "Single-handedly")],
        ),
        # a line that names no part stands on "built", no higher
        ("Ranking service for 40M users.", "Led the ranking service for 40M users.", [("ownership", "Led")]),
        ("Ranking service for 40M users.", "Designed the ranking service.", [("ownership", "Designed")]),
        # each rung above the source's
        ("Contributed to the API.", "Built the API.", [("ownership", "Built")]),
        ("Worked on the API.", "Implemented the API.", [("ownership", "Implemented")]),
        ("Built the API.", "Designed the API.", [("ownership", "Designed")]),
        ("Built the API.", "Owned the API.", [("ownership", "Owned")]),
        ("Implemented the design for the API.", "Designed the API.", [("ownership", "Designed")]),
        ("Designed the API.", "Led the API work.", [("ownership", "Led")]),
        ("Architected the API.", "Oversaw the API.", [("ownership", "Oversaw")]),
        ("Contributed to the API.", "Drove the API.", [("ownership", "Drove")]),
        # inflections
        ("Helped the search team.", "Leading the search team.", [("ownership", "Leading")]),
        ("Helped the search team.", "Managing the search team.", [("ownership", "Managing")]),
        ("Worked on search.", "Spearheading search.", [("ownership", "Spearheading")]),
        ("Supported the platform team.", "Oversees the platform team.", [("ownership", "Oversees")]),
        ("Assisted the platform team.", "Lead the platform team.", [("ownership", "Lead")]),
        # a verb the source only helped with
        ("Helped lead the migration.", "Led the migration.", [("ownership", "Led")]),
        ("Helped design the schema.", "Designed the schema.", [("ownership", "Designed")]),
        ("Co-led the migration.", "Led the migration.", [("ownership", "Led")]),
        ("Contributed to the migration.", "Co-led the migration.", [("ownership", "Co-led")]),
        # a role that claims a rung
        ("Contributed to the ranking service.", "Owner of the ranking service.", [("ownership", "Owner")]),
        ("Contributed to search.", "Tech lead for search.", [("ownership", "lead")]),
        ("Contributed to search.", "Head of search.", [("ownership", "Head of")]),
        # scope and exclusivity
        ("Built the API.", "Built the API solely.", [("scope", "solely")]),
        ("Built the API.", "Was the sole engineer on the API.", [("scope", "sole")]),
        ("Built the API.", "Built the first API.", [("scope", "first")]),
        ("Wrote a paper.", "Wrote a first-author paper.", [("scope", "first")]),
        ("Built the API.", "Built the only API.", [("scope", "only")]),
        ("Built the API.", "Built the API end-to-end.", [("scope", "end-to-end")]),
        ("Built the API.", "Built the API end to end.", [("scope", "end to end")]),
        ("Built the API.", "Built the API from scratch.", [("scope", "from scratch")]),
        ("Built the APIs.", "Built all the APIs.", [("scope", "all")]),
        ("Built the APIs.", "Built every API.", [("scope", "every")]),
        ("Built the API.", "Built the entire API.", [("scope", "entire")]),
        ("Rolled out the tool.", "Rolled out the tool company-wide.", [("scope", "company-wide")]),
        ("Rolled out the tool.", "Rolled out the tool org-wide.", [("scope", "org-wide")]),
        ("Built the API.", "Built the API alone.", [("scope", "alone")]),
        ("Tuned memory allocation.", "Tuned all memory allocation.", [("scope", "all")]),
        # seniority
        ("Engineer on the search team.", "Senior engineer on the search team.", [("seniority", "Senior")]),
        ("Built search.", "Sr. engineer who built search.", [("seniority", "Sr")]),
        ("Built search.", "Staff engineer who built search.", [("seniority", "Staff")]),
        ("Built search.", "Principal engineer who built search.", [("seniority", "Principal")]),
        ("Built search.", "Built search as engineering manager.", [("seniority", "manager")]),
        ("Managed the search team.", "Engineering manager of the search team.", [("seniority", "manager")]),
        ("Built search.", "Built search as VP of engineering.", [("seniority", "VP")]),
        (
            "Built search.",
            "Built search as chief architect.",
            [("seniority", "chief"), ("ownership", "architect")],
        ),
    ],
)  # fmt: skip
def test_a_claim_the_source_does_not_make_is_refused(
    source: str, rewrite: str, refused: list[tuple[str, str]]
) -> None:
    assert claims(source, rewrite) == refused


def test_a_refused_rung_names_what_the_source_says() -> None:
    assert unsupported_claims("Led the API.", ["Contributed to the API."]) == [
        Claim("ownership", "Led", "Contributed to")
    ]
    # a line with no ladder word says nothing of the kind
    assert unsupported_claims("Led the API.", ["The API for 12 teams."]) == [
        Claim("ownership", "Led", None)
    ]
    assert unsupported_claims("Solely built it.", ["Built it."]) == [Claim("scope", "Solely")]


def test_claims_are_judged_against_all_the_sources_together() -> None:
    # the highest rung of any line, a scope word any line has
    sources = ["Contributed to the ranking service.", "Led the search team."]
    assert unsupported_claims("Led the ranking service.", sources) == []
    sources = ["Built the API.", "Single-handedly ran the on-call rota."]
    assert unsupported_claims("Single-handedly built the API.", sources) == []
    # every line is only helping: the rewrite may not build
    sources = ["Helped migrate pipelines.", "Contributed to the API."]
    assert claims("\n".join(sources), "Built the API.") == [("ownership", "Built")]
    # a line of another kind stands on "built"
    assert unsupported_claims("Built the API.", [*sources, "Python, Spark"]) == []


def test_unsupported_in_reports_claims_with_facts() -> None:
    assert unsupported_in("Led the ranking service.", ["Contributed to the ranking service."]) == [
        ("claim", "Led")
    ]
    found = unsupported_in("Led the API for 45M users.", ["Contributed to the API for 40M users."])
    assert found == [("number", "45M users"), ("claim", "Led")]
    sources = ["Contributed to the ranking service.", "Led the search team."]
    assert unsupported_in("Led the ranking service.", sources) == []


def test_a_long_line_is_read_in_linear_time() -> None:
    """200 KB of ladder, scope and seniority words: read in time, every word refused once."""
    text = "helped lead the senior all " * 8_000
    started = time.process_time()  # CPU time: what other processes take does not count
    found = unsupported_claims(text, ["Built it."])
    assert time.process_time() - started < 2.5
    assert [c.written for c in found[:3]] == ["senior", "all", "senior"]


# -- check(): a bullet against its own source line --------------------------------------------

SOURCE = cv_from_markdown(
    """# Robin Hale

Senior ML Engineer · robin.hale@example.com

## Summary

Machine learning engineer who builds search and ranking systems.

## Experience

### Senior ML Engineer — Northwind Labs

*Jan 2021 – Present*

- Contributed to the ranking service for 40M users.
- Led the search relevance team of 5 engineers.
- Helped migrate feature pipelines to Spark.
- Ranking experiments platform for 12 teams.

### ML Engineer — Eastgate Retail

*Jan 2018 – Dec 2020*

- Designed the demand forecasting model, cutting stockouts by 18%.
- Single-handedly rebuilt the pricing service from scratch.
- Wrote a first-author paper on demand forecasting.

## Skills

- **ML:** PyTorch, Spark
"""
)


def rewritten(
    texts: dict[tuple[int, int], str] | None = None,
    order: dict[int, list[int]] | None = None,
    summary: str | None = None,
) -> CV:
    """SOURCE with bullets reworded (role, bullet) and reordered within their role, each
    keeping its source line, as both rewriters do."""
    cv = SOURCE.model_copy(deep=True)
    for (role, index), text in (texts or {}).items():
        cv.work[role].highlights[index].text = text
    for role, indexes in (order or {}).items():
        bullets = cv.work[role].highlights
        cv.work[role].highlights = [bullets[i] for i in indexes]
    if summary is not None:
        cv.basics.summary = summary
    return cv


def violations(cv: CV) -> list[tuple[str, str, str, str | None]]:
    return [(v.kind, v.value, v.path, v.source_value) for v in check(cv, SOURCE)]


def test_the_cv_itself_claims_nothing_new() -> None:
    assert check(SOURCE, SOURCE) == []
    assert SOURCE.work[0].highlights[0].source is not None  # the bullets know their line


def test_a_bullet_is_judged_against_its_own_line_not_its_role() -> None:
    """The role has a "Led" line; the ranking bullet only contributed."""
    cv = rewritten({(0, 0): "Led the ranking service for 40M users."})
    assert violations(cv) == [("claim", "Led", "work[0].highlights[0]", "Contributed to")]


def test_a_moved_bullet_keeps_its_own_lines_rung() -> None:
    cv = rewritten(
        {
            (0, 0): "Led the ranking service for 40M users.",
            (0, 1): "Led a search team of 5 engineers.",
        },
        order={0: [1, 0, 2, 3]},
    )
    # the "Led" line may keep "Led" where it moved; the contributed line may not take it up
    assert violations(cv) == [("claim", "Led", "work[0].highlights[1]", "Contributed to")]


def test_lowering_and_restating_pass_in_a_cv() -> None:
    cv = rewritten(
        {
            (0, 1): "Contributed to the search relevance team of 5 engineers.",
            (0, 3): "Built the ranking experiments platform for 12 teams.",
            (1, 1): "Rebuilt the pricing service alone, from scratch.",
            (1, 2): "Wrote a first author paper on demand forecasting.",
        },
        order={1: [2, 1, 0]},
    )
    assert check(cv, SOURCE) == []


def test_a_line_that_names_no_part_may_be_built_not_led() -> None:
    assert (
        check(rewritten({(0, 3): "Built the ranking experiments platform for 12 teams."}), SOURCE)
        == []
    )
    cv = rewritten({(0, 3): "Led the ranking experiments platform for 12 teams."})
    assert violations(cv) == [("claim", "Led", "work[0].highlights[3]", None)]


def test_a_scope_word_is_judged_against_the_bullets_own_line() -> None:
    """ "Single-handedly" is in the other role: it cannot move."""
    cv = rewritten({(0, 2): "Single-handedly helped migrate feature pipelines to Spark."})
    assert violations(cv) == [("claim", "Single-handedly", "work[0].highlights[2]", None)]
    cv = rewritten({(0, 0): "Contributed to the company-wide ranking service for 40M users."})
    assert violations(cv) == [("claim", "company-wide", "work[0].highlights[0]", None)]


def test_a_bullets_seniority_word_is_supported_by_its_roles_title() -> None:
    senior = rewritten(
        {(0, 3): "As senior engineer, ran the ranking experiments platform for 12 teams."}
    )
    assert check(senior, SOURCE) == []
    cv = rewritten(
        {(1, 2): "As senior engineer, wrote a first-author paper on demand forecasting."}
    )
    assert violations(cv) == [("claim", "senior", "work[1].highlights[2]", None)]


def test_a_bullet_without_its_line_is_judged_against_its_role() -> None:
    """A bullet that lost its source (a JSON document, a reader that could not place it)."""
    document = SOURCE.to_json_resume()
    document["work"][0]["highlights"][0] = "Led the ranking service for 40M users."
    document["work"][1]["highlights"][0] = (
        "Led the demand forecasting model, cutting stockouts by 18%."
    )
    cv = CV.from_document(document)
    assert cv.work[0].highlights[0].source is None
    # the first role has a "Led" line; the second's highest is "Designed"
    assert violations(cv) == [("claim", "Led", "work[1].highlights[0]", "Designed")]


def test_the_summary_is_judged_against_the_whole_cv() -> None:
    for fine in (
        "Machine learning engineer who led search and ranking teams.",
        "Senior machine learning engineer who single-handedly rebuilt a pricing service.",
        "Machine learning engineer who helps build search and ranking systems.",
    ):
        assert check(rewritten(summary=fine), SOURCE) == [], fine
    cv = rewritten(
        summary="Staff machine learning engineer who builds company-wide search systems."
    )
    assert violations(cv) == [
        ("claim", "Staff", "basics.summary", None),
        ("claim", "company-wide", "basics.summary", None),
    ]


def test_a_seniority_word_added_to_a_title_is_refused() -> None:
    """Titles are checked whole: a role's title must be the source's for that employer, and a
    headline must be a title the CV states."""
    cv = rewritten()
    cv.work[1].position = "Senior ML Engineer"  # a title the CV has, at another employer
    found = check(cv, SOURCE)
    assert [(v.kind, v.path) for v in found] == [("employer", "work[1]")]
    assert found[0].value == "Eastgate Retail — Senior ML Engineer"
    cv = rewritten()
    cv.work[0].position = "Lead ML Engineer"
    assert ("title", "Lead ML Engineer") in [(v.kind, v.value) for v in check(cv, SOURCE)]
    cv = rewritten()
    cv.basics.label = "Principal ML Engineer"
    assert [(v.kind, v.value, v.path) for v in check(cv, SOURCE)] == [
        ("title", "Principal ML Engineer", "basics.label")
    ]


def test_a_fact_and_a_claim_in_one_bullet_are_both_reported() -> None:
    cv = rewritten({(0, 0): "Led the ranking service for 45M users."})
    assert violations(cv) == [
        ("number", "45M users", "work[0].highlights[0]", None),
        ("claim", "Led", "work[0].highlights[0]", "Contributed to"),
    ]


def test_a_claim_violation_serialises() -> None:
    violation = check(rewritten({(0, 0): "Led the ranking service for 40M users."}), SOURCE)[0]
    assert violation.source_value == "Contributed to"
    assert Violation.model_validate_json(violation.model_dump_json()) == violation


# -- the offline rewrite never raises a claim ------------------------------------------------


@pytest.mark.parametrize("path", EVERY_CV, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_offline_rewrite_passes_the_check(path: Path) -> None:
    """Every CV in the repository, for every bundled target: no claim, and no fact, refused."""
    source = loaded(path)
    for target in TARGETS:
        result = tailored(path, target)
        assert check(result.cv, source) == [], target
        assert result.unsupported == [], target


# the words of every rung, and lines built of them
RUNGS = [
    [
        "Contributed to",
        "Helped build",
        "Assisted with",
        "Worked on",
        "Participated in",
        "Supported",
    ],
    ["Built", "Implemented", "Developed", "Created", "Wrote", "Shipped"],
    ["Designed", "Owned", "Architected"],
    ["Led", "Managed", "Headed", "Directed", "Spearheaded", "Oversaw"],
]
VERBS = st.sampled_from([verb for rung in RUNGS for verb in rung])
OBJECTS = st.sampled_from(
    ["the ranking service", "a feature store", "the Spark migration", "the eval harness"]
)
SCOPES = st.sampled_from(
    ["", " single-handedly", " from scratch", " end-to-end", " across the whole company"]
)
LINE = st.builds(
    lambda verb, thing, scope, users: f"{verb} {thing}{scope} for {users} users.",
    VERBS,
    OBJECTS,
    SCOPES,
    st.integers(2, 900),
)
TITLES = st.sampled_from(["ML Engineer", "Senior ML Engineer", "Lead Engineer", "Staff Engineer"])


def rung(verb: str) -> int:
    return next(number for number, verbs in enumerate(RUNGS) if verb in verbs)


@settings(max_examples=200, deadline=None)
@given(source=VERBS, rewrite=VERBS, thing=OBJECTS)
def test_a_rewrite_may_lower_a_claim_never_raise_it(source: str, rewrite: str, thing: str) -> None:
    found = claims(f"{source} {thing}.", f"{rewrite} {thing}.")
    if rung(rewrite) <= rung(source):
        assert found == []
    else:
        assert found == [("ownership", rewrite.split()[0])]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    summary=st.lists(LINE, min_size=1, max_size=5),
    roles=st.lists(
        st.tuples(TITLES, st.lists(LINE, min_size=1, max_size=6)), min_size=1, max_size=3
    ),
    target=st.sampled_from(TARGETS),
)
def test_the_offline_rewrite_of_claim_laden_lines_passes(
    summary: list[str], roles: list[tuple[str, list[str]]], target: str
) -> None:
    """Lines full of claims, reordered, cut and trimmed by the offline rewrite: none refused."""
    parts = ["# Sam Doe", "## Summary", " ".join(summary), "## Experience"]
    for number, (title, lines) in enumerate(roles):
        parts += [f"### {title} — Employer {number + 1}", f"*20{10 + number} – 20{11 + number}*"]
        parts.append("\n".join(f"- {line}" for line in lines))
    source = cv_from_markdown("\n\n".join(parts) + "\n")
    result = tailor.rewrite(source, target)
    assert check(result.cv, source) == []


def test_the_claim_data_is_consistent() -> None:
    """Each word in one place: one rung, one group; the words read only as verbs are ladder
    words; the rung a line with no ladder word stands on exists."""
    from tailor.grounding.claims import _claims_data, _form

    data = _claims_data()
    assert list(data["ladder"]) == ["contributed", "built", "designed", "led"]
    ladder = [_form(w) for words in data["ladder"].values() for w in words]
    assert len(ladder) == len(set(ladder))
    assert {_form(w) for w in data["opening_only"]} <= set(ladder)
    grouped = [
        _form(w) for kind in ("scope", "seniority") for ws in data[kind].values() for w in ws
    ]
    assert len(grouped) == len(set(grouped))
    assert set(data["inflections"]) <= set(data["seniority"])
