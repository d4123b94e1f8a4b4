"""Scheduler files from drafts: plan.json, calendar.ics, bulk CSVs.

Pure functions from drafts to bytes; the caller writes them (safely).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from toolkit.campaign.platforms import Platform
from toolkit.files.models import clean_text
from toolkit.week import ical
from toolkit.week.drafts import Draft

_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")
HOOTSUITE_MAX_ROWS = 350
SPROUT_MAX_ROWS = 350
POSTS_COLUMNS = (
    "id", "part", "scheduled_at", "platform", "title", "text", "link", "image", "alt_text",
    "carousel", "angle", "pillar", "experiment", "arm", "locale",
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
    """Our own format: every field, ISO 8601 times with offsets. UTF-8 with a BOM so
    spreadsheets open it as UTF-8; made for spreadsheets, so no cell can run as a formula."""
    rows: list[list[str]] = [list(POSTS_COLUMNS)]
    for d in drafts:
        m = d.meta
        exp = m.experiment
        parts = d.parts
        # A thread is one row per part ("2/3"), so no cell holds more than one message.
        for i, part in enumerate(parts, start=1):
            rows.append([
                neutralised(cell) for cell in (
                    m.id, f"{i}/{len(parts)}", m.scheduled_at.isoformat(), m.platform,
                    m.title or "", part, m.link or "", m.card or "", m.alt_text or "",
                    " ".join(m.carousel), m.angle,
                    m.pillar, (exp.name or exp.variable) if exp else "", exp.arm if exp else "",
                    m.locale,
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


def _ics_text(value: str) -> str:
    """One text value: line breaks as \\n (a bare CR is not allowed), no control characters."""
    cleaned: str = clean_text(value.replace("\r\n", "\n").replace("\r", "\n"))
    return cleaned


def calendar_ics(
    drafts: Sequence[Draft],
    *,
    timezone: str,
    calendar_name: str,
    stamp: datetime,
    previous: bytes | None = None,
) -> bytes:
    """The week's calendar; ``previous`` (the file it replaces) is kept as it is when only
    its stamps would change (``ical.kept_stamp``)."""
    events = []
    for d in drafts:
        m = d.meta
        summary = f"[{m.platform}] {m.angle}"
        if m.experiment:
            summary += f" (A/B {m.experiment.variable}: {m.experiment.arm})"
        description = d.text + (f"\n\n{m.link}" if m.link else "")
        events.append(
            ical.Event(
                uid=_ics_text(f"{m.id}@toolkit"),
                start=m.scheduled_at,
                length=timedelta(minutes=15),
                summary=_ics_text(summary),
                description=_ics_text(description),
                categories=(_ics_text(m.platform), _ics_text(m.pillar)),
                url=m.link if m.link and not _NOT_IN_URL.search(m.link) else None,
            )
        )
    made = ical.calendar(
        events,
        tz_name=timezone,
        name=_ics_text(calendar_name),
        stamp=stamp,
        product="-//toolkit//week of drafts//EN",
        zone_span=timedelta(days=366),  # a year either side: the offsets around the week
    )
    return ical.kept_stamp(made, previous, stamp)
