"""Critique and tailor a CV with the LLM provider your environment names, offline without one.

    python examples/with_a_provider.py            # prints the tailored CV as Markdown
    python examples/with_a_provider.py out.md     # writes it (.md .json .html .docx .pdf)

The provider is picked as the `tailor` command picks it: TAILOR_PROVIDER (with TAILOR_MODEL
and TAILOR_BASE_URL), else Anthropic when ANTHROPIC_API_KEY is set, else OpenAI when
OPENAI_API_KEY is set, else tailor's offline engine.
"""

from __future__ import annotations

import sys
from pathlib import Path

import tailor
from tailor.options import llm_client
from tailor.renderers.markdown import to_markdown
from tailor.rewriter.report import to_text

CV_FILE = Path(__file__).with_name("casey-morgan.md")
TARGET = "startup"


def main(out: str | None = None) -> None:
    cv = tailor.load_cv(CV_FILE)
    # the provider as tailor resolves it (None: the offline engine); one client for both calls
    client = llm_client(tailor.LLMOptions(provider=None))
    llm = tailor.LLMOptions(client=client)
    try:
        critique = tailor.critique(cv, TARGET, llm=llm)
        # the rubric's score is the headline; an LLM's own is shown beside it (None offline)
        model = "" if critique.model_score is None else f" (model: {critique.model_score}/100)"
        print(f"score {critique.score}/100{model} for {critique.target_name}")
        print(f"provider: {critique.provider} {critique.model or ''}".rstrip())
        usage = critique.usage  # None offline
        if usage is not None:
            tokens = usage.input_tokens + usage.cache_read_tokens + usage.cache_write_tokens
            cost = "unknown" if usage.cost_usd is None else f"${usage.cost_usd:.4f}"
            print(f"{tokens} tokens in, {usage.output_tokens} out, cost {cost}")
        tailored = tailor.rewrite(cv, TARGET, llm=llm)
    finally:
        if client is not None:
            client.close()
    print(to_text(tailored), end="")  # the change log, and the model's questions if it asked any
    if out:
        print(f"wrote {tailor.render(tailored, out)}")
    else:
        print("\n" + to_markdown(tailored.cv, tailored.section_order), end="")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
