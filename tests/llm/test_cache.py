"""The response cache: what is stored comes back, the rest is a miss, and only its owner can read it."""

from __future__ import annotations

import copy
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tailor.llm.cache import ResponseCache, default_folder, request_key

ENTRY = {"value": {"ok": True, "word": "tailor"}, "usage": {"input_tokens": 12}}

# the shape LLMClient hashes: everything that shapes the answer
REQUEST: dict[str, Any] = {
    "provider": "anthropic",
    "model": "claude-sonnet-5-5",
    "base_url": None,
    "max_tokens": 8192,
    "temperature": 0.0,
    "schema": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
    "messages": [["system", "You critique CVs.", True], ["user", "Jane Doe", False]],
}


@pytest.fixture
def cache(tmp_path: Path) -> ResponseCache:
    return ResponseCache(tmp_path / "responses")


@pytest.fixture
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """Run the test under the parametrized umask, then put the old one back."""
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def stored_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


# -- hits and misses ---------------------------------------------------------------------------


def test_what_is_put_comes_back(cache: ResponseCache) -> None:
    key = request_key(REQUEST)
    cache.put(key, ENTRY)
    assert cache.get(key) == ENTRY
    assert ResponseCache(cache.folder).get(key) == ENTRY  # from disk, not from memory


def test_a_second_put_replaces_the_first(cache: ResponseCache) -> None:
    key = request_key(REQUEST)
    cache.put(key, ENTRY)
    cache.put(key, {"value": {"ok": False}})
    assert cache.get(key) == {"value": {"ok": False}}
    assert len(stored_files(cache.folder)) == 1  # no temporary file left behind


def test_unicode_survives(cache: ResponseCache) -> None:
    key = request_key({"messages": [["user", "Zoë Łukasiewicz — 東京"]]})
    cache.put(key, {"value": {"name": "Zoë Łukasiewicz — 東京"}})
    assert cache.get(key) == {"value": {"name": "Zoë Łukasiewicz — 東京"}}


def test_a_key_never_stored_is_a_miss(cache: ResponseCache) -> None:
    assert cache.get(request_key(REQUEST)) is None  # the folder does not even exist
    cache.put(request_key(REQUEST), ENTRY)
    assert cache.get(request_key({**REQUEST, "model": "other"})) is None


@pytest.mark.parametrize(
    "damage",
    [b"", b'{"value": {"ok": tr', b"\xff\xfe\x00garbage", b"not json at all"],
    ids=["empty", "truncated", "not-utf8", "not-json"],
)
def test_a_damaged_file_is_a_miss(cache: ResponseCache, damage: bytes) -> None:
    key = request_key(REQUEST)
    cache.put(key, ENTRY)
    [path] = stored_files(cache.folder)
    path.write_bytes(damage)
    assert cache.get(key) is None
    cache.put(key, ENTRY)  # and a fresh answer repairs it
    assert cache.get(key) == ENTRY


# -- privacy -----------------------------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o000], indirect=True)
def test_the_folders_are_0700_and_the_files_0600(cache: ResponseCache, umask: int) -> None:
    cache.put(request_key(REQUEST), ENTRY)
    cache.put(request_key({**REQUEST, "model": "other"}), ENTRY)
    files = stored_files(cache.folder)
    assert len(files) == 2
    folders = [cache.folder, *(path for path in cache.folder.rglob("*") if path.is_dir())]
    assert len(folders) >= 2
    for folder in folders:
        assert mode(folder) == 0o700, folder
    for path in files:
        assert mode(path) == 0o600, path


def test_tailors_own_folder_is_closed_to_others_even_if_it_was_open(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TAILOR_CACHE_DIR", raising=False)
    monkeypatch.setattr("tailor.llm.cache.default_folder", lambda: tmp_path / "responses")
    cache = ResponseCache()
    cache.folder.mkdir(mode=0o755)
    os.chmod(cache.folder, 0o755)
    cache.put(request_key(REQUEST), ENTRY)
    assert mode(cache.folder) == 0o700


def test_a_folder_the_user_named_keeps_its_mode(cache: ResponseCache) -> None:
    """TAILOR_CACHE_DIR=/tmp must not make /tmp private; what tailor creates in it is."""
    cache.folder.mkdir(mode=0o755)
    os.chmod(cache.folder, 0o755)
    cache.put(request_key(REQUEST), ENTRY)
    assert mode(cache.folder) == 0o755
    (entry,) = cache.folder.rglob("*.json")
    assert mode(entry.parent) == 0o700 and mode(entry) == 0o600


def test_file_names_are_the_hash_and_say_nothing_of_the_request(cache: ResponseCache) -> None:
    key = request_key({"messages": [["user", "Jane Doe, jane@example.com", False]]})
    cache.put(key, ENTRY)
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    [path] = stored_files(cache.folder)
    assert path.name == f"{key}.json"
    everything = [str(p.relative_to(cache.folder)).lower() for p in cache.folder.rglob("*")]
    assert everything
    for name in everything:
        assert "jane" not in name and "doe" not in name and "example" not in name


# -- clear -------------------------------------------------------------------------------------


def test_clear_removes_everything_and_counts_it(cache: ResponseCache) -> None:
    keys = [request_key({**REQUEST, "model": f"model-{n}"}) for n in range(3)]
    for key in keys:
        cache.put(key, ENTRY)
    assert cache.clear() == 3
    assert not cache.folder.exists()
    assert all(cache.get(key) is None for key in keys)
    assert cache.clear() == 0


def test_clear_of_a_cache_never_used_is_zero(cache: ResponseCache) -> None:
    assert cache.clear() == 0
    assert not cache.folder.exists()


def test_the_cache_works_again_after_clear(cache: ResponseCache) -> None:
    cache.put(request_key(REQUEST), ENTRY)
    cache.clear()
    cache.put(request_key(REQUEST), ENTRY)
    assert cache.get(request_key(REQUEST)) == ENTRY
    assert mode(cache.folder) == 0o700


# -- request_key -------------------------------------------------------------------------------


def test_request_key_ignores_the_order_of_dict_keys() -> None:
    reordered = dict(reversed(list(REQUEST.items())))
    reordered["schema"] = dict(reversed(list(REQUEST["schema"].items())))
    assert list(reordered) != list(REQUEST)
    assert request_key(reordered) == request_key(REQUEST)
    assert re.fullmatch(r"[0-9a-f]{64}", request_key(reordered))
    assert request_key(copy.deepcopy(REQUEST)) == request_key(REQUEST)


CHANGES = {
    "provider": {"provider": "openai"},
    "model": {"model": "claude-haiku-5"},
    "base_url": {"base_url": "http://127.0.0.1:8000/v1"},
    "max_tokens": {"max_tokens": 4096},
    "temperature": {"temperature": 1.0},
    "schema": {"schema": {"type": "object", "properties": {"ok": {"type": "string"}}}},
    "message text": {
        "messages": [["system", "You critique CVs.", True], ["user", "Jane Roe", False]]
    },
    "message role": {
        "messages": [["system", "You critique CVs.", True], ["assistant", "Jane Doe", False]]
    },
    "cache mark": {
        "messages": [["system", "You critique CVs.", False], ["user", "Jane Doe", False]]
    },
    "message order": {
        "messages": [["user", "Jane Doe", False], ["system", "You critique CVs.", True]]
    },
    "extra field": {"seed": 1},
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=list(CHANGES))
def test_request_key_changes_when_any_field_does(change: dict[str, Any]) -> None:
    assert request_key({**REQUEST, **change}) != request_key(REQUEST)


def test_temperature_zero_and_none_are_different_requests() -> None:
    assert request_key({**REQUEST, "temperature": None}) != request_key(REQUEST)


# -- where -------------------------------------------------------------------------------------


def test_default_folder_honours_tailor_cache_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TAILOR_CACHE_DIR", str(tmp_path / "mine"))
    assert default_folder() == tmp_path / "mine"
    assert ResponseCache().folder == tmp_path / "mine"


def test_default_folder_is_in_the_user_cache_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TAILOR_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # Linux; elsewhere only the shape counts
    folder = default_folder()
    assert folder.name == "responses"
    assert "tailor" in folder.parts


def test_clear_removes_only_what_the_cache_wrote(tmp_path: Path) -> None:
    """A cache folder pointed by mistake at a folder of other files loses none of them."""
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "ab").mkdir()
    (tmp_path / "ab" / "holiday.json").write_text("{}", encoding="utf-8")
    cache = ResponseCache(tmp_path)
    cache.put(request_key({"a": 1}), {"value": 1})
    assert cache.clear() == 1
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "ab" / "holiday.json").exists()
    assert cache.get(request_key({"a": 1})) is None
