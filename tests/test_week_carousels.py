"""Carousels in the week: the brand turns them on, a post carries them, every file says so."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from toolkit.week.run import build_week

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def test_a_brand_with_carousels_gets_them_in_its_week(
    tmp_path: Path, acme_workspace: Callable[[Path], Path]
) -> None:
    acme_workspace(tmp_path / "ws")
    brand = tmp_path / "ws" / "brand" / "acme" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "carousels: [instagram, linkedin]\n")
    out = tmp_path / "week"
    result = build_week(tmp_path / "ws" / "briefs" / "example.yaml", out_dir=out, now=NOW)
    carrying = {d.meta.platform: d for d in result.drafts if d.meta.carousel}
    assert set(carrying) == {"instagram", "linkedin"}, result.notes
    assert carrying["linkedin"].meta.carousel == ["cards/carousel-linkedin.pdf"]
    slides = carrying["instagram"].meta.carousel
    assert len(slides) >= 3 and all(s.endswith(".png") for s in slides)
    for file in [*slides, *carrying["linkedin"].meta.carousel]:
        assert (out / file).is_file(), file
        alt = (out / file).with_suffix(".txt")
        assert alt.read_text(encoding="utf-8").strip(), f"{file} has no alt text"
    assert (out / "cards/carousel-linkedin.pdf").read_bytes().startswith(b"%PDF")
    rows = list(csv.DictReader(io.StringIO((out / "bulk/posts.csv").read_text("utf-8-sig"))))
    listed = {r["platform"]: r["carousel"] for r in rows if r["carousel"]}
    assert listed["instagram"].split() == slides
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert any(p.get("carousel") == slides for p in plan["posts"])
    assert "carousel-instagram-01.png" in (out / "index.html").read_text(encoding="utf-8")
    # No other post, and no brand without the setting, carries one.
    assert sum(1 for d in result.drafts if d.meta.carousel) == 2
