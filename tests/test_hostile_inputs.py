"""Hostile and broken input: YAML tricks and every Unicode edge, fast and without a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.copy import variants
from toolkit.errors import ToolkitError
from toolkit.files import yaml_reader
from toolkit.files.yaml_reader import parse_yaml

from .conftest import FIXED_NOW, copy_demo_brief, utf8_text

runner = CliRunner()
NOW = "2026-11-23T09:00"

GENERATED = {
    "deep flow nesting": "campaign: " + "[" * 3000 + "]" * 3000 + "\nmessage: hi\n",
    "deep block nesting": "campaign: x\nmessage: hi\n"
    + "".join(" " * i + f"k{i}:\n" for i in range(300))
    + " " * 300
    + "v: 1\n",
    "huge scalar": "campaign: x\nmessage: " + "a" * 1_500_000 + "\n",
    "many keys": "campaign: x\nmessage: hi\n" + "".join(f"k{i}: {i}\n" for i in range(10_000)),
    "merge key": "base: &b {campaign: x}\nbrief:\n  <<: *b\n",
    "set tag": "campaign: !!set {a, b}\nmessage: hi\n",
    "binary tag": "campaign: !!binary aGVsbG8=\nmessage: hi\n",
    "anchor cycle": "a: &a [*a]\ncampaign: x\nmessage: hi\n",
    "null byte": "campaign: x\x00\nmessage: hi\n",
}


@pytest.mark.parametrize("name", list(GENERATED))
def test_hostile_yaml_is_a_quick_located_error(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused within the reader's bounds: no more values built than it allows, and no
    copy rendered from what it refused."""
    brief = tmp_path / "brief.yaml"
    brief.write_text(GENERATED[name], encoding="utf-8")
    steps = {"values": 0, "variants": 0}
    build, render = yaml_reader._Builder.build, variants.render_variant

    def counted_build(self: Any, *args: Any) -> Any:
        steps["values"] += 1
        return build(self, *args)

    def counted_render(*args: Any, **kwargs: Any) -> Any:
        steps["variants"] += 1
        return render(*args, **kwargs)

    monkeypatch.setattr(yaml_reader._Builder, "build", counted_build)
    monkeypatch.setattr(variants, "render_variant", counted_render)
    result = runner.invoke(app, ["generate", str(brief), "--now", NOW])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.output.startswith(f"{brief}:"), result.output[:300]
    assert steps["values"] <= yaml_reader.MAX_NODES + 1, steps
    assert steps["variants"] == 0, steps


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(utf8_text(max_size=300))
def test_the_yaml_reader_never_crashes(text: str) -> None:
    """Any text either parses or is a located ToolkitError; never another exception."""
    try:
        parse_yaml(text, Path("fuzz.yaml"))
    except ToolkitError as exc:
        assert exc.location.path == Path("fuzz.yaml")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(
            ["campaign", "message", "locale", "platforms", "variants", "hashtags", "event",
             "link", "key_points", "thread", "quote", "brand", "utm", "timezone", "cta"]
        ),
        st.one_of(
            st.none(), st.booleans(), st.integers(-5, 50), utf8_text(max_size=40),
            st.lists(utf8_text(max_size=12), max_size=4),
            st.dictionaries(utf8_text(max_size=8), utf8_text(max_size=8), max_size=3),
        ),
        max_size=8,
    )
)  # fmt: skip
def test_the_brief_loader_never_crashes(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, object]
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    brief = folder / "brief.yaml"
    brief.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    result = runner.invoke(app, ["generate", str(brief), "-p", "x", "-n", "2", "--now", NOW])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.output.startswith(f"{brief}:") or result.output.startswith("error:")


EDGES = [
    "ZWJ family 👨‍👩‍👧‍👦 and 👩🏽‍💻",
    "flags 🇫🇷🇯🇵🇹🇷🇪🇸 and a lone 🇫",
    "variation selectors ❤️ ☺︎ 1️⃣",
    "combining e\u0301\u0301\u0301 and Zalgo z\u0336\u0337\u0338",
    "RTL \u200fשלום\u200e مرحبا \u202eevil\u202c",
    "NUL \x00 and controls \x01\x1b[31m red",
    "zero width \u200b\u200c\u200d\ufeff marks",
    "half-width ｶﾀｶﾅ and full-width ＡＢＣ",
    "İstanbul'da ışık",
]


def test_lone_surrogates_never_reach_the_copy(tmp_path: Path) -> None:
    """A YAML escape for a lone surrogate is a located error; through the API it is dropped."""
    brief = copy_demo_brief(tmp_path, "en")
    text = brief.read_text(encoding="utf-8").replace(
        "message: Prove the ROI of social media in 45 minutes.", 'message: "lone \\ud800 here"'
    )
    brief.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["generate", str(brief), "--now", NOW])
    assert result.exit_code in (0, 2) and "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.output.startswith(f"{brief}:")
    import toolkit
    from toolkit.campaign.brief import Brief

    campaign = toolkit.load_brief(copy_demo_brief(tmp_path, "en", name="api.yaml"), now=FIXED_NOW)
    data = campaign.brief.model_dump()
    data["message"] = "lone \ud800 surrogate"
    import dataclasses

    campaign = dataclasses.replace(campaign, brief=Brief.model_validate(data))
    for variant in toolkit.generate(campaign, now=FIXED_NOW, variants=2):
        variant.text.encode("utf-8")  # would raise on a lone surrogate


@pytest.mark.parametrize("edge", EDGES)
def test_unicode_edges_go_through_generate(edge: str, tmp_path: Path) -> None:
    brief = copy_demo_brief(tmp_path, "en")
    text = brief.read_text(encoding="utf-8").replace(
        "message: Prove the ROI of social media in 45 minutes.",
        f"message: {json.dumps(edge + ' ' + 'word ' * 80)}",
    )
    brief.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["generate", str(brief), "-n", "2", "-f", "json", "--now", NOW])
    assert result.exit_code == 0, result.output
    variants = json.loads(result.output)
    for v in variants:
        assert v["length"] <= v["limit"]
        assert "\x00" not in v["text"] and "\ud800" not in v["text"]


@pytest.mark.parametrize("edge", EDGES)
def test_unicode_edges_go_through_lint_fix_and_render(edge: str, tmp_path: Path) -> None:
    from tests.test_cards_support import need_fonts

    draft = tmp_path / "draft.md"
    front = "---\nplatform: x\nlocale: fr-FR\n---\n"
    draft.write_text(front + f"Inscrivez-vous : {edge} !\n", encoding="utf-8")
    first = runner.invoke(app, ["lint", str(draft), "--fix"])
    assert first.exit_code in (0, 1), first.output
    assert "Traceback" not in first.output
    fixed = draft.read_text(encoding="utf-8")
    assert fixed.startswith(front)
    again = runner.invoke(app, ["lint", str(draft), "--fix"])
    assert again.exit_code in (0, 1) and draft.read_text(encoding="utf-8") == fixed
    need_fonts()
    brief = copy_demo_brief(tmp_path, "en")
    text = brief.read_text(encoding="utf-8").replace(
        "message: Prove the ROI of social media in 45 minutes.", f"message: {json.dumps(edge)}"
    )
    brief.write_text(text, encoding="utf-8")
    out = tmp_path / "cards"
    args = ["render", str(brief), "-l", "announcement", "-s", "square", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (out / "announcement-square.png").stat().st_size > 10_000
