"""A provider batch's answers, kept on disk (the owner's only) until every job has used them:
a run stopped before using them resumes with them, and they are paid for once."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from tailor import limits
from tailor.errors import UserError
from tailor.llm.base import Reply

ANSWERS = ".answers"  # in the output folder


def store_answers(folder: Path, replies: dict[str, Reply]) -> None:
    """Keep a batch's answers in `folder`/.answers, one file a request key."""
    answers = folder / ANSWERS
    answers.mkdir(mode=0o700, parents=True, exist_ok=True)
    for key, reply in replies.items():
        path = answers / f"{key}.json"
        data = json.dumps(dataclasses.asdict(reply)).encode()
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)


def load_answers(folder: Path) -> dict[str, Reply]:
    """The answers kept in `folder`/.answers, by request key; a damaged one is left out (its
    request is asked again)."""
    answers = folder / ANSWERS
    loaded: dict[str, Reply] = {}
    for path in sorted(answers.glob("*.json")) if answers.is_dir() else []:
        try:
            text = limits.read_limited(path, limit=limits.CV_BYTES, what="answer").decode()
            loaded[path.stem] = Reply(**limits.load_json(text, name=path.name))
        except (ValueError, TypeError, UserError):
            continue
    return loaded
