"""calendar.ics as calendars read it: the time zone it carries gives the right hour everywhere.

A calendar that does not know the zone's name (or knows an older version of it) uses
the VTIMEZONE in the file. icalendar, an independent reader, turns that component
back into offsets, which must agree with the zone database at every hour of the span.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings

from toolkit.week import ical

from .conftest import utf8_text

ZONES = [
    "Europe/Paris",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/Istanbul",
    "Asia/Tokyo",
    "Asia/Kolkata",  # +05:30
    "Australia/Lord_Howe",  # a half-hour daylight shift
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/St_Johns",  # -03:30, negative half hours
    "UTC",
]


def _calendar(tz_name: str, first: date) -> bytes:
    start = datetime(first.year, first.month, first.day, 9, tzinfo=ZoneInfo(tz_name))
    event = ical.Event("one@toolkit", start, timedelta(minutes=15), "s", "d", ("x",))
    return ical.calendar(
        [event],
        tz_name=tz_name,
        name="n",
        stamp=datetime(2026, 11, 21, tzinfo=UTC),
        product="-//test//EN",
        zone_span=timedelta(days=366),
    )


@pytest.mark.parametrize("tz_name", ZONES)
def test_the_carried_time_zone_agrees_with_the_zone_database(tz_name: str) -> None:
    first = date(2026, 11, 23)
    parsed = icalendar.Calendar.from_ical(_calendar(tz_name, first))
    (component,) = [c for c in parsed.walk() if c.name == "VTIMEZONE"]
    carried = component.to_tz()
    real = ZoneInfo(tz_name)
    moment = datetime(2025, 11, 25, tzinfo=UTC)
    while moment < datetime(2027, 11, 20, tzinfo=UTC):
        assert moment.astimezone(carried).utcoffset() == moment.astimezone(real).utcoffset(), (
            tz_name,
            moment,
        )
        moment += timedelta(hours=1)


@settings(max_examples=200, deadline=None)
@given(utf8_text(max_size=300))
def test_any_text_folds_into_short_lines_and_unfolds_to_itself(value: str) -> None:
    value = value.replace("\r", "")
    line = "DESCRIPTION:" + ical.text(value)
    folded = ical.fold(line)
    assert all(len(part.encode("utf-8")) <= ical.MAX_LINE_OCTETS for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    event = icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" + folded + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]) == value
