"""A client of Streamlit's browser protocol: one virtual browser tab on the websocket, for the load test and tests.

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
  browser's handleConnectionStateChanged). A session that cannot reconnect within RECONNECT_TIMEOUT_S is an error.

A rerun's latency runs from sending the BackMsg to its ``script_finished``. Errors are reruns that did not finish
(timeout or a dropped connection that could not be recovered), script exceptions shown on the page, pages not found,
and sessions that could not connect or reconnect.
"""
from __future__ import annotations

import asyncio
import random
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.typing import Subprotocol

from ..app.state import Keys

FILTER_WIDGET = Keys.widget("")  # the key prefix of the sidebar's filter widgets
RERUN_TIMEOUT_S = 60
RECONNECT_TIMEOUT_S = 30
WORKER_HEADER = "X-Monitor-Worker"
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
            if wid.startswith("$$ID-") and f"-{FILTER_WIDGET}" in wid:
                self.widgets[Keys.widget(wid.split(f"-{FILTER_WIDGET}", 1)[1])] = (wid, body)
        elif kind == "page_not_found":
            self.stats.error(f"{self.worker}: page not found: {msg.page_not_found.page_name}")
        elif kind == "script_finished":
            if msg.script_finished == FINISHED_EARLY:
                return  # the run was replaced by another one (st.rerun): wait for that one
            self.run_no += 1
            self.cache = {h: r for h, r in self.cache.items() if self.run_no - r <= self.max_age}
            if self.waiter is not None and not self.waiter.done():
                self.waiter.set_result(True)

    def rerun_message(self, page_hash: str = "", page_name: str = "", widgets: list | None = None) -> bytes:
        """A rerun_script BackMsg as the browser sends it: page, query, cached hashes, context and widget states."""
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
        return back.SerializeToString()

    async def rerun(self, page_hash: str = "", page_name: str = "", widgets: list | None = None) -> float:
        """Send one rerun_script BackMsg and wait for its script_finished; returns the latency."""
        if self.reconnecting is not None:  # the action waits for the reconnect under way (Gone if it fails)
            task, self.reconnecting = self.reconnecting, None
            await task
        message = self.rerun_message(page_hash, page_name, widgets)
        self.waiter = asyncio.get_running_loop().create_future()
        start = time.perf_counter()
        try:
            await self.ws.send(message)
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
