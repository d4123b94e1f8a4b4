from __future__ import annotations

import importlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
import yaml

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

REPO = Path(__file__).resolve().parents[1]
DEMO_BRIEFS = REPO / "brand" / "demo" / "briefs"
# A fixed clock: golden files and countdowns must not depend on today's date.
FIXED_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))

os.environ.setdefault("NO_COLOR", "1")
# Hypothesis loads every installed package's "hypothesis" entry point when imported:
# trio (a selenium dependency) registers one that imports trio itself, ~0.35 s of CPU
# in every test worker for a library no test uses.
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")
# libyaml when PyYAML has it: the pure-Python loader took ~1 s of every worker's
# collection for the test data read at import (the product reads YAML the same way).
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_data(text: str) -> Any:
    """Test data from YAML text: what ``yaml.safe_load`` returns, faster."""
    return yaml.load(text, Loader=_YAML_LOADER)


# Tests that take seconds on their own start first (pytest-xdist's worksteal, pyproject):
# the first worker starts with them, the other with the second half of the collection,
# and whichever runs out takes the end of the other's queue, so what runs last is short.
# (A name fragment of the test id; the order here is the order they start in: CPU per
# test, longest first, from a per-test CPU profile of the whole suite, eighth round.)
LONGEST_FIRST = (
    "test_quality.py::test_mypy_clean",  # a cold mypy in a fresh clone: ~12 s of CPU
    "test_generate.py::test_no_variant_exceeds_its_limit_or_cuts_a_token",
    # Whole modules where a module-scoped fixture serves the long tests and the short ones
    # (a module split in two makes it twice).
    "test_cards_reuse.py::",
    "test_week_disk.py::test_full_disk_fails_cleanly_and_loses_nothing",
    "test_week_carousels.py::",
    "test_cards_overlays.py::",
    "test_cards_batch.py::",
    "test_lint_cli_workers.py::test_diff_and_fix_with_workers_do_what_one_process_does_once",
    "test_week_faults.py::",
    "test_cards.py::",
    "test_cards_photo.py::test_every_layout_stays_legible_on_a_light_busy_photo",
    "test_preview.py::",  # Chromium's CPU is counted when the module closes it
    "test_cli_terminal.py::test_progress_on_a_terminal_only",
    "test_lint_cli.py::test_a_large_batch_in_two_processes_gives_the_same_report",
    "test_copy_links.py::",
    "test_quality.py::test_no_dead_code",
    "test_week_disk.py::test_read_only_output_fails_clearly",
    "test_doctor.py::test_doctor_on_this_machine_finds_the_debian_noto_fonts",
    "test_copy_material.py::test_different_posts_of_one_platform_never_read_the_same",
)


def _command_built_once() -> None:
    """CliRunner builds the click command from the Typer app on every invoke; the app
    never changes during a run, so the suite builds it once (thousands of invokes)."""
    import functools

    import typer.testing

    typer.testing._get_command = functools.cache(typer.testing._get_command)  # type: ignore[attr-defined]


_command_built_once()


# The session's user cache (see _one_user_cache), made and removed by the controller.
_SESSION_CACHE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controller, or the only process
        _one_user_cache()


def pytest_unconfigure(config: pytest.Config) -> None:
    while _SESSION_CACHE:
        shutil.rmtree(_SESSION_CACHE.pop(), ignore_errors=True)


def _one_user_cache() -> None:
    """Compiled templates and voice guides, font tables, card layouts and bases go to one
    temporary cache for the session, never the user's ~/.cache. Set before the workers
    start, so they share it, as a user's processes do: what one worker made, the other
    reads (each had a cache of its own, and made it all again). Entries are written beside
    and renamed (toolkit.files.user_cache; test_voice_cache races processes on one), and
    the tests of a cache itself give it a folder of their own."""
    folder = tempfile.mkdtemp(prefix="toolkit-tests-cache-")
    _SESSION_CACHE.append(folder)
    os.environ["XDG_CACHE_HOME"] = folder


def utf8_text(*, max_size: int) -> SearchStrategy[str]:
    """``st.text(max_size=...)``, the same strings: every character UTF-8 can encode (all
    but the surrogates). Hypothesis's default alphabet (``codec="utf-8"``) finds those by
    encoding each of the 1.1 million code points (~3 s of CPU) and keeping the table in
    ``.hypothesis``: in a fresh clone (CI) the suite made it once a run, before the
    workers started. The categories give the same intervals, the same draws, no table."""
    from hypothesis import strategies as st

    return st.text(st.characters(exclude_categories=["Cs"]), max_size=max_size)


def pytest_collection(session: pytest.Session) -> None:
    """The second test worker imports the test modules last to first before it collects
    them (the first imports them first to last): in a fresh clone (CI) each rewrites the
    asserts of about half the modules and writes them for the other (__pycache__), where
    both rewrote all of them (~3 s of CPU each). Only for a run of the whole folder."""
    folder = Path(__file__).parent
    where = session.config.invocation_params.dir
    whole = [(where / arg).resolve() for arg in session.config.args] == [folder]
    if os.environ.get("PYTEST_XDIST_WORKER") != "gw1" or sys.dont_write_bytecode or not whole:
        return
    for path in sorted(folder.glob("test_*.py"), reverse=True):
        try:
            importlib.import_module(f"{__package__}.{path.stem}")
        except Exception:  # pytest's own import of it reports the error, located
            continue


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        for i, fragment in enumerate(LONGEST_FIRST):
            if fragment in item.nodeid:
                return i
        return len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: everything else keeps its order


@pytest.fixture(scope="session")
def acme_workspace(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """``toolkit init DEST --brand acme``, run once a session and copied to each DEST.

    init draws the brand's wordmark and speaker photos (~0.14 s of CPU), the same files
    every time; tests that need a fresh workspace, not init itself, take a copy (the
    tests of init run it).
    """
    from toolkit.setup.scaffold import init_workspace

    pristine = tmp_path_factory.mktemp("acme-init") / "ws"
    init_workspace(pristine, "acme")

    def copy(dest: Path) -> Path:
        shutil.copytree(pristine, dest, symlinks=True, dirs_exist_ok=True)
        return dest

    return copy


def copy_demo_brief(folder: Path, lang: str, *, extra: str = "", name: str | None = None) -> Path:
    """A demo brief copied out of the demo brand, so tests can change it.

    Speaker photos are left out: their paths are relative to the demo brand, and a
    brief may not point outside its own workspace.
    """
    import re

    text = (DEMO_BRIEFS / f"{lang}.yaml").read_text(encoding="utf-8")
    text = re.sub(r", photo: [^}]+", "", text)
    path = folder / (name or f"{lang}-brief.yaml")
    path.write_text(text + extra, encoding="utf-8")
    return path
