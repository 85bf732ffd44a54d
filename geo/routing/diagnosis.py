"""Why there is no route, and which limit changes would give one.

The cheapest route with nothing closed (:meth:`~geo.routing.profiles.Profile.unrestricted`, and no
reported barrier; verified attribute values stay) shows what stands in the way: every limit of
:data:`~geo.routing.profiles.LIMITS` and every switch of :data:`~geo.routing.profiles.SWITCHES`
that closes one of its edges is a reason, with the value it would need. Each such change — and
all of them together — is tried with a real search and offered only if it gives a route and a
request may ask for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from geo.errors import NoRouteError
from geo.network.model import EdgeArrays
from geo.routing.overlay import Overlay
from geo.routing.profiles import LIMITS, PROFILE_REASONS, SWITCHES, Profile, blocked_reasons


class _Found(Protocol):
    @property
    def pieces(self) -> list[Any]: ...


#: A search between the two fixed points: (profile, overlay) → a route or ``None``.
Search = Callable[[Profile, Overlay], _Found | None]


def reasons_on(edges: EdgeArrays, profile: Profile) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The reasons ``profile`` cannot travel ``edges``, and the request changes that would open each."""
    masks = blocked_reasons(edges, profile)
    reasons: list[dict[str, Any]] = []
    tries: list[dict[str, Any]] = []
    for switch in SWITCHES:
        mask = masks.get(switch.reason)
        if mask is not None and mask.any():
            reasons.append({"reason": switch.reason, "count": int(mask.sum())})
            tries.append({switch.request: switch.relaxed})
    for lim in LIMITS:
        mask = masks[lim.reason]
        if mask.any():
            need = lim.needed(edges, mask)
            reasons.append({"reason": lim.reason, "needed": need, "limit": getattr(profile, lim.field),
                            "unit": lim.unit, "count": int(mask.sum())})
            if lim.allows(need):
                tries.append({lim.field: need})
    for key in PROFILE_REASONS:
        if masks[key].any():
            reasons.append({"reason": key, "count": int(masks[key].sum())})
    return reasons, tries


def diagnose(search: Search, edges: EdgeArrays, profile: Profile, overlay: Overlay) -> NoRouteError:
    """The :class:`NoRouteError` for two points ``search`` finds no route between for ``profile``."""
    candidate = search(profile.unrestricted(), overlay.without_costs())
    if candidate is None:
        return NoRouteError("route.no_route.not_connected", profile=profile.name,
                            reasons=[{"reason": "not_connected"}], relaxations=[])
    used = edges.take(np.array([p.edge for p in candidate.pieces], dtype=np.int64))
    reasons, tries = reasons_on(used, profile)
    if not reasons:
        reasons.append({"reason": "reported_barrier"})
    relaxations = [change for change in tries if search(profile.with_limits(**change), overlay) is not None]
    if len(tries) > 1:
        combined = {k: v for t in tries for k, v in t.items()}
        if combined not in relaxations and search(profile.with_limits(**combined), overlay) is not None:
            relaxations.append(combined)
    return NoRouteError("route.no_route", profile=profile.name, reasons=reasons, relaxations=relaxations)
