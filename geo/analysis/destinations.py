"""Everyday destinations of a home, by essential category, each with its source.

The categories a reach card answers for (:data:`CATEGORIES`, in card order):

* ``stop`` — a public-transport stop whose GTFS ``wheelchair_boarding`` is 1 (the stops layer);
* ``doctor`` — a general practitioner or health centre: OSM ``amenity=doctors|clinic``,
  ``healthcare=doctor|centre|clinic``;
* ``pharmacy`` — OSM ``amenity=pharmacy`` or ``healthcare=pharmacy``;
* ``grocery`` — OSM ``shop=supermarket|convenience``;
* ``social_services`` — the city's social services: the services layer (curated records and OSM social
  facilities), without community centres (their own category), public offices and planned services;
* ``community_centre`` — community centres of the services layer (the curated Liebieg Palace among them);
* ``school``, ``kindergarten``, ``post_office`` — OSM ``amenity=school|kindergarten|post_office``.

Other ``healthcare=*`` values (dentist, physiotherapist, blood donation …) are not a GP and are left out.
An OSM element counts once, in the first category of this order that its tags give. Every destination
keeps its source (``gtfs``, ``osm`` or ``curated``), a reference to the record (GTFS ``stop_id``, OSM
element, curated record id), its position precision and its own ``wheelchair`` value when the source has one.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis.origins import Places

#: The essential categories, in the order a card lists them.
CATEGORIES: tuple[str, ...] = ("stop", "doctor", "pharmacy", "grocery", "social_services", "community_centre",
                               "school", "kindergarten", "post_office")
#: OSM tag → value → category (an element takes the first match, in :data:`CATEGORIES` order).
OSM_TAGS: dict[str, dict[str, str]] = {
    "amenity": {"doctors": "doctor", "clinic": "doctor", "pharmacy": "pharmacy", "school": "school",
                "kindergarten": "kindergarten", "post_office": "post_office"},
    "healthcare": {"doctor": "doctor", "centre": "doctor", "clinic": "doctor", "pharmacy": "pharmacy"},
    "shop": {"supermarket": "grocery", "convenience": "grocery"},
}
#: Service categories that are not "social services" destinations (community centres are their own category).
NOT_SOCIAL: frozenset[str] = frozenset({"community_centre", "public_office"})
_WHEELCHAIR = {"yes": "yes", "designated": "yes", "limited": "limited", "no": "no"}
OSM_URL = "https://www.openstreetmap.org/"


@dataclass(frozen=True)
class Destinations:
    """Essential destinations: :class:`Places` (``kinds`` = category, ``names`` = Czech name) and per place its
    English name, source, reference, position precision and wheelchair value."""

    places: Places
    names_en: np.ndarray
    sources: np.ndarray
    refs: np.ndarray
    precision: np.ndarray
    wheelchair: np.ndarray

    def __len__(self) -> int:
        return len(self.places)

    @property
    def categories(self) -> np.ndarray:
        """The category of each destination."""
        return self.places.kinds

    @classmethod
    def concat(cls, parts: list[Destinations]) -> Destinations:
        """The destinations of ``parts`` one after another."""
        parts = [p for p in parts if len(p)]
        if not parts:
            e = np.zeros(0, dtype=object)
            return cls(Places.empty(), e, e, e, e, e)
        return cls(Places.concat([p.places for p in parts]),
                   *(np.concatenate([getattr(p, f) for p in parts]) for f in
                     ("names_en", "sources", "refs", "precision", "wheelchair")))

    def name(self, i: int, lang: str | None) -> str:
        """The name of destination ``i`` in ``lang`` (empty when the source gives none)."""
        return str(self.names_en[i] if lang == "en" else self.places.names[i])

    def url(self, i: int) -> str | None:
        """The OpenStreetMap page of an OSM destination."""
        return OSM_URL + str(self.refs[i]) if self.sources[i] == "osm" else None

    def record(self, i: int, lang: str | None) -> dict[str, object]:
        """Destination ``i`` as JSON: id, name, category, source, reference, link, position, precision, wheelchair."""
        p = self.places
        return {"id": str(p.ids[i]), "name": self.name(i, lang), "category": str(p.kinds[i]),
                "source": str(self.sources[i]), "ref": str(self.refs[i]), "url": self.url(i),
                "lon": round(float(p.lon[i]), 7), "lat": round(float(p.lat[i]), 7),
                "position_precision": str(self.precision[i]), "wheelchair": str(self.wheelchair[i])}


def _text(frame: pd.DataFrame, col: str) -> pd.Series:
    if col in frame:
        return frame[col].astype(object).where(frame[col].notna(), None)
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _first(value: object) -> str | None:
    """The first of ``;``-separated OSM values, lower case."""
    if not isinstance(value, str):
        return None
    return value.split(";")[0].strip().lower() or None


def _from_frame(frame: gpd.GeoDataFrame, source: str, **columns: object) -> Destinations:
    """Destinations of ``frame``'s points with these columns (each a sequence, or one value for all):
    ``ids``, ``categories``, ``names``, ``names_en``, ``refs``, ``precision``, ``wheelchair``."""
    n = len(frame)
    col = {k: np.array(list(v) if isinstance(v, (list, tuple, np.ndarray, pd.Series)) else [v] * n, dtype=object)
           for k, v in columns.items()}
    pts = frame.geometry.representative_point()
    places = Places(ids=col["ids"], kinds=col["categories"], names=col["names"], lon=pts.x.to_numpy(float),
                    lat=pts.y.to_numpy(float), weight=np.ones(n))
    return Destinations(places, col["names_en"], np.full(n, source, dtype=object), col["refs"], col["precision"],
                        col["wheelchair"])


def osm_destinations(pois: gpd.GeoDataFrame) -> Destinations:
    """OSM POIs of the essential categories (:data:`OSM_TAGS`), one destination per element."""
    if pois is None or pois.empty:
        return Destinations.concat([])
    pois = pois[pois.geometry.notna() & ~pois.geometry.is_empty]
    order = {c: k for k, c in enumerate(CATEGORIES)}
    none = len(CATEGORIES)
    rank = np.full(len(pois), none)
    for tag, table in OSM_TAGS.items():  # the first category in card order wins when tags disagree
        found = _text(pois, tag).map(_first).map(lambda v, t=table: order[t[v]] if v in t else none)
        rank = np.minimum(rank, found.to_numpy(int))
    keep = rank < none
    if not keep.any():
        return Destinations.concat([])
    sub = pois[keep]
    refs = [f"{e}/{i}" for e, i in zip(_text(sub, "element").fillna("node"), sub["osmid"], strict=True)]
    names = _text(sub, "name").fillna("").astype(str)
    return _from_frame(sub, "osm", ids=[f"osm-{r.replace('/', '-')}" for r in refs],
                       categories=[CATEGORIES[r] for r in rank[keep]], names=names, names_en=names, refs=refs,
                       precision="exact", wheelchair=[_WHEELCHAIR.get(str(v or "").strip().lower(), "unknown")
                                                      for v in _text(sub, "wheelchair")])


def stop_destinations(stops: gpd.GeoDataFrame) -> Destinations:
    """Public-transport stops where a wheelchair can board (GTFS ``wheelchair_boarding`` 1)."""
    if stops is None or stops.empty or "wheelchair_boarding" not in stops:
        return Destinations.concat([])
    ok = stops[(stops["wheelchair_boarding"].to_numpy() == 1) & stops.geometry.notna().to_numpy(bool)]
    ids = ok["stop_id"].astype(str)
    names = _text(ok, "name").fillna("").astype(str)
    return _from_frame(ok, "gtfs", ids=[f"stop-{i}" for i in ids], categories="stop", names=names, names_en=names,
                       refs=ids, precision="exact", wheelchair="yes")


def service_destinations(services: gpd.GeoDataFrame) -> Destinations:
    """Placed services of the services layer (curated and OSM social POIs) that operate (not planned):
    community centres as ``community_centre``, the rest but public offices as ``social_services``."""
    if services is None or services.empty:
        return Destinations.concat([])
    s = services[services.geometry.notna() & ~services.geometry.is_empty]
    cat = _text(s, "category")
    s = s[(_text(s, "status").ne("planned") & (cat.eq("community_centre") | ~cat.isin(NOT_SOCIAL))).to_numpy(bool)]
    parts = []
    for source in ("curated", "osm"):
        sub = s[_text(s, "origin").fillna("curated").eq(source).to_numpy(bool)]
        # a curated record is referred to by its id, an OSM one by its element
        refs = sub["id"].astype(str) if source == "curated" else _text(sub, "osm_ref").fillna("").astype(str)
        parts.append(_from_frame(
            sub, source, ids=sub["id"].astype(str),
            categories=["community_centre" if c == "community_centre" else "social_services"
                        for c in _text(sub, "category")],
            names=_text(sub, "name_cs").fillna("").astype(str), names_en=_text(sub, "name_en").fillna("").astype(str),
            refs=refs, precision=_text(sub, "position_precision").fillna("unknown").astype(str),
            wheelchair=_text(sub, "wheelchair").fillna("unknown").astype(str)))
    return Destinations.concat(parts)


def essential_destinations(pois: gpd.GeoDataFrame, stops: gpd.GeoDataFrame,
                           services: gpd.GeoDataFrame) -> Destinations:
    """Every essential destination: accessible stops, OSM POIs of the essential kinds, the services layer."""
    return Destinations.concat([stop_destinations(stops), osm_destinations(pois), service_destinations(services)])


def category_counts(d: Destinations) -> dict[str, int]:
    """How many destinations each category has (every category, zero included)."""
    return {c: int((d.categories == c).sum()) for c in CATEGORIES}
