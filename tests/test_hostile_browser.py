"""Hostile text in every field: in a real browser no script runs, nothing is fetched, and the text shows as text."""
from __future__ import annotations

import pytest
from browser import SHOTS, hover_until_tooltip, pixel, streamlit_server, wait_drawn
from conftest import FIXTURES

pytestmark = pytest.mark.browser

PATHS = ["/", "/timeline", "/map?view=region", "/groups", "/events?event=T-1", "/about", "/data"]


@pytest.fixture(scope="module")
def hostile_server():
    with streamlit_server({"MONITOR_EVENTS": str(FIXTURES / "events_hostile.csv")}) as base:
        yield base


@pytest.mark.parametrize("path", PATHS)
def test_no_script_runs_and_nothing_is_fetched(tab, hostile_server, path):
    page, watch, _ = tab.open(hostile_server + path, height=1600)
    page.wait_for_load_state("networkidle")  # anything a hostile value could make the page fetch or run has run
    assert watch.dialogs == [], f"a script ran on {path}: {watch.dialogs}"
    assert not any(":9/" in u for u in watch.http_errors + watch.external), "a hostile image URL was fetched"
    assert watch.external == []
    assert page.locator("img[src=x], svg[onload], script:has-text('alert')").count() == 0
    assert page.locator("[data-testid=stException]").count() == 0
    page.screenshot(path=str(SHOTS / f"hostile{path.split('?')[0].replace('/', '-') or '-'}.png"),
                    full_page=True)


def test_hostile_description_is_visible_as_text(tab, hostile_server):
    page, _, _ = tab.open(hostile_server + "/events?event=T-1", height=1600)
    # Invisible zero-width spaces keep bare URLs from becoming links; the text reads the same without them.
    text = page.locator("[data-testid=stMainBlockContainer]").inner_text().replace("\u200b", "")
    assert "<img src=x onerror=alert(1)>" in text
    assert "https://example.org/a'onmouseover='alert(6)'" in text
    link = page.locator("a[href*='example.org/a']").first
    assert link.get_attribute("onmouseover") is None


def test_map_tooltip_is_text(tab, hostile_server):
    from monitor import maps

    page, watch, _ = tab.open(hostile_server + "/map?view=kabul", height=1400)
    canvas = page.locator("[data-testid=stDeckGlJsonChart] canvas").first
    wait_drawn(canvas)
    box = canvas.bounding_box()
    x, y = pixel(maps.VIEWS["kabul"], 34.56583, 69.21306, box["width"], box["height"])
    tooltip = hover_until_tooltip(page, canvas, x, y)
    assert tooltip.count() == 1 and "<" in tooltip.inner_text()
    assert tooltip.locator("img, svg, script").count() == 0
    assert watch.dialogs == []
