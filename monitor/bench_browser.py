"""Browser figures for the benchmark: Overview render and a filter change, in Debian's headless Chromium."""
from __future__ import annotations

import statistics
import time
from pathlib import Path

from .server import local_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RUNS = 3
TIMEOUT_MS = 180_000


def _wait(page) -> None:
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=TIMEOUT_MS)
    page.wait_for_function("document.querySelectorAll('[data-stale=true]').length === 0", timeout=TIMEOUT_MS)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=TIMEOUT_MS)


def _render(browser, url: str) -> tuple[float, object]:
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("text=events match this view", timeout=TIMEOUT_MS)
    _wait(page)
    return time.perf_counter() - start, page


def _filter_change(page) -> float:
    box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]", has_text="Country")
    box.locator("input").click()
    page.keyboard.type("Pakistan")
    start = time.perf_counter()
    page.keyboard.press("Enter")
    page.wait_for_url("**country=Pakistan**", timeout=TIMEOUT_MS)
    _wait(page)
    return time.perf_counter() - start


def browser_figures(source: Path, workdir: Path) -> dict[str, float]:
    """Start `streamlit run` on the synthetic file, then time the Overview and a filter change (medians)."""
    from playwright.sync_api import sync_playwright

    env = {"MONITOR_EVENTS": str(source), "MONITOR_CACHE_DIR": str(workdir / "cache")}
    figures: dict[str, float] = {}
    with local_server(env, log=workdir / "streamlit-bench.log") as (base, _pid):
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            first, page = _render(browser, base + "/")
            page.close()
            figures["browser, first render of Overview on a fresh server"] = first
            renders, changes = [], []
            for _ in range(RUNS):
                seconds, page = _render(browser, base + "/")
                renders.append(seconds)
                changes.append(_filter_change(page))
                page.close()
            figures["browser, first full render of Overview (new session)"] = statistics.median(renders)
            figures["browser, filter change to finished rerun (Overview)"] = statistics.median(changes)
            browser.close()
    return figures
