"""Where the data that ships with tailor lives: prompts, company profiles and rubric data.

`prompts/` and `company_profiles/` sit at the top of the repository; the wheel copies them into
the package (see pyproject.toml). An installed wheel finds them inside the package, an editable
install or a source checkout finds them at the repository root.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tailor import limits
from tailor.errors import UserError

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder of shipped data called `name` ("prompts" or "company_profiles")."""
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"tailor's {name}/ folder is missing from this installation")


def package_data(filename: str) -> Path:
    """Return a data file that lives inside the package (src/tailor/data/)."""
    return _PACKAGE_DIR / "data" / filename


# libyaml's C loader is several times faster than PyYAML's pure-Python one; wheels ship it.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str, *, name: str = "the YAML file") -> Any:
    """Parse YAML safely: no Python objects, no aliases, within tailor's nesting and text
    limits; with the C loader where PyYAML has it.

    Aliases are refused before anything is built: nine levels of them ("billion laughs")
    make a few hundred bytes into gigabytes. A CV or profile has no need of them.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise UserError(f"{name} uses an alias (*{event.anchor}); write the value out instead")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.NESTING:
                raise UserError(limits.too_deep(name))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    document = yaml.load(text, Loader=_SafeLoader)
    limits.check_strings(document, name=name)
    return document
