"""The library's entry points that tie the stages together."""

from __future__ import annotations

from tailor.critic.model import Critique
from tailor.cv.model import CV
from tailor.errors import UserError
from tailor.providers import PROVIDERS
from tailor.targets import CompanyProfile, resolve_target


def critique(
    cv: CV, target: str | CompanyProfile = "frontier-lab", *, provider: str = "offline"
) -> Critique:
    """Critique `cv` for one target (a profile id, alias, profile path or CompanyProfile)."""
    if provider not in PROVIDERS:
        raise UserError(f"unknown provider {provider!r}; available now: {', '.join(PROVIDERS)}")
    from tailor.critic.rubric import critique_offline

    profile = target if isinstance(target, CompanyProfile) else resolve_target(target)
    return critique_offline(cv, profile)
