"""The one place that reads the calendar: every "today" in the project comes from here, so it can be frozen."""
from __future__ import annotations

import datetime as dt
import os
import time

# Tests, demos and reproducible builds freeze the date by naming it here (YYYY-MM-DD).
ENV = "MONITOR_TODAY"


def today() -> dt.date:
    """Today's date in UTC (never the process time zone), or the date that MONITOR_TODAY names."""
    fixed = os.environ.get(ENV, "").strip()
    if fixed:
        return dt.date.fromisoformat(fixed)
    return dt.datetime.now(dt.UTC).date()


def monotonic() -> float:
    """Seconds on a clock that never goes back, for durations and rate limits (not a date)."""
    return time.monotonic()
