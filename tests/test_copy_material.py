"""A week of posts a manager schedules as-is: each post leads with its own
material, nothing repeats, nothing promotes an event that is over, hook tests
change the opening line only, and quotes are never cut.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date

import toolkit
from toolkit.campaign.brief import Brief
from toolkit.campaign.facts import (
    angle_fits,
    event_state,
    event_view,
    focus_text,
    material,
)
from toolkit.campaign.links import with_utm
from toolkit.campaign.loader import Campaign
from toolkit.copy.variants import Variant, render_variant
from toolkit.errors import InputError
from toolkit.sandbox.catalogs import translations

from .conftest import DEMO_BRIEFS, FIXED_NOW, yaml_data

DATA = Path(__file__).parent / "data" / "copy"
LOCALES: dict[str, dict[str, str]] = yaml_data((DATA / "locales.yaml").read_text("utf-8"))
QUOTES: list[dict[str, Any]] = yaml_data((DATA / "quotes.yaml").read_text("utf-8"))
LANGS = list(LOCALES)
SHORT = ("x", "bluesky", "threads", "tiktok")


@cache
def demo(lang: str, thread: bool = False) -> Campaign:
    campaign = toolkit.load_brief(DEMO_BRIEFS / f"{lang}.yaml", now=FIXED_NOW)
    return changed(campaign, thread=thread) if thread else campaign


def changed(campaign: Campaign, **fields: Any) -> Campaign:
    data = campaign.brief.model_dump()
    data.update(fields)
    return dataclasses.replace(campaign, brief=Brief.model_validate(data))


def after_event(campaign: Campaign) -> datetime:
    event = event_view(campaign)
    assert event is not None and event.ends is not None
    return event.ends + timedelta(hours=20)


def fitting_angles(campaign: Campaign, platform: str, now: datetime) -> list[str]:
    return [n for n, a in campaign.angles.items() if angle_fits(campaign, a, now, platform)]


# The posts this module rendered, by campaign and arguments (the campaign is kept, so its
# id is never another's): the sweep of every post renders most of those the other tests
# read, and the same arguments give the same frozen variant.
_POSTS: dict[tuple[Any, ...], tuple[Campaign, Variant]] = {}


def post(campaign: Campaign, platform: str, angle: str, now: datetime, **kw: Any) -> Variant:
    key = (id(campaign), platform, angle, now, *sorted({"rotation": 0, **kw}.items()))
    kept = _POSTS.get(key)
    if kept is None or kept[0] is not campaign:
        variant = render_variant(campaign, platform, angle, now=now, seed=0, voice=False, **kw)
        kept = _POSTS[key] = (campaign, variant)
    return kept[1]


# ------------------------------------------------------------------ material in turn


@pytest.mark.parametrize("lang", LANGS)
def test_each_post_of_an_angle_leads_with_the_next_item(lang: str) -> None:
    campaign = demo(lang)
    for angle in ("key_point", "quote", "question", "faq", "announcement", "checklist"):
        items = material(campaign, angle)
        assert len(items) == max(1, len(material(campaign, angle))) >= 3, angle
        platform = "linkedin"
        texts = []
        for rotation, item in enumerate(items):
            variant = post(campaign, platform, angle, FIXED_NOW, rotation=rotation)
            assert variant.focus == focus_text(item) and variant.rotation == rotation
            assert variant.focus is not None and variant.focus in variant.text, (angle, rotation)
            texts.append(variant.text)
        # Once the material wraps, the first item comes back in a new form.
        again = post(campaign, platform, angle, FIXED_NOW, rotation=len(items))
        assert again.focus == focus_text(items[0]) and again.text not in texts, angle


@pytest.mark.parametrize("lang", LANGS)
def test_key_point_posts_use_every_key_point_and_stat_before_repeating(lang: str) -> None:
    campaign = demo(lang)
    brief = campaign.brief
    leads = [post(campaign, "x", "key_point", FIXED_NOW, rotation=r).focus for r in range(6)]
    assert leads == [*brief.key_points, *brief.stats]
    # The message is not the backbone: no key point post on X repeats it.
    assert not any(
        brief.message in post(campaign, "x", "key_point", FIXED_NOW, rotation=r).text
        for r in range(6)
    )


def _rotations(campaign: Campaign, angle: str) -> list[int]:
    """Every item once, then the first items on the second and third pass."""
    n = max(1, len(material(campaign, angle)))
    return sorted({*range(n), n, n + 1, 2 * n})


MOMENTS = ("before", "after")


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("lang", LANGS)
def test_different_posts_of_one_platform_never_read_the_same(lang: str, moment: str) -> None:
    # The short platforms, where cutting could make two posts meet, in every language at
    # both moments; each other platform, and every platform's threads (split, not cut),
    # at one moment per language, the moments alternating between languages and
    # platforms (every pair is still met).
    turn = LANGS.index(lang) + MOMENTS.index(moment)
    for thread in (False, True):
        campaign = demo(lang, thread)
        now = FIXED_NOW if moment == "before" else after_event(campaign)
        for p, (platform, manifest) in enumerate(campaign.platforms.items()):
            if thread and manifest.thread is None:
                continue  # the same copy as without thread
            if (thread or platform not in SHORT) and (p + turn) % 2:
                continue  # this platform's turn at this moment is in another language
            seen: dict[str, tuple[str, int]] = {}
            for angle in fitting_angles(campaign, platform, now):
                for rotation in _rotations(campaign, angle):
                    text = post(campaign, platform, angle, now, rotation=rotation).text
                    assert text not in seen, (platform, thread, angle, rotation, seen.get(text))
                    seen[text] = (angle, rotation)


# ------------------------------------------------------------------ before and after the event


def test_the_event_state_follows_the_clock() -> None:
    campaign = demo("en")
    event = event_view(campaign)
    assert event is not None and event.ends is not None
    assert event_state(event, event.starts - timedelta(minutes=1)) == "upcoming"
    assert event_state(event, event.starts + timedelta(minutes=5)) == "live"
    assert event_state(event, event.ends) == "past"
    assert event_view(campaign, event.ends).state == "past"  # type: ignore[union-attr]


def _dates(campaign: Campaign) -> list[str]:
    """The event's date as copy writes it, in every format the templates use."""
    event = event_view(campaign)
    assert event is not None
    locale = campaign.brief.locale.replace("-", "_")
    short = translations(campaign.brief.locale, campaign.template_roots).gettext("EEE, MMM d")
    return [format_date(event.starts, f, locale=locale) for f in ("long", "medium", short)]


@pytest.mark.parametrize("lang", LANGS)
def test_after_the_event_posts_point_to_the_replay_and_never_ask_to_register(lang: str) -> None:
    campaign = demo(lang)
    brief = campaign.brief
    assert brief.cta and brief.link and brief.event and brief.event.replay
    now = after_event(campaign)
    for platform, manifest in campaign.platforms.items():
        angles = fitting_angles(campaign, platform, now)
        assert {"key_point", "checklist", "question", "quote", "replay"} <= set(angles)
        assert not {"announcement", "countdown", "faq"} & set(angles)
        replay = with_utm(brief.event.replay, platform, brief.utm)
        for angle in angles:
            variant = post(campaign, platform, angle, now)
            assert brief.cta not in variant.text, (platform, angle)
            assert with_utm(brief.link, platform, brief.utm) not in variant.text
            assert not any(d in variant.text for d in _dates(campaign)), (platform, angle)
            assert variant.link == replay
            if manifest.links == "clickable" and angle != "quote":
                assert replay in variant.text, (platform, angle)


@pytest.mark.parametrize("lang", LANGS)
def test_after_an_event_without_replay_posts_carry_no_link(lang: str) -> None:
    base = demo(lang)
    assert base.brief.event is not None
    campaign = changed(base, event={**base.brief.event.model_dump(), "replay": None})
    now = after_event(campaign)
    for platform in campaign.platforms:
        angles = fitting_angles(campaign, platform, now)
        assert "replay" not in angles and "key_point" in angles
        for angle in angles:
            variant = post(campaign, platform, angle, now)
            assert variant.link is None and "http" not in variant.text, (platform, angle)


@pytest.mark.parametrize("lang", LANGS)
def test_replay_posts_exist_everywhere_with_the_replay_link(lang: str) -> None:
    campaign = demo(lang)
    assert campaign.brief.event and campaign.brief.event.replay
    for platform in ("youtube", "pinterest", "x", "instagram"):
        variant = post(campaign, platform, "replay", after_event(campaign), utm_content="replay")
        assert variant.link == with_utm(
            campaign.brief.event.replay, platform, campaign.brief.utm, "replay"
        )
        assert "utm_content=replay" in variant.link


# ------------------------------------------------------------------ what short posts say


@pytest.mark.parametrize("lang", LANGS)
def test_short_platforms_give_the_time_with_its_time_zone(lang: str) -> None:
    campaign = demo(lang)
    for platform in SHORT:
        for angle in ("announcement", "countdown"):
            text = post(campaign, platform, angle, FIXED_NOW).text
            assert LOCALES[lang]["zone"] in text, (platform, angle, text)


# ------------------------------------------------------------------ hook tests


@pytest.mark.parametrize("lang", LANGS)
def test_hook_arms_differ_in_their_first_line_only(lang: str) -> None:
    campaign = demo(lang)
    # Every platform and angle once: on every other platform the first item in its
    # first form, on the rest in its second form (the hook swaps the opening line
    # whatever the item below it, so both forms on every platform repeat one path).
    for p, platform in enumerate(campaign.platforms):
        for angle in fitting_angles(campaign, platform, FIXED_NOW):
            for rotation in (0, max(1, len(material(campaign, angle))))[p % 2 :: 2]:
                a = render_variant(
                    campaign, platform, angle, now=FIXED_NOW, seed=0, rotation=rotation, hook=0
                )
                b = render_variant(
                    campaign, platform, angle, now=FIXED_NOW, seed=0, rotation=rotation, hook=1
                )
                first_a, _, rest_a = a.text.partition("\n")
                first_b, _, rest_b = b.text.partition("\n")
                assert first_a == a.opening and first_b == b.opening
                assert first_a != first_b and rest_a == rest_b, (platform, angle, rotation)
                assert a.title == b.title and a.link == b.link


def test_a_hook_test_without_opening_lines_says_so() -> None:
    bare = changed(demo("en"), hooks=[], questions=[], stats=[])
    variant = post(bare, "x", "key_point", FIXED_NOW, hook=1)
    assert variant.opening is None
    assert any("hook" in note for note in variant.notes)


def test_utm_content_tags_the_link_of_the_post() -> None:
    campaign = demo("en")
    variant = post(campaign, "linkedin", "key_point", FIXED_NOW, utm_content="monday-a")
    assert variant.link is not None and "utm_content=monday-a" in variant.link
    assert variant.link in variant.text


# ------------------------------------------------------------------ quotes


@pytest.mark.parametrize("case", QUOTES, ids=[c["name"] for c in QUOTES])
def test_a_quote_is_never_cut(case: dict[str, Any]) -> None:
    campaign = changed(demo("en"), quote=case["quote"], quotes=[])
    angle = campaign.angles["quote"]
    for platform in campaign.platforms:
        fits = angle_fits(campaign, angle, FIXED_NOW, platform)
        assert fits == (platform in case["fits"]), platform
        if fits:
            variant = render_variant(campaign, platform, "quote", now=FIXED_NOW, seed=0)
            assert " ".join(case["quote"]["text"].split()) in variant.text, platform
        else:
            with pytest.raises(InputError, match="quotes are never cut"):
                render_variant(campaign, platform, "quote", now=FIXED_NOW, seed=0)


def test_generate_leaves_the_quote_angle_off_where_the_quote_does_not_fit() -> None:
    long = next(c for c in QUOTES if len(c["fits"]) < 10)
    campaign = changed(demo("en"), quote=long["quote"], quotes=[])
    variants = toolkit.generate(campaign, now=FIXED_NOW, variants=10)
    assert {v.platform for v in variants if v.angle == "quote"} == set(long["fits"])
