"""The console script on a terminal and in a pipe: version, completion, colour, progress, help."""

from __future__ import annotations

import re
import shlex
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from toolkit.cli import app

from .cli_run import ANSI, in_process, on_terminal, piped
from .conftest import yaml_data

DATA: dict[str, Any] = yaml_data(
    (Path(__file__).parent / "data" / "cli.yaml").read_text(encoding="utf-8")
)
ERROR_DRAFT = "Follow us on Linkedin!\n"  # term.names is an error in the demo guide


def test_version_comes_from_the_package_metadata() -> None:
    for flag in ("--version", "-V"):
        run = piped(flag)
        assert run.code == 0
        assert run.out == f"toolkit {version('toolkit')}\n"


@pytest.mark.parametrize(
    ("shell", "env"),
    [
        ("bash", {"COMP_WORDS": "toolkit gen", "COMP_CWORD": "1"}),
        ("zsh", {"_TYPER_COMPLETE_ARGS": "toolkit gen"}),
        (
            "fish",
            {"_TYPER_COMPLETE_ARGS": "toolkit gen", "_TYPER_COMPLETE_FISH_ACTION": "get-args"},
        ),
    ],
)
def test_completion_completes_commands_in_each_shell(shell: str, env: dict[str, str]) -> None:
    run = piped(**{"_TOOLKIT_COMPLETE": f"complete_{shell}", **env})
    assert run.code == 0
    assert "generate" in run.out and "week" not in run.out


def test_completion_offers_platform_names_and_aliases() -> None:
    env = {"COMP_WORDS": "toolkit count -p in", "COMP_CWORD": "3"}
    run = piped(_TOOLKIT_COMPLETE="complete_bash", **env)
    assert set(run.out.split()) >= {"instagram", "insta"}
    assert "x" not in run.out.split()


@pytest.mark.parametrize(
    ("shell", "script"),
    [
        ("bash", ".bash_completions/toolkit.sh"),
        ("zsh", ".zfunc/_toolkit"),
        ("fish", ".config/fish/completions/toolkit.fish"),
    ],
)
def test_completion_installs_through_typer(shell: str, script: str, tmp_path: Path) -> None:
    # Typer detects the shell; the test names it (Typer's own switch for that).
    env = {"HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    run = piped("--install-completion", shell, **env)
    assert run.code == 0, run.err
    assert f"{shell} completion installed in {tmp_path / script}" in run.out
    assert "_TOOLKIT_COMPLETE=complete_" in (tmp_path / script).read_text(encoding="utf-8")


@pytest.mark.parametrize("case", DATA["colour"], ids=[c["name"] for c in DATA["colour"]])
def test_colour_only_where_it_belongs(case: dict[str, Any], tmp_path: Path) -> None:
    draft = tmp_path / "post.txt"
    draft.write_text(ERROR_DRAFT, encoding="utf-8")
    args = [*case.get("before", []), "lint", str(draft), *case.get("after", [])]
    env = case.get("env", {})
    run = on_terminal(*args, **env) if case["terminal"] else piped(*args, **env)
    assert run.code == 1
    text = run.out + run.err
    assert "term.names" in text
    assert (ANSI in text) is case["coloured"], text
    if case["coloured"]:
        assert "\x1b[1;31merror\x1b[0m" in text  # the level is red
        assert "\x1b[2m1 file checked" in text  # the summary is dimmed


def test_generate_colours_the_findings_and_leaves_the_copy_alone(tmp_path: Path) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text("campaign: Launch\nmessage: Our webinar on Linkedin\n", encoding="utf-8")
    args = ["generate", str(brief), "-p", "x", "-n", "1", "--now", "2026-11-23T09:00"]
    shown = on_terminal(*args)
    assert shown.code == 0, shown.out
    assert re.search(r"\x1b\[1mvoice: \d+:\d+\x1b\[0m \x1b\[1;31merror\x1b\[0m", shown.out)
    assert "\nOur webinar on LinkedIn\n" in shown.out  # the copy, fixed and plain
    plain = in_process(*args)
    assert ANSI not in plain.out and "error require.link:" in plain.out


def test_errors_are_red_and_hints_dimmed_on_a_terminal() -> None:
    run = on_terminal("count", "-p", "twiter", "hello")
    assert run.code == 2
    assert "\x1b[1;31merror:\x1b[0m unknown platform 'twiter'" in run.out
    assert "\x1b[2m  hint: did you mean 'x' (twitter)?\x1b[0m" in run.out
    plain = in_process("count", "-p", "twiter", "hello")
    assert plain.err == "error: unknown platform 'twiter'\n  hint: did you mean 'x' (twitter)?\n"


def test_a_path_the_system_refuses_is_a_located_error(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file where a folder was meant\n", encoding="utf-8")
    cases = [
        (blocker / "thumb.png", blocker, "a file is in the way of a folder to be made"),
        (tmp_path, tmp_path, "is a folder, not a file"),
    ]
    for output, where, says in cases:
        run = in_process("thumbnail", "-t", "Hello", "-o", str(output))
        assert run.code == 2
        assert run.err.startswith(f"{where}: {says}\n  hint: "), run.err
        assert "Traceback" not in run.err and "Errno" not in run.err


@pytest.mark.parametrize("case", DATA["usage_errors"], ids=lambda c: " ".join(c["args"]))
def test_a_usage_error_reads_like_every_other_error(case: dict[str, Any]) -> None:
    run = in_process(*case["args"])
    assert run.code == 2
    command = case["usage"].split(" [OPTIONS]")[0]  # the help to ask for: toolkit, toolkit count
    lines = run.err.splitlines()
    assert lines[0] == f"Usage: {case['usage']}"
    assert lines[1].startswith(f"error: {case['says']}"), run.err
    assert lines[2] == f"  hint: '{command} --help' shows the options, with examples"
    assert "Value error" not in run.err
    shown = on_terminal(*case["args"])
    assert "\x1b[1;31merror:\x1b[0m" in shown.out


@pytest.mark.parametrize("case", DATA["progress"], ids=[c["name"] for c in DATA["progress"]])
def test_progress_on_a_terminal_only(case: dict[str, Any], tmp_path: Path) -> None:
    args = [*case["args"], "-o", str(tmp_path / "out")]
    shown = on_terminal(*args, cwd=tmp_path)
    assert shown.code == 0, shown.out
    assert case["label"] in shown.out
    hidden = in_process(*args, cwd=tmp_path)
    assert hidden.code == 0, hidden.err
    assert case["label"] not in hidden.out + hidden.err
    assert ANSI not in hidden.out + hidden.err


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return sorted(group.commands)


def _help(command: str) -> str:
    """``toolkit COMMAND --help`` in this process, wrapped as the console script wraps it
    in a pipe (click's 78 columns): the same text, without a process per command."""
    run = CliRunner().invoke(app, [command, "--help"], prog_name="toolkit", terminal_width=78)
    assert run.exit_code == 0, run.output
    return run.output


def test_the_console_script_shows_the_help_this_process_shows() -> None:
    # The console script builds only the command it runs (test_cli_one_command): its
    # help, byte for byte, is the help the test below checks in-process for every command.
    run = piped("week", "--help")
    assert run.code == 0
    assert run.out == _help("week")


@pytest.mark.parametrize("command", _commands())
def test_every_help_ends_with_real_examples_and_a_readable_usage(command: str) -> None:
    out = _help(command)
    usage = out.splitlines()[0]
    assert re.fullmatch(rf"Usage: toolkit {command} \[OPTIONS\]( \[?[A-Z]+\]?(\.\.\.)?)*", usage)
    assert not re.search(r"<[\w\[\]|]+>", out), out  # no <str>, <list[Path]>
    _, _, tail = out.partition("\n  Examples:\n\n")
    examples = [line.strip() for line in tail.splitlines() if line.strip()]
    assert 1 <= len(examples) <= 2, out
    group = typer.main.get_command(app)
    for example in examples:
        for words in _invocations(example):
            ctx = group.make_context("toolkit", words[1:])
            sub = group.get_command(ctx, words[1])
            assert sub is not None, example
            sub.make_context(words[1], words[2:], parent=ctx)  # raises on a bad option


def _invocations(example: str) -> list[list[str]]:
    """Each ``toolkit ...`` of a shell line, without pipes, redirections and comments."""
    lexer = shlex.shlex(example, posix=True, punctuation_chars=True)
    found: list[list[str]] = [[]]
    skip = False
    for token in lexer:
        if token == "|":
            found.append([])
        elif token in (">", ">>", "<"):
            skip = True
        elif skip:
            skip = False
        else:
            found[-1].append(token)
    return [words for words in found if words[:1] == ["toolkit"]]
