"""Make the binary example CVs from examples/jordan-reyes.json.

    python examples/make_binary_examples.py

writes, next to this script:
- jordan-reyes.pdf             a one-column CV typeset with reportlab
- jordan-reyes-two-column.pdf  a name across the top over a narrow left and a wide right column
- jordan-reyes.docx            Word headings, "List Bullet" bullets and two hyperlinks
- postings/research-scientist-llm-evals.pdf  the plain-text posting typeset as a PDF

The output is byte-for-byte reproducible (fixed dates, reportlab's invariant mode, fixed zip
timestamps), so a rerun shows a diff only when the JSON or this script changed. Needs reportlab
and python-docx (the dev extras).
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    SimpleDocTemplate,
)

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "jordan-reyes.json"
FIXED_DATE = datetime.datetime(2024, 1, 1, 12, 0, 0)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


# --- The CV's lines, shared by every format ---------------------------------------------------


def month(date: str | None) -> str:
    """'2022-03' as 'Mar 2022'; a missing date is the present."""
    if not date:
        return "Present"
    year, _, rest = date.partition("-")
    return f"{MONTHS[int(rest[:2]) - 1]} {year}" if rest else year


def date_range(entry: dict[str, Any]) -> str:
    return f"{month(entry.get('startDate'))} – {month(entry.get('endDate'))}"


def bare_url(url: str) -> str:
    return url.removeprefix("https://").removeprefix("http://")


def location(basics: dict[str, Any]) -> str:
    place = basics.get("location", {})
    return ", ".join(place[key] for key in ("city", "region", "countryCode") if place.get(key))


def contact_items(basics: dict[str, Any]) -> list[str]:
    items = [location(basics), basics["email"], basics["phone"], bare_url(basics["url"])]
    return items + [bare_url(profile["url"]) for profile in basics.get("profiles", [])]


def role_line(job: dict[str, Any]) -> str:
    return f"{job['position']} — {job['name']} ({date_range(job)})"


def role_detail(job: dict[str, Any]) -> str:
    return f"{job['location']}. {job['summary']}"


def role_dates(job: dict[str, Any]) -> str:
    return f"{date_range(job)} · {job['location']}"


def education_line(school: dict[str, Any]) -> str:
    return (
        f"{school['studyType']}, {school['area']} — {school['institution']} ({date_range(school)})"
    )


def publication_line(paper: dict[str, Any]) -> str:
    return f"{paper['name']}. {paper['publisher']} ({month(paper['releaseDate'])})"


def award_line(award: dict[str, Any]) -> str:
    return f"{award['title']}, {award['awarder']} ({month(award['date'])})"


def project_line(project: dict[str, Any]) -> str:
    return f"{project['name']} ({project['url']})"


def skill_line(skill: dict[str, Any]) -> str:
    return f"{skill['name']}: {', '.join(skill['keywords'])}"


def language_line(language: dict[str, Any]) -> str:
    return f"{language['language']} ({language['fluency'].lower()})"


# --- PDF ----------------------------------------------------------------------------------------


def _styles() -> dict[str, Any]:
    """Paragraph styles in Bitstream Vera, the TrueType font reportlab ships with.

    A TrueType font is embedded with a ToUnicode map, as in most real CV PDFs, so "•", "–" and
    "—" come out of the text layer as themselves.
    """

    pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
    pdfmetrics.registerFont(TTFont("VeraBd", "VeraBd.ttf"))
    body = ParagraphStyle("body", fontName="Vera", fontSize=9.5, leading=12)
    return {
        "name": ParagraphStyle("name", body, fontName="VeraBd", fontSize=20, leading=24),
        "label": ParagraphStyle("label", body, fontSize=11, leading=14),
        "body": body,
        "small": ParagraphStyle("small", body, fontSize=8.5, leading=11),
        "title": ParagraphStyle(
            "title", body, fontName="VeraBd", fontSize=10.5, spaceBefore=10, spaceAfter=3
        ),
        "role": ParagraphStyle("role", body, fontName="VeraBd", spaceBefore=6),
        "bullet": ParagraphStyle(
            "bullet", body, leftIndent=12, bulletIndent=2, bulletFontName="Vera"
        ),
    }


def _para(text: str, style: Any, bullet: bool = False) -> Any:

    return Paragraph(escape(text), style, bulletText="•" if bullet else None)


def _experience(cv: dict[str, Any], styles: dict[str, Any], narrow: bool = False) -> list[Any]:
    """Each role on one line, or in a narrow column as a title line over a dates line."""
    flow = [_para("EXPERIENCE", styles["title"])]
    for job in cv["work"]:
        if narrow:
            flow += [_para(f"{job['position']} — {job['name']}", styles["role"])]
            flow += [_para(role_dates(job), styles["body"]), _para(job["summary"], styles["body"])]
        else:
            flow += [_para(role_line(job), styles["role"]), _para(role_detail(job), styles["body"])]
        flow += [_para(line, styles["bullet"], bullet=True) for line in job["highlights"]]
    return flow


def _projects(cv: dict[str, Any], styles: dict[str, Any]) -> list[Any]:
    flow = [_para("PROJECTS", styles["title"])]
    for project in cv["projects"]:
        flow += [_para(project_line(project), styles["role"])]
        flow += [_para(project["description"], styles["body"])]
        flow += [_para(line, styles["bullet"], bullet=True) for line in project["highlights"]]
    return flow


def _bullets(title: str, items: list[str], styles: dict[str, Any]) -> list[Any]:
    flow = [_para(title, styles["title"])]
    return flow + [_para(item, styles["bullet"], bullet=True) for item in items]


def _publications_and_awards(cv: dict[str, Any], styles: dict[str, Any]) -> list[Any]:
    papers = [f"{publication_line(p)}. {p['summary']}" for p in cv["publications"]]
    awards = [f"{award_line(a)}. {a['summary']}" for a in cv["awards"]]
    return _bullets("PUBLICATIONS", papers, styles) + _bullets("AWARDS", awards, styles)


def _skills(cv: dict[str, Any], styles: dict[str, Any]) -> list[Any]:
    flow = [_para("SKILLS", styles["title"])]
    return flow + [_para(skill_line(skill), styles["body"]) for skill in cv["skills"]]


def one_column_pdf(cv: dict[str, Any]) -> bytes:
    """A conventional one-column CV."""

    styles = _styles()
    basics = cv["basics"]
    flow = [
        _para(basics["name"], styles["name"]),
        _para(basics["label"], styles["label"]),
        _para(" · ".join(contact_items(basics)), styles["small"]),
        _para("SUMMARY", styles["title"]),
        _para(basics["summary"], styles["body"]),
        *_experience(cv, styles),
        *_projects(cv, styles),
        _para("EDUCATION", styles["title"]),
        *[_para(education_line(school), styles["body"]) for school in cv["education"]],
        *_publications_and_awards(cv, styles),
        *_skills(cv, styles),
        _para("LANGUAGES", styles["title"]),
        _para(", ".join(language_line(lang) for lang in cv["languages"]), styles["body"]),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=LETTER, invariant=1, title=f"{basics['name']} – CV", author=basics["name"]
    )
    document.leftMargin = document.rightMargin = 48
    document.topMargin = document.bottomMargin = 48
    document.build(flow)
    return buffer.getvalue()


def _sidebar(cv: dict[str, Any], styles: dict[str, Any]) -> list[Any]:
    """The narrow left column: contact, skills, education, languages."""
    basics = cv["basics"]
    flow = [_para("CONTACT", styles["title"])]
    flow += [_para(item, styles["small"]) for item in contact_items(basics)]
    flow += [_para("SKILLS", styles["title"])]
    for skill in cv["skills"]:
        flow += [_para(skill["name"], styles["role"])]
        flow += [_para(", ".join(skill["keywords"]), styles["small"])]
    flow += [_para("EDUCATION", styles["title"])]
    for school in cv["education"]:
        flow += [_para(f"{school['studyType']}, {school['area']}", styles["role"])]
        flow += [_para(f"{school['institution']}, {date_range(school)}", styles["small"])]
    flow += [_para("LANGUAGES", styles["title"])]
    return flow + [_para(language_line(lang), styles["small"]) for lang in cv["languages"]]


def two_column_pdf(cv: dict[str, Any]) -> bytes:
    """The name across the top, a narrow left column and a wide right one, then right only."""

    width, height = LETTER
    margin, gutter, left_width = 40.0, 18.0, 170.0
    right_x = margin + left_width + gutter
    right_width = width - margin - right_x
    body_top = height - margin - 62
    first = PageTemplate(
        "first",
        [
            Frame(margin, body_top, width - 2 * margin, 62, id="header"),
            Frame(margin, margin, left_width, body_top - margin, id="left"),
            Frame(right_x, margin, right_width, body_top - margin, id="right"),
        ],
    )
    later = PageTemplate("later", [Frame(right_x, margin, right_width, height - 2 * margin)])
    styles = _styles()
    basics = cv["basics"]
    flow = [
        _para(basics["name"], styles["name"]),
        _para(basics["label"], styles["label"]),
        FrameBreak(),
        *_sidebar(cv, styles),
        FrameBreak(),
        NextPageTemplate("later"),
        _para("SUMMARY", styles["title"]),
        _para(basics["summary"], styles["body"]),
        *_experience(cv, styles, narrow=True),
        *_projects(cv, styles),
        *_publications_and_awards(cv, styles),
    ]
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer, pagesize=LETTER, invariant=1, title=f"{basics['name']} – CV", author=basics["name"]
    )
    document.addPageTemplates([first, later])
    document.build(flow)
    return buffer.getvalue()


# --- DOCX ---------------------------------------------------------------------------------------


def _add_hyperlink(paragraph: Any, url: str, text: str) -> None:
    """Append a clickable link; python-docx has no API for making one."""

    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def _docx_header(document: Any, basics: dict[str, Any]) -> None:
    document.add_heading(basics["name"], level=0)
    document.add_paragraph(basics["label"])
    contact = document.add_paragraph(
        " · ".join([location(basics), basics["email"], basics["phone"]]) + " · "
    )
    _add_hyperlink(contact, basics["url"], bare_url(basics["url"]))
    for profile in basics.get("profiles", []):
        contact.add_run(" · ")
        _add_hyperlink(contact, profile["url"], bare_url(profile["url"]))


def _docx_entries(document: Any, title: str, entries: list[tuple[str, str, list[str]]]) -> None:
    """A Heading 1 section of Heading 2 entries, each with a detail line and bullets."""
    document.add_heading(title, level=1)
    for head, detail, bullets in entries:
        document.add_heading(head, level=2)
        if detail:
            document.add_paragraph(detail)
        for bullet in bullets:
            document.add_paragraph(bullet, style="List Bullet")


def docx_bytes(cv: dict[str, Any]) -> bytes:
    """The CV as a Word document with real heading and list styles."""

    document = docx.Document()
    basics = cv["basics"]
    _docx_header(document, basics)
    document.add_heading("Summary", level=1)
    document.add_paragraph(basics["summary"])
    work = [(role_line(j), role_detail(j), j["highlights"]) for j in cv["work"]]
    _docx_entries(document, "Experience", work)
    projects = [(project_line(p), p["description"], p["highlights"]) for p in cv["projects"]]
    _docx_entries(document, "Projects", projects)
    _docx_entries(document, "Education", [(education_line(s), "", []) for s in cv["education"]])
    papers: list[tuple[str, str, list[str]]] = [
        (publication_line(p), p["summary"], []) for p in cv["publications"]
    ]
    _docx_entries(document, "Publications", papers)
    _docx_entries(document, "Awards", [(award_line(a), a["summary"], []) for a in cv["awards"]])
    document.add_heading("Skills", level=1)
    for skill in cv["skills"]:
        document.add_paragraph(skill_line(skill), style="List Bullet")
    document.add_heading("Languages", level=1)
    document.add_paragraph(", ".join(language_line(lang) for lang in cv["languages"]))
    _fix_core_properties(document.core_properties, basics["name"])
    buffer = io.BytesIO()
    document.save(buffer)
    return _with_fixed_zip_dates(buffer.getvalue())


def _fix_core_properties(properties: Any, author: str) -> None:
    properties.author = properties.last_modified_by = author
    properties.title = f"{author} – CV"
    properties.created = properties.modified = properties.last_printed = FIXED_DATE
    properties.revision = 1


def _with_fixed_zip_dates(data: bytes) -> bytes:
    """The same zip with every entry dated FIXED_DATE (python-docx stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_DATE.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


def posting_pdf(text: str) -> bytes:
    """A plain-text job posting as a PDF: headings in bold, "- " items as bullets."""
    styles = _styles()
    flow = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if line.startswith("- "):
            flow.append(_para(line[2:], styles["bullet"], bullet=True))
        elif index == 0 or (len(line) < 40 and not line.endswith(".")):
            flow.append(_para(line, styles["title"]))
        else:
            flow.append(_para(line, styles["body"]))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=LETTER, invariant=True, title="Research Scientist, LLM Evaluations"
    )
    document.build(flow)
    return buffer.getvalue()


def main() -> None:
    cv = json.loads(SOURCE.read_text(encoding="utf-8"))
    posting = (HERE / "postings" / "research-scientist-llm-evals.txt").read_text(encoding="utf-8")
    outputs = {
        "jordan-reyes.pdf": one_column_pdf(cv),
        "jordan-reyes-two-column.pdf": two_column_pdf(cv),
        "jordan-reyes.docx": docx_bytes(cv),
        "postings/research-scientist-llm-evals.pdf": posting_pdf(posting),
    }
    for name, data in outputs.items():
        (HERE / name).write_bytes(data)
        print(f"wrote examples/{name} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
