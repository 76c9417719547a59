"""Surge and lull alerts: counts per period and key, a baseline model per key, and tests with false-discovery control.

Method, in short. For one period, every group, country, province (keyed with its country) and group-country pair is
compared with its baseline, the same key's values in the preceding `baseline` periods (or, seasonally, in the same
period of earlier years). The baseline's mean and variance pick the model: a negative binomial fitted by the method of
moments when the variance exceeds the mean (overdispersion, usual for killed counts), a Poisson with the baseline mean
otherwise. The observed value gets a two-sided p-value from that predictive distribution, and the p-values of every
test made in one call are adjusted together (Benjamini-Hochberg) into q-values; a test is flagged when q < alpha.

Small baselines: a key and measure is tested only when the baseline holds at least `min_baseline_events` events and
at least that many of the measure (killed) over the whole window. Below that a Poisson mean near zero makes a single
event look impossible, so such keys are left out of the output instead of raising alarms on one event.

Reading a row: `direction` is surge or lull as the observed value lies above or below the expected one (blank when
equal); `highest_since` (surges) and `lowest_since` (lulls) give the start of the most recent earlier period at least
as high (as low), or "ever" when no period since the data begins was. The prediction plugs in the fitted baseline and
ignores the uncertainty of the fit, and the two-sided test of a count is conservative: on a constant Poisson stream
about 3% of tests, not 5%, reach p < 0.05.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy import stats

from .aggregations import category_codes
from .core import summable

FREQS = ("W", "M", "Q", "Y")
MEASURES = ("events", "killed_low", "killed_high")
# The breakdowns alerts() tests, in output order. Provinces are keyed with their country: admin1 names are not unique
# across countries (Punjab is in Pakistan and India, Balochistan's namesakes in Iran and Afghanistan).
BREAKDOWNS = {
    "group": ("group",),
    "country": ("country",),
    "province": ("country", "admin1"),
    "group_country": ("group", "country"),
}
# Where each key column goes in the output, so every breakdown shares the same columns.
KEY_COLUMNS = {"group": "group", "country": "country", "admin1": "province"}
ALERT_COLUMNS = ["period", "breakdown", "group", "country", "province", "measure", "observed", "expected",
                 "expected_low", "expected_high", "direction", "p_value", "q_value", "flagged", "highest_since",
                 "lowest_since", "model"]
INTERVAL = 0.95
MIN_BASELINE_EVENTS = 5
# Periods in a year for the seasonal baseline; a week is taken as 52 of them (the same week a year earlier drifts by
# a day or two a year, which does not matter for counts of violent events).
PER_YEAR = {"W": 52, "M": 12, "Q": 4}
SEASONAL_MIN_YEARS = 3
EVER = "ever"
PERIOD_LABEL = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})|-?[Qq]([1-4]))?\s*$")


def _check_freq(freq: str) -> None:
    """ValueError unless `freq` is one of the supported period lengths."""
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}, not {freq!r}")


def as_period(value, freq: str) -> pd.Period:
    """A period of length `freq` from a Period, a date or a label such as '2024-03'; ValueError on a mismatch."""
    _check_freq(freq)
    period = value if isinstance(value, pd.Period) else pd.Period(value, freq=freq)
    if period.freqstr != pd.Period(period.start_time, freq=freq).freqstr:
        raise ValueError(f"period {period} is not of frequency {freq}")
    return period


def parse_period(text: str) -> tuple[pd.Period, str]:
    """A period label as the command line takes it, YYYY-MM, YYYY-Qn or YYYY, with its frequency (M, Q or Y)."""
    match = PERIOD_LABEL.match(text)
    if not match or (match.group(2) and not 1 <= int(match.group(2)) <= 12):
        raise ValueError(f"period {text!r} is not a month (2024-03), a quarter (2024-Q1) or a year (2024)")
    year, month, quarter = match.groups()
    if month:
        return pd.Period(year=int(year), month=int(month), freq="M"), "M"
    if quarter:
        return pd.Period(year=int(year), quarter=int(quarter), freq="Q"), "Q"
    return pd.Period(year=int(year), freq="Y"), "Y"


def period_label(period: pd.Period) -> str:
    """A period as the command line writes it: 2024-03, 2024-Q1, 2024, or a week's first and last day."""
    if period.freqstr.startswith("Q"):
        return f"{period.year}-Q{period.quarter}"
    return str(period)


def _ordinals(dates: pd.Series, freq: str) -> np.ndarray:
    """Each date's period as an integer ordinal (NaT stays pandas' missing-integer sentinel)."""
    return dates.dt.to_period(freq).array.asi8


def period_counts(events: pd.DataFrame, freq: str, by, *, start=None, end=None) -> pd.DataFrame:
    """Events, killed_low and killed_high per period and key, zero-filled over every period of the data's range."""
    _check_freq(freq)
    by = list(by)
    cols = ["period", *by, *MEASURES]
    ordinals = _ordinals(events["date"], freq)
    dated = ~events["date"].isna().to_numpy()
    bounds = [int(ordinals[dated].min()), int(ordinals[dated].max())] if dated.any() else []
    # start/end widen the range, e.g. to a period after the last event, which then counts as zeros.
    bounds += [as_period(p, freq).ordinal for p in (start, end) if p is not None]
    if not bounds:
        return pd.DataFrame(columns=cols)
    first, last = min(bounds), max(bounds)
    keep = dated.copy()
    codes, labels = [], []
    for col in by:
        c, lab = category_codes(events[col])
        codes.append(c)
        labels.append(np.array([str(v) for v in lab], dtype=object))
        # An event without a value for a key column (a blank province) cannot be placed in that breakdown.
        keep &= c >= 0
    # One integer per key combination, then the combinations present, ordered by their labels (not category order).
    combined = np.zeros(int(keep.sum()), dtype="int64")
    for c, lab in zip(codes, labels, strict=True):
        combined = combined * len(lab) + c[keep]
    present, key_index = np.unique(combined, return_inverse=True)
    parts, rest = [], present
    for lab in reversed(labels):
        parts.append(lab[rest % len(lab)])
        rest = rest // len(lab)
    key_labels = parts[::-1]
    order = np.lexsort(parts) if by else np.arange(len(present))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    n_keys = len(present) if by else 1
    n_periods = last - first + 1
    cell = (ordinals[keep] - first) * n_keys + (rank[key_index] if by else 0)
    size = n_periods * n_keys
    ready = summable(events)
    out = pd.DataFrame({"period": pd.PeriodIndex.from_ordinals(np.repeat(np.arange(first, last + 1), n_keys), freq=freq),
                        **{col: np.tile(lab[order], n_periods) for col, lab in zip(by, key_labels, strict=True)}})
    out["events"] = np.bincount(cell, minlength=size).astype("int64")
    for m in MEASURES[1:]:
        # summable: unknown tolls count 0 and a missing high figure is the low one, as in every other sum.
        out[m] = np.bincount(cell, weights=ready[m][keep].astype("float64"), minlength=size).round().astype("int64")
    return out[cols]


def _lags(target: pd.Period, first: pd.Period, freq: str, baseline: int, seasonal: bool) -> np.ndarray:
    """How many periods before the target each baseline period lies; ValueError when the data is too short."""
    available = target.ordinal - first.ordinal
    if seasonal:
        if freq not in PER_YEAR:
            raise ValueError(f"a seasonal baseline needs periods shorter than a year, not {freq}")
        years = min(baseline, available // PER_YEAR[freq])
        if years < SEASONAL_MIN_YEARS:
            raise ValueError(f"a seasonal baseline needs the same period in at least {SEASONAL_MIN_YEARS} earlier "
                             f"years; the data begins in {first}, {available // PER_YEAR[freq]} year(s) before {target}")
        return PER_YEAR[freq] * np.arange(1, years + 1)
    if available < baseline:
        raise ValueError(f"{baseline} baseline periods before {target} are needed; the data begins in {first}, "
                         f"{max(available, 0)} period(s) before it")
    return np.arange(1, baseline + 1)


def _model_test(base: np.ndarray, obs: np.ndarray) -> dict[str, np.ndarray]:
    """Per column of `base` (baseline periods x keys): the fitted predictive distribution and the test of `obs`."""
    mean = base.mean(axis=0)
    var = base.var(axis=0, ddof=1)
    overdispersed = var > mean
    # Method of moments: var = mean + mean^2 / r, so r = mean^2 / (var - mean) and p = mean / var. The placeholders
    # only fill the Poisson columns, whose negative-binomial results np.where discards.
    excess = np.where(overdispersed, var - mean, 1.0)
    r = np.where(overdispersed, mean**2 / excess, 1.0)
    p = np.where(overdispersed, mean / np.where(overdispersed, var, 1.0), 0.5)
    nb_low, nb_high = stats.nbinom.interval(INTERVAL, r, p)
    po_low, po_high = stats.poisson.interval(INTERVAL, mean)
    # P(X <= obs) for a lull and P(X >= obs) for a surge; twice the smaller tail is the two-sided p-value.
    lower = np.where(overdispersed, stats.nbinom.cdf(obs, r, p), stats.poisson.cdf(obs, mean))
    upper = np.where(overdispersed, stats.nbinom.sf(obs - 1, r, p), stats.poisson.sf(obs - 1, mean))
    return {
        "expected": mean,
        "expected_low": np.where(overdispersed, nb_low, po_low).astype("int64"),
        "expected_high": np.where(overdispersed, nb_high, po_high).astype("int64"),
        "p_value": np.minimum(1.0, 2 * np.minimum(lower, upper)),
        "model": np.where(overdispersed, "negbin", "poisson"),
    }


def expected_band(counts: pd.Series, baseline: int = 12) -> pd.DataFrame:
    """For each period with `baseline` periods before it: the count its baseline expects and the 95% interval,
    by the same model as the alerts (drawn as a band on the Timeline)."""
    values = counts.to_numpy(dtype="float64")
    if len(values) <= baseline:
        return pd.DataFrame(columns=["period", "expected", "expected_low", "expected_high"])
    windows = np.lib.stride_tricks.sliding_window_view(values[:-1], baseline).T  # baseline x periods
    fitted = _model_test(windows, values[baseline:])
    return pd.DataFrame({"period": counts.index[baseline:], "expected": fitted["expected"],
                         "expected_low": fitted["expected_low"], "expected_high": fitted["expected_high"]})


def _since(starts: pd.PeriodIndex, hit: np.ndarray) -> str:
    """The start date of the most recent earlier period where `hit` holds, or 'ever' when none does."""
    idx = np.flatnonzero(hit)
    return starts[idx[-1]].start_time.date().isoformat() if len(idx) else EVER


def alerts(events: pd.DataFrame, period, freq: str, *, baseline: int = 12, seasonal: bool = False, alpha: float = 0.05,
           min_baseline_events: int = MIN_BASELINE_EVENTS, covered_from=None) -> pd.DataFrame:
    """One row per test of a key and measure in `period` against its baseline: model, interval, p, q and flag."""
    target = as_period(period, freq)
    if baseline < 2:
        raise ValueError("baseline must hold at least 2 periods (a variance needs two)")
    if min_baseline_events < 1:
        # With an empty baseline the Poisson mean is 0 and any single event gets p = 0: never allowed.
        raise ValueError("min_baseline_events must be at least 1")
    starts = [pd.Timestamp(d) for d in (events["date"].min(), covered_from) if d is not None and not pd.isna(d)]
    if not starts:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    # The data's coverage begins at the earlier of the stated start and the first event (an event proves coverage);
    # periods before it are unknown, not zeros, so they never enter a baseline or a "highest since".
    first = as_period(min(starts), freq)
    lags = _lags(target, first, freq, baseline, seasonal)
    t = target.ordinal - first.ordinal
    label = period_label(target)
    rows = []
    for name, cols in BREAKDOWNS.items():
        counts = period_counts(events, freq, cols, start=first, end=target)
        if counts.empty:
            continue
        # period_counts is a full grid, period-major, starting at `first` (no event lies before it).
        n_periods = counts["period"].nunique()
        n_keys = len(counts) // n_periods
        keys = counts.iloc[:n_keys][list(cols)].to_dict("records")
        period_index = pd.PeriodIndex(counts["period"].iloc[::n_keys])
        cube = {m: counts[m].to_numpy().reshape(n_periods, n_keys) for m in MEASURES}
        enough_events = cube["events"][t - lags].sum(axis=0) >= min_baseline_events
        results = {}
        for m in MEASURES:
            base, obs = cube[m][t - lags], cube[m][t]
            tested = np.flatnonzero(enough_events & (base.sum(axis=0) >= min_baseline_events))
            results[m] = (dict(zip(tested.tolist(), range(len(tested)), strict=True)),
                          _model_test(base[:, tested], obs[tested]))
        for k, key in enumerate(keys):
            for m in MEASURES:
                where, fit = results[m]
                if k not in where:
                    continue
                i = where[k]
                observed = int(cube[m][t, k])
                expected = float(fit["expected"][i])
                direction = "surge" if observed > expected else "lull" if observed < expected else ""
                history = cube[m][:t, k]
                rows.append({
                    "period": label, "breakdown": name,
                    **{out: key.get(col) for col, out in KEY_COLUMNS.items()},
                    "measure": m, "observed": observed, "expected": expected,
                    "expected_low": int(fit["expected_low"][i]), "expected_high": int(fit["expected_high"][i]),
                    "direction": direction, "p_value": float(fit["p_value"][i]), "q_value": np.nan, "flagged": False,
                    "highest_since": _since(period_index, history >= observed) if direction == "surge" else None,
                    "lowest_since": _since(period_index, history <= observed) if direction == "lull" else None,
                    "model": str(fit["model"][i]),
                })
    out = pd.DataFrame(rows, columns=ALERT_COLUMNS)
    if len(out):
        # One Benjamini-Hochberg adjustment over every test of the call: hundreds of keys are tested at once.
        out["q_value"] = stats.false_discovery_control(out["p_value"].to_numpy(), method="bh")
        out["flagged"] = out["q_value"] < alpha
    return out.astype({"observed": "int64", "expected": "float64", "expected_low": "int64", "expected_high": "int64",
                       "p_value": "float64", "q_value": "float64", "flagged": "bool"})




def alert_text(row: dict) -> str:
    """An alert in words, e.g. 'TTP in Pakistan: 9 events, expected 3 (0-7): surge, q = 0.01, highest since 2024-01-01'."""
    key = " in ".join(str(row[k]) for k in ("group", "province", "country") if isinstance(row.get(k), str) and row[k])
    since = row.get("highest_since") if row.get("direction") == "surge" else row.get("lowest_since")
    return (f"{key or 'all events'}: {row['observed']:,} {row['measure'].replace('_', ' ')}, expected "
            f"{row['expected']:.1f} ({row['expected_low']:,}-{row['expected_high']:,}): {row['direction']}, "
            f"q = {row['q_value']:.3f}" + (f", {'highest' if row['direction'] == 'surge' else 'lowest'} since {since}"
                                           if isinstance(since, str) and since else ""))
