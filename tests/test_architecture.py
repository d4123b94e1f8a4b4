"""The layout keeps the pipeline's layering, and Jinja's private API stays in one place."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import jinja2
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "toolkit"


def test_stages_import_only_the_stages_below_them() -> None:
    # Contracts live in pyproject.toml ([tool.importlinter]).
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
         "lint_imports_command()"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_the_sandbox_touches_jinjas_private_api() -> None:
    private = re.compile(r"\b_from_namespace\b")
    users = sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if private.search(p.read_text(encoding="utf-8"))
    )
    assert users == ["sandbox/compiler.py"]


def test_the_installed_jinja_still_has_the_private_hook_the_sandbox_relies_on() -> None:
    # pyproject pins jinja2 >=3.1.6,<4 because the guards hook Template._from_namespace;
    # a Jinja that moved it would silently bypass the compile-time guards.
    version = Version(jinja2.__version__)
    assert Version("3.1.6") <= version < Version("4")
    assert callable(getattr(jinja2.Template, "_from_namespace", None))


def test_every_stage_package_says_what_it_holds() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        text = init.read_text(encoding="utf-8")
        assert text.lstrip().startswith('"""'), f"{init.relative_to(REPO)} has no docstring"


def test_command_signatures_are_evaluated_once() -> None:
    # See toolkit/commands/__init__.py: Typer re-evaluates string annotations on every start.
    from toolkit.cli import COMMAND_MODULES

    for name in COMMAND_MODULES:
        source = (REPO / "toolkit" / "commands" / f"{name}.py").read_text(encoding="utf-8")
        assert "from __future__ import annotations" not in source, name
