"""Helpers for the browser tests: a `streamlit run` server on a free port, Debian's Chromium driven by Playwright, and
waits on conditions (never on fixed sleeps)."""
from __future__ import annotations

import io
import math
import re
import time
from contextlib import contextmanager
from pathlib import Path

from monitor.devtools.server import (  # noqa: F401 (re-exported)
    CHROMIUM,
    CHROMIUM_ARGS,
    RENDER_TIMEOUT_MS,
    local_server,
    wait_finished,
)

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
SHOTS = ARTIFACTS / "test-screenshots"  # each run's; a chosen few are kept in artifacts/screenshots
TIMINGS = ARTIFACTS / "browser_timings.txt"
# Streamlit's front end probes `<page>/_stcore/health` and `<page>/_stcore/host-config` on a deep link (in case the
# app is served under that base path) before falling back to `/_stcore/...`; those two 404s are expected.
EXPECTED_404 = re.compile(r"^http://127\.0\.0\.1:\d+/[A-Za-z0-9_]+/_stcore/(health|host-config)$")
LOCAL = re.compile(r"^(http://127\.0\.0\.1|http://localhost|data:|blob:|about:)")
# The script has finished, nothing is stale, and it is still so two animation frames later (a widget callback can
# start one more run right after the first settles).
SETTLED = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(
    document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'
    && document.querySelectorAll('[data-stale=true]').length === 0))))"""


@contextmanager
def streamlit_server(env: dict[str, str] | None = None):
    """A fresh `streamlit run app.py` on a free local port, stopped by its PID afterwards; yields the base URL."""
    ARTIFACTS.mkdir(exist_ok=True)
    with local_server(env, log=ARTIFACTS / "streamlit-test.log") as (base, _pid):
        yield base


@contextmanager
def fresh_servers(count: int, env: dict[str, str] | None = None):
    """`count` fresh servers started at once (their start-ups overlap), each for one first request; all stopped
    at once too (each takes about a second to stop)."""
    from concurrent.futures import ThreadPoolExecutor

    ARTIFACTS.mkdir(exist_ok=True)
    managers = [local_server(env, log=ARTIFACTS / f"streamlit-fresh-{i}.log") for i in range(count)]
    with ThreadPoolExecutor(max_workers=count) as pool:
        started = list(pool.map(lambda m: m.__enter__(), managers))
        try:
            yield [base for base, _pid in started]
        finally:
            list(pool.map(lambda m: m.__exit__(None, None, None), managers))


_TIMINGS_STARTED: list[bool] = []


def record_timing(label: str, seconds: float) -> None:
    """Keep a render time in artifacts/ (figures to read, never asserted); the file holds this run's only."""
    ARTIFACTS.mkdir(exist_ok=True)
    with TIMINGS.open("a" if _TIMINGS_STARTED else "w") as fh:
        _TIMINGS_STARTED.append(True)
        fh.write(f"{label}\t{seconds:.2f} s\n")
    print(f"{label}: {seconds:.2f} s")


def open_page(browser, url: str, height: int = 1800, width: int = 1400):
    """A new browser context and page at `url`, rendered and settled: (page, watch, seconds it took)."""
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    page = context.new_page()
    watch = Watch(page)
    start = time.monotonic()
    page.goto(url)
    wait_rendered(page)
    return page, watch, time.monotonic() - start


class Tab:
    """One browser tab that a module's tests take turns in. Each `open` is a full load, so a new Streamlit session
    (sessions live on the websocket, and nothing of them is kept in the browser); what the tab keeps is the compiled
    JavaScript, which halves the cost of a load against a new context (14 loads: 20.0 s against 39.2 s)."""

    def __init__(self, browser):
        self.context = browser.new_context(accept_downloads=True)
        self.page = self.context.new_page()
        self.watch = Watch(self.page)

    def open(self, url: str, height: int = 1800, width: int = 1400):
        """The tab at `url` in a fresh session, rendered and settled: (page, watch of this load, seconds it took)."""
        self.page.goto("about:blank")  # the last test's page and its late requests end before the watch restarts
        self.watch.clear()
        self.page.set_viewport_size({"width": width, "height": height})
        start = time.monotonic()
        self.page.goto(url)
        wait_rendered(self.page)
        return self.page, self.watch, time.monotonic() - start

    def close(self) -> None:
        """Close the tab's context."""
        self.context.close()


class Watch:
    """What a page did: console errors, failed responses, requests to other hosts and dialogs (dismissed)."""

    def __init__(self, page):
        self.clear()
        page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        page.on("response", lambda r: self.http_errors.append(r.url) if r.status >= 400 else None)
        page.on("request", lambda r: None if LOCAL.match(r.url) else self.external.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def clear(self) -> None:
        """Forget what was seen so far."""
        self.console: list[str] = []
        self.http_errors: list[str] = []
        self.external: list[str] = []
        self.dialogs: list[str] = []

    def unexpected(self) -> list[str]:
        """Console errors and failed requests other than Streamlit's expected base-path probes."""
        bad_http = [u for u in self.http_errors if not EXPECTED_404.match(u)]
        console = [c for c in self.console
                   if not (c.startswith("Failed to load resource") and "404" in c and not bad_http)]
        return bad_http + console


def wait_rendered(page, timeout: int = RENDER_TIMEOUT_MS) -> None:
    """Wait until the script has finished, nothing on the page is stale, and it stays so for two frames."""
    wait_finished(page, timeout)
    page.wait_for_function(SETTLED, timeout=timeout)


def count_text(page) -> str:
    """The 'N of M events match this view' line."""
    return page.locator("[data-testid=stCaptionContainer]", has_text="events match this view").first.inner_text()


def canvas_stats(png: bytes) -> tuple[float, int]:
    """Share of pixels that differ from the most common colour, and how many colours are common."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB").resize((200, 150))
    counts = img.getcolors(200 * 150)
    counts.sort(reverse=True)
    total = sum(c for c, _ in counts)
    return 1 - counts[0][0] / total, sum(1 for c, _ in counts if c / total > 0.001)


def wait_drawn(canvas, timeout_s: float = 60.0) -> bytes:
    """Poll the map canvas until deck.gl has drawn it (not blank, several colours); its screenshot."""
    deadline = time.monotonic() + timeout_s
    while True:
        png = canvas.screenshot()
        drawn, colours = canvas_stats(png)
        if (drawn > 0.02 and colours >= 4) or time.monotonic() > deadline:
            return png


def hover_until_tooltip(page, canvas, x: float, y: float, tries: int = 5):
    """Hover a map point until deck.gl shows its tooltip, which proves its picking buffer is built; the tooltip."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    tooltip = page.locator(".deck-tooltip")
    for _ in range(tries):  # the first pointer moves may come while deck.gl is still building its picking buffer
        canvas.hover(position={"x": x - 3, "y": y})
        canvas.hover(position={"x": x, "y": y})
        try:
            tooltip.wait_for(state="visible", timeout=6_000)
            break
        except PlaywrightTimeout:
            continue
    return tooltip


def pixel(view, lat: float, lon: float, width: float, height: float) -> tuple[float, float]:
    """Where deck.gl's Web Mercator puts a point on a canvas centred on a map view."""
    scale = 512 * 2 ** view.zoom

    def project(la: float, lo: float) -> tuple[float, float]:
        x = (lo + 180) / 360 * scale
        y = (1 - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / math.pi) / 2 * scale
        return x, y

    cx, cy = project(view.latitude, view.longitude)
    px, py = project(lat, lon)
    return width / 2 + px - cx, height / 2 + py - cy
