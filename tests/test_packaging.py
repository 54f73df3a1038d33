"""Prompts and profiles ship inside the wheel, and both kinds of install find them."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tailor.resources import data_dir, package_data
from tests.conftest import EXAMPLES, ROOT


def test_source_checkout_finds_the_repository_folders() -> None:
    # an editable install (or PYTHONPATH=src) has no copies inside the package
    assert data_dir("company_profiles") == ROOT / "company_profiles"
    assert data_dir("prompts") == ROOT / "prompts"
    assert package_data("rubric.yaml").is_file()


def test_missing_data_folder_is_reported() -> None:
    with pytest.raises(FileNotFoundError, match="no-such-folder"):
        data_dir("no-such-folder")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    return next(out.glob("*.whl"))


def test_wheel_contains_prompts_profiles_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for profile in ("frontier-lab", "production-ml", "startup"):
        assert f"tailor/company_profiles/{profile}.yaml" in names
    assert "tailor/prompts/README.md" in names
    data = {"rubric.yaml", "synonyms.yaml", "grounding.yaml", "claims.yaml"}
    assert {f"tailor/data/{name}" for name in data} | {"tailor/py.typed"} <= names
    # the renderers' templates: a CV's and a cover letter's, and the parts they share
    templates = [path.name for path in (ROOT / "src/tailor/renderers/templates").iterdir()]
    assert {"common.typ", "_page.html.j2", "letter.typ", "letter.html.j2"} <= set(templates)
    assert {f"tailor/renderers/templates/{name}" for name in templates} <= names
    # the web page's templates and the files it serves (htmx, Swagger UI), with their licences
    served = [
        path.relative_to(ROOT / "src").as_posix()
        for folder in ("templates", "static")
        for path in (ROOT / "src/tailor/serve" / folder).rglob("*")
        if path.is_file()
    ]
    assert {"tailor/serve/static/htmx.min.js", "tailor/serve/static/htmx.LICENSE"} <= set(served)
    assert set(served) <= names


def test_non_editable_install_runs_from_its_own_files(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    # -S skips .pth files, so the editable install of this checkout is not on the path:
    # only the installed wheel and the dependencies are.
    site_packages = sysconfig.get_paths()["purelib"]
    script = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
        "import tailor, tailor.resources as r\n"
        "assert tailor.__file__.startswith(sys.argv[1]), tailor.__file__\n"
        "print(r.data_dir('company_profiles')); print(r.data_dir('prompts'))\n"
        "cv = tailor.load_cv(sys.argv[3]); print(tailor.critique(cv, 'anthropic').target)\n"
        "import asyncio, httpx, tailor.serve.app as served\n"
        "assert served.__file__.startswith(sys.argv[1])\n"
        "async def get(path):\n"
        "    transport = httpx.ASGITransport(app=served.create_app())\n"
        "    async with httpx.AsyncClient(transport=transport, base_url='http://127.0.0.1') as c:\n"
        "        return (await c.get(path)).status_code\n"
        "pages = ('/', '/docs', '/static/htmx.min.js', '/static/swagger/swagger-ui-bundle.js')\n"
        "print([asyncio.run(get(path)) for path in pages])\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-S",
            "-c",
            script,
            str(target),
            site_packages,
            str(EXAMPLES / "jordan-reyes.md"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    profiles, prompts, critiqued, served = result.stdout.splitlines()
    assert profiles == str(target / "tailor" / "company_profiles")
    assert prompts == str(target / "tailor" / "prompts")
    assert critiqued == "frontier-lab"
    assert served == "[200, 200, 200, 200]"  # the page and what it loads, from the wheel
