"""The library's entry points that tie the stages together."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tailor.critic.model import Critique
from tailor.cv.model import CV
from tailor.errors import UserError
from tailor.providers import PROVIDERS
from tailor.targets import CompanyProfile, resolve_target

if TYPE_CHECKING:
    from tailor.llm.client import LLMClient
    from tailor.rewriter.model import TailoredCV


def critique(
    cv: CV,
    target: str | CompanyProfile = "frontier-lab",
    *,
    provider: str = "offline",
    model: str | None = None,
    base_url: str | None = None,
    cache: bool = True,
    client: LLMClient | None = None,
) -> Critique:
    """Critique `cv` for one target (a profile id, alias, profile path or CompanyProfile).

    `provider` picks the engine: "offline" (tailor's rubric, the default here), "auto", or an
    LLM provider, whose critique has the rubric's findings merged in. Pass `client` to reuse
    one LLM client (and its prompt cache) across calls.
    """
    profile = _profile(target)
    with _engine(client, provider, model, base_url, cache) as llm:
        if llm is None:
            from tailor.critic.rubric import critique_offline

            return critique_offline(cv, profile)
        from tailor.critic.llm import critique_llm

        return critique_llm(cv, profile, llm)


def rewrite(
    cv: CV,
    target: str | CompanyProfile = "frontier-lab",
    *,
    provider: str = "offline",
    model: str | None = None,
    base_url: str | None = None,
    cache: bool = True,
    client: LLMClient | None = None,
) -> TailoredCV:
    """Tailor `cv` for one target; every fact of the result is checked against `cv`.

    Offline, the user's lines are selected, reordered and trimmed. With an LLM provider they
    may be reworded too; a reworded line that states a fact `cv` does not is sent back once,
    then reverted to the user's own. `TailoredCV.unsupported` lists anything left unsupported.
    """
    profile = _profile(target)
    with _engine(client, provider, model, base_url, cache) as llm:
        if llm is None:
            from tailor.rewriter.extractive import rewrite_offline

            return rewrite_offline(cv, profile)
        from tailor.rewriter.llm import rewrite_llm

        return rewrite_llm(cv, profile, llm)


def llm_client(
    provider: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    *,
    cache: bool = True,
) -> LLMClient | None:
    """An LLM client for the provider as tailor resolves it (None: from TAILOR_PROVIDER, the
    config file, else auto), or None when that is the offline engine."""
    if provider is not None and provider not in PROVIDERS:
        raise UserError(f"unknown provider {provider!r}; use one of {', '.join(PROVIDERS)}")
    if provider == "offline":
        return None
    from tailor.llm.client import LLMClient
    from tailor.llm.config import resolve

    settings = resolve(provider, model, base_url, cache=cache).settings
    return LLMClient(settings) if settings is not None else None


def render(
    cv: CV | TailoredCV,
    path: str | Path,
    *,
    section_order: Sequence[str] | None = None,
    overwrite: bool = True,
) -> Path:
    """Write `cv` to `path` in the format its extension names (.md .json .html .docx .pdf).

    A `TailoredCV` is written in its target's section order. The file is written atomically;
    with `overwrite=False` an existing file is an error.
    """
    from tailor.renderers import render_bytes, renderer_for, write_file
    from tailor.renderers.layout import DEFAULT_ORDER

    target = Path(path)
    renderer_for(target)  # an unknown extension fails before any work is done
    unknown = [kind for kind in section_order or [] if kind not in DEFAULT_ORDER]
    if unknown:
        raise UserError(f"unknown section {unknown[0]!r}; use {', '.join(DEFAULT_ORDER)}")
    if not isinstance(cv, CV):
        section_order = section_order or cv.section_order
        cv = cv.cv
    write_file(target, render_bytes(cv, target.suffix, section_order), overwrite=overwrite)
    return target


@contextlib.contextmanager
def _engine(
    client: LLMClient | None,
    provider: str,
    model: str | None,
    base_url: str | None,
    cache: bool,
) -> Iterator[LLMClient | None]:
    """The caller's LLM client, else one for the provider (closed after), else None: offline."""
    if client is not None:
        yield client
        return
    made = llm_client(provider, model, base_url, cache=cache)
    try:
        yield made
    finally:
        if made is not None:
            made.close()


def _profile(target: str | CompanyProfile) -> CompanyProfile:
    return target if isinstance(target, CompanyProfile) else resolve_target(target)
