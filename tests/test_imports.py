"""Heavy libraries stay out of the import path of commands that do not need them."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import EXAMPLES

HEAVY = (
    "pdfplumber",
    "pdfminer",
    "docx",
    "typst",
    "jinja2",
    "anthropic",
    "openai",
    "reportlab",
    "lxml",
    "inscriptis",
    # tailor serve's web stack, imported by that command alone
    "fastapi",
    "starlette",
    "uvicorn",
    "multipart",
    "python_multipart",
)


def _modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return {name.split(".")[0] for name in result.stdout.splitlines()}


def test_help_imports_no_heavy_library() -> None:
    loaded = _modules_after(
        "from tailor.cli import app\ntry:\n    app(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert not loaded & set(HEAVY)
    assert "pydantic" not in loaded  # the CLI module itself does not need the models for --help


def test_markdown_critique_imports_no_pdf_or_docx_library() -> None:
    loaded = _modules_after(
        "import tailor\n"
        f"tailor.critique(tailor.load_cv({str(EXAMPLES / 'jordan-reyes.md')!r}), 'startup')"
    )
    assert not loaded & set(HEAVY)


def test_pdf_critique_imports_pdfplumber_only_then() -> None:
    loaded = _modules_after(
        f"import tailor\ntailor.load_cv({str(EXAMPLES / 'jordan-reyes.pdf')!r})"
    )
    assert "pdfplumber" in loaded
    assert "docx" not in loaded
