"""The benchmark runs the pages' own selection and models, so a change that breaks them fails here, not on bench day."""
from __future__ import annotations

from monitor.devtools import bench

PAGES = ("overview", "timeline", "map", "groups", "events")


def test_the_benchmark_gives_every_figure_on_a_small_table(tmp_path):
    lines: list[str] = []
    figures = bench.run(300, runs=1, workdir=tmp_path, out=lines.append)
    server = {name for name in figures if name.startswith("server time")}
    assert server == {f"server time, {page}, {label}" for page in PAGES for label in ("typical filter", "no filter")}
    assert all(value >= 0 for value in figures.values())
    assert lines[0].startswith("# 300 synthetic events (seed 0), 1 runs per figure") and len(lines) == len(figures) + 2
