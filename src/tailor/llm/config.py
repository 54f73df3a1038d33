"""Which provider and model to use, from flags, environment, a config file and defaults.

In order of precedence: the `--provider`, `--model`, `--base-url` and `--output-mode` flags;
the environment (`TAILOR_PROVIDER`, `TAILOR_MODEL`, `TAILOR_BASE_URL`, `TAILOR_OUTPUT_MODE`);
the config file (`config.toml` in the user's config folder, e.g.
`~/.config/tailor/config.toml`); defaults.
Keys come only from the environment (`ANTHROPIC_API_KEY`, `OPENAI_API_KEY`, and
`TAILOR_API_KEY` for an OpenAI-compatible server), never from a file tailor reads, so a key
cannot end up in a shared config. `TAILOR_BASE_URL` and the config file's `model` and
`base_url` apply to the provider they were set for, so a cloud key never follows a URL meant
for a local server. The output mode is for OpenAI-compatible servers only: Anthropic and OpenAI
always enforce the schema their own way.

An OpenAI-compatible server is taken for what it mostly is, one model on one machine: without
a model named, tailor uses the one the server lists (`GET /v1/models`); without `max_tokens`,
an answer's budget is sized from its schema; a batch runs one job at a time.

`auto` (the default provider) picks Anthropic when its key is set, else OpenAI when its key
is set, else the offline engine.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tailor.errors import UserError

PROVIDERS = ("auto", "offline", "anthropic", "openai", "openai-compatible")
LLM_PROVIDERS = ("anthropic", "openai", "openai-compatible")
CLOUD_PROVIDERS = ("anthropic", "openai")
# "" for an OpenAI-compatible server: the model it lists, asked when it is first used
DEFAULT_MODELS = {
    "anthropic": "claude-sonnet-5-5",
    "openai": "gpt-5.4-mini",
    "openai-compatible": "",
}
# sent to a server that would not say which model it serves; reported as UNKNOWN_MODEL, as
# such a server echoes any name it is sent
FALLBACK_LOCAL_MODEL = "llama3.1"
UNKNOWN_MODEL = "unknown"
OutputMode = Literal["auto", "json_schema", "json_object", "prompt"]
OUTPUT_MODES: tuple[OutputMode, ...] = ("auto", "json_schema", "json_object", "prompt")
CLOUD_MAX_TOKENS = 8192
# an OpenAI-compatible server's answer budget, by how deeply the answer's schema nests lists
# (none: a few fields; lists: a list of findings; lists in lists: a whole CV's bullets). A small
# local model that rambles stops here instead of filling its context; the last is the cap a
# cut-off answer's budget grows to
LOCAL_MAX_TOKENS = (512, 2048, 3072)
BATCH_JOBS = 4  # a batch's jobs at once, but for an OpenAI-compatible server: one
KEY_VARIABLES = {"anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"}
OLLAMA_URL = "http://localhost:11434/v1"  # Ollama's OpenAI-compatible endpoint


@dataclass(frozen=True)
class LLMSettings:
    """How to reach one model and how patient to be with it."""

    provider: str
    model: str  # "" for an OpenAI-compatible server: the one it lists (GET /v1/models)
    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    timeout: float = 300.0  # seconds for one request: a long structured answer takes minutes
    # an answer's token budget; None: CLOUD_MAX_TOKENS, or for an OpenAI-compatible server
    # LOCAL_MAX_TOKENS by the answer's schema
    max_tokens: int | None = None
    # for OpenAI-compatible (local) servers only: Anthropic's and OpenAI's newest models take
    # no sampling settings, so their defaults stand
    temperature: float | None = 0.0
    max_attempts: int = 4  # requests per call when they fail transiently (1 + 3 retries)
    reasks: int = 2  # times an answer that does not validate is sent back with the errors
    backoff: float = 1.0  # first wait between retries, in seconds, doubled each time, jittered
    max_backoff: float = 60.0  # longest wait, whatever the server's retry-after says
    cache: bool = True  # serve identical requests from the response cache
    # replace the CV's personal details by placeholders in requests (tailor.privacy); None:
    # for the cloud providers, not for a server of one's own
    redact: bool | None = None
    # how an OpenAI-compatible server is asked for JSON (tailor.llm.modes); auto: the best it
    # takes, stepping down on its refusal, starting where it worked last time
    output_mode: OutputMode = "auto"
    # keep what a server refused in the cache folder for the next run (off with --no-store)
    remember_modes: bool = True

    @property
    def local_server(self) -> bool:
        """Whether the settings name an OpenAI-compatible server, which tailor treats as a
        local one: slow, one request at a time, a small context, and no cancelling of a
        request it was sent."""
        return self.provider == "openai-compatible"

    def answer_budget(self, list_depth: int) -> int:
        """The max_tokens of an answer whose schema nests lists `list_depth` deep: as set,
        else the provider's default."""
        if self.max_tokens is not None:
            return self.max_tokens
        if not self.local_server:
            return CLOUD_MAX_TOKENS
        return LOCAL_MAX_TOKENS[min(list_depth, len(LOCAL_MAX_TOKENS) - 1)]

    @property
    def redacts(self) -> bool:
        """Whether requests go out with the CV's personal details replaced: as set, else for
        every server but one on this machine or its private network."""
        if self.redact is not None:
            return self.redact
        return self.provider in CLOUD_PROVIDERS or not is_local(self.base_url)


def batch_concurrency(given: int | None, settings: LLMSettings | None) -> int:
    """How many jobs a batch runs at once: as given (-j), else one for an OpenAI-compatible
    server (a local one answers one request at a time; more would only queue until they time
    out), else BATCH_JOBS."""
    if given is not None:
        return given
    return 1 if settings is not None and settings.local_server else BATCH_JOBS


def is_local(url: str | None) -> bool:
    """Whether `url` names a server on this machine or a private network (an Ollama, a vLLM
    of one's own), not a hosted API."""
    import ipaddress
    from urllib.parse import urlsplit

    host = (urlsplit(url or "").hostname or "").lower()
    if host in ("localhost", "host.docker.internal") or host.endswith(
        (".localhost", ".local", ".lan", ".internal", ".home.arpa")
    ):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


@dataclass(frozen=True)
class Choice:
    """The resolved settings (None: offline) and how they were chosen, to tell the user."""

    settings: LLMSettings | None
    reason: str


def resolve(
    provider: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    *,
    cache: bool = True,
    redact: bool | None = None,
    output_mode: str | None = None,
    remember_modes: bool = True,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> Choice:
    """Settle the provider and model from flags, environment, config file and defaults."""
    env = os.environ if environ is None else environ
    config = _read_config(config_file if config_file is not None else default_config_file(env))
    chosen = provider or env.get("TAILOR_PROVIDER") or config.provider or "auto"
    if chosen not in PROVIDERS:
        raise UserError(f"unknown provider {chosen!r}; use one of {', '.join(PROVIDERS)}")
    reason = "chosen"
    if chosen == "auto":
        chosen, reason = _auto(env)
    if chosen == "offline":
        return Choice(None, reason)
    # the config file's model and server are for the provider it names, not for another one
    own = config if config.provider == chosen else ConfigFile(timeout=config.timeout)
    settings = LLMSettings(
        provider=chosen,
        model=model or env.get("TAILOR_MODEL") or own.model or DEFAULT_MODELS[chosen],
        api_key=_api_key(chosen, env),
        base_url=_base_url(chosen, base_url, env, own),
        timeout=config.timeout,
        max_tokens=config.max_tokens,
        cache=cache,
        redact=redact if redact is not None else _configured_redact(config, chosen),
        output_mode=_output_mode(chosen, output_mode, env, own),
        remember_modes=remember_modes,
    )
    return Choice(settings, reason)


def _output_mode(
    provider: str, flag: str | None, env: Mapping[str, str], config: ConfigFile
) -> OutputMode:
    """The output mode: flag, TAILOR_OUTPUT_MODE, the config file, auto. Only an
    OpenAI-compatible server takes another than auto: the variable and the file are for it,
    and the flag given for a cloud provider is an error rather than ignored."""
    chosen = flag or env.get("TAILOR_OUTPUT_MODE") or config.output_mode or "auto"
    for mode in OUTPUT_MODES:
        if chosen == mode:
            break
    else:
        raise UserError(f"unknown output mode {chosen!r}; use one of {', '.join(OUTPUT_MODES)}")
    if provider == "openai-compatible":
        return mode
    if flag and mode != "auto":
        raise UserError(
            f"--output-mode is for openai-compatible servers; {provider} always enforces the "
            "answer's schema its own way"
        )
    return "auto"


def _configured_redact(config: ConfigFile, provider: str) -> bool | None:
    """The config file's `redact`: true for every provider; false only for the provider the
    file names (turned off for a local server, it must not follow the CV to a cloud API)."""
    if config.redact is False and config.provider != provider:
        return None
    return config.redact


def default_config_file(environ: Mapping[str, str] | None = None) -> Path:
    """`config.toml` in the user's config folder (TAILOR_CONFIG names another file)."""
    env = os.environ if environ is None else environ
    if custom := env.get("TAILOR_CONFIG"):
        return Path(custom)
    from platformdirs import user_config_path

    return user_config_path("tailor") / "config.toml"


def _auto(env: Mapping[str, str]) -> tuple[str, str]:
    for name in ("anthropic", "openai"):
        if env.get(KEY_VARIABLES[name]):
            return name, f"auto: {KEY_VARIABLES[name]} is set"
    return "offline", "auto: no ANTHROPIC_API_KEY or OPENAI_API_KEY set, so the offline engine"


def _api_key(provider: str, env: Mapping[str, str]) -> str | None:
    if provider == "openai-compatible":
        # never OPENAI_API_KEY: it would go to whatever server --base-url names. Local servers
        # mostly ignore the key, but the SDK wants one
        return env.get("TAILOR_API_KEY") or "not-needed"
    variable = KEY_VARIABLES[provider]
    key = env.get(variable)
    if not key:
        raise UserError(f"the {provider} provider needs an API key: set {variable}")
    return key


def _base_url(
    provider: str, flag: str | None, env: Mapping[str, str], config: ConfigFile
) -> str | None:
    if provider == "openai-compatible":
        return flag or env.get("TAILOR_BASE_URL") or config.base_url or OLLAMA_URL
    # TAILOR_BASE_URL is for local servers: a cloud key must not follow it elsewhere. A
    # --base-url given for this very call is the user's choice (a proxy, say); without one,
    # the SDK reads ANTHROPIC_BASE_URL / OPENAI_BASE_URL itself
    return flag or config.base_url


class ConfigFile(BaseModel):
    """What `config.toml` may set. API keys are not among them, on purpose."""

    model_config = ConfigDict(extra="forbid")

    provider: str | None = None
    model: str | None = None
    base_url: str | None = None
    timeout: float = Field(default=LLMSettings.timeout, gt=0)
    max_tokens: int | None = Field(default=None, gt=0)  # None: by provider and answer
    # None: for every server but one of your own; false holds for the file's provider only
    redact: bool | None = None
    output_mode: OutputMode | None = None  # for the file's provider (openai-compatible)


def _read_config(path: Path) -> ConfigFile:
    if not path.is_file():
        return ConfigFile()
    try:
        return ConfigFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UserError(f"config file {path}: not valid TOML ({error})") from None
    except OSError as error:
        raise UserError(f"config file {path}: cannot read it ({error.strerror})") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise UserError(f"config file {path}: {where}: {first['msg']}") from None
