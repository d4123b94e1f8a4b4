"""What a card layout's Jinja fields see, and how they are rendered.

The context is built from a brief (``campaign_source``) or from a title alone
(``thumbnail_source``). Text fields render in the copy templates' sandbox
(``toolkit.sandbox.environment.environment``: strict variables, locale-aware filters,
gettext); ``when`` and ``image`` are expressions that keep their value.
Paths a brief or brand names (photos, logo, fonts) must stay inside the
workspace: ``..`` or a symlink that leads out is an error.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import jinja2

from toolkit.campaign.loader import Campaign, LoadedBrand, load_brand
from toolkit.copy.variants import QuoteView, audience_tz, event_view
from toolkit.errors import InputError, Location, TemplateError
from toolkit.files.workspace import Workspace
from toolkit.sandbox.environment import CopyEnvironment, environment
from toolkit.text.casing import lang_of
from toolkit.text.hashtags import hashtag_list

MACROS = '{% import "_shared/macros.j2" as m with context %}'
_USES_MACROS = re.compile(r"\bm\.")
MAX_FIELD_CHARS = 5_000
MAX_FIELD_SECONDS = 1.0
_FIGURE = re.compile(r"[-+]?\d+(?:[.,]\d+)*(?:[\s\u00a0\u202f]?%)?")


@dataclass(frozen=True)
class PhotoRef:
    """A photo path from the brief, resolved, with where it was written."""

    raw: str
    path: Path
    location: Location

    def __str__(self) -> str:
        return self.raw


@dataclass(frozen=True)
class CardSpeaker:
    name: str
    title: str | None
    photo: PhotoRef | None


@dataclass(frozen=True)
class CardEvent:
    kind: str
    title: str | None
    starts: datetime
    ends: datetime | None
    duration_minutes: int | None
    speakers: tuple[CardSpeaker, ...]


@dataclass(frozen=True)
class Stat:
    """A key point split for a big-number card: ``figure`` ("70 %") and the whole ``label``."""

    figure: str | None
    label: str


@dataclass(frozen=True)
class BrandInfo:
    name: str
    has_logo: bool


@dataclass(frozen=True)
class CardSource:
    """Everything a layout draws from: brand, language, template roots, Jinja context."""

    brand: LoadedBrand
    locale: str
    roots: tuple[Path, ...]
    context: dict[str, Any]
    present: frozenset[str]  # brief fields a layout may require
    origin: str  # for messages: the brief's path, or "thumbnail"


def _aware(value: datetime, tz: ZoneInfo) -> datetime:
    return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)


def stat(text: str | None) -> Stat:
    text = text or ""
    match = _FIGURE.search(text)
    return Stat(match.group().strip() if match else None, text)


def display_link(url: str | None) -> str | None:
    """``https://example.com/webinar?ref=x`` → ``example.com/webinar`` (for a card)."""
    if not url:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = host[4:] if host.startswith("www.") else host
    return host + parts.path.rstrip("/")


def inside(
    base: Path, raw: str, allowed: Path, location: Location, what: str, *, must_exist: bool = True
) -> Path:
    """``raw`` relative to ``base``, refused when it leads out of ``allowed``."""
    if not raw.strip():
        raise InputError(f"the {what} path is empty", location=location)
    path = (base / raw).resolve()
    if not path.is_relative_to(allowed.resolve()):
        raise InputError(
            f"the {what} '{raw}' is outside {allowed}",
            location=location,
            hint="keep logos, photos and fonts inside the workspace, e.g. in brand/<slug>/assets/",
        )
    if must_exist and not path.is_file():
        raise InputError(
            f"the {what} '{raw}' does not exist",
            location=location,
            hint=f"looked for {path}",
        )
    return path


def _photo_root(campaign: Campaign) -> Path:
    ws = campaign.workspace
    brief = campaign.brief_path.resolve() if campaign.brief_path else None
    if ws.root is not None:
        return ws.root
    if brief is not None and brief.is_relative_to(ws.builtin.resolve()):
        return ws.builtin
    return brief.parent if brief is not None else ws.builtin


def _speakers(campaign: Campaign) -> tuple[CardSpeaker, ...]:
    event = campaign.brief.event
    if event is None:
        return ()
    base = campaign.brief_path.parent if campaign.brief_path else Path.cwd()
    allowed = _photo_root(campaign)
    speakers = []
    for index, who in enumerate(event.speakers):
        photo = None
        if who.photo:
            where = campaign.brief_marks.at(("event", "speakers", index, "photo"))
            path = inside(base, who.photo, allowed, where, "photo")
            photo = PhotoRef(who.photo, path, where)
        speakers.append(CardSpeaker(who.name, who.title, photo))
    return tuple(speakers)


@dataclass(frozen=True)
class PhotoFinder:
    """``photo_of(name)``: the photo of the speaker called ``name`` (the quote's author…)."""

    speakers: tuple[CardSpeaker, ...]

    def __call__(self, name: object) -> PhotoRef | None:
        return next((s.photo for s in self.speakers if s.name == name and s.photo), None)


def _brand_context(brand: LoadedBrand) -> BrandInfo:
    return BrandInfo(brand.config.name, brand.config.logo is not None)


def campaign_source(campaign: Campaign, *, now: datetime) -> CardSource:
    """The context a layout sees for a brief; ``now`` is the clock (audience time zone)."""
    brief = campaign.brief
    tz = audience_tz(campaign)
    view = event_view(campaign)
    speakers = _speakers(campaign)
    event = None
    if view is not None:
        event = CardEvent(
            view.kind, view.title, view.starts, view.ends, view.duration_minutes, speakers
        )
    quote = (
        QuoteView(brief.quote.text, brief.quote.author, brief.quote.title) if brief.quote else None
    )
    tags = hashtag_list([*brief.hashtags, *campaign.brand.config.hashtags], brief.locale, None)
    title = (event.title if event and event.title else None) or brief.message
    context: dict[str, Any] = {
        "campaign": brief.campaign,
        "message": brief.message,
        "key_points": list(brief.key_points),
        "key_point": brief.key_points[0] if brief.key_points else None,
        "cta": brief.cta,
        "goal": brief.goal,
        "audience": brief.audience,
        "link": display_link(brief.link),
        "hashtags": tags,
        "event": event,
        "speakers": speakers,
        "quote": quote,
        "brand": _brand_context(campaign.brand),
        "locale": brief.locale,
        "lang": lang_of(brief.locale),
        "now": _aware(now, tz),
        "title": title,
        "subtitle": None,
        "stat": stat,
        "photo_of": PhotoFinder(speakers),
    }
    present = {name for name in ("message", "key_points", "quote", "cta", "event") if context[name]}
    if speakers:
        present.add("speakers")
    present.add("title")
    return CardSource(
        campaign.brand,
        brief.locale,
        campaign.template_roots,
        context,
        frozenset(present),
        str(campaign.brief_path or "brief"),
    )


def thumbnail_source(
    workspace: Workspace,
    brand_slug: str,
    *,
    title: str,
    subtitle: str | None,
    locale: str | None,
    now: datetime,
) -> CardSource:
    """The context for a one-off thumbnail: a title, an optional subtitle, a brand."""
    from toolkit.files.models import normalize_locale

    brand = load_brand(workspace, brand_slug)
    try:
        code = normalize_locale(locale) if locale else brand.config.locale
    except ValueError as exc:  # pydantic's custom error is a ValueError
        raise InputError(f"--locale: {exc}", hint="e.g. en-US, fr-FR, ja-JP") from None
    if not title.strip():
        raise InputError("--title is empty", hint="give the thumbnail's text, e.g. --title 'Hi'")
    context: dict[str, Any] = {
        "campaign": title,
        "message": title,
        "key_points": [],
        "key_point": None,
        "cta": None,
        "goal": None,
        "audience": None,
        "link": None,
        "hashtags": [],
        "event": None,
        "speakers": (),
        "quote": None,
        "brand": _brand_context(brand),
        "locale": code,
        "lang": lang_of(code),
        "now": now,
        "title": title,
        "subtitle": subtitle or None,
        "stat": stat,
        "photo_of": PhotoFinder(()),
    }
    roots = tuple(workspace.template_roots(brand_slug))
    return CardSource(brand, code, roots, context, frozenset({"title", "message"}), "thumbnail")


# ----------------------------------------------------------------- rendering fields


@lru_cache(maxsize=1024)
def _template(env: CopyEnvironment, source: str) -> jinja2.Template:
    # Fields may use the copy templates' macros as ``m`` (m.kind(), m.when_tz()…).
    return env.from_string(MACROS + source if _USES_MACROS.search(source) else source)


@lru_cache(maxsize=1024)
def _expression(env: CopyEnvironment, source: str) -> Any:
    return env.compile_expression(source)


def _fail(exc: Exception, location: Location) -> TemplateError:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(
            f"syntax error in a card field: {exc.message}",
            location=location,
            hint="check the {{ }} and {% %} pairs and the quotes",
        )
    if isinstance(exc, jinja2.UndefinedError):
        return TemplateError(
            f"undefined variable in a card field: {exc.message}",
            location=location,
            hint="see docs/cards.md for the variables a layout can use",
        )
    message = exc.message if isinstance(exc, jinja2.TemplateError) else str(exc)
    return TemplateError(f"card field failed: {type(exc).__name__}: {message}", location=location)


_ERRORS = (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, KeyError, IndexError)


def render_text(source: CardSource, text: str, location: Location) -> str:
    """Render a text field (a Jinja template), bounded in size and time."""
    env = environment(source.roots, source.locale)
    try:
        template = _template(env, text)
        ctx = template.new_context(source.context)
        started = time.monotonic()
        chunks: list[str] = []
        size = 0
        for chunk in template.root_render_func(ctx):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_FIELD_CHARS or time.monotonic() - started > MAX_FIELD_SECONDS:
                raise TemplateError(
                    f"a card field produced more than {MAX_FIELD_CHARS:,} characters or ran "
                    f"longer than {MAX_FIELD_SECONDS} s",
                    location=location,
                )
    except TemplateError:
        raise
    except _ERRORS as exc:
        raise _fail(exc, location) from None
    return "".join(chunks).strip()


def evaluate(source: CardSource, expression: str, location: Location) -> Any:
    """Evaluate a Jinja expression (``when``, ``image``) and keep its value."""
    env = environment(source.roots, source.locale)
    try:
        return _expression(env, expression)(**source.context)
    except _ERRORS as exc:
        raise _fail(exc, location) from None
