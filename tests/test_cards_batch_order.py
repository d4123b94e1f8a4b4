"""``render_batch`` draws its cards grouped by shape (``batch._by_shape``), in one process
or several, and still gives each job its own card, in the jobs' order."""

from __future__ import annotations

import dataclasses
import multiprocessing
from datetime import UTC, datetime

from toolkit.campaign.loader import load_campaign
from toolkit.cards.api import render_source
from toolkit.cards.batch import CardJob, _by_shape, render_batch
from toolkit.cards.context import campaign_source

NOW = datetime(2026, 11, 21, 10, tzinfo=UTC)
SIZES = ("640x360", "400x500", "500x500", "642x362", "402x502", "360x640", "502x502")


def test_cards_of_mixed_shapes_come_back_in_the_jobs_order() -> None:
    source = campaign_source(load_campaign(None, now=NOW), now=NOW)
    jobs = [
        CardJob("thumbnail", size, None, "jpeg",
                source=dataclasses.replace(source, context={**source.context, "title": f"T{i}"}))
        for i, size in enumerate(SIZES)
    ]  # fmt: skip
    order = _by_shape(source, jobs)
    assert sorted(order) == list(range(1, len(jobs))) and order != sorted(order)
    shapes = [SIZES[i] for i in order]
    assert abs(shapes.index("402x502") - shapes.index("400x500")) == 1  # one shape together
    assert shapes[0] == "360x640"  # the tallest first: memory peaks early
    alone = [render_source(j.source or source, j.layout, j.size, fmt="jpeg").data for j in jobs]
    for workers in (1, 2):
        cards = render_batch(source, jobs, workers=workers)
        assert [c.size for c in cards] == [j.size for j in jobs]
        assert [c.data for c in cards] == alone
    assert not multiprocessing.active_children()
