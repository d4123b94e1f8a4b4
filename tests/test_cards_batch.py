"""Cards in parallel: the pool is sized to the batch, jobs travel in chunks, and the
week's workers give the same bytes as drawing each card in the calling process."""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from toolkit.campaign.loader import load_campaign
from toolkit.cards.api import render_source
from toolkit.cards.batch import (
    MAX_CHUNK,
    MIN_JOBS_PER_WORKER,
    CardJob,
    chunk_size,
    default_workers,
    render_batch,
)
from toolkit.cards.carousel import render_carousel
from toolkit.cards.context import CardSource, campaign_source
from toolkit.week.run import build_week

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.mark.parametrize("cpus", [1, 2, 8])
def test_a_small_batch_stays_in_one_process(cpus: int) -> None:
    assert default_workers(1, cpus) == 1
    assert default_workers(MIN_JOBS_PER_WORKER, cpus) == 1
    assert default_workers(MIN_JOBS_PER_WORKER * 2 - 1, cpus) == 1
    # From two workers' worth of cards, as many workers as CPUs the batch keeps busy.
    assert default_workers(MIN_JOBS_PER_WORKER * 2, cpus) == min(2, cpus)
    assert default_workers(50, cpus) == min(50 // MIN_JOBS_PER_WORKER, cpus)
    assert default_workers(10_000, cpus) == cpus


def test_chunks_are_small_enough_to_even_out_the_workers() -> None:
    assert chunk_size(1, 2) == 1
    assert chunk_size(49, 2) == 1
    assert chunk_size(1_000, 2) == MAX_CHUNK
    for jobs in (50, 100, 300, 1_000, 10_000):
        for workers in (2, 4):
            size = chunk_size(jobs, workers)
            assert 1 <= size <= MAX_CHUNK
            assert jobs // size >= workers * 8 or size == 1  # many tasks per worker


def _distinct(source: CardSource, count: int) -> list[CardJob]:
    """Cards of distinct titles and distinct sizes, kept in memory."""
    jobs = []
    for i in range(count):
        own = dataclasses.replace(source, context={**source.context, "title": f"Card {i}"})
        jobs.append(CardJob("thumbnail", f"{640 + 2 * i}x{360 + 2 * i}", None, "jpeg", source=own))
    return jobs


def test_two_workers_give_the_same_bytes_in_the_same_order() -> None:
    source = campaign_source(load_campaign(None, now=NOW), now=NOW)
    jobs = _distinct(source, 7)
    one = render_batch(source, jobs, workers=1)
    calls: list[int] = []
    two = render_batch(source, jobs, workers=2, progress=lambda d, t, c: calls.append(d))
    assert calls == list(range(1, 8))
    assert [c.size for c in two] == [c.size for c in one] == [j.size for j in jobs]
    assert [c.data for c in two] == [c.data for c in one]
    assert not multiprocessing.active_children()  # the pool is gone with the batch


def test_the_weeks_workers_draw_what_the_calling_process_would(
    tmp_path: Path, acme_workspace: Callable[[Path], Path]
) -> None:
    """Cards and carousels rendered in the week's workers are the bytes drawn here."""
    acme_workspace(tmp_path / "ws")
    brand = tmp_path / "ws" / "brand" / "acme" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "carousels: [instagram, linkedin]\n")
    brief = tmp_path / "ws" / "briefs" / "example.yaml"
    out = tmp_path / "week"
    result = build_week(brief, out_dir=out, now=NOW)
    assert not multiprocessing.active_children()  # the workers are gone with the week
    campaign = load_campaign(brief, now=NOW)
    post = next(d for d in result.drafts if d.meta.platform == "instagram" and d.meta.carousel)
    slides = render_carousel(campaign, "instagram", None, now=post.meta.scheduled_at,
                             angle=post.meta.angle)  # fmt: skip
    assert post.meta.carousel is not None
    assert [(out / f).read_bytes() for f in post.meta.carousel] == [s.data for s in slides.slides]
    # Cards before the event that show no post's own key point or quote.
    plain = [
        (d, Path(d.meta.card).stem.partition("-")[0])
        for d in result.drafts
        if d.meta.card and not d.meta.card.endswith("-after.png")
    ]
    plain = [(d, layout) for d, layout in plain if layout not in ("key_stat", "quote")]
    assert plain
    for draft, layout in plain[:3]:
        assert draft.meta.card is not None
        platform = campaign.platforms[draft.meta.platform]
        size = platform.images[0]
        here = render_source(
            campaign_source(campaign, now=NOW), layout, size.name, fmt="png",
            max_bytes=size.max_bytes,
        )  # fmt: skip
        assert (out / draft.meta.card).read_bytes() == here.data, draft.meta.card


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("load_campaign", "no campaign"),  # the first worker started, waiting for it
        ("plan_week", "planning failed"),  # before any card is sent
        ("_carousel_posts", "failed after the cards were sent"),  # with cards on the way
    ],
)
def test_the_weeks_workers_stop_when_the_week_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, message: str
) -> None:
    import toolkit.week.build as week_build
    import toolkit.week.run as week_run

    def broken(*args: object, **kwargs: object) -> object:
        raise ValueError(message)

    monkeypatch.setattr(week_run if step == "load_campaign" else week_build, step, broken)
    with pytest.raises(ValueError, match=message):
        build_week(None, out_dir=tmp_path / "week", now=NOW)
    assert not multiprocessing.active_children()


def test_an_early_worker_starts_only_the_workers_the_week_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first worker forks before the campaign is known, with a pipe for each CPU it
    may start; a week whose cards have one home size keeps one worker (the other pipes
    closed), and its cards are the same bytes."""
    import toolkit.week.cards as week_cards

    both = build_week(None, out_dir=tmp_path / "two", now=NOW)
    counts: list[int] = []
    plan = week_cards.WeekCards._plan_homes

    def spy(self: week_cards.WeekCards, groups: dict[str, list[str]], count: int) -> None:
        counts.append(count)
        plan(self, groups, count)

    sizes = week_cards._sizes
    monkeypatch.setattr(week_cards, "_sizes", lambda c: dict(list(sizes(c).items())[:1]))
    monkeypatch.setattr(week_cards.WeekCards, "_plan_homes", spy)
    one = build_week(None, out_dir=tmp_path / "one", now=NOW)
    assert counts == [1]
    assert not multiprocessing.active_children()
    cards = [d.meta.card for d in one.drafts if d.meta.card]
    assert cards == [d.meta.card for d in both.drafts if d.meta.card]
    for card in cards:
        assert (tmp_path / "one" / card).read_bytes() == (tmp_path / "two" / card).read_bytes()


_RENDER_SOME = """
import hashlib, sys
from datetime import datetime, timezone
sys.path.insert(0, {root!r})
from toolkit.campaign.loader import load_campaign
from toolkit.cards.api import render_source
from toolkit.cards.context import campaign_source
from pathlib import Path
briefs = Path({root!r}) / "brand" / "demo" / "briefs"
now = datetime(2026, 11, 21, 10, tzinfo=timezone.utc)
for lang in ("en", "tr"):
    source = campaign_source(load_campaign(briefs / f"{{lang}}.yaml", now=now), now=now)
    for layout, size in (("event", "x-single"), ("quote", "instagram-portrait"),
                         ("key_stat", "story")):
        card = render_source(source, layout, size, fmt="png")
        print(lang, layout, size, hashlib.sha256(card.data).hexdigest())
"""


def test_cards_are_the_same_bytes_whatever_the_processs_hash_seed() -> None:
    """Two runs of the same week must not differ because Python orders sets differently,
    or because of what the process did before (Latin and Turkish, the glyph-cache path)."""
    import os
    import subprocess
    import sys

    script = _RENDER_SOME.format(root=str(Path(__file__).resolve().parents[1]))
    # Both at once: the check costs one process's time.
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        for seed in ("0", "4242")
    ]
    runs = [proc.communicate()[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0]
    assert runs[0].count("\n") == 6
    assert runs[0] == runs[1]


def test_the_commands_early_worker_stops_with_the_command(tmp_path: Path) -> None:
    """``toolkit week`` forks the first card worker before it loads the campaign: a brief
    that cannot be read still gives its error (exit 2) and leaves no process behind,
    and a week that runs hands the worker to its cards."""
    from typer.testing import CliRunner

    from toolkit.cli import app

    brief = tmp_path / "brief.yaml"
    brief.write_text("campaign: [unclosed\n", encoding="utf-8")
    runner = CliRunner()
    failed = runner.invoke(app, ["week", str(brief), "-o", str(tmp_path / "bad")])
    assert failed.exit_code == 2, failed.output
    assert "brief.yaml:" in failed.output
    assert not multiprocessing.active_children()
    done = runner.invoke(app, ["week", "-o", str(tmp_path / "week"), "--now", NOW.isoformat()])
    assert done.exit_code == 0, done.output
    assert list((tmp_path / "week" / "cards").glob("*.png"))
    assert not multiprocessing.active_children()
