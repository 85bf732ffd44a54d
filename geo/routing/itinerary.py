"""A computed route described for people: summary, warnings, elevation profile, directions, segments.

``route_geojson`` turns a :class:`geo.routing.router.Route` into a GeoJSON FeatureCollection whose first
feature is the route LineString with all properties; warnings with a location follow as Points.
Texts come in Czech and English.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
import shapely.ops

from geo.network.attributes import SURFACE_CLASSES, SURFACE_VALUES
from geo.network.model import Network
from geo.routing.router import Overlay, Route

#: How an unnamed way is called: (Czech locative "po …", Czech accusative "na …", English).
KIND_NAMES: dict[str, tuple[str, str, str]] = {
    "footway": ("chodníku", "chodník", "the footway"),
    "path": ("cestě", "cestu", "the path"),
    "pedestrian": ("pěší zóně", "pěší zónu", "the pedestrian zone"),
    "living_street": ("obytné zóně", "obytnou zónu", "the living street"),
    "street": ("silnici", "silnici", "the street"),
    "service": ("účelové komunikaci", "účelovou komunikaci", "the service road"),
    "track": ("polní cestě", "polní cestu", "the track"),
    "cycleway": ("stezce pro chodce a cyklisty", "stezku pro chodce a cyklisty", "the shared path"),
    "corridor": ("chodbě", "chodbu", "the corridor"),
}
_HIGHWAY_KIND = {
    "footway": "footway", "path": "path", "pedestrian": "pedestrian", "living_street": "living_street",
    "service": "service", "track": "track", "cycleway": "cycleway", "bridleway": "path", "corridor": "corridor",
}
_TURNS = {
    "straight": ("Pokračujte rovně", "Continue straight"),
    "slight_left": ("Mírně vlevo", "Bear left"),
    "slight_right": ("Mírně vpravo", "Bear right"),
    "left": ("Odbočte vlevo", "Turn left"),
    "right": ("Odbočte vpravo", "Turn right"),
    "sharp_left": ("Ostře vlevo", "Turn sharp left"),
    "sharp_right": ("Ostře vpravo", "Turn sharp right"),
    "uturn": ("Otočte se", "Turn around"),
}
_COMPASS = [("na sever", "north"), ("na severovýchod", "northeast"), ("na východ", "east"),
            ("na jihovýchod", "southeast"), ("na jih", "south"), ("na jihozápad", "southwest"),
            ("na západ", "west"), ("na severozápad", "northwest")]


def _bearing(p: tuple[float, float], q: tuple[float, float]) -> float:
    """Compass bearing in degrees from lon/lat ``p`` to ``q``."""
    lat = math.radians((p[1] + q[1]) / 2)
    dx = (q[0] - p[0]) * math.cos(lat)
    dy = q[1] - p[1]
    return (math.degrees(math.atan2(dx, dy)) + 360.0) % 360.0


def _turn(delta: float) -> str:
    a = abs(delta)
    side = "left" if delta < 0 else "right"
    if a < 25:
        return "straight"
    if a < 60:
        return f"slight_{side}"
    if a < 135:
        return side
    if a < 170:
        return f"sharp_{side}"
    return "uturn"


def _fmt_m(m: float) -> str:
    return f"{m / 1000:.1f} km".replace(".", ",") if m >= 1000 else f"{round(m / 5) * 5:.0f} m"


def _fmt_m_en(m: float) -> str:
    return f"{m / 1000:.1f} km" if m >= 1000 else f"{round(m / 5) * 5:.0f} m"


def _num_cs(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _num_en(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


@dataclass
class _Leg:
    key: tuple[Any, ...]
    name: str | None
    kind: str
    pieces: list[int] = field(default_factory=list)
    length_m: float = 0.0
    obstacles_cs: list[str] = field(default_factory=list)
    obstacles_en: list[str] = field(default_factory=list)


def route_geojson(route: Route, net: Network, overlay: Overlay | None = None) -> dict[str, Any]:
    """The route as a GeoJSON FeatureCollection (first feature: the route with all properties)."""
    a = net.arrays
    p = route.profile
    elev = np.asarray(net.node_col("elevation_m"), dtype=float)
    names = net.edge_col("name")
    highways = net.edge_col("highway")
    geoms = net.edge_col("geometry")
    way_ids = net.edge_col("osm_way_id")
    crossing_flags = net.edge_col("is_crossing")
    barriers = net.node_col("barrier")

    coords: list[tuple[float, float]] = []
    piece_geoms: list[shapely.LineString] = []
    seg_out: list[dict[str, Any]] = []
    profile_pts: list[list[float | None]] = []
    warnings: list[dict[str, Any]] = []
    surfaces = dict.fromkeys(SURFACE_CLASSES, 0.0)
    total = 0.0
    verified = 0.0
    climb = descent = 0.0
    max_up = max_down = -math.inf
    unknown_len = {"surface": 0.0, "incline": 0.0, "width": 0.0, "kerb": 0.0}
    steep: list[tuple[float, float, tuple[float, float]]] = []
    crossing_ways: set[int] = set()
    crossing_nodes: set[int] = set()
    unknown_kerb_at: set[Any] = set()

    for i, pc in enumerate(route.pieces):
        k = pc.edge
        eid = int(a.edge_id[k])
        g = geoms[eid] if a.forward[k] else shapely.reverse(geoms[eid])
        part = g if (pc.t0 <= 0 and pc.t1 >= 1) else _cut(net, eid, bool(a.forward[k]), pc.t0, pc.t1)
        if part.geom_type != "LineString" or len(part.coords) < 2:
            pt = part.coords[0] if len(part.coords) else g.coords[0]
            part = shapely.LineString([pt, pt])
        piece_geoms.append(part)
        pts = list(part.coords)
        if coords and coords[-1] == pts[0]:
            pts = pts[1:]
        coords.extend(pts)
        length = float(a.length_m[k]) * (pc.t1 - pc.t0)
        z0 = elev[a.src[k]] + pc.t0 * (elev[a.dst[k]] - elev[a.src[k]])
        z1 = elev[a.src[k]] + pc.t1 * (elev[a.dst[k]] - elev[a.src[k]])
        if i == 0:
            profile_pts.append([0.0, None if np.isnan(z0) else round(float(z0), 1)])
        total += length
        profile_pts.append([round(total, 1), None if np.isnan(z1) else round(float(z1), 1)])
        inc = float(a.incline_pct[k])
        if not math.isnan(inc):
            climb += max(inc, 0.0) * length / 100.0
            descent += max(-inc, 0.0) * length / 100.0
        up, down = float(a.up_pct[k]), float(a.down_pct[k])
        if not math.isnan(up):
            max_up = max(max_up, up)
            max_down = max(max_down, down)
            if up > 5.0 or down > 5.0:
                steep.append((up if up >= down else -down, length, pts[0] if pts else part.coords[0]))
        surfaces[SURFACE_CLASSES[int(a.surface_class[k])]] += length
        known = {"surface": bool(a.surface_known[k]), "incline": bool(a.incline_known[k]),
                 "width": bool(a.width_known[k]), "kerb": bool(a.kerb_known[k])}
        for key, ok in known.items():
            if not ok:
                unknown_len[key] += length
        if all(known.values()):
            verified += length
        reaches_head = pc.t1 >= 1.0 - 1e-9
        end = part.coords[-1]
        kerb = float(a.kerb_cm[k])
        if reaches_head and kerb > 0:
            warnings.append(_warning("kerb", f"Obrubník {_num_cs(kerb)} cm", f"Kerb {_num_en(kerb)} cm", end,
                                     value=kerb))
        way_id = int(way_ids[eid])
        crossing_way = bool(crossing_flags[eid])
        if a.is_crossing[k] and not a.kerb_known[k] and (reaches_head or crossing_way):
            crossing_key = way_id if crossing_way else ("node", int(a.dst[k]))
            if crossing_key not in unknown_kerb_at:
                unknown_kerb_at.add(crossing_key)
                warnings.append(_warning("kerb_unknown", "Přechod s neznámou výškou obrubníku",
                                         "Crossing with unknown kerb height", end))
        if crossing_way:
            crossing_ways.add(way_id)
        elif a.is_crossing[k] and reaches_head:
            crossing_nodes.add(int(a.dst[k]))
        if a.is_steps[k]:
            n = a.step_count[k]
            cnt = "" if np.isnan(n) else f" ({int(n)})"
            ramp_cs = " s rampou" if (a.ramp_wheelchair[k] or a.ramp_stroller[k]) else ""
            ramp_en = " with a ramp" if (a.ramp_wheelchair[k] or a.ramp_stroller[k]) else ""
            warnings.append(_warning("steps", f"Schody{cnt}{ramp_cs}", f"Steps{cnt}{ramp_en}", pts[0] if pts else end))
        if a.is_elevator[k] and reaches_head:
            warnings.append(_warning("elevator", "Výtah — ověřte, že je v provozu", "Lift — check that it works", end))
        if a.barrier_class[k] > 0 and reaches_head:
            barrier = barriers[int(a.dst[k])]
            warnings.append(_warning("barrier", f"Překážka: {barrier or 'zábrana'}", f"Barrier: {barrier or 'barrier'}",
                                     end))
        seg_out.append({
            "osm_way_id": int(way_ids[eid]),
            "highway": highways[eid],
            "name": names[eid] if isinstance(names[eid], str) else None,
            "length_m": round(length, 1),
            "duration_s": round(float(pc.cost_s), 1),
            "incline_pct": None if math.isnan(inc) else round(inc, 1),
            "max_uphill_pct": None if math.isnan(up) else round(up, 1),
            "surface_class": SURFACE_CLASSES[int(a.surface_class[k])],
            "surface": SURFACE_VALUES[int(a.surface_code[k])],
            "width_m": None if math.isnan(float(a.width_m[k])) else round(float(a.width_m[k]), 2),
            "is_steps": bool(a.is_steps[k]),
            "is_crossing": bool(a.is_crossing[k]),
            "is_elevator": bool(a.is_elevator[k]),
            "kerb_cm": None if math.isnan(kerb) else round(kerb, 1),
            "known": known,
        })

    for grade, length, where in steep:
        cs = f"{'Stoupání' if grade > 0 else 'Klesání'} {_num_cs(abs(grade))} % na {_fmt_m(length)}"
        en = f"{'Uphill' if grade > 0 else 'Downhill'} {_num_en(abs(grade))} % over {_fmt_m_en(length)}"
        warnings.append(_warning("steep", cs, en, where, value=round(grade, 1)))
    labels_cs = {"surface": "povrch", "incline": "sklon", "width": "šířka", "kerb": "obrubníky"}
    labels_en = {"surface": "surface", "incline": "incline", "width": "width", "kerb": "kerbs"}
    for key, length in unknown_len.items():
        if length >= 1.0:
            warnings.append(_warning(
                f"unknown_{key}", f"Neověřeno ({labels_cs[key]}): {_fmt_m(length)}",
                f"Unverified {labels_en[key]}: {_fmt_m_en(length)}", None, value=round(length, 1)))
    crossings = len(crossing_ways) + len(crossing_nodes)
    if crossings:
        warnings.append(_warning("crossings", f"Přechodů: {crossings}", f"Crossings: {crossings}", None,
                                 value=crossings))
    if surfaces["paved_rough"] >= 10:
        warnings.append(_warning("rough_surface", f"Dlažební kostky: {_fmt_m(surfaces['paved_rough'])}",
                                 f"Setts / cobblestones: {_fmt_m_en(surfaces['paved_rough'])}", None,
                                 value=round(surfaces["paved_rough"], 1)))
    if overlay is not None:
        for label in overlay.entries_on(np.array([pc.edge for pc in route.pieces]), p):
            warnings.append(_warning("report", f"Nahlášená bariéra: {label.get('category_cs', label.get('category'))}",
                                     f"Reported barrier: {label.get('category_en', label.get('category'))}",
                                     label.get("location"), report_id=label.get("id")))

    directions = _directions(route, net, piece_geoms)
    props = {
        "kind": "route",
        "profile": p.name,
        "length_m": round(total, 1),
        "duration_s": round(route.duration_s, 1),
        "climb_m": round(climb, 1),
        "descent_m": round(descent, 1),
        "max_incline_pct": None if max_up == -math.inf else round(max_up, 1),
        "max_decline_pct": None if max_down == -math.inf else round(max_down, 1),
        "verified_share": round(verified / total, 3) if total > 0 else 1.0,
        "surfaces": {k: round(v, 1) for k, v in surfaces.items() if v > 0},
        "warnings": warnings,
        "elevation_profile": profile_pts,
        "elevation_source": "dem" if np.isfinite(elev).any() else None,
        "directions": directions,
        "segments": seg_out,
        "snapped": {
            "origin": {"lon": round(route.origin.snap.lon, 7), "lat": round(route.origin.snap.lat, 7),
                       "distance_m": round(route.origin.snap.distance_m, 1)},
            "destination": {"lon": round(route.destination.snap.lon, 7),
                            "lat": round(route.destination.snap.lat, 7),
                            "distance_m": round(route.destination.snap.distance_m, 1)},
        },
        "limits": {"max_uphill_pct": _finite(p.max_uphill_pct), "max_downhill_pct": _finite(p.max_downhill_pct),
                   "max_kerb_cm": _finite(p.max_kerb_cm), "min_width_m": p.min_width_m,
                   "avoid_unknown": p.avoid_unknown, "steps": p.steps},
    }
    if len(coords) < 2:
        coords = coords * 2 if coords else [(route.origin.snap.lon, route.origin.snap.lat)] * 2
    features = [{"type": "Feature", "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]},
                 "properties": props}]
    for w in warnings:
        if w.get("location"):
            features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": w["location"]},
                             "properties": {"kind": "warning", **{k: v for k, v in w.items() if k != "location"}}})
    return {"type": "FeatureCollection", "features": features}


def _cut(net: Network, eid: int, forward: bool, t0: float, t1: float) -> shapely.LineString:
    """The part of an edge between two fractions of its metric length (as the router measures them), in lon/lat."""
    line = net.edges_metric[eid] if forward else shapely.reverse(net.edges_metric[eid])
    part = shapely.ops.substring(line, t0, t1, normalized=True)
    to_lonlat = net.to_metric
    return shapely.transform(part, lambda xy: np.column_stack(to_lonlat.transform(xy[:, 0], xy[:, 1],
                                                                                 direction="INVERSE")))


def _finite(x: float) -> float | None:
    return None if math.isinf(x) else x


def _warning(kind: str, cs: str, en: str, where: tuple[float, float] | None, **extra: Any) -> dict[str, Any]:
    loc = [round(where[0], 7), round(where[1], 7)] if where is not None else None
    return {"type": kind, "message": {"cs": cs, "en": en}, "location": loc, **extra}


def _kind(highway: str, steps: bool, crossing: bool, elevator: bool) -> str:
    if steps:
        return "steps"
    if elevator:
        return "elevator"
    if crossing:
        return "crossing"
    return _HIGHWAY_KIND.get(highway, "street")


def _directions(route: Route, net: Network, geoms: list[shapely.LineString]) -> list[dict[str, Any]]:
    a = net.arrays
    names, highways = net.edge_col("name"), net.edge_col("highway")
    crossings, elevators, way_ids = net.edge_col("is_crossing"), net.edge_col("is_elevator"), net.edge_col("osm_way_id")
    legs: list[_Leg] = []
    for i, pc in enumerate(route.pieces):
        k = pc.edge
        eid = int(a.edge_id[k])
        name = names[eid]
        name = name if isinstance(name, str) and name else None
        kind = _kind(str(highways[eid]), bool(a.is_steps[k]), bool(crossings[eid]), bool(elevators[eid]))
        key = (kind, name if kind not in ("crossing", "steps", "elevator") else int(way_ids[eid]))
        if not legs or legs[-1].key != key:
            legs.append(_Leg(key=key, name=name, kind=kind))
        leg = legs[-1]
        leg.pieces.append(i)
        leg.length_m += float(a.length_m[k]) * (pc.t1 - pc.t0)
        kerb = float(a.kerb_cm[k])
        if pc.t1 >= 1.0 - 1e-9 and kerb > 0:
            leg.obstacles_cs.append(f"obrubník {_num_cs(kerb)} cm")
            leg.obstacles_en.append(f"{_num_en(kerb)} cm kerb")
        up = float(a.up_pct[k])
        if not math.isnan(up) and up > 5.0:
            leg.obstacles_cs.append(f"stoupání {_num_cs(up)} %")
            leg.obstacles_en.append(f"{_num_en(up)} % uphill")
        if a.surface_class[k] == SURFACE_CLASSES.index("paved_rough"):
            leg.obstacles_cs.append("dlažební kostky")
            leg.obstacles_en.append("setts")
        if not a.surface_known[k]:
            leg.obstacles_cs.append("neznámý povrch")
            leg.obstacles_en.append("unknown surface")
        if a.barrier_class[k] > 0 and pc.t1 >= 1.0 - 1e-9:
            leg.obstacles_cs.append("zábrana")
            leg.obstacles_en.append("barrier")

    out: list[dict[str, Any]] = []
    prev_end_bearing: float | None = None
    for n, leg in enumerate(legs):
        first = geoms[leg.pieces[0]]
        last = geoms[leg.pieces[-1]]
        c0 = list(first.coords)
        c1 = list(last.coords)
        start_bearing = _bearing(c0[0], c0[min(1, len(c0) - 1)]) if len(c0) > 1 else 0.0
        end_bearing = _bearing(c1[max(0, len(c1) - 2)], c1[-1]) if len(c1) > 1 else start_bearing
        if n == 0:
            maneuver = "depart"
        else:
            delta = (start_bearing - (prev_end_bearing or 0.0) + 540.0) % 360.0 - 180.0
            maneuver = _turn(delta)
        prev_end_bearing = end_bearing
        cs, en = _leg_text(leg, maneuver, start_bearing, route, net)
        obst_cs = list(dict.fromkeys(leg.obstacles_cs))
        obst_en = list(dict.fromkeys(leg.obstacles_en))
        if obst_cs:
            cs += "; pozor: " + ", ".join(obst_cs)
            en += "; caution: " + ", ".join(obst_en)
        out.append({
            "maneuver": maneuver,
            "kind": leg.kind,
            "street": leg.name,
            "distance_m": round(leg.length_m, 1),
            "text": {"cs": cs, "en": en},
            "obstacles": {"cs": obst_cs, "en": obst_en},
            "location": [round(c0[0][0], 7), round(c0[0][1], 7)],
        })
    end = route.pieces[-1] if route.pieces else None
    if end is not None:
        last_pt = list(geoms[-1].coords)[-1]
        out.append({"maneuver": "arrive", "kind": "arrive", "street": None, "distance_m": 0.0,
                    "text": {"cs": "Jste v cíli.", "en": "You have arrived."}, "obstacles": {"cs": [], "en": []},
                    "location": [round(last_pt[0], 7), round(last_pt[1], 7)]})
    return out


def _leg_text(leg: _Leg, maneuver: str, bearing: float, route: Route, net: Network) -> tuple[str, str]:
    dist_cs, dist_en = _fmt_m(leg.length_m), _fmt_m_en(leg.length_m)
    a = net.arrays
    if leg.kind == "crossing":
        return f"Přejděte silnici po přechodu ({dist_cs})", f"Cross the road at the crossing ({dist_en})"
    if leg.kind == "elevator":
        return "Použijte výtah", "Take the lift"
    if leg.kind == "steps":
        k = route.pieces[leg.pieces[0]].edge
        n = a.step_count[k]
        cnt_cs = "" if np.isnan(n) else f", {int(n)} schodů"
        cnt_en = "" if np.isnan(n) else f", {int(n)} steps"
        ramp = ""
        ramp_en = ""
        if a.ramp_wheelchair[k]:
            ramp, ramp_en = ", rampa pro vozík", ", wheelchair ramp"
        elif a.ramp_stroller[k]:
            ramp, ramp_en = ", rampa pro kočárek", ", pram ramp"
        sign = float(net.edge_col("incline_sign")[int(a.edge_id[k])]) * (1.0 if a.forward[k] else -1.0)
        direction_cs, direction_en = {1.0: (" nahoru", " up"), -1.0: (" dolů", " down")}.get(sign, ("", ""))
        return (f"Schodiště{direction_cs} ({dist_cs}{cnt_cs}{ramp})",
                f"Take the steps{direction_en} ({dist_en}{cnt_en}{ramp_en})")
    if leg.name:
        loc_cs = acc_cs = f"ulici {leg.name}"
        what_en = leg.name
    else:
        loc_cs, acc_cs, what_en = KIND_NAMES.get(leg.kind, KIND_NAMES["street"])
    if maneuver == "depart":
        dir_cs, dir_en = _COMPASS[int(((bearing + 22.5) % 360) // 45)]
        return f"Vyražte {dir_cs} po {loc_cs} ({dist_cs})", f"Head {dir_en} on {what_en} ({dist_en})"
    turn_cs, turn_en = _TURNS[maneuver]
    if maneuver == "straight":
        return f"{turn_cs} po {loc_cs} ({dist_cs})", f"{turn_en} on {what_en} ({dist_en})"
    return f"{turn_cs} na {acc_cs} ({dist_cs})", f"{turn_en} onto {what_en} ({dist_en})"
