"""Barriers derived from the network's OpenStreetMap attributes: one row per barrier, with a
category (the report categories of ``docs/reports.md``) and a severity 1–3.

Mapping (the same table is in ``README.md``):

================================  ===================  =========================================
OSM-derived condition             category             severity
================================  ===================  =========================================
steps without ``ramp:wheelchair`` steps                3 (2 when a pram ramp exists)
kerb node (``kerb`` / height)     high_kerb            > 3 cm: 1, > 6 cm: 2, > 10 cm: 3
steepest climb/descent > 8.33 %   steep_slope          ≤ 10 %: 1, ≤ 12 %: 2, > 12 %: 3
width < 0.9 m                     narrow_passage       ≥ 0.7 m: 2, < 0.7 m: 3
loose surface (gravel, sand …)    surface_problem      2; sand, mud, rock(s), stepping stones: 3
``smoothness`` bad / very bad+    surface_problem      bad: 1, very_bad: 2, worse: 3
``wheelchair=no`` on a way        inaccessible_way     3
barrier node (gate, stile …)      obstacle             restrictive (class 2): 2, blocks wheels (3+): 3
``wheelchair=no`` on a node       obstacle             3
================================  ===================  =========================================

Thresholds follow the Czech barrier-free rules (vyhláška 398/2009 Sb. / 146/2024 Sb.: 8.33 %
longitudinal slope, 0.9 m at pinch points) and the wheelchair profile's kerb limit of 3 cm.
Barrier classes are those of :data:`geo.network.attributes.BARRIER_CLASS`. Unknown attributes are not
barriers. An edge with several problems gives one row per problem.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import settings
from geo.network.attributes import LOOSE_SURFACES, SMOOTHNESS
from geo.network.model import Network

#: Barrier categories produced here (a subset of the report categories, plus ``inaccessible_way``).
CATEGORIES: tuple[str, ...] = ("steps", "high_kerb", "steep_slope", "narrow_passage", "surface_problem",
                               "inaccessible_way", "obstacle")
MAX_INCLINE_PCT = 8.33
MIN_WIDTH_M = 0.9
MAX_KERB_CM = 3.0
_LOOSE = LOOSE_SURFACES
_IMPASSABLE_SURFACE = frozenset({"sand", "mud", "rock", "rocks", "stepping_stones"})
COLUMNS: tuple[str, ...] = ("barrier_id", "category", "severity", "reason", "element", "element_id", "osm_way_id",
                            "value")


def _severity_steps(e: pd.DataFrame) -> np.ndarray:
    return np.where(e["ramp_stroller"].to_numpy(bool), 2, 3)


def edge_barriers(edges: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Barriers on network edges (steps, slopes, width, surface, ``wheelchair=no``)."""
    parts: list[pd.DataFrame] = []

    def add(mask: np.ndarray, category: str, severity: np.ndarray | int, reason: pd.Series | str,
            value: np.ndarray | float) -> None:
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        sev = np.broadcast_to(np.asarray(severity), mask.shape)[idx]
        val = np.broadcast_to(np.asarray(value, dtype=float), mask.shape)[idx]
        rs = reason[idx] if isinstance(reason, np.ndarray) else np.full(len(idx), reason, dtype=object)
        parts.append(pd.DataFrame({
            "category": category, "severity": sev.astype(np.int8), "reason": rs, "element": "edge",
            "element_id": idx, "osm_way_id": edges["osm_way_id"].to_numpy()[idx], "value": val,
            "geometry": edges.geometry.to_numpy()[idx],
        }))

    steps = edges["is_steps"].to_numpy(bool) & ~edges["ramp_wheelchair"].to_numpy(bool)
    count = edges["step_count"].to_numpy(float)
    add(steps, "steps", _severity_steps(edges),
        np.where(edges["ramp_stroller"].to_numpy(bool), "steps, pram ramp only", "steps without a wheelchair ramp"),
        count)

    with np.errstate(invalid="ignore"):
        steepest = np.fmax(edges["up_pct"].to_numpy(float), edges["down_pct"].to_numpy(float))
        steep = (steepest > MAX_INCLINE_PCT) & ~edges["is_steps"].to_numpy(bool)
        sev = np.select([steepest > 12.0, steepest > 10.0], [3, 2], 1)
        add(steep, "steep_slope", sev,
            np.array([f"incline {v:.1f} % (limit {MAX_INCLINE_PCT} %)" for v in steepest], dtype=object),
            np.round(steepest, 2))

        width = edges["width_m"].to_numpy(float)
        narrow = width < MIN_WIDTH_M
        add(narrow, "narrow_passage", np.where(width < 0.7, 3, 2),
            np.array([f"width {v:.2f} m (limit {MIN_WIDTH_M} m)" for v in width], dtype=object), width)

    surface = edges["surface"].astype(str).to_numpy()
    loose = np.isin(surface, list(_LOOSE))
    add(loose, "surface_problem", np.where(np.isin(surface, list(_IMPASSABLE_SURFACE)), 3, 2),
        np.char.add("loose surface: ", surface.astype(str)).astype(object), np.nan)
    smooth = edges["smoothness"].to_numpy(int)
    rough = (smooth >= SMOOTHNESS.index("bad")) & ~loose
    smooth_names = np.array([SMOOTHNESS[s] if s >= 0 else "" for s in smooth], dtype=object)
    add(rough, "surface_problem", np.select([smooth > SMOOTHNESS.index("very_bad"), smooth == SMOOTHNESS.index(
        "very_bad")], [3, 2], 1), np.array([f"smoothness: {s}" for s in smooth_names], dtype=object), smooth)

    wc_no = edges["wheelchair"].to_numpy(int) == 0
    add(wc_no, "inaccessible_way", 3, "wheelchair=no", np.nan)
    return _finish(parts)


def node_barriers(nodes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Barriers at network nodes: raised kerbs and barrier nodes (gates, stiles …), ``wheelchair=no``."""
    parts: list[pd.DataFrame] = []
    kerb = nodes["kerb_cm"].to_numpy(float)
    with np.errstate(invalid="ignore"):
        high = kerb > MAX_KERB_CM
    if high.any():
        idx = np.flatnonzero(high)
        parts.append(pd.DataFrame({
            "category": "high_kerb", "severity": np.select([kerb[idx] > 10, kerb[idx] > 6], [3, 2], 1).astype(np.int8),
            "reason": [f"kerb {k:g} cm" for k in kerb[idx]], "element": "node", "element_id": idx,
            "osm_way_id": None, "value": kerb[idx], "geometry": nodes.geometry.to_numpy()[idx],
        }))
    cls = nodes["barrier_class"].to_numpy(int)
    kind = nodes["barrier"].astype(object).where(nodes["barrier"].notna(), "").to_numpy() \
        if "barrier" in nodes else np.full(len(nodes), "", dtype=object)
    wc_no = nodes["node_wheelchair"].to_numpy(int) == 0 if "node_wheelchair" in nodes else np.zeros(len(nodes), bool)
    obstacle = (cls >= 2) | wc_no
    if obstacle.any():
        idx = np.flatnonzero(obstacle)
        reasons = [f"barrier={kind[i]}" + (", wheelchair=no" if wc_no[i] else "") if kind[i] else "wheelchair=no"
                   for i in idx]
        parts.append(pd.DataFrame({
            "category": "obstacle", "severity": np.where((cls[idx] >= 3) | wc_no[idx], 3, 2).astype(np.int8),
            "reason": reasons, "element": "node", "element_id": idx, "osm_way_id": None,
            "value": cls[idx].astype(float),
            "geometry": nodes.geometry.to_numpy()[idx],
        }))
    return _finish(parts)


def _finish(parts: list[pd.DataFrame]) -> gpd.GeoDataFrame:
    if not parts:
        return gpd.GeoDataFrame({c: pd.Series(dtype=object) for c in COLUMNS}, geometry=[], crs=settings.CRS_WGS84)
    df = pd.concat(parts, ignore_index=True)
    df["barrier_id"] = df["element"] + "-" + df["element_id"].astype(str) + "-" + df["category"]
    df["value"] = df["value"].astype(float)
    return gpd.GeoDataFrame(df[[*COLUMNS, "geometry"]], geometry="geometry", crs=settings.CRS_WGS84)


def osm_barriers(net: Network) -> gpd.GeoDataFrame:
    """All OSM-derived barriers of a network (edges, then nodes), most severe first within each part."""
    edges = edge_barriers(net.edges)
    nodes = node_barriers(net.nodes)
    frames = [f for f in (edges, nodes) if len(f)]
    if not frames:
        return edges
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["severity", "category"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=settings.CRS_WGS84)


def summary(barriers: gpd.GeoDataFrame) -> dict[str, dict[str, int]]:
    """Counts by category and severity."""
    out: dict[str, dict[str, int]] = {}
    for (cat, sev), n in barriers.groupby(["category", "severity"]).size().items():
        out.setdefault(str(cat), {})[str(int(sev))] = int(n)
    return out
