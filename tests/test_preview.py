"""The week preview in a real browser (headless Chromium), and its escaping."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.week.drafts import read_drafts

from .conftest import REPO, copy_demo_brief

runner = CliRunner()
NOW = "2026-11-21T10:00"
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> & "quotes"'
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
SHOTS = (
    Path(os.environ.get("TOOLKIT_SCREENSHOTS", ""))
    if os.environ.get("TOOLKIT_SCREENSHOTS")
    else None
)


def build(tmp_path: Path, brief: Path | None = None, *extra: str) -> Path:
    out = tmp_path / "week"
    args = ["week", *([str(brief)] if brief else []), "--out", str(out), "--now", NOW, *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


def hostile_brief(tmp_path: Path) -> Path:
    text = copy_demo_brief(tmp_path, "en").read_text(encoding="utf-8")
    text = text.replace(
        "message: Prove the ROI of social media in 45 minutes.",
        f"message: {json.dumps('Prove it. ' + HOSTILE)}",
    )
    assert HOSTILE.split(">")[0] in text
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# Each week is planned once per module and copied before a test edits it. The hostile week
# has its cards (the page's images, in Chromium too); the demo week's tests are about
# drafts, filters and findings, and planning its cards cost ~3 s of CPU in card workers.


@pytest.fixture(scope="module")
def hostile_week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    return build(folder, hostile_brief(folder), "--start", "2026-11-23")


@pytest.fixture(scope="module")
def demo_week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("demo"), None, "--start", "2026-11-23", "--no-cards")


def own_copy(week: Path, tmp_path: Path) -> Path:
    out = tmp_path / "week"
    shutil.copytree(week, out)
    return out


def test_user_text_is_escaped(hostile_week: Path) -> None:
    out = hostile_week
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "<img src=x onerror" not in html


def test_page_is_self_contained(hostile_week: Path) -> None:
    html = (hostile_week / "index.html").read_text(encoding="utf-8")
    assert "<img" in html  # its cards
    assert "<link" not in html and 'src="http' not in html and "@import" not in html
    assert html.count("data-post-id=") == len(list((hostile_week / "drafts").glob("*.md")))


def test_preview_rebuilds_from_edited_drafts(demo_week: Path, tmp_path: Path) -> None:
    out = own_copy(demo_week, tmp_path)
    draft = sorted((out / "drafts").glob("*.md"))[0]
    draft.write_text(draft.read_text(encoding="utf-8") + "Edited for the preview.\n", "utf-8")
    result = runner.invoke(app, ["preview", str(out)])
    assert result.exit_code == 0, result.output
    assert "Edited for the preview." in (out / "index.html").read_text(encoding="utf-8")


# --- in a real browser -------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None or DRIVER is None:
        pytest.skip(
            "headless Chromium and chromedriver are not installed "
            "(apt-get install chromium chromium-driver)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--hide-scrollbars",
    ):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _requests(driver: Any) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_page_in_chromium(
    browser: Any, hostile_week: Path, tmp_path: Path, width: int, height: int
) -> None:
    out = hostile_week
    drafts = read_drafts(out / "drafts")
    browser.get_log("performance")
    browser.get_log("browser")
    browser.set_window_size(width, height)
    browser.get((out / "index.html").resolve().as_uri())
    ids = browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-post-id]')).map(e => e.dataset.postId)"
    )
    assert sorted(ids) == sorted(d.meta.id for d in drafts)
    images = browser.execute_script(
        "return Array.from(document.images)"
        ".map(i => [i.getAttribute('src'), i.complete && i.naturalWidth])"
    )
    assert all(loaded for _src, loaded in images), images
    assert browser.execute_script("return window.__pwned === undefined")
    assert "<script>window.__pwned" in browser.find_element("tag name", "main").text
    for url in _requests(browser):
        assert url.startswith(("file://", "data:")), url
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    # The page fits the window: nothing but the week grid scrolls sideways.
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    shots = SHOTS or tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(shots / f"preview-{width}x{height}.png"))


def test_filters_in_chromium(browser: Any, demo_week: Path) -> None:
    from selenium.webdriver.support.ui import Select

    out = demo_week
    browser.set_window_size(1280, 800)
    browser.get((out / "index.html").resolve().as_uri())
    Select(browser.find_element("id", "filter-platform")).select_by_value("linkedin")
    visible = browser.execute_script(
        "return Array.from(document.querySelectorAll('article.post:not([hidden])'))"
        ".map(e => e.dataset.platform)"
    )
    assert visible and set(visible) == {"linkedin"}
    Select(browser.find_element("id", "filter-platform")).select_by_value("")
    Select(browser.find_element("id", "filter-pillar")).select_by_value("educate")
    pillars = browser.execute_script(
        "return Array.from(document.querySelectorAll('article.post:not([hidden])'))"
        ".map(e => e.dataset.pillar)"
    )
    assert pillars and set(pillars) == {"educate"}


def test_lint_findings_show_inline_and_in_the_error_list(demo_week: Path, tmp_path: Path) -> None:
    out = own_copy(demo_week, tmp_path)
    draft = next((out / "drafts").glob("*_linkedin_*.md"))
    draft.write_text(draft.read_text(encoding="utf-8") + "Follow us on Linkedin.\n", "utf-8")
    result = runner.invoke(app, ["preview", str(out)])
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "term.names" in html and "No error-level findings." not in html
    plan = runner.invoke(app, ["export", str(out), "--now", NOW])
    assert plan.exit_code == 0, plan.output
    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    flagged = [p for p in data["posts"] if p.get("findings")]
    assert [f["rule"] for p in flagged for f in p["findings"]] == ["term.names"]
    line = flagged[0]["findings"][0]["line"]
    assert draft.read_text(encoding="utf-8").splitlines()[line - 1] == "Follow us on Linkedin."


def test_a_workspace_page_template_is_sandboxed(
    tmp_path: Path, acme_workspace: Callable[[Path], Path]
) -> None:
    acme_workspace(tmp_path / "ws")
    page = tmp_path / "ws" / "templates" / "preview" / "index.html.j2"
    page.parent.mkdir(parents=True)
    page.write_text('{{ "{:>999999999}".format(1) }}\n', encoding="utf-8")
    brief = tmp_path / "ws" / "briefs" / "example.yaml"
    out = str(tmp_path / "o")
    result = runner.invoke(app, ["week", str(brief), "--out", out, "--now", NOW, "--no-cards"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(str(page)) and "Traceback" not in result.output


def test_english_headings_keep_english_capitals_in_a_turkish_week(
    browser: Any, tmp_path: Path
) -> None:
    """The page's own headings are English, shown in capitals by CSS: in a Turkish week
    (the page's lang is tr) they are marked English, so "Content mix" does not come out
    as "CONTENT MİX" with Turkish dotted capitals."""
    brief = REPO / "brand" / "demo" / "briefs" / "tr.yaml"
    out = build(tmp_path, brief, "--no-cards")
    browser.set_window_size(1280, 800)
    browser.get((out / "index.html").resolve().as_uri())
    assert browser.execute_script("return document.documentElement.lang").startswith("tr")
    headings = browser.execute_script(
        "return Array.from(document.querySelectorAll('.panel h3')).map(h => h.innerText)"
    )
    assert "CONTENT MIX AGAINST TARGET" in headings
    assert not any("İ" in h for h in headings), headings


def test_a_week_that_starts_midweek_starts_the_page_that_day(tmp_path: Path) -> None:
    """``--start`` on a Thursday: the page's week and its days begin that Thursday, not on
    the Monday before (three empty days and "week of" a date nothing is planned on)."""
    out = build(tmp_path, None, "--no-cards", "--start", "2026-12-10")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "week of December 10, 2026" in page
    assert not any(day in page for day in ("Dec 7", "Dec 8", "Dec 9"))
    assert "Dec 16" in page  # its seventh day
