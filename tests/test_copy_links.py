"""Every post keeps its link: each demo brief (five languages, and the example brief
`toolkit init` writes), before the event and after it, on every platform, every angle,
every item of the material and the later forms, with a link as long as a week's
(utm_content names the post).

Where links are clickable the link is in the copy (the voice guide's require.link finds
nothing) and the copy fits its limit; where they are not (link in bio, the pin's own
field) no URL is pasted into the copy, and the call to action points to where it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import toolkit
from toolkit.campaign.facts import angle_fits, event_view, pick
from toolkit.campaign.loader import Campaign
from toolkit.copy.variants import Variant, render_variant
from toolkit.files.workspace import find_file
from toolkit.sandbox.catalogs import translations

from .conftest import DEMO_BRIEFS, FIXED_NOW, REPO, copy_demo_brief

BRIEFS = ["en", "fr", "es", "tr", "ja", "init-example"]
MOMENTS = ["before", "after"]


def _brief(name: str, tmp_path: Path, acme_workspace: Callable[[Path], Path]) -> Path:
    if name != "init-example":
        return DEMO_BRIEFS / f"{name}.yaml"
    return acme_workspace(tmp_path / "ws") / "briefs" / "example.yaml"


def _now(campaign: Campaign, moment: str) -> datetime:
    event = event_view(campaign)
    assert event is not None and event.ends is not None
    if moment == "before":
        return event.starts - timedelta(days=3)
    return event.ends + timedelta(days=1)


def _variants(campaign: Campaign, moment: str) -> list[Variant]:
    now = _now(campaign, moment)
    other = _now(campaign, MOMENTS[1 - MOMENTS.index(moment)])
    out = []
    for p, (platform_id, platform) in enumerate(campaign.platforms.items()):
        for name, angle in campaign.angles.items():
            if not angle_fits(campaign, angle, now, platform_id):
                continue
            if find_file(list(campaign.template_roots), f"{platform_id}/{name}.j2") is None:
                continue
            # Every item once, then the first item in its second and third form (a
            # heading, an icon: longer copy on the passes a busy week reaches). Where
            # the angle fits both before and after the event, the items' first forms
            # alternate between platforms and between the moments: each item still
            # meets each platform once, and each moment sees every item (the other
            # half of the product is the same fitting path on copy of the same lengths).
            n = max(1, pick(campaign, name, 0, platform).count)
            first = range(n)
            if angle_fits(campaign, angle, other, platform_id):
                first = range((p + MOMENTS.index(moment)) % 2, n, 2)
            for rotation in sorted({*first, n, 2 * n}):
                # As long as a week's link: the post's id and an A/B arm in utm_content.
                content = f"{campaign.week_start.isoformat()}-{platform_id}-{rotation + 1}-b"
                variant = render_variant(
                    campaign, platform_id, name, now=now, seed=0,
                    rotation=rotation, utm_content=content,
                )  # fmt: skip
                out.append(variant)
    return out


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("brief", BRIEFS)
def test_every_post_keeps_its_link_and_fits(
    brief: str, moment: str, tmp_path: Path, acme_workspace: Callable[[Path], Path]
) -> None:
    campaign = toolkit.load_brief(_brief(brief, tmp_path, acme_workspace), now=FIXED_NOW)
    variants = _variants(campaign, moment)
    # "…: link in bio" in the brief's language, without the call to action it follows.
    in_bio = translations(campaign.brief.locale, campaign.template_roots).gettext(
        "%(cta)s: link in bio"
    )
    in_bio = _spaced(in_bio.replace("%(cta)s", "").strip(" :"))
    assert in_bio
    assert {v.platform for v in variants} == set(campaign.platforms)
    for v in variants:
        platform = campaign.platforms[v.platform]
        where = f"{brief} {moment} {v.id} ({v.angle}, rotation {v.rotation}):\n{v.text}"
        for part in v.parts:
            assert 0 < platform.length(part) <= v.limit, where
        assert v.link is not None, where  # every demo post has somewhere to send people
        rules = {f.rule for f in v.findings if f.level == "error"}
        assert "require.link" not in rules, where
        if platform.links == "clickable":
            assert v.link in v.text, where
            if v.angle == "question":
                # A question's heading (long with the audience in it) and its "Reply and
                # tell us" go before its link loses the words that say what it is for.
                line = next(line for line in v.text.splitlines() if v.link in line)
                assert line.strip() != v.link, where
        else:
            assert "https://" not in v.text, where
        if platform.links == "bio":
            assert in_bio in _spaced(v.text), where


def _spaced(text: str) -> str:
    # The voice guide's typography (French narrow no-break spaces) is not at issue here.
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_a_workspace_macros_file_without_the_short_call_to_action_still_keeps_links(
    tmp_path: Path, acme_workspace: Callable[[Path], Path]
) -> None:
    """A workspace that copied _shared/macros.j2 before m.cta_short existed: the link's
    line goes straight to the bare link instead of failing."""
    acme_workspace(tmp_path)
    brief = copy_demo_brief(tmp_path / "briefs", "fr")
    brief.write_text(brief.read_text(encoding="utf-8").replace("brand: demo", "brand: acme"))
    macros = (REPO / "templates" / "_shared" / "macros.j2").read_text(encoding="utf-8")
    start = macros.index("{#- The call to action in a word or two")
    end = macros.index("{#- The action without a link")
    (tmp_path / "templates" / "_shared").mkdir(parents=True, exist_ok=True)
    (tmp_path / "templates" / "_shared" / "macros.j2").write_text(macros[:start] + macros[end:])
    campaign = toolkit.load_brief(brief, now=FIXED_NOW)
    now = _now(campaign, "before")
    for rotation in range(3):
        v = render_variant(
            campaign, "bluesky", "quote", now=now, seed=0, rotation=rotation,
            utm_content=f"{campaign.week_start.isoformat()}-bluesky-{rotation + 1}-b",
        )  # fmt: skip
        assert v.link is not None and v.link in v.text, v.text
        assert campaign.platforms["bluesky"].length(v.text) <= v.limit
