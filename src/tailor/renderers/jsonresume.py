"""JSON Resume output: the CV model as the JSON Resume project defines it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from tailor.cv.model import CV
from tailor.renderers.themes import theme_named


def render(cv: CV, section_order: Sequence[str] | None = None, theme: str | None = None) -> bytes:
    """The CV as a JSON Resume document (JSON Resume has no section order to keep, and no
    look: `theme` is checked, then ignored)."""
    theme_named(theme)
    document = {"$schema": SCHEMA_URL, **cv.to_json_resume()}
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
