"""A run builds only the command it runs, and that command is the whole app's."""

from __future__ import annotations

import pytest
import typer.main

from toolkit.cli import app, app_for

NAMES = [
    typer.main.get_command_name(c.callback.__name__) for c in app.registered_commands if c.callback
]


def _help(typer_app: typer.Typer, name: str) -> str:
    group = typer.main.get_command(typer_app)
    command = group.get_command(None, name)  # type: ignore[attr-defined]
    return str(command.get_help(typer.Context(command, info_name=name)))


@pytest.mark.parametrize("name", NAMES)
def test_a_run_of_one_command_gets_that_command_as_the_whole_app_has_it(name: str) -> None:
    narrow = app_for(["--no-color", name, "--help"])
    assert [
        typer.main.get_command_name(c.callback.__name__)
        for c in narrow.registered_commands
        if c.callback
    ] == [name]
    assert _help(narrow, name) == _help(app, name)


@pytest.mark.parametrize("args", [[], ["--help"], ["wek"], ["--version"]])
def test_help_versions_and_unknown_names_get_every_command(args: list[str]) -> None:
    assert app_for(args) is app


def test_shell_completion_gets_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_TOOLKIT_COMPLETE", "complete_bash")
    assert app_for(["week"]) is app
