"""tailor: critique and tailor an AI/ML engineer's CV for a kind of employer.

    import tailor
    cv = tailor.load_cv("examples/jordan-reyes.md")
    report = tailor.critique(cv, target="anthropic")
    print(report.score, [f.rule for f in report.findings])
    tailored = tailor.rewrite(cv, target="startup")
    reviewed = tailor.apply_changes(cv, tailored, accepted=[0, 2])  # the others undone
    tailor.render(tailored, "jordan-startup.pdf")
    letter = tailor.letter(cv, posting="examples/postings/startup-inference.md")

Names are imported on first use, so `tailor --help` does not pay for pydantic and friends.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tailor import batch
    from tailor.api import critique, letter, load_posting, prep, render, rewrite
    from tailor.batch.manifest import RunManifest
    from tailor.cover_letter.model import Letter
    from tailor.critic.model import Critique, Finding
    from tailor.cv.model import CV, Bullet, Source
    from tailor.cv.readers import load_cv, read_cv
    from tailor.errors import GroundingError, ProfileError, ProviderError, TailorError, UserError
    from tailor.grounding import Violation
    from tailor.interview.model import Prep
    from tailor.market import MarketBand
    from tailor.options import LLMOptions
    from tailor.posting.model import Coverage, JobPosting, Requirement
    from tailor.providers import PROVIDERS
    from tailor.rewriter.model import Change, TailoredCV
    from tailor.rewriter.review import apply_changes
    from tailor.targets import CompanyProfile, bundled_profiles, resolve_target
    from tailor.version import __version__

_EXPORTS = {
    "PROVIDERS": "tailor.providers",
    "critique": "tailor.api",
    "rewrite": "tailor.api",
    "render": "tailor.api",
    "load_posting": "tailor.api",
    "LLMOptions": "tailor.options",
    "prep": "tailor.api",
    "letter": "tailor.api",
    "Letter": "tailor.cover_letter.model",
    "Prep": "tailor.interview.model",
    "MarketBand": "tailor.market",
    "JobPosting": "tailor.posting.model",
    "Requirement": "tailor.posting.model",
    "Coverage": "tailor.posting.model",
    "RunManifest": "tailor.batch.manifest",
    "TailoredCV": "tailor.rewriter.model",
    "Change": "tailor.rewriter.model",
    "apply_changes": "tailor.rewriter.review",
    "Violation": "tailor.grounding",
    "Critique": "tailor.critic.model",
    "Finding": "tailor.critic.model",
    "CV": "tailor.cv.model",
    "Bullet": "tailor.cv.model",
    "Source": "tailor.cv.model",
    "load_cv": "tailor.cv.readers",
    "read_cv": "tailor.cv.readers",
    "GroundingError": "tailor.errors",
    "ProfileError": "tailor.errors",
    "ProviderError": "tailor.errors",
    "TailorError": "tailor.errors",
    "UserError": "tailor.errors",
    "CompanyProfile": "tailor.targets",
    "bundled_profiles": "tailor.targets",
    "resolve_target": "tailor.targets",
}

__all__ = [
    "CV",
    "PROVIDERS",
    "Bullet",
    "Change",
    "CompanyProfile",
    "Coverage",
    "Critique",
    "Finding",
    "GroundingError",
    "JobPosting",
    "LLMOptions",
    "Letter",
    "MarketBand",
    "Prep",
    "ProfileError",
    "ProviderError",
    "Requirement",
    "RunManifest",
    "Source",
    "TailorError",
    "TailoredCV",
    "UserError",
    "Violation",
    "__version__",
    "apply_changes",
    "batch",
    "bundled_profiles",
    "critique",
    "letter",
    "load_cv",
    "load_posting",
    "prep",
    "read_cv",
    "render",
    "resolve_target",
    "rewrite",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from tailor.version import __version__

        return __version__
    if name == "batch":  # the batch package: tailor.batch.run(...), tailor.batch.resume(...)
        return import_module("tailor.batch")
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'tailor' has no attribute {name!r}")
