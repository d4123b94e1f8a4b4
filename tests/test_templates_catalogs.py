"""Copy templates, their gettext catalogs and the demo briefs, checked without the engine.

Nothing here renders through ``toolkit`` (it only reads the brief models and the
angles' material table): the templates are parsed (and smoke-rendered) with a
small local Jinja setup that follows ``docs/templates.md``, the catalogs
are read with Babel, the briefs with PyYAML.
"""

from __future__ import annotations

import copy
import gettext
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_datetime, format_time, format_timedelta
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations
from jinja2 import BytecodeCache, FileSystemLoader, StrictUndefined, nodes
from jinja2.bccache import Bucket
from jinja2.ext import GETTEXT_FUNCTIONS, Extension, extract_from_ast
from jinja2.parser import Parser
from jinja2.sandbox import SandboxedEnvironment

from toolkit.campaign.brief import RELATIVE_START, Brief, Event, Quote, Utm
from toolkit.campaign.dates import next_monday
from toolkit.campaign.facts import RELEASED_KINDS

from .conftest import yaml_data

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
BRIEFS = ROOT / "brand" / "demo" / "briefs"

PLATFORMS = (
    "x",
    "linkedin",
    "instagram",
    "facebook",
    "threads",
    "bluesky",
    "mastodon",
    "tiktok",
    "youtube",
    "pinterest",
)
ANGLE_SETTINGS: dict[str, dict[str, Any]] = yaml_data(
    (Path(__file__).resolve().parents[1] / "templates" / "angles.yaml").read_text()
)
ANGLES = tuple(ANGLE_SETTINGS)
TITLED = ("youtube", "pinterest")  # these templates must {% set title %}
PLURAL_FORMS = {"fr": 2, "es": 2, "tr": 2, "ja": 1}
LANGS = tuple(PLURAL_FORMS)
BRIEF_LOCALES = {"en": "en-US", "fr": "fr-FR", "es": "es-ES", "tr": "tr-TR", "ja": "ja-JP"}

NNBSP = "\u202f"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
URL = re.compile(r"https?://\S+")
JAPANESE = "\u3040-\u30ff\u3400-\u9fff"
HALF_WIDTH_KATAKANA = re.compile("[\uff61-\uff9f]")
ASCII_PUNCT_NEXT_TO_JAPANESE = re.compile(f"[{JAPANESE}][,.!?:;]|[,.!?:;][{JAPANESE}]")

# Sentinels the local fitting tags put around their bodies (private-use characters).
OPT_OPEN, OPT_CLOSE, CUT_OPEN, CUT_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
SENTINELS = re.compile("[\ue000-\ue003]")


class FittingTags(Extension):
    """Local stand-in for ``{% optional [N] %}…{% endoptional %}`` and ``{% shorten %}``.

    It checks the tags' syntax and wraps each body in sentinels, so a test can
    see what a template left droppable or cuttable.
    """

    tags = frozenset({"optional", "shorten"})

    def parse(self, parser: Parser) -> nodes.Node:
        token = next(parser.stream)
        args: list[nodes.Expr] = []
        if token.value == "optional":
            order: nodes.Expr = nodes.Const(1)
            if parser.stream.current.type != "block_end":
                order = parser.parse_expression()
            if isinstance(order, nodes.Const) and not (
                isinstance(order.value, int) and 0 <= order.value <= 99
            ):
                parser.fail("optional takes a drop order from 0 to 99", token.lineno)
            args.append(order)
        body = parser.parse_statements((f"name:end{token.value}",), drop_needle=True)
        method = "_optional" if token.value == "optional" else "_shorten"
        call = self.call_method(method, args)
        return nodes.CallBlock(call, [], [], body).set_lineno(token.lineno)

    @staticmethod
    def _optional(order: object, caller: Callable[[], str]) -> str:
        assert isinstance(order, int) and 0 <= order <= 99, order
        return f"{OPT_OPEN}{caller()}{OPT_CLOSE}"

    @staticmethod
    def _shorten(caller: Callable[[], str]) -> str:
        return f"{CUT_OPEN}{caller()}{CUT_CLOSE}"


def parse_env() -> SandboxedEnvironment:
    return SandboxedEnvironment(extensions=["jinja2.ext.i18n", FittingTags])


def template_files() -> list[Path]:
    files = [TEMPLATES / p / f"{a}.j2" for p in PLATFORMS for a in ANGLES]
    files += sorted((TEMPLATES / "_shared").glob("*.j2"))
    return [f for f in files if f.is_file()]


def rel(path: Path) -> str:
    return path.relative_to(TEMPLATES).as_posix()


@dataclass(frozen=True)
class Used:
    msgid: str
    plural: str | None
    where: str


@cache
def used_messages() -> dict[str, Used]:
    """Every literal ``_()`` / ``gettext()`` / ``ngettext()`` message in the templates."""
    env = parse_env()
    found: dict[str, Used] = {}
    for path in template_files():
        ast = env.parse(path.read_text(encoding="utf-8"), name=rel(path))
        for lineno, func, message in extract_from_ast(ast, GETTEXT_FUNCTIONS):
            strings = message if isinstance(message, tuple) else (message,)
            where = f"{rel(path)}:{lineno}"
            assert isinstance(strings[0], str), f"{where}: {func}() needs a literal string"
            plural = None
            if func in ("ngettext", "npgettext"):
                assert isinstance(strings[1], str), f"{where}: ngettext() needs a literal plural"
                plural = strings[1]
            seen = found.get(strings[0])
            assert seen is None or seen.plural == plural, (
                f"{where}: '{strings[0]}' is used both with and without a plural ({seen})"
            )
            found.setdefault(strings[0], Used(strings[0], plural, where))
    return found


def po_path(lang: str) -> Path:
    return TEMPLATES / "locale" / lang / "LC_MESSAGES" / "messages.po"


@cache
def catalog(lang: str) -> Catalog:
    with po_path(lang).open("rb") as fh:
        return read_po(fh, abort_invalid=True)


def entries(lang: str) -> Iterator[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(msgid forms, msgstr forms) for every message of a catalog but the header."""
    for message in catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        yield tuple(ids), tuple(s or "" for s in strs)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def outside_urls(text: str) -> str:
    return URL.sub(" ", text)


# -- templates ---------------------------------------------------------------


def test_angles_are_the_documented_ones() -> None:
    documented = yaml_data((TEMPLATES / "angles.yaml").read_text(encoding="utf-8"))
    assert set(ANGLES) <= set(documented)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_platform_has_every_angle(platform: str) -> None:
    missing = [a for a in ANGLES if not (TEMPLATES / platform / f"{a}.j2").is_file()]
    assert not missing, f"templates/{platform}/ lacks {missing}"


@pytest.mark.parametrize("path", template_files(), ids=rel)
def test_template_parses_in_the_sandbox(path: Path) -> None:
    parse_env().parse(path.read_text(encoding="utf-8"), name=rel(path))


def test_templates_use_translated_phrases() -> None:
    assert len(used_messages()) >= 20


# -- catalogs ----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_is_utf8_with_headers(lang: str) -> None:
    po_path(lang).read_bytes().decode("utf-8")
    cat = catalog(lang)
    headers = dict(cat.mime_headers)
    assert headers.get("Language") == lang
    assert "charset=utf-8" in headers.get("Content-Type", "").lower()
    forms = headers.get("Plural-Forms", "")
    assert f"nplurals={PLURAL_FORMS[lang]};" in forms.replace(" ", ""), forms
    assert cat.num_plurals == PLURAL_FORMS[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_every_template_message_is_translated(lang: str) -> None:
    translated = {ids[0]: (ids, strs) for ids, strs in entries(lang)}
    fuzzy = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(lang) if m.fuzzy and m.id}
    problems = []
    for msgid, use in sorted(used_messages().items()):
        if msgid not in translated:
            problems.append(f"missing: {msgid!r} ({use.where})")
            continue
        ids, strs = translated[msgid]
        plural = ids[1] if len(ids) > 1 else None
        if plural != use.plural:
            problems.append(
                f"plural mismatch: {msgid!r}: catalog {plural!r}, template {use.plural!r}"
            )
        wanted = PLURAL_FORMS[lang] if use.plural else 1
        if len(strs) != wanted or not all(s.strip() for s in strs):
            problems.append(f"untranslated: {msgid!r} has {strs!r}, needs {wanted} form(s)")
        if msgid in fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_has_no_stale_messages(lang: str) -> None:
    stale = [ids[0] for ids, _ in entries(lang) if ids[0] not in used_messages()]
    assert not stale, f"no template uses {stale}"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_survive_translation(lang: str) -> None:
    problems = []
    for ids, strs in entries(lang):
        allowed = set().union(*(placeholders(i) for i in ids))
        # A singular form may spell the number out, so only %(num)s may go.
        required = placeholders(ids[-1]) - {"num"}
        for text in strs:
            names = placeholders(text)
            if not required <= names <= allowed:
                problems.append(f"{ids[0]!r} → {text!r}: {sorted(names)} vs {sorted(allowed)}")
                continue
            try:  # newstyle gettext always %-formats, so a stray % would crash
                text % {name: "x" for name in allowed | {"num"}}
            except (ValueError, TypeError, KeyError) as exc:
                problems.append(f"{text!r}: {exc}")
    assert not problems, "\n".join(problems)


def typography_problems(lang: str, text: str) -> list[str]:
    """Locale rules from the voice guide that fixed words and briefs must follow."""
    text = outside_urls(text)
    found = []
    if lang == "fr":
        for m in re.finditer(r"(?<![\u202f\d])[;:!?»]|«(?!\u202f)", text):
            near = text[max(0, m.start() - 20) : m.end() + 5]
            found.append(f"needs a narrow no-break space: {near!r}")
        if "'" in text:
            found.append(f"straight apostrophe: {text!r}")
    if lang == "es":
        for line in text.splitlines():
            if line.count("?") > line.count("¿") or line.count("!") > line.count("¡"):
                found.append(f"missing ¿ or ¡: {line!r}")
    if lang == "ja":
        if HALF_WIDTH_KATAKANA.search(text):
            found.append(f"half-width katakana: {text!r}")
        for m in ASCII_PUNCT_NEXT_TO_JAPANESE.finditer(text):
            near = text[max(0, m.start() - 10) : m.end() + 5]
            found.append(f"half-width punctuation: {near!r}")
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_translations_follow_the_language_typography(lang: str) -> None:
    problems = [p for _, strs in entries(lang) for s in strs for p in typography_problems(lang, s)]
    assert not problems, "\n".join(problems)


# -- briefs ------------------------------------------------------------------

# The keys the brief model accepts (the models reject anything else).
BRIEF_KEYS = set(Brief.model_fields)
NESTED_KEYS = {
    "quote": set(Quote.model_fields),
    "utm": set(Utm.model_fields),
    "event": set(Event.model_fields),
}
EVENT_KINDS = {"webinar", "podcast", "live", "launch", "meetup", "conference"}


@cache
def _brief_data(lang: str) -> dict[str, Any]:
    data = yaml_data((BRIEFS / f"{lang}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def load_brief(lang: str) -> dict[str, Any]:
    """A fresh copy of a demo brief (tests may edit it)."""
    return copy.deepcopy(_brief_data(lang))


def brief_prose(brief: dict[str, Any]) -> list[str]:
    texts = [brief.get(k) for k in ("campaign", "goal", "audience", "message", "cta")]
    for key in ("key_points", "hooks", "stats", "questions"):
        texts += brief.get(key, [])
    for quote in [brief.get("quote") or {}, *brief.get("quotes", [])]:
        texts += [quote.get("text"), quote.get("title")]
    for faq in brief.get("faqs", []):
        texts += [faq.get("question"), faq.get("answer")]
    event = brief.get("event") or {}
    texts.append(event.get("title"))
    texts += [s.get("title") for s in event.get("speakers", [])]
    return [t for t in texts if isinstance(t, str)]


def as_datetime(value: object) -> datetime:
    """An event start as written: a date and time, or relative to the planned week
    (``+3d 16:00``), which the demo briefs use; the week here is the one of NOW."""
    if isinstance(value, datetime):
        return value
    relative = RELATIVE_START.fullmatch(str(value).strip())
    if relative is None:
        return datetime.fromisoformat(str(value))
    days, hour, minute = relative.groups()
    week = next_monday(NOW.date() - timedelta(days=1))  # NOW is a Monday: its own week
    day = week + timedelta(days=int(days))
    return datetime(day.year, day.month, day.day, int(hour or 10), int(minute or 0))


@pytest.mark.parametrize("lang", list(BRIEF_LOCALES))
def test_brief_has_the_documented_shape(lang: str) -> None:
    brief = load_brief(lang)
    assert set(brief) <= BRIEF_KEYS, set(brief) - BRIEF_KEYS
    for key, allowed in NESTED_KEYS.items():
        assert set(brief.get(key) or {}) <= allowed, (key, set(brief[key]) - allowed)
    assert brief["locale"] == BRIEF_LOCALES[lang]
    assert brief["brand"] == "demo"
    assert isinstance(brief["campaign"], str) and isinstance(brief["message"], str)
    assert 3 <= len(brief["key_points"]) <= 4
    assert all(isinstance(p, str) and p.strip() for p in brief["key_points"])
    assert re.match(r"https?://[^\s/]+\.[^\s]+$", brief["link"])
    assert all(isinstance(h, str) and h.strip() for h in brief["hashtags"])
    assert set(brief["platforms"]) == set(PLATFORMS)
    assert isinstance(brief["variants"], int) and isinstance(brief["thread"], bool)
    event = brief["event"]
    assert event["kind"] in EVENT_KINDS
    as_datetime(event["starts"])
    for speaker in event["speakers"]:
        assert set(speaker) <= {"name", "title", "photo"} and speaker["name"]
    assert {"text", "author"} <= set(brief["quote"])


def test_briefs_describe_the_same_campaign() -> None:
    briefs = {lang: load_brief(lang) for lang in BRIEF_LOCALES}
    shapes = {
        (
            b["event"]["kind"],
            b["event"]["duration_minutes"],
            len(b["event"]["speakers"]),
            len(b["key_points"]),
            b["cta"] is not None,
            # A week of ~30 posts needs something new in each: every brief has the material.
            tuple(len(b[k]) for k in ("hooks", "stats", "quotes", "questions", "faqs")),
        )
        for b in briefs.values()
    }
    assert len(shapes) == 1, shapes


@pytest.mark.parametrize("lang", list(BRIEF_LOCALES))
def test_brief_follows_the_language_typography(lang: str) -> None:
    problems = [
        p for text in brief_prose(load_brief(lang)) for p in typography_problems(lang, text)
    ]
    assert not problems, "\n".join(problems)


def test_english_brief_has_a_zwj_emoji_sequence() -> None:
    assert any("\u200d" in point for point in load_brief("en")["key_points"])


def test_turkish_hashtags_need_turkish_casing() -> None:
    tags = [t.lstrip("#") for t in load_brief("tr")["hashtags"]]
    assert any(t[:1] == "i" for t in tags), "a tag starting with dotted i (→ #İ…)"


# -- smoke render ------------------------------------------------------------
# A minimal environment that follows docs/templates.md, to make sure every
# template copes with every brief (none values, no event, no quote, …).

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)


@cache
def translations(lang: str) -> gettext.NullTranslations:
    if lang not in PLURAL_FORMS:
        return gettext.NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, catalog(lang))
    buffer.seek(0)
    return Translations(buffer)


def camel_hashtag(phrase: str, lang: str) -> str:
    def cap(word: str) -> str:
        first = "İ" if lang == "tr" and word[:1] == "i" else word[:1].upper()
        return first + word[1:]

    return "#" + "".join(cap(w) for w in re.findall(r"\w+", phrase.lstrip("#")))


class SharedCode(BytecodeCache):
    """Jinja's bytecode cache, in memory: the languages' environments differ in their
    filters' locale and their translations, never in how a template compiles, so each
    template file is compiled once, not once per language (compiling was ~60 % of
    rendering every brief). Jinja checks each entry against the file's source."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


SHARED_CODE = SharedCode()


@cache
def render_env(lang: str, locale: str) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(TEMPLATES)),
        bytecode_cache=SHARED_CODE,
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n", FittingTags],
    )
    loc = locale.replace("-", "_")
    env.filters.update(
        date=lambda v, fmt="medium": format_date(v, fmt, locale=loc),
        time=lambda v, fmt="short": format_time(v, fmt, tzinfo=PARIS, locale=loc),
        datetime=lambda v, fmt="medium": format_datetime(v, fmt, tzinfo=PARIS, locale=loc),
        weekday=lambda v: format_date(v, "EEEE", locale=loc),
        relative=lambda v: format_timedelta(v - NOW, add_direction=True, locale=loc),
        number=lambda v: format_decimal(v, locale=loc),
        percent=lambda v: format_percent(v, locale=loc),
        hashtag=lambda v: camel_hashtag(v, lang),
        sentence=lambda v: v if v[-1:] in ".!?…。！？" else v + ("。" if lang == "ja" else "."),
        emojize=lambda v: v,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


@cache
def platform_facts(platform: str) -> dict[str, Any]:
    path = TEMPLATES / platform / "platform.yaml"
    facts = yaml_data(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return facts or {}


@cache
def brand_handles() -> dict[str, str]:
    brand = yaml_data((ROOT / "brand" / "demo" / "brand.yaml").read_text(encoding="utf-8"))
    return dict((brand or {}).get("handles") or {})


def brief_variant(lang: str, variant: str) -> dict[str, Any]:
    brief = load_brief(lang)
    if variant == "sparse":
        for key in ("cta", "link", "audience", "quote", "event", "goal", "utm"):
            brief.pop(key, None)
        for key in ("key_points", "hashtags", "hooks", "stats", "quotes", "questions", "faqs"):
            brief[key] = []
    elif variant == "bare-event":
        brief["event"] = {"kind": "podcast", "starts": brief["event"]["starts"]}
        brief["quote"] = {k: brief["quote"][k] for k in ("text", "author")}
        brief["thread"] = True
    return brief


def _view(value: Any) -> Any:
    if isinstance(value, dict):
        return SimpleNamespace(**{"title": None, **value})
    return value


def first_item(brief: dict[str, Any], angle: str) -> tuple[Any, str | None]:
    quotes = ([brief["quote"]] if brief.get("quote") else []) + brief.get("quotes", [])
    lists = {**brief, "quotes": quotes}
    # What each angle leads with (docs/templates.md: `item`); a post takes the first here.
    for field in ANGLE_SETTINGS[angle].get("material", []):
        if lists.get(field):
            return _view(lists[field][0]), field
    return None, None


def context(
    brief: dict[str, Any], platform: str, angle: str, pick_last: bool, after: bool = False
) -> dict[str, Any]:
    facts = platform_facts(platform)
    lang = brief["locale"].split("-")[0]
    event = None
    if brief.get("event"):
        raw = brief["event"]
        starts = as_datetime(raw["starts"])
        if starts.tzinfo is None:
            starts = starts.replace(tzinfo=PARIS)
        starts = starts.astimezone(PARIS)
        minutes = raw.get("duration_minutes")
        kind = raw.get("kind", "webinar")
        event = SimpleNamespace(
            kind=kind,
            released=kind in RELEASED_KINDS,
            title=raw.get("title"),
            starts=starts,
            ends=starts + timedelta(minutes=minutes) if minutes else None,
            duration_minutes=minutes,
            speakers=[
                SimpleNamespace(name=s["name"], title=s.get("title"))
                for s in raw.get("speakers", [])
            ],
        )
    cap = (facts.get("hashtags") or {}).get("max", 5)
    handles = brand_handles()
    points = brief.get("key_points", [])
    link = brief.get("link")
    item, kind = first_item(brief, angle)
    quotes = [_view(q) for q in ([brief["quote"]] if brief.get("quote") else [])]
    quotes += [_view(q) for q in brief.get("quotes", [])]
    replay = f"{link}?replay&utm_source={platform}" if link and event else None
    now = event.starts + timedelta(days=1) if (angle == "replay" or after) and event else NOW
    promote = event is None or now < event.starts
    return {
        "campaign": brief["campaign"],
        "message": brief["message"],
        "key_points": points,
        "agenda": points,
        "key_point": item if kind in ("key_points", "stats") else (points[0] if points else None),
        "hooks": brief.get("hooks", []),
        "stats": brief.get("stats", []),
        "quotes": quotes,
        "questions": brief.get("questions", []),
        "faqs": [_view(f) for f in brief.get("faqs", [])],
        "cta": brief.get("cta"),
        "goal": brief.get("goal"),
        "audience": brief.get("audience"),
        "link": (f"{link}&utm_source={platform}" if link else None) if promote else replay,
        "links_clickable": facts.get("links", "clickable") == "clickable",
        "link_placement": {"clickable": "inline"}.get(facts.get("links", "clickable"), "bio"),
        "replay_link": replay,
        "hashtags": [camel_hashtag(h, lang) for h in brief.get("hashtags", [])][:cap],
        "event": event,
        "promote": promote,
        "quote": item if kind == "quotes" else (quotes[0] if quotes else None),
        "item": item,
        "item_kind": kind,
        "item_index": 0,
        "item_count": 1 if item is not None else 0,
        # Later passes over the material frame it differently: exercise them too.
        "form": 0 if not pick_last else (2 if brief.get("thread") else 1),
        "opening": brief["hooks"][0] if pick_last and brief.get("hooks") else None,
        "brand": SimpleNamespace(name="Northwind Social", handle=handles.get(platform)),
        "platform": SimpleNamespace(
            id=platform,
            name=facts.get("name", platform),
            limit=facts.get("limit", 500),
            fold=facts.get("fold"),
            hashtag_max=cap,
        ),
        "locale": brief["locale"],
        "lang": lang,
        "now": now,
        "thread": brief.get("thread", False),
        "angle": angle,
        "pick": (lambda options: options[-1]) if pick_last else (lambda options: options[0]),
    }


def outside_blocks(text: str) -> str:
    """The text a fitter can neither drop nor cut."""
    kept, depth = [], 0
    for ch in text:
        if ch in (OPT_OPEN, CUT_OPEN):
            depth += 1
        elif ch in (OPT_CLOSE, CUT_CLOSE):
            depth -= 1
        elif depth == 0:
            kept.append(ch)
    return "".join(kept)


ANGLE_EVENTS = {
    name: (settings or {}).get("event", "any")
    for name, settings in yaml_data((TEMPLATES / "angles.yaml").read_text()).items()
}


def render_problems(lang: str, platform: str, angle: str, variant: str) -> list[str]:
    brief = brief_variant(lang, variant)
    after = variant == "after"
    if after and ANGLE_EVENTS.get(angle) == "upcoming":
        return []  # not posted once the event has started
    ctx = context(brief, platform, angle, pick_last=variant != "full", after=after)
    if angle == "replay" and ctx["event"] is None:
        return []  # the replay angle needs an event with a recording
    template = render_env(lang, brief["locale"]).get_template(f"{platform}/{angle}.j2")
    jctx = template.new_context(ctx)
    raw = "".join(template.root_render_func(jctx))
    text = re.sub(r"\n{3,}", "\n\n", SENTINELS.sub("", raw)).strip()
    problems = []
    if not text:
        problems.append("renders nothing")
    for leak in ("None", "{{", "{%", "%(", "Undefined"):
        if leak in text:
            problems.append(f"leaks {leak!r}")
    if raw.count(CUT_OPEN) > 1:
        problems.append("more than one {% shorten %} region")
    fixed = outside_blocks(raw)
    # A quote post may drop its call to action and link rather than cut the quote.
    if (
        ctx["link"]
        and ctx["links_clickable"]
        and ctx["link"] not in (text if angle == "quote" else fixed)
    ):
        problems.append("the link is missing or inside an optional/shorten block")
    if ctx["link"] and not ctx["links_clickable"] and ctx["link"] in text:
        problems.append("a link where links are not clickable")
    if not ctx["promote"]:
        if ctx["cta"] and ctx["cta"] in text:
            problems.append("asks people to register after the event")
        if brief.get("link") and f"{brief['link']}&utm_source" in text:
            problems.append("the registration link after the event")
    elif ctx["cta"] and ctx["cta"] not in (text if angle == "quote" else fixed):
        problems.append("the call to action is missing or droppable")
    if platform in TITLED:
        title = jctx.vars.get("title")
        if not title or not str(title).strip() or "None" in str(title):
            problems.append(f"bad title {title!r}")
    lines = [line.rstrip() for line in text.splitlines()]
    for i, line in enumerate(lines):
        if line.strip() and not re.search(r"\w", line):
            problems.append(f"line with nothing to say: {line!r}")
        if line.endswith((":", "：")) and (i + 1 == len(lines) or not lines[i + 1].strip()):
            problems.append(f"heading with nothing under it: {line!r}")
    problems += typography_problems(lang, "\n".join(re.sub(r"#\S+", "", line) for line in lines))
    return problems


@pytest.mark.parametrize("variant", ["full", "sparse", "bare-event", "after"])
@pytest.mark.parametrize("lang", list(BRIEF_LOCALES))
@pytest.mark.parametrize("platform", PLATFORMS)
def test_templates_render_every_brief(platform: str, lang: str, variant: str) -> None:
    problems = {
        angle: found
        for angle in ANGLES
        if (found := render_problems(lang, platform, angle, variant))
    }
    assert not problems, problems
