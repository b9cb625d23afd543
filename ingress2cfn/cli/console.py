"""The terminal: colour (unless NO_COLOR or not a terminal), warnings and errors on stderr."""

from __future__ import annotations

import os
import sys
from typing import IO, Any

import click

from ingress2cfn.cli.exits import EXIT_INVALID
from ingress2cfn.input.diagnostics import Diagnostic


def colour(stream: IO[Any] | None = None) -> bool:
    return "NO_COLOR" not in os.environ and (stream or sys.stderr).isatty()


def warn(message: str | Diagnostic) -> None:
    prefix = click.style("warning:", fg="yellow", bold=True) if colour() else "warning:"
    click.echo(f"{prefix} {message}", err=True)


def fail(message: str) -> None:
    prefix = click.style("error:", fg="red", bold=True) if colour() else "error:"
    click.echo(f"{prefix} {message}", err=True)


def note(message: str) -> None:
    click.echo(message, err=True)


class Invalid(click.ClickException):
    """Bad input found by a command itself: exit 1 with `error: <message>`."""

    exit_code = EXIT_INVALID

    def show(self, file: IO[Any] | None = None) -> None:
        fail(self.message)
