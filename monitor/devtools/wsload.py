"""Load test in the browser's own protocol: virtual users on Streamlit's websocket, through HAProxy and N workers.

Each user does what Streamlit's front end does (see streamlit/static/.../index.js and starlette_websocket.py):

* loads the page over HTTP (index, /_stcore/health, /_stcore/host-config), which gives it HAProxy's worker cookie and
  Streamlit's XSRF cookie;
* opens ``/_stcore/stream`` with the subprotocols ``streamlit, <xsrf token>[, <last session id>]``, and sends as its
  first message a ``rerun_script`` BackMsg naming the page by ``page_name`` with the URL's query string;
* reads ForwardMsgs: ``new_session`` (session id, run), ``navigation`` (page script hashes), ``delta`` (elements;
  widget ids come from their ``id`` field), ``page_info_changed`` (the new query string), ``script_finished``;
  keeps the hashes of cacheable messages and sends them back as ``cached_message_hashes``, as the browser does;
* switches pages like a ``st.page_link`` click (``page_script_hash`` and the filters' query string, no widget
  states) and changes filters like a sidebar widget (``widget_states`` with the widget's id and new value), with a
  think time in between. (A browser sends every widget's state; this client sends the changed one only, which the
  server treats the same way: unchanged widgets keep their values.)
* when its connection drops, it reconnects at once, the way the browser does (health probe, backoff from 250 ms to
  4 s, its last session id in the subprotocols). Like the browser, it reruns the page straight away only when a run
  was under way; otherwise the page stays as it was and the user's next action runs on the new session (the
  browser's handleConnectionStateChanged). A session that cannot reconnect within
  RECONNECT_TIMEOUT_S is an error.

A rerun's latency runs from sending the BackMsg to its ``script_finished``. Errors are reruns that did not finish
(timeout or a dropped connection that could not be recovered), script exceptions shown on the page, pages not found,
and sessions that could not connect or reconnect. Traffic goes to 127.0.0.1 only.
"""
from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.typing import Subprotocol

PAGES = ["", "timeline", "map", "groups", "events", "about"]
GROUPS = ["ISKP", "TTP", "BLA", "Taliban", "Haqqani Network"]
RERUN_TIMEOUT_S = 60
RECONNECT_TIMEOUT_S = 30
MEMORY_EVERY_S = 5.0
WORKER_HEADER = "X-Monitor-Worker"
WORKER_COOKIE = "MMWORKER"
XSRF_COOKIE = "_streamlit_xsrf"
FINISHED_EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
CONTEXT = {"timezone": "UTC", "timezone_offset": 0, "locale": "en-US", "is_embedded": False, "color_scheme": "light"}


class Disconnected(Exception):
    """The websocket closed under a rerun."""


class Gone(Exception):
    """The session could not reconnect (counted as an error)."""


@dataclass
class Stats:
    """What the users saw, and what the servers did."""

    t0: float = field(default_factory=time.monotonic)
    reruns: list[tuple[float, float, str]] = field(default_factory=list)  # (finished at, latency s, worker)
    errors: list[str] = field(default_factory=list)
    disconnects: list[tuple[float, str]] = field(default_factory=list)  # (at, worker the session was on)
    # (seconds from the drop, whether a run was under way): to the rerun finished on a live worker when a run was
    # under way, else to the new session's websocket on a live worker
    recoveries: list[tuple[float, bool]] = field(default_factory=list)
    sessions: Counter = field(default_factory=Counter)  # sessions opened per worker
    late_sessions: list[str] = field(default_factory=list)  # workers of sessions opened after a rejoin
    by_page: dict[str, list[float]] = field(default_factory=dict)  # latencies per page ("" is the Overview)
    ref_hits: int = 0
    memory: list[tuple[float, dict[str, float]]] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def now(self) -> float:
        return time.monotonic() - self.t0

    def error(self, text: str) -> None:
        self.errors.append(f"{self.now():6.1f}s {text}")


def _http_get(url: str, cookies: dict[str, str]) -> tuple[int, dict[str, str], list[str]]:
    req = urllib.request.Request(url, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            resp.read()
            return resp.status, dict(resp.headers), resp.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.headers.get_all("Set-Cookie") or []


def _take_cookies(jar: dict[str, str], set_cookies) -> None:
    for header in set_cookies:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0].strip()


class Session:
    """One browser tab: cookies, a websocket, the current page and query, what the last run showed."""

    def __init__(self, base: str, stats: Stats, rng: random.Random):
        self.base, self.stats, self.rng = base, stats, rng
        self.ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
        self.cookies: dict[str, str] = {}
        self.session_id: str | None = None
        self.worker = "?"
        self.ws = None
        self.reader: asyncio.Task | None = None
        self.page = ""
        self.page_hash = ""
        self.query = ""
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.widgets: dict[str, tuple[str, object]] = {}  # widget key (w_group ...) -> (id, proto) of the last run
        self.cache: dict[str, int] = {}  # message hash -> run when last seen
        self.run_no = 0
        self.max_age = 2
        self.waiter: asyncio.Future | None = None
        self.reconnecting: asyncio.Task | None = None  # a reconnect started when the connection dropped between runs
        self.in_reconnect = False
        self.closing = False

    # -- connection -------------------------------------------------------------------------------------------------
    async def load(self, page: str, query: str) -> float:
        """Open the page as a browser does (HTTP, then the websocket, then the first run); returns its latency."""
        self.page, self.query = page, query
        for path in (f"/{page}" + (f"?{query}" if query else ""), "/_stcore/health", "/_stcore/host-config"):
            status, _, set_cookies = await asyncio.to_thread(_http_get, self.base + path, self.cookies)
            _take_cookies(self.cookies, set_cookies)
            if status != 200:
                raise ConnectionError(f"GET {path}: HTTP {status}")
        await self._connect()
        return await self.rerun(page_name=page)

    async def _connect(self) -> None:
        tokens = [self.cookies.get(XSRF_COOKIE) or "PLACEHOLDER_AUTH_TOKEN", *([self.session_id] if self.session_id else [])]
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        self.ws = await connect(self.ws_url, subprotocols=[Subprotocol(t) for t in ["streamlit", *tokens]],
                                additional_headers=headers, origin=self.base, max_size=None, proxy=None,
                                open_timeout=10)
        _take_cookies(self.cookies, self.ws.response.headers.get_all("Set-Cookie"))
        self.worker = self.ws.response.headers.get(WORKER_HEADER, "?")
        self.stats.sessions[self.worker] += 1
        self.reader = asyncio.create_task(self._read(self.ws))

    async def reconnect(self, dropped_at: float, rerun: bool = True) -> None:
        """After a dropped connection: probe health, reconnect with backoff, and rerun if a run was under way."""
        self.stats.disconnects.append((dropped_at, self.worker))
        self.in_reconnect = True
        try:
            deadline = time.monotonic() + RECONNECT_TIMEOUT_S
            attempt = 0
            while time.monotonic() < deadline:
                attempt += 1
                delay = 0.25 if attempt == 1 else min(4.0, 0.5 * 2 ** (attempt - 1)) * self.rng.uniform(0.5, 1)
                await asyncio.sleep(delay)
                try:
                    status, _, set_cookies = await asyncio.to_thread(_http_get, self.base + "/_stcore/health",
                                                                     self.cookies)
                    _take_cookies(self.cookies, set_cookies)
                    if status != 200:
                        continue
                    await self._connect()
                    if rerun:
                        await self.rerun(page_hash=self.page_hash, page_name="" if self.page_hash else self.page)
                except (OSError, InvalidHandshake, Disconnected, TimeoutError):
                    continue
                self.stats.recoveries.append((self.stats.now() - dropped_at, rerun))
                return
        finally:
            self.in_reconnect = False
        self.stats.error(f"session on {self.worker} could not reconnect within {RECONNECT_TIMEOUT_S} s")
        raise Gone(self.worker)

    async def close(self) -> None:
        self.closing = True
        for task in (self.reconnecting, self.reader):
            if task is not None:
                task.cancel()
        if self.ws is not None:
            await self.ws.close()

    # -- protocol ---------------------------------------------------------------------------------------------------
    async def _read(self, ws) -> None:
        try:
            async for raw in ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self._handle(msg)
        except ConnectionClosed:
            pass
        finally:
            if ws is self.ws and not self.closing:
                if self.waiter is not None and not self.waiter.done():
                    self.waiter.set_exception(Disconnected(self.worker))  # the caller reconnects and reruns
                elif not self.in_reconnect:  # between runs: reconnect now, rerun on the next action
                    self.reconnecting = asyncio.create_task(self.reconnect(self.stats.now(), rerun=False))

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = self.run_no
        if kind == "ref_hash":
            self.stats.ref_hits += 1
            if msg.ref_hash in self.cache:
                self.cache[msg.ref_hash] = self.run_no
            else:
                self.stats.error(f"{self.worker}: reference to a message this client never had")
        elif kind == "new_session":
            init = msg.new_session.initialize
            if init.session_id:
                self.session_id = init.session_id
            self.max_age = msg.new_session.config.max_cached_message_age or self.max_age
            self.page_hash = msg.new_session.page_script_hash or self.page_hash
            self.widgets = {}
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            etype = element.WhichOneof("type")
            if etype == "exception":
                self.stats.error(f"{self.worker}: script exception: {element.exception.message[:200]}")
                return
            body = getattr(element, etype) if etype else None
            wid = getattr(body, "id", "") if body is not None and hasattr(body, "id") else ""
            if wid.startswith("$$ID-") and "-w_" in wid:
                self.widgets["w_" + wid.split("-w_", 1)[1]] = (wid, body)
        elif kind == "page_not_found":
            self.stats.error(f"{self.worker}: page not found: {msg.page_not_found.page_name}")
        elif kind == "script_finished":
            if msg.script_finished == FINISHED_EARLY:
                return  # the run was replaced by another one (st.rerun): wait for that one
            self.run_no += 1
            self.cache = {h: r for h, r in self.cache.items() if self.run_no - r <= self.max_age}
            if self.waiter is not None and not self.waiter.done():
                self.waiter.set_result(True)

    async def rerun(self, page_hash: str = "", page_name: str = "", widgets: list | None = None) -> float:
        """Send one rerun_script BackMsg and wait for its script_finished; returns the latency."""
        if self.reconnecting is not None:  # the action waits for the reconnect under way (Gone if it fails)
            task, self.reconnecting = self.reconnecting, None
            await task
        back = BackMsg()
        state = back.rerun_script
        state.query_string = self.query
        state.page_script_hash = page_hash
        state.page_name = page_name
        state.cached_message_hashes.extend(self.cache)
        for key, value in CONTEXT.items():
            setattr(state.context_info, key, value)
        state.context_info.url = f"{self.base}/{self.page}"
        state.widget_states.SetInParent()
        for ws in widgets or []:
            state.widget_states.widgets.append(ws)
        self.waiter = asyncio.get_running_loop().create_future()
        start = time.perf_counter()
        try:
            await self.ws.send(back.SerializeToString())
        except ConnectionClosed as exc:
            raise Disconnected(self.worker) from exc
        try:
            await asyncio.wait_for(self.waiter, RERUN_TIMEOUT_S)
        except TimeoutError:
            self.stats.error(f"{self.worker}: rerun not finished within {RERUN_TIMEOUT_S} s")
            raise
        latency = time.perf_counter() - start
        self.stats.reruns.append((self.stats.now(), latency, self.worker))
        self.stats.by_page.setdefault(self.page or "overview", []).append(latency)
        return latency

    # -- user actions -----------------------------------------------------------------------------------------------
    def next_action(self) -> dict:
        """A page switch (page link: hash + the filters' query), a sidebar filter change, or a shared link."""
        roll = self.rng.random()
        if roll < 0.35 and self.pages:
            self.page = self.rng.choice([p for p in PAGES if p in self.pages])
            return {"page_hash": self.pages[self.page]}
        if roll < 0.85:
            change = self._widget_change()
            if change is not None:
                return {"page_hash": self.page_hash, "widgets": [change]}
        # a link a colleague sent: another page, with filters in its query string
        self.page = self.rng.choice([p for p in PAGES if p in self.pages] or [""])
        first = self.rng.randint(2015, 2024)
        self.query = urlencode({"group": ",".join(self.rng.sample(GROUPS, self.rng.randint(1, 2))),
                                "year": f"{first}-{self.rng.randint(first, 2025)}"})
        return {"page_hash": self.pages.get(self.page, ""), "page_name": "" if self.pages else self.page}

    def _widget_change(self):
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        key = self.rng.choice(["w_group", "w_group", "w_country", "w_year", "w_figure", "w_attack"])
        if key not in self.widgets:
            return None
        wid, body = self.widgets[key]
        ws = WidgetState(id=wid)
        if key == "w_year":
            lo, hi = int(body.min), int(body.max)
            first = self.rng.randint(lo, hi)
            ws.double_array_value.data.extend([first, self.rng.randint(first, hi)])
        elif key == "w_figure":
            ws.string_value = self.rng.choice(list(body.options))
        else:
            options = list(body.options)
            ws.string_array_value.data.extend(self.rng.sample(options, min(len(options), self.rng.randint(0, 2))))
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
            action = s.next_action()
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
    from .serve import WORKER_OPTIONS, Stack, free_port

    think_s = _parse_think(think)
    stats = Stats()
    options = [] if post_script_gc else list(WORKER_OPTIONS)
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

