"""Rerun flood (security review, probe 5a): raw websocket clients send rerun requests at a fixed rate while another
user and a health probe measure what everyone else gets, during the flood and after it stops.

`python -m monitor flood [--clients K] [--rate R] [--seconds S] [--after A] [--hello] [--app PATH] [--option K=V]`
starts one server on a free loopback port (the app, another checkout's app with `--app`, or a hello-world app with
`--hello`, run from a folder without this project's config), then:

* a health probe GETs `/_stcore/health` every 0.25 s (one at a time, 5 s timeout);
* an ordinary user (wsclient.Session) switches between three pages once a second and waits for each run;
* K flooders each open a session, then send `rerun_script` messages with varying pages and queries at R a second for
  S seconds, reading (and discarding) what the server sends, and close.

It prints what the probe and the user saw in 5 s windows, the server's threads and memory, how long SIGTERM took, and a
last line `app=… clients=K rate=R seconds=S sent=N … recovered_after=Xs` (or `not_recovered`): the time from the
flood's end until the server answered health within 1 s and the user's reruns within 2 s from then on.
"""
from __future__ import annotations

import asyncio
import os
import random
import signal
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .server import ROOT, local_server
from .stack import rss_mb
from .wsclient import Session, Stats

HEALTH_OK_S = 1.0
RERUN_OK_S = 2.0
HEALTH_TIMEOUT_S = 5.0
USER_TIMEOUT_S = 30.0
PAGES = ["", "timeline", "groups"]
LEAD_S = 5.0  # the probe and the user start this long before the flood: the first window is the baseline
HELLO = Path(__file__).with_name("hello_app.py")


@dataclass
class Probe:
    """One request of the health probe or the user: when it started (s from the flood's start) and how long it took
    (None: it failed or timed out after `waited`)."""

    start: float
    latency: float | None
    waited: float = 0.0

    def ok(self, limit: float) -> bool:
        return self.latency is not None and self.latency <= limit

    @property
    def end(self) -> float:
        return self.start + (self.latency if self.latency is not None else self.waited)


def recovery(probes: list[Probe], flood_end: float, limit: float) -> float | None:
    """Seconds from the flood's end until every later probe was within `limit`; None if the last one still was not."""
    probes = sorted(probes, key=lambda p: p.start)
    if not probes or not probes[-1].ok(limit):
        return None
    bad_until = max([p.end for p in probes if not p.ok(limit) and p.end >= flood_end], default=flood_end)
    return max(0.0, bad_until - flood_end)


@dataclass
class Run:
    """What the flood test saw."""

    t0: float = field(default_factory=time.monotonic)
    health: list[Probe] = field(default_factory=list)
    user: list[Probe] = field(default_factory=list)
    server: list[tuple[float, int, float]] = field(default_factory=list)  # (t, threads, RSS MB)
    sent: int = 0
    received_mb: float = 0.0
    refused: int = 0

    def now(self) -> float:
        return time.monotonic() - self.t0


def _threads(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


def _health(base: str) -> float | None:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(base + "/_stcore/health", timeout=HEALTH_TIMEOUT_S) as resp:
            resp.read()
    except OSError:
        return None
    return time.perf_counter() - start


async def _probe_health(base: str, run: Run, until: float) -> None:
    while run.now() < until:
        start = run.now()
        latency = await asyncio.to_thread(_health, base)
        run.health.append(Probe(start, latency, run.now() - start))
        await asyncio.sleep(0.25)


async def _watch_server(pid: int, run: Run, until: float) -> None:
    while run.now() < until:
        run.server.append((run.now(), _threads(pid), rss_mb(pid)))
        await asyncio.sleep(1.0)


async def _user(base: str, run: Run, until: float) -> None:
    """An ordinary user: one page switch a second, each waited for (a timeout counts as not served)."""
    s = Session(base, Stats(), random.Random(1))
    await s.load("", "")
    turn = 0
    while run.now() < until:
        turn += 1
        s.page = PAGES[turn % len(PAGES)]
        start = run.now()
        try:
            await asyncio.wait_for(s.rerun(page_hash=s.pages.get(s.page, "")), USER_TIMEOUT_S)
            run.user.append(Probe(start, run.now() - start))
        except Exception:  # noqa: BLE001 - a timeout or any failure is "not served", and the user goes on
            run.user.append(Probe(start, None, run.now() - start))
        await asyncio.sleep(max(0.0, 1.0 - (run.now() - start)))
    await s.close()


async def _drain(ws, run: Run) -> None:
    try:
        async for raw in ws:
            run.received_mb += len(raw) / 1e6
    except Exception:  # noqa: BLE001 - the flooder's connection ending is not the measurement
        pass


async def _flooder(idx: int, base: str, run: Run, rate: float, start: float, stop: float) -> None:
    """Open a session, then send rerun requests at `rate` a second from `start` to `stop`; the replies are read
    and thrown away, as a client that keeps its connection open would."""
    rng = random.Random(idx)
    s = Session(base, Stats(), rng)
    try:
        await s.load("", "")
    except Exception:  # noqa: BLE001 - a refused flooder is counted, not fatal
        run.refused += 1
        return
    s.closing = True  # the session's own reader stops without reconnecting: the flooder never reconnects
    s.reader.cancel()  # from here on the replies are counted, not parsed: the flooder is cheap for this process
    await asyncio.gather(s.reader, return_exceptions=True)
    drain = asyncio.create_task(_drain(s.ws, run))
    await asyncio.sleep(max(0.0, start - run.now()))
    next_at = run.now()
    while run.now() < stop:
        page = rng.choice(PAGES)
        s.query = f"group={rng.choice(['ISKP', 'TTP', 'BLA'])}&year={rng.randint(2015, 2025)}"
        try:
            await s.ws.send(s.rerun_message(page_hash=s.pages.get(page, "")))
        except Exception:  # noqa: BLE001 - the server closed it
            break
        run.sent += 1
        next_at += 1 / rate
        await asyncio.sleep(max(0.0, next_at - run.now()))
    drain.cancel()
    try:
        await asyncio.wait_for(s.ws.close(), 5)
    except Exception:  # noqa: BLE001
        pass


async def _drive(base: str, pid: int, run: Run, clients: int, rate: float, seconds: float, after: float) -> None:
    end = seconds + after
    watchers = [asyncio.create_task(_probe_health(base, run, end)), asyncio.create_task(_watch_server(pid, run, end)),
                asyncio.create_task(_user(base, run, end))]
    flooders = [asyncio.create_task(_flooder(i, base, run, rate, 0.0, seconds)) for i in range(clients)]
    await asyncio.gather(*flooders, *watchers)


def _stop_time(pid: int, wait: float = 15.0) -> float | None:
    """Send SIGTERM and time the exit; None if the server was still running after `wait` s."""
    start = time.monotonic()
    os.kill(pid, signal.SIGTERM)
    while time.monotonic() - start < wait:
        if not Path(f"/proc/{pid}").exists() or Path(f"/proc/{pid}/status").read_text().find("State:\tZ") >= 0:
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def _window(probes: list[Probe], lo: float, hi: float) -> str:
    inside = [p for p in probes if lo <= p.start < hi]
    if not inside:
        return "none started"
    worst = max(p.latency if p.latency is not None else p.waited for p in inside)
    failed = sum(p.latency is None for p in inside)
    return f"{len(inside):2d}, worst {worst:5.2f} s" + (f", {failed} failed" if failed else "")


def report(run: Run, label: str, clients: int, rate: float, seconds: float, after: float, stop_s: float | None,
           out=print) -> str:
    """Print the timeline and the summary; return the last line."""
    out("window     | health probes           | user reruns             | server threads, RSS")
    for lo in range(-int(LEAD_S), int(seconds + after), 5):
        hi = lo + 5
        srv = [(t, n, m) for t, n, m in run.server if lo <= t < hi]
        threads = max((n for _, n, _ in srv), default=0)
        rss = max((m for _, _, m in srv), default=0.0)
        phase = "flood" if 0 <= lo < seconds else ("after" if lo >= seconds else "quiet")
        out(f"{lo:4d}-{hi:<4d}s {phase:5s} | {_window(run.health, lo, hi):23s} | {_window(run.user, lo, hi):23s} | "
            f"{threads:4d}, {rss:6.0f} MB")
    health = recovery(run.health, seconds, HEALTH_OK_S)
    user = recovery(run.user, seconds, RERUN_OK_S)
    during = [p for p in run.health if 0 <= p.start < seconds]
    worst_health = max((p.latency if p.latency is not None else p.waited for p in during), default=0.0)
    users_during = [p for p in run.user if 0 <= p.start < seconds]
    served = sum(p.ok(RERUN_OK_S) for p in users_during)
    recovered = (f"recovered_after={max(health, user):.1f}s" if health is not None and user is not None
                 else f"not_recovered_within={after:.0f}s")
    line = (f"app={label} clients={clients} rate={rate:g} seconds={seconds:g} sent={run.sent} refused={run.refused} "
            f"health_worst_during={worst_health:.2f}s user_served_during={served}/{len(users_during)} "
            f"threads_max={max((n for _, n, _ in run.server), default=0)} "
            f"rss_max={max((m for _, _, m in run.server), default=0.0):.0f}MB {recovered} "
            f"sigterm_exit={f'{stop_s:.1f}s' if stop_s is not None else 'none'}")
    out(line)
    return line


def flood(clients: int = 1, rate: float = 20, seconds: float = 15, after: float = 30, app: Path | None = None,
          hello: bool = False, options: list[str] | None = None, events: Path | None = None, out=print) -> str:
    """Start a server, flood it, measure, stop it; returns the summary line."""
    args = [a for kv in options or [] for a in (f"--{kv.split('=', 1)[0]}", kv.split("=", 1)[1])]
    env = {"MONITOR_EVENTS": str(Path(events).resolve())} if events else {}
    label = "hello" if hello else ("monitor" if app is None else str(app))
    with tempfile.TemporaryDirectory(prefix="monitor-flood-") as tmp:
        script = None
        if hello:  # its own folder, so that no project config applies: Streamlit as shipped
            script = Path(tmp) / "hello_app.py"
            script.write_text(HELLO.read_text())
        with local_server(env, args=args, log=Path(tmp) / "server.log", app=script or app or ROOT / "app.py") \
                as (base, pid):
            out(f"# {label} at {base} (PID {pid}); options: {' '.join(args) or 'none'}; "
                f"{clients} flooder(s) x {rate:g} reruns/s for {seconds:g} s, then {after:g} s of watching")
            run = Run(t0=time.monotonic() + LEAD_S)
            asyncio.run(_drive(base, pid, run, clients, rate, seconds, after))
            stop_s = _stop_time(pid)
            out(f"# flooders sent {run.sent} rerun requests and read {run.received_mb * 1000:,.0f} kB back")
    return report(run, label, clients, rate, seconds, after, stop_s, out)
