"""Rule cases from tests/data/voice/rules.yaml: pass, fail (at line:col) and fix, per kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from toolkit.voice import Guide, fix_text, lint_text, load_guide
from toolkit.voice.engine import fix_post, make_post
from toolkit.voice.kinds import KINDS

from .conftest import yaml_data

CASES: list[dict[str, Any]] = yaml_data(
    (Path(__file__).parent / "data" / "voice" / "rules.yaml").read_text(encoding="utf-8")
)
CONTEXT = ("locale", "platform", "persona", "sponsored", "thread")


def guide_for(case: dict[str, Any], folder: Path) -> Guide:
    rule = {"id": "case.rule", "level": "error", "message": "flagged", **case["rule"]}
    voice = {
        "personas": {"brand": {"description": "we"}, "ceo": {"description": "I"}},
        "default_persona": "brand",
        "vocabulary": case.get("vocabulary", []),
        "rules": [rule],
    }
    brand = folder / "brand" / "t"
    brand.mkdir(parents=True)
    (brand / "brand.yaml").write_text("name: Test\n", encoding="utf-8")
    (brand / "voice.yaml").write_text(yaml.safe_dump(voice, allow_unicode=True), encoding="utf-8")
    return load_guide(brand)


def texts(case: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = [i if isinstance(i, dict) else {"text": i} for i in case.get(key, [])]
    return [{**{k: case[k] for k in CONTEXT if k in case}, **item} for item in items]


def context(item: dict[str, Any]) -> dict[str, Any]:
    return {k: item[k] for k in CONTEXT if k in item}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_case(case: dict[str, Any], tmp_path: Path) -> None:
    guide = guide_for(case, tmp_path)
    for item in texts(case, "pass"):
        found = lint_text(item["text"], guide, **context(item))
        assert found == [], f"{item['text']!r} should pass, got {found}"
    for item in texts(case, "fail"):
        found = lint_text(item["text"], guide, **context(item))
        assert found, f"{item['text']!r} should be flagged"
        if "at" in item:
            wanted = item["at"] if isinstance(item["at"], list) else [item["at"]]
            assert [f"{f.line}:{f.column}" for f in found] == wanted, item["text"]
    for item in texts(case, "fix"):
        fixed = fix_text(item["text"], guide, **context(item))
        assert fixed.text == item["to"], f"{item['text']!r} fixed to {fixed.text!r}"
        again = fix_text(fixed.text, guide, **context(item))
        assert again.text == fixed.text and again.fixed == 0, "a second fix changed something"
    for item in texts(case, "suggest"):
        # Shown by --diff, never applied by --fix: a guess, or it would touch a hashtag.
        kept = fix_text(item["text"], guide, **context(item))
        assert kept.text == item["text"], f"--fix changed {item['text']!r} to {kept.text!r}"
        post = make_post(item["text"], guide, **context(item))
        shown = fix_post(post, guide, certain_only=False)
        assert shown.text == item["to"], f"--diff shows {shown.text!r}"


def test_cases_cover_every_kind_and_language() -> None:
    kinds = {c["rule"]["kind"] for c in CASES}
    assert kinds == set(KINDS)
    locales = {
        i.get("locale", "en-US")[:2]
        for c in CASES
        for k in ("pass", "fail", "fix")
        for i in texts(c, k)
    }
    assert {"en", "fr", "es", "tr", "ja"} <= locales
