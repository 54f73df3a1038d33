"""The critic: a CV's score for a target, findings pinned to lines, and concrete fixes.

Named `critic` so that `tailor.critique` stays the function of the public API."""

from tailor.critic.model import Critique, Finding
from tailor.rules import Severity

__all__ = ["Critique", "Finding", "Severity"]
