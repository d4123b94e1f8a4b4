"""``build_week``: the week's entry, which starts its card workers before the copy's modules load.

The cards are the week's critical path: they can start only once the first worker
has the campaign, and the copy waits for nothing. So this module imports only what
loading a campaign needs; the campaign goes to the workers (``WeekCards.start``)
before the copy's modules (``toolkit.week.build``: the copy, the voice guide, the
planner, the exporters, a tenth of a second of one core) are imported, while the
first worker prepares on the other core.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.campaign.loader import load_campaign
from toolkit.files.output_folder import Ahead
from toolkit.week.early import EarlyWorkers, start_early

if TYPE_CHECKING:
    from toolkit.week.build import WeekResult
    from toolkit.week.cards import Progress, WeekCards


def build_week(
    brief: Path | None,
    *,
    out_dir: Path,
    now: datetime,
    start: date | None = None,
    seed: int = 0,
    force: bool = False,
    cards: bool = True,
    progress: Progress | None = None,
) -> WeekResult:
    """Plan and write a week of drafts for ``brief`` (the demo when None) into ``out_dir``.

    The week is assembled in memory (drafts, cards, scheduler files) and written once.
    Drafts edited by hand stay as they are and take part in the scheduler files; a newly
    planned post that would reuse an edited draft's id is left out, so no id is doubled.
    ``progress(done, total)`` is called as the cards render.
    """
    # The first card worker forks now, with the campaign's modules imported, and imports
    # its drawing stack while the campaign is loaded.
    early: EarlyWorkers | None = start_early() if cards else None
    shop: WeekCards | None = None
    # The cards' files are written (and flushed to disk) as they come back, while the
    # week waits for the others, rather than all at the end: ``write_outputs`` then only
    # renames those it writes, their digests known.
    ahead = Ahead(out_dir) if cards else None
    try:
        campaign = load_campaign(brief, now=now, start=start)
        if cards:
            from toolkit.week.cards import WeekCards

            assert ahead is not None
            shop = WeekCards(campaign, now, arrived=ahead.stage)
            shop.start(early=early)  # the card workers warm up while the week is planned
            early = None  # the shop's now
        from toolkit.week.build import assemble_week

        return assemble_week(campaign, shop, out_dir=out_dir, now=now, seed=seed,
                             force=force, progress=progress, ahead=ahead)  # fmt: skip
    finally:
        if shop is not None:
            shop.close()
        if early is not None:  # the campaign (or its cards' set-up) failed
            early.close()
        if ahead is not None:
            ahead.close()  # what was written ahead and not taken goes
