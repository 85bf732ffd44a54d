"""Czech addresses: text folding, parsing ``"Ulice 1234/5"`` and matching to OSM addresses.

Czech buildings carry two numbers: the *conscription* number (číslo popisné, unique within a
cadastral part) and the *orientation* number (číslo orientační, running along the street),
written ``"1234/5"``. OpenStreetMap stores them as ``addr:housenumber=1234/5`` with
``addr:conscriptionnumber=1234`` and ``addr:streetnumber=5`` (or only some of these). An address
given with one number (``"Pionýrů 976"``) may mean either, so both are tried.

:class:`AddressIndex` is built once from the buildings and POIs of a loaded extract (plus street
names of the network) and answers :meth:`AddressIndex.match` without scanning frames.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import i18n

#: Street-name abbreviations expanded before comparing (folded form → folded form).
_ABBREVIATIONS: dict[str, str] = {"nam": "namesti", "tr": "trida", "ul": "", "ulice": ""}

_NON_WORD = re.compile(r"[^0-9a-z/]+")
# a house number: 1234, 1234/5, 12a, 1234/5b, or a range 1575-1580 / 1575–1580
_NUMBER = re.compile(r"(?<![\w/])(\d{1,5}[a-z]?)(?:\s*/\s*(\d{1,4}[a-z]?))?(?:\s*[-–]\s*(\d{1,5}))?(?![\w/])",
                     re.IGNORECASE)

MatchStatus = Literal["exact", "ambiguous", "street", "none"]


def fold(text: str) -> str:
    """Lower-case ASCII form without diacritics or punctuation (``"Pastýřská 12/3"`` → ``"pastyrska 12/3"``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NON_WORD.sub(" ", ascii_text).strip()


def street_key(street: str) -> str:
    """Comparable key of a street name: folded, abbreviations expanded, single spaces."""
    words = [_ABBREVIATIONS.get(w, w) for w in fold(street).replace("/", " ").split()]
    return " ".join(w for w in words if w)


@dataclass(frozen=True)
class Address:
    """A parsed address: street and house number(s)."""

    text: str
    street: str
    conscription: str | None = None  # "1234" in "1234/5", or the only number given
    orientation: str | None = None  # "5" in "1234/5"
    range_end: str | None = None  # "1580" in "1575–1580" (a run of conscription numbers)
    single_number: bool = False  # one number given: conscription or orientation

    @property
    def key(self) -> str:
        """The street key (see :func:`street_key`)."""
        return street_key(self.street)

    @property
    def has_number(self) -> bool:
        """True when a house number was given."""
        return self.conscription is not None


def _is_name(text: str) -> bool:
    return re.search(r"[a-z]", street_key(text)) is not None


def parse_address(text: str) -> Address | None:
    """Parse ``"U Tiskárny 81/1, Liberec V"`` → street ``"U Tiskárny"``, numbers 81 / 1.

    Only the part before the first comma is read; the last number in it is the house number.
    Returns ``None`` when no street name is left.
    """
    head = text.split(",")[0].strip()
    matches = list(_NUMBER.finditer(head))
    if not matches:
        street = head.strip(" .")
        return Address(text, street) if _is_name(street) else None
    m = matches[-1]
    street = head[: m.start()].strip(" .,")
    if not _is_name(street):  # the number belongs to the name ("28. října")
        return Address(text, head) if _is_name(head) else None
    first, second, end = m.group(1).lower(), m.group(2), m.group(3)
    if second:
        return Address(text, street, conscription=first, orientation=second.lower())
    if end:
        return Address(text, street, conscription=first, range_end=end)
    return Address(text, street, conscription=first, single_number=True)


class Reason(NamedTuple):
    """Why an address did not match exactly: a catalogue key (``address.*``) and its values."""

    key: str
    values: dict[str, Any]

    def text(self, lang: str | None = None) -> str:
        """The reason in ``lang`` (Czech by default)."""
        return i18n.text(self.key, lang, **self.values)


@dataclass
class AddressMatch:
    """Result of matching one address: status, the matched point(s) and what they came from;
    ``reason`` says why it is not an exact match (``None`` when it is)."""

    status: MatchStatus
    points: list[tuple[float, float]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    osm_ids: list[str] = field(default_factory=list)
    building_ids: list[str] = field(default_factory=list)
    reason: Reason | None = None

    @property
    def point(self) -> tuple[float, float] | None:
        """The mean of the matched points (lon, lat), or ``None``."""
        if not self.points:
            return None
        arr = np.asarray(self.points)
        return float(arr[:, 0].mean()), float(arr[:, 1].mean())


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    s = str(value).strip()
    return s or None


def _split_housenumber(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    m = re.fullmatch(r"\s*(\d{1,5}[a-z]?)\s*(?:/\s*(\d{1,4}[a-z]?))?\s*", value.lower())
    if not m:
        return None, None
    return m.group(1), m.group(2)


class AddressIndex:
    """Addresses of an extract (OSM buildings, address points, POIs) and its street names."""

    def __init__(self, features: gpd.GeoDataFrame, streets: gpd.GeoDataFrame | None = None,
                 buildings: gpd.GeoDataFrame | None = None) -> None:
        # street key → list of (conscription, orientation, housenumber, lon, lat, osm id)
        self._by_street: dict[str, list[tuple[str | None, str | None, str, float, float, str]]] = defaultdict(list)
        self._street_point: dict[str, tuple[float, float]] = {}
        self._street_name: dict[str, str] = {}
        self._buildings = buildings if buildings is not None and len(buildings) else None
        self._building_tree = shapely.STRtree(self._buildings.geometry.to_numpy()) if self._buildings is not None \
            else None
        self._add_features(features)
        if streets is not None and len(streets):
            self._add_streets(streets)

    # ------------------------------------------------------------------ building the index

    def _add_features(self, features: gpd.GeoDataFrame) -> None:
        if features is None or features.empty:
            return
        cols = {c: features[c] if c in features else pd.Series(None, index=features.index)
                for c in ("addr:street", "addr:place", "addr:housenumber", "addr:conscriptionnumber",
                          "addr:streetnumber", "osmid", "element")}
        has_street = cols["addr:street"].notna() | cols["addr:place"].notna()
        has_number = (cols["addr:housenumber"].notna() | cols["addr:conscriptionnumber"].notna()
                      | cols["addr:streetnumber"].notna())
        sub = features[has_street & has_number]
        if sub.empty:
            return
        points = sub.geometry.representative_point()
        for (idx, geom_pt) in zip(sub.index, points, strict=True):
            street = _text(cols["addr:street"][idx]) or _text(cols["addr:place"][idx])
            house = _text(cols["addr:housenumber"][idx])
            cons = _text(cols["addr:conscriptionnumber"][idx])
            orient = _text(cols["addr:streetnumber"][idx])
            h_cons, h_orient = _split_housenumber(house)
            if h_orient is not None:  # "1234/5" is unambiguous
                cons, orient = cons or h_cons, orient or h_orient
            elif h_cons is not None and cons is None and orient is None:
                cons = h_cons  # a bare number: most often the conscription number in Czechia
            if cons is None and orient is None:
                continue
            key = street_key(street or "")
            if not key:
                continue
            element = _text(cols["element"][idx]) or "feature"
            osm_id = f"{element}/{_text(cols['osmid'][idx])}"
            label = f"{street} {house or '/'.join(x for x in (cons, orient) if x)}"
            self._by_street[key].append((cons and cons.lower(), orient and orient.lower(), label,
                                         float(geom_pt.x), float(geom_pt.y), osm_id))
            self._street_name.setdefault(key, street or "")
        for key, rows in self._by_street.items():
            if key not in self._street_point:
                arr = np.array([(r[3], r[4]) for r in rows])
                centre = arr.mean(axis=0)
                nearest = arr[np.argmin(((arr - centre) ** 2).sum(axis=1))]
                self._street_point[key] = (float(nearest[0]), float(nearest[1]))

    def _add_streets(self, streets: gpd.GeoDataFrame) -> None:
        """A point on each named street: the middle of its piece nearest to the street's centre."""
        named = streets[streets["name"].notna()] if "name" in streets else streets.iloc[:0]
        if named.empty:
            return
        keys = named["name"].astype(str).map(street_key)
        mids = shapely.line_interpolate_point(named.geometry.to_numpy(), 0.5, normalized=True)
        xy = shapely.get_coordinates(mids)
        frame = pd.DataFrame({"key": keys.to_numpy(), "name": named["name"].astype(str).to_numpy(),
                              "x": xy[:, 0], "y": xy[:, 1]})
        for key, grp in frame.groupby("key", sort=False):
            if not key:
                continue
            cx, cy = grp["x"].mean(), grp["y"].mean()
            best = int(np.argmin((grp["x"] - cx) ** 2 + (grp["y"] - cy) ** 2))
            # a street in the network wins over the mean of its address points
            self._street_point[str(key)] = (float(grp["x"].iloc[best]), float(grp["y"].iloc[best]))
            self._street_name[str(key)] = str(grp["name"].iloc[0])

    # ------------------------------------------------------------------ queries

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_street.values())

    def streets(self) -> dict[str, str]:
        """Street key → a display name of every street known to the index."""
        return dict(self._street_name)

    def street_point(self, street: str) -> tuple[float, float] | None:
        """A representative point (lon, lat) on the street, or ``None`` when unknown."""
        return self._street_point.get(street_key(street))

    def entries(self) -> list[tuple[str, str, float, float, str]]:
        """Every indexed address as (label, street key, lon, lat, osm id)."""
        return [(r[2], key, r[3], r[4], r[5]) for key, rows in self._by_street.items() for r in rows]

    def match(self, address: str | Address, *, max_spread_m: float = 60.0) -> AddressMatch:
        """Match an address to OSM addresses of the same street.

        ``exact``: one place (candidates within ``max_spread_m`` of each other, or every number
        of a range found); ``ambiguous``: the number fits places far apart; ``street``: the street
        is known but not the number (or no number was given); ``none``: unknown street.
        """
        parsed = parse_address(address) if isinstance(address, str) else address
        if parsed is None:
            return AddressMatch("none", reason=Reason("address.no_street", {}))
        key = parsed.key
        rows = self._by_street.get(key, [])
        street_pt = self._street_point.get(key)
        unknown_street = Reason("address.street_not_found", {"street": parsed.street})
        if not parsed.has_number:
            if street_pt is None:
                return AddressMatch("none", reason=unknown_street)
            return AddressMatch("street", [street_pt], [self._street_name.get(key, parsed.street)],
                                reason=Reason("address.no_number", {}))
        hits = self._number_hits(parsed, rows)
        if not hits:
            if street_pt is None:
                return AddressMatch("none", reason=unknown_street)
            return AddressMatch("street", [street_pt], [self._street_name.get(key, parsed.street)],
                                reason=Reason("address.number_not_found",
                                              {"number": self._number_text(parsed), "street": parsed.street}))
        if parsed.range_end is None and self._spread_m(hits) > max_spread_m:
            return AddressMatch("ambiguous", [(h[3], h[4]) for h in hits], [h[2] for h in hits],
                                [h[5] for h in hits],
                                reason=Reason("address.ambiguous", {"number": self._number_text(parsed),
                                                                    "count": len(hits), "street": parsed.street}))
        result = AddressMatch("exact", [(h[3], h[4]) for h in hits], [h[2] for h in hits], [h[5] for h in hits])
        result.building_ids = self._buildings_at(result.points)
        if parsed.range_end is not None:
            wanted = self._range(parsed)
            found = {h[0] for h in hits}
            missing = [n for n in wanted if n not in found]
            if missing:
                result.status = "ambiguous"
                result.reason = Reason("address.range_incomplete", {"numbers": ", ".join(missing),
                                                                    "count": len(missing), "street": parsed.street})
        return result

    @staticmethod
    def _number_text(a: Address) -> str:
        if a.orientation:
            return f"{a.conscription}/{a.orientation}"
        if a.range_end:
            return f"{a.conscription}–{a.range_end}"
        return str(a.conscription)

    @staticmethod
    def _range(a: Address) -> list[str]:
        lo, hi = int(re.sub(r"\D", "", a.conscription or "0")), int(a.range_end or 0)
        return [str(n) for n in range(lo, hi + 1)] if 0 < hi - lo <= 50 else []

    def _number_hits(self, a: Address, rows: list) -> list:
        if a.range_end is not None:
            wanted = set(self._range(a))
            return [r for r in rows if r[0] in wanted]
        if a.orientation is not None:
            both = [r for r in rows if r[0] == a.conscription and r[1] == a.orientation]
            if both:
                return both
            cons = [r for r in rows if r[0] == a.conscription and r[1] is None]
            return cons or [r for r in rows if r[1] == a.orientation and r[0] is None]
        n = a.conscription
        by_cons = [r for r in rows if r[0] == n]
        return by_cons or [r for r in rows if r[1] == n]

    @staticmethod
    def _spread_m(hits: list) -> float:
        arr = np.array([(h[3], h[4]) for h in hits])
        if len(arr) < 2:
            return 0.0
        lat = np.radians(arr[:, 1].mean())
        dx = (arr[:, 0].max() - arr[:, 0].min()) * 111_320 * np.cos(lat)
        dy = (arr[:, 1].max() - arr[:, 1].min()) * 110_540
        return float(np.hypot(dx, dy))

    def _buildings_at(self, points: list[tuple[float, float]]) -> list[str]:
        if self._building_tree is None or not points:
            return []
        pts = shapely.points(np.asarray(points))
        pairs = self._building_tree.query(pts, predicate="within")
        b = self._buildings
        out: list[str] = []
        for j in pairs[1]:
            row = b.iloc[int(j)]
            ident = f"{_text(row.get('element')) or 'feature'}/{_text(row.get('osmid'))}"
            if ident not in out:
                out.append(ident)
        return out


def address_index(buildings: gpd.GeoDataFrame, pois: gpd.GeoDataFrame,
                  streets: gpd.GeoDataFrame | None = None) -> AddressIndex:
    """The address index of an extract: addresses on buildings and POIs, streets of the network."""
    frames = [f for f in (buildings, pois) if f is not None and len(f)]
    features = pd.concat(frames, ignore_index=True) if frames else gpd.GeoDataFrame(geometry=[])
    if len(frames) > 1 and "osmid" in features and "element" in features:
        features = features.drop_duplicates(subset=["element", "osmid"])
    features = gpd.GeoDataFrame(features, geometry="geometry", crs="EPSG:4326") if len(frames) else features
    return AddressIndex(features, streets, buildings)
