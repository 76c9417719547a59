"""N `streamlit run` workers behind HAProxy, started and stopped together (for the launcher, the load test, tests).

Before any worker starts, the events file is validated and its columnar (Parquet) copy built once in the shared cache
folder; every worker gets the same MONITOR_EVENTS, MONITOR_CACHE_DIR and cookie secret. Workers and HAProxy run in
their own process groups and are stopped by PID.
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ..columnar import CACHE_ENV, default_cache_dir, load_events_cached
from ..load import load_groups
from .proxy import CHECK_INTERVAL, MAX_CONN_PER_CLIENT, haproxy_binary, render_config, server_states
from .server import ROOT, free_port

START_TIMEOUT_S = 90
STOP_TIMEOUT_S = 15
SECRET_ENV = "MONITOR_COOKIE_SECRET"
# Workers read the project's .streamlit/config.toml (they run from the project folder): no full garbage collection after
# every run, no thread per queued rerun. This puts Streamlit's own post-run collection back, to compare.
POST_SCRIPT_GC = ["--runner.postScriptGC", "true"]


def prepare_data(events_file: Path, cache_dir: Path) -> tuple[str, bool]:
    """Validate the events file and build its columnar copy in the shared cache once: (digest, was it already there)."""
    _, digest, warm = load_events_cached(events_file, load_groups(), cache_dir)
    if not any(cache_dir.glob(f"events-{digest[:24]}-*.parquet")):
        raise RuntimeError(f"no columnar copy was kept in {cache_dir}: the cache folder must belong to this user and "
                           "be writable by nobody else (chmod 700)")
    return digest, warm


def _get(url: str, timeout: float = 2.0) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.read() if resp.status == 200 else None
    except OSError:
        return None


def _wait(cond, timeout: float, what: str, alive=None) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if alive is not None and not alive():
            raise RuntimeError(f"{what}: the process exited")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not ready after {timeout:.0f} s")
        time.sleep(0.2)


def _stop(proc: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    """Stop a child started in its own process group, by its PID; SIGKILL if it does not go."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=STOP_TIMEOUT_S)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, in MB (0 when it is gone)."""
    total = 0.0
    for p in [pid, *_descendants(pid)]:
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


def _descendants(pid: int) -> list[int]:
    try:
        kids = [int(k) for t in os.listdir(f"/proc/{pid}/task")
                for k in Path(f"/proc/{pid}/task/{t}/children").read_text().split()]
    except OSError:
        return []
    return kids + [d for k in kids for d in _descendants(k)]


@dataclass
class Worker:
    """One `streamlit run` process."""

    name: str
    host: str
    port: int
    proc: subprocess.Popen | None = None
    restarts: int = 0

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass
class Stack:
    """HAProxy and local workers (and/or remote backends), started and stopped together."""

    events_file: Path
    workers: int = 2
    port: int = 8501
    bind: str = "127.0.0.1"
    worker_bind: str = "127.0.0.1"
    worker_ports: list[int] | None = None
    backends: list[str] = field(default_factory=list)  # host:port of workers on other hosts
    cache_dir: Path | None = None
    stats_port: int | None = None
    proxy: bool = True
    log_dir: Path | None = None
    cookie_secret: str | None = None
    check_interval: str = CHECK_INTERVAL
    max_conn_per_client: int = MAX_CONN_PER_CLIENT
    worker_options: list[str] = field(default_factory=list)
    out: object = print

    def __post_init__(self):
        self.events_file = Path(self.events_file).resolve()
        chosen = self.cache_dir or default_cache_dir()
        if chosen is None:
            raise RuntimeError(f"no private cache folder: set {CACHE_ENV} to a folder only this user can write")
        self.cache_dir = Path(chosen).resolve()
        self.log_dir = Path(self.log_dir) if self.log_dir else None  # a temp folder, made on start
        self.cookie_secret = self.cookie_secret or os.environ.get(SECRET_ENV) or secrets.token_hex(32)
        ports = self.worker_ports or [free_port() for _ in range(self.workers)]
        self.local = [Worker(f"w{i + 1}", self.worker_bind, p) for i, p in enumerate(ports[: self.workers])]
        self.remote = [Worker(f"r{i + 1}", *b.rsplit(":", 1)) for i, b in enumerate(self.backends)]
        self.stats_port = self.stats_port or free_port()
        self.haproxy: subprocess.Popen | None = None

    # -- addresses ---------------------------------------------------------------------------------------------------
    @property
    def base(self) -> str:
        host = "127.0.0.1" if self.bind in ("", "0.0.0.0", "*") else self.bind
        return f"http://{host}:{self.port}"

    @property
    def stats_url(self) -> str:
        return f"http://127.0.0.1:{self.stats_port}/;csv"

    def config(self) -> str:
        backends = [(w.name, w.address) for w in self.local + self.remote]
        return render_config(f"{self.bind}:{self.port}", backends, f"127.0.0.1:{self.stats_port}", self.check_interval,
                             self.max_conn_per_client)

    def worker_env(self) -> dict[str, str]:
        return {**os.environ, "MONITOR_EVENTS": str(self.events_file), CACHE_ENV: str(self.cache_dir),
                "STREAMLIT_SERVER_COOKIE_SECRET": self.cookie_secret}

    # -- lifecycle ---------------------------------------------------------------------------------------------------
    @property
    def config_path(self) -> Path:
        return self.log_dir / "haproxy.cfg"

    def start(self) -> Stack:
        self.log_dir = self.log_dir or Path(tempfile.mkdtemp(prefix="monitor-serve-"))
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if self.local:  # the proxy alone needs no data
            t0 = time.perf_counter()
            digest, warm = prepare_data(self.events_file, self.cache_dir)
            self.out(f"# data: {self.events_file} -> columnar copy {digest[:12]} in {self.cache_dir} "
                     f"({'already there' if warm else 'built'}, {time.perf_counter() - t0:.1f} s)")
        try:
            for w in self.local:
                self._spawn(w)
            for w in self.local:
                self.wait_worker(w)
            if self.proxy:
                self._start_proxy()
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self, w: Worker) -> None:
        cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(w.port),
               "--server.address", w.host, "--server.headless", "true", "--browser.gatherUsageStats", "false", *self.worker_options]
        log = open(self.log_dir / f"{w.name}.log", "a")  # noqa: SIM115 - the child keeps it
        w.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.worker_env(), stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        log.close()

    def wait_worker(self, w: Worker, timeout: float = START_TIMEOUT_S) -> None:
        _wait(lambda: _get(f"http://{w.address}/_stcore/health") is not None, timeout, f"worker {w.name}",
              alive=lambda: w.proc.poll() is None)

    def _start_proxy(self) -> None:
        binary = haproxy_binary()
        if binary is None:
            raise RuntimeError("haproxy is not installed: `make haproxy` (Debian's haproxy package)")
        self.config_path.write_text(self.config())
        check = subprocess.run([binary, "-c", "-q", "-f", str(self.config_path)], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"haproxy rejected {self.config_path}:\n{check.stdout}{check.stderr}")
        log = open(self.log_dir / "haproxy.log", "a")  # noqa: SIM115 - the child keeps it
        self.haproxy = subprocess.Popen([binary, "-db", "-f", str(self.config_path)], stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        names = {w.name for w in self.local}
        _wait(lambda: names <= {n for n, s in self.server_states().items() if s == "UP"}, START_TIMEOUT_S,
              "haproxy and its workers", alive=lambda: self.haproxy.poll() is None)

    def stop(self) -> None:
        """End HAProxy and every worker (by PID, each in its own process group)."""
        _stop(self.haproxy)
        for w in self.local:
            _stop(w.proc)

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- operations --------------------------------------------------------------------------------------------------
    def kill(self, name: str) -> int:
        """SIGKILL one local worker (as a crash would); returns its PID."""
        w = self.worker(name)
        pid = w.proc.pid
        _stop(w.proc, signal.SIGKILL)
        return pid

    def restart(self, name: str, wait: bool = True) -> None:
        w = self.worker(name)
        _stop(w.proc)
        w.restarts += 1
        self._spawn(w)
        if wait:
            self.wait_worker(w)

    def worker(self, name: str) -> Worker:
        return next(w for w in self.local if w.name == name)

    def server_states(self) -> dict[str, str]:
        """HAProxy's view of each worker: UP, DOWN, ... (empty when HAProxy does not answer)."""
        return server_states(self.stats_url)

    def rss(self) -> dict[str, float]:
        """Resident memory per local worker, MB."""
        return {w.name: rss_mb(w.proc.pid) if w.proc and w.proc.poll() is None else 0.0 for w in self.local}

    def supervise(self, restart_delay: float = 3.0, every: float = 1.0) -> None:
        """Until interrupted: restart any local worker that exited; report HAProxy's state changes."""
        last: dict[str, str] = {}
        dead_since: dict[str, float] = {}
        while True:
            if self.haproxy is not None and self.haproxy.poll() is not None:
                raise RuntimeError(f"haproxy exited (code {self.haproxy.returncode}); see {self.log_dir}/haproxy.log")
            for w in self.local:
                if w.proc.poll() is not None:
                    since = dead_since.setdefault(w.name, time.monotonic())
                    if time.monotonic() - since >= restart_delay:
                        self.out(f"# worker {w.name} exited (code {w.proc.returncode}); restarting it")
                        self._spawn(w)
                        w.restarts += 1
                        dead_since.pop(w.name)
            states = self.server_states() if self.proxy else {}
            for name, state in states.items():
                if last.get(name) != state:
                    self.out(f"# {time.strftime('%H:%M:%S')} proxy sees {name}: {state}")
            last = states
            time.sleep(every)
