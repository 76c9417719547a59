"""The map in a real browser: every preset draws offline, and a deep link's point opens its record when clicked."""
from __future__ import annotations

import pytest
from browser import SHOTS, canvas_stats, hover_until_tooltip, pixel, record_timing, wait_drawn, wait_rendered

from monitor import maps

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("view", list(maps.VIEWS))
def test_map_preset_draws_offline(tab, server, view):
    page, watch, seconds = tab.open(f"{server}/map?view={view}", height=1400)
    canvas = page.locator("[data-testid=stDeckGlJsonChart] canvas").first
    canvas.wait_for(timeout=30_000)
    png = wait_drawn(canvas)
    record_timing(f"map render, {view}", seconds)
    (SHOTS / f"map-{view}.png").write_bytes(png)
    page.screenshot(path=str(SHOTS / f"map-page-{view}.png"), full_page=True)
    non_background, colours = canvas_stats(png)
    assert non_background > 0.02, f"{view}: the map canvas is blank"
    assert colours >= 4, f"{view}: the map canvas has too few colours to be a map"
    assert watch.external == [], f"{view}: requests left the machine: {watch.external[:3]}"
    assert watch.unexpected() == []


def test_map_deep_link_and_click(tab, server, events):
    page, watch, _ = tab.open(f"{server}/map?group=ISKP&view=kabul", height=1400)
    expected = maps.in_view(events[events["group"] == "ISKP"], "kabul")
    caption = page.locator("[data-testid=stCaptionContainer]", has_text="events drawn in this view").inner_text()
    assert caption.startswith(f"{len(expected)} events drawn in this view")
    canvas = page.locator("[data-testid=stDeckGlJsonChart] canvas").first
    wait_drawn(canvas)
    box = canvas.bounding_box()
    target = expected.loc[expected["killed_low"].fillna(0).idxmax()]
    x, y = pixel(maps.VIEWS["kabul"], target["latitude"], target["longitude"], box["width"], box["height"])
    heading = page.locator("h3", has_text="Event MM-")
    hover_until_tooltip(page, canvas, x, y)  # a click before the picking buffer is built would be lost
    canvas.click(position={"x": x, "y": y})
    heading.first.wait_for(timeout=30_000)
    wait_rendered(page)
    shown = page.locator("h3", has_text="Event MM-").first.inner_text().split()[-1]
    same_place = expected[(expected["latitude"] - target["latitude"]).abs().lt(0.01)
                          & (expected["longitude"] - target["longitude"]).abs().lt(0.01)]
    assert shown in set(same_place["event_id"])
    page.screenshot(path=str(SHOTS / "map-click-record.png"), full_page=True)
