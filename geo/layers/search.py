"""Offline place search over the loaded extract and the curated layers.

Entries: addresses (``addr:street`` + house number, Czech ``1234/5`` numbers included), named OSM
POIs, street names of the network, services, city flats and stops. Text is folded (no diacritics,
lower case) and split into tokens; ``"81/1"`` also yields ``"81"`` and ``"1"``. The index is a
sorted token array with the entry id of each token, built once: a query token is a prefix range
found with :func:`bisect.bisect_left`, the ranges of several tokens are intersected, and the
candidates are ranked by exact vs prefix token matches, a whole-label prefix bonus, the kind of
entry (services first) and a short-label preference. No query scans the entries.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.layers.addresses import AddressIndex, fold

#: Ranking weight per kind of entry.
KIND_WEIGHT: dict[str, float] = {"service": 3.0, "flat": 2.0, "stop": 1.5, "poi": 1.5, "street": 1.2, "address": 1.0}
MAX_QUERY_TOKENS = 8


def tokenize(text: str) -> list[str]:
    """Folded tokens of a text; a ``"1234/5"`` token also yields ``"1234"`` and ``"5"``."""
    out: list[str] = []
    for tok in fold(text).split():
        tok = tok.strip("/")
        if not tok:
            continue
        out.append(tok)
        if "/" in tok:
            out.extend(p for p in tok.split("/") if p)
    return out


@dataclass(frozen=True)
class SearchEntry:
    """One searchable thing: what to show, where it is, what it refers to."""

    label: str
    kind: str  # service | flat | stop | poi | street | address
    layer: str | None = None  # services | flats | stops (for curated / layer entries)
    ref: str | None = None  # id in its layer, or OSM element/id
    lon: float | None = None
    lat: float | None = None
    detail: str | None = None  # address, category, … (shown under the label)
    extra: tuple[str, ...] = field(default=())  # more text to match (aliases, English name, address)
    precision: str | None = None


class SearchIndex:
    """Prefix search over :class:`SearchEntry` items (build once, query many times)."""

    def __init__(self, entries: list[SearchEntry]) -> None:
        self.entries = entries
        pairs: list[tuple[str, int]] = []
        for i, e in enumerate(entries):
            toks = set(tokenize(e.label))
            for text in e.extra:
                toks.update(tokenize(text))
            pairs.extend((t, i) for t in toks)
        pairs.sort()
        self._tokens: list[str] = [p[0] for p in pairs]
        self._ids = np.fromiter((p[1] for p in pairs), dtype=np.int32, count=len(pairs))
        self._folded = [fold(e.label) for e in entries]
        self._weight = np.array([KIND_WEIGHT.get(e.kind, 1.0) for e in entries], dtype=np.float64)
        self._length = np.array([len(f) for f in self._folded], dtype=np.float64)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def n_tokens(self) -> int:
        """Number of (token, entry) pairs in the index."""
        return len(self._tokens)

    def _range(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        lo = bisect.bisect_left(self._tokens, token)
        eq = bisect.bisect_right(self._tokens, token, lo)
        hi = bisect.bisect_left(self._tokens, token + "\x7f", eq)
        return np.unique(self._ids[lo:hi]), np.unique(self._ids[lo:eq])

    def search(self, query: str, *, limit: int = 10) -> list[dict[str, Any]]:
        """Entries matching every query token as a prefix, best first."""
        qtoks = list(dict.fromkeys(tokenize(query)))[:MAX_QUERY_TOKENS]
        if not qtoks or not self.entries:
            return []
        ranges = [self._range(t) for t in qtoks]
        order = np.argsort([len(r[0]) for r in ranges])
        candidates = ranges[order[0]][0]
        for k in order[1:]:
            if len(candidates) == 0:
                break
            candidates = np.intersect1d(candidates, ranges[k][0], assume_unique=True)
        if len(candidates) == 0:
            return []
        score = np.zeros(len(candidates))
        for _ids, exact in ranges:
            score += 1.0 + np.isin(candidates, exact, assume_unique=True)
        fq = fold(query)
        bonus = np.fromiter(((5.0 if self._folded[c] == fq else 3.0 if self._folded[c].startswith(fq) else 0.0)
                             for c in candidates), dtype=np.float64, count=len(candidates))
        score += bonus + self._weight[candidates] - 0.01 * self._length[candidates]
        k = min(limit, len(candidates))
        top = np.argpartition(-score, k - 1)[:k] if k < len(candidates) else np.arange(len(candidates))
        top = top[np.lexsort((candidates[top], -score[top]))]
        return [self._result(int(candidates[i]), float(score[i])) for i in top]

    def _result(self, i: int, score: float) -> dict[str, Any]:
        e = self.entries[i]
        return {"label": e.label, "kind": e.kind, "layer": e.layer, "id": e.ref, "detail": e.detail,
                "lon": e.lon, "lat": e.lat, "precision": e.precision, "score": round(score, 3)}


# --------------------------------------------------------------------------- building the entries


def _xy(geom: Any) -> tuple[float | None, float | None]:
    if geom is None or geom.is_empty:
        return None, None
    pt = geom if geom.geom_type == "Point" else geom.representative_point()
    return round(float(pt.x), 6), round(float(pt.y), 6)


def _street_part(address: Any) -> str:
    return str(address).split(",")[0] if isinstance(address, str) else ""


def _text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    s = str(v).strip()
    return s or None


def layer_entries(services: gpd.GeoDataFrame | None = None, flats: gpd.GeoDataFrame | None = None,
                  stops: gpd.GeoDataFrame | None = None) -> list[SearchEntry]:
    """Entries of the services, flats and stops layers."""
    out: list[SearchEntry] = []
    if services is not None:
        for r in services.itertuples(index=False):
            lon, lat = _xy(r.geometry)
            kind = "service" if r.origin == "curated" else "poi"
            out.append(SearchEntry(r.name_cs, kind, "services", r.id, lon, lat, _text(r.address) or r.category,
                                   (r.name_en, *(r.aliases or []), _street_part(r.address)), r.position_precision))
    if flats is not None:
        for r in flats.itertuples(index=False):
            lon, lat = _xy(r.geometry)
            out.append(SearchEntry(_text(r.name) or r.address, "flat", "flats", r.id, lon, lat, r.address,
                                   (_street_part(r.address),), r.position_precision))
    if stops is not None:
        for r in stops.itertuples(index=False):
            lon, lat = _xy(r.geometry)
            name = _text(r.name) or r.stop_id
            out.append(SearchEntry(name, "stop", "stops", r.stop_id, lon, lat, f"wheelchair: {r.wheelchair}",
                                   tuple(x for x in (_text(r.code),) if x), "exact"))
    return out


def extract_entries(pois: gpd.GeoDataFrame, index: AddressIndex, *,
                    exclude_refs: set[str] | frozenset[str] = frozenset()) -> list[SearchEntry]:
    """Entries of the loaded extract: named POIs (except ``exclude_refs``, already in a layer), addresses, streets."""
    out: list[SearchEntry] = []
    if pois is not None and len(pois) and "name" in pois:
        named = pois[pois["name"].notna()]
        pts = named.geometry.representative_point()
        kinds = [c for c in ("amenity", "shop", "office", "tourism", "healthcare", "social_facility") if c in named]
        for (idx, row), pt in zip(named.iterrows(), pts, strict=True):
            detail = next((f"{c}={row[c]}" for c in kinds if _text(row[c])), None)
            street = _text(row.get("addr:street"))
            number = _text(row.get("addr:housenumber"))
            address = " ".join(x for x in (street, number) if x) or None
            ref = f"{_text(row.get('element')) or 'feature'}/{_text(row.get('osmid')) or idx}"
            if ref in exclude_refs:
                continue
            out.append(SearchEntry(str(row["name"]), "poi", None, ref, round(pt.x, 6), round(pt.y, 6),
                                   address or detail, tuple(x for x in (address,) if x), "exact"))
    seen: dict[str, list[tuple[float, float]]] = {}
    for label, _key, lon, lat, osm_id in index.entries():
        # one entry per address; the same label far away (another town part) is another address
        places = seen.setdefault(fold(label), [])
        if any(abs(lon - x) < 0.002 and abs(lat - y) < 0.0015 for x, y in places):
            continue
        places.append((lon, lat))
        out.append(SearchEntry(label, "address", None, osm_id, round(lon, 6), round(lat, 6), None, (), "exact"))
    for key, name in index.streets().items():
        pt = index.street_point(name) or index.street_point(key)
        lon, lat = pt if pt else (None, None)
        out.append(SearchEntry(name, "street", None, None, lon, lat, None, (), "street"))
    return out


def build_index(*, pois: gpd.GeoDataFrame | None = None, address_index: AddressIndex | None = None,
                services: gpd.GeoDataFrame | None = None, flats: gpd.GeoDataFrame | None = None,
                stops: gpd.GeoDataFrame | None = None) -> SearchIndex:
    """The search index of an extract and its layers."""
    entries = layer_entries(services, flats, stops)
    if address_index is not None:
        refs = {str(r) for r in services["osm_ref"].dropna()} if services is not None else set()
        entries += extract_entries(pois if pois is not None else gpd.GeoDataFrame(geometry=[]), address_index,
                                   exclude_refs=refs)
    return SearchIndex(entries)
