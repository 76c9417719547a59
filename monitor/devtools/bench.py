"""The benchmark behind `python -m monitor bench`: prints one figure per line (median of several runs)."""
from __future__ import annotations

import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .. import aggregations as agg
from .. import colors as colors_
from .. import export, filters, maps, models
from ..boundaries import FILES, read
from ..columnar import load_events_cached
from ..core import core_frame, for_figure
from ..filters import FilterState
from ..load import load_events, load_groups, load_places
from .synth import synth

TYPICAL = FilterState(group=("ISKP", "TTP"), year=(2018, 2024))
NO_FILTER = FilterState()


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median wall time of `runs` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def page_workloads(events: pd.DataFrame, groups: pd.DataFrame, boundaries: dict) -> dict[str, Callable]:
    """What each page computes on the server for a state: the pages' own selection and models, uncached."""
    colors = colors_.group_colors(groups)
    core = core_frame(events)
    places = load_places()

    def selection(state: FilterState) -> models.Selection:
        return models.Selection.of(events, for_figure(core, state.figure), state)

    def map_(state: FilterState):
        model = models.map_view(selection(state), "region", maps.MapOptions(), colors, boundaries, places)
        return model.result.in_view, model.result.deck.to_json()

    def events_page(state: FilterState):
        sel = selection(state)
        return sel.full(agg.newest(sel.rows, 2000))

    return {"overview": lambda state: models.overview(selection(state), "group"),
            "timeline": lambda state: models.timeline(selection(state), "month"),
            "map": map_,
            "groups": lambda state: models.groups(selection(state), "attack_type"),
            "events": events_page}


def run(n: int, runs: int = 5, seed: int = 0, browser: bool = False, workdir: Path | None = None,
        out: Callable[[str], None] = print) -> dict[str, float]:
    """Run every figure for n synthetic events and print them; returns the figures."""
    figures: dict[str, float] = {}

    def report(name: str, value: float, unit: str) -> None:
        figures[name] = value
        out(f"{name}: {value:,.3f} {unit}" if unit == "s" else f"{name}: {value:,.1f} {unit}")

    groups = load_groups()
    work = Path(workdir or tempfile.mkdtemp(prefix="mm-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    source = work / f"synthetic-{n}-seed{seed}.csv"
    out(f"# {n:,} synthetic events (seed {seed}), {runs} runs per figure, files in {work}")
    if source.exists():
        out(f"# reusing {source} ({source.stat().st_size / 1e6:,.0f} MB CSV)")
    else:
        start = time.perf_counter()
        synth(load_events(groups=groups), n, seed).to_csv(source, index=False)
        out(f"# synth and write: {time.perf_counter() - start:.1f} s, {source.stat().st_size / 1e6:,.0f} MB CSV")
    cold_runs = max(1, min(runs, 3))
    cold, events = median_time(lambda: load_events(source, groups), cold_runs)
    report("cold load (parse, validate, type the CSV)", cold, "s")
    cache = work / "cache"
    load_events_cached(source, groups, cache)  # build the columnar copy
    warm, (events, _, used) = median_time(lambda: load_events_cached(source, groups, cache), runs)
    assert used, "the warm load did not use the columnar copy"
    report("warm load (columnar copy)", warm, "s")
    events.insert(0, "dataset", pd.Categorical(["curated"] * len(events)))
    memory = events.memory_usage(deep=True)
    core = core_frame(events)
    core_memory = core.memory_usage(deep=True)
    derived = [c for c in core.columns if c.startswith("_") or c in agg.SUMS]
    report("memory, filter and chart columns (the core frame pages read)", core_memory.sum() / 1e6, "MB")
    report("memory, whole table (all columns, text included, plus the core's derived columns)",
           (memory.sum() + core_memory[derived].sum()) / 1e6, "MB")
    del core
    boundaries = {name: read(name) for name in FILES}
    for page, fn in page_workloads(events, groups, boundaries).items():
        for label, state in (("typical filter", TYPICAL), ("no filter", NO_FILTER)):
            seconds, _ = median_time(lambda fn=fn, state=state: fn(state), runs)
            report(f"server time, {page}, {label}", seconds * 1000, "ms")
    colors = colors_.group_colors(groups)
    for label, state in (("typical filter", TYPICAL), ("no filter", NO_FILTER)):
        view = models.Selection.of(events, core_frame(events), state).rows
        seconds, result = median_time(lambda view=view: maps.build_deck(view, "region", colors, boundaries, None),
                                      runs)
        report(f"map build, region, {label}", seconds * 1000, "ms")
        report(f"map payload, region, {label}", maps.payload_bytes(result.deck) / 1e6, "MB")
    seconds, data = median_time(lambda: export.events_csv(filters.apply(events, TYPICAL)), max(1, runs // 2))
    report("CSV download of the typical view (on click)", seconds, "s")
    if browser:
        from .bench_browser import browser_figures

        for name, value in browser_figures(source, work).items():
            report(name, value, "s")
    return figures
