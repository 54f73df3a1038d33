"""Targets: the kinds of employer a CV is critiqued and tailored for.

Each target is a company profile, a YAML file in `company_profiles/` (or the user's own file)
that says what that employer weighs, the evidence that shows it, the keywords behind it, and
the rules the critique adds for it. `--target anthropic` resolves through the profiles'
aliases; `--target path/to/profile.yaml` loads a user's profile, validated like ours.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from tailor import limits, profile_patterns
from tailor.cv.layout import DEFAULT_ORDER
from tailor.errors import ProfileError, UserError
from tailor.resources import data_dir, load_yaml
from tailor.rules import Severity, general_rule_ids


class Check(BaseModel):
    """Evidence that satisfies a rule: a non-empty section, or patterns found in experience lines.

    `any_of`: one of the patterns on any experience line. `all_of`: on one line, a pattern from
    every group; with `within_entry`, on the lines of one role or project together ("Shipped
    the app" in a bullet, "3.6 million users" in the role's summary). Patterns are
    case-insensitive regular expressions in RE2's syntax (`tailor.profile_patterns`).
    """

    model_config = ConfigDict(extra="forbid")

    section: Literal["publications", "projects", "awards", "certificates", "volunteer"] | None = (
        None
    )
    any_of: list[str] = Field(default_factory=list)
    all_of: list[list[str]] = Field(default_factory=list)
    within_entry: bool = False

    @field_validator("any_of", "all_of")
    @classmethod
    def _patterns_compile(cls, value: list[str] | list[list[str]]) -> list[str] | list[list[str]]:
        for pattern in _flatten(value):
            profile_patterns.check(pattern)
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> Check:
        if sum(map(bool, (self.section, self.any_of, self.all_of))) != 1:
            raise ValueError("give exactly one of section, any_of or all_of")
        return self


def satisfies(text: str, check: Check) -> bool:
    """Whether one line satisfies a pattern check (`any_of` or `all_of`; a `section` check is
    about the CV, not a line, and no line satisfies it)."""
    if check.any_of:
        return bool(profile_patterns.any_of(tuple(check.any_of)).search(text))
    if check.all_of:
        return all(profile_patterns.any_of(tuple(group)).search(text) for group in check.all_of)
    return False


class TargetRule(BaseModel):
    """A rule a target adds to the critique: it fires when none of `satisfied_by` holds."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    severity: Severity
    penalty: float = Field(ge=0, le=100, description="score points at stake (0-100)")
    satisfied_by: list[Check] = Field(min_length=1)
    message: str
    suggestion: str
    strength: str = Field(description="said when the rule is satisfied; {quote} is the evidence")


class AnswerPoint(BaseModel):
    """One thing a strong answer to an interview question covers, and the CV patterns that
    show the candidate has done it (case-insensitive RE2 regular expressions)."""

    model_config = ConfigDict(extra="forbid")

    point: str
    patterns: list[str] = Field(min_length=1)
    # a line matching one of these does not show the point ("isotonic regression" is no
    # regression in production)
    exclude: list[str] = Field(default_factory=list)

    @field_validator("patterns", "exclude")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        return [profile_patterns.check(pattern) for pattern in value]


class InterviewQuestion(BaseModel):
    """A question an employer of this kind is likely to ask (`tailor prep`)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    question: str
    points: list[AnswerPoint] = Field(min_length=1)
    # a line counts for this question only if it also matches one of these (what the question
    # is about: retrieval for a RAG question), when given
    requires: list[str] = Field(default_factory=list)

    @field_validator("requires")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        return [profile_patterns.check(pattern) for pattern in value]


class Value(BaseModel):
    """One thing the employer weighs, with the evidence that shows it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    evidence: str
    keywords: list[str] = Field(default_factory=list)
    # how much a line showing it counts when the rewrite orders lines (a posting's must-haves
    # count for more than a company type's general values)
    weight: float = Field(default=1.0, gt=0, le=10)


class CompanyProfile(BaseModel):
    """A kind of employer: what it weighs and how the critique and rewrite should treat a CV."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    description: str
    examples: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    source: str
    values: list[Value] = Field(min_length=1)
    section_order: list[str] = Field(default_factory=list)
    # why this employer reads a section early, said in the rewrite's change log
    section_reasons: dict[str, str] = Field(default_factory=dict)
    rules: list[TargetRule] = Field(default_factory=list)
    rule_weights: dict[str, Annotated[float, Field(ge=0, le=10)]] = Field(default_factory=dict)
    # how the change log names this employer ("a frontier AI lab"); made from `name` if unset
    phrase: str | None = None
    # questions this kind of employer adds to the role guide's five (`tailor prep`)
    interview: list[InterviewQuestion] = Field(default_factory=list)

    @field_validator("rule_weights")
    @classmethod
    def _weights_name_known_rules(
        cls, value: dict[str, float], info: ValidationInfo
    ) -> dict[str, float]:
        own = {rule.id for rule in info.data.get("rules", [])}
        known = set(general_rule_ids()) | own
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown rule {unknown[0]!r}; known: {', '.join(sorted(known))}")
        return value

    @field_validator("section_order", "section_reasons")
    @classmethod
    def _known_sections(cls, value: list[str] | dict[str, str]) -> list[str] | dict[str, str]:
        unknown = [section for section in value if section not in DEFAULT_ORDER]
        if unknown:
            raise ValueError(f"unknown section {unknown[0]!r}; use {', '.join(DEFAULT_ORDER)}")
        return value

    @property
    def keywords(self) -> list[str]:
        """Every keyword behind the values, in order, without repeats."""
        return list(dict.fromkeys(k for value in self.values for k in value.keywords))

    @property
    def employer_phrase(self) -> str:
        """The target as a phrase: "a frontier AI lab", "a startup or growth company"."""
        if self.phrase:
            return self.phrase
        first = self.name.split(" ", 1)[0]
        name = self.name[:1].lower() + self.name[1:] if first[1:].islower() else self.name
        return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"

    def weight(self, rule: str) -> float:
        """How much a general rubric rule counts for this target (1.0 unless the profile says)."""
        return self.rule_weights.get(rule, 1.0)


def _flatten(value: list[str] | list[list[str]]) -> list[str]:
    return [p for item in value for p in ([item] if isinstance(item, str) else item)]


@cache
def bundled_profiles() -> dict[str, CompanyProfile]:
    """The profiles shipped with tailor, by id."""
    profiles = [load_profile(path) for path in sorted(data_dir("company_profiles").glob("*.yaml"))]
    return {profile.id: profile for profile in profiles}


def aliases() -> dict[str, str]:
    """Every name a bundled target answers to (ids and aliases), mapped to its id."""
    names: dict[str, str] = {}
    for profile in bundled_profiles().values():
        names[profile.id] = profile.id
        for alias in profile.aliases:
            names[_key(alias)] = profile.id
    return names


def names_a_file(target: str) -> bool:
    """Whether a target is given as a profile file's path rather than an id or alias."""
    return target.endswith((".yaml", ".yml")) or "/" in target or "\\" in target


def resolve_target(name: str) -> CompanyProfile:
    """A target by id, alias (`anthropic`, `palantir`, ...) or path to a profile YAML file."""
    if names_a_file(name):
        return load_profile(Path(name))
    known = aliases()
    profile_id = known.get(_key(name))
    if profile_id is None:
        close = difflib.get_close_matches(_key(name), known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UserError(
            f"unknown target {name!r}{hint} (run 'tailor profiles' to list targets, "
            "or pass a profile .yaml file)"
        )
    return bundled_profiles()[profile_id]


def profile_source(profile: CompanyProfile) -> str:
    """A profile as YAML: the bundled file as written (with its comments), else a dump."""
    path = data_dir("company_profiles") / f"{profile.id}.yaml"
    if profile.id in bundled_profiles() and path.is_file():
        return path.read_text(encoding="utf-8")
    return yaml.safe_dump(profile.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def load_profile(path: Path) -> CompanyProfile:
    """Load and validate a profile YAML file; errors name the file and the bad field."""
    data = limits.read_limited(path, limit=limits.DATA_BYTES, what="profile")
    return read_profile(data, name=str(path))


def read_profile(data: bytes, *, name: str) -> CompanyProfile:
    """Validate a profile's YAML bytes (a file's, or an upload's); errors name `name` and the
    bad field."""
    if len(data) > limits.DATA_BYTES:
        raise ProfileError(limits.too_large(name, "profile", limits.DATA_BYTES))
    try:
        document = load_yaml(data.decode("utf-8-sig"), name=f"profile {name}")
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ProfileError(f"profile {name}: not valid YAML ({_first_line(error)})") from None
    try:
        return CompanyProfile.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        message = first["msg"].removeprefix("Value error, ")
        raise ProfileError(f"profile {name}: field {where}: {message}") from None


def _key(name: str) -> str:
    return re.sub(r"[\s_]+", "-", name.strip().lower())


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
