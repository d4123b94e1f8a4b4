"""How far a brand editor can trust the linter: precision, recall, damaging fixes.

``python bench/lint_quality.py`` scores the demo brand's guide on the labelled
corpus ``tests/data/voice/labelled.yaml`` and prints one table per language
and per rule kind. A finding counts as right when the corpus expects that
rule at that text; ``--fix`` counts as damaging when its result is not the
corpus's ``fixed`` text. ``tests/test_voice_quality.py`` holds the bar.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from toolkit.voice import Guide, fix_text, lint_text, load_guide  # noqa: E402

CORPUS = REPO / "tests" / "data" / "voice" / "labelled.yaml"
DEFAULT_PLATFORM = "pinterest"


@dataclass
class Tally:
    right: int = 0
    false: int = 0
    missed: int = 0

    @property
    def precision(self) -> float:
        found = self.right + self.false
        return self.right / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.right + self.missed
        return self.right / wanted if wanted else 1.0


@dataclass
class Score:
    posts: int = 0
    by_language: dict[str, Tally] = field(default_factory=dict)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)
    damaging: list[str] = field(default_factory=list)  # posts --fix got wrong
    wrong: list[str] = field(default_factory=list)  # one line per false or missed finding

    def add(self, language: str, kind: str, outcome: str) -> None:
        for tally in (
            self.by_language.setdefault(language, Tally()),
            self.by_kind.setdefault(kind, Tally()),
            self.total,
        ):
            setattr(tally, outcome, getattr(tally, outcome) + 1)


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    posts: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return posts


def _kind(guide: Guide, label: str) -> str:
    return guide.rule(label.split("@", 1)[0]).kind


def score(guide: Guide, posts: list[dict[str, Any]]) -> Score:
    result = Score()
    for post in posts:
        text = post["text"]
        context = {
            "platform": post.get("platform", DEFAULT_PLATFORM),
            "locale": post["locale"],
            "sponsored": bool(post.get("sponsored", False)),
        }
        language = post["locale"][:2]
        expected = Counter(post.get("expect") or [])
        got = [(f.rule, text[f.start : f.end]) for f in lint_text(text, guide, **context)]
        for rule, matched in got:
            exact, loose = f"{rule}@{matched}", rule
            label = exact if expected[exact] else loose if expected[loose] else None
            if label is not None:
                expected[label] -= 1
                result.add(language, _kind(guide, rule), "right")
            else:
                result.add(language, _kind(guide, rule), "false")
                result.wrong.append(f"false  {rule}@{matched!r} in {text!r}")
        for label, left in expected.items():
            for _ in range(left):
                result.add(language, _kind(guide, label), "missed")
                result.wrong.append(f"missed {label} in {text!r}")
        fixed = fix_text(text, guide, **context).text
        if fixed != post.get("fixed", text):
            result.damaging.append(f"{text!r} -> {fixed!r}")
        result.posts += 1
    return result


def table(title: str, rows: dict[str, Tally]) -> str:
    lines = [
        f"| {title:<12} | right | false | missed | precision | recall |",
        f"|{'-' * 14}|-------|-------|--------|-----------|--------|",
    ]
    for name, t in sorted(rows.items()):
        lines.append(
            f"| {name:<12} | {t.right:>5} | {t.false:>5} | {t.missed:>6} "
            f"| {t.precision:>9.2f} | {t.recall:>6.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    guide = load_guide(REPO / "brand" / "demo")
    posts = load_corpus()
    result = score(guide, posts)
    languages = Counter(p["locale"][:2] for p in posts)
    print(
        f"{result.posts} posts ({', '.join(f'{k} {v}' for k, v in sorted(languages.items()))}); "
        f"precision {result.total.precision:.2f}, recall {result.total.recall:.2f}, "
        f"{len(result.damaging)} damaging fixes\n"
    )
    print(table("language", result.by_language) + "\n")
    print(table("rule kind", result.by_kind))
    for line in result.wrong + [f"damaging {d}" for d in result.damaging]:
        print(line)


if __name__ == "__main__":
    main()
