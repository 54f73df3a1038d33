"""The LLM rewrite loses nothing and says nothing the CV and posting do not: a model's drops
are put back (only the page fit drops a line, with its reason), and its questions and reasons
are held to the grounding check. Through the real SDKs and the fake server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tailor
from tailor.cv.layout import layout
from tailor.cv.model import CV
from tailor.grounding import check
from tailor.prompts import ENTRY_PREFIXES
from tailor.rewriter.conservation import document_text, lost
from tests import scripted
from tests.conftest import EVERY_CV, EXAMPLES, client_for, cv_from_markdown
from tests.fake_llm import InProcessLLM, Text

CASEY = EXAMPLES / "casey-morgan.md"


def first_bullets_only(cv: CV) -> str:
    """An answer that keeps each role's and project's first bullet and leaves out the rest."""
    entries = [
        scripted.entry(f"{prefix}{number}", (f"{prefix}{number}.1", entry.highlights[0].text))
        for kind, prefix in ENTRY_PREFIXES.items()
        for number, entry in enumerate(getattr(cv, kind), start=1)
        if entry.highlights
    ]
    return scripted.rewrite_answer(entries=entries)


def names(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


# a spread of layouts: the examples, a long CV, and real templates
SAMPLE = [p for p in EVERY_CV if p.parent == EXAMPLES][:4] + [
    p for p in EVERY_CV if "real" in p.parts
][:6]


@pytest.mark.parametrize("path", SAMPLE, ids=names)
def test_a_model_that_drops_bullets_loses_none_of_them(
    path: Path, in_process_llm: InProcessLLM
) -> None:
    cv = tailor.load_cv(path)
    in_process_llm.reply(Text(first_bullets_only(cv)))
    with client_for(in_process_llm, "openai") as client:
        result = tailor.rewrite(cv, "production-ml", llm=tailor.LLMOptions(client=client))
    shown = document_text(layout(result.cv, result.section_order))
    assert lost(cv, result.changes, shown) == []
    # every bullet the answer left out is back, or dropped by the page fit with its reason
    kept = {b.text for b in result.cv.bullets()}
    for bullet in cv.bullets():
        if bullet.text in kept:
            continue
        (change,) = [c for c in result.changes if c.quote == bullet.text]
        assert change.kind == "dropped" and "model" not in change.reason


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_drops_the_page_has_room_for_are_restored_and_logged(
    provider: str, in_process_llm: InProcessLLM
) -> None:
    cv = tailor.load_cv(CASEY)
    in_process_llm.reply(Text(first_bullets_only(cv)))
    with client_for(in_process_llm, provider) as client:
        result = tailor.rewrite(cv, "startup", llm=tailor.LLMOptions(client=client))
    assert [b.text for b in result.cv.work[0].highlights] == [b.text for b in cv.work[0].highlights]
    restored = [c for c in result.changes if c.kind == "restored"]
    assert len(restored) == sum(len(e.highlights) - 1 for e in [*cv.work, *cv.projects])
    assert all("left it out" in c.reason and c.line for c in restored)
    assert not [c for c in result.changes if c.kind == "dropped"]


def test_questions_and_reasons_name_only_what_the_cv_or_posting_names(
    in_process_llm: InProcessLLM, tmp_path: Path
) -> None:
    cv = tailor.load_cv(CASEY)
    w13 = cv.work[0].highlights[2].text
    answer = scripted.rewrite_answer(
        ("w1.3", w13, "your MLflow work shows release speed"),
        ("w1.1", cv.work[0].highlights[0].text, "Kubeflow at Meta"),
        questions=[
            "How many releases did the MLflow registry serve each month?",
            "Did you lead the Kubeflow migration at Meta?",  # names neither
            "Did you use Snowflake for the feature store?",  # the posting names Snowflake
            "Was the feature store used by 300 analysts?",  # a figure nobody stated
        ],
    )
    posting = tmp_path / "posting.md"
    posting.write_text(
        "# ML Engineer at Fernhill\n\nRequirements:\n- Python and SQL\n- Snowflake or BigQuery\n",
        encoding="utf-8",
    )
    reading = scripted.reading_answer(
        title="ML Engineer",
        company="Fernhill",
        requirements=[{"text": "Snowflake or BigQuery", "kind": "must", "skills": ["Snowflake"]}],
        keywords=["Snowflake"],
    )
    in_process_llm.reply(Text(reading), Text(answer))
    with client_for(in_process_llm, "anthropic") as client:
        result = tailor.rewrite(
            cv, "startup", posting=posting, llm=tailor.LLMOptions(client=client)
        )
    assert result.questions == [
        "How many releases did the MLflow registry serve each month?",
        "Did you use Snowflake for the feature store?",
    ]
    assert result.questions_dropped == 2
    moved = [c for c in result.changes if c.quote == w13]
    assert moved and "MLflow work shows release speed" in moved[0].reason
    reasons = " ".join(c.reason for c in result.changes)
    assert "Kubeflow" not in reasons and "Meta" not in reasons


SUMMARY_CV = (
    "# Noor Haddad\n\n## Summary\n\nML engineer working in PyTorch and Triton on inference.\n\n"
    "## Experience\n\n### ML Engineer — Kestrel Freight\n\n*2021 – Present*\n\n"
    "- Cut p95 latency of the routing model from 120 ms to 45 ms in PyTorch.\n"
    "- Built the nightly retraining job for the demand model.\n"
)


def test_a_summary_that_loses_a_skill_shown_nowhere_else_is_kept_as_written(
    in_process_llm: InProcessLLM,
) -> None:
    cv = cv_from_markdown(SUMMARY_CV)
    in_process_llm.reply(Text(scripted.rewrite_answer(summary="ML engineer focused on inference.")))
    with client_for(in_process_llm, "openai") as client:
        result = tailor.rewrite(cv, "startup", llm=tailor.LLMOptions(client=client))
    assert result.cv.basics.summary == cv.basics.summary
    summary_changes = [c for c in result.changes if c.section == "summary"]
    assert [c.kind for c in summary_changes] == ["reverted"]  # one change, not two
    assert "Triton" in summary_changes[0].reason and "PyTorch" not in summary_changes[0].reason


def test_a_summary_may_leave_out_a_skill_shown_elsewhere_and_says_so(
    in_process_llm: InProcessLLM,
) -> None:
    cv = cv_from_markdown(SUMMARY_CV)
    answer = scripted.rewrite_answer(summary="ML engineer working in Triton on inference.")
    in_process_llm.reply(Text(answer))
    with client_for(in_process_llm, "openai") as client:
        result = tailor.rewrite(cv, "startup", llm=tailor.LLMOptions(client=client))
    assert result.cv.basics.summary == "ML engineer working in Triton on inference."
    (change,) = [c for c in result.changes if c.section == "summary"]
    assert change.kind == "reworded" and "no longer names PyTorch" in change.reason


W14 = "Built an internal feature store in SQL for the claims and pricing teams."
W15 = "Worked on the claims models with the underwriting and actuarial teams."
INFLATED = {
    "w1.4": "Single-handedly built an internal feature store in SQL for the claims and pricing teams.",
    "w1.5": "Led the claims models with the underwriting and actuarial teams across the whole company.",
}


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_inflated_claims_are_sent_back_once_then_reverted_with_the_claim_named(
    provider: str, in_process_llm: InProcessLLM
) -> None:
    cv = tailor.load_cv(CASEY)
    answer = scripted.rewrite_answer(
        *INFLATED.items(),
        questions=["Did you lead the feature store work?"],  # a question claims nothing
    )
    in_process_llm.reply(Text(answer), Text(answer))
    with client_for(in_process_llm, provider) as client:
        result = tailor.rewrite(cv, "startup", llm=tailor.LLMOptions(client=client))
    assert len(in_process_llm.requests) == 2
    note = json.dumps(in_process_llm.requests[1].body)
    assert "claim" in note and "single-handedly" in note.lower()
    bullets = [b.text for b in result.cv.work[0].highlights]
    assert bullets[:2] == [W14, W15]  # the user's own lines, in the model's order
    reverted = {c.quote: c.reason for c in result.changes if c.kind == "reverted"}
    assert set(reverted) == {W14, W15}
    assert "claimed 'Single-handedly'" in reverted[W14]
    assert "claimed 'Led'" in reverted[W15] and "'Worked on'" in reverted[W15]
    assert not [c for c in result.changes if c.kind == "reworded"]  # one change each
    assert result.unsupported == [] and check(result.cv, cv) == []
    assert result.questions == ["Did you lead the feature store work?"]
    from tailor.rewriter.report import to_text

    assert "claimed 'Led'" in to_text(result)


def test_a_reason_that_claims_what_the_line_does_not_is_cut(in_process_llm: InProcessLLM) -> None:
    cv = tailor.load_cv(CASEY)
    answer = scripted.rewrite_answer(
        ("w1.5", W15, "shows you single-handedly ran it"),
        ("w1.4", W14, "the feature store matters to a startup"),
    )
    in_process_llm.reply(Text(answer))
    with client_for(in_process_llm, "openai") as client:
        result = tailor.rewrite(cv, "startup", llm=tailor.LLMOptions(client=client))
    reasons = " ".join(c.reason for c in result.changes)
    assert "single-handedly" not in reasons
    assert "the feature store matters to a startup" in reasons
