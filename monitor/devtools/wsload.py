"""Load test in the browser's own protocol: virtual users on Streamlit's websocket, through HAProxy and N workers.

Each user is a wsclient.Session (a browser tab speaking Streamlit's protocol, see there) that loads a page, then
switches pages like a ``st.page_link`` click (``page_script_hash`` and the filters' query string, no widget states),
changes a sidebar filter (``widget_states`` with the widget's id, read from the page's elements, and a new value from
its options), or follows a link with filters in its query string, with a think time in between. The run prints
reruns per worker, latency overall and per page, each worker's memory over time, and what happened when a worker was
killed; its last line is machine-readable. Traffic goes to 127.0.0.1 only.
"""
from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.exceptions import InvalidHandshake

from ..app.state import Keys
from .wsclient import RERUN_TIMEOUT_S, Disconnected, Gone, Session, Stats

PAGES = ["", "timeline", "map", "groups", "events", "about"]
GROUPS = ["ISKP", "TTP", "BLA", "Taliban", "Haqqani Network"]
MEMORY_EVERY_S = 5.0


def next_action(s: Session) -> dict:
    """A page switch (page link: hash + the filters' query), a sidebar filter change, or a shared link."""
    roll = s.rng.random()
    if roll < 0.35 and s.pages:
        s.page = s.rng.choice([p for p in PAGES if p in s.pages])
        return {"page_hash": s.pages[s.page]}
    if roll < 0.85:
        change = _widget_change(s)
        if change is not None:
            return {"page_hash": s.page_hash, "widgets": [change]}
    # a link a colleague sent: another page, with filters in its query string
    s.page = s.rng.choice([p for p in PAGES if p in s.pages] or [""])
    first = s.rng.randint(2015, 2024)
    s.query = urlencode({"group": ",".join(s.rng.sample(GROUPS, s.rng.randint(1, 2))),
                         "year": f"{first}-{s.rng.randint(first, 2025)}"})
    return {"page_hash": s.pages.get(s.page, ""), "page_name": "" if s.pages else s.page}


def _widget_change(s: Session):
    key = Keys.widget(s.rng.choice(["group", "group", "country", "year", "figure", "attack"]))
    if key not in s.widgets:
        return None
    wid, body = s.widgets[key]
    ws = WidgetState(id=wid)
    if key == Keys.widget("year"):
        lo, hi = int(body.min), int(body.max)
        first = s.rng.randint(lo, hi)
        ws.double_array_value.data.extend([first, s.rng.randint(first, hi)])
    elif key == Keys.widget("figure"):
        ws.string_value = s.rng.choice(list(body.options))
    else:
        options = list(body.options)
        ws.string_array_value.data.extend(s.rng.sample(options, min(len(options), s.rng.randint(0, 2))))
    return ws


async def _user(idx: int, base: str, stats: Stats, until: float, think: tuple[float, float], seed: int,
                stop: asyncio.Event, late: bool = False) -> None:
    rng = random.Random(seed * 1000 + idx)
    s = Session(base, stats, rng)
    await asyncio.sleep(rng.uniform(0, min(think[1], 3.0)))  # users arrive over the first seconds, not at once
    try:
        await s.load(rng.choice(PAGES), "")
    except (OSError, InvalidHandshake, Disconnected, TimeoutError) as exc:
        stats.error(f"user {idx} could not open a session: {type(exc).__name__}: {exc}")
        return
    if late:
        stats.late_sessions.append(s.worker)
    try:
        while time.monotonic() < until and not stop.is_set():
            await asyncio.sleep(rng.uniform(*think))
            if time.monotonic() >= until:
                break
            action = next_action(s)
            try:
                try:
                    await s.rerun(**action)
                except Disconnected:
                    await s.reconnect(stats.now(), rerun=True)
            except Gone:
                return
            except TimeoutError:
                continue
    finally:
        await s.close()


def _parse_think(text: str) -> tuple[float, float]:
    lo, _, hi = text.partition("-")
    return float(lo), float(hi or lo)


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def run(events_file: Path, users: int = 20, seconds: int = 120, workers: int = 2, think: str = "1-3",
        kill_at: float | None = None, seed: int = 0, cache_dir: Path | None = None, post_script_gc: bool = False,
        out=print) -> Stats:
    """Start HAProxy and `workers` workers on the file, run `users` browser-protocol sessions for `seconds`."""
    from .stack import POST_SCRIPT_GC, Stack, free_port

    think_s = _parse_think(think)
    stats = Stats()
    options = list(POST_SCRIPT_GC) if post_script_gc else []
    with Stack(Path(events_file), workers=workers, port=free_port(), cache_dir=cache_dir, worker_options=options,
               out=out) as stack:
        warm = time.perf_counter()
        for w in stack.local:  # the first session of each worker loads the data into its memory
            asyncio.run(_warm(f"http://{w.address}"))
        out(f"# {workers} worker(s) ({' '.join(options) or 'default options'}) up behind HAProxy at {stack.base}; "
            f"first session per worker took "
            f"{(time.perf_counter() - warm) / workers:.1f} s; RSS " + _fmt_rss(stack.rss()))
        out(f"# load average before the run: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
        stats.t0 = time.monotonic()
        asyncio.run(_drive(stack, stats, users, seconds, think_s, kill_at, seed, out))
    out(f"# load average after the run: {os.getloadavg()[0]:.2f} (the load test itself included)")
    return _report(stats, users, workers, kill_at, out)


async def _warm(base: str) -> None:
    s = Session(base, Stats(), random.Random(0))
    await s.load("", "")
    await s.close()


async def _drive(stack, stats: Stats, users: int, seconds: int, think: tuple[float, float], kill_at, seed, out):
    until = stats.t0 + seconds
    stop = asyncio.Event()
    tasks = [asyncio.create_task(_user(i, stack.base, stats, until, think, seed, stop)) for i in range(users)]
    watcher = asyncio.create_task(_watch(stack, stats, until, kill_at, users, think, seed, stop, tasks, out))
    while pending := [t for t in tasks if not t.done()]:  # the watcher may add users (after a rejoin)
        await asyncio.wait(pending)
    stop.set()
    await watcher


async def _watch(stack, stats, until, kill_at, users, think, seed, stop, tasks, out) -> None:
    """Sample memory; at kill_at SIGKILL the busiest worker, time HAProxy's reaction, restart it, send new users."""
    next_mem = 0.0
    killed = None
    phase = "before"
    while not stop.is_set() and time.monotonic() < until + RERUN_TIMEOUT_S:
        now = stats.now()
        if now >= next_mem:
            stats.memory.append((now, stack.rss()))
            next_mem = now + MEMORY_EVERY_S
        if kill_at is not None and phase == "before" and now >= kill_at:
            live = Counter(w for _, _, w in stats.reruns[-200:])
            killed = max(stack.local, key=lambda w: live.get(w.name, 0)).name
            pid = await asyncio.to_thread(stack.kill, killed)
            kill_time = stats.now()
            stats.events.append(f"{kill_time:.1f}s killed worker {killed} (PID {pid}, SIGKILL)")
            phase = "killed"
        elif phase == "killed":
            state = (await asyncio.to_thread(stack.server_states)).get(killed, "?")
            if not state.startswith("UP"):
                stats.events.append(f"{stats.now():.1f}s HAProxy marks {killed} {state} "
                                    f"({stats.now() - kill_time:.1f} s after the kill)")
                phase = "down"
                down_time = stats.now()
        elif phase == "down" and stats.now() - down_time >= 5:
            stats.events.append(f"{stats.now():.1f}s restarting {killed}")
            await asyncio.to_thread(stack.restart, killed, False)
            phase = "restarting"
        elif phase == "restarting":
            state = (await asyncio.to_thread(stack.server_states)).get(killed, "?")
            if state == "UP":
                stats.events.append(f"{stats.now():.1f}s HAProxy marks {killed} UP again")
                phase = "rejoined"
                newcomers = max(2, users // 10)
                stats.events.append(f"{stats.now():.1f}s {newcomers} new users arrive (no cookie)")
                tasks.extend(asyncio.create_task(_user(users + i, stack.base, stats, until, think, seed + 1, stop,
                                                       late=True)) for i in range(newcomers))
        await asyncio.sleep(0.25)
    stats.memory.append((stats.now(), stack.rss()))
    if kill_at is not None:
        stats.events.append(f"killed worker: {killed}; phase reached: {phase}")


def _fmt_rss(rss: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:,.0f} MB" for k, v in rss.items())


def _report(stats: Stats, users: int, workers: int, kill_at, out) -> Stats:
    lat = [latency for _, latency, _ in stats.reruns]
    per_worker = Counter(w for _, _, w in stats.reruns)
    out(f"reruns per worker: {dict(sorted(per_worker.items()))}; sessions opened per worker: "
        f"{dict(sorted(stats.sessions.items()))}; cached-message references: {stats.ref_hits}")
    if lat:
        out(f"rerun latency: p50 {statistics.median(lat):.3f} s, p95 {_pct(lat, 0.95):.3f} s, "
            f"p99 {_pct(lat, 0.99):.3f} s, max {max(lat):.3f} s")
    out("by page (p50/p95 s, reruns): " + "; ".join(
        f"{page} {statistics.median(v):.2f}/{_pct(v, 0.95):.2f} ({len(v)})" for page, v in sorted(stats.by_page.items())))
    for t, rss in stats.memory:
        out(f"rss {t:5.0f}s: {_fmt_rss(rss)}")
    for line in stats.events:
        out(f"# {line}")
    tail = ""
    if kill_at is not None:
        lost = Counter(w for _, w in stats.disconnects)
        out(f"sessions disconnected, by the worker they were on: {dict(lost)}; reconnected: {len(stats.recoveries)}")
        for reran, what in ((True, "under a run: drop to the rerun finished on a live worker"),
                            (False, "between runs: drop to a new session on a live worker")):
            times = [t for t, r in stats.recoveries if r is reran]
            if times:
                out(f"  {len(times)} {what}: median {statistics.median(times):.1f} s, max {max(times):.1f} s")
        if stats.late_sessions:
            out(f"new users after the rejoin landed on: {dict(Counter(stats.late_sessions))}")
        after = sum(1 for t, _, _ in stats.reruns if t >= kill_at)
        tail = f" after_kill_reruns={after}"
    for err in stats.errors[:15]:
        out(f"error: {err}")
    p50 = statistics.median(lat) if lat else float("nan")
    out(f"users={users} workers={workers} reruns={len(lat)} errors={len(stats.errors)} "
        f"p50={p50:.3f}s p95={_pct(lat, 0.95):.3f}s{tail}")
    return stats

