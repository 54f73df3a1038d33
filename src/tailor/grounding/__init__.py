"""The fact and claim check every rewrite passes: nothing in the output that its source does not
support.

`check(tailored, source)` lists each fact of the tailored CV that the source CV does not state:
a figure and its unit (40M, 37%, 180 ms, 64 A100), a date, an employer or other organisation,
a job title, a degree, a publication, a link, a contact detail, a skill (listed, or named in a
sentence: any skill of `data/synonyms.yaml`, whatever its case), or a name (a capitalised or
alphanumeric term such as "Kubernetes" or "p99" in the middle of a sentence).

A fact written differently is the same fact: "40M" and "40 million", "37%" and "37 percent",
"six years" and "6 years", "Mar 2022" and "2022-03", "Kubernetes" and "k8s". A changed figure,
unit or date is not. The check is a pure function of the two CVs; the rules of equivalence
(multipliers, units, number words) are data in `data/grounding.yaml`.

Facts are checked where they belong: a role, project or degree of the output must be one of
the source's (the same employer and title together), its dates must be that entry's dates,
and the figures and names of its bullets must be stated in that entry of the source, so a
figure cannot move from one role to another. Text outside entries is checked against the
whole source.

Claims are checked too: what a line says of the candidate's part beyond its facts. A rewrite may
not climb the ownership ladder above its source line ("Contributed to" -> "Led"), nor add a
scope or seniority word the source does not have ("single-handedly", "across the whole
company", "senior"); it may always lower a claim. A bullet is judged against its own source
line (bullets keep their source through a rewrite), other text against its entry or the whole
source. The words are data in `data/claims.yaml`.
"""

from __future__ import annotations

from tailor.grounding.check import check, stated_by, unsupported_in
from tailor.grounding.claims import unsupported_claims
from tailor.grounding.facts import normalise
from tailor.grounding.figures import Figure, dates, figures
from tailor.grounding.model import Claim, ClaimKind, FactKind, Violation

__all__ = [
    "Claim",
    "ClaimKind",
    "FactKind",
    "Figure",
    "Violation",
    "check",
    "dates",
    "figures",
    "normalise",
    "stated_by",
    "unsupported_claims",
    "unsupported_in",
]
