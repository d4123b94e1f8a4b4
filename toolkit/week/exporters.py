"""Scheduler files from drafts: plan.json, calendar.ics, bulk CSVs.

Pure functions from drafts to bytes; the caller writes them (safely).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from toolkit.week.drafts import Draft

HOOTSUITE_MAX_ROWS = 350
SPROUT_MAX_ROWS = 350
POSTS_COLUMNS = (
    "id", "scheduled_at", "platform", "title", "text", "link", "image", "alt_text",
    "angle", "pillar", "experiment", "arm", "locale",
)  # fmt: skip


def _csv(rows: Sequence[Sequence[str]], *, bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def _scheduler_link(draft: Draft) -> str:
    """The URL column: only when the copy does not already carry the link."""
    link = draft.meta.link or ""
    return (
        ""
        if not link or link in draft.text or draft.meta.platform in ("instagram", "tiktok")
        else link
    )


def hootsuite_csvs(drafts: Sequence[Draft]) -> dict[str, bytes]:
    """One file per platform (Hootsuite imports per profile), no header, ≤ 350 rows each."""
    by_platform: dict[str, list[Draft]] = defaultdict(list)
    for draft in drafts:
        by_platform[draft.meta.platform].append(draft)
    files: dict[str, bytes] = {}
    for platform, items in sorted(by_platform.items()):
        rows = [
            [d.meta.scheduled_at.strftime("%m/%d/%Y %H:%M"), d.text, _scheduler_link(d)]
            for d in items
        ]
        for n, start in enumerate(range(0, len(rows), HOOTSUITE_MAX_ROWS), start=1):
            suffix = "" if n == 1 else f"-{n}"
            files[f"bulk/hootsuite-{platform}{suffix}.csv"] = _csv(
                rows[start : start + HOOTSUITE_MAX_ROWS]
            )
    return files


def sprout_csv(drafts: Sequence[Draft]) -> dict[str, bytes]:
    header = ["date", "time_24hr", "message_text"]
    rows = [
        [d.meta.scheduled_at.strftime("%m/%d/%Y"), d.meta.scheduled_at.strftime("%H:%M"), d.text]
        for d in drafts
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
        rows.append([
            m.id, m.scheduled_at.isoformat(), m.platform, m.title or "", d.text, m.link or "",
            m.card or "", m.alt_text or "", m.angle, m.pillar,
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
