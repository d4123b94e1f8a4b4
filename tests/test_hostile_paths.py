"""One containment check for every path built from data, and it holds for any name.

The walk finds every call of ``toolkit.files.paths.inside`` and every field typed with the
names built on it, and compares them with tests/data/hostile_paths.yaml, where each
place is tied to a hostile case that shows it refusing. The properties build names and
manifest entries from the whole Unicode range and check that nothing resolves outside.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from toolkit.errors import InputError, ToolkitError
from toolkit.files.models import FileName, RelativeName
from toolkit.files.output_folder import MANIFEST, load_manifest, write_outputs
from toolkit.files.paths import inside, name_problem, resolved

from .conftest import REPO, yaml_data

DATA = yaml_data((REPO / "tests/data/hostile_paths.yaml").read_text(encoding="utf-8"))
CASES = yaml_data((REPO / "tests/data/hostile_workspaces.yaml").read_text(encoding="utf-8"))
CASE_IDS = {case["id"] for cases in CASES.values() for case in cases}
CHECK_NAMES = {"inside", "contained"}  # toolkit.files.paths.inside, and its name in cards.context
NAME_TYPES = {"FileName", "RelativeName"}
LINK_FOLLOWERS = {"realpath", "is_relative_to", "commonpath"}


def _places() -> tuple[set[str], set[str]]:
    """(module:function-or-class using the check, modules following links themselves)."""
    users: set[str] = set()
    followers: set[str] = set()
    for path in sorted((REPO / "toolkit").rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        if rel == "toolkit/files/paths.py":
            followers.add(rel)
            continue
        owners: list[str] = []  # the functions the walk is in, outermost first

        # One walk of the module: a call of the check counts for every function around it.
        def visit(node: ast.AST, rel: str = rel, owners: list[str] = owners) -> None:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in CHECK_NAMES:
                    users.update(f"{rel}:{owner}" for owner in owners)
            elif isinstance(node, ast.Attribute) and node.attr in LINK_FOLLOWERS:
                followers.add(rel)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:  # fields typed with a checked name
                    if isinstance(item, ast.AnnAssign):
                        found = {n.id for n in ast.walk(item.annotation) if isinstance(n, ast.Name)}
                        if found & NAME_TYPES:
                            users.add(f"{rel}:{node.name}")
            name = node.name if isinstance(node, ast.FunctionDef) else None
            if name:
                owners.append(name)
            for child in ast.iter_child_nodes(node):
                visit(child)
            if name:
                owners.pop()

        visit(ast.parse(path.read_text(encoding="utf-8")))
    return users, followers


def test_every_place_that_builds_a_path_from_data_goes_through_the_one_check() -> None:
    users, followers = _places()
    listed = set(DATA["places"])
    assert users - listed == set(), "a path is built from data with no hostile case listed"
    assert listed - users == set(), "a listed place no longer goes through toolkit.files.paths"
    for place, case in DATA["places"].items():
        assert case == "property" or case in CASE_IDS, f"{place}: no hostile case {case!r}"
    assert followers == set(DATA["own_checks"]), "links followed outside toolkit/files/paths.py"


# ---------------------------------------------------------------------------- properties

ANY_CHARACTER = st.characters(exclude_categories=())  # surrogates and controls too
PARTS = st.one_of(
    st.sampled_from(["..", ".", "", "a", "drafts", "\\", "C:", "~", "\x00", "é", "x" * 300]),
    st.text(alphabet=ANY_CHARACTER, max_size=12),
)
NAMES = st.one_of(
    st.text(alphabet=ANY_CHARACTER, max_size=40),
    st.lists(PARTS, min_size=1, max_size=6).map("/".join),
)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    outside = tmp_path_factory.mktemp("outside")
    root = outside / "root"
    (root / "drafts").mkdir(parents=True)
    (outside / "elsewhere").mkdir()
    (root / "out").symlink_to(outside / "elsewhere")  # a link leading out
    (root / "in").symlink_to(root / "drafts")  # a link that stays inside
    return {"outside": outside, "root": root}


def _real_inside(path: Path, root: Path) -> bool:
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return real == real_root or real.startswith(real_root + os.sep)


def test_links_at_any_depth_are_followed_as_the_system_follows_them(tmp_path: Path) -> None:
    """Below its folder, ``inside`` looks only at the name's own parts (the folder's path
    is resolved once): a link at any depth, a chain of links, a link to a missing file
    are refused or allowed exactly as where the system's resolution of the path leads."""
    outside = tmp_path / "outside"
    root = tmp_path / "root"
    (root / "drafts" / "deep").mkdir(parents=True)
    outside.mkdir()
    (root / "drafts" / "deep" / "out").symlink_to(outside)
    (root / "drafts" / "deep" / "up").symlink_to("../..")  # relative, stays inside
    (root / "drafts" / "deep" / "chain").symlink_to("up/drafts/deep/out")
    (root / "drafts" / "gone").symlink_to(outside / "missing")
    (root / "drafts" / "here").symlink_to("deep")
    (root / "file.md").write_text("x", encoding="utf-8")
    names = [
        "drafts/deep/out/a.png", "drafts/deep/up/drafts/a.md", "drafts/deep/chain/a.png",
        "drafts/gone", "drafts/gone/a.png", "drafts/here/a.png", "drafts/here/out/a.png",
        "drafts/missing/deeper/a.png", "file.md/a.png", "drafts/deep/up", "drafts/deep/up/.",
    ]  # fmt: skip
    once = resolved(root)  # as output_folder.Ahead resolves it, once
    for name in names:
        expected = _real_inside(root / name, root)
        for real_root in (None, once):
            try:
                inside(root, name, what="output file", real_root=real_root)
                allowed = True
            except InputError:
                allowed = False
            assert allowed == expected, (name, real_root)


# Examples: 150 for the one check every path goes through, 100 for the others (400, 300
# and 200 before). NAMES mixes any Unicode text with the few parts that matter (.., a
# backslash, C:, NUL, links inside and out); more examples were more CPU for the same
# kinds of names, and the example database replays any failure found.
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES)
def test_a_name_from_any_text_stays_inside_or_is_refused(
    folders: dict[str, Path], name: str
) -> None:
    root = folders["root"]
    try:
        path = inside(root, name, what="output file")
    except InputError as exc:
        assert exc.message.startswith("the output file")
        return
    assert name_problem(name) is None
    assert _real_inside(path, root), path
    assert path.is_relative_to(root)  # the lexical path too: nothing goes up, then down
    os.fsencode(path)  # the file system can hold it


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES)
def test_a_reference_beside_a_file_stays_inside_or_is_refused(
    folders: dict[str, Path], name: str
) -> None:
    root = folders["root"]
    try:
        path = inside(root, name, what="photo", base=root / "drafts")
    except InputError:
        return
    assert _real_inside(path, root), path


@settings(max_examples=100, deadline=None)
@given(NAMES)
def test_a_card_size_name_is_one_plain_file_name(name: str) -> None:
    try:
        TypeAdapter(FileName).validate_python(name)
    except ValidationError:
        return
    assert "/" not in name and name_problem(name) is None
    assert Path(name).name == name


@settings(max_examples=100, deadline=None)
@given(NAMES)
def test_a_draft_card_path_stays_in_the_week_folder(name: str) -> None:
    try:
        TypeAdapter(RelativeName).validate_python(name)
    except ValidationError:
        return
    assert name_problem(name) is None and ".." not in name.split("/")


def _manifest(root: Path, entries: dict[str, Any]) -> None:
    path = root / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "files": entries}), encoding="utf-8")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(NAMES, st.just(["0" * 64]), min_size=1, max_size=4))
def test_manifest_entries_from_any_text_stay_inside_or_are_located_errors(
    folders: dict[str, Path], entries: dict[str, list[str]]
) -> None:
    root = folders["root"]
    _manifest(root, entries)
    try:
        manifest = load_manifest(root)
    except InputError as exc:
        assert exc.location.path == root / MANIFEST
        assert exc.hint and "delete" in exc.hint
        return
    for rel in manifest:
        assert _real_inside(root / rel, root) and name_problem(rel) is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES)
def test_the_safe_writer_writes_nothing_outside(folders: dict[str, Path], name: str) -> None:
    root, outside = folders["root"], folders["outside"]
    (root / MANIFEST).unlink(missing_ok=True)
    before = sorted(p.relative_to(outside) for p in outside.rglob("*") if "root" not in p.parts)
    try:
        report = write_outputs(root, {name: b"data"}, stamp="s")
    except ToolkitError:  # refused, or the file system said no (a folder of that name)
        report = None
    after = sorted(p.relative_to(outside) for p in outside.rglob("*") if "root" not in p.parts)
    assert after == before
    assert not any((outside / "elsewhere").iterdir())
    if report is not None:
        assert all(_real_inside(root / rel, root) for rel in report.written)
