"""Verified answers back to OpenStreetMap: an osmChange (API 0.6) for a mapper to review and upload, and GeoJSON
with the same changes and their evidence. The app never uploads anything itself.

A change modifies the element *as it was loaded*: the same id and version, every tag it had plus the new ones,
a way's full node list, a node's position — so JOSM (or any editor) uploads it as it stands, and the OSM API
refuses it if somebody edited the element since (a version conflict the mapper resolves). What the app cannot
express as such a clean change is listed separately and never forced:

* ``incline_direction`` — an incline band has no direction, ``incline=*`` needs one;
* ``road_width`` — the walkable width of a road is a sidewalk's (``sidewalk:*:width``), not the road's ``width``;
* ``kerb_without_node`` — a crossing way with no kerb node: the kerbs belong on the nodes where it meets the
  sidewalks (listed as suggestions), which a mapper should check on site or in imagery first;
* ``tag_differs`` — the element already has that key with another value (e.g. an unreadable one);
* ``not_loaded`` — the element's version is not known (data downloaded through Overpass, or a file without
  versions): load an extract file to export it.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
import shapely.geometry

from geo import i18n
from geo.network.model import Network
from geo.reports.audit_model import TaskRef, Verdict, option
from geo.reports.audit_overlay import crossing_ends
from geo.reports.model import iso

GENERATOR = "Liberec bez bariér"
#: Ways whose ``width`` is the walkable width.
WIDTH_HIGHWAYS = frozenset({"footway", "path", "pedestrian", "steps", "cycleway", "bridleway", "corridor",
                            "living_street"})
REASONS: tuple[str, ...] = ("incline_direction", "road_width", "kerb_without_node", "tag_differs", "not_loaded")


@dataclass
class Change:
    """New tags for one loaded OSM element, and the verdicts behind them."""

    element: dict[str, Any]  # the element as loaded (see geo.network.osm.ELEMENT_COLUMNS)
    add: dict[str, str] = field(default_factory=dict)
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, int]:
        """(type, id)."""
        return str(self.element["type"]), int(self.element["id"])


@dataclass(frozen=True)
class Unexported:
    """A verdict that is not a clean tag change, why, and what would be tagged."""

    verdict: Verdict
    reason: str
    tags: dict[str, str]
    existing: dict[str, str] = field(default_factory=dict)
    suggested_nodes: tuple[int, ...] = ()


def _tags(element: dict[str, Any]) -> dict[str, str]:
    raw = element.get("tags")
    return json.loads(raw) if isinstance(raw, str) and raw else {}


def plan(net: Network, verdicts: list[Verdict]) -> tuple[list[Change], list[Unexported]]:
    """Split the verdicts in force into clean changes per element and the rest (with the reason)."""
    changes: dict[tuple[str, int], Change] = {}
    skipped: list[Unexported] = []
    highway = net.edge_col("highway")
    for v in sorted(verdicts, key=lambda v: v.id):
        task = v.task
        tags = dict(option(task.attribute, v.value).tags)
        if not tags:
            skipped.append(Unexported(v, "incline_direction", tags))
            continue
        if task.attribute == "kerb" and task.element_type == "way":
            ends = net.nodes["osmid"].to_numpy(np.int64)[crossing_ends(net, task.element_id)]
            skipped.append(Unexported(v, "kerb_without_node", tags,
                                      suggested_nodes=tuple(int(n) for n in ends if n > 0)))
            continue
        if task.attribute == "width":
            edges, _ = net.way_edges(np.array([task.element_id]))
            if len(edges) and str(highway[edges[0]]) not in WIDTH_HIGHWAYS:
                skipped.append(Unexported(v, "road_width", tags))
                continue
        element = net.element(task.element_type, task.element_id)
        if element is None or net.element_version(task.element_type, task.element_id) is None:
            skipped.append(Unexported(v, "not_loaded", tags))
            continue
        change = changes.get((task.element_type, task.element_id)) or Change(element)
        existing = {**_tags(element), **change.add}
        differs = {k: existing[k] for k, val in tags.items() if k in existing and existing[k] != val}
        if differs:
            skipped.append(Unexported(v, "tag_differs", tags, existing=differs))
            continue
        change.add.update({k: val for k, val in tags.items() if k not in existing})
        change.verdicts.append(v)
        changes[change.key] = change
    return [c for c in changes.values() if c.add], skipped


def osmchange(changes: list[Change], *, skipped: int = 0) -> bytes:
    """The osmChange 0.6 document: every changed element in full, in ``<modify>`` (nodes first)."""
    root = ET.Element("osmChange", version="0.6", generator=GENERATOR)
    if skipped:
        root.append(ET.Comment(f" {skipped} verified answers are not clean tag changes and are left out: "
                               "see export.geojson "))
    modify = ET.SubElement(root, "modify")
    for change in sorted(changes, key=lambda c: (c.key[0] != "node", c.key[1])):
        el = change.element
        kind, osm_id = change.key
        attrs = {"id": str(osm_id), "version": str(int(el["version"]))}
        if kind == "node":
            attrs.update(lat=f"{float(el['lat']):.7f}", lon=f"{float(el['lon']):.7f}")
        node = ET.SubElement(modify, kind, attrs)
        if kind == "way":
            for ref in json.loads(el["refs"]):
                ET.SubElement(node, "nd", ref=str(ref))
        for k, v in {**_tags(el), **change.add}.items():
            ET.SubElement(node, "tag", k=k, v=v)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# --------------------------------------------------------------------------- GeoJSON


def _geometry(net: Network, kind: str, osm_id: int) -> dict[str, Any] | None:
    if kind == "node":
        idx = net.node_index(np.array([osm_id]))
        if idx[0] < 0:
            return None
        return {"type": "Point", "coordinates": [round(float(net.nodes["lon"].iat[idx[0]]), 7),
                                                 round(float(net.nodes["lat"].iat[idx[0]]), 7)]}
    edges, _ = net.way_edges(np.array([osm_id]))
    if len(edges) == 0:
        return None
    line = shapely.line_merge(shapely.union_all(net.edge_col("geometry")[edges]))
    return shapely.geometry.mapping(shapely.transform(line, lambda xy: np.round(xy, 7)))


def _evidence(v: Verdict, lang: str | None) -> dict[str, Any]:
    return {"task_id": v.task.task_id, "attribute": v.task.attribute, "value": v.value,
            "label": i18n.text(option(v.task.attribute, v.value).label_key, lang), "verified_by": v.source,
            "verified_at": iso(v.at), "answers": v.answers, "on_site": v.on_site, "photos": v.photos}


def _element(kind: str, osm_id: int, net: Network) -> dict[str, Any]:
    return {"type": kind, "id": osm_id, "version": net.element_version(kind, osm_id),
            "url": f"https://www.openstreetmap.org/{kind}/{osm_id}"}


def geojson(net: Network, changes: list[Change], skipped: list[Unexported], lang: str | None) -> dict[str, Any]:
    """The same changes as GeoJSON with their evidence, and (``clean: false``) what was left out and why."""
    features = []
    for c in changes:
        kind, osm_id = c.key
        features.append({"type": "Feature", "geometry": _geometry(net, kind, osm_id), "properties": {
            "clean": True, "element": _element(kind, osm_id, net), "add_tags": c.add,
            "evidence": [_evidence(v, lang) for v in c.verdicts]}})
    for s in skipped:
        t: TaskRef = s.verdict.task
        features.append({"type": "Feature", "geometry": _geometry(net, t.element_type, t.element_id), "properties": {
            "clean": False, "element": _element(t.element_type, t.element_id, net), "reason": s.reason,
            "reason_text": i18n.text(f"audit.export.{s.reason}", lang), "tags": s.tags, "existing_tags": s.existing,
            "suggested_nodes": list(s.suggested_nodes), "evidence": [_evidence(s.verdict, lang)]}})
    return {"type": "FeatureCollection", "generator": GENERATOR, "features": features,
            "changes": len(changes), "left_out": len(skipped),
            "license": "© OpenStreetMap contributors, ODbL 1.0 (the loaded extract); answers by citizens"}
