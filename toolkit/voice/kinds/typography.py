"""typography: spacing and punctuation each language expects. Auto-fix.

========================= ==============================================================
check                     what it wants
========================= ==============================================================
french_spacing            a narrow no-break space (U+202F) before ``; : ! ?`` and inside
                          ``« »`` (a no-break space U+00A0 before ``:`` is accepted too)
japanese_punctuation      full-width ``！？：（）、。`` next to Japanese text
halfwidth_katakana        full-width katakana (ｶﾀｶﾅ → カタカナ)
straight_quotes           curly quotes and apostrophes (configurable per language)
double_space              one space between words
spanish_inverted          an opening ``¿`` / ``¡`` for every question / exclamation
========================= ==============================================================

Every check looks at the prose only, so a URL's ``?`` or ``:`` is never touched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from toolkit.voice.findings import new_edit
from toolkit.voice.kinds.base import Check, CompileContext, Hit, LintContext, new_hit
from toolkit.voice.matching import BLANK, Post
from toolkit.voice.schema import TypographyRule
from toolkit.voice.words import lazy_pattern

PLACEHOLDERS = frozenset({"match", "expected"})

NNBSP = "\u202f"
_HSPACE = " \t\u00a0\u202f"
_JA = lazy_pattern(r"[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3001\u3002]")


def _hit(start: int, end: int, found: str, expected: str, suggestion: str) -> Hit:
    values = {"match": found, "expected": expected}
    return new_hit(start, end, values, suggestion, (new_edit(start, end, expected),))


_FR_MARKS = re.compile("[;:!?\u00ab\u00bb]")


def _space_before(prose: str, at: int) -> int:
    """Where the run of horizontal spaces that ends at ``at`` starts."""
    start = at
    while start > 0 and prose[start - 1] in _HSPACE:
        start -= 1
    return start


def _space_after(prose: str, at: int) -> int:
    end = at
    while end < len(prose) and prose[end] in _HSPACE:
        end += 1
    return end


def _french_spacing(post: Post) -> list[Hit]:
    prose = post.prose
    hits = []
    for m in _FR_MARKS.finditer(prose):
        mark, at = m.group(), m.start()
        if mark == "\u00ab":
            end = _space_after(prose, at + 1)
            start, space = at, prose[at + 1 : end]
            if end >= len(prose) or prose[end] == "\n":
                continue
            expected = mark + NNBSP
        else:
            start = _space_before(prose, at)
            end, space = at + 1, prose[start:at]
            before = prose[start - 1] if start else "\n"
            after = prose[at + 1] if at + 1 < len(prose) else "\n"
            if before == "\n" or (not space and before in ";:!?\u00ab"):
                continue
            if before == BLANK and not _after_tag(post, start):
                continue  # after a link or an emoji: no word to space from
            if mark == ":" and ((before.isdigit() and after.isdigit()) or after == "/"):
                continue  # 16:00, and never a scheme
            if mark in ":;" and (after in "()" or prose[at + 1 : at + 3] in ("-)", "-(")):
                continue  # an emoticon
            # Glued to the next word, the mark also needs its space after: a space
            # before it alone would leave "promo\u202f:SOLDES20".
            expected = NNBSP + mark + (" " if after.isalpha() else "")
        if space == NNBSP or (mark in ":\u00ab\u00bb" and space == "\u00a0"):
            continue
        where = "inside « »" if mark in "\u00ab\u00bb" else f"before '{mark}'"
        hits.append(_hit(start, end, prose[start:end], expected, f"narrow no-break space {where}"))
    return hits


def _after_tag(post: Post, at: int) -> bool:
    """Whether a hashtag or a mention ends at ``at`` (a word, for spacing)."""
    return any(s.end == at and s.kind in ("hashtag", "mention") for s in post.protected)


# A double quote after one of these (or a letter or digit) closes a quotation.
_CLOSERS = ".,!?;:\u2026)]}%\u2019\u201d\u00bb"

_QUOTE_OPENERS = "([{" + BLANK

# "!!" and "?!" are one run: all of it becomes full width, or none.
# The same matches as ``(?:[!?]+|[:,.()]) *``, written to start with one character class
# so that the engine skips ahead to candidates instead of trying both branches at every
# character of the post (1.7× faster on the Japanese posts).
_HALFWIDTH_RUN = re.compile(r"[!?:,.()](?:(?<=[!?])[!?]*)? *")
_FULLWIDTH = {"!": "！", "?": "？", ":": "：", ",": "、", ".": "。", "(": "（", ")": "）"}


def _japanese_punctuation(post: Post) -> list[Hit]:
    prose = post.prose
    hits = []
    ja = _JA()
    for m in _HALFWIDTH_RUN.finditer(prose):
        run = m.group().rstrip(" ")
        mark = run[0]
        before = prose[m.start() - 1] if m.start() else ""
        after = prose[m.start() + 1] if m.start() + 1 < len(prose) else ""
        after_space = prose[m.end()] if m.end() < len(prose) else ""
        ja_before = bool(before) and bool(ja.match(before))
        ja_after = bool(after) and bool(ja.match(after))
        if mark == "(":
            wanted = ja_after or ja_before
        elif mark == ")":
            wanted = ja_before
        elif mark == ".":
            wanted = ja_before and (not after or after.isspace() or ja_after)
        else:
            wanted = ja_before
        if not wanted:
            continue
        end = m.end() if after_space and ja.match(after_space) else m.start() + len(run)
        expected = "".join(_FULLWIDTH[c] for c in run)
        hits.append(_hit(m.start(), end, prose[m.start() : end], expected, f"'{expected}'"))
    return hits


# Module-level patterns: ``re.finditer(PATTERN, ...)`` looks PATTERN up in re's cache on
# every call, for every post.
_HALFWIDTH = re.compile(r"[\uff61-\uff9f]+")
_QUOTE = re.compile("['\"]")
_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")
_QUESTION_OR_EXCLAMATION = re.compile(r"[?!]+")


def _halfwidth_katakana(post: Post) -> list[Hit]:
    hits = []
    for m in _HALFWIDTH.finditer(post.prose):
        expected = unicodedata.normalize("NFKC", m.group())
        hits.append(_hit(m.start(), m.end(), m.group(), expected, f"'{expected}'"))
    return hits


def _straight_quotes(rule: TypographyRule) -> Callable[[Post], list[Hit]]:
    opening, closing = rule.quotes
    apostrophe = rule.apostrophe
    single = rule.single_quotes

    def check(post: Post) -> list[Hit]:
        prose = post.prose
        if "'" not in prose and '"' not in prose:
            return []
        n = len(prose)
        hits = []
        is_open = False  # a quotation opened on this line and not closed yet
        line_start = 0
        closers: set[int] = set()  # single quotes that close a pair already fixed
        pending: Hit | None = None  # an opening double quote waiting for its closer
        for m in _QUOTE.finditer(prose):
            i = m.start()
            if prose.rfind("\n", line_start, i) >= 0:
                line_start, is_open = prose.rfind("\n", 0, i), False
                if pending is not None:
                    hits.append(pending)
                    pending = None
            before = prose[i - 1] if i else "\n"
            after = prose[i + 1] if i + 1 < n else "\n"
            if m.group() == "'":
                if i in closers:
                    continue
                if not before.isalnum() and after.isalnum():
                    pair = _single_pair(prose, i, single)
                    if pair is not None:
                        closers.add(pair.end - 1)
                        hits.append(pair)
                elif before.isalnum():
                    hits.append(_hit(i, i + 1, "'", apostrophe, f"'{apostrophe}'"))
                continue
            closes = before.isalnum() or before in _CLOSERS
            opens = (before.isspace() or before in _QUOTE_OPENERS) and (
                after.isalnum() or after in "(["
            )
            if opens == closes:
                opens = not is_open  # the context does not tell: pair them up
            is_open = opens
            if opens:
                start, end, expected = i, i + 1, opening
                while end < n and prose[end] in _HSPACE:
                    end += 1
            else:
                start, end, expected = i, i + 1, closing
                while start > 0 and prose[start - 1] in _HSPACE:
                    start -= 1
            found = _hit(start, end, prose[start:end], expected, f"'{expected.strip()}'")
            if pending is not None:
                hits.append(pending)
                pending = None
            if opens:
                pending = found
            elif hits and hits[-1].end <= start and _opening(hits[-1], opening):
                # one finding for the pair, fixed at once: the quotes stay matched
                hits[-1] = _pair(prose, hits[-1], found)
            else:
                hits.append(found)
        if pending is not None:
            hits.append(pending)
        return hits

    return check


def _opening(hit: Hit, opening: str) -> bool:
    return len(hit.edits) == 1 and hit.edits[0].replacement == opening


def _pair(prose: str, first: Hit, second: Hit) -> Hit:
    """An opening and a closing quote as one finding with both edits."""
    start, end = first.start, second.end
    edits = first.edits + second.edits
    expected = prose[start:end]
    for edit in reversed(edits):
        expected = expected[: edit.start - start] + edit.replacement + expected[edit.end - start :]
    values = {"match": prose[start:end], "expected": expected}
    return new_hit(start, end, values, f"'{expected}'", edits)


def _single_pair(prose: str, i: int, marks: tuple[str, str]) -> Hit | None:
    """``'yes'`` opened at ``i``: both quotes curled in one fix, so the pair stays matched.

    None when no closing quote follows on the line (then it may be an elision).
    """
    line_end = prose.find("\n", i)
    line_end = len(prose) if line_end < 0 else line_end
    j = i + 1
    while (j := prose.find("'", j, line_end)) >= 0:
        after = prose[j + 1] if j + 1 < line_end else " "
        if prose[j - 1].isalnum() and not after.isalnum():
            values = {"match": prose[i : j + 1], "expected": marks[0] + prose[i + 1 : j] + marks[1]}
            edits = (new_edit(i, i + 1, marks[0]), new_edit(j, j + 1, marks[1]))
            return new_hit(i, j + 1, values, f"'{values['expected']}'", edits)
        j += 1
    return None


def _double_space(post: Post) -> list[Hit]:
    if "  " not in post.prose:
        return []
    return [
        _hit(m.start(), m.end(), m.group(), " ", "one space")
        for m in _DOUBLE_SPACE.finditer(post.prose)
    ]


_OPENERS = {"?": "\u00bf", "!": "\u00a1"}


def _spanish_inverted(post: Post) -> list[Hit]:
    prose = post.prose
    hits: list[Hit] = []
    if "?" not in prose and "!" not in prose:
        return hits  # no question or exclamation: nothing to open
    search = _QUESTION_OR_EXCLAMATION.finditer
    for start, end in post.sentences:
        segment_start = start
        for m in search(prose[start:end]):
            at = start + m.start()
            found = _missing_opener(post, segment_start, at, _OPENERS[m.group()[0]])
            if found is not None:
                hits.append(found)
            segment_start = start + m.end()
    return hits


def _missing_opener(post: Post, start: int, at: int, opener: str) -> Hit | None:
    """A hit when ``text[start:at]`` (a question or exclamation) lacks its opening mark."""
    prose = post.prose
    segment = prose[start:at]
    first = post.first_letter(start, at)
    if opener in segment or first is None:
        return None
    if any(c in segment for c in ",;:"):
        # The question may start after the comma: say so, do not guess.
        values = {"match": segment.strip(), "expected": opener}
        return new_hit(at, at + 1, values, f"add '{opener}' where it starts")
    question = prose[first : at + 1]
    values = {"match": question, "expected": opener + question}
    return new_hit(
        first, at + 1, values, f"'{opener}{question}'", (new_edit(first, first, opener),)
    )


def compile_rule(rule: TypographyRule, cc: CompileContext) -> Check:
    del cc
    checks: dict[str, Callable[[Post], list[Hit]]] = {
        "french_spacing": _french_spacing,
        "japanese_punctuation": _japanese_punctuation,
        "halfwidth_katakana": _halfwidth_katakana,
        "straight_quotes": _straight_quotes(rule),
        "double_space": _double_space,
        "spanish_inverted": _spanish_inverted,
    }
    run = checks[rule.check]

    def check(post: Post, ctx: LintContext) -> list[Hit]:
        del ctx
        return run(post)

    return check
