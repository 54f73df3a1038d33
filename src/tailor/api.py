"""The library's entry points that tie the stages together."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tailor.critic.model import Critique
from tailor.cv.model import CV
from tailor.errors import UserError
from tailor.providers import PROVIDERS
from tailor.targets import CompanyProfile, resolve_target

if TYPE_CHECKING:
    from tailor.rewriter.model import TailoredCV


def critique(
    cv: CV, target: str | CompanyProfile = "frontier-lab", *, provider: str = "offline"
) -> Critique:
    """Critique `cv` for one target (a profile id, alias, profile path or CompanyProfile)."""
    _check_provider(provider)
    from tailor.critic.rubric import critique_offline

    return critique_offline(cv, _profile(target))


def rewrite(
    cv: CV, target: str | CompanyProfile = "frontier-lab", *, provider: str = "offline"
) -> TailoredCV:
    """Tailor `cv` for one target: its own lines selected, reordered and trimmed, every change
    logged, every fact checked against the source (`TailoredCV.unsupported` lists any that
    is not supported)."""
    _check_provider(provider)
    from tailor.rewriter.extractive import rewrite_offline

    return rewrite_offline(cv, _profile(target))


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


def _check_provider(provider: str) -> None:
    if provider not in PROVIDERS:
        raise UserError(f"unknown provider {provider!r}; available now: {', '.join(PROVIDERS)}")


def _profile(target: str | CompanyProfile) -> CompanyProfile:
    return target if isinstance(target, CompanyProfile) else resolve_target(target)
