"""Render every example CV in every theme to PNG, to look at by eye (a dev step, run by hand).

    .venv/bin/python docs/gallery/make_gallery.py [OUT]          # everything, into OUT
    .venv/bin/python docs/gallery/make_gallery.py --docs         # the docs' small gallery

Everything: each example CV of examples/ (as read, and tailored for each target) in each
theme, as the PDF's first page (pdftoppm, from poppler), the HTML page (headless Chromium) and
the Word file's first page (LibreOffice's PDF export), into OUT (default: build/gallery).
`--docs` writes only the gallery the docs show: Jordan Reyes's CV, page 1 of its PDF in each
theme at 60 dpi, into docs/gallery/. It needs poppler's `pdftoppm`; HTML and DOCX are drawn
where `chromium` and LibreOffice's `soffice` are on the PATH, and left out where they are not.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import tailor
from tailor.renderers import render_bytes
from tailor.renderers.themes import themes

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GALLERY = ROOT / "docs" / "gallery"
TARGETS = ("frontier-lab", "production-ml", "startup")
CV_SUFFIXES = (".md", ".txt", ".json", ".yaml", ".docx", ".pdf")
DOCS_CV = EXAMPLES / "jordan-reyes.md"
DOCS_DPI = 60


def pdf_page_png(pdf: bytes, png: Path, dpi: int) -> None:
    """Page 1 of a PDF as a PNG (pdftoppm names its output `<stem>.png` with -singlefile)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "cv.pdf"
        source.write_bytes(pdf)
        stem = png.with_suffix("")
        command = ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile"]
        subprocess.run([*command, str(source), str(stem)], check=True)


def html_png(html: bytes, png: Path) -> None:
    """An HTML page as a browser shows it, A4-wide, as a PNG."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "cv.html"
        page.write_bytes(html)
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--screenshot={png}",
                "--window-size=900,1300",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )


def docx_png(docx: bytes, png: Path) -> None:
    """Page 1 of a Word file as LibreOffice lays it out, as a PNG (through its PDF export)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "cv.docx"
        source.write_bytes(docx)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
            check=True,
            capture_output=True,
        )
        pdf_page_png((Path(folder) / "cv.pdf").read_bytes(), png, 80)


def examples() -> list[Path]:
    return sorted(
        path
        for path in EXAMPLES.iterdir()
        if path.name.endswith(CV_SUFFIXES) and path.name != "README.md"
    )


def everything(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    browser = shutil.which("chromium") is not None
    office = shutil.which("soffice") is not None
    for path in examples():
        cv = tailor.load_cv(path)
        versions = [("as-read", cv, None)]
        for target in TARGETS:
            result = tailor.rewrite(cv.model_copy(deep=True), target)
            versions.append((target, result.cv, result.section_order))
        for label, version, order in versions:
            for theme in themes():
                stem = out / f"{path.name.replace('.', '-')}--{label}--{theme.name}"
                pdf_page_png(
                    render_bytes(version, "pdf", order, theme.name), stem.with_suffix(".png"), 80
                )
                if browser:
                    html = render_bytes(version, "html", order, theme.name)
                    html_png(html, stem.with_name(stem.name + "--html.png"))
                if office:
                    docx = render_bytes(version, "docx", order, theme.name)
                    docx_png(docx, stem.with_name(stem.name + "--docx.png"))
                print(stem.name, flush=True)


def docs_gallery() -> None:
    cv = tailor.load_cv(DOCS_CV)
    for theme in themes():
        png = GALLERY / f"{theme.name}.png"
        pdf_page_png(render_bytes(cv, "pdf", None, theme.name), png, DOCS_DPI)
        print(png.relative_to(ROOT), f"{png.stat().st_size // 1024} KB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "build" / "gallery")
    parser.add_argument("--docs", action="store_true", help="only the docs' small gallery")
    arguments = parser.parse_args()
    if arguments.docs:
        docs_gallery()
    else:
        everything(arguments.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
