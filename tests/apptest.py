"""Helpers for the AppTest page tests: every page, opened the way a deep link opens it."""
from __future__ import annotations

from conftest import FIXTURES, ROOT
from streamlit.testing.v1 import AppTest

# Every page script on disk (not the app's own list, so that a page left out of the navigation is still tested).
PAGES = ["app.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]


def run_page(page: str, params: dict[str, str], monkeypatch, events=FIXTURES / "events_small.csv") -> AppTest:
    """Open a page the way a deep link does: query parameters first, then the run."""
    monkeypatch.setenv("MONITOR_EVENTS", str(events))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if page != "app.py":
        # AppTest must run the entry script before it can switch; the link's parameters then reach the page first.
        at.run()
        at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at


def boundary_errors(at: AppTest) -> list[str]:
    """Errors the page's own error boundary caught (they are not exceptions to AppTest, but they are failures)."""
    return [e.value for e in at.error if "could not be drawn" in e.value]
