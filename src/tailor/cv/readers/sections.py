"""Section titles as people write them, mapped to the JSON Resume section they fill."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tailor.cv.model import Origin

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
        # academic CVs: appointments, research and teaching posts are roles
        "positions",
        "academic positions",
        "research positions",
        "positions held",
        "appointments",
        "academic appointments",
        "professional appointments",
        "academic employment",
        "academic experience",
        "teaching",
        "teaching experience",
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
        "peer-reviewed publications",
        "peer reviewed publications",
        "refereed publications",
        "journal articles",
        "journal publications",
        "conference papers",
        "conference publications",
        "preprints",
        "working papers",
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
        "programming languages",
    ),
    "awards": (
        "awards",
        "honours",
        "honors",
        "awards and honours",
        "awards and honors",
        "achievements",
        "fellowships",
        "scholarships",
        "grants",
        "prizes",
    ),
    "certificates": ("certificates", "certifications", "licenses and certifications", "courses"),
    "languages": ("languages", "spoken languages"),
    "interests": ("interests", "hobbies", "hobbies and interests"),
    "volunteer": (
        "volunteer",
        "volunteering",
        "volunteer experience",
        "community",
        "leadership",
        "leadership experience",
        "extracurricular activities",
        "extracurricular activity",
        "extracurriculars",
        "activities",
    ),
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

# The same sections titled in German, French, Spanish, Italian, Portuguese and Dutch, as CVs
# written in English by people from those countries often keep one or two of them. They are
# read like the English ones; the critique suggests the English title (`is_other_language`).
OTHER_LANGUAGE_TITLES: dict[str, tuple[str, ...]] = {
    "summary": (
        "profil", "zusammenfassung", "über mich", "kurzprofil", "perfil", "resumen",
        "perfil profesional", "profilo", "profiel", "sobre mim", "à propos",
    ),
    "work": (
        "berufserfahrung", "berufliche erfahrung", "beruflicher werdegang", "werdegang",
        "berufspraxis", "praxiserfahrung", "expérience professionnelle",
        "expériences professionnelles", "expérience", "expériences", "parcours professionnel",
        "experiencia", "experiencia profesional", "experiencia laboral",
        "esperienza professionale", "esperienze professionali", "esperienza lavorativa",
        "esperienze lavorative", "experiência profissional", "experiência", "werkervaring",
        "ervaring",
    ),
    "education": (
        "ausbildung", "bildung", "bildungsweg", "studium", "formation", "formation académique",
        "formación", "formación académica", "educación", "istruzione", "formazione",
        "formação", "formação acadêmica", "formação académica", "educação", "opleiding",
        "opleidingen",
    ),
    "projects": ("projekte", "projets", "proyectos", "progetti", "projetos", "projecten"),
    "publications": (
        "veröffentlichungen", "publikationen", "publications scientifiques", "publicaciones",
        "pubblicazioni", "publicações", "publicaties",
    ),
    "skills": (
        "kenntnisse", "fähigkeiten", "fachkenntnisse", "it-kenntnisse", "kompetenzen",
        "compétences", "compétences techniques", "habilidades", "competencias",
        "conocimientos", "competenze", "competenze tecniche", "competências", "vaardigheden",
    ),
    # "distinctions" is English too: not here
    "awards": ("auszeichnungen", "prix", "premios", "premi", "prêmios"),
    "certificates": ("zertifikate", "zertifizierungen", "certificaciones", "certificazioni"),
    "languages": ("sprachen", "sprachkenntnisse", "langues", "idiomas", "lingue", "talen"),
    "interests": (
        "interessen", "hobbys", "centres d'intérêt", "centres d’intérêt", "loisirs",
        "intereses", "aficiones", "interessi", "interesses", "hobby's",
    ),
    "volunteer": ("ehrenamt", "ehrenamtliches engagement", "bénévolat", "voluntariado",
                  "volontariato", "vrijwilligerswerk"),
}  # fmt: skip

# the last word of a longer title that says its section: "Teaching Experience" is work,
# "Mathematical Skills" skills
_HEAD_NOUNS = {
    "experience": "work",
    "employment": "work",
    "projects": "projects",
    "publications": "publications",
    "papers": "publications",
    "skills": "skills",
    "awards": "awards",
    "honors": "awards",
    "honours": "awards",
    "fellowships": "awards",
    "scholarships": "awards",
    "preprints": "publications",
    "articles": "publications",
    "certifications": "certificates",
    "certificates": "certificates",
    "education": "education",
    "interests": "interests",
}

_TITLE_TO_KIND = {title: kind for kind, titles in SECTION_TITLES.items() for title in titles}
_OTHER_LANGUAGE = {
    title: kind for kind, titles in OTHER_LANGUAGE_TITLES.items() for title in titles
}


def normalise_title(line: str) -> str:
    """Lower-case a heading and drop markdown, numbering and punctuation around it."""
    text = re.sub(r"^[#\s]+", "", line)
    text = re.sub(r"[*_`:]+", "", text)
    text = text.replace("&", "and")
    text = re.sub(r"\s+", " ", text)
    return text.strip(" .-–—|").lower()


def section_kind(line: str, *, by_last_word: bool = False) -> str | None:
    """The JSON Resume section a heading names, or None when it names none we know.

    Titles joined by "and" or "&" name a section when every part names the same one:
    "Honors & Awards", "Certifications and Courses". With `by_last_word`, for a line known to
    be a heading, a longer title names the section its last word does ("Teaching
    Experience"); a line that may be anything else ("Head of Customer Experience") is not
    judged so.
    """
    title = normalise_title(line)
    kind = _TITLE_TO_KIND.get(title) or _OTHER_LANGUAGE.get(title)
    if kind is None and " and " in title:
        kinds = {_TITLE_TO_KIND.get(part.strip()) for part in re.split(r" and |, ", title)}
        kind = kinds.pop() if len(kinds) == 1 else None
    words = title.split()
    if kind is None and by_last_word and 2 <= len(words) <= 5:
        kind = _HEAD_NOUNS.get(words[-1])  # "Data Science Experience", "Computer Skills"
    return kind


def kind_in(origin: Origin | None, title: str) -> str | None:
    """The section a CV's title was read as: what the reader decided, else what it names."""
    if origin is not None and title in origin.kinds:
        return origin.kinds[title]
    return section_kind(title, by_last_word=True)


def is_other_language(line: str) -> bool:
    """Whether a heading names a section in one of the other languages tailor reads."""
    return normalise_title(line) in _OTHER_LANGUAGE
