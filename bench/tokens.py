"""Tokens and cost of one LLM critique, rewrite and cover letter, for the average labelled CV.

    python bench/tokens.py

Every CV of `evals/cvs/` (every labelled CV, of every length and format) is critiqued and tailored for
the three targets, and writes a letter for the target's posting, through the real SDKs
against the fake server, which records each request. Input tokens are counted from the request as sent: the instructions, the CV, the
target and the output schema, at 4 characters a token (no tokenizer is installed; real
counts run some 10-20% either side). Output tokens are those of an answer of the right shape
built from the offline result for the same CV (its findings; its bullets, each with a
reason; the draft letter's sentences, each citing its bullets), since the fake server's own answers are tiny. Costs are list prices of each
provider's default model, without prompt caching or batch discounts.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Row, print_table
from tailor.llm.config import DEFAULT_MODELS, LLMSettings
from tailor.llm.pricing import cost_usd
from tests.fake_llm import FakeLLM, Text

CHARS_PER_TOKEN = 4
TARGETS = ("frontier-lab", "production-ml", "startup")
# the posting each target's letter answers
POSTINGS = {
    "frontier-lab": "frontier-lab-research-engineer.md",
    "production-ml": "production-ml-platform.txt",
    "startup": "startup-inference.md",
}
# what a request carries besides the model's settings: the text a model reads
READ_FIELDS = ("system", "messages", "tools", "tool_choice", "response_format", "output_format")


def text_characters(value: Any) -> int:
    """The characters of every string (and key) in a request's JSON value."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(len(key) + text_characters(item) for key, item in value.items())
    if isinstance(value, list):
        return sum(text_characters(item) for item in value)
    return len(str(value)) if value is not None else 0


def input_tokens(body: dict[str, Any]) -> int:
    return sum(text_characters(body.get(name)) for name in READ_FIELDS) // CHARS_PER_TOKEN


def critique_answer(cv: Any, target: str) -> str:
    """An LLM critique of the right shape: the offline critique's findings, and its strengths
    that quote a line."""
    import tailor

    offline = tailor.critique(cv, target)
    return json.dumps(
        {
            "score": offline.score,
            "summary": offline.summary,
            "findings": [
                {
                    "rule": f.rule,
                    "severity": f.severity,
                    "quote": f.quote or "",
                    "message": f.message,
                    "suggestion": f.suggestion,
                }
                for f in offline.findings
            ],
            "strengths": [_strength(text) for text in offline.strengths if ': "' in text],
        }
    )


def _strength(text: str) -> dict[str, str]:
    """An offline strength ('Shows production work: "<the line>"') as the model writes one."""
    note, _, quote = text.partition(': "')
    return {"quote": quote.removesuffix('"'), "note": note}


def rewrite_answer(cv: Any, target: str) -> str:
    """An LLM rewrite of the right shape: every kept bullet of the offline rewrite, under its
    id, with a one-line reason."""
    import tailor
    from tailor.prompts import bullet_ids

    tailored = tailor.rewrite(cv, target)
    kept = {bullet.text for bullet in tailored.cv.bullets()}
    entries: dict[str, list[dict[str, str]]] = {}
    for bullet_id, ref in bullet_ids(cv).items():
        text = getattr(cv, ref.kind)[ref.entry].highlights[ref.bullet].text
        if text in kept:
            entry = entries.setdefault(bullet_id.split(".")[0], [])
            entry.append({"id": bullet_id, "text": text, "why": "shows what the target weighs"})
    return json.dumps(
        {
            "summary": cv.basics.summary or "",
            "entries": [{"id": key, "bullets": value} for key, value in entries.items()],
            "questions": ["How many users did the service have?"],
        }
    )


def letter_answer(cv: Any, posting: Any) -> str:
    """An LLM letter of the right shape: the offline draft's sentences, each citing the
    bullets its paragraph rests on."""
    from tailor.cover_letter.draft import letter_offline
    from tailor.cover_letter.shape import split_sentences

    draft = letter_offline(cv, posting)
    paragraphs = [
        {
            "kind": paragraph.kind,
            "requirement_ids": [],
            "sentences": [
                {"text": text, "bullet_ids": [s.id for s in paragraph.sources if s.id]}
                for text in split_sentences(paragraph.text)
            ],
        }
        for paragraph in draft.paragraphs
    ]
    return json.dumps({"paragraphs": paragraphs})


def postings() -> dict[str, Any]:
    """Each target's posting, read offline and marked as read (so a letter's first request
    is the letter, not the model's reading of the posting)."""
    import tailor

    return {
        target: tailor.load_posting(ROOT / "examples" / "postings" / name).model_copy(
            update={"extracted_by": "bench"}
        )
        for target, name in POSTINGS.items()
    }


def answers(folder: Path) -> list[tuple[Any, str, str, str]]:
    """(cv, target, task, answer) for every CV in `folder`, target and task."""
    import tailor

    runs = []
    jobs = postings()
    for path in sorted(folder.iterdir()):
        cv = tailor.load_cv(path)
        for target in TARGETS:
            runs.append((cv, target, "critique", critique_answer(cv, target)))
            runs.append((cv, target, "rewrite", rewrite_answer(cv, target)))
            runs.append((cv, target, "letter", letter_answer(cv, jobs[target])))
    return runs


def measure(
    runs: list[tuple[Any, str, str, str]], provider: str
) -> dict[str, list[tuple[int, int]]]:
    """(input, output) tokens of each critique, rewrite and letter in `runs`, by task."""
    import tailor
    from tailor.llm import LLMClient

    jobs = postings()
    tokens: dict[str, list[tuple[int, int]]] = {"critique": [], "rewrite": [], "letter": []}
    with FakeLLM() as fake:
        base = fake.url if provider == "anthropic" else fake.openai_base_url
        settings = LLMSettings(
            provider=provider, model="bench", api_key="sk-bench", base_url=base, cache=False
        )
        with LLMClient(settings) as client:
            for cv, target, task, answer in runs:
                fake.reset()
                fake.reply(Text(answer), Text(answer))  # a rewrite may be asked twice
                llm = tailor.LLMOptions(client=client)
                if task == "letter":
                    tailor.letter(cv, target, posting=jobs[target], llm=llm)
                else:
                    run = tailor.critique if task == "critique" else tailor.rewrite
                    run(cv, target, llm=llm)
                body = fake.requests[0].body
                tokens[task].append((input_tokens(body), len(answer) // CHARS_PER_TOKEN))
    return tokens


def figures() -> list[tuple[str, list[Row]]]:
    """The sections of this benchmark's table."""
    folder = ROOT / "evals" / "cvs"
    runs = answers(folder)
    rows: list[Row] = []
    for provider in ("anthropic", "openai"):
        model = DEFAULT_MODELS[provider]
        for task, pairs in measure(runs, provider).items():
            tokens_in = statistics.median(pair[0] for pair in pairs)
            tokens_out = statistics.median(pair[1] for pair in pairs)
            cost = cost_usd(
                provider, model, input_tokens=int(tokens_in), output_tokens=int(tokens_out)
            )
            price = f", ${cost:.4f} at {model} prices" if cost is not None else ""
            rows.append(
                Row(
                    f"tokens per {task}, {provider} wire",
                    f"{tokens_in:,.0f} in + {tokens_out:,.0f} out{price}",
                )
            )
    count = sum(1 for _ in folder.iterdir())
    return [(f"tokens per call, median over {count} CVs x {len(TARGETS)} targets", rows)]


if __name__ == "__main__":
    print_table(figures())
