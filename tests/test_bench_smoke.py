"""The benchmark suite still runs (bench/ is run by hand; its numbers are never asserted)."""

from __future__ import annotations

from bench import suite
from bench.harness import Rows, table


def test_the_fastest_row_runs_once() -> None:
    out = suite.smoke()
    header, _rule, row = out.splitlines()
    assert "median" in header and "spread" in header
    assert "X weighted count (en), toolkit" in row and "µs" in row
    assert "twitter-text" in row  # toolkit and twitter-text-parser agree on the length, or say not


def test_a_skipped_row_says_why() -> None:
    rows = Rows("peer")
    rows.skip("warm Chromium", "Chromium not found at /usr/bin/chromium")
    row = table(rows.rows).splitlines()[-1]
    assert "skipped" in row and "Chromium not found" in row
