"""Scheduler files from drafts: plan.json, calendar.ics, bulk CSVs.

Pure functions from drafts to bytes; the caller writes them (safely).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from toolkit.campaign.platforms import Platform
from toolkit.week.drafts import Draft

HOOTSUITE_MAX_ROWS = 350
SPROUT_MAX_ROWS = 350
POSTS_COLUMNS = (
    "id", "part", "scheduled_at", "platform", "title", "text", "link", "image", "alt_text",
    "angle", "pillar", "experiment", "arm", "locale",
)  # fmt: skip


def _csv(rows: Sequence[Sequence[str]], *, bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


@dataclass(frozen=True)
class Outgoing:
    """A post as a bulk scheduler receives it: one message within its platform's limit."""

    draft: Draft
    message: str
    url: str  # the URL column: empty when the message carries the link or links don't click


def scheduler_posts(
    drafts: Sequence[Draft], platforms: Mapping[str, Platform]
) -> tuple[list[Outgoing], list[str]]:
    """What the bulk schedulers get, and a note for everything they cannot carry.

    Neither Hootsuite's nor Sprout's bulk format holds a thread: they get part 1, and the
    note says where the other parts are. A message over its platform's limit is left out
    rather than refused (or cut) by the scheduler.
    """
    out: list[Outgoing] = []
    notes: list[str] = []
    for d in drafts:
        m = d.meta
        platform = platforms.get(m.platform)
        parts = d.parts
        message = parts[0]
        where = f"drafts/{d.path.name}" if d.path else m.id
        if platform is not None:
            length = platform.length(message)
            if length > platform.limit:
                notes.append(
                    f"{where}: {length}/{platform.limit} on {platform.name}, over the limit; "
                    "left out of the Hootsuite and Sprout files until it is shortened"
                )
                continue
        if len(parts) > 1:
            notes.append(
                f"{where}: a thread of {len(parts)} parts; the Hootsuite and Sprout files hold "
                f"part 1, post parts 2-{len(parts)} as replies (every part is in posts.csv)"
            )
        link = m.link or ""
        clickable = platform is None or platform.links == "clickable"
        url = link if link and clickable and link not in d.text else ""
        out.append(Outgoing(d, message, url))
    return out, notes


def _scheduler_time(moment: datetime, timezone: str, fmt: str) -> str:
    # Bulk files have no offset column: every time is in the profile's (the brand's) zone.
    return moment.astimezone(ZoneInfo(timezone)).strftime(fmt)


def hootsuite_csvs(posts: Sequence[Outgoing], *, timezone: str) -> dict[str, bytes]:
    """One file per platform (Hootsuite imports per profile), no header, ≤ 350 rows each."""
    by_platform: dict[str, list[Outgoing]] = defaultdict(list)
    for post in posts:
        by_platform[post.draft.meta.platform].append(post)
    files: dict[str, bytes] = {}
    for platform, items in sorted(by_platform.items()):
        rows = [
            [_scheduler_time(o.draft.meta.scheduled_at, timezone, "%m/%d/%Y %H:%M"), o.message,
             o.url]
            for o in items
        ]  # fmt: skip
        for n, start in enumerate(range(0, len(rows), HOOTSUITE_MAX_ROWS), start=1):
            suffix = "" if n == 1 else f"-{n}"
            files[f"bulk/hootsuite-{platform}{suffix}.csv"] = _csv(
                rows[start : start + HOOTSUITE_MAX_ROWS]
            )
    return files


def sprout_csv(posts: Sequence[Outgoing], *, timezone: str) -> dict[str, bytes]:
    header = ["date", "time_24hr", "message_text"]
    rows = [
        [
            _scheduler_time(o.draft.meta.scheduled_at, timezone, "%m/%d/%Y"),
            _scheduler_time(o.draft.meta.scheduled_at, timezone, "%H:%M"),
            o.message,
        ]
        for o in posts
    ]
    files: dict[str, bytes] = {}
    for n, start in enumerate(range(0, max(len(rows), 1), SPROUT_MAX_ROWS), start=1):
        suffix = "" if n == 1 else f"-{n}"
        files[f"bulk/sprout{suffix}.csv"] = _csv([header, *rows[start : start + SPROUT_MAX_ROWS]])
    return files


def posts_csv(drafts: Sequence[Draft]) -> bytes:
    """Our own lossless format: every field, ISO 8601 times with offsets. UTF-8 with a BOM so
    spreadsheets open it as UTF-8."""
    rows: list[list[str]] = [list(POSTS_COLUMNS)]
    for d in drafts:
        m = d.meta
        exp = m.experiment
        parts = d.parts
        # A thread is one row per part ("2/3"), so no cell holds more than one message.
        for i, part in enumerate(parts, start=1):
            rows.append([
                m.id, f"{i}/{len(parts)}", m.scheduled_at.isoformat(), m.platform, m.title or "",
                part, m.link or "", m.card or "", m.alt_text or "", m.angle, m.pillar,
                (exp.name or exp.variable) if exp else "", exp.arm if exp else "", m.locale,
            ])  # fmt: skip
    return _csv(rows, bom=True)


def plan_json(drafts: Sequence[Draft], extra: dict[str, Any]) -> bytes:
    posts = []
    for d in drafts:
        entry = d.meta.model_dump(mode="json", exclude_none=True)
        entry["scheduled_at"] = d.meta.scheduled_at.isoformat()
        entry["text"] = d.text
        entry["parts"] = d.parts
        entry["draft"] = f"drafts/{d.path.name}" if d.path else None
        entry.update(extra.get("lengths", {}).get(d.meta.id, {}))
        posts.append(entry)
    body = {k: v for k, v in extra.items() if k != "lengths"}
    body["posts"] = posts
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- iCalendar (RFC 5545) ---------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (never inside a
    UTF-8 sequence)."""
    out: list[str] = []
    current = ""
    size = 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > (75 if not out else 74):
            out.append(current)
            current, size = "", 0
        current += ch
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _offset(delta: timedelta | None) -> str:
    total = int((delta or timedelta()).total_seconds())
    sign = "+" if total >= 0 else "-"
    total = abs(total)
    return f"{sign}{total // 3600:02d}{(total % 3600) // 60:02d}"


def vtimezone(name: str, start: datetime, end: datetime) -> list[str]:
    """A VTIMEZONE with every offset change between ``start`` and ``end`` (padded a year),
    found by scanning zoneinfo hour by hour; RFC 5545 needs one for each TZID used."""
    tz = ZoneInfo(name)
    lo = (start - timedelta(days=366)).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    hi = end + timedelta(days=366)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]
    moment = lo
    previous = moment.astimezone(tz)
    transitions = []
    while moment < hi:
        moment += timedelta(hours=1)
        local = moment.astimezone(tz)
        if local.utcoffset() != previous.utcoffset():
            transitions.append((previous, local))
        previous = local
    if not transitions:
        first = lo.astimezone(tz)
        transitions = [(first, first)]
    for before, after in transitions:
        kind = "DAYLIGHT" if after.dst() else "STANDARD"
        lines += [
            f"BEGIN:{kind}",
            f"DTSTART:{_local(after.replace(tzinfo=None))}",
            f"TZOFFSETFROM:{_offset(before.utcoffset())}",
            f"TZOFFSETTO:{_offset(after.utcoffset())}",
            f"TZNAME:{after.tzname()}",
            f"END:{kind}",
        ]
    lines.append("END:VTIMEZONE")
    return lines


def calendar_ics(
    drafts: Sequence[Draft], *, timezone: str, calendar_name: str, stamp: datetime
) -> bytes:
    tz = ZoneInfo(timezone)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//toolkit//week of drafts//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(calendar_name)}",
        f"X-WR-TIMEZONE:{timezone}",
    ]
    if drafts:
        first = min(d.meta.scheduled_at for d in drafts)
        last = max(d.meta.scheduled_at for d in drafts)
        lines += vtimezone(timezone, first, last)
    for d in drafts:
        m = d.meta
        local = m.scheduled_at.astimezone(tz)
        summary = f"[{m.platform}] {m.angle}"
        if m.experiment:
            summary += f" (A/B {m.experiment.variable}: {m.experiment.arm})"
        description = d.text
        if m.link:
            description += f"\n\n{m.link}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{m.id}@toolkit",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART;TZID={timezone}:{_local(local.replace(tzinfo=None))}",
            "DURATION:PT15M",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(description)}",
            f"CATEGORIES:{_escape(m.platform)},{_escape(m.pillar)}",
        ]
        if m.link:
            lines.append(f"URL:{m.link}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
