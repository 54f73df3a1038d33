"""Section titles as people write them, mapped to the JSON Resume section they fill."""

from __future__ import annotations

import re

# canonical kind -> titles seen on real CVs (compared lower-case, without punctuation)
SECTION_TITLES: dict[str, tuple[str, ...]] = {
    "summary": (
        "summary",
        "profile",
        "professional summary",
        "about",
        "about me",
        "objective",
        "career objective",
        "overview",
        "personal statement",
        "executive summary",
    ),
    "contact": (
        "contact",
        "contact details",
        "contact information",
        "contact info",
        "personal details",
        "personal information",
        "links",
    ),
    "work": (
        "experience",
        "work experience",
        "professional experience",
        "employment",
        "employment history",
        "work history",
        "career history",
        "relevant experience",
        "industry experience",
        "research experience",
        "experience highlights",
        "work",
    ),
    "education": ("education", "academic background", "qualifications", "education and training"),
    "projects": (
        "projects",
        "selected projects",
        "personal projects",
        "side projects",
        "key projects",
        "open source",
        "open-source",
        "open source contributions",
        "open-source contributions",
        "open source work",
        "projects and open source",
        "selected work",
    ),
    "publications": (
        "publications",
        "selected publications",
        "papers",
        "research",
        "publications and talks",
        "talks and publications",
        "patents and publications",
    ),
    "skills": (
        "skills",
        "technical skills",
        "core skills",
        "key skills",
        "technologies",
        "tools",
        "skills and tools",
        "tech stack",
        "competencies",
        "core competencies",
        "expertise",
    ),
    "awards": (
        "awards",
        "honours",
        "honors",
        "awards and honours",
        "awards and honors",
        "achievements",
    ),
    "certificates": ("certificates", "certifications", "licenses and certifications", "courses"),
    "languages": ("languages", "spoken languages"),
    "interests": ("interests", "hobbies", "hobbies and interests"),
    "volunteer": ("volunteer", "volunteering", "volunteer experience", "community", "leadership"),
    "references": ("references",),
}

# Titles that, inside a role, head a list of that role's bullets rather than a new section.
ROLE_SUBHEADINGS = frozenset(
    {
        "achievements",
        "key achievements",
        "selected achievements",
        "accomplishments",
        "key accomplishments",
        "responsibilities",
        "key responsibilities",
        "highlights",
        "key highlights",
        "impact",
        "key results",
        "results",
    }
)

_TITLE_TO_KIND = {title: kind for kind, titles in SECTION_TITLES.items() for title in titles}


def normalise_title(line: str) -> str:
    """Lower-case a heading and drop markdown, numbering and punctuation around it."""
    text = re.sub(r"^[#\s]+", "", line)
    text = re.sub(r"[*_`:]+", "", text)
    text = text.replace("&", "and")
    text = re.sub(r"\s+", " ", text)
    return text.strip(" .-–—|").lower()


def section_kind(line: str) -> str | None:
    """The JSON Resume section a heading names, or None when it names none we know."""
    return _TITLE_TO_KIND.get(normalise_title(line))
