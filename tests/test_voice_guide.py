"""The voice guide file: broken guides are located errors; the demo guide is complete."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import ToolkitError
from toolkit.voice import lint_text, load_guide
from toolkit.voice.kinds import KINDS
from toolkit.voice.readability import japanese_score, word_score

from .conftest import yaml_data

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "brand" / "demo"
CASES: list[dict[str, Any]] = yaml_data(
    (Path(__file__).parent / "data" / "voice" / "bad_guides.yaml").read_text(encoding="utf-8")
)
runner = CliRunner()


def workspace(tmp_path: Path, guide: str) -> Path:
    brand = tmp_path / "brand" / "acme"
    brand.mkdir(parents=True)
    (brand / "brand.yaml").write_text("name: Acme\n", encoding="utf-8")
    (brand / "voice.yaml").write_text(guide, encoding="utf-8")
    (tmp_path / "post.txt").write_text("Hello\n", encoding="utf-8")
    return brand / "voice.yaml"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_guide_is_a_located_error(
    case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workspace(tmp_path, case["guide"])
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["lint", "post.txt"])
    output = result.output
    assert result.exit_code == 2, output
    assert "Traceback" not in output
    first = output.splitlines()[0]
    assert first.startswith(f"{path.resolve()}:{case['where']}: "), first
    assert case["says"] in first, first
    if "hint" in case:
        assert "hint:" in output and case["hint"] in output, output


def test_demo_guide_uses_every_kind_and_four_languages() -> None:
    guide = load_guide(DEMO)
    assert {rule.kind for rule in guide.rules} == set(KINDS)
    locales = {loc[:2] for rule in guide.rules for loc in rule.locales or ()}
    assert {"fr", "ja", "tr", "es"} <= locales
    assert all(rule.spec.examples.bad and rule.spec.examples.good for rule in guide.rules)
    assert set(guide.personas) == {"brand", "ceo"} and guide.default_persona == "brand"
    assert guide.tone is not None and guide.tone.summary


def test_a_brand_without_a_guide_has_no_rules(tmp_path: Path) -> None:
    brand = tmp_path / "brand" / "plain"
    brand.mkdir(parents=True)
    (brand / "brand.yaml").write_text("name: Plain\nlocale: fr-FR\n", encoding="utf-8")
    guide = load_guide(brand)
    assert guide.rules == () and guide.default_locale == "fr-FR"


def test_an_edited_guide_is_loaded_again(tmp_path: Path) -> None:
    path = workspace(tmp_path, "rules: []\n")
    assert load_guide(path.parent).rules == ()
    path.write_text(
        "rules:\n  - {id: a, kind: avoid, words: [synergy], message: hi}\n", encoding="utf-8"
    )
    assert [r.id for r in load_guide(path.parent).rules] == ["a"]


@pytest.mark.parametrize(
    ("formula", "words", "sentences", "lang", "expected"),
    [
        # 4 words, 1 sentence, 5 syllables: 206.835 - 1.015*4 - 84.6*1.25
        ("flesch", ["The", "cat", "sat", "quickly"], 1, "en", 97.0),
        # 207 - 1.015*2 - 73.6*(3/2)  (chat: 1, heureux: 2)
        ("kandel_moles", ["chat", "heureux"], 1, "fr", 94.6),
        # 206.84 - 60*(4/2) - 1.02*2  (casa: 2, perro: 2)
        ("fernandez_huerta", ["casa", "perro"], 1, "es", 84.8),
        # 198.825 - 40.175*(5/2) - 2.61*2  (kedi: 2, güzeldir: 3)
        ("atesman", ["kedi", "güzeldir"], 1, "tr", 93.2),
    ],
)
def test_readability_formulas(
    formula: str, words: list[str], sentences: int, lang: str, expected: float
) -> None:
    assert word_score(formula, words, sentences, lang).value == pytest.approx(expected, abs=0.1)


def test_japanese_scores_rank_plain_text_above_kanji_compounds() -> None:
    easy = japanese_score("tateisi", "今日はいい天気ですね。散歩に行きましょう。")
    hard = japanese_score("tateisi", "当該事業者関係法令遵守義務履行状況報告書提出。")
    assert easy.value > 50 > hard.value
    share = japanese_score("kanji_share", "漢字とか")  # 2 kanji, 2 kana
    assert share.value == 50.0


def test_platform_names_resolve_alike_every_time_and_typos_are_never_kept() -> None:
    guide = load_guide(DEMO)
    for _ in range(2):  # the second round is answered from what the first resolved
        assert [guide.platform(n) for n in ("x", "X", "twitter", "Twitter ")] == ["x"] * 4
        with pytest.raises(ToolkitError, match="unknown platform 'twiter'"):
            guide.platform("twiter")


def test_a_guide_copied_with_other_rules_lints_with_them_not_with_its_originals() -> None:
    guide = load_guide(DEMO)
    text = "Follow us on Linkedin!"
    before = lint_text(text, guide, platform="x", locale="en-US")  # the original's caches fill
    assert before
    bare = dataclasses.replace(guide, rules=())
    assert lint_text(text, bare, platform="x", locale="en-US") == []
    assert lint_text(text, guide, platform="x", locale="en-US") == before
