"""Fit rendered copy to a platform's hard limit, or split it into a thread.

Templates mark what may go: optional blocks (dropped lowest drop-order
first, later blocks before earlier ones) and one shortenable region (cut at
a sentence, or at a clause that can end one, else a word, else a grapheme
boundary, with an ellipsis). Cuts never fall inside a grapheme cluster, URL,
mention or hashtag. Whatever the template does, the result never exceeds the
limit.

The caller may name the post's ``link``: it is the last thing to go. A dropped
block that carries it leaves it behind in its place ("Register → https://…"
shrinks to the link); the message is shortened before the words of the link's
line go, then the line shrinks to a ``short`` call to action and the link, then
to the link; a cut falls before it, never through
or after it; only a link that does not fit on its own is lost. Text named
``whole`` (a quote) is never cut either: a cut falls before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.text.spans import protected_spans, safe_cut_points

# Noncharacters (never valid in interchanged text; the models strip them
# from user input) mark template structure in rendered output.
OPEN = "\ufdd0"
SEP = "\ufdd1"
CLOSE = "\ufdd2"
SHORT_OPEN = "\ufdd3"
SHORT_CLOSE = "\ufdd4"
_MARKERS = re.compile("[\ufdd0-\ufdd4]")

ELLIPSIS = "…"
Counter = Callable[[str], int]


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    optional: tuple[int, ...]  # ids of the optional blocks that enclose it
    shorten: bool


@dataclass(frozen=True, slots=True)
class Marked:
    pieces: tuple[Piece, ...]
    drop_order: tuple[int, ...]  # optional block ids, first to drop first


_STRUCTURE = re.compile(f"{OPEN}(\\d+){SEP}|[{CLOSE}{SHORT_OPEN}{SHORT_CLOSE}]")


def parse_marked(rendered: str) -> Marked:
    pieces: list[Piece] = []
    stack: list[int] = []
    priorities: dict[int, int] = {}
    shorten_depth = 0
    pos = 0
    for mark in _STRUCTURE.finditer(rendered):
        if mark.start() > pos:
            pieces.append(Piece(rendered[pos : mark.start()], tuple(stack), shorten_depth > 0))
        pos = mark.end()
        if mark.group(1) is not None:
            block = len(priorities)
            priorities[block] = int(mark.group(1))
            stack.append(block)
        elif mark.group() == CLOSE:
            stack.pop()
        elif mark.group() == SHORT_OPEN:
            shorten_depth += 1
        else:
            shorten_depth -= 1
    if pos < len(rendered):
        pieces.append(Piece(rendered[pos:], tuple(stack), shorten_depth > 0))
    order = sorted(priorities, key=lambda b: (priorities[b], -b))
    return Marked(tuple(pieces), tuple(order))


def check_marked(rendered: str, template: str) -> None:
    """Refuse structures the fitter cannot honour, naming the template."""
    if rendered.count(SHORT_OPEN) > 1:
        from toolkit.errors import Location, TemplateError

        raise TemplateError(
            "more than one {% shorten %} region in the output",
            location=Location(Path(template)),
            hint="mark one region (usually the message) as shortenable",
        )


def strip_markers(text: str) -> str:
    return _MARKERS.sub("", re.sub(f"{OPEN}\\d+{SEP}", "", text))


_MANY_NEWLINES = re.compile(r"\n{3,}")
_INNER_SPACES = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+(?=[,.](?:\s|$))")


def tidy(text: str) -> str:
    """Normalise the whitespace a template (or a dropped block) leaves behind."""
    lines = [_INNER_SPACES.sub(" ", line.rstrip(" \t")) for line in text.split("\n")]
    text = "\n".join(lines)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return _SPACE_BEFORE_PUNCT.sub("", text).strip()


def _assemble(
    marked: Marked,
    dropped: frozenset[int],
    link: str | None = None,
    short: Callable[[], str] = str,
) -> tuple[str, str, str]:
    """(before, shortenable, after) with the dropped blocks left out.

    When only dropped pieces carried the ``link``, the first of them leaves it in
    its place (after the ``short`` call to action), with the piece's surrounding
    white space (its line stays a line)."""
    gone = [bool(dropped.intersection(piece.optional)) for piece in marked.pieces]
    present = not link or any(
        link in p.text for p, g in zip(marked.pieces, gone, strict=True) if not g
    )
    before: list[str] = []
    region: list[str] = []
    after: list[str] = []
    for piece, is_gone in zip(marked.pieces, gone, strict=True):
        text = piece.text
        if is_gone:
            if present or not link or link not in text:
                continue
            present = True
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
            line = text[text.rfind("\n", 0, text.find(link)) + 1 : text.find(link)]
            text = lead + _link_line(line, link, short()) + trail
        if piece.shorten:
            region.append(text)
        elif region:
            after.append(text)
        else:
            before.append(text)
    return "".join(before), "".join(region), "".join(after)


Parts = tuple[str, str, str]  # before, the shortenable region, after


def _kept_at(text: str, keep: tuple[str, ...]) -> int:
    """Where the first kept string starts in ``text``, -1 when none is there."""
    return min((at for k in keep if (at := text.find(k)) >= 0), default=-1)


def _fixed_from_kept(parts: Parts, keep: tuple[str, ...]) -> Parts:
    """Move the line that carries the region's first kept string, and what follows it,
    out of the region (with the white space before that line, so the cut text and the
    link stay apart): a cut then falls before it, never through it or after it."""
    before, region, after = parts
    at = _kept_at(region, keep)
    if at < 0:
        return parts
    line = region.rfind("\n", 0, at) + 1
    gap = len(region[:line].rstrip())
    return before, region[:gap], region[gap:] + after


def _link_line(before_link: str, link: str, words: str) -> str:
    """``words``, the arrow that stood before the link (→, 👉), and the link; the link
    alone without words."""
    if not words:
        return link
    lead = before_link.split()
    arrow = lead[-1] if lead and not lead[-1][-1].isalnum() else ""
    return " ".join(w for w in (words, arrow, link) if w)


def _bare_link(parts: Parts, link: str | None, words: str = "") -> Parts:
    """The lines that carry the link reduced to ``words`` (a short call to action, with
    the arrow the line had before the link) and the link, or to the link alone."""

    def bare(text: str) -> str:
        at = text.find(link) if link else -1
        if not link or at < 0:
            return text
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at + len(link))
        end = len(text) if end < 0 else end
        line = _link_line(text[start:at], link, words)
        line = line if len(line) < end - start else text[start:end]
        return text[:start] + line + bare(text[end:])

    before, region, after = parts
    return bare(before), bare(region), bare(after)


@dataclass(frozen=True, slots=True)
class Fitted:
    text: str
    length: int
    dropped: int  # optional blocks removed
    shortened: bool
    overflow: bool = False  # even the parts that may not be cut were too long: it was cut

    @property
    def trimmed(self) -> bool:
        return self.dropped > 0 or self.shortened


_SENTENCE_END = re.compile(r"[.!?…。！？](?:[\"”’»)）」』]*)(?=\s|$)|[。！？]")


def _cut_candidates(region: str, safe: list[int]) -> tuple[list[int], list[int]]:
    """Sentence-end cuts and word/grapheme cuts inside ``region``, ascending, among its
    ``safe`` cut points (``safe_cut_points``)."""
    safe_set = set(safe)
    sentences = [m.end() for m in _SENTENCE_END.finditer(region) if m.end() in safe_set]
    words: list[int] = []
    for cut in safe:
        if cut == 0 or cut == len(region):
            continue
        prev, nxt = region[cut - 1], region[cut]
        if (nxt.isspace() and not prev.isspace()) or _is_cjk(prev) or _is_cjk(nxt):
            words.append(cut)
    return sentences, words


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x9FFF  # CJK ideographs
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0xAC00 <= code <= 0xD7AF  # Hangul
        or 0x20000 <= code <= 0x3FFFF
    )


def _longest_fitting(
    candidates: list[int], build: Callable[[int], str], count: Counter, limit: int
) -> int | None:
    """The largest candidate whose built text fits (binary search, then verified)."""
    lo, hi, best = 0, len(candidates) - 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        if count(build(candidates[mid])) <= limit:
            best = mid
            lo = mid + 1
        else:
            hi = mid - 1
    # Counting is monotone in practice; make sure it is here.
    while best is not None and count(build(candidates[best])) > limit:
        best = best - 1 if best > 0 else None
    return None if best is None else candidates[best]


@dataclass(frozen=True, slots=True)
class _Cut:
    text: str
    kept: int  # characters of the region left
    whole_sentences: bool = True  # False: cut inside a sentence, with an ellipsis


_CLAUSE_END = re.compile(r"[ \u00a0\u202f]?;(?=\s)")  # "a; b" (and French "a ; b")
_ENTITY_BEFORE = re.compile(r"&#?\w{1,8}$")  # "&amp;" ends with a semicolon too
_TRAILING_ASIDE = re.compile(r" \([^()\n]*\)(?=([.!?]?)(?:\s|$))")  # "… a sale (Source, 2026)."


def _clause_cuts(region: str, safe: set[int]) -> list[tuple[int, str]]:
    """Cuts that still end on a whole sentence, ascending: before a semicolon (the
    first clause becomes the sentence, "a; b." → "a."), and before a parenthesis
    that closes its sentence (an aside or a source: "a sale (Source, 2026)." → "a
    sale."). Each with the end mark the shortened sentence takes."""
    cuts = [
        (m.start(), ".")
        for m in _CLAUSE_END.finditer(region)
        if m.start() in safe and not _ENTITY_BEFORE.search(region, 0, m.start())
    ]
    cuts += [
        (m.start(), m.group(1))
        for m in _TRAILING_ASIDE.finditer(region)
        if m.start() in safe and m.start() > 0 and not _is_cjk(region[m.start() - 1])
    ]
    return sorted(cuts)


def _shorten(before: str, region: str, after: str, count: Counter, limit: int) -> _Cut | None:
    """Cut ``region`` so that the whole fits; None if even an empty region does not."""
    safe = safe_cut_points(region)
    sentences, words = _cut_candidates(region, safe)
    clauses = _clause_cuts(region, set(safe))
    # The white space that closed the region still separates it from what follows.
    gap = region[len(region.rstrip()) :]

    def with_region(cut: int) -> str:
        return tidy(before + region[:cut] + gap + after)

    def with_clause(index: int) -> str:
        cut, mark = clauses[index]
        return tidy(before + region[:cut] + mark + gap + after)

    def with_ellipsis(cut: int) -> str:
        return tidy(before + region[:cut].rstrip(" ,;:、，") + ELLIPSIS + gap + after)

    best_sentence = _longest_fitting(sentences, with_region, count, limit)
    best_clause = _longest_fitting(list(range(len(clauses))), with_clause, count, limit)
    whole: _Cut | None = None
    if best_sentence is not None:
        whole = _Cut(with_region(best_sentence), best_sentence)
    if best_clause is not None and clauses[best_clause][0] > (best_sentence or 0):
        whole = _Cut(with_clause(best_clause), clauses[best_clause][0])
    best_word = _longest_fitting(words, with_ellipsis, count, limit)
    if whole is not None and (best_word is None or whole.kept >= 0.6 * best_word):
        return whole
    if best_word is not None:
        return _Cut(with_ellipsis(best_word), best_word, whole_sentences=False)
    empty = tidy(before + after)
    return _Cut(empty, 0) if count(empty) <= limit else None


def shorten_to(before: str, region: str, after: str, count: Counter, limit: int) -> str | None:
    """Cut ``region`` so that the whole fits; None if even an empty region does not."""
    cut = _shorten(before, region, after, count, limit)
    return None if cut is None else cut.text


def fit(
    rendered: str,
    count: Counter,
    limit: int,
    *,
    link: str | None = None,
    whole: tuple[str, ...] = (),
    short: str | Callable[[], str] = "",
) -> Fitted:
    """Drop optional blocks, then shorten, until the copy fits ``limit``.

    ``link`` goes last and ``whole`` is never cut: see the module's docstring.
    ``short``: the call to action in a word or two ("Sign up"), for the link's
    line when its own words do not fit (a function: asked only then).
    """
    keep = tuple(k for k in (*whole, link) if k)
    marked = parse_marked(rendered)
    dropped: set[int] = set()
    before, region, after = _assemble(marked, frozenset(), link)
    text = tidy(before + region + after)
    if count(text) <= limit:
        return Fitted(text, count(text), 0, False)
    asked: list[str] = []

    def words() -> str:
        # Asked for once, when first needed (the copy layer renders it).
        if not asked:
            asked.append(short() if callable(short) else short)
        return asked[0]

    for block in marked.drop_order:
        dropped.add(block)
        before, region, after = _assemble(marked, frozenset(dropped), link, words)
        text = tidy(before + region + after)
        if count(text) <= limit:
            return Fitted(text, count(text), len(dropped), False)
    parts = before, region, after
    # What a reader would rather see, best first: the whole message under a shorter
    # call to action ("Sign up →" for "Sign up for free →": still a call to action,
    # which the voice guide asks every post for), then a message cut at a sentence
    # end that keeps most of it, then most of it cut inside a sentence ("…").
    has_link = link is not None and link in "".join(parts)
    bare = _bare_link(parts, link)
    shorter = _bare_link(parts, link, words()) if has_link else bare
    # The short call to action still has words (else it is the bare link, tried last).
    worded = has_link and bool(words()) and shorter != parts
    cuts: dict[Parts, _Cut | None] = {}

    def cut_of(shown: Parts) -> _Cut | None:
        if shown not in cuts:
            fixed = _fixed_from_kept(shown, keep)
            cuts[shown] = _shorten(*fixed, count, limit) if region else None
        return cuts[shown]

    def all_of(shown: Parts) -> Fitted | None:
        text = tidy("".join(shown))
        return Fitted(text, count(text), len(dropped), True) if count(text) <= limit else None

    if worded and (fitted := all_of(shorter)):
        return fitted
    cut = None
    if region:
        # Most of the message: at least half of what may be cut.
        half = len(_fixed_from_kept(parts, keep)[1]) / 2
        cut = cut_of(parts)
        most = cut is not None and cut.kept >= half
        if cut is not None and most and cut.whole_sentences:
            return Fitted(cut.text, count(cut.text), len(dropped), True)
        short_cut = cut_of(shorter) if worded else None
        if short_cut and short_cut.whole_sentences and short_cut.kept >= half:
            return Fitted(short_cut.text, count(short_cut.text), len(dropped), True)
        if cut is not None and most:
            return Fitted(cut.text, count(cut.text), len(dropped), True)
    # Rather than a message cut down to a stub ("5…"), the call to action shrinks to a
    # word or two (``short``), then to its link.
    for shrunk in dict.fromkeys((shorter, bare)):
        if shrunk == parts:
            continue
        if not (worded and shrunk == shorter) and (fitted := all_of(shrunk)):
            return fitted  # (the worded line was tried whole above)
        shrunk_cut = cut_of(shrunk)
        if shrunk_cut is not None and (cut is None or 0.6 * shrunk_cut.kept > cut.kept):
            cut = shrunk_cut
    if cut is not None and cut.text:
        return Fitted(cut.text, count(cut.text), len(dropped), True)
    # No shortenable region declared, or what may not be cut is too long on its own:
    # cut the whole copy, before the link while the link (and what follows it) fit.
    everything = "".join(bare)
    shortened = shorten_to(*_fixed_from_kept(("", everything, ""), keep), count, limit)
    overflow = bool(region) or shortened is None
    if shortened is None:
        shortened = shorten_to("", everything, "", count, limit) or ""
    return Fitted(shortened, count(shortened), len(dropped), True, overflow=overflow)


@dataclass(frozen=True, slots=True)
class Thread:
    parts: tuple[str, ...]
    notes: tuple[str, ...] = ()


def split_thread(
    text: str,
    count: Counter,
    limit: int,
    numbering: str = "\n\n{i}/{n}",
    max_parts: int = 25,
) -> Thread | None:
    """Split fitted-or-long copy into numbered parts, each within ``limit``.

    Parts break at paragraph ends, else line ends (a list keeps its lines), else
    sentence ends, else words, never inside a grapheme cluster, URL, mention or
    hashtag. ``numbering`` is added to each part and carries its own separation
    (a blank line before "2/3", say), so a number never reads as part of the text.
    No part is hashtags alone: they join the part before, or are left out with
    a note. Returns None when the copy needs more than ``max_parts``.
    """
    if count(text) <= limit:
        return Thread((text,))
    guess = 2
    while guess <= max_parts:
        parts = _pack(text, count, limit, numbering, guess)
        if parts is None:
            return None
        if len(parts) <= guess:
            budget = limit - _numbering_room(count, numbering, guess)
            parts, notes = _no_hashtag_only_parts(parts, count, budget)
            n = len(parts)
            if n == 1:
                return Thread((parts[0],), notes)
            numbered = [p + numbering.format(i=i, n=n) for i, p in enumerate(parts, start=1)]
            return Thread(tuple(numbered), notes)
        guess = len(parts)
    return None


def _numbering_room(count: Counter, numbering: str, n: int) -> int:
    # Measured as it is appended (after a word): a counter that ignores surrounding
    # white space would otherwise miss the blank line the numbering opens with.
    def room(i: int) -> int:
        return count("x" + numbering.format(i=i, n=n)) - count("x")

    return max(room(n), room(1))


def _only_hashtags(part: str) -> bool:
    rest = part
    for span in sorted(protected_spans(part), key=lambda s: -s.start):
        if span.kind == "hashtag":
            rest = rest[: span.start] + rest[span.end :]
    return part.strip() != "" and rest.strip() == ""


def _no_hashtag_only_parts(
    parts: list[str], count: Counter, budget: int
) -> tuple[list[str], tuple[str, ...]]:
    """Hashtags alone in a part join the part before when it has room, else go."""
    kept: list[str] = []
    notes: list[str] = []
    for part in parts:
        if not kept or not _only_hashtags(part):
            kept.append(part)
            continue
        joined = kept[-1] + "\n\n" + part
        if count(joined) <= budget:
            kept[-1] = joined
        else:
            notes.append(f"hashtags left out of the thread (no room in the part before): {part}")
    return kept, tuple(notes)


def _pack(text: str, count: Counter, limit: int, numbering: str, n: int) -> list[str] | None:
    budget = limit - _numbering_room(count, numbering, n)
    if budget <= 0:
        return None
    parts: list[str] = []
    rest = text.strip()
    while rest:
        if count(rest) <= budget:
            parts.append(rest)
            break
        cut = _best_break(rest, count, budget)
        if cut is None:
            return None
        parts.append(tidy(rest[:cut]))
        rest = rest[cut:].strip()
        if len(parts) > 100:
            return None
    return parts


_PARAGRAPH = re.compile(r"\n\s*\n")


def _best_break(text: str, count: Counter, budget: int) -> int | None:
    safe = safe_cut_points(text)
    safe_set = set(safe)

    def build(cut: int) -> str:
        return tidy(text[:cut])

    paragraphs = [m.start() for m in _PARAGRAPH.finditer(text) if m.start() in safe_set]
    lines = [m.start() for m in re.finditer("\n", text) if m.start() in safe_set]
    sentences, words = _cut_candidates(text, safe)
    graphemes = [c for c in safe if 0 < c < len(text)]
    best_para = _longest_fitting(paragraphs, build, count, budget)
    best_line = _longest_fitting(lines, build, count, budget)
    best_sentence = _longest_fitting(sentences, build, count, budget)
    best_word = _longest_fitting(words, build, count, budget)
    for best in (best_para, best_line, best_sentence):
        if best is not None and best >= 0.5 * (best_word or 0) and tidy(text[:best]):
            return best
    if best_word is not None and tidy(text[:best_word]):
        return best_word
    best_grapheme = _longest_fitting(graphemes, build, count, budget)
    return best_grapheme if best_grapheme else None
