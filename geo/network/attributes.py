"""OSM tags → typed accessibility attributes with units and known/unknown flags.

Every parser is lenient: a value it cannot read becomes *unknown* (``NaN`` / ``None``), is counted
per tag in :class:`ParseReport` and logged — it never raises. Unknown is not "fine": each numeric
attribute has a ``*_known`` flag that routing uses to count unverified length.

Kerb mapping (as OpenRouteService maps kerb types): ``flush``/``no`` 0 cm, ``lowered`` 3 cm,
``rolled`` 6 cm, ``raised`` 15 cm; ``kerb:height`` ("5 cm", "0.05", "5") wins when it parses;
numbers below 1 without a unit are metres (the OSM default), numbers from 1 up are centimetres.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- vocabularies

#: Surface classes, in order of their integer code.
SURFACE_CLASSES: tuple[str, ...] = ("unknown", "paved_smooth", "paved_rough", "unpaved_compact", "unpaved_loose")

_SURFACE_TO_CLASS: dict[str, str] = {
    **dict.fromkeys(
        ["asphalt", "concrete", "concrete:plates", "paving_stones", "paved", "metal", "wood", "rubber",
         "tartan", "acrylic", "carpet", "plastic", "tiles", "metal_grid", "chipseal"],
        "paved_smooth",
    ),
    **dict.fromkeys(
        ["sett", "cobblestone", "cobblestone:flattened", "unhewn_cobblestone", "bricks", "brick",
         "concrete:lanes", "paving_stones:lanes", "stone"],
        "paved_rough",
    ),
    **dict.fromkeys(
        ["compacted", "fine_gravel", "unpaved", "clay", "artificial_turf"], "unpaved_compact"
    ),
    **dict.fromkeys(
        ["gravel", "pebblestone", "sand", "grass", "mud", "dirt", "earth", "ground", "woodchips",
         "rock", "rocks", "snow", "ice", "salt", "grass_paver", "stepping_stones", "shells"],
        "unpaved_loose",
    ),
}
#: Surface values of the ``unpaved_loose`` class (gravel, sand, grass …).
LOOSE_SURFACES: frozenset[str] = frozenset(v for v, c in _SURFACE_TO_CLASS.items() if c == "unpaved_loose")
#: Every surface value we recognise; an edge stores the index into this tuple (0 = unknown).
SURFACE_VALUES: tuple[str, ...] = ("unknown", *sorted(_SURFACE_TO_CLASS))
SURFACE_CODE: dict[str, int] = {s: i for i, s in enumerate(SURFACE_VALUES)}
#: Surface class code of each surface value code.
SURFACE_CLASS_OF_VALUE = np.array(
    [0] + [SURFACE_CLASSES.index(_SURFACE_TO_CLASS[s]) for s in SURFACE_VALUES[1:]], dtype=np.int8
)

#: ``smoothness`` values in order, code 0 … 7 (−1 = unknown).
SMOOTHNESS: tuple[str, ...] = (
    "excellent", "good", "intermediate", "bad", "very_bad", "horrible", "very_horrible", "impassable",
)

#: ``wheelchair`` codes.
WHEELCHAIR_CODES: dict[str, int] = {"unknown": -1, "no": 0, "limited": 1, "yes": 2}
_WHEELCHAIR_VALUES = {"yes": 2, "designated": 2, "limited": 1, "no": 0}

#: Barrier node classes: 0 none, 1 passable, 2 restrictive (narrow / awkward), 3 blocks wheels
#: (wheelchairs and prams), 4 blocks everyone.
BARRIER_CLASS: dict[str, int] = {
    **dict.fromkeys(
        ["bollard", "gate", "lift_gate", "swing_gate", "entrance", "border_control", "toll_booth",
         "chain", "rope", "height_restrictor", "sump_buster", "bump_gate", "sliding_gate", "kerb",
         "block", "planter", "barrier_board", "hampshire_gate", "spikes"],
        1,
    ),
    **dict.fromkeys(["cycle_barrier", "motorcycle_barrier", "bus_trap", "jersey_barrier"], 2),
    **dict.fromkeys(
        ["stile", "kissing_gate", "turnstile", "full-height_turnstile", "step", "log", "debris",
         "horse_stile", "yes"],
        3,
    ),
    **dict.fromkeys(["wall", "fence", "hedge", "retaining_wall", "city_wall", "guard_rail"], 4),
}

KERB_TYPE_CM: dict[str, float] = {"flush": 0.0, "no": 0.0, "lowered": 3.0, "rolled": 6.0, "raised": 15.0}

_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"


# --------------------------------------------------------------------------- parse report


@dataclass
class ParseReport:
    """How many values of each tag could not be read, with a few examples."""

    unparsed: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, tag: str, value: str, count: int) -> None:
        """Record ``count`` occurrences of an unreadable ``value`` of ``tag``."""
        self.unparsed[tag] += count
        ex = self.examples.setdefault(tag, [])
        if len(ex) < 3 and value not in ex:
            ex.append(value)

    def log(self) -> None:
        """One log line per tag with unparsed values."""
        for tag, n in sorted(self.unparsed.items()):
            log.warning("unparsed %s values: %d (e.g. %s)", tag, n, ", ".join(map(repr, self.examples[tag])))

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return {tag: {"count": n, "examples": self.examples.get(tag, [])} for tag, n in self.unparsed.items()}


_SENTINEL = object()


def _map_unique(
    values: pd.Series, parse: Callable[[str], Any], tag: str, report: ParseReport, *, bad: Any = _SENTINEL
) -> pd.Series:
    """Apply ``parse`` once per distinct value; values it returns ``bad`` for are reported."""
    text = values.astype(object).where(values.notna(), None)
    counts = text.value_counts(dropna=True)
    table: dict[Hashable, Any] = {}
    for raw, n in counts.items():
        parsed = parse(str(raw))
        is_bad = (parsed is None or (isinstance(parsed, float) and math.isnan(parsed))) if bad is _SENTINEL \
            else parsed == bad
        if is_bad:
            report.add(tag, str(raw), int(n))
        table[raw] = parsed
    return text.map(table)


# --------------------------------------------------------------------------- single-value parsers


def _first(value: str) -> str:
    return value.split(";")[0].strip().lower()


def parse_surface(value: str) -> str | None:
    """Normalised surface value from :data:`SURFACE_VALUES`, or ``None``."""
    v = _first(value).replace(" ", "_")
    if v in _SURFACE_TO_CLASS:
        return v
    base = v.split(":")[0]
    return base if base in _SURFACE_TO_CLASS else None


def parse_smoothness(value: str) -> float:
    """Smoothness code 0 (excellent) … 7 (impassable); NaN when unreadable."""
    v = _first(value).replace(" ", "_").replace("-", "_")
    return float(SMOOTHNESS.index(v)) if v in SMOOTHNESS else math.nan


def parse_incline(value: str) -> tuple[float, float]:
    """``(incline_pct, sign)`` in the way's direction.

    ``"5%"``, ``"-10 %"``, ``"5"`` → percent; ``"10°"`` → tan; ``"1:12"`` → 8.33 %;
    ``"up"`` / ``"down"`` → sign only (pct NaN); anything else → (NaN, NaN).
    """
    v = _first(value).replace(" ", "")
    if v in ("up", "down"):
        return math.nan, 1.0 if v == "up" else -1.0
    m = re.fullmatch(rf"({_NUMBER})(%|°|deg|degrees?)?", v)
    if m:
        num = float(m.group(1).replace(",", "."))
        if m.group(2) and m.group(2) != "%":
            if abs(num) >= 90:
                return math.nan, math.nan
            num = math.tan(math.radians(num)) * 100.0
        if abs(num) > 200:
            return math.nan, math.nan
        return num, float(np.sign(num))
    m = re.fullmatch(r"(-?)1:(\d+(?:\.\d+)?)", v)
    if m and float(m.group(2)) > 0:
        pct = 100.0 / float(m.group(2))
        return (-pct if m.group(1) else pct), (-1.0 if m.group(1) else 1.0)
    return math.nan, math.nan


_LENGTH_UNITS = {"": 1.0, "m": 1.0, "cm": 0.01, "mm": 0.001, "km": 1000.0, "ft": 0.3048, "'": 0.3048,
                 "in": 0.0254, '"': 0.0254}


def parse_length_m(value: str) -> float:
    """A width/length in metres: ``"2"``, ``"2 m"``, ``"1,5"``, ``"150 cm"``, ``"2'6\\""``.

    Several values (``"2 m;3"``) or a range (``"1-2"``) give the smallest — the pinch point.
    """
    parts = re.split(r"[;]|(?<=\d)\s*-\s*(?=\d)", value.strip().lower())
    found: list[float] = []
    for part in parts:
        p = part.strip()
        feet = re.fullmatch(r"(\d+(?:\.\d+)?)'\s*(\d+(?:\.\d+)?)\"?", p)
        if feet:
            found.append(float(feet.group(1)) * 0.3048 + float(feet.group(2)) * 0.0254)
            continue
        m = re.fullmatch(rf"({_NUMBER})\s*(m|cm|mm|km|ft|'|in|\")?\.?", p)
        if m:
            found.append(float(m.group(1).replace(",", ".")) * _LENGTH_UNITS[m.group(2) or ""])
    found = [f for f in found if 0 < f < 100]
    return min(found) if found else math.nan


def parse_kerb_height_cm(value: str) -> float:
    """``kerb:height`` in centimetres: ``"5 cm"``, ``"0.05"`` (metres), ``"5"`` (cm) → 5."""
    v = _first(value).replace(",", ".")
    m = re.fullmatch(rf"({_NUMBER})\s*(m|cm|mm|in|\")?", v)
    if not m:
        return math.nan
    num = float(m.group(1))
    unit = m.group(2)
    if unit == "m" or (unit is None and num < 1):
        cm = num * 100
    elif unit == "mm":
        cm = num / 10
    elif unit in ("in", '"'):
        cm = num * 2.54
    else:
        cm = num
    return cm if 0 <= cm <= 100 else math.nan


def parse_kerb_type_cm(value: str) -> float:
    """``kerb`` type → height in cm (flush 0, lowered 3, rolled 6, raised 15); NaN otherwise."""
    return KERB_TYPE_CM.get(_first(value), math.nan)


def parse_count(value: str) -> float:
    """A positive count (``step_count``); a range or list gives the largest number."""
    nums = [int(n) for n in re.findall(r"\d+", value)] if re.fullmatch(r"[\d\s;,\-–]+", value.strip()) else []
    nums = [n for n in nums if 0 < n < 10000]
    return float(max(nums)) if nums else math.nan


def parse_yes_no(value: str) -> float:
    """1.0 for yes-like, 0.0 for no-like values, NaN otherwise."""
    v = _first(value)
    if v in ("yes", "designated", "true", "1", "24/7", "automatic", "both", "left", "right", "center",
             "limited", "interval", "sunset-sunrise"):
        return 1.0
    if v in ("no", "false", "0", "separate", "disused", "none"):
        return 0.0
    return math.nan


def parse_wheelchair(value: str) -> float:
    """``wheelchair`` → 2 yes, 1 limited, 0 no, NaN unknown."""
    code = _WHEELCHAIR_VALUES.get(_first(value))
    return math.nan if code is None else float(code)


# --------------------------------------------------------------------------- frame-level stages


def _text(frame: pd.DataFrame, key: str) -> pd.Series:
    if key in frame:
        return frame[key]
    return pd.Series(None, index=frame.index, dtype=object)


def way_attributes(segments: gpd.GeoDataFrame, report: ParseReport | None = None) -> gpd.GeoDataFrame:
    """Add typed accessibility columns to network segments (direction = the way's direction).

    Adds ``surface``, ``surface_code``, ``surface_class``, ``surface_known``, ``smoothness``,
    ``incline_pct`` (signed, NaN unknown), ``incline_sign``, ``incline_known``, ``width_m``,
    ``width_known``, ``is_steps``, ``step_count``, ``ramp_wheelchair``, ``ramp_stroller``,
    ``ramp_known``, ``is_elevator``, ``is_crossing``, ``wheelchair``, ``way_kerb_cm``,
    ``lit``, ``handrail``, ``tactile_paving``, ``bridge``, ``tunnel``, ``on_surface`` (:func:`on_surface`).
    """
    report = report if report is not None else ParseReport()
    if "osm_way_id" in segments and segments["osm_way_id"].duplicated().any():
        # tags live on ways: type each way once (and count unparsed values per way), then join
        ways = pd.DataFrame(segments.drop(columns=segments.geometry.name)).drop_duplicates("osm_way_id")
        typed = way_attributes(ways.assign(geometry=None).pipe(gpd.GeoDataFrame), report)
        raw = set(ways.columns)
        typed_cols = [c for c in typed.columns if c not in raw or not typed[c].equals(ways[c])]
        base = segments.drop(columns=[c for c in typed_cols if c in segments.columns])
        return base.join(typed.set_index("osm_way_id")[typed_cols], on="osm_way_id")
    out = segments.copy()
    highway = _text(out, "highway").astype(object).fillna("").str.lower()

    surface = _map_unique(_text(out, "surface"), parse_surface, "surface", report)
    out["surface"] = surface.astype(object).where(surface.notna(), "unknown").astype(str)
    out["surface_code"] = out["surface"].map(SURFACE_CODE).fillna(0).astype(np.int8)
    out["surface_class"] = out["surface"].map(_SURFACE_TO_CLASS).fillna("unknown").astype(str)
    out["surface_known"] = out["surface_code"] > 0

    out["smoothness"] = _map_unique(_text(out, "smoothness"), parse_smoothness, "smoothness", report) \
        .astype(float).fillna(-1).astype(np.int8)

    incline = _map_unique(_text(out, "incline"), parse_incline, "incline", report, bad=(math.nan, math.nan))
    pairs = incline.map(lambda t: t if isinstance(t, tuple) else (math.nan, math.nan))
    out["incline_pct"] = pairs.map(lambda t: t[0]).astype(float)
    out["incline_sign"] = pairs.map(lambda t: t[1]).astype(float)
    out["incline_known"] = out["incline_pct"].notna()
    out["incline_source"] = np.where(out["incline_known"], "osm", "")
    # steepest uphill / downhill along the way direction, in percent (≥ 0; NaN unknown)
    out["up_pct"] = out["incline_pct"].clip(lower=0)
    out["down_pct"] = (-out["incline_pct"]).clip(lower=0)

    width = _map_unique(_text(out, "width"), parse_length_m, "width", report).astype(float)
    est = _map_unique(_text(out, "est_width"), parse_length_m, "est_width", report).astype(float)
    out["width_m"] = width.fillna(est)
    out["width_known"] = out["width_m"].notna()

    out["is_steps"] = highway.eq("steps").to_numpy()
    out["step_count"] = _map_unique(_text(out, "step_count"), parse_count, "step_count", report).astype(float)
    ramp_wc = _map_unique(_text(out, "ramp:wheelchair"), parse_yes_no, "ramp:wheelchair", report).astype(float)
    ramp_st = _map_unique(_text(out, "ramp:stroller"), parse_yes_no, "ramp:stroller", report).astype(float)
    ramp_any = _map_unique(_text(out, "ramp"), parse_yes_no, "ramp", report).astype(float)
    out["ramp_wheelchair"] = ramp_wc.eq(1.0).to_numpy()
    # a wheelchair ramp also carries a pram
    out["ramp_stroller"] = (ramp_st.eq(1.0) | ramp_wc.eq(1.0)).to_numpy()
    out["ramp_known"] = (ramp_wc.notna() | ramp_st.notna() | ramp_any.eq(0.0)).to_numpy()
    out["ramp_any"] = (ramp_any.eq(1.0) | ramp_wc.eq(1.0) | ramp_st.eq(1.0)).to_numpy()

    out["is_elevator"] = highway.eq("elevator").to_numpy()
    crossing_way = _text(out, "footway").astype(object).fillna("").str.lower().eq("crossing")
    out["is_crossing"] = (crossing_way | highway.eq("crossing")).to_numpy()
    out["wheelchair"] = _map_unique(_text(out, "wheelchair"), parse_wheelchair, "wheelchair", report) \
        .astype(float).fillna(-1).astype(np.int8)

    kerb_h = _map_unique(_text(out, "kerb:height"), parse_kerb_height_cm, "kerb:height", report).astype(float)
    kerb_t = _map_unique(_text(out, "kerb"), parse_kerb_type_cm, "kerb", report).astype(float)
    out["way_kerb_cm"] = kerb_h.fillna(kerb_t)

    for key, col in (("lit", "lit"), ("handrail", "handrail"), ("tactile_paving", "tactile_paving")):
        out[col] = _text(out, key).map(lambda v: parse_yes_no(v) if isinstance(v, str) else math.nan)
    # bridge=yes/viaduct/boardwalk …, tunnel=yes/culvert …; a building passage stays on the ground
    for key in ("bridge", "tunnel"):
        out[key] = _text(out, key).map(
            lambda v: isinstance(v, str) and v.strip().lower() not in ("no", "building_passage")
        ).astype(bool)
    out["on_surface"] = on_surface(out, highway)
    log.info(
        "attributes: %d segments; known surface %.0f %%, incline %.0f %%, width %.0f %%",
        len(out), 100 * out["surface_known"].mean() if len(out) else 0,
        100 * out["incline_known"].mean() if len(out) else 0,
        100 * out["width_known"].mean() if len(out) else 0,
    )
    return out


def _levels(value: Any) -> float:
    """1 when a ``level`` / ``layer`` value includes the ground (0 or nothing readable), else 0."""
    if not isinstance(value, str):
        return 1.0
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", value)]
    return 1.0 if not numbers or 0.0 in numbers else 0.0


def on_surface(ways: pd.DataFrame, highway: pd.Series) -> np.ndarray:
    """Whether each way is on the ground, where a point picked on the map lies: not a tunnel, not indoors
    (``indoor=*`` other than ``no``, ``highway=corridor``), not on another level (``level`` without 0) and
    not on a layer below the ground (``layer`` < 0) or above it without being a bridge."""
    indoor = _text(ways, "indoor").astype(object).fillna("no").astype(str).str.strip().str.lower().ne("no")
    layer = pd.to_numeric(_text(ways, "layer").astype(object).map(
        lambda v: v.split(";")[0].strip() if isinstance(v, str) else None), errors="coerce").fillna(0.0)
    level_ok = _text(ways, "level").map(_levels).astype(float).eq(1.0)
    off = (ways["tunnel"].to_numpy(bool) | indoor.to_numpy() | highway.eq("corridor").to_numpy()
           | ~level_ok.to_numpy() | (layer < 0).to_numpy() | ((layer > 0).to_numpy() & ~ways["bridge"].to_numpy(bool)))
    return ~off


def node_attributes(nodes: gpd.GeoDataFrame, report: ParseReport | None = None) -> gpd.GeoDataFrame:
    """Add ``kerb_cm`` (NaN = no kerb information), ``kerb_known``, ``kerb_tagged``, ``barrier_class``,
    ``is_crossing_node``, ``is_elevator_node`` and ``node_wheelchair`` to network nodes."""
    report = report if report is not None else ParseReport()
    out = nodes.copy()
    kerb_h = _map_unique(_text(out, "kerb:height"), parse_kerb_height_cm, "kerb:height", report).astype(float)
    kerb_t = _map_unique(_text(out, "kerb"), parse_kerb_type_cm, "kerb", report).astype(float)
    out["kerb_cm"] = kerb_h.fillna(kerb_t)
    out["kerb_known"] = out["kerb_cm"].notna()
    barrier = _text(out, "barrier").astype(object).fillna("").str.lower().str.split(";").str[0]
    # a kerb is there (height maybe unknown): kerb=*, kerb:height=* or barrier=kerb
    out["kerb_tagged"] = (
        _text(out, "kerb").notna() | _text(out, "kerb:height").notna() | barrier.eq("kerb")
    ).to_numpy()
    out["barrier_class"] = barrier.map(BARRIER_CLASS).fillna(0).astype(np.int8)
    unknown_barrier = barrier.ne("") & out["barrier_class"].eq(0)
    for value, n in barrier[unknown_barrier].value_counts().items():
        report.add("barrier", str(value), int(n))
    out.loc[unknown_barrier, "barrier_class"] = 2  # an unknown barrier type is treated as restrictive
    # a barrier=kerb node is described by its kerb tags, not as a barrier
    out.loc[barrier.eq("kerb"), "barrier_class"] = 0
    highway = _text(out, "highway").astype(object).fillna("").str.lower()
    out["is_crossing_node"] = (highway.eq("crossing") | _text(out, "crossing").notna()).to_numpy()
    out["is_elevator_node"] = highway.eq("elevator").to_numpy()
    out["node_wheelchair"] = _map_unique(_text(out, "wheelchair"), parse_wheelchair, "wheelchair", report) \
        .astype(float).fillna(-1).astype(np.int8)
    wc_no = out["node_wheelchair"].eq(0) & out["barrier_class"].between(1, 2)
    out.loc[wc_no, "barrier_class"] = 3
    return out
