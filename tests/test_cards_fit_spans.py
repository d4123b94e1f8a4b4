"""A fit's tries wrapped as spans of tokens (``Typesetter._spans``) give the blocks the
queue-based ``wrap`` gives, in every script the cards draw."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.test_cards_support import demo_sources
from toolkit.cards.assets import brand_faces
from toolkit.cards.blocks import typesetter
from toolkit.cards.runs import Block, FitSpec
from toolkit.cards.text import Typesetter

from .conftest import FIXED_NOW

WORDS = {
    "en": [
        "social",
        "media",
        "growth",
        "engagement",
        "strategy",
        "content",
        "campaign",
        "WEBINAR",
        "Q&A",
        "2026",
        "—",
        "x",
    ],
    "fr": [
        "réseaux",
        "sociaux",
        "stratégie",
        "«",
        "contenu",
        "»",
        "campagne",
        "l’audience",
        "12",
        "h",
    ],
    "ja": ["示せるようになります", "日本語の", "タイトル", "です", "ウェビナー", "2026年"],
    "tr": ["İstanbul", "ışık", "gölge", "çalışma", "atölyesi", "ğüşiöç"],
}
SPECS = [
    FitSpec(52, 118, 4, 1.02, False, False, True),
    FitSpec(20, 60, 2, 1.2, True, False, False),
    FitSpec(10, 40, 6, 1.1, False, False, True),
]
BOXES = [(800.0, 420.0), (300.0, 200.0), (120.0, 400.0)]


def _shape(block: Block) -> object:
    return (
        block.size,
        block.truncated,
        block.height,
        [
            (line.width, [(r.text, r.x, r.width, r.face.key) for r in line.runs])
            for line in block.lines
        ],
    )


def _fit(ts: Typesetter, text: str, box: tuple[float, float], spec: FitSpec) -> object:
    try:
        return _shape(ts.fit(text, box, spec))
    except Exception as exc:
        return type(exc).__name__


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_spans_fit_as_the_queue_does(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locale = {"en": "en-US", "fr": "fr-FR", "ja": "ja-JP", "tr": "tr-TR"}[lang]
    source = demo_sources(tmp_path, FIXED_NOW, ("en",))["en"]
    ts = typesetter(brand_faces(source.brand, "heading"), lang, True, locale)
    rng = random.Random(lang)
    joiner = "" if lang == "ja" else " "
    texts = [
        joiner.join(rng.sample(WORDS[lang], rng.randint(1, len(WORDS[lang]))))
        + ("\n" + rng.choice(WORDS[lang]) if i % 5 == 0 else "")
        for i in range(40)
    ]
    for text in texts:
        for box in BOXES:
            for spec in SPECS:
                quick = _fit(ts, text, box, spec)
                with monkeypatch.context() as patch:
                    patch.setattr(Typesetter, "_spans", lambda *_: None)
                    slow = _fit(ts, text, box, spec)
                assert quick == slow, (text, box, spec)
