"""The providers tailor can use: `offline` (its own rubric and extractive rewrite), the LLM
providers, and `auto`, which picks by the API keys set.

Kept apart from the LLM code so the CLI can list them without importing anything heavy.
"""

PROVIDERS = ("auto", "offline", "anthropic", "openai", "openai-compatible")
# how an OpenAI-compatible server is asked for JSON (tailor.llm.modes): auto steps down from
# the best on the server's refusal; the others pin one
OUTPUT_MODES = ("auto", "json_schema", "json_object", "prompt")
