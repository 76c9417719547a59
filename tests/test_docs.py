"""Documentation that cannot drift: the codebook, URL parameters, pages and commands are all documented."""
from __future__ import annotations

import re

import pytest
from conftest import ROOT

from monitor import codebook, filters, maps
from monitor.cli import build_parser
from monitor.schema import EVENTS, GROUPS, MILESTONES
from monitor.ui import PAGES

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_codebook_matches_the_schema():
    assert (ROOT / "data" / "README.md").read_text(encoding="utf-8") == codebook.render(), \
        "data/README.md is stale: run `python -m monitor codebook --write`"


@pytest.mark.parametrize("column", [c.name for s in (EVENTS, GROUPS, MILESTONES) for c in s.columns])
def test_every_column_is_in_the_codebook(column):
    assert f"| `{column}` |" in codebook.render()


@pytest.mark.parametrize("param", [f.param for f in filters.FILTERS] + ["view", "event"])
def test_every_url_parameter_is_in_the_readme(param):
    assert f"| `{param}` |" in README


@pytest.mark.parametrize("view", list(maps.VIEWS))
def test_every_map_view_is_in_the_readme(view):
    assert f"`{view}`" in README


@pytest.mark.parametrize("script,label,icon", PAGES)
def test_every_page_path_is_in_the_readme(script, label, icon):
    path = "/" if script == "app.py" else "/" + re.sub(r"^\d+_", "", script.split("/")[-1][:-3])
    assert f"| {label} | `{path}` |" in README
    assert (ROOT / script).exists()


def test_every_command_is_in_the_readme():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert f"-m monitor {name}" in README, name


def test_readme_gives_the_two_commands():
    assert "make run" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()
