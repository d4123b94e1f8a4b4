"""When the week's content mix is off, the note says why and what would meet it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import toolkit
from toolkit.week.planner import plan_week

from .conftest import DEMO_BRIEFS, copy_demo_brief

START = date(2026, 11, 30)
NOW = datetime.combine(START - timedelta(days=2), time(9), ZoneInfo("UTC"))


def _mix_note(notes: tuple[str, ...]) -> str | None:
    return next((n for n in notes if n.startswith("content mix off target")), None)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_countdowns_that_alone_exceed_the_promote_share_are_named(lang: str) -> None:
    campaign = toolkit.load_brief(DEMO_BRIEFS / f"{lang}.yaml", start=START)
    plan = plan_week(campaign, start=START, now=NOW)
    countdowns = sum(1 for p in plan.posts if p.angle == "countdown")
    note = _mix_note(plan.notes)
    assert note is not None, plan.notes
    assert f"the {countdowns} countdown posts alone are promote" in note
    assert "countdown.before" in note and "mix" in note


def test_no_reason_is_invented_when_the_fixed_posts_fit_the_mix(tmp_path: Path) -> None:
    """Without an event there are no countdowns: whatever the mix says, it names none."""
    brief = copy_demo_brief(tmp_path, "en")
    text = brief.read_text(encoding="utf-8")
    start = text.index("event:")
    end = text.index("\nplatforms:", start)
    brief.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    campaign = toolkit.load_brief(brief, start=START)
    plan = plan_week(campaign, start=START, now=NOW)
    assert not any(p.angle == "countdown" for p in plan.posts)
    note = _mix_note(plan.notes)
    assert note is None or "alone are" not in note, note
