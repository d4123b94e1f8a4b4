"""iCalendar (RFC 5545) text: escaped values, folded lines, and a time zone the file carries.

Only what calendar.ics needs: one VCALENDAR of VEVENTs, each starting at a local time of
one IANA zone, and that zone's offsets as a VTIMEZONE for the dates around the week, so a
calendar that does not know the zone's name still shows the right hour.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

MAX_LINE_OCTETS = 75  # RFC 5545 §3.1, not counting the CRLF


def text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as ``\\n``."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """One content line folded at 75 octets, never inside a character's UTF-8 bytes."""
    data = line.encode("utf-8")
    if len(data) <= MAX_LINE_OCTETS:
        return line
    pieces: list[bytes] = []
    start, room = 0, MAX_LINE_OCTETS
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a continuation byte: back up to the character's start
            end -= 1
        pieces.append(data[start:end])
        start, room = end, MAX_LINE_OCTETS - 1  # the leading space counts
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def local_time(moment: datetime) -> str:
    return f"{moment:%Y%m%dT%H%M%S}"


def utc_time(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def duration(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return "PT" + (parts + (f"{seconds}S" if seconds else "") or "0S")


def offset(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


@dataclass(frozen=True)
class Onset:
    """From ``at`` (UTC) on, the zone is ``after``; before it, ``before``."""

    at: datetime
    before: timedelta
    after: timedelta
    name: str
    daylight: bool


def _state(tz: ZoneInfo, moment: datetime) -> tuple[timedelta, str, bool]:
    local = moment.astimezone(tz)
    return (local.utcoffset() or timedelta(), local.tzname() or "", bool(local.dst()))


def onsets(tz: ZoneInfo, first: date, last: date) -> list[Onset]:
    """The zone's state at ``first`` and every change of offset up to ``last``.

    zoneinfo does not list its transitions: the days are walked at noon UTC and each
    change is narrowed down to the second.
    """
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    state = _state(tz, start)
    found = [Onset(start, state[0], state[0], state[1], state[2])]
    day = start
    end = datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)
    while day < end:
        following = day + timedelta(days=1)
        if _state(tz, following) != state:
            low, high = day, following  # the change lies in (low, high]
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _state(tz, middle) == state:
                    low = middle
                else:
                    high = middle
            before = state[0]
            state = _state(tz, high)
            found.append(Onset(high, before, state[0], state[1], state[2]))
        day = following
    return found


def vtimezone(tz_name: str, first: date, last: date) -> list[str]:
    """The VTIMEZONE lines of ``tz_name`` from ``first`` to ``last``.

    Onsets with the same name and offsets share one component (its later dates as
    RDATE). A DTSTART is the local time on the clock before the change (RFC 5545's
    own examples: daylight time starts at 02:00, the standard time's 02:00).
    """
    tz = ZoneInfo(tz_name)
    groups: dict[tuple[bool, str, timedelta, timedelta], list[datetime]] = {}
    for onset in onsets(tz, first, last):
        key = (onset.daylight, onset.name, onset.before, onset.after)
        groups.setdefault(key, []).append((onset.at + onset.before).replace(tzinfo=None))
    lines = ["BEGIN:VTIMEZONE", f"TZID:{text(tz_name)}"]
    for (daylight, name, before, after), starts in groups.items():
        kind = "DAYLIGHT" if daylight else "STANDARD"
        lines += [f"BEGIN:{kind}", f"DTSTART:{local_time(starts[0])}"]
        lines += [f"RDATE:{local_time(at)}" for at in starts[1:]]
        if name:
            lines.append(f"TZNAME:{text(name)}")
        lines += [f"TZOFFSETFROM:{offset(before)}", f"TZOFFSETTO:{offset(after)}", f"END:{kind}"]
    lines.append("END:VTIMEZONE")
    return lines


@dataclass(frozen=True)
class Event:
    uid: str
    start: datetime  # aware
    length: timedelta
    summary: str
    description: str
    categories: Sequence[str]
    url: str | None = None


def _stamp_line(stamp: datetime) -> str:
    return f"DTSTAMP:{utc_time(stamp)}"


def event_lines(event: Event, *, tz_name: str, stamp: datetime) -> list[str]:
    start = event.start.astimezone(ZoneInfo(tz_name))
    lines = [
        "BEGIN:VEVENT",
        f"UID:{text(event.uid)}",
        _stamp_line(stamp),
        f"DTSTART;TZID={tz_name}:{local_time(start)}",
        f"DURATION:{duration(event.length)}",
        f"SUMMARY:{text(event.summary)}",
        f"DESCRIPTION:{text(event.description)}",
        "CATEGORIES:" + ",".join(text(c) for c in event.categories),
    ]
    if event.url:
        lines.append(f"URL:{event.url}")
    lines.append("END:VEVENT")
    return lines


def calendar(
    events: Iterable[Event],
    *,
    tz_name: str,
    name: str,
    stamp: datetime,
    product: str,
    zone_span: timedelta,
) -> bytes:
    """The whole file: CRLF line ends, folded; the zone covers ``zone_span`` either side."""
    events = list(events)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{text(product)}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{text(name)}",
        f"X-WR-TIMEZONE:{text(tz_name)}",
    ]
    if events:
        tz = ZoneInfo(tz_name)
        first = min(e.start for e in events).astimezone(tz).date() - zone_span
        last = max(e.start for e in events).astimezone(tz).date() + zone_span
        lines += vtimezone(tz_name, first, last)
    for event in events:
        lines += event_lines(event, tz_name=tz_name, stamp=stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


_STAMP_LINE = re.compile(rb"\r\nDTSTAMP:\d{8}T\d{6}Z\r\n")  # as _stamp_line writes it


def kept_stamp(new: bytes, previous: bytes | None, stamp: datetime) -> bytes:
    """``previous`` when ``new`` (written with ``stamp``) differs from it only in its
    DTSTAMPs, else ``new``. In a calendar without a METHOD, DTSTAMP is when an event's
    information was last revised (RFC 5545, 3.8.7.2): a week planned or exported again
    with nothing new leaves its calendar file as it was (no rewrite, nothing changed for
    a calendar app that subscribes to it or for version control); any change stamps
    every event anew."""
    if previous is None:
        return new
    found = _STAMP_LINE.search(previous)
    if found is None:
        return new
    mine = b"\r\n" + _stamp_line(stamp).encode() + b"\r\n"
    return previous if new.replace(mine, found[0]) == previous else new
