"""End to end on real data: the Helsinki sample and the Liberec stairways; offline fallback."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import osmnx as ox
import pandas as pd
import pytest

from geo.errors import DownloadError
from geo.network import pipeline
from geo.network.model import Network


def test_helsinki_sample_end_to_end(helsinki_net: Network) -> None:
    s = helsinki_net.summary()
    assert s["source"] == "sample" and "Helsinki" in s["area"]
    assert s["data_date"] == "2019-04-17"
    assert 3000 < s["nodes"] < 4500 and 5000 < s["edges"] < 6500
    assert s["buildings"] == 486
    cov = helsinki_net.coverage()
    assert 70 < cov["known_pct"]["surface"] < 85
    assert cov["known_pct"]["incline"] < 5  # no DEM: only OSM inclines
    assert cov["steps"] > 100 and cov["crossings"] > 300 and cov["elevators"] > 0
    assert 100 < cov["length_km"] < 115  # 88 km of ways and 20 km of plaza and platform outlines


def test_all_liberec_stairways_become_steps_edges(steps_osm: Path, tmp_path: Path) -> None:
    net = pipeline.load_or_build(pipeline.SourceSpec.file(steps_osm), cache_dir=tmp_path)
    e = net.edges
    assert e["osm_way_id"].nunique() == 252
    assert e["is_steps"].all()
    per_way = e.groupby("osm_way_id").first()
    # oracle: the same ways as GeoJSON with all their tags
    truth = gpd.read_file(steps_osm.with_suffix(".geojson"))
    truth["way"] = truth["@id"].astype(str).str.extract(r"(\d+)$")[0].astype("int64")
    truth = truth.set_index("way").loc[per_way.index]
    counts = pd.to_numeric(truth["step_count"], errors="coerce")
    parsed = per_way["step_count"]
    assert parsed.notna().sum() == 96
    assert (parsed[counts.notna()] == counts[counts.notna()]).all()
    assert per_way["incline_sign"].notna().sum() == 85
    assert (per_way["incline_sign"][truth["incline"] == "up"] == 1).all()
    assert per_way["ramp_any"].sum() == (truth["ramp"] == "yes").sum() == 2
    assert not per_way["ramp_wheelchair"].any()  # the clip has no ramp:wheelchair=yes
    assert not per_way["ramp_stroller"].any()  # its one ramp:stroller says "no"
    assert per_way["ramp_known"].sum() >= (truth["ramp"] == "no").sum()
    assert "step_count" not in net.meta["parse_report"]


def test_offline_without_cache_falls_back_to_the_sample(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(ox.settings, "nominatim_url", "http://127.0.0.1:9/")
    monkeypatch.setattr(pipeline, "_configure_osmnx_cache", lambda _d: None)
    monkeypatch.setattr(ox.settings, "use_cache", False)
    net = pipeline.load_or_build(pipeline.SourceSpec.place(), cache_dir=tmp_path, fallback_to_sample=True)
    assert net.summary()["source"] == "sample"


def test_a_server_that_never_answers_falls_back_within_the_limit(monkeypatch: pytest.MonkeyPatch,
                                                                  helsinki_net: Network, cache_root: Path) -> None:
    """Overpass and Nominatim accept the connection and never answer: the sample (cached) is served within the
    download limit."""
    import time

    from tests.terrain_stub import black_hole

    monkeypatch.setenv("LBB_DOWNLOAD_LIMIT_S", "3")
    monkeypatch.setattr(pipeline, "_configure_osmnx_cache", lambda _d: None)
    monkeypatch.setattr(ox.settings, "use_cache", False)
    with black_hole() as url:
        monkeypatch.setattr(ox.settings, "nominatim_url", url)
        monkeypatch.setattr(ox.settings, "overpass_url", url + "/api")
        t0 = time.monotonic()
        net = pipeline.load_or_build(pipeline.SourceSpec.place(), cache_dir=cache_root, fallback_to_sample=True)
        waited = time.monotonic() - t0
    assert net.summary()["source"] == "sample"
    assert waited < 3 + 10  # the limit, and the warm start of the cached sample


def test_a_cached_place_is_served_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tag_rules_osm: Path) -> None:
    """A place cached without terrain is served at once when terrain is asked for, without any download; a
    failed update keeps serving it."""
    from geo.network import cache

    net = pipeline.load_or_build(pipeline.SourceSpec.file(tag_rules_osm), cache_dir=tmp_path)
    spec = pipeline.SourceSpec.place("Testov")
    cache.save(net, tmp_path / cache.cache_key(spec.kind, spec.location))

    def offline(_spec: pipeline.SourceSpec) -> None:
        raise DownloadError("osm.download_failed", place="Testov", error="offline")

    monkeypatch.setattr(pipeline, "load_extract", offline)
    monkeypatch.setattr(pipeline, "_configure_osmnx_cache", lambda _d: None)
    got = pipeline.load_or_build(spec, dem=pipeline.TERRAIN_AUTO, cache_dir=tmp_path)
    assert got.n_nodes == net.n_nodes
    again = pipeline.load_or_build(spec, dem=pipeline.TERRAIN_AUTO, cache_dir=tmp_path, rebuild=True,
                                   fallback_to_sample=True)
    assert again.summary()["source"] == net.summary()["source"] != "sample"
    with pytest.raises(DownloadError):
        pipeline.load_or_build(spec, cache_dir=tmp_path, rebuild=True)  # `update`: the failure is an error
