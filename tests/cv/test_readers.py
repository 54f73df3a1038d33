"""Picking a reader (extension, then content) and refusing bad input with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

import tailor
from tailor.cv.readers import sniff_format
from tailor.limits import CV_BYTES
from tests.conftest import EXAMPLES


@pytest.mark.parametrize(
    ("filename", "fmt"),
    [
        ("jordan-reyes.md", "markdown"),
        ("jordan-reyes.txt", "text"),
        ("jordan-reyes.json", "json"),
        ("jordan-reyes.yaml", "yaml"),
        ("jordan-reyes.rendercv.yaml", "rendercv-yaml"),
        ("jordan-reyes.pdf", "pdf"),
        ("jordan-reyes.docx", "docx"),
    ],
)
def test_every_example_format_loads(filename: str, fmt: str) -> None:
    cv = tailor.load_cv(EXAMPLES / filename)
    assert cv.origin is not None and cv.origin.format == fmt
    assert cv.basics.name and cv.basics.name.lower() == "jordan reyes"
    assert len(cv.work) == 3
    assert sum(1 for _ in cv.bullets()) >= 12


@pytest.mark.parametrize(
    ("filename", "fmt"),
    [
        ("jordan-reyes.pdf", "pdf"),
        ("jordan-reyes.docx", "docx"),
        ("jordan-reyes.json", "json"),
        ("jordan-reyes.yaml", "yaml"),
        ("jordan-reyes.rendercv.yaml", "yaml"),
        ("jordan-reyes.md", "markdown"),
        ("jordan-reyes.txt", "text"),
    ],
)
def test_content_sniffing_without_extension(filename: str, fmt: str) -> None:
    data = (EXAMPLES / filename).read_bytes()
    assert sniff_format(data) == fmt
    cv = tailor.read_cv(data, name="upload")
    assert len(cv.work) == 3


def test_sniffing_recognises_a_zip_that_is_not_docx() -> None:
    assert sniff_format(b"PK\x03\x04" + b"\x00" * 100) == "binary"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n\t ", "is empty"),
        (bytes(range(256)) * 40, "binary file"),
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00\x13" * 500, "binary file"),
    ],
)
def test_bad_bytes_are_user_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "cv.txt"
    path.write_bytes(content)
    with pytest.raises(tailor.UserError, match=message) as caught:
        tailor.load_cv(path)
    assert "\n" not in str(caught.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(tailor.UserError, match="no such file"):
        tailor.load_cv(tmp_path / "nope.md")
    with pytest.raises(tailor.UserError, match="is a folder"):
        tailor.load_cv(tmp_path)


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as file:
        file.truncate(CV_BYTES + 1)
    with pytest.raises(tailor.UserError, match="over 10 MB, the limit for a CV file"):
        tailor.load_cv(path)


def test_windows_1252_text_is_decoded() -> None:
    text = "Zoë Ångström\n\nEXPERIENCE\nEngineer, Café Labs (2020 - 2022)\n- Cut costs by 10%\n"
    cv = tailor.read_cv(text.encode("cp1252"), name="cv.txt")
    assert cv.basics.name == "Zoë Ångström"
    assert cv.work[0].name == "Café Labs"


@pytest.mark.parametrize(
    "filename",
    [
        "jordan-reyes.md",
        "jordan-reyes.txt",
        "jordan-reyes.pdf",
        "jordan-reyes.docx",
        "jordan-reyes-two-column.pdf",
    ],
)
def test_every_format_reads_the_same_cv_as_json_resume(filename: str) -> None:
    reference = tailor.load_cv(EXAMPLES / "jordan-reyes.json")
    cv = tailor.load_cv(EXAMPLES / filename)
    assert [(w.name, w.position, w.start_date, w.end_date) for w in cv.work] == [
        (w.name, w.position, w.start_date, w.end_date) for w in reference.work
    ]
    assert [b.text for b in cv.bullets()] == [b.text for b in reference.bullets()]
    assert [(p.name, p.url) for p in cv.projects] == [(p.name, p.url) for p in reference.projects]
    assert [(s.name, s.keywords) for s in cv.skills] == [
        (s.name, s.keywords) for s in reference.skills
    ]
    assert len(cv.publications) == len(reference.publications) == 1
    assert cv.publications[0].name and cv.publications[0].name.startswith(
        reference.publications[0].name or "?"
    )
    assert [lang.language for lang in cv.languages] == [
        lang.language for lang in reference.languages
    ]
    basics, expected = cv.basics, reference.basics
    assert (basics.email, basics.phone is not None, basics.url) == (
        expected.email,
        True,
        expected.url,
    )
    assert [p.url for p in basics.profiles] == [p.url for p in expected.profiles]
    assert [e.institution for e in cv.education] == [e.institution for e in reference.education]
    if filename != "jordan-reyes-two-column.pdf":  # its narrow column wraps degree names and dates
        assert [(e.study_type, e.area, e.start_date, e.end_date) for e in cv.education] == [
            (e.study_type, e.area, e.start_date, e.end_date) for e in reference.education
        ]


def test_old_binary_doc_is_refused_with_advice() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    for name in ("cv.doc", "upload"):
        with pytest.raises(tailor.UserError, match=r"old Word \.doc files are not supported"):
            tailor.read_cv(ole, name=name)
    with pytest.raises(tailor.UserError, match=r"old binary \.doc file"):
        tailor.read_cv(ole, name="cv.docx")


def test_a_docx_named_doc_is_read_as_docx() -> None:
    cv = tailor.read_cv((EXAMPLES / "jordan-reyes.docx").read_bytes(), name="cv.doc")
    assert len(cv.work) == 3
