"""A posting as a target: the profile a critique and a rewrite weigh the CV against.

With a company type (`--target frontier-lab --jd posting.md`) the posting refines that
profile: its must-haves and nice-to-haves become the first things the target weighs. Alone,
the posting stands on the general rubric, weighing what its requirements name.
"""

from __future__ import annotations

from tailor.posting.model import JobPosting
from tailor.targets import CompanyProfile, Value

POSTING_ID = "job-posting"
# in the rewrite's ordering, a line showing a posting's must-have outranks one that shows a
# company type's general value
MUST_WEIGHT = 3.0
NICE_WEIGHT = 1.5


def profile_for(posting: JobPosting, base: CompanyProfile | None = None) -> CompanyProfile:
    """The profile for `posting`, refining `base` when given."""
    values = _values(posting)
    if base is None:
        employer = posting.company or "this posting's employer"
        return CompanyProfile(
            id=POSTING_ID,
            name=posting.label,
            description=f"The employer of the posting {posting.label!r}: it weighs what the "
            "posting's requirements name, must-haves first.",
            source=posting.source,
            values=values or [Value(id="posting", label="the posting's role", evidence="")],
            phrase=employer,
        )
    return base.model_copy(
        update={
            "name": f"{base.name}, for {posting.label}",
            "values": [*values, *base.values],
            "phrase": base.employer_phrase,
        }
    )


def _values(posting: JobPosting) -> list[Value]:
    must = _skills(posting, "must")
    nice = [skill for skill in _skills(posting, "nice") if skill not in must]
    values = []
    if must:
        values.append(
            Value(
                id="posting-must",
                label="the posting's must-haves",
                evidence="Experience that applies what the posting requires.",
                keywords=must,
                weight=MUST_WEIGHT,
            )
        )
    if nice:
        values.append(
            Value(
                id="posting-nice",
                label="the posting's nice-to-haves",
                evidence="Experience with what the posting would like.",
                keywords=nice,
                weight=NICE_WEIGHT,
            )
        )
    other = [k for k in posting.keywords if k not in must and k not in nice]
    if other:
        values.append(
            Value(
                id="posting-keywords",
                label="the posting's technologies",
                evidence="Work with the tools and domains the posting names.",
                keywords=other,
            )
        )
    return values


def _skills(posting: JobPosting, kind: str) -> list[str]:
    found = (s for r in posting.requirements if r.kind == kind for s in r.skills)
    return list(dict.fromkeys(found))
