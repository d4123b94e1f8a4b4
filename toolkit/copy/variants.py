"""One brief becomes fitted copy variants for every platform it targets.

``render_variant`` writes one post: a platform, an angle, and the post's
``rotation`` (how many posts of that angle came before it in the week), which
picks the material it leads with and, once the material wraps, a new form.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from toolkit.campaign.facts import (
    QuoteView,
    angle_fits,
    audience_tz,
    aware,
    focus_text,
    hook_lines,
    pick,
)
from toolkit.campaign.loader import Campaign
from toolkit.campaign.platforms import Platform
from toolkit.copy.context import Post, context_for
from toolkit.errors import InputError, Location, TemplateError
from toolkit.sandbox.environment import Rendered, environment, render
from toolkit.text.counting import count, post_length
from toolkit.text.fitting import check_marked, fit, split_thread, strip_markers, tidy
from toolkit.voice import Finding, check_copy, check_title, finding_record, load_guide


@dataclass(frozen=True)
class Variant:
    """One platform's copy for one angle, fitted to the platform's limit."""

    id: str
    platform: str
    angle: str
    pillar: str
    locale: str
    text: str
    parts: tuple[str, ...]
    length: int  # of the longest part: what the limit applies to
    limit: int
    fold: int | None
    counting: str
    hashtags: tuple[str, ...]
    link: str | None
    trimmed: bool
    title: str | None = None
    title_length: int | None = None
    title_limit: int | None = None
    notes: tuple[str, ...] = field(default=())
    # voice findings left after the guide's safe fixes; path "title" marks the title's
    findings: tuple[Finding, ...] = field(default=())
    # What the post leads with (a key point, stat, quote, question…): the card shows it too.
    focus: str | None = None
    rotation: int = 0
    opening: str | None = None  # the hook line of an A/B test

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "platform": self.platform,
            "angle": self.angle,
            "pillar": self.pillar,
            "locale": self.locale,
            "title": self.title,
            "text": self.text,
            "parts": list(self.parts),
            "length": self.length,
            "limit": self.limit,
            "title_length": self.title_length,
            "title_limit": self.title_limit,
            "fold": self.fold,
            "counting": self.counting,
            "hashtags": list(self.hashtags),
            "link": self.link,
            "trimmed": self.trimmed,
            "focus": self.focus,
            "rotation": self.rotation,
            "opening": self.opening,
            "notes": list(self.notes),
            # The one shape of a finding (voice.finding_record); "path" is "title" for
            # the title's, null for the copy's.
            "findings": [finding_record(f) for f in self.findings],
        }


def choose_angles(
    campaign: Campaign, platform_id: str, n: int, seed: int, now: datetime
) -> list[str]:
    """``n`` distinct angles for a platform, the same for the same seed."""
    available = [
        name
        for name, angle in campaign.angles.items()
        if angle_fits(campaign, angle, now, platform_id)
        and campaign.template_file(f"{platform_id}/{name}.j2") is not None
    ]
    rng = random.Random(f"{seed}:{platform_id}")
    rng.shuffle(available)
    return available[:n]


@dataclass(frozen=True)
class _Fitted:
    parts: list[str]
    trimmed: bool
    notes: list[str]


def _fit_body(
    rendered: Rendered,
    name: str,
    platform: Platform,
    thread: bool,
    counter: Callable[[str], int],
    link: str | None,
    whole: tuple[str, ...],
    short: Callable[[], str],
) -> _Fitted:
    """Fit (or split) the body. Where links are clickable the post's ``link`` is the
    last thing fitting takes out (a call to action that does not fit shrinks to it);
    ``whole`` (the quote) is never cut."""
    check_marked(rendered.body, name)
    notes: list[str] = []
    if thread and platform.thread is not None:
        full = tidy(strip_markers(rendered.body))
        split = split_thread(
            full, counter, platform.limit, platform.thread.numbering, platform.thread.max_parts
        )
        if split is not None:
            return _Fitted(list(split.parts), False, list(split.notes))
        notes.append(f"too long for {platform.thread.max_parts} parts; fitted to one post")
    kept = link if platform.links == "clickable" else None
    fitted = fit(rendered.body, counter, platform.limit, link=kept, whole=whole, short=short)
    if fitted.overflow:
        notes.append(f"{name}: what may not be cut does not fit {platform.name}; it was cut")
    return _Fitted([fitted.text], fitted.trimmed, notes)


def _mentions(parts: list[str], words: str | None) -> bool:
    """Whether the fitted ``parts`` say ``words``, whole or cut ("5 metrics that…"): the
    card shows them whole when the copy had to cut them."""
    if words is None:
        return True
    # Its first three words as written (or first characters, for unspaced scripts).
    three = _FIRST_WORDS.match(words)
    opening = three.group() if three and " " in words.strip() else words.strip()[:8]
    return opening in "\n".join(parts)


_FIRST_WORDS = re.compile(r"\s*\S+(?:\s+\S+){0,2}")


def _with_opening(
    render_with: Callable[[str | None], Rendered],
    fit_body: Callable[[Rendered], _Fitted],
    opening: str,
    pool: list[str],
    counter: Callable[[str], int],
) -> _Fitted:
    """Fit as if the post opened with the longest line of the pool that the post holds
    whole, then put ``opening`` in its place: the arms of a hook test differ in their
    first line and nothing else (every arm whose line is no longer picks the same one)."""
    size = (counter(opening), opening)
    for longest in sorted(pool, key=lambda line: (counter(line), line), reverse=True):
        if (counter(longest), longest) < size:
            break
        fitted = fit_body(render_with(longest))
        first = fitted.parts[0]
        if first == longest or first.startswith(longest + "\n"):
            fitted.parts[0] = opening + first[len(longest) :]
            return fitted
    return fit_body(render_with(opening))  # the opening itself was cut: fit it on its own


def _quote_too_long(campaign: Campaign, quote: QuoteView, platform: Platform) -> InputError:
    brief = campaign.brief
    if brief.quote is not None and brief.quote.text == quote.text:
        where: Location | None = campaign.brief_marks.at(("quote", "text"))
    else:
        index = next((i for i, q in enumerate(brief.quotes) if q.text == quote.text), 0)
        where = campaign.brief_marks.at(("quotes", index, "text"))
    return InputError(
        f"the quote is too long for {platform.name}: quotes are never cut",
        location=where,
        hint=f"shorten it, or leave the quote angle off {platform.name}",
    )


def render_variant(
    campaign: Campaign,
    platform_id: str,
    angle: str,
    *,
    now: datetime,
    seed: int,
    voice: bool = True,
    rotation: int = 0,
    hook: int | None = None,
    utm_content: str | None = None,
) -> Variant:
    """One platform's copy for one angle; ``voice``: checked (and safely fixed) by the guide.

    ``rotation``: posts of this angle earlier in the week (0-based, all platforms):
    it picks the material the post leads with, and a new form once that wraps.
    ``hook``: for a hook A/B test, which opening line goes first (two hooks, two
    texts that differ only in that line). ``utm_content`` tags the post's links.
    """
    platform = campaign.platforms[platform_id]
    brief = campaign.brief
    env = environment(campaign.template_roots, brief.locale)
    now = aware(now, audience_tz(campaign))
    chosen = pick(campaign, angle, rotation, platform)
    every = pick(campaign, angle, rotation)
    if chosen.item is None and isinstance(every.item, QuoteView):
        raise _quote_too_long(campaign, every.item, platform)
    focus = focus_text(chosen.item)
    name = f"{platform_id}/{angle}.j2"
    rules = platform.rules()

    def counter(text: str) -> int:
        return post_length(text, rules)

    contexts: list[dict[str, Any]] = []

    def render_with(opening: str | None) -> Rendered:
        # A fresh context each time: pick() keeps state between calls within a render.
        post = Post(platform_id, angle, chosen, opening, utm_content)
        contexts.append(context_for(campaign, post, now=now, seed=seed))
        return render(env, name, contexts[-1])

    quote = (chosen.item.text,) if isinstance(chosen.item, QuoteView) else ()

    def short_cta() -> str:
        # The template's own short call to action (m.cta_short), in the post's context.
        try:
            return render(env, "_shared/cta_short.j2", contexts[-1]).body.strip()
        except TemplateError:  # a workspace's own macros, from before m.cta_short
            return ""

    def fit_body(rendered: Rendered) -> _Fitted:
        link = contexts[-1]["link"]
        return _fit_body(rendered, name, platform, brief.thread, counter, link, quote, short_cta)

    notes: list[str] = []
    opening: str | None = None
    if hook is not None:
        pool = [line for line in hook_lines(campaign) if line != focus]
        if pool:
            opening = pool[hook % len(pool)]
        else:
            notes.append("no opening line for a hook test: add hooks to the brief")
    rendered = render_with(opening)
    if opening is not None:
        fitted = _with_opening(render_with, fit_body, opening, pool, counter)
    else:
        fitted = fit_body(rendered)
    parts, trimmed = fitted.parts, fitted.trimmed
    notes += fitted.notes
    if not _mentions(parts, focus):
        focus = None  # the copy left its item out: the card does not show it either
    if not any(p.strip() for p in parts):
        raise TemplateError(
            f"{name} rendered no text", hint="the template must produce some copy for this brief"
        )
    if isinstance(chosen.item, QuoteView) and chosen.item.text not in "\n".join(parts):
        raise _quote_too_long(campaign, chosen.item, platform)
    title = title_length = title_limit = None
    if platform.title is not None:
        if rendered.title is None:
            raise TemplateError(
                f"{name} must set a title ({{% set title %}}…{{% endset %}})",
                hint=f"{platform.name} posts need a title",
            )
        title_rules = platform.rules(platform.title.counting)
        fitted_title = fit(
            rendered.title.replace("\n", " "),
            lambda t: count(t, title_rules),
            platform.title.limit,
        )
        title, title_limit = fitted_title.text, platform.title.limit
        trimmed = trimmed or fitted_title.trimmed
    findings: tuple[Finding, ...] = ()
    if voice:
        parts, title, findings = _voice(campaign, platform_id, parts, title, counter)
    if title is not None and platform.title is not None:
        title_length = platform.length(title, title=True)
    ctx = contexts[0]
    return Variant(
        id=f"{platform_id}-{angle}" + (f"-{rotation + 1}" if rotation else ""),
        platform=platform_id,
        angle=angle,
        pillar=campaign.angles[angle].pillar,
        locale=brief.locale,
        text="\n\n".join(parts),
        parts=tuple(parts),
        length=max(counter(p) for p in parts),
        limit=platform.limit,
        fold=platform.fold,
        counting=platform.counting,
        hashtags=tuple(ctx["hashtags"]),
        link=ctx["link"],
        trimmed=trimmed,
        title=title,
        title_length=title_length,
        title_limit=title_limit,
        notes=tuple(notes),
        findings=findings,
        focus=focus,
        rotation=rotation,
        # as posted: the voice guide's safe fixes (typography…) apply to the hook too
        opening=parts[0].partition("\n")[0] if opening is not None else None,
    )


def _voice(
    campaign: Campaign,
    platform_id: str,
    parts: list[str],
    title: str | None,
    counter: Callable[[str], int],
) -> tuple[list[str], str | None, tuple[Finding, ...]]:
    """The brand's voice guide on fitted copy: safe fixes that still fit, findings for the rest."""
    brief = campaign.brief
    guide = load_guide(campaign.brand.folder)
    if not guide.rules:
        return parts, title, ()
    try:
        persona = guide.persona(brief.persona)
    except InputError as exc:
        raise InputError(
            exc.message, location=campaign.brief_marks.at(("persona",)), hint=exc.hint
        ) from None
    platform = campaign.platforms[platform_id]
    checked = check_copy(
        parts,
        guide,
        platform=platform_id,
        locale=brief.locale,
        persona=persona,
        sponsored=brief.sponsored,
        fits=lambda part: counter(part) <= platform.limit,
    )
    findings = list(checked.findings)
    if title is not None and platform.title is not None:
        title_rules = platform.rules(platform.title.counting)
        title_limit = platform.title.limit
        titled = check_title(
            title,
            guide,
            platform=platform_id,
            locale=brief.locale,
            persona=persona,
            fits=lambda t: count(t, title_rules) <= title_limit,
        )
        title = titled.parts[0]
        findings.extend(f.at("title") for f in titled.findings)
    return list(checked.parts), title, tuple(findings)


def generate(
    campaign: Campaign,
    *,
    now: datetime,
    platforms: list[str] | None = None,
    variants: int | None = None,
    seed: int = 0,
) -> list[Variant]:
    """Copy variants for each platform (the brief's, or ``platforms``).

    Material is shared out the way a week uses it: the second platform's key
    point post leads with the second key point, and so on.
    """
    wanted = platforms if platforms is not None else list(campaign.platforms)
    n = variants if variants is not None else campaign.brief.variants
    used: Counter[str] = Counter()
    out: list[Variant] = []
    for platform_id in wanted:
        for angle in choose_angles(campaign, platform_id, n, seed, now):
            out.append(
                render_variant(
                    campaign, platform_id, angle, now=now, seed=seed, rotation=used[angle]
                )
            )
            used[angle] += 1
    return out
