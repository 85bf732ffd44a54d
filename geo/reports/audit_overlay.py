"""Verified answers → attribute values laid over the network (:class:`~geo.routing.overlay.AttributePatches`).

A verified value acts as if OpenStreetMap said so: a way's surface, smoothness, width, incline or ramp holds on
every edge of that way in both directions; a kerb is mapped at its node (for a crossing way with no kerb
anywhere: at both ends where it meets the sidewalks), and the network's kerb rule
(:func:`geo.network.model.kerb_rule`) decides which directed edges meet it — so a route's costs, limits,
warnings and verified share change exactly as they would once the tag is in OSM. Incline answers have no
direction: both directions get the band's value as their steepest climb and descent.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from geo.network.attributes import SURFACE_CLASS_OF_VALUE, SURFACE_CODE
from geo.network.model import Network
from geo.reports.audit_model import TaskRef, Verdict, option
from geo.routing.overlay import EMPTY_PATCHES, AttributePatches
from geo.routing.profiles import SMOOTHNESS


def _way_values(attribute: str, value: str) -> dict[str, float]:
    """The directed-edge fields a way's verified value sets."""
    amount = option(attribute, value).amount
    if attribute == "surface":
        code = SURFACE_CODE[value]
        return {"surface_code": code, "surface_class": float(SURFACE_CLASS_OF_VALUE[code]), "surface_known": 1.0}
    if attribute == "smoothness":
        return {"smoothness": float(SMOOTHNESS.index(value))}
    if attribute == "width":
        return {"width_m": amount, "width_known": 1.0}
    if attribute == "incline":
        return {"up_pct": amount, "down_pct": amount, "incline_pct": 0.0, "incline_known": 1.0}
    return {"ramp_wheelchair": float(amount >= 2), "ramp_stroller": float(amount >= 1)}  # ramp


def crossing_ends(net: Network, way_id: int) -> np.ndarray:
    """The graph nodes where a crossing way ends (where it meets the sidewalks)."""
    edges, _ = net.way_edges(np.array([way_id]))
    ends = np.concatenate([net.edge_col("u")[edges], net.edge_col("v")[edges]]).astype(np.int64)
    nodes, counts = np.unique(ends, return_counts=True)
    return nodes[counts % 2 == 1]


def kerb_nodes(net: Network, task: TaskRef) -> np.ndarray:
    """The graph nodes a kerb answer maps its kerb at."""
    if task.element_type == "way":
        return crossing_ends(net, task.element_id)
    found = net.node_index(np.array([task.element_id]))
    return found[found >= 0]


def verdict_patches(net: Network, verdicts: Iterable[Verdict], *, version: int) -> AttributePatches:
    """The attribute values of the verdicts in force (later verdicts win where two set the same value)."""
    fields: dict[str, tuple[list[np.ndarray], list[np.ndarray]]] = {}

    def put(name: str, edges: np.ndarray, value: float | np.ndarray) -> None:
        got = fields.setdefault(name, ([], []))
        got[0].append(edges)
        got[1].append(np.broadcast_to(np.asarray(value, float), edges.shape))

    node_cm: dict[int, float] = {}
    for v in sorted(verdicts, key=lambda v: v.id):
        task = v.task
        if task.attribute == "kerb":
            for node in kerb_nodes(net, task).tolist():
                node_cm[node] = option("kerb", v.value).amount
            continue
        if task.element_type != "way":
            continue
        edges, _ = net.way_edges(np.array([task.element_id]))
        directed = np.concatenate(net.directed(edges))
        for name, value in _way_values(task.attribute, v.value).items():
            put(name, directed, value)
    if node_cm:
        idx, kerbs = net.kerbs_with(node_cm)
        for name, values in (("kerb_cm", kerbs.kerb_cm), ("kerb_head_cm", kerbs.head_cm),
                             ("kerb_tail_cm", kerbs.tail_cm), ("kerb_known", kerbs.known)):
            put(name, idx, values)
    if not fields:
        return EMPTY_PATCHES if version == 0 else AttributePatches(version=version)
    values = {}
    for name, (edge_parts, value_parts) in fields.items():
        edges, vals = np.concatenate(edge_parts).astype(np.int64), np.concatenate(value_parts)
        # the last value set for an edge wins: keep the last occurrence of each edge
        last = len(edges) - 1 - np.unique(edges[::-1], return_index=True)[1]
        values[name] = (edges[last], vals[last])
    return AttributePatches(version=version, values=values)
