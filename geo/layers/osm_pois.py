"""OSM POIs of social kinds as services, de-duplicated against the curated records.

OSM POIs with ``amenity=social_facility|community_centre|social_centre|townhall``, any
``social_facility=*`` or ``office=government`` in the extract (:func:`osm_services`) are a second
source of services; a POI that is a curated record again (similar name within 150 m, or nearly the
same name for an unplaced record) is dropped, and sharpens the curated record's position when that
was only street-level (:func:`merge_services`).
"""

from __future__ import annotations

import logging
import math
from difflib import SequenceMatcher

import geopandas as gpd
import pandas as pd
import shapely

from geo import settings
from geo.layers.addresses import fold
from geo.layers.provenance import unknown
from geo.layers.records import as_frame
from geo.layers.schemas import SERVICE_COLUMNS

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- OSM social POIs

#: ``amenity`` values imported as services, with their category.
OSM_AMENITY_CATEGORY: dict[str, str] = {
    "community_centre": "community_centre", "social_centre": "community_centre",
    "social_facility": "social_facility", "townhall": "public_office",
}
#: ``social_facility`` values with a more specific category.
OSM_SOCIAL_FACILITY_CATEGORY: dict[str, str] = {
    "shelter": "homeless_hostel", "outreach": "advice_centre", "food_bank": "social_facility",
    "soup_kitchen": "social_facility", "day_care": "respite_care",
}
_OSM_WHEELCHAIR = {"yes": "yes", "designated": "yes", "limited": "limited", "no": "no"}
OSM_PUBLISHER = "© OpenStreetMap contributors, ODbL 1.0"


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame:
        return frame[name].astype(object).where(frame[name].notna(), None)
    # a list of None: ``pd.Series(None, dtype=object)`` holds NaN, which is truthy and reads "nan"
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def osm_services(pois: gpd.GeoDataFrame, *, data_date: str | None = None) -> gpd.GeoDataFrame:
    """Named OSM POIs of social kinds (``amenity=social_facility|community_centre|social_centre|townhall``,
    any ``social_facility=*``, ``office=government``) as service records (origin ``osm``)."""
    if pois is None or pois.empty:
        return as_frame([], SERVICE_COLUMNS)
    amenity = _col(pois, "amenity").map(lambda v: str(v).split(";")[0].strip().lower() if v else None)
    office = _col(pois, "office").map(lambda v: str(v).strip().lower() if v else None)
    facility = _col(pois, "social_facility").map(lambda v: str(v).split(";")[0].strip().lower() if v else None)
    facility_for = _col(pois, "social_facility:for").map(lambda v: str(v).lower() if v else "")
    name = _col(pois, "name")
    keep = (amenity.isin(OSM_AMENITY_CATEGORY) | office.eq("government") | facility.notna()) & name.notna()
    rows = []
    points = pois.geometry[keep].representative_point()
    for idx in pois.index[keep]:
        a, o, sf = amenity[idx], office[idx], facility[idx]
        category = OSM_AMENITY_CATEGORY.get(a or "", "public_office" if o == "government" else "social_facility")
        if sf in OSM_SOCIAL_FACILITY_CATEGORY:
            category = OSM_SOCIAL_FACILITY_CATEGORY[sf]
        if sf == "shelter" and any(w in facility_for[idx] for w in ("abused", "women", "family", "child")):
            category = "asylum_house"
        if "senior" in facility_for[idx] and sf == "outreach":
            category = "senior_advice"
        street, number = _col(pois, "addr:street")[idx], _col(pois, "addr:housenumber")[idx]
        element = _col(pois, "element")[idx] or "node"
        osmid = _col(pois, "osmid")[idx]
        wc = _OSM_WHEELCHAIR.get(str(_col(pois, "wheelchair")[idx] or "").strip().lower(), "unknown")
        values = {
            "address": " ".join(str(x) for x in (street, number) if x) or None,
            "operator": _col(pois, "operator")[idx], "wheelchair": wc, "phone": _col(pois, "phone")[idx],
            "web": _col(pois, "website")[idx], "opening_hours": _col(pois, "opening_hours")[idx],
            "status": "operating",
        }
        osm_source = {"id": f"osm-{element}-{osmid}", "url": f"https://www.openstreetmap.org/{element}/{osmid}",
                      "title": f"OpenStreetMap {element}/{osmid}", "publisher": OSM_PUBLISHER,
                      "published": data_date or "undated", "note": None}
        rows.append({
            "id": f"osm-{element}-{osmid}", "name_cs": str(name[idx]), "name_en": str(name[idx]), "aliases": [],
            "category": category, **values,
            "wheelchair_note": "from the OpenStreetMap wheelchair tag" if wc != "unknown" else None,
            "source": "OpenStreetMap (© OpenStreetMap contributors, ODbL 1.0)",
            "source_date": data_date or "undated", "position_precision": "exact",
            "position_source": f"OpenStreetMap {element} {osmid}", "locate": "none", "note": None,
            "origin": "osm", "osm_ref": f"{element}/{osmid}", "match": "OpenStreetMap POI",
            "provenance": {k: {"checked_on": data_date, "note": None, "sources": [osm_source]}
                           for k, v in values.items() if not unknown(v)},
            "geometry": points[idx],
        })
    return as_frame(rows, SERVICE_COLUMNS)


def name_similarity(a: str, b: str) -> float:
    """0…1 similarity of two names, diacritics- and case-insensitive; a multi-word name whose
    words all occur in the other scores at least 0.95."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    ratio = SequenceMatcher(None, fa, fb).ratio()
    ta, tb = set(fa.split()), set(fb.split())
    small, big = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if len(small) >= 2 and small <= big:
        ratio = max(ratio, 0.95)
    return ratio


def _distance_m(a: shapely.Point, b: shapely.Point) -> float:
    lat = math.radians((a.y + b.y) / 2)
    return math.hypot((a.x - b.x) * 111_320 * math.cos(lat), (a.y - b.y) * 110_540)


def merge_services(curated: gpd.GeoDataFrame, osm: gpd.GeoDataFrame, *, max_distance_m: float = 150.0,
                   min_similarity: float = 0.6, name_only_similarity: float = 0.9) -> gpd.GeoDataFrame:
    """Curated records plus the OSM records that do not duplicate one of them.

    An OSM record duplicates a located curated record when their names are similar
    (≥ ``min_similarity``) and they lie within ``max_distance_m``; it duplicates an unlocated one
    when the names are nearly the same (≥ ``name_only_similarity``). The curated record keeps a
    reference to the OSM object in ``osm_ref``, and takes the OSM position (precision ``exact``,
    source "OpenStreetMap POI name match") when it had none, or only a street-level one and the
    names are nearly the same as whole strings (so "Magistrát města Liberec" does not move the
    record of one department of it).
    """
    out = curated.copy()
    geoms = list(out.geometry)
    names = [[r.name_cs, r.name_en, *(r.aliases or [])] for r in out.itertuples(index=False)]
    keep_osm: list[int] = []
    for j, orow in enumerate(osm.itertuples(index=False)):
        best, best_i = 0.0, -1
        for i, cand in enumerate(names):
            s = max(name_similarity(orow.name_cs, n) for n in cand)
            g = geoms[i]
            located = g is not None and not g.is_empty
            if located and _distance_m(g, orow.geometry) > max_distance_m:
                continue
            if s > best and (s >= min_similarity if located else s >= name_only_similarity):
                best, best_i = s, i
        if best_i < 0:
            keep_osm.append(j)
            continue
        col = out.columns.get_loc
        out.iat[best_i, col("osm_ref")] = orow.osm_ref
        g = geoms[best_i]
        unlocated = g is None or g.is_empty
        rough = not unlocated and out.iloc[best_i]["position_precision"] in ("street", "approximate") and max(
            SequenceMatcher(None, fold(orow.name_cs), fold(n)).ratio() for n in names[best_i]) >= name_only_similarity
        if (unlocated or rough) and out.iloc[best_i]["locate"] != "none":
            geoms[best_i] = orow.geometry
            out.iat[best_i, col("position_precision")] = "exact"
            out.iat[best_i, col("position_source")] = f"OpenStreetMap POI name match ({orow.osm_ref})"
            out.iat[best_i, col("match")] = "OpenStreetMap POI name match"
    out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=settings.CRS_WGS84))
    extra = osm.iloc[keep_osm]
    log.info("services: %d curated, %d OSM POIs (%d duplicates of curated records dropped)",
             len(out), len(extra), len(osm) - len(extra))
    if extra.empty:
        return out.reset_index(drop=True)
    merged = pd.concat([out, extra], ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=settings.CRS_WGS84)


