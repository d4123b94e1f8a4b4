"""The preview shows each post's time where its audience reads it, when that differs.

Posting windows are the audience's: a US audience's 19:30 is 01:30 the next day in
the brand's Paris. A manager reading only Paris times would "fix" those posts.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_time
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.week.preview import _audience_time

from .conftest import copy_demo_brief

runner = CliRunner()


def _week(tmp_path: Path, lang: str) -> Path:
    brief = copy_demo_brief(tmp_path, lang)
    out = tmp_path / "week"
    args = ["week", str(brief), "--out", str(out), "--no-cards", "--start", "2026-12-07"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


def _cards(page: str) -> dict[str, str]:
    """Each post's "who" line (handle · time · audience time), by post id."""
    found = re.findall(
        r'<article class="post" id="post-([^"]+)".*?<div class="who"><b>[^<]*</b>'
        r"<span>(.*?)</span>\s*</div>",
        page,
        flags=re.S,
    )
    return {post_id: re.sub(r"<[^>]+>", "", line) for post_id, line in found}


def test_every_post_shows_the_audiences_clock(tmp_path: Path) -> None:
    out = _week(tmp_path, "en")
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    page = (out / "index.html").read_text(encoding="utf-8")
    audience, brand = ZoneInfo("America/New_York"), ZoneInfo(plan["timezone"])
    lines = _cards(page)
    assert len(lines) == len(plan["posts"])
    assert "the audience's times in New York (America/New_York)" in page
    for post in plan["posts"]:
        moment = datetime.fromisoformat(post["scheduled_at"])
        there, here = moment.astimezone(audience), moment.astimezone(brand)
        line = lines[post["id"]]
        clock = format_time(there, "short", tzinfo=audience, locale="en_US")
        assert f"{clock} in New York" in line, line
        # The audience's weekday is named exactly when its date is not the brand's.
        named_day = not line.split(" · ")[-1].startswith(clock)
        assert named_day == (there.date() != here.date()), line


PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("paris", "zone", "locale", "expected"),
    [
        # Tokyo is 8 hours ahead: 01:15 in Paris is 09:15 the same day there.
        ("2026-12-08 01:15", "Asia/Tokyo", "ja_JP", ("09:15", "9:15", None)),
        # New York is 6 hours behind: 01:30 Wednesday is 19:30 Tuesday.
        ("2026-12-09 01:30", "America/New_York", "en_US", ("19:30", "7:30\u202fPM", "Tue")),
        ("2026-12-09 01:30", "America/New_York", "fr_FR", ("19:30", "19:30", "mar.")),
        ("2026-12-08 23:30", "Europe/Istanbul", "tr_TR", ("01:30", "01:30", "Çar")),
        # Another zone name with Paris's clock, and no audience zone: one clock.
        ("2026-12-08 15:00", "Europe/Berlin", "en_US", None),
        ("2026-12-08 15:00", None, "en_US", None),
    ],
)
def test_the_audience_clock(
    paris: str, zone: str | None, locale: str, expected: tuple[str, str, str | None] | None
) -> None:
    local = datetime.fromisoformat(paris).replace(tzinfo=PARIS)
    got = _audience_time(local, zone, locale)
    want = None if expected is None else dict(zip(("time", "clock", "day"), expected, strict=True))
    assert got == want


def test_no_second_clock_without_an_audience_zone(tmp_path: Path) -> None:
    out = _week(tmp_path, "fr")  # the French brief reads times in the brand's zone
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="aud"' not in page
    assert "in grey" not in page
