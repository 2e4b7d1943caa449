"""What every `sunshine` sub-command shares: failures a person can act on as one line."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TypeVar

import typer

from sunshine.errors import SunshineError

F = TypeVar("F", bound=Callable)


def friendly(func: F) -> F:
    """Turn a SunshineError into one line on stderr and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except SunshineError as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]
