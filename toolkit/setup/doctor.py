"""``toolkit doctor``: can this machine make this brand's cards, and are its files valid?

Cards draw text with the fonts the machine has (the brand's own, then
fontconfig's), so a brief in Japanese needs a CJK font and an emoji needs a
colour emoji font. The doctor checks, for each script the brand's briefs use,
which font will draw it, or what to install; whether libraqm is there for
right-to-left text; the versions of Python and the key packages; and whether
the workspace's brand, voice guide and briefs load. It returns a report; the
CLI prints it.
"""

from __future__ import annotations

import platform as python_platform
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from toolkit.errors import ToolkitError
from toolkit.files.models import Model
from toolkit.files.workspace import Workspace

if TYPE_CHECKING:
    from toolkit.campaign.loader import LoadedBrand
    from toolkit.cards.fonts import Face

Section = Literal["software", "fonts", "workspace"]
PACKAGES = (
    "typer", "rich", "pydantic", "pillow", "jinja2", "pyyaml", "babel",
    "fonttools", "regex", "budoux", "emoji",
)  # fmt: skip
System = Literal["debian", "fedora", "macos"]
SYSTEMS: dict[System, str] = {
    "debian": "Debian/Ubuntu",
    "fedora": "Fedora",
    "macos": "macOS (Homebrew)",
}
RAQM_INSTALL: dict[System, str] = {
    "debian": "sudo apt install libraqm0",
    "fedora": "sudo dnf install libraqm",
    "macos": "brew install libraqm",
}
FONTCONFIG_INSTALL: dict[System, str] = {
    "debian": "sudo apt install fontconfig",
    "fedora": "sudo dnf install fontconfig",
    "macos": "brew install fontconfig",
}


class Script(Model):
    """One entry of templates/scripts.yaml."""

    label: str
    sample: str = Field(min_length=1)
    lang: str | None = None
    locales: list[str] = []
    always: bool = False
    emoji: bool = False
    right_to_left: bool = False
    install: dict[System, str]


@dataclass(frozen=True)
class Check:
    """One line of the report. ``blocking`` failures make ``toolkit doctor`` exit 1."""

    section: Section
    name: str
    ok: bool
    detail: str
    fix: tuple[str, ...] = ()
    blocking: bool = True


@dataclass(frozen=True)
class DoctorReport:
    checks: tuple[Check, ...]
    brand: str
    scripts: tuple[str, ...]  # the labels of the scripts checked

    @property
    def problems(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.ok and c.blocking)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class FontProbe:
    """How the doctor sees the machine's fonts; the cards' own font lookup by default."""

    families: Callable[[str, str | None, tuple[Face, ...]], tuple[str, ...] | None]
    emoji: Callable[[str], str | None]
    raqm: Callable[[], bool]
    fontconfig: Callable[[], bool]


def system_fonts() -> FontProbe:
    from PIL import features

    from toolkit.cards import emoji as emoji_mod
    from toolkit.cards.fonts import FontChain, coverage, emoji_face, fontconfig_available

    def families(sample: str, lang: str | None, brand: tuple[Face, ...]) -> tuple[str, ...] | None:
        """The fonts that draw every cluster of ``sample``; None when one has no font."""
        import regex  # type: ignore[import-untyped, unused-ignore]

        chain = FontChain(brand, lang or "en", False)
        used: dict[str, None] = {}
        for cluster in regex.findall(r"\X", sample):
            if cluster.isspace():
                continue
            face = chain.face_for(cluster)
            if face is None:
                return None
            used[face.label] = None
        return tuple(used)

    def emoji(sample: str) -> str | None:
        face = emoji_face()
        if face is None or not emoji_mod.usable(face):
            return None
        cover = coverage(face)
        return face.label if all(ord(c[0]) in cover for c in sample.split() or [sample]) else None

    return FontProbe(families, emoji, lambda: bool(features.check("raqm")), fontconfig_available)


def diagnose(
    *,
    cwd: Path,
    brand: str | None = None,
    probe: FontProbe | None = None,
    scripts_file: Path | None = None,
) -> DoctorReport:
    """Check the machine and the workspace holding ``cwd``, for the scripts its briefs use."""
    probe = probe or system_fonts()
    workspace = Workspace.find(cwd)
    checks = list(_software())
    slug = brand or workspace.default_brand()
    loaded, brand_checks = _brand(workspace, slug)
    locales, brief_checks = _briefs(workspace, slug, loaded)
    scripts = _scripts_used(load_scripts(scripts_file), locales)
    checks += _fonts(scripts, loaded, probe)
    checks += [_where(workspace), *brand_checks, *brief_checks]
    return DoctorReport(tuple(checks), slug, tuple(s.label for s in scripts))


def load_scripts(path: Path | None = None) -> list[Script]:
    """The scripts a card may need (templates/scripts.yaml), validated."""
    from pydantic import ValidationError

    from toolkit.errors import InputError
    from toolkit.files.validation import located_error
    from toolkit.files.workspace import builtin_root
    from toolkit.files.yaml_reader import load_yaml

    path = path or builtin_root() / "templates" / "scripts.yaml"
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError(
            "scripts.yaml must map script names to settings", location=doc.marks.at(())
        )
    scripts: list[Script] = []
    for key, value in doc.data.items():
        try:
            scripts.append(Script.model_validate(value))
        except ValidationError as exc:
            raise located_error(
                exc, Script, value, doc.marks, what="script", prefix=(key,)
            ) from None
    return scripts


def _software() -> list[Check]:
    checks = [Check("software", "Python", True, python_platform.python_version())]
    for name in PACKAGES:
        try:
            checks.append(Check("software", name, True, version(name)))
        except PackageNotFoundError:
            fix = (f"pip install '{name}' (or reinstall toolkit: pip install toolkit)",)
            checks.append(Check("software", name, False, "not installed", fix))
    return checks


def _where(workspace: Workspace) -> Check:
    if workspace.root is None:
        return Check(
            "workspace",
            "workspace",
            True,
            "none here: the built-in demo brand and templates are used",
            ("toolkit init makes one with your own brand",),
            blocking=False,
        )
    return Check("workspace", "workspace", True, str(workspace.root))


def _problem(name: str, exc: ToolkitError) -> Check:
    hint = (f"hint: {exc.hint}",) if exc.hint else ()
    where = f"{exc.location}: " if exc.location.path is not None else ""
    return Check("workspace", name, False, where + exc.message, hint)


def _brand(workspace: Workspace, slug: str) -> tuple[LoadedBrand | None, list[Check]]:
    from toolkit.campaign.loader import load_brand
    from toolkit.voice import load_guide

    try:
        loaded = load_brand(workspace, slug)
    except ToolkitError as exc:
        return None, [_problem(f"brand '{slug}'", exc)]
    checks = [Check("workspace", f"brand '{slug}'", True, str(loaded.folder / "brand.yaml"))]
    try:
        guide = load_guide(loaded.folder)
        detail = f"{len(guide.rules)} rules" + (f" in {guide.path}" if guide.path else "")
        checks.append(Check("workspace", "voice guide", True, detail))
    except ToolkitError as exc:
        checks.append(_problem("voice guide", exc))
    return loaded, checks


def _briefs(
    workspace: Workspace, slug: str, loaded: LoadedBrand | None
) -> tuple[set[str], list[Check]]:
    """The locales of the brand and its briefs, and a check per brief."""
    from toolkit.campaign.loader import load_campaign

    locales = {loaded.config.locale} if loaded is not None else set()
    if workspace.root is not None:
        found = sorted((workspace.root / "briefs").glob("*.y*ml"))
    else:
        found = sorted((workspace.builtin / "brand" / "demo" / "briefs").glob("*.yaml"))
    checks: list[Check] = []
    for path in found[:50]:
        name = f"brief {path.name}"
        brand, locale = _declared(path)
        if brand == slug and locale:
            # It counts even when the brief has another problem: its cards will need fonts.
            locales.add(locale)
        if brand == slug and loaded is None:
            detail = f"not checked: brand '{slug}' does not load (above)"
            checks.append(Check("workspace", name, False, detail, blocking=False))
            continue
        try:
            campaign = load_campaign(path, workspace=workspace)
        except ToolkitError as exc:
            checks.append(_problem(name, exc))
            continue
        checks.append(Check("workspace", name, True, campaign.brief.locale))
    return locales, checks


def _declared(path: Path) -> tuple[str | None, str | None]:
    """The brand and locale a brief names, read without validating the rest."""
    from toolkit.files.yaml_reader import load_yaml

    try:
        data = load_yaml(path).data
    except ToolkitError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    brand, locale = data.get("brand", "demo"), data.get("locale")
    return (
        brand if isinstance(brand, str) else None,
        locale.replace("_", "-") if isinstance(locale, str) else None,
    )


def _scripts_used(scripts: Sequence[Script], locales: set[str]) -> list[Script]:
    languages = {locale.split("-")[0].lower() for locale in locales}
    return [s for s in scripts if s.always or languages & set(s.locales)]


def _fonts(scripts: list[Script], brand: LoadedBrand | None, probe: FontProbe) -> list[Check]:
    brand_faces: tuple[Face, ...] = ()
    if brand is not None:
        from toolkit.cards.assets import brand_faces as faces_of

        try:
            brand_faces = faces_of(brand, "body")
        except ToolkitError:
            brand_faces = ()  # reported with the brand; the system's fonts are still checked
    checks: list[Check] = []
    if not probe.fontconfig():
        checks.append(
            Check(
                "fonts",
                "fontconfig",
                False,
                "fc-match not found: only the brand's fonts and Pillow's own can be used",
                _install(FONTCONFIG_INSTALL),
                blocking=False,
            )
        )
    for script in scripts:
        if script.emoji:
            family = probe.emoji(script.sample)
            found: tuple[str, ...] | None = (family,) if family else None
        else:
            found = probe.families(script.sample, script.lang, brand_faces)
        if found:
            checks.append(Check("fonts", script.label, True, ", ".join(found)))
        else:
            fix = _install(script.install)
            if brand is not None and not script.emoji:
                fix += (
                    f"or set fonts.body in {brand.folder / 'brand.yaml'} to a font that has it",
                )
            checks.append(Check("fonts", script.label, False, "no font draws it", fix))
    rtl = [s.label for s in scripts if s.right_to_left]
    has_raqm = probe.raqm()
    detail = "present" if has_raqm else "missing: right-to-left text is drawn unshaped"
    checks.append(
        Check(
            "fonts",
            "libraqm (right-to-left text)",
            has_raqm,
            detail + (f" ({', '.join(rtl)} in use)" if rtl else ""),
            () if has_raqm else _install(RAQM_INSTALL),
            blocking=bool(rtl),
        )
    )
    return checks


def _install(commands: Mapping[System, str]) -> tuple[str, ...]:
    return tuple(f"{SYSTEMS[system]}: {command}" for system, command in commands.items())
