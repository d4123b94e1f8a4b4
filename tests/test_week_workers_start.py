"""The week's card workers start as early as they can: the campaign reaches the first
before the copy's modules load, and the others fork once it has drawn a card."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from toolkit.week.run import build_week

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))

# In a fresh interpreter: which of the copy's modules were loaded when the week handed
# its campaign to the card workers.
_ORDER = """
import json, sys
from datetime import datetime, timezone
from pathlib import Path
import toolkit.week.cards as cards

COPY = ("toolkit.copy.variants", "toolkit.voice.engine", "toolkit.week.build",
        "toolkit.week.exporters", "emoji")
seen = []
start = cards.WeekCards.start

def spy(self, *args, **kwargs):
    seen.append([name for name in COPY if name in sys.modules])
    return start(self, *args, **kwargs)

cards.WeekCards.start = spy
from toolkit.week.run import build_week

now = datetime(2026, 11, 21, 9, tzinfo=timezone.utc)
week = build_week(None, out_dir=Path(sys.argv[1]), now=now)
print(json.dumps({"seen": seen, "cards": sum(1 for d in week.drafts if d.meta.card)}))
"""


def test_the_campaign_reaches_the_card_workers_before_the_copy_modules_load(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _ORDER, str(tmp_path / "week")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["seen"] == [[]], "the workers waited for the copy's imports"
    assert result["cards"] > 0


def test_the_other_workers_start_even_when_every_card_is_homed_on_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first worker forks the others only after its first card: it takes the first
    task whichever worker the card's size is homed on, so a week whose sizes all live on
    another worker does not wait for a worker that was never started."""
    import signal

    import toolkit.week.cards as week_cards

    def all_on_the_last(
        self: week_cards.WeekCards, groups: dict[str, list[str]], count: int
    ) -> None:
        self.loads = [0] * count
        self.queues = [[] for _ in range(count)]
        for size in groups:
            self.homes[size] = count - 1

    monkeypatch.setattr(week_cards.WeekCards, "_plan_homes", all_on_the_last)

    def stuck(*_: object) -> None:
        raise TimeoutError("the week waited for a worker that never started")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(120)
    try:
        week = build_week(None, out_dir=tmp_path / "week", now=NOW)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    cards = {d.meta.card for d in week.drafts if d.meta.card}
    assert cards and all((tmp_path / "week" / card).is_file() for card in cards)
    assert not multiprocessing.active_children()
