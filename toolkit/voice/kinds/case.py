"""case: sentence starts, sentence-case hooks, CamelCase hashtags; locale-aware. Auto-fix.

Casing goes through :mod:`toolkit.text.casing`, so Turkish gets ``istanbul`` →
``İstanbul`` and ``ILIK`` → ``ılık``. Words in the guide's vocabulary, the
rule's ``exceptions`` and the preferred forms of ``term`` rules are never
changed (``iPhone`` may start a sentence).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from toolkit.text.casing import lower, upper
from toolkit.voice.findings import new_edit
from toolkit.voice.kinds.base import Check, CompileContext, Hit, LintContext, covered, new_hit
from toolkit.voice.matching import BLANK, Post
from toolkit.voice.schema import CaseRule

PLACEHOLDERS = frozenset({"match", "expected"})

_TITLE_MIN_WORDS = 3  # words of 4+ letters after the first, before title case is judged
_TITLE_SHARE = 0.75


# What may come before a sentence's first word: spaces, emoji, opening quotes and
# brackets, list bullets and dashes. Anything else ("<b>", "$", "@") means the word
# does not start the sentence.
_LEAD = frozenset(" \t\u00a0\u202f\u3000" + BLANK + "\"'“‘«¿¡([-–—•*·・「『（")


def _first_word(post: Post, start: int, end: int) -> tuple[int, int] | None:
    """The sentence's first word, when nothing but bullets, quotes or emoji come before it."""
    words = post.words
    i = bisect_left(words, (start, start))
    if i == len(words) or words[i][0] >= end:
        return None
    a, b = words[i]
    if any(start <= s.start < a for s in post.protected):
        return None
    if not all(c in _LEAD for c in post.prose[start:a]):
        return None
    return a, b


def compile_rule(rule: CaseRule, cc: CompileContext) -> Check:
    exceptions = frozenset(w.casefold() for w in rule.exceptions)
    # hashtag body (casefolded, no spaces) → how the vocabulary writes it
    tag_forms = {"".join(v.split()).casefold(): "".join(v.split()) for v in cc.vocabulary}

    def kept(post: Post, a: int, b: int) -> bool:
        return post.text[a:b].casefold() in exceptions or covered(a, b, cc.kept(post))

    def capital_hit(post: Post, a: int, b: int) -> Hit | None:
        word = post.text[a:b]
        if not word[0].islower() or kept(post, a, b):
            return None
        fixed = upper(word[0], post.locale)
        expected = fixed + word[1:]
        values = {"match": word, "expected": expected}
        return new_hit(a, b, values, f"'{expected}'", (new_edit(a, a + 1, fixed),))

    def sentences(post: Post, ctx: LintContext) -> list[Hit]:
        del ctx
        hits = []
        words, text = post.words, post.text
        for start, end in post.sentences:
            # Most sentences start with a capital: their first word cannot be a hit, so
            # the checks of what comes before it (tokens, bullets, quotes) are skipped.
            i = bisect_left(words, (start, start))
            if i == len(words) or not text[words[i][0]].islower():
                continue
            first = _first_word(post, start, end)
            if first is not None:
                found = capital_hit(post, *first)
                if found is not None:
                    hits.append(found)
        return hits

    def hook(post: Post, ctx: LintContext) -> list[Hit]:
        del ctx
        if not post.sentences:
            return []
        start, end = post.sentences[0]
        line_end = post.text.find("\n", start)
        end = min(end, line_end) if line_end >= 0 else end
        if post.prose[start:end].rstrip().endswith("."):
            return []  # a sentence, not a headline: its capitals are names
        first = _first_word(post, start, end)
        if first is None:
            return []
        # A lower-case first letter is the sentences target's finding; here: Title Case.
        return _title_case(post, first[1], end, lambda a, b: kept(post, a, b))

    def hashtags(post: Post, ctx: LintContext) -> list[Hit]:
        del ctx
        hits = []
        for span in post.spans_of("hashtag"):
            body = span.text[1:]
            known = tag_forms.get(body.casefold())
            if known is None and body[0].isupper() and not body.isupper():
                continue  # the common case: #SocialMedia
            if body.casefold() in exceptions:
                continue
            letters = [c for c in body if c.isalpha()]
            if not any(c.isupper() or c.islower() for c in letters):
                continue  # a script without case
            if known is not None:
                expected = span.text[0] + known
                edit = new_edit(span.start + 1, span.end, known)
            elif body[0].islower():
                expected = span.text[0] + upper(body[0], post.locale) + body[1:]
                edit = new_edit(span.start + 1, span.start + 2, expected[1])
            elif len(letters) > 4 and all(c.isupper() for c in letters):
                example = span.text[0] + body[0] + lower(body[1:], post.locale)
                values = {"match": span.text, "expected": example}
                hits.append(new_hit(span.start, span.end, values, "CamelCase, e.g. #SocialMedia"))
                continue
            else:
                continue
            if expected != span.text:
                values = {"match": span.text, "expected": expected}
                hits.append(new_hit(span.start, span.end, values, f"'{expected}'", (edit,)))
        return hits

    return {"sentences": sentences, "hook": hook, "hashtags": hashtags}[rule.target]


def _title_case(post: Post, after: int, end: int, kept: Callable[[int, int], bool]) -> list[Hit]:
    """Most longer words capitalised: Title Case, where sentence case is wanted."""
    prose = post.prose
    words = post.letter_words_in(after, end)
    # Cheap test first: without three capitalised longer words there is no Title Case.
    if sum(1 for a, b in words if prose[a].isupper() and b - a >= 4) < _TITLE_MIN_WORDS:
        return []
    longer = 0
    longer_capitalised = 0
    capitalised = []
    for a, b in words:
        word = prose[a:b]
        capital = word[0].isupper()
        long = b - a >= 4 and sum(c.isalpha() for c in word) >= 4
        if not (capital or long) or word.isupper() or not word[0].isalpha() or kept(a, b):
            continue
        if capital:
            capitalised.append((a, b))
        if long:
            longer += 1
            longer_capitalised += capital
    if longer < _TITLE_MIN_WORDS or longer_capitalised < _TITLE_SHARE * longer:
        return []
    first = capitalised[0][0]
    edits = tuple(new_edit(a, a + 1, lower(prose[a], post.locale)) for a, _ in capitalised)
    fixed = list(post.text[first:end])
    for edit in edits:
        fixed[edit.start - first] = edit.replacement
    values = {"match": post.text[first:end], "expected": "".join(fixed)}
    # Capitalised words may be names ("Head of Social at Contoso Coffee"): a guess.
    return [new_hit(first, end, values, "sentence case", edits, certain=False)]
