"""The peer comparison: toolkit's YouTube thumbnail against the same card as HTML in Chromium.

Both sides make the demo brief's 1280×720 thumbnail as JPEG (quality 90), with
a new title for every card, from the same text, colours, logo and speaker
photo. Toolkit: ``render_card(campaign, "thumbnail", "youtube-thumbnail",
fmt="jpeg")`` (fit, draw, encode, alt text). Browser: headless Chromium,
launched once and kept warm on the card's page; per card, one script call
sets the title and fits its size (the same 52–118 px range, at most four
balanced lines), then ``Page.captureScreenshot`` (JPEG) returns the bytes.
The two are timed in turn, repeat by repeat, so a busy machine slows both.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .cards import distinct_title
from .harness import MS, NOW, Config, Rows, at_least, number

CHROMIUM = os.environ.get("TOOLKIT_CHROMIUM", "/usr/bin/chromium")
DRIVER = os.environ.get("TOOLKIT_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,720",
)
WIDTH, HEIGHT = 1280, 720
QUALITY = 90
# The satori + resvg peer: a folder where `npm install satori @resvg/resvg-js` ran
# (outside the repository), Node, and the font both sides draw the title with.
SATORI_DIR = Path(os.environ.get("TOOLKIT_SATORI_DIR", "/work/peers/satori"))
NODE = os.environ.get("TOOLKIT_NODE", "node")
SATORI_FONT = Path(
    os.environ.get("TOOLKIT_SATORI_FONT", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")
)
SATORI_SCRIPT = Path(__file__).with_name("satori_peer.mjs")

# The thumbnail layout's landscape variant (templates/cards/thumbnail.yaml), as CSS.
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><style>
html, body {{ margin: 0; width: 1280px; height: 720px; overflow: hidden; }}
body {{ position: relative; font-family: "Noto Sans", sans-serif; font-weight: 700;
  background: linear-gradient(110deg, {primary}, {secondary}); }}
.abs {{ position: absolute; }}
#blob {{ left: 1198px; top: -134px; width: 330px; height: 330px; border-radius: 50%;
  background: {accent}; opacity: 0.18; }}
#logo {{ left: 64px; top: 44px; width: 260px; height: 64px; object-fit: contain;
  object-position: left center; }}
#photo {{ left: 890px; top: 140px; width: 320px; height: 320px; border: 10px solid {accent};
  border-radius: 50%; background: {secondary}; object-fit: cover; object-position: 50% 40%; }}
#title-box {{ left: 64px; top: 140px; width: 800px; height: 420px; display: flex;
  align-items: center; }}
#title {{ width: 800px; color: #fff; text-transform: uppercase; line-height: 1.02;
  text-wrap: balance; font-size: 118px; }}
#subtitle {{ left: 64px; top: 584px; height: 76px; display: flex; align-items: center; }}
#chip {{ font-size: 35px; line-height: 1.1; color: {secondary}; background: {accent};
  padding: 0.24em 0.45em; border-radius: 999px; white-space: nowrap; }}
</style></head><body>
<div class="abs" id="blob"></div>
<img class="abs" id="logo" src="{logo}" alt="">
<img class="abs" id="photo" src="{photo}" alt="">
<div class="abs" id="title-box"><div id="title">{title}</div></div>
<div class="abs" id="subtitle"><span id="chip">{subtitle}</span></div>
<script>
function fit(text) {{
  const t = document.getElementById("title");
  t.textContent = text;
  let lo = 52, hi = 118, best = 52;
  while (lo <= hi) {{
    const mid = (lo + hi) >> 1;
    t.style.fontSize = mid + "px";
    const lines = Math.round(t.offsetHeight / (mid * 1.02));
    if (t.scrollWidth <= 800 && t.offsetHeight <= 420 && lines <= 4) {{
      best = mid; lo = mid + 1;
    }} else {{ hi = mid - 1; }}
  }}
  t.style.fontSize = best + "px";
  return best;
}}
</script></body></html>
"""


def _missing() -> str | None:
    for what, path in (("Chromium", CHROMIUM), ("chromedriver", DRIVER)):
        if not Path(path).exists():
            return f"{what} not found at {path} (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install selenium)"
    return None


def _demo() -> tuple[Any, dict[str, str]]:
    """The demo campaign and the HTML page's fields, taken from what toolkit draws."""
    from toolkit.campaign.loader import load_campaign
    from toolkit.cards.api import render_card

    campaign = load_campaign(None)
    card = render_card(campaign, "thumbnail", "youtube-thumbnail", now=NOW, fmt="jpeg")
    text = {p.layer: p.text for p in card.placed if p.kind == "text"}
    brand = campaign.brand
    colours = brand.config.colours
    event = campaign.brief.event
    assert event is not None and event.title and event.speakers[0].photo and brand.config.logo
    assert campaign.brief_path is not None
    photo = (campaign.brief_path.parent / event.speakers[0].photo).resolve()
    fields = {
        "primary": colours.primary,
        "secondary": colours.secondary,
        "accent": colours.accent,
        "logo": (brand.folder / brand.config.logo).resolve().as_uri(),
        "photo": photo.as_uri(),
        "logo_path": str((brand.folder / brand.config.logo).resolve()),
        "photo_path": str(photo),
        "title": event.title,
        "subtitle": text["subtitle"],
    }
    return campaign, fields


def _titled(campaign: Any, title: str) -> Any:
    """The campaign with another event title (the thumbnail's title)."""
    brief = campaign.brief
    event = brief.event.model_copy(update={"title": title})
    return dataclasses.replace(campaign, brief=brief.model_copy(update={"event": event}))


@contextmanager
def browser(html: Path) -> Iterator[Any]:
    """Chromium through chromedriver, on ``html``, with a 1280×720 viewport at scale 1."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        )
        driver.get(html.as_uri())
        driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "Promise.all([document.fonts.ready, ...[...document.images].map(i => i.decode())])"
            ".then(() => done(true));"
        )
        yield driver
    finally:
        driver.quit()


def screenshot(driver: Any, title: str) -> bytes:
    """One browser card: set and fit the title, capture the page as JPEG."""
    driver.execute_script("return fit(arguments[0])", title)
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "jpeg",
            "quality": QUALITY,
            "clip": {"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT, "scale": 1},
        },
    )
    return base64.b64decode(shot["data"])


def _batch(make: Callable[[int], bytes], start: int, count: int) -> tuple[float, int]:
    """Seconds per card and bytes of the last card for ``count`` cards."""
    began = time.perf_counter()
    data = b""
    for i in range(start, start + count):
        data = make(i)
    return (time.perf_counter() - began) / count, len(data)


def peer_rows(cfg: Config) -> Rows:
    """Toolkit vs warm Chromium per JPEG thumbnail, then vs warm satori + resvg per PNG."""
    rows = chromium_rows(cfg)
    rows.rows += satori_rows(cfg).rows
    return rows


def chromium_rows(cfg: Config) -> Rows:
    """Toolkit vs warm Chromium per JPEG thumbnail; ``cfg.keep`` saves one card of each."""
    from toolkit.cards.api import render_card

    rows = Rows("peer")
    name_tk = "thumbnail 1280×720 JPEG, toolkit render_card"
    name_br = "thumbnail 1280×720 JPEG, warm Chromium"
    campaign, fields = _demo()
    repeats, per_run = cfg.n(5), 5 if cfg.quick else 20
    titles = [distinct_title(i) for i in range(per_run * (repeats + 1))]
    campaigns = [_titled(campaign, t) for t in titles]

    def toolkit_card(i: int) -> bytes:
        card = render_card(campaigns[i], "thumbnail", "youtube-thumbnail", now=NOW, fmt="jpeg")
        assert card.data is not None
        return card.data

    missing = _missing()
    if missing:
        tk = [_batch(toolkit_card, per_run * r, per_run)[0] * MS for r in range(repeats)]
        rows.add(name_tk, tk, "ms/card")
        rows.skip(name_br, missing)
        return rows
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "thumbnail.html"
        html.write_text(PAGE.format(**fields), encoding="utf-8")
        launched = time.perf_counter()
        try:
            with browser(html) as driver:
                cold = time.perf_counter() - launched
                for i in range(5):  # warm both, and let the new browser settle
                    toolkit_card(i), screenshot(driver, titles[i])
                time.sleep(1)
                tk, br, ratios = [], [], []
                sizes = (0, 0)
                for r in range(repeats):
                    first = per_run * (r + 1)
                    t, tk_bytes = _batch(toolkit_card, first, per_run)
                    b, br_bytes = _batch(lambda i: screenshot(driver, titles[i]), first, per_run)
                    tk.append(t * MS)
                    br.append(b * MS)
                    ratios.append(b / t)
                    sizes = (tk_bytes, br_bytes)
                if (out := cfg.keep) is not None:
                    out.mkdir(parents=True, exist_ok=True)
                    (out / "peer-toolkit.jpg").write_bytes(toolkit_card(1))
                    (out / "peer-chromium.jpg").write_bytes(screenshot(driver, titles[1]))
        except Exception as exc:  # a browser that will not start is a skipped row, not a crash
            rows.add(name_tk, [_batch(toolkit_card, 1, per_run)[0] * MS], "ms/card")
            rows.skip(name_br, f"{type(exc).__name__}: {str(exc).splitlines()[0][:80]}")
            return rows
    rows.add(name_tk, tk, "ms/card", note=f"{per_run} titles per run; {sizes[0] // 1000} kB")
    rows.add(
        name_br,
        br,
        "ms/card",
        note=f"launch + page load {number(cold * MS)} ms once; {sizes[1] // 1000} kB",
    )
    rows.add("Chromium / toolkit, per JPEG card", ratios, "×", target=at_least(5))
    return rows


def _satori_missing() -> str | None:
    if shutil.which(NODE) is None:
        return f"node not found ({NODE}; set TOOLKIT_NODE)"
    for package in ("satori", "@resvg/resvg-js"):
        if not (SATORI_DIR / "node_modules" / package / "package.json").exists():
            return (
                f"{package} not installed in {SATORI_DIR} (TOOLKIT_SATORI_DIR): "
                "npm install satori @resvg/resvg-js there"
            )
    if not SATORI_FONT.exists():
        return f"font not found at {SATORI_FONT} (TOOLKIT_SATORI_FONT)"
    return None


class Satori:
    """bench/satori_peer.mjs kept warm: one title in, one PNG out."""

    def __init__(self, fields: dict[str, str], tmp: Path) -> None:
        spec = tmp / "satori-fields.json"
        spec.write_text(
            json.dumps(
                {
                    **{k: fields[k] for k in ("primary", "secondary", "accent", "subtitle")},
                    "logo": fields["logo_path"],
                    "photo": fields["photo_path"],
                    "font": str(SATORI_FONT),
                }
            ),
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [NODE, str(SATORI_SCRIPT), str(SATORI_DIR), str(spec)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def png(self, title: str, size: int) -> bytes:
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write((json.dumps({"title": title, "size": size}) + "\n").encode("utf-8"))
        stdin.flush()
        head = stdout.read(4)
        if len(head) < 4:
            raise RuntimeError("the satori peer stopped")
        return stdout.read(int.from_bytes(head, "big"))

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def satori_rows(cfg: Config) -> Rows:
    """Toolkit vs warm satori + resvg per PNG thumbnail, timed in turn repeat by repeat.

    Satori cannot measure text, so it gets the title's size from the toolkit card
    just drawn for the same title: the fitting is toolkit's work only.
    """
    from toolkit.cards.api import render_card

    rows = Rows("peer")
    name_tk = "thumbnail 1280×720 PNG, toolkit render_card"
    name_peer = "thumbnail 1280×720 PNG, warm satori + resvg"
    campaign, fields = _demo()
    repeats, per_run = cfg.n(5), 5 if cfg.quick else 20
    titles = [distinct_title(10_000 + i) for i in range(per_run * (repeats + 1))]
    campaigns = [_titled(campaign, t) for t in titles]
    sizes: dict[int, int] = {}

    def toolkit_card(i: int) -> bytes:
        card = render_card(campaigns[i], "thumbnail", "youtube-thumbnail", now=NOW, fmt="png")
        assert card.data is not None
        sizes[i] = next(p.size for p in card.placed if p.layer == "title")
        return card.data

    missing = _satori_missing()
    if missing:
        rows.skip(name_peer, missing)
        return rows
    with tempfile.TemporaryDirectory() as tmp:
        launched = time.perf_counter()
        peer = Satori(fields, Path(tmp))
        try:
            for i in range(per_run):  # warm both (the peer's first card compiles its code)
                toolkit_card(i), peer.png(titles[i], sizes[i])
            cold = time.perf_counter() - launched
            tk, sa, ratios = [], [], []
            last = (0, 0)
            for r in range(repeats):
                first = per_run * (r + 1)
                t, tk_bytes = _batch(toolkit_card, first, per_run)
                p, sa_bytes = _batch(lambda i: peer.png(titles[i], sizes[i]), first, per_run)
                tk.append(t * MS)
                sa.append(p * MS)
                ratios.append(p / t)
                last = (tk_bytes, sa_bytes)
            if (out := cfg.keep) is not None:
                out.mkdir(parents=True, exist_ok=True)
                (out / "peer-toolkit.png").write_bytes(toolkit_card(1))
                (out / "peer-satori.png").write_bytes(peer.png(titles[1], sizes[1]))
        except Exception as exc:  # a peer that fails is a skipped row, not a crash
            rows.skip(name_peer, f"{type(exc).__name__}: {str(exc).splitlines()[0][:80]}")
            return rows
        finally:
            peer.close()
    rows.add(name_tk, tk, "ms/card", note=f"{per_run} titles per run; {last[0] // 1000} kB")
    rows.add(
        name_peer,
        sa,
        "ms/card",
        note=f"start + {per_run} warm-up cards {number(cold * MS)} ms once; {last[1] // 1000} kB",
    )
    rows.add("satori + resvg / toolkit, per PNG card", ratios, "×", target=at_least(6))
    return rows
