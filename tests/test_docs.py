"""Documentation that cannot drift: the codebook, URL parameters, pages and commands are all documented."""
from __future__ import annotations

import re

import pytest
from conftest import ROOT

from monitor import codebook, filters, maps, urlstate
from monitor.app.frame import PAGES
from monitor.cli import build_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_codebook_matches_the_schema():
    assert (ROOT / "data" / "README.md").read_text(encoding="utf-8") == codebook.render(), \
        "data/README.md is stale: run `python -m monitor codebook --write`"


@pytest.mark.parametrize("row", urlstate.docs_rows(), ids=[f.param for f in filters.FILTERS])
def test_every_filter_parameter_is_in_the_readme_as_the_filter_table_says(row):
    assert row in README, "README's parameter table differs from monitor/filters.py FILTERS: copy the rows over"


# Page settings are declared where they are used: ctx.setting("name", ...) / ctx.flag("name", ...) in the pages.
SETTINGS = sorted({m for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
                   for m in re.findall(r"ctx\.(?:setting|flag)\(\"(\w+)\"", path.read_text())} | {"event"})


def test_page_settings_are_found():
    # Without this, a change in how pages declare settings would leave the next test with nothing to check.
    assert {"view", "facet", "measure", "breakdown", "density"} <= set(SETTINGS)


@pytest.mark.parametrize("name", SETTINGS)
def test_every_page_setting_is_in_the_readme(name):
    assert re.search(rf"^\| [^|]*`{name}`[^|]* \|", README, flags=re.M), name


@pytest.mark.parametrize("view", list(maps.VIEWS))
def test_every_map_view_is_in_the_readme(view):
    assert f"`{view}`" in README


@pytest.mark.parametrize("script,label", PAGES)
def test_every_page_path_is_in_the_readme(script, label):
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


LAYOUT = README.split("## How the code is laid out", 1)[-1].split("\n## ", 1)[0]
MODULES = sorted(p.relative_to(ROOT / "monitor") for p in (ROOT / "monitor").rglob("*.py")
                 if p.name not in ("__init__.py", "__main__.py") and p.parent.name not in ("devtools", "importers"))


def test_the_layout_section_is_found():
    # Without this, a renamed heading would leave the next two tests checking an empty section.
    assert "From a URL to a chart" in LAYOUT and len(MODULES) > 30


@pytest.mark.parametrize("module", MODULES, ids=str)
def test_every_module_has_its_place_in_the_layout_section(module):
    assert f"`{module.name}`" in LAYOUT, f"README's 'How the code is laid out' does not place monitor/{module}"


@pytest.mark.parametrize("name", sorted(set(re.findall(r"`([\w/]+\.py)`", LAYOUT))))
def test_every_file_the_layout_section_names_exists(name):
    found = [p for p in [ROOT / name, *ROOT.joinpath("monitor").rglob(name.split("/")[-1])] if p.exists()]
    assert found, f"README's 'How the code is laid out' names {name}, which does not exist"
