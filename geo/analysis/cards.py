"""Reach cards: what a person can reach without barriers from a home, per essential category, with the score.

A card is built from a :class:`~geo.analysis.reach.ReachField` (one search per category for the whole city):
the nearest destination of each category and its minutes come from the field; only for the destinations the
card shows are routes computed — one per category, on demand:

* a reachable category: the route to its nearest destination (:meth:`Router.route`) described by
  :func:`geo.routing.itinerary.describe` — its verified share and its worst warning (:data:`WARNING_ORDER`);
* an unreachable one: the category's destination nearest with nothing closed (the profile's unrestricted
  field) and the no-route diagnosis of that pair (:mod:`geo.routing.diagnosis`): the reasons, and the
  *nearest relaxation* — the one that changes the fewest limits, then gives the fastest route;
* a category without any destination in the data: "no data", left out of the score.

:class:`Housing` keeps the fields of one city per (profile, reports overlay) and answers cards for any point
or city flat, the table of every flat (sorted by score) and its CSV / GeoJSON.
"""

from __future__ import annotations

import csv
import io
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import i18n
from geo.analysis.destinations import CATEGORIES, Destinations, essential_destinations
from geo.analysis.entrances import Buildings, flat_entrance
from geo.analysis.graph import Progress, no_progress
from geo.analysis.origins import Places, city_flats
from geo.analysis.reach import TIERS_MIN, ReachField, Score, build_field, score, scores
from geo.errors import NoRouteError, NotFoundError, OutsideAreaError
from geo.layers.query import MapLayers
from geo.routing.itinerary import RouteWarning, describe
from geo.routing.itinerary.text import warning_text
from geo.routing.overlay import EMPTY_OVERLAY, Overlay
from geo.routing.profiles import Profile
from geo.routing.router import Anchor, Router

#: Route warnings from the worst to the mildest: a card names the worst one its route has.
WARNING_ORDER: tuple[str, ...] = ("report", "steps", "barrier", "steep", "elevator", "kerb", "kerb_unknown",
                                  "unknown_incline", "unknown_kerb", "unknown_width", "unknown_surface",
                                  "rough_surface")
#: Columns of the flats table and of ``reach-cards`` (then ``<category>_min`` and ``<category>_destination``).
COLUMNS: tuple[str, ...] = ("id", "kind", "name", "address", "lon", "lat", "position_precision", "profile", "score",
                            "within_10", "within_15", "counted", "entrance")


def worst_warning(warnings: list[RouteWarning]) -> RouteWarning | None:
    """The worst warning of a route by :data:`WARNING_ORDER` (``None``: nothing to warn about)."""
    ranked = [w for w in warnings if w.code in WARNING_ORDER]
    return min(ranked, key=lambda w: WARNING_ORDER.index(w.code)) if ranked else None


def minutes(seconds: float) -> float | None:
    """Seconds as minutes with one decimal (``None`` for unreachable)."""
    return round(seconds / 60.0, 1) if math.isfinite(seconds) else None


def _latlon(lon: float, lat: float) -> str:
    return f"{lat:.6f},{lon:.6f}"


def relax_text(change: dict[str, Any], lang: str | None) -> str:
    """A relaxation in words ("allow steps, raise the uphill limit to 10 %")."""
    return ", ".join(i18n.text(f"route.relax.{k}", lang, value=v) for k, v in change.items())


def score_json(s: Score, lang: str | None) -> dict[str, Any]:
    """The score with its definition and the numbers put into it."""
    formula = i18n.text("housing.score.formula", lang, within_10=s.within_10, within_15=s.within_15,
                        counted=s.counted, value=s.value) if s.value is not None else i18n.text("housing.score.none",
                                                                                                lang)
    return {"value": s.value, "within_10": s.within_10, "within_15": s.within_15, "counted": s.counted,
            "tiers_min": list(TIERS_MIN), "formula": formula, "definition": i18n.text("housing.score.definition", lang)}


@dataclass(frozen=True)
class HousingInputs:
    """What every card of one city reads: the router, the essential destinations, the buildings with their
    entrances and the flats layer (curated and imported; ``flat_places`` are the placed ones)."""

    router: Router
    destinations: Destinations
    buildings: Buildings
    flats: gpd.GeoDataFrame
    flat_places: Places

    @classmethod
    def from_layers(cls, router: Router, layers: MapLayers) -> HousingInputs:
        """The inputs from the app's map layers."""
        net = router.net
        return cls(router, essential_destinations(net.pois, layers.stops, layers.services), Buildings.of(net),
                   layers.flats, city_flats(layers.flats))


class Housing:
    """Reach cards of one city: fields kept per (profile, overlay version), at most ``size`` of them."""

    def __init__(self, inputs: HousingInputs, *, size: int = 8) -> None:
        self.inputs = inputs
        self.size = size
        self._fields: OrderedDict[tuple[Any, ...], ReachField] = OrderedDict()
        self._lock = threading.Lock()
        self._building = threading.Lock()

    # ----------------------------------------------------------------- fields

    def field(self, profile: Profile, overlay: Overlay = EMPTY_OVERLAY) -> ReachField:
        """The field of ``profile`` with the city flats as homes (built once per overlay version)."""
        return self._get(("homes", profile, overlay.version),
                         lambda: build_field(self.inputs.router, self.inputs.destinations, profile, overlay,
                                             self.inputs.flat_places))

    def unrestricted(self, profile: Profile, overlay: Overlay = EMPTY_OVERLAY) -> ReachField:
        """The field of ``profile`` with nothing closed: which destination an unreachable category is nearest to."""
        return self._get(("open", profile, overlay.version),
                         lambda: build_field(self.inputs.router, self.inputs.destinations, profile.unrestricted(),
                                             EMPTY_OVERLAY))

    def _get(self, key: tuple[Any, ...], build: Any) -> ReachField:
        with self._lock:
            if key in self._fields:
                self._fields.move_to_end(key)
                return self._fields[key]
        with self._building:  # one build at a time: a second request for the same field waits for it
            with self._lock:
                if key in self._fields:
                    return self._fields[key]
            value = build()
            with self._lock:
                self._fields[key] = value
                while len(self._fields) > self.size:
                    self._fields.popitem(last=False)
            return value

    # ----------------------------------------------------------------- one card

    def flat(self, flat_id: str) -> pd.Series:
        """The flats-layer record of ``flat_id`` (404 when unknown, 422 when it has no position here)."""
        f = self.inputs.flats
        rows = f[f["id"].astype(str) == str(flat_id)]
        if rows.empty:
            raise NotFoundError("housing.unknown_flat", field="flat", id=str(flat_id))
        rec = rows.iloc[0]
        if rec.geometry is None or rec.geometry.is_empty:
            raise OutsideAreaError("housing.flat_unplaced", field="flat", id=str(flat_id))
        return rec

    def card(self, lon: float, lat: float, profile: Profile, overlay: Overlay = EMPTY_OVERLAY,
             lang: str | None = None, *, flat_id: str | None = None) -> dict[str, Any]:
        """The whole card of a point (or of the city flat ``flat_id``, at its position) for ``profile``."""
        flat = self.flat(flat_id) if flat_id is not None else None
        if flat is not None:
            pt = flat.geometry.representative_point()
            lon, lat = float(pt.x), float(pt.y)
        f = self.field(profile, overlay)
        o = f.anchor(lon, lat)
        seconds, which = f.times_at(o)
        available = f.available
        s = score(seconds, available)
        cats = [self._category(f, o, (lon, lat), k, float(seconds[k]), int(which[k]), bool(available[k]), lang)
                for k in range(len(CATEGORIES))]
        return {"home": self._home(lon, lat, o, flat, lang), "profile": profile.name,
                "profile_label": i18n.maybe(f"profile.{profile.name}", lang, profile.name),
                "score": score_json(s, lang), "categories": cats, "method": i18n.text("housing.method", lang)}

    def _home(self, lon: float, lat: float, o: Anchor, flat: pd.Series | None, lang: str | None) -> dict[str, Any]:
        b = self.inputs.buildings
        rows = b.rows_of(str(flat["osm_ref"] or "").split(";")) if flat is not None else []
        if not rows:
            here = b.at(lon, lat)
            rows = [] if here is None else [here]
        entrance = b.status(rows)
        recorded = flat_entrance(flat["entrance_step_cm"]) if flat is not None else None
        if recorded is not None:
            entrance = {**entrance, "status": recorded, "source": "record", "step_cm": flat["entrance_step_cm"]}
        entrance["text"] = i18n.text(f"housing.entrance.{entrance['status']}", lang)
        entrance["source_text"] = self._entrance_source(entrance, bool(rows), lang)
        return {
            "lon": round(lon, 7), "lat": round(lat, 7),
            "snapped": {"lon": round(o.snap.lon, 7), "lat": round(o.snap.lat, 7),
                        "distance_m": round(o.snap.distance_m, 1)},
            "building": {"id": str(b.ids[rows[0]]), "address": str(b.addresses[rows[0]]) or None} if rows else None,
            "entrance": entrance, "flat": _flat_json(flat) if flat is not None else None,
        }

    @staticmethod
    def _entrance_source(entrance: dict[str, Any], in_building: bool, lang: str | None) -> str:
        if entrance["source"] == "record":
            return i18n.text("housing.entrance.from_record", lang, cm=entrance["step_cm"])
        if entrance["source"] == "osm":
            return i18n.text("housing.entrance.from_osm", lang, n=len(entrance["entrances"]))
        return i18n.text("housing.entrance.none_mapped" if in_building else "housing.entrance.no_building", lang)

    def _category(self, f: ReachField, o: Anchor, start: tuple[float, float], k: int, seconds: float, j: int,
                  available: bool, lang: str | None) -> dict[str, Any]:
        """One category of a card; its routes start at ``start`` (the point itself, which ``o`` snaps)."""
        c = CATEGORIES[k]
        status = "no_data" if not available else "reachable" if j >= 0 else "unreachable"
        out: dict[str, Any] = {"category": c, "label": i18n.text(f"housing.category.{c}", lang), "status": status,
                               "text": None, "duration_s": None, "minutes": None, "within_10": False,
                               "within_15": False, "destination": None, "route": None, "reason": None,
                               "relaxation": None}
        if status == "no_data":
            return {**out, "text": i18n.text("housing.no_data", lang)}
        if status == "reachable":
            return {**out, **self._reachable(f, start, seconds, j, lang)}
        return {**out, **self._unreachable(f, o, start, k, lang)}

    def _reachable(self, f: ReachField, start: tuple[float, float], seconds: float, j: int,
                   lang: str | None) -> dict[str, Any]:
        d = self.inputs.destinations
        lon, lat = float(d.places.lon[j]), float(d.places.lat[j])
        route = f.router.route(start, (lon, lat), f.profile, f.overlay)
        it = describe(route, f.router.net, f.overlay)
        worst = worst_warning(it.warnings)
        return {
            "duration_s": round(seconds, 1), "minutes": minutes(seconds),
            "within_10": seconds <= TIERS_MIN[0] * 60, "within_15": seconds <= TIERS_MIN[1] * 60,
            "destination": d.record(j, lang),
            "route": {"params": {"from": _latlon(*start), "to": _latlon(lon, lat), "profile": f.profile.name},
                      "duration_s": round(route.duration_s, 1), "length_m": round(it.metrics.length_m, 1),
                      "verified_share": round(it.metrics.verified_share, 3), "warnings": len(it.warnings),
                      "worst_warning": None if worst is None else {"type": worst.code,
                                                                   "message": warning_text(worst, lang)}},
            "text": i18n.text("housing.reachable", lang, name=d.name(j, lang) or i18n.text(
                f"housing.category.{d.categories[j]}", lang), minutes=minutes(seconds)),
        }

    def _unreachable(self, f: ReachField, o: Anchor, start: tuple[float, float], k: int,
                     lang: str | None) -> dict[str, Any]:
        d = self.inputs.destinations
        j = self._nearest_open(f, o, start, k)
        lon, lat = float(d.places.lon[j]), float(d.places.lat[j])
        params: dict[str, Any] = {"from": _latlon(*start), "to": _latlon(lon, lat), "profile": f.profile.name}
        out: dict[str, Any] = {"destination": d.record(j, lang),
                               "text": i18n.text("housing.unreachable", lang)}
        try:
            f.router.route(start, (lon, lat), f.profile, f.overlay)
        except NoRouteError as exc:
            out["reason"] = {"message": exc.message(lang), "reasons": exc.details.get("reasons", []),
                             "relaxations": exc.details.get("relaxations", [])}
            best = self._nearest_relaxation(f, start, (lon, lat), out["reason"]["relaxations"])
            if best is not None:
                change, seconds = best
                out["relaxation"] = {"change": change, "duration_s": round(seconds, 1), "minutes": minutes(seconds),
                                     "text": i18n.text("housing.relaxation", lang, change=relax_text(change, lang),
                                                       minutes=minutes(seconds))}
                params |= {key: ("true" if v is True else "false" if v is False else v) for key, v in change.items()}
        out["route"] = {"params": params}
        return out

    def _nearest_open(self, f: ReachField, o: Anchor, start: tuple[float, float], k: int) -> int:
        """The category's destination nearest with nothing closed; by straight line when none is connected."""
        _, which = self.unrestricted(f.profile, f.overlay).times_at(o)
        if which[k] >= 0:
            return int(which[k])
        d = self.inputs.destinations
        mine = np.flatnonzero((d.categories == CATEGORIES[k]) & np.array([a is not None for a in f.anchors], bool))
        lon, lat = start
        return int(mine[np.argmin(np.hypot((d.places.lon[mine] - lon) * math.cos(math.radians(lat)),
                                           d.places.lat[mine] - lat))])

    @staticmethod
    def _nearest_relaxation(f: ReachField, start: tuple[float, float], to: tuple[float, float],
                            relaxations: list[dict[str, Any]]) -> tuple[dict[str, Any], float] | None:
        """The relaxation changing the fewest limits, then giving the fastest route, with that route's seconds."""
        found = []
        for change in relaxations:
            try:
                found.append((len(change), f.router.route(start, to, f.profile.with_limits(**change),
                                                          f.overlay).duration_s, change))
            except NoRouteError:
                continue
        if not found:
            return None
        _, seconds, change = min(found, key=lambda x: (x[0], x[1]))
        return change, seconds

    # ----------------------------------------------------------------- many homes

    def flats_table(self, profile: Profile, overlay: Overlay = EMPTY_OVERLAY,
                    lang: str | None = None) -> list[dict[str, Any]]:
        """Every flat of the layer with its card's figures, best score first (unplaced flats last, no score)."""
        f = self.field(profile, overlay)
        placed = self.inputs.flat_places
        seconds, which = f.home_times()
        rows = home_rows(f, placed, seconds, which, self.entrances(placed), lang)
        by_id = {r["id"]: r for r in rows}
        out = []
        for rec in self.inputs.flats.itertuples(index=False):
            row = by_id.get(str(rec.id)) or {**dict.fromkeys(COLUMNS), "id": str(rec.id), "kind": "flat",
                                             "profile": profile.name, "categories": {}}
            out.append({**row, "name": rec.name, "address": rec.address, "origin": rec.origin, "status": rec.status,
                        "units_total": _num(rec.units_total), "units_accessible": _num(rec.units_accessible),
                        "lift": rec.lift, "position_precision": rec.position_precision})
        out.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), str(r["name"] or r["id"])))
        return out

    def entrances(self, homes: Places) -> np.ndarray:
        """The entrance status of each home: a flat's record, else its buildings' OSM entrances; a building's own."""
        b = self.inputs.buildings
        of_building = dict(zip(b.ids, b.statuses(), strict=True))
        flats = {str(rec["id"]): rec for _, rec in self.inputs.flats.iterrows()}
        out = []
        for hid, kind in zip(homes.ids, homes.kinds, strict=True):
            if kind == "flat" and str(hid) in flats:
                rec = flats[str(hid)]
                recorded = flat_entrance(rec["entrance_step_cm"])
                out.append(recorded or b.status(b.rows_of(str(rec["osm_ref"] or "").split(";")))["status"])
            else:
                out.append(of_building.get(str(hid), "unknown"))
        return np.array(out, dtype=object)

    def home_cards(self, homes: Places, profile: Profile, overlay: Overlay = EMPTY_OVERLAY, lang: str | None = None,
                   progress: Progress = no_progress) -> list[dict[str, Any]]:
        """The card figures of many homes (e.g. every residential building) from one search per category."""
        f = build_field(self.inputs.router, self.inputs.destinations, profile, overlay, homes, progress)
        seconds, which = f.home_times()
        return home_rows(f, homes, seconds, which, self.entrances(homes), lang, progress)


def _num(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value) if float(value).is_integer() else float(value)


def _flat_json(flat: pd.Series) -> dict[str, Any]:
    return {"id": str(flat["id"]), "name": flat["name"], "address": flat["address"], "origin": flat["origin"],
            "status": flat["status"], "units_total": _num(flat["units_total"]),
            "units_accessible": _num(flat["units_accessible"]), "lift": flat["lift"],
            "entrance_step_cm": _num(flat["entrance_step_cm"]), "position_precision": flat["position_precision"]}


def home_rows(f: ReachField, homes: Places, seconds: np.ndarray, which: np.ndarray, entrances: np.ndarray,
              lang: str | None, progress: Progress = no_progress) -> list[dict[str, Any]]:
    """One row per home (:data:`COLUMNS` plus ``categories``: per category minutes and the destination)."""
    value, w10, w15 = scores(seconds, f.available)
    counted = int(f.available.sum())
    d = f.destinations
    out = []
    for i in range(len(homes)):
        cats = {}
        for k, c in enumerate(CATEGORIES):
            j = int(which[i, k])
            cats[c] = None if j < 0 else {"minutes": minutes(float(seconds[i, k])),
                                          "destination_id": str(d.places.ids[j]), "destination_name": d.name(j, lang)}
        out.append({"id": str(homes.ids[i]), "kind": str(homes.kinds[i]), "name": str(homes.names[i]), "address": None,
                    "lon": round(float(homes.lon[i]), 7), "lat": round(float(homes.lat[i]), 7),
                    "position_precision": None, "profile": f.profile.name,
                    "score": None if value[i] < 0 else int(value[i]), "within_10": int(w10[i]),
                    "within_15": int(w15[i]), "counted": counted, "entrance": str(entrances[i]), "categories": cats})
        if i % 1000 == 999:
            progress("cards", i + 1, len(homes))
    return out


# --------------------------------------------------------------------------- files


def to_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV: :data:`COLUMNS`, then ``<category>_min`` and ``<category>_destination`` per category."""
    cols = [*COLUMNS, *(f"{c}_{part}" for c in CATEGORIES for part in ("min", "destination"))]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        flat = {k: ("" if r.get(k) is None else r[k]) for k in COLUMNS}
        for c in CATEGORIES:
            got = (r.get("categories") or {}).get(c)
            flat[f"{c}_min"] = "" if not got else got["minutes"]
            flat[f"{c}_destination"] = "" if not got else got["destination_id"]
        writer.writerow(flat)
    return buf.getvalue()


def to_geojson(rows: list[dict[str, Any]], **meta: Any) -> dict[str, Any]:
    """The rows as a FeatureCollection of points (no geometry for an unplaced flat)."""
    feats = [{"type": "Feature", "properties": r,
              "geometry": None if r.get("lon") is None else {"type": "Point", "coordinates": [r["lon"], r["lat"]]}}
             for r in rows]
    return {"type": "FeatureCollection", "features": feats, **meta}
