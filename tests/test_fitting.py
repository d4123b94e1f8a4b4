"""Fitting copy to a limit: what is dropped, where it is cut, and that it always fits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.text.counting import CountRules, count
from toolkit.text.fitting import (
    CLOSE,
    ELLIPSIS,
    OPEN,
    SEP,
    SHORT_CLOSE,
    SHORT_OPEN,
    fit,
    parse_marked,
    split_thread,
)
from toolkit.text.spans import grapheme_boundaries, protected_spans

from .conftest import yaml_data


def opt(body: str, order: int = 1) -> str:
    return f"{OPEN}{order}{SEP}{body}{CLOSE}"


def short(body: str) -> str:
    return f"{SHORT_OPEN}{body}{SHORT_CLOSE}"


def chars(text: str) -> int:
    return len(text)


def test_nothing_dropped_when_it_fits() -> None:
    result = fit("Hello " + opt("#Tag"), chars, 100)
    assert result.text == "Hello #Tag"
    assert not result.trimmed


def test_lower_drop_order_goes_first_then_later_blocks() -> None:
    rendered = "Main." + opt(" first-two", 2) + opt(" A-one") + opt(" B-one")
    # 5 + 10 + 6 + 6 = 27 characters; 21 forces one block out.
    assert fit(rendered, chars, 21).text == "Main. first-two A-one"
    assert fit(rendered, chars, 15).text == "Main. first-two"
    assert fit(rendered, chars, 10).text == "Main."


def test_nested_optional_blocks_go_with_their_parent() -> None:
    marked = parse_marked("a" + opt("b" + opt("c", 5), 1) + "d")
    assert [p.optional for p in marked.pieces] == [(), (0,), (0, 1), ()]
    assert fit("a" + opt("b" + opt("c", 5), 1) + "d", chars, 2).text == "ad"


def test_shorten_cuts_at_a_sentence_when_that_keeps_most_of_the_text() -> None:
    rendered = short("First sentence here. Second one is longer than that.") + "\nhttps://x.co/a"
    result = fit(rendered, chars, 40)
    assert result.text == "First sentence here.\nhttps://x.co/a"
    assert result.trimmed


def test_shorten_cuts_at_a_word_with_an_ellipsis() -> None:
    rendered = short("Prove the return on investment of social media quickly") + " #ROI"
    result = fit(rendered, chars, 30)
    assert result.text.endswith(ELLIPSIS + " #ROI")
    assert len(result.text) <= 30
    assert "  " not in result.text


def test_cut_never_splits_a_url_or_hashtag() -> None:
    text = "Read https://example.com/a/very/long/path/to/the/page now #SocialMedia"
    for limit in range(10, len(text)):
        out = fit(text, chars, limit).text
        assert len(out) <= limit
        for span in protected_spans(out):
            assert span.text in text, (limit, out)
            assert span.text.rstrip(ELLIPSIS) == span.text


def test_japanese_is_cut_between_characters() -> None:
    text = "ソーシャルメディアのROIを45分で証明しましょう。ウェビナーに無料で参加できます。"
    out = fit(text, chars, 20).text
    assert len(out) <= 20
    assert out.startswith("ソーシャルメディア")


def test_thread_parts_are_numbered_and_fit() -> None:
    sentences = " ".join(f"Sentence number {i} says something useful." for i in range(20))
    rules = CountRules(method="weighted")
    thread = split_thread(sentences, lambda t: count(t, rules), 280, numbering=" {i}/{n}")
    assert thread is not None and len(thread.parts) > 1
    n = len(thread.parts)
    for i, part in enumerate(thread.parts, start=1):
        assert part.endswith(f" {i}/{n}")
        assert count(part, rules) <= 280
        # Breaks fall at sentence ends.
        assert part.removesuffix(f" {i}/{n}").endswith(".")


def test_thread_returns_none_when_too_many_parts_are_needed() -> None:
    assert split_thread("word " * 400, chars, 50, max_parts=3) is None


# --- the post's link goes last ------------------------------------------------------

LINK = "https://example.com/fr/webinaire?ref=demo&utm_source=bluesky&utm_content=2026-12-07-b"


def test_a_dropped_call_to_action_leaves_its_link_behind() -> None:
    rendered = "« A quote. »\n— Ada" + opt("\n\nRegister for free → " + LINK + "\n", 5)
    rendered += opt("\n#Tag", 1)
    result = fit(rendered, chars, len("« A quote. »\n— Ada\n\n") + len(LINK), link=LINK)
    assert result.text == "« A quote. »\n— Ada\n\n" + LINK
    # Without a link to keep, the block goes whole, as before.
    assert fit(rendered, chars, 40).text == "« A quote. »\n— Ada"
    # Enough room: the words stay too.
    assert "Register for free → " + LINK + "\n\n#Tag" in fit(rendered, chars, 200, link=LINK).text


def test_the_call_to_action_shrinks_to_a_short_one_then_to_its_link() -> None:
    quote = "« A quote. »\n— Ada"
    rendered = quote + opt("\n\nRegister for free today 👉 " + LINK + "\n", 5) + opt("\n#Tag")
    short_line = "Sign up 👉 " + LINK
    roomy = fit(rendered, chars, len(quote) + 2 + len(short_line), link=LINK, short="Sign up")
    assert roomy.text == quote + "\n\n" + short_line
    tight = fit(rendered, chars, len(quote) + 2 + len(LINK), link=LINK, short="Sign up")
    assert tight.text == quote + "\n\n" + LINK
    # A fixed line shrinks the same way.
    rendered = "How many hours?\n\nRegister for free today → " + LINK
    result = fit(rendered, chars, len("How many hours?\n\nSign up → ") + len(LINK), link=LINK,
                 short="Sign up")  # fmt: skip
    assert result.text == "How many hours?\n\nSign up → " + LINK


def test_the_words_go_before_the_link_and_a_fixed_line_is_not_cut() -> None:
    question = "How many hours does your team spend on reporting each week?"
    rendered = question + "\n\nRegister for free → " + LINK + opt("\n\n#Tag")
    result = fit(rendered, chars, len(question) + 2 + len(LINK), link=LINK)
    assert result.text == question + "\n\n" + LINK
    assert not result.overflow


def test_the_message_is_shortened_before_the_call_to_action_loses_its_words() -> None:
    message = "Prove what social brings in. Then show it to your CFO in one page."
    rendered = short(message) + "\n\nRegister → " + LINK
    result = fit(rendered, chars, len(LINK) + 45, link=LINK)
    assert result.text == "Prove what social brings in.\n\nRegister → " + LINK


def test_the_words_go_rather_than_a_point_cut_to_a_stub() -> None:
    point = "The reporting template that cut our weekly report from 6 hours to 45 minutes"
    cta = "Save your free seat for the live session today → "
    rendered = "On the agenda:\n" + short(point + "\n") + "\n" + cta + LINK
    limit = len("On the agenda:\n") + len(point) + 2 + len(LINK)
    result = fit(rendered, chars, limit, link=LINK)
    assert result.text == "On the agenda:\n" + point + "\n\n" + LINK
    # A cut that keeps most of the point keeps the words.
    rendered = "On the agenda:\n" + short(point + "\n") + "\nRegister → " + LINK
    result = fit(rendered, chars, limit, link=LINK)
    assert result.text.endswith("…\n\nRegister → " + LINK)


def test_the_whole_message_under_a_short_call_to_action_beats_a_cut_message() -> None:
    """What a reader would rather see: every word of the message with "Sign up →", then
    the message cut at a sentence end, then cut inside a sentence ("…")."""
    message = "Prove what social media brings in, in dollars and in leads. Then tell your CFO."
    rendered = short(message) + "\n\nRegister for free → " + LINK
    whole = message + "\n\nSign up → " + LINK
    result = fit(rendered, chars, len(whole), link=LINK, short="Sign up")
    assert result.text == whole and ELLIPSIS not in result.text
    # No room for the whole message even then: a sentence end, with the full words.
    result = fit(rendered, chars, len(whole) - 5, link=LINK, short="Sign up")
    first = "Prove what social media brings in, in dollars and in leads."
    assert result.text == first + "\n\nRegister for free → " + LINK
    # One long sentence: cut inside it, with the short words if that keeps more of it.
    sentence = "Prove what social brings in and show it to your CFO in one page"
    rendered = short(sentence) + "\n\nRegister for free → " + LINK
    result = fit(rendered, chars, len(sentence) + 2 + len(LINK) + 8, link=LINK, short="Sign up")
    assert result.text.endswith("…\n\nRegister for free → " + LINK)
    assert len(result.text) <= len(sentence) + 2 + len(LINK) + 8


def test_a_cut_region_keeps_the_blank_line_that_closed_it() -> None:
    rendered = short("First sentence here. Then a much longer second one.\n\n") + "Register now."
    result = fit(rendered, chars, 40)
    assert result.text == "First sentence here.\n\nRegister now."


def test_a_link_inside_the_shortenable_region_is_never_cut_away() -> None:
    rendered = short("A long message that goes on. Register → " + LINK + " Then more words.")
    result = fit(rendered, chars, len(LINK) + 30, link=LINK)
    assert LINK in result.text
    assert len(result.text) <= len(LINK) + 30


def test_a_whole_quote_is_never_cut_a_cut_falls_before_it() -> None:
    quote = "« We stopped guessing. Social has its own line now. »"
    rendered = "In their own words:\n" + quote + "\n— Ada\n\nRegister → " + LINK
    limit = len(quote) + len("\n— Ada\n\n") + len(LINK)
    result = fit(rendered, chars, limit, link=LINK, whole=(quote,))
    assert result.text == quote + "\n— Ada\n\n" + LINK
    # Without it, the quote's end would go instead.
    assert quote not in fit(rendered, chars, limit, link=LINK).text


def test_a_link_too_long_for_the_limit_is_cut_like_anything_else() -> None:
    result = fit("Hi.\n" + LINK, chars, 20, link=LINK)
    assert len(result.text) <= 20 and result.overflow


# --- properties -----------------------------------------------------------------

ATOMS = st.sampled_from(
    [
        "Hello",
        "world",
        "Prouvez",
        "réseaux",
        "e\u0301te\u0301",  # combining accents
        "İstanbul",
        "ışık",
        "ソーシャルメディア",
        "東京で",
        "👨‍👩‍👧‍👦",
        "👋🏽",
        "🇫🇷",
        "1️⃣",
        "שלום",
        "مرحبا",
        "\u200f",
        "Supercalifragilisticexpialidocious" * 3,
        "https://example.com/webinar?utm_source=x&utm_medium=social",
        "example.org/path",
        "#SocialMedia",
        "#東京",
        "@ada",
        "@ada@mastodon.social",
        ".",
        "!",
        "?",
        "。",
        "\n",
        "\n\n",
    ]
)
TEXTS = st.lists(ATOMS, min_size=1, max_size=60).map(" ".join)
METHODS = st.sampled_from(["weighted", "graphemes", "utf16", "threads", "mastodon", "chars"])


def _tokens(text: str) -> set[str]:
    return {s.text for s in protected_spans(text)}


# Examples sized to the strategies (a few dozen atoms, six counting methods, a limit): 150 a
# property, 100 for threads. Twice that was twice the CPU for more of the same shapes; the
# example database replays any failure found.
@settings(max_examples=150, deadline=None)
@given(text=TEXTS, method=METHODS, limit=st.integers(min_value=1, max_value=300))
def test_fitted_copy_never_exceeds_the_limit_nor_cuts_tokens(
    text: str, method: str, limit: int
) -> None:
    rules = CountRules(method=method)  # type: ignore[arg-type]
    result = fit(short(text), lambda t: count(t, rules), limit)
    assert count(result.text, rules) <= limit
    assert result.length == count(result.text, rules)
    # Every URL, mention and hashtag left is one the input had, whole.
    assert _tokens(result.text) <= _tokens(text) | {t + ELLIPSIS for t in _tokens(text)}
    # Every grapheme cluster left is one the input had.
    source_graphemes = set(regex.findall(r"\X", text)) | {ELLIPSIS}
    assert set(regex.findall(r"\X", result.text)) <= source_graphemes | {" "}


@settings(max_examples=150, deadline=None)
@given(
    head=TEXTS,
    tail=TEXTS,
    optional_cta=st.booleans(),
    shortenable=st.booleans(),
    method=METHODS,
    limit=st.integers(min_value=1, max_value=400),
)
def test_the_kept_link_survives_whenever_it_fits_on_its_own(
    head: str, tail: str, optional_cta: bool, shortenable: bool, method: str, limit: int
) -> None:
    rules = CountRules(method=method)  # type: ignore[arg-type]

    def counter(t: str) -> int:
        return count(t, rules)

    cta = "\n\nRegister for free → " + LINK + "\n"
    rendered = (short(head) if shortenable else head) + (opt(cta, 5) if optional_cta else cta)
    rendered += opt(tail, 1)
    result = fit(rendered, counter, limit, link=LINK)
    assert counter(result.text) <= limit
    if counter(LINK) <= limit:
        assert LINK in result.text, (limit, result.text)


@settings(max_examples=100, deadline=None)
@given(text=TEXTS, method=METHODS, limit=st.integers(min_value=40, max_value=300))
def test_thread_parts_never_exceed_the_limit(text: str, method: str, limit: int) -> None:
    rules = CountRules(method=method)  # type: ignore[arg-type]
    thread = split_thread(text, lambda t: count(t, rules), limit, max_parts=100)
    if thread is None:
        return
    for part in thread.parts:
        assert count(part, rules) <= limit
    if len(thread.parts) == 1 and not thread.notes:
        # One part: nothing of the text is lost. (When the split folds back into one part,
        # its pieces are rejoined by blank lines, so white space between them may differ.)
        assert "".join(thread.parts[0].split()) == "".join(text.split())


def test_grapheme_boundaries_cover_the_text() -> None:
    text = "a👨‍👩‍👧b"
    assert grapheme_boundaries(text) == [0, 1, len(text) - 1, len(text)]


# --- threads, from YAML cases -------------------------------------------------

THREADS = yaml_data((Path(__file__).parent / "data" / "copy" / "threads.yaml").read_text())


@pytest.mark.parametrize("case", THREADS, ids=[c["name"] for c in THREADS])
def test_thread_parts(case: dict[str, Any]) -> None:
    thread = split_thread(case["text"], chars, case["limit"], case["numbering"])
    assert thread is not None
    assert list(thread.parts) == case["parts"]
    assert list(thread.notes) == case["notes"]
    for part in thread.parts:
        assert len(part) <= case["limit"]
        # A list keeps its lines together: no blank line between two items.
        assert "\n\n- " not in part
