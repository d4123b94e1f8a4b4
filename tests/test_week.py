"""`toolkit week`: windows, spacing, rotation, mix, events, experiments, and the files."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from typer.testing import CliRunner

import toolkit
from toolkit.campaign.facts import audience_tz
from toolkit.campaign.loader import Campaign
from toolkit.cli import app
from toolkit.week.drafts import read_drafts
from toolkit.week.planner import WEEKDAYS, PlannedPost, plan_week

from .conftest import DEMO_BRIEFS, FIXED_NOW, copy_demo_brief

runner = CliRunner()
NOW = "2026-11-21T10:00"


def week(tmp_path: Path, *args: str, brief: Path | None = None) -> Path:
    # Without cards: these tests are about the plan and the files (cards have their own).
    out = tmp_path / "week"
    cli = ["week", *([str(brief)] if brief else []), "--out", str(out), "--now", NOW, *args]
    cli.append("--no-cards")
    result = runner.invoke(app, cli)
    assert result.exit_code == 0, result.output
    return out


def brief_with(tmp_path: Path, lang: str, extra: str) -> Path:
    return copy_demo_brief(tmp_path, lang, extra=extra)


def _ahead(start: date) -> datetime:
    """Two days before ``start``: the week is planned ahead."""
    return datetime.combine(start - timedelta(days=2), datetime.min.time(), ZoneInfo("UTC"))


def _assert_in_windows(campaign: Campaign, post: PlannedPost) -> None:
    """A regular post sits in one of its platform's windows, in the audience's time."""
    if post.angle in ("countdown", "replay"):
        return  # fixed marks before and after the event
    local = post.at.astimezone(audience_tz(campaign))
    windows = campaign.platforms[post.platform].windows
    assert any(
        WEEKDAYS[local.weekday()] in w.days and w.start <= local.time() < w.end for w in windows
    ), (post.platform, local)


@pytest.mark.parametrize("lang", ["en", "fr", "ja"])
def test_posts_sit_in_windows_spaced_and_rotated(lang: str) -> None:
    start = date(2026, 11, 23)
    campaign = toolkit.load_brief(DEMO_BRIEFS / f"{lang}.yaml", start=start)
    plan = plan_week(campaign, start=start, now=_ahead(start))
    times = sorted(p.at for p in plan.posts)
    assert all(b - a >= timedelta(minutes=10) for a, b in itertools.pairwise(times))
    by_platform: dict[str, list[str]] = {}
    for post in plan.posts:
        assert post.at.tzinfo is not None
        assert post.at.utcoffset() == post.at.astimezone(ZoneInfo("Europe/Paris")).utcoffset()
        by_platform.setdefault(post.platform, []).append(post.angle)
        _assert_in_windows(campaign, post)
    for platform, angles in by_platform.items():
        # Countdowns sit at fixed marks (a day, an hour before): those may follow each other.
        repeats = [a for a, b in itertools.pairwise(angles) if a == b and a != "countdown"]
        assert not repeats, (platform, angles)
    cadence = {
        p: campaign.brand.config.cadence.get(p, m.cadence) for p, m in campaign.platforms.items()
    }
    counts = Counter(p.platform for p in plan.posts)
    assert counts == Counter({p: n for p, n in cadence.items() if n})


def test_the_mix_is_met_within_one_post_or_reported() -> None:
    for start in (date(2026, 11, 9), date(2026, 11, 23), date(2026, 11, 30)):
        campaign = toolkit.load_brief(DEMO_BRIEFS / "fr.yaml", start=start)
        plan = plan_week(campaign, start=start, now=_ahead(start))
        total = len(plan.posts)
        for pillar, share in campaign.brand.config.mix.items():
            off = abs(plan.mix.counts.get(pillar, 0) - share * total) > 1.5
            assert not off or any("content mix off target" in n for n in plan.notes), plan.notes


def test_event_week_counts_down_and_never_promotes_after_the_start() -> None:
    start = date(2026, 11, 30)
    campaign = toolkit.load_brief(DEMO_BRIEFS / "fr.yaml", start=start)
    # The demo's event is relative: the Thursday of the planned week, 16:00 in Paris.
    event_start = datetime(2026, 12, 3, 16, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert campaign.brief.event is not None
    assert campaign.brief.event.start_time == event_start
    plan = plan_week(campaign, start=start, now=_ahead(start))
    countdown = [p for p in plan.posts if p.angle == "countdown"]
    marks = {event_start - p.at for p in countdown}
    assert any(timedelta(hours=23) <= m <= timedelta(days=1) for m in marks)
    assert any(timedelta(minutes=10) <= m <= timedelta(hours=1) for m in marks)
    after = [p for p in plan.posts if p.at >= event_start]
    assert after, "the week goes on after the event"
    assert not {p.angle for p in after} & {"announcement", "countdown"}
    assert any("the event ended on 2026-12-03" in n for n in plan.notes)


def test_countdown_copy_speaks_from_the_posting_time(tmp_path: Path) -> None:
    out = week(tmp_path, "--start", "2026-11-30", brief=DEMO_BRIEFS / "fr.yaml")
    texts = [d.text for d in read_drafts(out / "drafts") if d.meta.angle == "countdown"]
    assert any("demain" in t for t in texts), texts  # the day before
    assert any("dans 1 heure" in t for t in texts), texts


def test_dst_change_is_exact(tmp_path: Path) -> None:
    # Europe/Paris leaves summer time on Sunday 25 October 2026: a week from Thursday 22
    # has posts on both sides, each at the offset its own day has, inside its windows.
    start = date(2026, 10, 22)
    campaign = toolkit.load_brief(DEMO_BRIEFS / "fr.yaml", start=start)
    plan = plan_week(campaign, start=start, now=_ahead(start))
    change = datetime(2026, 10, 25, 3, 0, tzinfo=ZoneInfo("Europe/Paris"))
    before = [p for p in plan.posts if p.at < change]
    after = [p for p in plan.posts if p.at >= change]
    assert before and after
    assert all(p.at.utcoffset() == timedelta(hours=2) for p in before)
    assert all(p.at.utcoffset() == timedelta(hours=1) for p in after)
    for post in after:
        _assert_in_windows(campaign, post)


def test_experiment_pairs_are_labelled_everywhere(tmp_path: Path) -> None:
    brief = brief_with(tmp_path, "en", "experiment: {variable: emoji, name: emoji test}\n")
    out = week(tmp_path, "--start", "2026-11-23", brief=brief)
    drafts = read_drafts(out / "drafts")
    arms = [d for d in drafts if d.meta.experiment]
    pairs = Counter((d.meta.platform, d.meta.experiment.pair) for d in arms if d.meta.experiment)
    assert pairs and set(pairs.values()) == {2}
    for d in arms:
        assert d.meta.experiment is not None and d.meta.experiment.variable == "emoji"
    b_texts = [d.text for d in arms if d.meta.experiment and d.meta.experiment.arm == "B"]
    assert b_texts and not any("✅" in t or "👉" in t for t in b_texts)
    rows = list(csv.DictReader(io.StringIO((out / "bulk/posts.csv").read_text("utf-8-sig"))))
    assert {r["arm"] for r in rows} == {"", "A", "B"}
    ics = (out / "calendar.ics").read_text(encoding="utf-8")
    assert "A/B emoji: A" in ics and "A/B emoji: B" in ics
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["experiment"]["variable"] == "emoji"
    assert any(p.get("experiment", {}).get("arm") == "B" for p in plan["posts"])


def test_ics_parses_with_a_real_parser_and_uids_are_stable(tmp_path: Path) -> None:
    out = week(tmp_path, "--start", "2026-11-23")
    drafts = read_drafts(out / "drafts")
    calendar = icalendar.Calendar.from_ical((out / "calendar.ics").read_bytes())
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == len(drafts)
    by_uid = {str(e["UID"]): e for e in events}
    for d in drafts:
        event = by_uid[f"{d.meta.id}@toolkit"]
        start = event.decoded("DTSTART")
        assert start == d.meta.scheduled_at
        assert str(event["DTSTART"].params["TZID"]) == "Europe/Paris"
        assert str(event["DESCRIPTION"]).startswith(d.text)
    raw = (out / "calendar.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    again = week(tmp_path, "--start", "2026-11-23")
    assert (again / "calendar.ics").read_bytes() == raw


def test_csvs_carry_the_draft_text_byte_for_byte(tmp_path: Path) -> None:
    out = week(tmp_path, "--start", "2026-11-23", brief=DEMO_BRIEFS / "fr.yaml")
    drafts = {d.meta.id: d for d in read_drafts(out / "drafts")}
    posts = list(csv.DictReader(io.StringIO((out / "bulk/posts.csv").read_text("utf-8-sig"))))
    assert {r["id"] for r in posts} == set(drafts)
    for row in posts:
        draft = drafts[row["id"]]
        assert row["text"] == draft.text
        assert datetime.fromisoformat(row["scheduled_at"]) == draft.meta.scheduled_at
    sprout = list(csv.reader(io.StringIO((out / "bulk/sprout.csv").read_text("utf-8"))))
    assert sprout[0] == ["date", "time_24hr", "message_text"]
    assert sorted(r[2] for r in sprout[1:]) == sorted(d.text for d in drafts.values())
    for path in (out / "bulk").glob("hootsuite-*.csv"):
        platform = path.stem.removeprefix("hootsuite-")
        rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
        mine = [d for d in drafts.values() if d.meta.platform == platform]
        assert len(rows) == len(mine) <= 350
        for when, text, _url in rows:
            assert datetime.strptime(when, "%m/%d/%Y %H:%M")
            assert text in {d.text for d in mine}


def test_edited_drafts_are_kept_and_flow_to_the_scheduler_files(tmp_path: Path) -> None:
    out = week(tmp_path, "--start", "2026-11-23")
    drafts = sorted((out / "drafts").glob("*.md"))
    edited, untouched = drafts[0], drafts[1]
    content = edited.read_text(encoding="utf-8") + "Edited by Ana.\n"
    edited.write_text(content, encoding="utf-8")
    untouched_before = untouched.read_bytes()
    again = ["week", "--out", str(out), "--now", NOW, "--start", "2026-11-23", "--no-cards"]
    result = runner.invoke(app, again)
    assert result.exit_code == 0
    assert f"kept {edited}" in result.output
    assert edited.read_text(encoding="utf-8") == content
    assert untouched.read_bytes() == untouched_before
    posts = (out / "bulk/posts.csv").read_text("utf-8-sig")
    assert "Edited by Ana." in posts
    forced = runner.invoke(app, [*again, "--force"])
    assert forced.exit_code == 0 and "replaced" in forced.output
    assert "Edited by Ana." not in edited.read_text(encoding="utf-8")
    backups = list((out / ".toolkit" / "backup").rglob(edited.name))
    assert [b.read_text(encoding="utf-8") for b in backups] == [content]


def test_export_reports_edits_that_break_a_limit(tmp_path: Path) -> None:
    out = week(tmp_path, "--start", "2026-11-23")
    draft = next((out / "drafts").glob("*_x_*.md"))
    draft.write_text(draft.read_text(encoding="utf-8") + "more " * 80 + "\n", encoding="utf-8")
    result = runner.invoke(app, ["export", str(out), "--now", NOW])
    assert result.exit_code == 1
    assert str(draft) in result.output and "over the limit of 280" in result.output


def test_bad_front_matter_is_a_located_error(tmp_path: Path) -> None:
    out = week(tmp_path, "--start", "2026-11-23")
    draft = next((out / "drafts").glob("*_linkedin_*.md"))
    text = draft.read_text(encoding="utf-8")
    draft.write_text(text.replace("scheduled_at: '", "scheduled_at: 'tomorrow "), encoding="utf-8")
    result = runner.invoke(app, ["export", str(out), "--now", NOW])
    assert result.exit_code == 2
    assert result.output.startswith(f"{draft}:4:")
    assert "Traceback" not in result.output


def test_a_second_run_into_a_locked_folder_fails_clearly(tmp_path: Path) -> None:
    import fcntl

    out = week(tmp_path, "--start", "2026-11-23")
    with open(out / ".toolkit" / "lock", "a+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        result = runner.invoke(app, ["week", "--out", str(out), "--now", NOW, "--no-cards"])
    assert result.exit_code == 2
    assert "another toolkit run is writing to this folder" in result.output


def test_read_only_output_fails_clearly(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions")
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    result = runner.invoke(app, ["week", "--out", str(locked / "week"), "--now", NOW])
    assert result.exit_code == 2 and "cannot write here" in result.output


def test_week_with_no_arguments_plans_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["week", "--now", NOW])
    assert result.exit_code == 0, result.output
    drafts = list((tmp_path / "week" / "drafts").glob("*.md"))
    assert len(drafts) >= 20
    assert "posts planned for the week of 2026-11-23" in result.output
    assert FIXED_NOW.date() == date(2026, 11, 23)


def test_a_broken_logo_costs_the_cards_not_the_week(
    tmp_path: Path, acme_workspace: Callable[[Path], Path]
) -> None:
    acme_workspace(tmp_path / "ws")
    (tmp_path / "ws" / "brand" / "acme" / "assets" / "logo.png").write_bytes(b"not a png")
    brief = tmp_path / "ws" / "briefs" / "example.yaml"
    out = tmp_path / "out"
    result = runner.invoke(app, ["week", str(brief), "--out", str(out), "--now", NOW])
    assert result.exit_code == 0, result.output
    assert len(list((out / "drafts").glob("*.md"))) >= 20
    assert "card(s) not rendered" in result.output
    # Each draft was written as its card came back, rendered or not: none names a card
    # that is not in the folder.
    named = [d.meta.card for d in read_drafts(out / "drafts") if d.meta.card]
    assert all((out / card).is_file() for card in named)
    brand_yaml = tmp_path / "ws" / "brand" / "acme" / "brand.yaml"
    line = brand_yaml.read_text(encoding="utf-8").splitlines().index("logo: assets/logo.png") + 1
    assert f"brand.yaml:{line}:7: the logo 'logo.png' is not a readable" in result.output
