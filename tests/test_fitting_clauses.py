"""A message that must be shortened ends on a whole sentence where a clause allows it.

"… and a spreadsheet; your tool can…" reads as broken copy; "… and a spreadsheet."
is a sentence a manager can post. Likewise a stat whose source does not fit loses
the parenthesis, not the end of its sentence.
"""

from __future__ import annotations

import pytest

from toolkit.text.fitting import CLOSE, OPEN, SEP, SHORT_CLOSE, SHORT_OPEN, fit

LINK = "https://example.com/webinar?utm_source=bluesky&utm_medium=social"


def _post(message: str) -> str:
    return f"{SHORT_OPEN}{message}{SHORT_CLOSE}\n\nRegister → {LINK}\n{OPEN}1{SEP}#Social{CLOSE}"


CASES = [
    (
        "en",
        "No. We build everything with free UTM links and a spreadsheet; your tool can take "
        "over later.",
        "No. We build everything with free UTM links and a spreadsheet.",
    ),
    (
        "fr",
        "Non. Tout se fait avec des liens UTM gratuits et un tableur\u202f; votre outil pourra "
        "prendre le relais plus tard.",
        "Non. Tout se fait avec des liens UTM gratuits et un tableur.",
    ),
    (
        "es",
        "No. Lo montamos todo con enlaces UTM gratuitos y una hoja de cálculo; tu herramienta "
        "puede tomar el relevo después.",
        "No. Lo montamos todo con enlaces UTM gratuitos y una hoja de cálculo.",
    ),
    (
        "tr",
        "Hayır. Her şeyi ücretsiz UTM bağlantıları ve bir tabloyla kuruyoruz; aracınız daha "
        "sonra devralabilir.",
        "Hayır. Her şeyi ücretsiz UTM bağlantıları ve bir tabloyla kuruyoruz.",
    ),
    (
        "fr",
        "Sur les 400 équipes interrogées, 1 sur 4 seulement sait relier une publication à une "
        "vente (Northwind Social, 2026).",
        "Sur les 400 équipes interrogées, 1 sur 4 seulement sait relier une publication à une "
        "vente.",
    ),
]


@pytest.mark.parametrize(("lang", "message", "kept"), CASES, ids=[c[0] for c in CASES])
def test_a_clause_ends_the_sentence_instead_of_an_ellipsis(
    lang: str, message: str, kept: str
) -> None:
    whole = fit(_post(message), len, 10_000, link=LINK)
    limit = whole.length - (len(message) - len(kept)) - 1  # the whole message no longer fits
    fitted = fit(_post(message), len, limit, link=LINK)
    assert fitted.text.startswith(kept + "\n"), fitted.text
    assert "…" not in fitted.text
    assert LINK in fitted.text
    assert fitted.length <= limit


def test_an_html_entity_is_not_a_clause() -> None:
    # "&amp;" ends in a semicolon: cutting there would leave "&amp." in the copy.
    message = "Tips for R&amp; D teams who measure social posts, and a template for every network."
    fitted = fit(_post(message), len, fit(_post(message), len, 10_000).length - 40, link=LINK)
    assert "&amp." not in fitted.text


def test_the_clause_after_the_last_whole_sentence_is_kept() -> None:
    # A cut at "here." would keep less than the clause of the third sentence does.
    message = "One. Two is here. Three has a clause; and a tail that will not fit."
    limit = fit(_post(message), len, 10_000).length - 20
    fitted = fit(_post(message), len, limit, link=LINK)
    assert fitted.text.startswith("One. Two is here. Three has a clause.\n"), fitted.text
