"""Which provider, model and server: flags, then TAILOR_* variables, then config.toml, then defaults."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tailor.errors import UserError
from tailor.llm.config import (
    DEFAULT_MODELS,
    KEY_VARIABLES,
    LLM_PROVIDERS,
    OLLAMA_URL,
    PROVIDERS,
    Choice,
    resolve,
)

KEYS = {"ANTHROPIC_API_KEY": "sk-ant-test-secret", "OPENAI_API_KEY": "sk-openai-test-secret"}

WriteConfig = Callable[[str], Path]


@pytest.fixture
def no_config(tmp_path: Path) -> Path:
    """A config file that does not exist: resolve() must not read the user's real one."""
    return tmp_path / "absent" / "config.toml"


@pytest.fixture
def write_config(tmp_path: Path) -> WriteConfig:
    def write(text: str) -> Path:
        path = tmp_path / "config.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def settle(
    provider: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    *,
    environ: dict[str, str],
    config_file: Path,
) -> Choice:
    return resolve(provider, model, base_url, environ=environ, config_file=config_file)


# -- precedence --------------------------------------------------------------------------------

# (flag, TAILOR_* variable, config.toml value): each layer set, the layers above it unset
LAYERS = ("flag", "env", "file", "default")


def layered(field: str, values: dict[str, str], top: str) -> tuple[str | None, dict[str, str], str]:
    """The flag, environment and config text with every layer from `top` down set."""
    below = LAYERS[LAYERS.index(top) :]
    flag = values["flag"] if "flag" in below else None
    env = dict(KEYS)
    if "env" in below:
        env[f"TAILOR_{field.upper()}"] = values["env"]
    text = f'{field} = "{values["file"]}"\n' if "file" in below else ""
    return flag, env, text


@pytest.mark.parametrize("top", LAYERS)
def test_provider_comes_from_flag_then_env_then_file_then_auto(
    write_config: WriteConfig, top: str
) -> None:
    values = {"flag": "openai-compatible", "env": "openai", "file": "offline"}
    flag, env, text = layered("provider", values, top)
    choice = settle(flag, environ=env, config_file=write_config(text))
    expected = {"flag": "openai-compatible", "env": "openai", "file": None, "default": "anthropic"}
    got = choice.settings.provider if choice.settings is not None else None
    assert got == expected[top]
    assert choice.reason.startswith("auto") == (top == "default")


@pytest.mark.parametrize("top", LAYERS)
def test_model_comes_from_flag_then_env_then_file_then_default(
    write_config: WriteConfig, top: str
) -> None:
    values = {"flag": "model-from-flag", "env": "model-from-env", "file": "model-from-file"}
    flag, env, text = layered("model", values, top)
    text = 'provider = "openai"\n' + text  # the file's model is for the provider it names
    choice = settle("openai", flag, environ=env, config_file=write_config(text))
    assert choice.settings is not None
    expected = {**values, "default": DEFAULT_MODELS["openai"]}
    assert choice.settings.model == expected[top]


@pytest.mark.parametrize("provider", ["openai-compatible", "anthropic", "openai"])
@pytest.mark.parametrize("top", LAYERS)
def test_base_url_comes_from_flag_then_env_then_file_then_default(
    write_config: WriteConfig, top: str, provider: str
) -> None:
    values = {
        "flag": "http://flag.test/v1",
        "env": "http://env.test/v1",
        "file": "http://file.test/v1",
    }
    flag, env, text = layered("base_url", values, top)
    text = f'provider = "{provider}"\n' + text
    choice = settle(provider, base_url=flag, environ=env, config_file=write_config(text))
    assert choice.settings is not None
    if provider == "openai-compatible":
        expected = {**values, "default": OLLAMA_URL}
    else:  # TAILOR_BASE_URL is for local servers only: a cloud key never follows it
        expected = {**values, "env": values["file"], "default": None}
    assert choice.settings.base_url == expected[top]


def test_a_cloud_key_never_follows_a_url_meant_for_a_local_server(
    write_config: WriteConfig,
) -> None:
    local = 'provider = "openai-compatible"\nbase_url = "http://gpu-box.lan:8000/v1"\nmodel = "qwen2.5:14b"\n'
    env = {**KEYS, "TAILOR_BASE_URL": "http://localhost:11434/v1"}
    for provider in ("anthropic", "openai", None):
        choice = settle(provider, environ=env, config_file=write_config(local))
        if provider is None:  # the file chooses openai-compatible
            assert choice.settings is not None and choice.settings.provider == "openai-compatible"
            continue
        assert choice.settings is not None
        assert choice.settings.base_url is None
        assert choice.settings.model == DEFAULT_MODELS[provider]


def test_the_config_file_sets_timeout_and_max_tokens(write_config: WriteConfig) -> None:
    path = write_config("timeout = 30\nmax_tokens = 2048\n")
    choice = settle("openai", environ=KEYS, config_file=path)
    assert choice.settings is not None
    assert (choice.settings.timeout, choice.settings.max_tokens) == (30.0, 2048)


@pytest.mark.parametrize(
    ("provider", "flag", "file", "redacts"),
    [
        ("anthropic", None, "", True),  # cloud providers redact by default
        ("openai", None, "", True),
        ("openai-compatible", None, "", False),  # a server of one's own does not
        ("anthropic", None, 'provider = "anthropic"\nredact = false\n', False),
        # turned off for a local server, it does not follow the CV to a cloud API
        ("anthropic", None, 'provider = "openai-compatible"\nredact = false\n', True),
        ("anthropic", None, "redact = false\n", True),
        ("openai-compatible", None, "redact = true\n", True),
        ("anthropic", True, 'provider = "anthropic"\nredact = false\n', True),  # the flag wins
        ("openai", False, "", False),
    ],
)
def test_redaction_is_on_for_cloud_providers_unless_told_otherwise(
    write_config: WriteConfig, provider: str, flag: bool | None, file: str, redacts: bool
) -> None:
    path = write_config(file)
    choice = resolve(provider, redact=flag, environ=KEYS, config_file=path)
    assert choice.settings is not None
    assert choice.settings.redacts is redacts


def test_a_missing_config_file_means_defaults(no_config: Path) -> None:
    choice = settle(environ=KEYS, config_file=no_config)
    assert choice.settings is not None
    assert choice.settings.provider == "anthropic"
    assert choice.settings.model == DEFAULT_MODELS["anthropic"]


# -- auto --------------------------------------------------------------------------------------


def test_auto_prefers_anthropic_when_both_keys_are_set(no_config: Path) -> None:
    choice = settle(environ=KEYS, config_file=no_config)
    assert choice.settings is not None
    assert choice.settings.provider == "anthropic"
    assert choice.settings.api_key == KEYS["ANTHROPIC_API_KEY"]
    assert "ANTHROPIC_API_KEY" in choice.reason


def test_auto_picks_openai_when_only_its_key_is_set(no_config: Path) -> None:
    env = {"OPENAI_API_KEY": KEYS["OPENAI_API_KEY"]}
    choice = settle("auto", environ=env, config_file=no_config)
    assert choice.settings is not None
    assert choice.settings.provider == "openai"
    assert choice.settings.api_key == KEYS["OPENAI_API_KEY"]
    assert "OPENAI_API_KEY" in choice.reason
    assert "ANTHROPIC_API_KEY" not in choice.reason


def test_auto_treats_an_empty_key_as_unset(no_config: Path) -> None:
    env = {"ANTHROPIC_API_KEY": "", "OPENAI_API_KEY": KEYS["OPENAI_API_KEY"]}
    choice = settle(environ=env, config_file=no_config)
    assert choice.settings is not None
    assert choice.settings.provider == "openai"


def test_auto_without_keys_is_offline_and_says_why(no_config: Path) -> None:
    choice = settle(environ={}, config_file=no_config)
    assert choice.settings is None
    assert "offline" in choice.reason
    assert "ANTHROPIC_API_KEY" in choice.reason and "OPENAI_API_KEY" in choice.reason


def test_offline_chosen_outright_needs_nothing(no_config: Path) -> None:
    assert settle("offline", environ={}, config_file=no_config).settings is None


# -- keys --------------------------------------------------------------------------------------


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_a_chosen_provider_without_its_key_names_the_variable(
    no_config: Path, provider: str
) -> None:
    variable = KEY_VARIABLES[provider]
    other = {name: key for name, key in KEYS.items() if name != variable}
    with pytest.raises(UserError, match=variable) as raised:
        settle(provider, environ=other, config_file=no_config)
    assert provider in str(raised.value)


def test_a_provider_from_the_environment_without_its_key_is_refused(no_config: Path) -> None:
    with pytest.raises(UserError, match="OPENAI_API_KEY"):
        settle(environ={"TAILOR_PROVIDER": "openai"}, config_file=no_config)


def test_a_provider_from_the_config_file_without_its_key_is_refused(
    write_config: WriteConfig,
) -> None:
    with pytest.raises(UserError, match="ANTHROPIC_API_KEY"):
        settle(environ={}, config_file=write_config('provider = "anthropic"\n'))


def test_openai_compatible_needs_no_key_and_defaults_to_ollama(no_config: Path) -> None:
    choice = settle("openai-compatible", environ={}, config_file=no_config)
    assert choice.settings is not None
    assert choice.settings.provider == "openai-compatible"
    assert choice.settings.base_url == OLLAMA_URL == "http://localhost:11434/v1"
    assert choice.settings.model == DEFAULT_MODELS["openai-compatible"]
    assert choice.settings.api_key  # the SDK wants something, whatever it is


def test_openai_compatible_honours_tailor_base_url(no_config: Path) -> None:
    env = {"TAILOR_PROVIDER": "openai-compatible", "TAILOR_BASE_URL": "http://127.0.0.1:8000/v1"}
    choice = settle(environ=env, config_file=no_config)
    assert choice.settings is not None
    assert choice.settings.base_url == "http://127.0.0.1:8000/v1"


@pytest.mark.parametrize("provider", LLM_PROVIDERS)
def test_the_key_never_shows_in_repr(no_config: Path, provider: str) -> None:
    env = {**KEYS, "TAILOR_API_KEY": "sk-local-test-secret"}
    choice = settle(provider, environ=env, config_file=no_config)
    assert choice.settings is not None and choice.settings.api_key
    for text in (repr(choice.settings), str(choice.settings), repr(choice)):
        assert choice.settings.api_key not in text
        assert "secret" not in text


@pytest.mark.parametrize("provider", LLM_PROVIDERS)
def test_each_provider_has_its_default_model(no_config: Path, provider: str) -> None:
    choice = settle(provider, environ=KEYS, config_file=no_config)
    assert choice.settings is not None
    assert choice.settings.model == DEFAULT_MODELS[provider]
    assert choice.reason == "chosen"


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_without_a_base_url_the_sdk_keeps_its_own_variable(no_config: Path, provider: str) -> None:
    # None, not the public URL: ANTHROPIC_BASE_URL / OPENAI_BASE_URL must still work
    env = {
        **KEYS,
        "ANTHROPIC_BASE_URL": "http://sdk-anthropic.test",
        "OPENAI_BASE_URL": "http://sdk-openai.test/v1",
    }
    choice = settle(provider, environ=env, config_file=no_config)
    assert choice.settings is not None
    assert choice.settings.base_url is None


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["flag", "env", "file"])
def test_an_unknown_provider_lists_the_choices(write_config: WriteConfig, where: str) -> None:
    flag = "gemini" if where == "flag" else None
    env = {"TAILOR_PROVIDER": "gemini"} if where == "env" else {}
    path = write_config('provider = "gemini"\n' if where == "file" else "")
    with pytest.raises(UserError) as raised:
        settle(flag, environ=env, config_file=path)
    message = str(raised.value)
    assert "gemini" in message
    for name in PROVIDERS:
        assert name in message


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('modle = "gpt-5.4-mini"\n', "modle"),  # unknown key
        ('timeout = "fast"\n', "timeout"),  # bad type
        ("max_tokens = 0\n", "max_tokens"),  # out of range
        ("model = 3\n", "model"),  # not a string
        ('provider = "openai\n', "TOML"),  # unterminated string
        ("this is not toml\n", "TOML"),
    ],
)
def test_a_bad_config_file_is_named_in_the_error(
    write_config: WriteConfig, text: str, names: str
) -> None:
    path = write_config(text)
    with pytest.raises(UserError) as raised:
        settle("openai", environ=KEYS, config_file=path)
    message = str(raised.value)
    assert str(path) in message
    assert names in message
    assert "\n" not in message  # the CLI shows one line


def test_a_config_file_that_is_not_utf8_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'model = "\xff\xfe"\n')
    with pytest.raises(UserError, match="config file"):
        settle("openai", environ=KEYS, config_file=path)


def test_an_api_key_in_the_config_file_is_refused_without_echoing_it(
    write_config: WriteConfig,
) -> None:
    path = write_config('provider = "openai"\napi_key = "sk-from-file-secret"\n')
    with pytest.raises(UserError) as raised:
        settle(environ={}, config_file=path)
    message = str(raised.value)
    assert str(path) in message
    assert "api_key" in message
    assert "sk-from-file-secret" not in message


def test_a_key_in_the_config_file_is_never_used(write_config: WriteConfig) -> None:
    path = write_config('provider = "anthropic"\nanthropic_api_key = "sk-ant-from-file"\n')
    with pytest.raises(UserError):
        settle(environ={}, config_file=path)


def test_a_local_server_never_gets_the_openai_key() -> None:
    """OPENAI_API_KEY would go to whatever server --base-url names: only TAILOR_API_KEY does."""
    env = {"OPENAI_API_KEY": "sk-openai-secret"}
    choice = resolve("openai-compatible", environ=env, config_file=Path("/nonexistent.toml"))
    assert choice.settings is not None and choice.settings.api_key == "not-needed"
    env["TAILOR_API_KEY"] = "local-key"
    choice = resolve("openai-compatible", environ=env, config_file=Path("/nonexistent.toml"))
    assert choice.settings is not None and choice.settings.api_key == "local-key"


def test_the_config_file_comes_from_the_environment_given(tmp_path: Path) -> None:
    config = tmp_path / "elsewhere.toml"
    config.write_text('provider = "anthropic"\nmodel = "from-the-file"\n', encoding="utf-8")
    env = {"ANTHROPIC_API_KEY": "sk-ant", "TAILOR_CONFIG": str(config)}
    choice = resolve(environ=env)
    assert choice.settings is not None and choice.settings.model == "from-the-file"


# -- output mode and local defaults ------------------------------------------------------------


@pytest.mark.parametrize("top", LAYERS)
def test_output_mode_comes_from_flag_then_env_then_file_then_auto(
    write_config: WriteConfig, top: str
) -> None:
    values = {"flag": "prompt", "env": "json_object", "file": "json_schema"}
    flag, env, text = layered("output_mode", values, top)
    text = 'provider = "openai-compatible"\n' + text  # like base_url: for the file's provider
    choice = resolve(
        "openai-compatible", output_mode=flag, environ=env, config_file=write_config(text)
    )
    assert choice.settings is not None
    assert choice.settings.output_mode == {**values, "default": "auto"}[top]


@pytest.mark.parametrize("where", ["flag", "env", "file"])
def test_an_unknown_output_mode_lists_the_choices(write_config: WriteConfig, where: str) -> None:
    flag = "grammar" if where == "flag" else None
    env = {"TAILOR_OUTPUT_MODE": "grammar"} if where == "env" else {}
    text = 'provider = "openai-compatible"\n'
    path = write_config(text + ('output_mode = "grammar"\n' if where == "file" else ""))
    with pytest.raises(UserError) as raised:
        resolve("openai-compatible", output_mode=flag, environ=env, config_file=path)
    message = str(raised.value)
    assert ("output_mode" if where == "file" else "grammar") in message
    assert "json_object" in message and "\n" not in message


def test_a_cloud_provider_takes_no_output_mode(no_config: Path) -> None:
    env = {**KEYS, "TAILOR_OUTPUT_MODE": "prompt"}  # meant for a local server: not followed
    choice = resolve("anthropic", environ=env, config_file=no_config)
    assert choice.settings is not None and choice.settings.output_mode == "auto"
    with pytest.raises(UserError, match="--output-mode is for openai-compatible"):
        resolve("openai", output_mode="json_object", environ=KEYS, config_file=no_config)
    assert resolve("openai", output_mode="auto", environ=KEYS, config_file=no_config).settings


def test_openai_compatible_without_a_model_asks_the_server(no_config: Path) -> None:
    choice = settle("openai-compatible", environ={}, config_file=no_config)
    assert choice.settings is not None and choice.settings.model == ""
    named = settle("openai-compatible", "qwen3", environ={}, config_file=no_config)
    assert named.settings is not None and named.settings.model == "qwen3"


def test_max_tokens_is_unset_unless_the_config_file_sets_it(
    no_config: Path, write_config: WriteConfig
) -> None:
    choice = settle("openai-compatible", environ={}, config_file=no_config)
    assert choice.settings is not None and choice.settings.max_tokens is None
    assert choice.settings.local_server
    choice = settle("openai-compatible", environ={}, config_file=write_config("max_tokens = 900\n"))
    assert choice.settings is not None and choice.settings.answer_budget(0) == 900


def test_the_cli_lists_the_output_modes_the_settings_take() -> None:
    from tailor.llm.config import OUTPUT_MODES
    from tailor.providers import OUTPUT_MODES as LISTED  # the CLI's, kept light for --help

    assert LISTED == OUTPUT_MODES
