"""What a card layout's Jinja fields see, and how they are rendered.

The context is built from a brief (``campaign_source``) or from a title alone
(``thumbnail_source``). Text fields render in the copy templates' sandbox
(``toolkit.sandbox.environment.environment``: strict variables, locale-aware filters,
gettext); ``when`` and ``image`` are expressions that keep their value.
Paths a brief or brand names (photos, logo, fonts) must stay inside the
workspace: ``..`` or a symlink that leads out is an error.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections import ChainMap, OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import jinja2
from jinja2 import meta, nodes
from PIL import Image

from toolkit.campaign.facts import (
    BrandView,
    PhotoRef,
    QuoteView,
    SpeakerView,
    audience_tz,
    event_state,
    event_view,
    recording_link,
)
from toolkit.campaign.loader import Campaign, LoadedBrand, load_brand
from toolkit.cards import field_cache
from toolkit.errors import InputError, Location, TemplateError
from toolkit.files.paths import inside as contained
from toolkit.files.workspace import Workspace
from toolkit.sandbox.environment import CopyEnvironment, environment
from toolkit.text.casing import lang_of
from toolkit.text.hashtags import hashtag_list

MACROS = "_shared/macros.j2"  # a field that says ``m.`` sees it as ``m``, with context
_USES_MACROS = re.compile(r"\bm\.")
# A ``when`` that only names a variable of the card (``photo``, ``not speakers``): its
# value is the card's own, as Jinja would look it up (the card's context comes before
# the environment's globals), without a render. Jinja's literals are no variables.
_NAMED = re.compile(r"\s*(not\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*")
_LITERALS = frozenset(("true", "false", "none", "True", "False", "None", "not", "and", "or"))
# A text field that only prints a variable of the card: ``{{ title }}``.
_PRINTED = re.compile(r"(\s*)\{\{ *([A-Za-z_][A-Za-z0-9_]*) *\}\}(\s*)")
MAX_FIELD_CHARS = 5_000
MAX_FIELD_SECONDS = 1.0
_FIGURE = re.compile(r"[-+]?\d+(?:[.,]\d+)*(?:[\s\u00a0\u202f]?[%％])?")
# Japanese and Chinese count with a counter after the number (5つ, 3倍, 10社); the
# counter belongs to the figure, and a linking の after it goes with it, so that
# 投稿と売上をつなぐ5つの指標 leaves 投稿と売上をつなぐ指標 as the label.
# One word and the end of the text (a full stop at most): the noun a figure counts.
_LAST_WORD = re.compile(r"\s+\w[\w'’-]*[.!]?\s*")
_COUNTER = re.compile(r"(?:[つ個件倍人社分秒日週年回本枚名%％]|時間|か月|ヶ月)の?")


@dataclass(frozen=True)
class StillPhoto:
    """A picture already in memory (a frame of a video), named by ``key`` for caches."""

    key: str
    image: Image.Image = field(compare=False, hash=False)
    focus: tuple[float, float] | None = None

    def __str__(self) -> str:
        return self.key


Backdrop = PhotoRef | StillPhoto


@dataclass(frozen=True)
class Stat:
    """A key point split for a big-number card: ``figure`` ("70 %") and the rest, ``label``.

    The label is the sentence without the figure, so the card shows the number once.
    """

    figure: str | None
    label: str


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


def stat(text: str | None, lang: str | None = None) -> Stat:
    """``text`` split around its first figure, when the figure can leave the sentence
    and the sentence still reads: when it leads ("5 metrics that…"), or where the
    counted noun closes the phrase, in Turkish ("…satışa bağlayan 5 metrik") and in
    Japanese with a linking の ("…つなぐ5つの指標"). A figure inside a sentence
    ("from 6 hours to 45 minutes") stays in it: taken out, the label would read
    "from hours to 45 minutes", so the card shows the sentence whole and no figure."""
    text = (text or "").strip()
    match = _FIGURE.search(text)
    if match is None:
        return Stat(None, text)
    end = match.end()
    counter = _COUNTER.match(text, end)
    figure = match.group().strip()
    if counter is not None:
        figure += counter.group().removesuffix("の")
        end = counter.end()
    before, after = text[: match.start()], text[end:]
    leads = not before.strip()
    closes = lang == "tr" and _LAST_WORD.fullmatch(after) is not None
    modifies = lang == "ja" and counter is not None and counter.group().endswith("の")
    if not (leads or closes or modifies):
        return Stat(None, text)
    # Spaced scripts keep one space where the figure was; Japanese joins directly.
    joint = " " if before[-1:].isspace() or after[:1].isspace() else ""
    label = (before.rstrip() + joint + after.lstrip()).strip()
    if label[:1] in {",", ".", ":", ";", "、", "。"}:
        label = label[1:].lstrip()
    return Stat(figure, label or text)


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
    path = contained(
        allowed, raw, what=what, location=location, base=base,
        hint="keep logos, photos and fonts inside the workspace, e.g. in brand/<slug>/assets/",
    )  # fmt: skip
    if must_exist and not path.is_file():
        raise InputError(
            f"the {what} '{raw}' does not exist",
            location=location,
            hint=f"looked for {path}",
        )
    return path


def _photo_root(campaign: Campaign) -> Path:
    # The bundled demo's photos sit in the package, whatever folder the user is in.
    ws = campaign.workspace
    brief = campaign.brief_path.resolve() if campaign.brief_path else None
    if brief is not None and brief.is_relative_to(ws.builtin.resolve()):
        return ws.builtin
    if ws.root is not None:
        return ws.root
    return brief.parent if brief is not None else ws.builtin


def _speakers(campaign: Campaign) -> tuple[SpeakerView, ...]:
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
        speakers.append(SpeakerView(who.name, who.title, photo))
    return tuple(speakers)


@dataclass(frozen=True)
class PhotoFinder:
    """``photo_of(name)``: the photo of the speaker called ``name`` (the quote's author…)."""

    speakers: tuple[SpeakerView, ...]

    def __call__(self, name: object) -> PhotoRef | None:
        return next((s.photo for s in self.speakers if s.name == name and s.photo), None)


def _brief_photo(campaign: Campaign, angle: str | None) -> PhotoRef | None:
    """The brief's photo for ``angle`` (``photos``), else its ``photo``."""
    brief = campaign.brief
    key: tuple[str | int, ...]
    if angle is not None and angle in brief.photos:
        spec, key = brief.photos[angle], ("photos", angle)
    elif brief.photo is not None:
        spec, key = brief.photo, ("photo",)
    else:
        return None
    base = campaign.brief_path.parent if campaign.brief_path else Path.cwd()
    where = campaign.brief_marks.at(key)
    path = inside(base, spec.file, _photo_root(campaign), where, "photo")
    return PhotoRef(spec.file, path, where, spec.focus)


def _brand_context(brand: LoadedBrand) -> BrandView:
    return BrandView(brand.config.name, has_logo=brand.config.logo is not None)


def campaign_source(
    campaign: Campaign,
    *,
    now: datetime,
    angle: str | None = None,
    photo: Backdrop | None = None,
) -> CardSource:
    """The context a layout sees for a brief.

    ``now`` is the clock (read in the audience's time zone), or the post's
    planned time: once the event is over (or for the ``replay`` angle) the
    context says so (``event_state`` "past", ``event_over``) and layouts drop
    the date and the registration call; ``replay_link`` then points to the
    recording, when the brief names one. ``photo`` (else the
    brief's photo for the angle) is the background of layouts that draw one.
    """
    brief = campaign.brief
    tz = audience_tz(campaign)
    view = event_view(campaign)
    speakers = _speakers(campaign)
    # The one event view of the campaign, with the speakers' photos resolved for a card.
    event = dataclasses.replace(view, speakers=speakers) if view is not None else None
    state = event_state(view, _aware(now, tz), angle) if view is not None else None
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
        "event_state": state,
        # A released event (a launch) is no past appointment: its cards keep their call.
        "event_over": state == "past" and event is not None and not event.released,
        # The recording's address as a card shows it (no scheme, no query), once the
        # event is over: layouts show "Watch the replay" with it, and nothing without it.
        "replay_link": (
            display_link(recording_link(view, _aware(now, tz), angle)) if view is not None else None
        ),
        "photo": photo or _brief_photo(campaign, angle),
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
    photo: Backdrop | None = None,
) -> CardSource:
    """The context for a one-off thumbnail: a title, an optional subtitle, a brand, and
    optionally a background ``photo`` (a file, or a frame of a video)."""
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
        "event_state": None,
        "event_over": False,
        "replay_link": None,
        "photo": photo,
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
    return env.string_template(source)


# The last card's environment, and what its fields share, with the card (held, so that
# its identity stays its own): a card's fields and alt text are rendered one after the
# other, and each look-up of the environment checks the catalogs for edits.
_LAST_ENV: tuple[CardSource, CopyEnvironment] | None = None
_LAST_SHARED: tuple[CardSource, CopyEnvironment, dict[str, Any], list[dict[str, Any]]] | None = None


def _shared(source: CardSource, env: CopyEnvironment, macros: bool) -> dict[str, Any]:
    """What every field of the card sees: the environment's globals overlaid by the
    card's context (the dict Jinja would copy for each field and each ``when``), and
    with ``macros``, ``m``: the copy templates' macros (m.kind(), m.when_tz()…) as
    ``{% import "_shared/macros.j2" as m with context %}`` at the top of a field would
    make them. Built once per card (the macros cost some 0.3 ms), not once per field."""
    global _LAST_SHARED
    last = _LAST_SHARED
    if last is None or last[0] is not source or last[1] is not env:
        last = _LAST_SHARED = (source, env, {**env.globals, **source.context}, [])
    plain, with_macros = last[2], last[3]
    if not macros:
        return plain
    if not with_macros:
        with_macros.append({**plain, "m": _macros(source, env)})
    return with_macros[0]


# Macro modules made, by the macros template and the values of the names it reads (held,
# so that their identities stay theirs), most recently used last. Cards of one batch
# differ in their title, which the macros never read: the module made for the first
# card serves the next (making one costs some 0.3 ms a card).
_MODULES: OrderedDict[tuple[object, ...], tuple[tuple[object, ...], Any]] = OrderedDict()
MODULE_LIMIT = 8
_ABSENT = object()


def _macros(source: CardSource, env: CopyEnvironment) -> Any:
    """The copy templates' macros as ``m``, made with the card's context: the module
    made for an earlier card when every name the macros read has the same value in both
    contexts (``field_cache.key``); the other names cannot change what they do."""
    template = env.get_template(MACROS)
    names = _free_names(env, template)
    if names is None:
        return template.make_module(dict(source.context))
    values = [source.context.get(name, _ABSENT) for name in names]
    found = field_cache.key(env, (template,), values)  # kept as a card's fields are
    module = field_cache.recall(_MODULES, found, _ABSENT)
    if module is _ABSENT:
        module = template.make_module(dict(source.context))
        field_cache.remember(_MODULES, found, module, MODULE_LIMIT)
    return module


@lru_cache(maxsize=8)
def _free_names(env: CopyEnvironment, template: jinja2.Template) -> tuple[str, ...] | None:
    """The names ``template`` looks up in its context, or None when they cannot be told
    from its own source (it includes, imports or extends another template)."""
    if template.filename is None or template.name is None:
        return None
    source = env.loader.get_source(env, template.name)[0] if env.loader else None
    if source is None:
        return None
    from toolkit.cards import names_cache  # parsing and walking it: ~100 ms, kept

    key = names_cache.key_of(env, source)
    kept = names_cache.load(key)
    if kept is not None:
        return kept
    tree = env.parse(source)
    if any(tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends))):
        return None
    names = tuple(sorted(meta.find_undeclared_variables(tree)))
    names_cache.keep(key, names)
    return names


def _own_globals(env: CopyEnvironment, template: jinja2.Template) -> bool:
    """Whether ``template`` has globals beyond its environment's (then it gets its own
    context, as Jinja makes it, rather than the card's shared one)."""
    found = template.globals
    return not (
        isinstance(found, ChainMap)
        and len(found.maps) == 2
        and not found.maps[0]
        and found.maps[1] is env.globals
    )


@lru_cache(maxsize=1024)
def _expression(env: CopyEnvironment, source: str) -> Any:
    return env.expression(source)


def _as_field(expression: str) -> str:
    """An expression as the field that prints it: how ``evaluate`` keeps its value."""
    return "{{ (" + expression + ") }}"


Parts = tuple[tuple[jinja2.Template, tuple[str, ...] | None, bool], ...]


def _field(env: CopyEnvironment, text: str) -> tuple[bool, Parts]:
    """A text field compiled: whether it has globals of its own, and its parts, each with
    the names it is kept by (None: never kept) and whether it only prints one name."""
    template = _template(env, text)
    own = _own_globals(env, template)
    split = None if own else field_cache.field_parts(env, text)
    return own, split or ((template, None if own else field_cache.field_names(env, text), False),)


def _shared_expression(
    env: CopyEnvironment, expression: str
) -> tuple[Any, Any, tuple[str, ...] | None]:
    """An expression compiled; its template when it renders on a card's shared context
    (None: it has globals of its own); and the names its value is kept by (None: never
    kept, ``field_cache``)."""
    compiled = _expression(env, expression)
    template = getattr(compiled, "_template", None)
    if template is None or _own_globals(env, template):
        return compiled, None, None
    return compiled, template, field_cache.field_names(env, _as_field(expression))


def prepare_field(env: CopyEnvironment, text: str) -> bool:
    """Compile a text field and work out how its output is kept (``field_cache``), as its
    first card would: a batch does it once, before its workers fork, rather than in each
    worker; whether it uses the copy's macros."""
    _field(env, text)
    return _USES_MACROS.search(text) is not None


def prepare_expression(env: CopyEnvironment, expression: str) -> None:
    """``prepare_field`` for a ``when`` or ``image`` expression."""
    _shared_expression(env, expression)


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


def card_environment(source: CardSource) -> CopyEnvironment:
    """The sandbox for ``source``: a card looks it up once and passes it to every field
    (each look-up checks the catalogs for edits); its alt text, rendered next, too."""
    global _LAST_ENV
    last = _LAST_ENV
    if last is not None and last[0] is source:
        return last[1]
    env = environment(source.roots, source.locale)
    _LAST_ENV = (source, env)
    return env


def render_text(
    source: CardSource, text: str, location: Location, env: CopyEnvironment | None = None
) -> str:
    """Render a text field (a Jinja template), bounded in size and time."""
    env = card_environment(source) if env is None else env
    named = _PRINTED.fullmatch(text)
    if named is not None and env.variable_start_string == "{{":
        # ``{{ title }}``: Jinja would print the card's own string as it is (``printable``
        # passes a str through; the card's context comes before the globals).
        value = source.context.get(named[2], None)
        printed = len(named[1]) + len(named[3]) + len(value) if type(value) is str else None
        if printed is not None and printed <= MAX_FIELD_CHARS and named[2] not in _LITERALS:
            return str(value).strip()
    try:
        own, parts = _field(env, text)
        macros = bool(_USES_MACROS.search(text))
        out: list[str] = []
        size, spent = 0, 0.0  # what the parts rendered so far printed, and their CPU time
        for index, (part, names, prints) in enumerate(parts):
            if prints and names is not None:
                # A part that only prints a card variable: its string, as for a field
                # that does (``_PRINTED`` above), when it is one.
                value = source.context.get(names[0], None)
                if type(value) is str:
                    out.append(value)
                    size += len(value)
                    if size > MAX_FIELD_CHARS:
                        raise _too_long(location)
                    continue
            key = None if names is None else _part_key(source, env, text, index, names, macros)
            hit = None if key is None else field_cache.recall(field_cache.FIELDS, key)
            if hit is not None:
                out.append(hit)
                size += len(hit)
                if size > MAX_FIELD_CHARS:
                    raise _too_long(location)
                continue
            if own:
                values = source.context
                if macros:
                    values = {**values, "m": _shared(source, env, True)["m"]}
                ctx = part.new_context(values)
            else:
                ctx = part.new_context(_shared(source, env, macros), shared=True)
            chunks: list[str] = []
            # CPU time (load does not count), of the rendering alone: making the macros'
            # module or a key is not the field's.
            started = time.thread_time()
            for chunk in part.root_render_func(ctx):
                chunks.append(chunk)
                size += len(chunk)
                if (
                    size > MAX_FIELD_CHARS
                    or spent + time.thread_time() - started > MAX_FIELD_SECONDS
                ):
                    raise _too_long(location)
            spent += time.thread_time() - started
            rendered = "".join(chunks)
            out.append(rendered)
            if key is not None:
                field_cache.remember(field_cache.FIELDS, key, rendered)
    except TemplateError:
        raise
    except _ERRORS as exc:
        raise _fail(exc, location) from None
    return "".join(out).strip()


def _too_long(location: Location) -> TemplateError:
    return TemplateError(
        f"a card field produced more than {MAX_FIELD_CHARS:,} characters or ran "
        f"longer than {MAX_FIELD_SECONDS} s",
        location=location,
    )


def _part_key(
    source: CardSource,
    env: CopyEnvironment,
    text: str,
    index: int,
    names: tuple[str, ...],
    macros: bool,
) -> tuple[tuple[object, ...], tuple[object, ...]]:
    """The key part ``index`` of field ``text`` is kept by (``field_cache.key``), from the
    values its names have on this card: ``m`` is the macro module (``_macros``, the same
    object while the names the macros read are), any other name the card's context or
    else the environment's globals."""
    context = source.context
    values: list[object] = []
    for name in names:
        if name == "m" and macros:
            values.append(_macros(source, env))  # the object ``_shared`` gives the card
        elif name in context:
            values.append(context[name])
        else:
            values.append(env.globals.get(name, _ABSENT))
    return field_cache.key(env, (text, index), values)


def evaluate(
    source: CardSource, expression: str, location: Location, env: CopyEnvironment | None = None
) -> Any:
    """Evaluate a Jinja expression (``when``, ``image``) and keep its value."""
    named = _NAMED.fullmatch(expression)
    if named is not None and named[2] not in _LITERALS and named[2] in source.context:
        value = source.context[named[2]]
        if not isinstance(value, jinja2.Undefined):
            return not value if named[1] else value
    env = card_environment(source) if env is None else env
    try:
        # What TemplateExpression.__call__ does, on the card's shared context (it would
        # copy the context twice for each expression).
        compiled, template, names = _shared_expression(env, expression)
        if template is None:
            return compiled(**source.context)
        # Kept as a field's text is (``field_cache``): ``when: not brand.has_logo`` and
        # the like come out the same from card to card.
        field = _as_field(expression)
        key = None if names is None else _part_key(source, env, field, 0, names, False)
        if key is not None:
            kept = field_cache.recall(field_cache.VALUES, key, _ABSENT)
            if kept is not _ABSENT:
                return kept
        ctx = template.new_context(_shared(source, env, False), shared=True)
        for _ in template.root_render_func(ctx):
            pass
        value = ctx.vars["result"]
        if getattr(compiled, "_undefined_to_none", True) and isinstance(value, jinja2.Undefined):
            value = None
    except _ERRORS as exc:
        raise _fail(exc, location) from None
    if key is not None:
        field_cache.remember(field_cache.VALUES, key, value)
    return value
