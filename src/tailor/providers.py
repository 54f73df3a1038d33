"""The providers that can critique a CV. `offline` is tailor's own deterministic rubric.

Kept apart from the LLM code so the CLI can list them without importing anything heavy.
"""

PROVIDERS = ("offline",)
