# The quick start's two commands: `make demo` (the main job) and `make test`.
SHELL := /bin/bash
export PATH := $(CURDIR)/.venv/bin:$(HOME)/.local/bin:$(PATH)

.PHONY: demo test setup browser lint

demo: setup
	.venv/bin/sunshine demo

test: setup browser
	.venv/bin/pytest

setup:
	@scripts/setup.sh

browser:
	@scripts/ensure-browser.sh

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
