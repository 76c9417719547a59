"""Synthetic events for benchmarks and tests only: distributions follow the curated table; never shown as data."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..problems import as_text
from ..schema import COUNTRY_BBOX, EVENTS

START = np.datetime64("2015-01-01")
END = np.datetime64("2025-12-31")
DAYS = int((END - START).astype(int)) + 1
JITTER_DEG = {"site": 0.002, "neighbourhood": 0.01, "city": 0.03, "district": 0.1, "province": 0.3, "country": 1.0}
WORDS = ("attack", "district", "convoy", "checkpoint", "market", "officials", "reported", "provincial", "police",
         "security", "forces", "local", "residents", "vehicle", "explosion", "gunmen", "claimed", "casualties",
         "hospital", "statement", "spokesman", "area", "village", "road", "near", "killed", "wounded", "group")
NOTE_SHARE = 0.3


def _sentences(rng: np.random.Generator, n: int, words: int) -> np.ndarray:
    """n synthetic sentences of about `words` words (realistic length, no meaning)."""
    vocab = np.array(WORDS)
    picks = vocab[rng.integers(0, len(vocab), size=(n, words))]
    return np.char.add("Synthetic benchmark event: ", np.array([" ".join(row) + "." for row in picks]))


def synth(curated: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """n events as text cells in the canonical schema, drawn from the curated table's rows with jitter."""
    rng = np.random.default_rng(seed)
    base = curated.reset_index(drop=True)
    text = as_text(base[[c for c in EVENTS.names if c in base.columns]])
    pick = rng.integers(0, len(base), size=n)
    src = base.iloc[pick].reset_index(drop=True)
    out = pd.DataFrame(index=range(n))
    out["event_id"] = [f"SYN-{i:07d}" for i in range(n)]
    days = rng.integers(0, DAYS, size=n)
    out["date"] = pd.to_datetime(START + days.astype("timedelta64[D]")).strftime("%Y-%m-%d")
    src_text = text.iloc[pick].reset_index(drop=True)
    for col in ("date_precision", "country", "admin1", "admin2", "location", "geo_precision", "geo_source", "group",
                "perpetrator_reported", "attribution", "claim_detail", "attack_type", "suicide", "target_type",
                "origin_country", "origin_latitude", "origin_longitude", "origin_precision"):
        out[col] = src_text[col].to_numpy()
    out["suicide"] = out["suicide"].replace({"True": "true", "False": "false"})
    jitter = src["geo_precision"].astype(str).map(JITTER_DEG).fillna(0.05).to_numpy()
    lat = src["latitude"].to_numpy() + rng.normal(0, 1, n) * jitter
    lon = src["longitude"].to_numpy() + rng.normal(0, 1, n) * jitter
    boxes = np.array([COUNTRY_BBOX[c] for c in out["country"]])
    lat = np.clip(lat, boxes[:, 1], boxes[:, 3])
    lon = np.clip(lon, boxes[:, 0], boxes[:, 2])
    out["latitude"], out["longitude"] = np.round(lat, 5).astype(str), np.round(lon, 5).astype(str)
    for low, high in (("killed_low", "killed_high"), ("wounded_low", "wounded_high")):
        lo = src[low].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        hi = src[high].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        scale = rng.uniform(0.5, 1.5, n)
        lo2, hi2 = np.floor(lo * scale), np.ceil(hi * scale)
        hi2 = np.where(np.isnan(lo2), hi2, np.maximum(hi2, lo2))
        out[low] = pd.Series(lo2).map(lambda v: "" if np.isnan(v) else str(int(v)))
        out[high] = pd.Series(hi2).map(lambda v: "" if np.isnan(v) else str(int(v)))
    out["description"] = _sentences(rng, n, 24)
    nsrc = rng.integers(1, 4, size=n)
    out["sources"] = [" | ".join(f"https://example.org/synthetic/{i}/{k}" for k in range(m))
                      for i, m in enumerate(nsrc)]
    has_note = rng.random(n) < NOTE_SHARE
    out["notes"] = np.where(has_note, _sentences(rng, n, 12), "")
    # Scaled tolls would contradict any civilian split, so synthetic events have none (blank, as unknown).
    for col in ("acled_id", "gtd_id", "ucdp_id", "civilians_killed_low", "civilians_killed_high"):
        out[col] = ""
    # Checked on the last synthetic day: fixed, so the output never depends on the clock it is made under.
    out["last_checked"] = str(END)
    return out[EVENTS.names]
