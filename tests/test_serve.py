"""The team server: HAProxy in front of Streamlit workers (routing, stickiness, failover, uploads) and the load test.

Tests that start servers are marked `browser` (they run in `make test`, not in the fast suite). They wait on
conditions (health, HAProxy's server states, rendered pages), never on fixed sleeps, and assert no timings.
"""
from __future__ import annotations

import ast
import asyncio
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from monitor.app.state import Keys
from monitor.cli import build_parser
from monitor.devtools import proxy, wsclient, wsload
from monitor.devtools.server import CHROMIUM, CHROMIUM_ARGS, free_port, wait_finished
from monitor.devtools.stack import Stack

HAPROXY = proxy.haproxy_binary()
needs_haproxy = pytest.mark.skipif(HAPROXY is None, reason="Debian's haproxy is not installed (make haproxy)")
WAIT_S = 60
# Failover tests wait for HAProxy to mark a worker down and up again (2 checks each); at the shipped 2 s interval
# that is most of their time, and nothing in them depends on the interval.
FAST_CHECKS = "500ms"


def wait_for(cond, timeout: float = WAIT_S, what: str = "condition"):
    """Poll until cond() is truthy; fail after timeout (a bound, not a measurement)."""
    deadline = time.monotonic() + timeout
    while True:
        value = cond()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what} not reached within {timeout} s")
        time.sleep(0.1)


def get(url: str, cookie: str | None = None) -> tuple[int, dict[str, str]]:
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()
        return resp.status, {k.lower(): v for k, v in resp.headers.items()}


def open_session(base: str, page: str = "", query: str = "", cookies: dict | None = None) -> wsclient.Session:
    """A browser-protocol session through the proxy, with its first run finished."""
    s = wsclient.Session(base, wsclient.Stats(), random.Random(0))
    s.cookies.update(cookies or {})
    asyncio.get_event_loop().run_until_complete(s.load(page, query))
    return s


def run(coro):
    return asyncio.get_event_loop().run_until_complete(coro)


# -- no servers ----------------------------------------------------------------------------------------------------

def test_only_the_cli_imports_devtools():
    # The app never imports the launcher or the load test; the CLI does, lazily, inside its loadtest command.
    for path in (ROOT / "monitor").rglob("*.py"):
        if "devtools" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            if any("devtools" in n for n in names):
                assert path.name == "cli.py" and node.col_offset > 0, f"{path} imports devtools at top level"
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]:
        assert "devtools" not in path.read_text()


def test_loadtest_options():
    args = build_parser().parse_args(["loadtest", "data/events.csv", "--users", "5", "--seconds", "9", "--workers", "3",
                                      "--think", "1-3", "--kill-one-at", "20"])
    assert (args.users, args.seconds, args.workers, args.think, args.kill_one_at) == (5, 9, 3, "1-3", 20.0)
    assert wsload._parse_think("5-15") == (5.0, 15.0) and wsload._parse_think("2") == (2.0, 2.0)


def test_last_line_is_machine_readable():
    stats = wsclient.Stats()
    stats.reruns = [(1.0, 0.2, "w1"), (2.0, 0.4, "w2"), (50.0, 0.3, "w2")]
    stats.errors = ["x"]
    lines: list[str] = []
    wsload._report(stats, users=3, workers=2, kill_at=None, out=lines.append)
    assert re.fullmatch(r"users=3 workers=2 reruns=3 errors=1 p50=0\.300s p95=0\.400s", lines[-1])
    lines.clear()
    wsload._report(stats, users=3, workers=2, kill_at=40, out=lines.append)
    assert lines[-1].endswith(" after_kill_reruns=1")


@needs_haproxy
def test_rendered_config_is_valid_haproxy(tmp_path):
    cfg = proxy.render_config("127.0.0.1:8501", [("w1", "127.0.0.1:8502"), ("r1", "10.0.0.2:8502")], "127.0.0.1:9000")
    assert "server r1 10.0.0.2:8502 cookie r1" in cfg and not re.search(r"@[A-Z_]+@", cfg)
    (tmp_path / "h.cfg").write_text(cfg)
    check = subprocess.run([HAPROXY, "-c", "-f", str(tmp_path / "h.cfg")], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def _http_on(sock: socket.socket) -> bytes:
    sock.sendall(b"GET /_stcore/health HTTP/1.1\r\nHost: x\r\n\r\n")
    return sock.recv(4096)


@pytest.mark.browser
def test_one_client_cannot_hold_more_connections_than_its_limit(tmp_path):
    # Each connection a client may hold is a session it could open: past the limit HAProxy closes the connection before
    # any worker sees it, and the ones already open keep working.
    (tmp_path / "cache").mkdir(mode=0o700)
    with Stack(ROOT / "data" / "events.csv", workers=1, port=free_port(), cache_dir=tmp_path / "cache",
               log_dir=tmp_path / "logs", max_conn_per_client=3, out=lambda *_: None) as s:
        held = [socket.create_connection(("127.0.0.1", s.port), timeout=10) for _ in range(3)]
        assert all(_http_on(sock).startswith(b"HTTP/1.1 200") for sock in held)  # accepted and tracked by HAProxy
        try:  # HAProxy closes it at once: the reset may come on connecting, sending or reading
            with socket.create_connection(("127.0.0.1", s.port), timeout=10) as extra:
                answer = _http_on(extra)
        except (ConnectionResetError, BrokenPipeError):
            answer = b""
        assert answer == b"", "the fourth connection must be closed unanswered"
        assert all(_http_on(sock).startswith(b"HTTP/1.1 200") for sock in held)
        held.pop().close()
        wait_for(lambda: _accepted(s.base), what="a new connection accepted once one was closed")
        for sock in held:
            sock.close()


def _accepted(base: str) -> bool:
    try:
        return get(base + "/_stcore/health")[0] == 200
    except OSError:
        return False


# -- a running stack -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if HAPROXY is None:
        pytest.skip("Debian's haproxy is not installed (make haproxy)")
    cache = tmp_path_factory.mktemp("cache")
    with Stack(ROOT / "data" / "events.csv", workers=2, port=free_port(), cache_dir=cache,
                     log_dir=tmp_path_factory.mktemp("logs"), out=lambda *_: None) as s:
        yield s


@pytest.fixture(autouse=True)
def event_loop_for_sessions():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()


@pytest.mark.browser
def test_proxy_routes_and_balances(stack):
    seen = set()
    for _ in range(6):
        status, headers = get(stack.base + "/_stcore/health")
        assert status == 200
        assert re.match(r"MMWORKER=w[12];", headers["set-cookie"].split(", _streamlit")[0])
        seen.add(headers["x-monitor-worker"])
    assert seen <= {"w1", "w2"} and seen
    assert set(stack.server_states().values()) == {"UP"}


@pytest.mark.browser
def test_one_columnar_copy_for_all_workers(stack):
    copies = list(stack.cache_dir.glob("events-*.parquet"))
    assert len(copies) == 1
    stamp = copies[0].stat().st_mtime_ns
    for w in stack.local:  # each worker loads the data on its first session: from the copy, not by rebuilding it
        session = open_session(f"http://{w.address}")
        run(session.close())
    assert [p.stat().st_mtime_ns for p in stack.cache_dir.glob("events-*.parquet")] == [stamp]


@pytest.mark.browser
def test_sessions_stick_to_their_worker(stack):
    for name in ("w1", "w2"):
        workers = {get(stack.base + path, cookie=f"MMWORKER={name}")[1]["x-monitor-worker"]
                   for path in ("/", "/_stcore/health", "/_stcore/host-config", "/events")}
        assert workers == {name}
    # A browser-protocol session: the websocket goes where the page came from, and every rerun stays there.
    session = open_session(stack.base, "events", "group=TTP")
    assert session.worker == session.cookies["MMWORKER"]
    wid, _ = session.widgets[Keys.widget("country")]
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    change = WidgetState(id=wid)
    change.string_array_value.data.append("Pakistan")
    run(session.rerun(page_hash=session.page_hash, widgets=[change]))
    assert session.query == "group=TTP&country=Pakistan"  # the app wrote the new filter into the URL
    session.page = "timeline"
    run(session.rerun(page_hash=session.pages["timeline"]))
    assert session.page_hash == session.pages["timeline"] and session.query == "group=TTP&country=Pakistan"
    assert {w for _, _, w in session.stats.reruns} == {session.worker} and session.stats.errors == []
    run(session.close())


@pytest.mark.browser
def test_upload_through_the_proxy(stack):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM}")
    # Another session first, so that without stickiness the upload would be balanced to the other worker.
    other = open_session(stack.base)
    workers: dict[str, set[str]] = {"page": set(), "upload": set()}
    statuses: list[int] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1800})

        def on_response(resp):
            kind = "upload" if "/_stcore/upload_file/" in resp.url else "page"
            workers[kind].add(resp.headers.get("x-monitor-worker", "?"))
            if kind == "upload":
                statuses.append(resp.status)

        page.on("response", on_response)
        page.goto(stack.base + "/data")
        wait_finished(page)
        page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(FIXTURES / "acled_small.csv"))
        add = page.locator("button", has_text=":acled_small”")
        add.wait_for(timeout=90_000)
        wait_finished(page)
        assert "kept" in page.locator("[data-testid=stAlertContentSuccess]").first.inner_text()
        add.click()
        page.wait_for_selector("text=acled:acled_small (", timeout=60_000)
        browser.close()
    run(other.close())
    assert statuses and all(code < 300 for code in statuses)
    assert len(workers["upload"]) == 1 and workers["upload"] <= workers["page"]
    assert workers["page"] - {"?"} == workers["upload"]


@pytest.mark.browser
def test_killed_worker_sessions_recover(tmp_path):
    if HAPROXY is None:
        pytest.skip("Debian's haproxy is not installed (make haproxy)")
    with Stack(ROOT / "data" / "events.csv", workers=2, port=free_port(), cache_dir=tmp_path / "cache",
               log_dir=tmp_path / "logs", check_interval=FAST_CHECKS, out=lambda *_: None) as stack:
        sessions = [open_session(stack.base, page) for page in ("", "timeline", "groups", "events")]
        on = {name: [s for s in sessions if s.worker == name] for name in ("w1", "w2")}
        assert on["w1"] and on["w2"], "leastconn spreads new sessions over both workers"
        stack.kill("w1")
        wait_for(lambda: not stack.server_states().get("w1", "").startswith("UP"), what="HAProxy marking w1 down")
        for s in sessions:
            try:
                run(s.rerun(page_hash=s.page_hash))
            except wsclient.Disconnected:
                assert s in on["w1"], "only the killed worker's sessions are lost"
                run(s.reconnect(s.stats.now()))
            assert s.worker == "w2"
        assert all(s.stats.disconnects == [] for s in on["w2"])
        assert all(len(s.stats.disconnects) == 1 for s in on["w1"])
        for s in sessions:  # they go on
            run(s.rerun(page_hash=s.pages["about"]))
            assert s.worker == "w2" and s.stats.errors == []
        stack.restart("w1")
        wait_for(lambda: stack.server_states().get("w1") == "UP", what="HAProxy marking w1 up again")
        newcomer = open_session(stack.base)  # fewest connections: the rejoined worker
        assert newcomer.worker == "w1"
        for s in [*sessions, newcomer]:
            run(s.close())


@pytest.mark.browser
def test_browser_reconnects_to_a_live_worker(tmp_path):
    # Debian's Chromium through the proxy: its worker is killed; Streamlit's front end reconnects, HAProxy sends it to
    # the other worker, and the next page switch renders there with the filters of the URL.
    sync_api = pytest.importorskip("playwright.sync_api")
    if HAPROXY is None or not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's haproxy and chromium")
    with Stack(ROOT / "data" / "events.csv", workers=2, port=free_port(), cache_dir=tmp_path / "cache",
               log_dir=tmp_path / "logs", check_interval=FAST_CHECKS, out=lambda *_: None) as stack, \
            sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        first = page.goto(stack.base + "/timeline?group=TTP").headers["x-monitor-worker"]
        wait_finished(page)
        with page.expect_websocket(timeout=WAIT_S * 1000):
            stack.kill(first)
        page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=WAIT_S * 1000)
        page.locator("[data-testid=stSidebar]").get_by_text("Events", exact=True).click()
        page.wait_for_url("**/events?group=TTP", timeout=WAIT_S * 1000)
        wait_finished(page)
        assert page.locator("h1").first.inner_text() == "Events"
        caption = page.locator("[data-testid=stCaptionContainer]", has_text="events match this view").first
        assert "(group TTP)" in caption.inner_text()
        assert page.locator("[data-testid=stException]").count() == 0
        now = {c["value"] for c in page.context.cookies() if c["name"] == "MMWORKER"}
        assert now == {"w2" if first == "w1" else "w1"}
        browser.close()


def _lines(path: Path) -> str:
    return path.read_text() if path.exists() else ""


@pytest.mark.browser
@needs_haproxy
def test_two_launchers_like_two_hosts_and_a_clean_stop(tmp_path):
    # What a second host runs (--workers-only) and what the proxy host runs (--backend), here on one machine.
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "MONITOR_CACHE_DIR": str(tmp_path / "cache")}
    first = free_port()
    hosts = subprocess.Popen([sys.executable, "-m", "monitor.devtools.serve", "--workers-only", "--workers", "2",
                              "--worker-port", str(first), "--log-dir", str(tmp_path / "b")], cwd=ROOT, env=env,
                             stdout=(tmp_path / "b.out").open("w"), stderr=subprocess.STDOUT)
    port = free_port()
    front = subprocess.Popen([sys.executable, "-m", "monitor.devtools.serve", "--workers", "0", "--port", str(port),
                              "--backend", f"127.0.0.1:{first}", "--backend", f"127.0.0.1:{first + 1}",
                              "--log-dir", str(tmp_path / "a")], cwd=ROOT, env=env,
                             stdout=(tmp_path / "a.out").open("w"), stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "Ctrl-C stops" in _lines(tmp_path / "b.out") or hosts.poll() is not None, what="workers")
        wait_for(lambda: "Ctrl-C stops" in _lines(tmp_path / "a.out") or front.poll() is not None, what="proxy")

        def both_answer():
            try:
                return {get(f"http://127.0.0.1:{port}/_stcore/health")[1]["x-monitor-worker"] for _ in range(4)}
            except OSError:
                return set()
        wait_for(lambda: both_answer() == {"r1", "r2"}, what="the proxy reaching both remote workers")
        # A worker that dies is restarted by its launcher, and the proxy sends to it again.
        crashed = int(re.search(r"worker w1: \S+ \(PID (\d+)\)", _lines(tmp_path / "b.out")).group(1))
        os.kill(crashed, signal.SIGKILL)
        wait_for(lambda: "worker w1 exited" in _lines(tmp_path / "b.out"), what="the launcher noticing the crash")
        wait_for(lambda: both_answer() == {"r1", "r2"}, what="the restarted worker back behind the proxy")
    finally:
        children = [int(pid) for out in ("a.out", "b.out")
                    for pid in re.findall(r"PID (\d+)", _lines(tmp_path / out))]
        for launcher in (front, hosts):
            launcher.send_signal(signal.SIGINT)  # what Ctrl-C sends
        for launcher in (front, hosts):
            launcher.wait(timeout=WAIT_S)
    assert len(children) == 3  # two workers and HAProxy
    workers_now = subprocess.run(["pgrep", "-f", f"server.port {first} "], capture_output=True, text=True).stdout
    assert workers_now.split() == [], "the restarted worker was stopped too"
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text(), pid
    assert "stopped: proxy and all workers ended" in _lines(tmp_path / "a.out")
