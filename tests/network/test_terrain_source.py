"""Terrain models downloaded for a place, offline against a local stub (tests/terrain_stub.py)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import osmnx as ox
import pytest
import rasterio

from geo import settings
from geo.errors import DownloadError
from geo.network import pipeline
from geo.network.terrain_source import fetch_terrain, glo30_name, in_czechia
from tests.overpass_stub import serve_osm
from tests.terrain_stub import GRADE_PCT, black_hole, height_m, serve_terrain

#: lon/lat box of tests/fixtures/areas.osm (in Czechia) and of a box in Finland
AREAS_BOUNDS = (15.0598, 50.7695, 15.0668, 50.7712)
HELSINKI_BOUNDS = (24.93, 60.16, 24.95, 60.17)


@pytest.fixture
def terrain_urls(monkeypatch: pytest.MonkeyPatch):
    def use(mode: dict[str, str] | None = None):
        stub = serve_terrain(mode)
        urls = stub.__enter__()
        monkeypatch.setenv("LBB_DMR5G_URL", urls["dmr5g"])
        monkeypatch.setenv("LBB_GLO30_URL", urls["glo30"])
        used.append(stub)
        return urls

    used: list = []
    yield use
    for stub in used:
        stub.__exit__(None, None, None)


def _height_at(path: str, lon: float, lat: float) -> float:
    from pyproj import Transformer

    with rasterio.open(path) as src:
        x, y = Transformer.from_crs(4326, src.crs, always_xy=True).transform(lon, lat)
        return float(next(src.sample([(x, y)]))[0])


def test_czech_areas_get_dmr5g(terrain_urls, tmp_path: Path) -> None:
    urls = terrain_urls()
    got = fetch_terrain(AREAS_BOUNDS, tmp_path)
    assert got.source == "dmr5g" and got.label == "ČÚZK DMR 5G" and got.resolution_m == 2.0
    assert all(p.startswith("/dmr5g/") for p in urls["asked"])
    lon, lat = 15.063, 50.770
    assert _height_at(got.path, lon, lat) == pytest.approx(float(height_m(lon, lat)), abs=0.05)
    with rasterio.open(got.path) as src:
        assert src.crs.to_epsg() == 5514 and src.res == (2.0, 2.0)
    asked = len(urls["asked"])
    again = fetch_terrain(AREAS_BOUNDS, tmp_path)  # cached next to the network: nothing is downloaded again
    assert again.path == got.path and len(urls["asked"]) == asked


def test_elsewhere_copernicus_glo30(terrain_urls, tmp_path: Path) -> None:
    urls = terrain_urls()
    assert not in_czechia(HELSINKI_BOUNDS) and in_czechia(AREAS_BOUNDS)
    got = fetch_terrain(HELSINKI_BOUNDS, tmp_path)
    assert got.source == "glo30" and got.resolution_m == 30.0
    assert urls["asked"] == [f"/glo30/{glo30_name(60, 24)}/{glo30_name(60, 24)}.tif"]
    assert _height_at(got.path, 24.94, 60.165) == pytest.approx(float(height_m(24.94, 60.165)), abs=6)


def test_a_failing_national_service_falls_back_to_glo30(terrain_urls, tmp_path: Path) -> None:
    terrain_urls({"dmr5g": "error"})
    assert fetch_terrain(AREAS_BOUNDS, tmp_path).source == "glo30"


def test_every_source_failing_is_one_download_error(terrain_urls, tmp_path: Path) -> None:
    terrain_urls({"dmr5g": "html", "glo30": "error"})
    with pytest.raises(DownloadError) as caught:
        fetch_terrain(AREAS_BOUNDS, tmp_path)
    assert caught.value.key == "terrain.download_failed"
    text = caught.value.message("en")
    assert "ČÚZK DMR 5G" in text and "Copernicus GLO-30" in text and "not a GeoTIFF" in text
    assert not list(tmp_path.glob("*.tif"))


def test_a_server_that_never_answers_is_given_up_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LBB_DOWNLOAD_LIMIT_S", "2")
    with black_hole() as url:
        monkeypatch.setenv("LBB_DMR5G_URL", url + "/exportImage")
        monkeypatch.setenv("LBB_GLO30_URL", url)
        t0 = time.monotonic()
        with pytest.raises(DownloadError) as caught:
            fetch_terrain(AREAS_BOUNDS, tmp_path)
        waited = time.monotonic() - t0
    assert "did not finish within 2 s" in caught.value.message("en")
    assert waited < 2 * 2 + 5  # two sources, two seconds each, and no more


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch, areas_osm: Path):
    with serve_osm(areas_osm, AREAS_BOUNDS, settings.DEFAULT_PLACE) as url:
        monkeypatch.setattr(ox.settings, "nominatim_url", url)
        monkeypatch.setattr(ox.settings, "overpass_url", url + "/api")
        monkeypatch.setattr(ox.settings, "overpass_rate_limit", False)
        monkeypatch.setattr(pipeline, "_configure_osmnx_cache", lambda _d: ox.settings.__setattr__("use_cache", False))
        yield url


def test_a_downloaded_place_gets_terrain_inclines(online, terrain_urls, tmp_path: Path) -> None:
    terrain_urls()
    net = pipeline.load_or_build(pipeline.SourceSpec.place(), dem=pipeline.TERRAIN_AUTO, cache_dir=tmp_path)
    src = net.meta["terrain_source"]
    assert src["source"] == "dmr5g" and src["status"] == "ok" and src["resolution_m"] == 2.0
    assert (tmp_path / "terrain" / src["path"]).is_file()
    e = net.edges
    north = e[(e["incline_source"] == "dem") & (e["osm_way_id"] == 4)]  # a2 runs south, 45 m
    assert len(north) and np.allclose(north["incline_pct"], -GRADE_PCT, atol=0.3)
    assert net.coverage()["incline_from_terrain"] > 10


def test_no_terrain_is_a_warning_not_a_failed_start(online, terrain_urls, tmp_path: Path,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    terrain_urls({"dmr5g": "error", "glo30": "error"})
    net = pipeline.load_or_build(pipeline.SourceSpec.place(), dem=pipeline.TERRAIN_AUTO, cache_dir=tmp_path)
    assert net.meta["terrain_source"]["status"] == "failed"
    assert net.coverage()["incline_from_terrain"] == 0
    assert any("no terrain model" in r.message for r in caplog.records)
