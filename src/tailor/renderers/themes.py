"""The themes a CV can be rendered in (`tailor themes`, `--theme`): data in `data/themes.yaml`.

A theme is how a CV looks (its face, accent colour, size and spacing), never what it says:
every theme shows the same content in the same order, and what it writes reads back whole.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from tailor.errors import TailorError, UserError
from tailor.resources import load_yaml, package_data

DEFAULT_THEME = "classic"


class Theme(BaseModel):
    """One look: its name, what it is for, its face, accent colour, body size and spacing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str
    serif: bool = Field(description="a serif face (else a sans one)")
    font: str = Field(description="the family, as Typst, CSS and Word name it")
    fallbacks: str = Field(description="CSS font-family fallbacks, a generic family last")
    accent: str = Field(pattern=r"^#[0-9a-fA-F]{6}$", description="names, rules and links")
    coloured: bool = Field(description="the name, section titles and rules in the accent")
    body_size: float = Field(gt=6, lt=14, description="body text, in points")
    spacing: float = Field(gt=0.5, le=1.5, description="a factor on the space between parts")
    margin_cm: float = Field(gt=0.5, lt=4, description="the page margin, in centimetres")

    @property
    def font_family(self) -> str:
        """The CSS font-family: the theme's family first, then its fallbacks."""
        return f'"{self.font}", {self.fallbacks}'


@cache
def themes() -> tuple[Theme, ...]:
    """Every theme, the default first."""
    data = load_yaml(package_data("themes.yaml").read_text(encoding="utf-8"))
    return tuple(Theme.model_validate(item) for item in data["themes"])


def theme_named(name: str | None) -> Theme:
    """The theme called `name` (None: the default); an unknown name is a `UserError` that
    lists the themes."""
    wanted = name or DEFAULT_THEME
    for theme in themes():
        if theme.name == wanted.strip().lower():
            return theme
    known = ", ".join(theme.name for theme in themes())
    raise UserError(f"unknown theme {name!r}; use one of: {known} (tailor themes lists them)")


def font_folders() -> list[str]:
    """The folders of the fonts the themes use beyond Typst's own: rendercv-fonts' (from
    PyPI, installed with tailor), one folder a family."""
    from importlib.resources import files

    wanted = {theme.font for theme in themes()}
    try:
        root = files("rendercv_fonts")
    except ModuleNotFoundError:
        raise TailorError(
            "the fonts package rendercv-fonts is not installed: reinstall tailor"
        ) from None
    found = {folder.name: str(folder) for folder in root.iterdir() if folder.is_dir()}
    missing = sorted(wanted - set(found))
    if missing:  # a theme would silently fall back to another face
        raise TailorError(f"rendercv-fonts has no {', '.join(missing)}: reinstall tailor")
    return [found[name] for name in sorted(wanted)]
