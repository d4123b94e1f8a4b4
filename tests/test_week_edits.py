"""What people do to a week folder: re-plan it, save drafts from Windows, move a time, thread.

Each case is the file a scheduler would import afterwards, checked as that scheduler
reads it: one post per id, one event per UID, times in the brand's zone, no message
over its platform's limit and never a joined thread.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.week.build import export_week
from toolkit.week.drafts import read_drafts
from toolkit.week.run import build_week

from .conftest import copy_demo_brief

runner = CliRunner()
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=PARIS)


def _week(tmp_path: Path, lang: str = "en", seed: int = 0, extra: str = "") -> Path:
    brief = tmp_path / f"{lang}-brief.yaml"
    if not brief.exists():
        copy_demo_brief(tmp_path, lang, extra=extra)
    out = tmp_path / "week"
    build_week(brief, out_dir=out, now=NOW, seed=seed, cards=False)
    return out


def _uids(out: Path) -> list[str]:
    calendar = icalendar.Calendar.from_ical((out / "calendar.ics").read_bytes())
    return [str(e["UID"]) for e in calendar.walk() if e.name == "VEVENT"]


def test_a_replan_with_another_seed_never_doubles_an_id(tmp_path: Path) -> None:
    out = _week(tmp_path)
    x1 = next((out / "drafts").glob("*_x_1.md"))
    x1.write_text(x1.read_text(encoding="utf-8") + "Edited by Ana.\n", encoding="utf-8")
    result = build_week(tmp_path / "en-brief.yaml", out_dir=out, now=NOW, seed=7, cards=False)
    drafts = read_drafts(out / "drafts")
    ids = Counter(d.meta.id for d in drafts)
    assert max(ids.values()) == 1, ids
    assert any("Edited by Ana." in d.text for d in drafts)
    assert any("kept your edited" in n for n in result.notes) or x1.name in {
        d.path.name for d in drafts if d.path
    }
    uids = _uids(out)
    assert len(uids) == len(set(uids)) == len(drafts)


def test_a_draft_saved_with_windows_line_endings_reads_everywhere(tmp_path: Path) -> None:
    out = _week(tmp_path, "fr")
    draft = next((out / "drafts").glob("*_linkedin_1.md"))
    text = draft.read_text(encoding="utf-8") + "Relu par Ana.\n"
    draft.write_bytes(("\ufeff" + text).replace("\n", "\r\n").encode("utf-8"))
    for command in (["export", str(out)], ["preview", str(out)], ["lint", str(draft)]):
        result = runner.invoke(app, command)
        assert result.exit_code in (0, 1), (command, result.output)
        assert "starts with a '---' line" not in result.output
    posts = (out / "bulk" / "posts.csv").read_text("utf-8-sig")
    assert "Relu par Ana." in posts and "\r\r" not in posts
    again = build_week(tmp_path / "fr-brief.yaml", out_dir=out, now=NOW, cards=False)
    assert any(d.path and d.path.name == draft.name for d in again.drafts)


def test_an_edited_offset_is_converted_in_every_scheduler_file(tmp_path: Path) -> None:
    out = _week(tmp_path)
    draft = next((out / "drafts").glob("*_linkedin_1.md"))
    content = draft.read_text(encoding="utf-8")
    line = next(x for x in content.splitlines() if x.startswith("scheduled_at:"))
    moment = datetime.fromisoformat(line.split("'")[1])
    new_york = moment.astimezone(ZoneInfo("America/New_York"))
    draft.write_text(content.replace(line, f"scheduled_at: '{new_york.isoformat()}'"), "utf-8")
    export_week(out, now=NOW)
    local = moment.astimezone(PARIS)  # the brand's zone: what the scheduler profile uses
    rows = list(csv.reader(io.StringIO((out / "bulk/hootsuite-linkedin.csv").read_text("utf-8"))))
    assert local.strftime("%m/%d/%Y %H:%M") in {r[0] for r in rows}
    sprout = list(csv.reader(io.StringIO((out / "bulk/sprout.csv").read_text("utf-8"))))
    assert [local.strftime("%m/%d/%Y"), local.strftime("%H:%M")] in [r[:2] for r in sprout]
    calendar = icalendar.Calendar.from_ical((out / "calendar.ics").read_bytes())
    starts = [e.decoded("DTSTART") for e in calendar.walk() if e.name == "VEVENT"]
    assert moment in starts


def _stamps(out: Path) -> set[datetime]:
    calendar = icalendar.Calendar.from_ical((out / "calendar.ics").read_bytes())
    return {e.decoded("DTSTAMP") for e in calendar.walk() if e.name == "VEVENT"}


def test_a_week_planned_again_with_nothing_new_leaves_its_calendar_as_it_was(
    tmp_path: Path,
) -> None:
    out = _week(tmp_path)
    before = (out / "calendar.ics").read_bytes()
    later = NOW + timedelta(hours=1)
    again = build_week(tmp_path / "en-brief.yaml", out_dir=out, now=later, cards=False)
    assert "calendar.ics" in again.report.unchanged
    assert (out / "calendar.ics").read_bytes() == before
    assert _stamps(out) == {NOW.astimezone(UTC)}
    export_week(out, now=later)  # the drafts as they are: nothing new either
    assert (out / "calendar.ics").read_bytes() == before
    # A draft edited: the calendar is rewritten, its events stamped with the export's time.
    draft = next((out / "drafts").glob("*_linkedin_1.md"))
    draft.write_text(draft.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    export_week(out, now=later)
    assert (out / "calendar.ics").read_bytes() != before
    assert _stamps(out) == {later.astimezone(UTC)}


def test_threads_reach_the_schedulers_one_message_at_a_time(tmp_path: Path) -> None:
    brief = copy_demo_brief(tmp_path, "en")
    text = brief.read_text(encoding="utf-8").replace("thread: false", "thread: true")
    long_point = " ".join(
        ["Five metrics tie social posts to pipeline and revenue, step by step."] * 6
    )
    text = text.replace(
        "  - 5 metrics that tie social posts to pipeline and revenue", f"  - {long_point}"
    )
    brief.write_text(text, encoding="utf-8")
    out = tmp_path / "week"
    result = build_week(brief, out_dir=out, now=NOW, cards=False)
    threads = [d for d in result.drafts if d.meta.thread]
    assert threads, "a long key point makes threads"
    assert any("a thread of" in n for n in result.notes)
    from toolkit.campaign.loader import load_campaign

    platforms = load_campaign(brief, now=NOW).platforms
    for path in (out / "bulk").glob("hootsuite-*.csv"):
        platform = platforms[path.stem.removeprefix("hootsuite-")]
        for row in csv.reader(io.StringIO(path.read_text("utf-8"))):
            assert "\n---\n" not in row[1]
            assert platform.length(row[1]) <= platform.limit, (platform.name, row[1])
    for row in list(csv.reader(io.StringIO((out / "bulk/sprout.csv").read_text("utf-8"))))[1:]:
        assert "\n---\n" not in row[2]
    for d in threads:
        platform = platforms[d.meta.platform]
        for part in d.parts:
            assert platform.length(part) <= platform.limit
            assert not all(word.startswith("#") for word in part.split() if word[0] != "("), part


def test_one_length_whatever_command_measures_the_post(tmp_path: Path) -> None:
    import json

    out = _week(tmp_path)
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    lengths = {p["id"]: p["length"] for p in plan["posts"]}
    for d in read_drafts(out / "drafts"):
        if d.meta.thread:
            continue
        planned = lengths[d.meta.id]
        # The body as an editor saves it, with its trailing newline, through `count -`.
        counted = runner.invoke(
            app, ["count", "-p", d.meta.platform, "-", "--format", "json"], input=d.text + "\n"
        )
        assert json.loads(counted.output)["length"] == planned, d.meta.id


def test_a_draft_edited_by_hand_keeps_the_card_it_shows(tmp_path: Path) -> None:
    """Re-planned, the week keeps a hand-edited draft as it is, and no longer makes its
    post's card: the card (and its alt text) stays for the draft that shows it."""
    brief = copy_demo_brief(tmp_path, "en")
    out = tmp_path / "week"
    build_week(brief, out_dir=out, now=NOW)
    with_card = [d for d in read_drafts(out / "drafts") if d.meta.card]
    edited = with_card[0]
    assert edited.path is not None
    path = out / "drafts" / edited.path.name
    path.write_text(path.read_text(encoding="utf-8") + "Edited by Ana.\n", encoding="utf-8")
    again = build_week(brief, out_dir=out, now=NOW)
    assert f"drafts/{edited.path.name}" in again.report.kept_edited
    card = str(edited.meta.card)
    assert (out / card).is_file() and (out / card).with_suffix(".txt").is_file()
    assert card not in again.report.removed
