"""The uploads the page keeps: by unguessable token, within a count and a memory budget."""

from __future__ import annotations

import tailor
from tailor.serve.store import Store
from tests.conftest import EXAMPLES

CV = tailor.load_cv(EXAMPLES / "casey-morgan.md")


def test_tokens_are_unguessable_and_distinct():
    store = Store()
    tokens = {store.open("cv.md", CV).token for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(token) == 43 for token in tokens)  # 32 random bytes


def test_the_oldest_is_forgotten_past_the_count():
    store = Store(capacity=3)
    first, *rest = [store.open(f"{n}.md", CV) for n in range(4)]
    assert store.get(first.token) is None
    assert all(store.get(w.token) is w for w in rest)


def test_the_least_recently_used_are_forgotten_past_the_memory_budget():
    one = Store().open("cv.md", CV).weight
    store = Store(budget=3 * one)
    a, b, c = (store.open(f"{n}.md", CV) for n in "abc")
    store.get(a.token)  # a used again: b is now the oldest
    d = store.open("d.md", CV)
    assert store.get(b.token) is None
    assert [
        w is not None for w in (store.get(a.token), store.get(c.token), store.get(d.token))
    ] == [True] * 3


def test_results_weigh_and_the_newest_stays_whatever_it_weighs():
    store = Store(budget=1)
    workspace = store.open("cv.md", CV)
    store.set_results(workspace, {})
    assert store.get(workspace.token) is workspace
    assert len(store) == 1
