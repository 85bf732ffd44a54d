"""The planner's questions, end to end: which barrier to remove first, what a selection would do, the best K.

:func:`analyse` puts the stages together for one :class:`PlannerRequest` (profile, time budget, origins,
destinations): candidates (:mod:`~geo.analysis.candidates`), homes and destinations snapped onto the
network (:mod:`~geo.analysis.origins`), the search graph (:mod:`~geo.analysis.graph`), today's times and
every candidate's exact gain (:mod:`~geo.analysis.gain`). The :class:`Analysis` answers the ranking, the
detail of one barrier, a what-if and the greedy package (:mod:`~geo.analysis.packages`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from geo.analysis import origins as places_mod
from geo.analysis.candidates import Candidates, find_candidates
from geo.analysis.gain import (
    Change,
    Effect,
    Situation,
    effect,
    effects,
    key_nodes,
    rank_order,
    single_changes,
)
from geo.analysis.graph import Progress, SearchGraph, build_graph, no_progress
from geo.analysis.origins import DESTINATION_CHOICES, ORIGIN_CHOICES, Places
from geo.analysis.packages import Step, combined_effect, greedy_package
from geo.errors import BadRequestError, NotFoundError
from geo.layers.query import MapLayers
from geo.network.model import Network
from geo.reports.placement import ReportsView
from geo.routing.overlay import EMPTY_OVERLAY
from geo.routing.profiles import PROFILES, get_profile
from geo.routing.router import Router
from geo.validation import one_of

MIN_MINUTES, MAX_MINUTES, DEFAULT_MINUTES = 5.0, 60.0, 15.0
MAX_PACKAGE = 50
MAX_WHATIF = 200
MAX_EXAMPLES = 5


class PlannerRequest(BaseModel):
    """What the planner asks about: profile, time budget (minutes), origins and destinations."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    profile: str = "manual_wheelchair"
    minutes: float = Field(default=DEFAULT_MINUTES, ge=MIN_MINUTES, le=MAX_MINUTES, allow_inf_nan=False)
    origins: str = "both"
    destinations: str = "services"

    @field_validator("profile")
    @classmethod
    def _profile(cls, v: str) -> str:
        return one_of(v, PROFILES)

    @field_validator("origins")
    @classmethod
    def _origins(cls, v: str) -> str:
        return one_of(v, ORIGIN_CHOICES)

    @field_validator("destinations")
    @classmethod
    def _destinations(cls, v: str) -> str:
        return one_of(v, DESTINATION_CHOICES)

    @property
    def limit_s(self) -> float:
        """The time budget in seconds."""
        return self.minutes * 60.0


@dataclass(frozen=True)
class PlannerInputs:
    """What every analysis of one city reads: the network and router, the OSM-derived barriers, and the homes
    and destinations to choose from (confirmed reports come with each analysis: they change)."""

    net: Network
    router: Router
    osm_barriers: gpd.GeoDataFrame
    buildings: Places
    flats: Places
    services: Places
    stops: Places

    @classmethod
    def from_layers(cls, router: Router, layers: MapLayers) -> PlannerInputs:
        """Homes and destinations of the app's map layers."""
        net = router.net
        return cls(net, router, layers.barriers, places_mod.residential_buildings(net),
                   places_mod.city_flats(layers.flats), places_mod.services(layers.service_targets()),
                   places_mod.accessible_stops(layers.stops))

    def origins(self, choice: str) -> Places:
        """Homes: buildings, city flats or both."""
        parts = {"buildings": [self.buildings], "flats": [self.flats], "both": [self.buildings, self.flats]}
        return Places.concat(parts[choice])

    def destinations(self, choice: str) -> Places:
        """Services, accessible stops or both."""
        parts = {"services": [self.services], "stops": [self.stops], "both": [self.services, self.stops]}
        return Places.concat(parts[choice])


@dataclass
class Analysis:
    """The ranking of one request, with what it needs to answer details, what-ifs and packages."""

    request: PlannerRequest
    candidates: Candidates
    origins: Places
    destinations: Places
    graph: SearchGraph | None
    situation: Situation | None
    effects: list[Effect]
    #: candidate rows that change something for the profile, in rank order
    order: np.ndarray
    reason: str | None
    counts: dict[str, int] = field(default_factory=dict)
    #: each candidate's change removed alone (for packages)
    changes: list[Change] = field(default_factory=list)

    # ----------------------------------------------------------------- ranking

    def ranking(self) -> pd.DataFrame:
        """The ranked barriers: rank, the barrier's columns, gain, pairs, origins, destinations, time saved."""
        f = self.candidates.frame
        rows = self.order
        out = f.iloc[rows].reset_index(drop=True).copy()
        out.insert(0, "rank", np.arange(1, len(rows) + 1))
        for name in ("gain", "pairs_opened", "origins_helped", "destinations_opened", "time_saved_s"):
            out[name] = [getattr(self.effects[r], name) for r in rows]
        out["row"] = rows
        return out

    def ranked_rows(self) -> dict[str, int]:
        """Barrier id → candidate row, for the ranked barriers."""
        ids = self.candidates.frame["barrier_id"].to_numpy()
        return {str(ids[r]): int(r) for r in self.order}

    def row_of(self, barrier_id: str) -> int:
        """The candidate row of a ranked barrier; :class:`NotFoundError` for anything else."""
        row = self.ranked_rows().get(barrier_id)
        if row is None:
            raise NotFoundError("planner.unknown_barrier", field="id", id=barrier_id)
        return row

    def rows_of(self, barrier_ids: list[str]) -> np.ndarray:
        """Candidate rows of ranked barriers; :class:`BadRequestError` naming the unknown ones."""
        if len(barrier_ids) > MAX_WHATIF:
            raise BadRequestError("planner.too_many", field="barriers", max=MAX_WHATIF, count=len(barrier_ids))
        ranked = self.ranked_rows()
        unknown = sorted({b for b in barrier_ids if b not in ranked})
        if unknown:
            raise BadRequestError("planner.unknown_barriers", field="barriers", ids=unknown, count=len(unknown),
                                  list=", ".join(unknown[:10]))
        return np.unique(np.array([ranked[b] for b in barrier_ids], np.int64))

    # ----------------------------------------------------------------- questions

    def detail(self, barrier_id: str) -> dict[str, Any]:
        """The origins a barrier's removal helps, the destinations they newly reach, examples."""
        row = self.row_of(barrier_id)
        rank = int(np.flatnonzero(self.order == row)[0]) + 1
        assert self.situation is not None  # a ranked barrier implies an analysis with searches
        return {"rank": rank, **self._describe(effect(self.situation, self.changes[row], detail=True))}

    def what_if(self, barrier_ids: list[str]) -> dict[str, Any]:
        """The combined effect of removing a selection together (and the sum of their gains alone)."""
        rows = self.rows_of(barrier_ids)
        if self.situation is None or len(rows) == 0:
            return {"barriers": [], "sum_of_single_gains": 0.0, **self._describe(Effect())}
        eff, _ = combined_effect(self.situation, self.candidates, rows)
        return {"barriers": self.candidates.frame["barrier_id"].to_numpy()[rows].tolist(),
                "sum_of_single_gains": float(sum(self.effects[r].gain for r in rows)), **self._describe(eff)}

    def package(self, k: int, progress: Progress = no_progress) -> dict[str, Any]:
        """The greedy package of up to ``k`` barriers and its combined effect."""
        if not 1 <= k <= MAX_PACKAGE:
            raise BadRequestError("request.out_of_range", field="k", min=1, max=MAX_PACKAGE, value=str(k))
        if self.situation is None:
            return {"k": k, "steps": [], "stopped": "empty", **self._describe(Effect())}
        steps = greedy_package(self.situation, self.candidates, self.effects, k, pool=self.order,
                               changes=self.changes or None, progress=progress)
        rows = np.array([st.row for st in steps], np.int64)
        eff = combined_effect(self.situation, self.candidates, rows)[0] if len(rows) else Effect()
        return {"k": k, "steps": self._steps(steps), "stopped": None if len(steps) == k else "no_more_gain",
                **self._describe(eff)}

    def _steps(self, steps: list[Step]) -> list[dict[str, Any]]:
        f = self.candidates.frame
        out, total = [], 0.0
        for i, st in enumerate(steps, start=1):
            total += st.effect.gain
            out.append({"step": i, "barrier_id": f["barrier_id"].iat[st.row], "category": f["category"].iat[st.row],
                        "severity": int(f["severity"].iat[st.row]), "gain": st.effect.gain,
                        "pairs_opened": st.effect.pairs_opened, "time_saved_s": round(st.effect.time_saved_s, 1),
                        "cumulative_gain": total, "alone_gain": self.effects[st.row].gain})
        return out

    def _describe(self, eff: Effect) -> dict[str, Any]:
        """Numbers, helped origins, opened destinations and examples of an effect."""
        out: dict[str, Any] = {"gain": eff.gain, "pairs_opened": eff.pairs_opened,
                               "origins_helped": eff.origins_helped, "destinations_opened": eff.destinations_opened,
                               "time_saved_s": round(eff.time_saved_s, 1), "origins": [], "destinations": [],
                               "examples": []}
        if eff.opened is None:
            return out
        o, d, after = eff.opened
        per_origin = pd.Series(1, index=o).groupby(level=0).size()
        out["origins"] = [self._place(self.origins, int(i), opened=int(n)) for i, n in per_origin.items()]
        out["destinations"] = [self._place(self.destinations, int(j)) for j in np.unique(d)]
        examples = [(int(a), int(b), None, float(t)) for a, b, t in zip(o, d, after, strict=True)]
        examples.sort(key=lambda e: (e[3], e[0], e[1]))
        if len(examples) < MAX_EXAMPLES and eff.improved is not None:
            io, idd, before, new = eff.improved
            more = sorted(zip(io.tolist(), idd.tolist(), before.tolist(), new.tolist(), strict=True),
                          key=lambda e: (e[3] - e[2], e[0], e[1]))
            examples += more[:MAX_EXAMPLES - len(examples)]
        out["examples"] = [{"origin": self._place(self.origins, a), "destination": self._place(self.destinations, b),
                            "before_s": None if before is None else round(before, 1), "after_s": round(after_t, 1)}
                           for a, b, before, after_t in examples[:MAX_EXAMPLES]]
        return out

    @staticmethod
    def _place(places: Places, i: int, **extra: Any) -> dict[str, Any]:
        return {"id": str(places.ids[i]), "kind": str(places.kinds[i]), "name": str(places.names[i]),
                "lon": round(float(places.lon[i]), 7), "lat": round(float(places.lat[i]), 7),
                "weight": float(places.weight[i]), **extra}


# --------------------------------------------------------------------------- the analysis


def analyse(inputs: PlannerInputs, request: PlannerRequest, reports: ReportsView | None = None,
            progress: Progress = no_progress) -> Analysis:
    """Rank every barrier of ``inputs`` and every active report of ``reports`` by its gain for ``request``."""
    profile = get_profile(request.profile)
    overlay = reports.overlay if reports is not None else EMPTY_OVERLAY
    cands = find_candidates(inputs.net, inputs.osm_barriers, reports)
    origins = inputs.origins(request.origins)
    dests = inputs.destinations(request.destinations)
    counts = {"candidates": len(cands), "origins": len(origins), "destinations": len(dests)}
    empty = Analysis(request, cands, origins, dests, None, None, [Effect()] * len(cands), np.zeros(0, np.int64),
                     None, counts)
    if len(origins) == 0 or len(dests) == 0 or len(cands) == 0:
        empty.reason = "no_barriers" if len(cands) == 0 else "no_origins" if len(origins) == 0 else "no_destinations"
        return empty
    progress("snap", 0, len(origins))
    o_anchors = places_mod.snap_points(inputs.router, origins, profile, overlay)
    d_anchors = places_mod.snap_points(inputs.router, dests, profile, overlay)
    progress("snap", len(origins), len(origins))
    graph = build_graph(inputs.router, profile, o_anchors, d_anchors, overlay)
    changes = single_changes(graph, cands, graph.cost, progress)
    relevant = np.array([i for i, c in enumerate(changes) if len(c)], np.int64)
    placed_o = np.array([i for i, a in enumerate(o_anchors) if a is not None], np.int64)
    placed_d = np.array([j for j, a in enumerate(d_anchors) if a is not None], np.int64)
    counts |= {"relevant": len(relevant), "origins_placed": len(placed_o), "destinations_placed": len(placed_d)}
    if len(relevant) == 0 or len(placed_o) == 0 or len(placed_d) == 0:
        empty.reason = "no_barriers" if len(relevant) == 0 else "no_origins" if len(placed_o) == 0 \
            else "no_destinations"
        empty.graph = graph
        return empty
    tails, heads = key_nodes(graph, cands, relevant)
    s = Situation.measure(graph, request.limit_s, origins.weight, dests.weight, tails, heads,
                          placed_origins=placed_o, placed_dests=placed_d, progress=progress)
    effs = [Effect()] * len(cands)
    for row, eff in zip(relevant.tolist(), effects(s, [changes[r] for r in relevant], progress), strict=True):
        effs[row] = eff
    f = cands.frame
    order = relevant[rank_order(np.array([effs[r].gain for r in relevant]), f["severity"].to_numpy()[relevant],
                                f["barrier_id"].to_numpy(str)[relevant])]
    return Analysis(request, cands, origins, dests, graph, s, effs, order, None, counts, changes)


class AnalysisCache:
    """Analyses of one city kept per (request, overlay version): a changed confirmed report (a new overlay)
    makes a new analysis. At most ``size`` are kept; one request is computed once even when asked twice."""

    def __init__(self, inputs: PlannerInputs, *, size: int = 4) -> None:
        self.inputs = inputs
        self.size = size
        self._done: OrderedDict[tuple[Any, ...], Analysis] = OrderedDict()
        self._locks: dict[tuple[Any, ...], threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, request: PlannerRequest, reports: ReportsView | None,
            progress: Progress = no_progress) -> Analysis:
        """The analysis of ``request`` with the active ``reports``."""
        key = (request, reports.overlay.key if reports is not None else (0, 0))
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                return self._done[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._lock:
                if key in self._done:
                    return self._done[key]
            result = analyse(self.inputs, request, reports, progress)
            with self._lock:
                self._done[key] = result
                self._locks.pop(key, None)
                while len(self._done) > self.size:
                    self._done.popitem(last=False)
            return result
