"""Synthetic data is valid and realistic; the columnar copy is keyed on content, rebuilt on edit or corruption."""
from __future__ import annotations

import os

import pandas as pd
import pytest
from conftest import FIXTURES, TODAY

from monitor import load_events, load_groups
from monitor.columnar import load_events_cached
from monitor.devtools.synth import synth
from monitor.load import DataFileError
from monitor.problems import errors
from monitor.validate import validate_events


@pytest.fixture(scope="module")
def curated():
    return load_events()


@pytest.fixture(scope="module")
def generated(curated):
    return synth(curated, 3000, seed=7)


def test_synth_passes_the_validator(generated):
    known = set(load_groups()["short_name"])
    assert errors(validate_events(generated, known, TODAY)) == []


def test_synth_is_reproducible(curated, generated):
    pd.testing.assert_frame_equal(synth(curated, 3000, seed=7), generated)
    assert not synth(curated, 3000, seed=8).equals(generated)


@pytest.mark.parametrize("column", ["group", "country", "attack_type", "geo_precision"])
def test_synth_follows_the_curated_distributions(curated, generated, column):
    # Shares of the main categories stay within 5 points of the curated table's.
    want = curated[column].astype(str).value_counts(normalize=True)
    got = generated[column].astype(str).value_counts(normalize=True).reindex(want.index, fill_value=0)
    assert (got - want).abs().max() < 0.05


def test_synth_text_has_realistic_length(generated):
    assert 150 <= generated["description"].str.len().mean() <= 260
    assert generated["sources"].str.count(r"https://").between(1, 3).all()
    assert 0.2 < (generated["notes"] != "").mean() < 0.4


def test_synthetic_rows_say_so(generated):
    assert generated["description"].str.startswith("Synthetic benchmark event").all()
    assert generated["event_id"].str.startswith("SYN-").all()


def test_cache_is_reused_then_rebuilt_when_the_file_changes(tmp_path, generated):
    source, cache = tmp_path / "events.csv", tmp_path / "cache"
    generated.head(500).to_csv(source, index=False)
    first, digest1, used1 = load_events_cached(source, cache_dir=cache, today=TODAY)
    second, digest2, used2 = load_events_cached(source, cache_dir=cache, today=TODAY)
    assert (used1, used2) == (False, True) and digest1 == digest2
    pd.testing.assert_frame_equal(first, second)
    # Edit one killed figure: the content digest changes, so the copy is rebuilt from the edited file.
    text = source.read_text()
    edited = generated.head(500).copy()
    edited.loc[0, "killed_low"], edited.loc[0, "killed_high"] = "999", "999"
    edited.to_csv(source, index=False)
    assert source.read_text() != text
    third, digest3, used3 = load_events_cached(source, cache_dir=cache, today=TODAY)
    assert used3 is False and digest3 != digest1
    assert third.loc[0, "killed_low"] == 999


def test_touched_file_is_rehashed_and_same_content_reuses_the_copy(tmp_path, generated):
    # The remembered digest is trusted only for an unchanged (size, mtime): a touched file is re-hashed, and since its
    # content is the same, the existing copy is used.
    source, cache = tmp_path / "events.csv", tmp_path / "cache"
    generated.head(50).to_csv(source, index=False)
    _, d1, _ = load_events_cached(source, cache_dir=cache, today=TODAY)
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    _, d2, used = load_events_cached(source, cache_dir=cache, today=TODAY)
    assert d1 == d2 and used is True


def test_corrupt_cache_is_rebuilt(tmp_path, generated):
    source, cache = tmp_path / "events.csv", tmp_path / "cache"
    generated.head(100).to_csv(source, index=False)
    load_events_cached(source, cache_dir=cache, today=TODAY)
    (copy,) = cache.glob("events-*.parquet")
    copy.write_bytes(b"PAR1 broken")
    events, _, used = load_events_cached(source, cache_dir=cache, today=TODAY)
    assert used is False and len(events) == 100
    assert pd.read_parquet(copy).shape[0] == 100


def test_invalid_source_never_reaches_the_cache(tmp_path, generated):
    source, cache = tmp_path / "events.csv", tmp_path / "cache"
    bad = generated.head(20).copy()
    bad.loc[3, "date"] = "2020-02-31"
    bad.to_csv(source, index=False)
    with pytest.raises(DataFileError):
        load_events_cached(source, cache_dir=cache, today=TODAY)
    assert list(cache.glob("events-*.parquet")) == []


def test_low_cardinality_text_becomes_categorical(generated, tmp_path):
    source = tmp_path / "events.csv"
    generated.to_csv(source, index=False)
    events = load_events(source, today=TODAY)
    assert isinstance(events["location"].dtype, pd.CategoricalDtype)
    assert not isinstance(events["description"].dtype, pd.CategoricalDtype)


def test_a_planted_copy_is_never_trusted(tmp_path):
    # A Parquet file planted under the expected name (once possible in a world-writable /tmp folder) carries no
    # record of the source's digest: it is rebuilt from the source, never loaded.
    from monitor.columnar import CACHE_VERSION, content_digest

    source = FIXTURES / "events_small.csv"
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    first, digest, _ = load_events_cached(source, cache_dir=cache, today=TODAY)
    copy = next(cache.glob(f"events-{digest[:24]}-*-v{CACHE_VERSION}.parquet"))
    planted = first.head(1)
    planted.to_parquet(copy, index=False)  # the right name, the wrong content, no digest in its metadata
    events, digest2, used = load_events_cached(source, cache_dir=cache, today=TODAY)
    assert (digest2, used, len(events)) == (content_digest(source, cache), False, len(first))


def test_a_folder_others_can_write_is_not_used_for_the_cache(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    events, _, used = load_events_cached(FIXTURES / "events_small.csv", cache_dir=shared, today=TODAY)
    assert used is False and list(shared.iterdir()) == [] and len(events) == 7
