"""Browser figures for the benchmark: Overview render and a filter change, in Debian's headless Chromium."""
from __future__ import annotations

import statistics
import time
from pathlib import Path

from .server import CHROMIUM, CHROMIUM_ARGS, RENDER_TIMEOUT_MS, local_server, wait_finished

RUNS = 3


def _render(browser, url: str) -> tuple[float, object]:
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("text=events match this view", timeout=RENDER_TIMEOUT_MS)
    wait_finished(page)
    return time.perf_counter() - start, page


def _filter_change(page) -> float:
    box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]", has_text="Country")
    box.locator("input").click()
    page.keyboard.type("Pakistan")
    start = time.perf_counter()
    page.keyboard.press("Enter")
    page.wait_for_url("**country=Pakistan**", timeout=RENDER_TIMEOUT_MS)
    wait_finished(page)
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
