"""A problem found in a file, and problems as a table: what the validator, loaders and importers report."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Problem:
    """One broken rule: where (file row, id, column), what value, which rule, and whether it only warns."""

    row: int | None
    event_id: str
    column: str
    value: str
    rule: str
    severity: str = "error"

    def as_dict(self) -> dict:
        """The problem as a plain mapping, for tables."""
        return {
            "row": "" if self.row is None else self.row,
            "event_id": self.event_id,
            "column": self.column,
            "value": self.value,
            "rule": self.rule,
            "severity": self.severity,
        }


def as_text(df: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text, missing values as '' (pandas 3 keeps NaN through astype(str))."""
    return pd.DataFrame({c: df[c].astype("object").where(df[c].notna(), "").astype(str) for c in df.columns},
                        index=df.index)


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a DataFrame with fixed columns (row is the spreadsheet row: the header is row 1)."""
    cols = ["row", "event_id", "column", "value", "rule", "severity"]
    return pd.DataFrame([p.as_dict() for p in problems], columns=cols)


def errors(problems: list[Problem]) -> list[Problem]:
    """Only the problems that make a file invalid."""
    return [p for p in problems if p.severity == "error"]


MAX_LISTED = 500


def format_problems(problems: list[Problem], limit: int = MAX_LISTED) -> str:
    """Problems as an aligned text table, at most `limit` rows."""
    frame = problems_frame(problems[:limit]).astype(str)
    text = frame.to_string(index=False, justify="left", max_colwidth=80)
    if len(problems) > limit:
        text += f"\n… and {len(problems) - limit} more"
    return text
