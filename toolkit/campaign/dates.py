"""Dates the campaign is planned around: the week's first day and the event's start.

A brief can date its event relative to the planned week (``starts: +3d 10:00``),
which keeps a brief evergreen; everything after loading sees an absolute,
aware start.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from toolkit.campaign.brief import Brief, RelativeStart


def next_monday(today: date) -> date:
    """The Monday after ``today``: a week is planned ahead, never the current one."""
    return today + timedelta(days=7 - today.weekday())


def anchored(brief: Brief, anchor: date, timezone: str) -> Brief:
    """``brief`` with a relative event start resolved against ``anchor`` (the week's first day).

    The start is a wall-clock time in ``timezone`` (the audience's), so daylight-saving
    changes between the anchor and the event are exact.
    """
    event = brief.event
    if event is None or not isinstance(event.starts, RelativeStart):
        return brief
    rel = event.starts
    starts = datetime.combine(anchor + timedelta(days=rel.days), rel.at, tzinfo=ZoneInfo(timezone))
    return brief.model_copy(update={"event": event.model_copy(update={"starts": starts})})
