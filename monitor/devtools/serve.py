"""A team server: N `streamlit run` workers behind HAProxy, with one shared columnar copy of the data.

    python -m monitor.devtools.serve --workers 2 --port 8501            # proxy + 2 local workers (make serve)
    python -m monitor.devtools.serve --workers-only --workers 2 --worker-bind 10.0.0.2      # a second host
    python -m monitor.devtools.serve --workers 2 --worker-bind 10.0.0.1 --backend 10.0.0.2:8502 --backend ...
    python -m monitor.devtools.serve --print-config ...                  # the HAProxy configuration, nothing started

The data is prepared once before the workers start (see stack.py); HAProxy and the workers are stopped by PID on
Ctrl-C or SIGTERM; a worker that dies is restarted.
"""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from ..load import default_events_path
from .proxy import MAX_CONN_PER_CLIENT
from .stack import POST_SCRIPT_GC, Stack, prepare_data


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m monitor.devtools.serve", description=__doc__.splitlines()[0])
    p.add_argument("--events", default=None, help="events file (default: $MONITOR_EVENTS or data/events.csv)")
    p.add_argument("--workers", type=int, default=2, help="local Streamlit workers (0 with --backend: proxy only)")
    p.add_argument("--port", type=int, default=8501, help="the port HAProxy listens on")
    p.add_argument("--bind", default="127.0.0.1", help="address HAProxy listens on (0.0.0.0 for a team network)")
    p.add_argument("--worker-bind", default="127.0.0.1",
                   help="address local workers listen on (this host's address when the proxy runs elsewhere)")
    p.add_argument("--worker-port", type=int, default=None,
                   help="first worker port; workers use consecutive ports (default: port+1, port+2, ...)")
    p.add_argument("--backend", action="append", default=[], metavar="HOST:PORT",
                   help="a worker on another host, started there with --workers-only (repeat)")
    p.add_argument("--workers-only", action="store_true", help="start the workers only, no proxy (other hosts)")
    p.add_argument("--prepare-only", action="store_true", help="build the shared columnar copy and exit")
    p.add_argument("--cache-dir", default=None, help="shared cache folder (default: $MONITOR_CACHE_DIR or .cache)")
    p.add_argument("--stats-port", type=int, default=None, help="HAProxy's stats page on 127.0.0.1 (default: free)")
    p.add_argument("--log-dir", default=None, help="where worker and proxy logs go (default: a temp folder)")
    p.add_argument("--post-script-gc", action="store_true",
                   help="keep Streamlit's full garbage collection after every run (slower reruns; off by default)")
    p.add_argument("--max-conn-per-client", type=int, default=MAX_CONN_PER_CLIENT,
                   help="open connections one client address may hold (raise it for a team behind one NAT address)")
    p.add_argument("--print-config", action="store_true", help="print the HAProxy configuration and exit")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    first = args.worker_port or args.port + 1
    stack = Stack(Path(args.events or default_events_path()), workers=args.workers, port=args.port, bind=args.bind,
                  worker_bind=args.worker_bind, worker_ports=list(range(first, first + args.workers)),
                  backends=args.backend, cache_dir=args.cache_dir, stats_port=args.stats_port,
                  proxy=not args.workers_only, log_dir=args.log_dir,
                  worker_options=list(POST_SCRIPT_GC) if args.post_script_gc else [],
                  max_conn_per_client=args.max_conn_per_client)
    if args.print_config:
        print(stack.config())
        return 0
    if args.prepare_only:
        digest, warm = prepare_data(stack.events_file, stack.cache_dir)
        print(f"columnar copy {digest[:12]} in {stack.cache_dir} ({'already there' if warm else 'built'})")
        return 0
    if not stack.local and not stack.remote:
        print("nothing to serve: give --workers N and/or --backend HOST:PORT", file=sys.stderr)
        return 2

    def on_signal(signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)  # also when started with SIGINT ignored (a background job of a script)
    try:
        stack.start()
        for w in stack.local:
            print(f"# worker {w.name}: http://{w.address} (PID {w.proc.pid})")
        if stack.proxy:
            print(f"# serving http://{args.bind}:{args.port} through HAProxy (PID {stack.haproxy.pid}); "
                  f"stats {stack.stats_url}; logs in {stack.log_dir}")
        print("# Ctrl-C stops everything")
        stack.supervise()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
        print("# stopped: proxy and all workers ended")
    return 0


if __name__ == "__main__":
    sys.exit(main())
