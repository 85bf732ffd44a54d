"""Cache round trip, format version and unusable directories."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from geo import settings
from geo.errors import CacheError
from geo.network import cache, pipeline
from geo.network.model import Network


def test_round_trip_keeps_everything(helsinki_net: Network, tmp_path: Path) -> None:
    entry = tmp_path / "entry"
    cache.save(helsinki_net, entry)
    back = cache.load(entry)
    assert back is not None
    assert len(back.nodes) == len(helsinki_net.nodes) and len(back.edges) == len(helsinki_net.edges)
    for name, arr in helsinki_net.arrays.to_dict().items():
        np.testing.assert_array_equal(getattr(back.arrays, name), arr, err_msg=name)
    np.testing.assert_array_equal(back.indptr, helsinki_net.indptr)
    assert back.edges.geometry.geom_equals_exact(helsinki_net.edges.geometry, 1e-9).all()
    assert back.summary() == helsinki_net.summary()
    assert back.coverage() == helsinki_net.coverage()
    assert len(back.buildings) == 486
    assert back.elements is not None and len(back.elements) == len(helsinki_net.elements)
    way = int(helsinki_net.edges["osm_way_id"].iat[0])
    got, had = back.element("way", way), helsinki_net.element("way", way)
    assert got is not None and had is not None
    assert {k: got[k] for k in ("version", "tags", "refs")} == {k: had[k] for k in ("version", "tags", "refs")}


def test_round_trip_keeps_the_terrain_heights(terrain_ways_net: Network, tmp_path: Path) -> None:
    entry = tmp_path / "entry"
    cache.save(terrain_ways_net, entry)
    back = cache.load(entry)
    assert back is not None and back.heights.step_m == terrain_ways_net.heights.step_m
    np.testing.assert_array_equal(back.heights.ptr, terrain_ways_net.heights.ptr)
    np.testing.assert_array_equal(back.heights.z, terrain_ways_net.heights.z)
    assert back.meta["terrain"] == terrain_ways_net.meta["terrain"]
    assert back.coverage()["incline_disputed"] == 1


def test_other_format_version_is_rebuilt(helsinki_net: Network, tmp_path: Path) -> None:
    entry = tmp_path / "entry"
    cache.save(helsinki_net, entry)
    meta = json.loads((entry / "meta.json").read_text())
    meta["format_version"] = settings.CACHE_FORMAT_VERSION - 1
    (entry / "meta.json").write_text(json.dumps(meta))
    assert cache.load(entry) is None


def test_second_load_comes_from_the_cache(tag_rules_osm: Path, tmp_path: Path) -> None:
    spec = pipeline.SourceSpec.file(tag_rules_osm)
    first = pipeline.load_or_build(spec, cache_dir=tmp_path)
    second = pipeline.load_or_build(spec, cache_dir=tmp_path)
    assert second.meta["built_at"] == first.meta["built_at"]
    rebuilt = pipeline.load_or_build(spec, cache_dir=tmp_path, rebuild=True)
    assert len(rebuilt.edges) == len(first.edges)


def test_cache_key_changes_with_the_file(tmp_path: Path, tag_rules_osm: Path) -> None:
    copy = tmp_path / "a.osm"
    copy.write_bytes(tag_rules_osm.read_bytes())
    k1 = cache.cache_key("file", str(copy))
    copy.write_bytes(tag_rules_osm.read_bytes() + b"\n")
    os.utime(copy, (1, 1))
    assert cache.cache_key("file", str(copy)) != k1
    assert cache.cache_key("file", str(copy), dem="x.tif") != cache.cache_key("file", str(copy))


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_cache_dir_nonroot(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    with pytest.raises(CacheError) as err:
        cache.check_writable(ro / "sub")
    assert err.value.key == "cache.not_writable" and err.value.details["path"] == str(ro / "sub")


def test_cache_dir_that_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(CacheError) as err:
        cache.check_writable(f)
    assert err.value.key == "cache.not_writable" and err.value.details["path"] == str(f)
    assert "not writable" in str(err.value) and "nelze zapisovat" in err.value.message("cs")
