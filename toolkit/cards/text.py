"""Text boxes: font runs, line breaks, and the largest size that fits.

* Runs: each grapheme cluster gets the first font of the chain that covers
  it (see ``fonts``); colour emoji sequences are their own runs.
* Breaks: at spaces for spaced scripts (no-break spaces such as French
  U+202F keep their words together), between BudouX phrases for Japanese,
  Chinese and Thai; a phrase wider than the box breaks between characters,
  never before closing punctuation.
* Fit: binary search on the font size between the layer's min and max;
  measurements are cached per (font, size, text).
* Right-to-left text (Arabic, Hebrew) is shaped by raqm; words of the other
  direction are reordered as in the Unicode bidi algorithm's two levels.
"""

from __future__ import annotations

import math
import re
from collections import deque
from functools import lru_cache
from typing import Any

import regex  # type: ignore[import-untyped, unused-ignore]

from toolkit.cards import emoji as emoji_mod
from toolkit.cards import glyphs
from toolkit.cards.bidi import direction, visual_order
from toolkit.cards.fonts import RAQM, Face, FontChain, coverage, font, metrics, script_lang
from toolkit.cards.runs import Block, DoesNotFit, FitSpec, Line, MissingGlyphs, Piece, Run, Token
from toolkit.text.spans import emoji_spans

_BREAK_SPACE = re.compile(r"([ \t\u1680\u2000-\u2006\u2008-\u200b\u205f\u3000]+)")
_PHRASED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")
_THAI = regex.compile(r"\p{Thai}")
_GRAPHEME = regex.compile(r"\X")
_EMOJI_PRESENTATION = regex.compile(r"\p{Emoji_Presentation}")
_NO_LINE_START = set(
    "、。，．・：；？！ー）」』】〕〉》”’ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々,.!?:;)]}%"
    "\u202f\u00a0…‥"
)
ELLIPSIS = "…"
# Entries kept per typesetter (pieces and measured widths) before it starts afresh: a
# batch of distinct titles must not grow them without end. Results never depend on it.
MEMO_LIMIT = 10_000


def _is_emoji(span: str) -> bool:
    return (
        "\ufe0f" in span
        or (len(span) > 1 and "\ufe0e" not in span)
        or bool(_EMOJI_PRESENTATION.match(span))
    )


def _may_hold_emoji(word: str, emoji_face: Face) -> bool:
    """Whether an emoji piece can start in ``word``: one starts at a character of the
    emoji face, and an emoji sequence that starts at an ASCII character is a keycap
    (with U+20E3). Most words have neither ("10:00\u202fAM", "café"): they skip the
    search, and a process whose words are all such never compiles its pattern (~7 ms)."""
    if word.isascii():
        return False
    if "\u20e3" in word:
        return True
    covered = coverage(emoji_face)
    return any(ord(c) in covered for c in word if c > "\x7f")


class Typesetter:
    """Lays out text for one font chain; caches runs and measurements across cards."""

    def __init__(self, chain: FontChain, locale: str) -> None:
        self.chain = chain
        self.locale = locale
        self.lang = chain.lang
        self._pieces: dict[str, tuple[Piece, ...]] = {}
        self._words: dict[tuple[str, str], tuple[Token, ...]] = {}  # (word, glue): its tokens
        self._widths: dict[tuple[str, int, str, bool, str], float] = {}
        # Lines built during one fit: balancing tries seven widths at one size, and most
        # of their lines are the same tokens again.
        # (or, from ``_spans``, by size, direction, paragraph and the span's first and end
        # token: the paragraphs are the fit's own).
        self._lines: dict[tuple[object, ...], Line] = {}
        # Token widths per size during one fit (of ``_fitting``): every try at a size
        # wraps the same tokens, and balancing wraps them seven times more.
        self._fitting: list[list[Token]] | None = None
        self._sized: dict[int, list[list[float]]] = {}
        self._widest_at: dict[int, float] = {}
        region = locale.split("-")[-1].upper() if "-" in locale else ""
        self._zh = "zh-hant" if region in ("TW", "HK", "MO") or "Hant" in locale else "zh-hans"

    # ------------------------------------------------------------ runs and tokens

    def pieces(self, word: str, missing: set[str]) -> tuple[Piece, ...]:
        hit = self._pieces.get(word)
        if hit is not None:
            return hit
        out: list[Piece] = []
        emoji_face = self.chain.emoji if emoji_mod.usable(self.chain.emoji) else None
        spans = (
            {s.start: s for s in emoji_spans(word)}
            if emoji_face is not None and _may_hold_emoji(word, emoji_face)
            else {}
        )
        primary = self.chain.primary
        if (
            not spans
            and (emoji_face is None or primary.path != emoji_face.path)
            and coverage(primary).issuperset(map(ord, word))
        ):
            # The primary face, first in the chain, has every character: each cluster
            # would be its piece, all merged into one (most words, without the search
            # for clusters).
            result: tuple[Piece, ...] = (Piece(word, primary, False, self.lang),)
            self._keep_pieces(word, result)
            return result
        pos = 0
        for match in _GRAPHEME.finditer(word):
            if match.start() < pos:
                continue
            span = spans.get(match.start())
            if (
                span is not None
                and emoji_face is not None
                and _is_emoji(span.text)
                and ord(span.text[0]) in coverage(emoji_face)
            ):
                out.append(Piece(span.text, emoji_face, True, self.lang))
                pos = span.end
                continue
            cluster = match.group()
            face = self.chain.face_for(cluster)
            if face is None:
                missing.update(c for c in cluster if c.isprintable() or ord(c) > 0x7F)
                continue
            if emoji_face is not None and face.path == emoji_face.path:
                # Only the bitmap emoji font has it (a lone regional indicator): one size fits.
                out.append(Piece(cluster, face, True, self.lang))
                continue
            lang = script_lang(cluster[0], self.lang) if face != self.chain.primary else None
            lang = lang or self.lang
            last = out[-1] if out else None
            if last is not None and not last.emoji and last.face == face and last.lang == lang:
                out[-1] = Piece(last.text + cluster, face, False, lang)
            else:
                out.append(Piece(cluster, face, False, lang))
        result = tuple(out)
        if not missing:
            self._keep_pieces(word, result)
        return result

    def _keep_pieces(self, word: str, pieces: tuple[Piece, ...]) -> None:
        if len(self._pieces) >= MEMO_LIMIT:
            self._pieces.clear()
        self._pieces[word] = pieces

    def _phrases(self, word: str) -> list[str]:
        if not _PHRASED.search(word):
            return [word]
        if _THAI.search(word):
            kind = "th"
        elif self.lang == "zh":
            kind = self._zh
        else:
            kind = "ja"
        return [p for p in phrase_parser(kind).parse(word) if p] or [word]

    def tokens(self, text: str) -> list[list[Token]]:
        """Paragraphs (split at newlines) of breakable tokens; raises MissingGlyphs."""
        missing: set[str] = set()
        paragraphs: list[list[Token]] = []
        for para in text.split("\n"):
            tokens: list[Token] = []
            parts = _BREAK_SPACE.split(para.strip())
            for i in range(0, len(parts), 2):
                word = parts[i]
                sep = parts[i + 1] if i + 1 < len(parts) else ""
                glue = " " if sep.strip("\u200b") or (sep and "\u200b" not in sep) else ""
                if not word:
                    continue
                tokens.extend(self._word(word, glue, missing))
            paragraphs.append(tokens)
        if missing:
            raise MissingGlyphs(sorted(missing))
        return paragraphs

    def _word(self, word: str, glue: str, missing: set[str]) -> tuple[Token, ...]:
        """The tokens of one word (its phrases), kept: a batch's titles share words."""
        hit = self._words.get((word, glue))
        if hit is not None:
            return hit
        lacking: set[str] = set()
        phrases = self._phrases(word)
        out: list[Token] = []
        for j, phrase in enumerate(phrases):
            pieces = self.pieces(phrase, lacking)
            if not pieces:
                continue
            out.append(
                Token(
                    pieces,
                    glue if j == len(phrases) - 1 else "",
                    direction(phrase),
                    len(phrases) > 1 or bool(_PHRASED.search(phrase)),
                )
            )
        result = tuple(out)
        if lacking:
            missing.update(lacking)
        else:
            if len(self._words) >= MEMO_LIMIT:
                self._words.clear()
            self._words[(word, glue)] = result
        return result

    # ------------------------------------------------------------ measuring

    def measure(self, text: str, face: Face, size: int, rtl: bool, lang: str, emo: bool) -> float:
        key = (face.key, size, text, rtl, lang)
        hit = self._widths.get(key)
        if hit is None:
            if emo:
                hit = emoji_mod.advance(face, text, size)
            elif not rtl and (plain := glyphs.width(face, size, text, lang)) is not None:
                hit = plain  # the same number, from the font's tables (see glyphs)
            elif RAQM:
                hit = font(face, size).getlength(
                    text, direction="rtl" if rtl else "ltr", language=lang
                )
            else:
                hit = font(face, size).getlength(text)
            if len(self._widths) >= MEMO_LIMIT:
                self._widths.clear()
            self._widths[key] = hit
        return hit

    def token_width(self, token: Token, size: int) -> float:
        rtl = token.direction == "R"
        return sum(self.measure(p.text, p.face, size, rtl, p.lang, p.emoji) for p in token.pieces)

    def space(self, size: int) -> float:
        return self.measure(" ", self.chain.primary, size, False, self.lang, False)

    def widths(self, paragraphs: list[list[Token]], size: int) -> list[list[float]]:
        """Each token's width at ``size``, measured once per fit."""
        if paragraphs is not self._fitting:
            return [[self.token_width(t, size) for t in para] for para in paragraphs]
        found = self._sized.get(size)
        if found is None:
            found = [[self.token_width(t, size) for t in para] for para in paragraphs]
            self._sized[size] = found
        return found

    # ------------------------------------------------------------ lines

    def _split(self, token: Token) -> list[Token]:
        """A too-wide phrase as one token per character, closing marks kept with the last."""
        out: list[list[Piece]] = []
        for piece in token.pieces:
            clusters = [piece.text] if piece.emoji else _GRAPHEME.findall(piece.text)
            for cluster in clusters:
                part = Piece(cluster, piece.face, piece.emoji, piece.lang)
                if out and cluster[0] in _NO_LINE_START:
                    out[-1].append(part)
                else:
                    out.append([part])
        return [
            Token(tuple(ps), token.glue if i == len(out) - 1 else "", token.direction, False)
            for i, ps in enumerate(out)
        ]

    def wrap(
        self,
        paragraphs: list[list[Token]],
        size: int,
        width: float,
        *,
        force: bool = False,
        split: bool = True,
    ) -> list[list[Token]] | None:
        """Greedy line filling; None when a token cannot fit.

        ``split``: a phrase wider than the line may break between characters;
        ``force``: any token may.
        """
        lines: list[list[Token]] = []
        space = self.space(size)
        for para, widths in zip(paragraphs, self.widths(paragraphs, size), strict=True):
            current: list[Token] = []
            used = 0.0
            queue: deque[tuple[Token, float | None]] = deque(zip(para, widths, strict=True))
            while queue:
                token, known = queue.popleft()
                w = self.token_width(token, size) if known is None else known
                if w > width:
                    if ((token.splittable and split) or force) and (
                        len(token.pieces) > 1 or len(_GRAPHEME.findall(token.pieces[0].text)) > 1
                    ):
                        queue.extendleft((part, None) for part in reversed(self._split(token)))
                        continue
                    if not force:
                        return None
                glue = (space if current[-1].glue else 0.0) if current else 0.0
                if current and used + glue + w > width:
                    lines.append(current)
                    current, used = [token], w
                else:
                    current.append(token)
                    used += glue + w
            lines.append(current)
        return lines

    def line(self, tokens: list[Token], size: int, base_rtl: bool) -> Line:
        """Visual runs of one line: bidi order, same-font pieces merged, measured."""
        order = visual_order([t.direction for t in tokens], base_rtl)
        runs: list[Run] = []
        x = 0.0
        space = self.space(size)
        previous = -1
        pending = False  # the last run grew by merging and is not measured yet
        for i in order:
            token = tokens[i]
            rtl = token.direction == "R" or (token.direction == "N" and base_rtl)
            glue = ""
            if previous >= 0:
                glue = tokens[min(previous, i)].glue
            pieces = reversed(token.pieces) if rtl else iter(token.pieces)
            for k, piece in enumerate(pieces):
                joiner = glue if k == 0 else ""
                last = runs[-1] if runs else None
                can_merge = (
                    last is not None
                    and not piece.emoji
                    and not last.emoji
                    and last.face == piece.face
                    and last.rtl == rtl
                    and last.lang == piece.lang
                )
                if can_merge and last is not None:
                    text = (
                        piece.text + joiner + last.text if rtl else last.text + joiner + piece.text
                    )
                    # Measured once the run is complete (shaping each prefix cost the most).
                    runs[-1] = Run(text, piece.face, False, piece.lang, rtl, last.x, 0.0)
                    pending = True
                    continue
                if pending:
                    x, pending = self._settle(runs, size), False
                if joiner:
                    x += space
                w = self.measure(piece.text, piece.face, size, rtl, piece.lang, piece.emoji)
                runs.append(Run(piece.text, piece.face, piece.emoji, piece.lang, rtl, x, w))
                x += w
            previous = i
        if pending:
            x = self._settle(runs, size)
        return Line(tuple(runs), x)

    def _line(self, tokens: list[Token], size: int, base_rtl: bool) -> Line:
        key = (size, base_rtl, tuple(tokens))
        hit = self._lines.get(key)
        if hit is None:
            hit = self._lines[key] = self.line(tokens, size, base_rtl)
        return hit

    def _settle(self, runs: list[Run], size: int) -> float:
        """Measure the merged last run; returns where the pen stands after it."""
        last = runs[-1]
        w = self.measure(last.text, last.face, size, last.rtl, last.lang, False)
        runs[-1] = Run(last.text, last.face, False, last.lang, last.rtl, last.x, w)
        return last.x + w

    # ------------------------------------------------------------ fitting

    def _block(self, lines: list[Line], size: int, spacing: float, rtl: bool) -> Block:
        ascent, descent = metrics(self.chain.primary, size)
        return Block(size, tuple(lines), ascent, descent, size * spacing, rtl)

    def attempt(
        self,
        paragraphs: list[list[Token]],
        size: int,
        box: tuple[float, float],
        spec: FitSpec,
        split: bool = True,
    ) -> Block | None:
        spans = self._spans(paragraphs, size, box[0])
        if spans is not None:
            return self._settled(paragraphs, spans, size, box, spec)
        wrapped = self.wrap(paragraphs, size, box[0], split=split)
        if wrapped is None or len(wrapped) > spec.max_lines:
            return None
        # The height needs only the line count: check it before shaping the lines.
        ascent, descent = metrics(self.chain.primary, size)
        if ascent + descent + size * spec.line_height * (len(wrapped) - 1) > box[1] + 0.5:
            return None
        lines = [self._line(tokens, size, spec.rtl) for tokens in wrapped]
        if any(line.width > box[0] + 0.5 for line in lines):
            return None
        block = self._block(lines, size, spec.line_height, spec.rtl)
        return block if block.height <= box[1] + 0.5 else None

    def _spans(
        self, paragraphs: list[list[Token]], size: int, width: float
    ) -> tuple[tuple[int, int, int], ...] | None:
        """``wrap``'s lines during a fit, as (paragraph, first token, end) spans, when no
        token is wider than ``width`` (so none splits or fails); else None.

        The same greedy filling without its queue and token lists: a fit wraps some ten
        times (seven of them balancing at one size), and its lines recur between tries.
        """
        if paragraphs is not self._fitting:
            return None
        measured = self.widths(paragraphs, size)
        widest = self._widest_at.get(size)
        if widest is None:
            widest = self._widest_at[size] = max((w for ws in measured for w in ws), default=0.0)
        if widest > width:
            return None
        space = self.space(size)
        spans: list[tuple[int, int, int]] = []
        for p, (para, widths) in enumerate(zip(paragraphs, measured, strict=True)):
            start, used, glue = 0, 0.0, 0.0
            for i, w in enumerate(widths):
                if i > start and used + glue + w > width:
                    spans.append((p, start, i))
                    start, used = i, w
                else:
                    used += glue + w
                glue = space if para[i].glue else 0.0
            spans.append((p, start, len(widths)))
        return tuple(spans)

    def _settled(
        self,
        paragraphs: list[list[Token]],
        spans: tuple[tuple[int, int, int], ...],
        size: int,
        box: tuple[float, float],
        spec: FitSpec,
    ) -> Block | None:
        """``attempt``'s checks and block for the lines ``spans`` (see ``_spans``)."""
        if len(spans) > spec.max_lines:
            return None
        ascent, descent = metrics(self.chain.primary, size)
        if ascent + descent + size * spec.line_height * (len(spans) - 1) > box[1] + 0.5:
            return None
        lines = []
        for p, start, end in spans:
            key = (size, spec.rtl, p, start, end)
            line = self._lines.get(key)
            if line is None:
                line = self._lines[key] = self.line(paragraphs[p][start:end], size, spec.rtl)
            if line.width > box[0] + 0.5:
                return None
            lines.append(line)
        block = Block(size, tuple(lines), ascent, descent, size * spec.line_height, spec.rtl)
        return block if block.height <= box[1] + 0.5 else None

    def fit(self, text: str, box: tuple[float, float], spec: FitSpec) -> Block:
        """The largest size in [min, max] at which ``text`` fits ``box`` (width, height).

        Phrases stay whole when some size allows it; only when none does may a
        phrase break between characters (a smaller size beats a split phrase).
        """
        paragraphs = self.tokens(text)
        self._lines.clear()
        self._fitting, self._sized, self._widest_at = paragraphs, {}, {}
        try:
            for split in (False, True):
                best = self._largest(paragraphs, box, spec, split)
                if best is not None:
                    return self._balance(paragraphs, best, box, spec) if spec.balance else best
            if spec.ellipsis:
                return self._truncate(paragraphs, max(1, math.ceil(spec.min_size)), box, spec)
            raise DoesNotFit()
        finally:
            self._fitting, self._sized, self._widest_at = None, {}, {}

    def _largest(
        self, paragraphs: list[list[Token]], box: tuple[float, float], spec: FitSpec, split: bool
    ) -> Block | None:
        """The largest size in [min, max] that fits: a size fits when every larger one
        that fits would too (token widths and line heights only grow with the size), so
        the search starts from an estimate and gallops, then bisects, to that boundary."""
        lo, hi = max(1, math.ceil(spec.min_size)), max(1, math.floor(spec.max_size))
        best = self.attempt(paragraphs, hi, box, spec, split)
        if best is not None or hi - 1 < lo:
            return best
        guess = min(hi - 1, max(lo, self._estimate(paragraphs, hi, box, spec, split)))
        low, high = lo, hi - 1
        step = 1
        found = self.attempt(paragraphs, guess, box, spec, split)
        if found is not None:
            best, low = found, guess + 1
            while low <= high:  # gallop up
                probe = min(high, guess + step)
                found = self.attempt(paragraphs, probe, box, spec, split)
                if found is None:
                    high = probe - 1
                    break
                best, low, guess, step = found, probe + 1, probe, step * 2
        else:
            high = guess - 1
            while low <= high:  # gallop down
                probe = max(low, guess - step)
                found = self.attempt(paragraphs, probe, box, spec, split)
                if found is not None:
                    best, low = found, probe + 1
                    break
                high, guess, step = probe - 1, probe, step * 2
        while low <= high:
            mid = (low + high) // 2
            found = self.attempt(paragraphs, mid, box, spec, split)
            if found is not None:
                best, low = found, mid + 1
            else:
                high = mid - 1
        return best

    def _estimate(
        self,
        paragraphs: list[list[Token]],
        size: int,
        box: tuple[float, float],
        spec: FitSpec,
        split: bool,
    ) -> int:
        """A first size to try: the largest at which the text would fit if every width
        scaled with the size exactly, from the widths at ``size`` (no new measuring)."""
        measured = [
            [(w, bool(t.glue)) for t, w in zip(p, ws, strict=True)]
            for p, ws in zip(paragraphs, self.widths(paragraphs, size), strict=True)
        ]
        space = self.space(size)
        ascent, descent = metrics(self.chain.primary, size)

        def fits(guess: int) -> bool:
            width = box[0] * size / guess  # the box's width in ``size``'s units
            lines = 0
            for para in measured:
                used, glue, lines = 0.0, False, lines + 1
                for w, glued in para:
                    if w > width and not split:
                        return False
                    gap = space if glue else 0.0
                    if used and used + gap + w > width:
                        lines, used = lines + 1, w
                    else:
                        used += gap + w
                    glue = glued
            height = (ascent + descent) * guess / size + guess * spec.line_height * (lines - 1)
            return lines <= spec.max_lines and height <= box[1] + 0.5

        low, high, best = 1, size - 1, 1
        while low <= high:
            mid = (low + high) // 2
            if fits(mid):
                best, low = mid, mid + 1
            else:
                high = mid - 1
        return best

    def _balance(
        self, paragraphs: list[list[Token]], block: Block, box: tuple[float, float], spec: FitSpec
    ) -> Block:
        """The narrowest width that keeps the line count: even lines, no lone last word."""
        count = len(block.lines)
        if count < 2:
            return block
        # Never narrower than the widest phrase that fits the box whole: a narrower
        # balance would split it between characters (示 / せるようになります).
        whole = [w for ws in self.widths(paragraphs, block.size) for w in ws if w <= box[0]]
        low, high = max([box[0] / count, *whole]), box[0]
        best = block
        for _ in range(7):
            mid = (low + high) / 2
            spans = self._spans(paragraphs, block.size, mid)
            if spans is not None and len(spans) > count:
                low = mid  # more lines: no need to shape them to know
                continue
            found = self.attempt(paragraphs, block.size, (mid, box[1]), spec)
            if found is not None and len(found.lines) <= count:
                best, high = found, mid
            else:
                low = mid
        return best

    def _truncate(
        self, paragraphs: list[list[Token]], size: int, box: tuple[float, float], spec: FitSpec
    ) -> Block:
        wrapped = self.wrap(paragraphs, size, box[0], force=True) or []
        keep = min(spec.max_lines, len(wrapped))
        while (
            keep > 0
            and self._block([Line((), 0)] * keep, size, spec.line_height, spec.rtl).height
            > box[1] + 0.5
        ):
            keep -= 1
        if keep == 0:
            raise DoesNotFit()
        kept = wrapped[:keep]
        missing: set[str] = set()
        dots = Token(self.pieces(ELLIPSIS, missing), "", "N", False)
        tail: list[Token] = []
        for token in kept[-1]:
            tail.extend(self._split(token))
        while True:
            candidate = [*tail, dots]
            built = self.line(candidate, size, spec.rtl)
            if built.width <= box[0] + 0.5 or not tail:
                break
            tail.pop()
            while tail and not tail[-1].pieces[-1].text.strip():
                tail.pop()
        lines = [self.line(t, size, spec.rtl) for t in kept[:-1]] + [built]
        block = self._block(lines, size, spec.line_height, spec.rtl)
        return Block(block.size, block.lines, block.ascent, block.descent, block.gap, True, True)


@lru_cache(maxsize=8)
def phrase_parser(kind: str) -> Any:
    import budoux

    return {
        "ja": budoux.load_default_japanese_parser,
        "zh-hans": budoux.load_default_simplified_chinese_parser,
        "zh-hant": budoux.load_default_traditional_chinese_parser,
        "th": budoux.load_default_thai_parser,
    }[kind]()
