"""The architecture holds: only monitor/app and the page scripts import Streamlit; the app never imports devtools."""
from __future__ import annotations

import ast
import re

import pytest
from conftest import ROOT

PACKAGE = sorted((ROOT / "monitor").rglob("*.py"))
GLUE = ROOT / "monitor" / "app"
DEVTOOLS = ROOT / "monitor" / "devtools"
APP_SCRIPTS = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]


def imports(path) -> set[str]:
    """Every module a file imports, absolute, with relative imports resolved against its package."""
    tree = ast.parse(path.read_text())
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            prefix = ".".join(base[: len(base) - node.level + 1]) if node.level else ""
            name = ".".join(p for p in (prefix, node.module or "") if p)
            out.add(name)
            out |= {f"{name}.{a.name}" for a in node.names}
    return out


@pytest.mark.parametrize("path", [p for p in PACKAGE if GLUE not in p.parents and DEVTOOLS not in p.parents],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_app_layer_imports_streamlit(path):
    assert not {m for m in imports(path) if m == "streamlit" or m.startswith("streamlit.")}, path


@pytest.mark.parametrize("path", [p for p in PACKAGE if DEVTOOLS not in p.parents] + APP_SCRIPTS,
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_the_app_never_imports_devtools(path):
    # The CLI imports devtools lazily inside its bench/loadtest/synth commands, which the app never calls.
    found = {m for m in imports(path) if m.startswith("monitor.devtools")}
    assert not found or path.name == "cli.py", (path, found)


def test_the_import_reader_sees_relative_imports():
    # Without this, a resolver bug would make both checks above pass on everything.
    assert "streamlit" in imports(GLUE / "store.py")
    assert "monitor.devtools.bench" in imports(ROOT / "monitor" / "cli.py")


def test_largest_module_is_well_under_300_lines():
    # 280, not 300: a module near the line is a module with two concepts in it.
    sizes = {str(p.relative_to(ROOT)): len(p.read_text().splitlines()) for p in PACKAGE}
    assert max(sizes.values()) <= 280, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]


def test_every_widget_key_comes_from_the_registry():
    # A key written as a loose string can collide with another widget's, or with a key the app syncs with the URL.
    loose = [f"{path.relative_to(ROOT)}:{number}" for path in [*APP_SCRIPTS, *sorted(GLUE.glob("*.py"))]
             for number, line in enumerate(path.read_text().splitlines(), 1) if re.search(r"\bkey=f?[\"']", line)]
    assert loose == []


def test_the_registry_keys_are_distinct():
    from monitor.app.state import Keys

    fixed = [value for name, value in vars(Keys).items() if name.isupper()]
    families = [Keys.widget(""), Keys.setting(""), Keys.download(""), Keys.map_chart(""), Keys.remove(""),
                Keys.period_range("")]
    assert len(set(fixed)) == len(fixed) and len(set(families)) == len(families)
    assert not [key for key in fixed for prefix in families if key.startswith(prefix)]
