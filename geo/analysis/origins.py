"""Origins (homes) and destinations (services, stops) of the planner as weighted points, snapped like route ends.

* **Homes**: residential buildings of the OSM extract (``building`` = one of :data:`RESIDENTIAL`), weight
  = the number of distinct addresses OSM gives the building (its own ``addr:housenumber`` values and
  those of address-bearing points inside it), at least 1; and city flats, weight = units (1 when the
  number of units is unknown; unplaced flats are left out).
* **Destinations**: placed services (curated and OSM), and public-transport stops whose GTFS
  ``wheelchair_boarding`` is 1 (accessible); weight 1 each.

:func:`snap_points` snaps many points at once exactly as :meth:`geo.routing.router.Router.anchor` snaps the
ends of a route (the nearest edge, or a nearby edge the profile can use), homes and destinations alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.network.model import Network, Snap
from geo.routing.overlay import EMPTY_OVERLAY, Overlay
from geo.routing.profiles import PROFILES, Profile
from geo.routing.router import MAX_SNAP_M, Anchor, Router

OriginsChoice = Literal["buildings", "flats", "both"]
DestinationsChoice = Literal["services", "stops", "both"]
ORIGIN_CHOICES: tuple[str, ...] = ("buildings", "flats", "both")
DESTINATION_CHOICES: tuple[str, ...] = ("services", "stops", "both")

#: OSM ``building`` values of homes.
RESIDENTIAL: frozenset[str] = frozenset({
    "residential", "apartments", "house", "detached", "semidetached_house", "terrace", "dormitory", "bungalow",
    "farm", "cabin", "houseboat", "static_caravan",
})


@dataclass(frozen=True)
class Places:
    """Parallel arrays of weighted points: ``kind`` is ``building``, ``flat``, ``service`` or ``stop``."""

    ids: np.ndarray
    kinds: np.ndarray
    names: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    weight: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def empty(cls) -> Places:
        """No places."""
        e = np.zeros(0, dtype=object)
        return cls(e, e, e, np.zeros(0), np.zeros(0), np.zeros(0))

    @classmethod
    def concat(cls, parts: list[Places]) -> Places:
        """The places of ``parts`` one after another."""
        parts = [p for p in parts if len(p)]
        if not parts:
            return cls.empty()
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in
                     ("ids", "kinds", "names", "lon", "lat", "weight")))

    def frame(self) -> gpd.GeoDataFrame:
        """As a GeoDataFrame with ``id``, ``name``, ``category`` (the kind) and ``weight``."""
        return gpd.GeoDataFrame({"id": self.ids, "name": self.names, "category": self.kinds, "weight": self.weight},
                                geometry=gpd.points_from_xy(self.lon, self.lat), crs=settings.CRS_WGS84)


def _text(frame: pd.DataFrame, col: str) -> pd.Series:
    if col in frame:
        return frame[col].astype(object).where(frame[col].notna(), None)
    return pd.Series(None, index=frame.index, dtype=object)


def _numbers(value: object) -> set[str]:
    if not isinstance(value, str):
        return set()
    return {v.strip() for v in value.split(";") if v.strip()}


def residential_buildings(net: Network) -> Places:
    """Residential buildings of the extract, weighted by their number of addresses (at least 1)."""
    b = net.buildings
    if b.empty or "building" not in b:
        return Places.empty()
    homes = b[_text(b, "building").str.lower().isin(RESIDENTIAL).fillna(False).to_numpy(bool)]
    if homes.empty:
        return Places.empty()
    numbers = [_numbers(v) for v in _text(homes, "addr:housenumber")]
    pois = net.pois
    if not pois.empty and "addr:housenumber" in pois:
        points = pois[pois["addr:housenumber"].notna()]
        points = points.set_geometry(points.geometry.representative_point())
        inside = gpd.sjoin(points[["addr:housenumber", "geometry"]],
                           gpd.GeoDataFrame(geometry=homes.geometry.to_numpy(), crs=homes.crs),
                           predicate="within", how="inner")
        for row, value in zip(inside["index_right"].to_numpy(), inside["addr:housenumber"], strict=True):
            numbers[int(row)] |= _numbers(value)
    pts = homes.geometry.representative_point()
    osm_type = _text(homes, "element").fillna("way")
    names = _text(homes, "addr:street").fillna("") + " " + _text(homes, "addr:housenumber").fillna("")
    return Places(
        ids=np.array([f"{t}/{i}" for t, i in zip(osm_type, homes["osmid"], strict=True)], dtype=object),
        kinds=np.full(len(homes), "building", dtype=object),
        names=names.str.strip().to_numpy(object),
        lon=pts.x.to_numpy(float), lat=pts.y.to_numpy(float),
        weight=np.array([max(1, len(n)) for n in numbers], float),
    )


def city_flats(flats: gpd.GeoDataFrame) -> Places:
    """Placed city flats weighted by their units (1 when unknown)."""
    if flats.empty:
        return Places.empty()
    placed = flats[flats.geometry.notna() & ~flats.geometry.is_empty]
    if placed.empty:
        return Places.empty()
    pts = placed.geometry.representative_point()
    units = pd.to_numeric(placed.get("units_total"), errors="coerce").to_numpy(float) \
        if "units_total" in placed else np.full(len(placed), np.nan)
    return Places(
        ids=placed["id"].astype(str).to_numpy(object), kinds=np.full(len(placed), "flat", dtype=object),
        names=_text(placed, "name").fillna("").to_numpy(object), lon=pts.x.to_numpy(float),
        lat=pts.y.to_numpy(float), weight=np.where(np.isfinite(units) & (units > 0), units, 1.0),
    )


def services(frame: gpd.GeoDataFrame) -> Places:
    """Placed services (``id``, ``name``, ``category``: :meth:`MapLayers.service_targets`), weight 1."""
    return _points(frame, "service", "id", "name")


def accessible_stops(stops: gpd.GeoDataFrame) -> Places:
    """Public-transport stops with ``wheelchair_boarding`` 1, weight 1."""
    if stops.empty or "wheelchair_boarding" not in stops:
        return Places.empty()
    return _points(stops[stops["wheelchair_boarding"].to_numpy() == 1], "stop", "stop_id", "name")


def _points(frame: gpd.GeoDataFrame, kind: str, id_col: str, name_col: str) -> Places:
    if frame.empty:
        return Places.empty()
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    pts = frame.geometry.representative_point()
    return Places(ids=frame[id_col].astype(str).to_numpy(object), kinds=np.full(len(frame), kind, dtype=object),
                  names=_text(frame, name_col).fillna("").astype(str).to_numpy(object),
                  lon=pts.x.to_numpy(float), lat=pts.y.to_numpy(float), weight=np.ones(len(frame)))


# --------------------------------------------------------------------------- snapping


def snap_points(router: Router, places: Places, profile: Profile, overlay: Overlay = EMPTY_OVERLAY
                ) -> list[Anchor | None]:
    """Each place snapped as :meth:`Router.anchor` snaps a route's ends (``None``: farther than 300 m from
    the network). The nearest edges of all points are found in one query; only points whose nearest edge
    the router would pass over (cut off, underground, or not usable by the profile) take the router's own
    (slower) choice."""
    n = len(places)
    if n == 0:
        return []
    net = router.net
    xs, ys = net.to_metric.transform(places.lon, places.lat)
    pts = shapely.points(xs, ys)
    (which, hits), dist = net.tree.query_nearest(pts, max_distance=MAX_SNAP_M, return_distance=True)
    best = np.full(n, -1, np.int64)
    best_d = np.full(n, np.inf)
    for i, e, d in zip(which.tolist(), hits.tolist(), dist.tolist(), strict=True):
        if d < best_d[i]:  # the first of equally near edges, as Network.snap takes
            best[i], best_d[i] = e, d
    placed = np.flatnonzero(best >= 0)
    base = PROFILES.get(profile.name, profile)
    cost = router.costs(base, overlay)
    fwd, back = net.directed(best[placed])
    # the nearest edge is the router's choice when it lies in the largest piece, on the ground, usable, and in
    # the largest piece the profile can travel; any other point takes the router's own choice
    on_ground = np.array([s is not False for s in net.edge_col("on_surface")[best[placed]].tolist()], bool)
    usable = ((np.isfinite(cost[fwd]) | np.isfinite(cost[back])) & on_ground
              & (net.piece_of_edge(best[placed]) == 0)
              & (router.profile_pieces(base, overlay)[router.edge_u[best[placed]]] == 0))
    out: list[Anchor | None] = [None] * n
    lines = net.edges_metric[best[placed]]
    lengths = shapely.length(lines)
    frac = np.where(lengths > 0, shapely.line_locate_point(lines, pts[placed], normalized=True), 0.0)
    on = shapely.line_interpolate_point(lines, frac, normalized=True)
    lon, lat = net.to_metric.transform(shapely.get_x(on), shapely.get_y(on), direction="INVERSE")
    u, v = router.edge_u[best[placed]], router.edge_v[best[placed]]
    for k, i in enumerate(placed.tolist()):
        if not usable[k]:
            out[i] = router.anchor(float(places.lon[i]), float(places.lat[i]), profile, overlay)
            continue
        snap = Snap(edge_id=int(best[i]), fraction=float(frac[k]), distance_m=float(best_d[i]),
                    lon=float(lon[k]), lat=float(lat[k]))
        out[i] = Anchor(snap=snap, u=int(u[k]), v=int(v[k]), fwd=int(fwd[k]), back=int(back[k]),
                        nearest_m=float(best_d[i]))
    return out
