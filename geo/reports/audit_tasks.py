"""Where answers matter most: the open questions of a network, ranked by how many everyday trips they touch.

**Questions.** :func:`catalogue` lists every attribute of the network that routing reads and OpenStreetMap
leaves unknown, one task per OSM element and attribute: the kerb of a kerb node whose height is not mapped,
of a crossing node on a road, or of a crossing way with no kerb anywhere on it; the surface, width and incline
(where no terrain model gave one) of a way; the smoothness of a rough or unpaved way; whether steps have a ramp.

**The measure.** A task is worth what its answer could change: the number of *sampled everyday trips* whose
least-cost path for the profile passes the element with that attribute unknown (:func:`sample_trips`): from
homes (building centroids — or network nodes where the extract has no buildings) to everyday destinations
within 20 minutes (drawn from the extract's POIs: shops, services, stops …; else random nodes). It
is computed once per process and profile from the data alone, so it works from the first start, keeps no
record of anyone's real routes, and is reproducible (seeded). Those are the routes whose costs, limits,
warnings and verified share an answer changes — a raised kerb closes them for a wheelchair, a flush one
makes them verified. Ties go to the task that makes more metres known.

:class:`AuditIndex` keeps the catalogue and the per-profile trips and ranking of one process, answers the
ranked tasks of a map view, and measures how complete the data of the trips in a view is, with and without
the verified answers (the "routes in this area are now fully verified" figure).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from geo.network.model import EdgeArrays, KerbNodes, Network, kerb_rule
from geo.reports.audit_model import ATTRIBUTES, TaskRef
from geo.routing.profiles import PROFILES, SMOOTHNESS, Profile
from geo.routing.router import Router

#: Trips sampled per profile: homes, destinations per home, and how far a trip may go (seconds of travel).
ORIGINS = 300
PER_ORIGIN = 8
TRIP_LIMIT_S = 1200.0
SEED = 14
#: Surface classes whose smoothness decides whether wheels pass.
_ROUGH_CLASSES = ("paved_rough", "unpaved_compact", "unpaved_loose")


@dataclass(frozen=True)
class Catalogue:
    """Every open question of a network: one row per task (parallel arrays) and its directed edges."""

    element_type: np.ndarray  # "node" / "way"
    element_id: np.ndarray  # OSM id
    attribute: np.ndarray
    question: np.ndarray  # catalogue key of the question
    lon: np.ndarray
    lat: np.ndarray
    unknown_m: np.ndarray  # network length the answer makes known
    name: np.ndarray  # the street or path name, when OSM has one
    incidence: sparse.csr_matrix  # tasks × directed edges: the edges whose attribute the answer sets
    index: dict[str, int]
    task_id: np.ndarray  # "node/123/kerb" …

    def __len__(self) -> int:
        return len(self.element_id)

    def ref(self, i: int) -> TaskRef:
        """Task ``i``."""
        return TaskRef(str(self.element_type[i]), int(self.element_id[i]), str(self.attribute[i]))  # type: ignore[arg-type]

    def find(self, task: TaskRef) -> int | None:
        """The row of a task, or ``None`` when the network has no such open question."""
        return self.index.get(task.task_id)

    def directed_edges(self, i: int) -> np.ndarray:
        """The directed edges task ``i`` is about."""
        return self.incidence.indices[self.incidence.indptr[i]:self.incidence.indptr[i + 1]]


def _way_tasks(net: Network, attribute: str, mask: np.ndarray, question: str) -> pd.DataFrame:
    """One task per OSM way with an unknown ``attribute`` on the edges of ``mask`` (undirected)."""
    eid = np.flatnonzero(mask)
    return pd.DataFrame({"element_type": "way", "element_id": net.edge_col("osm_way_id")[eid].astype(np.int64),
                         "attribute": attribute, "question": question, "edge": eid})


def _kerb_tasks(net: Network) -> pd.DataFrame:
    """Kerb tasks per directed edge whose kerb is unknown: at the kerb node with no height, else on the crossing
    way with no kerb anywhere, else at the crossing node on a road the edge enters (edges no kerb answer can make
    known get no task)."""
    a = net.arrays
    unknown = np.flatnonzero(~a.kerb_known)
    if len(unknown) == 0:
        return pd.DataFrame(columns=["element_type", "element_id", "attribute", "question", "edge", "directed"])
    eid = a.edge_id[unknown].astype(np.int64)
    nodes = KerbNodes.of(net.nodes, net.edges)
    src, dst = a.src[unknown].astype(np.int64), a.dst[unknown].astype(np.int64)
    crossing_way = net.edge_col("is_crossing").astype(bool)[eid]
    k = kerb_rule(nodes, src, dst, crossing_way, net.edge_col("crossing_kerb_known").astype(bool)[eid],
                  net.edge_col("way_kerb_cm").astype(float)[eid])
    height = nodes.height_cm
    at_node = np.where(k.enter & np.isnan(height[dst]), dst, np.where(k.leave & np.isnan(height[src]), src, -1))
    on_way = (at_node < 0) & crossing_way
    # a crossing node on a road: a kerb mapped there is met from the road unless a crossing way ends or passes
    # there too (then it belongs to the crossing, and a kerb answer would not make this edge known)
    road_crossing = ~on_way & nodes.crossing[dst] & ((nodes.degree[dst] <= 2) | ~nodes.has_crossing_edge[dst])
    at_node = np.where((at_node < 0) & road_crossing, dst, at_node)
    osmid = net.nodes["osmid"].to_numpy(np.int64)
    node_id = np.where(at_node >= 0, osmid[np.maximum(at_node, 0)], -1)
    kerb_node = at_node >= 0
    tagged = kerb_node & nodes.tagged[np.maximum(at_node, 0)] & ~nodes.crossing[np.maximum(at_node, 0)]
    frame = pd.DataFrame({
        "element_type": np.where(on_way, "way", "node"),
        "element_id": np.where(on_way, net.edge_col("osm_way_id")[eid].astype(np.int64), node_id),
        "attribute": "kerb",
        "question": np.where(tagged, "audit.question.kerb_node", "audit.question.kerb_crossing"),
        "edge": eid, "directed": unknown})
    return frame[(frame["element_id"] > 0) & (on_way | kerb_node)]


def catalogue(net: Network) -> Catalogue:
    """Every open question of the network (see the module docstring)."""
    e = net.edges
    surface_known = e["surface_known"].to_numpy(bool)
    rough = e["surface_class"].isin(_ROUGH_CLASSES).to_numpy()
    parts = [
        _kerb_tasks(net),
        _way_tasks(net, "surface", ~surface_known, "audit.question.surface"),
        _way_tasks(net, "smoothness", surface_known & rough & (e["smoothness"].to_numpy() < 0),
                   "audit.question.smoothness"),
        _way_tasks(net, "width", ~e["width_known"].to_numpy(bool), "audit.question.width"),
        _way_tasks(net, "incline", ~e["incline_known"].to_numpy(bool), "audit.question.incline"),
        _way_tasks(net, "ramp", e["is_steps"].to_numpy(bool) & ~e["ramp_known"].to_numpy(bool),
                   "audit.question.ramp"),
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        parts = [pd.DataFrame({"element_type": [], "element_id": np.zeros(0, np.int64), "attribute": [],
                               "question": [], "edge": np.zeros(0, np.int64)})]
    rows = pd.concat(parts, ignore_index=True)
    rows = rows[rows["element_id"] > 0]
    fwd, back = net.directed(rows["edge"].to_numpy(np.int64))
    way_rows = rows["directed"].isna().to_numpy() if "directed" in rows else np.ones(len(rows), bool)
    directed = rows["directed"].to_numpy(float) if "directed" in rows else np.full(len(rows), np.nan)
    # way attributes hold in both directions; a kerb only in the directions that meet it
    pairs = pd.DataFrame({
        "key": np.concatenate([_keys(rows), _keys(rows)[way_rows]]),
        "directed": np.concatenate([np.where(way_rows, fwd, directed), back[way_rows]]).astype(np.int64),
    })
    tasks = rows.assign(key=_keys(rows)).drop_duplicates("key").reset_index(drop=True)
    index = {k: i for i, k in enumerate(tasks["key"])}
    row_of = pairs["key"].map(index).to_numpy(np.int64)
    incidence = sparse.csr_matrix((np.ones(len(pairs), bool), (row_of, pairs["directed"].to_numpy())),
                                  shape=(len(tasks), len(net.arrays)))
    incidence.sum_duplicates()
    incidence.data[:] = True
    lon, lat, unknown_m, name = _places(net, tasks, incidence)
    return Catalogue(tasks["element_type"].to_numpy(object), tasks["element_id"].to_numpy(np.int64),
                     tasks["attribute"].to_numpy(object), tasks["question"].to_numpy(object), lon, lat, unknown_m,
                     name, incidence, index, tasks["key"].to_numpy(object))


def _keys(rows: pd.DataFrame) -> np.ndarray:
    return (rows["element_type"].astype(str) + "/" + rows["element_id"].astype(str) + "/"
            + rows["attribute"].astype(str)).to_numpy(object)


def _places(net: Network, tasks: pd.DataFrame, incidence: sparse.csr_matrix
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Where to show each task (a node's position; the middle of a way's longest edge), the length it makes
    known and the name of the street or path."""
    a = net.arrays
    coo = incidence.tocoo()
    per = pd.DataFrame({"task": coo.row, "edge": a.edge_id[coo.col].astype(np.int64)}).drop_duplicates()
    per["length"] = a.length_m[net.directed(per["edge"].to_numpy())[0]]
    unknown_m = per.groupby("task")["length"].sum().reindex(range(len(tasks)), fill_value=0.0).to_numpy()
    longest = per.sort_values(["task", "length"], ascending=[True, False]).drop_duplicates("task")
    edge = longest.set_index("task")["edge"].reindex(range(len(tasks))).to_numpy(np.int64)
    mid = shapely.line_interpolate_point(net.edge_col("geometry")[edge], 0.5, normalized=True)
    lon, lat = shapely.get_x(mid), shapely.get_y(mid)
    nodes = tasks["element_type"].eq("node").to_numpy()
    if nodes.any():
        idx = net.node_index(tasks["element_id"].to_numpy(np.int64)[nodes])
        lon[nodes] = net.nodes["lon"].to_numpy(float)[idx]
        lat[nodes] = net.nodes["lat"].to_numpy(float)[idx]
    names = net.edge_col("name")[edge]
    return lon, lat, unknown_m, np.array([n if isinstance(n, str) and n else None for n in names], dtype=object)


def relevant(attribute: str, profile: Profile) -> bool:
    """Whether an answer about ``attribute`` can change ``profile``'s routes (what it limits or counts as
    unverified; smoothness and ramps only where they can close a way)."""
    return {
        "surface": True,
        "incline": math.isfinite(profile.max_uphill_pct) or math.isfinite(profile.max_downhill_pct),
        "width": profile.min_width_m > 0,
        "kerb": math.isfinite(profile.max_kerb_cm),
        "smoothness": profile.max_smoothness < SMOOTHNESS.index("very_horrible"),
        "ramp": profile.vehicle_ramp is not None,
    }[attribute]


# --------------------------------------------------------------------------- trips


@dataclass(frozen=True)
class Trips:
    """Sampled everyday trips of one profile: origin and destination nodes and the directed edges of each path."""

    origin: np.ndarray
    destination: np.ndarray
    incidence: sparse.csr_matrix  # trips × directed edges

    def __len__(self) -> int:
        return len(self.origin)


def _usable_nodes(net: Network, cost: np.ndarray) -> np.ndarray:
    usable = np.zeros(net.n_nodes, bool)
    usable[net.arrays.src[np.isfinite(cost)]] = True
    return np.flatnonzero(usable)


def _snap_points(net: Network, geoms: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """The nearest candidate node of each geometry (its centroid)."""
    pts = shapely.centroid(geoms)
    x, y = net.to_metric.transform(shapely.get_x(pts), shapely.get_y(pts))
    tree = cKDTree(np.column_stack([net.nodes["x_m"].to_numpy()[candidates], net.nodes["y_m"].to_numpy()[candidates]]))
    _, nearest = tree.query(np.column_stack([x, y]))
    return candidates[nearest]


#: POI keys of everyday destinations (address points are not destinations).
DESTINATION_KEYS: tuple[str, ...] = ("amenity", "shop", "healthcare", "public_transport", "office",
                                     "social_facility", "tourism")


def _destinations(pois: Any) -> Any:
    keys = [k for k in DESTINATION_KEYS if k in pois.columns] if pois is not None else []
    return pois[pois[keys].notna().any(axis=1)] if keys else None


def _places_of(net: Network, frame: Any, candidates: np.ndarray, rng: np.random.Generator, n: int) -> np.ndarray:
    """Nodes standing for the features of ``frame`` (at most ``n``, sampled), or random usable nodes."""
    geoms = frame.geometry.to_numpy() if frame is not None else np.zeros(0, dtype=object)
    geoms = geoms[~pd.isna(geoms)]
    geoms = geoms[~shapely.is_empty(geoms)] if len(geoms) >= 20 else np.zeros(0, dtype=object)
    if len(geoms) == 0:
        return rng.choice(candidates, size=min(n, len(candidates)), replace=False)
    if len(geoms) > n:
        geoms = geoms[rng.choice(len(geoms), size=n, replace=False)]
    return _snap_points(net, geoms, candidates)


def sample_trips(net: Network, cost: np.ndarray, *, origins: int = ORIGINS, per_origin: int = PER_ORIGIN,
                 limit_s: float = TRIP_LIMIT_S, seed: int = SEED, chunk: int = 32) -> Trips:
    """Everyday trips on ``cost``: from sampled homes to ``per_origin`` destinations within ``limit_s``, drawn at
    random (one compiled Dijkstra per home, paths read from its predecessors)."""
    rng = np.random.default_rng(seed)
    candidates = _usable_nodes(net, cost)
    if len(candidates) < 2:
        return Trips(np.zeros(0, np.int64), np.zeros(0, np.int64), sparse.csr_matrix((0, len(cost)), dtype=bool))
    homes = np.unique(_places_of(net, net.buildings, candidates, rng, origins))
    goals = np.unique(_places_of(net, _destinations(net.pois), candidates, rng, 5 * origins))
    graph = sparse.csr_matrix((np.where(np.isfinite(cost), cost, np.inf), net.arrays.dst, net.indptr),
                              shape=(net.n_nodes, net.n_nodes))
    trip_o: list[np.ndarray] = []
    trip_d: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    n_trips = 0
    for start in range(0, len(homes), chunk):
        block = homes[start:start + chunk]
        dist, pred = dijkstra(graph, directed=True, indices=block, return_predecessors=True, limit=limit_s)
        d = dist[:, goals]
        d[goals[None, :] == block[:, None]] = np.inf
        # per home, ``per_origin`` destinations drawn at random among those within reach
        key = np.where(np.isfinite(d), rng.random(d.shape), np.inf)
        k = min(per_origin, len(goals))
        chosen = np.argpartition(key, k - 1, axis=1)[:, :k] if k < len(goals) else np.tile(np.arange(len(goals)),
                                                                                         (len(block), 1))
        row, pick = np.nonzero(np.isfinite(np.take_along_axis(key, chosen, axis=1)))
        dest = goals[chosen[row, pick]]
        trip = n_trips + np.arange(len(dest))
        cur, alive = dest.copy(), np.arange(len(dest))
        while len(alive):
            prev = pred[row[alive], cur]
            step = prev >= 0
            alive, cur, prev = alive[step], cur[step], prev[step]
            rows.append(trip[alive])
            cols.append(net.edges_between(prev, cur))
            cur = prev
        trip_o.append(block[row])
        trip_d.append(dest)
        n_trips += len(dest)
    r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    incidence = sparse.csr_matrix((np.ones(len(r), bool), (r, c)), shape=(n_trips, len(cost)))
    return Trips(np.concatenate(trip_o) if trip_o else np.zeros(0, np.int64),
                 np.concatenate(trip_d) if trip_d else np.zeros(0, np.int64), incidence)


# --------------------------------------------------------------------------- per process


@dataclass(frozen=True)
class Ranking:
    """One profile's trips, how many of them each task touches, and the relevant tasks best first."""

    trips: Trips
    routes: np.ndarray  # per task: trips whose path uses the element with the attribute unknown
    order: np.ndarray  # relevant tasks, best first


def rank(cat: Catalogue, trips: Trips, profile: Profile) -> Ranking:
    """Rank the tasks that matter for ``profile`` by the trips they touch, then the metres they make known."""
    routes = np.asarray((cat.incidence.astype(np.int32) @ trips.incidence.T.astype(np.int32)).getnnz(axis=1))
    ok = np.array([relevant(a, profile) for a in ATTRIBUTES])
    attr_code = pd.Categorical(cat.attribute, categories=list(ATTRIBUTES)).codes
    candidates = np.flatnonzero(ok[attr_code])
    order = candidates[np.lexsort((candidates, -cat.unknown_m[candidates], -routes[candidates]))]
    return Ranking(trips, routes, order)


def _known_count(a: EdgeArrays) -> np.ndarray:
    """How many of surface, incline, width and kerb are known on each directed edge (the verified share's four)."""
    return (a.surface_known.astype(np.int8) + a.incline_known + a.width_known + a.kerb_known).astype(np.int8)


class AuditIndex:
    """The open questions of one network and, per profile (computed on first use), the sampled trips and the
    ranking. Built once per process; answers change only which tasks are still open (the caller filters)."""

    def __init__(self, net: Network, router: Router, *, origins: int = ORIGINS, per_origin: int = PER_ORIGIN,
                 limit_s: float = TRIP_LIMIT_S) -> None:
        self.net = net
        self.router = router
        self.catalogue = catalogue(net)
        self._settings = {"origins": origins, "per_origin": per_origin, "limit_s": limit_s}
        self._rankings: dict[str, Ranking] = {}
        self._lock = threading.Lock()

    def ranking(self, profile_name: str) -> Ranking:
        """The ranking of a built-in profile (trips on its costs from OSM alone, so it stays put as answers come)."""
        with self._lock:
            found = self._rankings.get(profile_name)
            if found is None:
                profile = PROFILES[profile_name]
                trips = sample_trips(self.net, self.router.costs(profile), **self._settings)  # type: ignore[arg-type]
                found = self._rankings[profile_name] = rank(self.catalogue, trips, profile)
            return found

    def best(self, profile_name: str, *, bbox: tuple[float, float, float, float] | None, limit: int,
             skip: set[str] | frozenset[str] = frozenset()) -> tuple[list[int], int]:
        """Rows of the best open tasks in ``bbox`` for a profile (at most ``limit``), and how many there are."""
        order = self.ranking(profile_name).order
        cat = self.catalogue
        if bbox is not None:
            minx, miny, maxx, maxy = bbox
            lon, lat = cat.lon[order], cat.lat[order]
            order = order[(lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)]
        if skip:
            order = order[~np.isin(cat.task_id[order], np.array(sorted(skip), dtype=object))]
        return order[:limit].tolist(), len(order)

    def progress(self, profile_name: str, arrays: EdgeArrays, *,
                 bbox: tuple[float, float, float, float] | None = None) -> dict[str, Any]:
        """How complete the data of the sampled trips in ``bbox`` is with the verified values (``arrays``) and
        from OSM alone: trips, fully verified trips, trips with better data, attribute completeness (%)."""
        trips = self.ranking(profile_name).trips
        inc = trips.incidence.astype(np.float64)
        if bbox is not None:
            lon, lat = self.net.nodes["lon"].to_numpy(), self.net.nodes["lat"].to_numpy()
            minx, miny, maxx, maxy = bbox
            inside = (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
            rows = np.flatnonzero(np.asarray(inc @ inside[self.net.arrays.src].astype(np.float64)) > 0)
            inc = inc[rows]
        length = self.net.arrays.length_m
        total = np.asarray(inc @ length).ravel()
        before, after = _known_count(self.net.arrays), _known_count(arrays)

        def share(known: np.ndarray) -> np.ndarray:
            return np.asarray(inc @ (length * known / 4.0)).ravel() / np.maximum(total, 1e-9)

        def full(known: np.ndarray) -> int:
            return int((np.asarray(inc @ (known < 4).astype(np.float64)).ravel() == 0).sum())

        s_before, s_after = share(before), share(after)
        return {"routes": int(inc.shape[0]), "fully_verified": full(after), "fully_verified_before": full(before),
                "improved": int((s_after > s_before + 1e-9).sum()),
                "completeness_pct": round(100.0 * float(s_after.mean()), 1) if len(s_after) else None,
                "completeness_before_pct": round(100.0 * float(s_before.mean()), 1) if len(s_before) else None}
