"""Shortcuts that let a post skip work must never change an answer.

Each one (a search without its needle test first, ...) is an equivalent of the full
path: on arbitrary mixed-language text, the answer with it equals the answer without.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from toolkit.voice.kinds.phrases import PhraseSet
from toolkit.voice.matching import Post

# Pieces chosen for what phrase matching reasons about: word edges in every script (Latin,
# Turkish, Japanese, decomposed accents), phrases inside longer words, links, tags, code,
# emoji and marks, and letters of every case.
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
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


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
