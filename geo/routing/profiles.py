"""Routing profiles as data, and one pure vectorised cost function over the directed edge arrays.

Defaults (``docs/profiles.md``): AccessMap speeds and incline limits, OpenRouteService kerb
heights, the Czech barrier-free rules (vyhláška 398/2009 Sb. / 146/2024 Sb.: 8.33 % longitudinal
slope, 0.9 m at pinch points). Cost is seconds: ``length / speed`` times factors that are all
≥ 1 (surface, smoothness, climbing, unknown attributes), plus fixed penalties (kerbs, crossings,
lifts, barriers). ``inf`` means impassable. Because every factor is ≥ 1, a route never costs less
than ``length / speed`` — the router relies on that bound to prune its search.
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import numpy as np

from geo.errors import BadRequestError, UnknownProfileError
from geo.network.attributes import LOOSE_SURFACES, SMOOTHNESS, SURFACE_CLASSES, SURFACE_VALUES
from geo.network.model import EdgeArrays

StepsRule = Literal["ramp_wheelchair", "ramp_stroller", "allowed"]

_LOOSE = LOOSE_SURFACES


@dataclass(frozen=True)
class Limit:
    """A numeric limit a request may override: the profile field (also the request parameter), the
    directed-edge attribute it is checked against, and the no-route reason it gives."""

    field: str
    attribute: str
    reason: str
    #: ``max``: edges above the limit are blocked; ``min``: edges below it
    bound: Literal["max", "min"]
    lo: float
    hi: float
    #: decimals a suggested relaxation is rounded to (outwards, so it lets the edge pass)
    digits: int
    unit: str

    def blocked(self, e: EdgeArrays, value: float) -> np.ndarray:
        """Edges this limit closes at ``value`` (unknown values never close an edge)."""
        x = getattr(e, self.attribute)
        with np.errstate(invalid="ignore"):
            return x > value if self.bound == "max" else x < value

    def needed(self, e: EdgeArrays, mask: np.ndarray) -> float:
        """The limit value that would open every edge of ``mask``, rounded outwards."""
        x = getattr(e, self.attribute)[mask]
        scale = 10.0 ** self.digits
        if self.bound == "max":
            return math.ceil(float(np.nanmax(x)) * scale) / scale
        return math.floor(float(np.nanmin(x)) * scale) / scale

    @property
    def unrestricted(self) -> float:
        """The value that closes nothing."""
        return math.inf if self.bound == "max" else 0.0

    def allows(self, value: float) -> bool:
        """Whether a request may ask for ``value``."""
        return self.lo <= value <= self.hi


@dataclass(frozen=True)
class Switch:
    """A yes/no request option that can close edges, the reason it gives and the value that relaxes it."""

    request: str
    reason: str
    relaxed: bool


#: The per-request numeric limits (their order is the order of reasons and relaxations).
LIMITS: tuple[Limit, ...] = (
    Limit("max_uphill_pct", "up_pct", "uphill", "max", 0.0, 100.0, 1, "%"),
    Limit("max_downhill_pct", "down_pct", "downhill", "max", 0.0, 100.0, 1, "%"),
    Limit("max_kerb_cm", "kerb_cm", "kerb", "max", 0.0, 100.0, 0, "cm"),
    Limit("min_width_m", "width_m", "width", "min", 0.0, 10.0, 2, "m"),
)
#: The per-request switches.
SWITCHES: tuple[Switch, ...] = (Switch("allow_steps", "steps", True), Switch("avoid_unknown", "unknown", False))
#: Reasons a profile itself closes an edge for (no request option opens them).
PROFILE_REASONS: tuple[str, ...] = ("surface", "barrier", "wheelchair_no")
#: Limits a request may override, with their allowed ranges.
LIMIT_RANGES: dict[str, tuple[float, float]] = {lim.field: (lim.lo, lim.hi) for lim in LIMITS}


@dataclass(frozen=True)
class Profile:
    """How one kind of traveller moves: speed, hard limits and penalties."""

    name: str
    speed_mps: float
    max_uphill_pct: float
    max_downhill_pct: float
    max_kerb_cm: float
    min_width_m: float
    steps: StepsRule
    blocked_surfaces: frozenset[str]
    #: time factor per surface class, in the order of :data:`geo.network.attributes.SURFACE_CLASSES`
    surface_factor: tuple[float, ...]
    #: worst passable smoothness code (0 excellent … 7 impassable)
    max_smoothness: int
    #: time factor for smoothness "bad", compounded for every step worse
    bad_smoothness_factor: float = 1.3
    #: extra time per percent of climb / descent (factor 1 + k × pct)
    uphill_per_pct: float = 0.0
    downhill_per_pct: float = 0.0
    #: highest passable barrier class (see geo.network.attributes.BARRIER_CLASS)
    max_barrier_class: int = 3
    blocked_by_wheelchair_no: bool = False
    #: the ramp the vehicle rolls on (it stays when a request allows steps)
    vehicle_ramp: Literal["ramp_wheelchair", "ramp_stroller"] | None = None
    #: time factor on steps the traveller cannot roll up (those without the vehicle's ramp)
    steps_factor: float = 1.0
    unknown_factor: float = 0.05
    avoid_unknown: bool = False
    kerb_penalty_s_per_cm: float = 0.0
    crossing_penalty_s: float = 5.0
    elevator_penalty_s: float = 30.0
    barrier_penalty_s: float = 5.0

    def with_limits(self, **limits: Any) -> Profile:
        """A copy with per-request limits (``max_uphill_pct``, ``max_downhill_pct``, ``max_kerb_cm``,
        ``min_width_m``, ``avoid_unknown``, ``allow_steps``); raises :class:`BadRequestError`."""
        changes: dict[str, Any] = {}
        for key, value in limits.items():
            if value is None:
                continue
            if key in LIMIT_RANGES:
                lo, hi = LIMIT_RANGES[key]
                try:
                    v = float(value)
                except (TypeError, ValueError):
                    v = math.nan
                if math.isnan(v) or not (lo <= v <= hi):
                    raise BadRequestError("request.out_of_range", field=key, min=lo, max=hi, value=str(value))
                changes[key] = v
            elif key == "avoid_unknown":
                changes[key] = bool(value)
            elif key == "allow_steps":
                if bool(value):
                    changes["steps"] = "allowed"
                    changes["steps_factor"] = max(self.steps_factor, 3.0)
            else:
                raise BadRequestError("route.unknown_limit", field=key)
        return replace(self, **changes) if changes else self

    def unrestricted(self) -> Profile:
        """The same traveller with nothing closed: no limits, steps allowed, every surface and barrier
        passable (the costs stay, so the cheapest such route is the one a relaxation would open)."""
        return replace(
            self, **{lim.field: lim.unrestricted for lim in LIMITS}, steps="allowed", avoid_unknown=False,
            blocked_surfaces=frozenset(), max_smoothness=len(SMOOTHNESS) - 1, max_barrier_class=4,
            blocked_by_wheelchair_no=False, name=self.name + ":unrestricted",
        )

    def base_key(self) -> tuple[Any, ...]:
        """Everything :func:`base_cost_s` depends on: the profile minus its limit values."""
        return _base_key(self)

    def to_dict(self) -> dict[str, Any]:
        """Public description (JSON)."""
        d = asdict(self)
        d["blocked_surfaces"] = sorted(self.blocked_surfaces)
        d["surface_factor"] = dict(zip(SURFACE_CLASSES, self.surface_factor, strict=True))
        d["max_smoothness"] = SMOOTHNESS[self.max_smoothness]
        for k in ("max_uphill_pct", "max_downhill_pct", "max_kerb_cm"):
            if math.isinf(d[k]):
                d[k] = None
        return d


@functools.lru_cache(maxsize=256)
def _base_key(profile: Profile) -> tuple[Any, ...]:
    d = asdict(profile)
    for key in (*LIMIT_RANGES, "avoid_unknown", "steps"):
        d.pop(key)
    limited = (math.isfinite(profile.max_uphill_pct) or math.isfinite(profile.max_downhill_pct),
               profile.min_width_m > 0, math.isfinite(profile.max_kerb_cm))
    return (*(tuple(sorted(v)) if isinstance(v, (set, frozenset)) else v for v in d.values()), limited)


def _factors(**by_class: float) -> tuple[float, ...]:
    return tuple(by_class.get(c, 1.0) for c in SURFACE_CLASSES)


PROFILES: dict[str, Profile] = {
    "manual_wheelchair": Profile(
        name="manual_wheelchair",
        speed_mps=0.8, max_uphill_pct=8.33, max_downhill_pct=10.0, max_kerb_cm=3.0, min_width_m=0.9,
        steps="ramp_wheelchair", vehicle_ramp="ramp_wheelchair", blocked_surfaces=_LOOSE | {"unhewn_cobblestone"},
        surface_factor=_factors(paved_rough=1.5, unpaved_compact=1.3),
        max_smoothness=SMOOTHNESS.index("bad"), uphill_per_pct=0.10, downhill_per_pct=0.03,
        max_barrier_class=1, blocked_by_wheelchair_no=True, kerb_penalty_s_per_cm=3.0,
    ),
    "electric_wheelchair": Profile(
        name="electric_wheelchair",
        speed_mps=1.5, max_uphill_pct=12.0, max_downhill_pct=12.0, max_kerb_cm=6.0, min_width_m=0.9,
        steps="ramp_wheelchair", vehicle_ramp="ramp_wheelchair", blocked_surfaces=_LOOSE | {"unhewn_cobblestone"},
        surface_factor=_factors(paved_rough=1.2, unpaved_compact=1.1),
        max_smoothness=SMOOTHNESS.index("bad"), uphill_per_pct=0.03, downhill_per_pct=0.02,
        max_barrier_class=1, blocked_by_wheelchair_no=True, kerb_penalty_s_per_cm=2.0,
    ),
    "pram": Profile(
        name="pram",
        speed_mps=1.1, max_uphill_pct=12.0, max_downhill_pct=12.0, max_kerb_cm=10.0, min_width_m=0.7,
        steps="ramp_stroller", vehicle_ramp="ramp_stroller",
        blocked_surfaces=frozenset({"sand", "mud", "rock", "rocks", "stepping_stones"}),
        surface_factor=_factors(paved_rough=1.15, unpaved_compact=1.1, unpaved_loose=1.4),
        max_smoothness=SMOOTHNESS.index("very_bad"), uphill_per_pct=0.05, downhill_per_pct=0.02,
        max_barrier_class=2, kerb_penalty_s_per_cm=1.0,
    ),
    "walking": Profile(
        name="walking",
        speed_mps=1.3, max_uphill_pct=math.inf, max_downhill_pct=math.inf, max_kerb_cm=math.inf, min_width_m=0.0,
        steps="allowed", blocked_surfaces=frozenset(), surface_factor=_factors(unpaved_loose=1.1),
        max_smoothness=SMOOTHNESS.index("very_horrible"), uphill_per_pct=0.03, steps_factor=1.5,
        max_barrier_class=3, unknown_factor=0.0,
    ),
}


def get_profile(name: str | None) -> Profile:
    """A profile by name; raises :class:`UnknownProfileError` listing the valid names."""
    if name is None or name not in PROFILES:
        raise UnknownProfileError("route.unknown_profile", field="profile", value=str(name),
                                  choices=", ".join(PROFILES))
    return PROFILES[name]


# --------------------------------------------------------------------------- cost


def _surface_blocked_lut(p: Profile) -> np.ndarray:
    return np.array([v in p.blocked_surfaces for v in SURFACE_VALUES], dtype=bool)


def blocked_reasons(e: EdgeArrays, p: Profile) -> dict[str, np.ndarray]:
    """Per reason, which directed edges the profile cannot pass (the union is the impassable set)."""
    return {**_limit_reasons(e, p), **_profile_reasons(e, p)}


def _limit_reasons(e: EdgeArrays, p: Profile) -> dict[str, np.ndarray]:
    with np.errstate(invalid="ignore"):
        steps_ok = (
            np.ones(len(e), bool) if p.steps == "allowed"
            else e.ramp_wheelchair if p.steps == "ramp_wheelchair" else e.ramp_stroller
        )
        reasons = {"steps": e.is_steps & ~steps_ok}
        reasons.update({lim.reason: lim.blocked(e, getattr(p, lim.field)) for lim in LIMITS})
        if p.avoid_unknown:
            reasons["unknown"] = unknown_count(e, p) > 0
    return reasons


def _profile_reasons(e: EdgeArrays, p: Profile) -> dict[str, np.ndarray]:
    return {
        "surface": _surface_blocked_lut(p)[e.surface_code] | (e.smoothness > p.max_smoothness),
        "barrier": e.barrier_class > p.max_barrier_class,
        "wheelchair_no": (e.wheelchair == 0) if p.blocked_by_wheelchair_no else np.zeros(len(e), bool),
    }


def limit_blocked(e: EdgeArrays, p: Profile) -> np.ndarray:
    """Edges closed by the profile's limits (steps, incline, kerb, width, unknown)."""
    out = np.zeros(len(e), bool)
    for mask in _limit_reasons(e, p).values():
        out |= mask
    return out


def unknown_count(e: EdgeArrays, p: Profile) -> np.ndarray:
    """How many of incline, surface, width, kerb are unknown on each directed edge (those the profile limits)."""
    n = (~e.surface_known).astype(np.int8)
    if math.isfinite(p.max_uphill_pct) or math.isfinite(p.max_downhill_pct):
        n += ~e.incline_known
    if p.min_width_m > 0:
        n += ~e.width_known
    if math.isfinite(p.max_kerb_cm):
        n += ~e.kerb_known
    return n


def _ramp_for(p: Profile, e: EdgeArrays) -> np.ndarray:
    """Steps with the ramp the profile's vehicle needs (none for walking)."""
    if p.vehicle_ramp == "ramp_stroller":
        return e.ramp_stroller
    if p.vehicle_ramp == "ramp_wheelchair":
        return e.ramp_wheelchair
    return np.zeros(len(e), bool)


def base_cost_s(e: EdgeArrays, p: Profile) -> np.ndarray:
    """Seconds per directed edge before the per-request limits; ``inf`` where the profile itself
    cannot pass (surface, barrier, ``wheelchair=no``). Depends only on :meth:`Profile.base_key`."""
    with np.errstate(invalid="ignore"):
        factor = np.asarray(p.surface_factor, dtype=np.float64)[e.surface_class]
        # each step of smoothness from "bad" on costs another bad_smoothness_factor
        steps_worse = np.clip(e.smoothness.astype(np.int16) - SMOOTHNESS.index("bad") + 1, 0, None)
        factor = factor * np.power(p.bad_smoothness_factor, steps_worse)
        factor *= 1.0 + p.uphill_per_pct * np.nan_to_num(e.up_pct, nan=0.0)
        factor *= 1.0 + p.downhill_per_pct * np.nan_to_num(e.down_pct, nan=0.0)
        factor *= 1.0 + p.unknown_factor * unknown_count(e, p)
        if p.steps_factor != 1.0:
            rolled = _ramp_for(p, e)  # a usable ramp: no extra effort
            factor = np.where(e.is_steps & ~rolled, factor * p.steps_factor, factor)
        seconds = e.length_m / p.speed_mps * factor
        seconds += p.kerb_penalty_s_per_cm * np.nan_to_num(e.kerb_cm, nan=0.0)
        seconds += p.crossing_penalty_s * e.is_crossing
        seconds += p.elevator_penalty_s * e.is_elevator
        seconds += p.barrier_penalty_s * (e.barrier_class > 0)
    blocked = np.zeros(len(e), bool)
    for mask in _profile_reasons(e, p).values():
        blocked |= mask
    return np.where(blocked, np.inf, seconds)


def edge_cost_s(e: EdgeArrays, p: Profile) -> np.ndarray:
    """Seconds to traverse each directed edge for profile ``p``; ``inf`` where impassable."""
    return np.where(limit_blocked(e, p), np.inf, base_cost_s(e, p))


#: Accessibility classes of directed edges for a profile (map colours).
ACCESS_CLASSES: tuple[str, ...] = ("impassable", "difficult", "unverified", "accessible")


def access_class(e: EdgeArrays, p: Profile, cost_s: np.ndarray | None = None) -> np.ndarray:
    """0 impassable, 1 difficult (passable with penalties: rough surface, steep, kerb, steps),
    2 unverified (passable, some attribute unknown), 3 accessible (everything known and fine)."""
    cost = edge_cost_s(e, p) if cost_s is None else cost_s
    with np.errstate(invalid="ignore"):
        factor = np.asarray(p.surface_factor)[e.surface_class]
        difficult = (
            (factor > 1.0) | (e.smoothness >= SMOOTHNESS.index("bad"))
            | (np.nan_to_num(e.up_pct) > 0.6 * p.max_uphill_pct)
            | (np.nan_to_num(e.down_pct) > 0.6 * p.max_downhill_pct)
            | (np.nan_to_num(e.kerb_cm) > 0) | e.is_steps | (e.barrier_class > 0)
        )
    out = np.full(len(e), 3, np.int8)
    out[unknown_count(e, p) > 0] = 2
    out[difficult] = 1
    out[~np.isfinite(cost)] = 0
    return out
