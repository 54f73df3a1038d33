"""What the check reports: a violation (a fact or claim the source does not support) and a claim."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

FactKind = Literal[
    "number",
    "date",
    "employer",
    "organisation",
    "title",
    "degree",
    "publication",
    "link",
    "contact",
    "skill",
    "name",
    "claim",
]

ClaimKind = Literal["ownership", "scope", "seniority"]


class Violation(BaseModel):
    """A fact or claim in the tailored CV that the source CV does not support."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: FactKind
    value: str  # the fact or claim as the tailored CV writes it ("Led", "single-handedly")
    path: str  # where in the tailored CV, in JSON Resume terms: "work[0].highlights[2]"
    text: str  # the whole field it stands in
    # for a claim of ownership, what the source says instead, as it writes it ("contributed
    # to"); None when its lines name no part (read as "built") and for other violations
    source_value: str | None = None


@dataclass(frozen=True)
class Claim:
    """A claim of a rewritten line that its source does not make."""

    kind: ClaimKind
    written: str  # as the rewritten line writes it: "Led", "single-handedly", "Senior"
    # for ownership, the highest ladder word of the source as it writes it ("Contributed to");
    # None when the source names no part (read as "built"), and for scope and seniority
    source: str | None = None
