"""Where things live: the user's workspace first, then the built-in defaults.

A workspace is a folder with ``brand/``, ``templates/`` and ``briefs/``. Any
file it has overrides the built-in file at the same path; a brand's own
``templates/`` folder overrides both.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from toolkit.errors import Location, NotFoundError, did_you_mean
from toolkit.files.paths import inside

PACKAGE_DIR = Path(__file__).resolve().parents[1]


@cache
def builtin_root() -> Path:
    """The folder holding the built-in ``templates/`` and ``brand/``.

    In a wheel they are copied into the package; in a source checkout they
    sit at the repository's top level.
    """
    for candidate in (PACKAGE_DIR / "_builtin", PACKAGE_DIR.parent):
        if (candidate / "templates" / "angles.yaml").is_file():
            return candidate
    raise RuntimeError("toolkit's built-in templates are missing; reinstall the package")


def _is_workspace(folder: Path) -> bool:
    return (
        (folder / "toolkit.yaml").is_file()
        or (folder / "brand").is_dir()
        or (folder / "templates").is_dir()
    )


@dataclass(frozen=True)
class Workspace:
    root: Path | None
    builtin: Path

    @classmethod
    def find(cls, start: Path | None) -> Workspace:
        """The workspace that holds ``start`` (a brief or a folder), if any."""
        builtin = builtin_root()
        if start is not None:
            start = start.resolve()
            folder = start if start.is_dir() else start.parent
            for candidate in (folder, *folder.parents):
                if _is_workspace(candidate):
                    if candidate == builtin:
                        return cls(None, builtin)
                    return cls(candidate, builtin)
        return cls(None, builtin)

    def _roots(self) -> list[Path]:
        return [self.root, self.builtin] if self.root is not None else [self.builtin]

    def brand_dir(self, slug: str, *, location: Location | None = None) -> Path:
        for root in self._roots():
            config = inside(root, f"brand/{slug}/brand.yaml", what="brand", location=location)
            if config.is_file():
                return config.parent
        raise NotFoundError(
            f"brand '{slug}' not found",
            location=location,
            hint=did_you_mean(slug, self.brand_slugs())
            or "create brand/<slug>/brand.yaml (toolkit init scaffolds one)",
        )

    def brand_slugs(self) -> list[str]:
        slugs: set[str] = set()
        for root in self._roots():
            folder = root / "brand"
            if folder.is_dir():
                slugs.update(p.parent.name for p in folder.glob("*/brand.yaml"))
        return sorted(slugs)

    def default_brand(self) -> str:
        """The brand a command uses when none is named: the workspace's only one, else the demo."""
        only = self._only("brand/*/brand.yaml")
        return only.parent.name if only is not None else "demo"

    def template_roots(self, brand_slug: str | None = None) -> list[Path]:
        """Template folders in lookup order: brand, workspace, built-in."""
        roots: list[Path] = []
        if brand_slug is not None:
            for root in self._roots():
                folder = root / "brand" / brand_slug / "templates"
                if folder.is_dir():
                    roots.append(folder)
                    break
        for root in self._roots():
            folder = root / "templates"
            if folder.is_dir():
                roots.append(folder)
        return roots

    def default_brief(self) -> Path:
        """The brief a command uses when none is named: the workspace's only one (in
        ``briefs/``), else the demo's, as ``default_brand`` picks the brand: in a folder
        ``toolkit init --brand acme`` made, ``toolkit week`` plans Acme's example brief."""
        only = self._only("briefs/*.yaml")
        return only or self.builtin / "brand" / "demo" / "briefs" / "en.yaml"

    def _only(self, pattern: str) -> Path | None:
        """The workspace's only file matching ``pattern``; None when it has none, several,
        or is no workspace."""
        if self.root is None:
            return None
        own = [p for p in self.root.glob(pattern) if p.is_file()]
        return own[0] if len(own) == 1 else None


def find_file(roots: list[Path], relative: str) -> Path | None:
    """The first ``relative`` file under ``roots``, never leaving them."""
    for root in roots:
        candidate = inside(root, relative, what="file")
        if candidate.is_file():
            return candidate.resolve()
    return None
