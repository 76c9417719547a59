"""Group colours: read from data/groups.csv, with one fallback grey, as hex, RGB or RGBA."""
from __future__ import annotations

import re

import pandas as pd

FALLBACK = "#999999"
HEX = re.compile(r"#[0-9A-Fa-f]{6}")


def group_colors(groups: pd.DataFrame) -> dict[str, str]:
    """Each group's display colour (only well-formed #RRGGBB values; others fall back to grey where used)."""
    return dict(zip(groups["short_name"].astype(str), groups["color"].astype(str), strict=True))


def hex_of(colors: dict[str, str], group: str) -> str:
    """A group's colour as #RRGGBB; grey for an unknown group or a malformed colour (it may reach CSS)."""
    color = colors.get(group, FALLBACK)
    return color if HEX.fullmatch(color) else FALLBACK


def rgb(colors: dict[str, str], group: str) -> list[int]:
    """A group's colour as [r, g, b] (deck.gl's form)."""
    h = hex_of(colors, group).lstrip("#")
    return [int(h[i:i + 2], 16) for i in (0, 2, 4)]


def rgba(colors: dict[str, str], group: str, alpha: float) -> str:
    """A group's colour as a CSS rgba() string (Plotly's bands)."""
    r, g, b = rgb(colors, group)
    return f"rgba({r},{g},{b},{alpha})"
