"""Helpers for the browser tests: a `streamlit run` server on a free port, and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from monitor.devtools.server import CHROMIUM, CHROMIUM_ARGS, local_server, wait_finished  # noqa: F401 (re-exported)

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
RENDER_TIMEOUT_MS = 90_000
# Streamlit's front end probes `<page>/_stcore/health` and `<page>/_stcore/host-config` on a deep link (in case the
# app is served under that base path) before falling back to `/_stcore/...`; those two 404s are expected.
EXPECTED_404 = re.compile(r"^http://127\.0\.0\.1:\d+/[A-Za-z0-9_]+/_stcore/(health|host-config)$")
LOCAL = re.compile(r"^(http://127\.0\.0\.1|http://localhost|data:|blob:|about:)")


@contextmanager
def streamlit_server(env: dict[str, str] | None = None):
    """A fresh `streamlit run app.py` on a free local port, stopped by its PID afterwards; yields the base URL."""
    with local_server(env, log=ARTIFACTS / "streamlit-test.log") as (base, _pid):
        yield base


class Watch:
    """What a page did: console errors, failed responses and requests to other hosts."""

    def __init__(self, page):
        self.console: list[str] = []
        self.http_errors: list[str] = []
        self.external: list[str] = []
        page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        page.on("response", lambda r: self.http_errors.append(r.url) if r.status >= 400 else None)
        page.on("request", lambda r: None if LOCAL.match(r.url) else self.external.append(r.url))

    def unexpected(self) -> list[str]:
        """Console errors and failed requests other than Streamlit's expected base-path probes."""
        bad_http = [u for u in self.http_errors if not EXPECTED_404.match(u)]
        console = [c for c in self.console
                   if not (c.startswith("Failed to load resource") and "404" in c and not bad_http)]
        return bad_http + console


def wait_rendered(page, timeout: int = RENDER_TIMEOUT_MS) -> None:
    """Wait until the script has finished and nothing on the page is stale."""
    wait_finished(page, timeout)
    page.wait_for_timeout(300)  # a widget callback may start one more run just after the first settles
    wait_finished(page, timeout)


def count_text(page) -> str:
    """The 'N of M events match this view' line."""
    return page.locator("[data-testid=stCaptionContainer]", has_text="events match this view").first.inner_text()
