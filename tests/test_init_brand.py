"""`toolkit init --brand NAME` makes NAME's brand, whose first week is a real week."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from toolkit.campaign.loader import load_campaign
from toolkit.setup.scaffold import init_workspace
from toolkit.voice import load_guide
from toolkit.week.run import build_week

from .conftest import yaml_data

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize(
    ("slug", "name", "tag", "handle"),
    [
        ("acme", "Acme", "Acme", "@acme"),
        ("blue-fox_studio", "Blue Fox Studio", "BlueFoxStudio", "@bluefoxstudio"),
    ],
)
def test_init_makes_the_brand_it_names(
    tmp_path: Path, slug: str, name: str, tag: str, handle: str
) -> None:
    init_workspace(tmp_path, slug)
    brand_dir = tmp_path / "brand" / slug
    brand = yaml_data((brand_dir / "brand.yaml").read_text(encoding="utf-8"))
    assert brand["name"] == name
    assert brand["handles"]["x"] == handle
    assert brand["hashtags"] == [tag]
    # Nothing of the demo brand is left in what the user reads and edits.
    for path in [*brand_dir.rglob("*.yaml"), *(tmp_path / "briefs").glob("*.yaml")]:
        assert not re.search("northwind", path.read_text(encoding="utf-8"), re.I), path
    # Its own voice guide loads (its examples self-test) and names the brand.
    guide = load_guide(brand_dir)
    assert guide.rules
    assert f"#{tag}" in (brand_dir / "voice.yaml").read_text(encoding="utf-8")
    with Image.open(brand_dir / "assets" / "logo.png") as logo:
        assert logo.width > logo.height > 0


def test_the_example_brief_refers_only_to_files_that_exist_and_plans_a_full_week(
    tmp_path: Path,
) -> None:
    init_workspace(tmp_path / "ws", "acme")
    brief = tmp_path / "ws" / "briefs" / "example.yaml"
    campaign = load_campaign(brief, now=NOW)
    assert campaign.brief.event is not None
    for speaker in campaign.brief.event.speakers:
        if speaker.photo:
            assert (brief.parent / speaker.photo).is_file(), speaker.photo
    result = build_week(brief, out_dir=tmp_path / "week", now=NOW, cards=False)
    assert len(result.drafts) >= 25, result.notes
    assert {d.meta.platform for d in result.drafts} == set(campaign.platforms)
    assert all("Northwind" not in d.text for d in result.drafts)


def test_in_a_new_workspace_the_week_and_lint_need_no_brief_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from the folder `toolkit init --brand acme` made, `toolkit week` plans its own
    example brief (not the bundled demo: Northwind's copy, judged by lint against Acme's
    voice), and lint finds nothing to say about the brand's hashtag."""
    from typer.testing import CliRunner

    from toolkit.cli import app

    init_workspace(tmp_path / "ws", "acme")
    monkeypatch.chdir(tmp_path / "ws")
    runner = CliRunner()
    week = runner.invoke(app, ["week", "--no-cards", "--now", NOW.isoformat()])
    assert week.exit_code == 0, week.output
    source = (tmp_path / "ws" / "week" / ".toolkit" / "source.json").read_text(encoding="utf-8")
    assert "example.yaml" in source
    drafts = list((tmp_path / "ws" / "week" / "drafts").glob("*.md"))
    assert drafts and not any("Northwind" in d.read_text(encoding="utf-8") for d in drafts)
    lint = runner.invoke(app, ["lint", "week/drafts"])
    assert "require.brand-hashtag" not in lint.output, lint.output
