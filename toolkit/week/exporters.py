"""Scheduler files from drafts: plan.json, calendar.ics, bulk CSVs.

Pure functions from drafts to bytes; the caller writes them (safely).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from toolkit.files.models import clean_text
from toolkit.week.drafts import Draft

_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")
HOOTSUITE_MAX_ROWS = 350
SPROUT_MAX_ROWS = 350
POSTS_COLUMNS = (
    "id", "scheduled_at", "platform", "title", "text", "link", "image", "alt_text",
    "angle", "pillar", "experiment", "arm", "locale",
)  # fmt: skip


# OWASP's CSV injection rule: a cell a spreadsheet would read as a formula.
_FORMULA_FIRST = frozenset("=+-@")
_FORMULA_LEADING = ("\t", "\r")


def formula_like(cell: str) -> bool:
    """A spreadsheet would run this cell (leading whitespace is trimmed on import)."""
    return cell.startswith(_FORMULA_LEADING) or cell.lstrip()[:1] in _FORMULA_FIRST


def neutralised(cell: str) -> str:
    """A leading apostrophe makes a spreadsheet show the cell as text instead of running it."""
    return "'" + cell if formula_like(cell) else cell


def formula_warnings(drafts: Sequence[Draft]) -> list[str]:
    """Drafts whose copy a spreadsheet would run as a formula in a scheduler file.

    Scheduler files keep the copy exactly as it will be posted, so they are not
    changed; posts.csv, made for spreadsheets, has the cell neutralised.
    """
    return [
        f"{draft_name(d)}: the copy starts with {d.text.lstrip()[:1] or d.text[:1]!r}; a "
        "spreadsheet opening the scheduler CSVs would run it as a formula (import them "
        "into the scheduler directly, or start the copy differently)"
        for d in drafts
        if formula_like(d.text)
    ]


def draft_name(draft: Draft) -> str:
    return f"drafts/{draft.path.name}" if draft.path else draft.meta.id


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
    """Our own format: every field, ISO 8601 times with offsets. UTF-8 with a BOM so
    spreadsheets open it as UTF-8; made for spreadsheets, so no cell can run as a formula."""
    rows: list[list[str]] = [list(POSTS_COLUMNS)]
    for d in drafts:
        m = d.meta
        exp = m.experiment
        rows.append([
            neutralised(cell) for cell in (
                m.id, m.scheduled_at.isoformat(), m.platform, m.title or "", d.text, m.link or "",
                m.card or "", m.alt_text or "", m.angle, m.pillar,
                (exp.name or exp.variable) if exp else "", exp.arm if exp else "", m.locale,
            )
        ])  # fmt: skip
    return _csv(rows, bom=True)


def plan_json(drafts: Sequence[Draft], extra: dict[str, Any]) -> bytes:
    posts = []
    for d in drafts:
        entry = d.meta.model_dump(mode="json", exclude_none=True)
        entry["scheduled_at"] = d.meta.scheduled_at.isoformat()
        entry["text"] = d.text
        entry["parts"] = d.parts
        entry["draft"] = draft_name(d) if d.path else None
        entry.update(extra.get("lengths", {}).get(d.meta.id, {}))
        posts.append(entry)
    body = {k: v for k, v in extra.items() if k != "lengths"}
    body["posts"] = posts
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- iCalendar (RFC 5545) ---------------------------------------------------------------
# icalendar escapes, folds and writes the VTIMEZONE: none of that is done by hand here.


def _ics_text(value: str) -> str:
    """One text value: line breaks as \\n (a bare CR is not allowed), no control characters."""
    cleaned: str = clean_text(value.replace("\r\n", "\n").replace("\r", "\n"))
    return cleaned


def calendar_ics(
    drafts: Sequence[Draft], *, timezone: str, calendar_name: str, stamp: datetime
) -> bytes:
    tz = ZoneInfo(timezone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//toolkit//week of drafts//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # X- properties are unknown to icalendar: typed as text, so that they are escaped too.
    calendar.add("x-wr-calname", icalendar.vText(_ics_text(calendar_name)))
    calendar.add("x-wr-timezone", icalendar.vText(timezone))
    for d in drafts:
        m = d.meta
        summary = f"[{m.platform}] {m.angle}"
        if m.experiment:
            summary += f" (A/B {m.experiment.variable}: {m.experiment.arm})"
        description = d.text + (f"\n\n{m.link}" if m.link else "")
        event = icalendar.Event()
        event.add("uid", _ics_text(f"{m.id}@toolkit"))
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("dtstart", m.scheduled_at.astimezone(tz))
        event.add("duration", timedelta(minutes=15))
        event.add("summary", _ics_text(summary))
        event.add("description", _ics_text(description))
        event.add("categories", [_ics_text(m.platform), _ics_text(m.pillar)])
        if m.link and not _NOT_IN_URL.search(m.link):
            event.add("url", m.link)
        calendar.add_component(event)
    if drafts:
        first = min(d.meta.scheduled_at for d in drafts).astimezone(tz).date()
        last = max(d.meta.scheduled_at for d in drafts).astimezone(tz).date()
        # A year either side: the offsets a calendar needs around the week.
        calendar.add_missing_timezones(
            first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
        )
    data: bytes = calendar.to_ical()
    return data
