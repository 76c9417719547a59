"""The columnar (Parquet) copy of an events file: keyed on the source's content, kept in a private folder, and
never trusted unless it records the digest of the source it was built from."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
from pathlib import Path

import pandas as pd

from .load import DATA_DIR, DataFileError, default_events_path, file_problem, load_events, load_groups

CACHE_ENV = "MONITOR_CACHE_DIR"
CACHE_VERSION = "3"
HASH_CHUNK = 8 * 1024 * 1024
DIGEST_KEY = b"monitor.source_sha256"


def _private(folder: Path) -> bool:
    """True for a folder this user owns that nobody else can write to (a shared /tmp folder is not)."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.stat()
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def default_cache_dir() -> Path | None:
    """Where columnar copies go: $MONITOR_CACHE_DIR, else .cache/ beside data/, else ~/.cache/militancy-monitor;
    the first that is private to this user, or None (then no copy is kept)."""
    candidates = [Path(os.environ[CACHE_ENV])] if os.environ.get(CACHE_ENV) else []
    candidates += [DATA_DIR.parent / ".cache", Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
                   / "militancy-monitor"]
    return next((c for c in candidates if _private(c)), None)


def content_digest(path: Path, cache_dir: Path | None) -> str:
    """SHA-256 of a file's bytes; remembered beside the cache for an unchanged (size, mtime) so warm loads skip it."""
    info = path.stat()
    stamp = {"path": str(path.resolve()), "size": info.st_size, "mtime_ns": info.st_mtime_ns}
    sidecar = cache_dir / ("digest-" + hashlib.sha256(stamp["path"].encode()).hexdigest()[:16] + ".json") \
        if cache_dir else None
    try:
        remembered = json.loads(sidecar.read_text()) if sidecar else {}
        if {k: remembered.get(k) for k in stamp} == stamp:
            return remembered["sha256"]
    except (OSError, ValueError, KeyError):
        pass
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
    value = digest.hexdigest()
    try:
        if sidecar:
            sidecar.write_text(json.dumps({**stamp, "sha256": value}))
    except OSError:
        pass
    return value


def read_columnar(path: Path, digest: str | None = None) -> pd.DataFrame:
    """A Parquet copy as a DataFrame whose Arrow columns are single chunks (taking a few rows from a chunked text
    column costs a full copy, 300 ms at a million rows); ValueError when it was not built from `digest`."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    if digest is not None and (table.schema.metadata or {}).get(DIGEST_KEY) != digest.encode():
        raise ValueError(f"{path} was not built from the source with digest {digest[:12]}")
    return table.combine_chunks().to_pandas(self_destruct=True, split_blocks=True)


def _write(events: pd.DataFrame, copy: Path, digest: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(events, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), DIGEST_KEY: digest.encode()})
    tmp = copy.with_suffix(f".tmp-{os.getpid()}")
    try:
        pq.write_table(table, tmp)
        tmp.replace(copy)
    except OSError:
        tmp.unlink(missing_ok=True)


def load_events_cached(path: str | Path | None = None, groups: pd.DataFrame | None = None,
                       cache_dir: Path | None = None, today: dt.date | None = None) -> tuple[pd.DataFrame, str, bool]:
    """The events via a Parquet copy keyed on the file's content: (events, content digest, whether the copy was used).

    A missing, corrupt or foreign copy is rebuilt from the source, which is validated as usual; the source is never
    written. Without a private cache folder the source is loaded directly.
    """
    path = Path(path or default_events_path())
    if not path.is_file():
        raise DataFileError(path, file_problem("file does not exist"))
    groups = groups if groups is not None else load_groups()
    cache_dir = cache_dir if cache_dir is not None and _private(cache_dir) else (
        None if cache_dir is not None else default_cache_dir())
    digest = content_digest(path, cache_dir)
    if cache_dir is None:
        return load_events(path, groups, today), digest, False
    group_key = hashlib.sha256("|".join(groups["short_name"]).encode()).hexdigest()[:8]
    copy = cache_dir / f"events-{digest[:24]}-{group_key}-v{CACHE_VERSION}.parquet"
    if copy.exists():
        try:
            return read_columnar(copy, digest), digest, True
        except Exception:  # a corrupt or planted copy is rebuilt, never trusted
            copy.unlink(missing_ok=True)
    events = load_events(path, groups, today)
    _write(events, copy, digest)
    return events, digest, False
