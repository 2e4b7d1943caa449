# The quick start's two commands: `make demo` (the main job) and `make test`.
SHELL := /bin/bash
export PATH := $(CURDIR)/.venv/bin:$(HOME)/.local/bin:$(PATH)

.PHONY: demo test env setup browser lint

demo: env
	.venv/bin/sunshine demo

# Lint first (seconds): ruff here; sqlfluff and the Superset bundle check are tests.
test: env browser lint
	.venv/bin/pytest

env:
	@scripts/setup.sh

setup: env
	.venv/bin/sunshine setup

browser:
	@scripts/ensure-browser.sh

lint: env
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
