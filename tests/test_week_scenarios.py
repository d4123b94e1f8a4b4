"""Weeks planned on other dates, in every language: what a manager would notice first.

Scenarios are data (tests/data/week_scenarios.yaml): before the event, around it,
after it, months after it, a campaign that ends with its event, a week already
begun or over. Each week is built in memory and written once, like `toolkit week`.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from toolkit.campaign.facts import audience_tz, event_view
from toolkit.campaign.loader import Campaign, load_campaign
from toolkit.sandbox.catalogs import translations
from toolkit.week.build import WeekResult
from toolkit.week.drafts import Draft
from toolkit.week.planner import WEEKDAYS
from toolkit.week.run import build_week

from .conftest import REPO, copy_demo_brief, yaml_data

DATA = Path(__file__).parent / "data" / "week_scenarios.yaml"
PARIS = ZoneInfo("Europe/Paris")
# Each language plans a different week: DST changes, a new year, summer.
STARTS = {
    "en": date(2026, 11, 23),
    "fr": date(2027, 3, 22),  # Europe leaves winter time on Sunday 28 March 2027
    "es": date(2026, 12, 28),
    "tr": date(2027, 6, 7),
    "ja": date(2026, 10, 19),  # and enters it on Sunday 25 October 2026
}
# Where the demo guide's require.link wants a link, read from the guide itself.
_LINKS_WANTED = next(
    set(rule["platforms"])
    for rule in yaml_data((REPO / "brand" / "demo" / "voice.yaml").read_text("utf-8"))["rules"]
    if rule["id"] == "require.link"
)
SCENARIOS: list[dict[str, Any]] = yaml_data(DATA.read_text(encoding="utf-8"))
CASES = [pytest.param(s, lang, id=f"{s['name']}-{lang}") for s in SCENARIOS for lang in s["langs"]]


def _brief(tmp_path: Path, lang: str, scenario: dict[str, Any], start: date) -> Path:
    path = copy_demo_brief(tmp_path, lang)
    text = path.read_text(encoding="utf-8")
    shift = scenario.get("event")
    if shift is not None:
        match = re.fullmatch(r"([+-]\d+)d (\d\d:\d\d)", shift)
        assert match is not None, shift
        days, clock = match.groups()
        day = start + timedelta(days=int(days))
        text = re.sub(r"(?m)^  starts: .*$", f"  starts: {day.isoformat()}T{clock}", text)
    if "kind" in scenario:
        text = re.sub(r"(?m)^  kind: .*$", f"  kind: {scenario['kind']}", text)
    if scenario.get("no_recording"):
        text = re.sub(r"(?m)^  replay: .*\n", "", text)
    extra = scenario.get("extra_event", "")
    text = text.replace("  duration_minutes:", extra + "  duration_minutes:")
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class Built:
    campaign: Campaign
    result: WeekResult
    now: datetime

    @property
    def drafts(self) -> list[Draft]:
        return list(self.result.drafts)

    @property
    def out(self) -> Path:
        return self.result.out_dir


@pytest.fixture(scope="module")
def weeks(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, dict[str, Any]], Built]:
    """Each week built once: the tests only read what build_week wrote, and the week of
    test_no_two_posts is the "before the event" scenario's (no shift, the default now)."""
    built: dict[str, Built] = {}

    def week(lang: str, scenario: dict[str, Any]) -> Built:
        # Everything but what the test expects decides the week.
        plan = {k: v for k, v in scenario.items() if k not in ("name", "langs", "expect")}
        key = json.dumps([lang, plan], sort_keys=True)
        if key not in built:
            built[key] = _build(tmp_path_factory.mktemp("week"), lang, scenario)
        return built[key]

    return week


def _build(tmp_path: Path, lang: str, scenario: dict[str, Any]) -> Built:
    start = STARTS[lang]
    brief = _brief(tmp_path, lang, scenario, start)
    midnight = datetime.combine(start, time(0), tzinfo=PARIS)
    now = midnight + timedelta(hours=scenario.get("now", -36))
    result = build_week(brief, out_dir=tmp_path / "week", now=now, start=start, cards=False)
    return Built(load_campaign(brief, now=now, start=start), result, now)


def _assert_spread(
    campaign: Campaign, platform: str, mine: list[Draft], now: datetime, start: date
) -> None:
    """A platform's freely placed posts (not its countdowns or replay, which sit at fixed
    marks) never double up on a day while another of its window days this week has none."""
    tz = audience_tz(campaign)
    days = [start + timedelta(days=i) for i in range(7)]
    open_days = {
        day
        for day in days
        for window in campaign.platforms[platform].windows
        if WEEKDAYS[day.weekday()] in window.days
        and datetime.combine(day, window.end, tzinfo=tz) > now
    }
    by_day: dict[date, list[Draft]] = defaultdict(list)
    for d in mine:
        by_day[d.meta.scheduled_at.astimezone(tz).date()].append(d)
    empty = sorted(open_days - set(by_day))
    for day, posts in by_day.items():
        if len(posts) > 1 and any(p.meta.angle not in ("countdown", "replay") for p in posts):
            assert not empty, f"{platform}: two posts on {day} while {empty} have none"


def _assert_every_day(campaign: Campaign, drafts: list[Draft], now: datetime, start: date) -> None:
    """A calendar with an empty Monday and eight posts on Tuesday is not a plan: every day
    some platform has a posting window on gets a post."""
    tz = audience_tz(campaign)
    posted = {d.meta.scheduled_at.astimezone(tz).date() for d in drafts}
    for day in (start + timedelta(days=i) for i in range(7)):
        windows = [
            window
            for platform in campaign.platforms.values()
            for window in platform.windows
            if WEEKDAYS[day.weekday()] in window.days
            and datetime.combine(day, window.end, tzinfo=tz) > now
        ]
        assert not windows or day in posted, f"nothing planned on {day:%A %Y-%m-%d}"


def _assert_clean(out: Path, recorded: bool) -> None:
    """Every post passes the brand's own voice guide. What a manager must act on: after
    an event the brief names no recording for, a post has no link to carry where the
    guide wants one (the notes say so); it still asks readers for something."""
    for post in json.loads((out / "plan.json").read_text("utf-8"))["posts"]:
        linkless = not recorded and post.get("link") is None
        rules = [
            f["rule"]
            for f in post.get("findings", [])
            if f["level"] == "error" or (linkless and f["rule"] == "require.cta")
        ]
        expected = ["require.link"] if linkless and post["platform"] in _LINKS_WANTED else []
        assert [r for r in rules if r not in expected] == [], (post["id"], rules, post["text"])


def _assert_released_sign_off(locale: str, before: list[Draft]) -> None:
    """Nobody attends a launch: its countdowns sign off with "Out on Thursday!", never
    with "See you on Thursday!", in the brief's language."""
    words = translations(locale, (REPO / "templates",))

    def said(msgid: str) -> re.Pattern[str]:
        return re.compile(re.escape(words.gettext(msgid)).replace(r"%\(weekday\)s", r"\w+"))

    attended = [said("See you later today!"), said("See you on %(weekday)s!")]
    released = [said("Out later today!"), said("Out on %(weekday)s!")]
    for d in before:
        assert not any(p.search(d.text) for p in attended), d.text
    countdowns = [d for d in before if d.meta.angle == "countdown"]
    assert any(p.search(d.text) for d in countdowns for p in released), [d.text for d in countdowns]


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))


@pytest.mark.parametrize(("scenario", "lang"), CASES)
def test_a_week_a_manager_can_schedule_as_is(
    weeks: Callable[[str, dict[str, Any]], Built], scenario: dict[str, Any], lang: str
) -> None:
    built = weeks(lang, scenario)
    campaign, drafts, now, result = built.campaign, built.drafts, built.now, built.result
    out = built.out
    expect = scenario["expect"]
    brief = campaign.brief
    posts_by_platform: dict[str, list[Draft]] = defaultdict(list)
    for d in drafts:
        posts_by_platform[d.meta.platform].append(d)

    assert len(drafts) >= expect.get("min_posts", 0), result.notes
    assert len(drafts) <= expect.get("max_posts", 10_000), [d.meta.angle for d in drafts]
    if expect.get("all_platforms"):
        assert set(posts_by_platform) == set(campaign.platforms), result.notes
    if "note" in expect:
        assert any(expect["note"] in n for n in result.notes), result.notes

    # Never in the past, in the drafts or in any scheduler file.
    assert all(d.meta.scheduled_at >= now for d in drafts)
    for path in (out / "bulk").glob("hootsuite-*.csv"):
        for when, _text, _url in _rows(path):
            assert datetime.strptime(when, "%m/%d/%Y %H:%M").replace(tzinfo=PARIS) >= now

    # Spacing: 10 minutes between any two posts, 2 hours on one platform.
    times = sorted(d.meta.scheduled_at for d in drafts)
    assert all(b - a >= timedelta(minutes=10) for a, b in itertools.pairwise(times))
    for platform, mine in posts_by_platform.items():
        at = sorted(d.meta.scheduled_at for d in mine)
        assert all(b - a >= timedelta(hours=2) for a, b in itertools.pairwise(at)), platform
        texts = [d.text for d in mine]
        assert len(set(texts)) == len(texts), f"{platform} repeats a post"
        if not brief.event or not brief.event.ends_campaign:
            _assert_spread(campaign, platform, mine, now, STARTS[lang])

    if expect.get("every_day"):
        _assert_every_day(campaign, drafts, now, STARTS[lang])

    angles = [d.meta.angle for d in drafts]
    if expect.get("countdown"):
        assert "countdown" in angles
    if "replay" in expect:
        assert ("replay" in angles) == expect["replay"], angles
    for platform in expect.get("replay_on", []):
        assert any(d.meta.angle == "replay" for d in posts_by_platform[platform]), platform

    event = event_view(campaign)
    assert event is not None and brief.event is not None
    started = event.starts
    after = [d for d in drafts if d.meta.scheduled_at >= started]
    if expect.get("launched"):
        # A launch is released, not attended: after it posts keep the brief's link and
        # call to action (where the platform's copy has room for it).
        assert after, angles
        assert brief.link and brief.cta
        for d in after:
            assert d.meta.link and d.meta.link.startswith(brief.link.split("?")[0]), d.text
        assert sum(brief.cta in d.text for d in after) >= len(after) // 2
        assert not any("registration" in n or "recording" in n for n in result.notes)
        _assert_released_sign_off(brief.locale, [d for d in drafts if d not in after])
        _assert_clean(out, recorded=True)
        return
    # Once the event has started nothing promotes registration: not the copy, the link,
    # the scheduler URL column or the calendar.
    # The registration page, whatever its query; the replay page may sit below it.
    registration = re.compile(re.escape((brief.link or "").split("?")[0]) + r"(?![\w/.-])")
    for d in after:
        assert brief.cta is None or brief.cta not in d.text, (d.meta.angle, d.text)
        assert not registration.search(d.meta.link or ""), (d.meta.angle, d.meta.link)
        assert not registration.search(d.text), (d.meta.angle, d.text)
        if brief.event.replay and d.meta.angle == "replay":
            assert d.meta.link and d.meta.link.startswith(brief.event.replay)
    recorded = brief.event.replay is not None
    if not recorded and after:
        assert any("names no recording" in n for n in result.notes), result.notes
    _assert_clean(out, recorded)
    after_ids = {d.meta.id for d in after}
    posts_csv = _rows(out / "bulk" / "posts.csv")
    header = posts_csv[0]
    for row in posts_csv[1:]:
        record = dict(zip(header, row, strict=True))
        if record["id"] in after_ids:
            assert not registration.search(record["link"]), record


@pytest.mark.parametrize("lang", ["en", "fr", "es", "tr", "ja"])
def test_no_two_posts_of_a_week_share_a_text_and_key_points_cycle(
    weeks: Callable[[str, dict[str, Any]], Built], lang: str
) -> None:
    built = weeks(lang, {"expect": {}})
    campaign, drafts = built.campaign, built.drafts
    by_platform: dict[str, set[str]] = defaultdict(set)
    for d in drafts:
        assert d.text not in by_platform[d.meta.platform], (d.meta.platform, d.text)
        by_platform[d.meta.platform].add(d.text)
    message = campaign.brief.message
    carrying = sum(message in d.text for d in drafts)
    assert carrying <= len(drafts) // 2, f"the message is in {carrying} of {len(drafts)} posts"
