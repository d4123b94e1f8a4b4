"""Cheap tests that let a clean post skip work must never change a finding.

Each guard (a test over the raw text, a view found another way, a search without its
needle test first) is an over-approximation or an equivalent of the full path: on
arbitrary mixed-language text, findings with the guard equal those without it.
"""

from __future__ import annotations

from bisect import bisect_left
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from toolkit.voice import lint_text, load_guide
from toolkit.voice.kinds import case
from toolkit.voice.kinds.phrases import PhraseSet
from toolkit.voice.matching import Post

GUIDE = load_guide(Path(__file__).resolve().parents[1] / "brand" / "demo")

# Pieces chosen for what the guards reason about: sentence ends (Latin, full width, line
# breaks, abbreviations), what may stand before a sentence's first word (spaces, bullets,
# quotes, emoji, keycaps and ℹ, links, tags, code, parameters), and letters of every case.
PIECES = st.sampled_from(
    [
        "we",
        "We",
        "istanbul",
        "İstanbul",
        "ılık",
        "éte",
        "Été",
        "e\u0301te",
        "ROI",
        "Head Of Social At Contoso",
        "Prove The Value Of Social Media Reporting",
        "register",
        "sign up",
        "inscris-toi",
        "kaydol",
        "登録",
        "申し込む",
        "ウェビナー",
        "U.S.",
        "a.m.",
        "etc.",
        "EE. UU.",
        "e.g.",
        "5",
        "45",
        "1\ufe0f\u20e3",
        "#\ufe0f\u20e3",
        "\u2139\ufe0f",
        "\u2139",
        "™",
        "©",
        "🎉",
        "👋🏽",
        "🇫🇷",
        "https://example.com/a",
        "example.com/x",
        "@ada",
        "#Tag",
        "#tag",
        "$TEST",
        "`code`",
        "`Code`",
        "`9`",
        "```\nblock\n```",
        "~~~",
        "utm_source=linkedin",
        "a=b",
        "Utm=B",
        "“",
        "”",
        "«",
        "»",
        '"',
        "'",
        "「",
        "」",
        "(",
        "-",
        "•",
        "¿",
        "¡",
        ".",
        "!",
        "?",
        "…",
        "。",
        "！",
        "？",
        ":",
        ",",
        " ",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\u00a0",
        "\u202f",
        "\u3000",
        "\ufffc",
        "---\n",
    ]
)
TEXTS = st.lists(PIECES, max_size=24).map("".join)
CONTEXTS = st.sampled_from(
    [
        ("x", "en-US", None),
        ("linkedin", "fr-FR", "ceo"),
        ("instagram", "es-ES", None),
        ("threads", "tr-TR", None),
        ("facebook", "ja-JP", None),
        (None, "en-US", None),
    ]
)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _findings(text: str, context: tuple[str | None, str, str | None]) -> list[tuple[object, ...]]:
    platform, locale, persona = context
    found = lint_text(text, GUIDE, platform=platform, locale=locale, persona=persona)
    return [(f.rule, f.start, f.end, f.message, f.edits, f.certain) for f in found]


@SETTINGS
@given(TEXTS, CONTEXTS)
@example("Done. `X` we go.", ("x", "en-US", None))
@example("Done.\n~~~\nX\n~~~\nwe go.", ("x", "en-US", None))
@example("Done. 1\ufe0f\u20e3 we go.", ("x", "en-US", None))
@example("Done. \u2139\ufe0f we go.", ("x", "en-US", None))
@example("Done. 🎉 we go.", ("x", "en-US", None))
@example("Done. Utm_source=x we go.", ("x", "en-US", None))
@example("istanbul'da buluşalım.", ("x", "tr-TR", None))
def test_sentence_start_guard_changes_no_finding(
    text: str, context: tuple[str | None, str, str | None]
) -> None:
    guarded = _findings(text, context)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(case, "may_start_lower", lambda _text: True)
        unguarded = _findings(text, context)
    assert guarded == unguarded
    if not case.may_start_lower(Post(text).nfc.text):
        assert not any(f[0] == "case.sentence-start" for f in unguarded)


@SETTINGS
@given(TEXTS, st.sampled_from(["en-US", "fr-FR", "es-ES", "tr-TR", "ja-JP"]))
def test_views_found_another_way_are_the_same(text: str, locale: str) -> None:
    post = Post(text, locale=locale).nfc
    # the first sentence, found alone
    fresh = Post(post.text, locale=locale)
    assert fresh.first_sentence == (post.sentences[0] if post.sentences else None)
    # the letter words' texts, found without their places
    prose = post.prose
    assert post.letter_word_texts == [prose[a:b] for a, b in post.letter_words]
    # a sentence's first word by one search, and the letter words after a word
    words = post.words
    for start, end in post.sentences:
        i = bisect_left(words, (start, start))
        expected = words[i] if i < len(words) and words[i][0] < end else None
        assert post.word_from(start, end) == expected
        if expected is not None:
            assert post.letter_words_from(expected[1], end) == post.letter_words_in(
                expected[1], end
            )


SETS = [
    PhraseSet([(p, p) for p in ["register", "sign up", "read more", "try it", "reply"]]),
    PhraseSet([(p, p) for p in ["inscris-toi", "inscrivez-vous", "rejoins-nous"]]),
    PhraseSet([(p, p) for p in ["登録", "申し込む"]]),
    PhraseSet([(p, p) for p in ["#ad", "【PR】", "paid partnership", "#広告"]]),
    PhraseSet([(p, p) for p in ["increíble", "reserva tu plaza"]], fold_accents=True),
    PhraseSet([(p, p) for p in ["I", "my", "I'm"]], ignore_case=False),
]


@SETTINGS
@given(TEXTS, st.sampled_from(range(len(SETS))))
@example("registered register", 0)
@example("unregister", 0)
def test_found_in_without_needles_is_search(text: str, index: int) -> None:
    phrases = SETS[index]
    post = Post(text).nfc
    assert phrases.found_in(post) == (phrases.search(post) is not None)
