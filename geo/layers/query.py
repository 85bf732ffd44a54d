"""The map layers of a loaded city, queried by bounding box: buildings, network (with the
accessibility class per profile), services, flats, stops and barriers.

:class:`MapLayers` is built once per process from the network and the validated layer files
(address matching, OSM social POIs, barriers, search index, one STRtree per layer). A query
returns the features intersecting a lon/lat box — geometries are not cut — capped at ``limit``
with a ``truncated`` flag; :func:`feature_collection` turns the result into GeoJSON.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.geometry

from geo import i18n
from geo.errors import BadRequestError
from geo.layers import barriers as barriers_mod
from geo.layers.addresses import AddressIndex, address_index
from geo.layers.osm_pois import merge_services, osm_services
from geo.layers.programme import ProgrammeFile, commitments_index, flats_targets
from geo.layers.provenance import confirmation, summary
from geo.layers.records import flats_frame, located, programme_progress, resolve_positions, services_frame
from geo.layers.schemas import FlatCollection, ProgrammeTarget, ServiceCollection
from geo.layers.search import SearchIndex, build_index
from geo.layers.stops import wheelchair_summary
from geo.network.attributes import SURFACE_CLASSES, SURFACE_VALUES
from geo.network.model import Network
from geo.routing.overlay import EMPTY_OVERLAY, Overlay
from geo.routing.profiles import ACCESS_CLASSES, PROFILES, access_class, get_profile

log = logging.getLogger(__name__)

LAYERS: tuple[str, ...] = ("buildings", "network", "services", "flats", "stops", "barriers", "basemap", "labels")
#: Layers that may be large: a bbox is required.
BBOX_REQUIRED: frozenset[str] = frozenset({"buildings", "network", "barriers", "basemap", "labels"})
#: A street name is placed on a stretch at least this long within the view (metres), at most this many names.
LABEL_MIN_M = 60.0
MAX_LABELS = 80
DEFAULT_LIMIT = 2000
MAX_LIMIT = 10000
DEFAULT_PROFILE = "manual_wheelchair"

_PROPERTIES: dict[str, tuple[str, ...]] = {
    "buildings": ("osmid", "element", "name", "building", "building:levels", "addr:street", "addr:housenumber",
                  "wheelchair"),
    "network": ("edge_id", "highway", "name", "surface", "surface_class", "incline_pct", "width_m", "is_steps",
                "length_m", "community_verified"),
    "services": ("id", "name", "aliases", "category", "address", "operator", "wheelchair", "wheelchair_note", "phone",
                 "web", "opening_hours", "status", "status_confirmed", "source", "source_date", "provenance",
                 "provenance_summary", "commitments", "position_precision", "position_source", "origin", "osm_ref",
                 "note"),
    "flats": ("id", "name", "address", "units_total", "units_accessible", "lift", "entrance_step_cm", "status",
              "status_confirmed", "programme", "source", "source_date", "provenance", "provenance_summary",
              "commitments", "position_precision", "position_source", "origin", "osm_ref", "note"),
    "stops": ("stop_id", "code", "name", "zone", "wheelchair_boarding", "wheelchair", "routes"),
    "barriers": ("barrier_id", "category", "severity", "reason", "element", "element_id", "osm_way_id", "value"),
    "basemap": ("kind", "name"),
    "labels": ("name", "angle"),
}


@dataclass
class LayerResult:
    """Features of one layer in a bbox."""

    layer: str
    frame: gpd.GeoDataFrame
    total: int
    truncated: bool
    limit: int
    bbox: tuple[float, float, float, float] | None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class MapLayers:
    """Every layer of a loaded city, with spatial indexes and the search index."""

    network: Network
    services: gpd.GeoDataFrame
    flats: gpd.GeoDataFrame
    stops: gpd.GeoDataFrame
    barriers: gpd.GeoDataFrame
    targets: list[ProgrammeTarget]
    addresses: AddressIndex
    search: SearchIndex
    stops_source: str | None = None
    programme: ProgrammeFile | None = None
    build_s: float = 0.0
    #: named lines (streets, footways) the street names are placed on
    named: gpd.GeoDataFrame = field(default_factory=lambda: gpd.GeoDataFrame({"name": []}, geometry=[]))
    _commitments: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict, repr=False)
    _trees: dict[str, shapely.STRtree] = field(default_factory=dict, repr=False)
    _access: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, net: Network, services: ServiceCollection, flats: FlatCollection,
              imported_flats: FlatCollection | None, stops: gpd.GeoDataFrame, *,
              stops_source: str | None = None, programme: ProgrammeFile | None = None) -> MapLayers:
        """Place the curated records, add OSM POIs, derive barriers, index everything. The ``programme``
        gives the flats targets and which commitments each record implements."""
        t0 = time.perf_counter()
        index = address_index(net.buildings, net.pois, net.edges)
        data_date = net.meta.get("provenance", {}).get("data_date")
        curated = resolve_positions(services_frame(services), index)
        merged = merge_services(curated, osm_services(net.pois, data_date=data_date))
        flat_frames = [flats_frame(flats)]
        if imported_flats is not None:
            flat_frames.append(flats_frame(imported_flats, origin="registry"))
        flats_all = gpd.GeoDataFrame(pd.concat(flat_frames, ignore_index=True), geometry="geometry",
                                     crs=flat_frames[0].crs)
        flats_all = resolve_positions(flats_all, index)
        barriers = barriers_mod.osm_barriers(net)
        search = build_index(pois=net.pois, address_index=index, services=merged, flats=flats_all, stops=stops)
        targets = flats_targets(programme) if programme is not None else list(flats.programme_targets)
        layers = cls(net, merged, flats_all, stops, barriers, targets, index, search, stops_source=stops_source,
                     programme=programme, named=named_lines(net), _commitments=commitments_index(programme))
        for name in LAYERS:
            layers.tree(name)
        layers.build_s = time.perf_counter() - t0
        log.info("map layers built in %.2f s: %d services (%d located), %d flat sites, %d stops, %d barriers, "
                 "%d addresses, %d search entries", layers.build_s, len(merged), int(located(merged).sum()),
                 len(flats_all), len(stops), len(barriers), len(index), len(search))
        return layers

    # ----------------------------------------------------------------- access

    def frame(self, name: str) -> gpd.GeoDataFrame:
        """The full frame of a layer."""
        if name == "buildings":
            return self.network.buildings
        if name == "network":
            return self.network.edges
        if name == "basemap":
            return self.network.basemap
        if name == "labels":
            return self.named
        if name not in LAYERS:
            raise BadRequestError("request.unknown_choice", field="layer", value=name, choices=", ".join(LAYERS))
        return getattr(self, name)

    def tree(self, name: str) -> shapely.STRtree:
        """Spatial index of a layer's geometries (lon/lat), built once."""
        if name not in self._trees:
            geoms = self.frame(name).geometry.to_numpy()
            self._trees[name] = shapely.STRtree(np.where(pd.isna(geoms), None, geoms))
        return self._trees[name]

    def access(self, profile_name: str, overlay: Overlay = EMPTY_OVERLAY) -> tuple[np.ndarray, np.ndarray]:
        """Accessibility class (0…3, see :data:`~geo.routing.profiles.ACCESS_CLASSES`) of every undirected edge
        in its geometry direction and against it, for a profile, with the overlay's verified attribute values
        (computed once per profile and attribute version)."""
        key = (profile_name, overlay.patches.version)
        if key not in self._access:
            profile = get_profile(profile_name)
            a = overlay.arrays(self.network.arrays)
            cls = access_class(a, profile)
            n = len(self.network.edges)
            fwd = np.full(n, -1, np.int8)
            bwd = np.full(n, -1, np.int8)
            fwd[a.edge_id[a.forward]] = cls[a.forward]
            bwd[a.edge_id[~a.forward]] = cls[~a.forward]
            if len(self._access) >= 4 * len(PROFILES):  # older attribute versions are not asked for again
                self._access.clear()
            self._access[key] = (fwd, bwd)
        return self._access[key]

    # ----------------------------------------------------------------- queries

    def query(self, name: str, bbox: tuple[float, float, float, float] | None, *, limit: int = DEFAULT_LIMIT,
              profile: str | None = None, include_unlocated: bool = False, today: date | None = None,
              overlay: Overlay = EMPTY_OVERLAY) -> LayerResult:
        """Features of layer ``name`` intersecting ``bbox`` (all when ``bbox`` is ``None``), capped at ``limit``.

        Unlocated records (services, flats without a position) are returned when there is no bbox
        or when ``include_unlocated`` is set. Services and flats carry their provenance, its summary, how
        fresh their status is (relative to ``today``) and the commitments of the programme they implement.
        The network's attributes and access classes include the verified values of ``overlay``.
        """
        frame = self.frame(name)
        if bbox is None and name in BBOX_REQUIRED:
            raise BadRequestError("layers.bbox_required", field="bbox", layer=name)
        if name == "labels" and bbox is not None:
            return self._labels(bbox, limit)
        if bbox is None:
            idx = np.arange(len(frame))
        else:
            idx = np.sort(self.tree(name).query(shapely.box(*bbox), predicate="intersects"))
            if include_unlocated and name in ("services", "flats"):
                idx = np.union1d(idx, np.flatnonzero(~located(frame)))
        if name == "network":  # the straight connections across plazas are not drawn: the base map shows the plaza
            idx = idx[~self.network.edge_col("across_area").astype(bool)[idx]]
        total = len(idx)
        sub = frame.iloc[idx[:limit]]
        meta: dict[str, Any] = {}
        if name == "network":
            pname = profile or DEFAULT_PROFILE
            fwd, bwd = self.access(pname, overlay)
            rows = idx[:limit]
            sub = sub.assign(edge_id=rows, access_forward=fwd[rows], access_backward=bwd[rows],
                             access=np.minimum(fwd[rows], bwd[rows]), **self._verified_attributes(rows, overlay))
            meta = {"profile": pname, "access_classes": list(ACCESS_CLASSES),
                    "note": "access is the worse of the two directions; access_forward follows the geometry's "
                            "direction, access_backward runs against it"}
        if name in ("services", "flats"):
            sub = self.with_provenance(name, sub, today or date.today())
        if name == "flats":
            meta = {"programme_progress": programme_progress(self.flats, self.targets), "placement": self.placement()}
        elif name == "stops":
            meta = {"wheelchair_summary": wheelchair_summary(self.stops) if len(self.stops) else {},
                    "source": self.stops_source}
        elif name == "services":
            meta = {"unlocated": int((~located(self.services)).sum()), "placement": self.placement()}
        elif name == "barriers":
            meta = {"source": "OpenStreetMap attributes of the loaded network",
                    "severity": {"1": "minor", "2": "serious", "3": "blocks a wheelchair"}}
        elif name == "basemap" and bbox is not None:
            sub = _clipped(sub, bbox)
        return LayerResult(name, sub, total, total > limit, limit, bbox, meta)

    def _labels(self, bbox: tuple[float, float, float, float], limit: int) -> LayerResult:
        """One street name per name in the view: at the middle of its longest stretch inside the view, turned
        along it (``angle`` in degrees clockwise, never upside down), longest stretches first."""
        idx = self.tree("labels").query(shapely.box(*bbox), predicate="intersects")
        frame = self.named
        if len(idx) == 0:
            return LayerResult("labels", _labels_frame([], [], []), 0, False, limit, bbox)
        clipped = shapely.clip_by_rect(frame.geometry.to_numpy()[idx], *bbox)
        scale = math.cos(math.radians((bbox[1] + bbox[3]) / 2))
        metric = shapely.transform(clipped, lambda xy: xy * [111_320.0 * scale, 111_320.0])
        lengths = shapely.length(metric)
        best = pd.DataFrame({"name": frame["name"].to_numpy()[idx], "length": lengths, "k": np.arange(len(idx))})
        best = best[best["length"] >= LABEL_MIN_M].sort_values("length", ascending=False).drop_duplicates("name")
        best = best.head(min(limit, MAX_LABELS))
        lines = clipped[best["k"].to_numpy()]
        # a multi-part clip: its longest part
        lines = np.array([max(g.geoms, key=lambda part: part.length) if hasattr(g, "geoms") else g for g in lines],
                         dtype=object)
        mid = shapely.line_interpolate_point(lines, 0.5, normalized=True)
        a = shapely.get_coordinates(shapely.line_interpolate_point(lines, 0.4, normalized=True))
        b = shapely.get_coordinates(shapely.line_interpolate_point(lines, 0.6, normalized=True))
        angle = -np.degrees(np.arctan2(b[:, 1] - a[:, 1], (b[:, 0] - a[:, 0]) * scale))
        angle = (angle + 90.0) % 180.0 - 90.0
        out = _labels_frame(best["name"].tolist(), np.round(angle, 1).tolist(), list(mid))
        return LayerResult("labels", out, len(best), False, limit, bbox)


    def _verified_attributes(self, rows: np.ndarray, overlay: Overlay) -> dict[str, Any]:
        """Network columns of ``rows`` as the overlay's verified values have them (in the geometry's direction)."""
        touched = np.isin(rows, self.network.arrays.edge_id[overlay.patches.edges])
        if not touched.any():
            return {"community_verified": touched}
        a = overlay.arrays(self.network.arrays)
        k = self.network.directed(rows)[0]
        incline = a.incline_pct[k].astype(float)
        width = a.width_m[k].astype(float)
        return {"community_verified": touched, "surface": np.asarray(SURFACE_VALUES, dtype=object)[a.surface_code[k]],
                "surface_class": np.asarray(SURFACE_CLASSES, dtype=object)[a.surface_class[k]],
                "incline_pct": np.where(a.incline_known[k], incline, np.nan),
                "width_m": np.where(a.width_known[k], width, np.nan)}
    def with_provenance(self, name: str, frame: gpd.GeoDataFrame, today: date) -> gpd.GeoDataFrame:
        """``frame`` (rows of the services or flats layer) with ``provenance_summary``, ``status_confirmed``
        (how fresh the status is on ``today``) and ``commitments`` (the programme items each implements)."""
        prov = [p or {} for p in frame["provenance"]] if len(frame) else []
        return frame.assign(
            provenance_summary=[summary(p) for p in prov],
            status_confirmed=[confirmation(p.get("status"), today) for p in prov],
            commitments=[self._commitments.get((name, rid), []) for rid in frame["id"]])

    def placement(self) -> dict[str, Any]:
        """How many curated records (services and flats) the loaded map could place, and its area."""
        curated = [(frame["origin"] == "curated").to_numpy(bool) for frame in (self.services, self.flats)]
        placed = sum(int((c & located(frame)).sum()) for c, frame in zip(curated, (self.services, self.flats),
                                                                           strict=True))
        meta = self.network.meta.get("provenance", {})
        return {"area": meta.get("area"), "sample": meta.get("source") == "sample",
                "curated": sum(int(c.sum()) for c in curated), "placed": placed}

    def service_targets(self) -> gpd.GeoDataFrame:
        """Placed services (curated and OSM) with ``id``, ``name``, ``category``, ``wheelchair``: routing
        destinations."""
        s = self.services[located(self.services)]
        return gpd.GeoDataFrame({"id": s["id"].to_numpy(), "name": s["name_cs"].to_numpy(),
                                 "category": s["category"].to_numpy(), "origin": s["origin"].to_numpy(),
                                 "position_precision": s["position_precision"].to_numpy(),
                                 "wheelchair": s["wheelchair"].to_numpy()},
                                geometry=s.geometry.to_numpy(), crs=s.crs)

    def summary(self) -> list[dict[str, Any]]:
        """Name, feature count and located count of every layer."""
        out = []
        for name in LAYERS:
            frame = self.frame(name)
            out.append({"name": name, "features": len(frame), "located": int(located(frame).sum()),
                        "bbox_required": name in BBOX_REQUIRED})
        return out


def placement_notice(placement: dict[str, Any] | None, lang: str | None) -> str | None:
    """What the page says when the curated Liberec records cannot be placed: the map is the sample (or
    another area) and none of them found its address — they are listed, not drawn. ``None`` otherwise."""
    if not placement or not placement.get("curated"):
        return None
    if placement.get("sample"):
        return i18n.text("programme.not_liberec", lang, area=placement["area"])
    if placement.get("placed") == 0:
        return i18n.text("programme.none_placed", lang, area=placement["area"])
    return None


# --------------------------------------------------------------------------- GeoJSON


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 3)
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _geometry(geom: Any) -> dict[str, Any] | None:
    if geom is None or (isinstance(geom, float) and math.isnan(geom)) or geom.is_empty:
        return None
    return shapely.geometry.mapping(shapely.transform(geom, lambda xy: np.round(xy, 6)))


def _geometries(geoms: np.ndarray) -> list[dict[str, Any] | None]:
    """GeoJSON geometries of an array of shapely geometries (coordinates rounded to 6 decimals): points and lines
    at once, other kinds one by one."""
    geoms = np.asarray(geoms, dtype=object)
    geoms = np.where([g is None or isinstance(g, float) for g in geoms], None, geoms)
    out: list[dict[str, Any] | None] = [None] * len(geoms)
    valid = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    kind = shapely.get_type_id(geoms)
    simple = np.flatnonzero(valid & np.isin(kind, [0, 1]) & ~shapely.has_z(geoms))
    if len(simple):
        coords, owner = shapely.get_coordinates(geoms[simple], return_index=True)
        xy = np.round(coords, 6).tolist()
        cut = np.searchsorted(owner, np.arange(len(simple) + 1)).tolist()
        for j, i in enumerate(simple.tolist()):
            pts = xy[cut[j]:cut[j + 1]]
            out[i] = {"type": "Point", "coordinates": pts[0]} if kind[i] == 0 else {"type": "LineString",
                                                                                   "coordinates": pts}
    done = np.zeros(len(geoms), bool)
    done[simple] = True
    for i in np.flatnonzero(valid & ~done).tolist():
        out[i] = _geometry(geoms[i])
    return out


def feature_collection(result: LayerResult) -> dict[str, Any]:
    """GeoJSON FeatureCollection of a query result, with ``count``, ``total``, ``truncated``, ``limit``."""
    frame = result.frame
    cols = list(_PROPERTIES[result.layer])
    if result.layer == "network":
        cols += ["access_forward", "access_backward", "access"]
    features = []
    wanted = [c for c in frame.columns if c in {*cols, "name_cs", "name_en"} and c != frame.geometry.name]
    records = frame[wanted].to_dict("records") if len(frame) else []
    for rec, geom in zip(records, _geometries(frame.geometry.to_numpy()), strict=True):
        props = {}
        for c in cols:
            if result.layer == "services" and c == "name":
                props["name"] = {"cs": rec["name_cs"], "en": rec["name_en"]}
                continue
            v = _plain(rec.get(c))
            if result.layer == "network" and c.startswith("access") and v is not None:
                v = ACCESS_CLASSES[v] if v >= 0 else None
            if result.layer == "stops" and c == "routes":
                v = [r for r in str(v).split("|") if r] if v else []
            props[c] = v
        features.append({"type": "Feature", "geometry": geom, "properties": props})
    return {"type": "FeatureCollection", "layer": result.layer, "features": features, "count": len(features),
            "total": result.total, "truncated": result.truncated, "limit": result.limit,
            "bbox": list(result.bbox) if result.bbox else None, **result.meta}



def named_lines(net: Network) -> gpd.GeoDataFrame:
    """The named lines of a map — network ways and the roads of the base map — that street names go on."""
    e = net.edges
    named_edges = e[e["name"].notna() & ~net.edge_col("across_area").astype(bool)]
    roads = net.basemap[net.basemap["kind"].isin(["road", "major_road"]) & net.basemap["name"].notna()]
    return gpd.GeoDataFrame({"name": np.concatenate([named_edges["name"].astype(str).to_numpy(),
                                                     roads["name"].astype(str).to_numpy()])},
                            geometry=np.concatenate([named_edges.geometry.to_numpy(), roads.geometry.to_numpy()]),
                            crs="EPSG:4326")


def _labels_frame(names: list[str], angles: list[float], points: list[Any]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": names, "angle": angles}, geometry=points, crs="EPSG:4326")


def _clipped(frame: gpd.GeoDataFrame, bbox: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """The features cut to the view grown by a tenth on each side (big woods and parks stay small)."""
    if frame.empty:
        return frame
    w, s, e, n = bbox
    dx, dy = (e - w) / 10, (n - s) / 10
    cut = shapely.clip_by_rect(frame.geometry.to_numpy(), w - dx, s - dy, e + dx, n + dy)
    keep = ~shapely.is_empty(cut)
    return frame.iloc[np.flatnonzero(keep)].set_geometry(cut[keep])
