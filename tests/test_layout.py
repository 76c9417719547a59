"""The architecture holds: only monitor/app and the page scripts import Streamlit; the app never imports devtools."""
from __future__ import annotations

import ast

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
