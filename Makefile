# The quick start's two commands: `make demo` (the main job) and `make test`.
SHELL := /bin/bash
export PATH := $(CURDIR)/.venv/bin:$(HOME)/.local/bin:$(PATH)

.PHONY: demo test env setup browser lint

demo: env
	.venv/bin/sunshine demo

test: env browser
	.venv/bin/pytest

env:
	@scripts/setup.sh

setup: env
	.venv/bin/sunshine setup

browser:
	@scripts/ensure-browser.sh

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
