"""rendercv output (`.rendercv.yaml`): rendercv accepts what tailor writes and renders it,
tailor's own reader reads it back to the same CV, a rendercv file's design, locale and settings
survive tailoring, and text prints as written."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from rendercv import api as rendercv_api

import tailor
from tailor.cv.layout import layout, source_order
from tailor.cv.model import CV, Bullet
from tailor.cv.readers.rendercv import WORD_JOINER, unmarked
from tailor.renderers import render_bytes, renderer_for
from tailor.renderers.rendercv import rendercv_text
from tests.conftest import ALL_CVS, CVS, EXAMPLES
from tests.rendered import loaded, tailored

EXAMPLE_CVS = [path for path in ALL_CVS if path.parent == EXAMPLES]
# the fictional CVs of the test data besides: every JSON Resume field, long and academic ones
DATA_CVS = sorted(CVS.glob("*.*"))
RENDERCV_EXAMPLE = EXAMPLES / "jordan-reyes.rendercv.yaml"


def ids(value: object) -> str:
    return value.name if isinstance(value, Path) else str(value)


@cache
def written(path: Path, target: str | None = None) -> str:
    """The CV at `path` (tailored for `target`) as tailor writes it for rendercv (once)."""
    if target is None:
        return render_bytes(loaded(path), "rendercv.yaml").decode("utf-8")
    result = tailored(path, target)
    return render_bytes(result.cv, "rendercv.yaml", result.section_order).decode("utf-8")


def accepted(text: str) -> Any:
    """rendercv's own data model of the YAML, read with rendercv's own YAML reader."""
    return rendercv_api.read_a_yaml_string_and_return_a_data_model(text)


# -- rendercv accepts it ----------------------------------------------------------------------


@pytest.mark.parametrize("path", [*EXAMPLE_CVS, *DATA_CVS], ids=ids)
def test_rendercv_accepts_every_cv(path: Path) -> None:
    model = accepted(written(path))
    assert model.cv.name == loaded(path).basics.name
    assert model.cv.sections


@pytest.mark.parametrize("path", EXAMPLE_CVS, ids=ids)
def test_rendercv_accepts_every_tailored_cv(path: Path) -> None:
    assert accepted(written(path, "startup")).cv.sections


# rendercv 2.4 and later need Python 3.12: their schema (v2.8's, saved verbatim) stands in
RENDERCV_SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "data" / "rendercv-schema.json").read_text("utf-8")
)


def newest_schema_errors(text: str) -> list[str]:
    """Where the YAML breaks the newest rendercv schema: each error's path and message."""
    validator = jsonschema.validators.validator_for(RENDERCV_SCHEMA)(RENDERCV_SCHEMA)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
        for error in validator.iter_errors(yaml.safe_load(text))
    ]


@pytest.mark.parametrize("path", [*EXAMPLE_CVS, *DATA_CVS], ids=ids)
def test_the_newest_rendercv_schema_accepts_every_cv(path: Path) -> None:
    assert newest_schema_errors(written(path)) == []
    assert newest_schema_errors(written(path, "startup")) == []


def test_the_newest_rendercv_schema_check_finds_a_broken_file() -> None:
    assert newest_schema_errors(written(RENDERCV_EXAMPLE) + "design:\n  theme: 7\n") != []
    assert newest_schema_errors("cv:\n  name: Ada\n  sections: 3\n") != []


def typst_text(source: str) -> str:
    """What Typst prints for rendercv's escaped text: its asterisks, escaped characters and
    word joiners undone, its spacing collapsed."""
    source = source.replace("#sym.ast.basic#h(0pt, weak: true) ", "*")
    source = source.replace("#sym.ast.basic", "*")
    source = re.sub(r"\\(.)", r"\1", source).replace(WORD_JOINER, "")
    return " ".join(source.split())


def markdown_text(source: str) -> str:
    """What a Markdown reader shows for rendercv's Markdown, as plain text."""
    import lxml.html
    import markdown

    html = markdown.markdown(source)
    text = lxml.html.fromstring(f"<div>{html}</div>").text_content()
    return " ".join(text.replace(WORD_JOINER, "").split())


@pytest.mark.parametrize(
    ("path", "target"),
    [(EXAMPLES / "jordan-reyes.md", "startup"), (CVS / "jsonresume-full.json", None)],
    ids=ids,
)
def test_rendercv_renders_it_to_typst_and_markdown(path: Path, target: str | None) -> None:
    text = written(path, target)
    cv = tailored(path, target).cv if target else loaded(path)
    typst = rendercv_api.create_contents_of_a_typst_file_from_a_yaml_string(text)
    assert isinstance(typst, str), typst  # else rendercv's list of errors
    shown = typst_text(typst)
    assert cv.basics.name and cv.basics.name in shown
    for bullet in cv.bullets():
        assert " ".join(bullet.text.split()) in shown
    markdown = rendercv_api.create_contents_of_a_markdown_file_from_a_yaml_string(text)
    assert isinstance(markdown, str), markdown
    assert all(bullet.text in markdown for bullet in cv.bullets())


# -- tailor reads it back whole ----------------------------------------------------------------


def read_back(text: str) -> CV:
    return tailor.read_cv(text.encode("utf-8"), name="cv.rendercv.yaml")


def assert_same_content(back: CV, cv: CV, section_order: list[str] | None = None) -> None:
    """Every section, entry, bullet, date and link shows as it did (tailor's layout of the CV,
    which every renderer draws), with the dates and links of the model itself."""
    assert layout(back) == layout(cv, section_order)
    for kind in ("work", "volunteer", "education", "projects"):
        dates = [(e.start_date, e.end_date) for e in getattr(back, kind)]
        assert dates == [(e.start_date, e.end_date) for e in getattr(cv, kind)], kind
    assert [b.text for b in back.bullets()] == [b.text for b in cv.bullets()]
    assert links(back) == links(cv)


def links(cv: CV) -> list[str]:
    basics = [cv.basics.url, *(p.url for p in cv.basics.profiles)]
    entries = [
        e.url for kind in ("work", "volunteer", "education", "projects") for e in getattr(cv, kind)
    ]
    others = [p.url for p in cv.publications] + [c.url for c in cv.certificates]
    return [url for url in [*basics, *entries, *others] if url]


@pytest.mark.parametrize("path", [*EXAMPLE_CVS, *DATA_CVS], ids=ids)
def test_tailor_reads_it_back_to_the_same_cv(path: Path) -> None:
    back = read_back(written(path))
    assert_same_content(back, loaded(path))
    assert back.origin is not None and back.origin.format == "rendercv-yaml"


@pytest.mark.parametrize("path", EXAMPLE_CVS, ids=ids)
def test_a_tailored_cv_reads_back_in_its_section_order(path: Path) -> None:
    result = tailored(path, "startup")
    back = read_back(written(path, "startup"))
    assert_same_content(back, result.cv, result.section_order)
    order = source_order(back)
    assert order == [kind for kind in result.section_order if kind in order]
    assert back.origin is not None and back.origin.warnings == []


def test_what_rendercv_needs_is_filled_in() -> None:
    """A role with no title, a degree with no field: rendercv requires the keys."""
    cv = CV.model_validate(
        {
            "basics": {"name": "Ada", "phone": "555-0100", "email": "ada@site.test"},
            "work": [{"name": "Acme", "startDate": "2020", "endDate": "2019"}],
            "education": [{"institution": "Uni", "startDate": "Fall 2012"}],
            "publications": [{"name": "A paper", "url": "https://example.org/p"}],
        }
    )
    text = render_bytes(cv, "rendercv.yaml").decode()
    assert accepted(text).cv.sections
    back = read_back(text)
    assert layout(back) == layout(cv)
    # a number rendercv cannot read and an address it refuses are connections of its own
    assert back.basics.phone == "555-0100" and back.basics.email == "ada@site.test"


# -- design passes through ---------------------------------------------------------------------

DESIGN = """
design:
  theme: engineeringresumes
  page:
    size: a4
    show_last_updated_date: false
  colors:
    name: rgb(0,79,144)
locale:
  language: en
  phone_number_format: international
  date_template: MONTH_ABBREVIATION YEAR
rendercv_settings:
  bold_keywords:
    - PyTorch
  sort_entries: none
"""


@pytest.fixture
def themed_source(tmp_path: Path) -> Path:
    """The rendercv example with a design, a locale and settings of its own."""
    source = tmp_path / "cv.rendercv.yaml"
    source.write_text(RENDERCV_EXAMPLE.read_text(encoding="utf-8") + DESIGN, encoding="utf-8")
    return source


def test_a_rendercv_design_locale_and_settings_pass_through(
    themed_source: Path, tmp_path: Path
) -> None:
    result = tailor.rewrite(tailor.load_cv(themed_source), "startup")
    target = tailor.render(result, tmp_path / "out.rendercv.yaml")
    out = yaml.safe_load(target.read_text(encoding="utf-8"))
    given_ = yaml.safe_load(themed_source.read_text(encoding="utf-8"))
    assert list(out) == ["cv", "design", "locale", "rendercv_settings"]
    for key in ("design", "locale", "rendercv_settings"):
        assert out[key] == given_[key]
    model = accepted(target.read_text(encoding="utf-8"))
    assert model.design.theme == "engineeringresumes"


def test_newer_rendercv_settings_pass_through_too(tmp_path: Path) -> None:
    """rendercv 2.4 and later call them `settings`; tailor copies whatever the file has."""
    source = RENDERCV_EXAMPLE.read_text(encoding="utf-8")
    extra = (
        "design:\n  theme: sb2nov\n  page:\n    size: us-letter\n"
        "settings:\n  bold_keywords: [Python]\nlocale:\n  language: french\n"
    )
    cv = tailor.read_cv((source + extra).encode(), name="cv.rendercv.yaml")
    text = render_bytes(tailor.rewrite(cv, "startup").cv, "rendercv.yaml").decode("utf-8")
    out = yaml.safe_load(text)
    assert out["design"] == {"theme": "sb2nov", "page": {"size": "us-letter"}}
    assert out["settings"] == {"bold_keywords": ["Python"]}
    assert out["locale"] == {"language": "french"}
    assert newest_schema_errors(text) == []  # a 2.4+ file stays one the newest rendercv takes


_SOURCE = (
    "cv:\n  name: Ada\n  sections:\n    Experience:\n    - company: Acme\n      position: Eng\n"
)


@pytest.mark.parametrize(
    "source",
    [
        _SOURCE + '"design":\n  theme: sb2nov  # mine\n',
        _SOURCE + "design: {theme: sb2nov}\n",
        "\ufeffdesign:\n  theme: sb2nov\n" + _SOURCE,
        (_SOURCE + "design:\n  theme: sb2nov\n").replace("\n", "\r\n"),
        _SOURCE + "? design\n: theme: sb2nov\n",
        '{"cv": {"name": "Ada", "sections": {"Experience": [{"company": "Acme"}]}},\n'
        ' "design": {"theme": "sb2nov"}}\n',
    ],
    ids=["quoted-key", "flow", "bom-first", "crlf", "explicit-key", "json"],
)
def test_a_design_passes_through_however_the_file_writes_it(source: str) -> None:
    cv = tailor.read_cv(source.encode("utf-8"), name="cv.rendercv.yaml")
    out = yaml.safe_load(render_bytes(tailor.rewrite(cv, "startup").cv, "rendercv.yaml"))
    assert out["design"] == {"theme": "sb2nov"}


def test_the_blocks_pass_through_as_written() -> None:
    """Copied as text: a YAML 1.1 reading would make rendercv's `language: no` false, `1:30`
    a number, and lose the comments."""
    source = RENDERCV_EXAMPLE.read_text(encoding="utf-8")
    block = "locale:\n  # Norwegian\n  language: no\n  custom_note: 1:30\n"
    cv = tailor.read_cv((source + block).encode(), name="cv.rendercv.yaml")
    written_text = render_bytes(cv, "rendercv.yaml").decode()
    assert block in written_text
    assert written_text.index("cv:") < written_text.index(block)


def test_without_a_rendercv_source_no_design_is_written() -> None:
    out = yaml.safe_load(written(EXAMPLES / "jordan-reyes.md"))
    assert list(out) == ["cv"]  # rendercv's default theme
    assert accepted(written(EXAMPLES / "jordan-reyes.md")).design.theme == "classic"


# -- text prints as written --------------------------------------------------------------------

HOSTILE = [
    "Shipped C# and F# services, ranked #1 of 40 and tagged #mlops",
    "Cut cost 5 * 3 = 15 times; a*b*c and *** stay asterisks",
    "Priced at $5, then $$x^2$$ and $$$ stay dollars",
    "Wrote <b>bold</b> HTML, a <label> and @mention at 100% ~tilde_under",
    "Ran A - B - C as a dash, not a nested bullet",
    "Kept {{ name }} and {% raw %} and ((* x *)) and << y >> as text",
    "The words DATE, URL, LOCATION and SUMMARY stay words",
    'Quoted "this" (and that) / slashes',
    "C# and [bracketed] text after a hash",
    r"Kept C:\new\table and a\*b and a lone \ backslash",
    "Ran `rm -rf /tmp/x` in a code span and a lone ` backtick",
    "long " * 200 + "end",
]


@pytest.fixture(scope="module")
def hostile() -> tuple[CV, str]:
    cv = tailor.load_cv(EXAMPLES / "jordan-reyes.md")
    cv.work[0].highlights = [Bullet(text=text) for text in HOSTILE]
    cv.work[0].summary = HOSTILE[0]
    return cv, render_bytes(cv, "rendercv.yaml").decode("utf-8")


def test_hostile_text_reads_back_exactly(hostile: tuple[CV, str]) -> None:
    text = hostile[1]
    back = read_back(text)
    assert [b.text for b in back.work[0].highlights] == HOSTILE
    assert back.work[0].summary == HOSTILE[0]
    assert accepted(text).cv.sections


def test_hostile_text_stays_literal_in_rendercv_typst(hostile: tuple[CV, str]) -> None:
    typst = rendercv_api.create_contents_of_a_typst_file_from_a_yaml_string(hostile[1])
    assert isinstance(typst, str), typst
    items = typst.split("#highlights(", 1)[1].split("\n  ],", 1)[0]
    shown = typst_text(items)
    for line in HOSTILE:
        assert " ".join(line.split()) in shown, line
    assert "#link" not in items and "#strong" not in items and "#emph" not in items
    assert "$x" not in items.replace("\\$", "")  # no equation


def test_hostile_text_stays_literal_in_rendercv_markdown(hostile: tuple[CV, str]) -> None:
    markdown = rendercv_api.create_contents_of_a_markdown_file_from_a_yaml_string(hostile[1])
    assert isinstance(markdown, str), markdown
    shown = markdown_text(markdown)
    for line in HOSTILE:
        assert " ".join(line.split()) in shown, line


@pytest.mark.parametrize(
    "title",
    [
        "Talks #strong[BOLD] <lab>",
        "Talks in C# [selected]",
        "Talks at C:\\temp and `x` and a * star",
        "Talks in $$x$$ and 100% ~ _under_ @ref",
    ],
)
def test_a_section_title_prints_as_written_in_rendercv_and_reads_back(
    title: str, tmp_path: Path
) -> None:
    """The title line of rendercv's Typst, compiled, prints the title as written (in
    rendercv's capitals)."""
    import pdfplumber
    import typst

    cv = tailor.load_cv(EXAMPLES / "jordan-reyes.md")
    setattr(cv, "additionalSections", [{"title": title, "lines": ["One talk."]}])  # noqa: B010
    text = render_bytes(cv, "rendercv.yaml").decode("utf-8")
    source = rendercv_api.create_contents_of_a_typst_file_from_a_yaml_string(text)
    assert isinstance(source, str), source
    [heading] = [line for line in source.splitlines() if line.startswith("== Talks")]
    page = tmp_path / "title.typ"
    page.write_text(heading.removeprefix("== ") + "\n", encoding="utf-8")
    with pdfplumber.open(io.BytesIO(typst.compile(str(page)))) as pdf:
        printed = pdf.pages[0].extract_text()
    # rendercv capitalises a title's words and reads "_" as a space: its own conversion
    from rendercv.data.models.computers import dictionary_key_to_proper_section_title

    assert " ".join(printed.split()) == " ".join(
        dictionary_key_to_proper_section_title(title).split()
    )
    back = read_back(text)
    assert [s["title"] for s in (back.model_extra or {})["additionalSections"]] == [title]


def test_a_names_link_stays_when_the_entry_links_elsewhere() -> None:
    entry = "      - name: '[Tool](https://a.example)'\n        url: https://b.example\n"
    same = "      - name: '[Kit](https://c.example)'\n        url: https://c.example/\n"
    text = f"cv:\n  name: A\n  sections:\n    projects:\n{entry}{same}"
    cv = tailor.read_cv(text.encode(), name="cv.rendercv.yaml")
    assert [(p.name, p.url) for p in cv.projects] == [
        ("[Tool](https://a.example)", "https://b.example"),
        ("Kit", "https://c.example"),
    ]


def test_emphasis_and_links_stay_markup() -> None:
    cv = tailor.load_cv(EXAMPLES / "jordan-reyes.md")
    line = "Made it **fast** with *care*; see [the post](https://example.org/post)"
    cv.work[0].highlights = [Bullet(text=line)]
    text = render_bytes(cv, "rendercv.yaml").decode("utf-8")
    typst = rendercv_api.create_contents_of_a_typst_file_from_a_yaml_string(text)
    assert "#strong[fast]" in typst and "#emph[care]" in typst
    assert '#link("https://example.org/post")[the post]' in typst
    assert read_back(text).work[0].highlights[0].text == line


def test_a_rendercv_bullet_keeps_its_nested_bullets() -> None:
    """rendercv makes " - " a nested bullet: in text that came from rendercv, it is one."""
    cv = tailor.load_cv(RENDERCV_EXAMPLE)
    cv.work[0].highlights[0] = Bullet(text="Led the work - first part - second part")
    out = yaml.safe_load(render_bytes(cv, "rendercv.yaml"))
    assert out["cv"]["sections"]["Experience"][0]["highlights"][0] == cv.work[0].highlights[0].text


@given(st.text(alphabet="ab #*$<>[]()-_\\`\n{}%@~DATEURL", max_size=40))
@example("*\\`*")  # a backslash within emphasis: found by hypothesis
def test_the_reader_undoes_what_the_writer_marks(text: str) -> None:
    assert unmarked(rendercv_text(text)) == text


def test_the_yaml_is_plain_and_unicode() -> None:
    cv = tailor.load_cv(EXAMPLES / "jordan-reyes.md")
    cv.basics.name = "Zoë Ångström"
    cv.work[1].highlights = cv.work[0].highlights  # one list twice: written out twice
    text = render_bytes(cv, "rendercv.yaml").decode("utf-8")
    assert "Zoë Ångström" in text and "&id" not in text and "*id" not in text
    assert yaml.safe_load(text)["cv"]["name"] == "Zoë Ångström"


# -- the file name asks for it -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["cv.rendercv.yaml", "cv.rendercv.yml", "CV.RenderCV.YAML"])
def test_the_double_extension_picks_rendercv(name: str) -> None:
    assert renderer_for(Path(name)) == "rendercv"


def test_a_plain_yaml_output_is_refused_naming_rendercv(tmp_path: Path) -> None:
    with pytest.raises(tailor.UserError, match=r"\.rendercv\.yaml"):
        tailor.render(loaded(EXAMPLES / "jordan-reyes.md"), tmp_path / "cv.yaml")
    assert list(tmp_path.iterdir()) == []


def test_the_cli_writes_rendercv(
    run_tailor: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    output = tmp_path / "out.rendercv.yaml"
    result = run_tailor("rewrite", str(RENDERCV_EXAMPLE), "-t", "startup", "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert accepted(output.read_text(encoding="utf-8")).cv.name == "Jordan Reyes"


def test_the_cli_never_writes_over_the_rendercv_source(
    run_tailor: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    source = tmp_path / "cv.rendercv.yaml"
    shutil.copyfile(RENDERCV_EXAMPLE, source)
    before = source.read_bytes()
    result = run_tailor("rewrite", str(source), "-t", "startup", "-o", str(source), "--force")
    assert result.returncode != 0
    assert "never replaces its input" in result.stderr
    assert source.read_bytes() == before


def test_a_batch_writes_rendercv_and_its_letters_as_json(
    run_tailor: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    posting = str(EXAMPLES / "postings" / "startup-inference.md")
    result = run_tailor(
        "batch", str(RENDERCV_EXAMPLE), "-t", "startup", "--jd", posting, "--task", "rewrite",
        "--letter", "-f", "rendercv.yaml", "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    written_cvs = sorted(out.rglob("*.cv.rendercv.yaml"))
    assert len(written_cvs) == 1
    assert accepted(written_cvs[0].read_text(encoding="utf-8")).cv.name == "Jordan Reyes"
    letters = sorted(path.name for path in out.rglob("*.letter*"))
    assert letters and not [name for name in letters if name.endswith(".rendercv.yaml")]


# -- rendercv prints what tailor shows ---------------------------------------------------------

WEB_CVS = sorted((Path(__file__).resolve().parents[1] / "data" / "real" / "web").glob("*.json"))
_DATE_PIECE = re.compile(
    r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w* )?\d{4}"
    r"(?: – (?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w* )?(?:\d{4}|Present))?"
)


def printed_text(typst: str) -> str:
    """The text of rendercv's Typst body as it prints: a link as its label then its address."""
    body = typst.split("\n= ", 1)[1]
    body = re.sub(
        r'#?(?:original-)?link\("([^"]*)"\)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]', r"\2 \1", body
    )
    body = re.sub(r"#fa-icon\([^)]*\)|#h\([^)]*\)|#v\([^)]*\)", " ", body)
    body = body.replace(".:]", ".]")  # a label that ends a sentence: "Inc.: Thomas..."
    body = re.sub(r"#(?:strong|emph|box)\[", "", body).replace("[", " ").replace("]", " ")
    return typst_text(body)


def shown_pieces(cv: CV) -> list[str]:
    """Every piece of text tailor's own PDF shows (its layout), dates aside: the header, each
    section's title, each entry's lines and bullets, each item's parts."""
    document = layout(cv)
    header = [document.name, document.label or "", *(c.text for c in document.contacts)]
    pieces = []
    for section in document.sections:
        pieces.append(section.title)
        pieces.append(section.paragraph or "")
        for entry in section.entries:
            pieces += [entry.title, entry.organization or "", entry.location or ""]
            pieces += [*entry.lines, *entry.bullets]
        for item in section.items:
            pieces += [item.label or "", item.text]
    flat = [" ".join(re.sub(r"\[([^\[\]]*)\]\(([^()\s]+)\)", r"\1 \2", p).split()) for p in pieces]
    # the parts of a line, which rendercv may set apart ("Master of Science, Computer
    # Science" as two fields; "English (native speaker)" as "English: native speaker"),
    # and the addresses in it (the link behind a name)
    parts = [(part or "").strip() for piece in flat for part in re.split(_PARTS, piece)]
    parts = [re.sub(rf"[ ,]+{_DATE_PIECE.pattern}$", "", part) for part in parts]
    return [*header, *(part for part in parts if part and not _DATE_PIECE.fullmatch(part))]


_PARTS = re.compile(
    r"(?:, |; |: | \(|\):?(?= |$)"
    r"|\s*(https?://\S+|(?<!\S)[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?(?!\S)))"
)


def _shows(piece: str, text: str) -> bool:
    """Whether the text shows the piece: an address with or without its scheme, a phone
    number in any format (rendercv writes it as the locale says)."""
    if re.fullmatch(r"[+\d()\s.-]{7,}", piece):
        return re.sub(r"\D", "", piece)[-7:] in re.sub(r"\D", "", text)
    lowered = text.lower()
    return piece in text or piece.lower().rstrip("/") in lowered.replace("https://", "")


@pytest.mark.parametrize("path", [*EXAMPLE_CVS, *DATA_CVS, *WEB_CVS], ids=ids)
def test_rendercv_prints_every_piece_tailor_shows(path: Path) -> None:
    """Every piece is printed by rendercv 2.3, or stands where rendercv 2.4 and later print
    it (the headline, and the contact details 2.3 has no field for)."""
    cv = loaded(path)
    yaml_text = render_bytes(cv, "rendercv.yaml").decode("utf-8")
    typst = rendercv_api.create_contents_of_a_typst_file_from_a_yaml_string(yaml_text)
    assert isinstance(typst, str), typst
    text = printed_text(typst)
    header = yaml.safe_load(yaml_text)["cv"]
    printed_by_2_4 = str([header.get("headline"), header.get("custom_connections")])
    missing = [
        piece
        for piece in shown_pieces(cv)
        if not _shows(piece, text) and not _shows(piece, printed_by_2_4)
    ]
    assert missing == [], "\n".join(missing)


# -- the header as rendercv takes and prints it -------------------------------------------------


def _header_cv(**basics: Any) -> CV:
    return CV.model_validate({"basics": {"name": "Ada", **basics}, "work": [{"name": "Acme"}]})


def test_a_phone_without_its_country_code_takes_the_country_of_the_address() -> None:
    cv = _header_cv(phone="(912) 555-4321", location={"city": "Austin", "countryCode": "US"})
    text = render_bytes(cv, "rendercv.yaml").decode()
    assert accepted(text).cv.phone == "tel:+1-912-555-4321"
    typst = rendercv_api.create_contents_of_a_typst_file_from_a_yaml_string(text)
    assert isinstance(typst, str) and "555-4321" in typst


def test_what_rendercv_2_3_does_not_print_is_logged_by_field(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The log names the fields rendercv 2.3 does not print, and holds nothing of the CV."""
    cv = _header_cv(label="Engineer", profiles=[{"network": "Twitter", "username": "ada"}])
    with caplog.at_level("WARNING", logger="tailor.renderers"):
        render_bytes(cv, "rendercv.yaml")
    assert "the headline and 1 contact detail (custom_connections)" in caplog.text
    assert "Engineer" not in caplog.text and "ada" not in caplog.text.lower()


def test_a_username_on_a_network_rendercv_does_not_know_is_kept() -> None:
    cv = _header_cv(profiles=[{"network": "Twitter", "username": "ada"}, {"username": "lace"}])
    back = read_back(render_bytes(cv, "rendercv.yaml").decode())
    assert [(p.network, p.username) for p in back.basics.profiles] == [
        ("Twitter", "ada"),
        (None, "lace"),
    ]
    assert back.basics.url is None


def test_a_rendercv_photo_is_read_and_written_back() -> None:
    source = RENDERCV_EXAMPLE.read_text(encoding="utf-8").replace(
        "cv:\n", "cv:\n  photo: me.jpg\n", 1
    )
    cv = read_back(source)
    assert cv.basics.image == "me.jpg"
    assert yaml.safe_load(render_bytes(cv, "rendercv.yaml"))["cv"]["photo"] == "me.jpg"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "a..b@x.com"),
        ("email", "a@-x.com"),
        ("url", "https://a.b:99999"),
    ],
)
def test_an_address_rendercv_refuses_is_kept_as_text(field: str, value: str) -> None:
    text = render_bytes(_header_cv(**{field: value}), "rendercv.yaml").decode()
    model = accepted(text)
    assert model.cv.email is None and model.cv.website is None
    assert getattr(read_back(text).basics, field) == value


def test_header_text_prints_as_written() -> None:
    name, label, city = "Ada #strong[Lovelace]", "C# *lead*", "Town #emph[x]"
    cv = _header_cv(label=label, location={"city": city})
    cv.basics.name = name
    text = render_bytes(cv, "rendercv.yaml").decode()
    typst = rendercv_api.create_contents_of_a_typst_file_from_a_yaml_string(text)
    assert isinstance(typst, str), typst
    header = typst.split("\n= ", 1)[1].split("#connections(", 1)[0]
    assert "#strong[Lovelace]" not in header and "#emph[x]" not in header
    back = read_back(text).basics
    assert (back.name, back.label, back.location and back.location.city) == (name, label, city)


def test_odd_but_readable_rendercv_files_write_back() -> None:
    """What the reader takes, the writer takes too: a tab after a value, an entry url that
    is a number."""
    source = (
        "cv:\n  name: Ada Lovelace\t\n  sections:\n    projects:\n"
        "      - name: '[Tool](https://a.example)'\n        url: 123\n"
        "design:\n  theme: sb2nov\n"
    )
    cv = tailor.read_cv(source.encode(), name="cv.rendercv.yaml")
    assert cv.projects[0].name == "[Tool](https://a.example)"
    out = yaml.safe_load(render_bytes(tailor.rewrite(cv, "startup").cv, "rendercv.yaml"))
    assert out["design"] == {"theme": "sb2nov"}
