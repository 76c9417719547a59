"""Load test: concurrent sessions change filters and switch pages against one local server; prints figures.

Each virtual user is a real server-side Streamlit session driven over Streamlit's agent API (enabled only for this
server, on the loopback address): every request is one rerun, answered when the run has finished, so its duration is
the rerun latency a user waits for. Traffic goes to 127.0.0.1 only, in a bounded loop that stops by itself.
"""
from __future__ import annotations

import json
import random
import statistics
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ..app.state import Keys
from ..casualties import FIGURE_LABELS
from .server import local_server

PAGES = ["", "timeline", "map", "groups", "events", "about"]
GROUPS = ["ISKP", "TTP", "BLA", "Taliban", "Haqqani Network", "Pakistan Armed Forces", "Unknown"]
COUNTRIES = ["Afghanistan", "Pakistan", "Iran"]
MAX_REQUESTS_PER_USER = 10_000
REQUEST_TIMEOUT_S = 120
MEMORY_EVERY_S = 5.0
THINK_S = (1.0, 3.0)  # a user reads the page for a moment before the next change
# Refusals of a value the page does not offer (a group absent from the data, a widget of another page): the test's
# own guesses, reported separately, not server errors.
CLIENT_MISTAKES = ("invalid_value", "unknown_key")


@dataclass
class Stats:
    """What the users saw."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    memory: list[tuple[float, float]] = field(default_factory=list)
    client_mistakes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _post(base: str, body: dict) -> tuple[int, dict]:
    req = urllib.request.Request(base + "/_stcore/agent/interact", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT_S) as resp:
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _action(rng: random.Random) -> dict:
    kind = rng.choice(["group", "country", "year", "page", "page", "figure"])
    if kind == "group":
        return {"widget_state": {Keys.widget("group"): rng.sample(GROUPS, rng.randint(0, 2))}}
    if kind == "country":
        return {"widget_state": {Keys.widget("country"): rng.sample(COUNTRIES, rng.randint(0, 1))}}
    if kind == "year":
        first = rng.randint(2015, 2024)
        return {"widget_state": {Keys.widget("year"): [first, rng.randint(first, 2025)]}}
    if kind == "figure":
        return {"widget_state": {Keys.widget("figure"): rng.choice(list(FIGURE_LABELS.values()))}}
    return {"page": rng.choice(PAGES)}


def _user(base: str, seed: int, until: float, stats: Stats) -> None:
    rng = random.Random(seed)
    start = time.perf_counter()
    status, snap = _post(base, {"page": rng.choice(PAGES)})
    session = snap.get("session_id") or (snap.get("error") or {}).get("session_id")
    while status == 202 and _code(snap) == "wait_timed_out" and session:
        status, snap = _post(base, {"session_id": session})
    _record(stats, time.perf_counter() - start, status, snap)
    session = snap.get("session_id") or session
    for _ in range(MAX_REQUESTS_PER_USER):
        if session is None or time.monotonic() > until:
            break
        body = {"session_id": session, **_action(rng)}
        start = time.perf_counter()
        status, snap = _post(base, body)
        while status == 202 and _code(snap) == "wait_timed_out":
            status, snap = _post(base, {"session_id": session})
        _record(stats, time.perf_counter() - start, status, snap)
        if status == 400 and _code(snap) in CLIENT_MISTAKES:
            continue
        time.sleep(rng.uniform(*THINK_S))


def _record(stats: Stats, seconds: float, status: int, snap: dict) -> None:
    with stats.lock:
        if status == 200 and snap.get("status") == "ready":
            stats.latencies.append(seconds)
        elif status == 400 and _code(snap) in CLIENT_MISTAKES:
            stats.client_mistakes += 1
        else:
            stats.errors.append(f"{status} {snap.get('status') or _code(snap)}: {str(snap)[:200]}")


def _code(snap: dict) -> str | None:
    return (snap.get("error") or {}).get("code") or snap.get("code")


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run(events_file: Path, users: int = 20, seconds: int = 120, cache_dir: Path | None = None,
        out=print) -> Stats:
    """Start a server on the file, run `users` sessions for `seconds`, print errors, latency and memory."""
    env = {"MONITOR_EVENTS": str(events_file)}
    if cache_dir:
        env["MONITOR_CACHE_DIR"] = str(cache_dir)
    args = ["--server.enableAgentApi", "true", "--server.agentMaxSessions", str(users + 5),
            "--server.agentWaitTimeout", "60"]
    stats = Stats()
    with local_server(env, args) as (base, pid):
        warm = time.perf_counter()
        _post(base, {})  # the first session loads the data into the shared cache
        out(f"# server up; first session (loads the data) took {time.perf_counter() - warm:.1f} s; "
            f"RSS {_rss_mb(pid):,.0f} MB")
        t0 = time.monotonic()
        until = t0 + seconds
        threads = [threading.Thread(target=_user, args=(base, i, until, stats), daemon=True) for i in range(users)]
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            stats.memory.append((time.monotonic() - t0, _rss_mb(pid)))
            time.sleep(MEMORY_EVERY_S)
        for t in threads:
            t.join()
    lat = sorted(stats.latencies)
    out(f"users: {users}, duration: {seconds} s, reruns: {len(lat):,}, errors: {len(stats.errors)}, "
        f"refused test inputs (not errors): {stats.client_mistakes}")
    if lat:
        p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
        out(f"rerun latency: median {statistics.median(lat):.3f} s, p95 {p95:.3f} s, max {lat[-1]:.3f} s")
    for err in stats.errors[:10]:
        out(f"error: {err}")
    out("server memory over time (s: MB): " + ", ".join(f"{t:.0f}: {m:,.0f}" for t, m in stats.memory))
    return stats
