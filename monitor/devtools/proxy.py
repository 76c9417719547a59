"""HAProxy for the team server: where its binary is, its configuration (deploy/haproxy.cfg.template), its stats."""
from __future__ import annotations

import csv
import io
import os
import shutil
import urllib.request

from .server import ROOT

TEMPLATE = ROOT / "deploy" / "haproxy.cfg.template"
HAPROXY = "haproxy"
CHECK_INTERVAL = "2s"
MAX_CONN_PER_CLIENT = 100
BACKEND = "streamlit_workers"


def haproxy_binary() -> str | None:
    """Debian's haproxy (in /usr/sbin, which is not always on a user's PATH), or None."""
    return shutil.which(HAPROXY) or next((p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy")
                                          if os.access(p, os.X_OK)), None)


def render_config(bind: str, backends: list[tuple[str, str]], stats_bind: str,
                  check_interval: str = CHECK_INTERVAL, max_conn: int = MAX_CONN_PER_CLIENT) -> str:
    """The HAProxy configuration for these (name, host:port) workers."""
    servers = "\n".join(f"    server {name} {addr} cookie {name}" for name, addr in backends)
    text = TEMPLATE.read_text()
    for key, value in {"BIND": bind, "SERVERS": servers, "STATS_BIND": stats_bind,
                       "CHECK_INTERVAL": check_interval, "MAX_CONN": str(int(max_conn))}.items():
        text = text.replace(f"@{key}@", value)
    return text


def server_states(stats_url: str) -> dict[str, str]:
    """HAProxy's view of each worker: UP, DOWN, ... (from its stats CSV); empty when HAProxy does not answer."""
    try:
        with urllib.request.urlopen(stats_url, timeout=2) as resp:
            body = resp.read()
    except OSError:
        return {}
    rows = csv.DictReader(io.StringIO(body.decode().lstrip("# ")))
    return {r["svname"]: r["status"] for r in rows if r["pxname"] == BACKEND and r["svname"] not in ("BACKEND", "FRONTEND")}
