"""The voice guide in generation: fixes before output, findings with each variant, --strict."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import toolkit
from toolkit.cli import app
from toolkit.text.counting import count

from .conftest import DEMO_BRIEFS, FIXED_NOW

REPO = Path(__file__).resolve().parents[1]
NOW = "2026-11-23T09:00"
runner = CliRunner()


@pytest.mark.parametrize("lang", ["en", "fr", "es", "tr", "ja"])
def test_demo_variants_are_clean_under_the_demo_guide(lang: str) -> None:
    campaign = toolkit.load_brief(DEMO_BRIEFS / f"{lang}.yaml", now=FIXED_NOW)
    variants = toolkit.generate(campaign, now=FIXED_NOW, variants=10, seed=0)
    assert [f for v in variants for f in v.findings] == []


def test_generated_copy_gets_safe_fixes() -> None:
    campaign = toolkit.load_brief(DEMO_BRIEFS / "en.yaml", now=FIXED_NOW)
    variants = toolkit.generate(campaign, now=FIXED_NOW, variants=10, seed=0)
    texts = [v.text for v in variants]
    assert not any("'" in t for t in texts)  # straight apostrophes became ’
    assert any("What you’ll get" in t for t in texts)


def acme(tmp_path: Path, voice: str, brief_extra: str = "") -> Path:
    """A workspace whose brand is the demo's with its own voice guide; returns the brief."""
    shutil.copytree(REPO / "brand" / "demo", tmp_path / "brand" / "acme", ignore=_no_briefs)
    (tmp_path / "brand" / "acme" / "voice.yaml").write_text(voice, encoding="utf-8")
    brief = (DEMO_BRIEFS / "en.yaml").read_text(encoding="utf-8")
    brief = brief.replace("brand: demo", "brand: acme")
    path = tmp_path / "brief.yaml"
    path.write_text(brief + brief_extra, encoding="utf-8")
    return path


def _no_briefs(folder: str, names: list[str]) -> list[str]:
    return ["briefs"] if "briefs" in names else []


RULES = """
rules:
  - id: acme.roi
    kind: term
    level: error
    message: "Write '{expected}'"
    terms: {"return on investment": [ROI]}
  - id: acme.no-free
    kind: avoid
    level: error
    message: "Not '{match}'"
    words: [free]
"""


def test_fixes_are_applied_and_findings_travel_with_the_variant(tmp_path: Path) -> None:
    brief = acme(tmp_path, RULES)
    result = runner.invoke(
        app,
        [
            "generate",
            str(brief),
            "-p",
            "x",
            "-p",
            "youtube",
            "-n",
            "2",
            "--now",
            NOW,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    variants = json.loads(result.stdout)
    fixed = 0
    for v in variants:
        prose = v["text"].replace("#SocialMediaROI", "")  # hashtags are not prose
        assert "ROI" not in prose
        fixed += "return on investment" in prose
        if v["title"] is not None:
            assert "ROI" not in v["title"]
        assert v["length"] <= v["limit"]
        # The one finding shape: path "title" for the title's, null for the copy's.
        found = {(f["path"], f["rule"], f["level"]) for f in v["findings"]}
        assert (None, "acme.no-free", "error") in found  # "Register for free" stays
        finding = next(f for f in v["findings"] if f["rule"] == "acme.no-free")
        line = v["text"].splitlines()[finding["line"] - 1]
        assert line[finding["column"] - 1 :].lower().startswith("free")
        assert finding["message"] == "Not 'free'"
    assert fixed  # the posts that say ROI say it the brand's way


def test_strict_exits_1_when_errors_remain(tmp_path: Path) -> None:
    brief = acme(tmp_path, RULES)
    args = ["generate", str(brief), "-p", "x", "-n", "1", "--now", NOW]
    relaxed = runner.invoke(app, args)
    assert relaxed.exit_code == 0
    assert "voice: " in relaxed.stdout and "error acme.no-free: Not 'free'" in relaxed.stdout
    strict = runner.invoke(app, [*args, "--strict"])
    assert strict.exit_code == 1
    assert "voice errors remain in 1 variant(s): x-" in strict.stderr


def test_strict_on_the_demo_passes_and_a_sponsored_brief_needs_a_disclosure(
    tmp_path: Path,
) -> None:
    ok = runner.invoke(app, ["generate", "--strict", "-n", "10", "--now", NOW])
    assert ok.exit_code == 0, ok.stderr
    brief = tmp_path / "sponsored.yaml"
    brief.write_text(
        (DEMO_BRIEFS / "en.yaml").read_text(encoding="utf-8") + "sponsored: true\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["generate", str(brief), "-p", "x", "--strict", "--now", NOW])
    assert result.exit_code == 1
    assert "error require.ad-disclosure" in result.stdout


def test_a_fix_that_would_not_fit_is_not_applied(tmp_path: Path) -> None:
    long_name = "the return on the investment you make in social media, measured properly " * 3
    voice = RULES.replace('"return on investment"', f'"{long_name.strip()}"')
    brief = acme(tmp_path, voice)
    campaign = toolkit.load_brief(brief, now=FIXED_NOW)
    variants = toolkit.generate(campaign, now=FIXED_NOW, platforms=["x"], variants=3)
    rules = campaign.platforms["x"].rules()
    for v in variants:
        assert all(count(p, rules) <= v.limit for p in v.parts)
        assert v.length == max(count(p, rules) for p in v.parts)
        if "ROI" in v.text:
            assert any(f.rule == "acme.roi" for f in v.findings)


def test_unknown_brief_persona_is_a_located_error(tmp_path: Path) -> None:
    brief = acme(tmp_path, (REPO / "brand" / "demo" / "voice.yaml").read_text(), "persona: cfo\n")
    result = runner.invoke(app, ["generate", str(brief), "--now", NOW])
    assert result.exit_code == 2
    line = len(brief.read_text(encoding="utf-8").splitlines())
    assert result.stderr.startswith(f"{brief}:{line}:10: unknown persona 'cfo'")
    assert "did you mean 'ceo'?" in result.stderr


def test_markdown_output_lists_findings(tmp_path: Path) -> None:
    brief = acme(tmp_path, RULES)
    result = runner.invoke(
        app, ["generate", str(brief), "-p", "x", "-n", "1", "--now", NOW, "--format", "md"]
    )
    assert "- voice: " in result.stdout and "acme.no-free" in result.stdout
