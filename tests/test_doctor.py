"""toolkit doctor: a font per script the brand uses, libraqm, versions, valid files."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from toolkit.setup.doctor import FontProbe, diagnose

from .cli_run import piped
from .conftest import yaml_data

CASES: list[dict[str, Any]] = yaml_data(
    (Path(__file__).parent / "data" / "doctor.yaml").read_text(encoding="utf-8")
)


def workspace(init: Callable[[Path], Path], tmp_path: Path, locale: str | None = None) -> Path:
    """``toolkit init`` (conftest.acme_workspace: a copy of one), the brief in ``locale``."""
    init(tmp_path)
    if locale:
        brief = tmp_path / "briefs" / "example.yaml"
        text = brief.read_text(encoding="utf-8")
        head, _, rest = text.partition("\nlocale: ")
        brief.write_text(head + f"\nlocale: {locale}\n" + rest.partition("\n")[2], "utf-8")
    return tmp_path


def machine(missing: list[str], raqm: bool = True) -> FontProbe:
    """A machine whose fonts draw every language but ``missing``."""

    def families(sample: str, lang: str | None, brand: object) -> tuple[str, ...] | None:
        return None if lang in missing else (f"Sans for {lang}",)

    def emoji(sample: str) -> str | None:
        return None if "emoji" in missing else "Colour Emoji"

    return FontProbe(families, emoji, lambda: raqm, lambda: True)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_doctor_names_what_is_missing(
    case: dict[str, Any], tmp_path: Path, acme_workspace: Callable[[Path], Path]
) -> None:
    root = workspace(acme_workspace, tmp_path, case.get("locale"))
    probe = machine(case.get("missing", []), case.get("raqm", True))
    report = diagnose(cwd=root, probe=probe)
    assert [c.name for c in report.problems] == case["problems"]
    assert report.ok is (not case["problems"])
    for problem in report.problems:
        assert any(fix.startswith("Debian/Ubuntu: sudo apt install ") for fix in problem.fix)
        assert any(fix.startswith("macOS (Homebrew): brew install ") for fix in problem.fix)
        assert any(fix.startswith("Fedora: sudo dnf install ") for fix in problem.fix)


def test_doctor_reports_an_invalid_brand_at_its_line(
    tmp_path: Path, acme_workspace: Callable[[Path], Path]
) -> None:
    root = workspace(acme_workspace, tmp_path)
    brand = root / "brand" / "acme" / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(text.replace("timezone: Europe/Paris", "timezone: Europe/Pariss"), "utf-8")
    report = diagnose(cwd=root, probe=machine([]))
    [problem] = report.problems
    assert problem.name == "brand 'acme'"
    line = text.splitlines().index("timezone: Europe/Paris") + 1
    says = "timezone: unknown time zone 'Europe/Pariss'"
    assert problem.detail.startswith(f"{brand}:{line}:11: {says}")
    assert problem.fix == ("hint: did you mean 'Europe/Paris'?",)
    brief = next(c for c in report.checks if c.name == "brief example.yaml")
    assert (brief.ok, brief.detail) == (False, "not checked: brand 'acme' does not load (above)")


def test_a_broken_brief_still_counts_for_the_fonts_its_locale_needs(
    tmp_path: Path, acme_workspace: Callable[[Path], Path]
) -> None:
    root = workspace(acme_workspace, tmp_path)
    brief = root / "briefs" / "launch-il.yaml"
    brief.write_text("campaign: Launch\nbrand: acme\nlocale: he-IL\n", encoding="utf-8")
    report = diagnose(cwd=root, probe=machine(["he"]))
    assert [c.name for c in report.problems] == ["Hebrew", "brief launch-il.yaml"]
    assert "missing required key 'message'" in report.problems[1].detail


def test_doctor_lists_python_and_the_key_packages(tmp_path: Path) -> None:
    report = diagnose(cwd=tmp_path, probe=machine([]))
    versions = {c.name: c.detail for c in report.checks if c.section == "software"}
    assert {"Python", "pillow", "pydantic", "typer", "rich", "fonttools"} <= set(versions)
    assert all(v[0].isdigit() for v in versions.values())
    # No workspace here: the built-in demo brand and its five briefs are checked.
    assert report.brand == "demo"
    assert report.scripts == ("Latin", "Turkish", "Japanese", "colour emoji")


needs_fontconfig = pytest.mark.skipif(
    shutil.which("fc-match") is None, reason="fontconfig (fc-match) is not installed"
)


@needs_fontconfig
def test_doctor_on_this_machine_finds_the_debian_noto_fonts(tmp_path: Path) -> None:
    run = piped("doctor", cwd=tmp_path)
    assert run.code == 0, run.out + run.err
    lines = {line.split()[1]: line for line in run.out.splitlines() if line.startswith("  ok ")}
    assert "Noto Sans CJK" in lines["Japanese"]
    assert "Noto Color Emoji" in lines["colour"]
    assert run.out.rstrip().endswith("all good: cards can be made")


@needs_fontconfig
def test_doctor_on_a_machine_without_fonts_says_what_to_install(tmp_path: Path) -> None:
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>\n',
        encoding="utf-8",
    )
    run = piped("doctor", "-f", "json", cwd=tmp_path, FONTCONFIG_FILE=str(config))
    assert run.code == 1
    report = json.loads(run.out)
    failed = {c["name"]: c for c in report["checks"] if not c["ok"]}
    assert {"Japanese", "colour emoji"} <= set(failed)
    assert "Debian/Ubuntu: sudo apt install fonts-noto-cjk" in failed["Japanese"]["fix"]
    assert "Debian/Ubuntu: sudo apt install fonts-noto-color-emoji" in failed["colour emoji"]["fix"]
