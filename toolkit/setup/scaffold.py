"""``toolkit init``: a workspace that works immediately, copied from the demo."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import InputError, Location
from toolkit.files.workspace import builtin_root
from toolkit.setup.json_schema import SchemaName, json_schema

_TEMPLATES_README = """\
# Template overrides

Put a file here with the same path as a built-in template to replace it, for
example `linkedin/announcement.j2` or `x/platform.yaml`. A brand's own
`brand/<slug>/templates/` folder wins over this one. See the variables and
tags templates can use in the toolkit documentation (docs/templates.md).
"""

_MARKER = """\
# This folder is a toolkit workspace: brand/, templates/ and briefs/ here
# override the built-in ones file by file.
"""


@dataclass(frozen=True)
class Scaffolded:
    written: tuple[Path, ...]
    kept: tuple[Path, ...]  # already there: never overwritten


def init_workspace(target: Path, slug: str = "mybrand") -> Scaffolded:
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", slug):
        raise InputError(
            f"'{slug}' is not a usable brand folder name",
            hint="use lower-case letters, digits, '-' or '_'",
        )
    if target.exists() and not target.is_dir():
        raise InputError("exists and is not a folder", location=Location(target))
    demo = builtin_root() / "brand" / "demo"
    files: dict[Path, bytes] = {
        target / "toolkit.yaml": _MARKER.encode(),
        target / "templates" / "README.md": _TEMPLATES_README.encode(),
    }
    for source in sorted(demo.rglob("*")):
        if source.is_file() and "briefs" not in source.relative_to(demo).parts:
            files[target / "brand" / slug / source.relative_to(demo)] = source.read_bytes()
    example = (demo / "briefs" / "en.yaml").read_text(encoding="utf-8")
    example = re.sub(r"(?m)^brand:.*$", f"brand: {slug}", example)
    example = example.replace("../../../schemas/", "../schemas/")
    # Paths in the demo brief are relative to brand/demo/briefs/; the example lives in briefs/.
    example = example.replace("../assets/", f"../brand/{slug}/assets/")
    files[target / "briefs" / "example.yaml"] = example.encode()
    kinds: tuple[SchemaName, ...] = ("brief", "brand", "platform", "voice")
    for name in kinds:
        files[target / "schemas" / f"{name}.schema.json"] = json_schema(name).encode()
    written: list[Path] = []
    kept: list[Path] = []
    for path, content in files.items():
        if path.exists():
            kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
        written.append(path)
    return Scaffolded(tuple(written), tuple(kept))
