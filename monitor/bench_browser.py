"""Browser figures for the benchmark: Overview render and a filter change, in Debian's headless Chromium."""
from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
TIMEOUT_MS = 180_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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

    port = _free_port()
    env = {**os.environ, "MONITOR_EVENTS": str(source), "MONITOR_CACHE_DIR": str(workdir / "cache")}
    log = open(workdir / "streamlit-bench.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port",
                             str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    figures: dict[str, float] = {}
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
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
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
        log.close()
    return figures
